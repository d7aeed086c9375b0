"""How places are said: several in one sentence, after « on est à », departments in lower case,
regions and intercommunalities, streets and districts, names typed glued — and the words
that stay no place."""

from __future__ import annotations

import json

import pytest
from babel.dates import get_month_names
from hypothesis import given, settings
from hypothesis import strategies as st
from test_places import KB, place

from bot.config import REPO_KNOWLEDGE
from bot.core.matching import Profile, recommend
from bot.core.places.words import MONTHS
from bot.core.text import fold
from bot.core.understanding import understand


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a albi, enfin a toulouse maintenant, on a demenage", ("31555", None)),
        ("je suis a muret, pardon a saint-lys, on veut une asso", ("31499", None)),
        ("we're in Lisbon but moving to Toulouse in spring", ("31555", None)),
        ("je suis à Toulouse mais je cherche un local", ("31555", None)),  # nothing after
        ("Saint-Gaudens ? non on est à Saint-Girons", (None, "09")),
        ("we live in Muret? no, in Tarbes actually", (None, "65")),
    ],
)
def test_a_later_place_corrects_an_earlier_one(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Je quitte Bordeaux pour m'installer à Balma", ("31044", None)),
        ("après 10 ans à Lyon je reviens à Muret", ("31395", None)),
        ("après dix ans à Toulouse, on déménage à Albi", (None, "81")),
        ("J'ai déménagé de Toulouse à Rodez", (None, "12")),  # « de »: where they left
        ("I lived in Lyon and I'm now moving to Colomiers", ("31149", None)),
        ("Je viens d'arriver à Toulouse depuis Marseille", ("31555", None)),  # « depuis »
        ("je suis à Muret depuis longtemps", ("31395", None)),
    ],
)
def test_the_place_a_move_leads_to_is_the_persons(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Je m'installe à Vienne en Isère", (None, "38")),  # the town, not the Vienne (86)
        ("on vient de l'Aveyron", (None, "12")),  # « de l' », « de la » as « du »
        ("je vis à Vienne, asso de quartier", (None, "38")),  # « à »: the town
        ("en Vienne, asso de quartier", (None, "86")),  # « en »: the department
        ("une asso de la Drôme", (None, "26")),
        ("on a besoin de la somme de 3000 euros", (None, None)),  # a word needs its capital
        ("on est dans la Vienne", (None, "86")),
        ("Castelnau dans le Tarn-et-Garonne", (None, "82")),
    ],
)
def test_a_department_named_town_with_its_department_after_is_the_town(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    "said",
    [
        "je travaille",
        "nous travaillons",
        "je travaillais",
        "je bosse",
        "on bossons",
        "mon boulot est",
        "le taf est",
        "I work",
        "she works",
        "working",
        "my job is",
        "nos clientes sont",
        "notre siège est",
        "nos fournisseurs sont",
    ],
)
def test_a_place_of_work_or_of_others_gives_way_whatever_the_form(said: str) -> None:
    assert place(f"{said} à Auch, et moi j'habite à Muret") == ("31395", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("j habitais a nantes mais la je suis a blagnac", ("31069", None)),
        ("on a grandi a bordeaux, moi je vis a seysses", ("31547", None)),
        ("I used to live in Lyon, now in Balma", ("31044", None)),
        ("j'habitais à Nantes avant", (None, "44")),  # the only place: still said
        ("hi from st jean near toulouse, we run a theatre", ("31488", None)),
        ("pres de montauban on a une asso de concerts", (None, "82")),
    ],
)
def test_a_place_lived_in_before_or_a_landmark_gives_way(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on est a sens et on cherche un local", (None, "89")),  # a word, 25,000 people
        ("on est a porto, projet de scop", (None, "PT")),  # a word, a city abroad
        ("je suis a paris", (None, "75")),
        ("a milan on lance une scop", (None, "IT")),  # « à » opening the message
    ],
)
def test_a_town_named_by_a_word_after_on_est_a(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "je suis a bout, je sais plus quoi faire",
        "on est a sec niveau treso",
        "je suis a la rue",
        "on est a fond dans le projet",
        "je suis a temps partiel",
        "we are in trouble",
        "im at home",
    ],
)
def test_what_follows_on_est_a_is_mostly_no_place(text: str) -> None:
    assert place(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on est dans le lot, petit festival", (None, "46")),
        ("dans les landes jai une idee d entreprise sociale", (None, "40")),
        ("Le Lot : asso d'aide a domicile", (None, "46")),
        ("mayotte projet d asso pour les jeunes", (None, "976")),
        ("on a un lot de vetements a donner", (None, None)),
        ("il nous faut dans la somme de 500 euros", (None, None)),
        ("aude et moi on veut monter une asso", (None, None)),  # a first name
        ("dans le nord de toulouse on veut une scop", ("31555", None)),
    ],
)
def test_departments_named_by_ordinary_words(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Montaut, Landes : on veut reprendre la scierie en scop", (None, "40")),
        ("Fronsac (Gironde), je cherche un placement solidaire", (None, "33")),
        ("Beaupuy dans le Lot-et-Garonne, projet de cooperative", (None, "47")),
        ("we're in Calmont, Aveyron, and want to start a co-op", (None, "12")),
        ("Montaut (Haute-Garonne), on veut reprendre la scierie en scop", ("31361", None)),
        ("Verfeil en Haute-Garonne, projet de cooperative", ("31573", None)),
        ("Toulouse Nord, on cherche un local", ("31555", None)),
    ],
)
def test_a_town_elsewhere_named_with_its_department_is_no_namesake_here(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("brest jveux creer une cooperative avec des potes", (None, "29")),  # an English word
        ("gourdon, asso culturelle avec une salle", (None, "46")),  # not the village of 07000
        ("lunion jai une idee de friperie solidaire", ("31561", None)),
        ("lisle en dodon projet de scop", ("31239", None)),
        ("lisle jourdain asso de jeunes", (None, "32")),  # L'Isle-Jourdain, article glued
        ("a bagnere de bigorre on a une asso", (None, "65")),  # no Bagnères-de-Luchon
        ("castelnau durbn asso", (None, "09")),  # Castelnau-Durban, no Castelnau-d'Estrétefonds
        ("a auriac lagst on a une asso", (None, "12")),  # Auriac-Lagast, no Auriac-sur-V.
        ("saint jean u falga asso", (None, "09")),  # Saint-Jean-du-Falga, not Falga here
        ("rquelaure saint aubin asso", (None, "32")),  # not Toulouse's Saint-Aubin
        ("notre asso de Vernet cherche", ("31574", None)),  # « de vernet » is no Le Vernet
        ("jhabite Barbazan et jai un projet", ("31045", None)),  # no Barbazan-Debat
        ("on cherche un local sur Saint-Sauveur", ("31516", None)),  # no Luz-Saint-Sauveur
        ("à Lisle-Jourdain, on veut une scop", (None, "32")),
        ("I live in Saint-Cyprien in Toulouse", ("31555", None)),  # a district
        ("jhabite rue de metz a toulouse", ("31555", None)),
        ("rue de metz, je cherche un coworking", (None, None)),  # a street, not Moselle
        ("route de revel, projet de scop", (None, None)),
        ("Florence et moi on veut monter une asso", (None, None)),  # someone
        ("I live in Labège and I have an idea", ("31254", None)),
        ("I live in Grenade-sur-l'Adour and I'd like a co-op", (None, "40")),
    ],
)
def test_names_as_people_type_them(text: str, expected: tuple[str | None, str | None]) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en bretagne on veut lancer une regie de quartier", (None, "R53")),
        ("en Normandie, asso de quartier", (None, "R28")),
        ("au pays basque on a un projet de scic", (None, "64")),
        ("Le Pays basque : asso", (None, "64")),
        ("dans le sud on veut une scop", (None, None)),  # « CC du Sud » (Mayotte): a word
        ("on a vu la corse en vacances", (None, None)),
    ],
)
def test_regions_and_intercommunalities_elsewhere(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


def test_a_region_elsewhere_gets_the_national_networks_only() -> None:
    result = recommend(KB, Profile(text="en bretagne on veut lancer une regie de quartier"), 3)
    assert [r.actor.id for r in result.recommendations] == ["cnlrq"]
    assert result.profile.commune is None


def _france() -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (REPO_KNOWLEDGE / "communes-france.json").read_text(encoding="utf-8")
    )
    return data


def _areas() -> list[tuple[str, str]]:
    """Each region's or intercommunality's folded name elsewhere, with its code."""
    areas = _france()["areas"]
    assert isinstance(areas, dict)
    return sorted(areas.items())


def _overseas_and_abroad() -> list[str]:
    """The overseas departments' names, and a seeded fifth of the foreign cities."""
    departments = _france()["departments"]
    assert isinstance(departments, dict)
    world = json.loads((REPO_KNOWLEDGE / "places-world.json").read_text(encoding="utf-8"))
    overseas = [name for code, name in departments.items() if code.startswith("97")]
    return overseas + [name for name, *_ in world["cities"][2::5]]


@settings(max_examples=120, deadline=None, derandomize=True)
@given(area=st.sampled_from(_areas()), pattern=st.sampled_from(["on est en {}", "au {}, asso"]))
def test_no_region_nor_intercommunality_elsewhere_maps_inside(
    area: tuple[str, str], pattern: str
) -> None:
    """Said after a place word, a region or intercommunality elsewhere is never a commune
    here (it is that place, unless a town elsewhere bears its name)."""
    name, _ = area
    assert understand(pattern.format(name), KB).commune is None


@settings(max_examples=120, deadline=None, derandomize=True)
@given(
    town=st.sampled_from(_overseas_and_abroad()),
    pattern=st.sampled_from(
        ["on est a {}", "{} projet de scop", "je vis à {} et je veux une asso", "we live in {}"]
    ),
)
def test_no_place_overseas_or_abroad_maps_inside(town: str, pattern: str) -> None:
    assert understand(pattern.format(town), KB).commune is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("la chambre régionale de l'ESS c'est quoi", (None, None)),  # not La Chambre (73)
        ("les halles cherchent des producteurs pour notre asso", (None, None)),  # nor (69)
        ("le havre on veut monter une asso", (None, "76")),  # a large town: still read
        ("la rochelle, projet de recyclerie", (None, "17")),
    ],
)
def test_an_article_and_ordinary_words_opening_the_message_are_no_small_town(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on monte une scop, rdv du 12 au 15 mars", (None, None)),
        ("Chers clients, fermé du 24 au 2 janvier", (None, None)),
        ("atelier le 12 déc. pour notre asso", (None, None)),
        ("on est du 81 et on veut créer une scop", (None, "81")),  # a department all the same
    ],
)
def test_a_day_is_no_department(text: str, expected: tuple[str | None, str | None]) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je veux créer une scop à ramonvile saint agne", ("31446", None)),  # not Saint-Agne (24)
        ("projet à blagnak saint agne", (None, "24")),  # no commune here begins so
    ],
)
def test_a_misspelt_word_before_a_town_elsewhere_begins_a_commune_here(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


def test_the_months_are_babels() -> None:
    """The month names a day is read by are CLDR's, fr and en (kept as a list: loading Babel's
    locale data in the bot would cost 6 MB)."""
    cldr = {
        fold(name).rstrip(".")
        for locale in ("fr", "en")
        for width in ("wide", "abbreviated")
        for name in get_month_names(width, locale=locale).values()
    }
    assert cldr == MONTHS

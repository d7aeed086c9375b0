"""Towns elsewhere called by the first word of their name (« Brive », « Onet »), communes
here said with their river (« Grenade sur Garonne »), a place of work or of a client beside
the person's own, a main town opening the message named like a verb form (« limoges… »), a
place before « based », « entre » a commune here « et » a town elsewhere (neither), and the
national networks far away shown only for what they do."""

from __future__ import annotations

import json
import random

import pytest
from support.bundled import KB, place

from bot.config import REPO_KNOWLEDGE
from bot.core.elsewhere import LARGE_FLAG, MAIN_FLAG
from bot.core.language import known_word
from bot.core.matching import Profile, recommend

SEED, SAMPLE = 20261204, 60


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("brive, on veut créer une scic dans l'alimentation", (None, "19")),
        ("on habite onet, on veut une scop", (None, "12")),  # Onet-le-Château
        ("je suis à Thonon et je cherche une épargne solidaire", (None, "74")),
        ("à Castanet on veut une scop", ("31113", None)),  # Castanet-Tolosan, here
        ("on cherche du sable pour notre chantier d'insertion", (None, None)),  # a word
    ],
)
def test_a_large_town_elsewhere_by_its_first_word(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


def test_a_first_word_two_large_towns_or_a_town_bear_names_none() -> None:
    elsewhere = KB.territory.elsewhere
    assert elsewhere.by_first_word("aix") is None  # Aix-en-Provence, Aix-les-Bains
    assert elsewhere.by_first_word("villeneuve") is None  # towns are called Villeneuve
    brive = elsewhere.by_first_word("brive")
    assert brive is not None and (brive.name, brive.department) == ("Brive-la-Gaillarde", "19")


def test_large_towns_said_by_their_first_word_are_outside_in_their_department() -> None:
    """A sample of the main and large towns of France whose first word no other main or large
    town bears nor starts, nor a department or an area, said after « à », is that town:
    never a commune here."""
    data = json.loads((REPO_KNOWLEDGE / "communes-france.json").read_text(encoding="utf-8"))
    elsewhere = KB.territory.elsewhere
    firsts = sorted(
        {
            key.split()[0]
            for _, department, flags, key in data["communes"]
            if department != "31" and flags & (MAIN_FLAG | LARGE_FLAG) and " " in key
        }
    )
    said = [
        (word, town.department)
        for word in firsts
        if (town := elsewhere.by_first_word(word)) is not None
        and not (known_word(word, "fr") or known_word(word, "en"))
        and not KB.territory.short_form(word)
        and word not in elsewhere.by_department_name  # « loire »: the department
        and word not in elsewhere.by_area_name
    ]
    wrong = [
        (word, department, found)
        for word, department in random.Random(SEED).sample(said, min(SAMPLE, len(said)))
        if (found := place(f"je vis à {word} et je veux créer une coopérative"))
        != (None, department)
    ]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize(
    "text",
    [
        "sorgues asso de quartier on cherche de l argent",
        "75011 asso de quartier, on cherche des financements",
    ],
)
def test_a_national_network_that_only_shares_a_word_is_no_help_far_away(text: str) -> None:
    found = recommend(KB, Profile(text=text), 3)
    assert found.outside_area is not None and not found.outside_area.in_region
    assert found.recommendations == ()


def test_a_national_network_far_away_for_its_own_work() -> None:
    found = recommend(KB, Profile(text="À Aubagne on voudrait monter une régie de quartier"), 3)
    assert [r.actor.id for r in found.recommendations] == ["cnlrq"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grenade sur Garonne, on veut reprendre la boulangerie en coopérative", ("31232", None)),
        ("grenade sur garonne on veut une scop", ("31232", None)),
        ("Grenade-sur-l'Adour (Landes), on veut créer une coopérative", (None, "40")),  # not ours
        ("une grenade sur la table", (None, None)),  # no river after « sur »
    ],
)
def test_a_commune_here_said_with_its_river(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on est a muret mais le client est a auch, on veut passer en scop", ("31395", None)),
        ("On est à Colomiers ; notre siège est à Montauban", ("31149", None)),
        ("je travaille à Albi et j'habite à Muret", ("31395", None)),
        ("je travaille à Albi et je veux créer une scop", (None, "81")),  # the only place
        ("à Albi, enfin à Toulouse", ("31555", None)),  # a correction of the person's place
    ],
)
def test_a_place_of_work_or_of_a_client_yields_to_the_persons(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("limoges projet entreprise sociale besoin d'aide", (None, "87")),  # limoger
        ("vienne on veut monter une scop", (None, "38")),  # venir
        ("rodez on cherche un financement pour notre scic", (None, "12")),
        ("tours de magie pour les enfants", (None, None)),  # a noun: no Tours
    ],
)
def test_a_main_town_opening_the_message_named_like_a_verb_form(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("London based, ethical savings please", (None, "GB")),
        ("Muret based charity needs help", ("31395", None)),
        ("Nice people here, we want a coop", (None, None)),  # no « based »: no Nice
    ],
)
def test_a_place_before_based(text: str, expected: tuple[str | None, str | None]) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Frontignan, on veut une scop", (None, "34")),  # not Frontignan-Savès
        ("Frontignan-Savès, on veut une scop", ("31201", None)),
        ("à Clermont-le-Fort on monte une scop", ("31148", None)),
        ("on est a castanet, scop", ("31113", None)),  # a town of 3,000 people here
        ("vers castres on monte une scop", (None, "81")),  # castrer
    ],
)
def test_a_village_here_by_its_first_word_yields_to_a_large_town_elsewhere(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


def test_a_short_form_here_is_none_when_a_large_town_elsewhere_bears_it() -> None:
    territory = KB.territory
    assert territory.short_form("clermont") == []  # Clermont (Oise), Clermont-Ferrand
    assert [c.insee for c in territory.short_form("castanet")] == ["31113"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mons en Belgique, on veut une scop", (None, "BE")),  # no Mons here
        ("Castelnau dans l'Aveyron, projet de scop", (None, "12")),  # no Castelnau-d'Estrétefonds
        ("Saint-Jean dans le Gers, projet de scop", (None, "32")),
        ("Notre SAS d'insertion à Blagnac (18 salariés) cherche de l'aide", ("31069", None)),
        ("je vis à Toulouse, mon associé est en Belgique, scop", ("31555", None)),
        ("Our coop is in Valencia (Spain)", (None, "ES")),  # not Venezuela's Valencia
        ("on est à Grenade en Espagne, scop", (None, "ES")),  # Granada
        ("je vis à Grenade, scop", ("31232", None)),  # the commune here, not Grenada
        ("I'm in London, my partner is in Spain, coop", (None, "GB")),
    ],
)
def test_a_name_here_followed_by_a_department_elsewhere_is_there(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


def test_a_name_of_several_words_borne_all_over_france_is_still_asked() -> None:
    """« Saint-Paul »: villages here and a large town of La Réunion; which is meant is asked."""
    assert place("je suis à Saint-Paul, on monte une scop") == (None, None)
    assert len(KB.territory.short_form("saint paul")) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("entre Toulouse et Montauban, on a un projet de scop", (None, None)),
        ("we live between Toulouse and Montauban and want a coop", (None, None)),
        ("entre Foix et Pamiers, asso d'insertion", (None, "09")),  # both in the Ariège
        ("j'habite à Muret, entre Toulouse et Montauban il y a des clients", ("31395", None)),
    ],
)
def test_between_a_commune_here_and_a_town_elsewhere_neither_is_assumed(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize("text", ["rodez scop", "cooperative de salaries a Rodez (Aveyron)"])
def test_a_town_named_like_an_imperative_is_no_announcement(text: str) -> None:
    """« Rodez » ends like « venez nombreux »: the place is no verb of an announcement."""
    found = recommend(KB, Profile(text=text), 3)
    assert [r.actor.id for r in found.recommendations] == ["urscop"]

"""Neighbourhoods: read as the commune they lie in when the base knows them
(``knowledge/districts.json``), never turned into a commune elsewhere; a neighbourhood the
base does not know names no commune; a postal code or department number after a name; cities
abroad by their French names; regions old and new; a person's name and an ordinary word
opening the message are no village."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_places import KB, place

from bot.config import REPO_KNOWLEDGE
from bot.core.territory import DISTRICTS_FILE, MIDI_PYRENEES, Territory, TerritoryError
from bot.core.text import fold

TOULOUSE = "31555"


def _districts() -> list[str]:
    data = json.loads((REPO_KNOWLEDGE / DISTRICTS_FILE).read_text(encoding="utf-8"))
    return [name for names in data["districts"].values() for name in names]


@pytest.mark.parametrize(
    "text",
    [
        "j'habite à la Reynerie et je voudrais créer une épicerie solidaire",
        "quartier des Izards, on voudrait un chantier d'insertion",
        "aux Minimes on cherche un local",
        "I live in Saint-Cyprien and want to start a repair café",  # also a town of the 66
        "Bellefontaine : on veut une régie de quartier",
        "Compans-Caffarelli : on veut racheter la boîte",  # not Compans (77)
        "Les Pradettes, asso culturelle",  # not Pradettes (09)
        "jhabite au mirail",
        "je vis aux minimes et je voudrais lancer un traiteur",  # « aux »: at the Minimes
        "on habite aux arenes",
        "aux minimes",  # a short message: the name past its article
    ],
)
def test_a_neighbourhood_is_its_commune(text: str) -> None:
    assert place(text) == (TOULOUSE, None)


@pytest.mark.parametrize(
    "text",
    [
        "on a une petite roseraie dans le jardin",  # ordinary words, no place word, no capital
        "c'est une bagatelle",
        "quartier Saint-Jean, on veut une scop",  # a neighbourhood of which town? not Saint-Jean
        "pradettes asso culturelle",  # the village of the Ariège, a place of the region too
    ],
)
def test_no_neighbourhood_without_a_sure_name(text: str) -> None:
    assert place(text)[0] is None


def test_an_unknown_neighbourhood_yields_to_its_town() -> None:
    assert place("Muret, quartier Saint-Jean : on veut une coopérative") == ("31395", None)
    assert place("régie de quartier à Auch") == (None, "32")  # the noun, not a name


def test_a_postal_code_or_a_department_number_after_a_name() -> None:
    assert place("st jean 31240, régie de quartier avec les voisins") == ("31488", None)
    assert place("st jean, une asso") == ("31488", None)
    assert place("st jean est une bonne idée pour nos jeans") == (None, None)
    assert place("Saint-Cyprien (66), projet de scop") == (None, "66")  # not the district
    assert place("Saint-Cyprien, projet de scop") == (TOULOUSE, None)


def test_no_neighbourhood_is_a_name_of_somewhere_else() -> None:
    """The list keeps to names that mean nothing else a person of the department may mean:
    no commune here, no first words of one, no main town elsewhere, no commune elsewhere in
    the former Midi-Pyrénées."""
    here = KB.territory
    communes = {fold(c.name) for c in here.communes.values()}
    clashes = []
    for name in _districts():
        folded = fold(name)
        town = here.elsewhere.by_name(folded)
        if folded in communes or here.by_first_word(folded):
            clashes.append(f"{name}: here")
        if town is not None and (town.main or town.department in MIDI_PYRENEES):
            clashes.append(f"{name}: {town.department}")
    assert not clashes


@settings(max_examples=120, deadline=None)
@given(
    name=st.sampled_from(_districts()),
    pattern=st.sampled_from(["j'habite à {}", "quartier {}, on cherche un local", "{}"]),
)
def test_every_neighbourhood_is_read_as_its_commune(name: str, pattern: str) -> None:
    assert place(pattern.format(name))[0] == TOULOUSE


def _base(tmp_path: Path, districts: object | None) -> Path:
    shutil.copyfile(REPO_KNOWLEDGE / "communes.json", tmp_path / "communes.json")
    if districts is not None:
        (tmp_path / DISTRICTS_FILE).write_text(json.dumps(districts), encoding="utf-8")
    return tmp_path / "communes.json"


def test_the_file_is_optional_and_checked(tmp_path: Path) -> None:
    assert Territory.load(_base(tmp_path, None)).by_name("reynerie") == []
    loaded = Territory.load(_base(tmp_path, {"districts": {TOULOUSE: ["La Reynerie"]}}))
    assert [c.insee for c in loaded.by_name("la reynerie")] == [TOULOUSE]
    for bad in ({"districts": {"99999": ["X"]}}, {"districts": {TOULOUSE: "X"}}, []):
        with pytest.raises(TerritoryError) as raised:
            Territory.load(_base(tmp_path, bad))
        assert raised.value.field == f"{DISTRICTS_FILE}: districts"


def test_a_union_of_territories_keeps_the_neighbourhoods() -> None:
    joined = Territory.union([KB.territory], KB.territory.elsewhere)
    assert [c.insee for c in joined.by_name("empalot")] == [TOULOUSE]


def test_a_neighbourhood_typed_as_the_commune_is_looked_up_exactly() -> None:
    found = KB.territory.lookup("Le Mirail")
    assert found.commune is not None and found.commune.insee == TOULOUSE
    assert KB.territory.lookup("Reyneri").commune is None  # a neighbourhood is never fuzzy


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("jsuis a saragosse projet de scop", "ES"),  # Zaragoza: French writes Z as S
        ("Je vis à Cracovie et je voudrais monter un tiers-lieu", "PL"),  # Kraków
        ("je suis à Séville et je voudrais créer une coopérative", "ES"),  # accented: a name
        ("I'm in Seville and want to start a cooperative", "ES"),
        ("on est à Varsovie", "PL"),  # CLDR's French name stays the main one
    ],
)
def test_cities_abroad_by_their_french_names(text: str, country: str) -> None:
    assert place(text) == (None, country)


@pytest.mark.parametrize(
    "text",
    ["j'adore la marmelade seville", "mon ami Sidney et moi on veut une scop"],
)
def test_a_french_name_that_is_a_word_needs_a_capital_after_a_place_word(text: str) -> None:
    assert place(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("en Languedoc-Roussillon on a une asso d'insertion", "R91"),  # a former region
        ("en Aquitaine, projet de scop de charpentiers", "R72"),
        ("région parisienne, je veux créer une entreprise sociale", "R11"),
        ("I live in Brittany and want to start a social enterprise", "R53"),
        ("le 81, projet de scop de menuisiers", "81"),  # a department's number, alone
    ],
)
def test_regions_old_and_new_and_a_department_number(text: str, code: str) -> None:
    assert place(text) == (None, code)


@pytest.mark.parametrize(
    "text",
    [
        "Midi-Pyrénées : on cherche un réseau",  # the region of the base's regional actors
        "Occitanie, je voudrais placer mon épargne",
        "Lorraine et moi on veut une scop",  # someone
        "une bouteille de Bourgogne pour fêter ça",
        "on se voit le 12, ok ?",  # a date
        "au centre ville on cherche un local",
    ],
)
def test_no_region_outside_from_the_region_here_a_person_or_a_date(text: str) -> None:
    assert place(text)[1] is None


def _former_regions() -> list[str]:
    data = json.loads((REPO_KNOWLEDGE / "communes-france.json").read_text(encoding="utf-8"))
    return list(data["regions"].values())


@settings(max_examples=60, deadline=None, derandomize=True)
@given(region=st.sampled_from(_former_regions()), pattern=st.sampled_from(["en {}", "{} : asso"]))
def test_every_region_elsewhere_is_outside_never_a_commune(region: str, pattern: str) -> None:
    found = place(pattern.format(region) + ", on veut créer une coopérative")
    assert found[0] is None and found[1] is not None and found[1].startswith("R")


def _french_names_abroad() -> list[str]:
    """A seeded tenth of the foreign cities' names as people type them (folded keys)."""
    world = json.loads((REPO_KNOWLEDGE / "places-world.json").read_text(encoding="utf-8"))
    return [key for *_, key in world["cities"][3::10]]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    city=st.sampled_from(_french_names_abroad()),
    pattern=st.sampled_from(["je vis à {} et je veux une asso", "{} projet de scop", "in {}"]),
)
def test_no_name_of_a_city_abroad_maps_inside_the_department(city: str, pattern: str) -> None:
    assert place(pattern.format(city))[0] is None


@pytest.mark.parametrize(
    "text",
    [
        "je m'appelle Noé et je cherche un financement",  # Noé, a village here
        "Lourde journée, j'en peux plus",  # Lourde: the first word, capitalised as any first word
        "Roquettes et mozzarella pour ce soir ?",
    ],
)
def test_a_name_or_a_first_word_is_no_village(text: str) -> None:
    assert place(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("je m'appelle Marie et j'habite à Noé", "31399"),  # after a place word: the village
        ("Lourde : on veut monter une asso", "31306"),  # alone in its clause
        ("Muret on cherche un local", "31395"),  # a town of 10,000 people opening the message
        ("c'est Toulouse qui nous intéresse", "31555"),
    ],
)
def test_the_same_names_where_they_are_places(text: str, insee: str) -> None:
    assert place(text) == (insee, None)

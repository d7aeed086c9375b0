"""The bundled knowledge base validates, and every fact in it comes from a seed document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support.bundled import KB

from bot.config import REPO_KNOWLEDGE
from bot.core.knowledge import Actor, Contact, Exclusion, KnowledgeBase
from bot.core.loader import schema
from bot.core.text import fold

REQUIRED_IDS = (
    "maison-initiative",
    "coop-action",
    "etymon",
    "bge-sud-ouest",
    "arcec",
    "urscop",
    "ies",
    "mp-actives",
    "dla-31",
    "semidias",
    "la-serre",
    "la-mijoteuse",
    "periscope",
    "adepes",
    "cress-mp",
    "mouves",
    "cpca-mp",
    "couac",
    "urei-mp",
    "coorace-mp",
    "fnars-mp",
    "cnlrq",
    "finansol",
    "caisse-des-depots",
    "toulouse-metropole",
)
SOURCE_YEARS = {"000": 2018, "001": 2011, "002": 2015, "003": 2012, "004": 2013}
PHONE_IN_TEXT = re.compile(r"0\d(?:[ .\-]?\d\d){4}")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KB


def source(name: str) -> str:
    return (REPO_KNOWLEDGE / "sources" / name).read_text(encoding="utf-8")


def contacts(kb: KnowledgeBase) -> list[tuple[Actor, Contact]]:
    return [(actor, contact) for actor in kb.actors for contact in actor.contacts]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_the_bundled_base_validates_with_one_file_per_actor(kb: KnowledgeBase) -> None:
    files = sorted(p.stem for p in (REPO_KNOWLEDGE / "actors").glob("*.yaml"))
    assert [a.id for a in kb.actors] == files
    assert all(Path(a.file).name == f"{a.id}.yaml" for a in kb.actors)


@pytest.mark.parametrize("actor_id", REQUIRED_IDS)
def test_every_required_actor_exists_and_is_usable(kb: KnowledgeBase, actor_id: str) -> None:
    actor = kb.actor(actor_id)
    assert actor is not None, actor_id
    assert actor.needs and actor.stages and actor.legal_forms and actor.summary["fr"]
    assert actor.communes or actor.areas


def test_every_email_is_written_in_its_source(kb: KnowledgeBase) -> None:
    found = [(a, c) for a, c in contacts(kb) if c.email]
    assert len(found) >= 15
    for actor, contact in found:
        assert str(contact.email) in source(contact.source), (actor.id, contact.email)


def test_every_phone_is_in_its_source_comparing_digits(kb: KnowledgeBase) -> None:
    found = [(a.id, c) for a, c in contacts(kb) if c.phone]
    assert {actor_id for actor_id, _ in found} >= {"la-mijoteuse", "periscope"}
    for actor_id, contact in found:
        published = {digits(p) for p in PHONE_IN_TEXT.findall(source(contact.source))}
        assert digits(str(contact.phone)) in published, (actor_id, contact.phone)


def test_websites_people_and_addresses_are_in_their_sources(kb: KnowledgeBase) -> None:
    for actor, contact in contacts(kb):
        text = fold(source(contact.source))
        for value in (contact.website, contact.address, contact.person):
            if value:
                assert fold(value) in text, (actor.id, value)


def test_every_contact_year_is_the_year_of_its_source(kb: KnowledgeBase) -> None:
    pairs = contacts(kb)
    assert len(pairs) >= 25
    for actor, contact in pairs:
        assert contact.year == SOURCE_YEARS[contact.source[:3]], (actor.id, contact)


def test_the_source_years_are_the_ones_the_readme_documents() -> None:
    readme = (REPO_KNOWLEDGE / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"\| `(\d{3})_\w+\.txt` \|.*\| (\d{4}) \|", readme)
    documented = {number: int(year) for number, year in rows}
    assert documented == SOURCE_YEARS


def test_records_cite_existing_sources_and_date_from_them(kb: KnowledgeBase) -> None:
    on_disk = {p.name for p in (REPO_KNOWLEDGE / "sources").iterdir()}
    for actor in kb.actors:
        assert set(actor.source) <= on_disk, actor.id
        assert {c.source for c in actor.contacts} <= set(actor.source), actor.id
        assert actor.info_date == max(SOURCE_YEARS[s[:3]] for s in actor.source), actor.id
        assert all(c.year <= actor.info_date for c in actor.contacts), actor.id


def test_records_without_a_published_contact_say_so(kb: KnowledgeBase) -> None:
    silent = [a for a in kb.actors if not a.contacts]
    assert {a.id for a in silent} >= {"etymon", "arcec", "bge-sud-ouest"}
    assert all(a.note.get("fr") for a in silent)


def test_a_located_commune_is_the_town_its_location_line_names(kb: KnowledgeBase) -> None:
    located = [a for a in kb.actors if a.located_in]
    assert {"coop-action", "la-mijoteuse", "periscope"} <= {a.id for a in located}
    for actor in located:
        line = fold(actor.location["fr"])
        for insee in actor.located_in:
            assert fold(kb.territory.communes[insee].name) in line, (actor.id, insee)


def test_the_commune_table() -> None:
    data = json.loads((REPO_KNOWLEDGE / "communes.json").read_text(encoding="utf-8"))
    communes = data["communes"]
    assert len(communes) == 586
    assert len({c["insee"] for c in communes}) == 586
    assert all(c["insee"].startswith("31") and c["postal_codes"] for c in communes)
    assert sum(c["epci"] == "toulouse-metropole" for c in communes) == 37
    assert sum(c["epci"] == "sicoval" for c in communes) == 36


def test_the_territory_knows_the_seed_communes(kb: KnowledgeBase) -> None:
    names = {"31149": "Colomiers", "31555": "Toulouse", "31446": "Ramonville-Saint-Agne"}
    for insee, name in names.items():
        commune = kb.territory.get(insee)
        assert commune is not None and commune.name == name
    assert kb.territory.communes["31254"].epci == "sicoval"
    assert kb.territory.communes["31069"].epci == "toulouse-metropole"


def test_the_schema_is_the_table_of_fields_the_readme_documents() -> None:
    readme = (REPO_KNOWLEDGE / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (yes|no) \|", readme, flags=re.MULTILINE))
    required = {f.key: "yes" if f.required else "no" for f in schema(Actor)}
    assert rows == required


@pytest.mark.parametrize("record", [Actor, Contact, Exclusion])
def test_every_field_of_the_schema_has_a_reader(record: type) -> None:
    fields = schema(record)
    assert fields
    assert all(callable(f.read) for f in fields)
    assert "file" not in {f.name for f in fields}, "where it was read from is not a field"

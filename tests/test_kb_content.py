"""The bundled knowledge base: complete, sourced, and never inventing a contact."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.core.loader import load_knowledge

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
REQUIRED_IDS = {
    "maison-initiative", "coop-action", "etymon", "bge-sud-ouest", "arcec", "urscop", "ies",
    "mp-actives", "dla-31", "semidias", "la-serre", "la-mijoteuse", "periscope", "adepes",
    "cress-mp", "mouves", "cpca-mp", "couac", "urei-mp", "coorace-mp", "fnars-mp", "cnlrq",
    "finansol", "caisse-des-depots", "toulouse-metropole",
}  # fmt: skip
SOURCE_YEARS = {
    "000_5c137a5c9ebb586d.txt": 2018,
    "001_0ac06c2a71c8ff70.txt": 2011,
    "002_c8d0af5aa59ce161.txt": 2015,
    "003_277f266306842024.txt": 2012,
    "004_8417d69e2a4b969e.txt": 2013,
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


def source_text(name: str) -> str:
    return (KNOWLEDGE / "sources" / name).read_text(encoding="utf-8")


def test_every_required_actor_is_there(kb: KnowledgeBase) -> None:
    assert {a.id for a in kb.actors} >= REQUIRED_IDS


def test_every_contact_comes_from_its_source(kb: KnowledgeBase) -> None:
    for actor in kb.actors:
        assert set(actor.source) <= set(SOURCE_YEARS), actor.id
        assert actor.info_date == max(SOURCE_YEARS[s] for s in actor.source), actor.id
        for contact in actor.contacts:
            text = source_text(contact.source)
            assert contact.year == SOURCE_YEARS[contact.source], (actor.id, contact)
            if contact.email:
                assert contact.email.lower() in text.lower(), (actor.id, contact.email)
            if contact.phone:
                digits = re.sub(r"\D", "", contact.phone)
                assert digits in re.sub(r"\D", "", text), (actor.id, contact.phone)
            if contact.website:
                assert contact.website.lower().removeprefix("http://") in text.lower()
            if contact.person:
                surname = contact.person.split()[-1]
                assert surname.lower() in text.lower(), (actor.id, contact.person)


def test_commune_table_is_the_official_one() -> None:
    data = json.loads((KNOWLEDGE / "communes.json").read_text(encoding="utf-8"))
    communes = data["communes"]
    assert len(communes) == 586
    assert sum(c["epci"] == "toulouse-metropole" for c in communes) == 37
    assert sum(c["epci"] == "sicoval" for c in communes) == 36
    assert "Etalab" in data["attribution"] and "MIT" in data["attribution"]

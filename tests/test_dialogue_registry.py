"""The registry of steps against the README's diagram, the catalogue and the button codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.catalogue import LANGUAGES, Catalogue
from bot.core.dialogue.callbacks import ANY_SEQ, Callback, Code, decode, encode
from bot.core.dialogue.registry import STEPS
from bot.core.dialogue.state import FIRST_STEP, DialogueState

PACKAGE = Path(__file__).resolve().parent.parent / "bot" / "core" / "dialogue"
EDGE = re.compile(r"^\s*(\[\*\]|\w+)\s*-->\s*(\w+)", re.MULTILINE)
DECLARED = re.compile(r"keys = \((?:[^()]|\n)*?\)", re.MULTILINE)


def diagram_edges() -> set[tuple[str, str]]:
    text = (PACKAGE / "README.md").read_text(encoding="utf-8")
    block = text.split("```mermaid", 1)[1].split("```", 1)[0]
    return set(EDGE.findall(block))


def test_the_diagram_draws_every_step_and_no_other() -> None:
    drawn = {node for edge in diagram_edges() for node in edge} - {"[*]"}
    assert drawn == {step.name for step in STEPS}


def test_the_diagram_follows_the_order_of_the_questions() -> None:
    questions = [step.name for step in STEPS if step.question]
    path = list(zip(["[*]", *questions], [*questions, "results"], strict=True))
    assert questions[0] == FIRST_STEP
    assert set(path) <= diagram_edges(), "README diagram and registry.STEPS disagree"


def test_names_and_codes_are_each_owned_once() -> None:
    names = [step.name for step in STEPS]
    codes = [code for step in STEPS for code in step.codes]
    assert len(set(names)) == len(names) and len(set(codes)) == len(codes)
    assert not {Code.BACK, Code.FIX} & set(codes), "back and fix belong to the engine"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_declared_key_is_in_the_catalogue(lang: str) -> None:
    messages = Catalogue.load().messages[lang]
    assert {key for step in STEPS for key in step.keys} - messages.keys() == set()
    assert all(step.fix_key in step.keys for step in STEPS if step.fix_key)


def test_every_declared_key_is_written_literally_where_used() -> None:
    source = "\n".join(
        DECLARED.sub("", path.read_text(encoding="utf-8")) for path in PACKAGE.rglob("*.py")
    )
    unused = [k for step in STEPS for k in step.keys if f'"{k}"' not in source]
    assert unused == []
    assert not re.search(r'text\([^)]*f"', source), "no catalogue key built by an f-string"


def test_button_data_round_trips_and_refuses_strangers() -> None:
    assert encode(7, Code.NEED, "funding") == "7|n|funding"
    assert decode("7|n|funding") == Callback("7", Code.NEED, "funding")
    assert decode(encode(ANY_SEQ, Code.FIX, "stage")) == Callback(ANY_SEQ, Code.FIX, "stage")
    assert decode("3|nv") == Callback("3", Code.NEEDS_DONE)
    for data in ("", "0|zz|1", "1|s|a|b", "nothing"):
        assert decode(data) is None


def test_a_state_stored_before_the_steps_still_loads() -> None:
    stored = {
        "conversation_id": "c1",
        "started_at": "2026-11-23T10:00:00+00:00",
        "step": "needs",
        "resume": None,
        "needs": ["funding"],
        "back": ["stage", "legal_form"],
        "gone_field": 1,
    }
    state = DialogueState.from_json(stored)
    assert state.needs == ("funding",) and state.back == ("stage", "legal_form")
    assert DialogueState.from_json(state.to_json()) == state
    assert state.to_json()["needs"] == ["funding"]

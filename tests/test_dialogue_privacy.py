"""The privacy screens as dialogue steps (/mesdonnees, /oubli) and the demand-log row built
from the registry, on the pure engine: the service's part is played by the test."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import timedelta
from typing import get_type_hints

import pytest
from dialogue_driver import NOW, Driver

from bot.core.catalogue import Markup, to_plain
from bot.core.dialogue.events import Command, Erased, Press, Stored
from bot.core.dialogue.record import record_of
from bot.core.dialogue.registry import STEPS
from bot.core.dialogue.steps.base import Logged
from bot.core.dialogue.turn import Ask, Turn
from bot.core.records import ConversationRecord, Feedback, Outcome


def told(talk: Driver, done: Stored | Erased) -> Turn:
    """The service's answer to what the step asked, given back to the dialogue."""
    turn = talk.dialogue.handle(talk.current, done, NOW)
    talk.state, talk.replies = turn.state, turn.replies
    return turn


def texts(turn: Turn) -> str:
    return "\n".join(to_plain(r.text) for r in turn.replies)


def test_my_data_asks_the_service_then_sums_up_each_conversation_by_its_recap(
    talk: Driver,
) -> None:
    talk.start()
    talk.press("J'ai une idée")
    talk.press("SCOP")
    seq = talk.current.seq
    asked = talk.send(Command("mesdonnees"))
    assert asked.asks is Ask.MY_DATA and asked.replies == [] and talk.current.step == "mydata"
    record = replace(record_of(talk.current, "u", NOW), recommended=("urscop",))
    shown = told(talk, Stored((record,), (Markup("Vos relances (0)"),), 365))
    text = texts(shown)
    assert "Vos conversations (1)" in text and "365 jours" in text and "Vos relances (0)" in text
    assert "J'ai une idée · SCOP · → Union Régionale des SCOP" in text, "the recap's own words"
    assert shown.asks is None and talk.current.step == "needs" and talk.current.seq == seq + 2
    assert "besoin" in to_plain(shown.replies[-1].text), "then the question where it was"


def test_my_data_says_so_when_the_database_does_not_answer(talk: Driver) -> None:
    talk.start()
    talk.send(Command("mydata"))
    shown = told(talk, Stored(None))
    assert "Je n'arrive pas à lire vos données" in texts(shown)
    assert talk.current.step == "stage" and talk.buttons, "and the question again"


def test_forget_confirms_by_a_button_of_the_current_sequence(talk: Driver) -> None:
    talk.start()
    talk.press("J'ai une idée")
    old = talk.button("SCOP").data
    talk.send(Command("oubli"))
    assert talk.current.step == "forget" and talk.current.resume == "legal_form"
    yes = talk.button("Oui, tout effacer").data
    assert yes == f"{talk.current.seq}|o|y"
    talk.send(Press(old))
    assert "plus actif" in talk.text and talk.current.step == "forget", "a button of before"
    cancelled = talk.press("Non, garder")
    assert cancelled.replies[0].edit and "je ne touche à rien" in to_plain(
        cancelled.replies[0].text
    )
    assert talk.current.step == "legal_form" and talk.button("SCOP")
    stale = talk.send(Press(yes))
    assert stale.asks is None and "plus actif" in talk.text, "a « oui » of an earlier question"
    talk.send(Command("forget"))
    talk.send(Command("oubli"))  # asked twice: comes back to the question, not to itself
    assert talk.current.resume == "legal_form"
    confirmed = talk.press("Oui, tout effacer")
    assert confirmed.asks is Ask.ERASE and confirmed.replies == []


@pytest.mark.parametrize(
    ("erased", "said"),
    [
        (Erased(2), "2 conversations"),
        (Erased(1, complete=False), "Effacement incomplet"),
        (Erased(None), "rien n'a été modifié"),
    ],
)
def test_forget_says_what_the_service_erased(talk: Driver, erased: Erased, said: str) -> None:
    talk.start()
    talk.send(Command("oubli"))
    talk.press("Oui, tout effacer")
    turn = told(talk, erased)
    assert [r.edit for r in turn.replies] == [True] and said in texts(turn)


def test_a_first_message_may_be_a_privacy_command(talk: Driver) -> None:
    turn = talk.send(Command("oubli"))
    assert "Bonjour" in texts(turn) and talk.current.step == "forget"
    assert talk.button("Oui, tout effacer") and not any("idée" in b.label for b in talk.buttons)
    other = Driver(talk.dialogue)
    turn = other.send(Command("mesdonnees"))
    assert turn.asks is Ask.MY_DATA and "Bonjour" in texts(turn)


def test_the_typed_text_on_the_erasure_question_asks_for_its_buttons(talk: Driver) -> None:
    talk.start()
    talk.send(Command("oubli"))
    talk.type("je veux créer une scop")
    assert talk.current.step == "forget" and talk.button("Oui, tout effacer")


def test_every_logged_field_is_a_record_field_written_by_one_step(talk: Driver) -> None:
    talk.start()
    written = [key for step in STEPS for key in step.logged(talk.current)]
    assert sorted(written) == sorted(set(written)), "each field by one step"
    assert set(written) == set(get_type_hints(Logged))
    assert set(written) <= {f.name for f in fields(ConversationRecord)}


def test_the_record_is_built_from_what_each_step_logs(talk: Driver) -> None:
    talk.start("accueil")
    talk.type("je veux créer une scop de menuiserie à Colomiers")
    talk.press("Oui, vous pouvez")
    state = replace(talk.current, feedback="useful", unmet=("funding",))
    later = NOW + timedelta(minutes=5)
    record = record_of(state, "u", later, territory="haute-garonne")
    assert (record.id, record.user, record.source, record.territory) == (
        state.conversation_id,
        "u",
        "accueil",
        "haute-garonne",
    )
    assert (record.stage, record.legal_form, record.commune) == (
        state.stage,
        "scop",
        "31149",
    )
    assert record.needs == state.needs and record.inferred == state.inferred
    assert record.recommended == state.recommended and record.unmet_needs == ("funding",)
    assert record.feedback is Feedback.USEFUL and "menuiserie" in (record.free_text or "")
    assert record.outcome is (Outcome.COMPLETED if state.completed else Outcome.IN_PROGRESS)
    refused = record_of(replace(state, consent=False), "u", later, Outcome.ABANDONED)
    assert refused.free_text is None and refused.ended_at == later

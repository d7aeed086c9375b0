"""Short words typed instead of pressing: « ok merci » at the consent question, commands sent as
text, « aide » / « help » alone at every step."""

from __future__ import annotations

import pytest
from dialogue_driver import Driver
from support.bundled import KB

from bot.core.catalogue import Catalogue
from bot.core.dialogue.engine import Dialogue
from bot.core.yesno import says_yes_or_no

DIALOGUE = Dialogue(KB, Catalogue.load())
SENTENCE = "coopérative de menuisiers à Blagnac"


def at_consent() -> Driver:
    talk = Driver(DIALOGUE)
    talk.start()
    talk.type(SENTENCE)
    assert talk.current.step == "consent"
    return talk


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("ok merci", True),
        ("Merci, oui !", True),
        ("yes thanks", True),
        ("ok super merci", True),
        ("non merci beaucoup", False),
        ("merci", None),
        ("merci beaucoup", None),
        ("pas merci", None),
        ("une scop merci", None),
    ],
)
def test_thanks_around_a_yes_or_a_no_change_nothing(text: str, answer: bool | None) -> None:
    assert says_yes_or_no(text) is answer


def test_ok_merci_at_the_consent_question_is_a_yes() -> None:
    talk = at_consent()
    talk.type("ok merci")
    assert talk.current.consent is True and "Blagnac" in talk.current.free_text
    assert talk.current.step == "stage"


def test_thanks_alone_at_the_consent_question_asks_it_again() -> None:
    talk = at_consent()
    talk.type("merci !")
    assert talk.current.step == "consent" and talk.current.consent is None
    assert talk.current.pending_text == SENTENCE
    assert "répondez simplement « oui » ou « non »" in talk.text
    assert talk.button("Oui, vous pouvez")


@pytest.mark.parametrize(
    ("typed", "step", "said"),
    [
        ("/help", "consent", "Je vous pose quelques questions"),
        ("/aide", "consent", "Je vous pose quelques questions"),
        ("/restart", "stage", "On repart de zéro"),
        ("/recommencer", "stage", "On repart de zéro"),
        ("/language", "language", "Dans quelle langue"),
        ("/help@AiguillageBot", "consent", "Je vous pose quelques questions"),
    ],
)
def test_a_command_sent_as_text_is_the_command_in_the_conversations_language(
    typed: str, step: str, said: str
) -> None:
    talk = at_consent()
    talk.type(typed)
    assert talk.current.lang == "fr" and talk.current.step == step
    assert said in talk.text


def test_a_first_message_that_is_a_command_opens_it() -> None:
    talk = Driver(DIALOGUE)
    talk.type("/help")
    assert talk.current.lang == "fr" and "Je vous pose quelques questions" in talk.text


def test_help_typed_alone_gives_help_and_keeps_the_question_at_every_step() -> None:
    talk = Driver(DIALOGUE)
    talk.start()
    seen: list[str] = []
    for _ in range(8):  # bounded: the flow has fewer questions than this
        step = talk.current.step
        seen.append(step)
        for word in ("aide", "Aide !", "à l'aide"):
            talk.type(word)
            assert talk.current.step == step and "Je vous pose quelques questions" in talk.text
        if step == "results" or not talk.buttons:
            break
        talk.press(talk.buttons[0].label)  # a need is ticked, then the needs are confirmed
        if step == "needs":
            talk.press("Valider")
    assert {"stage", "legal_form", "results"} <= set(seen)

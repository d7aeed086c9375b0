"""« Je ne sais pas » typed at a question: each step's own answer, never « not understood »."""

from __future__ import annotations

import pytest
from dialogue_driver import Driver

from bot.core.matching import OUTSIDE_UNKNOWN
from bot.core.unsure import says_unsure

NOT_UNDERSTOOD = "pas bien compris"


@pytest.mark.parametrize(
    "text", ["je ne sais pas", "Je sais pas…", "jsp", "J'en sais rien !", "I don't know", "idk"]
)
def test_the_ways_of_saying_it(text: str) -> None:
    assert says_unsure(text)


@pytest.mark.parametrize(
    "text", ["je ne sais pas quel statut choisir pour mon asso", "je sais", "pas de local"]
)
def test_a_sentence_that_says_more_is_not_only_unsure(text: str) -> None:
    assert not says_unsure(text)


def test_at_the_stage_it_says_which_to_choose_and_asks_again(talk: Driver) -> None:
    talk.start()
    talk.type("je sais pas")
    assert NOT_UNDERSTOOD not in talk.text
    assert "« J'ai une idée »" in talk.text
    assert talk.current.step == "stage" and talk.current.stage is None
    talk.button("Je construis le projet")  # the question is asked again, with its buttons


def test_at_the_legal_form_it_is_no_legal_form_yet(talk: Driver) -> None:
    talk.start()
    talk.press("J'ai une idée")
    talk.type("Je ne sais pas")
    assert talk.current.legal_form == "undecided"
    assert "Pas encore de statut" in talk.text and talk.current.step == "needs"


def test_at_the_needs_it_keeps_what_is_ticked(talk: Driver) -> None:
    talk.start()
    talk.press("J'ai une idée")
    talk.press("Association")
    talk.press("Des locaux")
    talk.type("jsp")
    assert talk.current.needs[0] == "premises" and talk.current.needs_done
    assert talk.current.step == "commune"


def test_at_the_commune_it_is_the_unknown_place_button(talk: Driver) -> None:
    talk.start()
    for label in ("J'ai une idée", "Association", "Des locaux", "Valider"):
        talk.press(label)
    talk.type("aucune idée")
    assert (talk.current.commune, talk.current.outside) == (None, OUTSIDE_UNKNOWN)
    assert talk.current.commune_done and NOT_UNDERSTOOD not in talk.text


def test_in_english_the_answer_is_in_english(talk: Driver) -> None:
    talk.start()
    talk.type("I don't know")
    assert talk.current.lang == "en"
    assert "“I have an idea”" in talk.text

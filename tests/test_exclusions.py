"""Conditions never broken: an actor whose eligibility excludes the person is not shown, and
the person who asks for it gets why, with the actors that do take them (sentences of our own)."""

from __future__ import annotations

from bot.config import REPO_KNOWLEDGE
from bot.core.loader import load_knowledge
from bot.core.matching import MatchResult, Profile, recommend

KB = load_knowledge(REPO_KNOWLEDGE)
TOP = 3


def ask(text: str, lang: str = "fr") -> MatchResult:
    """The recommendations for a first message."""
    return recommend(KB, Profile(text=text, lang=lang), TOP)


def shown(result: MatchResult) -> list[str]:
    """The ids of the actors shown."""
    return [r.actor.id for r in result.recommendations]


def excluded(result: MatchResult) -> dict[str, str]:
    """The actors left out, with the catalogue key of why."""
    return {e.actor.id: e.reason.key for e in result.excluded}


def test_a_network_asked_about_by_a_structure_it_does_not_serve_is_left_out() -> None:
    result = ask(
        "Would the federation of SCOPs and SCICs help our football club? "
        "We are a volunteer association",
        "en",
    )
    assert "urscop" not in shown(result)
    assert excluded(result)["urscop"] == "why_not.rule"
    assert shown(result), "the actors that do take an association are shown instead"


def test_a_change_of_structure_said_lifts_the_condition() -> None:
    result = ask(
        "Notre SARL de menuiserie, on voudrait la transformer pour que les salariés en "
        "deviennent propriétaires"
    )
    assert shown(result)[0] == "urscop"

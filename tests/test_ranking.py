"""Who comes first when several structures fit: the ranking rules of issue 8 §4, one by one."""

from __future__ import annotations

from bot.config import REPO_KNOWLEDGE
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, recommend

KB = load_knowledge(REPO_KNOWLEDGE)
BALMA, LUNION = "31044", "31561"


def first(profile: Profile) -> str:
    """The id of the first recommendation."""
    return recommend(KB, profile, limit=3).recommendations[0].actor.id


def test_the_reception_desk_comes_first_for_advice_with_no_stage_and_no_structure_said() -> None:
    asked = Profile(needs=("advice",), commune=BALMA)
    assert first(asked) == "toulouse-metropole"


def test_a_structure_said_with_no_stage_is_running_and_gets_no_first_advice_desk() -> None:
    running = Profile(needs=("advice",), legal_form="association", commune=LUNION)
    result = recommend(KB, running, limit=3)
    assert all(
        "reason.reception" not in {r.key for r in rec.reasons} for rec in result.recommendations
    )


def test_words_that_describe_another_structure_keep_the_desk_from_coming_first() -> None:
    text = (
        "Avec des voisins et le bailleur on voudrait entretenir nous-mêmes les pelouses et les "
        "halls de la cité en faisant travailler des habitants. On est à Cugnaux"
    )
    assert first(Profile(text=text)) == "cnlrq"

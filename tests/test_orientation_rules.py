"""Ranking rules a reception agent would sign (issue 8 §4), on the bundled base."""

from __future__ import annotations

from bot.config import REPO_KNOWLEDGE
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, recommend

KB = load_knowledge(REPO_KNOWLEDGE)


def ids(profile: Profile) -> list[str]:
    return [r.actor.id for r in recommend(KB, profile, 3).recommendations]


def test_the_local_desk_comes_first_for_general_advice_at_the_idea_stage() -> None:
    text = "Je suis de Balma et j'aimerais créer une activité solidaire, par où commencer ?"
    assert ids(Profile(text=text))[0] == "toulouse-metropole"
    answered = Profile(stage="building", needs=("advice",), commune="31254")  # Labège
    assert ids(answered)[0] == "periscope"


def test_a_precise_need_or_a_named_structure_keeps_its_own_order() -> None:
    funding = Profile(stage="idea", needs=("advice", "funding"), commune="31044")
    assert "toulouse-metropole" in ids(funding)
    named = Profile(text="Je suis de Balma et je cherche l'URSCOP pour créer une coopérative")
    assert ids(named)[0] == "urscop"

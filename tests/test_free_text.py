"""Free-text understanding: French and English, typos, accents, postal codes, nothing at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.knowledge import KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.understanding import understand

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "nous voulons reprendre notre boulangerie en coopérative à Blagnac et il nous faut "
            "un financement",
            {"legal_form=scop", "need=coop-status", "need=funding", "commune=31069"},
        ),
        ("cowroking a toulouze", {"need=coworking", "commune=31555"}),
        (
            "je veux monter une scop de menuiserie à Ramonville",
            {"legal_form=scop", "commune=31446"},
        ),
        ("cooperative a colomiers sans accent", {"commune=31149", "need=coop-status"}),
        (
            "We need premises and a loan in Colomiers",
            {"need=premises", "need=funding", "commune=31149"},
        ),
        (
            "mon asso est en difficulté, trésorerie à sec, 31520",
            {"stage=struggling", "commune=31446"},
        ),
        (
            "une association à Saint-Orens pour des locaux",
            {"legal_form=association", "commune=31506"},
        ),
        (
            "je suis auto-entrepreneur et je cherche un espace de coworking",
            {"legal_form=sole-trader"},
        ),
        ("répondre à des marchés publics avec des clauses sociales", {"need=public-procurement"}),
        ("embaucher des personnes en insertion", {"need=employment"}),
    ],
)
def test_understands(kb: KnowledgeBase, text: str, expected: set[str]) -> None:
    inference = understand(text, kb.taxonomy, kb.territory)
    assert expected <= set(inference.items()), inference.items()
    assert inference.evidence, "says which words it understood"


@pytest.mark.parametrize("text", ["bonjour", "asdf qwerty", "", "🙂🙂🙂", "merci beaucoup"])
def test_nothing_recognisable_is_empty(kb: KnowledgeBase, text: str) -> None:
    assert understand(text, kb.taxonomy, kb.territory).empty


def test_typo_evidence_is_reported(kb: KnowledgeBase) -> None:
    inference = understand("cowroking a toulouze", kb.taxonomy, kb.territory)
    assert "≈" in inference.evidence["need:coworking"]
    assert inference.commune is not None and inference.commune.name == "Toulouse"


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400) | st.text(alphabet="aàéèçœ -'’0123456789", max_size=50))
def test_never_raises_and_is_deterministic(kb: KnowledgeBase, text: str) -> None:
    first = understand(text, kb.taxonomy, kb.territory)
    assert understand(text, kb.taxonomy, kb.territory) == first


def test_huge_text_is_bounded(kb: KnowledgeBase) -> None:
    inference = understand("coworking à Toulouse " + "x" * 20_000, kb.taxonomy, kb.territory)
    assert "need=coworking" in inference.items()

"""Matching through the coverage index, against scoring every relevant actor."""

from __future__ import annotations

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.core.matching import MatchResult, Profile, preselect, recommend


def through_both_paths(
    kb: KnowledgeBase, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> MatchResult:
    """``recommend`` scoring every relevant actor, then through the coverage index: the same
    recommendations and unmet needs (the test fails otherwise); the result."""
    monkeypatch.setattr(preselect, "PRESELECT_FROM", 10**9)
    every = recommend(kb, profile)
    monkeypatch.setattr(preselect, "PRESELECT_FROM", 0)
    indexed = recommend(kb, profile)
    assert indexed.recommendations == every.recommendations, profile
    assert indexed.unmet_needs == every.unmet_needs, profile
    return every

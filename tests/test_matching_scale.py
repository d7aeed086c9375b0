"""A generated base of national shape: the index and the top-k pick what scoring all picks."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.bundled import KB
from support.matching_paths import through_both_paths
from test_similarity import every_score

from benchmarks.bench_matching import profiles
from benchmarks.kbgen import generated_base, write_base
from bot.config import REPO_KNOWLEDGE
from bot.core import understanding
from bot.core.knowledge import KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, preselect, recommend
from bot.core.similarity import BM25

SIZE = 3_000


def test_a_base_generated_in_memory_is_the_one_loaded_from_its_files(tmp_path: Path) -> None:
    root = write_base(REPO_KNOWLEDGE, tmp_path / "kb", 120)
    loaded = load_knowledge(root)
    built = generated_base(REPO_KNOWLEDGE, 120, root=root)
    assert len(built.actors) == 120
    assert built.actors == loaded.actors


def every_document_scored(
    index: BM25, query: list[str], count: int, minimum: float = 0.0
) -> list[tuple[int, float]]:
    """What :meth:`BM25.top` answers, by scoring every document and sorting."""
    return every_score(index, query, minimum)[:count]


@pytest.fixture(scope="module")
def national() -> KnowledgeBase:
    return generated_base(REPO_KNOWLEDGE, SIZE)


def test_indexed_and_top_k_paths_pick_what_scoring_every_actor_picks(
    national: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half structured answers, half free texts: through the coverage index and BM25's top-k,
    or every relevant actor and every document scored, the same picks, scores and reasons."""
    compared = 0
    top = BM25.top
    for profile in profiles(KB, 150, seed=5):
        understanding._understand.cache_clear()
        monkeypatch.setattr(preselect, "PRESELECT_FROM", 10**9)
        monkeypatch.setattr(BM25, "top", every_document_scored)
        every = recommend(national, profile)
        understanding._understand.cache_clear()
        monkeypatch.setattr(preselect, "PRESELECT_FROM", 0)
        monkeypatch.setattr(BM25, "top", top)
        indexed = recommend(national, profile)
        assert indexed.recommendations == every.recommendations, profile
        assert indexed.unmet_needs == every.unmet_needs, profile
        compared += len(every.recommendations)
    assert compared > 500


def test_many_needs_and_a_commune_pick_what_scoring_every_actor_picks(
    national: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slow tail of the curve: three needs said by a structure in difficulty (advice is
    added: four), a commune and a legal form. Matching knows its picks one after another from
    the index; scoring every actor gives the same picks, scores and reasons."""
    needs = sorted(national.taxonomy.needs)
    communes = sorted(national.territory.communes)
    forms = [None, *sorted(national.taxonomy.legal_forms)]
    compared = 0
    for n in range(12):
        profile = Profile(
            stage="struggling" if n % 3 else "launching",
            legal_form=forms[n % len(forms)],
            needs=tuple(needs[(n + k * 3) % len(needs)] for k in range(3)),
            commune=communes[(n * 37) % len(communes)],
        )
        every = through_both_paths(national, profile, monkeypatch)
        compared += len(every.recommendations)
    assert compared == 12 * 10

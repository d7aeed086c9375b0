"""BM25: the best few found by pruning are exactly the first of every document scored."""

from __future__ import annotations

import random

import pytest

from benchmarks.kbgen import generated_base
from bot.config import REPO_KNOWLEDGE
from bot.core import similarity
from bot.core.similarity import BM25
from bot.core.vocabulary import vocabulary

WORDS = [f"w{n}" for n in range(60)]


def every_score(index: BM25, query: list[str], minimum: float = 0.0) -> list[tuple[int, float]]:
    """Each document scored, best first, ties by position (those of positive score at least
    ``minimum``)."""
    terms = index.order(query)
    scores = [(p, index.score(terms, p)) for p in range(index.size)]
    kept = ((p, s) for p, s in scores if s > 0 and s >= minimum)
    return sorted(kept, key=lambda e: (-e[1], e[0]))


def random_documents(rng: random.Random, count: int) -> list[list[str]]:
    """Documents of common and rare words (a Zipf-like draw), some repeated to make ties."""
    weights = [1 / (n + 1) for n in range(len(WORDS))]
    found = [rng.choices(WORDS, weights, k=rng.randint(0, 30)) for _ in range(count)]
    return found + [list(doc) for doc in rng.sample(found, count // 10)]


@pytest.mark.parametrize("rows", [0, 1, similarity.ROWS, 10**9])
@pytest.mark.parametrize("seed", range(5))
def test_top_is_the_head_of_every_document_scored(
    seed: int, rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After ``rows`` rows of the threshold algorithm, the floors and bitmaps (or none)."""
    monkeypatch.setattr(similarity, "ROWS", rows)
    monkeypatch.setattr(similarity, "LEVEL_FROM", 16)
    rng = random.Random(seed)
    index = BM25(random_documents(rng, 400))
    compared = 0
    for _ in range(200):
        query = [*rng.sample(WORDS, rng.randint(1, 8)), "unknown"]
        count = rng.choice((1, 3, 8, 50))
        minimum = rng.choice((0.0, 0.0, 1.0, 3.0))
        expected = every_score(index, query, minimum)[:count]
        assert index.top(query, count, minimum) == expected, (query, count, minimum)
        compared += len(expected)
    assert compared > 1000


@pytest.mark.parametrize("rows", [0, similarity.ROWS])
def test_top_on_a_generated_base_matches_scoring_every_actor(
    rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ties by the thousand (equal lengths and frequencies) and words in every document."""
    monkeypatch.setattr(similarity, "ROWS", rows)
    kb = generated_base(REPO_KNOWLEDGE, 1_500)
    index = vocabulary(kb).index
    assert index.levels  # the common words keep bitmaps
    rng = random.Random(7)
    terms = sorted(index.idf)
    for _ in range(100):
        query = rng.sample(terms, rng.randint(1, 6))
        assert index.top(query, 8) == every_score(index, query)[:8], query
        assert index.top(query, 8, 1.2) == every_score(index, query, 1.2)[:8], query


def test_frequency_weight_and_matched_read_one_document() -> None:
    index = BM25([["a", "b", "b"], ["b", "c"], []])
    assert [index.frequency("b", p) for p in range(3)] == [2, 1, 0]
    assert index.frequency("zzz", 0) == 0
    assert index.weight("a", 1) == 0.0 < index.weight("a", 0)
    assert index.matched(["c", "b", "x"], 1) == ["c", "b"]  # rarest first
    assert index.matched(["c", "b"], 1, min_idf=index.idf["c"]) == ["c"]
    assert index.top(["x"], 3) == [] == index.top([], 3)

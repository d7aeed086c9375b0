"""The coverage index matching pre-selects from: its bitmaps say what the actors themselves say."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.kbgen import generated_base
from bot.config import REPO_KNOWLEDGE
from bot.core.bitmaps import bitmap, members
from bot.core.coverindex import Coverage, build_coverage, trait
from bot.core.knowledge import STRENGTHS, Actor, KnowledgeBase

SIZE = 700
PLACES = 6  # the places of most actors compared, and the one of fewest


@given(st.sets(st.integers(min_value=0, max_value=5_000)))
def test_a_bitmap_holds_its_ranks_read_smallest_first(ranks: set[int]) -> None:
    assert list(members(bitmap(ranks, 5_001))) == sorted(ranks)


@pytest.fixture(scope="module")
def base() -> tuple[KnowledgeBase, Coverage]:
    kb = generated_base(REPO_KNOWLEDGE, SIZE)
    return kb, build_coverage(kb)


def _actors(kb: KnowledgeBase, cover: Coverage, bits: int) -> list[Actor]:
    return [kb.actors[cover.positions[rank]] for rank in members(bits)]


def _tier(cover: Coverage, places: list[str], strengths: dict[str, float]) -> int:
    """The actors of ``places`` with those strengths, as matching reads them."""
    actors = cover.covering(places)
    for need, strength in strengths.items():
        actors &= cover.by_strength(actors, need).get(strength, 0)  # none of that strength
    return actors


def test_ranks_follow_the_ids(base: tuple[KnowledgeBase, Coverage]) -> None:
    kb, cover = base
    ids = [kb.actors[p].id for p in cover.positions]
    assert ids == sorted(a.id for a in kb.actors)


def test_a_tier_is_the_actors_of_its_places_with_those_strengths(
    base: tuple[KnowledgeBase, Coverage],
) -> None:
    """The places of most and of fewest actors alone, all areas together, every need pair and
    strength pair: the tier is what filtering the actors one by one gives, in id order."""
    kb, cover = base
    areas = sorted(p for p in cover.places if p.startswith("a:"))
    by_size = sorted(cover.places, key=lambda p: (-cover.places[p].bit_count(), p))
    each = (0.0, *sorted(set(STRENGTHS.values())))
    needs = sorted(kb.taxonomy.needs)
    compared = 0
    for places in [*([p] for p in (*by_size[:PLACES], by_size[-1])), areas]:
        for pair in itertools.combinations(needs, 2):
            for strengths in itertools.product(each, repeat=2):
                if not any(strengths):
                    continue
                wanted = dict(zip(pair, strengths, strict=True))
                found = _actors(kb, cover, _tier(cover, places, wanted))
                expected = sorted(
                    (
                        a
                        for a in kb.actors
                        if ({f"c:{c}" for c in a.communes} | {f"a:{x}" for x in a.areas})
                        & set(places)
                        and all(a.needs.get(n, 0.0) == s for n, s in wanted.items())
                    ),
                    key=lambda a: a.id,
                )
                assert found == expected, (places, wanted)
                compared += len(found)
    assert compared > 10_000


def test_stages_forms_and_traits_are_each_actors_own(base: tuple[KnowledgeBase, Coverage]) -> None:
    kb, cover = base
    for stage, bits in cover.stages.items():
        assert all(stage in a.stages for a in _actors(kb, cover, bits))
    for form, bits in cover.legal_forms.items():
        assert all(form in a.legal_forms for a in _actors(kb, cover, bits))
    seen = 0
    for value, bits in cover.traits.items():
        found = _actors(kb, cover, bits)
        assert all(trait(a) == value for a in found)
        seen += len(found)
    assert seen == len(kb.actors)
    assert sum(len(a.stages) for a in kb.actors) == sum(
        b.bit_count() for b in cover.stages.values()
    )

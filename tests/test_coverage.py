"""check-kb's coverage over a varied base: the same communes as asking every actor."""

from __future__ import annotations

import random
from dataclasses import replace

from support.bundled import KB

from bot.core.coverage import communes_without, communes_without_reception
from bot.core.knowledge import KnowledgeBase
from bot.core.matching import LOCAL_LEVEL
from bot.core.territory import Commune

VARIANTS = 40


def _varied(seed: int) -> KnowledgeBase:
    """The bundled actors, each also with random territories (communes, EPCIs, wider)."""
    rng = random.Random(seed)
    territory = KB.territory
    insee = sorted(territory.communes)
    wide = ["haute-garonne", "region", "national", "elsewhere-area"]
    actors = list(KB.actors)
    for n in range(VARIANTS):
        model = actors[n % len(KB.actors)]
        communes = frozenset(rng.sample(insee, rng.randint(0, 3)))
        areas = frozenset(rng.sample([*sorted(territory.epcis)[:6], *wide], rng.randint(0, 2)))
        reception = rng.random() < 0.3
        actors.append(
            replace(model, id=f"zz-{n}", communes=communes, areas=areas, reception=reception)
        )
    return replace(KB, actors=tuple(actors))


def _asking_everyone(kb: KnowledgeBase, max_level: int | None) -> tuple[Commune, ...]:
    found = [
        c
        for c in kb.territory.communes.values()
        if not any(
            (level := kb.territory.covering_level(c.insee, a)) is not None
            and (max_level is None or level <= max_level)
            for a in kb.actors
        )
    ]
    return tuple(sorted(found, key=lambda c: (c.name, c.insee)))


def test_communes_without_an_actor_are_those_no_actor_covers() -> None:
    compared = 0
    for seed in range(3):
        kb = _varied(seed)
        for max_level in (None, 0, LOCAL_LEVEL, 2):
            expected = _asking_everyone(kb, max_level)
            assert communes_without(kb, max_level) == expected, (seed, max_level)
            compared += len(expected)
    assert compared > 0


def test_communes_without_reception_are_those_no_reception_point_serves() -> None:
    kb = _varied(7)
    expected = [
        c
        for c in kb.territory.communes.values()
        if not any(
            a.reception
            and (level := kb.territory.covering_level(c.insee, a)) is not None
            and level <= LOCAL_LEVEL
            for a in kb.actors
        )
    ]
    found = communes_without_reception(kb)
    assert found == tuple(sorted(expected, key=lambda c: (c.name, c.insee)))
    assert 0 < len(found) < len(kb.territory.communes)

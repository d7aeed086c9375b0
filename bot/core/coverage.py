"""What the knowledge base covers: actors per need and stage, gaps and stale records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.matching import LOCAL_LEVEL, reception_points
from bot.core.territory import NATIONAL_AREA, REGION_AREA, Commune

STALE_YEARS = 5


@dataclass(frozen=True)
class Coverage:
    """The coverage of a knowledge base in a given year."""

    matrix: Mapping[str, Mapping[str, int]]
    uncovered_needs: tuple[str, ...]
    communes_without_actor: tuple[Commune, ...]
    communes_without_local_actor: tuple[Commune, ...]
    stale: tuple[Actor, ...]
    stale_before: int
    without_situations: tuple[Actor, ...] = ()
    communes_without_reception: tuple[Commune, ...] = ()


def coverage_matrix(kb: KnowledgeBase) -> dict[str, dict[str, int]]:
    """For each need then stage (taxonomy order), how many actors cover both."""
    return {
        need: {
            stage: sum(1 for a in kb.actors if need in a.needs and stage in a.stages)
            for stage in kb.taxonomy.stages
        }
        for need in kb.taxonomy.needs
    }


def uncovered_needs(kb: KnowledgeBase) -> tuple[str, ...]:
    """The needs no actor covers, in taxonomy order."""
    covered = {need for actor in kb.actors for need in actor.needs}
    return tuple(n for n in kb.taxonomy.needs if n not in covered)


def _naming(kb: KnowledgeBase) -> dict[str, list[Actor]]:
    """The actors by each commune and area their territory names."""
    found: dict[str, list[Actor]] = {}
    for actor in kb.actors:
        for place in (*actor.communes, *actor.areas):
            found.setdefault(place, []).append(actor)
    return found


def communes_without(kb: KnowledgeBase, max_level: int | None = None) -> tuple[Commune, ...]:
    """Communes no actor covers at ``max_level`` or narrower (any level when None), by name.

    Only the actors whose territory names the commune, its EPCI, its territory, the region
    or the country can cover it: those are asked, not every actor for every commune."""
    territory = kb.territory
    naming = _naming(kb)
    found = []
    for commune in territory.communes.values():
        places = (commune.insee, commune.epci, commune.territory, REGION_AREA, NATIONAL_AREA)
        near = (a for place in places for a in naming.get(place, ()))
        levels = (territory.covering_level(commune.insee, a) for a in near)
        if not any(
            level is not None and (max_level is None or level <= max_level) for level in levels
        ):
            found.append(commune)
    return tuple(sorted(found, key=lambda c: (c.name, c.insee)))


def stale_actors(kb: KnowledgeBase, year: int) -> tuple[Actor, ...]:
    """Actors whose information is older than :data:`STALE_YEARS` in ``year``, oldest first."""
    return tuple(
        sorted(
            (a for a in kb.actors if a.info_date < year - STALE_YEARS),
            key=lambda a: (a.info_date, a.id),
        )
    )


def communes_without_reception(kb: KnowledgeBase) -> tuple[Commune, ...]:
    """Communes with no general reception point (``reception: true``) for them or their EPCI."""
    found = (c for c in kb.territory.communes.values() if not reception_points(kb, c.insee))
    return tuple(sorted(found, key=lambda c: (c.name, c.insee)))


def coverage(kb: KnowledgeBase, year: int) -> Coverage:
    """Everything :mod:`bot.commands.check_kb` reports about ``kb`` in ``year``."""
    return Coverage(
        matrix=coverage_matrix(kb),
        uncovered_needs=uncovered_needs(kb),
        communes_without_actor=communes_without(kb),
        communes_without_local_actor=communes_without(kb, LOCAL_LEVEL),
        stale=stale_actors(kb, year),
        stale_before=year - STALE_YEARS,
        without_situations=tuple(a for a in kb.actors if not a.situations.get("fr")),
        communes_without_reception=communes_without_reception(kb),
    )

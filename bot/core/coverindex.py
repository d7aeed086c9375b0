"""The coverage index matching pre-selects from: the actors by the place they cover, the need
they serve and what sets their score, as bitmaps.

Actors are numbered in the order of their ids (their *rank*: the smaller rank wins a tie). A
set of actors is a Python integer, bit ``r`` set for the actor of rank ``r``: intersecting the
department's actors with a need is one loop in C over 12.5 KB at 100,000 actors, where a set
of ranks costs some 60 bytes a member and splitting it a loop in Python a member each.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.bitmaps import Bits, bitmap
from bot.core.knowledge import STRENGTHS, Actor, KnowledgeBase

Trait = tuple[int, int, int, bool]  # how many stages, legal forms, primary needs; a contact


@dataclass(frozen=True)
class Coverage:
    """The actors of a base by place, need, stage, legal form, kind and trait (a place is
    ``c:<INSEE>`` or ``a:<area>``), for matching to read instead of scoring every actor."""

    places: dict[str, Bits]  # place → the actors covering it
    needs: dict[str, dict[float, Bits]]  # need → strength → the actors serving it so
    positions: array[int]  # rank → place in the base
    stages: dict[str, Bits]  # stage → the actors listing it
    legal_forms: dict[str, Bits]
    kinds: dict[str, Bits]  # kind → the actors of that kind (the kind asked for: a bonus)
    traits: dict[Trait, Bits]  # trait → the actors that have it
    apart: Bits  # desks, actors with conditions or a commune: scored one by one
    rescuers: Bits  # consolidation desks: scored one by one where local, for a struggling one

    def covering(self, places: Iterable[str]) -> Bits:
        """The actors covering one of ``places``."""
        found = 0
        for place in places:
            found |= self.places.get(place, 0)
        return found

    def by_strength(self, actors: Bits, need: str) -> dict[float, Bits]:
        """``actors`` by their strength for ``need`` (0: they do not serve it)."""
        found = {s: actors & serving for s, serving in self.needs.get(need, {}).items()}
        rest = actors
        for serving in found.values():
            rest ^= serving
        return {**found, 0.0: rest}


def trait(actor: Actor) -> Trait:
    """What of ``actor`` beyond its places, needs, stages and legal forms sets its score."""
    primaries = sum(1 for s in actor.needs.values() if s >= max(STRENGTHS.values()))
    return len(actor.stages), len(actor.legal_forms), primaries, actor.reachable


def build_coverage(kb: KnowledgeBase) -> Coverage:
    """The coverage index of ``kb``."""
    order = sorted(range(len(kb.actors)), key=lambda p: kb.actors[p].id)
    places: dict[str, list[int]] = {}
    needs: dict[str, dict[float, list[int]]] = {}
    stages: dict[str, list[int]] = {}
    forms: dict[str, list[int]] = {}
    kinds: dict[str, list[int]] = {}
    traits: dict[Trait, list[int]] = {}
    apart: list[int] = []
    rescuers: list[int] = []
    for rank, position in enumerate(order):
        actor = kb.actors[position]
        for place in (*(f"c:{c}" for c in actor.communes), *(f"a:{a}" for a in actor.areas)):
            places.setdefault(place, []).append(rank)
        for need, strength in actor.needs.items():
            needs.setdefault(need, {}).setdefault(strength, []).append(rank)
        for stage in actor.stages:
            stages.setdefault(stage, []).append(rank)
        for form in actor.legal_forms:
            forms.setdefault(form, []).append(rank)
        kinds.setdefault(actor.kind, []).append(rank)
        traits.setdefault(trait(actor), []).append(rank)
        if actor.reception or actor.not_for or actor.located_in:
            apart.append(rank)
        if actor.rescues:
            rescuers.append(rank)
    size = len(order)

    def bits(found: dict[str, list[int]]) -> dict[str, Bits]:
        return {key: bitmap(ranks, size) for key, ranks in found.items()}

    return Coverage(
        places=bits(places),
        needs={need: {s: bitmap(r, size) for s, r in by.items()} for need, by in needs.items()},
        positions=array("I", order),
        stages=bits(stages),
        legal_forms=bits(forms),
        kinds=bits(kinds),
        traits={key: bitmap(ranks, size) for key, ranks in traits.items()},
        apart=bitmap(apart, size),
        rescuers=bitmap(rescuers, size),
    )

"""Pre-selection on a large base: the candidates that can reach the results, from the
coverage index, instead of scoring every relevant actor (the same picks)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator
from typing import NamedTuple

from bot.core.bitmaps import Bits, members
from bot.core.coverindex import Coverage
from bot.core.knowledge import RESCUE_STAGE, STRENGTHS, Actor, KnowledgeBase
from bot.core.matching.desks import CONSOLIDATION_NEED, front_desk
from bot.core.matching.floor import Floor
from bot.core.matching.levels import (
    ANYWHERE_LEVEL,
    LOCAL_LEVEL,
    NATIONAL_LEVEL,
    REGION_LEVEL,
    TERRITORY_BONUS,
    territory_level,
)
from bot.core.matching.profile import (
    NEUTRAL_FORMS,
    NO_FORM_YET,
    UNLISTED_FORMS,
    said_in_difficulty,
)
from bot.core.matching.results import Excluded
from bot.core.matching.scoring import (
    EARLY_STAGES,
    FOCUS_BONUS,
    FORM_BONUS,
    KIND_BONUS,
    REACHABLE_BONUS,
    SPECIALIST_BONUS,
    SPECIALIST_MAX_FORMS,
    SPECIALIST_MAX_STAGES,
    STAGE_BONUS,
    Ask,
    Candidate,
    likely_here,
    scan,
)
from bot.core.territory import DEFAULT_TERRITORY, NATIONAL_AREA, REGION_AREA
from bot.core.vocabulary import vocabulary

PRESELECT_FROM = 500  # from this many actors, candidates come from the coverage index
PRESELECT_MAX_NEEDS = 4  # more needs at once: every relevant actor is scored


def shortlist(ask: Ask, limit: int) -> tuple[list[Candidate], list[Excluded], set[str]] | None:
    """The candidates that can reach the results, from the coverage index, with the excluded
    met and the needs some candidate serves (None when the base is small enough to score each
    relevant actor, or the needs too many to pre-select).

    The actors apart (reception points, conditions, a commune), named or described by the words are
    scored one by one (first: the :class:`Floor` holds for what they may lack). The others
    come by tier (:func:`_tiers`), split into groups of actors that score the same
    (:meth:`_Opened.groups`; ties go by id, so only the first ``limit`` by id of a group can
    be picked), best first by the most they can gain, each opened or taken only when it can
    reach the floor. Past it, tiers are only opened for a need no one serves yet. The picks
    are those of scoring every actor."""
    kb = ask.kb
    vocab = vocabulary(kb)
    cover = vocab.coverage
    if cover is None or len(kb.actors) < PRESELECT_FROM or len(ask.needs) > PRESELECT_MAX_NEEDS:
        return None
    singles = {vocab.position[a] for a in (*ask.similar, *ask.inference.named)}
    singles.update(
        p
        for p in (cover.positions[r] for r in members(cover.apart))
        if any(n in kb.actors[p].needs for n in ask.needs)
    )
    commune = kb.territory.communes.get(ask.profile.commune or "")
    if commune is not None and said_in_difficulty(ask.profile):  # the desks of _rescue_desk
        local = cover.covering((f"c:{commune.insee}", f"a:{commune.epci}"))
        singles.update(cover.positions[r] for r in members(cover.rescuers & local))
        singles.update(_consolidating(ask, cover))
    said = ask.profile.needs
    if said and set(said) <= vocab.national_needs:  # the desk of _national_desk
        singles.update(_serving(ask, cover, said, cover.covering((f"a:{NATIONAL_AREA}",))))
    pool, _, excluded = scan(ask, (kb.actors[p] for p in sorted(singles)))
    scored = len(pool)  # kept whatever their gain: a desk comes first without it (_reception_desk)
    floor = Floor(ask.needs, limit)
    for found in pool:
        floor.meet(found)
    desk = front_desk(pool, ask)  # every desk is apart
    if desk is not None:
        floor.know(desk)
    served = {n for n in ask.needs if any(n in c.actor.needs for c in pool)}
    opened = _Opened(ask, cover, set(singles), floor, pool)
    order: list[tuple[float, int, _Tier | _Group, int]] = [
        (-floor.bound(tier.base, tier.strengths), n, tier, 0)
        for n, tier in enumerate(_tiers(ask, cover))
    ]  # by the most each can gain, as bounded when that many picks were known
    heapq.heapify(order)
    count = len(order)
    while order and -order[0][0] >= floor.low_floor():
        _, n, item, known = order[0]
        if known < len(floor.picks):  # bounded before a pick got known: it can gain less now
            bound = floor.bound(item.base, item.strengths)
            heapq.heapreplace(order, (-bound, n, item, len(floor.picks)))
            continue
        if floor.settle(-order[0][0]):
            continue
        heapq.heappop(order)
        if isinstance(item, _Tier):
            for group in opened.groups(item):
                served |= item.needs
                bound = floor.bound(group.base, group.strengths)
                heapq.heappush(order, (-bound, count, group, len(floor.picks)))
                count += 1
        else:
            opened.take(item)
    for *_, item, _ in sorted(order):  # under the floor: is an unserved need served at all?
        if not isinstance(item, _Tier) or item.needs <= served:
            continue
        if next(opened.groups(item), None) is not None:
            served |= item.needs
    floor.settle(-order[0][0] if order else -math.inf)
    served.update(n for n in ask.needs if any(n in c.actor.needs for c in pool))
    kept = {id(c) for c in pool[:scored]}
    return pool[:scored] + [c for c in floor.shortlist() if id(c) not in kept], excluded, served


def _consolidating(ask: Ask, cover: Coverage) -> Iterator[int]:
    """The positions of the financers covering the person that take structures in difficulty
    as their own work and serve a need asked (the desk where no local one consolidates them)."""
    serving = 0
    for need in ask.needs:
        for actors in cover.needs.get(need, {}).values():
            serving |= actors
    among = serving & cover.stages.get(RESCUE_STAGE, 0)
    return _serving(ask, cover, (CONSOLIDATION_NEED,), among)


def _serving(ask: Ask, cover: Coverage, needs: tuple[str, ...], among: Bits) -> Iterator[int]:
    """The positions of the actors of ``among`` covering the person whose core work is each of
    ``needs``."""
    found = among & cover.covering(place for _, places in _places(ask.kb, ask) for place in places)
    for need in needs:
        found &= cover.needs.get(need, {}).get(STRENGTHS["primary"], 0)
    for rank in members(found):
        yield cover.positions[rank]


def _places(kb: KnowledgeBase, ask: Ask) -> list[tuple[int, list[str]]]:
    """The coverage index's places that cover the person, by the level they give (the levels
    of :func:`territory_level`, checked against it by the tests)."""
    commune = kb.territory.get(ask.profile.commune)
    wide = [(REGION_LEVEL, [f"a:{REGION_AREA}"]), (NATIONAL_LEVEL, [f"a:{NATIONAL_AREA}"])]
    if commune is not None:
        local = [(0, [f"c:{commune.insee}"]), (LOCAL_LEVEL, [f"a:{commune.epci}"])]
        return [*local, (ANYWHERE_LEVEL, ["a:haute-garonne"]), *wide]
    if ask.profile.commune is not None:
        return wide
    if ask.outside is not None:
        held = ask.outside.territory
        there = [f"a:{e}" for e in sorted(kb.territory.epcis_of.get(held or "", ()))]
        found = wide if ask.outside.in_region else [] if ask.outside.abroad else wide[1:]
        return [(ANYWHERE_LEVEL, [*there, f"a:{held}"]), *found] if held else found
    department = [f"a:{epci}" for epci in sorted(kb.territory.epcis)] + ["a:haute-garonne"]
    return [(ANYWHERE_LEVEL, department), *wide]


def _ceiling(ask: Ask, cover: Coverage) -> float:
    """The most an actor of the index can add to its needs and territory for this profile
    (stage, legal form, a published contact, focus, the kind asked for); a bound, never
    reached by more."""
    profile = ask.profile
    ceiling = FOCUS_BONUS + (KIND_BONUS if ask.kinds else 0.0)
    if profile.stage is not None:
        ceiling += STAGE_BONUS + (SPECIALIST_BONUS if profile.stage == RESCUE_STAGE else 0.0)
    if profile.legal_form not in NEUTRAL_FORMS:
        ceiling += FORM_BONUS + SPECIALIST_BONUS
    if any(reachable for *_, reachable in cover.traits):
        ceiling += REACHABLE_BONUS
    return ceiling


class _Tier(NamedTuple):
    most: float  # the most an actor of the tier can gain
    base: float  # the most its base can be
    level: int
    strengths: dict[str, float]  # need → the strength its actors have for it (0: none)
    actors: Bits  # its actors (none apart)

    @property
    def needs(self) -> frozenset[str]:
        """The needs its actors serve."""
        return frozenset(n for n, s in self.strengths.items() if s)


def _tiers(ask: Ask, cover: Coverage) -> list[_Tier]:
    """Each place covering the person with each combination of need strengths some of its
    actors have, the tier whose actors can gain the most first."""
    ceiling = _ceiling(ask, cover)
    tiers = [
        _Tier(
            TERRITORY_BONUS[level] + ceiling + sum(strengths),
            TERRITORY_BONUS[level] + ceiling,
            level,
            dict(zip(ask.needs, strengths, strict=True)),
            actors,
        )
        for level, places in _places(ask.kb, ask)
        for strengths, actors in _by_strengths(cover, places, ask.needs)
        if any(strengths)
    ]
    tiers.sort(key=lambda tier: -tier.most)
    return tiers


def _by_strengths(
    cover: Coverage, places: list[str], needs: tuple[str, ...]
) -> list[tuple[tuple[float, ...], Bits]]:
    """The actors of ``places`` (none apart) by their strength for each of ``needs``, the
    strengths in order and no empty set: split need by need, an empty part is split no
    further (most combinations of three or four needs have no actor)."""
    found = cover.covering(places)
    parts: list[tuple[tuple[float, ...], Bits]] = [((), found ^ (found & cover.apart))]
    for need in needs:
        parts = [
            ((*strengths, strength), actors)
            for strengths, whole in parts
            for strength, actors in sorted(cover.by_strength(whole, need).items())
            if actors
        ]
    return parts


class _Group(NamedTuple):
    base: float
    strengths: dict[str, float]
    model: Candidate  # the first actor of the group at the tier's level, scored
    level: int
    ranks: Iterator[int]  # the others, in the order of their ids


class _Opened:
    """The tiers' actors met while opening them: the pool they go to, and those already seen
    (one of them covering the person through several places is taken once)."""

    def __init__(
        self, ask: Ask, cover: Coverage, seen: set[int], floor: Floor, pool: list[Candidate]
    ) -> None:
        self.ask = ask
        self.cover = cover
        self.seen = seen
        self.floor = floor
        self.pool = pool
        self.listings: tuple[Bits, ...] = ()  # who lists the stage, the legal form
        self.kinds: list[Bits] = []  # the actors by the traits that score for this profile

    def _split(self, actors: Bits) -> Iterator[Bits]:
        """``actors`` by what sets their score beside their level and needs, for this profile:
        whether they list its stage and legal form, are of the kind asked for, the traits that
        make a bonus."""
        if not self.kinds:
            self._classes()
        parts = [actors]
        for listing in self.listings:
            parts = [
                part for whole in parts for part in (whole & listing, whole ^ (whole & listing))
            ]
        for whole in parts:
            rest = whole
            for kind in self.kinds:
                if not rest:
                    break
                if found := rest & kind:
                    yield found
                    rest ^= found

    def _classes(self) -> None:
        """What :meth:`_split` splits by (once a request: it depends on the profile)."""
        profile, cover = self.ask.profile, self.cover
        rescue = profile.stage == RESCUE_STAGE
        neutral = profile.legal_form in NEUTRAL_FORMS
        by_key: dict[tuple[bool, bool, int, bool], Bits] = {}
        for (stages, forms, primaries, reachable), actors in cover.traits.items():
            key = (
                rescue and stages <= SPECIALIST_MAX_STAGES,
                not neutral and forms <= SPECIALIST_MAX_FORMS,
                primaries,
                reachable,
            )
            by_key[key] = by_key.get(key, 0) | actors
        self.kinds = sorted(by_key.values(), key=lambda bits: -bits.bit_count())
        stage = cover.stages.get(profile.stage or "", 0)
        if profile.legal_form is None:  # who takes a project without a structure (the penalty)
            form = cover.legal_forms.get(NO_FORM_YET, 0)
        else:  # who takes their legal form (the bonus; for « undecided », the others exclude)
            unlisted = profile.legal_form in UNLISTED_FORMS
            form = 0 if unlisted else cover.legal_forms.get(str(profile.legal_form), 0)
        early = 0  # who takes a project at its start, when one is said with no stage (the penalty)
        if profile.stage is None and self.ask.inference.project:
            for stage_name in sorted(EARLY_STAGES):
                early |= cover.stages.get(stage_name, 0)
        near = self._near()
        kind = 0  # the actors of the kind asked for (:func:`beside_barred`: the bonus)
        for name in sorted(self.ask.kinds):
            kind |= cover.kinds.get(name, 0)
        self.listings = tuple(listing for listing in (stage, form, early, near, kind) if listing)

    def _near(self) -> Bits:
        """The actors serving where the person most likely is, when they name no commune (the
        others' penalty); none otherwise."""
        ask = self.ask
        likely = likely_here(ask.kb, ask.profile, ask.inference, ask.outside)
        if not likely:
            return 0
        places = [f"a:{REGION_AREA}", f"a:{NATIONAL_AREA}", f"a:{DEFAULT_TERRITORY}"]
        for insee in likely:
            commune = ask.kb.territory.communes[insee]
            places += [f"c:{insee}", f"a:{commune.epci}", f"a:{commune.territory}"]
        return self.cover.covering(places)

    def groups(self, tier: _Tier) -> Iterator[_Group]:
        """The tier's actors not seen yet (and not apart), by what sets their score."""
        for part in self._split(tier.actors):
            ranks = members(part)
            for rank in ranks:
                actor = self._next(rank, tier.level)
                if actor is None:
                    continue
                model = self.ask.score(actor)
                if isinstance(model, Candidate):
                    yield _Group(model.base, tier.strengths, model, tier.level, ranks)
                break  # else the whole group is excluded by the same lists

    def _next(self, rank: int, level: int) -> Actor | None:
        """The actor of ``rank`` when not seen yet and it covers the person at ``level``; one
        that covers them more narrowly through another place is scored into the pool."""
        position = self.cover.positions[rank]
        if position in self.seen:
            return None
        self.seen.add(position)
        actor = self.ask.kb.actors[position]
        if territory_level(self.ask.kb, actor, self.ask.profile.commune, self.ask.outside) == level:
            return actor
        if isinstance(found := self.ask.score(actor), Candidate):
            self.pool.append(found)
            self.floor.meet(found)
        return None

    def take(self, group: _Group) -> None:
        """The group's first ``limit`` actors into the pool (they score as its model does)."""
        taken = [group.model]
        while len(taken) < self.floor.limit:
            rank = next(group.ranks, None)
            if rank is None:
                break
            actor = self._next(rank, group.level)
            if actor is not None:
                taken.append(group.model._replace(actor=actor))
        for found in taken:
            self.floor.meet(found)
        self.pool += taken

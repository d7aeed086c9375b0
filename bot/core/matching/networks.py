"""Where nobody advises near the person: the networks stand in for a reception desk."""

from __future__ import annotations

import weakref
from dataclasses import replace

from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.matching.levels import territory_level
from bot.core.matching.profile import DEFAULT_NEED, Profile, said_in_difficulty
from bot.core.matching.results import Reason, Recommendation
from bot.core.matching.scoring import (
    IMPLIED_SIMILARITY,
    NEED_REASONS,
    PRIMARY,
    Ask,
    Candidate,
    relevant,
)
from bot.core.territory import OutsidePlace
from bot.core.understanding import Inference
from bot.core.vocabulary import vocabulary

NETWORK_NEED = "network"  # where nobody advises near the person: the networks that connect
CORE_HERE_KEPT = 4096  # places remembered per base by _core_here (then forgotten at once)


def networks_stand_in(
    kb: KnowledgeBase,
    profile: Profile,
    inference: Inference,
    needs: tuple[str, ...],
    outside: OutsidePlace | None,
) -> bool:
    """Whether the networks stand in for a reception desk: advice is all the person asks (or
    nothing at all), and no actor whose core work is advice covers them (the rest of the
    department, where the sources know only regional networks) in any of the communes they
    may be in (the one named, or those of an EPCI named or of a postal code several share:
    « 31800 »). Not when the words name a structure, or describe one that serves the person
    best of all or well: that is what they ask about; nor for a structure said to be in
    difficulty, whose route is consolidation (the financers that take it at that stage), not
    a network."""
    if needs != (DEFAULT_NEED,) or inference.named or said_in_difficulty(profile):
        return False
    said = (
        (profile.commune,) if profile.commune else tuple(c.insee for c in inference.shared_postal)
    )
    places: list[tuple[str | None, OutsidePlace | None]] = [(c, None) for c in said]
    places = places or ([(None, outside)] if outside else [])
    if not places:
        return False  # anywhere in the department: its advisers count
    for rank, (actor_id, likeness) in enumerate(inference.similar):
        described = rank == 0 or likeness >= IMPLIED_SIMILARITY  # the closest, or well described
        actor = kb.actor(actor_id)
        if described and actor and any(territory_level(kb, actor, *p) is not None for p in places):
            return False
    return all(
        not _core_here(kb, DEFAULT_NEED, *where) and _core_here(kb, NETWORK_NEED, *where)
        for where in places
    )


_Place = tuple[str, str | None, OutsidePlace | None]  # a need, a commune, a town elsewhere
_CORE_HERE: weakref.WeakKeyDictionary[KnowledgeBase, dict[_Place, bool]] = (
    weakref.WeakKeyDictionary()
)  # per base, so that a base let go of is not kept alive by the cache


def _core_here(
    kb: KnowledgeBase, need: str, commune: str | None, outside: OutsidePlace | None
) -> bool:
    """Whether an actor whose core work is ``need`` covers this commune (or town elsewhere)."""
    known = _CORE_HERE.setdefault(kb, {})
    key = (need, commune, outside)
    found = known.get(key)
    if found is None:
        if len(known) >= CORE_HERE_KEPT:
            known.clear()
        found = known[key] = any(
            kb.actors[p].core(need)
            and territory_level(kb, kb.actors[p], commune, outside) is not None
            for p in vocabulary(kb).by_need.get(need, ())
        )
    return found


def networks_only(
    ask: Ask, pool: list[Candidate], served: set[str]
) -> tuple[list[Candidate], set[str]]:
    """The networks whose core work it is (not another field's side service), those of the
    project's field if any (:func:`_of_field`), and the needs served counting the advice said
    that some structure here gives, if only on the side."""
    networks = [c for c in pool if c.actor.core(NETWORK_NEED)]
    fitting = [c for c in networks if _of_field(c.actor, ask)]
    said = ask.profile.needs
    return fitting or networks or pool, served | _served_here(replace(ask, needs=said))


def _of_field(actor: Actor, ask: Ask) -> bool:
    """Whether a network fits the project: the words bring it up, or its other core work is
    asked for (the work-integration networks, whose core work is also employment, do not fit
    « un café associatif » said in no words of theirs)."""
    asked = {NETWORK_NEED, *ask.profile.needs, *ask.implied}
    primaries = {n for n, s in actor.needs.items() if s >= PRIMARY}
    return ask.similar.get(actor.id, 0.0) > 0 or primaries <= asked


def _served_here(ask: Ask) -> set[str]:
    """The needs of ``ask`` that some actor here serves (the scan stops once each has one)."""
    left = set(ask.needs)
    for actor in relevant(ask.kb, ask.needs, {}, ()):
        if not left:
            break
        if left.intersection(actor.needs) and isinstance(ask.score(actor), Candidate):
            left.difference_update(actor.needs)
    return set(ask.needs) - left


def said_why(pick: Recommendation, need: str, reason: Reason) -> Recommendation:
    """``pick`` with ``reason`` after its need reasons, when it covers ``need``."""
    if need not in pick.needs_covered:
        return pick
    at = sum(1 for r in pick.reasons if r.key.startswith(NEED_REASONS))
    return replace(pick, reasons=(*pick.reasons[:at], reason, *pick.reasons[at:]))

"""Where nobody advises near the person: the networks stand in for a reception desk."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from bot.core.knowledge import KnowledgeBase
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
    scan,
)
from bot.core.territory import OutsidePlace
from bot.core.understanding import Inference
from bot.core.vocabulary import vocabulary

NETWORK_NEED = "network"  # where nobody advises near the person: the networks that connect


def networks_stand_in(
    kb: KnowledgeBase,
    profile: Profile,
    inference: Inference,
    needs: tuple[str, ...],
    outside: OutsidePlace | None,
) -> bool:
    """Whether the networks stand in for a reception desk: advice is all the person asks (or
    nothing at all), and no actor whose core work is advice covers them (the rest of the
    department, where the sources know only regional networks). Not when the words name a
    structure, or describe one that serves the person best of all or well: that is what they
    ask about; nor for a structure said to be in difficulty, whose route is consolidation (the
    financers that take it at that stage), not a network."""
    if needs != (DEFAULT_NEED,) or inference.named or said_in_difficulty(profile):
        return False
    if profile.commune is None and outside is None:
        return False  # anywhere in the department: its advisers count
    for rank, (actor_id, likeness) in enumerate(inference.similar):
        described = rank == 0 or likeness >= IMPLIED_SIMILARITY  # the closest, or well described
        actor = kb.actor(actor_id)
        if described and actor and territory_level(kb, actor, profile.commune, outside) is not None:
            return False
    where = (profile.commune, outside)
    return not _core_here(kb, DEFAULT_NEED, *where) and _core_here(kb, NETWORK_NEED, *where)


@lru_cache(maxsize=4096)
def _core_here(
    kb: KnowledgeBase, need: str, commune: str | None, outside: OutsidePlace | None
) -> bool:
    """Whether an actor whose core work is ``need`` covers this commune (or town elsewhere)."""
    return any(
        kb.actors[p].needs[need] >= PRIMARY
        and territory_level(kb, kb.actors[p], commune, outside) is not None
        for p in vocabulary(kb).by_need.get(need, ())
    )


def networks_only(
    ask: Ask, pool: list[Candidate], served: set[str]
) -> tuple[list[Candidate], set[str]]:
    """The networks whose core work it is (not another field's side service), and the needs
    served counting the advice said that some structure here gives, if only on the side."""
    networks = [c for c in pool if c.actor.needs.get(NETWORK_NEED, 0.0) >= PRIMARY]
    said = ask.profile.needs
    if said:
        advisers, _, _ = scan(replace(ask, needs=said), relevant(ask.kb, said, {}, ()))
        served = served | {n for n in said if any(n in c.actor.needs for c in advisers)}
    return networks or pool, served


def said_why(pick: Recommendation, need: str, reason: Reason) -> Recommendation:
    """``pick`` with ``reason`` after its need reasons, when it covers ``need``."""
    if need not in pick.needs_covered:
        return pick
    at = sum(1 for r in pick.reasons if r.key.startswith(NEED_REASONS))
    return replace(pick, reasons=(*pick.reasons[:at], reason, *pick.reasons[at:]))

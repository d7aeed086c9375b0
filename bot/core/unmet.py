"""The needs nothing serves at the person's stage: the structures that take the project later.

A need is unmet at the person's stage when every structure offering it starts at a later one
(a solidarity financer once the project is built). Saying so, with the stage they start at,
turns « I know no structure » into a next step; they are still not recommended now.
"""

from __future__ import annotations

from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.matching import MatchResult, covers

NAMES_SHOWN = 3
STAGE_REASON = "why_not.stage"


def later_for(kb: KnowledgeBase, result: MatchResult, need: str) -> tuple[str, list[Actor]] | None:
    """The first stage after the person's from which structures covering them offer ``need``
    as their own work, and those structures (excluded now by their stage only)."""
    stage = result.profile.stage
    order = list(kb.taxonomy.stages)
    if stage is None or stage not in order:
        return None
    waiting = [
        e.actor
        for e in result.excluded
        if e.reason.key == STAGE_REASON and e.actor.core(need) and covers(kb, e.actor, result)
    ]
    for later in order[order.index(stage) + 1 :]:
        taking = [a for a in waiting if later in a.stages]
        if taking:
            return later, taking[:NAMES_SHOWN]
    return None

"""Greedy picks: several needs covered rather than one need thrice."""

from __future__ import annotations

import heapq

from bot.core.matching.results import Reason, Recommendation
from bot.core.matching.scoring import Candidate, need_key

COVERED_AGAIN = 0.25


def gain(candidate: Candidate, needs: tuple[str, ...], covered: dict[str, int]) -> float:
    """What picking ``candidate`` adds now: its needs (a need already covered counts
    :data:`COVERED_AGAIN`) and its base score."""
    strengths = candidate.actor.needs
    return candidate.base + sum(
        strengths.get(n, 0.0) * (COVERED_AGAIN if covered.get(n) else 1.0) for n in needs
    )


def pick(
    pool: list[Candidate], needs: tuple[str, ...], limit: int, covered: dict[str, int]
) -> list[Recommendation]:
    """Greedy picks: each time the best gain, ties by id. Gains only fall as needs get
    covered, so a gain computed earlier bounds the current one: the heap is lazy (a candidate
    is re-scored only when it comes to the top), which keeps large bases fast."""
    heap = [(-round(gain(c, needs, covered), 9), c.actor.id, i) for i, c in enumerate(pool)]
    heapq.heapify(heap)
    picked: list[Recommendation] = []
    while heap and len(picked) < limit:
        _, actor_id, index = heapq.heappop(heap)
        current = -round(gain(pool[index], needs, covered), 9)
        if heap and (current, actor_id) > heap[0][:2]:
            heapq.heappush(heap, (current, actor_id, index))  # fell behind: try the next one
            continue
        best = pool[index]
        covers = tuple(n for n in needs if n in best.actor.needs)
        for n in covers:
            covered[n] = covered.get(n, 0) + 1
        need_reasons = tuple(Reason(need_key(best, n), (("need", n),)) for n in covers)
        picked.append(
            Recommendation(
                best.actor,
                round(-current, 4),
                covers,
                need_reasons + best.reasons,
                best.level,
                best.relaxed,
            )
        )
    return picked

"""A report read from the storage: the summary and the outcome figures of a scope, counted
in SQL (:mod:`bot.storage.aggregates`), never loaded row by row.

Every report goes through :func:`read_report`: the bot's ``/stats`` and weekly digest (through
:meth:`bot.service.OrientationService.report`) and ``aiguillage report`` alike.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.reports.outcomes import Outcomes, flag_window, outcomes_of
from bot.reports.summary import DemandSummary, summary_of
from bot.storage.aggregates import COUNTED_AT_ONCE, Scope
from bot.storage.port import StoragePort

MOST_STEPS = 100_000
"""A bound on the counting steps of one report (a step a day: three centuries of days)."""


@dataclass(frozen=True)
class Report:
    """What a report shows: the demand, and what became of it (None where nothing follows the
    orientations up: the terminal)."""

    summary: DemandSummary
    outcomes: Outcomes | None


async def count_past_days(
    storage: StoragePort, scope: Scope, guard: asyncio.Lock | None = None
) -> None:
    """Count the past days of ``scope`` not counted yet (after an upgrade),
    :data:`~bot.storage.aggregates.COUNTED_AT_ONCE` a step, each step with ``guard`` taken:
    the bot's conversations go on between two steps."""
    for _ in range(MOST_STEPS):
        async with guard or contextlib.nullcontext():
            if not await storage.count_days(scope, COUNTED_AT_ONCE):
                return


async def read_report(
    storage: StoragePort,
    scope: Scope,
    now: datetime,
    with_outcomes: bool = True,
    guard: asyncio.Lock | None = None,
    summed: Callable[[DemandSummary], object] | None = None,
) -> Report:
    """The report of ``scope``: its past days counted first (:func:`count_past_days`), then
    each part read in one call on the storage's thread and summed up in a thread, never on
    the event loop; ``summed`` is given the summary as soon as it is known (``/stats`` starts
    its chart then, while the outcomes are counted). The structures to check are those of the
    window before ``now`` (of the scope's territory)."""
    await count_past_days(storage, scope, guard)
    demand = await storage.demand(scope)
    summary = await asyncio.to_thread(summary_of, demand, scope.since, scope.until)
    if summed is not None:
        summed(summary)
    if not with_outcomes:
        return Report(summary, None)
    counts = await storage.outcome_counts(scope)
    unreached = await storage.unreached(*flag_window(now), scope.territory)
    return Report(summary, await asyncio.to_thread(outcomes_of, demand, counts, unreached))

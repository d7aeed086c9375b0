"""A report read from the storage: the summary and the outcome figures of a scope, counted
in SQL (:mod:`bot.storage.aggregates`), never loaded row by row.

Every report goes through :func:`read_report`: the bot's ``/stats`` and weekly digest (through
:meth:`bot.service.OrientationService.report`) and ``aiguillage report`` alike.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime

from bot.reports.outcomes import Outcomes, flag_window, outcomes_of
from bot.reports.summary import DemandSummary, summary_of
from bot.storage.aggregates import COUNTED_AT_ONCE, OutcomeCounts, Scope
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


async def _outcome_counts(
    storage: StoragePort, scope: Scope, now: datetime
) -> tuple[OutcomeCounts, dict[str, int]]:
    """The outcome counts of ``scope`` and the unreached structures of the window before
    ``now``."""
    counts = await storage.outcome_counts(scope)
    return counts, await storage.unreached(*flag_window(now), scope.territory)


async def read_report(
    storage: StoragePort,
    scope: Scope,
    now: datetime,
    with_outcomes: bool = True,
    guard: asyncio.Lock | None = None,
) -> Report:
    """The report of ``scope``: its past days counted first (:func:`count_past_days`), then
    the demand and the outcome figures counted side by side, each in calls on the storage's
    threads, and summed up in a thread: never on the event loop. The structures to check are
    those of the window before ``now`` (of the scope's territory)."""
    await count_past_days(storage, scope, guard)
    counting = asyncio.create_task(_outcome_counts(storage, scope, now)) if with_outcomes else None
    try:
        demand = await storage.demand(scope)
        summary = await asyncio.to_thread(summary_of, demand, scope.since, scope.until)
        if counting is None:
            return Report(summary, None)
        counts, unreached = await counting
    finally:
        if counting is not None:
            counting.cancel()
    return Report(summary, await asyncio.to_thread(outcomes_of, demand, counts, unreached))

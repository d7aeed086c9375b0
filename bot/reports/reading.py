"""A report read from the storage: the summary and the outcome figures of a scope, counted
in SQL (:mod:`bot.storage.aggregates`), never loaded row by row."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.reports.outcomes import Outcomes, flag_window, outcomes_of
from bot.reports.summary import DemandSummary, summary_of
from bot.storage.aggregates import Scope
from bot.storage.port import StoragePort


@dataclass(frozen=True)
class Report:
    """What a report shows: the demand, and what became of it (None where nothing follows the
    orientations up: the terminal)."""

    summary: DemandSummary
    outcomes: Outcomes | None


async def read_report(
    storage: StoragePort, scope: Scope, now: datetime, with_outcomes: bool = True
) -> Report:
    """The report of ``scope``, summed up in a thread (off the event loop); the structures to
    check are those of the window before ``now`` (of the scope's territory)."""
    demand = await storage.demand(scope)
    summary = await asyncio.to_thread(summary_of, demand, scope.since, scope.until)
    if not with_outcomes:
        return Report(summary, None)
    counts = await storage.outcome_counts(scope)
    unreached = await storage.unreached(*flag_window(now), scope.territory)
    return Report(summary, outcomes_of(demand, counts, unreached))

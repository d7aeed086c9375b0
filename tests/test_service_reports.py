"""The coordinators' report through the service (``OrientationService.report``), the one way
``/stats``, the weekly digest and ``aiguillage report`` read it: on the in-memory fake of the
storage interface, and on a real SQLite file of an old log whose past days are counted a day
at a time, the bot's lock let go between two days."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from support.bundled import KB
from support.memory_storage import MemoryStorage
from test_aggregates import NOW, old_log, records

from bot.core.catalogue import Catalogue
from bot.core.dialogue.engine import Dialogue
from bot.reports import summarise
from bot.service import OrientationService
from bot.storage import Storage
from bot.storage.aggregates import Scope

DAYS = 60
BOUND = 10_000
"""Turns of the watching task at most: a hang guard."""


def service_on(storage: MemoryStorage | Storage) -> OrientationService:
    dialogue = Dialogue(KB, Catalogue.load())
    return OrientationService(dialogue, storage, b"k" * 32, 365, clock=lambda: NOW)


async def test_the_report_is_the_one_counted_in_memory() -> None:
    logged = records(300, seed=11)
    memory = MemoryStorage()
    await memory.save_conversations(logged)
    scope = Scope(NOW - timedelta(days=DAYS), NOW, "haute-garonne")
    report = await service_on(memory).report(scope, asyncio.Lock())
    expected = summarise([r for r in logged if scope.holds(r)], scope.since, scope.until)
    assert report.summary == expected and expected.total > 0
    assert report.outcomes is None, "no follow-up is offered without a follow-up service"


async def test_an_old_log_is_counted_a_day_at_a_time_the_lock_let_go_between(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    logged = records(400, seed=12)
    old_log(path, logged)
    midnight = NOW.replace(hour=0)
    scope = Scope(midnight - timedelta(days=DAYS), midnight)
    lock = asyncio.Lock()
    seen: list[int] = []

    def counted_days() -> int:
        with closing(sqlite3.connect(path)) as db:
            return int(db.execute("SELECT COUNT(*) FROM report_days").fetchone()[0])

    async with await Storage.open(path) as storage:
        reading = asyncio.create_task(service_on(storage).report(scope, lock))
        for _ in range(BOUND):
            if reading.done():
                break
            async with lock:  # as a conversation's turn takes it
                seen.append(counted_days())
            await asyncio.sleep(0)
        report = await reading
    expected = summarise([r for r in logged if scope.holds(r)], scope.since, scope.until)
    assert report.summary == expected and expected.total > 0
    assert counted_days() == DAYS
    between = {n for n in seen if 0 < n < DAYS}
    assert len(between) > DAYS // 2, f"turns got in between the days only at {sorted(between)}"
    assert seen == sorted(seen), "a day counted is never counted again"

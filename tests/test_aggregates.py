"""The report counts of migration 9 (``report_counts``, kept by triggers): none at the upgrade
of an old log, counted when a report first reads a day (a few at a time), kept exact through
upserts, erasures and purges, read exactly over any period."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.config import REPO_KNOWLEDGE
from bot.core.records import ConversationRecord, Feedback, Outcome
from bot.reports import summarise, summary_of
from bot.reports.synthetic import load_demo_world, synthetic_conversations
from bot.storage import Storage
from bot.storage.aggregates import Scope, split_days
from bot.storage.rows import COLUMNS, to_row
from bot.storage.schema import MIGRATIONS

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
REPORT_COUNTS = 9
"""The migration that adds them."""


def records(count: int, seed: int) -> list[ConversationRecord]:
    world = load_demo_world(REPO_KNOWLEDGE)
    made = synthetic_conversations(world, count, seed, NOW)
    places = ("haute-garonne", "tarn", None)
    return [replace(r, territory=places[n % 3] if r.commune else None) for n, r in enumerate(made)]


def old_log(path: Path, rows: list[ConversationRecord]) -> None:
    """A log of schema 8 (before the report counts) holding ``rows``."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        for version, script in enumerate(MIGRATIONS[: REPORT_COUNTS - 1], start=1):
            db.executescript(f"BEGIN;{script}PRAGMA user_version = {version};COMMIT;")
        db.executemany(
            f"INSERT INTO conversations ({', '.join(COLUMNS)})"
            f" VALUES ({', '.join('?' * len(COLUMNS))})",
            [to_row(r) for r in rows],
        )


def scopes(rng: random.Random) -> list[Scope]:
    """Periods with bounds anywhere in a day, at midnight, within one day, empty, a year up to
    a moment of the day; each of every territory and of one."""
    midnight = datetime(2025, 3, 1, tzinfo=UTC)
    bounds: list[tuple[datetime | None, datetime | None]] = [
        (None, None),
        (midnight, None),
        (None, midnight + timedelta(days=30)),
        (midnight, midnight + timedelta(days=30)),
        (midnight + timedelta(hours=5), midnight + timedelta(hours=17)),
        (midnight + timedelta(days=3), midnight + timedelta(days=3)),
        (NOW - timedelta(days=365), NOW),  # /stats 12m
    ]
    for _ in range(6):
        since = NOW - timedelta(days=365 * rng.random())
        bounds.append((since, since + timedelta(days=60 * rng.random())))
    return [
        Scope(since, until, territory)
        for since, until in bounds
        for territory in (None, "haute-garonne")
    ]


async def assert_exact(storage: Storage, kept: list[ConversationRecord], seed: int) -> None:
    for scope in scopes(random.Random(seed)):
        expected = summarise([r for r in kept if scope.holds(r)], scope.since, scope.until)
        counted = summary_of(await storage.demand(scope), scope.since, scope.until)
        assert counted == expected, scope


async def test_an_old_log_is_counted_then_kept_exact(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    logged = records(600, seed=3)
    old_log(path, logged[:400])
    async with await Storage.open(path) as storage:
        await assert_exact(storage, logged[:400], seed=1)
        await storage.save_conversations(logged[400:])
        changed = [
            replace(r, outcome=Outcome.COMPLETED, feedback=Feedback.USEFUL, needs=("advice",))
            for r in logged[:50]
        ]
        moved = [replace(r, territory="tarn", commune="81004", stage=None) for r in logged[50:80]]
        await storage.save_conversations([*changed, *moved])
        kept = [*changed, *moved, *logged[80:]]
        await assert_exact(storage, kept, seed=2)
        gone = {r.user for r in kept[:40]}
        for user in gone:
            await storage.forget(user)
        kept = [r for r in kept if r.user not in gone]
        cutoff = NOW - timedelta(days=200)
        await storage.purge(cutoff)
        kept = [r for r in kept if r.started_at >= cutoff]
        await assert_exact(storage, kept, seed=3)
        assert await storage.count_conversations() == len(kept)


async def test_a_turn_that_changes_no_counted_column_leaves_the_counts(tmp_path: Path) -> None:
    [record] = records(1, seed=5)
    async with await Storage.open(tmp_path / "log.sqlite3") as storage:
        await storage.save_conversation(record)
        before = await storage.demand(Scope())
        later = record.updated_at + timedelta(minutes=3)
        await storage.save_conversation(replace(record, updated_at=later))
        assert await storage.demand(Scope()) == before
    with closing(sqlite3.connect(tmp_path / "log.sqlite3")) as db:
        tallies = {n for (n,) in db.execute("SELECT tally FROM report_counts")}
    assert tallies == {1}


def test_a_period_splits_into_whole_days_and_the_parts_at_its_ends() -> None:
    def at(day: int, hour: int = 0) -> datetime:
        return datetime(2025, 3, day, hour, tzinfo=UTC)

    assert split_days(Scope()) == (None, None, [])
    assert split_days(Scope(at(3), at(5))) == (date(2025, 3, 3), date(2025, 3, 5), [])
    first, end, edges = split_days(Scope(at(3, 10), at(5, 8), "tarn"))
    assert (first, end) == (date(2025, 3, 4), date(2025, 3, 5))
    assert edges == [Scope(at(3, 10), at(4), "tarn"), Scope(at(5), at(5, 8), "tarn")]
    assert split_days(Scope(at(3, 10), at(3, 12)))[2] == [Scope(at(3, 10), at(3, 12))]
    assert split_days(Scope(at(3, 10), at(3, 10)))[2] == []
    assert split_days(Scope(at(3, 10)))[2] == [Scope(at(3, 10), at(4))]


async def test_the_turns_of_today_write_no_count(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    [record] = records(1, seed=6)
    record = replace(record, started_at=now, updated_at=now, ended_at=None)
    async with await Storage.open(tmp_path / "log.sqlite3") as storage:
        await storage.save_conversation(record)
        await storage.save_conversation(replace(record, stage="idea", needs=("funding",)))
        counted = await storage.demand(Scope())
        assert counted.total == 1
        assert counted.keys["stage", "idea"] == counted.keys["need", "funding"] == 1
    with closing(sqlite3.connect(tmp_path / "log.sqlite3")) as db:
        assert db.execute("SELECT COUNT(*) FROM report_counts").fetchone() == (0,)
        assert db.execute("SELECT day FROM report_days").fetchall() == []


async def test_the_upgrade_counts_no_day_then_the_past_days_are_counted_a_few_at_a_time(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    logged = records(500, seed=8)
    old_log(path, logged[:300])
    midnight = NOW.replace(hour=0)
    scope = Scope(midnight - timedelta(days=60), midnight)

    def counted_days() -> int:
        with closing(sqlite3.connect(path)) as db:
            return int(db.execute("SELECT COUNT(*) FROM report_days").fetchone()[0])

    async with await Storage.open(path) as storage:
        assert counted_days() == 0, "migration 9 counts nothing"
        left, calls, kept = True, 0, list(logged[:300])
        while left and calls < 20:
            left = await storage.count_days(scope, 7)
            calls += 1
            assert counted_days() == min(7 * calls, 60)
            fresh = logged[300 + 20 * calls : 320 + 20 * calls]  # some on counted days
            changed = [replace(r, stage="idea", needs=("funding",)) for r in kept[calls::25]]
            await storage.save_conversations([*fresh, *changed])
            kept = [*{r.id: r for r in [*kept, *fresh, *changed]}.values()]
        assert (calls, left) == (9, False)
        assert not await storage.count_days(scope, 7)
        await assert_exact(storage, kept, seed=4)

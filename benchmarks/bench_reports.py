"""The reports at scale, counted in SQL: a demand log of 1,000,000 conversations.

900,000 synthetic conversations spread over nine territories are written by one
``executemany`` in one transaction into a log of schema 7, which then migrates (migration 9
counts no day); 100,000 more, in Haute-Garonne (« a busy territory »), carry follow-ups,
answers and hand-offs; then every day before today is counted into ``report_counts``, a day a
transaction, as the first ``/stats`` after the upgrade does. ``run()`` prints, each beside the
time of a plain scan of the same table in the same run (``SELECT COUNT(needs)``, reading every
row) and the machine's load (``uptime``), so the figure can be read on a loaded machine:

- the HTML report over the 1,000,000 conversations (target < 5 s);
- ``/stats 12m`` of the busy territory, as the bot computes it, chart included (< 1 s), the
  time until its summary is sent (its chart still drawn then), and the longest the event loop
  was held meanwhile (≤ 50 ms), beside the same report summed on the loop as before
  (``summed_on_loop``);
- the HTML report over its 100,000 orientations with their outcomes (< 3 s).
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

from benchmarks import report
from bot.adapters.telegram.coordinators import stats
from bot.adapters.telegram.runtime import Runtime
from bot.chatseal import ChatSeal
from bot.config import REPO_KNOWLEDGE, load_settings
from bot.core.catalogue import Catalogue
from bot.core.dialogue.engine import Dialogue
from bot.core.loader import load_knowledge
from bot.core.territory import DEFAULT_TERRITORY
from bot.followup.model import Answer, Followup, Given, Status
from bot.followup.service import FollowupService
from bot.reports import (
    Labels,
    chart,
    load_labels,
    read_report,
    render_html,
    render_text,
    stats_picture,
    summary_of,
)
from bot.reports.outcomes import flag_window, outcomes_of
from bot.reports.synthetic import (
    DemoWorld,
    generate_conversations,
    load_demo_world,
    person,
    started_at,
)
from bot.service import OrientationService
from bot.storage import Storage
from bot.storage.aggregates import COUNTED_AT_ONCE, Scope
from bot.storage.handoffs import Handoff
from bot.storage.handoffs import Status as Sent
from bot.storage.rows import COLUMNS, Row, to_row
from bot.storage.schema import MIGRATIONS

TOTAL = 1_000_000
POOL = 20_000
"""Conversations drawn by the generator, whose answers the 900,000 rows take again."""
BUSY = 100_000
OTHER_TERRITORIES = tuple(f"territoire-{n}" for n in range(1, 10))
FILL_CACHE_KIB = 512 * 1024
TARGET_FILL_PER_SECOND = 20_000.0
TARGET_HTML_SECONDS = 5.0
TARGET_STATS_SECONDS = 1.0
TARGET_OUTCOMES_SECONDS = 3.0
TARGET_LOOP_STALL_MS = 50.0
TICK = 0.005
ROUNDS = 3
T = TypeVar("T")
REPORT_INDEXES = 8
"""The migration that adds them."""
COMMUNE = COLUMNS.index("commune")
ANSWERS = slice(COLUMNS.index("source"), COLUMNS.index("territory"))
"""The columns a row takes from its pool conversation: all but the id, person, times and
territory (the last column)."""


def _text(moment: datetime) -> str:
    """``iso()`` of a naive UTC ``moment``, in half the time."""
    return f"{moment.isoformat(timespec='microseconds')}+00:00"


def _elsewhere(world: DemoWorld, now: datetime) -> Iterator[Row]:
    """The rows of the other territories, made one at a time: each takes the answers of one
    of :data:`POOL` generated conversations (stage, needs, commune, results…), with its own
    id, person, start time (its durations kept) and one of the nine territories."""
    rng = random.Random(2)
    pool = [
        (r.updated_at - r.started_at, r.ended_at and r.ended_at - r.started_at, to_row(r))
        for r in generate_conversations(world, POOL, 2, now)
    ]
    answers = [(updated, ended, row[ANSWERS], bool(row[COMMUNE])) for updated, ended, row in pool]
    users: list[str] = []
    naive = now.replace(tzinfo=None)
    for n in range(TOTAL - BUSY):
        updated, ended, answered, placed = answers[rng.randrange(POOL)]
        start = started_at(rng, naive)
        last = _text(start + updated)
        yield (
            f"demo-2-{n:07d}",
            person(rng, users),
            _text(start),
            last,
            None if ended is None else last if ended == updated else _text(start + ended),
            *answered,
            OTHER_TERRITORIES[n % len(OTHER_TERRITORIES)] if placed else None,
        )


def fill(path: Path, now: datetime) -> float:
    """Write the 900,000 rows in one transaction into a log of schema 7 (before the report
    indexes, as a log that grew before this version), its indexes built once after the rows
    rather than kept at each; rows per second."""
    world = load_demo_world(REPO_KNOWLEDGE)
    started = time.perf_counter()
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for version, script in enumerate(MIGRATIONS[: REPORT_INDEXES - 1], start=1):
            db.executescript(f"BEGIN;{script}PRAGMA user_version = {version};COMMIT;")
        db.execute(f"PRAGMA cache_size = -{FILL_CACHE_KIB}")
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute("BEGIN")
        indexes = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name = 'conversations'"
        ).fetchall()
        for name, _ in indexes:
            db.execute(f"DROP INDEX {name}")
        db.executemany(
            f"INSERT INTO conversations ({', '.join(COLUMNS)})"
            f" VALUES ({', '.join('?' * len(COLUMNS))})",
            _elsewhere(world, now),
        )
        for _, sql in indexes:
            db.execute(sql)
        db.execute("COMMIT")
    finally:
        db.close()
    return (TOTAL - BUSY) / (time.perf_counter() - started)


def report_indexes(path: Path) -> float:
    """Seconds of migration 8 (the report indexes, which 9 drops) over the filled log."""
    started = time.perf_counter()
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        script = MIGRATIONS[REPORT_INDEXES - 1]
        db.executescript(f"BEGIN;{script}PRAGMA user_version = {REPORT_INDEXES};COMMIT;")
    return time.perf_counter() - started


async def count_past_days(storage: Storage) -> tuple[float, float]:
    """Seconds to count every day before today, a day a transaction as ``/stats`` does after
    the upgrade (each one with the bot's lock held), and the longest of them."""
    started, longest, more = time.perf_counter(), 0.0, True
    while more:
        day = time.perf_counter()
        more = await storage.count_days(Scope(), COUNTED_AT_ONCE)
        longest = max(longest, time.perf_counter() - day)
    return time.perf_counter() - started, longest


async def busy_territory(storage: Storage, now: datetime) -> None:
    """100,000 orientations in Haute-Garonne: half offered a follow-up (a third declined), a
    third of those answered, one in twenty handed over to a structure."""
    world = load_demo_world(REPO_KNOWLEDGE)
    records = [
        replace(r, territory=DEFAULT_TERRITORY) for r in generate_conversations(world, BUSY, 1, now)
    ]
    offers, answers, handoffs = [], [], []
    for n, record in enumerate(records):
        if not record.recommended:
            continue
        first = record.recommended[0]
        if n % 20 == 0:
            handoffs.append(
                (
                    Handoff(f"h{n}", record.user, record.id, first, record.started_at, Sent.QUEUED),
                    (Sent.DELIVERED, Sent.GIVEN_UP, None)[n % 3],
                )
            )
        if n % 2:
            continue
        status = Status.DONE if n % 3 else Status.DECLINED
        offers.append(
            Followup(record.id, record.user, "fr", record.recommended, record.started_at, status, 1)
        )
        if status is Status.DONE and n % 9 < 3:
            answer = (Answer.REACHED, Answer.NO_ANSWER, Answer.WRONG)[n % 9]
            answers.append(Given(record.id, first, record.user, 1, answer, record.started_at))
    await storage.save_conversations(records)
    await storage.followups.offer(*offers)
    await storage.followups.answer(*answers)
    for handoff, ended in handoffs:
        await storage.handoffs.add(handoff, "sealed", "fr", "message")
        if ended is not None:
            await storage.handoffs.finish(handoff.id, ended, now)


def variety(path: Path) -> dict[str, int]:
    """How varied the log is: its distinct lists of needs and of recommendations, profiles
    (stage, legal form, source, commune), and the rows of ``report_counts`` they make."""
    queries = {
        "needs lists": "SELECT COUNT(DISTINCT needs) FROM conversations",
        "recommendation lists": "SELECT COUNT(DISTINCT recommended) FROM conversations",
        "profiles": "SELECT COUNT(*) FROM"
        " (SELECT DISTINCT stage, legal_form, source, commune FROM conversations)",
        "report_counts rows": "SELECT COUNT(*) FROM report_counts",
    }
    with closing(sqlite3.connect(path)) as db:
        return {name: int(db.execute(sql).fetchone()[0]) for name, sql in queries.items()}


def load() -> str:
    """The machine's load averages, as ``uptime`` prints them."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def baseline(path: Path) -> float:
    """Seconds of a plain scan reading every row of the table."""
    db = sqlite3.connect(path)
    try:
        started = time.perf_counter()
        db.execute("SELECT COUNT(needs) FROM conversations").fetchall()
        return time.perf_counter() - started
    finally:
        db.close()


async def html_seconds(storage: Storage, scope: Scope, labels: Labels) -> tuple[float, float]:
    """Seconds to read (count) the report of ``scope``, and to read it and render it as HTML
    (9 charts drawn)."""
    started = time.perf_counter()
    read = await read_report(storage, scope, datetime.now(UTC))
    counted = time.perf_counter() - started
    render_html(read.summary, labels, outcomes=read.outcomes)
    return counted, time.perf_counter() - started


async def held(work: Awaitable[T]) -> tuple[T, float, float]:
    """``work``'s result, its seconds and the longest the event loop was held meanwhile (ms)."""
    stall = 0.0
    done = asyncio.Event()

    async def watch() -> None:
        nonlocal stall
        while not done.is_set():
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            stall = max(stall, time.perf_counter() - before - TICK)

    watcher = asyncio.create_task(watch())
    started = time.perf_counter()
    result = await work
    seconds = time.perf_counter() - started
    done.set()
    await watcher
    return result, seconds, stall * 1000


async def summed_on_loop(service: OrientationService, scope: Scope, labels: Labels) -> str:
    """The ``/stats`` text of ``scope`` as it was made before the report moved off the event
    loop: the same counts, read one after the other, summed up and written on the loop (the
    baseline of the hold, in the same run)."""
    storage = service.storage
    demand = await storage.demand(scope)
    summary = summary_of(demand, scope.since, scope.until)
    counts = await storage.outcome_counts(scope)
    unreached = await storage.unreached(*flag_window(service.clock()), scope.territory)
    return render_text(summary, "fr", labels, outcomes=outcomes_of(demand, counts, unreached))


async def answered(runtime: Runtime, period: timedelta) -> tuple[float, bytes]:
    """``/stats`` of ``period`` in the busy territory: the seconds until its summary is ready
    (the first message sent), and its chart."""
    started = time.perf_counter()
    content = await stats(runtime, period, DEFAULT_TERRITORY)
    summed = time.perf_counter() - started
    picture = await content.chart_png
    assert picture is not None, "the chart was drawn"
    return summed, picture


async def stats_seconds(storage: Storage, labels: Labels) -> dict[str, float]:
    """``/stats 12m haute-garonne`` through the bot's own code, :data:`ROUNDS` times: its
    median seconds until its chart is drawn and until its summary is ready, and the longest
    the event loop was held meanwhile (ms); beside it, the
    median seconds and longest hold of the same report summed on the loop as before (no
    chart), the longest hold while the report is read as ``/stats`` reads it (no chart),
    while its chart is drawn in a thread of this process, and while idle as long."""
    kb = load_knowledge(REPO_KNOWLEDGE)
    cat = Catalogue.load()
    clock = partial(datetime.now, UTC)
    followups = FollowupService(
        storage.followups, ChatSeal(b"k" * 32), kb, cat, (10.0, 30.0), None, clock
    )
    service = OrientationService(Dialogue(kb, cat), storage, b"k" * 32, 365, followups=followups)
    runtime = Runtime(load_settings(), service, labels)
    await asyncio.wrap_future(runtime.drawer.warm())  # as the bot does at start
    year = timedelta(days=365)
    now = clock()
    summary = (await service.report(Scope(now - year, now, DEFAULT_TERRITORY))).summary
    picture = stats_picture(summary, labels)
    seconds: list[float] = []
    before: list[float] = []
    summaries: list[float] = []
    stalls: dict[str, list[float]] = {
        "stall": [],
        "before_stall": [],
        "report": [],
        "thread": [],
        "idle": [],
    }
    try:
        for _ in range(ROUNDS):
            (summed, _), took, stall = await held(answered(runtime, year))
            seconds.append(took)
            summaries.append(summed)
            stalls["stall"].append(stall)
            scope = Scope(clock() - year, clock(), DEFAULT_TERRITORY)
            _, took_before, stall_before = await held(summed_on_loop(service, scope, labels))
            before.append(took_before)
            stalls["before_stall"].append(stall_before)
            stalls["report"].append((await held(service.report(scope)))[2])
            stalls["thread"].append((await held(asyncio.to_thread(chart.png, *picture)))[2])
            stalls["idle"].append((await held(asyncio.sleep(took)))[2])
    finally:
        runtime.drawer.close()
    medians = {
        "stats": statistics.median(seconds),
        "summary": statistics.median(summaries),
        "before": statistics.median(before),
    }
    return medians | {k: max(v) for k, v in stalls.items()}


async def measure(path: Path) -> tuple[dict[str, float], dict[str, int]]:
    """Build the log, then time the three reports; and the log's variety."""
    now = datetime.now(UTC)
    figures = {"fill": fill(path, now), "migrate8": report_indexes(path)}
    labels = load_labels(REPO_KNOWLEDGE)
    started = time.perf_counter()
    async with await Storage.open(path) as storage:
        figures["migrate"] = time.perf_counter() - started
        await busy_territory(storage, now)
        figures["count_days"], figures["longest_day"] = await count_past_days(storage)
        figures["baseline"] = baseline(path)
        started = time.perf_counter()
        chart.warm()  # drawn here, as the ``report`` command does
        figures["import"] = time.perf_counter() - started
        figures["read"], figures["html"] = await html_seconds(storage, Scope(), labels)
        figures["reread"], _ = await html_seconds(storage, Scope(), labels)
        figures |= await stats_seconds(storage, labels)
        busy = Scope(territory=DEFAULT_TERRITORY)
        figures["read_outcomes"], figures["outcomes"] = await html_seconds(storage, busy, labels)
    return figures, variety(path)


def run() -> None:
    """Print the report figures at 1,000,000 conversations."""
    with tempfile.TemporaryDirectory() as folder:
        figures, varied = asyncio.run(measure(Path(folder) / "reports.sqlite3"))
    scan = figures["baseline"]
    print(f"machine: {load()}")
    print(f"baseline: a plain scan of the {TOTAL:,} rows takes {scan:.2f} s")
    print("distinct in the log: " + ", ".join(f"{n:,} {name}" for name, n in varied.items()))
    print(
        f"migration 8 (the report indexes) over {TOTAL - BUSY:,} rows: {figures['migrate8']:.1f} s"
    )
    print(f"the upgrade from schema 8 (migration 9, no day counted): {figures['migrate']:.1f} s")
    print(
        f"every day before today counted once, as the first /stats does after it:"
        f" {figures['count_days']:.1f} s, one day at most {figures['longest_day']:.2f} s"
    )
    print(f"the chart library imported (once, before the reports): {figures['import']:.2f} s")
    print(
        f"counted again, every day before today counted by then: {figures['reread']:.2f} s"
        f" = {figures['reread'] / scan:.1f} × the plain scan"
    )
    report("reports.fill_executemany", figures["fill"], "rows/s", TARGET_FILL_PER_SECOND)
    for key, name, target in (
        ("read", "reports.counted_1m (no chart)", TARGET_HTML_SECONDS),
        ("html", "reports.html_1m", TARGET_HTML_SECONDS),
        ("stats", "reports.stats_12m_busy_territory", TARGET_STATS_SECONDS),
        ("summary", "reports.stats_12m_summary_sent", TARGET_STATS_SECONDS),
        ("read_outcomes", "reports.counted_100k_with_outcomes", TARGET_OUTCOMES_SECONDS),
        ("outcomes", "reports.html_100k_with_outcomes", TARGET_OUTCOMES_SECONDS),
    ):
        report(name, figures[key], "s", target, higher_is_better=False)
        print(f"  = {figures[key] / scan:.1f} × the plain scan")
    report(
        "reports.stats_loop_stall",
        figures["stall"],
        "ms",
        TARGET_LOOP_STALL_MS,
        higher_is_better=False,
    )
    print(
        f"  the loop held at most, over {ROUNDS} rounds in the same run: {figures['idle']:.0f} ms"
        f" idle as long (the machine's noise), {figures['report']:.0f} ms reading the same"
        f" report without its chart, {figures['before_stall']:.0f} ms reading it with its sums"
        f" on the loop as before ({figures['before']:.2f} s, median, without the chart),"
        f" {figures['thread']:.0f} ms drawing the chart in a thread of this process"
    )

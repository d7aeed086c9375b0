"""Demand-log throughput and report build time, on a temporary SQLite file.

``run()`` prints: conversations saved per second one call at a time and in batches, then the
time to build the HTML report over 100,000 conversations, from memory and from the database.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import report
from bot.config import REPO_KNOWLEDGE
from bot.core.records import ConversationRecord
from bot.reports import load_labels, render_html, summarise
from bot.reports.synthetic import load_demo_world, synthetic_conversations
from bot.storage import Storage

SINGLE_SAVES = 5_000
REPORT_CONVERSATIONS = 100_000
BATCH = 10_000
TARGET_PER_SECOND = 1_000.0
TARGET_REPORT_SECONDS = 3.0


def _html_seconds(records: list[ConversationRecord]) -> float:
    started = time.perf_counter()
    render_html(summarise(records), load_labels(REPO_KNOWLEDGE))
    return time.perf_counter() - started


async def _measure(path: Path, records: list[ConversationRecord]) -> tuple[float, float, float]:
    async with await Storage.open(path) as storage:
        started = time.perf_counter()
        for record in records[:SINGLE_SAVES]:
            await storage.save_conversation(record)
        single = SINGLE_SAVES / (time.perf_counter() - started)
        started = time.perf_counter()
        for start in range(0, len(records), BATCH):
            await storage.save_conversations(records[start : start + BATCH])
        batched = len(records) / (time.perf_counter() - started)
    started = time.perf_counter()
    async with await Storage.open(path) as storage:
        loaded = await storage.conversations()
    render_html(summarise(loaded), load_labels(REPO_KNOWLEDGE))
    return single, batched, time.perf_counter() - started


def run() -> None:
    """Print the storage and report figures."""
    world = load_demo_world(REPO_KNOWLEDGE)
    records = synthetic_conversations(world, REPORT_CONVERSATIONS, 1, datetime.now(UTC))
    with tempfile.TemporaryDirectory() as folder:
        single, batched, from_db = asyncio.run(_measure(Path(folder) / "bench.sqlite3", records))
    report("storage.save_conversation", single, "conv/s", TARGET_PER_SECOND)
    report("storage.save_conversations_batched", batched, "conv/s", TARGET_PER_SECOND)
    seconds = _html_seconds(records)
    report(
        "report.html_100k_in_memory", seconds, "s", TARGET_REPORT_SECONDS, higher_is_better=False
    )
    report("report.html_100k_from_db", from_db, "s", TARGET_REPORT_SECONDS, higher_is_better=False)

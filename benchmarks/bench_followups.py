"""Follow-ups at scale: 10,000 due at once, sent by ``aiguillage serve`` through the real PTB
stack to a Bot API on 127.0.0.1, the bot SIGKILLed :data:`KILLS` times (each at a random
moment after a share of the messages) and restarted; then the report over 100,000
orientations with their outcomes, beside the same report without them.

At each kill, with the bot dead, the database says which follow-ups were in flight: marked
« sending » (the one request out, counted as sent at the next start: at most once), split by
whether the Bot API had received it (delivered) or not (lost by that rule); and any marked
neither yet received (it would go twice). Figures: none twice; lost at most one per kill; the
peak rate over any second under Telegram's ≈30 messages/s; the pace beside bare PTB sending
unpaced to the same server in the same run (the baseline: what the machine could do).
``BENCH_FOLLOWUPS`` sets the number (default 10,000: about seven minutes at 25 a second),
``BENCH_FOLLOWUP_KILLS`` the rounds.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.fake_bot_api import FakeBotApi, JSONDict  # noqa: E402
from telegram import Bot  # noqa: E402

from benchmarks import report  # noqa: E402
from benchmarks.bench_reports import BUSY, busy_territory, load  # noqa: E402
from bot.chatseal import ChatSeal  # noqa: E402
from bot.core.catalogue import Catalogue  # noqa: E402
from bot.core.loader import load_knowledge  # noqa: E402
from bot.followup.service import FollowupService  # noqa: E402
from bot.reports import load_labels, read_report, render_html  # noqa: E402
from bot.reports.chart import warm  # noqa: E402
from bot.storage import Storage  # noqa: E402
from bot.storage.aggregates import Scope  # noqa: E402

COUNT = int(os.environ.get("BENCH_FOLLOWUPS", "10000"))
TARGET_REPORT_SECONDS = 3.0
SECRET = "b" * 32
FIRST_CHAT = 3_000_000
TELEGRAM_LIMIT = 30.0
BASELINE_SECONDS = 2.0
KILLS = int(os.environ.get("BENCH_FOLLOWUP_KILLS", "9"))
"""SIGKILL rounds, evenly spread (9: after every tenth of the messages)."""
KILL_JITTER = 0.1
"""Each kill waits up to this many seconds more (the moment falls anywhere in a send)."""


class TimedApi(FakeBotApi):
    """The fake Bot API, noting when each message arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[tuple[float, int]] = []

    def _send_message(self, params: JSONDict) -> JSONDict:
        self.arrivals.append((time.monotonic(), int(params["chat_id"])))
        return super()._send_message(params)


async def fill(db: Path) -> None:
    """``COUNT`` follow-ups accepted eleven days ago, all due (the second on day 30)."""
    async with await Storage.open(db) as storage:
        service = FollowupService(
            storage.followups,
            ChatSeal(SECRET.encode()),
            load_knowledge(ROOT / "knowledge"),
            Catalogue.load(),
            (10.0, 30.0),
            None,
            lambda: datetime.now(UTC) - timedelta(days=11),
        )
        for n in range(COUNT):
            chat = FIRST_CHAT + n
            await service.offer(f"p{n}", chat, f"{n:032x}", "fr", ("urscop", "adepes"), True)


async def spawn(api: FakeBotApi, db: Path, log: Path) -> asyncio.subprocess.Process:
    env = os.environ | {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "AIGUILLAGE_DB": str(db),
        "AIGUILLAGE_SECRET": SECRET,
        "AIGUILLAGE_FOLLOWUP_HOURS": "always",
    }
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", env=env, cwd=ROOT, stdout=sink, stderr=sink
        )


async def baseline(api: TimedApi) -> float:
    """Messages per second bare PTB sends to the same server, one after another, unpaced."""
    async with Bot(api.token, base_url=api.base_url) as bot:
        sent, start = 0, time.monotonic()
        while time.monotonic() - start < BASELINE_SECONDS:
            await bot.send_message(1, "baseline")
            sent += 1
    api.arrivals.clear()
    return sent / (time.monotonic() - start)


def peak(arrivals: list[float]) -> int:
    """The most messages within any one second."""
    best, first = 0, 0
    for last, at in enumerate(arrivals):
        while at - arrivals[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


def in_flight(db: Path, received: set[int]) -> tuple[int, int, int]:
    """With the bot dead: follow-ups « sending » the Bot API received, « sending » it did not,
    and received but marked neither (each would go again)."""
    with closing(sqlite3.connect(db)) as con:
        rows = con.execute("SELECT conversation_id, status, sent FROM followups").fetchall()
    sending = {int(c, 16) + FIRST_CHAT for c, status, _ in rows if status == "sending"}
    unmarked = {
        int(c, 16) + FIRST_CHAT for c, status, sent in rows if status != "sending" and not sent
    }
    return len(sending & received), len(sending - received), len(unmarked & received)


async def measure() -> dict[str, Any]:
    rounds: list[tuple[int, int, int, int]] = []
    with tempfile.TemporaryDirectory() as folder:
        db, log = Path(folder) / "bench.sqlite3", Path(folder) / "bot.log"
        await fill(db)
        async with TimedApi() as api:
            unpaced = await baseline(api)
            bound = COUNT / 20 + 120
            process = await spawn(api, db, log)
            try:
                for kill in range(1, KILLS + 1):
                    share = COUNT * kill // (KILLS + 1)
                    await api.wait_for(lambda _, share=share: len(api.arrivals) >= share, bound)
                    await asyncio.sleep(random.uniform(0, KILL_JITTER))
                    process.kill()  # SIGKILL: no shutdown, no flush
                    await process.wait()
                    received = {chat for _, chat in api.arrivals}
                    rounds.append((len(api.arrivals), *in_flight(db, received)))
                    process = await spawn(api, db, log)
                await api.wait_for(lambda _: marked(db) >= COUNT, bound)
                await asyncio.sleep(2.0)  # room for a late duplicate
            finally:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.wait(), 30)
        per_chat = Counter(chat for _, chat in api.arrivals)
        times = [at for at, _ in api.arrivals]
        first_kill = rounds[0][0]
        return {
            "unpaced": unpaced,
            "rounds": rounds,
            "lost": COUNT - len(per_chat),
            "twice": sum(n - 1 for n in per_chat.values()),
            "peak": peak(times),
            "rate": (first_kill - 1) / (times[first_kill - 1] - times[0]),
            "marked": marked(db),
        }


def marked(db: Path) -> int:
    """How many follow-ups are marked sent (or counted as sent)."""
    with closing(sqlite3.connect(db)) as con:
        return int(con.execute("SELECT COUNT(*) FROM followups WHERE sent").fetchone()[0])


async def with_outcomes(path: Path) -> tuple[float, float]:
    """Seconds to read and render the HTML report of ``BUSY`` orientations, without and with
    their outcomes (the busy territory of ``bench_reports``), the database open, its days
    counted and the chart library imported first, as in a running bot."""
    labels = load_labels(ROOT / "knowledge")
    warm()
    timings = []
    async with await Storage.open(path) as storage:
        await busy_territory(storage, datetime.now(UTC))
        started = time.perf_counter()
        await storage.demand(Scope())
        print(f"the year's days counted, once: {time.perf_counter() - started:.2f} s")
        for outcomes_too in (False, True):
            started = time.perf_counter()
            read = await read_report(storage, Scope(), datetime.now(UTC), outcomes_too)
            render_html(read.summary, labels, outcomes=read.outcomes)
            timings.append(time.perf_counter() - started)
    return timings[0], timings[1]


def run() -> None:
    """Print the follow-up figures."""
    with tempfile.TemporaryDirectory() as folder:
        without, with_them = asyncio.run(with_outcomes(Path(folder) / "report.sqlite3"))
    print(f"machine: {load()}; {BUSY:,} orientations")
    report(
        "report.html_100k_from_db, no outcomes",
        without,
        "s",
        TARGET_REPORT_SECONDS,
        higher_is_better=False,
    )
    report(
        "report.html_100k_with_outcomes",
        with_them,
        "s",
        TARGET_REPORT_SECONDS,
        higher_is_better=False,
    )
    report("with outcomes / without", with_them / without, "ratio", 2.0, higher_is_better=False)
    figures = asyncio.run(measure())
    print(f"{COUNT:,} follow-ups due; {KILLS} SIGKILLs, each followed by a restart")
    for arrived, delivered, undelivered, unmarked in figures["rounds"]:
        print(
            f"  killed after {arrived:,} received: in flight {delivered + undelivered}"
            f" ({delivered} received, {undelivered} not), received but unmarked {unmarked}"
        )
    report("follow-ups lost", figures["lost"], "messages", KILLS, higher_is_better=False)
    report("follow-ups sent twice", figures["twice"], "messages", 0, higher_is_better=False)
    report("follow-ups marked sent", figures["marked"], "of all", COUNT)
    report(
        "peak follow-ups in one second",
        figures["peak"],
        "msg/s",
        TELEGRAM_LIMIT,
        higher_is_better=False,
    )
    report(
        "follow-up rate, before the kill",
        figures["rate"],
        "msg/s",
        TELEGRAM_LIMIT,
        higher_is_better=False,
    )
    report("unpaced PTB to the same server", figures["unpaced"], "msg/s", TELEGRAM_LIMIT)
    report(
        "follow-up rate / unpaced",
        figures["rate"] / figures["unpaced"],
        "ratio",
        1.0,
        higher_is_better=False,
    )


if __name__ == "__main__":
    run()

"""The ``/stats`` chart drawn in its own process (``bot.reports.drawing``): the bot's process
never imports matplotlib; a killed worker is started again, a worker killed while drawing or
too slow gives the coordinator the summary and a one-line message; stopping the bot stops it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import BotUnderTest, running_bot, settings_for, texts
from support.fake_bot_api import FakeBotApi
from telegram.ext import CommandHandler

from bot.adapters.telegram.coordinators import Coordinators
from bot.reports import chart, stats_picture, summarise
from bot.reports.drawing import Drawer, DrawingFailed

COORDINATOR = 424242
PNG = b"\x89PNG\r\n\x1a\n"
BOUND = 30.0
"""Seconds any wait here may take: a hang guard (a worker's start imports matplotlib)."""
POLL = 0.02
PICTURE = stats_picture(summarise([]))


async def started(drawer: Drawer) -> int:
    """The worker's process id, once it runs (started if need be)."""
    drawer.warm()
    for _ in range(int(BOUND / POLL)):
        if drawer.pid is not None:
            return drawer.pid
        await asyncio.sleep(POLL)
    raise AssertionError(f"no worker after {BOUND} s")


async def gone(pid: int) -> None:
    """Wait until process ``pid`` no longer runs (exited, or killed and reaped)."""
    for _ in range(int(BOUND / POLL)):
        with contextlib.suppress(psutil.NoSuchProcess):
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                await asyncio.sleep(POLL)
                continue
        return
    raise AssertionError(f"process {pid} still runs after {BOUND} s")


def test_the_bot_process_never_imports_matplotlib() -> None:
    code = (
        "import asyncio, sys\n"
        "from bot.reports import chart, stats_picture, summarise\n"
        "from bot.reports.drawing import Drawer\n"
        "async def main():\n"
        "    drawer = Drawer()\n"
        "    drawn = await drawer.draw(chart.png, *stats_picture(summarise([])))\n"
        "    drawer.close()\n"
        "    print(drawn[:4] == b'\\x89PNG', 'matplotlib' in sys.modules)\n"
        "asyncio.run(main())\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert found.stdout.split() == ["True", "False"]


async def test_a_worker_killed_between_pictures_is_started_again() -> None:
    drawer = Drawer()
    try:
        first = await started(drawer)
        assert first != os.getpid()
        os.kill(first, signal.SIGKILL)
        await gone(first)
        async with asyncio.timeout(BOUND):
            assert (await drawer.draw(chart.png, *PICTURE)).startswith(PNG)
        assert drawer.pid not in (None, first)
    finally:
        drawer.close()


async def test_a_worker_killed_while_drawing_fails_that_picture_only() -> None:
    drawer = Drawer()
    try:
        pid = await started(drawer)
        drawing = asyncio.ensure_future(drawer.draw(time.sleep, 60))  # type: ignore[arg-type]
        await asyncio.sleep(0.2)
        os.kill(pid, signal.SIGKILL)
        async with asyncio.timeout(BOUND):
            with pytest.raises(DrawingFailed, match="stopped"):
                await drawing
            assert (await drawer.draw(chart.png, *PICTURE)).startswith(PNG)
    finally:
        drawer.close()


async def test_a_picture_taking_too_long_is_given_up_and_its_worker_killed() -> None:
    drawer = Drawer(timeout=0.5)
    pid = await started(drawer)
    started_at = time.monotonic()
    with pytest.raises(DrawingFailed, match=r"no picture after 0\.5 s"):
        await drawer.draw(time.sleep, 60)  # type: ignore[arg-type]
    assert time.monotonic() - started_at < BOUND
    await gone(pid)
    assert drawer.pid is None


def drawer_of(bot: BotUnderTest) -> Drawer:
    """The running bot's drawer, reached through its ``/stats`` handler."""
    for handler in bot.app.handlers[0]:
        if isinstance(handler, CommandHandler) and "stats" in handler.commands:
            coordinators = handler.callback.__self__  # type: ignore[attr-defined]
            assert isinstance(coordinators, Coordinators)
            return coordinators.runtime.drawer
    raise AssertionError("no /stats handler")


async def test_stats_without_its_chart_still_sends_the_summary(tmp_path: Path) -> None:
    api = FakeBotApi()
    settings = settings_for(api, tmp_path, coordinators=frozenset({COORDINATOR}))
    async with running_bot(api, settings, in_process=True) as bot:
        drawer = drawer_of(bot)
        first = await started(drawer)
        os.kill(first, signal.SIGKILL)
        await gone(first)
        calls = await bot.say(COORDINATOR, "/stats")
        assert [c.method for c in calls] == ["sendMessage", "sendPhoto"], "drawn by a new worker"
        drawer.timeout = 0.001
        calls = await bot.say(COORDINATOR, "/stats 12m")
        summary, missing = texts(calls)
        assert "Conversations" in summary
        assert missing.startswith("Pas de graphique cette fois") and "\n" not in missing
        assert not [c for c in calls if c.method == "sendPhoto"]
        drawer.timeout = BOUND
        last = await started(drawer)
    await gone(last)

"""Load test (``make load``): 200 simulated people complete conversations at the same time.

The real bot (PTB Application, handlers, dialogue, SQLite) runs against the fake Bot API
server of the tests on 127.0.0.1. Prints p50/p99 time from a person's update to the bot's
first reply, the errors (target 0) and checks the database holds exactly one record per
conversation. Bounded: every wait has a timeout, the whole run a deadline.

``python benchmarks/load.py --sigkill``: the same people talk to ``aiguillage serve`` in its own
process, with a 20 ms Bot API round trip; the process is killed (SIGKILL) mid-traffic and
started again on the same database. Prints two counts apart: the calls made twice (each its
chat's last request before the kill, whose answer the bot had not recorded), and what a person
SEES twice: a new message twice in a row. An edit sent again is answered « message is not
modified » (400), as Telegram does, and changes nothing on screen; a new message is seen twice
only when Telegram took it and its answer was lost at the kill (the Bot API has no idempotency
key). Also any other duplicate (target 0), lost conversations (target 0), doubled records
(target 0).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from http import HTTPStatus
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.fake_bot_api import FakeBotApi  # noqa: E402

from bot.adapters.telegram.application import build_application, running  # noqa: E402
from bot.app import open_service  # noqa: E402
from bot.config import REPO_KNOWLEDGE, Settings  # noqa: E402
from bot.core.records import Feedback, Outcome  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", "200"))
FIRST_USER = 700_000
STEP_TIMEOUT = 60.0
DEADLINE = 600.0
# (what the person does, the button or text that must appear before the next step)
SCRIPT: tuple[tuple[str, str, str], ...] = (
    ("send", "/start accueil", "J'ai une idée"),
    ("press", "J'ai une idée", "Association"),
    ("press", "Association", "Un financement"),
    ("press", "Un financement", "✓ Un financement"),
    ("press", "Valider", "Hors Haute-Garonne"),
    ("send", "Toulouse", "Passer"),
    ("press", "Passer", "👍"),
    ("press", "👍", "Merci"),
)


SENDS = ("sendMessage", "editMessageText")
LATENCY = 0.02
"""Seconds of a Bot API round trip in ``--sigkill`` (Telegram answers in 10–50 ms from Europe)."""
KILL_AFTER_SENDS = 3
"""``--sigkill``: the bot is killed once it has sent this many messages per person."""
SETTLE = 0.5
"""Seconds after the kill for the requests the dead process had already sent to be answered."""


class Sent(NamedTuple):
    """A message the bot sent or edited: when it arrived and was answered (monotonic), what,
    and the HTTP status of the answer (200: on the person's screen)."""

    arrived: float
    answered: float
    method: str
    chat: int
    content: str
    status: int


class LoadApi(FakeBotApi):
    """The fake Bot API, also waking the simulated person a reply is for, and logging every
    message sent or edited, each answered after ``latency`` seconds."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__()
        self.replies: dict[int, int] = defaultdict(int)
        self.signals: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.latency = latency
        self.log: list[Sent] = []

    async def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer as the fake does, after :attr:`latency` for a message; log the message."""
        if method not in SENDS:
            return await super().answer(method, params)
        arrived = time.monotonic()
        if self.latency:
            await asyncio.sleep(self.latency)
        status, body = await super().answer(method, params)
        content = json.dumps([params.get("text"), params.get("reply_markup")], ensure_ascii=False)
        chat = int(params["chat_id"])
        self.log.append(Sent(arrived, time.monotonic(), method, chat, content, status))
        return status, body

    def _mark(self, params: dict[str, Any]) -> None:
        chat = int(params["chat_id"])
        self.replies[chat] += 1
        self.signals[chat].set()

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        message = super()._send_message(params)
        self._mark(params)
        return message

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = super()._edit_message_text(params)
        self._mark(params)
        return message


def _find(api: LoadApi, chat: int, wanted: str) -> tuple[int, str] | None:
    """The (message id, button data) of a button labelled ``wanted``, or text containing it."""
    for message in reversed(api.bot_messages(chat)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for row in rows:
            for button in row:
                if wanted in button["text"]:
                    return message["message_id"], button["callback_data"]
        if wanted in message.get("text", ""):
            return message["message_id"], ""
    return None


async def _until(api: LoadApi, chat: int, condition: Any) -> Any:
    async with asyncio.timeout(STEP_TIMEOUT):
        while True:
            found = condition()
            if found:
                return found
            api.signals[chat].clear()
            await api.signals[chat].wait()


async def person(api: LoadApi, user: int, latencies: list[float]) -> None:
    """One person going through the whole conversation."""
    for action, what, expect in SCRIPT:
        before = api.replies[user]
        started = time.perf_counter()
        if action == "send":
            api.inject_message(user, what)
        else:
            found = _find(api, user, what)
            assert found is not None, f"user {user}: no button {what!r}"
            api.inject_callback(user, found[1], found[0])
        await _until(api, user, lambda b=before: api.replies[user] > b)
        latencies.append(time.perf_counter() - started)
        await _until(api, user, lambda e=expect: _find(api, user, e))


async def main() -> int:
    latencies: list[float] = []
    errors: list[BaseException] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with LoadApi() as api:
            settings = Settings(
                token=api.token,
                api_base_url=api.base_url,
                kb_path=REPO_KNOWLEDGE,
                db_path=Path(tmp) / "load.sqlite3",
                secret=b"load-test-secret-0123456789",
            )
            async with open_service(settings) as service:
                app = build_application(settings, service)

                async def record(update: object, context: Any) -> None:
                    errors.append(context.error)

                app.add_error_handler(record)
                started = time.perf_counter()
                async with running(app, settings):
                    people = [person(api, FIRST_USER + i, latencies) for i in range(USERS)]
                    async with asyncio.timeout(DEADLINE):
                        results = await asyncio.gather(*people, return_exceptions=True)
                elapsed = time.perf_counter() - started
                errors += [r for r in results if isinstance(r, BaseException)]
                records = await service.storage.conversations()
    completed = [r for r in records if r.outcome == Outcome.COMPLETED]
    useful = [r for r in completed if r.feedback == Feedback.USEFUL]
    users = {r.user for r in records}
    latencies.sort()
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan")
    print(f"simulated people        {USERS}")
    rate = len(latencies) / elapsed
    print(f"updates sent            {len(latencies)} in {elapsed:.1f} s ({rate:.0f}/s)")
    print(f"update → first reply    p50 {p50:.0f} ms   p99 {p99:.0f} ms")
    print(f"errors                  {len(errors)} (target 0)")
    for error in errors[:5]:
        print(f"  {type(error).__name__}: {error}")
    print(
        f"records in the database {len(records)}; completed {len(completed)}; useful {len(useful)}"
    )
    exact = len(records) == USERS == len(users) == len(useful)
    print(f"one record per conversation: {'yes' if exact else 'NO'}")
    return 0 if exact and not errors else 1


async def serve(api: LoadApi, folder: Path) -> asyncio.subprocess.Process:
    """``python -m bot serve`` on ``folder``'s database against ``api``, its log in a file."""
    env = os.environ | {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "AIGUILLAGE_DB": str(folder / "load.sqlite3"),
        "AIGUILLAGE_SECRET": "load-test-secret-0123456789",
    }
    with (folder / "bot.log").open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", env=env, cwd=ROOT, stdout=sink, stderr=sink
        )


def duplicates(log: list[Sent], cut: int) -> tuple[list[tuple[Sent, Sent]], int]:
    """Messages sent again right after the restart (the last one of their chat before the kill,
    then the first one after it), and how many other messages came twice in a row."""
    last_before: dict[int, Sent] = {}
    for sent in log[:cut]:
        last_before[sent.chat] = sent
    first_after: dict[int, Sent] = {}
    for sent in log[cut:]:
        first_after.setdefault(sent.chat, sent)
    again = [
        (last_before[chat], sent)
        for chat, sent in first_after.items()
        if chat in last_before
        and (last_before[chat].method, last_before[chat].content) == (sent.method, sent.content)
    ]
    previous: dict[int, Sent] = {}
    other = 0
    for index, sent in enumerate(log):
        before = previous.get(sent.chat)
        spans_kill = index >= cut and first_after.get(sent.chat) is sent
        if before and (before.method, before.content) == (sent.method, sent.content):
            other += not spans_kill
        previous[sent.chat] = sent
    return again, other


def seen_twice(log: list[Sent]) -> list[Sent]:
    """New messages a person saw twice in a row (an edit answered 400 shows nothing new)."""
    last: dict[int, Sent] = {}
    twice = []
    for sent in log:
        if sent.status != HTTPStatus.OK:
            continue
        before = last.get(sent.chat)
        if sent.method == "sendMessage" and before and before.content == sent.content:
            twice.append(sent)
        last[sent.chat] = sent
    return twice


async def killed() -> int:
    """The ``--sigkill`` run: people talking, SIGKILL mid-traffic, restart; print the figures."""
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        async with LoadApi(LATENCY) as api:
            process = await serve(api, folder)
            people = [person(api, FIRST_USER + i, latencies) for i in range(USERS)]
            talking = [asyncio.create_task(p) for p in people]
            try:
                async with asyncio.timeout(DEADLINE):
                    await api.wait_for(
                        lambda _: (
                            len(api.log) >= USERS * KILL_AFTER_SENDS
                            or process.returncode is not None
                        ),
                        STEP_TIMEOUT,
                    )
                    process.kill()
                    killed_at = time.monotonic()
                    await process.wait()
                    await asyncio.sleep(SETTLE)
                    cut = len(api.log)
                    started = time.monotonic()
                    process = await serve(api, folder)
                    results = await asyncio.gather(*talking, return_exceptions=True)
                    await asyncio.sleep(SETTLE)  # room for a late duplicate
            finally:
                for task in talking:
                    task.cancel()
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    await process.wait()
        with contextlib.closing(sqlite3.connect(folder / "load.sqlite3")) as db:
            per_person = db.execute("SELECT COUNT(*) FROM conversations GROUP BY user").fetchall()
            ((left,),) = db.execute(
                "SELECT COUNT(*) FROM inbox WHERE done = 0 OR outbox IS NOT NULL"
            ).fetchall()
    errors = [r for r in results if isinstance(r, BaseException)]
    again, other = duplicates(api.log, cut)
    unread = [first for first, _ in again if first.answered >= killed_at]
    messages = sum(1 for sent in api.log if sent.method == "sendMessage")
    print(f"simulated people        {USERS}, Bot API round trip {LATENCY * 1000:.0f} ms")
    print(f"killed (SIGKILL)        after {cut} messages sent or edited; restarted in the run")
    print(f"messages sent or edited {len(api.log)} ({messages} sendMessage)")
    print(f"calls made twice        {len(again)}, each the last of its chat before the kill:")
    kinds = ", ".join(f"{m} {sum(1 for f, _ in again if f.method == m)}" for m in SENDS)
    print(f"  by method             {kinds}")
    print(f"  answer never read     {len(unread)} (request in flight when the process died)")
    gaps = sorted((killed_at - first.answered) * 1000 for first, _ in again if first not in unread)
    read = ", ".join(f"{gap:.0f}" for gap in gaps[:10]) or "-"
    print(f"  answered before kill  {len(gaps)} (ms before the kill: {read})")
    unmodified = sum(1 for _, then in again if then.status == HTTPStatus.BAD_REQUEST)
    print(f"  « not modified »      {unmodified} (an edit sent again: nothing new on screen)")
    twice = seen_twice(api.log)
    in_flight = sum(1 for first in unread if first.method == "sendMessage")
    print(
        f"seen twice by a person  {len(twice)} new message(s); target ≤ {in_flight}, the new"
        " messages Telegram took whose answer the kill lost"
    )
    print(f"other duplicates        {other} (target 0)")
    print(f"people left unanswered  {len(errors)} (target 0)")
    for error in errors[:5]:
        print(f"  {type(error).__name__}: {error}")
    exact = per_person == [(1,)] * USERS
    print(f"one record per person   {'yes' if exact else 'NO'}; inbox rows left {left}")
    print(f"restart → all answered  {time.monotonic() - started:.1f} s")
    within = len(twice) <= in_flight
    return 0 if exact and within and not errors and not other and not left else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(killed() if "--sigkill" in sys.argv[1:] else main()))

"""What a person sees across a SIGKILL of ``aiguillage serve``: each message once, but for the one
window the Bot API leaves open (a new message whose answer was lost at the kill).

The real process, a real SQLite file, the fake Bot API over HTTP on 127.0.0.1; the kill comes
while the Bot API holds one answer, so the moment is exact rather than a race.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import RecordingBotApi
from support.fake_bot_api import JSONDict

from bot import outbox
from bot.adapters.telegram.splitting import MAX_LENGTH
from bot.core.catalogue import Markup
from bot.core.dialogue.events import Button, Reply
from bot.outbox import Delivery
from bot.storage import Storage

REPO = Path(__file__).resolve().parent.parent
USER = 424_242
LIMIT = 30.0
"""Seconds any one wait may take (a loaded machine starts the bot in a few)."""


async def spawn(api: RecordingBotApi, db: Path) -> asyncio.subprocess.Process:
    """``python -m bot serve`` on ``db`` against the fake Bot API, its log beside the file."""
    env = os.environ | {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "AIGUILLAGE_DB": str(db),
        "AIGUILLAGE_SECRET": "d" * 32,
    }
    with (db.parent / "bot.log").open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", env=env, cwd=REPO, stdout=sink, stderr=sink
        )


async def kill(process: asyncio.subprocess.Process) -> None:
    """SIGKILL: no shutdown, no flush."""
    process.kill()
    async with asyncio.timeout(LIMIT):
        await process.wait()
    assert process.returncode == -signal.SIGKILL


async def stop(process: asyncio.subprocess.Process, db: Path) -> None:
    """SIGTERM, and the bot must stop cleanly."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    async with asyncio.timeout(LIMIT):
        await process.wait()
    assert process.returncode == 0, (db.parent / "bot.log").read_text()[-3000:]


def inbox_left(db: Path) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return connection.execute(
            "SELECT update_id FROM inbox WHERE done = 0 OR outbox IS NOT NULL"
        ).fetchall()


def seen(api: RecordingBotApi) -> list[str]:
    """The texts of the messages the person has in the chat, in order (edits applied)."""
    return [str(message.get("text")) for message in api.bot_messages(USER)]


LONG = Reply(
    Markup("\n\n".join(f"<b>partie {n}</b> " + "mot " * 900 for n in (1, 2, 3))),
    ((Button("Nouvelle recherche", "9|r|new"),),),
)
"""A reply of three messages (3 × about 3,600 characters)."""


async def owe(db: Path, reply: Reply) -> None:
    """The database as a killed bot leaves it: the turn committed, its reply not yet sent."""
    async with await Storage.open(db) as storage:
        await storage.receive({1: "{}"}, datetime.now(UTC))
        await storage.sent(1, outbox.dump(Delivery(1, USER), [reply]))
        await storage.finish(1)


def part(n: int) -> Callable[[JSONDict], bool]:
    """Whether a ``sendMessage`` carries part ``n`` of :data:`LONG`."""
    return lambda params: f"partie {n}" in str(params.get("text"))


def parts(texts: list[str]) -> list[int]:
    """Which part of :data:`LONG` each text is."""
    return [next(n for n in (1, 2, 3) if f"partie {n}" in text) for text in texts]


@pytest.mark.parametrize("carried_out", [True, False], ids=["answer-lost", "request-lost"])
async def test_after_a_kill_only_the_message_in_flight_is_sent_again(
    api: RecordingBotApi, tmp_path: Path, carried_out: bool
) -> None:
    db = tmp_path / "bot.sqlite3"
    await owe(db, LONG)
    api.hold_answer("sendMessage", part(2), carried_out=carried_out)
    process = await spawn(api, db)
    try:
        await api.wait_for(
            lambda _: process.returncode is not None or any(map(part(2), sent(api))), LIMIT
        )
    finally:
        await kill(process)
    process = await spawn(api, db)
    try:
        await api.wait_for(lambda _: any("partie 3" in text for text in seen(api)), LIMIT)
        await asyncio.sleep(0.5)  # room for a late duplicate
    finally:
        await stop(process, db)
    calls = parts([str(params["text"]) for params in sent(api)])
    assert calls == [1, 2, 2, 3], "the part in flight is sent again, never the one before it"
    # Telegram had taken the message whose answer was lost: the person sees it twice, the one
    # window the Bot API leaves (no idempotency key). A request lost on the way is seen once.
    assert parts(seen(api)) == ([1, 2, 2, 3] if carried_out else [1, 2, 3])
    messages = api.bot_messages(USER)
    assert all(len(str(m["text"])) <= MAX_LENGTH for m in messages)
    assert [bool(m.get("reply_markup")) for m in messages][-1] and not any(
        m.get("reply_markup") for m in messages[:-1]
    ), "the keyboard on the last part only"
    assert inbox_left(db) == [], "nothing owed any more"


def sent(api: RecordingBotApi) -> list[JSONDict]:
    return [call.params for call in api.calls("sendMessage")]


async def first_question(
    api: RecordingBotApi, process: asyncio.subprocess.Process
) -> tuple[str, int]:
    """``/start`` sent: the data of the « J'ai une idée » button and its message's id."""
    api.inject_message(USER, "/start")
    await api.wait_for(
        lambda _: process.returncode is not None or "Où en est" in " ".join(seen(api)), LIMIT
    )
    question = api.bot_messages(USER)[-1]
    (idea,) = [
        button
        for row in question["reply_markup"]["inline_keyboard"]
        for button in row
        if "J'ai une idée" in button["text"]
    ]
    return str(idea["callback_data"]), int(question["message_id"])


async def test_an_edit_sent_again_after_a_kill_is_seen_once(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    """Telegram edited the message, the bot died before reading the answer: sent again, the
    edit is answered « message is not modified », which the bot takes as delivered."""
    db = tmp_path / "bot.sqlite3"
    process = await spawn(api, db)
    try:
        idea, question = await first_question(api, process)
        api.hold_answer("editMessageText", lambda _: True)
        api.inject_callback(USER, idea, question)
        await api.wait_for(lambda calls: bool(api.calls("editMessageText")), LIMIT)
    finally:
        await kill(process)
    before = list(seen(api))
    assert "statut de votre structure" in before[-1], "Telegram did edit the message"
    process = await spawn(api, db)
    try:
        await api.wait_for(lambda _: len(api.calls("editMessageText")) >= 2, LIMIT)
        await asyncio.sleep(0.5)  # room for a new message, were the answer taken as a failure
    finally:
        await stop(process, db)
    edits = api.calls("editMessageText")
    assert len(edits) == 2 and edits[0].params == edits[1].params, "the same edit, sent again"
    assert seen(api) == before, "no new message: the person sees the question once"
    assert inbox_left(db) == []


async def test_an_edit_answered_but_not_yet_recorded_is_sent_again_and_seen_once(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    """An edit is recorded as sent with the next commit (bot/adapters/telegram/inbox.py): a
    kill before it leaves the edit owed, and the restart sends it again, harmlessly."""
    db = tmp_path / "bot.sqlite3"
    process = await spawn(api, db)
    try:
        idea, question = await first_question(api, process)
        press = api.inject_callback(USER, idea, question)
        await api.wait_for(lambda calls: bool(api.calls("editMessageText")), LIMIT)
        await asyncio.sleep(0.5)  # Telegram's answer read: the edit is done, not yet recorded
    finally:
        await kill(process)
    assert inbox_left(db) == [(press["update_id"],)], "the edit alone still owed"
    before = list(seen(api))
    assert "statut de votre structure" in before[-1]
    process = await spawn(api, db)
    try:
        await api.wait_for(lambda _: len(api.calls("editMessageText")) >= 2, LIMIT)
        await asyncio.sleep(0.5)
    finally:
        await stop(process, db)
    edits = api.calls("editMessageText")
    assert len(edits) == 2 and edits[0].params == edits[1].params, "the same edit, sent again"
    assert seen(api) == before, "the person sees the question once"
    assert inbox_left(db) == [], "recorded on the clean stop"

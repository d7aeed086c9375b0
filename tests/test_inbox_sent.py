"""Replies recorded as sent: each new message in its own commit, edits with the next commit.

A real SQLite file read by another connection, as a restarted bot finds it after a SIGKILL:
what it still owes is what it would send again (``tests/test_durability.py`` kills the real
process); the fake Bot API behind PTB's own requests, on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import RecordingBotApi
from telegram import Bot

from bot import outbox
from bot.adapters.telegram.inbox import Inbox
from bot.core.catalogue import Markup
from bot.core.dialogue.events import Reply
from bot.outbox import Delivery
from bot.storage import Storage

USER = 51_200
NOW = datetime(2026, 12, 2, tzinfo=UTC)
EDIT = Reply(Markup("Quel est le statut ?"), edit=True)
NEW = Reply(Markup("Voici trois structures."))


def owed(db: Path) -> dict[int, list[str]]:
    """The replies a restart would send, by update: what a kill at this point leaves."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT update_id, outbox FROM inbox WHERE outbox IS NOT NULL")
        return {n: [r["text"] for r in json.loads(text)["replies"]] for n, text in rows}


async def answered(storage: Storage, update_id: int, replies: list[Reply]) -> None:
    """The turn's transaction: the update done, its replies owed."""
    await storage.receive({update_id: "{}"}, NOW)
    text = outbox.dump(Delivery(update_id, USER), replies)
    await storage.save_turn("p", {}, [], NOW, answered=(update_id, text))


class Chat(NamedTuple):
    """A real SQLite file, the inbox on it, the bot, and the question whose button was pressed."""

    db: Path
    storage: Storage
    bot: Bot
    inbox: Inbox
    pressed: int


@pytest.fixture
async def chat(api: RecordingBotApi, tmp_path: Path) -> AsyncIterator[Chat]:
    db = tmp_path / "bot.sqlite3"
    async with (
        await Storage.open(db) as storage,
        Bot(api.token, base_url=api.base_url) as bot,
    ):
        pressed = (await bot.send_message(USER, "Où en est votre projet ?")).message_id
        yield Chat(db, storage, bot, Inbox(storage, lambda: NOW), pressed)


async def test_an_edit_is_settled_by_the_next_commit_and_sent_again_before_it(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with (
        await Storage.open(db) as storage,
        Bot(api.token, base_url=api.base_url) as bot,
    ):
        inbox = Inbox(storage, lambda: NOW)
        pressed = (await bot.send_message(USER, "Où en est votre projet ?")).message_id
        await answered(storage, 1, [EDIT])
        commits = storage._commits
        await inbox.deliver(bot, Delivery(1, USER, pressed), [EDIT])
        assert storage._commits == commits, "an edit alone: no commit of its own"
        assert owed(db) == {1: ["Quel est le statut ?"]}, "a kill now sends the edit again"
        await answered(storage, 2, [NEW])
        assert owed(db) == {2: ["Voici trois structures."]}, "settled with the next commit"
        await inbox.finish(1)
        assert storage._commits == commits + 2, "done already: finish writes nothing"
        await inbox.deliver(bot, Delivery(2, USER), [NEW])
        assert owed(db) == {}, "a new message: recorded at once"
        await answered(storage, 3, [])
        await inbox.deliver(bot, Delivery(3, USER, pressed), [])
    assert owed(db) == {}, "what was left for later is written on closing"
    assert [c.params["text"] for c in api.calls("editMessageText")] == ["Quel est le statut ?"]


async def test_a_new_message_after_an_edit_is_one_commit_and_never_sent_twice(chat: Chat) -> None:
    storage, inbox = chat.storage, chat.inbox
    await answered(storage, 1, [EDIT, NEW])
    commits = storage._commits
    await inbox.deliver(chat.bot, Delivery(1, USER, chat.pressed), [EDIT, NEW])
    assert storage._commits == commits + 1
    assert owed(chat.db) == {}
    await answered(storage, 2, [NEW, EDIT])
    commits = storage._commits
    await inbox.deliver(chat.bot, Delivery(2, USER, chat.pressed), [NEW, EDIT])
    assert storage._commits == commits + 1, "the new message recorded, the edit left"
    assert owed(chat.db) == {2: ["Quel est le statut ?"]}, "a kill sends only the edit again"


async def test_an_edit_telegram_refuses_goes_as_a_new_message_recorded_at_once(
    api: RecordingBotApi, chat: Chat
) -> None:
    await answered(chat.storage, 1, [EDIT])
    commits = chat.storage._commits
    api.fail_next("editMessageText", 400, description="Bad Request: message can't be edited")
    await chat.inbox.deliver(chat.bot, Delivery(1, USER, chat.pressed), [EDIT])
    assert api.sent_texts(USER)[-1] == "Quel est le statut ?", "sent as a new message"
    assert chat.storage._commits == commits + 1, "a new message: its own commit"
    assert owed(chat.db) == {}, "a kill now sends nothing again"

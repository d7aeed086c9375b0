"""The durable inbox keeps an update as Telegram sent it: the ``getUpdates`` answer read over
HTTP on 127.0.0.1 from the fake Bot API, then the update written to a real SQLite file; a whole
answer in one commit, on disk before PTB is given its first update."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from conftest import RecordingBotApi
from support.memory_storage import MemoryStorage
from telegram import Bot, Update

from bot.adapters.telegram.inbox import Inbox, RawUpdates, RawUpdatesRequest
from bot.storage import Storage

USER = 31_400
NOW = datetime(2026, 12, 1, tzinfo=UTC)


async def poll(api: RecordingBotApi, inbox: Inbox) -> list[Update]:
    """One ``getUpdates`` over HTTP, its answer noted by ``inbox``, as PTB's Updater reads it."""
    request = RawUpdatesRequest(inbox.raw, connection_pool_size=1)
    await request.initialize()
    try:
        status, body = await request.do_request(f"{api.base_url}{api.token}/getUpdates", "POST")
    finally:
        await request.shutdown()
    assert status == 200
    return Update.de_list(json.loads(body)["result"], Bot(api.token))


def on_disk(db: Path) -> list[tuple[int, bool]]:
    """The inbox as another process reads it: ``(update_id, whether its content is kept)``."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT update_id, payload IS NOT NULL FROM inbox ORDER BY 1")
        return [(int(update_id), bool(kept)) for update_id, kept in rows]


async def test_an_update_is_kept_as_telegram_sent_it(api: RecordingBotApi, tmp_path: Path) -> None:
    sent = api.inject_message(USER, "bonjour, une SCOP à Muret")
    async with await Storage.open(tmp_path / "bot.sqlite3") as storage:
        inbox = Inbox(storage, lambda: NOW)
        (update,) = await poll(api, inbox)
        other = Update.de_json({"update_id": sent["update_id"] + 1, "message": None}, None)
        assert await inbox.receive(update) and await inbox.receive(other)
        todo, _ = await storage.unfinished()
    assert json.loads(todo[0]) == sent, "the very JSON Telegram sent, not PTB's rendering of it"
    assert json.loads(todo[1]) == {"update_id": sent["update_id"] + 1}, "unseen: PTB's to_json"
    assert inbox.raw.take(update) == {update.update_id: update.to_json()}, "taken once, forgotten"


async def test_a_getupdates_answer_is_kept_in_one_commit_before_its_first_update_is_queued(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    sent = [api.inject_message(USER + n, f"message {n}") for n in range(3)]
    async with await Storage.open(db) as storage:
        inbox = Inbox(storage, lambda: NOW)
        first, *others = await poll(api, inbox)
        commits = storage._commits
        assert await inbox.receive(first)
        assert storage._commits == commits + 1
        ids = [item["update_id"] for item in sent]
        assert on_disk(db) == [(n, True) for n in ids], "a kill now loses none of the answer"
        assert [await inbox.receive(update) for update in others] == [True, True]
        assert storage._commits == commits + 1, "the others of the answer: no commit"
        assert await inbox.receive(first) is False, "the same update again: dropped"
        todo, _ = await storage.unfinished()
    assert [json.loads(text) for text in todo] == sent


async def test_an_answer_sent_again_drops_what_was_kept_and_keeps_what_is_new(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    """Telegram sends an update again while no offset acknowledged it (the bot died)."""
    async with await Storage.open(tmp_path / "bot.sqlite3") as storage:
        inbox = Inbox(storage, lambda: NOW)
        old = api.inject_message(USER, "avant")
        (kept,) = await poll(api, inbox)
        assert await inbox.receive(kept)
        new = api.inject_message(USER, "après")
        again, fresh = await poll(api, inbox)
        assert (again.update_id, fresh.update_id) == (old["update_id"], new["update_id"])
        assert [await inbox.receive(again), await inbox.receive(fresh)] == [False, True]


async def test_with_the_database_failing_an_update_is_handled_and_the_rest_tried_again(
    api: RecordingBotApi,
) -> None:
    storage = MemoryStorage()
    inbox = Inbox(storage, lambda: NOW)
    sent = [api.inject_message(USER + n, f"message {n}") for n in range(2)]
    first, second = await poll(api, inbox)
    storage.read_only = True
    assert await inbox.receive(first), "handled, just not kept"
    storage.read_only = False
    assert await inbox.receive(second)
    todo, _ = await storage.unfinished()
    assert [json.loads(text) for text in todo] == [sent[1]], "kept with the next update"


def test_each_update_is_kept_as_its_very_text_in_the_answer() -> None:
    """Sliced out of the answer, not decoded then written again: spacing and escapes stay, and
    brackets or a ``"result":[`` inside a message change nothing."""
    first = '{"update_id": 5,\n "message": {"text": "\\"result\\":[ ] } \\u00e9 é"}}'
    second = '{"update_id":6,"message":{"text":"],"}}'
    raw = RawUpdates()
    raw.keep(f'{{"ok":true, "result" : [ {first} ,\n{second}]}}'.encode())
    update = Update.de_json({"update_id": 5, "message": None}, None)
    assert raw.take(update) == {5: first, 6: second}
    for body in (b'{"ok":false,"error_code":409,"description":"Conflict"}', b"\xff", b"[1,"):
        raw.keep(body)
        assert raw.take(update) == {5: update.to_json()}, body

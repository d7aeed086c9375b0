"""The durable inbox keeps an update as Telegram sent it: the ``getUpdates`` answer read over
HTTP on 127.0.0.1 from the fake Bot API, then the update written to a real SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from conftest import RecordingBotApi
from telegram import Bot, Update

from bot.adapters.telegram.inbox import Inbox, RawUpdatesRequest
from bot.storage import Storage

USER = 31_400


async def test_an_update_is_kept_as_telegram_sent_it(api: RecordingBotApi, tmp_path: Path) -> None:
    sent = api.inject_message(USER, "bonjour, une SCOP à Muret")
    async with await Storage.open(tmp_path / "bot.sqlite3") as storage:
        inbox = Inbox(storage, lambda: datetime(2026, 12, 1, tzinfo=UTC))
        request = RawUpdatesRequest(inbox.raw, connection_pool_size=1)
        await request.initialize()
        try:
            status, body = await request.do_request(f"{api.base_url}{api.token}/getUpdates", "POST")
        finally:
            await request.shutdown()
        assert status == 200
        (update,) = Update.de_list(json.loads(body)["result"], Bot(api.token))
        other = Update.de_json({"update_id": sent["update_id"] + 1, "message": None}, None)
        assert await inbox.receive(update) and await inbox.receive(other)
        todo, _ = await storage.unfinished()
    assert json.loads(todo[0]) == sent, "the very JSON Telegram sent, not PTB's rendering of it"
    assert json.loads(todo[1]) == {"update_id": sent["update_id"] + 1}, "unseen: PTB's to_json"
    assert inbox.raw.take(update) == update.to_json(), "taken once, then forgotten"

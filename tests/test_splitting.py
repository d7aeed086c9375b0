"""A reply longer than Telegram's 4,096 characters, through PTB over HTTP to the fake Bot API on
127.0.0.1, from the durable inbox on a real SQLite file: every part fits, the parts come in
order, the keyboard is on the last one only, and each part is recorded as sent."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

from conftest import RecordingBotApi
from telegram import Bot

from bot.adapters.telegram.inbox import Inbox
from bot.adapters.telegram.splitting import MAX_LENGTH, messages
from bot.core.catalogue import Markup
from bot.core.dialogue.events import Button, Reply
from bot.outbox import Delivery
from bot.storage import Storage

USER = 616_161
KEYBOARD = ((Button("👍", "3|r|up"), Button("👎", "3|r|down")),)


def plain(text: str) -> str:
    """The words of Telegram HTML, tags, entities and spacing aside."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", text)))


LONG = Markup(
    "\n".join(f"<b>Structure {n}</b> : « accompagnement &amp; conseil » " * 3 for n in range(60))
    + "\n"
    + "<i>"
    + "une très longue ligne sans fin " * 200
    + "</i>"
)


async def test_a_long_reply_goes_in_parts_in_order_with_the_keyboard_last(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    assert len(LONG) > 3 * MAX_LENGTH
    async with (
        await Storage.open(tmp_path / "bot.sqlite3") as storage,
        Bot(api.token, base_url=api.base_url) as bot,
    ):
        inbox = Inbox(storage, lambda: datetime.now(UTC))
        pressed = (await bot.send_message(USER, "Choisissez :")).message_id
        await storage.receive({7: "{}"}, datetime.now(UTC))
        await inbox.deliver(bot, Delivery(7, USER, pressed), [Reply(LONG, KEYBOARD, edit=True)])
        todo, owed = await storage.unfinished()
    calls = api.calls("sendMessage")[1:]
    assert len(calls) >= 4 and not api.calls("editMessageText"), "new messages, not an edit"
    parts = [str(call.params["text"]) for call in calls]
    assert all(len(part) <= MAX_LENGTH for part in parts)
    assert "".join(plain(part) for part in parts) == plain(LONG), "every word once, in order"
    assert all(part.count("<i>") == part.count("</i>") for part in parts), "each part valid"
    markups = [call.params.get("reply_markup") for call in calls]
    assert markups[:-1] == [None] * (len(calls) - 1)
    assert [b["callback_data"] for b in markups[-1]["inline_keyboard"][0]] == ["3|r|up", "3|r|down"]
    assert (todo, owed) == ([], []), "each part recorded as sent, the update done"


def test_a_reply_that_fits_is_one_message_and_keeps_its_edit() -> None:
    reply = Reply(Markup("<b>Quel est le statut ?</b>"), KEYBOARD, edit=True)
    assert messages(reply) == [reply]
    (*before, last) = messages(Reply(LONG, KEYBOARD, edit=True))
    assert all(not p.buttons and not p.edit for p in before)
    assert last.buttons == KEYBOARD and not last.edit
    assert all(messages(part) == [part] for part in (*before, last)), "a part splits no further"

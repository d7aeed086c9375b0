"""Follow-ups through the real PTB stack against the fake Bot API on 127.0.0.1: sent when due,
once, across restarts; a blocked bot cancels silently."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import SECRET, RecordingBotApi, running_bot, settings_for
from support.fake_bot_api import Call

from bot.config import Settings
from bot.core.catalogue import Catalogue
from bot.core.loader import load_knowledge
from bot.followup.chats import ChatSeal
from bot.followup.model import Status
from bot.followup.service import FollowupService
from bot.storage import Storage

USER = 987654321
OTHER = 55501
ASKED = "Avez-vous pu les joindre"
DAYS = (0.00002, 1.0)
"""About 1.7 s, then a day (brought forward by the tests that need it)."""


def followups_to(api: RecordingBotApi, chat: int) -> list[Call]:
    return [
        c
        for c in api.calls("sendMessage")
        if c.params["chat_id"] == chat and ASKED in c.params["text"]
    ]


async def offer(settings: Settings, *people: tuple[int, str], ago: timedelta) -> None:
    """Follow-ups accepted ``ago`` (so maybe already due), written while the bot is stopped."""
    async with await Storage.open(settings.db_path) as storage:
        service = FollowupService(
            storage.followups,
            ChatSeal(SECRET),
            load_knowledge(settings.kb_path),
            Catalogue.load(),
            settings.followup_days,
            None,
            lambda: datetime.now(UTC) - ago,
        )
        for chat, conversation in people:
            await service.offer(f"p{chat}", chat, conversation, "fr", ("urscop", "adepes"), True)


async def statuses(settings: Settings) -> dict[str, tuple[Status, int]]:
    async with await Storage.open(settings.db_path) as storage:
        rows, _ = await storage.followups.period()
    return {f.conversation_id: (f.status, f.sent) for f in rows}


async def test_due_while_stopped_is_sent_once_at_start_then_the_second(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    settings = settings_for(api, tmp_path, followup_days=DAYS, followup_hours=None)
    await offer(settings, (USER, "c1"), ago=timedelta(seconds=2))
    async with running_bot(api, settings):
        await api.wait_for(lambda _: len(followups_to(api, USER)) == 1, 5)
        (first,) = followups_to(api, USER)
        assert "Le " in first.params["text"] and "1. " in first.params["text"]
        rows = first.params["reply_markup"]["inline_keyboard"]
        assert [len(row) for row in rows] == [4, 4, 1], "four taps per structure, then stop"
    assert await statuses(settings) == {"c1": (Status.SCHEDULED, 1)}
    async with await Storage.open(settings.db_path) as storage:  # a day passes, bot stopped
        (scheduled,) = await storage.followups.scheduled()
        await storage.followups.postpone(scheduled, datetime.now(UTC) - timedelta(seconds=1))
    async with running_bot(api, settings):
        await api.wait_for(lambda _: len(followups_to(api, USER)) == 2, 5)
    assert await statuses(settings) == {"c1": (Status.DONE, 2)}
    async with running_bot(api, settings):
        await asyncio.sleep(1.0)
    assert len(followups_to(api, USER)) == 2, "never sent twice"


async def test_a_follow_up_falls_due_while_the_bot_runs(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    settings = settings_for(api, tmp_path, followup_days=(0.00004,), followup_hours=None)
    due = datetime.now(UTC) + timedelta(days=0.00004)
    await offer(settings, (USER, "c1"), ago=timedelta(0))
    async with running_bot(api, settings):
        await api.wait_for(lambda _: len(followups_to(api, USER)) == 1, 15)
        assert datetime.now(UTC) >= due, "not before it is due"
    assert await statuses(settings) == {"c1": (Status.DONE, 1)}


async def test_a_blocked_bot_is_cancelled_silently(api: RecordingBotApi, tmp_path: Path) -> None:
    settings = settings_for(api, tmp_path, followup_days=DAYS, followup_hours=None)
    await offer(settings, (USER, "c1"), ago=timedelta(seconds=2))
    api.fail_next("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    async with running_bot(api, settings):
        await api.wait_for(lambda _: bool(api.calls("sendMessage")), 5)
        await asyncio.sleep(0.3)
    assert await statuses(settings) == {"c1": (Status.BLOCKED, 0)}
    assert len(api.calls("sendMessage")) == 1, "nothing more, not even an apology"

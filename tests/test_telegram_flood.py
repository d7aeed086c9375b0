"""Flood control in the Telegram adapter: an early handler group that stops the update."""

from __future__ import annotations

from pathlib import Path

from conftest import RecordingBotApi, running_bot, settings_for, texts
from support.fake_bot_api import BOT_USERNAME

from bot.flood import DEFAULT_LIMIT

USER = 987654321
OTHER = 55501
GROUP = -100777


async def test_a_private_flood_gets_one_notice_then_silence(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    async with running_bot(api, settings_for(api, tmp_path)) as bot:
        answered = [await bot.say(USER, "/aide") for _ in range(DEFAULT_LIMIT + 3)]
        other = await bot.say(OTHER, "/start")
    counts = [len(texts(calls)) for calls in answered]
    assert counts[DEFAULT_LIMIT:] == [1, 0, 0], "one notice, then silence"
    assert all(counts[:DEFAULT_LIMIT]), "answered up to the limit"
    assert "beaucoup de messages" in texts(answered[DEFAULT_LIMIT])[0]
    assert texts(other), "another person is still answered"


async def test_group_chatter_not_for_the_bot_is_not_counted(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    group = {"chat_type": "group", "chat_id": GROUP}
    async with running_bot(api, settings_for(api, tmp_path)) as bot:
        for _ in range(DEFAULT_LIMIT * 2):
            await bot.say(USER, "on se retrouve à midi ?", **group)
        calls = await bot.say(USER, f"/start@{BOT_USERNAME}", **group)
    assert len(texts(calls)) == 1 and "beaucoup de messages" not in texts(calls)[0]

"""Follow-ups through the real PTB stack against the fake Bot API on 127.0.0.1: sent when due,
once, across restarts; a blocked bot cancels silently."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import SECRET, BotUnderTest, RecordingBotApi, running_bot, settings_for, texts
from support.fake_bot_api import Call, JSONDict

from bot.chatseal import ChatSeal
from bot.config import Settings
from bot.core.catalogue import Catalogue
from bot.core.loader import load_knowledge
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


async def test_one_in_flight_at_a_crash_counts_as_sent_never_twice(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    """A kill during its request leaves a follow-up « sending »: delivery unknown, so it counts
    as sent at the next start (at most once) and the next one is scheduled; the others go."""
    settings = settings_for(api, tmp_path, followup_days=DAYS, followup_hours=None)
    await offer(settings, (USER, "c1"), (OTHER, "c2"), ago=timedelta(seconds=2))
    async with await Storage.open(settings.db_path) as storage:  # as a SIGKILL leaves it
        in_flight = next(f for f in await storage.followups.scheduled() if f.user == f"p{USER}")
        assert await storage.followups.sending(in_flight)
        assert not await storage.followups.sending(in_flight), "marked once"
    async with running_bot(api, settings):
        await api.wait_for(lambda _: len(followups_to(api, OTHER)) == 1, 5)
        await asyncio.sleep(0.3)
    assert followups_to(api, USER) == [], "not sent again"
    assert await statuses(settings) == {
        "c1": (Status.SCHEDULED, 1),
        "c2": (Status.SCHEDULED, 1),
    }, "both wait for the second follow-up"


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


async def results_for(bot: BotUnderTest, user: int) -> list[Call]:
    """A conversation by buttons up to the results; the calls of the last turn."""
    await bot.say(user, "/start")
    for label in ("J'ai une idée", "SCOP", "Être conseillé", "Valider"):
        await bot.tap(user, label)
    await bot.say(user, "Ramonville")
    return await bot.tap(user, "Passer")


async def answer_offer(bot: BotUnderTest, user: int, yes: bool) -> list[Call]:
    """Tap [Oui] or [Non merci] under the offer."""
    wanted = "|fu|y" if yes else "|fu|n"
    for message in reversed(bot.api.bot_messages(user)):
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if button["callback_data"].endswith(wanted):
                    return await bot.press(user, button["callback_data"], message["message_id"])
    raise AssertionError("no follow-up offer")


def shown_followups(api: RecordingBotApi, chat: int) -> list[JSONDict]:
    return [m for m in api.bot_messages(chat) if ASKED in m.get("text", "")]


async def test_opt_in_both_follow_ups_answers_stop_my_data_and_forget(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    days = (0.00002, 0.00012)  # about 1.7 s, then 10 s
    settings = settings_for(api, tmp_path, followup_days=days, followup_hours=None)
    async with running_bot(api, settings) as bot:
        shown = texts(await results_for(bot, USER))
        (offer,) = [t for t in shown if "Voulez-vous que je vous demande" in t]
        assert "si vous avez pu joindre ces structures" in offer
        assert shown.index(offer) == len(shown) - 2, "with the results, before the feedback"
        assert bot.rows("SELECT COUNT(*) FROM followups") == [(0,)], "nothing without « Oui »"

        calls = await answer_offer(bot, USER, yes=True)
        assert any("C'est noté" in t for t in texts(calls))
        ((status, actors),) = bot.rows("SELECT status, actors FROM followups")
        assert status == "scheduled"
        structures = len(json.loads(actors))
        assert structures >= 2

        await api.wait_for(lambda _: len(shown_followups(api, USER)) == 1, 10)
        (first,) = shown_followups(api, USER)
        rows = first["reply_markup"]["inline_keyboard"]
        assert len(rows) == structures + 1 and rows[-1][0]["text"] == "Ne plus me relancer"
        calls = await bot.press(USER, rows[0][0]["callback_data"], first["message_id"])
        assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
        assert "✓1 ✅" in json.dumps(calls[1].params["reply_markup"], ensure_ascii=False)
        assert bot.rows("SELECT answer, round FROM followup_answers") == [("reached", 1)]

        await api.wait_for(lambda _: len(shown_followups(api, USER)) == 2, 20)
        second = shown_followups(api, USER)[1]
        assert "pas encore jointes" in second["text"]
        rows = second["reply_markup"]["inline_keyboard"]
        assert len(rows) == structures, "only the structures not yet reached, then stop"
        calls = await bot.press(USER, rows[0][1]["callback_data"], second["message_id"])
        assert bot.rows("SELECT COUNT(*) FROM followup_answers WHERE round = 2") == [(1,)]
        calls = await bot.press(USER, rows[-1][0]["callback_data"], second["message_id"])
        assert "je ne vous relancerai plus" in texts(calls)[0]

        calls = await bot.say(USER, "/mesdonnees")
        assert "Votre relance (1)" in texts(calls)[0] and "📵 pas de réponse" in texts(calls)[0]
        await bot.say(USER, "/oubli")
        await bot.tap(USER, "Oui, tout effacer")
        left = bot.rows(
            "SELECT (SELECT COUNT(*) FROM followups), (SELECT COUNT(*) FROM followup_answers)"
        )
    assert left == [(0, 0)]
    assert len(followups_to(api, USER)) == 2, "at most two follow-ups"


async def test_no_thanks_schedules_nothing_and_forget_cancels(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    settings = settings_for(api, tmp_path, followup_days=(0.00004,), followup_hours=None)
    async with running_bot(api, settings) as bot:
        await results_for(bot, USER)
        calls = await answer_offer(bot, USER, yes=False)
        assert any("je ne vous relancerai pas" in t for t in texts(calls))
        await results_for(bot, OTHER)
        await answer_offer(bot, OTHER, yes=True)
        await bot.say(OTHER, "/oubli")  # before it falls due (about 3.5 s)
        await bot.tap(OTHER, "Oui, tout effacer")
        await asyncio.sleep(4.0)
        rows = bot.rows("SELECT status FROM followups")
    assert rows == [("declined",)], "the declined offer counted, the other erased"
    assert shown_followups(api, USER) == shown_followups(api, OTHER) == []

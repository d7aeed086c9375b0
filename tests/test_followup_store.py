"""Follow-ups on a real SQLite file: scheduled, due, sent once, ended, erased, purged."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from support.bundled import KB

from bot.chatseal import ChatSeal
from bot.core.catalogue import Catalogue
from bot.core.dialogue.events import Press
from bot.core.dialogue.steps.followup import Tap, tap_of
from bot.followup.model import Answer, Followup, Status
from bot.followup.rules import Hours
from bot.followup.service import FollowupService
from bot.storage import Storage
from bot.storage.schema import LATEST

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
CHAT = 987654321
SECRET = b"s" * 32


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def service_on(
    storage: Storage, clock: Clock, days: tuple[float, ...] = (10, 30)
) -> FollowupService:
    return FollowupService(
        storage.followups, ChatSeal(SECRET), KB, Catalogue.load(), days, None, clock
    )


async def test_migration_five_adds_the_tables(tmp_path: Path) -> None:
    async with await Storage.open(tmp_path / "db.sqlite3") as storage:
        assert await storage.schema_version() == LATEST >= 5
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"followups", "followup_answers"} <= tables


async def test_both_follow_ups_then_done_and_the_chat_id_dropped(tmp_path: Path) -> None:
    clock = Clock()
    async with await Storage.open(tmp_path / "db.sqlite3") as storage:
        service = service_on(storage, clock)
        woken: list[datetime] = []
        service.on_scheduled = woken.append
        actors = ("urscop", "adepes")
        await service.offer("u1", CHAT, "c1", "fr", actors, accepted=True)
        await service.offer("u2", CHAT + 1, "c2", "fr", actors, accepted=False)
        assert woken == [T0 + timedelta(days=10)]
        assert await service.outgoing(10) == [], "not due yet"
        assert await service.next_send() == T0 + timedelta(days=10)

        clock.now = T0 + timedelta(days=10)
        (first,) = await service.outgoing(10)
        assert (first.chat_id, first.number) == (CHAT, 1)
        assert "ESS" in first.reply.text or first.reply.buttons
        assert len(first.reply.buttons) == 3, "one row per structure, then « Ne plus me relancer »"
        assert await service.sent(first.followup)
        assert not await service.sent(first.followup), "marked once"
        assert await service.outgoing(10) == []

        tap = tap_of(Press(first.reply.buttons[0][0].data))
        assert tap == Tap("c1", 0, "reached")
        assert await service.tap("someone-else", tap) is None, "not their button"
        shown = await service.tap("u1", tap)
        assert shown is not None and shown.edit and "✓1 ✅" in shown.buttons[0][0].label

        clock.now = T0 + timedelta(days=30)
        (second,) = await service.outgoing(10)
        assert second.number == 2
        assert len(second.reply.buttons) == 2, "only the structure not yet reached"
        assert await service.sent(second.followup)
        row = await storage.followups.get("c1")
        assert row is not None and row.status is Status.DONE and row.chat is None
        assert row.due_at is None and row.sent == 2
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        blobs = [bytes(r[0]) for r in db.execute("SELECT chat FROM followups") if r[0]]
        assert blobs == [], "no chat id kept once nothing is left to send"
        raw = (tmp_path / "db.sqlite3").read_bytes()
    assert str(CHAT).encode() not in raw


async def test_nothing_left_to_ask_sends_no_second_follow_up(tmp_path: Path) -> None:
    clock = Clock()
    async with await Storage.open(tmp_path / "db.sqlite3") as storage:
        service = service_on(storage, clock)
        await service.offer("u1", CHAT, "c1", "fr", ("adepes",), accepted=True)
        clock.now += timedelta(days=10)
        (first,) = await service.outgoing(10)
        await service.sent(first.followup)
        await service.tap("u1", Tap("c1", 0, Answer.WRONG.value))
        clock.now += timedelta(days=20)
        assert await service.outgoing(10) == []
        row = await storage.followups.get("c1")
        assert row is not None and row.status is Status.DONE


async def test_stop_blocked_forget_and_purge(tmp_path: Path) -> None:
    clock = Clock()
    async with await Storage.open(tmp_path / "db.sqlite3") as storage:
        service = service_on(storage, clock, days=(1,))
        for n in range(3):
            await service.offer(f"u{n}", CHAT + n, f"c{n}", "fr", ("adepes",), accepted=True)
        clock.now += timedelta(days=1)
        batch = await service.outgoing(10)
        assert [o.followup.conversation_id for o in batch] == ["c0", "c1", "c2"]
        await service.blocked(batch[1])
        await service.sent(batch[0].followup)
        stopped = await service.tap("u0", Tap("c0"))
        assert stopped is not None and "relancerai plus" in stopped.text
        await service.tap("u0", Tap("c0", 0, Answer.NO_ANSWER.value))
        statuses = {o.conversation_id: o.status for o in (await storage.followups.period())[0]}
        assert statuses == {"c0": Status.DONE, "c1": Status.BLOCKED, "c2": Status.SCHEDULED}

        report = await storage.forget("u0")
        assert report.complete
        assert await storage.followups.get("c0") is None
        assert await storage.followups.answers("c0") == {}

        erased, _ = await storage.purge(clock.now)
        assert erased == 0
        assert (await storage.followups.period()) == ([], []), "older than the retention"


async def test_being_sent_stops_postpones_and_settles(tmp_path: Path) -> None:
    """« sending » (marked before the request): a stop still stops it, a refusal schedules it
    again, and one left by a crash counts as sent (at most once)."""
    clock = Clock()
    async with await Storage.open(tmp_path / "db.sqlite3") as storage:
        service = service_on(storage, clock)
        for n in range(3):
            await service.offer(f"u{n}", CHAT + n, f"c{n}", "fr", ("adepes",), accepted=True)
        clock.now += timedelta(days=10)
        stopped, refused, crashed = await service.outgoing(10)
        for outgoing in (stopped, refused, crashed):
            assert await service.sending(outgoing)
        assert await service.outgoing(10) == [], "not read again while being sent"
        assert await storage.followups.end("c0", "u0", Status.STOPPED)
        assert not await service.sent(stopped.followup), "a stop wins over a late answer"
        await storage.followups.postpone(refused.followup, clock.now)
        assert [o.followup.conversation_id for o in await service.outgoing(10)] == ["c1"]
        assert await service.settle_in_flight() == 1
        assert await service.settle_in_flight() == 0
        rows = {o.conversation_id: o for o in (await storage.followups.period())[0]}
        assert {c: (o.status, o.sent) for c, o in rows.items()} == {
            "c0": (Status.STOPPED, 0),
            "c1": (Status.SCHEDULED, 0),
            "c2": (Status.SCHEDULED, 1),
        }


async def test_a_due_follow_up_postponed_is_due_again_later(tmp_path: Path) -> None:
    clock = Clock()
    async with await Storage.open(tmp_path / "db.sqlite3") as storage:
        service = service_on(storage, clock, days=(1,))
        await service.offer("u", CHAT, "c", "en", ("adepes",), accepted=True)
        clock.now += timedelta(days=1)
        (outgoing,) = await service.outgoing(10)
        assert "Were you able to reach" in outgoing.reply.text
        await storage.followups.postpone(outgoing.followup, clock.now + timedelta(minutes=5))
        assert await service.outgoing(10) == []
        clock.now += timedelta(minutes=5)
        assert len(await service.outgoing(10)) == 1
        assert isinstance((await storage.followups.scheduled())[0], Followup)


async def test_nothing_goes_out_on_sunday_or_at_night(tmp_path: Path) -> None:
    clock = Clock()
    async with await Storage.open(tmp_path / "db.sqlite3") as storage:
        service = service_on(storage, clock, days=(1,))
        service.hours = Hours(time(9), time(19))
        await service.offer("u", CHAT, "c", "fr", ("adepes",), accepted=True)
        clock.now = datetime(2026, 12, 6, 11, 0, tzinfo=UTC)  # Sunday noon in Toulouse
        assert await service.outgoing(10) == []
        assert await service.next_send() == T0 + timedelta(days=1), "its due time, in the hours"
        clock.now = datetime(2026, 12, 7, 7, 59, tzinfo=UTC)  # Monday 08:59
        assert await service.outgoing(10) == []
        clock.now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday 09:00
        assert len(await service.outgoing(10)) == 1


async def test_my_data_lists_the_follow_ups_and_answers(tmp_path: Path) -> None:
    clock = Clock()
    async with await Storage.open(tmp_path / "db.sqlite3") as storage:
        service = service_on(storage, clock, days=(1,))
        assert await service.my_data("u", "fr") == []
        await service.offer("u", CHAT, "c", "fr", ("urscop", "adepes"), accepted=True)
        lines = await service.my_data("u", "fr")
        assert lines == ["Votre relance (1) :", "• échange du 01/12/2026 : prévue le 02/12/2026"]
        clock.now += timedelta(days=1)
        (outgoing,) = await service.outgoing(10)
        await service.sent(outgoing.followup)
        await service.tap("u", Tap("c", 1, Answer.NO_ANSWER.value))
        lines = await service.my_data("u", "en")
        assert lines[1] == "• conversation of 01/12/2026: finished"
        assert lines[2].endswith(": 📵 no answer") and len(lines) == 3

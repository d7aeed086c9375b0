"""What one turn costs the storage, counted on a real SQLite file: thread round trips (each a
wake-up of aiosqlite's thread and of the event loop: none for a turn, one when another writer
holds the file) and rows written."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from support.bundled import numbered_dialogue

from bot.core.dialogue.events import Command, Event, Press, Reply, Start, Text
from bot.outbox import Delivery
from bot.service import OrientationService, Who
from bot.storage import Storage

WHO = Who(424_242, "fr")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class RoundTrips:
    """Counts the calls queued to aiosqlite's thread for one storage."""

    def __init__(self, storage: Storage) -> None:
        self.count = 0
        db = storage._db
        queued: Callable[..., Awaitable[Any]] = db._execute

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await queued(*args, **kwargs)

        db._execute = counted  # type: ignore[method-assign]

    def take(self) -> int:
        """Round trips since the last call."""
        count, self.count = self.count, 0
        return count


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    store = await Storage.open(tmp_path / "bot.sqlite3")
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
def service(storage: Storage) -> OrientationService:
    return OrientationService(numbered_dialogue(), storage, b"k" * 32, 365, clock=lambda: NOW)


def button(replies: list[Reply], label: str) -> str:
    return next(b.data for r in replies for row in r.buttons for b in row if label in b.label)


async def test_a_turn_wakes_no_thread_unless_the_file_is_busy(
    service: OrientationService, storage: Storage, tmp_path: Path
) -> None:
    trips = RoundTrips(storage)
    update_ids = itertools.count(1)

    async def turn(event: Event) -> tuple[list[Reply], int]:
        """The turn's replies, and the round trips of the turn and of the inbox around it."""
        update_id = next(update_ids)
        assert await storage.receive({update_id: "{}"}, NOW) == {update_id}
        replies = await service.handle(WHO, event, Delivery(update_id, WHO.user_id))
        await storage.sent(update_id, None)
        return replies, trips.take()

    replies, trips_taken = await turn(Start())
    assert trips_taken == 0, "the first turn, reading the consent given before too"
    steps: list[Callable[[list[Reply]], Event]] = [
        lambda r: Press(button(r, "J'ai une idée")),
        lambda r: Press(button(r, "SCOP")),
        lambda r: Press(button(r, "Créer une coopérative")),
        lambda r: Press(button(r, "Valider")),
        lambda r: Text("Colomiers"),
        lambda r: Press(button(r, "Passer")),
        lambda r: Press(button(r, "👍")),
    ]
    for step in steps:
        replies, trips_taken = await turn(step(replies))
        assert trips_taken == 0, f"{step(replies)}: load, write, receive and sent on the loop"
    rows = await storage.conversations()
    assert [(r.commune, r.feedback is not None) for r in rows] == [("31149", True)]
    assert await storage.unfinished() == ([], []), "every update done, every reply sent"
    trips.take()

    blocker = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the file
    waiting = asyncio.ensure_future(service.handle(WHO, Command("aide")))
    await asyncio.sleep(0.2)
    assert not waiting.done(), "the turn's write waits for the lock, on aiosqlite's thread"
    blocker.execute("COMMIT")
    blocker.close()
    assert await asyncio.wait_for(waiting, 10)
    assert trips.take() == 1, "one round trip: the whole transaction, queued on the thread"
    assert service.pending == 0, "written once the lock was free"


async def test_the_log_row_is_written_only_when_it_changes(
    service: OrientationService, storage: Storage, tmp_path: Path
) -> None:
    changes = storage._direct.total_changes
    replies = await service.handle(WHO, Start())
    assert storage._direct.total_changes - changes == 2, "the state and the new row"
    for event in (Command("aide"), Text("🙂"), Command("aide")):
        changes = storage._direct.total_changes
        await service.handle(WHO, event)
        assert storage._direct.total_changes - changes == 1, f"{event}: the state only"
    changes = storage._direct.total_changes
    await service.handle(WHO, Press(button(replies, "J'ai une idée")))
    assert storage._direct.total_changes - changes == 2, "the answer changes the row"
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        assert db.execute("SELECT stage FROM conversations").fetchall() == [("idea",)]


async def test_a_turn_builds_one_demand_log_row(
    service: OrientationService, storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row the last turn built stands for the state it left: compared, not built again;
    a state changed meanwhile (here: on disk, by anyone) is not mistaken for it."""
    built: list[str] = []
    record = service._record

    def counted(state: Any, user: str, now: datetime, outcome: Any = None) -> Any:
        built.append(state.step)
        return record(state, user, now, outcome)

    monkeypatch.setattr(service, "_record", counted)
    replies = await service.handle(WHO, Start())
    for event in (Command("aide"), Press(button(replies, "J'ai une idée"))):
        built.clear()
        await service.handle(WHO, event)
        assert len(built) == 1, f"{event}: {built}"
    user = service.pseudonym(WHO)
    state = await storage.load_state(user)
    assert state is not None
    await storage.save_state(user, state | {"stage": "growing"}, NOW)
    built.clear()
    await service.handle(WHO, Command("aide"))
    assert len(built) == 2, "the state on disk is not the one the last row was built from"
    (row,) = await storage.conversations()
    assert row.stage == "idea", "compared with the row of the state loaded: nothing new"

"""What one turn costs the storage, counted on a real SQLite file: thread round trips (each a
wake-up of aiosqlite's thread and of the event loop) and rows written."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.catalogue import Catalogue
from bot.core.dialogue.engine import Dialogue
from bot.core.dialogue.events import Command, Event, Press, Reply, Start, Text
from bot.core.loader import load_knowledge
from bot.outbox import Delivery
from bot.service import OrientationService, Who
from bot.storage import Storage

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
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
    counter = itertools.count(1)
    dialogue = Dialogue(
        load_knowledge(KNOWLEDGE), Catalogue.load(), new_id=lambda: f"c{next(counter)}"
    )
    return OrientationService(dialogue, storage, b"k" * 32, 365, clock=lambda: NOW)


def button(replies: list[Reply], label: str) -> str:
    return next(b.data for r in replies for row in r.buttons for b in row if label in b.label)


async def test_a_turn_is_one_round_trip_to_load_and_one_to_write(
    service: OrientationService, storage: Storage
) -> None:
    trips = RoundTrips(storage)
    update_ids = itertools.count(1)

    async def turn(event: Event) -> tuple[list[Reply], int, int]:
        """The turn's replies, its round trips, then those of the inbox around it."""
        update_id = next(update_ids)
        assert await storage.receive(update_id, "{}", NOW)
        received = trips.take()
        replies = await service.handle(WHO, event, Delivery(update_id, WHO.user_id))
        turn_trips = trips.take()
        await storage.sent(update_id, None)
        return replies, turn_trips, received + trips.take()

    replies, first, inbox = await turn(Start())
    assert (first, inbox) == (3, 2), "the first turn also reads the consent given before"
    steps: list[Callable[[list[Reply]], Event]] = [
        lambda r: Press(button(r, "J'ai une idée")),
        lambda r: Press(button(r, "SCOP")),
        lambda r: Press(button(r, "Créer une coopérative")),
        lambda r: Press(button(r, "Valider")),
        lambda r: Text("Colomiers"),
        lambda r: Press(button(r, "Passer")),
        lambda r: Press(button(r, "👍")),
        lambda r: Command("aide"),
    ]
    for step in steps:
        replies, cost, inbox = await turn(step(replies))
        assert (cost, inbox) == (2, 2), f"{step(replies)}: load 1 + write 1, receive 1 + sent 1"
    rows = await storage.conversations()
    assert [(r.commune, r.feedback is not None) for r in rows] == [("31149", True)]
    assert await storage.unfinished() == ([], []), "every update done, every reply sent"


async def test_the_log_row_is_written_only_when_it_changes(
    service: OrientationService, storage: Storage, tmp_path: Path
) -> None:
    changes = storage._db.total_changes
    replies = await service.handle(WHO, Start())
    assert storage._db.total_changes - changes == 2, "the state and the new row"
    for event in (Command("aide"), Text("🙂"), Command("aide")):
        changes = storage._db.total_changes
        await service.handle(WHO, event)
        assert storage._db.total_changes - changes == 1, f"{event}: the state only"
    changes = storage._db.total_changes
    await service.handle(WHO, Press(button(replies, "J'ai une idée")))
    assert storage._db.total_changes - changes == 2, "the answer changes the row"
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        assert db.execute("SELECT stage FROM conversations").fetchall() == [("idea",)]

"""The orientation service on the in-memory storage fake, and on a real SQLite file where the
file itself is the point: logging, privacy, faults."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.memory_storage import MemoryStorage

from bot.core.catalogue import to_plain
from bot.core.dialogue.engine import Dialogue
from bot.core.dialogue.events import Command, Press, Reply, Start, Text
from bot.core.records import Feedback, Outcome
from bot.service import OrientationService, Who
from bot.storage import Storage

RAW_ID = 987_654_321
WHO = Who(RAW_ID, "fr")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def memory() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def service(dialogue: Dialogue, memory: MemoryStorage) -> OrientationService:
    """The service on the in-memory fake of the storage interface."""
    return OrientationService(dialogue, memory, b"k" * 32, 365, clock=Clock())


@pytest.fixture
async def disk(tmp_path: Path, dialogue: Dialogue) -> AsyncIterator[OrientationService]:
    """The service on a real SQLite file, for what only the file shows (bytes, locks, WAL)."""
    storage = await Storage.open(tmp_path / "bot.sqlite3")
    try:
        yield OrientationService(dialogue, storage, b"k" * 32, 365, clock=Clock())
    finally:
        await storage.close()


def find(replies: list[Reply], label: str) -> str:
    for reply in replies:
        for row in reply.buttons:
            for button in row:
                if label.lower() in button.label.lower():
                    return button.data
    raise AssertionError(f"no button {label!r}")


async def converse(service: OrientationService, who: Who = WHO) -> list[Reply]:
    replies = await service.handle(who, Start("accueil"))
    for label in ("J'ai une idée", "SCOP", "Créer une coopérative", "Valider"):
        replies = await service.handle(who, Press(find(replies, label)))
    replies = await service.handle(who, Text("Colomiers"))
    replies = await service.handle(who, Press(find(replies, "Passer")))
    return await service.handle(who, Press(find(replies, "👍")))


async def test_a_conversation_is_logged_under_a_pseudonym(
    disk: OrientationService, tmp_path: Path
) -> None:
    await converse(disk)
    records = await disk.storage.conversations()
    assert len(records) == 1
    record = records[0]
    assert record.user == disk.pseudonym(WHO) and record.user != str(RAW_ID)
    assert (record.outcome, record.source, record.feedback) == (
        Outcome.COMPLETED,
        "accueil",
        Feedback.USEFUL,
    )
    assert (record.stage, record.legal_form, record.needs, record.commune) == (
        "idea",
        "scop",
        ("coop-status",),
        "31149",
    )
    assert "urscop" in record.recommended
    await disk.storage.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("bot.sqlite3"))
    assert str(RAW_ID).encode() not in raw


async def test_state_survives_a_new_service_on_the_same_database(
    disk: OrientationService, dialogue: Dialogue
) -> None:
    replies = await disk.handle(WHO, Start())
    await disk.handle(WHO, Press(find(replies, "J'ai une idée")))
    again = OrientationService(dialogue, disk.storage, b"k" * 32, 365)
    replies = await again.handle(WHO, Text("SCOP"))
    assert (await again.load(again.pseudonym(WHO))).legal_form == "scop"  # type: ignore[union-attr]


async def test_restart_is_logged_as_restarted(service: OrientationService) -> None:
    replies = await service.handle(WHO, Start())
    await service.handle(WHO, Press(find(replies, "J'ai une idée")))
    await service.handle(WHO, Command("recommencer"))
    outcomes = sorted(r.outcome for r in await service.storage.conversations())
    assert outcomes == [Outcome.IN_PROGRESS, Outcome.RESTARTED]


async def test_idle_conversations_are_abandoned(service: OrientationService) -> None:
    replies = await service.handle(WHO, Start())
    await service.handle(WHO, Press(find(replies, "J'ai une idée")))
    service.clock.now += timedelta(hours=1)  # type: ignore[attr-defined]
    assert await service.expire_idle(timedelta(minutes=30)) == 1
    (record,) = await service.storage.conversations()
    assert record.outcome == Outcome.ABANDONED
    assert await service.storage.load_state(service.pseudonym(WHO)) is None


async def test_my_data_lists_conversations_and_forget_erases_them(
    service: OrientationService,
) -> None:
    await converse(service)
    text = "\n".join(to_plain(r.text) for r in await service.handle(WHO, Command("mesdonnees")))
    assert "Vos conversations (1)" in text and "365 jours" in text and "Colomiers" in text
    replies = await service.handle(WHO, Command("oubli"))
    assert "effacer" in to_plain(replies[0].text)
    replies = await service.handle(WHO, Press(find(replies, "Oui, tout effacer")))
    assert "1 conversation" in to_plain(replies[0].text)
    assert await service.storage.conversations() == []
    assert await service.storage.load_state(service.pseudonym(WHO)) is None


async def test_consent_is_remembered_for_the_next_conversation(service: OrientationService) -> None:
    await service.handle(WHO, Start())
    replies = await service.handle(WHO, Text("une scop à Toulouse"))
    await service.handle(WHO, Press(find(replies, "Oui, vous pouvez")))
    await service.handle(WHO, Command("recommencer"))
    replies = await service.handle(WHO, Text("un coworking à Colomiers"))
    assert not any("Pouvons-nous garder" in to_plain(r.text) for r in replies)
    assert await service.storage.get_consent(service.pseudonym(WHO)) is True


@pytest.mark.parametrize("fault", ["read-only", "locked"])
async def test_database_faults_lose_nothing(
    disk: OrientationService, fault: str, tmp_path: Path
) -> None:
    db, direct = disk.storage._db, disk.storage._direct  # aiosqlite's thread, the event loop's
    await disk.handle(WHO, Start())
    blocker = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    if fault == "locked":
        await db.execute("PRAGMA busy_timeout = 50")
        blocker.execute("BEGIN EXCLUSIVE")
    else:
        await db.execute("PRAGMA query_only = ON")
        direct.execute("PRAGMA query_only = ON")
    replies = await disk.handle(WHO, Text("je veux créer une SCIC à Toulouse avec un financement"))
    assert replies and disk.pending > 0
    replies = await disk.handle(WHO, Press(find(replies, "Non, merci")))
    assert any("Voici les structures" in to_plain(r.text) for r in replies), (
        "the person still gets answers"
    )
    assert await disk.flush() > 0, "still failing: still pending"
    if fault == "locked":
        blocker.execute("ROLLBACK")
    else:
        await db.execute("PRAGMA query_only = OFF")
        direct.execute("PRAGMA query_only = OFF")
    blocker.close()
    assert await disk.flush() == 0
    (record,) = await disk.storage.conversations()
    assert record.legal_form == "scic" and "funding" in record.needs
    state = await disk.storage.load_state(disk.pseudonym(WHO))
    assert state is not None and state["step"] == "results"


def test_health_follows_the_heartbeat(tmp_path: Path, english_command_line: None) -> None:
    from bot.config import Settings
    from bot.health import STALE_AFTER, beat, check

    settings = Settings(db_path=tmp_path / "bot.sqlite3")
    assert "no heartbeat" in (check(settings) or "")
    beat(settings)
    assert check(settings) is None
    later = datetime.now(UTC).timestamp() + STALE_AFTER.total_seconds() + 5
    assert "last heartbeat" in (check(settings, now=later) or "")


async def test_text_awaiting_consent_never_reaches_the_disk(
    disk: OrientationService, tmp_path: Path
) -> None:
    secret_words = "mon fils est handicapé et je suis au RSA, à Balma"
    await disk.handle(WHO, Start())
    replies = await disk.handle(WHO, Text(f"je veux ouvrir une épicerie, {secret_words}"))
    state = await disk.storage.load_state(disk.pseudonym(WHO))
    assert state is not None and state["step"] == "consent" and state["pending_text"] is None
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("bot.sqlite3"))
    assert "handicapé".encode() not in raw
    await disk.handle(WHO, Press(find(replies, "Oui, vous pouvez")))
    (record,) = await disk.storage.conversations()
    assert record.free_text and "épicerie" in record.free_text, "kept once agreed"


async def test_my_data_names_the_structures(service: OrientationService) -> None:
    await converse(service)
    text = "\n".join(to_plain(r.text) for r in await service.handle(WHO, Command("mesdonnees")))
    assert "Union Régionale des SCOP" in text and "urscop" not in text


async def test_start_before_any_answer_leaves_no_conversation_in_progress(
    service: OrientationService,
) -> None:
    for _ in range(4):
        await service.handle(WHO, Start())
    await service.handle(WHO, Command("recommencer"))
    rows = await service.storage.conversations()
    assert [r.outcome for r in rows] == [Outcome.IN_PROGRESS], "only the current one"
    await service.handle(WHO, Press(find(await service.handle(WHO, Start()), "idée")))
    await service.handle(WHO, Start())
    outcomes = sorted(r.outcome.value for r in await service.storage.conversations())
    assert outcomes == ["in_progress", "restarted"], "an answered one is kept as restarted"


async def test_an_old_or_forged_erasure_confirmation_erases_nothing(
    service: OrientationService,
) -> None:
    await converse(service)
    first = await service.handle(WHO, Command("oubli"))
    second = await service.handle(WHO, Command("oubli"))
    old_yes, yes = find(first, "Oui, tout effacer"), find(second, "Oui, tout effacer")
    assert old_yes != yes and yes.split("|")[1:] == ["o", "y"]
    step = int(yes.split("|")[0])
    for forged in (old_yes, "o|y", f"{step + 1}|o|y", f"{step}|o|x", "*|o|y"):
        replies = await service.handle(WHO, Press(forged))
        assert "plus actif" in to_plain(replies[0].text), forged
        assert len(await service.storage.conversations()) == 1, forged
    replies = await service.handle(WHO, Press(yes))
    assert "1 conversation" in to_plain(replies[0].text)
    assert await service.storage.conversations() == []
    await converse(service)
    replies = await service.handle(WHO, Press(yes))
    assert "C'est fait" not in to_plain(replies[0].text), "a confirmation works once"
    assert len(await service.storage.conversations()) == 1


async def test_erasure_says_when_it_is_incomplete(disk: OrientationService, tmp_path: Path) -> None:
    await converse(disk)
    question = await disk.handle(WHO, Command("oubli"))
    reader = sqlite3.connect(tmp_path / "bot.sqlite3")
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM conversations").fetchone()
        replies = await disk.handle(WHO, Press(find(question, "Oui, tout effacer")))
    finally:
        reader.close()
    assert "Effacement incomplet, réessayez" in to_plain(replies[0].text)
    assert await disk.storage.conversations() == []
    question = await disk.handle(WHO, Command("oubli"))
    replies = await disk.handle(WHO, Press(find(question, "Oui, tout effacer")))
    assert "C'est fait" in to_plain(replies[0].text)


async def test_an_outage_keeps_the_turns_and_writes_them_once_back(
    service: OrientationService, memory: MemoryStorage
) -> None:
    replies = await service.handle(WHO, Start())
    memory.read_only = True
    replies = await service.handle(WHO, Press(find(replies, "J'ai une idée")))
    assert "statut" in to_plain(replies[0].text), "the person is answered all the same"
    (stored,) = memory.records.values()
    assert service.pending == 2 and stored.stage is None, "kept in memory, not written"
    replies = await service.handle(WHO, Press(find(replies, "SCOP")))
    assert await service.flush() == 2, "still down: still pending"
    memory.read_only = False
    assert await service.flush() == 0
    (record,) = memory.records.values()
    assert (record.stage, record.legal_form) == ("idea", "scop")

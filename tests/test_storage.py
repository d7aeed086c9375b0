"""Storage on real SQLite files: migrations, WAL, upsert, state, consent, forget, purge."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.records import ConversationRecord, Feedback, Outcome
from bot.storage import SchemaTooNewError, Storage, StorageError, StorageUnavailable
from bot.storage.schema import APPLICATION_ID, LATEST

T0 = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)

V1_SCHEMA = """
CREATE TABLE conversations (
    id TEXT PRIMARY KEY, user TEXT NOT NULL, started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, ended_at TEXT, source TEXT, lang TEXT NOT NULL,
    outcome TEXT NOT NULL, stage TEXT, legal_form TEXT, needs TEXT NOT NULL, commune TEXT,
    inferred TEXT NOT NULL, recommended TEXT NOT NULL, unmet_needs TEXT NOT NULL,
    feedback TEXT, free_text TEXT, synthetic INTEGER NOT NULL
);
CREATE TABLE dialogue_state (key TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at TEXT NOT NULL);
PRAGMA user_version = 1;
"""


def make_record(**fields: Any) -> ConversationRecord:
    values: dict[str, Any] = {
        "id": "c1",
        "user": "u" * 32,
        "started_at": T0,
        "updated_at": T0 + timedelta(minutes=3),
    }
    values.update(fields)
    return ConversationRecord(**values)


def file_bytes(folder: Path, prefix: str = "") -> bytes:
    """Every byte of the files in ``folder`` whose name starts with ``prefix``."""
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith(prefix))


def query(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return list(db.execute(sql, params))


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    store = await Storage.open(tmp_path / "log.sqlite3")
    yield store
    await store.close()


async def test_new_file_gets_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.sqlite3"
    async with await Storage.open(path) as storage:
        assert await storage.schema_version() == LATEST == 9
    assert query(path, "PRAGMA journal_mode") == [("wal",)]
    tables = {row[0] for row in query(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables >= {
        "conversations",
        "dialogue_state",
        "consent",
        "inbox",
        "handoffs",
        "handoff_queue",
        "followups",
        "followup_answers",
    }


async def test_v1_file_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(V1_SCHEMA)
        db.execute(
            "INSERT INTO conversations VALUES "
            "('old', 'p1', '2024-01-02T10:00:00.000000+00:00', '2024-01-02T10:05:00.000000+00:00',"
            " NULL, 'affiche', 'fr', 'completed', 'idea', 'association', '[\"funding\"]', '31555',"
            " '[]', '[\"la-mijoteuse\"]', '[]', 'useful', NULL, 0)"
        )
    db.close()
    async with await Storage.open(path) as storage:
        assert await storage.schema_version() == LATEST
        [record] = await storage.conversations()
        await storage.set_consent("p1", True)
        assert await storage.get_consent("p1") is True
    assert record.id == "old"
    assert record.needs == ("funding",)
    assert record.recommended == ("la-mijoteuse",)
    assert record.outcome is Outcome.COMPLETED
    assert record.feedback is Feedback.USEFUL
    assert record.started_at == datetime(2024, 1, 2, 10, tzinfo=UTC)
    indexes = {row[0] for row in query(path, "SELECT name FROM sqlite_master WHERE type='index'")}
    assert "conversations_started_at" in indexes


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(SchemaTooNewError, match="99"):
        await Storage.open(path)


async def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="pas une base SQLite"):
        await Storage.open(path)
    assert path.read_bytes() == b"this is not a database" * 100


async def test_record_round_trips_every_field(storage: Storage) -> None:
    record = make_record(
        source="affiche-mijoteuse",
        lang="en",
        outcome=Outcome.COMPLETED,
        ended_at=T0 + timedelta(minutes=4),
        stage="idea",
        legal_form="scic",
        needs=("funding", "premises"),
        commune="31149",
        inferred=("stage",),
        recommended=("la-mijoteuse", "urscop"),
        unmet_needs=("premises",),
        feedback=Feedback.NOT_USEFUL,
        free_text="Épicerie « solidaire »",
        synthetic=True,
    )
    await storage.save_conversation(record)
    assert await storage.conversations() == [record]


async def test_naive_datetimes_are_taken_as_utc(storage: Storage) -> None:
    await storage.save_conversation(make_record(started_at=datetime(2025, 1, 1, 12)))
    [record] = await storage.conversations()
    assert record.started_at == datetime(2025, 1, 1, 12, tzinfo=UTC)


async def test_save_is_an_upsert_by_id(storage: Storage, tmp_path: Path) -> None:
    await storage.save_conversation(make_record())
    await storage.save_conversation(make_record(outcome=Outcome.ABANDONED, needs=("advice",)))
    [record] = await storage.conversations()
    assert record.outcome is Outcome.ABANDONED
    assert record.needs == ("advice",)
    assert query(tmp_path / "log.sqlite3", "SELECT COUNT(*) FROM conversations") == [(1,)]


async def test_failed_batch_writes_nothing(storage: Storage) -> None:
    good = make_record(id="good")
    bad = make_record(id="bad", user=None)
    with pytest.raises(StorageUnavailable, match="NOT NULL"):
        await storage.save_conversations([good, bad])
    assert await storage.conversations() == []
    await storage.save_conversations([good])
    assert await storage.count_conversations() == 1


async def test_period_is_half_open_and_sorted(storage: Storage) -> None:
    days = [make_record(id=f"d{i}", started_at=T0 + timedelta(days=i)) for i in range(5)]
    await storage.save_conversations(reversed(days))
    found = await storage.conversations(T0 + timedelta(days=1), T0 + timedelta(days=3))
    assert [r.id for r in found] == ["d1", "d2"]
    assert [r.id for r in await storage.conversations(since=T0 + timedelta(days=3))] == ["d3", "d4"]
    assert [r.id for r in await storage.conversations()] == ["d0", "d1", "d2", "d3", "d4"]


async def test_conversations_of_and_counts(storage: Storage) -> None:
    await storage.save_conversations(
        [
            make_record(id="a1", user="alice"),
            make_record(id="a2", user="alice", synthetic=True),
            make_record(id="b1", user="bob"),
        ]
    )
    assert [r.id for r in await storage.conversations_of("alice")] == ["a1", "a2"]
    assert await storage.count_conversations() == 3
    assert await storage.count_conversations(synthetic=True) == 1
    assert await storage.count_conversations(synthetic=False) == 2


async def test_dialogue_state_lifecycle(storage: Storage) -> None:
    assert await storage.load_state("alice") is None
    await storage.save_state("alice", {"step": "needs", "needs": ["funding"]}, at=T0)
    await storage.save_state("bob", {"step": "commune"}, at=T0 + timedelta(hours=1))
    await storage.save_state("alice", {"step": "stage"}, at=T0 + timedelta(minutes=5))
    assert await storage.load_state("alice") == {"step": "stage"}
    idle = await storage.idle_states(T0 + timedelta(minutes=30))
    assert idle == [("alice", {"step": "stage"})]
    await storage.delete_state("alice")
    await storage.delete_state("nobody")
    assert await storage.load_state("alice") is None
    assert await storage.load_state("bob") == {"step": "commune"}


async def test_a_state_written_is_not_read_back_until_another_connection_writes(
    storage: Storage, tmp_path: Path
) -> None:
    """The states kept in memory (bot/storage/states.py): a turn does not read what the last
    one wrote, and a state deleted by anyone else (``aiguillage forget`` in another process,
    a report's thread) is never served from memory."""
    read: list[str] = []
    storage._direct.set_trace_callback(read.append)
    await storage.save_turn("alice", {"step": "needs", "needs": ["funding"]}, [], T0)
    await storage.save_state("bob", {"step": "commune"}, at=T0)
    read.clear()
    loaded = await storage.load_state("alice")
    assert loaded == {"step": "needs", "needs": ["funding"]}
    assert not [sql for sql in read if "dialogue_state" in sql], "served from memory"
    loaded["step"] = "changed by the caller"
    assert await storage.load_state("alice") == {"step": "needs", "needs": ["funding"]}
    with sqlite3.connect(tmp_path / "log.sqlite3") as other:
        other.execute("DELETE FROM dialogue_state WHERE key = 'alice'")
    assert await storage.load_state("alice") is None, "another process deleted it"
    assert await storage.load_state("bob") == {"step": "commune"}, "read again from the file"
    await storage.forget("bob")
    assert await storage.load_state("bob") is None
    await storage.save_state("carol", {"step": "stage"}, at=T0)
    assert await storage.purge(T0 + timedelta(days=1)) == (0, True)
    assert await storage.load_state("carol") is None, "purged: not served from memory"


async def test_a_turn_sets_only_the_columns_of_its_row_that_changed(
    storage: Storage, tmp_path: Path
) -> None:
    """The rows kept in memory (bot/storage/states.py): a turn's upsert sets only what changed
    since the row the last turn wrote, none when nothing did; a row another connection changed
    or deleted is written whole again."""
    path = tmp_path / "log.sqlite3"
    written: list[str] = []
    storage._direct.set_trace_callback(written.append)
    first = make_record(stage="idea")
    await storage.save_turn("p", {}, [first], T0)
    assert any("legal_form = excluded.legal_form" in sql for sql in written), "first: whole row"
    written.clear()
    second = replace(first, legal_form="scop", updated_at=T0 + timedelta(minutes=4))
    await storage.save_turn("p", {}, [second], T0)
    [upsert] = {sql for sql in written if sql.startswith("INSERT INTO conversations")}
    assert upsert.endswith(
        "DO UPDATE SET updated_at = excluded.updated_at, legal_form = excluded.legal_form"
    )
    assert await storage.conversations() == [second]
    written.clear()
    await storage.save_turn("p", {}, [second], T0)
    assert not [sql for sql in written if "conversations" in sql], "nothing changed"
    with sqlite3.connect(path) as other:
        other.execute("UPDATE conversations SET stage = 'growing', needs = '[\"x\"]'")
    third = replace(second, feedback=Feedback.USEFUL)
    await storage.save_turn("p", {}, [third], T0)
    assert await storage.conversations() == [third], "changed elsewhere: written whole"
    with sqlite3.connect(path) as other:
        other.execute("DELETE FROM conversations")
    await storage.save_turn("p", {}, [third], T0)
    assert await storage.conversations() == [third], "deleted elsewhere: inserted again"


async def test_a_reply_recorded_later_goes_with_the_next_commit_that_succeeds(
    storage: Storage, tmp_path: Path
) -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    await storage.save_turn("p", {}, [], now)
    assert await storage.receive({7: "{}"}, now) == {7}
    await storage.sent(7, "[edit]")
    await storage.sent(7, None, later=True)
    assert await storage.unfinished() == (["{}"], [(7, "[edit]")]), "not written yet"
    with pytest.raises(StorageUnavailable):
        await storage._now(("INSERT INTO no_such_table VALUES (1)", ()))
    assert await storage.unfinished() == (["{}"], [(7, "[edit]")]), "that commit failed"
    await storage.save_turn("p", {"step": "stage"}, [], now)
    assert await storage.unfinished() == ([], []), "written with the turn that came next"


async def test_consent(storage: Storage) -> None:
    assert await storage.get_consent("alice") is None
    await storage.set_consent("alice", False)
    assert await storage.get_consent("alice") is False
    await storage.set_consent("alice", True)
    assert await storage.get_consent("alice") is True


async def test_forget_erases_every_trace_of_one_pseudonym(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    victim = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
    async with await Storage.open(path) as storage:
        await storage.save_conversations(
            [
                make_record(id="v1", user=victim),
                make_record(id="v2", user=victim),
                make_record(id="o1", user="other"),
            ]
        )
        await storage.save_state(victim, {"step": "needs"})
        await storage.save_state("other", {"step": "needs"})
        await storage.set_consent(victim, True)
        report = await storage.forget(victim)
        assert (report.conversations, report.states, report.consents) == (2, 1, 1)
        assert report.total == 4
        assert (await storage.forget(victim)).total == 0
    assert query(path, "SELECT COUNT(*) FROM conversations WHERE user = ?", victim) == [(0,)]
    assert query(path, "SELECT COUNT(*) FROM dialogue_state WHERE key = ?", victim) == [(0,)]
    assert query(path, "SELECT COUNT(*) FROM consent WHERE user = ?", victim) == [(0,)]
    assert query(path, "SELECT id FROM conversations") == [("o1",)]
    files = file_bytes(tmp_path, "log")
    assert victim.encode() not in files
    assert b"other" in files


async def test_purge_erases_old_conversations_and_stale_states(storage: Storage) -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    await storage.save_conversations(
        [
            make_record(id="old", started_at=now - timedelta(days=400)),
            make_record(id="older", started_at=now - timedelta(days=800)),
            make_record(id="recent", started_at=now - timedelta(days=10)),
        ]
    )
    await storage.save_state("stale", {}, at=now - timedelta(days=400))
    await storage.save_state("fresh", {}, at=now - timedelta(minutes=1))
    assert await storage.purge(now - timedelta(days=365)) == (2, True)
    assert [r.id for r in await storage.conversations()] == ["recent"]
    assert await storage.load_state("stale") is None
    assert await storage.load_state("fresh") == {}


async def test_free_text_is_redacted_before_it_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    record = make_record(free_text="Rappelez-moi au 06 12 34 56 78 ou jean@exemple.fr")
    async with await Storage.open(path) as storage:
        await storage.save_conversation(record)
        [stored] = await storage.conversations()
    assert stored.free_text == "Rappelez-moi au […] ou […]"
    assert replace(stored, free_text=record.free_text) == record
    files = file_bytes(tmp_path)
    assert b"56 78" not in files
    assert b"jean@" not in files


async def test_purge_also_erases_consent_of_people_with_nothing_left(storage: Storage) -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    old = now - timedelta(days=400)
    await storage.save_conversations(
        [make_record(id="gone", user="gone", started_at=old),
         make_record(id="kept", user="stays", started_at=now - timedelta(days=3))]
    )  # fmt: skip
    for user in ("gone", "stays", "chatting", "never-finished"):
        await storage.set_consent(user, True, at=old)
    await storage.save_state("chatting", {}, at=now - timedelta(minutes=5))
    await storage.set_consent("recent", False, at=now - timedelta(days=1))
    assert await storage.purge(now - timedelta(days=365)) == (1, True)
    assert [await storage.get_consent(u) for u in ("gone", "never-finished")] == [None, None]
    assert [await storage.get_consent(u) for u in ("stays", "chatting")] == [True, True]
    assert await storage.get_consent("recent") is False


async def test_forget_reports_an_incomplete_erasure_while_a_reader_holds_a_snapshot(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.sqlite3"
    victim = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
    async with await Storage.open(path) as storage:
        await storage.save_conversations([make_record(id="v1", user=victim)])
        reader = sqlite3.connect(path)
        try:
            reader.execute("BEGIN")
            assert reader.execute("SELECT COUNT(*) FROM conversations").fetchone() == (1,)
            started = time.monotonic()
            report = await storage.forget(victim)
            took = time.monotonic() - started
            assert (report.conversations, report.complete) == (1, False)
            assert took < 5, f"retries bounded, took {took:.1f} s"
        finally:
            reader.close()
        again = await storage.forget(victim)
        assert (again.total, again.complete) == (0, True)
    assert victim.encode() not in file_bytes(tmp_path, "log")


async def test_the_inbox_keeps_an_update_until_its_turn_and_its_replies_are_done(
    storage: Storage,
) -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    assert await storage.receive({7: '{"update_id": 7, "text": "bonjour"}'}, now) == {7}
    changes = storage._direct.total_changes
    assert await storage.receive({7: '{"update_id": 7}', 8: '{"update_id": 8}'}, now) == {8}, (
        "a duplicate is refused, the new one of the same batch kept"
    )
    assert storage._direct.total_changes == changes + 1
    assert await storage.unfinished() == (
        ['{"update_id": 7, "text": "bonjour"}', '{"update_id": 8}'],
        [],
    )
    await storage.save_turn("p", {}, [make_record(id="c7", user="p")], now, answered=(7, "[r]"))
    await storage.finish(8)
    assert await storage.unfinished() == ([], [(7, "[r]")]), "done, its replies still owed"
    await storage.sent(7, None)
    assert await storage.unfinished() == ([], [])
    assert await storage.receive({9: '{"update_id": 9, "text": "salut"}'}, now) == {9}
    await storage.sent(9, "[r2]")
    assert await storage.unfinished() == (['{"update_id": 9, "text": "salut"}'], [(9, "[r2]")])
    await storage.sent(9, None)
    assert await storage.unfinished() == ([], []), "its last reply sent: the update is done"
    assert query(storage._path, "SELECT payload, done FROM inbox WHERE update_id = 9") == [
        (None, 1)
    ], "and its content forgotten"
    assert await storage.purge_inbox(now) == 0, "done rows kept a while to drop duplicates"
    assert await storage.purge_inbox(now + timedelta(minutes=11)) == 3
    assert await storage.receive({7: "{}"}, now) == {7}, "forgotten once purged"

"""The database schema as numbered migration steps, tracked by ``PRAGMA user_version``.

Step *n* takes a database from version *n - 1* to *n*; append new steps, never edit old ones.
"""

from __future__ import annotations

import aiosqlite

from bot.core.diagnostics import say

APPLICATION_ID = 0x41494755
"""``PRAGMA application_id`` of an Aiguillage database ("AIGU")."""
FIRST_TABLES = frozenset({"conversations", "dialogue_state"})
"""Tables of every version, recognising files written before the application id."""

REPORT_KEYS = (
    ("outcome", "outcome", "{r}.outcome", "", ""),
    ("feedback", "feedback", "COALESCE({r}.feedback, '')", "", ""),
    ("needs", "need", "j.value", "json_each({r}.needs) AS j", ""),
    ("needs", "need", "''", "", "{r}.needs = '[]'"),
    ("stage", "stage", "COALESCE({r}.stage, '')", "", ""),
    ("legal_form", "legal_form", "COALESCE({r}.legal_form, '')", "", ""),
    ("source", "source", "COALESCE({r}.source, '')", "", ""),
    ("commune", "commune", "COALESCE({r}.commune, '')", "", ""),
    ("recommended", "recommended", "j.value", "json_each({r}.recommended) AS j", ""),
    ("recommended", "results", "''", "", "{r}.recommended <> '[]'"),
    ("unmet_needs", "unmet", "j.value", "json_each({r}.unmet_needs) AS j", ""),
    ("synthetic", "synthetic", "''", "", "{r}.synthetic"),
)
"""Part of migration 9, never to change: what one conversation adds to ``report_counts`` —
``(column read, dimension, key, table joined, condition)``, one key per value of a list."""
PLACE = ("territory", "started_at")
"""The columns every count of a conversation is kept under (part of migration 9)."""


COUNTED = "substr({r}.started_at, 1, 10) IN (SELECT day FROM report_days)"
"""Whether the day row ``{r}`` started on is counted in ``report_counts`` (migration 9)."""


def report_keys(
    r: str, where: str | None = None, column: str | None = None, table: str = "conversations"
) -> str:
    """The ``(territory, dimension, key, day)`` rows row ``r`` adds to ``report_counts`` (only
    those read from ``column`` when given): of the rows of ``table AS r`` that match ``where``
    when given, else of a trigger's ``new`` or ``old`` row ``r``."""
    selects = []
    for read, dimension, key, joined, condition in REPORT_KEYS:
        if column not in (None, read):
            continue
        tables = [t for t in (f"{table} AS {r}" if where else "", joined) if t]
        conditions = [c for c in (where, condition) if c]
        selects.append(
            f"SELECT COALESCE({r}.territory, '') AS territory, '{dimension}' AS dimension,"
            f" {key} AS key, substr({r}.started_at, 1, 10) AS day"
            + (f" FROM {', '.join(tables)}" if tables else "")
            + (f" WHERE {' AND '.join(conditions)}" if conditions else "")
        )
    return " UNION ALL ".join(selects).replace("{r}", r)


def _report_tally(r: str, step: int, column: str | None = None) -> str:
    """A trigger's statement adding ``step`` to the counts of row ``r`` (of ``column``), if
    its day is counted."""
    return (
        "INSERT INTO report_counts (territory, dimension, key, day, tally)"
        f" SELECT territory, dimension, key, day, {step} FROM ({report_keys(r, column=column)})"
        " WHERE day IN (SELECT day FROM report_days)"
        " ON CONFLICT DO UPDATE SET tally = tally + excluded.tally;"
    )


def _report_triggers() -> str:
    """The triggers keeping the counted days of ``report_counts`` exact: a conversation
    added or deleted; moved to another territory or day; one column changed (each its own
    trigger, so that a turn rewrites only the counts it changes). A day is counted once over
    (:func:`bot.storage.aggregates.demand`): the turns of the day pay no write."""
    old, new = (f"({', '.join(f'{r}.{c}' for c in PLACE)})" for r in ("old", "new"))
    on_new, on_old = COUNTED.replace("{r}", "new"), COUNTED.replace("{r}", "old")
    triggers = [
        f"CREATE TRIGGER report_counts_insert AFTER INSERT ON conversations WHEN {on_new}"
        f" BEGIN {_report_tally('new', 1)} END;",
        f"CREATE TRIGGER report_counts_delete AFTER DELETE ON conversations WHEN {on_old}"
        f" BEGIN {_report_tally('old', -1)} END;",
        f"CREATE TRIGGER report_counts_moved AFTER UPDATE OF {', '.join(PLACE)} ON conversations"
        f" WHEN {old} IS NOT {new} AND ({on_old} OR {on_new})"
        f" BEGIN {_report_tally('old', -1)} {_report_tally('new', 1)} END;",
    ]
    for column in dict.fromkeys(read for read, *_ in REPORT_KEYS):
        triggers.append(
            f"CREATE TRIGGER report_counts_{column} AFTER UPDATE OF {column} ON conversations"
            f" WHEN old.{column} IS NOT new.{column} AND {old} IS {new} AND {on_new}"
            f" BEGIN {_report_tally('old', -1, column)} {_report_tally('new', 1, column)} END;"
        )
    return "\n".join(triggers)


MIGRATIONS: tuple[str, ...] = (
    # 1: the demand log and the dialogue state.
    """
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        ended_at TEXT,
        source TEXT,
        lang TEXT NOT NULL,
        outcome TEXT NOT NULL,
        stage TEXT,
        legal_form TEXT,
        needs TEXT NOT NULL,
        commune TEXT,
        inferred TEXT NOT NULL,
        recommended TEXT NOT NULL,
        unmet_needs TEXT NOT NULL,
        feedback TEXT,
        free_text TEXT,
        synthetic INTEGER NOT NULL
    );
    CREATE TABLE dialogue_state (
        key TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 2: consent to keep free text; indexes for period reports, erasure and idle states.
    """
    CREATE TABLE consent (
        user TEXT PRIMARY KEY,
        free_text INTEGER NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX conversations_started_at ON conversations (started_at);
    CREATE INDEX conversations_user ON conversations (user);
    CREATE INDEX dialogue_state_updated_at ON dialogue_state (updated_at);
    """,
    # 3: the file says it is ours (PRAGMA application_id), so no other SQLite file is touched.
    f"""
    PRAGMA application_id = {APPLICATION_ID};
    """,
    # 4: the durable inbox: each Telegram update kept from its arrival until it is answered.
    """
    CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        received_at TEXT NOT NULL,
        payload TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        outbox TEXT
    );
    CREATE INDEX inbox_received_at ON inbox (received_at);
    """,
    # 5: follow-ups after an orientation (bot/storage/followups.py) and their answers.
    """
    CREATE TABLE followups (
        conversation_id TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        lang TEXT NOT NULL,
        actors TEXT NOT NULL,
        offered_at TEXT NOT NULL,
        status TEXT NOT NULL,
        sent INTEGER NOT NULL DEFAULT 0,
        due_at TEXT,
        chat BLOB
    );
    CREATE INDEX followups_due_at ON followups (due_at) WHERE due_at IS NOT NULL;
    CREATE INDEX followups_user ON followups (user);
    CREATE TABLE followup_answers (
        conversation_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        user TEXT NOT NULL,
        round INTEGER NOT NULL,
        answer TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (conversation_id, actor)
    );
    CREATE INDEX followup_answers_user ON followup_answers (user);
    """,
    # 6: hand-offs: the log (which structure, when, delivery status) and the queue of messages
    # still to send (deleted once delivered or given up and the person told).
    """
    CREATE TABLE handoffs (
        id TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        conversation TEXT NOT NULL,
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE INDEX handoffs_user ON handoffs (user, created_at);
    CREATE INDEX handoffs_created_at ON handoffs (created_at);
    CREATE TABLE handoff_queue (
        id TEXT PRIMARY KEY,
        chat TEXT NOT NULL,
        lang TEXT NOT NULL,
        message TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at TEXT NOT NULL
    );
    CREATE INDEX handoff_queue_next_at ON handoff_queue (next_at);
    """,
    # 7: each conversation's territory (of its commune); the rows logged before were all in the
    # one territory there was, Haute-Garonne, when they name a commune.
    """
    ALTER TABLE conversations ADD COLUMN territory TEXT;
    UPDATE conversations SET territory = 'haute-garonne' WHERE commune IS NOT NULL;
    CREATE INDEX conversations_territory ON conversations (territory, started_at);
    """,
    # 8: the reports' indexes (bot/storage/aggregates.py): each holds the columns one grouped
    # query counts, in its GROUP BY order, so the report walks it instead of sorting the table;
    # the hand-offs of an orientation, for the outcome figures.
    """
    CREATE INDEX conversations_report_days ON conversations
        (territory, substr(started_at, 1, 10), outcome, feedback, synthetic, needs, started_at);
    CREATE INDEX conversations_report_profiles ON conversations
        (territory, stage, legal_form, source, commune, started_at);
    CREATE INDEX conversations_report_results ON conversations
        (territory, recommended, unmet_needs, started_at);
    CREATE INDEX handoffs_conversation ON handoffs (conversation);
    """,
    # 9: the report's counts per territory, UTC day and key (bot/storage/aggregates.py) of
    # the days before today, counted by the reports the first time they read a day (noted in
    # report_days), then kept exact by triggers in the transaction that changes one of those
    # days' conversations; they replace the wide indexes of step 8, which every turn paid to
    # keep. The outcome figures find a follow-up's conversation in a narrow index of what they
    # read of it. (Changed once after release: it counted every past day at the upgrade, a
    # minute and a half for 900,000 rows; a file already at 9 keeps what it counted, one coming
    # from 8 starts with no day counted, which the reports handle alike.)
    f"""
    CREATE TABLE report_counts (
        territory TEXT NOT NULL,
        dimension TEXT NOT NULL,
        key TEXT NOT NULL,
        day TEXT NOT NULL,
        tally INTEGER NOT NULL,
        PRIMARY KEY (territory, dimension, key, day)
    ) WITHOUT ROWID;
    CREATE TABLE report_days (day TEXT PRIMARY KEY) WITHOUT ROWID;
    {_report_triggers()}
    CREATE INDEX conversations_outcomes ON conversations
        (id, territory, started_at, source, commune);
    DROP INDEX conversations_report_days;
    DROP INDEX conversations_report_profiles;
    DROP INDEX conversations_report_results;
    """,
)

LATEST = len(MIGRATIONS)


class StorageError(Exception):
    """The database file cannot be used; the message says why (printed, exit 2)."""


class SchemaTooNewError(StorageError):
    """The file was written by a newer version of the program."""


class ForeignDatabaseError(StorageError):
    """The file is another application's SQLite database: it is left untouched."""


async def _value(db: aiosqlite.Connection, sql: str) -> object:
    async with db.execute(sql) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def check_ours(db: aiosqlite.Connection) -> None:
    """Refuse, before anything is written, a file that is not an Aiguillage database: one with
    another application id, or tables but none of ours (an empty file is ours to fill)."""
    application_id = int(str(await _value(db, "PRAGMA application_id")))
    if application_id == APPLICATION_ID:
        return
    if application_id != 0:
        raise ForeignDatabaseError(say("storage.foreign_id", application_id=f"{application_id:#x}"))
    async with db.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
        tables = {str(row[0]) for row in await cursor.fetchall()}
    if not tables or (await schema_version(db) >= 1 and tables >= FIRST_TABLES):
        return
    raise ForeignDatabaseError(say("storage.foreign_tables"))


async def schema_version(db: aiosqlite.Connection) -> int:
    """The version recorded in the file (0 for a new, empty database)."""
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(db: aiosqlite.Connection) -> int:
    """Apply the missing steps, each in its own transaction; return the final version."""
    current = await schema_version(db)
    if current > LATEST:
        raise SchemaTooNewError(say("storage.too_new", current=current, latest=LATEST))
    for version in range(current + 1, LATEST + 1):
        script = MIGRATIONS[version - 1]
        try:
            await db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
        except BaseException:
            await db.rollback()
            raise
    return LATEST

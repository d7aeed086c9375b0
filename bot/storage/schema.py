"""The database schema as numbered migration steps, tracked by ``PRAGMA user_version``.

Step *n* takes a database from version *n - 1* to *n*; append new steps, never edit old ones.
"""

from __future__ import annotations

import aiosqlite

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
)

LATEST = len(MIGRATIONS)


class SchemaTooNewError(Exception):
    """The file was written by a newer version of the program."""


async def schema_version(db: aiosqlite.Connection) -> int:
    """The version recorded in the file (0 for a new, empty database)."""
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(db: aiosqlite.Connection) -> int:
    """Apply the missing steps, each in its own transaction; return the final version."""
    current = await schema_version(db)
    if current > LATEST:
        raise SchemaTooNewError(
            f"database schema version {current} is newer than this program's ({LATEST})"
        )
    for version in range(current + 1, LATEST + 1):
        script = MIGRATIONS[version - 1]
        try:
            await db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
        except BaseException:
            await db.rollback()
            raise
    return LATEST

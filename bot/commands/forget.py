"""``aiguillage forget``: erase everything recorded about one Telegram user (right to erasure)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
from pathlib import Path

from bot.config import load_settings
from bot.privacy import load_or_create_secret, pseudonymise
from bot.storage import ForgetReport, Storage


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``forget`` parser."""
    parser = subparsers.add_parser(
        "forget",
        help="erase everything recorded about one Telegram user",
        description="Erase the conversations, dialogue state and consent of one Telegram user, "
        "found through their pseudonym.",
    )
    parser.add_argument("--user-id", type=int, required=True, help="numeric Telegram user id")
    parser.add_argument("--db", type=Path, help="SQLite file (default: AIGUILLAGE_DB)")
    parser.set_defaults(run=run)


async def _forget(db: Path, user: str) -> ForgetReport:
    async with await Storage.open(db) as storage:
        return await storage.forget(user)


def run(args: argparse.Namespace) -> int:
    """Erase and print the counts; 2 when the database or its key is missing."""
    settings = load_settings()
    if args.db is not None:
        settings = dataclasses.replace(settings, db_path=args.db)
    if not settings.db_path.is_file():
        print(f"aiguillage forget: no database at {settings.db_path}", file=sys.stderr)
        return 2
    if settings.secret is None and not settings.secret_path.is_file():
        print(
            f"aiguillage forget: no pseudonymisation key (AIGUILLAGE_SECRET is unset and "
            f"{settings.secret_path} does not exist), so no pseudonym can be computed",
            file=sys.stderr,
        )
        return 2
    user = pseudonymise(load_or_create_secret(settings), args.user_id)
    erased = asyncio.run(_forget(settings.db_path, user))
    print(
        f"{settings.db_path}: erased {erased.conversations} conversations, "
        f"{erased.states} dialogue states, {erased.consents} consent records for pseudonym {user}"
    )
    if not erased.complete:
        print(
            "aiguillage forget: effacement incomplet, réessayez (incomplete erasure: another "
            "program is reading the database, so the erased rows may linger in its WAL; "
            "run this command again)",
            file=sys.stderr,
        )
        return 1
    return 0

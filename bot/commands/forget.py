"""``aiguillage forget``: erase everything recorded about one Telegram user (right to erasure)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
from pathlib import Path

from bot.commands.words import complain, say, say_count
from bot.config import load_settings
from bot.privacy import load_or_create_secret, pseudonymise
from bot.storage import ForgetReport, Storage


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``forget`` command's arguments."""
    parser.add_argument("--user-id", type=int, required=True, help=say("cli.forget.user_id"))
    parser.add_argument("--db", type=Path, help=say("cli.forget.db"))
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
        complain("forget", say("cli.forget.no_database", db=settings.db_path))
        return 2
    if settings.secret is None and not settings.secret_path.is_file():
        complain("forget", say("cli.forget.no_key", path=settings.secret_path))
        return 2
    user = pseudonymise(load_or_create_secret(settings), args.user_id)
    erased = asyncio.run(_forget(settings.db_path, user))
    print(
        say(
            "cli.forget.done",
            db=settings.db_path,
            conversations=say_count("cli.forget.conversations", erased.conversations),
            states=say_count("cli.forget.states", erased.states),
            consents=say_count("cli.forget.consents", erased.consents),
            user=user,
        )
    )
    if not erased.complete:
        complain("forget", say("cli.forget.incomplete"))
        return 1
    return 0

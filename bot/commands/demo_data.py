"""``aiguillage demo-data``: fill a database with clearly labelled synthetic conversations.

Refuses a database that already holds real conversations, so demo rows never mix with them.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.commands.check_kb import file_error
from bot.commands.words import complain, say, say_count
from bot.config import load_settings
from bot.core.taxonomy import TaxonomyError
from bot.core.territory import TerritoryError
from bot.reports.synthetic import load_demo_world, synthetic_conversations
from bot.storage import Storage

BATCH = 10_000


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``demo-data`` command's arguments."""
    parser.add_argument("--db", type=Path, required=True, help=say("cli.demo.db"))
    parser.add_argument(
        "--conversations", type=int, required=True, metavar="N", help=say("cli.demo.conversations")
    )
    parser.add_argument("--seed", type=int, default=0, help=say("cli.demo.seed"))
    parser.set_defaults(run=run)


async def _fill(db: Path, count: int, seed: int, kb_path: Path) -> int:
    records = synthetic_conversations(load_demo_world(kb_path), count, seed, datetime.now(UTC))
    async with await Storage.open(db) as storage:
        real = await storage.count_conversations(synthetic=False)
        if real:
            return real
        for start in range(0, len(records), BATCH):
            await storage.save_conversations(records[start : start + BATCH])
    return 0


def run(args: argparse.Namespace) -> int:
    """Write the conversations; 2 on a bad count or a database holding real data."""
    if args.conversations < 1:
        complain("demo-data", say("cli.demo.too_few"))
        return 2
    kb_path = load_settings().kb_path
    try:
        real = asyncio.run(_fill(args.db, args.conversations, args.seed, kb_path))
    except (TaxonomyError, TerritoryError) as error:
        complain("demo-data", file_error(kb_path, error))
        return 2
    if real:
        complain("demo-data", say_count("cli.demo.real_data", real, db=args.db))
        return 2
    print(say_count("cli.demo.done", args.conversations, db=args.db, seed=args.seed))
    return 0

"""``aiguillage demo-data``: fill a database with clearly labelled synthetic conversations.

Refuses a database that already holds real conversations, so demo rows never mix with them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.commands.check_kb import file_error
from bot.config import load_settings
from bot.core.taxonomy import TaxonomyError
from bot.core.territory import TerritoryError
from bot.reports.synthetic import load_demo_world, synthetic_conversations
from bot.storage import Storage

BATCH = 10_000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``demo-data`` parser."""
    parser = subparsers.add_parser(
        "demo-data",
        help="fill a database with synthetic conversations (for demonstrations)",
        description="Add N synthetic conversations (synthetic=1, demo- sources) spread over the "
        "last 12 months; the same seed gives the same data.",
    )
    parser.add_argument("--db", type=Path, required=True, help="SQLite file to fill")
    parser.add_argument(
        "--conversations", type=int, required=True, metavar="N", help="how many to add"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
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
        print("aiguillage demo-data: --conversations must be at least 1", file=sys.stderr)
        return 2
    kb_path = load_settings().kb_path
    try:
        real = asyncio.run(_fill(args.db, args.conversations, args.seed, kb_path))
    except (TaxonomyError, TerritoryError) as error:
        print(f"aiguillage demo-data: {file_error(kb_path, error)}", file=sys.stderr)
        return 2
    if real:
        print(
            f"aiguillage demo-data: {args.db} holds {real} real conversations; "
            "use a separate file for demonstrations",
            file=sys.stderr,
        )
        return 2
    print(f"{args.db}: {args.conversations} synthetic conversations added (seed {args.seed})")
    return 0

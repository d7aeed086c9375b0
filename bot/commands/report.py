"""``aiguillage report``: the demand log of a period as text, CSV or a self-contained HTML file.

Dates are UTC calendar days; ``--until`` is inclusive. Exit 2 on a bad date or a missing
database (which is never created here).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.commands.check_kb import file_error
from bot.commands.outputs import add_force, protected, refusal
from bot.config import load_settings
from bot.core.records import ConversationRecord
from bot.core.taxonomy import TaxonomyError
from bot.core.territories import names as territory_names
from bot.core.territory import TerritoryError
from bot.reports import load_labels, render_csv, render_html, render_text, summarise
from bot.reports.outcomes import Outcomes, load_outcomes
from bot.storage import Storage

FORMATS = ("text", "csv", "html")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` parser."""
    parser = subparsers.add_parser(
        "report",
        help="summarise the demand log (text, CSV or HTML)",
        description="Summarise the conversations started in a period (UTC days, both included).",
    )
    parser.add_argument("--db", type=Path, help="SQLite file (default: AIGUILLAGE_DB)")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="first day included")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="last day included")
    parser.add_argument("--format", choices=FORMATS, default="text", help="default: text")
    parser.add_argument("--territory", metavar="NAME", help="only the conversations of a territory")
    parser.add_argument("--out", type=Path, help="write to this file instead of stdout")
    add_force(parser)
    parser.set_defaults(run=run)


def parse_day(option: str, raw: str | None) -> datetime | None:
    """Midnight UTC of ``raw`` (``YYYY-MM-DD``); :class:`ValueError` naming ``option``."""
    if raw is None:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{option}: «{raw}» is not a date YYYY-MM-DD") from None


async def _records(
    db: Path, since: datetime | None, until: datetime | None, territory: str | None
) -> tuple[list[ConversationRecord], Outcomes]:
    async with await Storage.open(db) as storage:
        records = await storage.conversations(since, until, territory)
        now = min(until, datetime.now(UTC)) if until else datetime.now(UTC)
        return records, await load_outcomes(storage.followups, records, since, now)


def run(args: argparse.Namespace) -> int:
    """Print or write the report; 2 on bad options or a missing database."""
    settings = load_settings()
    db: Path = args.db or settings.db_path
    try:
        since = parse_day("--since", args.since)
        until = parse_day("--until", args.until)
    except ValueError as error:
        print(f"aiguillage report: {error}", file=sys.stderr)
        return 2
    if until is not None:
        if until.date() == date.max:
            print(
                "aiguillage report: --until: the last day must be before 9999-12-31",
                file=sys.stderr,
            )
            return 2
        until += timedelta(days=1)
    if since is not None and until is not None and since >= until:
        print("aiguillage report: --since is after --until", file=sys.stderr)
        return 2
    known = territory_names(settings.kb_path)
    if args.territory is not None and args.territory not in known:
        print(
            f"aiguillage report: --territory: unknown territory «{args.territory[:80]}»;"
            f" the knowledge base holds {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    if not db.is_file():
        print(
            f"aiguillage report: no database at {db} (see --db or AIGUILLAGE_DB)", file=sys.stderr
        )
        return 2
    refused = args.out and refusal(args.out, args.force, protected(settings, [db]))
    if refused:
        print(f"aiguillage report: --out: {refused}", file=sys.stderr)
        return 2
    records, outcomes = asyncio.run(_records(db, since, until, args.territory))
    if args.format == "csv":
        output = render_csv(records, outcomes.by_conversation)
    else:
        summary = summarise(records, since, until)
        try:
            labels = load_labels(settings.kb_path)
        except (TaxonomyError, TerritoryError) as error:
            print(f"aiguillage report: {file_error(settings.kb_path, error)}", file=sys.stderr)
            return 2
        if args.format == "html":
            output = render_html(summary, labels, generated_at=datetime.now(UTC), outcomes=outcomes)
        else:
            heading = f"Territoire\u00a0: {args.territory}\n" if args.territory else ""
            output = heading + render_text(summary, labels=labels, outcomes=outcomes) + "\n"
    if args.out is None:
        sys.stdout.write(output)
    else:
        args.out.write_text(output, encoding="utf-8", newline="")
        print(f"{args.out}: {len(records)} conversations", file=sys.stderr)
    return 0

"""``aiguillage report``: the demand log of a period as text, CSV or a self-contained HTML file.

Dates are UTC calendar days; ``--until`` is inclusive. Exit 2 on a bad date or a missing
database (which is never created here).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.commands.check_kb import file_error
from bot.commands.outputs import add_force, protected, refusal
from bot.commands.words import complain, language, say, say_count
from bot.config import load_settings
from bot.core.taxonomy import TaxonomyError
from bot.core.territories import names as territory_names
from bot.core.territory import TerritoryError
from bot.reports import (
    Labels,
    Report,
    csv_writer,
    load_labels,
    read_report,
    render_html,
    render_text,
)
from bot.storage import Storage
from bot.storage.aggregates import Scope

FORMATS = ("text", "csv", "html")


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``report`` command's arguments."""
    parser.add_argument("--db", type=Path, help=say("cli.report.db"))
    parser.add_argument("--since", metavar="YYYY-MM-DD", help=say("cli.report.since"))
    parser.add_argument("--until", metavar="YYYY-MM-DD", help=say("cli.report.until"))
    parser.add_argument("--format", choices=FORMATS, default="text", help=say("cli.report.format"))
    parser.add_argument("--territory", metavar="NAME", help=say("cli.report.territory"))
    parser.add_argument("--out", type=Path, help=say("cli.report.out"))
    add_force(parser)
    parser.set_defaults(run=run)


def parse_day(option: str, raw: str | None) -> datetime | None:
    """Midnight UTC of ``raw`` (``YYYY-MM-DD``); :class:`ValueError` naming ``option``."""
    if raw is None:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(say("cli.report.bad_date", option=option, value=raw)) from None


async def _report(db: Path, scope: Scope) -> Report:
    now = datetime.now(UTC)
    async with await Storage.open(db) as storage:
        return await read_report(storage, scope, min(scope.until, now) if scope.until else now)


def _output(out: Path | None) -> contextlib.AbstractContextManager[TextIO]:
    """The file ``--out`` names (written as UTF-8, newlines as given), else stdout."""
    return (
        contextlib.nullcontext(sys.stdout)
        if out is None
        else out.open("w", encoding="utf-8", newline="")
    )


async def _export(db: Path, scope: Scope, out: Path | None) -> int:
    """The CSV, streamed from the database (opened first: a bad one leaves ``out`` alone)."""
    async with await Storage.open(db) as storage:
        with _output(out) as stream:
            return await storage.export(scope, csv_writer(stream))


def _rendered(report: Report, labels: Labels, form: str, territory: str | None) -> str:
    """The text or HTML report."""
    lang = language()
    if form == "html":
        return render_html(
            report.summary, labels, lang, generated_at=datetime.now(UTC), outcomes=report.outcomes
        )
    heading = say("cli.report.territory_heading", name=territory) + "\n" if territory else ""
    return heading + render_text(report.summary, lang, labels, outcomes=report.outcomes) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print or write the report; 2 on bad options or a missing database."""
    settings = load_settings()
    db: Path = args.db or settings.db_path
    try:
        since = parse_day("--since", args.since)
        until = parse_day("--until", args.until)
    except ValueError as error:
        complain("report", str(error))
        return 2
    if until is not None:
        if until.date() == date.max:
            complain("report", say("cli.report.until_max"))
            return 2
        until += timedelta(days=1)
    if since is not None and until is not None and since >= until:
        complain("report", say("cli.report.since_after_until"))
        return 2
    known = territory_names(settings.kb_path)
    if args.territory is not None and args.territory not in known:
        complain(
            "report",
            say("cli.report.unknown_territory", name=args.territory[:80], known=", ".join(known)),
        )
        return 2
    if not db.is_file():
        complain("report", say("cli.report.no_database", db=db))
        return 2
    refused = args.out and refusal(args.out, args.force, protected(settings, [db]))
    if refused:
        complain("report", f"--out: {refused}")
        return 2
    scope = Scope(since, until, args.territory)
    if args.format == "csv":
        count = asyncio.run(_export(db, scope, args.out))
    else:
        try:
            labels = load_labels(settings.kb_path)
        except (TaxonomyError, TerritoryError) as error:
            complain("report", file_error(settings.kb_path, error))
            return 2
        report = asyncio.run(_report(db, scope))
        count = report.summary.total
        with _output(args.out) as stream:
            stream.write(_rendered(report, labels, args.format, args.territory))
    if args.out is not None:
        print(say_count("cli.report.written", count, out=args.out), file=sys.stderr)
    return 0

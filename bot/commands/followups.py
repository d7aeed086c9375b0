"""``aiguillage followups [--db PATH]``: the follow-ups scheduled, and those due, pseudonymous.

One line each: when it goes out (Toulouse time, moved into the sending hours), due, scheduled
or « sending » (in flight when the bot stopped), which one of how many, the pseudonym's first
characters and the structures asked about. Nothing here can name a person: chat ids stay
sealed.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.commands.words import complain, say
from bot.config import Settings, load_settings
from bot.followup.model import Followup, Status
from bot.followup.rules import TOULOUSE, send_time
from bot.storage import Storage

SHOWN_PSEUDONYM = 8


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``followups`` command's arguments."""
    parser.add_argument("--db", type=Path, help=say("cli.report.db"))
    parser.set_defaults(run=run)


async def _scheduled(db: Path) -> list[Followup]:
    async with await Storage.open(db) as storage:
        return await storage.followups.scheduled()


def listing(followups: list[Followup], settings: Settings, now: datetime) -> list[str]:
    """The lines printed: a count of due and scheduled, then one line per follow-up."""
    total = len(settings.followup_days)
    due = sum(1 for f in followups if f.due_at is not None and f.due_at <= now)
    lines = [say("cli.followups.count", scheduled=len(followups), due=due)]
    for followup in followups:
        if followup.due_at is None:
            continue
        at = send_time(followup.due_at, settings.followup_hours).astimezone(TOULOUSE)
        state = say(
            "cli.followups.state.sending"  # out when the bot stopped: counted as sent at next start
            if followup.status is Status.SENDING
            else "cli.followups.state.due"
            if followup.due_at <= now
            else "cli.followups.state.scheduled"
        )
        lines.append(
            f"{at:%Y-%m-%d %H:%M}  {state:<9}  {followup.sent + 1}/{total}"
            f"  {followup.user[:SHOWN_PSEUDONYM]}…  {', '.join(followup.actors)}"
        )
    return lines


def run(args: argparse.Namespace) -> int:
    """Print the list; 2 when there is no database."""
    settings = load_settings()
    db: Path = args.db or settings.db_path
    if not db.is_file():
        complain("followups", say("cli.report.no_database", db=db))
        return 2
    followups = asyncio.run(_scheduled(db))
    print("\n".join(listing(followups, settings, datetime.now(UTC))))
    return 0

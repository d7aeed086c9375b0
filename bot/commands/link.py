"""``aiguillage link``: the deep link for one source code, and optionally a printable poster.

A poster carrying ``?start=<source>`` lets the demand log tell which poster, flyer or partner
brought each conversation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.commands.outputs import add_force, protected, refusal
from bot.config import load_settings
from bot.reports.poster import (
    SOURCE_RULE,
    deep_link,
    is_valid_source,
    is_valid_username,
    poster_png,
    poster_svg,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``link`` parser."""
    parser = subparsers.add_parser(
        "link",
        help="print the bot's deep link for a source code; write a QR poster",
        description="Print https://t.me/<bot>?start=<source>; with --out, write an A4 poster "
        "(QR code, link, one line of explanation) as PNG or SVG.",
    )
    parser.add_argument("--source", required=True, help="source code, e.g. affiche-mijoteuse")
    parser.add_argument("--bot-username", help="bot username (default: AIGUILLAGE_BOT_USERNAME)")
    parser.add_argument("--out", type=Path, metavar="FILE.png|FILE.svg", help="poster file")
    add_force(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the link and write the poster; 2 on a bad source, username or file type."""
    if not is_valid_source(args.source):
        print(f"aiguillage link: --source «{args.source}»: {SOURCE_RULE}", file=sys.stderr)
        return 2
    username = (args.bot_username or "").strip().lstrip("@") or load_settings().bot_username
    if not username:
        print(
            "aiguillage link: no bot username; pass --bot-username or set "
            "AIGUILLAGE_BOT_USERNAME (the bot's @name, without the @)",
            file=sys.stderr,
        )
        return 2
    if not is_valid_username(username):
        print(
            f"aiguillage link: «{username}» is not a Telegram username "
            "(5 to 32 letters, digits or _, starting with a letter)",
            file=sys.stderr,
        )
        return 2
    out: Path | None = args.out
    suffix = out.suffix.lower() if out else None
    if suffix not in (None, ".png", ".svg"):
        print(
            f"aiguillage link: --out {out}: the poster must be a .png or .svg file", file=sys.stderr
        )
        return 2
    refused = out and refusal(out, args.force, protected(load_settings(), []))
    if refused:
        print(f"aiguillage link: --out: {refused}", file=sys.stderr)
        return 2
    link = deep_link(username, args.source)
    print(link)
    if out is not None:
        if suffix == ".png":
            out.write_bytes(poster_png(link, args.source))
        else:
            out.write_text(poster_svg(link, args.source), encoding="utf-8")
        print(f"{out}: poster written", file=sys.stderr)
    return 0

"""``aiguillage link``: the deep link for one source code, and optionally a printable poster.

A poster carrying ``?start=<source>`` lets the demand log tell which poster, flyer or partner
brought each conversation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.commands.outputs import add_force, protected, refusal
from bot.commands.words import complain, language, say
from bot.config import load_settings
from bot.reports.poster import (
    deep_link,
    is_valid_source,
    is_valid_username,
    poster_png,
    poster_svg,
    source_rule,
)


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``link`` command's arguments."""
    parser.add_argument("--source", required=True, help=say("cli.link.source"))
    parser.add_argument("--bot-username", help=say("cli.link.bot_username"))
    parser.add_argument("--out", type=Path, metavar="FILE.png|FILE.svg", help=say("cli.link.out"))
    add_force(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the link and write the poster; 2 on a bad source, username or file type."""
    lang = language()
    if not is_valid_source(args.source):
        rule = source_rule(lang)
        complain("link", say("cli.link.bad_source", source=args.source, rule=rule))
        return 2
    username = (args.bot_username or "").strip().lstrip("@") or load_settings().bot_username
    if not username:
        complain("link", say("cli.link.no_username"))
        return 2
    if not is_valid_username(username):
        complain("link", say("cli.link.bad_username", username=username))
        return 2
    out: Path | None = args.out
    suffix = out.suffix.lower() if out else None
    if suffix not in (None, ".png", ".svg"):
        complain("link", say("cli.link.bad_suffix", out=out))
        return 2
    refused = out and refusal(out, args.force, protected(load_settings(), []))
    if refused:
        complain("link", f"--out: {refused}")
        return 2
    link = deep_link(username, args.source)
    print(link)
    if out is not None:
        if suffix == ".png":
            out.write_bytes(poster_png(link, args.source, lang))
        else:
            out.write_text(poster_svg(link, args.source, lang), encoding="utf-8")
        print(say("cli.link.written", out=out), file=sys.stderr)
    return 0

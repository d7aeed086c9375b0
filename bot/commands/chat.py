"""``aiguillage chat``: the conversation in the terminal (no Telegram token needed)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.adapters.terminal import chat, stdin_reader
from bot.app import StartupError, open_service, setup_logging
from bot.commands.words import complain, language, say
from bot.config import load_settings
from bot.reports.poster import is_valid_source, source_rule


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``chat`` command's arguments."""
    parser.add_argument("--source", help=say("cli.chat.source"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Start the terminal chat on the configured knowledge base and database."""
    settings = load_settings()
    setup_logging(settings.log_level if settings.log_level != "INFO" else "WARNING")
    if args.source is not None and not is_valid_source(args.source):
        complain("chat", f"--source: {source_rule(language())}")
        return 2

    async def main() -> None:
        async with open_service(settings, followups=False) as service:
            prompt = "› " if sys.stdin.isatty() else ""
            await chat(service, args.source, stdin_reader(), sys.stdout, prompt)

    try:
        asyncio.run(main())
    except StartupError as error:
        print(f"aiguillage: {error}", file=sys.stderr)
        return 2
    return 0

"""``aiguillage chat``: the conversation in the terminal (no Telegram token needed)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.adapters.terminal import chat, stdin_reader
from bot.app import StartupError, open_service, setup_logging
from bot.config import load_settings
from bot.reports.poster import SOURCE_RULE, is_valid_source


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``chat``."""
    parser = subparsers.add_parser(
        "chat",
        help="converser dans le terminal (sans Telegram)",
        description="Le même dialogue que sur Telegram, dans le terminal. "
        "Tapez le numéro d'un choix ou écrivez librement ; /quit pour sortir.",
    )
    parser.add_argument(
        "--source", help="étiquette de provenance, comme un lien profond /start SOURCE"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Start the terminal chat on the configured knowledge base and database."""
    settings = load_settings()
    setup_logging(settings.log_level if settings.log_level != "INFO" else "WARNING")
    if args.source is not None and not is_valid_source(args.source):
        print(f"aiguillage chat: --source: {SOURCE_RULE}", file=sys.stderr)
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

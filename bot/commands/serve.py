"""``aiguillage serve``: run the Telegram bot (long polling, or a webhook with ``--webhook-url``).

Stops cleanly on SIGINT or SIGTERM. The token comes from ``TELEGRAM_BOT_TOKEN`` only and never
appears in the logs.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from dataclasses import replace

from telegram.error import InvalidToken, TelegramError

from bot.adapters.telegram.application import run as run_bot
from bot.adapters.telegram.errors import hide_token_in_logs, without_token
from bot.app import StartupError, setup_logging
from bot.commands.words import complain, say
from bot.config import MAX_PORT, Settings, check_range, load_settings


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``serve`` command's arguments."""
    parser.add_argument("--webhook-url", help=say("cli.serve.webhook_url"))
    parser.add_argument("--webhook-port", type=int, help=say("cli.serve.webhook_port"))
    parser.set_defaults(run=run)


async def serve(settings: Settings) -> None:
    """Run the bot until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await run_bot(settings, stop)


def run(args: argparse.Namespace) -> int:
    """Serve the bot; 2 without a token or with an invalid knowledge base."""
    settings = load_settings()
    if args.webhook_url:
        settings = replace(settings, webhook_url=args.webhook_url)
    if args.webhook_port is not None:
        port = check_range("--webhook-port", args.webhook_port, 1, MAX_PORT)
        settings = replace(settings, webhook_port=port)
    if not settings.token:
        complain("serve", say("cli.serve.no_token"))
        return 2
    setup_logging(settings.log_level)
    if settings.log_level == "INFO":
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    hide_token_in_logs(settings.token)
    try:
        asyncio.run(serve(settings))
    except StartupError as error:
        print(f"aiguillage: {error}", file=sys.stderr)
        return 2
    except InvalidToken:
        complain("serve", say("cli.serve.rejected_token"))
        return 2
    except TelegramError as error:
        message = without_token(str(error), settings.token)
        complain("serve", f"{type(error).__name__}: {message}")
        return 1
    return 0

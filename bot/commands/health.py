"""``aiguillage health``: exit 0 when the running bot's heartbeat is recent (Docker HEALTHCHECK)."""

from __future__ import annotations

import argparse
import sys

from bot.commands.words import say
from bot.config import load_settings
from bot.health import check


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``health`` command's arguments."""
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the verdict; exit 1 when the heartbeat is missing or stale."""
    problem = check(load_settings())
    if problem:
        print(say("cli.health.unhealthy", problem=problem), file=sys.stderr)
        return 1
    print(say("cli.health.healthy"))
    return 0

"""``aiguillage health``: exit 0 when the running bot's heartbeat is recent (Docker HEALTHCHECK)."""

from __future__ import annotations

import argparse
import sys

from bot.config import load_settings
from bot.health import check


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``health``."""
    parser = subparsers.add_parser(
        "health", help="is the running bot alive? (exit 0 yes, 1 no)", description=__doc__
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the verdict; exit 1 when the heartbeat is missing or stale."""
    problem = check(load_settings())
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    print("healthy")
    return 0

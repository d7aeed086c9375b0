"""Command line: one sub-command per module in :mod:`bot.commands`.

Each command module exposes ``register(subparsers)``, which adds its parser and sets
``run`` (a callable taking the parsed namespace and returning an exit code).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot import __version__
from bot.commands import COMMANDS
from bot.config import ConfigError
from bot.storage import StorageError


def build_parser() -> argparse.ArgumentParser:
    """The full parser, every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="aiguillage",
        description="Oriente les porteurs de projet ESS vers les bonnes structures d'appui.",
    )
    parser.add_argument("--version", action="version", version=f"aiguillage {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(subparsers)
    return parser


PRIVATE_FILES = 0o077
"""umask: the database, its -wal and -shm, the key, reports and posters are the owner's only."""


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; configuration errors exit 2."""
    os.umask(PRIVATE_FILES)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except (ConfigError, StorageError) as error:
        print(f"aiguillage: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (head, less)
        sys.stderr.close()
        return 0

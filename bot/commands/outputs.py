"""Output files of the command line (``report --out``, ``link --out``): never the database,
its ``-wal``/``-shm``/``-journal``, the key or heartbeat file, nor an existing file unless
``--force`` says so."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from bot.commands.words import say
from bot.config import Settings
from bot.health import heartbeat_path

DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def add_force(parser: argparse.ArgumentParser) -> None:
    """Add ``--force`` (overwrite an existing output file)."""
    parser.add_argument("--force", action="store_true", help=say("cli.out.force"))


def protected(settings: Settings, databases: Iterable[Path]) -> set[Path]:
    """Files no output may replace: each database and its companions, the key, the heartbeat."""
    files = {settings.secret_path, heartbeat_path(settings)}
    for db in {settings.db_path, *databases}:
        files |= {db.with_name(db.name + suffix) for suffix in DATABASE_COMPANIONS}
    return {path.resolve() for path in files}


def refusal(out: Path, force: bool, keep: set[Path]) -> str | None:
    """Why ``out`` may not be written, or None when it may."""
    target = out.resolve()
    if target in keep or any(p.exists() and out.exists() and out.samefile(p) for p in keep):
        return say("cli.out.protected", out=out)
    if out.is_dir():
        return say("cli.out.folder", out=out)
    if not out.parent.is_dir():
        return say("cli.out.no_folder", out=out, folder=out.parent)
    if out.exists() and not out.is_file():
        return say("cli.out.not_regular", out=out)
    if out.exists() and not force:
        return say("cli.out.exists", out=out)
    return None

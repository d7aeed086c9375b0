"""Output files of the command line (``report --out``, ``link --out``): never the database,
its ``-wal``/``-shm``/``-journal``, the key or heartbeat file, nor an existing file unless
``--force`` says so."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from bot.config import Settings
from bot.health import heartbeat_path

DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def add_force(parser: argparse.ArgumentParser) -> None:
    """Add ``--force`` (overwrite an existing output file)."""
    parser.add_argument("--force", action="store_true", help="overwrite an existing --out file")


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
        return f"{out} is the database, its journal, the key or the heartbeat file: refused"
    if out.is_dir():
        return f"{out} is a folder; give a file name"
    if not out.parent.is_dir():
        return f"{out}: the folder {out.parent} does not exist"
    if out.exists() and not out.is_file():
        return f"{out} is not a regular file"
    if out.exists() and not force:
        return f"{out} already exists; add --force to overwrite it"
    return None

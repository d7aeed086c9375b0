"""``aiguillage export-datainclusion [--kb PATH] --out DIR [--force]``.

Writes every actor of the knowledge base as data·inclusion records, ``DIR/structures.json``
and ``DIR/services.json``, each checked with the schema's models first (exit 2 naming the actor
file and field otherwise, nothing written). What the schema cannot say is in the ``aiguillage``
field of each structure (see :mod:`bot.opendata`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.commands.check_kb import load_base
from bot.commands.words import complain, say, say_count
from bot.config import load_settings
from bot.opendata.exporting import export
from bot.opendata.extract import ExtractError

FILES = ("structures.json", "services.json")


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``export-datainclusion`` command's arguments."""
    parser.add_argument("--kb", type=Path, help=say("cli.check.path"))
    parser.add_argument("--out", type=Path, required=True, help=say("cli.export.out"))
    parser.add_argument("--force", action="store_true", help=say("cli.export.force"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Export; 0 when written, 2 when the base, a record or the folder does not allow it."""
    path: Path = args.kb if args.kb is not None else load_settings().kb_path
    out: Path = args.out
    kb, problems = load_base(path)
    if kb is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2
    try:
        records = export(kb)
    except ExtractError as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        return 2
    targets = [out / name for name in FILES]
    if out.exists() and not out.is_dir():
        complain("export-datainclusion", say("cli.export.not_a_folder", out=out))
        return 2
    existing = [t for t in targets if t.exists()]
    if existing and not args.force:
        complain("export-datainclusion", say("cli.export.exists", path=existing[0]))
        return 2
    try:
        out.mkdir(parents=True, exist_ok=True)
        for target, data in zip(targets, records, strict=True):
            target.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    except OSError as error:
        complain("export-datainclusion", str(error))
        return 2
    structures, services = records
    counts = say_count("cli.opendata.structures", len(structures))
    counts += ", " + say_count("cli.opendata.services", len(services))
    print(say("cli.export.done", out=out, counts=counts))
    return 0

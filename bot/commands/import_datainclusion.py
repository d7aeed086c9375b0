"""``aiguillage import-datainclusion STRUCTURES.json SERVICES.json --out KB_DIR``.

Checks both files with the data·inclusion schema (exit 2 and one ``file: record N: field:
message`` line per problem, nothing written), then writes one record per structure into
``KB_DIR/actors/`` and the records it comes from into ``KB_DIR/sources/``; running it again
updates the same files. Prints what was merged, left out and not mapped.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from bot.commands.words import complain, say, say_count
from bot.opendata.extract import ExtractError, models, read_extract
from bot.opendata.importing import plan
from bot.opendata.writing import Outcome, open_base, prepare, write

SHOWN = 20
"""Lines printed per section of the report; the rest are counted."""


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``import-datainclusion`` command's arguments."""
    parser.add_argument("structures", type=Path, help=say("cli.import.structures"))
    parser.add_argument("services", type=Path, help=say("cli.import.services"))
    parser.add_argument("--out", type=Path, required=True, help=say("cli.import.out"))
    parser.set_defaults(run=run)


def section(title: str, lines: list[str]) -> list[str]:
    """A titled list, at most :data:`SHOWN` lines of it."""
    if not lines:
        return []
    more = [f"  {say_count('cli.check.more', len(lines) - SHOWN)}"] if len(lines) > SHOWN else []
    heading = say("cli.import.section", title=title, count=len(lines))
    return [heading, *(f"  {line}" for line in lines[:SHOWN]), *more]


def thematiques(unmapped: Counter[str]) -> list[str]:
    """The unmapped thematiques, most used first, then by name."""
    if not unmapped:
        return [say("cli.import.unmapped_none")]
    found = ", ".join(
        f"{t} ({say_count('cli.opendata.services', n)})"
        for t, n in sorted(unmapped.items(), key=lambda item: (-item[1], item[0]))
    )
    return [say("cli.import.unmapped", count=len(unmapped), thematiques=found)]


def written(root: Path, outcome: Outcome) -> str:
    total = len(outcome.new) + len(outcome.updated) + len(outcome.unchanged)
    documents = ", ".join(f"sources/{name}" for name in outcome.documents) or say("cli.none")
    return say_count(
        "cli.import.written",
        total,
        root=root,
        new=len(outcome.new),
        updated=len(outcome.updated),
        unchanged=len(outcome.unchanged),
        documents=documents,
    )


def run(args: argparse.Namespace) -> int:
    """Import; 0 when done (even with records left out), 2 for an unusable extract or folder."""
    root: Path = args.out
    try:
        structure_model, service_model = models()
        lines: list[str] = []
        checked = []
        for path, model in ((args.structures, structure_model), (args.services, service_model)):
            try:
                checked.append(read_extract(path, model))
            except ExtractError as error:
                lines.extend(error.lines)
        if lines:
            raise ExtractError(lines)
        structures, services = checked
        copied = prepare(root)
        base = open_base(root)
        planned, report = plan(structures, services, base)
        outcome = write(root, planned, report, base)
    except ExtractError as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        return 2
    except OSError as error:
        complain("import-datainclusion", str(error))
        return 2
    read = say_count("cli.opendata.structures", len(structures))
    print(
        say(
            "cli.import.read", counts=f"{read}, {say_count('cli.opendata.services', len(services))}"
        )
    )
    if copied:
        print(say("cli.import.copied", files=", ".join(copied)))
    report_lines = [
        written(root, outcome),
        *section(say("cli.import.merged"), report.merged),
        *section(say("cli.import.not_imported"), report.not_imported),
        *section(say("cli.import.skipped_services"), report.skipped_services),
        *section(say("cli.import.dropped"), report.dropped),
        *thematiques(report.unmapped),
        say("cli.import.check", root=root),
    ]
    print("\n".join(report_lines))
    return 0

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

from bot.opendata.extract import ExtractError, models, read_extract
from bot.opendata.importing import plan
from bot.opendata.writing import Outcome, open_base, prepare, write

SHOWN = 20
"""Lines printed per section of the report; the rest are counted."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``import-datainclusion`` parser."""
    parser = subparsers.add_parser(
        "import-datainclusion",
        help="bring a data·inclusion extract into a knowledge base",
        description="Turn a data·inclusion extract (schema 1.0) into knowledge-base records.",
    )
    parser.add_argument("structures", type=Path, help="structures.json of the extract")
    parser.add_argument("services", type=Path, help="services.json of the extract")
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="knowledge-base folder (a new one gets the bundled taxonomy and communes)",
    )
    parser.set_defaults(run=run)


def section(title: str, lines: list[str]) -> list[str]:
    """A titled list, at most :data:`SHOWN` lines of it."""
    if not lines:
        return []
    more = [f"  … and {len(lines) - SHOWN} more"] if len(lines) > SHOWN else []
    return [f"{title} ({len(lines)}):", *(f"  {line}" for line in lines[:SHOWN]), *more]


def thematiques(unmapped: Counter[str]) -> list[str]:
    """The unmapped thematiques, most used first, then by name."""
    if not unmapped:
        return ["Unmapped thematiques: none."]
    found = ", ".join(
        f"{t} ({n} service{'s' if n > 1 else ''})"
        for t, n in sorted(unmapped.items(), key=lambda item: (-item[1], item[0]))
    )
    return [f"Unmapped thematiques ({len(unmapped)}): {found}."]


def written(root: Path, outcome: Outcome) -> str:
    counts = f"{len(outcome.new)} new, {len(outcome.updated)} updated"
    total = len(outcome.new) + len(outcome.updated) + len(outcome.unchanged)
    documents = ", ".join(f"sources/{name}" for name in outcome.documents) or "none"
    return (
        f"{root}: {total} records ({counts}, {len(outcome.unchanged)} unchanged) in actors/;"
        f" documents: {documents}."
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
        print(f"import-datainclusion: {error}", file=sys.stderr)
        return 2
    print(f"Read {len(structures)} structures and {len(services)} services.")
    if copied:
        print(f"New knowledge base: copied the bundled {', '.join(copied)}.")
    report_lines = [
        written(root, outcome),
        *section("Merged duplicates", report.merged),
        *section("Structures not imported", report.not_imported),
        *section("Services left out", report.skipped_services),
        *section("Values left out of a record", report.dropped),
        *thematiques(report.unmapped),
        f"Check the result with: aiguillage check-kb {root}",
    ]
    print("\n".join(report_lines))
    return 0

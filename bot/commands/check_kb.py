"""``aiguillage check-kb [PATH] [--json]``: validate the knowledge base and summarise it.

Exit 0 with a summary (actors, need × stage coverage, gaps, stale records) when the base is
valid; exit 2 with one ``file:line: field: message`` line per problem otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.commands.words import language, say, say_count
from bot.config import load_settings
from bot.core.coverage import Coverage, coverage
from bot.core.knowledge import KnowledgeBase, KnowledgeError, Problem
from bot.core.loader import load_knowledge
from bot.core.taxonomy import TaxonomyError
from bot.core.territory import TerritoryError
from bot.reports.labels import Labels
from bot.reports.outcomes import flag_window, flagged, verify_lines
from bot.storage import Storage, StorageError

EXAMPLES = 8


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``check-kb`` command's arguments."""
    parser.add_argument("path", nargs="?", type=Path, help=say("cli.check.path"))
    parser.add_argument("--json", action="store_true", help=say("cli.check.json"))
    parser.add_argument("--outcomes", metavar="DB", type=Path, help=say("cli.check.outcomes"))
    parser.set_defaults(run=run)


def load_base(path: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """The base in ``path``, or the problems that prevent loading it."""
    if not path.is_dir():
        return None, [Problem(str(path), 0, "path", say("cli.check.no_directory"))]
    try:
        return load_knowledge(path), []
    except KnowledgeError as error:
        return None, error.problems
    except OSError as error:
        return None, [Problem(str(path), 0, "path", say("cli.check.unreadable", error=error))]


def file_error(root: Path, error: TaxonomyError | TerritoryError) -> str:
    """One line for a taxonomy or commune file another command could not read."""
    name = "taxonomy.yaml" if isinstance(error, TaxonomyError) else "communes.json"
    return f"{root / name}:{error.line}: {error.field}: {error}"


def _table(cover: Coverage, stages: list[str]) -> list[str]:
    width = max(len(n) for n in cover.matrix)
    header = " " * width + "".join(f"  {s:>{len(s)}}" for s in stages)
    rows = [
        f"{need:<{width}}" + "".join(f"  {counts[s]:>{len(s)}}" for s in stages)
        for need, counts in cover.matrix.items()
    ]
    return [header, *rows]


def _territory_counts(kb: KnowledgeBase) -> list[str]:
    """« tarn (5 communes, 3 actors) » for each territory of the base."""
    communes = Counter(c.territory for c in kb.territory.communes.values())
    actors = Counter(a.territory for a in kb.actors)
    return [
        say("cli.check.territory", name=t, communes=communes[t], actors=actors[t])
        for t in kb.territory.names
    ]


def _without_contact(kb: KnowledgeBase) -> list[str]:
    """The actors with no published contact (ranked after an equivalent one that has one)."""
    return [a.id for a in kb.actors if not a.reachable]


def summary(kb: KnowledgeBase, cover: Coverage) -> str:
    """The readable report of a valid base."""
    communes = kb.territory.communes
    none = say("cli.none")
    lines = [say_count("cli.check.valid", len(kb.actors), root=kb.root), ""]
    lines += [say("cli.check.matrix"), *_table(cover, list(kb.taxonomy.stages)), ""]
    lines.append(say("cli.check.uncovered", needs=", ".join(cover.uncovered_needs) or none))
    if len(kb.territory.names) > 1:
        counts = ", ".join(_territory_counts(kb))
        lines.append(say_count("cli.check.communes_in", len(communes), territories=counts))
    else:
        lines.append(say_count("cli.check.communes", len(communes)))
    for key, found in (
        ("cli.check.no_actor", cover.communes_without_actor),
        ("cli.check.no_local", cover.communes_without_local_actor),
        ("cli.check.no_reception", cover.communes_without_reception),
    ):
        names = ", ".join(c.name for c in found[:EXAMPLES])
        extra = len(found) - EXAMPLES
        more = ", " + say_count("cli.check.more", extra) if extra > 0 else ""
        lines.append(f"  {say_count(key, len(found))}" + (f": {names}{more}" if found else ""))
    missing = ", ".join(a.id for a in cover.without_situations) or none
    lines.append(say("cli.check.without_situations", actors=missing))
    unreachable = ", ".join(_without_contact(kb)) or none
    lines.append(say("cli.check.without_contact", actors=unreachable))
    if cover.stale:
        lines.append(say("cli.check.stale", year=cover.stale_before))
        width = max(len(a.id) for a in cover.stale)
        lines += [f"  {a.id:<{width}}  {a.info_date}" for a in cover.stale]
    else:
        lines.append(say("cli.check.stale_none", year=cover.stale_before))
    return "\n".join(lines)


def as_json(
    kb: KnowledgeBase | None,
    cover: Coverage | None,
    problems: list[Problem],
    flagged: Mapping[str, int] | None = None,
) -> str:
    """The ``--json`` object (empty lists and mapping when the base did not load)."""
    data: dict[str, Any] = {
        "actors": [{"id": a.id, "name": a.name, "info_date": a.info_date} for a in kb.actors]
        if kb
        else [],
        "coverage": cover.matrix if cover else {},
        "uncovered_needs": list(cover.uncovered_needs) if cover else [],
        "stale": [{"id": a.id, "info_date": a.info_date} for a in cover.stale] if cover else [],
        "without_situations": [a.id for a in cover.without_situations] if cover else [],
        "without_contact": _without_contact(kb) if kb else [],
        **({"to_verify": dict(flagged)} if flagged is not None else {}),
        "problems": [
            {"file": p.file, "line": p.line, "field": p.field, "message": p.message}
            for p in problems
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_verify(db: Path) -> dict[str, int]:
    """The structures the follow-ups in ``db`` flag « contact à vérifier », with their counts."""
    if not db.is_file():
        raise StorageError(say("cli.check.no_database", path=db))

    async def read() -> dict[str, int]:
        now = datetime.now(UTC)
        async with await Storage.open(db) as storage:
            return flagged(await storage.unreached(*flag_window(now)))

    return asyncio.run(read())


def run(args: argparse.Namespace) -> int:
    """Check the base; 0 when valid, 2 on any problem."""
    path: Path = args.path if args.path is not None else load_settings().kb_path
    kb, problems = load_base(path)
    cover = coverage(kb, date.today().year) if kb else None
    flagged = to_verify(args.outcomes) if args.outcomes else None
    if args.json:
        print(as_json(kb, cover, problems, flagged))
    elif kb and cover:
        print(summary(kb, cover))
        if flagged is not None:
            lines = verify_lines(flagged, Labels.from_knowledge(kb), language())
            print("\n".join(lines or [say("cli.check.verify_none")]))
    else:
        for problem in problems:
            print(problem)
        print(say_count("cli.check.problems", len(problems), path=path), file=sys.stderr)
    return 0 if kb else 2

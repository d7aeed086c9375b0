"""Several territories in one knowledge base: ``territories/<name>/`` beside the default one.

The base's own ``communes.json`` and ``actors/`` are the default territory (Haute-Garonne).
Each folder ``territories/<name>/`` is one more: ``territory.yaml`` (``name``: its label,
``{fr, en}``; ``region``: the department codes its regional actors cover), ``communes.json``
(the format of the base's), ``actors/*.yaml`` and, if its actors cite documents of their own,
``sources/``. The commune decides the territory; an actor serves only its own territory,
apart from its regional and national coverage.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.core import kbfiles
from bot.core.knowledge import Problem
from bot.core.territory import (
    DEFAULT_TERRITORY,
    NATIONAL_AREA,
    REGION_AREA,
    Elsewhere,
    Territory,
    TerritoryError,
)

FOLDER = "territories"
MANIFEST = "territory.yaml"
NAME_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RESERVED = frozenset({DEFAULT_TERRITORY, REGION_AREA, NATIONAL_AREA})
DEPARTMENT_RE = re.compile(r"[0-9][0-9AB]|97[0-9]")
MAX_LABEL = 100


@dataclass(frozen=True)
class TerritoryFolder:
    """One more territory of the base: its communes, label, actor files and own sources."""

    name: str
    label: Mapping[str, str]
    territory: Territory
    actor_files: tuple[Path, ...]
    sources: frozenset[str]


def folders(root: Path) -> list[Path]:
    """The visible territory folders of the base in ``root``, by name."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and kbfiles.visible(p))


def names(root: Path) -> tuple[str, ...]:
    """The territory names of the base in ``root`` (its folders, unread), the default first."""
    return (DEFAULT_TERRITORY, *(p.name for p in folders(root)))


def actor_files(folder: Path) -> tuple[Path, ...]:
    """The visible actor files (``*.yaml``, ``*.yml``) of an ``actors/`` folder, sorted."""
    return tuple(
        path
        for pattern in ("*.yaml", "*.yml")
        for path in sorted(folder.glob(pattern))
        if kbfiles.visible(path)
    )


def _manifest(path: Path) -> tuple[Mapping[str, str], frozenset[str], list[Problem]]:
    """The label and region of ``territory.yaml``, with its problems."""
    where = str(path)
    try:
        node, data = kbfiles.load(path)
    except kbfiles.FileRefused as refused:
        return {}, frozenset(), [Problem(where, refused.line, refused.field, str(refused))]
    lines = kbfiles.lines(node)
    if not isinstance(data, dict):
        return {}, frozenset(), [Problem(where, 1, "(file)", "must be a mapping: name, region")]
    problems = [
        Problem(where, lines.get(str(key), 1), str(key), "unknown field; expected: name, region")
        for key in data
        if key not in ("name", "region")
    ]
    label = data.get("name")
    if not (
        isinstance(label, dict)
        and isinstance(label.get("fr"), str)
        and all(isinstance(v, str) and 0 < len(v) <= MAX_LABEL for v in label.values())
    ):
        problems.append(
            Problem(where, lines.get("name", 1), "name", "must be {fr: ..., en: ...}, short texts")
        )
        label = {}
    region = data.get("region")
    if not (
        isinstance(region, list)
        and region
        and all(isinstance(d, str) and DEPARTMENT_RE.fullmatch(d) for d in region)
    ):
        problems.append(
            Problem(
                where,
                lines.get("region", 1),
                "region",
                'must be a non-empty list of department codes such as "81" (quoted)',
            )
        )
        region = []
    return dict(label), frozenset(region), problems


def _folder(
    path: Path, elsewhere: Elsewhere | None
) -> tuple[TerritoryFolder | None, list[Problem]]:
    """One folder's territory (None when its name or communes are unusable), its problems."""
    name = path.name
    if not NAME_RE.fullmatch(name) or name in RESERVED:
        message = f"«{name}» must be a slug (a-z, 0-9, dashes), not {', '.join(sorted(RESERVED))}"
        return None, [Problem(str(path), 0, "territory", message)]
    label, region, problems = _manifest(path / MANIFEST)
    try:
        territory = Territory.load(path / "communes.json", elsewhere, name, region, label or None)
    except TerritoryError as error:
        problems.append(Problem(str(path / "communes.json"), error.line, error.field, str(error)))
        return None, problems
    files = actor_files(path / "actors")
    if not files:
        problems.append(Problem(str(path / "actors"), 0, "actors", "no actor file (*.yaml) found"))
    sources = path / "sources"
    own = (
        frozenset(p.name for p in sources.iterdir() if kbfiles.visible(p))
        if sources.is_dir()
        else frozenset()
    )
    return TerritoryFolder(name, label, territory, files, own), problems


def load_territories(
    root: Path, default: Territory, elsewhere: Elsewhere | None
) -> tuple[list[TerritoryFolder], list[Problem]]:
    """The territories in ``root/territories/`` beside the ``default`` one, and every problem
    (a commune in two territories is one)."""
    found: list[TerritoryFolder] = []
    problems: list[Problem] = []
    owner = {insee: DEFAULT_TERRITORY for insee in default.communes}
    for path in folders(root):
        territory, trouble = _folder(path, elsewhere)
        problems += trouble
        if territory is None:
            continue
        for insee in territory.territory.communes:
            if insee in owner:
                problems.append(
                    Problem(
                        str(path / "communes.json"),
                        1,
                        "communes",
                        f"INSEE code «{insee}» is already in territory «{owner[insee]}»",
                    )
                )
            owner.setdefault(insee, territory.name)
        found.append(territory)
    return found, problems

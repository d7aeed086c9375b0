"""Writing imported records into a knowledge-base folder: all checked by the loader first,
then each file replaced whole; a record whose file exists and was not imported is never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.config import REPO_KNOWLEDGE
from bot.core import kbfiles
from bot.core.diagnostics import say
from bot.core.loader import read_actor_file
from bot.core.taxonomy import TaxonomyError, load_taxonomy
from bot.core.territory import Elsewhere, Territory, TerritoryError
from bot.opendata.extract import ExtractError
from bot.opendata.importing import DOCUMENT_PREFIX, Base, Planned, Report, document_name

REFERENCE_FILES = ("taxonomy.yaml", "communes.json", "communes-france.json", "thesaurus.yaml")
"""Copied from the bundled base into a new folder, so that its records load."""


class _Dumper(yaml.SafeDumper):
    """Plain YAML: no anchors, since the loader refuses them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: dict[str, Any]) -> str:
    """One record as YAML text."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


@dataclass
class Outcome:
    """Which record files were created, changed or left as they were; the documents written."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)


def prepare(root: Path) -> list[str]:
    """Create ``root`` with ``actors/`` and ``sources/``, and copy the bundled reference files
    it lacks; the names copied."""
    for folder in (root, root / "actors", root / "sources"):
        if folder.exists() and not folder.is_dir():
            raise ExtractError([f"{folder}: (folder): " + say("opendata.not_folder")])
        folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in REFERENCE_FILES:
        bundled = REPO_KNOWLEDGE / name
        if not (root / name).exists() and bundled.exists():
            shutil.copyfile(bundled, root / name)
            copied.append(name)
    return copied


def open_base(root: Path) -> Base:
    """The taxonomy, communes and source documents of the base in ``root``."""
    try:
        taxonomy = load_taxonomy(root / "taxonomy.yaml")
        france = root / "communes-france.json"
        elsewhere = Elsewhere.load(france) if france.exists() else None
        territory = Territory.load(root / "communes.json", elsewhere)
    except (TaxonomyError, TerritoryError) as error:
        raise ExtractError([f"{root}: {error.field}: {error}"]) from None
    sources = frozenset(p.name for p in (root / "sources").iterdir() if kbfiles.visible(p))
    return Base(taxonomy, territory, sources)


def imported(path: Path) -> bool:
    """Whether the record file ``path`` was written by an import (it cites an extract)."""
    try:
        _, data = kbfiles.load(path)
    except kbfiles.FileRefused:
        return False
    cited = data.get("source") if isinstance(data, dict) else None
    return isinstance(cited, list) and any(str(s).startswith(DOCUMENT_PREFIX) for s in cited)


def read_document(path: Path, producer: str) -> dict[str, Any]:
    """The document already in ``sources/`` (its records by id), or a new one for ``producer``."""
    if not path.exists():
        about = (
            f"data·inclusion records of the producer «{producer}», as read by"
            " aiguillage import-datainclusion (schema 1.0)"
        )
        return {"about": about, "structures": {}, "services": {}}
    try:
        data = json.loads(kbfiles.read_text(path, 2_000_000_000))
    except (kbfiles.FileRefused, ValueError) as error:
        raise ExtractError(
            [f"{path}: (file): " + say("opendata.unreadable", reason=error)]
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), list) and all(isinstance(r, dict) and "id" in r for r in data[k])
        for k in ("structures", "services")
    ):
        raise ExtractError([f"{path}: (file): " + say("opendata.not_ours")])
    return data | {k: {r["id"]: r for r in data[k]} for k in ("structures", "services")}


def same(path: Path, text: str) -> bool:
    """Whether the file ``path`` holds exactly ``text``."""
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def replace(path: Path, text: str, staging: Path) -> bool:
    """Write ``text`` to ``path`` through a file in ``staging``; False when it was already so."""
    if same(path, text):
        return False
    temporary = staging / f"{path.name}.tmp"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return True


def write(root: Path, planned: list[Planned], report: Report, base: Base) -> Outcome:
    """Check every planned record with the loader, then write the good ones and their
    documents; the refused ones go to ``report``."""
    outcome = Outcome()
    actors = root / "actors"
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    try:
        (staging / "actors").mkdir()
        names = {
            document_name(r.model.source) for p in planned for r in (*p.structures, *p.services)
        }
        sources = set(base.sources) | names
        accepted: list[tuple[Planned, str]] = []
        for item in planned:
            target = actors / f"{item.data['id']}.yaml"
            text = dump(item.data)
            if target.exists() and not same(target, text) and not imported(target):
                kept = say("opendata.kept", target=target)
                report.not_imported.append(f"{item.where}: {kept}")
                continue
            staged = staging / "actors" / target.name
            staged.write_text(text, encoding="utf-8")
            _, problems = read_actor_file(staged, base.taxonomy, base.territory, sources)
            if problems:
                report.not_imported.extend(
                    f"{item.where}: {p.field}: {p.message}" for p in problems
                )
                continue
            accepted.append((item, text))
        documents: dict[str, dict[str, Any]] = {}
        for item, _ in accepted:
            for kind, records in (("structures", item.structures), ("services", item.services)):
                for record in records:
                    name = document_name(record.model.source)
                    if name not in documents:
                        path = root / "sources" / name
                        documents[name] = read_document(path, record.model.source)
                    documents[name][kind][record.model.id] = record.raw
        for name, document in sorted(documents.items()):
            lists = {
                k: [document[k][i] for i in sorted(document[k])] for k in ("structures", "services")
            }
            text = json.dumps(document | lists, ensure_ascii=False, indent=1) + "\n"
            replace(root / "sources" / name, text, staging)
            outcome.documents.append(name)
        for item, text in accepted:
            target = actors / f"{item.data['id']}.yaml"
            existed = target.exists()
            changed = replace(target, text, staging)
            bucket = outcome.updated if existed else outcome.new
            (bucket if changed else outcome.unchanged).append(item.data["id"])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return outcome

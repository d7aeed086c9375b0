"""Loading and checking the evaluation cases (format: ``evaluation/CASES.md``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.knowledge import KnowledgeBase

CASES_DIR = Path(__file__).parent / "cases"
SPLITS = ("dev", "holdout")
CATEGORIES = frozenset(
    {
        "paraphrase",
        "sms",
        "long",
        "english",
        "question",
        "postal",
        "named",
        "conditions",
        "local",
        "negation",
        "out-of-area",
        "off-topic",
        "mixed",
    }
)


@dataclass(frozen=True)
class Case:
    """One request and what a good reception agent would answer."""

    id: str
    text: str
    lang: str
    category: str
    expect: frozenset[str]
    first: frozenset[str]
    not_first: frozenset[str]
    never: frozenset[str]
    commune: str | None
    outside_area: str | None

    @property
    def wants_nothing(self) -> bool:
        """True when the bot must recommend nothing."""
        return not self.expect


class CaseError(ValueError):
    """A case file that does not follow the format."""


def _ids(raw: dict[str, object], key: str, where: str, kb: KnowledgeBase) -> frozenset[str]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CaseError(f"{where}: {key}: a list of actor ids")
    unknown = [v for v in value if kb.actor(v) is None]
    if unknown:
        raise CaseError(f"{where}: {key}: unknown actors {', '.join(unknown)}")
    return frozenset(value)


def _case(raw: object, where: str, kb: KnowledgeBase) -> Case:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise CaseError(f"{where}: a mapping with a text")
    category = raw.get("category")
    if category not in CATEGORIES:
        raise CaseError(f"{where}: category: one of {', '.join(sorted(CATEGORIES))}")
    lang = raw.get("lang")
    if lang not in ("fr", "en"):
        raise CaseError(f"{where}: lang: fr or en")
    commune = raw.get("commune")
    if commune is not None and kb.territory.get(str(commune)) is None:
        raise CaseError(f"{where}: commune: {commune} is not an INSEE code of Haute-Garonne")
    expect = _ids(raw, "expect", where, kb)
    first = _ids(raw, "first", where, kb)
    if not first <= expect:
        raise CaseError(f"{where}: first: must be part of expect")
    outside = raw.get("outside_area")
    return Case(
        id=str(raw.get("id", where)),
        text=raw["text"],
        lang=str(lang),
        category=str(category),
        expect=expect,
        first=first,
        not_first=_ids(raw, "not_first", where, kb),
        never=_ids(raw, "never", where, kb),
        commune=str(commune) if commune is not None else None,
        outside_area=str(outside) if outside is not None else None,
    )


def load_split(
    split: str, kb: KnowledgeBase, folder: Path = CASES_DIR, only: str | None = None
) -> list[Case]:
    """The cases of ``split`` (files ``<split>_*.yaml``, or only ``<only>.yaml``), checked."""
    cases: list[Case] = []
    paths = sorted(folder.glob(f"{split}_*.yaml"))
    if only is not None:
        paths = [path for path in paths if path.stem == only]
        if not paths:
            raise CaseError(f"{split}: no case file {only}.yaml")
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise CaseError(f"{path.name}: a list of cases")
        cases += [_case(raw, f"{path.name}: case {n}", kb) for n, raw in enumerate(data, 1)]
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise CaseError(f"{split}: duplicate case id {case.id}")
        seen.add(case.id)
    return cases

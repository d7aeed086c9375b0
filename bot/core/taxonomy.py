"""The taxonomy of stages, legal forms and needs, with labels and synonyms (``taxonomy.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core.text import fold

LANGUAGES = ("fr", "en")
KINDS = ("stages", "legal_forms", "needs")


@dataclass(frozen=True)
class Term:
    """One stage, legal form or need: its id, labels per language and folded synonyms."""

    id: str
    labels: Mapping[str, str]
    synonyms: tuple[str, ...]
    by_lang: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        """The label in ``lang``, French when missing."""
        return self.labels.get(lang) or self.labels["fr"]


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """Ordered terms of each kind (hashed by identity, so results can be cached per taxonomy)."""

    stages: Mapping[str, Term]
    legal_forms: Mapping[str, Term]
    needs: Mapping[str, Term]

    def kind(self, name: str) -> Mapping[str, Term]:
        """The terms of ``name`` (one of :data:`KINDS`)."""
        terms: Mapping[str, Term] = getattr(self, name)
        return terms


class TaxonomyError(ValueError):
    """``taxonomy.yaml`` is missing or malformed."""


def _terms(path: Path, data: Mapping[str, Any], kind: str) -> dict[str, Term]:
    section = data.get(kind)
    if not isinstance(section, dict) or not section:
        raise TaxonomyError(f"{path}: {kind}: missing or empty mapping")
    terms: dict[str, Term] = {}
    for term_id, body in section.items():
        if not isinstance(body, dict) or not isinstance(body.get("fr"), str):
            raise TaxonomyError(f"{path}: {kind}.{term_id}: needs at least a French label 'fr'")
        raw_synonyms = body.get("synonyms") or {}
        by_lang = {
            lang: tuple(sorted({fold(str(s)) for s in (raw_synonyms.get(lang) or [])} - {""}))
            for lang in LANGUAGES
        }
        synonyms = {s for found in by_lang.values() for s in found}
        labels = {lang: str(body[lang]) for lang in LANGUAGES if isinstance(body.get(lang), str)}
        terms[str(term_id)] = Term(str(term_id), labels, tuple(sorted(synonyms)), by_lang)
    return terms


def load_taxonomy(path: Path) -> Taxonomy:
    """Load ``taxonomy.yaml``; raise :class:`TaxonomyError` with the file and field on bad data."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise TaxonomyError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: expected a mapping with {', '.join(KINDS)}")
    stages, forms, needs = (_terms(path, data, kind) for kind in KINDS)
    return Taxonomy(stages, forms, needs)

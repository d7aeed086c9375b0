"""Display names for the ids a report shows: taxonomy terms, communes, actors, sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.core import kbfiles
from bot.core.knowledge import KnowledgeBase
from bot.core.taxonomy import KINDS, Taxonomy, load_taxonomy
from bot.core.territories import folders
from bot.core.territory import Territory
from bot.reports.phrases import phrase


@dataclass(frozen=True)
class Labels:
    """Names by id; an id without a name is shown as is, an empty id as « non précisé »."""

    taxonomy: Taxonomy | None = None
    communes: Mapping[str, str] = field(default_factory=dict)
    actors: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_knowledge(cls, kb: KnowledgeBase) -> Labels:
        """The names of a loaded knowledge base."""
        communes = {insee: c.name for insee, c in kb.territory.communes.items()}
        return cls(kb.taxonomy, communes, {a.id: a.name for a in kb.actors})

    def name(self, dimension: str, key: str, lang: str = "fr") -> str:
        """The name of ``key`` in ``dimension`` (needs, stages, communes, actors, sources…)."""
        if not key:
            return phrase("direct" if dimension == "sources" else "not_stated", lang)
        if dimension == "communes":
            return self.communes.get(key, key)
        if dimension == "actors":
            return self.actors.get(key, key)
        if self.taxonomy is not None and dimension in KINDS:
            term = self.taxonomy.kind(dimension).get(key)
            if term is not None:
                return term.label(lang)
        return key


def load_labels(kb_path: Path) -> Labels:
    """Names read from a knowledge folder, tolerant of actor files that do not parse.

    A bad taxonomy or commune file raises :class:`TaxonomyError` or :class:`TerritoryError`.
    """
    taxonomy = load_taxonomy(kb_path / "taxonomy.yaml")
    places = [kb_path, *folders(kb_path)]  # the default territory, then the others
    communes = {
        insee: c.name
        for place in places
        for insee, c in Territory.load(place / "communes.json").communes.items()
    }
    actors: dict[str, str] = {}
    for path in sorted(p for place in places for p in (place / "actors").glob("*.yaml")):
        if not kbfiles.visible(path):
            continue
        try:
            _, actor = kbfiles.load(path)
        except kbfiles.FileRefused:
            continue
        if isinstance(actor, dict) and isinstance(actor.get("name"), str):
            actors[path.stem] = actor["name"]
    return Labels(taxonomy, communes, actors)

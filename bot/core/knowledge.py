"""The knowledge-base model: actors, their contacts, and problems found while loading."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.taxonomy import Taxonomy
from bot.core.territory import DEFAULT_TERRITORY, Territory

KINDS = (
    "cae",
    "couveuse",
    "financeur",
    "tete-de-reseau",
    "federation",
    "pepiniere",
    "coworking",
    "tiers-lieu",
    "accompagnement",
    "collectivite",
)
STRENGTHS = {"primary": 1.0, "secondary": 0.5}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the knowledge base."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class KnowledgeError(ValueError):
    """The knowledge base is invalid; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Contact:
    """One published way to reach an actor, with the year and document it comes from."""

    year: int
    source: str
    person: str | None = None
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Exclusion:
    """Who an actor does not serve (``not_for``): the profile it excludes and why.

    It excludes a profile whose legal form is in ``legal_forms`` (when given) and whose stage
    is in ``stages`` (when given), unless the profile asks for one of ``unless_needs``.
    """

    reason: Mapping[str, str]
    legal_forms: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    unless_needs: frozenset[str] = frozenset()

    def excludes(self, stage: str | None, legal_form: str | None, needs: tuple[str, ...]) -> bool:
        """True when this rule keeps the actor from that profile."""
        if self.unless_needs.intersection(needs):
            return False
        form = not self.legal_forms or legal_form in self.legal_forms
        phase = not self.stages or stage in self.stages
        return form and phase


@dataclass(frozen=True)
class Actor:
    """A local support structure."""

    id: str
    name: str
    kind: str
    summary: Mapping[str, str]
    offers: tuple[Mapping[str, str], ...]
    stages: frozenset[str]
    legal_forms: frozenset[str]
    needs: Mapping[str, float]
    communes: frozenset[str]
    areas: frozenset[str]
    source: tuple[str, ...]
    info_date: int
    acronym: str | None = None
    keywords: tuple[str, ...] = ()
    conditions: Mapping[str, str] = field(default_factory=dict)
    contacts: tuple[Contact, ...] = ()
    note: Mapping[str, str] = field(default_factory=dict)
    situations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    not_for: tuple[Exclusion, ...] = ()
    reception: bool = False
    location: Mapping[str, str] = field(default_factory=dict)
    file: str = ""
    territory: str = DEFAULT_TERRITORY  # the territory whose folder holds it (not a file field)

    def exclusion(
        self, stage: str | None, legal_form: str | None, needs: tuple[str, ...]
    ) -> Exclusion | None:
        """The first ``not_for`` rule that keeps this actor from that profile, if any."""
        return next((e for e in self.not_for if e.excludes(stage, legal_form, needs)), None)

    @property
    def reachable(self) -> bool:
        """True when a phone, e-mail, website or address is published."""
        return any(self.first(kind) for kind in ("phone", "email", "website", "address"))

    def first(self, attribute: str) -> str | None:
        """The first contact value of that kind (``phone``, ``email``, ``website``, ``address``)."""
        for contact in self.contacts:
            value: str | None = getattr(contact, attribute)
            if value:
                return value
        return None


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Actors with the taxonomy and territory they refer to (hashed by identity, for caches)."""

    actors: tuple[Actor, ...]
    taxonomy: Taxonomy
    territory: Territory
    root: Path
    thesaurus: Mapping[str, str] = field(default_factory=dict)  # folded word → its group's

    def actor(self, actor_id: str) -> Actor | None:
        """The actor with that id."""
        return next((a for a in self.actors if a.id == actor_id), None)

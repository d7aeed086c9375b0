"""The knowledge-base model: actors, their contacts, and problems found while loading.

The dataclasses are also the schema of the actor files: a field annotated with a
:class:`Rule` is read from the file under its name (or ``Rule.key``), is required when it has no
default, and is checked by the reader its type implies (``bot.core.loader``). Adding a field to
the files is adding it here.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Annotated

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
RESCUE_STAGE = "struggling"  # a structure in difficulty
RESCUE_NEED = "advice"  # what consolidating one is
FEW_STAGES = 3  # an actor of this many stages at most is a specialist of them
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^(?:0\d|\+33 ?\d)(?:[ .]?\d\d){4}$")
URL_RE = re.compile(r"^(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][^\s]*)?$")


@dataclass(frozen=True)
class Rule:
    """How a field is written in an actor file, beyond what its type says."""

    key: str = ""
    """Its key in the file, when not the attribute's name."""
    reader: str = ""
    """A reader of its own (``bot.core.loader.READERS``) instead of the one of its type."""
    max_chars: int | None = None
    """The longest text it may hold (per language, per item): a card must fit a message."""
    choices: str = ""
    """Where its values come from: ``kinds``, ``sources`` or a taxonomy list."""
    pattern: re.Pattern[str] | None = None
    what: str = ""
    """What ``pattern`` checks, for the message (« malformed e-mail »)."""


Contactable = Annotated[str | None, Rule(max_chars=200)]


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

    year: Annotated[int, Rule()]
    source: Annotated[str, Rule(choices="sources")]
    person: Contactable = None
    role: Contactable = None
    phone: Annotated[
        str | None, Rule(max_chars=200, pattern=PHONE_RE, what="French phone number")
    ] = None
    email: Annotated[str | None, Rule(max_chars=200, pattern=EMAIL_RE, what="e-mail")] = None
    website: Annotated[str | None, Rule(max_chars=200, pattern=URL_RE, what="website address")] = (
        None
    )
    address: Contactable = None


@dataclass(frozen=True)
class HandoffAddress:
    """The structure takes hand-offs at ``email``, as a coordinator confirmed in year ``since``."""

    email: Annotated[str, Rule(max_chars=200, pattern=EMAIL_RE, what="e-mail")]
    since: Annotated[int, Rule()]


@dataclass(frozen=True)
class Exclusion:
    """Who an actor does not serve (``not_for``): the profile it excludes and why.

    It excludes a profile whose legal form is in ``legal_forms`` (when given), whose stage is
    in ``stages`` (when given) and, with ``without_staff``, whose structure is said to employ
    nobody, unless the profile asks for one of ``unless_needs``.
    """

    reason: Mapping[str, str] = field(default_factory=dict)
    """Read from the entry's own ``fr``/``en`` keys."""
    legal_forms: Annotated[frozenset[str], Rule(choices="legal_forms")] = frozenset()
    stages: Annotated[frozenset[str], Rule(choices="stages")] = frozenset()
    unless_needs: Annotated[frozenset[str], Rule(choices="needs")] = frozenset()
    without_staff: Annotated[bool, Rule()] = False

    def excludes(
        self,
        stage: str | None,
        legal_form: str | None,
        needs: tuple[str, ...],
        without_staff: bool = False,
    ) -> bool:
        """True when this rule keeps the actor from that profile (``without_staff``: its
        structure is said to employ nobody)."""
        if self.unless_needs.intersection(needs) or (self.without_staff and not without_staff):
            return False
        form = not self.legal_forms or legal_form in self.legal_forms
        phase = not self.stages or stage in self.stages
        return form and phase


@dataclass(frozen=True, slots=True)
class Actor:
    """A local support structure."""

    id: Annotated[str, Rule(reader="id")]
    name: Annotated[str, Rule(max_chars=120)]
    kind: Annotated[str, Rule(choices="kinds")]
    summary: Annotated[Mapping[str, str], Rule(max_chars=600)]
    offers: Annotated[tuple[Mapping[str, str], ...], Rule(max_chars=300)]
    stages: Annotated[frozenset[str], Rule(choices="stages")]
    legal_forms: Annotated[frozenset[str], Rule(choices="legal_forms")]
    needs: Annotated[Mapping[str, float], Rule(reader="needs")]
    communes: Annotated[frozenset[str], Rule(key="territory", reader="territory")]
    areas: Annotated[frozenset[str], Rule(key="territory", reader="territory")]
    source: Annotated[tuple[str, ...], Rule(choices="sources")]
    info_date: Annotated[int, Rule()]
    acronym: Annotated[str | None, Rule(max_chars=30)] = None
    names: Annotated[tuple[str, ...], Rule(reader="keywords", max_chars=80)] = ()
    """Its name as a person may say it in another language (« the regional union of SCOPs »
    for the Union régionale des SCOP): the words of its name in the sources, translated."""
    keywords: Annotated[tuple[str, ...], Rule(reader="keywords", max_chars=80)] = ()
    conditions: Annotated[Mapping[str, str], Rule(max_chars=1000)] = field(default_factory=dict)
    contacts: Annotated[tuple[Contact, ...], Rule(reader="contacts")] = ()
    note: Annotated[Mapping[str, str], Rule(max_chars=1000)] = field(default_factory=dict)
    situations: Annotated[Mapping[str, tuple[str, ...]], Rule(reader="situations")] = field(
        default_factory=dict
    )
    not_for: Annotated[tuple[Exclusion, ...], Rule(reader="not_for")] = ()
    members: Annotated[frozenset[str], Rule(choices="legal_forms")] = frozenset()
    """The legal forms of the structures it serves as their own network (URSCOP: « les
    coopératives adhérentes »): a specialist of them, however many forms it also takes."""
    reception: Annotated[bool, Rule()] = False
    location: Annotated[Mapping[str, str], Rule(reader="location")] = field(default_factory=dict)
    located_in: Annotated[frozenset[str], Rule(key="location", reader="location")] = frozenset()
    """The INSEE codes of the communes it is in (``location.communes``), as the sources say."""
    handoff: Annotated[HandoffAddress | None, Rule(reader="handoff")] = None
    file: str = ""
    """The file it was read from (not a field of the file)."""
    territory: str = DEFAULT_TERRITORY  # the territory whose folder holds it (not a file field)

    def __getstate__(self) -> tuple[object, ...]:
        """Its field values in order, as pickled (in the compiled base's cache)."""
        return tuple(map(self.__getattribute__, ACTOR_FIELDS))

    def __setstate__(self, state: Iterable[object]) -> None:
        """Every field set in one pass in C: a cached base of 100,000 actors unpickles in
        about half the time the dataclass's own takes (it lists the fields for each actor)."""
        deque(map(object.__setattr__, itertools.repeat(self), ACTOR_FIELDS, state), maxlen=0)

    def exclusion(
        self,
        stage: str | None,
        legal_form: str | None,
        needs: tuple[str, ...],
        without_staff: bool = False,
    ) -> Exclusion | None:
        """The first ``not_for`` rule that keeps this actor from that profile, if any."""
        return next(
            (e for e in self.not_for if e.excludes(stage, legal_form, needs, without_staff)), None
        )

    @property
    def rescues(self) -> bool:
        """True when consolidating running structures in difficulty is its own work: advice is
        a core need of it and « struggling » one of its few stages (the DLA). Matching puts
        the local one first for a structure said to be in difficulty."""
        return (
            self.core(RESCUE_NEED)
            and RESCUE_STAGE in self.stages
            and len(self.stages) <= FEW_STAGES
        )

    def core(self, need: str) -> bool:
        """True when ``need`` is its core work (primary, not on the side)."""
        return self.needs.get(need, 0.0) >= STRENGTHS["primary"]

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


ACTOR_FIELDS = tuple(f.name for f in fields(Actor))


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
        return self._by_id.get(actor_id)

    @cached_property
    def _by_id(self) -> dict[str, Actor]:
        """The actors by id, the first of each id (a scan costs milliseconds at 100,000)."""
        return {a.id: a for a in reversed(self.actors)}

"""Reading and checking the knowledge base (``knowledge/``) with ``yaml.safe_load`` semantics.

Loading never stops at the first bad value: it collects :class:`Problem` s naming file, line
and field, and :func:`load_knowledge` raises :class:`KnowledgeError` carrying all of them.
Lines come from PyYAML's node tree, built once per file and then turned into Python data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from bot.core import kbfiles
from bot.core.catalogue import LANGUAGES
from bot.core.knowledge import (
    KINDS,
    STRENGTHS,
    Actor,
    Contact,
    Exclusion,
    KnowledgeBase,
    KnowledgeError,
    Problem,
)
from bot.core.taxonomy import Taxonomy, TaxonomyError, load_taxonomy
from bot.core.territories import actor_files, load_territories
from bot.core.territory import Elsewhere, Territory, TerritoryError
from bot.core.text import fold

REQUIRED = (
    "id",
    "name",
    "kind",
    "summary",
    "offers",
    "stages",
    "legal_forms",
    "needs",
    "territory",
    "source",
    "info_date",
)
OPTIONAL = (
    "acronym",
    "keywords",
    "conditions",
    "contacts",
    "note",
    "situations",
    "not_for",
    "reception",
    "location",
)
EXCLUSION_FIELDS = ("fr", "en", "legal_forms", "stages", "unless_needs")
CONTACT_FIELDS = ("person", "role", "phone", "email", "website", "address", "year", "source")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^(?:0\d|\+33 ?\d)(?:[ .]?\d\d){4}$")
URL_RE = re.compile(r"^(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][^\s]*)?$")
FIRST_YEAR = 1990
MAX_CHARS = {
    "name": 120,
    "acronym": 30,
    "summary": 600,
    "offers": 300,
    "conditions": 1000,
    "note": 1000,
    "keywords": 80,
    "contacts": 200,
}
"""The longest text each field may hold (per language, per item): a card must fit a message."""


class _Checker:
    """Collects the problems of one actor file."""

    def __init__(self, path: Path, lines: Mapping[str, int]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, field: str, message: str) -> None:
        top = re.split(r"[.\[]", field, maxsplit=1)[0]
        line = self.lines.get(field) or self.lines.get(top, 1)
        self.problems.append(Problem(str(self.path), line, field, message))

    def text(self, data: Mapping[str, Any], field: str) -> str | None:
        """A text field; None when absent (required ones are reported missing elsewhere)."""
        value = data.get(field)
        if field not in data or (value is None and field not in REQUIRED):
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(field, "must be a non-empty text")
            return None
        return self.short(field, value.strip())

    def short(self, field: str, value: str) -> str:
        """``value``, reported when longer than :data:`MAX_CHARS` allows for ``field``."""
        top = re.split(r"[.\[]", field, maxsplit=1)[0]
        limit = MAX_CHARS.get(top)
        if limit is not None and len(value) > limit:
            self.add(field, f"too long: {len(value)} characters, at most {limit}")
        return value

    def localised(self, value: Any, field: str) -> dict[str, str]:
        if isinstance(value, str):
            return {"fr": self.short(field, value)}
        if not isinstance(value, dict) or not isinstance(value.get("fr"), str):
            self.add(field, "must be a text or a mapping with at least 'fr' (and optionally 'en')")
            return {}
        unknown = set(value) - set(LANGUAGES)
        if unknown:
            self.add(field, f"unknown language(s) {sorted(map(str, unknown))}; use fr, en")
        return {
            k: self.short(f"{field}.{k}", v)
            for k, v in value.items()
            if k in LANGUAGES and isinstance(v, str)
        }

    def choices(
        self, value: Any, field: str, allowed: Mapping[str, object] | tuple[str, ...]
    ) -> frozenset[str]:
        if not isinstance(value, list) or not value:
            self.add(field, f"must be a non-empty list of: {', '.join(allowed)}")
            return frozenset()
        good: set[str] = set()
        for index, item in enumerate(value):
            if str(item) in allowed:
                good.add(str(item))
            else:
                self.add(
                    f"{field}[{index}]",
                    f"unknown value «{item}»; expected one of: {', '.join(allowed)}",
                )
        return frozenset(good)

    def year(self, value: Any, field: str) -> int:
        this_year = date.today().year
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not FIRST_YEAR <= value <= this_year
        ):
            self.add(field, f"must be a year between {FIRST_YEAR} and {this_year}, got «{value}»")
            return 0
        return value


def _needs(check: _Checker, value: Any, taxonomy: Taxonomy) -> dict[str, float]:
    if not isinstance(value, dict) or not value:
        check.add("needs", "must be a mapping need: primary|secondary")
        return {}
    needs: dict[str, float] = {}
    for need, strength in value.items():
        if need not in taxonomy.needs:
            check.add(
                f"needs.{need}",
                f"unknown need «{need}»; expected one of: {', '.join(taxonomy.needs)}",
            )
        elif not isinstance(strength, str) or strength not in STRENGTHS:
            check.add(f"needs.{need}", f"strength must be primary or secondary, got «{strength}»")
        else:
            needs[str(need)] = STRENGTHS[str(strength)]
    return needs


def _territory(
    check: _Checker, value: Any, territory: Territory
) -> tuple[frozenset[str], frozenset[str]]:
    if not isinstance(value, dict) or not (value.get("communes") or value.get("areas")):
        check.add("territory", "must give 'communes' (INSEE codes) and/or 'areas'")
        return frozenset(), frozenset()
    for key in ("communes", "areas"):
        if not isinstance(value.get(key) or [], list):
            check.add(f"territory.{key}", "must be a list")
            return frozenset(), frozenset()
    communes: set[str] = set()
    for index, code in enumerate(value.get("communes") or []):
        if str(code) in territory.communes:
            communes.add(str(code))
        else:
            check.add(
                f"territory.communes[{index}]",
                f"unknown INSEE code «{code}» (not a commune of Haute-Garonne)",
            )
    areas: set[str] = set()
    for index, area in enumerate(value.get("areas") or []):
        if str(area) in territory.areas:
            areas.add(str(area))
        else:
            check.add(
                f"territory.areas[{index}]",
                f"unknown area «{area}»; expected an EPCI (toulouse-metropole, sicoval, ...)"
                " or haute-garonne, region, national",
            )
    return frozenset(communes), frozenset(areas)


def _keywords(check: _Checker, value: Any) -> tuple[str, ...]:
    groups = (
        [(f"keywords.{lang}", value.get(lang)) for lang in LANGUAGES]
        if isinstance(value, dict)
        else [("keywords", value)]
    )
    keywords: list[str] = []
    for field, words in groups:
        if words is None:
            continue
        if not isinstance(words, list):
            check.add(field, "must be a list of words (or a mapping fr:/en: of lists)")
            continue
        keywords.extend(check.short(f"{field}[{i}]", str(k)) for i, k in enumerate(words))
    return tuple(keywords)


def _flag(check: _Checker, data: Mapping[str, Any], field: str) -> bool:
    value = data.get(field, False)
    if not isinstance(value, bool):
        check.add(field, f"must be true or false, got «{value}»")
        return False
    return value


def _situations(check: _Checker, value: Any) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not isinstance(value.get("fr"), list):
        check.add("situations", "must be a mapping fr:/en: of lists of short sentences")
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        sentences = value.get(lang) or []
        if not isinstance(sentences, list) or not all(
            isinstance(s, str) and s.strip() for s in sentences
        ):
            check.add(f"situations.{lang}", "must be a list of non-empty sentences")
            continue
        found[lang] = tuple(s.strip() for s in sentences)
    for key in set(value) - set(LANGUAGES):
        check.add(f"situations.{key}", "unknown language; use fr, en")
    return found


def _not_for(check: _Checker, value: Any, taxonomy: Taxonomy) -> tuple[Exclusion, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        check.add("not_for", "must be a list of {fr, en, legal_forms, stages, unless_needs}")
        return ()
    rules: list[Exclusion] = []
    for index, entry in enumerate(value):
        where = f"not_for[{index}]"
        if not isinstance(entry, dict):
            check.add(where, "must be a mapping {fr, en, legal_forms, stages, unless_needs}")
            continue
        for key in set(entry) - set(EXCLUSION_FIELDS):
            check.add(f"{where}.{key}", f"unknown field; expected: {', '.join(EXCLUSION_FIELDS)}")
        if not entry.get("legal_forms") and not entry.get("stages"):
            check.add(where, "must name the legal_forms and/or stages it excludes")
        lists = {
            key: check.choices(entry[key], f"{where}.{key}", tuple(allowed))
            if key in entry
            else frozenset()
            for key, allowed in (
                ("legal_forms", taxonomy.legal_forms),
                ("stages", taxonomy.stages),
                ("unless_needs", taxonomy.needs),
            )
        }
        reason = check.localised({k: entry[k] for k in LANGUAGES if k in entry}, where)
        rules.append(
            Exclusion(reason, lists["legal_forms"], lists["stages"], lists["unless_needs"])
        )
    return tuple(rules)


def _contacts(check: _Checker, value: Any, sources: set[str] | None) -> tuple[Contact, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        check.add("contacts", "must be a list of contact entries")
        return ()
    contacts: list[Contact] = []
    for index, entry in enumerate(value):
        where = f"contacts[{index}]"
        if not isinstance(entry, dict):
            check.add(
                where,
                "must be a mapping (person, role, phone, email, website, address, year, source)",
            )
            continue
        for key in set(entry) - set(CONTACT_FIELDS):
            check.add(
                f"{where}.{key}", f"unknown contact field; expected: {', '.join(CONTACT_FIELDS)}"
            )
        values = {
            k: check.short(f"{where}.{k}", str(entry[k]).strip())
            for k in CONTACT_FIELDS[:6]
            if entry.get(k) is not None
        }
        if not any(k in values for k in ("person", "phone", "email", "website", "address")):
            check.add(
                where, "gives no way to reach the actor (person, phone, email, website or address)"
            )
        for key, pattern, what in (
            ("email", EMAIL_RE, "e-mail"),
            ("phone", PHONE_RE, "French phone number"),
            ("website", URL_RE, "website address"),
        ):
            if key in values and not pattern.match(values[key]):
                check.add(f"{where}.{key}", f"malformed {what} «{values[key]}»")
        source = str(entry.get("source", "")).strip()
        if not source:
            check.add(f"{where}.source", "missing: which source document published this contact")
        elif sources is not None and source not in sources:
            check.add(f"{where}.source", f"unknown source document «{source}» (not in sources/)")
        if "year" not in entry:
            check.add(f"{where}.year", "missing: the year this contact was published")
        year = check.year(entry.get("year"), f"{where}.year") if "year" in entry else 0
        contacts.append(Contact(year=year, source=source, **values))
    return tuple(contacts)


def _actor(
    path: Path,
    data: Any,
    lines: Mapping[str, int],
    taxonomy: Taxonomy,
    territory: Territory,
    sources: set[str] | None,
) -> tuple[Actor | None, list[Problem]]:
    check = _Checker(path, lines)
    if not isinstance(data, dict):
        check.add("(file)", "must be a mapping of fields (id, name, kind, ...)")
        return None, check.problems
    for key in set(data) - set(REQUIRED) - set(OPTIONAL):
        check.add(str(key), f"unknown field; expected: {', '.join(REQUIRED + OPTIONAL)}")
    for key in REQUIRED:
        if key not in data:
            check.add(key, "missing required field")
    actor_id = check.text(data, "id") or ""
    if actor_id and not ID_RE.match(actor_id):
        check.add("id", f"«{actor_id}» must be a slug: lower-case letters, digits and dashes")
    elif actor_id and actor_id != path.stem:
        check.add("id", f"«{actor_id}» must match the file name «{path.stem}»")
    kind = check.text(data, "kind") or ""
    if kind and kind not in KINDS:
        check.add("kind", f"unknown kind «{kind}»; expected one of: {', '.join(KINDS)}")
    offers = data.get("offers")
    if "offers" in data and (not isinstance(offers, list) or not offers):
        check.add("offers", "must be a non-empty list")
        offers = []
    keywords = _keywords(check, data.get("keywords"))
    source = data.get("source")
    source_list = (
        [source] if isinstance(source, str) else source if isinstance(source, list) else []
    )
    if "source" in data and not source_list:
        check.add("source", "must be a non-empty list of document names in sources/")
    for index, name in enumerate(source_list):
        if sources is not None and str(name) not in sources:
            check.add(f"source[{index}]", f"unknown source document «{name}» (not in sources/)")
    communes, areas = (
        _territory(check, data.get("territory"), territory)
        if "territory" in data
        else (frozenset(), frozenset())
    )
    actor = Actor(
        id=actor_id,
        name=check.text(data, "name") or "",
        kind=kind,
        summary=check.localised(data.get("summary"), "summary") if "summary" in data else {},
        offers=tuple(check.localised(o, f"offers[{i}]") for i, o in enumerate(offers or [])),
        stages=check.choices(data.get("stages"), "stages", tuple(taxonomy.stages))
        if "stages" in data
        else frozenset(),
        legal_forms=check.choices(
            data.get("legal_forms"), "legal_forms", tuple(taxonomy.legal_forms)
        )
        if "legal_forms" in data
        else frozenset(),
        needs=_needs(check, data.get("needs"), taxonomy) if "needs" in data else {},
        communes=communes,
        areas=areas,
        source=tuple(str(s) for s in source_list),
        info_date=check.year(data.get("info_date"), "info_date") if "info_date" in data else 0,
        acronym=check.text(data, "acronym"),
        keywords=keywords,
        conditions=check.localised(data["conditions"], "conditions")
        if data.get("conditions")
        else {},
        contacts=_contacts(check, data.get("contacts"), sources),
        note=check.localised(data["note"], "note") if data.get("note") else {},
        situations=_situations(check, data.get("situations")),
        not_for=_not_for(check, data.get("not_for"), taxonomy),
        reception=_flag(check, data, "reception"),
        location=check.localised(data["location"], "location") if data.get("location") else {},
        file=str(path),
    )
    return (None if check.problems else actor), check.problems


def read_actor_file(
    path: Path, taxonomy: Taxonomy, territory: Territory, sources: set[str] | None
) -> tuple[Actor | None, list[Problem]]:
    """Parse and check one actor file; the actor is None when it has problems."""
    try:
        node, data = kbfiles.load(path)
    except kbfiles.FileRefused as refused:
        return None, [Problem(str(path), refused.line, refused.field, str(refused))]
    return _actor(path, data, kbfiles.lines(node), taxonomy, territory, sources)


def load_thesaurus(path: Path) -> tuple[dict[str, str], list[Problem]]:
    """``thesaurus.yaml``: folded word → the first word of its group (none when absent)."""
    if not path.exists():
        return {}, []
    try:
        node, data = kbfiles.load(path)
    except kbfiles.FileRefused as refused:
        return {}, [Problem(str(path), refused.line, refused.field, str(refused))]
    lines = kbfiles.lines(node)
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        return {}, [Problem(str(path), 1, "groups", "must be a list of lists of words")]
    words: dict[str, str] = {}
    problems: list[Problem] = []
    for index, group in enumerate(groups):
        where = f"groups[{index}]"
        line = lines.get(where, 1)
        if not isinstance(group, list) or not group or not all(isinstance(w, str) for w in group):
            problems.append(Problem(str(path), line, where, "must be a non-empty list of words"))
            continue
        head = fold(group[0])
        for word in group:
            folded = fold(word)
            if words.get(folded, head) != head:
                problems.append(
                    Problem(str(path), line, where, f"«{word}» is already in another group")
                )
            words[folded] = head
    return words, problems


def load_knowledge(root: Path) -> KnowledgeBase:
    """Load and check the base in ``root``; raise :class:`KnowledgeError` listing every problem."""
    problems: list[Problem] = []
    try:
        taxonomy = load_taxonomy(root / "taxonomy.yaml")
    except TaxonomyError as error:
        raise KnowledgeError(
            [Problem(str(root / "taxonomy.yaml"), error.line, error.field, str(error))]
        ) from None
    try:
        france = root / "communes-france.json"
        elsewhere = Elsewhere.load(france) if france.exists() else None
    except TerritoryError as error:
        raise KnowledgeError([Problem(str(france), error.line, error.field, str(error))]) from None
    try:
        territory = Territory.load(root / "communes.json", elsewhere)
    except TerritoryError as error:
        raise KnowledgeError(
            [Problem(str(root / "communes.json"), error.line, error.field, str(error))]
        ) from None
    files = actor_files(root / "actors")
    if not files:
        problems.append(Problem(str(root / "actors"), 0, "actors", "no actor file (*.yaml) found"))
    sources_dir = root / "sources"
    known_sources: set[str] | None = None
    if sources_dir.is_dir():
        known_sources = {p.name for p in sources_dir.iterdir() if kbfiles.visible(p)}
    else:
        problems.append(
            Problem(
                str(sources_dir), 0, "sources", "missing folder: every fact cites a document in it"
            )
        )
    folders, found = load_territories(root, territory, elsewhere)
    problems.extend(found)
    homes = [(territory, files, known_sources)] + [
        (f.territory, f.actor_files, None if known_sources is None else known_sources | f.sources)
        for f in folders
    ]
    actors: list[Actor] = []
    seen: dict[str, str] = {}
    for home, path, cited in ((h, p, c) for h, paths, c in homes for p in paths):
        actor, found = read_actor_file(path, taxonomy, home, cited)
        problems.extend(found)
        if actor is None:
            continue
        actor = replace(actor, territory=home.names[0])
        if actor.id in seen:
            problems.append(
                Problem(str(path), 1, "id", f"duplicate id «{actor.id}» (also in {seen[actor.id]})")
            )
            continue
        seen[actor.id] = str(path)
        actors.append(actor)
    thesaurus, found = load_thesaurus(root / "thesaurus.yaml")
    problems.extend(found)
    if problems:
        raise KnowledgeError(problems)
    if folders:
        territory = Territory.union([territory, *(f.territory for f in folders)], elsewhere)
    return KnowledgeBase(tuple(actors), taxonomy, territory, root, thesaurus)

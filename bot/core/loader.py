"""Reading and checking the knowledge base (``knowledge/``) with ``yaml.safe_load`` semantics.

Loading never stops at the first bad value: it collects :class:`Problem` s naming file, line
and field, and :func:`load_knowledge` raises :class:`KnowledgeError` carrying all of them.
Lines come from PyYAML's node tree, built once per file and then turned into Python data.
An actor file is read through the schema of :mod:`bot.core.knowledge`: each annotated field
of :class:`Actor` (and of the records inside it) names its key, its type and its rule; the
type picks the reader (``Field.read``) unless the rule names one of :data:`READERS`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import re
from collections.abc import Callable, Container, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from bot.core import kbfiles
from bot.core.catalogue import LANGUAGES
from bot.core.diagnostics import say
from bot.core.knowledge import (
    KINDS,
    STRENGTHS,
    Actor,
    Contact,
    Exclusion,
    HandoffAddress,
    KnowledgeBase,
    KnowledgeError,
    Problem,
    Rule,
)
from bot.core.taxonomy import Taxonomy, TaxonomyError, load_taxonomy
from bot.core.territories import actor_files, load_territories
from bot.core.territory import Elsewhere, Territory, TerritoryError
from bot.core.text import fold

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIRST_YEAR = 1990
REACH = ("person", "phone", "email", "website", "address")
"""The contact fields of which one at least must be given."""


@dataclasses.dataclass(frozen=True)
class Field:
    """One field of the schema: the attribute, its key in the file, its type and rule."""

    name: str
    key: str
    hint: Any
    rule: Rule
    required: bool

    @functools.cached_property
    def read(self) -> Reader:
        """This field's reader: the rule's own, else the one of its type."""
        return READERS[self.rule.reader] if self.rule.reader else _BY_TYPE[self.hint]


@functools.cache
def schema(record: type) -> tuple[Field, ...]:
    """The fields of dataclass ``record`` read from a file: those annotated with a Rule."""
    hints = get_type_hints(record, include_extras=True)
    fields = []
    for attribute in dataclasses.fields(record):
        hint = hints[attribute.name]
        if get_origin(hint) is not Annotated:
            continue
        base, *extras = get_args(hint)
        rule = next(e for e in extras if isinstance(e, Rule))
        required = (
            attribute.default is dataclasses.MISSING
            and attribute.default_factory is dataclasses.MISSING
        )
        fields.append(Field(attribute.name, rule.key or attribute.name, base, rule, required))
    return tuple(fields)


@functools.cache
def keys(record: type) -> tuple[str, ...]:
    """The keys a file may give for ``record``, in schema order."""
    return tuple(dict.fromkeys(f.key for f in schema(record)))


@functools.cache
def _expected(record: type, also: tuple[str, ...]) -> frozenset[str]:
    return frozenset((*keys(record), *also))


def _absent(value: Any) -> bool:
    """True for an optional field left empty (null, "", [] or {})."""
    return value is None or (not value and isinstance(value, str | list | dict))


class _Checker:
    """Collects the problems of one actor file; knows what its values may refer to."""

    def __init__(
        self,
        path: Path,
        lines: Mapping[str, int],
        taxonomy: Taxonomy,
        territory: Territory,
        sources: set[str] | None,
    ) -> None:
        self.path = path
        self.lines = lines
        self.taxonomy = taxonomy
        self.territory = territory
        self.sources = sources
        self.problems: list[Problem] = []

    def add(self, field: str, message: str) -> None:
        top = re.split(r"[.\[]", field, maxsplit=1)[0]
        line = self.lines.get(field) or self.lines.get(top, 1)
        problem = Problem(str(self.path), line, field, message)
        if problem not in self.problems:
            self.problems.append(problem)

    def allowed(self, choices: str) -> Mapping[str, object] | tuple[str, ...] | set[str] | None:
        """The values a field with ``Rule.choices`` may take (None: anything)."""
        if choices == "kinds":
            return KINDS
        if choices == "sources":
            return self.sources
        found: Mapping[str, object] = getattr(self.taxonomy, choices)
        return found

    def short(self, field: str, value: str, rule: Rule) -> str:
        """``value``, reported when longer than the rule allows."""
        if rule.max_chars is not None and len(value) > rule.max_chars:
            self.add(field, say("kb.too_long", length=len(value), most=rule.max_chars))
        return value

    def one_of(self, field: str, value: object, rule: Rule) -> bool:
        """True when ``value`` is among the rule's choices (reported when not)."""
        allowed = self.allowed(rule.choices) if rule.choices else None
        if allowed is None or str(value) in allowed:
            return True
        if rule.choices == "sources":
            self.add(field, say("kb.unknown_source", value=value))
        else:
            choices = ", ".join(allowed)
            if rule.choices == "kinds":
                self.add(field, say("kb.unknown_kind", value=value, choices=choices))
            else:
                self.add(field, say("kb.unknown_value", value=value, choices=choices))
        return False


Reader = Callable[[_Checker, str, Any, Field], Any]


def _text(check: _Checker, where: str, value: Any, field: Field) -> str | None:
    if not isinstance(value, str) or not value.strip():
        check.add(where, say("kb.non_empty_text"))
        return None
    text = check.short(where, value.strip(), field.rule)
    if field.rule.pattern is not None and not field.rule.pattern.match(text):
        check.add(where, say("kb.malformed", what=field.rule.what, value=text))
    if field.rule.choices:
        check.one_of(where, text, field.rule)
    return text


def _localised(check: _Checker, where: str, value: Any, field: Field) -> dict[str, str]:
    if isinstance(value, str):
        return {"fr": check.short(where, value, field.rule)}
    if not isinstance(value, dict) or not isinstance(value.get("fr"), str):
        check.add(where, say("kb.localised"))
        return {}
    unknown = set(value) - set(LANGUAGES)
    if unknown:
        check.add(
            where, say("kb.unknown_languages", languages=", ".join(sorted(map(str, unknown))))
        )
    return {
        k: check.short(f"{where}.{k}", v, field.rule)
        for k, v in value.items()
        if k in LANGUAGES and isinstance(v, str)
    }


def _localised_list(
    check: _Checker, where: str, value: Any, field: Field
) -> tuple[dict[str, str], ...]:
    if not isinstance(value, list) or not value:
        check.add(where, say("kb.non_empty_list"))
        return ()
    return tuple(_localised(check, f"{where}[{i}]", v, field) for i, v in enumerate(value))


def _choices(check: _Checker, where: str, value: Any, field: Field) -> frozenset[str]:
    if not isinstance(value, list) or not value:
        allowed = check.allowed(field.rule.choices) or ()
        check.add(where, say("kb.non_empty_list_of", choices=", ".join(allowed)))
        return frozenset()
    return frozenset(
        str(item)
        for index, item in enumerate(value)
        if check.one_of(f"{where}[{index}]", item, field.rule)
    )


def _texts(check: _Checker, where: str, value: Any, field: Field) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    if not items:
        check.add(where, say("kb.non_empty_list"))
    return tuple(
        str(item)
        for index, item in enumerate(items)
        if check.one_of(f"{where}[{index}]", item, field.rule)
    )


def _year(check: _Checker, where: str, value: Any, field: Field) -> int:
    this_year = date.today().year
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not FIRST_YEAR <= value <= this_year
    ):
        check.add(where, say("kb.year", first=FIRST_YEAR, last=this_year, value=value))
        return 0
    return value


def _flag(check: _Checker, where: str, value: Any, field: Field) -> bool:
    if not isinstance(value, bool):
        check.add(where, say("kb.flag", value=value))
        return False
    return value


def _record(
    check: _Checker, where: str, value: Any, record: type, also: tuple[str, ...] = ()
) -> Any:
    """An instance of dataclass ``record`` read from mapping ``value``, or None if it has problems.

    ``also`` names further keys the caller reads itself.
    """
    if not isinstance(value, dict):
        check.add(where, say("kb.mapping_of", fields=", ".join((*keys(record), *also))))
        return None
    before = len(check.problems)
    prefix = f"{where}." if where else ""
    expected = _expected(record, also)
    for key in value:
        if key not in expected:
            fields = ", ".join((*keys(record), *also))
            check.add(f"{prefix}{key}", say("kb.unknown_field", fields=fields))
    values: dict[str, Any] = {}
    for field in schema(record):
        if field.key not in value:
            if field.required:
                check.add(f"{prefix}{field.key}", say("kb.missing_field"))
            continue
        given = value[field.key]
        if field.required or not _absent(given):
            values[field.name] = field.read(check, prefix + field.key, given, field)
    return None if len(check.problems) > before else record(**values)


def _records(check: _Checker, where: str, value: Any, record: type) -> list[Any]:
    if not isinstance(value, list):
        check.add(where, say("kb.list_of", fields=", ".join(keys(record))))
        return []
    return [_record(check, f"{where}[{index}]", entry, record) for index, entry in enumerate(value)]


def _id(check: _Checker, where: str, value: Any, field: Field) -> str | None:
    actor_id = _text(check, where, value, field)
    if actor_id and not ID_RE.match(actor_id):
        check.add(where, say("kb.slug", value=actor_id))
    elif actor_id and actor_id != check.path.stem:
        check.add(where, say("kb.id_file", value=actor_id, file=check.path.stem))
    return actor_id


def _needs(check: _Checker, where: str, value: Any, field: Field) -> dict[str, float]:
    if not isinstance(value, dict) or not value:
        check.add(where, say("kb.needs"))
        return {}
    needs: dict[str, float] = {}
    for need, strength in value.items():
        if need not in check.taxonomy.needs:
            choices = ", ".join(check.taxonomy.needs)
            check.add(f"{where}.{need}", say("kb.unknown_need", value=need, choices=choices))
        elif not isinstance(strength, str) or strength not in STRENGTHS:
            check.add(f"{where}.{need}", say("kb.strength", value=strength))
        else:
            needs[str(need)] = STRENGTHS[str(strength)]
    return needs


def _territory(check: _Checker, where: str, value: Any, field: Field) -> frozenset[str]:
    """One part (``communes`` or ``areas``, the attribute's name) of ``territory``."""
    if not isinstance(value, dict) or not (value.get("communes") or value.get("areas")):
        check.add(where, say("kb.territory"))
        return frozenset()
    for key in set(value) - {"communes", "areas"}:
        check.add(f"{where}.{key}", say("kb.unknown_field", fields="communes, areas"))
    items = value.get(field.name) or []
    if not isinstance(items, list):
        check.add(f"{where}.{field.name}", say("kb.list"))
        return frozenset()
    if field.name == "communes":
        return _insee_codes(check, f"{where}.communes", items)
    return _known(check, f"{where}.areas", items, check.territory.areas, "kb.unknown_area")


def _insee_codes(check: _Checker, where: str, items: list[Any]) -> frozenset[str]:
    """The INSEE codes of ``items`` that are communes of the base's territory (others reported)."""
    return _known(check, where, items, check.territory.communes, "kb.unknown_insee")


def _known(
    check: _Checker, where: str, items: list[Any], known: Container[str], unknown_key: str
) -> frozenset[str]:
    """The items that ``known`` holds, as text; each other one reported with ``unknown_key``."""
    found: set[str] = set()
    for index, item in enumerate(items):
        if str(item) in known:
            found.add(str(item))
        else:
            check.add(f"{where}[{index}]", say(unknown_key, value=item))
    return frozenset(found)


def _location(check: _Checker, where: str, value: Any, field: Field) -> Any:
    """One part of ``location``: its line per language (``location``), or the communes it is
    in (``located_in``, from the optional ``communes`` list of INSEE codes)."""
    given = value if isinstance(value, dict) else {}
    if field.name == "location":
        line = {k: v for k, v in given.items() if k != "communes"} if given else value
        return _localised(check, where, line, field)
    communes = given.get("communes")
    if communes is None:
        return frozenset()
    if not isinstance(communes, list):
        check.add(f"{where}.communes", say("kb.list"))
        return frozenset()
    return _insee_codes(check, f"{where}.communes", communes)


def _keywords(check: _Checker, where: str, value: Any, field: Field) -> tuple[str, ...]:
    groups = (
        [(f"{where}.{lang}", value.get(lang)) for lang in LANGUAGES]
        if isinstance(value, dict)
        else [(where, value)]
    )
    keywords: list[str] = []
    for place, words in groups:
        if words is None:
            continue
        if not isinstance(words, list):
            check.add(place, say("kb.keywords"))
            continue
        keywords.extend(
            check.short(f"{place}[{i}]", str(k), field.rule) for i, k in enumerate(words)
        )
    return tuple(keywords)


def _situations(
    check: _Checker, where: str, value: Any, field: Field
) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or not isinstance(value.get("fr"), list):
        check.add(where, say("kb.situations"))
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        sentences = value.get(lang) or []
        if not isinstance(sentences, list) or not all(
            isinstance(s, str) and s.strip() for s in sentences
        ):
            check.add(f"{where}.{lang}", say("kb.sentences"))
            continue
        found[lang] = tuple(s.strip() for s in sentences)
    for key in set(value) - set(LANGUAGES):
        check.add(f"{where}.{key}", say("kb.unknown_language"))
    return found


def _contacts(check: _Checker, where: str, value: Any, field: Field) -> tuple[Contact, ...]:
    contacts = _records(check, where, value, Contact)
    for index, entry in enumerate(value if isinstance(value, list) else []):
        if isinstance(entry, dict) and not any(entry.get(k) is not None for k in REACH):
            ways = ", ".join(REACH[:-1])
            check.add(f"{where}[{index}]", say("kb.no_reach", ways=ways, last=REACH[-1]))
    return tuple(contacts)


def _not_for(check: _Checker, where: str, value: Any, field: Field) -> tuple[Exclusion, ...]:
    if not isinstance(value, list):
        check.add(where, say("kb.list_of", fields=", ".join((*LANGUAGES, *keys(Exclusion)))))
        return ()
    rules: list[Exclusion] = []
    for index, entry in enumerate(value):
        place = f"{where}[{index}]"
        rule = _record(check, place, entry, Exclusion, LANGUAGES)
        if not isinstance(entry, dict):
            continue
        if not any(entry.get(k) for k in ("legal_forms", "stages", "without_staff")):
            check.add(place, say("kb.not_for"))
        reason = {k: entry[k] for k in LANGUAGES if k in entry}
        if rule is not None:
            rules.append(dataclasses.replace(rule, reason=_localised(check, place, reason, field)))
    return tuple(rules)


def _handoff(check: _Checker, where: str, value: Any, field: Field) -> HandoffAddress | None:
    address: HandoffAddress | None = _record(check, where, value, HandoffAddress)
    return address


READERS: dict[str, Reader] = {
    "id": _id,
    "needs": _needs,
    "territory": _territory,
    "location": _location,
    "keywords": _keywords,
    "situations": _situations,
    "contacts": _contacts,
    "not_for": _not_for,
    "handoff": _handoff,
}
"""Readers named by ``Rule.reader``: the fields whose shape no type says."""
_BY_TYPE: dict[Any, Reader] = {
    str: _text,
    str | None: _text,
    int: _year,
    bool: _flag,
    Mapping[str, str]: _localised,
    tuple[Mapping[str, str], ...]: _localised_list,
    frozenset[str]: _choices,
    tuple[str, ...]: _texts,
}
"""The reader of each type of field (an ``int`` field is a year)."""


def read_actor_file(
    path: Path, taxonomy: Taxonomy, territory: Territory, sources: set[str] | None
) -> tuple[Actor | None, list[Problem]]:
    """Parse and check one actor file; the actor is None when it has problems."""
    try:
        node, data = kbfiles.load(path)
    except kbfiles.FileRefused as refused:
        return None, [Problem(str(path), refused.line, refused.field, str(refused))]
    return read_actor(data, path, taxonomy, territory, sources, kbfiles.lines(node))


def read_actor(
    data: Any,
    path: Path,
    taxonomy: Taxonomy,
    territory: Territory,
    sources: set[str] | None,
    lines: Mapping[str, int] | None = None,
) -> tuple[Actor | None, list[Problem]]:
    """Check one actor's parsed mapping (read from ``path``, its keys at ``lines``)."""
    check = _Checker(path, lines or {}, taxonomy, territory, sources)
    if not isinstance(data, dict):
        check.add("(file)", say("kb.fields", fields=", ".join(keys(Actor)[:3])))
        return None, check.problems
    values = _record(check, "", data, Actor)
    actor = None if values is None else dataclasses.replace(values, file=str(path))
    return actor, check.problems


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
        return {}, [Problem(str(path), 1, "groups", say("kb.thesaurus"))]
    words: dict[str, str] = {}
    problems: list[Problem] = []
    for index, group in enumerate(groups):
        where = f"groups[{index}]"
        line = lines.get(where, 1)
        if not isinstance(group, list) or not group or not all(isinstance(w, str) for w in group):
            problems.append(Problem(str(path), line, where, say("kb.words")))
            continue
        head = fold(group[0])
        for word in group:
            folded = fold(word)
            if words.get(folded, head) != head:
                problems.append(Problem(str(path), line, where, say("kb.other_group", word=word)))
            words[folded] = head
    return words, problems


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No garbage collection meanwhile: loading a base builds objects that all live on (the
    35,000 towns of France alone some 300,000), and each full collection would walk them all
    again (a quarter of loading the bundled base); as it was before afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_knowledge(root: Path) -> KnowledgeBase:
    """Load and check the base in ``root``; raise :class:`KnowledgeError` listing every problem."""
    with collection_paused():
        return _load_knowledge(root)


def _load_knowledge(root: Path) -> KnowledgeBase:
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
        problems.append(Problem(str(root / "actors"), 0, "actors", say("kb.no_actor")))
    sources_dir = root / "sources"
    known_sources: set[str] | None = None
    if sources_dir.is_dir():
        known_sources = {p.name for p in sources_dir.iterdir() if kbfiles.visible(p)}
    else:
        problems.append(Problem(str(sources_dir), 0, "sources", say("kb.no_sources")))
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
        actor = dataclasses.replace(actor, territory=home.names[0])
        if actor.id in seen:
            twice = say("kb.duplicate_id", value=actor.id, other=seen[actor.id])
            problems.append(Problem(str(path), 1, "id", twice))
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

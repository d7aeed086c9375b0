"""The taxonomy of stages, legal forms and needs, with labels and synonyms (``taxonomy.yaml``),
the genres of message that are no project request (a job advert, a complaint…) and the words
of talk that asks for nothing (compliments, the bot, an opinion asked)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core import kbfiles
from bot.core.catalogue import LANGUAGES
from bot.core.diagnostics import say
from bot.core.text import fold

KINDS = ("stages", "legal_forms", "needs")
GENRES = "genres"
PUBLIC = "public"  # a genre's flag: a message a structure sends to its public (see Taxonomy)
UNASKED = "unasked"  # a genre's flag: it holds only in a message that asks no question
PERSONAL = "personal"  # a need's flag: the person's own, whatever their structure's form
INVESTED = "invested"  # a need's flag: beside a personal one, what the person's money is to do
FLAGS = (PUBLIC, UNASKED, PERSONAL, INVESTED)
TALK = "talk"
TALK_KINDS = ("courtesy", "opinion", "addressee", "general", "everyday")


@dataclass(frozen=True)
class Talk:
    """Folded words of talk that asks for nothing (the ``talk`` section, all languages):
    ``courtesy`` a compliment, the bot, trying it (« bravo », « bot », « test »); ``opinion``
    asking what one thinks (« penser », « think »), said to an ``addressee`` (« vous »,
    « you »); ``general`` a subject taken in general (« général »); ``everyday`` the things
    of ordinary life a project's words may bear on (« lessive »: :mod:`bot.core.everyday`)."""

    courtesy: frozenset[str] = frozenset()
    opinion: frozenset[str] = frozenset()
    addressee: frozenset[str] = frozenset()
    general: frozenset[str] = frozenset()
    everyday: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Term:
    """One stage, legal form, need or genre: its id, labels per language, folded synonyms and
    the flags its entry sets (of :data:`FLAGS`)."""

    id: str
    labels: Mapping[str, str]
    synonyms: tuple[str, ...]
    by_lang: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()

    def label(self, lang: str) -> str:
        """The label in ``lang``, French when missing."""
        return self.labels.get(lang) or self.labels["fr"]


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """Ordered terms of each kind (hashed by identity, so results can be cached per taxonomy),
    and the genres of message that are no request (optional: none when the file has none);
    ``public`` are the genres a structure sends to its public (customers, members, readers),
    in which the structure said « ours » is the sender's, no project asking for help;
    ``unasked`` those a question asked beside them undoes (« merci, je vais les appeler »
    closes the talk; « … et pour le local, qui peut m'aider ? » asks again);
    ``personal`` are the needs a person has as themself (placing savings), for which the legal
    form of their structure excludes nobody; ``talk`` the words of talk that asks for nothing;
    ``invested`` the needs that, said beside a personal one, tell what the person's money is to
    do (« placer mes économies dans des entreprises qui créent de l'emploi »), not theirs."""

    stages: Mapping[str, Term]
    legal_forms: Mapping[str, Term]
    needs: Mapping[str, Term]
    genres: Mapping[str, Term] = field(default_factory=dict)
    public: frozenset[str] = frozenset()
    unasked: frozenset[str] = frozenset()
    personal: frozenset[str] = frozenset()
    talk: Talk = field(default_factory=Talk)
    invested: frozenset[str] = frozenset()

    def kind(self, name: str) -> Mapping[str, Term]:
        """The terms of ``name`` (one of :data:`KINDS`)."""
        terms: Mapping[str, Term] = getattr(self, name)
        return terms


class TaxonomyError(ValueError):
    """``taxonomy.yaml`` is missing or malformed; ``field`` and ``line`` say where."""

    def __init__(self, message: str, line: int = 1, field: str = "taxonomy") -> None:
        super().__init__(message)
        self.line = line
        self.field = field


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _terms(data: Mapping[str, Any], kind: str, lines: Mapping[str, int]) -> dict[str, Term]:
    def refuse(field: str, message: str) -> TaxonomyError:
        top = field.split(".", 1)[0]
        return TaxonomyError(message, lines.get(field) or lines.get(top, 1), field)

    section = data.get(kind)
    if not isinstance(section, dict) or not section:
        raise refuse(kind, say("kb.taxonomy.empty"))
    terms: dict[str, Term] = {}
    for term_id, body in section.items():
        where = f"{kind}.{term_id}"
        if not isinstance(term_id, str) or not term_id.strip():
            raise refuse(where, say("kb.taxonomy.id"))
        if not isinstance(body, dict) or not isinstance(body.get("fr"), str) or not body["fr"]:
            raise refuse(where, say("kb.taxonomy.label"))
        for lang in LANGUAGES:
            if lang in body and not isinstance(body[lang], str):
                raise refuse(f"{where}.{lang}", say("kb.taxonomy.label_text"))
        raw_synonyms = body.get("synonyms") or {}
        if not isinstance(raw_synonyms, dict) or not all(
            _strings(raw_synonyms.get(lang) or []) for lang in LANGUAGES
        ):
            raise refuse(f"{where}.synonyms", say("kb.taxonomy.synonyms"))
        by_lang = {
            lang: tuple(sorted({fold(s) for s in (raw_synonyms.get(lang) or [])} - {""}))
            for lang in LANGUAGES
        }
        synonyms = {s for found in by_lang.values() for s in found}
        labels = {lang: body[lang] for lang in LANGUAGES if isinstance(body.get(lang), str)}
        flags = frozenset(f for f in FLAGS if body.get(f) is True)
        terms[term_id] = Term(term_id, labels, tuple(sorted(synonyms)), by_lang, flags)
    return terms


def _talk(data: Mapping[str, Any], lines: Mapping[str, int]) -> Talk:
    """The ``talk`` section (optional): each kind a table ``fr:``/``en:`` of word lists."""
    section = data.get(TALK) or {}
    words: dict[str, frozenset[str]] = {}
    for kind in TALK_KINDS:
        where = f"{TALK}.{kind}"
        body = section.get(kind) or {} if isinstance(section, dict) else None
        if not isinstance(body, dict) or not all(
            _strings(body.get(lang) or []) for lang in LANGUAGES
        ):
            line = lines.get(where) or lines.get(TALK, 1)
            raise TaxonomyError(say("kb.taxonomy.synonyms"), line, where)
        words[kind] = frozenset(fold(w) for lang in LANGUAGES for w in body.get(lang) or []) - {""}
    return Talk(**words)


def load_taxonomy(path: Path) -> Taxonomy:
    """Load ``taxonomy.yaml``; raise :class:`TaxonomyError` with the field and line on bad data."""
    try:
        node, data = kbfiles.load(path)
    except kbfiles.FileRefused as refused:
        raise TaxonomyError(str(refused), refused.line, refused.field) from None
    if not isinstance(data, dict):
        raise TaxonomyError(say("kb.taxonomy.root", kinds=", ".join(KINDS)))
    lines = kbfiles.lines(node)
    stages, forms, needs = (_terms(data, kind, lines) for kind in KINDS)
    genres = _terms(data, GENRES, lines) if GENRES in data else {}
    public, unasked = (
        frozenset(g for g in genres if f in genres[g].flags) for f in (PUBLIC, UNASKED)
    )
    personal, invested = (
        frozenset(n for n in needs if f in needs[n].flags) for f in (PERSONAL, INVESTED)
    )
    talk = _talk(data, lines)
    return Taxonomy(stages, forms, needs, genres, public, unasked, personal, talk, invested)

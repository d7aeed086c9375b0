"""What the knowledge base gives free-text understanding: lemmas, synonym phrases, names, BM25.

Built once per knowledge base (kept while the base is in use) from the taxonomy's synonyms
and the actors' own texts: ``situations`` (how people describe needing the actor), summary,
offers, keywords; and the formulas of the genres of message that are no request.
"""

from __future__ import annotations

import functools
import re
import sys
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from bot.core.coverindex import Coverage, build_coverage
from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.language import LANGS, Lexicon, Token, stop_lemmas, tokens
from bot.core.negation import NEGATORS, WITHOUT
from bot.core.reading.nearnames import NearNames, near_names
from bot.core.similarity import BM25
from bot.core.taxonomy import KINDS
from bot.core.territory import NATIONAL_AREA
from bot.core.text import STOP_WORDS, fold

TYPO_MIN_LENGTH = 5
NAME_MIN_LENGTH = 3
NAME_MIN_WORDS = 3
NAME_CUTS = frozenset({"de", "d", "du"})
TERM_MIN_LENGTH = 3


@dataclass(frozen=True)
class Phrase:
    """One synonym of a taxonomy term, as lemmas and folded words."""

    kind: str
    term: str
    text: str
    lemmas: tuple[str, ...]
    surfaces: tuple[str, ...]
    lang: str

    @property
    def negative(self) -> bool:
        """True when the synonym itself says « pas » or « sans » (matched inside a negation)."""
        return bool(set(self.surfaces) & (NEGATORS | WITHOUT))


@dataclass(frozen=True)
class Cue:
    """One formula of a genre of message that is no request (« h f », « à vendre »), as the
    folded words of the message; ``inflected`` when it is written in base forms (« envoyer
    cv »), so that any inflection of them says it (« envoyez CV »)."""

    genre: str
    words: tuple[str, ...]
    lang: str
    inflected: bool = False


NamesByFirst = dict[str, tuple[tuple[int, dict[tuple[str, ...], tuple[str, ...]]], ...]]
# first word → (length, name → the ids of the actors it names) per length of name


@dataclass(frozen=True)
class Vocabulary:
    """Lexicon, synonym phrases by first word (with their rank: longest first), actor names by
    first word and the BM25 index of actors."""

    lexicon: Lexicon
    phrases_by_first: dict[str, tuple[Phrase, ...]]
    rank: dict[Phrase, int]
    typo_words: dict[tuple[str, str], Phrase]
    names_by_first: NamesByFirst
    actor_ids: tuple[str, ...]
    index: BM25
    stop: frozenset[str]
    thesaurus_heads: frozenset[str] = frozenset()
    position: dict[str, int] = field(default_factory=dict)  # actor id → its place in the base
    by_need: dict[str, tuple[int, ...]] = field(default_factory=dict)  # need → actor places
    national_needs: frozenset[str] = frozenset()
    """The needs whose core work only national actors do (savings: Finansol), for whom a
    national one is seen from anywhere in France."""
    coverage: Coverage | None = None
    cues_by_first: dict[str, tuple[Cue, ...]] = field(default_factory=dict)

    @functools.cached_property
    def near_names(self) -> NearNames:
        """The one-word actor names by their one-letter deletions (a misspelt name's look-up)."""
        return near_names(first for first, sizes in self.names_by_first.items() if 1 in dict(sizes))

    def content(self, words: list[Token]) -> list[str]:
        """The lemmas that carry meaning (stop words removed)."""
        return [
            t.lemma
            for t in words
            if len(t.lemma) >= TERM_MIN_LENGTH
            and t.lemma not in self.stop
            and not t.lemma.isdigit()
        ]


def _meaningful(token: Token, stop: frozenset[str]) -> bool:
    """A word that carries meaning: no stop word, no number (« sous » is « argent » by now)."""
    lemma = token.lemma
    return len(lemma) >= TERM_MIN_LENGTH and lemma not in stop and not lemma.isdigit()


def _texts(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """Every accented text of the base, with its language."""
    for actor in kb.actors:
        for lang, sentences in actor.situations.items():
            yield from ((lang, s) for s in sentences)
        for lang in LANGS:
            for part in (actor.summary, *actor.offers, actor.conditions):
                if lang in part:
                    yield lang, part[lang]
        yield "fr", " ".join(actor.keywords)
    for kind in KINDS:
        for term in kb.taxonomy.kind(kind).values():
            yield from term.labels.items()


def _document(actor: Actor, meaningful: Callable[[str, str], tuple[str, ...]]) -> list[str]:
    """The lemmas of ``actor``'s texts that carry meaning, as BM25 indexes them."""
    parts: list[tuple[str, str]] = [(lang, s) for lang, ss in actor.situations.items() for s in ss]
    parts += [(lang, part[lang]) for part in (actor.summary, *actor.offers) for lang in part]
    parts += [("fr", " ".join(actor.keywords)), ("fr", actor.name), ("fr", actor.acronym or "")]
    return [lemma for lang, text in parts for lemma in meaningful(lang, text)]


def _names(actor: Actor) -> Iterator[tuple[str, ...]]:
    """The ways a person may name the actor: acronym (and its first word: « CRESS M.-P. » →
    « CRESS »), full name, the name before a comma or a parenthesis, each also without a
    leading article after acronyms (« PTCE Le Périscope » → « Périscope », « La Mijoteuse »
    → « Mijoteuse »), and its name in another language (``names``)."""
    candidates = {actor.name, actor.name.split("(")[0], actor.name.split(",")[0], *actor.names}
    if actor.acronym:
        candidates.update((actor.acronym, actor.acronym.split()[0]))
    found: set[tuple[str, ...]] = set()
    for name in candidates:
        words = [w for w in re.split(r"[\s'’]+", name.strip()) if w]
        folded = tuple(fold(" ".join(words)).split())
        if folded and len("".join(folded)) >= NAME_MIN_LENGTH:
            found.add(folded)
        for end in range(NAME_MIN_WORDS, len(folded)):  # « l'union régionale des SCOP »
            if folded[end] in NAME_CUTS:
                found.add(folded[:end])
        acronyms = 0
        while acronyms < len(words) and words[acronyms].isupper():
            acronyms += 1
        if acronyms + 1 < len(words) and fold(words[acronyms]) in STOP_WORDS:
            found.add(tuple(fold(" ".join(words[acronyms + 1 :])).split()))
    yield from sorted(found)


def _by_first_word(names: Iterable[tuple[str, tuple[str, ...]]]) -> NamesByFirst:
    """Actor names by their first word then their length, so that a message is scanned once
    and each of its spans looked up (« Structure 1 … » a hundred thousand times is no loop)."""
    found: dict[str, dict[int, dict[tuple[str, ...], tuple[str, ...]]]] = {}
    for actor_id, folded in names:
        words = tuple(map(sys.intern, folded))  # « structure » once, not once per actor
        by_name = found.setdefault(words[0], {}).setdefault(len(words), {})
        by_name[words] = (*by_name.get(words, ()), actor_id)
    return {first: tuple(sizes.items()) for first, sizes in found.items()}


def _cues(kb: KnowledgeBase, lexicon: Lexicon) -> dict[str, tuple[Cue, ...]]:
    """The genres' formulas by first word, longest first."""
    cues = [
        Cue(genre, surfaces, lang, len(words) > 1 and surfaces == tuple(t.lemma for t in words))
        for genre, term in kb.taxonomy.genres.items()
        for lang, formulas in term.by_lang.items()
        for formula in formulas
        if (words := tokens(formula, lang, lexicon))
        for surfaces in [tuple(t.surface for t in words)]
    ]
    by_first: dict[str, list[Cue]] = {}
    for cue in sorted(cues, key=lambda c: -len(c.words)):
        by_first.setdefault(cue.words[0], []).append(cue)
    return {first: tuple(found) for first, found in by_first.items()}


def _build(kb: KnowledgeBase) -> Vocabulary:
    lexicon = Lexicon(_texts(kb), kb.thesaurus)
    stop = stop_lemmas("fr") | stop_lemmas("en")

    @functools.cache  # a directory repeats its offers and summaries: each text read once
    def meaningful(lang: str, text: str) -> tuple[str, ...]:
        return tuple(t.lemma for t in tokens(text, lang, lexicon) if _meaningful(t, stop))

    phrases: list[Phrase] = []
    for kind in KINDS:
        for term_id, term in kb.taxonomy.kind(kind).items():
            for lang, synonyms in term.by_lang.items():
                for synonym in synonyms:
                    words = tokens(synonym, lang, lexicon)
                    if words:
                        lemmas = tuple(t.lemma for t in words)
                        surfaces = tuple(t.surface for t in words)
                        phrases.append(Phrase(kind, term_id, synonym, lemmas, surfaces, lang))
    phrases.sort(key=lambda p: (-len(p.surfaces), -len(p.text), p.kind, p.term))
    typo_words = {
        (p.lang, p.surfaces[0]): p
        for p in reversed(phrases)
        if len(p.surfaces) == 1 and len(p.surfaces[0]) >= TYPO_MIN_LENGTH
    }
    by_first: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        for key in {phrase.lemmas[0], phrase.surfaces[0]}:
            by_first.setdefault(key, []).append(phrase)
    by_need = {
        need: tuple(p for p, a in enumerate(kb.actors) if need in a.needs)
        for need in kb.taxonomy.needs
    }
    return Vocabulary(
        lexicon=lexicon,
        phrases_by_first={k: tuple(v) for k, v in by_first.items()},
        rank={phrase: n for n, phrase in enumerate(phrases)},
        typo_words=typo_words,
        names_by_first=_by_first_word((a.id, words) for a in kb.actors for words in _names(a)),
        actor_ids=tuple(a.id for a in kb.actors),
        index=BM25([_document(a, meaningful) for a in kb.actors]),
        stop=stop,
        thesaurus_heads=frozenset(kb.thesaurus.values()),
        position={a.id: p for p, a in enumerate(kb.actors)},
        by_need=by_need,
        national_needs=frozenset(n for n, places in by_need.items() if _national(kb, n, places)),
        coverage=build_coverage(kb),
        cues_by_first=_cues(kb, lexicon),
    )


_CACHE: weakref.WeakKeyDictionary[KnowledgeBase, Vocabulary] = weakref.WeakKeyDictionary()
"""The vocabulary of each base still in use: a base let go of is not kept alive by it (each
one held some 20 MB, 2026-12-04)."""


def vocabulary(kb: KnowledgeBase) -> Vocabulary:
    """The vocabulary of ``kb`` (built on first use)."""
    found = _CACHE.get(kb)
    if found is None:
        found = _CACHE[kb] = _build(kb)
    return found


def remember(kb: KnowledgeBase, vocab: Vocabulary) -> None:
    """Keep ``vocab`` as the vocabulary of ``kb`` (one built earlier, e.g. read from a cache)."""
    _CACHE[kb] = vocab


def _national(kb: KnowledgeBase, need: str, places: tuple[int, ...]) -> bool:
    """Whether every actor whose core work is ``need`` is national (none nearer does it)."""
    core = [kb.actors[p] for p in places if kb.actors[p].core(need)]
    return bool(core) and all(NATIONAL_AREA in a.areas for a in core)

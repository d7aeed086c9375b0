"""The language toolchain: words and lemmas (simplemma).

Every word is folded (lower case, no accents) after lemmatisation, so « salariées », « salariés »
and « salaries » meet on one lemma. A :class:`Lexicon` built from the knowledge base's own
(accented) texts maps each folded surface form to its lemma first, so that a person who types
without accents finds the same lemma as the base; simplemma answers the other words.

The words a negation bears on are marked by :mod:`bot.core.negation`; the sentence's language
is guessed by :mod:`bot.core.language_guess`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

import simplemma
import stopwordsiso

from bot.core.negation import VERB_ENDINGS, mark_negations
from bot.core.text import STOP_WORDS, fold

LANGS = ("fr", "en")
TOKEN = re.compile(r"[^\W_]+|[.,;:!?()\n—–]", re.UNICODE)
CLAUSE_BREAKS = frozenset(".,;:!?()\n—–")  # a dash too: « not interested in grants — our »
CLAUSE_WORDS = frozenset({"mais", "but", "car", "because", "sinon", "donc", "so"})
FRENCH_CLAUSE_WORDS = frozenset({"car"})  # « car » starts a clause in French; « a car » is a noun
OWN_POSSESSIVES = frozenset({"mon", "ma", "mes", "notre", "nos", "my", "our"})
"""The person's possessives (« notre SCIC », « mon fils veut ouvrir un garage »)."""
LOW_MEMORY = True  # simplemma reads its dictionaries in place: 6 MB, not 44 (README)
CONTENT_WORDS = frozenset(
    {"home", "old", "young", "new", "small", "big", "place", "group", "member", "room", "area",
     "problem", "open", "world", "house", "own", "help", "information"}
)  # fmt: skip
PARTICLES = frozenset({"up", "over", "out", "off", "back", "down", "after"})
OBJECT_PRONOUNS = frozenset({"it", "them", "us", "me", "him", "her", "this", "that", "one"})
PRESENT_ENDINGS = ("ent", "es", "e", "ons", "ez")  # « on bosse », « ils galèrent »
INFINITIVE = "er"
SUBJECTS = frozenset({"je", "j", "on", "il", "elle", "ils", "elles", "nous", "tu", "qui"})


@dataclass(frozen=True)
class Token:
    """One word of a message: folded form, lemma (its thesaurus head), place and negation."""

    surface: str
    lemma: str
    text: str
    capital: bool
    clause: int
    negated: bool = False
    denied: bool = False
    joined: bool = (
        False  # hyphened to the word before (« Andorre-la-Vieille »: « la », « vieille »)
    )


class Lexicon:
    """Folded surface form → folded lemma, learnt from the knowledge base's accented texts;
    then lemma → the head of its thesaurus group (« boîte » → « entreprise »)."""

    def __init__(
        self, texts: Iterable[tuple[str, str]], thesaurus: Mapping[str, str] | None = None
    ) -> None:
        self.thesaurus = dict(thesaurus or {})
        self.heads = frozenset(self.thesaurus.values())
        self.forms: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
        for lang, text in texts:
            forms = self.forms[lang if lang in LANGS else "fr"]
            for word in TOKEN.findall(text):
                if word not in CLAUSE_BREAKS:
                    forms.setdefault(fold(word), _lemma(word.lower(), lang))

    def lemma(self, word: str, lang: str) -> str:
        """The folded lemma of ``word`` (the base's own form first), or rather the head of its
        thesaurus group (by its form, then its lemma)."""
        folded = fold(word)
        if folded in self.thesaurus:
            return self.thesaurus[folded]
        known = self.forms[lang].get(folded)
        if known is None and not known_word(word.lower(), lang):
            for other in LANGS:  # a word of the base in the other language (« activités »)
                known = known or self.forms[other].get(folded)
        lemma = known if known is not None else _lemma(word.lower(), lang)
        return self.thesaurus.get(lemma, lemma)

    def verb_group(self, word: str, lang: str) -> str | None:
        """The thesaurus head of the verb a present form after a subject belongs to, when
        neither the base nor the lemmatiser knows the form (« on bosse » → « bosser »)."""
        folded = fold(word)
        if any(folded in forms for forms in self.forms.values()):
            return None
        if _lemma(word.lower(), lang) != folded or folded in self.thesaurus:
            return None
        for ending in PRESENT_ENDINGS:
            if folded.endswith(ending) and len(folded) > len(ending) + 2:
                head = self.thesaurus.get(folded[: -len(ending)] + INFINITIVE)
                if head is not None:
                    return head
        return None


@lru_cache(maxsize=65536)
def _lemma(word: str, lang: str) -> str:
    if not word.strip():
        return ""
    return fold(simplemma.lemmatize(word, lang=lang, low_memory=LOW_MEMORY)) or fold(word)


@lru_cache(maxsize=65536)
def word_lemmas(word: str) -> frozenset[str]:
    """The folded word and its French and English lemmas, before any thesaurus (« travaillais »
    → « travailler », « moving » → « move »): one lemma covers the forms of a word."""
    lower = word.lower()
    return frozenset({fold(word), *(_lemma(lower, lang) for lang in LANGS)})


@lru_cache(maxsize=4)
def stop_lemmas(lang: str) -> frozenset[str]:
    """The stop words of ``lang`` (stopwords-iso, and ours) and their lemmas, folded.

    Lemmas too, since simplemma turns « je » into « moi » and « mes » into « son ». The
    English list, twice the French one, also holds words that say what a request is about
    (« home help », « old people », « a room »): those are kept as meaning."""
    words = STOP_WORDS | {fold(w) for w in stopwordsiso.stopwords(lang)}
    return frozenset(words | {_lemma(word, lang) for word in words}) - CONTENT_WORDS


@lru_cache(maxsize=65536)
def known_word(word: str, lang: str) -> bool:
    """True when ``word`` is an ordinary word of ``lang`` (so not surely a place name)."""
    return bool(word) and bool(simplemma.is_known(word, lang=lang, low_memory=LOW_MEMORY))


def conjugated_only(word: str) -> bool:
    """True when the French ``word`` is known only as a form of a verb other than its
    infinitive (« limoges »: limoger, « rodez », « vienne »), a form no message opens with."""
    lemma = _lemma(word, "fr")
    return known_word(word, "fr") and lemma != word and lemma.endswith(VERB_ENDINGS)


def tokens(text: str, lang: str, lexicon: Lexicon) -> list[Token]:
    """The words of ``text`` with lemmas, clause numbers and negation marks."""
    matches = list(TOKEN.finditer(text))
    raw = [m.group() for m in matches]
    shouting = sum(1 for w in raw if w.isupper() and len(w) > 1) > len(raw) / 2
    found: list[Token] = []
    clause = 0
    for match, word in zip(matches, raw, strict=True):
        if word in CLAUSE_BREAKS:
            clause += 1
            continue
        folded = fold(word)
        if not folded:
            continue  # a letter folding leaves nothing of (« Ð »)
        if folded in CLAUSE_WORDS and not (lang == "en" and folded in FRENCH_CLAUSE_WORDS):
            clause += 1
        capital = word[:1].isupper() and not shouting
        lemma = lexicon.lemma(word, lang)
        if found and found[-1].surface in SUBJECTS and found[-1].clause == clause:
            lemma = lexicon.verb_group(word, lang) or lemma
        joined = match.start() > 0 and text[match.start() - 1] == "-"
        found.append(Token(folded, lemma, word, capital, clause, joined=joined))
    return mark_negations(_phrasal_verbs(found, lexicon) if lang == "en" else found)


def _phrasal_verbs(words: list[Token], lexicon: Lexicon) -> list[Token]:
    """An English verb and its particle read as one lemma (« take it over » → « take over »),
    since the verb alone is a stop word or means something else (« take », « set », « run »);
    a verb already in the thesaurus keeps its head (« buy out » is « reprendre »)."""
    for at, particle in enumerate(words):
        if particle.surface not in PARTICLES or at == 0:
            continue
        verb_at = at - 2 if at > 1 and words[at - 1].surface in OBJECT_PRONOUNS else at - 1
        verb = words[verb_at]
        if (
            verb.clause == particle.clause
            and verb.lemma not in lexicon.heads
            and verb.lemma.isalpha()
        ):
            words[verb_at] = replace(verb, lemma=f"{verb.lemma} {particle.surface}")
    return words

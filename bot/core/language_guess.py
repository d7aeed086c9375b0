"""The sentence's language: French, English, or unsure.

Function words that belong to one language decide first, then simplemma's share of known
words, French typed without accents counted. This module reads words through
:mod:`bot.core.language` (its tokeniser and dictionaries); nothing there uses it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations, product

import simplemma
import stopwordsiso

from bot.core.language import LANGS, LOW_MEMORY, TOKEN, known_word
from bot.core.text import fold

DETECT_MIN_SCORE = 0.5
VOWELS = frozenset("aeiouy")
ACCENTED = {"e": "éèê", "a": "àâ", "i": "îï", "o": "ô", "u": "ùû", "c": "ç"}
ACCENTS_RESTORED = 2
ELISION = re.compile(r"\b(?:[cdjlmnst]|qu)['’]([^\W\d_]+)", re.IGNORECASE)  # « l'ess », « j'ai »
WHOLLY = 0.8  # simplemma's share of words known in one language, against one function word


@lru_cache(maxsize=65536)
def unaccented_french(word: str) -> bool:
    """True when ``word``, typed without accents, is a French word once up to two of its
    letters take their accent (« idee » idée, « velos » vélos, « creer » créer); not an
    English function word (« the » is no « thé »)."""
    if not word.isascii() or known_word(word, "fr") or word in _function_words()["en"]:
        return False
    spots = [i for i, letter in enumerate(word) if letter in ACCENTED]
    for count in range(1, ACCENTS_RESTORED + 1):
        for chosen in combinations(spots, count):
            for letters in product(*(ACCENTED[word[i]] for i in chosen)):
                spelt = list(word)
                for i, letter in zip(chosen, letters, strict=True):
                    spelt[i] = letter
                if known_word("".join(spelt), "fr"):
                    return True
    return False


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    """The stop words that belong to one language only (« pour », « je » / « the », « my »).

    stopwords-iso's lists share words (« je », « un » are in the English one too), and the
    English one also holds abbreviations and country codes (« cc », « st », « pr »): a word
    of one language must be in its dictionary and not in the other's, and a word needs a
    vowel (an abbreviation belongs to no language)."""
    french = {fold(w) for w in stopwordsiso.stopwords("fr")}
    english = {fold(w) for w in stopwordsiso.stopwords("en")}

    def only(word: str, lang: str, other: str) -> bool:
        return known_word(word, lang) and not known_word(word, other) and bool(VOWELS & set(word))

    return {
        "fr": frozenset(w for w in french if w not in english or only(w, "fr", "en")),
        "en": frozenset(w for w in english - french if only(w, "en", "fr")),
    }


@lru_cache(maxsize=1)
def _shared_stop_words() -> frozenset[str]:
    """The stop words of both stopwords-iso lists (« non », « on », « a »), folded."""
    french = {fold(w) for w in stopwordsiso.stopwords("fr")}
    return frozenset(french & {fold(w) for w in stopwordsiso.stopwords("en")})


def detect_language(text: str, names: frozenset[str] = frozenset()) -> str | None:
    """``fr`` or ``en`` when the text is clearly written in it; None when unsure.

    Function words that belong to one language decide first (« financemnt pour ma
    cooperative » is French; an elided one too: « c koi l'ess », not « L'Union », a name), a
    lone one not against words all of the other language (« cc je veux monter un truc »), nor
    an English one alone, French borrowing it (« ok », « no »); simplemma's share of known
    words decides otherwise, the stop words of both languages left out (« non », « on »),
    French typed without accents counted (« idee »). Words of ``names`` (place names:
    « Toulouse » is also an English word) are left out."""
    kept = [w.lower() for w in TOKEN.findall(text) if w.isalpha() and fold(w) not in names]
    if not kept:
        return None
    function = _function_words()
    counts = {
        lang: sum(1 for w in kept if fold(w) in function[lang] and (lang == "fr" or w.isascii()))
        for lang in LANGS
    }  # « de zéro »: an accent is French
    counts["fr"] += sum(1 for w in ELISION.findall(text) if fold(w) not in names)
    counted = max(LANGS, key=counts.__getitem__)
    if counts["fr"] != counts["en"] and max(counts.values()) > 1:
        return counted
    shared = _shared_stop_words()  # « non », « on », « a »: of both lists, they tell nothing
    told = [w for w in kept if fold(w) not in shared]
    scores = (
        dict(simplemma.langdetect(" ".join(told), lang=LANGS, low_memory=LOW_MEMORY))
        if told
        else {}
    )
    french, english = scores.get("fr", 0.0), scores.get("en", 0.0)
    if english > french:  # French typed without accents is no English (« idee », « velos »)
        french += sum(1 for w in told if unaccented_french(w)) / len(told)
        scores["fr"] = french
    if (
        counts["fr"] != counts["en"]
        and (len(kept) > 1 or counted == "fr")  # « ok », « no » alone: French borrows them
        and not (  # « cc je veux monter… »: one SMS word
            scores.get(counted, 0.0) == 0.0 and max(french, english) >= WHOLLY
        )
    ):
        return counted
    if english > french and english >= DETECT_MIN_SCORE:
        return "en"
    if french > english and french >= DETECT_MIN_SCORE:
        return "fr"
    return None

"""Text normalisation shared by free-text understanding, commune lookup and matching."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "il",
        "ils",
        "je",
        "j",
        "la",
        "le",
        "les",
        "leur",
        "l",
        "ma",
        "mais",
        "me",
        "mes",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "d",
        "c",
        "s",
        "n",
        "m",
        "t",
        "est",
        "sont",
        "suis",
        "ai",
        "avons",
        "avez",
        "ont",
        "etre",
        "avoir",
        "faire",
        "fait",
        "veux",
        "voudrais",
        "voulons",
        "souhaite",
        "souhaitons",
        "aimerais",
        "besoin",
        "il",
        "faut",
        "cherche",
        "cherchons",
        "the",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "my",
        "our",
        "we",
        "i",
        "you",
        "is",
        "are",
        "am",
        "be",
        "have",
        "has",
        "want",
        "would",
        "like",
        "need",
        "looking",
        "help",
        "me",
        "us",
        "it",
        "this",
        "that",
    ]
)


def fold(text: str) -> str:
    """Lower-case, strip accents and turn every non-alphanumeric run into one space."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", ascii_only.replace("œ", "oe").replace("æ", "ae")).strip()


def words(text: str) -> list[str]:
    """The folded words of ``text``, stop words included (phrases need them)."""
    return fold(text).split()


def content_words(text: str) -> list[str]:
    """The folded words of ``text`` without stop words."""
    return [w for w in words(text) if w not in STOP_WORDS]

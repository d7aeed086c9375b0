"""An intercommunality here named by its name (« dans le Sicoval », « sur la Métropole »,
« in Toulouse Métropole »): the person is in one of its communes, unsaid which."""

from __future__ import annotations

from collections.abc import Collection

from bot.core.language import Token, known_word
from bot.core.places.words import DEPARTMENT_ARTICLES, MARKERS, phrase_at
from bot.core.territory import Territory

EPCI_MARKERS = MARKERS | {"du"}  # « le territoire du Sicoval »
LONGEST_EPCI_WORDS = 7  # « CC du Bassin Auterivain Haut-Garonnais »
BESIDE_WORDS = 3  # « Rieux-Volvestre », « Saint-Sulpice-sur-Lèze »: words of a commune's name


def epci_named(
    words: list[Token], territory: Territory, skip: Collection[int] = frozenset()
) -> tuple[str, range] | None:
    """The EPCI here the words name (:attr:`Territory.epci_by_name`) and the positions of
    its name: after a place word (« sur le Sicoval », « in the Sicoval », « le territoire du
    Sicoval », « dans la métropole »), capitalised (« Toulouse Métropole ») or a name of no
    ordinary word (« sicoval »); words at ``skip`` (a structure's name: « Toulouse
    Métropole ») only after a place word; never inside a commune's name (« Rieux-Volvestre »).
    The longest name first."""
    names, firsts = territory.epci_by_name, territory.epci_first_words
    for at in range(len(words)):
        if phrase_at(words, at, 1).split()[0] not in firsts:
            continue  # no name begins here (one look-up instead of seven phrases)
        for size in range(min(LONGEST_EPCI_WORDS, len(words) - at), 0, -1):
            phrase = phrase_at(words, at, size)
            if phrase not in names or words[at].clause != words[at + size - 1].clause:
                continue
            if _in_commune_name(words, territory, at, size):
                continue
            named = range(at, at + size)
            if _after_marker(words, at) or (
                not set(named) & set(skip) and (words[at].capital or _unknown(phrase))
            ):
                return names[phrase], named
    return None


def _in_commune_name(words: list[Token], territory: Territory, at: int, size: int) -> bool:
    """True when the words at ``at`` and some beside them name a commune here (« rieux
    volvestre »: Rieux-Volvestre, in the Volvestre)."""
    return any(
        territory.by_name(phrase_at(words, start, end - start))
        for start in range(max(0, at - BESIDE_WORDS), at + 1)
        for end in range(at + size, min(len(words), at + size + BESIDE_WORDS) + 1)
        if (start, end) != (at, at + size)
    )


def _after_marker(words: list[Token], at: int) -> bool:
    """True when a place word comes right before ``at``, or before its article."""
    before = at - 1
    if before >= 0 and words[before].surface in DEPARTMENT_ARTICLES:
        before -= 1
    return before >= 0 and words[before].surface in EPCI_MARKERS


def _unknown(phrase: str) -> bool:
    """True when no word of ``phrase`` is an ordinary word of either language."""
    return not any(known_word(w, "fr") or known_word(w, "en") for w in phrase.split())

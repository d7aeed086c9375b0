"""The actors the words name (« le DLA », « Maison de l'Initiative », a misspelt « finnansol »)
and those their words are closest to (BM25 over the actors' descriptions)."""

from __future__ import annotations

from bot.core.language import Token, known_word
from bot.core.reading.choosing import is_question
from bot.core.reading.nearnames import one_letter_off
from bot.core.vocabulary import Vocabulary

SIMILAR_KEEP = 8
SIMILAR_MIN = 3.0
SIMILAR_MIN_TERMS = 2
SIMILAR_STRONG = 6.0
SIMILAR_SHARE = 0.4
MISSPELT_MIN = 4  # a shorter unknown word is too near too many names (« ies », « dla »)
DEFINITE = frozenset({"le", "la", "l"})  # « c'est quoi le couac ? »: the one of that name


def named_actors(words: list[Token], vocab: Vocabulary) -> tuple[tuple[str, ...], set[int]]:
    """The actors the words name, and the positions of their names' words. A one-word name
    that is an ordinary word must be capitalised (« le Périscope », not « un périscope ») or
    asked about after a definite article (« c koi le couac ? »). A word that is no word of
    any language and one letter off a one-word name names it (« finnansol », « la cres »)."""
    surfaces = [t.surface for t in words]
    asked = is_question(words)
    found: dict[str, None] = {}
    spans: set[int] = set()
    for i, surface in enumerate(surfaces):
        for size, names in vocab.names_by_first.get(surface, ()) or _misspelt(surface, vocab):
            ids = names.get(tuple(surfaces[i : i + size]), ())
            if ids and (
                size > 1
                or words[i].capital
                or not known_word(surface, "fr")
                or (asked and i > 0 and surfaces[i - 1] in DEFINITE)
            ):
                found.update(dict.fromkeys(ids))
                spans.update(range(i, i + size) if size > 1 else ())
    return tuple(sorted(found, key=vocab.position.__getitem__)), spans


def _misspelt(
    surface: str, vocab: Vocabulary
) -> tuple[tuple[int, dict[tuple[str, ...], tuple[str, ...]]], ...]:
    """The one-word names ``surface`` is one letter off (dropped, added, changed or two
    swapped), as a one-word entry naming them under ``surface``; none for an ordinary word.
    Looked up by the names' one-letter deletions (:mod:`bot.core.reading.nearnames`), not by
    scanning every name."""
    if len(surface) < MISSPELT_MIN or known_word(surface, "fr") or known_word(surface, "en"):
        return ()
    ids = tuple(
        actor_id
        for first in one_letter_off(surface, vocab.near_names)
        for actor_id in dict(vocab.names_by_first[first])[1][(first,)]
    )
    return ((1, {(surface,): ids}),) if ids else ()


def similar_actors(terms: list[str], vocab: Vocabulary) -> tuple[tuple[str, float], ...]:
    """The actors closest to the words, best first, when close enough to mean something."""
    ranked = vocab.index.top(terms, SIMILAR_KEEP, SIMILAR_MIN * SIMILAR_SHARE)  # kept at most
    if not ranked or ranked[0][1] < SIMILAR_MIN:
        return ()
    if len(vocab.index.matched(terms, ranked[0][0])) < SIMILAR_MIN_TERMS and (
        ranked[0][1] < SIMILAR_STRONG
    ):
        return ()  # one ordinary word in common (« hier », « vraiment ») says nothing
    ranked = [(p, s) for p, s in ranked if s >= ranked[0][1] * SIMILAR_SHARE]
    return tuple((vocab.actor_ids[p], round(s, 4)) for p, s in ranked)


def strongly_similar(similar: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    """The actors closest to the words when the closest is strongly so (:data:`SIMILAR_STRONG`:
    « l'entretien de la cité est une catastrophe »), none otherwise (« mon chien monte la
    garde », « mon mari a repeint la cuisine »: a few words in common with an actor's)."""
    return similar if similar and similar[0][1] >= SIMILAR_STRONG else ()

"""The actors the words name (« le DLA », « Maison de l'Initiative ») and those their words are
closest to (BM25 over the actors' descriptions)."""

from __future__ import annotations

from bot.core.language import Token, known_word
from bot.core.vocabulary import Vocabulary

SIMILAR_KEEP = 8
SIMILAR_MIN = 3.0
SIMILAR_MIN_TERMS = 2
SIMILAR_STRONG = 6.0
SIMILAR_SHARE = 0.4


def named_actors(words: list[Token], vocab: Vocabulary) -> tuple[tuple[str, ...], set[int]]:
    """The actors the words name, and the positions of their names' words. A one-word name
    that is an ordinary word must be capitalised (« le Périscope », not « un périscope »)."""
    surfaces = [t.surface for t in words]
    found: dict[str, None] = {}
    spans: set[int] = set()
    for i, surface in enumerate(surfaces):
        for size, names in vocab.names_by_first.get(surface, ()):
            ids = names.get(tuple(surfaces[i : i + size]), ())
            if ids and (size > 1 or words[i].capital or not known_word(surface, "fr")):
                found.update(dict.fromkeys(ids))
                spans.update(range(i, i + size) if size > 1 else ())
    return tuple(sorted(found, key=vocab.position.__getitem__)), spans


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

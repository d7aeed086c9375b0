"""One-word actor names indexed by their one-letter deletions, so that the names a word is one
letter off (dropped, added, changed or two swapped: OSA distance 1) are found by a few look-ups
whatever the size of the base (symmetric deletion: two words one edit apart share a key)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rapidfuzz.distance import OSA

NAME_MIN = 5  # one letter off a name this long still points to it alone

NearNames = dict[str, tuple[str, ...]]  # the name or one of its deletions → the names


def deletions(word: str) -> Iterator[str]:
    """The word and each word made by dropping one of its letters."""
    yield word
    yield from (word[:i] + word[i + 1 :] for i in range(len(word)))


def near_names(names: Iterable[str]) -> NearNames:
    """The names (:data:`NAME_MIN` letters at least) under each of their :func:`deletions`."""
    found: dict[str, dict[str, None]] = {}
    for name in names:
        if len(name) >= NAME_MIN:
            for key in deletions(name):
                found.setdefault(key, {})[name] = None
    return {key: tuple(named) for key, named in found.items()}


def one_letter_off(word: str, index: NearNames) -> tuple[str, ...]:
    """The names of ``index`` that ``word`` is exactly one letter off, in the index's order."""
    candidates = dict.fromkeys(name for key in deletions(word) for name in index.get(key, ()))
    return tuple(name for name in candidates if OSA.distance(word, name) == 1)

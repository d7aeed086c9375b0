"""Okapi BM25 over lemmas: how close a person's words are to each actor's own descriptions.

Written here rather than imported: rank-bm25 (unmaintained since 2022) would bring NumPy
(≈ 22 MB of memory, 0.2 s of start-up) and scores every document of every query, where a
national directory needs only the best few found without scoring most of them.

Postings are arrays (positions, term frequencies): a few bytes per word of a document
instead of a dictionary per document, and pickled as raw bytes in the base's cache.
"""

from __future__ import annotations

import bisect
import heapq
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence

K1 = 1.2
B = 0.75
PRUNE_MARGIN = 1e-9  # far above the rounding of a sum of a few floats, far below any score gap


class BM25:
    """Scores of a bag of query terms against fixed documents (each a sequence of terms)."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.size = len(documents)
        lengths = [len(doc) for doc in documents]
        self.average = (sum(lengths) / self.size) if self.size and sum(lengths) else 1.0
        self.norms = array("d", (K1 * (1 - B + B * n / self.average) for n in lengths))
        self.postings: dict[str, array[int]] = {}
        self.frequencies: dict[str, array[int]] = {}
        for position, doc in enumerate(documents):
            for term, tf in Counter(doc).items():
                if term not in self.postings:
                    self.postings[term], self.frequencies[term] = array("I"), array("I")
                self.postings[term].append(position)
                self.frequencies[term].append(tf)
        self.idf = {
            term: math.log(1 + (self.size - len(found) + 0.5) / (len(found) + 0.5))
            for term, found in self.postings.items()
        }
        self.ceilings = {term: self._ceiling(term) for term in self.postings}

    def _ceiling(self, term: str) -> float:
        """The most ``term`` adds to any document's score."""
        found = zip(self.postings[term], self.frequencies[term], strict=True)
        return max(self._weight(term, position, tf) for position, tf in found)

    def _weight(self, term: str, position: int, tf: int) -> float:
        return self.idf[term] * (K1 + 1) * tf / (tf + self.norms[position])

    def frequency(self, term: str, position: int) -> int:
        """How often ``term`` occurs in the document at ``position`` (0: not at all)."""
        found = self.postings.get(term)
        if found is None:
            return 0
        at = bisect.bisect_left(found, position)
        return self.frequencies[term][at] if at < len(found) and found[at] == position else 0

    def weight(self, term: str, position: int) -> float:
        """What ``term`` adds to the score of the document at ``position``."""
        tf = self.frequency(term, position)
        return self._weight(term, position, tf) if tf else 0.0

    def order(self, query: Iterable[str]) -> list[str]:
        """The query's known terms, each once, in the order scores add them up (the ones that
        can add the most first)."""
        return sorted({t for t in query if t in self.idf}, key=lambda t: (-self.ceilings[t], t))

    def top(self, query: Iterable[str], count: int) -> list[tuple[int, float]]:
        """The ``count`` documents of highest positive score, best first, ties by position:
        exactly the first of all scores sorted, without scoring most documents.

        Terms are read in :meth:`order`; once the ``count``-th best score so far exceeds what
        the terms left can add together, no document met only by them can reach the top: the
        documents met that cannot reach it either are dropped, and the others are looked up
        in the terms left (max-score pruning)."""
        terms = self.order(query)
        left = [sum(self.ceilings[t] for t in terms[i:]) for i in range(len(terms))]
        found: dict[int, float] = {}
        for i, term in enumerate(terms):
            if len(found) >= count:
                floor = heapq.nlargest(count, found.values())[-1] - PRUNE_MARGIN
                if left[i] < floor:
                    found = {p: s for p, s in found.items() if s + left[i] >= floor}
                    for later in terms[i:]:
                        self._add_to_met(later, found)
                    break
            self._add(term, found)
        return heapq.nsmallest(count, found.items(), key=_best_first)

    def _add(self, term: str, found: dict[int, float]) -> None:
        """Add ``term``'s weight to every document it occurs in."""
        scale, norms, get = self.idf[term] * (K1 + 1), self.norms, found.get
        for position, tf in zip(self.postings[term], self.frequencies[term], strict=True):
            found[position] = get(position, 0.0) + scale * tf / (tf + norms[position])

    def _add_to_met(self, term: str, found: dict[int, float]) -> None:
        """Add ``term``'s weight to the documents in ``found``, through its postings or by
        looking each document up, whichever reads fewer entries."""
        postings = self.postings[term]
        if len(postings) < len(found) * len(postings).bit_length():
            scale, norms = self.idf[term] * (K1 + 1), self.norms
            for position, tf in zip(postings, self.frequencies[term], strict=True):
                if position in found:
                    found[position] += scale * tf / (tf + norms[position])
            return
        for position, score in found.items():
            found[position] = score + self.weight(term, position)

    def matched(self, query: Iterable[str], position: int, min_idf: float = 0.0) -> list[str]:
        """The query terms found in the document at ``position`` (at least ``min_idf`` rare),
        rarest first."""
        found = {t for t in query if t in self.idf and self.idf[t] >= min_idf}
        found = {t for t in found if self.frequency(t, position)}
        return sorted(found, key=lambda t: (-self.idf[t], t))


def _best_first(entry: tuple[int, float]) -> tuple[float, int]:
    return -entry[1], entry[0]

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
        self.impacts = {term: self._impacts(term) for term in self.postings}
        self.ceilings = {
            term: self._weight(term, self.postings[term][first], self.frequencies[term][first])
            for term, (first, *_) in self.impacts.items()
        }  # the most each term adds to a document's score

    def _impacts(self, term: str) -> array[int]:
        """The indexes of ``term``'s postings, the heaviest first, equal weights by position."""
        postings, frequencies = self.postings[term], self.frequencies[term]
        weights = [self._weight(term, p, tf) for p, tf in zip(postings, frequencies, strict=True)]
        return array("I", sorted(range(len(postings)), key=lambda i: (-weights[i], postings[i])))

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

    def score(self, terms: Sequence[str], position: int) -> float:
        """The score of the document at ``position`` for ``terms`` (added up in that order)."""
        found = 0.0
        for term in terms:
            found += self.weight(term, position)
        return found

    def top(
        self, query: Iterable[str], count: int, minimum: float = 0.0
    ) -> list[tuple[int, float]]:
        """The ``count`` documents of highest score (positive, at least ``minimum``), best
        first, ties by position: the first of every document scored, without scoring most.

        Each term's postings are read heaviest first (:attr:`impacts`), all terms one row at
        a time, and each document met is scored in full. A document not met yet scores at
        most what the row just read adds up to, and ties it only with a larger position than
        the row's (equal weights go by position): once that is under ``minimum`` or behind
        the ``count``-th best met, the top is known (Fagin's threshold algorithm). The last
        terms, those that cannot lift a document to the top by themselves, are not read but
        counted at their most (max-score pruning): a common word costs nothing."""
        terms = self.order(query)
        ceilings = [self.ceilings[t] for t in terms]
        left = [sum(ceilings[i:]) for i in range(len(terms) + 1)]
        best: list[tuple[float, int]] = []  # a min-heap of (score, -position)
        seen: set[int] = set()
        for depth in range(max((len(self.postings[t]) for t in terms), default=0)):
            threshold = max(minimum, best[0][0] if len(best) == count else 0.0)
            read = next(i for i, most in enumerate(left) if most < threshold or not most)
            bound, last = 0.0, -1
            for term in terms[:read]:
                impacts = self.impacts[term]
                if depth >= len(impacts):
                    continue
                at = impacts[depth]
                position = self.postings[term][at]
                bound += self._weight(term, position, self.frequencies[term][at])
                last = max(last, position)
                if position not in seen:
                    seen.add(position)
                    self._keep(best, count, self.score(terms, position), position, minimum)
            for most in ceilings[read:]:
                bound += most
            if last < 0 or bound < minimum or (len(best) == count and best[0] > (bound, -last)):
                break
        return [(-p, s) for s, p in sorted(best, reverse=True)]

    @staticmethod
    def _keep(
        best: list[tuple[float, int]], count: int, score: float, position: int, minimum: float
    ) -> None:
        """Keep the document in ``best`` while it is among the ``count`` best."""
        if score < minimum or score <= 0:
            return
        if len(best) < count:
            heapq.heappush(best, (score, -position))
        elif (score, -position) > best[0]:
            heapq.heapreplace(best, (score, -position))

    def matched(self, query: Iterable[str], position: int, min_idf: float = 0.0) -> list[str]:
        """The query terms found in the document at ``position`` (at least ``min_idf`` rare),
        rarest first."""
        found = {t for t in query if t in self.idf and self.idf[t] >= min_idf}
        found = {t for t in found if self.frequency(t, position)}
        return sorted(found, key=lambda t: (-self.idf[t], t))


def _best_first(entry: tuple[int, float]) -> tuple[float, int]:
    return -entry[1], entry[0]

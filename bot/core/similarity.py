"""Okapi BM25 over lemmas: how close a person's words are to each actor's own descriptions.

Written here rather than imported: rank-bm25 (unmaintained since 2022) would bring NumPy
(≈ 22 MB of memory, 0.2 s of start-up) for a few hundred documents of a few hundred words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

K1 = 1.2
B = 0.75


class BM25:
    """Scores of a bag of query terms against fixed documents (each a sequence of terms)."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.size = len(documents)
        self.counts = [Counter(doc) for doc in documents]
        lengths = [len(doc) for doc in documents]
        self.average = (sum(lengths) / self.size) if self.size and sum(lengths) else 1.0
        self.norms = [K1 * (1 - B + B * n / self.average) for n in lengths]
        frequency: Counter[str] = Counter()
        for counts in self.counts:
            frequency.update(counts.keys())
        self.idf = {
            term: math.log(1 + (self.size - n + 0.5) / (n + 0.5)) for term, n in frequency.items()
        }
        self.postings: dict[str, list[int]] = {}
        for position, counts in enumerate(self.counts):
            for term in counts:
                self.postings.setdefault(term, []).append(position)

    def scores(self, query: Iterable[str]) -> dict[int, float]:
        """The positive score of each document that shares a term with ``query``."""
        found: dict[int, float] = {}
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for position in self.postings[term]:
                tf = self.counts[position][term]
                found[position] = found.get(position, 0.0) + idf * tf * (K1 + 1) / (
                    tf + self.norms[position]
                )
        return found

    def matched(self, query: Iterable[str], position: int, min_idf: float = 0.0) -> list[str]:
        """The query terms found in the document at ``position`` (at least ``min_idf`` rare),
        rarest first."""
        counts = self.counts[position]
        found = {t for t in query if t in counts and self.idf[t] >= min_idf}
        return sorted(found, key=lambda t: (-self.idf[t], t))

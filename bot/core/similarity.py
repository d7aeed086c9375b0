"""Okapi BM25 over lemmas: how close a person's words are to each actor's own descriptions.

Written here rather than imported: rank-bm25 (unmaintained since 2022) would bring NumPy
(≈ 22 MB of memory, 0.2 s of start-up) and scores every document of every query, where a
national directory needs only the best few found without scoring most of them.

Postings are arrays (positions, term frequencies): a few bytes per word of a document
instead of a dictionary per document, and pickled as raw bytes in the base's cache; the
frequencies and the heaviest-first order take one or two bytes each when they fit.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.core.bitmaps import bitmap, members

K1 = 1.2
B = 0.75
ROWS = 32  # rows read by the threshold algorithm before the floor it found is used
MAX_HEADS = 8  # more terms that can lift a document: the rows go on (2**8 sets at most)
MARGIN = 1e-9  # far above float errors: a document on the floor is scored, never missed
LEVEL_FROM = 256  # a term with more postings keeps bitmaps of its heaviest ones
FLOOR_STEPS = 4  # the first floor tried is 1/16 of the way down to the one known


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
        self.frequencies = {term: _narrow(found) for term, found in self.frequencies.items()}
        self.idf = {
            term: math.log(1 + (self.size - len(found) + 0.5) / (len(found) + 0.5))
            for term, found in self.postings.items()
        }
        self.impacts = {term: self._impacts(term) for term in self.postings}
        self.ceilings = {
            term: self._weight(term, self.postings[term][first], self.frequencies[term][first])
            for term, (first, *_) in self.impacts.items()
        }  # the most each term adds to a document's score
        self.levels = {
            term: self._levels(term)
            for term, found in self.postings.items()
            if len(found) > LEVEL_FROM
        }

    def _levels(self, term: str) -> tuple[tuple[int, int], ...]:
        """Bitmaps of ``term``'s first postings read heaviest first (bit ``p``: the document
        at position ``p``), :data:`LEVEL_FROM` of them, then twice as many each time, the
        last all of them: how :meth:`_reaching` takes a long prefix without building it."""
        size = len(self.postings[term])
        depths = itertools.takewhile(
            lambda d: d < size, (LEVEL_FROM << k for k in itertools.count())
        )
        return tuple((d, self._bitmap(term, d)) for d in (*depths, size))

    def _bitmap(self, term: str, depth: int) -> int:
        """Bit ``p`` set for each document ``p`` among ``term``'s first ``depth`` postings read
        heaviest first."""
        postings = self.postings[term]
        return bitmap((postings[at] for at in self.impacts[term][:depth]), self.size)

    def _impacts(self, term: str) -> array[int]:
        """The indexes of ``term``'s postings, the heaviest first, equal weights by position."""
        postings, frequencies = self.postings[term], self.frequencies[term]
        weights = [self._weight(term, p, tf) for p, tf in zip(postings, frequencies, strict=True)]
        return _narrow(sorted(range(len(postings)), key=lambda i: (-weights[i], postings[i])))

    def _weight(self, term: str, position: int, tf: int) -> float:
        return _term_weight(self.idf[term], tf, self.norms[position])

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
        norm = self.norms[position]
        for term in terms:
            postings = self.postings.get(term)
            if postings is None:
                continue
            at = bisect.bisect_left(postings, position)
            if at < len(postings) and postings[at] == position:
                found += _term_weight(self.idf[term], self.frequencies[term][at], norm)
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
        counted at their most (max-score pruning): a common word costs nothing. After
        :data:`ROWS` rows, the ``count``-th best met is a floor every document of the top
        reaches, and only those that can reach it are scored (:meth:`_reaching`)."""
        terms = self.order(query)
        ceilings = [self.ceilings[t] for t in terms]
        left = [sum(ceilings[i:]) for i in range(len(terms) + 1)]
        best: list[tuple[float, int]] = []  # a min-heap of (score, -position)
        seen: set[int] = set()
        for depth in range(max((len(self.postings[t]) for t in terms), default=0)):
            threshold = max(minimum, best[0][0] if len(best) == count else 0.0)
            read = next(i for i, most in enumerate(left) if most < threshold or not most)
            if depth == ROWS and threshold > 0 and left[min(len(terms), MAX_HEADS)] < threshold:
                self._floors(terms, count, minimum, threshold, best, seen)
                break
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

    def _floors(
        self,
        terms: Sequence[str],
        count: int,
        minimum: float,
        known: float,
        best: list[tuple[float, int]],
        seen: set[int],
    ) -> None:
        """Fill ``best`` with the top, given that it scores ``known`` at least: floors from
        near the highest score a document may have down to ``known`` are tried in turn, none
        under the ``count``-th best score met so far (the top scores that much), and the
        first that ``count`` documents reach bounds the top (those under it are not
        scored)."""
        heads = terms[:MAX_HEADS]
        rest = sum(self.ceilings[t] for t in terms[MAX_HEADS:])
        most = rest + sum(self.ceilings[t] for t in heads)
        for step in range(FLOOR_STEPS, -1, -1):
            reached = best[0][0] if len(best) == count else known  # the top scores that much
            floor = max(reached, most - (most - known) / 2**step)
            for position in self._reaching(heads, rest, floor) - seen:
                seen.add(position)
                self._keep(best, count, self.score(terms, position), position, minimum)
            if len(best) == count and best[0][0] >= floor:
                return

    def _reaching(self, heads: Sequence[str], rest: float, floor: float) -> set[int]:
        """Every document that may score ``floor`` or more, given that the terms after
        ``heads`` add at most ``rest`` (less than ``floor``).

        Such a document holds a set of the heads whose ceilings add up to ``floor - rest``
        at least, and each head of that set weighs in it at least ``floor - rest`` less the
        others' ceilings: a prefix of its postings read heaviest first. So the documents
        are, over every such set of heads, the intersection of those prefixes, taken as
        bitmaps (:meth:`_prefix`)."""
        ceilings = [self.ceilings[t] for t in heads]
        found = 0
        built: dict[tuple[str, int], int] = {}
        for size in range(1, len(heads) + 1):
            for chosen in itertools.combinations(range(len(heads)), size):
                most = sum(ceilings[i] for i in chosen) + rest
                if most < floor - MARGIN:
                    continue
                both = -1
                for i in chosen:
                    depth = self._depth(heads[i], floor - most + ceilings[i])
                    both &= self._prefix(heads[i], depth, built)
                found |= both
        return set(members(found))

    def _prefix(self, term: str, depth: int, built: dict[tuple[str, int], int]) -> int:
        """A bitmap of the first ``depth`` postings of ``term`` read heaviest first, or of a
        few more: one of its :attr:`levels` at most twice as deep, else built (and kept in
        ``built``)."""
        for level, bits in self.levels.get(term, ()):
            if depth <= level <= 2 * depth:
                return bits
        if (term, depth) not in built:
            built[term, depth] = self._bitmap(term, depth)
        return built[term, depth]

    def _depth(self, term: str, weight: float) -> int:
        """How many of ``term``'s postings weigh ``weight`` or more (less :data:`MARGIN`)."""
        impacts, postings, frequencies = (
            self.impacts[term],
            self.postings[term],
            self.frequencies[term],
        )

        def lighter(i: int) -> bool:
            at = impacts[i]
            return self._weight(term, postings[at], frequencies[at]) < weight - MARGIN

        return bisect.bisect_left(range(len(impacts)), True, key=lighter)

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


def _term_weight(idf: float, tf: int, norm: float) -> float:
    """What a term of that rarity, found ``tf`` times in a document of that length norm
    (:attr:`BM25.norms`), adds to the document's score: BM25's one formula."""
    return idf * (K1 + 1) * tf / (tf + norm)


def _narrow(values: Sequence[int]) -> array[int]:
    """``values`` (not negative) as an array of the narrowest type that holds them all."""
    most = max(values, default=0)
    return array(next(code for code in "BHI" if most < 256 ** array(code).itemsize), values)

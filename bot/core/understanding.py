"""Free-text understanding: infer stage, legal form, needs and commune from one sentence.

Tolerant of case, accents, apostrophes and typos (rapidfuzz on folded words), French and
English. It reports each inference with the words that triggered it, so the person can
see and correct what was understood.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.core.taxonomy import Taxonomy, Term
from bot.core.territory import ABBREVIATIONS, Commune, Territory
from bot.core.text import STOP_WORDS, fold

TYPO_MIN_LENGTH = 5
TYPO_SCORE = 84.0
COMMUNE_TYPO_SCORE = 86.0
MAX_WORDS = 200
MAX_PHRASE = 4
WORD_CACHE_SIZE = 8192


@dataclass(frozen=True)
class Inference:
    """What one sentence said: each value with the words it came from."""

    stage: str | None = None
    legal_form: str | None = None
    needs: tuple[str, ...] = ()
    commune: Commune | None = None
    evidence: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when nothing recognisable was said."""
        return not (self.stage or self.legal_form or self.needs or self.commune)

    def items(self) -> list[str]:
        """The inferences as ``kind=value`` strings (for logs and JSON)."""
        found = [f"stage={self.stage}"] if self.stage else []
        found += [f"legal_form={self.legal_form}"] if self.legal_form else []
        found += [f"need={n}" for n in self.needs]
        found += [f"commune={self.commune.insee}"] if self.commune else []
        return found


def _phrases(words: list[str]) -> dict[str, int]:
    """Every run of 1..MAX_PHRASE words, mapped to its position (first occurrence)."""
    found: dict[str, int] = {}
    for size in range(1, MAX_PHRASE + 1):
        for start in range(len(words) - size + 1):
            found.setdefault(" ".join(words[start : start + size]), start)
    return found


@lru_cache(maxsize=8)
def _typo_synonyms(taxonomy: Taxonomy) -> tuple[str, ...]:
    """Every one-word synonym long enough to be recognised with a typo."""
    return tuple(
        sorted(
            {
                synonym
                for kind in ("stages", "legal_forms", "needs")
                for term in taxonomy.kind(kind).values()
                for synonym in term.synonyms
                if " " not in synonym and len(synonym) >= TYPO_MIN_LENGTH
            }
        )
    )


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _close_synonyms(taxonomy: Taxonomy, word: str) -> tuple[tuple[str, float], ...]:
    """The one-word synonyms within typo distance of ``word``, with their scores."""
    return tuple(
        (synonym, score)
        for synonym, score, _ in process.extract(
            word, _typo_synonyms(taxonomy), scorer=fuzz.ratio, score_cutoff=TYPO_SCORE, limit=None
        )
    )


def _typo_hits(taxonomy: Taxonomy, typo_words: list[str]) -> dict[str, str]:
    """For each synonym close to a word of the text, the closest word (the first on ties)."""
    best: dict[str, tuple[float, str]] = {}
    for word in typo_words:
        for synonym, score in _close_synonyms(taxonomy, word):
            if synonym not in best or score > best[synonym][0]:
                best[synonym] = (score, word)
    return {synonym: word for synonym, (_, word) in best.items()}


def _match_term(term: Term, phrases: dict[str, int], typo_hits: dict[str, str]) -> str | None:
    """The synonym of ``term`` present in the text (exactly, or one word with a typo)."""
    best: str | None = None
    for synonym in term.synonyms:
        if synonym in phrases and (best is None or len(synonym) > len(best)):
            best = synonym
    if best is not None:
        return best
    for synonym in term.synonyms:
        if synonym in typo_hits:
            return f"{typo_hits[synonym]}≈{synonym}"
    return None


def _best(terms: dict[str, str]) -> str | None:
    """Among matched terms, the one with the longest evidence (most specific wording)."""
    if not terms:
        return None
    return max(terms, key=lambda t: len(terms[t].split("≈")[-1]))


@lru_cache(maxsize=8)
def _first_words(territory: Territory) -> tuple[str, ...]:
    """The first folded word of every commune name."""
    return tuple(sorted({fold(c.name).split()[0] for c in territory.communes.values()}))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _commune_typo(territory: Territory, word: str) -> Commune | None:
    """The commune ``word`` surely names though misspelt (its first word is close), if any."""
    if not process.extractOne(
        word, _first_words(territory), scorer=fuzz.ratio, score_cutoff=COMMUNE_TYPO_SCORE
    ):
        return None  # no commune name starts with a word this close: the lookup cannot match
    lookup = territory.lookup(word)
    if (
        lookup.commune is not None
        and fuzz.ratio(word, fold(lookup.commune.name).split()[0]) >= COMMUNE_TYPO_SCORE
    ):
        return lookup.commune
    return None


def _commune(
    territory: Territory, words: list[str], phrases: dict[str, int]
) -> tuple[Commune | None, str]:
    expanded = [ABBREVIATIONS.get(w, w) for w in words]
    if expanded != words:  # « St Orens » names Saint-Orens-de-Gameville
        words, phrases = expanded, _phrases(expanded)
    exact = [
        (len(p), p) for p in phrases if territory.by_name(p) and (" " in p or p not in STOP_WORDS)
    ]
    if exact:
        _, phrase = max(exact)
        return territory.by_name(phrase)[0], phrase
    prefixed = [(len(p), p) for p in phrases if len(territory.by_prefix(p)) == 1]
    if prefixed:
        _, phrase = max(prefixed)
        return territory.by_prefix(phrase)[0], phrase
    for word in words:
        if word.isdigit() and len(word) == 5:
            found = territory.lookup(word)
            if found.commune is not None:
                return found.commune, word
    for word in words:
        if len(word) < 6 or word in STOP_WORDS:
            continue
        commune = _commune_typo(territory, word)
        if commune is not None:
            return commune, f"{word}≈{commune.name}"
    return None, ""


@lru_cache(maxsize=1024)
def _understand_cached(folded: str, taxonomy: Taxonomy, territory: Territory) -> Inference:
    words = folded.split()[:MAX_WORDS]
    phrases = _phrases(words)
    typo_words = [
        w for w in dict.fromkeys(words) if len(w) >= TYPO_MIN_LENGTH and w not in STOP_WORDS
    ]
    typo_hits = _typo_hits(taxonomy, typo_words)
    evidence: dict[str, str] = {}
    found: dict[str, dict[str, str]] = {}
    for kind in ("stages", "legal_forms", "needs"):
        found[kind] = {}
        for term_id, term in taxonomy.kind(kind).items():
            hit = _match_term(term, phrases, typo_hits)
            if hit:
                found[kind][term_id] = hit
    stage = _best(found["stages"])
    legal_form = _best(found["legal_forms"])
    needs = tuple(n for n in taxonomy.needs if n in found["needs"])
    commune, commune_words = _commune(territory, words, phrases)
    if stage:
        evidence["stage"] = found["stages"][stage]
    if legal_form:
        evidence["legal_form"] = found["legal_forms"][legal_form]
    evidence.update({f"need:{n}": found["needs"][n] for n in needs})
    if commune:
        evidence["commune"] = commune_words
    return Inference(stage, legal_form, needs, commune, evidence)


def understand(text: str, taxonomy: Taxonomy, territory: Territory) -> Inference:
    """Infer what ``text`` says about the project; an empty inference when nothing is recognised."""
    return _understand_cached(fold(text[:4000]), taxonomy, territory)

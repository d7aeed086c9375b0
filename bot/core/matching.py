"""Matching: from a project holder's profile to a few ranked, explained recommendations.

Pure and deterministic. An actor is *eligible* when it covers the commune (or region),
serves the stage and the legal form; its score adds the needs it covers (primary counts
more), its fit, the narrowness of its territory, how central the asked needs are to it (the
share of its primary needs asked for) and the free-text keywords it matches that the taxonomy
does not already read as a stage, legal form or need. Results are picked greedily so that
several needs get covered rather than one need thrice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.taxonomy import Taxonomy
from bot.core.text import fold
from bot.core.understanding import Inference, understand

NEUTRAL_STAGES = frozenset({None})
NEUTRAL_FORMS = frozenset({None, "undecided", "other"})
TERRITORY_BONUS = (0.6, 0.35, 0.2, 0.1, 0.0)  # commune, EPCI, Haute-Garonne, region, national
STAGE_BONUS = 0.3
FORM_BONUS = 0.2
SPECIALIST_BONUS = 0.15
SPECIALIST_MAX_FORMS = 3
KEYWORD_BONUS = 0.35
KEYWORD_SCORE = 90.0
KEYWORD_MIN_LENGTH = 4
INDEX_CACHE_SIZE = 8
FOCUS_BONUS = 0.1
PRIMARY = 1.0
COVERED_AGAIN = 0.25
DEFAULT_NEED = "advice"


@dataclass(frozen=True)
class Profile:
    """What the person told us (explicit answers; free text is understood separately)."""

    stage: str | None = None
    legal_form: str | None = None
    needs: tuple[str, ...] = ()
    commune: str | None = None
    text: str = ""
    lang: str = "fr"


@dataclass(frozen=True)
class Reason:
    """Why an actor fits, as a message key and its values (rendered by the catalogue)."""

    key: str
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Recommendation:
    """One recommended actor, its score, the needs it covers and why."""

    actor: Actor
    score: float
    needs_covered: tuple[str, ...]
    reasons: tuple[Reason, ...]
    territory_level: int | None
    relaxed: bool = False


@dataclass(frozen=True)
class MatchResult:
    """Recommendations for a profile, with what was inferred and what stays unmet."""

    profile: Profile
    recommendations: tuple[Recommendation, ...]
    unmet_needs: tuple[str, ...]
    inference: Inference = field(default_factory=Inference)
    defaulted_need: bool = False

    @property
    def understood(self) -> bool:
        """False when there was nothing to go on (no answer, and text said nothing)."""
        p = self.profile
        return bool(p.stage or p.legal_form or p.needs or p.commune)


def merge(profile: Profile, inference: Inference) -> Profile:
    """Explicit answers win; what the text said fills the blanks."""
    return replace(
        profile,
        stage=profile.stage or inference.stage,
        legal_form=profile.legal_form or inference.legal_form,
        needs=profile.needs or inference.needs,
        commune=profile.commune or (inference.commune.insee if inference.commune else None),
    )


_NONE: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Index:
    """Actor positions by need, stage, form, commune and area; folded keywords by position."""

    by_need: dict[str, frozenset[int]]
    by_stage: dict[str, frozenset[int]]
    by_form: dict[str, frozenset[int]]
    by_commune: dict[str, frozenset[int]]
    by_area: dict[str, frozenset[int]]
    keywords: tuple[tuple[tuple[str, str], ...], ...]
    primaries: tuple[frozenset[str], ...]


_INDEXES: dict[int, tuple[tuple[Actor, ...], Taxonomy, _Index]] = {}


def _positions(pairs: Iterable[tuple[str, int]]) -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for key, position in pairs:
        found.setdefault(key, set()).add(position)
    return {k: frozenset(v) for k, v in found.items()}


def _index(kb: KnowledgeBase) -> _Index:
    """The index of ``kb`` (built once per actor tuple, a few kept)."""
    entry = _INDEXES.get(id(kb.actors))
    if entry is not None and entry[0] is kb.actors and entry[1] is kb.taxonomy:
        return entry[2]
    actors = list(enumerate(kb.actors))
    taxonomy_words = {
        synonym
        for kind in ("stages", "legal_forms", "needs")
        for term in kb.taxonomy.kind(kind).values()
        for synonym in term.synonyms
    }
    keywords = tuple(
        tuple(
            (k, f)
            for k, f in ((k, fold(k)) for k in actor.keywords)
            if len(f) >= KEYWORD_MIN_LENGTH and f not in taxonomy_words
        )
        for actor in kb.actors
    )
    index = _Index(
        by_need=_positions((n, p) for p, a in actors for n in a.needs),
        by_stage=_positions((s, p) for p, a in actors for s in a.stages),
        by_form=_positions((f, p) for p, a in actors for f in a.legal_forms),
        by_commune=_positions((c, p) for p, a in actors for c in a.communes),
        by_area=_positions((r, p) for p, a in actors for r in a.areas),
        keywords=keywords,
        primaries=tuple(
            frozenset(n for n, strength in a.needs.items() if strength >= PRIMARY)
            for a in kb.actors
        ),
    )
    if len(_INDEXES) >= INDEX_CACHE_SIZE:
        del _INDEXES[next(iter(_INDEXES))]
    _INDEXES[id(kb.actors)] = (kb.actors, kb.taxonomy, index)
    return index


class _Keywords:
    """The keywords a text contains (fuzzily), each folded keyword looked up once."""

    def __init__(self, index: _Index, folded_text: str) -> None:
        self.index = index
        self.text = folded_text
        self.seen: dict[str, bool] = {}

    def look_up(self, positions: Iterable[int]) -> None:
        """Look up, in one pass, the keywords of the actors at ``positions`` not yet seen."""
        if not self.text:
            return
        new = list({f for p in positions for _, f in self.index.keywords[p] if f not in self.seen})
        self.seen.update(dict.fromkeys(new, False))
        for folded, _, _ in process.extract(
            self.text, new, scorer=fuzz.partial_ratio, score_cutoff=KEYWORD_SCORE, limit=None
        ):
            self.seen[folded] = True

    def found(self, position: int) -> tuple[str, ...]:
        """The first two keywords of the actor at ``position`` found in the text."""
        if not self.text:
            return ()
        return tuple(k for k, f in self.index.keywords[position] if self.seen[f])[:2]


def _eligible(kb: KnowledgeBase, index: _Index, profile: Profile) -> frozenset[int]:
    """Positions of the actors that fit the profile's territory, stage and legal form.

    Territory as :meth:`~bot.core.territory.Territory.covering_level` counts it: the commune,
    its EPCI and Haute-Garonne when the commune is known, the region and nation always.
    """
    found = index.by_area.get("region", _NONE) | index.by_area.get("national", _NONE)
    commune = kb.territory.get(profile.commune)
    if commune is not None:
        found |= (
            index.by_commune.get(commune.insee, _NONE)
            | index.by_area.get(commune.epci, _NONE)
            | index.by_area.get("haute-garonne", _NONE)
        )
    if profile.stage not in NEUTRAL_STAGES:
        found &= index.by_stage.get(str(profile.stage), _NONE)
    if profile.legal_form not in NEUTRAL_FORMS:
        found &= index.by_form.get(str(profile.legal_form), _NONE)
    return found


class _Candidate(NamedTuple):
    actor: Actor
    base: float
    level: int | None
    stage_hit: bool
    form_hit: bool
    keywords: tuple[str, ...]
    relaxed: bool


def _candidate(
    kb: KnowledgeBase,
    index: _Index,
    profile: Profile,
    needs: tuple[str, ...],
    position: int,
    text: _Keywords,
) -> _Candidate:
    """The actor at ``position`` scored for ``profile``, except for the needs it covers."""
    actor = kb.actors[position]
    level = kb.territory.covering_level(profile.commune, actor.communes, actor.areas)
    stage_ok = profile.stage in NEUTRAL_STAGES or profile.stage in actor.stages
    form_ok = profile.legal_form in NEUTRAL_FORMS or profile.legal_form in actor.legal_forms
    stage_hit = bool(profile.stage) and profile.stage in actor.stages
    form_hit = profile.legal_form not in NEUTRAL_FORMS and profile.legal_form in actor.legal_forms
    keywords = text.found(position)
    score = 0.0
    if stage_hit:
        score += STAGE_BONUS
    if form_hit:
        score += FORM_BONUS
        if len(actor.legal_forms) <= SPECIALIST_MAX_FORMS:
            score += SPECIALIST_BONUS
    if level is not None:
        score += TERRITORY_BONUS[level]
    if keywords:
        score += KEYWORD_BONUS
    primaries = index.primaries[position]
    if primaries:
        score += FOCUS_BONUS * len(primaries.intersection(needs)) / len(primaries)
    fits = level is not None and stage_ok and form_ok
    return _Candidate(actor, score, level, stage_hit, form_hit, keywords, not fits)


def _reasons(c: _Candidate, profile: Profile) -> tuple[Reason, ...]:
    """One reason per bonus of :func:`_candidate`, in order (the need reasons tell the focus)."""
    reasons: list[Reason] = []
    if c.stage_hit:
        reasons.append(Reason("reason.stage", (("stage", str(profile.stage)),)))
    if c.form_hit:
        reasons.append(Reason("reason.legal_form", (("legal_form", str(profile.legal_form)),)))
    if c.level is not None:
        reasons.append(Reason(f"reason.territory.{c.level}", (("commune", profile.commune or ""),)))
    if c.keywords:
        reasons.append(Reason("reason.keywords", (("words", ", ".join(c.keywords)),)))
    return tuple(reasons)


def _pick(
    pool: list[_Candidate],
    profile: Profile,
    needs: tuple[str, ...],
    limit: int,
    covered: dict[str, int],
) -> list[Recommendation]:
    """Greedy picks: each time the best gain, a covered need counting :data:`COVERED_AGAIN`.

    Candidates with the same strengths for ``needs`` and the same base always have the same
    gain, so they are grouped, each group yielding its members by id; gains change only
    when a need gets covered for the first time.
    """
    groups: dict[tuple[tuple[float, ...], float], list[_Candidate]] = {}
    for c in pool:
        groups.setdefault((tuple(c.actor.needs.get(n, 0.0) for n in needs), c.base), []).append(c)
    queues = [
        sorted(members, key=lambda c: c.actor.id, reverse=True) for members in groups.values()
    ]
    signatures = list(groups)

    def gains() -> list[float]:
        factors = [COVERED_AGAIN if covered.get(n) else 1.0 for n in needs]
        return [
            sum(s * f for s, f in zip(strengths, factors, strict=True)) + base
            for strengths, base in signatures
        ]

    current = gains()
    order = [(-round(g, 9), q[-1].actor.id) for g, q in zip(current, queues, strict=True)]
    picked: list[Recommendation] = []
    while queues and len(picked) < limit:
        group = min(range(len(queues)), key=order.__getitem__)
        score = round(current[group], 4)
        best = queues[group].pop()
        if queues[group]:
            order[group] = (order[group][0], queues[group][-1].actor.id)
        else:
            del queues[group], signatures[group], current[group], order[group]
        covers = tuple(n for n in needs if n in best.actor.needs)
        newly = any(not covered.get(n) for n in covers)
        for n in covers:
            covered[n] = covered.get(n, 0) + 1
        if newly:
            current = gains()
            order = [(-round(g, 9), q[-1].actor.id) for g, q in zip(current, queues, strict=True)]
        need_reasons = tuple(
            Reason(
                "reason.need.primary"
                if best.actor.needs[n] >= PRIMARY
                else "reason.need.secondary",
                (("need", n),),
            )
            for n in covers
        )
        picked.append(
            Recommendation(
                best.actor,
                score,
                covers,
                need_reasons + _reasons(best, profile),
                best.level,
                best.relaxed,
            )
        )
    return picked


def recommend(kb: KnowledgeBase, profile: Profile, limit: int = 10) -> MatchResult:
    """Rank actors for ``profile`` (its text understood and merged in); at most ``limit``."""
    inference = (
        understand(profile.text, kb.taxonomy, kb.territory) if profile.text.strip() else Inference()
    )
    merged = merge(profile, inference)
    empty = MatchResult(merged, (), (), inference)
    if not (merged.stage or merged.legal_form or merged.needs or merged.commune):
        return empty
    needs = merged.needs or (DEFAULT_NEED,)
    index = _index(kb)
    text = _Keywords(index, fold(profile.text))
    eligible = _eligible(kb, index, merged)
    covering = frozenset().union(*(index.by_need.get(n, _NONE) for n in needs))
    text.look_up(covering & eligible)
    strict = [_candidate(kb, index, merged, needs, p, text) for p in sorted(covering & eligible)]
    covered: dict[str, int] = {}
    picked = _pick(strict, merged, needs, limit, covered)
    served = {n for n in needs if not index.by_need.get(n, _NONE).isdisjoint(eligible)}
    unserved = tuple(n for n in needs if n not in served)
    if unserved and len(picked) < limit:
        # Nothing fits these needs exactly: offer the nearest actors, flagged as such,
        # those that cover the person's commune first.
        near = frozenset().union(*(index.by_need.get(n, _NONE) for n in unserved)) - eligible
        text.look_up(near)
        fallback = [_candidate(kb, index, merged, needs, p, text) for p in sorted(near)]
        local = [c for c in fallback if c.level is not None]
        picked += _pick(local or fallback, merged, unserved, min(2, limit - len(picked)), covered)
    unmet = tuple(n for n in merged.needs if n not in served)
    return MatchResult(merged, tuple(picked), unmet, inference, defaulted_need=not merged.needs)

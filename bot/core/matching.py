"""Matching: from a project holder's profile to a few ranked, explained recommendations.

Pure and deterministic. An actor is *eligible* when its territory covers the person, its
stages and legal forms include theirs and no ``not_for`` rule excludes them; an excluded actor
is never recommended (it is reported in ``excluded`` with the reason). Among the eligible, the
score adds the needs it covers (primary counts more), how close the person's words are to the
actor's own descriptions (BM25 over lemmas), a strong bonus when the person names it, the
general reception point of their commune for first advice, the narrowness of its territory,
its fit with the stage and legal form, and a published contact. Results are picked greedily
so that several needs get covered rather than one need thrice.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from bot.core.knowledge import STRENGTHS, Actor, KnowledgeBase
from bot.core.territory import DEFAULT_TERRITORY, UNKNOWN_DEPARTMENT, OutsidePlace
from bot.core.understanding import Inference, understand
from bot.core.vocabulary import Coverage, vocabulary

NEUTRAL_FORMS = frozenset({None, "undecided", "other"})
TERRITORY_BONUS = (0.6, 0.35, 0.2, 0.1, 0.0)  # commune, EPCI, Haute-Garonne, region, national
TERRITORY_REASONS = (
    "reason.territory.0",
    "reason.territory.1",
    "reason.territory.2",
    "reason.territory.3",
    "reason.territory.4",
)  # the catalogue key of each level, in the same order
LOCAL_LEVEL = 1  # the commune or its EPCI: where a reception point is « local »
ANYWHERE_LEVEL = 2  # commune unknown: an EPCI-wide actor counts as Haute-Garonne-wide
REGION_LEVEL = 3
NATIONAL_LEVEL = 4
STAGE_BONUS = 0.3
FORM_BONUS = 0.2
SPECIALIST_BONUS = 0.15
SPECIALIST_MAX_FORMS = 3
SPECIALIST_MAX_STAGES = 3
RESCUE_STAGE = "struggling"
SIMILARITY_WEIGHT = 2.5
SIMILARITY_SHARPNESS = 2
SIMILARITY_WITH_NEEDS = 1.5  # the needs said cover the ground: the words tell actors apart
IMPLIED_SIMILARITY = 6.0
SIMILARITY_FULL = 8.0
NAMED_BONUS = 2.0
RECEPTION_BONUS = 1.5
RECEPTION_STAGES = frozenset({None, "idea", "building"})
REACHABLE_BONUS = 0.5
OFF_LIST_PENALTY = 0.6
FOCUS_BONUS = 0.1
PRIMARY = 1.0
COVERED_AGAIN = 0.25
DEFAULT_NEED = "advice"
OUTSIDE_UNKNOWN = UNKNOWN_DEPARTMENT
FALLBACK_LIMIT = 2
MAX_WORDS_SHOWN = 3
SHOWN_WORD_IDF = 1.0  # a word most actors share (« asso ») tells the person nothing
PRESELECT_FROM = 2_000  # from this many actors, candidates come from the coverage index
PRESELECT_MAX_NEEDS = 4  # more needs at once: every relevant actor is scored
SCORE_ROUNDING = 1e-4  # a pick's score is rounded to 4 decimals


@dataclass(frozen=True)
class Profile:
    """What the person told us (explicit answers; free text is understood separately)."""

    stage: str | None = None
    legal_form: str | None = None
    needs: tuple[str, ...] = ()
    commune: str | None = None
    text: str = ""
    lang: str = "fr"
    outside: str | None = None  # outside Haute-Garonne: a department code, or OUTSIDE_UNKNOWN
    inferred: frozenset[str] = frozenset()  # fields read from free text ("stage", "legal_form")


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
class Excluded:
    """A close actor left out, and why (``not_for`` reason, stage, legal form)."""

    actor: Actor
    reason: Reason


@dataclass(frozen=True)
class MatchResult:
    """Recommendations for a profile, with what was inferred and what stays unmet."""

    profile: Profile
    recommendations: tuple[Recommendation, ...]
    unmet_needs: tuple[str, ...]
    inference: Inference = field(default_factory=Inference)
    defaulted_need: bool = False
    excluded: tuple[Excluded, ...] = ()
    outside_area: OutsidePlace | None = None

    @property
    def understood(self) -> bool:
        """False when there was nothing to go on (no answer, and the text said nothing)."""
        return bool(self.recommendations) or _explicit(self.profile)


def _explicit(profile: Profile) -> bool:
    return bool(profile.stage or profile.legal_form or profile.needs or profile.commune)


def merge(profile: Profile, inference: Inference) -> Profile:
    """Explicit answers win; what the text said fills the blanks (and is marked inferred)."""
    read = {
        name
        for name, given, said in (
            ("stage", profile.stage, inference.stage and not inference.stage_is_sure),
            ("legal_form", profile.legal_form, inference.legal_form),
        )
        if said and not given
    }
    return replace(
        profile,
        inferred=profile.inferred | read,
        stage=profile.stage or inference.stage,
        legal_form=profile.legal_form or inference.legal_form,
        needs=profile.needs or inference.needs,
        commune=profile.commune or (inference.commune.insee if inference.commune else None),
    )


def _level(
    kb: KnowledgeBase, actor: Actor, commune: str | None, outside: OutsidePlace | None
) -> int | None:
    """How narrowly the actor covers the person (0 commune … 4 national), None if not at all.

    With no commune and no town elsewhere, the person is somewhere in the default territory
    (Haute-Garonne): an actor of an EPCI there counts as territory-wide, a single-commune
    service does not cover them. A town elsewhere is covered by the regional networks when it
    lies in their region.
    """
    if commune is not None:
        return kb.territory.covering_level(commune, actor)
    if outside is not None:
        if outside.territory == actor.territory and actor.areas - {"region", "national"}:
            return ANYWHERE_LEVEL  # « dans le Tarn »: somewhere in the base's Tarn territory
        if "region" in actor.areas and kb.territory.in_region(actor.territory, outside.department):
            return REGION_LEVEL
        return NATIONAL_LEVEL if "national" in actor.areas else None
    if actor.areas - {"region", "national"} and actor.territory == DEFAULT_TERRITORY:
        return ANYWHERE_LEVEL
    return kb.territory.covering_level(None, actor)


def _outside_lists(actor: Actor, profile: Profile) -> tuple[str, Reason] | None:
    """The stage or legal form of the person that the actor's lists do not include."""
    if profile.stage is not None and profile.stage not in actor.stages:
        return "stage", Reason("why_not.stage", (("stage", profile.stage),))
    if profile.legal_form not in NEUTRAL_FORMS and profile.legal_form not in actor.legal_forms:
        return "legal_form", Reason(
            "why_not.legal_form", (("legal_form", str(profile.legal_form)),)
        )
    return None


def _exclusion(actor: Actor, profile: Profile, needs: tuple[str, ...]) -> Reason | None:
    """Why the actor's conditions exclude this profile, or None when they do not.

    The conditions (``not_for``) always apply; the actor's stage and legal-form lists exclude
    an answer the person gave, while one only read from their text lowers the score instead
    (:data:`OFF_LIST_PENALTY`): « monter » may be said of a project long under way."""
    listed = _outside_lists(actor, profile)
    if listed is not None and listed[0] not in profile.inferred:
        return listed[1]
    stage = None if "stage" in profile.inferred else profile.stage
    rule = actor.exclusion(stage, profile.legal_form, needs)
    if rule is not None:
        return Reason("why_not.rule", tuple(rule.reason.items()))
    return None


class _Candidate(NamedTuple):
    actor: Actor
    base: float
    level: int | None
    reasons: tuple[Reason, ...]
    relaxed: bool


def _candidate(
    kb: KnowledgeBase,
    actor: Actor,
    profile: Profile,
    inference: Inference,
    needs: tuple[str, ...],
    similarity: float,
    outside: OutsidePlace | None,
    *,
    relaxed: bool = False,
) -> _Candidate:
    """The actor scored for ``profile``, except for the needs it covers; its reasons in order."""
    level = _level(kb, actor, profile.commune, outside)
    score = 0.0
    reasons: list[Reason] = []
    if actor.id in inference.named:
        score += NAMED_BONUS
        reasons.append(Reason("reason.named"))
    if similarity > 0:
        weight = SIMILARITY_WEIGHT if DEFAULT_NEED in needs else SIMILARITY_WITH_NEEDS
        score += weight * similarity**SIMILARITY_SHARPNESS
        words = _shown_words(kb, actor, inference)
        if words:
            reasons.append(Reason("reason.words", (("words", words),)))
    if profile.stage is not None and profile.stage in actor.stages:
        score += STAGE_BONUS
        if profile.stage == RESCUE_STAGE and len(actor.stages) <= SPECIALIST_MAX_STAGES:
            score += SPECIALIST_BONUS  # a structure in difficulty: the DLA's own work
        reasons.append(Reason("reason.stage", (("stage", profile.stage),)))
    if profile.legal_form not in NEUTRAL_FORMS and profile.legal_form in actor.legal_forms:
        score += FORM_BONUS
        if len(actor.legal_forms) <= SPECIALIST_MAX_FORMS:
            score += SPECIALIST_BONUS
        reasons.append(Reason("reason.legal_form", (("legal_form", str(profile.legal_form)),)))
    if (
        actor.reception
        and DEFAULT_NEED in needs
        and profile.stage in RECEPTION_STAGES
        and level is not None
        and level <= LOCAL_LEVEL
    ):
        score += RECEPTION_BONUS
        reasons.append(Reason("reason.reception"))
    if level is not None:
        score += TERRITORY_BONUS[level]
        commune = (("commune", profile.commune or ""),)
        reasons.append(Reason(TERRITORY_REASONS[level], commune))
    if actor.reachable:
        score += REACHABLE_BONUS
    if _outside_lists(actor, profile) is not None:
        score -= OFF_LIST_PENALTY
    primaries = {n for n, s in actor.needs.items() if s >= PRIMARY}
    if primaries:
        score += FOCUS_BONUS * len(primaries.intersection(needs)) / len(primaries)
    return _Candidate(actor, score, level, tuple(reasons), relaxed)


def _shown_words(kb: KnowledgeBase, actor: Actor, inference: Inference) -> str:
    """The person's own words that brought this actor up (for « vous avez écrit … »)."""
    vocab = vocabulary(kb)
    terms = vocab.index.matched(inference.terms, vocab.position[actor.id], SHOWN_WORD_IDF)
    matched = terms[:MAX_WORDS_SHOWN]
    return ", ".join(inference.wording.get(lemma, lemma) for lemma in matched)


def _need_key(candidate: _Candidate, need: str) -> str:
    """How the actor covers the need: its core work, a side service, or from elsewhere (then
    the results also say that nothing here covers it: both are true, neither contradicts)."""
    if candidate.relaxed:
        return "reason.need.elsewhere"
    return (
        "reason.need.primary" if candidate.actor.needs[need] >= PRIMARY else "reason.need.secondary"
    )


def _gain(candidate: _Candidate, needs: tuple[str, ...], covered: dict[str, int]) -> float:
    """What picking ``candidate`` adds now: its needs (a need already covered counts
    :data:`COVERED_AGAIN`) and its base score."""
    strengths = candidate.actor.needs
    return candidate.base + sum(
        strengths.get(n, 0.0) * (COVERED_AGAIN if covered.get(n) else 1.0) for n in needs
    )


def _pick(
    pool: list[_Candidate], needs: tuple[str, ...], limit: int, covered: dict[str, int]
) -> list[Recommendation]:
    """Greedy picks: each time the best gain, ties by id. Gains only fall as needs get
    covered, so a gain computed earlier bounds the current one: the heap is lazy (a candidate
    is re-scored only when it comes to the top), which keeps large bases fast."""
    heap = [(-round(_gain(c, needs, covered), 9), c.actor.id, i) for i, c in enumerate(pool)]
    heapq.heapify(heap)
    picked: list[Recommendation] = []
    while heap and len(picked) < limit:
        _, actor_id, index = heapq.heappop(heap)
        current = -round(_gain(pool[index], needs, covered), 9)
        if heap and (current, actor_id) > heap[0][:2]:
            heapq.heappush(heap, (current, actor_id, index))  # fell behind: try the next one
            continue
        best = pool[index]
        covers = tuple(n for n in needs if n in best.actor.needs)
        for n in covers:
            covered[n] = covered.get(n, 0) + 1
        need_reasons = tuple(Reason(_need_key(best, n), (("need", n),)) for n in covers)
        picked.append(
            Recommendation(
                best.actor,
                round(-current, 4),
                covers,
                need_reasons + best.reasons,
                best.level,
                best.relaxed,
            )
        )
    return picked


def _similarities(inference: Inference) -> dict[str, float]:
    """Each similar actor's BM25 score relative to the closest one, that one counting fully
    only when the words are close enough (:data:`SIMILARITY_FULL`)."""
    if not inference.similar:
        return {}
    top = inference.similar[0][1]
    confidence = min(1.0, top / SIMILARITY_FULL)
    return {actor_id: confidence * score / top for actor_id, score in inference.similar}


def _implied_needs(kb: KnowledgeBase, inference: Inference) -> tuple[str, ...]:
    """The primary needs of the actor the words describe best, when they describe it well:
    « que la SARL appartienne à ceux qui y travaillent » asks for a cooperative."""
    if not inference.similar or inference.similar[0][1] < IMPLIED_SIMILARITY:
        return ()
    actor = kb.actors[vocabulary(kb).position[inference.similar[0][0]]]
    return tuple(n for n, s in actor.needs.items() if s >= PRIMARY)


def _relevant(
    kb: KnowledgeBase, needs: Iterable[str], similar: dict[str, float], named: tuple[str, ...]
) -> list[Actor]:
    """The actors that cover a need, or that the words name or describe, in the base's order."""
    vocab = vocabulary(kb)
    positions = {p for n in needs for p in vocab.by_need.get(n, ())}
    positions.update(vocab.position[a] for a in (*similar, *named) if a in vocab.position)
    return [kb.actors[p] for p in sorted(positions)]


@dataclass(frozen=True)
class _Ask:
    """One request as matching reads it: the merged profile and what the words brought."""

    kb: KnowledgeBase
    profile: Profile
    inference: Inference
    needs: tuple[str, ...]
    implied: tuple[str, ...]
    similar: dict[str, float]
    outside: OutsidePlace | None

    def score(self, actor: Actor) -> _Candidate | Excluded | None:
        """The actor as a candidate, or why it is excluded, or None when it is elsewhere."""
        why_not = _exclusion(actor, self.profile, self.needs + self.implied)
        if why_not is not None:
            return Excluded(actor, why_not)
        if _level(self.kb, actor, self.profile.commune, self.outside) is None:
            return None
        similarity = self.similar.get(actor.id, 0.0)
        return _candidate(
            self.kb, actor, self.profile, self.inference, self.needs, similarity, self.outside
        )


def _scan(
    ask: _Ask, actors: Iterable[Actor]
) -> tuple[list[_Candidate], list[Actor], list[Excluded]]:
    """Every actor scored: the candidates, those elsewhere, those excluded (in that order)."""
    pool: list[_Candidate] = []
    elsewhere: list[Actor] = []
    excluded: list[Excluded] = []
    for actor in actors:
        found = ask.score(actor)
        if isinstance(found, Excluded):
            excluded.append(found)
        elif found is None:
            elsewhere.append(actor)
        else:
            pool.append(found)
    return pool, elsewhere, excluded


def _places(kb: KnowledgeBase, ask: _Ask) -> list[tuple[int, list[str]]]:
    """The coverage index's places that cover the person, by the level they give (the levels
    of :func:`_level`, checked against it by the tests)."""
    commune = kb.territory.get(ask.profile.commune)
    wide = [(REGION_LEVEL, ["a:region"]), (NATIONAL_LEVEL, ["a:national"])]
    if commune is not None:
        local = [(0, [f"c:{commune.insee}"]), (LOCAL_LEVEL, [f"a:{commune.epci}"])]
        return [*local, (ANYWHERE_LEVEL, ["a:haute-garonne"]), *wide]
    if ask.profile.commune is not None:
        return wide
    if ask.outside is not None:
        held = ask.outside.territory
        there = [f"a:{e}" for e in sorted(kb.territory.epcis_of.get(held or "", ()))]
        found = wide if ask.outside.in_region else wide[1:]
        return [(ANYWHERE_LEVEL, [*there, f"a:{held}"]), *found] if held else found
    department = [f"a:{epci}" for epci in sorted(kb.territory.epcis)] + ["a:haute-garonne"]
    return [(ANYWHERE_LEVEL, department), *wide]


def _ceiling(ask: _Ask, cover: Coverage) -> float:
    """The most an actor of the index can add to its needs and territory for this profile
    (stage, legal form, a published contact, focus); a bound, never reached by more."""
    profile = ask.profile
    ceiling = FOCUS_BONUS
    if profile.stage is not None:
        ceiling += STAGE_BONUS + (SPECIALIST_BONUS if profile.stage == RESCUE_STAGE else 0.0)
    if profile.legal_form not in NEUTRAL_FORMS:
        ceiling += FORM_BONUS + SPECIALIST_BONUS
    if any(reachable for *_, reachable in cover.trait_values):
        ceiling += REACHABLE_BONUS
    return ceiling


class _Picks:
    """The greedy picks from a pool, and what an actor must score to take part in them."""

    def __init__(self, pool: list[_Candidate], needs: tuple[str, ...], limit: int) -> None:
        picked = _pick(list(pool), needs, limit, {})
        self.steps: list[tuple[float, dict[str, int]]] = []  # gain, needs covered before
        covered: dict[str, int] = {}
        for pick in picked if len(picked) >= limit else ():  # fewer: anything may be picked
            self.steps.append((pick.score - SCORE_ROUNDING, dict(covered)))
            for need in pick.needs_covered:
                covered[need] = covered.get(need, 0) + 1
        self.floors: dict[tuple[float, ...], float] = {}

    def beat(self, most: float, strengths: dict[str, float]) -> bool:
        """Whether an actor adding at most ``most`` to these need strengths loses every pick."""
        if not self.steps:
            return False
        key = tuple(strengths.values())
        floor = self.floors.get(key)
        if floor is None:
            floor = self.floors[key] = min(
                gain
                - sum(s * (COVERED_AGAIN if covered.get(n) else 1.0) for n, s in strengths.items())
                for gain, covered in self.steps
            )
        return most < floor


def _shortlist(ask: _Ask, limit: int) -> tuple[list[_Candidate], list[Excluded]] | None:
    """The candidates that can reach the results, from the coverage index (None when the base
    is small enough to score each relevant actor, or the needs too many to pre-select).

    The actors apart (reception points, conditions), named or described by the words are
    scored one by one. The others come by *tier*, one place and one strength per need, in the
    order of the most a tier's actor can score; a tier's actors of the same traits score the
    same, so only the first ``limit`` by id can be picked. It stops when no tier left can
    reach the last pick: the picks are those of scoring every actor."""
    kb = ask.kb
    vocab = vocabulary(kb)
    cover = vocab.coverage
    if cover is None or len(kb.actors) < PRESELECT_FROM or len(ask.needs) > PRESELECT_MAX_NEEDS:
        return None
    singles = {vocab.position[a] for a in (*ask.similar, *ask.inference.named)}
    singles.update(
        p
        for p in (cover.positions[r] for r in cover.apart)
        if any(n in kb.actors[p].needs for n in ask.needs)
    )
    pool, _, excluded = _scan(ask, (kb.actors[p] for p in sorted(singles)))
    seen = set(singles)
    ceiling = _ceiling(ask, cover)
    each = (0.0, *sorted(set(STRENGTHS.values())))
    tiers = [
        (TERRITORY_BONUS[level] + ceiling, places, dict(zip(ask.needs, strengths, strict=True)))
        for level, places in _places(kb, ask)
        for strengths in itertools.product(each, repeat=len(ask.needs))
        if any(strengths)
    ]
    tiers.sort(key=lambda tier: -tier[0] - sum(tier[2].values()))
    stage = cover.stages.get(ask.profile.stage or "", frozenset())
    form = cover.legal_forms.get(ask.profile.legal_form or "", frozenset())
    waiting: list[tuple[_Candidate, list[int], dict[str, float]]] = []  # groups not worth it yet
    steps = _trim(pool, waiting, ask.needs, limit)
    changed = True
    while changed:  # a larger pool may lower a later pick: check again what was left out
        changed = False
        left = []
        for found, ranks, strengths in waiting:
            if steps.beat(found.base, strengths):
                left.append((found, ranks, strengths))
                continue
            pool += _take(ask, cover, found, ranks, seen, limit) if ranks else [found]
            changed = True
        waiting = left
        steps = _trim(pool, waiting, ask.needs, limit)
        kept = []
        for most, places, strengths in tiers:
            if steps.beat(most, strengths):
                kept.append((most, places, strengths))
                continue
            groups: dict[tuple[int, bool, bool], list[int]] = {}
            for rank in frozenset().union(*(cover.tier(place, strengths) for place in places)):
                key = (cover.traits[rank], rank in stage, rank in form)
                groups.setdefault(key, []).append(rank)
            firsts = []
            for ranks in groups.values():
                fresh = [
                    r for r in ranks if cover.positions[r] not in seen and r not in cover.apart
                ]
                first = ask.score(kb.actors[cover.positions[min(fresh)]]) if fresh else None
                if isinstance(first, _Candidate):  # else none left, or all excluded, or elsewhere
                    firsts.append((first, fresh))
            firsts.sort(key=lambda group: -group[0].base)
            measured = start = len(pool)
            for first, fresh in firsts:
                if steps.beat(first.base, strengths):
                    waiting.append((first, fresh, strengths))
                    continue
                pool += _take(ask, cover, first, fresh, seen, limit)
                if len(pool) >= measured + limit:  # the picks may have risen: measure again
                    steps = _trim(pool, waiting, ask.needs, limit)
                    measured = len(pool)
            if len(pool) > start:
                steps = _trim(pool, waiting, ask.needs, limit)
                changed = True
        tiers = kept
    return pool + [found for found, ranks, _ in waiting if not ranks], excluded


def _trim(
    pool: list[_Candidate],
    waiting: list[tuple[_Candidate, list[int], dict[str, float]]],
    needs: tuple[str, ...],
    limit: int,
) -> _Picks:
    """The picks from ``pool``; the candidates they beat wait (without them the picks are the
    same), so that the next picks cost less."""
    steps = _Picks(pool, needs, limit)
    kept = []
    for found in pool:
        strengths = {n: found.actor.needs.get(n, 0.0) for n in needs}
        if steps.beat(found.base, strengths):
            waiting.append((found, [], strengths))
        else:
            kept.append(found)
    pool[:] = kept
    return steps


def _take(
    ask: _Ask, cover: Coverage, first: _Candidate, ranks: list[int], seen: set[int], limit: int
) -> list[_Candidate]:
    """The first ``limit`` not yet seen of a group of actors that score as ``first`` does (one
    of them that covers the person more narrowly through another place is scored apart)."""
    fresh = (r for r in ranks if cover.positions[r] not in seen)
    taken = []
    for rank in heapq.nsmallest(limit, fresh):
        actor = ask.kb.actors[cover.positions[rank]]
        seen.add(cover.positions[rank])
        if _level(ask.kb, actor, ask.profile.commune, ask.outside) == first.level:
            taken.append(first._replace(actor=actor))
        elif isinstance(found := ask.score(actor), _Candidate):
            taken.append(found)
    return taken


def recommend(kb: KnowledgeBase, profile: Profile, limit: int = 10) -> MatchResult:
    """Rank actors for ``profile`` (its text understood and merged in); at most ``limit``."""
    inference = understand(profile.text, kb, profile.lang) if profile.text.strip() else Inference()
    merged = merge(profile, inference)
    if not (_explicit(profile) or inference.about_project):
        return MatchResult(merged, (), (), inference, outside_area=_outside(kb, merged, inference))
    outside = _outside(kb, merged, inference)
    similar = _similarities(inference)
    defaulted = not merged.needs
    needs = merged.needs or (DEFAULT_NEED,)
    ask = _Ask(kb, merged, inference, needs, _implied_needs(kb, inference), similar, outside)
    short = _shortlist(ask, limit)
    served: set[str] = set()
    if short is not None:
        pool, excluded = short
        served = {n for n in needs if any(n in c.actor.needs for c in pool)}
    if short is None or len(served) < len(needs):
        pool, elsewhere, excluded = _scan(ask, _relevant(kb, needs, similar, inference.named))
        served = {n for n in needs if any(n in c.actor.needs for c in pool)}
    covered: dict[str, int] = {}
    picked = _pick(pool, needs, limit, covered)
    unserved = tuple(n for n in needs if n not in served)
    if unserved and len(picked) < limit and outside is None:
        # Nothing here fits these needs: the nearest actors of the department, flagged as such
        # (never for someone outside it: a structure around Toulouse cannot serve Bordeaux).
        near = [
            _candidate(
                kb, a, merged, inference, unserved, similar.get(a.id, 0.0), outside, relaxed=True
            )
            for a in elsewhere
            if any(n in a.needs for n in unserved)
        ]
        picked += _pick(near, unserved, min(FALLBACK_LIMIT, limit - len(picked)), covered)
    unmet = tuple(n for n in merged.needs if n not in served)
    return MatchResult(
        merged,
        tuple(picked),
        unmet,
        inference,
        defaulted_need=defaulted,
        excluded=tuple(excluded),
        outside_area=outside,
    )


def _outside(kb: KnowledgeBase, profile: Profile, inference: Inference) -> OutsidePlace | None:
    """Where outside Haute-Garonne the person is (None when in it, or unknown)."""
    if profile.commune is not None:
        return None
    if inference.outside_area is not None:
        return inference.outside_area
    if profile.outside is None:
        return None
    return kb.territory.elsewhere.department(profile.outside)


def reception_points(kb: KnowledgeBase, commune: str | None) -> list[Actor]:
    """The general reception places of the person's commune or EPCI, if any."""
    return [
        a
        for a in kb.actors
        if a.reception
        and (level := kb.territory.covering_level(commune, a)) is not None
        and level <= LOCAL_LEVEL
    ]

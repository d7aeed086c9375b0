"""Matching: from a project holder's profile to a few ranked, explained recommendations.

Pure and deterministic. An actor is *eligible* when its territory covers the person, its
stages and legal forms include theirs and no ``not_for`` rule excludes them; an excluded actor
is never recommended (it is reported in ``excluded`` with the reason). Among the eligible, the
score adds the needs it covers (primary counts more), how close the person's words are to the
actor's own descriptions (BM25 over lemmas), a strong bonus when the person names it, the
general reception point of their commune for first advice (and, for a structure in
difficulty, the local one whose work is consolidating them), the narrowness of its territory,
being in their commune, its fit with the stage and legal form, and a published contact.
Results are picked greedily so that several needs get covered rather than one need thrice.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from bot.core.bitmaps import Bits, members
from bot.core.coverindex import Coverage
from bot.core.knowledge import FEW_STAGES, RESCUE_STAGE, Actor, KnowledgeBase
from bot.core.territory import DEFAULT_TERRITORY, UNKNOWN_DEPARTMENT, OutsidePlace
from bot.core.understanding import Inference, understand
from bot.core.vocabulary import vocabulary

NO_FORM_YET = "undecided"
NEUTRAL_FORMS = frozenset({None, NO_FORM_YET, "other"})
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
SPECIALIST_MAX_STAGES = FEW_STAGES
SIMILARITY_WEIGHT = 2.5
SIMILARITY_SHARPNESS = 2
SIMILARITY_WITH_NEEDS = 1.5  # the needs said cover the ground: the words tell actors apart
IMPLIED_SIMILARITY = 6.0
SIMILARITY_FULL = 8.0
NAMED_BONUS = 2.0
RECEPTION_BONUS = 1.5
EARLY_STAGES = frozenset({"idea", "building"})  # where first advice is the reception's work
REACHABLE_BONUS = 1.0  # a published contact: as much as a core need (issue 8 §4)
LOCATED_BONUS = 0.4  # it is in the person's commune (``location.communes``)
OFF_LIST_PENALTY = 0.6
UNSAID_FORM_PENALTY = 0.15
FOCUS_BONUS = 0.1
PRIMARY = 1.0
COVERED_AGAIN = 0.25
DEFAULT_NEED = "advice"
NETWORK_NEED = "network"  # where nobody advises near the person: the networks that connect
OUTSIDE_UNKNOWN = UNKNOWN_DEPARTMENT
FALLBACK_LIMIT = 2
NEED_REASONS = "reason.need."
MAX_WORDS_SHOWN = 3
SHOWN_WORD_IDF = 1.0  # a word most actors share (« asso ») tells the person nothing
PRESELECT_FROM = 500  # from this many actors, candidates come from the coverage index
PRESELECT_MAX_NEEDS = 4  # more needs at once: every relevant actor is scored
FLOOR_MARGIN = 1e-6  # far above float errors, far below a score's 4 decimals


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


RECEPTION_REASON = Reason("reason.reception")  # the general reception for first advice
NO_ADVISER_REASON = Reason("reason.no_adviser_here")  # a network, for want of a local adviser


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
    needs: tuple[str, ...] = ()  # the needs matched (:func:`matched_needs`, or the networks)

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
        national = "national" in actor.areas and not outside.abroad  # French networks
        return NATIONAL_LEVEL if national else None
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


def _exclusion(
    actor: Actor, profile: Profile, needs: tuple[str, ...], without_staff: bool = False
) -> Reason | None:
    """Why the actor's conditions exclude this profile, or None when they do not.

    The conditions (``not_for``) always apply; the actor's stage and legal-form lists exclude
    an answer the person gave, while one only read from their text lowers the score instead
    (:data:`OFF_LIST_PENALTY`): « monter » may be said of a project long under way."""
    listed = _outside_lists(actor, profile)
    if listed is not None and listed[0] not in profile.inferred:
        return listed[1]
    stage = None if "stage" in profile.inferred else profile.stage
    rule = actor.exclusion(stage, profile.legal_form, needs, without_staff)
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
        if len(actor.legal_forms) <= SPECIALIST_MAX_FORMS or profile.legal_form in actor.members:
            score += SPECIALIST_BONUS
        reasons.append(Reason("reason.legal_form", (("legal_form", str(profile.legal_form)),)))
    if actor.reception and DEFAULT_NEED in needs and _early(profile, inference) and _local(level):
        score += RECEPTION_BONUS
        reasons.append(RECEPTION_REASON)
    commune = (("commune", profile.commune or ""),)
    if level is not None:
        score += TERRITORY_BONUS[level]
        reasons.append(Reason(TERRITORY_REASONS[level], commune))
    if level != 0 and profile.commune in actor.located_in:  # a commune's own: counted above
        score += LOCATED_BONUS
        reasons.append(Reason("reason.located", commune))
    if actor.reachable:
        score += REACHABLE_BONUS
    if _outside_lists(actor, profile) is not None:
        score -= OFF_LIST_PENALTY
    if profile.legal_form is None and NO_FORM_YET not in actor.legal_forms:
        score -= UNSAID_FORM_PENALTY  # it needs a structure the person has not said they have
    primaries = {n for n, s in actor.needs.items() if s >= PRIMARY}
    if primaries:
        score += FOCUS_BONUS * len(primaries.intersection(needs)) / len(primaries)
    return _Candidate(actor, score, level, tuple(reasons), relaxed)


def _early(profile: Profile, inference: Inference) -> bool:
    """Whether the project is at its start: an early stage said, or no stage (or one only
    guessed from a verb) and no structure said (« notre asso », « notre SCOP » with no stage
    speak of a structure already running) unless the words call it a project of theirs (« un
    bar associatif, voilà mon projet »)."""
    unsure = profile.stage is None or "stage" in profile.inferred
    no_structure = profile.legal_form in (None, NO_FORM_YET) or inference.project
    return profile.stage in EARLY_STAGES or (unsure and no_structure)


def _core(actor: Actor, needs: tuple[str, ...]) -> bool:
    """Whether every need asked is core work (primary) of ``actor``."""
    return all(actor.needs.get(n, 0.0) >= PRIMARY for n in needs)


def _local(level: int | None) -> bool:
    """Whether an actor of that territory level is in the person's commune or EPCI."""
    return level is not None and level <= LOCAL_LEVEL


def _shown_words(kb: KnowledgeBase, actor: Actor, inference: Inference) -> str:
    """The person's own words that brought this actor up (for « vous avez écrit … »)."""
    vocab = vocabulary(kb)
    position = vocab.position[actor.id]
    terms = vocab.index.matched(inference.terms, position, SHOWN_WORD_IDF) or (
        vocab.index.matched(inference.terms, position)  # only common words: still the reason
    )
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
    « que la SARL appartienne à ceux qui y travaillent » asks for a cooperative. Not for an
    actor the words name: « l'URSCOP peut nous aider ? » asks it, not for what it does, so its
    conditions still apply to an association in difficulty."""
    if not inference.similar or inference.similar[0][1] < IMPLIED_SIMILARITY:
        return ()
    if inference.similar[0][0] in inference.named:
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

    def described(self, actor: Actor) -> bool:
        """Whether the words name the actor or describe it best of all."""
        similar = self.inference.similar
        return actor.id in self.inference.named or bool(similar and similar[0][0] == actor.id)

    def score(self, actor: Actor) -> _Candidate | Excluded | None:
        """The actor as a candidate, or why it is excluded, or None when it is elsewhere."""
        why_not = _exclusion(
            actor, self.profile, self.needs + self.implied, self.inference.without_staff
        )
        if why_not is not None:
            return Excluded(actor, why_not)
        level = _level(self.kb, actor, self.profile.commune, self.outside)
        if level is None and actor.id in self.inference.named and not self.profile.commune:
            level = None if self.outside else ANYWHERE_LEVEL  # asked for by name, no place said
        if level is None or (
            level == NATIONAL_LEVEL and self.outside and not self.described(actor)
        ):
            return None  # a national network far from here: only for what is its own work
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
        found = wide if ask.outside.in_region else [] if ask.outside.abroad else wide[1:]
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
    if any(reachable for *_, reachable in cover.traits):
        ceiling += REACHABLE_BONUS
    return ceiling


class _Floor:
    """What a candidate must gain to be picked, from the candidates met so far.

    The picks are known one after another, as :func:`_pick` makes them: the next one is the
    candidate met that gains the most with the needs of the picks known covered, once no
    candidate left can gain as much (the general reception desk, when it comes first, is
    known from the start). Every later pick gains at least the ``n``-th best *low* of the
    others met, ``n`` being how many picks are left (a gain never falls below the base plus
    :data:`COVERED_AGAIN` of its needs, and at each step one of those ``n`` is still there to
    be picked). A candidate that cannot gain that much with the needs of the picks known
    covered is never picked, whatever else is found: each pick known covers needs, and the
    floor only rises."""

    def __init__(self, needs: tuple[str, ...], limit: int) -> None:
        self.needs = needs
        self.limit = limit
        self.picks: list[_Candidate] = []  # the first picks, known
        self.covered: dict[str, int] = {}  # the needs they cover, as :func:`_pick` counts them
        self.others: list[_Candidate] = []  # the candidates met, less the picks
        self.lowest: list[float] = []  # a min-heap of the best lows of the others
        self.leader: tuple[float, str, _Candidate] | None = None  # the next pick so far

    def strengths(self, found: _Candidate) -> dict[str, float]:
        """How strongly ``found`` serves each need asked (0: not at all)."""
        return {n: found.actor.needs.get(n, 0.0) for n in self.needs}

    def meet(self, found: _Candidate) -> None:
        """Take ``found`` into account."""
        self.others.append(found)
        self._rank(found)
        low = found.base + COVERED_AGAIN * sum(self.strengths(found).values())
        if len(self.lowest) < self.limit - len(self.picks):
            heapq.heappush(self.lowest, low)
        elif self.lowest and low > self.lowest[0]:
            heapq.heapreplace(self.lowest, low)

    def _rank(self, found: _Candidate) -> None:
        """Make ``found`` the leader when it would be picked before it (as :func:`_pick` does)."""
        key = (-round(_gain(found, self.needs, self.covered), 9), found.actor.id, found)
        if self.leader is None or key[:2] < self.leader[:2]:
            self.leader = key

    def know(self, pick: _Candidate) -> None:
        """``pick`` is the next pick: its needs are covered, the others ranked again."""
        self.picks.append(pick)
        self.others = [c for c in self.others if c is not pick]
        for need in self.needs:
            if need in pick.actor.needs:
                self.covered[need] = self.covered.get(need, 0) + 1
        self.leader = None
        for found in self.others:
            self._rank(found)
        lows = (c.base + COVERED_AGAIN * sum(self.strengths(c).values()) for c in self.others)
        self.lowest = heapq.nlargest(self.limit - len(self.picks), lows)
        heapq.heapify(self.lowest)

    def settle(self, most_left: float) -> bool:
        """Know the next picks while no candidate left (gaining at most ``most_left``) can
        beat or tie the best of the others met; whether one got known."""
        known = len(self.picks)
        while (
            self.leader is not None
            and len(self.picks) < self.limit
            and most_left < -self.leader[0] - FLOOR_MARGIN
        ):
            self.know(self.leader[2])
        return len(self.picks) > known

    def low_floor(self) -> float:
        """What every pick not known yet gains at least (less a margin for rounding)."""
        left = self.limit - len(self.picks)
        if not left:
            return math.inf
        return self.lowest[0] - FLOOR_MARGIN if len(self.lowest) >= left else -math.inf

    def bound(self, base: float, strengths: dict[str, float]) -> float:
        """The most a candidate of this base and these need strengths gains from now on (the
        needs of the picks known are covered)."""
        covered = self.covered
        return base + sum(
            s * (COVERED_AGAIN if covered.get(n) else 1.0) for n, s in strengths.items()
        )

    def reaches(self, base: float, strengths: dict[str, float]) -> bool:
        """Whether a candidate of this base and these need strengths may be picked."""
        return self.bound(base, strengths) >= self.low_floor()

    def shortlist(self) -> list[_Candidate]:
        """The picks known and the others met that may be picked."""
        return self.picks + [c for c in self.others if self.reaches(c.base, self.strengths(c))]


class _Tier(NamedTuple):
    most: float  # the most an actor of the tier can gain
    base: float  # the most its base can be
    level: int
    strengths: dict[str, float]  # need → the strength its actors have for it (0: none)
    actors: Bits  # its actors (none apart)

    @property
    def needs(self) -> frozenset[str]:
        """The needs its actors serve."""
        return frozenset(n for n, s in self.strengths.items() if s)


def _tiers(ask: _Ask, cover: Coverage) -> list[_Tier]:
    """Each place covering the person with each combination of need strengths some of its
    actors have, the tier whose actors can gain the most first."""
    ceiling = _ceiling(ask, cover)
    tiers = [
        _Tier(
            TERRITORY_BONUS[level] + ceiling + sum(strengths),
            TERRITORY_BONUS[level] + ceiling,
            level,
            dict(zip(ask.needs, strengths, strict=True)),
            actors,
        )
        for level, places in _places(ask.kb, ask)
        for strengths, actors in _by_strengths(cover, places, ask.needs)
        if any(strengths)
    ]
    tiers.sort(key=lambda tier: -tier.most)
    return tiers


def _by_strengths(
    cover: Coverage, places: list[str], needs: tuple[str, ...]
) -> list[tuple[tuple[float, ...], Bits]]:
    """The actors of ``places`` (none apart) by their strength for each of ``needs``, the
    strengths in order and no empty set: split need by need, an empty part is split no
    further (most combinations of three or four needs have no actor)."""
    found = cover.covering(places)
    parts: list[tuple[tuple[float, ...], Bits]] = [((), found ^ (found & cover.apart))]
    for need in needs:
        parts = [
            ((*strengths, strength), actors)
            for strengths, whole in parts
            for strength, actors in sorted(cover.by_strength(whole, need).items())
            if actors
        ]
    return parts


def _shortlist(ask: _Ask, limit: int) -> tuple[list[_Candidate], list[Excluded], set[str]] | None:
    """The candidates that can reach the results, from the coverage index, with the excluded
    met and the needs some candidate serves (None when the base is small enough to score each
    relevant actor, or the needs too many to pre-select).

    The actors apart (reception points, conditions, a commune), named or described by the words are
    scored one by one (first: the :class:`_Floor` holds for what they may lack). The others
    come by tier (:func:`_tiers`), split into groups of actors that score the same
    (:meth:`_Opened.groups`; ties go by id, so only the first ``limit`` by id of a group can
    be picked), best first by the most they can gain, each opened or taken only when it can
    reach the floor. Past it, tiers are only opened for a need no one serves yet. The picks
    are those of scoring every actor."""
    kb = ask.kb
    vocab = vocabulary(kb)
    cover = vocab.coverage
    if cover is None or len(kb.actors) < PRESELECT_FROM or len(ask.needs) > PRESELECT_MAX_NEEDS:
        return None
    singles = {vocab.position[a] for a in (*ask.similar, *ask.inference.named)}
    singles.update(
        p
        for p in (cover.positions[r] for r in members(cover.apart))
        if any(n in kb.actors[p].needs for n in ask.needs)
    )
    commune = kb.territory.communes.get(ask.profile.commune or "")
    if commune is not None and _said_in_difficulty(ask.profile):  # the local desks (_rescue_desk)
        local = cover.covering((f"c:{commune.insee}", f"a:{commune.epci}"))
        singles.update(cover.positions[r] for r in members(cover.rescuers & local))
    pool, _, excluded = _scan(ask, (kb.actors[p] for p in sorted(singles)))
    scored = len(pool)  # kept whatever their gain: a desk comes first without it (_reception_desk)
    floor = _Floor(ask.needs, limit)
    for found in pool:
        floor.meet(found)
    desk = _desk(pool, ask)  # every desk is apart
    if desk is not None:
        floor.know(desk)
    served = {n for n in ask.needs if any(n in c.actor.needs for c in pool)}
    opened = _Opened(ask, cover, set(singles), floor, pool)
    order: list[tuple[float, int, _Tier | _Group, int]] = [
        (-floor.bound(tier.base, tier.strengths), n, tier, 0)
        for n, tier in enumerate(_tiers(ask, cover))
    ]  # by the most each can gain, as bounded when that many picks were known
    heapq.heapify(order)
    count = len(order)
    while order and -order[0][0] >= floor.low_floor():
        _, n, item, known = order[0]
        if known < len(floor.picks):  # bounded before a pick got known: it can gain less now
            bound = floor.bound(item.base, item.strengths)
            heapq.heapreplace(order, (-bound, n, item, len(floor.picks)))
            continue
        if floor.settle(-order[0][0]):
            continue
        heapq.heappop(order)
        if isinstance(item, _Tier):
            for group in opened.groups(item):
                served |= item.needs
                bound = floor.bound(group.base, group.strengths)
                heapq.heappush(order, (-bound, count, group, len(floor.picks)))
                count += 1
        else:
            opened.take(item)
    for *_, item, _ in sorted(order):  # under the floor: is an unserved need served at all?
        if not isinstance(item, _Tier) or item.needs <= served:
            continue
        if next(opened.groups(item), None) is not None:
            served |= item.needs
    floor.settle(-order[0][0] if order else -math.inf)
    served.update(n for n in ask.needs if any(n in c.actor.needs for c in pool))
    kept = {id(c) for c in pool[:scored]}
    return pool[:scored] + [c for c in floor.shortlist() if id(c) not in kept], excluded, served


class _Group(NamedTuple):
    base: float
    strengths: dict[str, float]
    model: _Candidate  # the first actor of the group at the tier's level, scored
    level: int
    ranks: Iterator[int]  # the others, in the order of their ids


class _Opened:
    """The tiers' actors met while opening them: the pool they go to, and those already seen
    (one of them covering the person through several places is taken once)."""

    def __init__(
        self, ask: _Ask, cover: Coverage, seen: set[int], floor: _Floor, pool: list[_Candidate]
    ) -> None:
        self.ask = ask
        self.cover = cover
        self.seen = seen
        self.floor = floor
        self.pool = pool
        self.listings: tuple[Bits, ...] = ()  # who lists the stage, the legal form
        self.kinds: list[Bits] = []  # the actors by the traits that score for this profile

    def _split(self, actors: Bits) -> Iterator[Bits]:
        """``actors`` by what sets their score beside their level and needs, for this profile:
        whether they list its stage and legal form, the traits that make a bonus."""
        if not self.kinds:
            self._classes()
        parts = [actors]
        for listing in self.listings:
            parts = [
                part for whole in parts for part in (whole & listing, whole ^ (whole & listing))
            ]
        for whole in parts:
            rest = whole
            for kind in self.kinds:
                if not rest:
                    break
                if found := rest & kind:
                    yield found
                    rest ^= found

    def _classes(self) -> None:
        """What :meth:`_split` splits by (once a request: it depends on the profile)."""
        profile, cover = self.ask.profile, self.cover
        rescue = profile.stage == RESCUE_STAGE
        neutral = profile.legal_form in NEUTRAL_FORMS
        by_key: dict[tuple[bool, bool, int, bool], Bits] = {}
        for (stages, forms, primaries, reachable), actors in cover.traits.items():
            key = (
                rescue and stages <= SPECIALIST_MAX_STAGES,
                not neutral and forms <= SPECIALIST_MAX_FORMS,
                primaries,
                reachable,
            )
            by_key[key] = by_key.get(key, 0) | actors
        self.kinds = sorted(by_key.values(), key=lambda bits: -bits.bit_count())
        stage = cover.stages.get(profile.stage or "", 0)
        if profile.legal_form is None:  # who takes a project without a structure (the penalty)
            form = cover.legal_forms.get(NO_FORM_YET, 0)
        else:  # who takes the person's legal form (the bonus)
            form = 0 if neutral else cover.legal_forms.get(str(profile.legal_form), 0)
        self.listings = tuple(listing for listing in (stage, form) if listing)

    def groups(self, tier: _Tier) -> Iterator[_Group]:
        """The tier's actors not seen yet (and not apart), by what sets their score."""
        for part in self._split(tier.actors):
            ranks = members(part)
            for rank in ranks:
                actor = self._next(rank, tier.level)
                if actor is None:
                    continue
                model = self.ask.score(actor)
                if isinstance(model, _Candidate):
                    yield _Group(model.base, tier.strengths, model, tier.level, ranks)
                break  # else the whole group is excluded by the same lists

    def _next(self, rank: int, level: int) -> Actor | None:
        """The actor of ``rank`` when not seen yet and it covers the person at ``level``; one
        that covers them more narrowly through another place is scored into the pool."""
        position = self.cover.positions[rank]
        if position in self.seen:
            return None
        self.seen.add(position)
        actor = self.ask.kb.actors[position]
        if _level(self.ask.kb, actor, self.ask.profile.commune, self.ask.outside) == level:
            return actor
        if isinstance(found := self.ask.score(actor), _Candidate):
            self.pool.append(found)
            self.floor.meet(found)
        return None

    def take(self, group: _Group) -> None:
        """The group's first ``limit`` actors into the pool (they score as its model does)."""
        taken = [group.model]
        while len(taken) < self.floor.limit:
            rank = next(group.ranks, None)
            if rank is None:
                break
            actor = self._next(rank, group.level)
            if actor is not None:
                taken.append(group.model._replace(actor=actor))
        for found in taken:
            self.floor.meet(found)
        self.pool += taken


def matched_needs(profile: Profile) -> tuple[str, ...]:
    """The needs matched: those said, else advice; a structure said to be in difficulty is
    advised too, whatever else it asks (few of those it asks for take it at that stage)."""
    needs = profile.needs or (DEFAULT_NEED,)
    rescue = _said_in_difficulty(profile)
    return (*needs, DEFAULT_NEED) if rescue and DEFAULT_NEED not in needs else needs


def _said_in_difficulty(profile: Profile) -> bool:
    """Whether the person said (not only let guess) that their structure is in difficulty."""
    return profile.stage == RESCUE_STAGE and "stage" not in profile.inferred


def recommend(kb: KnowledgeBase, profile: Profile, limit: int = 10) -> MatchResult:
    """Rank actors for ``profile`` (its text understood and merged in); at most ``limit``."""
    inference = understand(profile.text, kb, profile.lang) if profile.text.strip() else Inference()
    merged = merge(profile, inference)
    if not (_explicit(profile) or inference.about_project):
        return MatchResult(merged, (), (), inference, outside_area=_outside(kb, merged, inference))
    outside = _outside(kb, merged, inference)
    similar = _similarities(inference)
    defaulted = not merged.needs
    needs = matched_needs(merged)
    stand_in = _networks_stand_in(kb, merged, inference, needs, outside)
    needs = (NETWORK_NEED,) if stand_in else needs
    ask = _Ask(kb, merged, inference, needs, _implied_needs(kb, inference), similar, outside)
    short = _shortlist(ask, limit)
    elsewhere: list[Actor] = []  # only asked for in the department, for the needs unserved
    if short is None:
        pool, elsewhere, excluded = _scan(ask, _relevant(kb, needs, similar, inference.named))
        served = {n for n in needs if any(n in c.actor.needs for c in pool)}
    else:
        pool, excluded, served = short
        if len(served) < len(needs) and outside is None:  # only the fallback's actors
            lacking = [n for n in needs if n not in served]
            elsewhere = [a for a in _relevant(kb, lacking, {}, ()) if ask.score(a) is None]
    if stand_in:
        pool, served = _networks_only(ask, pool, served)
    covered: dict[str, int] = {}
    desk = _desk(pool, ask)
    picked = _pick([desk], needs, 1, covered) if desk is not None and limit > 0 else []
    picked += _pick([c for c in pool if c is not desk], needs, limit - len(picked), covered)
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
    if stand_in:
        picked = [_said_why(r, NETWORK_NEED, NO_ADVISER_REASON) for r in picked]
    return MatchResult(
        merged,
        tuple(picked),
        unmet,
        inference,
        defaulted_need=defaulted,
        excluded=tuple(excluded),
        outside_area=outside,
        needs=needs,
    )


def _networks_stand_in(
    kb: KnowledgeBase,
    profile: Profile,
    inference: Inference,
    needs: tuple[str, ...],
    outside: OutsidePlace | None,
) -> bool:
    """Whether the networks stand in for a reception desk: advice is all the person asks (or
    nothing at all), and no actor whose core work is advice covers them (the rest of the
    department, where the sources know only regional networks). Not when the words name a
    structure, or describe one that serves the person best of all or well: that is what they
    ask about; nor for a structure said to be in difficulty, whose route is consolidation (the
    financers that take it at that stage), not a network."""
    if needs != (DEFAULT_NEED,) or inference.named or _said_in_difficulty(profile):
        return False
    if profile.commune is None and outside is None:
        return False  # anywhere in the department: its advisers count
    for rank, (actor_id, likeness) in enumerate(inference.similar):
        described = rank == 0 or likeness >= IMPLIED_SIMILARITY  # the closest, or well described
        actor = kb.actor(actor_id)
        if described and actor and _level(kb, actor, profile.commune, outside) is not None:
            return False
    where = (profile.commune, outside)
    return not _core_here(kb, DEFAULT_NEED, *where) and _core_here(kb, NETWORK_NEED, *where)


@lru_cache(maxsize=4096)
def _core_here(
    kb: KnowledgeBase, need: str, commune: str | None, outside: OutsidePlace | None
) -> bool:
    """Whether an actor whose core work is ``need`` covers this commune (or town elsewhere)."""
    return any(
        kb.actors[p].needs[need] >= PRIMARY
        and _level(kb, kb.actors[p], commune, outside) is not None
        for p in vocabulary(kb).by_need.get(need, ())
    )


def _networks_only(
    ask: _Ask, pool: list[_Candidate], served: set[str]
) -> tuple[list[_Candidate], set[str]]:
    """The networks whose core work it is (not another field's side service), and the needs
    served counting the advice said that some structure here gives, if only on the side."""
    networks = [c for c in pool if c.actor.needs.get(NETWORK_NEED, 0.0) >= PRIMARY]
    said = ask.profile.needs
    if said:
        advisers, _, _ = _scan(replace(ask, needs=said), _relevant(ask.kb, said, {}, ()))
        served = served | {n for n in said if any(n in c.actor.needs for c in advisers)}
    return networks or pool, served


def _said_why(pick: Recommendation, need: str, reason: Reason) -> Recommendation:
    """``pick`` with ``reason`` after its need reasons, when it covers ``need``."""
    if need not in pick.needs_covered:
        return pick
    at = sum(1 for r in pick.reasons if r.key.startswith(NEED_REASONS))
    return replace(pick, reasons=(*pick.reasons[:at], reason, *pick.reasons[at:]))


def _desk(pool: list[_Candidate], ask: _Ask) -> _Candidate | None:
    """The candidate that comes first whatever it gains: the consolidation desk for a structure
    in difficulty, else the reception desk."""
    profile, inference = ask.profile, ask.inference
    return _rescue_desk(pool, profile, inference) or _reception_desk(
        pool, profile, ask.needs, inference
    )


def _reception_desk(
    pool: list[_Candidate],
    profile: Profile,
    needs: tuple[str, ...],
    inference: Inference,
) -> _Candidate | None:
    """The general reception of the person's commune or EPCI, which comes first when general
    advice is all they ask for a project at its start (issue 8 §4), the commune's own before
    its EPCI's; the commune's own desk also comes first, whatever the stage, for needs that are
    all its core work (La Mijoteuse's offices at Colomiers). Not when the words name another
    structure or, no need being said, describe another one's own work."""
    desks = [c for c in pool if RECEPTION_REASON in c.reasons]
    general = needs == (DEFAULT_NEED,) and _early(profile, inference)
    if not general:  # the commune's own desk, for what is its core work
        desks = [c for c in pool if c.actor.reception and c.level == 0 and _core(c.actor, needs)]
    if not desks:
        return None
    ids = {c.actor.id for c in desks}
    closest, likeness = inference.similar[0] if inference.similar else ("", 0.0)
    described = not profile.needs and likeness >= IMPLIED_SIMILARITY and closest not in ids
    if set(inference.named) - ids or described:
        return None
    return _nearest(desks)


def _rescue_desk(
    pool: list[_Candidate], profile: Profile, inference: Inference
) -> _Candidate | None:
    """For a structure said to be in difficulty, the local actor whose own work is
    consolidating them (the DLA where it covers the commune, issue 8 §4), unless the words
    name another structure."""
    if not _said_in_difficulty(profile):
        return None
    desks = [c for c in pool if _local(c.level) and c.actor.rescues]
    if not desks or set(inference.named) - {c.actor.id for c in desks}:
        return None
    return _nearest(desks)


def _nearest(desks: list[_Candidate]) -> _Candidate:
    """The desk nearest the person (the commune's own before its EPCI's), then the best."""
    return min(desks, key=lambda c: (c.level, -c.base, c.actor.id))


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
    """The general reception places of the person's commune or EPCI, if any (in the base's
    order; a reception point is among the actors the coverage index keeps apart)."""
    cover = vocabulary(kb).coverage
    apart = (
        kb.actors
        if cover is None
        else [kb.actors[p] for p in sorted(cover.positions[r] for r in members(cover.apart))]
    )
    return [a for a in apart if a.reception and _local(kb.territory.covering_level(commune, a))]


def covers(kb: KnowledgeBase, actor: Actor, result: MatchResult) -> bool:
    """Whether ``actor``'s territory takes in the person of ``result``."""
    return _level(kb, actor, result.profile.commune, result.outside_area) is not None

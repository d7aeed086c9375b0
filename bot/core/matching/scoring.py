"""Scoring: each actor as a candidate for one request (eligibility, base score, reasons)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from bot.core.knowledge import FEW_STAGES, RESCUE_STAGE, STRENGTHS, Actor, KnowledgeBase
from bot.core.matching.levels import (
    ANYWHERE_LEVEL,
    ELSEWHERE_PENALTY,
    NATIONAL_LEVEL,
    TERRITORY_BONUS,
    TERRITORY_REASONS,
    is_local,
    likely_communes,
    likely_level,
    probably_elsewhere,
    said_elsewhere,
    territory_level,
)
from bot.core.matching.profile import DEFAULT_NEED, NEUTRAL_FORMS, NO_FORM_YET, Profile
from bot.core.matching.results import (
    LIKELY_RECEPTION_REASON,
    RECEPTION_REASON,
    Excluded,
    Reason,
)
from bot.core.reading.choosing import BECOMING_VERBS, COOP_FORMS, COOP_NAMES, COOP_NEED
from bot.core.reading.situation import STAFF, STAFF_ALSO
from bot.core.territory import OutsidePlace
from bot.core.text import fold
from bot.core.understanding import Inference
from bot.core.vocabulary import vocabulary

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
LIKELY_RECEPTION_BONUS = 0.4 * RECEPTION_BONUS  # a desk of where the person likely is: not first
EARLY_STAGES = frozenset({"idea", "building"})  # where first advice is the reception's work
REACHABLE_BONUS = 1.0  # a published contact: as much as a core need (issue 8 §4)
LOCATED_BONUS = 0.4  # it is in the person's commune (``location.communes``)
OFF_LIST_PENALTY = 0.6
UNSAID_FORM_PENALTY = 0.15  # it needs a structure the person has not said they have
RUNNING_ONLY_PENALTY = 0.15  # a project said, no stage: it takes running structures only
UNSAID_STAFF_PENALTY = 0.15  # it needs paid staff the person has not said they have
UNSAID_BARRED_PENALTY = 0.05  # no form said: it bars some (a tie goes to one that takes any)
STAFF_WORDS = ("employe", STAFF)  # lemmas of staff (« salariés », « employeuse », « employees »)
STAFF_VERB = "employ"  # « our non-profit employs five people » (not « employment »)
FOCUS_BONUS = 0.1
KIND_BONUS = STRENGTHS["secondary"]  # the kind of structure asked for: as a side need
PRIMARY = STRENGTHS["primary"]  # a core need (knowledge.STRENGTHS)
NEED_REASONS = "reason.need."
MAX_WORDS_SHOWN = 3
MIN_NAME_WORD = 3  # « des », « de »: no word of a name on their own
SHOWN_WORD_IDF = 1.0  # a word most actors share (« asso ») tells the person nothing


def _outside_lists(actor: Actor, profile: Profile) -> tuple[str, Reason] | None:
    """The stage or legal form of the person that the actor's lists do not include."""
    if profile.stage is not None and profile.stage not in actor.stages:
        return "stage", Reason("why_not.stage", (("stage", profile.stage),))
    if profile.legal_form not in NEUTRAL_FORMS and profile.legal_form not in actor.legal_forms:
        return "legal_form", _form_reason(profile)
    return None


def _form_reason(profile: Profile) -> Reason:
    """Why an actor whose legal-form list lacks the person's is not for them."""
    return Reason("why_not.legal_form", (("legal_form", str(profile.legal_form)),))


def _exclusion(
    actor: Actor,
    profile: Profile,
    needs: tuple[str, ...],
    without_staff: bool = False,
    personal: bool = False,
) -> Reason | None:
    """Why the actor's conditions exclude this profile, or None when they do not.

    The conditions (``not_for``) always apply; the actor's stage and legal-form lists exclude
    an answer the person gave, while one only read from their text lowers the score instead
    (:data:`OFF_LIST_PENALTY`): « monter » may be said of a project long under way, « mon
    projet d'association » of a plan; not having a structure yet, however said, excludes the
    actors that take existing structures only (they do not list it), after their own
    conditions (whose reason says more). For
    ``personal`` needs (a saver's), the legal form excludes nothing."""
    if personal:
        profile = replace(profile, legal_form=None)
    listed = _outside_lists(actor, profile)
    if listed is not None and listed[0] not in profile.inferred:
        return listed[1]
    stage = None if "stage" in profile.inferred else profile.stage
    rule = actor.exclusion(stage, profile.legal_form, needs, without_staff)
    if rule is not None:
        return Reason("why_not.rule", tuple(rule.reason.items()))
    if profile.legal_form == NO_FORM_YET and NO_FORM_YET not in actor.legal_forms:
        return _form_reason(profile)  # « pas encore de structure », even only read: no plan
    return None


class Candidate(NamedTuple):
    actor: Actor
    base: float
    level: int | None
    reasons: tuple[Reason, ...]
    relaxed: bool


def make_candidate(
    kb: KnowledgeBase,
    actor: Actor,
    profile: Profile,
    inference: Inference,
    needs: tuple[str, ...],
    similarity: float,
    outside: OutsidePlace | None,
    *,
    relaxed: bool = False,
) -> Candidate:
    """The actor scored for ``profile``, except for the needs it covers; its reasons in order."""
    level = territory_level(kb, actor, profile.commune, outside)
    score = 0.0
    reasons: list[Reason] = []
    if actor.id in inference.named:
        score += NAMED_BONUS
        reasons.append(Reason("reason.named"))
    if profile.legal_form in actor.members and actor.needs.keys().isdisjoint(needs):
        similarity *= _beyond_form(kb, actor, inference)
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
    likely = likely_here(kb, profile, inference, outside)
    if actor.reception and _receives(actor, profile, inference, needs, level):
        score += RECEPTION_BONUS
        reasons.append(RECEPTION_REASON)
    elif actor.reception and _receives(
        actor, profile, inference, needs, likely_level(kb, actor, likely)
    ):
        score += LIKELY_RECEPTION_BONUS  # no commune said: the desk of where most people are
        reasons.append(LIKELY_RECEPTION_REASON)
    commune = (("commune", profile.commune or ""),)
    if level is not None:
        score += TERRITORY_BONUS[level]
        reasons.append(Reason(TERRITORY_REASONS[level], commune))
    if level != 0 and profile.commune in actor.located_in:  # a commune's own: counted above
        score += LOCATED_BONUS
        reasons.append(Reason("reason.located", commune))
    if actor.reachable:
        score += REACHABLE_BONUS
    if _outside_lists(actor, profile) is not None and not _specialist_of_guess(actor, profile):
        score -= OFF_LIST_PENALTY
    if profile.legal_form is None and NO_FORM_YET not in actor.legal_forms:
        score -= UNSAID_FORM_PENALTY
    if profile.legal_form is None and _bars_forms(actor):
        score -= UNSAID_BARRED_PENALTY
    if _needs_staff(actor) and not _staff_said(inference):
        score -= UNSAID_STAFF_PENALTY
    if profile.stage is None and inference.project and EARLY_STAGES.isdisjoint(actor.stages):
        score -= RUNNING_ONLY_PENALTY  # « un projet de… »
    if probably_elsewhere(kb, actor, likely):
        score -= ELSEWHERE_PENALTY  # no commune said: it likely does not serve the person
    primaries = {n for n, s in actor.needs.items() if s >= PRIMARY}
    if primaries:
        score += FOCUS_BONUS * len(primaries.intersection(needs)) / len(primaries)
    return Candidate(actor, score, level, tuple(reasons), relaxed)


def _specialist_of_guess(actor: Actor, profile: Profile) -> bool:
    """Whether the person's stage is only guessed from a verb (« monter », « démarrer ») and
    a need they say is the actor's core work: the specialist of a precise need is not put
    behind a generalist by a guess (issue 8 §4: funding, the financers)."""
    said = [n for n in profile.needs if n != DEFAULT_NEED]
    return "stage" in profile.inferred and any(actor.core(n) for n in said)


def _bars_forms(actor: Actor) -> bool:
    """Whether the actor's conditions leave out some legal forms whatever is asked (IéS: no
    association; the CPCA: associations only)."""
    return any(rule.legal_forms and not rule.unless_needs for rule in actor.not_for)


def _needs_staff(actor: Actor) -> bool:
    """Whether the actor's conditions leave out a structure that employs nobody (the DLA)."""
    return any(rule.without_staff for rule in actor.not_for)


def _staff_said(inference: Inference) -> bool:
    """Whether the words speak of paid staff (« nos 3 salariés », « asso employeuse »)."""
    return any(
        t.startswith(STAFF_WORDS) or t in STAFF_ALSO or t == STAFF_VERB for t in inference.terms
    )


def _beyond_form(kb: KnowledgeBase, actor: Actor, inference: Inference) -> float:
    """The share of the actor's closeness to the words left once the words of the legal form
    said are set aside. For the network of that form's members asked for none of its needs:
    the form already counts in its bonus (« notre SCIC » is the word of the cooperatives'
    union, not a sign that a SCIC asking for a loan asks for that union)."""
    said = set(inference.evidence.get("legal_form", "").split())
    if not said:
        return 1.0
    index = vocabulary(kb).index
    position = vocabulary(kb).position[actor.id]
    terms = set(inference.terms)
    whole = index.score(sorted(terms), position)
    if whole <= 0:
        return 1.0
    form = sum(index.weight(t, position) for t in terms if t in said)
    return 1.0 - form / whole


def likely_here(
    kb: KnowledgeBase, profile: Profile, inference: Inference, outside: OutsidePlace | None
) -> tuple[str, ...]:
    """The communes where the person most likely is when they name none (or a postal code
    that several share)."""
    shared = tuple(c.insee for c in inference.shared_postal)
    return likely_communes(kb, profile.commune, outside, shared)


def _receives(
    actor: Actor, profile: Profile, inference: Inference, needs: tuple[str, ...], level: int | None
) -> bool:
    """Whether the reception desk ``actor`` is where this request starts: general advice for a
    project at its start, near the person, and no other structure named (« le Mouvement des
    entrepreneurs sociaux, à Toulouse » asks for that movement, not a first conversation)."""
    named_others = set(inference.named) - {actor.id}
    return (
        DEFAULT_NEED in needs and early(profile, inference) and is_local(level) and not named_others
    )


def early(profile: Profile, inference: Inference) -> bool:
    """Whether the project is at its start: an early stage said, or no stage (or one only
    guessed from a verb) and no structure said (« notre asso », « notre SCOP » with no stage
    speak of a structure already running) unless the words call it a project of theirs (« un
    bar associatif, voilà mon projet »)."""
    unsure = profile.stage is None or "stage" in profile.inferred
    no_structure = profile.legal_form in (None, NO_FORM_YET) or inference.project
    return profile.stage in EARLY_STAGES or (unsure and no_structure)


def _shown_words(kb: KnowledgeBase, actor: Actor, inference: Inference) -> str:
    """The person's own words that brought this actor up (for « vous avez écrit … »)."""
    vocab = vocabulary(kb)
    position = vocab.position[actor.id]
    terms = vocab.index.matched(inference.terms, position, SHOWN_WORD_IDF) or (
        vocab.index.matched(inference.terms, position)  # only common words: still the reason
    )
    matched = terms[:MAX_WORDS_SHOWN]
    return ", ".join(inference.wording.get(lemma, lemma) for lemma in matched)


def need_key(candidate: Candidate, need: str) -> str:
    """How the actor covers the need: its core work, a side service, or from elsewhere (then
    the results also say that nothing here covers it: both are true, neither contradicts)."""
    if candidate.relaxed:
        return "reason.need.elsewhere"
    return "reason.need.primary" if candidate.actor.core(need) else "reason.need.secondary"


def similarities(inference: Inference) -> dict[str, float]:
    """Each similar actor's BM25 score relative to the closest one, that one counting fully
    only when the words are close enough (:data:`SIMILARITY_FULL`)."""
    return _relative(inference.similar)


def _relative(similar: Sequence[tuple[str, float]]) -> dict[str, float]:
    """The scores of :func:`similarities`, for ``similar`` (best first)."""
    if not similar:
        return {}
    top = similar[0][1]
    confidence = min(1.0, top / SIMILARITY_FULL)
    return {actor_id: confidence * score / top for actor_id, score in similar}


def implied_needs(kb: KnowledgeBase, inference: Inference) -> tuple[str, ...]:
    """The primary needs of the actor the words describe best, when they describe it well:
    « que la SARL appartienne à ceux qui y travaillent » asks for a cooperative. Not for an
    actor the words name: « l'URSCOP peut nous aider ? » asks it, not for what it does, so its
    conditions still apply to an association in difficulty. Nor for a person who says what
    structure they are and no change of it (« is the SCOP union right for us? we're a volunteer
    association »): they ask whether the actor takes them as they are, a wish they never said
    cannot lift its conditions (« transformer notre SARL… » says one)."""
    if not inference.similar or inference.similar[0][1] < IMPLIED_SIMILARITY:
        return ()
    if inference.similar[0][0] in inference.named:
        return ()
    if _keeps_form(inference):
        return ()
    actor = kb.actors[vocabulary(kb).position[inference.similar[0][0]]]
    return tuple(n for n, s in actor.needs.items() if s >= PRIMARY)


def _keeps_form(inference: Inference) -> bool:
    """Whether the person says what structure they are and no wish to change it."""
    return inference.legal_form_is_sure and BECOMING_VERBS.isdisjoint(inference.terms)


def _coop_union_words(kb: KnowledgeBase) -> frozenset[str]:
    """The words that name a network of cooperatives before the cooperative word itself
    (« Union Régionale des SCOP » → union, regionale)."""
    words: set[str] = set()
    for actor in kb.actors:
        if COOP_FORMS & actor.members:
            name = fold(actor.name).split()
            first = next((i for i, w in enumerate(name) if w in COOP_NAMES), 0)
            words.update(w for w in name[:first] if len(w) > MIN_NAME_WORD)
    return frozenset(words)


def lifting_needs(
    kb: KnowledgeBase, inference: Inference, needs: tuple[str, ...]
) -> tuple[str, ...]:
    """The needs that can lift an actor's conditions: not the cooperative status read only
    from the cooperatives' network named (« que l'union des SCOP nous conseille, mais on
    reste une asso ») by a structure of another form that keeps it: naming that union is no
    wish to become one of its members."""
    named_only = (
        _keeps_form(inference)
        and inference.legal_form not in COOP_FORMS
        and inference.evidence.get(f"need:{COOP_NEED}") in COOP_NAMES
        and not _coop_union_words(kb).isdisjoint(inference.terms)
    )
    return tuple(n for n in needs if not (named_only and n == COOP_NEED))


def relevant(
    kb: KnowledgeBase, needs: Iterable[str], similar: dict[str, float], named: tuple[str, ...]
) -> list[Actor]:
    """The actors that cover a need, or that the words name or describe, in the base's order."""
    vocab = vocabulary(kb)
    positions = {p for n in needs for p in vocab.by_need.get(n, ())}
    positions.update(vocab.position[a] for a in (*similar, *named) if a in vocab.position)
    return [kb.actors[p] for p in sorted(positions)]


@dataclass(frozen=True)
class Ask:
    """One request as matching reads it: the merged profile and what the words brought."""

    kb: KnowledgeBase
    profile: Profile
    inference: Inference
    needs: tuple[str, ...]
    implied: tuple[str, ...]
    similar: dict[str, float]
    outside: OutsidePlace | None
    kinds: frozenset[str] = frozenset()  # of the actors asked for that exclude the person

    def described(self, actor: Actor) -> bool:
        """Whether the words name the actor or describe it best of all, and well
        (:data:`IMPLIED_SIMILARITY`: « une asso de quartier » shares two words with the
        régies de quartier, it does not describe one)."""
        closest = self.inference.similar[:1]
        return actor.id in self.inference.named or any(
            a == actor.id and likeness >= IMPLIED_SIMILARITY for a, likeness in closest
        )

    def own_work(self, actor: Actor) -> bool:
        """Whether the words name or describe the actor, or a need said is its core work and
        that of national actors only (savings: Finansol, seen from anywhere)."""
        national = vocabulary(self.kb).national_needs
        return self.described(actor) or any(
            n in national and actor.core(n) for n in self.profile.needs
        )

    def score(self, actor: Actor) -> Candidate | Excluded | None:
        """The actor as a candidate, or why it is excluded, or None when it is elsewhere."""
        personal = bool(self.needs) and set(self.needs) <= self.kb.taxonomy.personal
        needs = lifting_needs(self.kb, self.inference, self.needs + self.implied)
        why_not = _exclusion(actor, self.profile, needs, self.inference.without_staff, personal)
        if why_not is not None:
            return Excluded(actor, why_not)
        level = territory_level(self.kb, actor, self.profile.commune, self.outside)
        if level is not None and said_elsewhere(
            self.kb, actor, self.profile.commune, self.inference
        ):
            level = None  # « dans le Sicoval », « 31320 »: none of the communes said
        if level is None and actor.id in self.inference.named and not self.profile.commune:
            level = None if self.outside else ANYWHERE_LEVEL  # asked for by name, no place said
        if level is None or (level == NATIONAL_LEVEL and self.outside and not self.own_work(actor)):
            return None  # a national network far from here: only for what is its own work
        similarity = self.similar.get(actor.id, 0.0)
        found = make_candidate(
            self.kb, actor, self.profile, self.inference, self.needs, similarity, self.outside
        )
        if actor.kind in self.kinds:
            return found._replace(base=found.base + KIND_BONUS)
        return found


def beside_barred(ask: Ask) -> Ask:
    """The request with what an actor asked for, whose conditions exclude the person, leaves
    behind: the others' closeness to the words is measured against the closest of them, not
    against an actor the person names (« the DLA » with no paid staff, « l'URSCOP » for a
    SARL: words about an actor never shown must not make every other one look far); and the
    actors of its kind (« la chambre régionale de l'ESS », a network: the other networks that
    take them) get :data:`KIND_BONUS`, for one named or described well (:data:`IMPLIED_SIMILARITY`).
    An actor only described stays the yardstick: its words are what the person asks (« un
    investisseur solidaire »)."""
    vocab = vocabulary(ask.kb)
    similar = ask.inference.similar
    closest = [a for a, likeness in similar[:1] if likeness >= IMPLIED_SIMILARITY]
    asked = [vocab.position[a] for a in dict.fromkeys((*ask.inference.named, *closest))]
    barred = [ask.kb.actors[p] for p in asked if isinstance(ask.score(ask.kb.actors[p]), Excluded)]
    if not barred:
        return ask
    named = {a.id for a in barred}.intersection(ask.inference.named)
    kept = _relative([(a, score) for a, score in similar if a not in named])
    return replace(ask, similar=kept, kinds=frozenset(a.kind for a in barred))


def scan(ask: Ask, actors: Iterable[Actor]) -> tuple[list[Candidate], list[Actor], list[Excluded]]:
    """Every actor scored: the candidates, those elsewhere, those excluded (in that order)."""
    pool: list[Candidate] = []
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

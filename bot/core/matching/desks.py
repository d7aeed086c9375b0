"""The desks that come first whatever they gain: the reception, the consolidation desk, the
network of the person's own structure."""

from __future__ import annotations

from bot.core.bitmaps import members
from bot.core.knowledge import RESCUE_STAGE, Actor, KnowledgeBase
from bot.core.matching.levels import is_local
from bot.core.matching.profile import DEFAULT_NEED, Profile, said_in_difficulty
from bot.core.matching.results import RECEPTION_REASON
from bot.core.matching.scoring import IMPLIED_SIMILARITY, Ask, Candidate, early
from bot.core.understanding import Inference
from bot.core.vocabulary import vocabulary

CONSOLIDATION_NEED = "funding"  # where no local desk consolidates: the financers of that stage


def front_desk(pool: list[Candidate], ask: Ask) -> Candidate | None:
    """The candidate that comes first whatever it gains: the consolidation desk for a structure
    in difficulty, else the reception desk, else the network of the person's own structure,
    else the national actor whose core work is a need said that only national ones do."""
    profile, inference = ask.profile, ask.inference
    return (
        _rescue_desk(pool, profile, inference)
        or _reception_desk(pool, ask)
        or _members_desk(pool, ask)
        or _national_desk(pool, ask)
    )


def _reception_desk(pool: list[Candidate], ask: Ask) -> Candidate | None:
    """The general reception of the person's commune or EPCI, which comes first when general
    advice is all they ask for a project at its start (issue 8 §4), the commune's own before
    its EPCI's; the commune's own desk also comes first, whatever the stage, for needs that are
    all its core work (La Mijoteuse's offices at Colomiers). Not when the words name another
    structure or, no need being said, describe another one's own work."""
    profile, inference, needs = ask.profile, ask.inference, ask.needs
    desks = [c for c in pool if RECEPTION_REASON in c.reasons]
    start = early(profile, inference)
    if start and needs != (DEFAULT_NEED,) and not _specialist_at_stage(pool, ask):
        desks = [c for c in pool if c.actor.reception and is_local(c.level)]
    elif needs != (DEFAULT_NEED,) or not start:  # the commune's own desk, for its core work
        desks = [c for c in pool if c.actor.reception and c.level == 0 and _core(c.actor, needs)]
    if not desks:
        return None
    ids = {c.actor.id for c in desks}
    closest, likeness = inference.similar[0] if inference.similar else ("", 0.0)
    described = not profile.needs and likeness >= IMPLIED_SIMILARITY and closest not in ids
    if set(inference.named) - ids or described:
        return None
    return _nearest(desks)


def _specialist_at_stage(pool: list[Candidate], ask: Ask) -> bool:
    """Whether some candidate does a need asked (or implied by the words) as its core work and
    takes projects at the person's stage, or is described by the words when the stage is only
    guessed. Where none does (a loan for a mere idea: the financers take projects under way),
    the local reception, which orients towards the schemes of support and funding
    (« orientation vers les dispositifs de soutien et de financement », 000, 2018), comes
    first for a project at its start."""
    stage, guessed = ask.profile.stage, "stage" in ask.profile.inferred
    asked = [n for n in (*ask.needs, *ask.implied) if n != DEFAULT_NEED]
    return any(
        c.actor.core(n)
        and (stage is None or stage in c.actor.stages or (guessed and ask.described(c.actor)))
        for c in pool
        for n in asked
    )


def _rescue_desk(pool: list[Candidate], profile: Profile, inference: Inference) -> Candidate | None:
    """For a structure said to be in difficulty, the local actor whose own work is
    consolidating them (the DLA where it covers the commune, issue 8 §4); in a commune no such
    desk covers, the financer whose own work is funding structures at that stage (their route
    is consolidating their finances, not a network); unless the words name another structure."""
    if not said_in_difficulty(profile):
        return None
    desks = [c for c in pool if is_local(c.level) and c.actor.rescues]
    if not desks and profile.commune is not None:
        desks = [c for c in pool if _consolidates(c.actor, profile.needs)]
    return _nearest_unless_another_named(desks, inference)


def _members_desk(pool: list[Candidate], ask: Ask) -> Candidate | None:
    """For a structure whose legal form is said (not guessed), the network that serves
    structures of that form as its members (URSCOP: « elle appuie et conseille les
    coopératives adhérentes », 003, 2012), when advice is among what the person asks (a
    SCOP's governance, new associates) and it does all of it (joining the CRESS is the CRESS's
    own work); not for a structure in difficulty (the consolidation desk's work, checked
    before), nor when the words name another structure."""
    form = ask.profile.legal_form
    if form is None or "legal_form" in ask.profile.inferred or DEFAULT_NEED not in ask.needs:
        return None
    desks = [
        c for c in pool if form in c.actor.members and all(n in c.actor.needs for n in ask.needs)
    ]
    return _nearest_unless_another_named(desks, ask.inference)


def _national_desk(pool: list[Candidate], ask: Ask) -> Candidate | None:
    """When all the person asks is work that only national actors do as their core work
    (savings: Finansol), the one whose core work it is, before those that do it on the side
    however near (« placer mon épargne » at Ramonville: Finansol before IéS); unless the words
    name another structure."""
    said = ask.profile.needs
    if not said or not set(said) <= vocabulary(ask.kb).national_needs:
        return None
    desks = [c for c in pool if _core(c.actor, said)]
    return _nearest_unless_another_named(desks, ask.inference)


def _consolidates(actor: Actor, said: tuple[str, ...]) -> bool:
    """Whether ``actor`` finances structures in difficulty as its own work and does all the
    person asked for (« nos salaires », not « l'insertion » they ask about)."""
    return (
        actor.core(CONSOLIDATION_NEED)
        and RESCUE_STAGE in actor.stages
        and all(n in actor.needs for n in said)
    )


def _core(actor: Actor, needs: tuple[str, ...]) -> bool:
    """Whether every need asked is core work (primary) of ``actor``."""
    return all(actor.core(n) for n in needs)


def _nearest_unless_another_named(desks: list[Candidate], inference: Inference) -> Candidate | None:
    """The nearest of ``desks``, unless there is none or the words name another structure."""
    if not desks or set(inference.named) - {c.actor.id for c in desks}:
        return None
    return _nearest(desks)


def _nearest(desks: list[Candidate]) -> Candidate:
    """The desk nearest the person (the commune's own before its EPCI's), then the best."""
    return min(desks, key=lambda c: (c.level, -c.base, c.actor.id))


def reception_points(kb: KnowledgeBase, commune: str | None) -> list[Actor]:
    """The general reception places of the person's commune or EPCI, if any (in the base's
    order; a reception point is among the actors the coverage index keeps apart)."""
    cover = vocabulary(kb).coverage
    apart = (
        kb.actors
        if cover is None
        else [kb.actors[p] for p in sorted(cover.positions[r] for r in members(cover.apart))]
    )
    return [a for a in apart if a.reception and is_local(kb.territory.covering_level(commune, a))]

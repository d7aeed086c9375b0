"""``recommend``: a profile's ranked, explained recommendations (the steps in order)."""

from __future__ import annotations

from dataclasses import replace

from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.matching.desks import front_desk
from bot.core.matching.levels import outside_area
from bot.core.matching.networks import NETWORK_NEED, networks_only, networks_stand_in, said_why
from bot.core.matching.picking import pick
from bot.core.matching.preselect import shortlist
from bot.core.matching.profile import DEFAULT_NEED, Profile, explicit, matched_needs, merge
from bot.core.matching.results import NO_ADVISER_REASON, Excluded, MatchResult
from bot.core.matching.scoring import (
    Ask,
    beside_barred,
    implied_needs,
    make_candidate,
    relevant,
    scan,
    similarities,
)
from bot.core.understanding import Inference, understand

FALLBACK_LIMIT = 2


def recommend(kb: KnowledgeBase, profile: Profile, limit: int = 10) -> MatchResult:
    """Rank actors for ``profile`` (its text understood and merged in); at most ``limit``."""
    inference = understand(profile.text, kb, profile.lang) if profile.text.strip() else Inference()
    merged = merge(profile, inference)
    outside = outside_area(kb, merged, inference)
    if not (explicit(profile) or inference.about_project):
        return MatchResult(merged, (), (), inference, outside_area=outside)
    similar = similarities(inference)
    defaulted = not merged.needs
    needs = own_needs(kb, matched_needs(merged), read=not profile.needs)
    stand_in = networks_stand_in(kb, merged, inference, needs, outside)
    needs = (NETWORK_NEED,) if stand_in else needs
    ask = Ask(kb, merged, inference, needs, implied_needs(kb, inference), similar, outside)
    ask = beside_barred(ask)
    similar = ask.similar
    short = shortlist(ask, limit)
    elsewhere: list[Actor] = []  # only asked for in the department, for the needs unserved
    if short is None:
        pool, elsewhere, excluded = scan(ask, relevant(kb, needs, similar, inference.named))
        served = {n for n in needs if any(n in c.actor.needs for c in pool)}
    else:
        pool, excluded, served = short
        if len(served) < len(needs) and outside is None:  # only the fallback's actors
            lacking = [n for n in needs if n not in served]
            elsewhere = [a for a in relevant(kb, lacking, {}, ()) if ask.score(a) is None]
    if stand_in:
        pool, served = networks_only(ask, pool, served)
    covered: dict[str, int] = {}
    desk = front_desk(pool, ask)
    picked = pick([desk], needs, 1, covered) if desk is not None and limit > 0 else []
    picked += pick([c for c in pool if c is not desk], needs, limit - len(picked), covered)
    unserved = tuple(n for n in needs if n not in served)
    if unserved and len(picked) < limit and outside is None:
        # Nothing here fits these needs: the nearest actors of the department, flagged as such
        # (never for someone outside it: a structure around Toulouse cannot serve Bordeaux).
        near = [
            make_candidate(
                kb, a, merged, inference, unserved, similar.get(a.id, 0.0), outside, relaxed=True
            )
            for a in elsewhere
            if any(n in a.needs for n in unserved)
        ]
        picked += pick(near, unserved, min(FALLBACK_LIMIT, limit - len(picked)), covered)
    if (
        all(r.relaxed for r in picked)
        and excluded
        and merged.needs
        and DEFAULT_NEED not in merged.needs
    ):
        return _advised_instead(kb, merged, inference, tuple(excluded), limit)
    if outside is not None and not outside.in_region and not defaulted:
        # Only the national networks are left there: one that shares a word with the text but
        # does nothing of what is asked (« asso de quartier » and the régies de quartier, for
        # a funding) is no help.
        picked = [r for r in picked if r.needs_covered]
    unmet = tuple(n for n in merged.needs if n not in served)
    if stand_in:
        picked = [said_why(r, NETWORK_NEED, NO_ADVISER_REASON) for r in picked]
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


def own_needs(kb: KnowledgeBase, needs: tuple[str, ...], read: bool) -> tuple[str, ...]:
    """The needs that are the person's own: beside a personal need ``read`` from their words
    (placing savings), those the taxonomy flags ``invested`` say what the money is to do (« des
    entreprises d'ici qui créent de l'emploi »), not something the saver needs."""
    taxonomy = kb.taxonomy
    if not read or taxonomy.personal.isdisjoint(needs):
        return needs
    return tuple(n for n in needs if n not in taxonomy.invested)


def _advised_instead(
    kb: KnowledgeBase,
    merged: Profile,
    inference: Inference,
    excluded: tuple[Excluded, ...],
    limit: int,
) -> MatchResult:
    """When every actor here that does what the person asks excludes them (« une couveuse
    pour notre SCOP de douze ans ? », « qui investit dans une simple idée ? »), the actors that
    advise them instead of the nearest ones elsewhere; what they asked stays unmet, and why
    those actors are not for them is kept."""
    advised = recommend(kb, replace(merged, needs=(DEFAULT_NEED,)), limit)
    kept = {e.actor.id for e in excluded}
    return replace(
        advised,
        profile=merged,
        unmet_needs=merged.needs,
        inference=inference,
        excluded=excluded + tuple(e for e in advised.excluded if e.actor.id not in kept),
    )

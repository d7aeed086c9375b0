"""Territory levels: how narrowly an actor covers the person (0 commune … 4 national)."""

from __future__ import annotations

from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.matching.profile import Profile
from bot.core.matching.results import MatchResult
from bot.core.territory import DEFAULT_TERRITORY, NATIONAL_AREA, REGION_AREA, OutsidePlace
from bot.core.understanding import Inference

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
ELSEWHERE_PENALTY = 0.4  # no commune said: an actor that likely does not serve the person


def territory_level(
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
        if outside.territory == actor.territory and actor.areas - {REGION_AREA, NATIONAL_AREA}:
            return ANYWHERE_LEVEL  # « dans le Tarn »: somewhere in the base's Tarn territory
        if REGION_AREA in actor.areas and kb.territory.in_region(
            actor.territory, outside.department
        ):
            return REGION_LEVEL
        national = NATIONAL_AREA in actor.areas and not outside.abroad  # French networks
        return NATIONAL_LEVEL if national else None
    if actor.areas - {REGION_AREA, NATIONAL_AREA} and actor.territory == DEFAULT_TERRITORY:
        return ANYWHERE_LEVEL
    return kb.territory.covering_level(None, actor)


def likely_communes(
    kb: KnowledgeBase, commune: str | None, outside: OutsidePlace | None, shared: tuple[str, ...]
) -> tuple[str, ...]:
    """Where a person who names no commune most likely is: one of the communes of the postal
    code they gave (``shared``), else the territory's most populous commune, which most of them
    live in or come through (Toulouse for Haute-Garonne: evaluation/CASES.md); none when they
    name a commune or a town elsewhere."""
    if commune is not None or outside is not None:
        return ()
    if shared:
        return shared
    main = kb.territory.main_commune
    return (main.insee,) if main else ()


def likely_level(kb: KnowledgeBase, actor: Actor, likely: tuple[str, ...]) -> int | None:
    """How narrowly the actor covers the communes where the person most likely is
    (:func:`likely_communes`), None when it covers none of them."""
    levels = [kb.territory.covering_level(c, actor) for c in likely]
    return min((level for level in levels if level is not None), default=None)


def probably_elsewhere(kb: KnowledgeBase, actor: Actor, likely: tuple[str, ...]) -> bool:
    """Whether an actor of part of the territory (the Sicoval's EPCI) serves none of the
    communes where the person most likely is (:func:`likely_communes`)."""
    if not likely or actor.areas & {REGION_AREA, NATIONAL_AREA, actor.territory}:
        return False
    return all(kb.territory.covering_level(c, actor) is None for c in likely)


def said_elsewhere(
    kb: KnowledgeBase, actor: Actor, commune: str | None, inference: Inference
) -> bool:
    """Whether the communes the person's words give (an EPCI named, a postal code that several
    share: not a guess) all lie outside the actor's territory: it does not cover them, as for
    a commune said."""
    said = tuple(c.insee for c in inference.shared_postal)
    return commune is None and probably_elsewhere(kb, actor, said)


def is_local(level: int | None) -> bool:
    """Whether an actor of that territory level is in the person's commune or EPCI."""
    return level is not None and level <= LOCAL_LEVEL


def outside_area(kb: KnowledgeBase, profile: Profile, inference: Inference) -> OutsidePlace | None:
    """Where outside Haute-Garonne the person is (None when in it, or unknown)."""
    if profile.commune is not None:
        return None
    if inference.outside_area is not None:
        return inference.outside_area
    if profile.outside is None:
        return None
    return kb.territory.elsewhere.department(profile.outside)


def covers(kb: KnowledgeBase, actor: Actor, result: MatchResult) -> bool:
    """Whether ``actor``'s territory takes in the person of ``result``."""
    return territory_level(kb, actor, result.profile.commune, result.outside_area) is not None

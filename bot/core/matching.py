"""Matching: from a project holder's profile to a few ranked, explained recommendations.

Pure and deterministic. An actor is *eligible* when it covers the commune (or region),
serves the stage and the legal form; its score adds the needs it covers (primary counts
more), its fit, the narrowness of its territory and the free-text keywords it matches.
Results are picked greedily so that several needs get covered rather than one need thrice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.text import fold
from bot.core.understanding import Inference, understand

NEUTRAL_STAGES = frozenset({None})
NEUTRAL_FORMS = frozenset({None, "undecided", "other"})
TERRITORY_BONUS = (0.5, 0.35, 0.2, 0.1, 0.0)
STAGE_BONUS = 0.3
FORM_BONUS = 0.2
SPECIALIST_BONUS = 0.15
SPECIALIST_MAX_FORMS = 3
KEYWORD_BONUS = 0.35
KEYWORD_SCORE = 90.0
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


def _keyword_hits(actor: Actor, folded_text: str) -> tuple[str, ...]:
    if not folded_text:
        return ()
    hits = []
    for keyword in actor.keywords:
        folded = fold(keyword)
        if len(folded) >= 4 and fuzz.partial_ratio(folded, folded_text) >= KEYWORD_SCORE:
            hits.append(keyword)
    return tuple(hits[:2])


def _fits(actor: Actor, profile: Profile) -> tuple[bool, bool]:
    stage_ok = profile.stage in NEUTRAL_STAGES or profile.stage in actor.stages
    form_ok = profile.legal_form in NEUTRAL_FORMS or profile.legal_form in actor.legal_forms
    return stage_ok, form_ok


def _base(
    actor: Actor, profile: Profile, level: int | None, keywords: tuple[str, ...]
) -> tuple[float, list[Reason]]:
    score = 0.0
    reasons: list[Reason] = []
    if profile.stage and profile.stage in actor.stages:
        score += STAGE_BONUS
        reasons.append(Reason("reason.stage", (("stage", profile.stage),)))
    if profile.legal_form not in NEUTRAL_FORMS and profile.legal_form in actor.legal_forms:
        score += FORM_BONUS
        if len(actor.legal_forms) <= SPECIALIST_MAX_FORMS:
            score += SPECIALIST_BONUS
        reasons.append(Reason("reason.legal_form", (("legal_form", str(profile.legal_form)),)))
    if level is not None:
        score += TERRITORY_BONUS[level]
        reasons.append(Reason(f"reason.territory.{level}", (("commune", profile.commune or ""),)))
    if keywords:
        score += KEYWORD_BONUS
        reasons.append(Reason("reason.keywords", (("words", ", ".join(keywords)),)))
    return score, reasons


@dataclass
class _Candidate:
    actor: Actor
    base: float
    reasons: list[Reason]
    level: int | None
    relaxed: bool


def _candidates(
    kb: KnowledgeBase, profile: Profile, needs: tuple[str, ...], folded_text: str
) -> tuple[list[_Candidate], list[_Candidate]]:
    strict: list[_Candidate] = []
    relaxed: list[_Candidate] = []
    for actor in kb.actors:
        if not any(n in actor.needs for n in needs):
            continue
        level = kb.territory.covering_level(profile.commune, actor.communes, actor.areas)
        stage_ok, form_ok = _fits(actor, profile)
        base, reasons = _base(actor, profile, level, _keyword_hits(actor, folded_text))
        fits = level is not None and stage_ok and form_ok
        (strict if fits else relaxed).append(_Candidate(actor, base, reasons, level, not fits))
    return strict, relaxed


def _pick(
    pool: list[_Candidate], needs: tuple[str, ...], limit: int, covered: dict[str, int]
) -> list[Recommendation]:
    picked: list[Recommendation] = []
    remaining = list(pool)
    while remaining and len(picked) < limit:

        def gain(c: _Candidate) -> float:
            need_part = sum(
                c.actor.needs.get(n, 0.0) * (COVERED_AGAIN if covered.get(n) else 1.0)
                for n in needs
            )
            return need_part + c.base

        best = min(remaining, key=lambda c: (-round(gain(c), 9), c.actor.id))
        remaining.remove(best)
        score = round(gain(best), 4)
        covers = tuple(n for n in needs if n in best.actor.needs)
        for n in covers:
            covered[n] = covered.get(n, 0) + 1
        need_reasons = tuple(
            Reason(
                "reason.need.primary" if best.actor.needs[n] >= 1.0 else "reason.need.secondary",
                (("need", n),),
            )
            for n in covers
        )
        picked.append(
            Recommendation(
                best.actor,
                score,
                covers,
                need_reasons + tuple(best.reasons),
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
    strict, relaxed = _candidates(kb, merged, needs, fold(profile.text))
    covered: dict[str, int] = {}
    picked = _pick(strict, needs, limit, covered)
    served = {n for c in strict for n in needs if n in c.actor.needs}
    unserved = tuple(n for n in needs if n not in served)
    if unserved and len(picked) < limit:
        # Nothing fits these needs exactly: offer the nearest actors, flagged as such,
        # those that cover the person's commune first.
        fallback = [c for c in relaxed if any(n in c.actor.needs for n in unserved)]
        local = [c for c in fallback if c.level is not None]
        picked += _pick(local or fallback, unserved, min(2, limit - len(picked)), covered)
    unmet = tuple(n for n in merged.needs if n not in served)
    return MatchResult(merged, tuple(picked), unmet, inference, defaulted_need=not merged.needs)


def top_ids(results: Iterable[Recommendation], count: int = 3) -> list[str]:
    """The ids of the first ``count`` recommendations."""
    return [r.actor.id for r in list(results)[:count]]

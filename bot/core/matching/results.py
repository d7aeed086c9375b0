"""What matching gives back: the recommendations, why each fits, who is left out and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.knowledge import Actor
from bot.core.matching.profile import Profile, explicit
from bot.core.territory import OutsidePlace
from bot.core.understanding import Inference


@dataclass(frozen=True)
class Reason:
    """Why an actor fits, as a message key and its values (rendered by the catalogue)."""

    key: str
    values: tuple[tuple[str, str], ...] = ()


RECEPTION_REASON = Reason("reason.reception")  # the general reception for first advice
LIKELY_RECEPTION_REASON = Reason("reason.reception.likely")  # that of where the person likely is
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
    needs: tuple[str, ...] = ()  # the needs matched (:func:`matched_needs`, the networks, or
    # advice when every actor for the needs said excludes the person)

    @property
    def understood(self) -> bool:
        """False when there was nothing to go on (no answer, and the text said nothing)."""
        return bool(self.recommendations) or explicit(self.profile)

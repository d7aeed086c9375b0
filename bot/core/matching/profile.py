"""What the person told us, merged with what their words said, and the needs matched."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.knowledge import RESCUE_STAGE
from bot.core.territory import UNKNOWN_DEPARTMENT
from bot.core.understanding import Inference

NO_FORM_YET = "undecided"
NEUTRAL_FORMS = frozenset({None, NO_FORM_YET, "other"})  # no form bonus, no list penalty
UNLISTED_FORMS = frozenset({None, "other"})  # what the actors' lists say nothing of (one that
# does not list « no structure yet » takes existing structures only: scoring._exclusion)
DEFAULT_NEED = "advice"
OUTSIDE_UNKNOWN = UNKNOWN_DEPARTMENT


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


def explicit(profile: Profile) -> bool:
    """Whether the person answered anything: a stage, a legal form, needs or a commune."""
    return bool(profile.stage or profile.legal_form or profile.needs or profile.commune)


def merge(profile: Profile, inference: Inference) -> Profile:
    """Explicit answers win; what the text said fills the blanks (and is marked inferred)."""
    read = {
        name
        for name, given, said in (
            ("stage", profile.stage, inference.stage and not inference.stage_is_sure),
            (
                "legal_form",
                profile.legal_form,
                inference.legal_form and not inference.legal_form_is_sure,
            ),
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


def matched_needs(profile: Profile) -> tuple[str, ...]:
    """The needs matched: those said, else advice; a structure said to be in difficulty is
    advised too, whatever else it asks (few of those it asks for take it at that stage)."""
    needs = profile.needs or (DEFAULT_NEED,)
    rescue = said_in_difficulty(profile)
    return (*needs, DEFAULT_NEED) if rescue and DEFAULT_NEED not in needs else needs


def said_in_difficulty(profile: Profile) -> bool:
    """Whether the person said (not only let guess) that their structure is in difficulty."""
    return profile.stage == RESCUE_STAGE and "stage" not in profile.inferred

"""The demand-log record: what is kept of one conversation (pseudonymised, minimal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Outcome(StrEnum):
    """How a conversation ended (or that it has not yet)."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    RESTARTED = "restarted"


class Feedback(StrEnum):
    """The answer to « Cette orientation vous aide-t-elle ? »."""

    USEFUL = "useful"
    NOT_USEFUL = "not_useful"


@dataclass
class ConversationRecord:
    """One row of the demand log. ``user`` is a keyed pseudonym, never a Telegram id."""

    id: str
    user: str
    started_at: datetime
    updated_at: datetime
    source: str | None = None
    lang: str = "fr"
    outcome: Outcome = Outcome.IN_PROGRESS
    ended_at: datetime | None = None
    stage: str | None = None
    legal_form: str | None = None
    needs: tuple[str, ...] = ()
    commune: str | None = None
    inferred: tuple[str, ...] = ()
    recommended: tuple[str, ...] = ()
    unmet_needs: tuple[str, ...] = ()
    feedback: Feedback | None = None
    free_text: str | None = None
    synthetic: bool = False
    territory: str | None = None  # the commune's territory (None: unknown or elsewhere)

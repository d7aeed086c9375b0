"""What a follow-up is: its answers, its status and the row kept for one orientation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple


class Answer(StrEnum):
    """The person's answer about one structure (one tap)."""

    REACHED = "reached"
    """Reached and helped."""
    NO_ANSWER = "no_answer"
    """Tried, no answer."""
    NOT_YET = "not_yet"
    WRONG = "wrong"
    """Not the right structure."""


SETTLED = frozenset({Answer.REACHED, Answer.WRONG})
"""Answers after which a structure is not asked about again."""


class Status(StrEnum):
    """Where the follow-ups of one orientation stand."""

    DECLINED = "declined"
    """« Non merci »: nothing scheduled."""
    SCHEDULED = "scheduled"
    SENDING = "sending"
    """Follow-up number ``sent + 1`` is being sent: marked, in its own commit, before the one
    request goes. Found at start, it was in flight at a crash: it counts as sent (at most once)."""
    DONE = "done"
    """Every follow-up sent (or nothing left to ask)."""
    STOPPED = "stopped"
    """« Ne plus me relancer »."""
    BLOCKED = "blocked"
    """The person blocked the bot (Telegram answered 403): cancelled silently."""


@dataclass(frozen=True)
class Followup:
    """The follow-ups of one orientation. ``user`` is the pseudonym; ``chat`` the sealed chat
    id (:mod:`bot.chatseal`), kept only while a follow-up is scheduled."""

    conversation_id: str
    user: str
    lang: str
    actors: tuple[str, ...]
    offered_at: datetime
    status: Status
    sent: int = 0
    """Follow-ups sent so far."""
    due_at: datetime | None = None
    """When the next one falls due (None when none is left)."""
    chat: bytes | None = None


@dataclass(frozen=True)
class Given:
    """One answer about one structure, in follow-up number ``round``."""

    conversation_id: str
    actor: str
    user: str
    round: int
    answer: Answer
    at: datetime


class Offered(NamedTuple):
    """What the reports read of one orientation's follow-ups."""

    conversation_id: str
    status: Status
    sent: int

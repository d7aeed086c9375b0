"""The demand-log row of a conversation: its own fields, then what each step of the registry
adds (:meth:`Step.logged <bot.core.dialogue.steps.base.Step.logged>`)."""

from __future__ import annotations

from datetime import datetime

from bot.core.dialogue.registry import STEPS
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import Logged
from bot.core.records import ConversationRecord, Outcome


def record_of(
    state: DialogueState,
    user: str,
    now: datetime,
    outcome: Outcome | None = None,
    territory: str | None = None,
) -> ConversationRecord:
    """The demand-log row for ``state`` (outcome derived unless given) in ``territory``."""
    if outcome is None:
        outcome = Outcome.COMPLETED if state.completed else Outcome.IN_PROGRESS
    logged: Logged = {}
    for step in STEPS:
        logged.update(step.logged(state))
    return ConversationRecord(
        id=state.conversation_id,
        user=user,
        started_at=datetime.fromisoformat(state.started_at),
        updated_at=now,
        source=state.source,
        lang=state.lang,
        outcome=outcome,
        ended_at=now if outcome != Outcome.IN_PROGRESS else None,
        inferred=state.inferred,
        territory=territory,
        **logged,
    )

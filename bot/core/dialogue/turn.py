"""The outcome of one event."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.dialogue.events import Reply
from bot.core.dialogue.state import DialogueState
from bot.handoff.mail import Request


@dataclass
class Turn:
    """The new state, what to say, the conversations that ended, and a hand-off to send."""

    state: DialogueState
    replies: list[Reply] = field(default_factory=list)
    closed: list[DialogueState] = field(default_factory=list)
    handoff: Request | None = None

"""The outcome of one event."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.dialogue.events import Reply
from bot.core.dialogue.state import DialogueState


@dataclass
class Turn:
    """The new state, what to say, and the conversations that ended."""

    state: DialogueState
    replies: list[Reply] = field(default_factory=list)
    closed: list[DialogueState] = field(default_factory=list)

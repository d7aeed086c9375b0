"""The outcome of one event."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.dialogue.events import Reply
from bot.core.dialogue.state import DialogueState
from bot.handoff.mail import Request


class Ask(StrEnum):
    """What a step needs the service to do with the person's stored data before it answers;
    the service tells what it did with a :data:`~bot.core.dialogue.events.Done` event."""

    MY_DATA = "my_data"
    """List it: answered by :class:`~bot.core.dialogue.events.Stored`."""
    ERASE = "erase"
    """Erase all of it: answered by :class:`~bot.core.dialogue.events.Erased`."""


@dataclass
class Turn:
    """The new state, what to say, the conversations that ended, a hand-off to send, and what
    the service must do with the stored data first (``asks``)."""

    state: DialogueState
    replies: list[Reply] = field(default_factory=list)
    closed: list[DialogueState] = field(default_factory=list)
    handoff: Request | None = None
    asks: Ask | None = None

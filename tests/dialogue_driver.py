"""A small driver for the dialogue engine in tests: press buttons by label, type text."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.catalogue import to_plain
from bot.core.dialogue.engine import Dialogue
from bot.core.dialogue.events import Button, Event, Press, Reply, Start, Text
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.turn import Turn

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class Driver:
    """Keeps the state and the last replies of one conversation."""

    def __init__(self, dialogue: Dialogue) -> None:
        self.dialogue = dialogue
        self.state: DialogueState | None = None
        self.replies: list[Reply] = []
        self.closed: list[DialogueState] = []

    def send(self, event: Event) -> Turn:
        turn = self.dialogue.handle(self.state, event, NOW)
        self.state = turn.state
        self.replies = turn.replies
        self.closed += turn.closed
        return turn

    def start(self, payload: str | None = None) -> Turn:
        return self.send(Start(payload))

    def type(self, text: str) -> Turn:
        return self.send(Text(text))

    @property
    def buttons(self) -> list[Button]:
        return [b for r in self.replies for row in r.buttons for b in row]

    def button(self, label: str) -> Button:
        found = [b for b in self.buttons if label.lower() in b.label.lower()]
        assert found, f"no button «{label}» among {[b.label for b in self.buttons]}"
        return found[0]

    def press(self, label: str) -> Turn:
        return self.send(Press(self.button(label).data))

    @property
    def text(self) -> str:
        return "\n".join(to_plain(r.text) for r in self.replies)

    @property
    def current(self) -> DialogueState:
        assert self.state is not None
        return self.state

"""What the person does (events) and what the dialogue answers (replies)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.catalogue import Markup
from bot.core.records import ConversationRecord


@dataclass(frozen=True)
class Start:
    """``/start``, with the deep-link payload naming where the person came from."""

    payload: str | None = None


@dataclass(frozen=True)
class Text:
    """A typed message."""

    text: str


@dataclass(frozen=True)
class Press:
    """A button press; ``data`` is the button's data as received (untrusted)."""

    data: str


@dataclass(frozen=True)
class Command:
    """Any other ``/command`` (name without the slash, lower-case)."""

    name: str
    args: str = ""


@dataclass(frozen=True)
class Unsupported:
    """A sticker, photo, voice note, file… (``kind`` names it)."""

    kind: str


Event = Start | Text | Press | Command | Unsupported


@dataclass(frozen=True)
class Stored:
    """What the service found stored about the person: their conversations (None: the database
    did not answer), the lines its follow-ups and hand-offs write, and how long all is kept."""

    conversations: tuple[ConversationRecord, ...] | None
    lines: tuple[Markup, ...] = ()
    retention_days: int = 0


@dataclass(frozen=True)
class Erased:
    """The person's data erased: how many conversations (None: nothing could be erased), and
    whether no copy is left in the database's journal."""

    conversations: int | None
    complete: bool = True


Done = Stored | Erased
"""What the service did with the stored data, as a step asked (``Turn.asks``)."""


def read_command(text: str) -> Start | Command:
    """``/Name@bot args`` → ``Command("name", "args")``; ``/start payload`` → ``Start``."""
    head, _, rest = text.partition(" ")
    name, args = head.lstrip("/").split("@", 1)[0].lower(), rest.strip()
    return Start(args or None) if name == "start" else Command(name, args)


@dataclass(frozen=True)
class Button:
    """An answer the person can tap: a label and its (≤ 64 bytes) data."""

    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    """One message to show. ``edit`` asks to replace the message whose button was pressed."""

    text: Markup
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False

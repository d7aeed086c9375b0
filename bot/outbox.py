"""Replies owed to a Telegram update, kept in the inbox until they are sent (JSON).

The turn that answers an update is committed with its replies; they are sent afterwards, each
Bot API message taken off as soon as Telegram answered it. If the bot dies in between, the next
start sends what is left: an acknowledged message is always answered, and only the message in
flight at the kill may come twice (see :mod:`bot.adapters.telegram.inbox`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.catalogue import Markup
from bot.core.dialogue.events import Button, Reply
from bot.jsontext import dumps


@dataclass(frozen=True)
class Delivery:
    """Where the replies to one update go: its ``update_id``, the chat, the pressed message."""

    update_id: int
    chat_id: int
    pressed: int | None = None


def dump(delivery: Delivery, replies: Sequence[Reply]) -> str:
    """The replies owed for ``delivery`` as JSON."""
    return dumps(
        {
            "chat_id": delivery.chat_id,
            "pressed": delivery.pressed,
            "replies": [
                {
                    "text": str(reply.text),
                    "buttons": [[[b.label, b.data] for b in row] for row in reply.buttons],
                    "edit": reply.edit,
                }
                for reply in replies
            ],
        }
    )


def load(update_id: int, text: str) -> tuple[Delivery, list[Reply]]:
    """What :func:`dump` wrote."""
    data = json.loads(text)
    replies = [
        Reply(
            Markup(item["text"]),
            tuple(
                tuple(Button(str(label), str(value)) for label, value in row)
                for row in item["buttons"]
            ),
            bool(item["edit"]),
        )
        for item in data["replies"]
    ]
    return Delivery(update_id, int(data["chat_id"]), data["pressed"]), replies

"""Run a PTB Application with no network: synthetic updates for the in-process Bot API.

The request itself, :class:`LocalBotRequest`, is shared with the tests
(``tests/support/local_bot_api.py``); see there how to build an application on it.
"""

from __future__ import annotations

import time
from typing import Any

from telegram import Bot, Update

from tests.support.local_bot_api import BENCH_TOKEN, BOT_USER, LocalBotRequest

__all__ = [
    "BENCH_TOKEN",
    "BOT_USER",
    "LocalBotRequest",
    "make_callback_updates",
    "make_text_updates",
]


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "fr"}


def _private_message(
    message_id: int, user_id: int, now: int, sender: dict[str, Any], text: str
) -> dict[str, Any]:
    chat = {"id": user_id, "type": "private", "first_name": f"User{user_id}"}
    return {"message_id": message_id, "date": now, "chat": chat, "from": sender, "text": text}


def make_text_updates(
    bot: Bot, n: int, *, first_update_id: int = 1, users: int = 100, text: str = "bonjour"
) -> list[Update]:
    """``n`` private text messages from ``users`` users in turn, ids from ``first_update_id``."""
    now = int(time.time())
    updates = []
    for i in range(n):
        user_id = 1_000 + i % users
        message = _private_message(i + 1, user_id, now, _user(user_id), text)
        updates.append(Update.de_json({"update_id": first_update_id + i, "message": message}, bot))
    return updates


def make_callback_updates(
    bot: Bot, n: int, *, first_update_id: int = 1, users: int = 100, data: str = "yes"
) -> list[Update]:
    """``n`` button presses (callback queries on a bot message) from ``users`` users in turn."""
    now = int(time.time())
    updates = []
    for i in range(n):
        user_id = 1_000 + i % users
        message = _private_message(i + 1, user_id, now, BOT_USER, "Choisissez :")
        query = {
            "id": str(first_update_id + i),
            "chat_instance": f"ci{user_id}",
            "from": _user(user_id),
            "data": data,
            "message": message,
        }
        update = {"update_id": first_update_id + i, "callback_query": query}
        updates.append(Update.de_json(update, bot))
    return updates

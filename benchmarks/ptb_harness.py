"""Run a PTB Application with no network: an in-process Bot API and synthetic updates.

``Application.builder().token(BENCH_TOKEN).request(LocalBotRequest())
.get_updates_request(LocalBotRequest()).updater(None).build()`` gives an application whose
``await app.process_update(update)`` goes through PTB's whole request path (parameter encoding,
JSON decoding, object building) but is answered locally.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

from telegram import Bot, Update
from telegram.request import BaseRequest, RequestData

BENCH_TOKEN = "123:ABC"
BOT_USER: dict[str, Any] = {
    "id": 123,
    "is_bot": True,
    "first_name": "Aiguillage (bench)",
    "username": "aiguillage_bench_bot",
}


class LocalBotRequest(BaseRequest):
    """A ``BaseRequest`` answering every Bot API call in-process, counting calls per method.

    getMe returns :data:`BOT_USER`; sendMessage and editMessageText return a valid Message;
    getUpdates returns no update; every other method returns ``true``.
    """

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._message_id = 0

    @property
    def read_timeout(self) -> float | None:
        """No I/O, so no timeout."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer ``url``'s Bot API method with HTTP 200 and a Telegram-shaped JSON body."""
        endpoint = url.rsplit("/", 1)[-1]
        self.calls[endpoint] += 1
        params = request_data.parameters if request_data is not None else {}
        result: Any = True
        if endpoint == "getMe":
            result = BOT_USER
        elif endpoint == "getUpdates":
            result = []
        elif endpoint in ("sendMessage", "editMessageText"):
            result = self._message(params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        if "message_id" in params:
            message_id = params["message_id"]
        else:
            self._message_id += 1
            message_id = self._message_id
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": params["chat_id"], "type": "private"},
            "from": BOT_USER,
            "text": params["text"],
        }


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

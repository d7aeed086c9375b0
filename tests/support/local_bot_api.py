"""Bot API requests answered in-process: no socket, no HTTP, PTB's whole request path otherwise.

:class:`LocalBotRequest` answers every call by itself (the benchmarks: ``Application.builder()
.token(BENCH_TOKEN).request(LocalBotRequest()).get_updates_request(LocalBotRequest())
.updater(None).build()`` then ``await app.process_update(update)``); :class:`FakeApiRequest`
hands each call to a :class:`~support.fake_bot_api.FakeBotApi`, for adapter tests that need
its state (messages, buttons, uploads, faults) but not its HTTP server. Telegram's rules both
follow (an edit that changes nothing is refused, the shape of an error) are here, so that the
benchmarks need not import the fake's HTTP server (aiohttp: about 11 MB of the bot's RSS).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from telegram.request import BaseRequest, RequestData

if TYPE_CHECKING:
    from support.fake_bot_api import FakeBotApi

BENCH_TOKEN = "123:ABC"
BOT_USER: dict[str, Any] = {
    "id": 123,
    "is_bot": True,
    "first_name": "Aiguillage (bench)",
    "username": "aiguillage_bench_bot",
}


class ApiError(Exception):
    """Raised by a method handler to answer with a Telegram error."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def bad_request(reason: str) -> ApiError:
    """Telegram's 400 with ``reason``."""
    return ApiError(400, f"Bad Request: {reason}")


def edited(old: dict[str, Any], params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    """Message ``old`` as an edit with ``params`` leaves it (``content``: its new text, if any),
    or the error Telegram answers when nothing would change (400 « message is not modified »)."""
    new = {k: v for k, v in old.items() if k != "reply_markup"} | content
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        new["reply_markup"] = markup
    if {k: v for k, v in new.items() if k != "edit_date"} == {
        k: v for k, v in old.items() if k != "edit_date"
    }:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    return new | {"edit_date": int(time.time())}


def error_body(status: int, description: str, retry_after: int | None = None) -> dict[str, Any]:
    """The JSON body of a Bot API error."""
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body


class LocalBotRequest(BaseRequest):
    """A ``BaseRequest`` answering every Bot API call in-process, counting calls per method.

    getMe returns :data:`BOT_USER`; sendMessage and editMessageText return a valid Message,
    with the ``reply_markup`` sent as Telegram echoes it; an edit that changes nothing of a
    chat's last message is refused as Telegram does (400 « message is not modified »), an edit
    of an earlier message or of one never sent here (a synthetic button press) is taken as it
    comes (one message a chat is kept: memory stays flat however many people); getUpdates
    returns no update; every other method returns ``true``.
    """

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._message_id = 0
        self._last: dict[int, dict[str, Any]] = {}
        """The last message of each chat, as it stands."""

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
        """Count the call of ``url``'s Bot API method, then :meth:`answer` it."""
        endpoint = url.rsplit("/", 1)[-1]
        self.calls[endpoint] += 1
        return await self.answer(endpoint, request_data)

    async def answer(self, endpoint: str, request_data: RequestData | None) -> tuple[int, bytes]:
        """HTTP 200 and a Telegram-shaped JSON body."""
        params = request_data.parameters if request_data is not None else {}
        result: Any = True
        if endpoint == "getMe":
            result = BOT_USER
        elif endpoint == "getUpdates":
            result = []
        elif endpoint in ("sendMessage", "editMessageText"):
            try:
                result = self._message(params)
            except ApiError as error:
                return error.status, json.dumps(
                    error_body(error.status, error.description)
                ).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        """The message sent, or edited, as Telegram answers it."""
        if "message_id" in params:
            message_id = params["message_id"]
        else:
            self._message_id += 1
            message_id = self._message_id
        chat = int(params["chat_id"])
        old = self._last.get(chat)
        if old is not None and old["message_id"] == message_id:
            message = edited(old, params, {"text": params["text"]})
        else:
            message = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": params["chat_id"], "type": "private"},
                "from": BOT_USER,
                "text": params["text"],
            }
            if "reply_markup" in params:
                message["reply_markup"] = params["reply_markup"]
        self._last[chat] = message
        return message


class FakeApiRequest(LocalBotRequest):
    """Every call answered by ``api`` (a fake Bot API that need not be serving HTTP)."""

    def __init__(self, api: FakeBotApi) -> None:
        super().__init__()
        self.api = api

    async def answer(self, endpoint: str, request_data: RequestData | None) -> tuple[int, bytes]:
        """The fake's answer, with uploaded files kept as over HTTP."""
        params: dict[str, Any] = {}
        if request_data is not None:
            params.update(request_data.parameters)
            for name, (filename, content, content_type) in request_data.multipart_data.items():
                params[name] = self.api.upload(str(filename), content_type or "", content)
        status, body = await self.api.answer(endpoint, params)
        return status, json.dumps(body).encode()

"""Bot API requests answered in-process: no socket, no HTTP, PTB's whole request path otherwise.

:class:`LocalBotRequest` answers every call by itself (the benchmarks: ``Application.builder()
.token(BENCH_TOKEN).request(LocalBotRequest()).get_updates_request(LocalBotRequest())
.updater(None).build()`` then ``await app.process_update(update)``); :class:`FakeApiRequest`
hands each call to a :class:`~support.fake_bot_api.FakeBotApi`, for adapter tests that need
its state (messages, buttons, uploads, faults) but not its HTTP server.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from telegram.request import BaseRequest, RequestData

from .fake_bot_api import ApiError, edited, error_body

if TYPE_CHECKING:
    from support.fake_bot_api import FakeBotApi

BENCH_TOKEN = "123:ABC"
BOT_USER: dict[str, Any] = {
    "id": 123,
    "is_bot": True,
    "first_name": "Aiguillage (bench)",
    "username": "aiguillage_bench_bot",
}


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

"""The lean Bot API path (:func:`bot.adapters.telegram.rendering.call`): the same request as
PTB's own, Telegram's answer as it came, Telegram's errors as PTB's exceptions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from support.local_bot_api import BENCH_TOKEN, LocalBotRequest
from telegram.error import BadRequest
from telegram.ext import Application
from telegram.request import RequestData

from bot.adapters.telegram.rendering import call


class Recording(LocalBotRequest):
    """Keeps the JSON fields of every request, as an HTTP request would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: list[dict[str, str]] = []

    async def answer(self, endpoint: str, request_data: RequestData | None) -> tuple[int, bytes]:
        assert request_data is not None and not request_data.contains_files
        self.posted.append(request_data.json_parameters)
        return await super().answer(endpoint, request_data)


async def test_a_call_posts_what_ptb_posts_and_returns_the_answer_as_it_came() -> None:
    request = Recording()
    app = Application.builder().token(BENCH_TOKEN).request(request).updater(None).build()
    parameters: dict[str, Any] = {
        "chat_id": 7,
        "text": "<b>Où en est votre projet ?</b> ✓",
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
        "reply_markup": {"inline_keyboard": [[{"text": "Idée", "callback_data": "0|s|idea"}]]},
    }
    async with app:
        request.posted.clear()  # getMe
        sent = json.loads(await call(app.bot, "sendMessage", parameters))["result"]
        await app.bot.do_api_request("sendMessage", api_kwargs=parameters)
        assert request.posted[0] == request.posted[1], "the very fields PTB posts"
        assert isinstance(sent, dict) and sent["reply_markup"] == parameters["reply_markup"]
        edit = parameters | {"message_id": sent["message_id"] + 1, "text": "✓ Idée"}
        await call(app.bot, "editMessageText", edit)
        with pytest.raises(BadRequest, match="not modified"):
            await call(app.bot, "editMessageText", edit)
        answered = await call(app.bot, "answerCallbackQuery", {"callback_query_id": "42"})
        assert json.loads(answered) == {"ok": True, "result": True}
    assert request.calls["sendMessage"] == 2 and request.calls["editMessageText"] == 2

"""Replies of the dialogue turned into Bot API calls: new messages, or edits of a pressed one.

The dialogue's replies go out as the Bot API's own JSON, posted by the bot's own request object
(:func:`call`): the keyboard is a plain mapping and Telegram's answer is not parsed (into a
``Message``, or even from JSON): nobody reads it. Built as PTB objects, then serialised, and
the echoed message parsed back, they took about half of an update's CPU;
``Bot.do_api_request`` (its defaults filled in, every value converted) still took twice the
time of the post itself (60–70 against 30 µs a message, 2026-12-04). Errors are PTB's own
(``BadRequest``, ``RetryAfter``…), raised by the request object as for any call.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.adapters.telegram.delivery import deliver
from bot.adapters.telegram.splitting import messages
from bot.core.dialogue.events import Button, Reply

log = logging.getLogger(__name__)
NOT_MODIFIED = "message is not modified"
PARSE_MODE = ParseMode.HTML
NO_LINK_PREVIEW = LinkPreviewOptions(is_disabled=True)
"""How every message is formatted (also the application's PTB ``Defaults``)."""
_FORMAT = {"parse_mode": PARSE_MODE.value, "link_preview_options": NO_LINK_PREVIEW.to_dict()}

JSONDict = dict[str, Any]


async def call(bot: Bot, endpoint: str, parameters: JSONDict) -> bytes:
    """Bot API method ``endpoint`` with ``parameters`` (Bot API JSON), posted by the bot's
    request object as ``Bot`` posts its own calls (the same URL, timeouts, JSON encoding of each
    field and errors); Telegram's answer as it came (JSON bytes), never parsed.

    ``RequestParameter`` is PTB's internal class for one field: made here straight from a plain
    JSON value (no files, nothing to convert), where ``Bot`` would first fill in its defaults
    and convert every value. ``_request_wrapper`` is what ``BaseRequest.post`` runs before it
    parses the answer: the request, and Telegram's errors (any status but 2xx) raised as PTB's
    exceptions; the answer to a call that worked, the message echoed with its keyboard, is not
    read (a message with 12 buttons: 26 µs a call with its decoding, 17 without, against the
    in-process Bot API, 2026-12-04). PTB may change either in a minor version
    (``pyproject.toml`` pins the major one): every Telegram test sends through here, so a
    change shows there at once.
    """
    data = RequestData([RequestParameter(name, value, None) for name, value in parameters.items()])
    return await bot.request._request_wrapper(f"{bot.base_url}/{endpoint}", "POST", data)


def inline_keyboard(rows: Sequence[Sequence[Button]]) -> JSONDict | None:
    """The inline keyboard of a reply as Bot API JSON (None without buttons)."""
    if not rows:
        return None
    return {
        "inline_keyboard": [
            [{"text": b.label, "callback_data": b.data} for b in row] for row in rows
        ]
    }


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """The same keyboard as a PTB object, for PTB's typed methods."""
    markup = inline_keyboard(rows)
    return None if markup is None else InlineKeyboardMarkup.de_json(markup, None)


async def show(bot: Bot, chat_id: int, replies: Sequence[Reply], pressed: int | None) -> bool:
    """Send ``replies`` in order, a long one as several messages (:func:`messages`); an ``edit``
    reply replaces message ``pressed`` when there is one. Whether a new message was sent (one
    sent again would be seen twice; an edit sent again changes nothing).

    An unchanged edit is dropped quietly; an edit Telegram refuses (message too old or gone)
    becomes a new message, so the person always sees the answer. Passing failures are retried
    (:mod:`delivery`); a lasting one is logged and the remaining replies are still tried.
    """
    sent = False
    for part in [part for reply in replies for part in messages(reply)]:
        markup = inline_keyboard(part.buttons)
        edited = part.edit and pressed is not None
        if not (
            edited and pressed is not None and await _edit(bot, chat_id, pressed, part.text, markup)
        ):
            await _send(bot, chat_id, part.text, markup)
            sent = True
    return sent


def _message(chat_id: int, text: str, markup: JSONDict | None) -> JSONDict:
    """The parameters of a message: chat, text, formatting and keyboard if any."""
    message = {"chat_id": chat_id, "text": text, **_FORMAT}
    if markup is not None:
        message["reply_markup"] = markup
    return message


async def _send(bot: Bot, chat_id: int, text: str, markup: JSONDict | None) -> None:
    await deliver(
        "sendMessage",
        lambda: call(bot, "sendMessage", _message(chat_id, text, markup)),
        idempotent=False,
    )


async def _edit(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: JSONDict | None
) -> bool:
    """Edit the pressed message; False when Telegram refuses, so a new message is sent."""
    edit = _message(chat_id, text, markup) | {"message_id": message_id}
    try:
        await deliver(
            "editMessageText", lambda: call(bot, "editMessageText", edit), idempotent=True
        )
    except BadRequest as error:
        if NOT_MODIFIED in error.message.lower():
            return True
        log.info("edit refused (%s): sending a new message", error.message)
        return False
    return True

"""Replies of the dialogue turned into Bot API calls: new messages, or edits of a pressed one."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.adapters.telegram.delivery import deliver
from bot.adapters.telegram.splitting import split
from bot.core.dialogue.events import Button, Reply

log = logging.getLogger(__name__)
NOT_MODIFIED = "message is not modified"


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a reply (None without buttons)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


async def show(bot: Bot, chat_id: int, replies: Sequence[Reply], pressed: int | None) -> None:
    """Send ``replies`` in order; an ``edit`` reply replaces message ``pressed`` when there is one.

    An unchanged edit is dropped quietly; an edit Telegram refuses (message too old or gone)
    becomes a new message, so the person always sees the answer. Passing failures are retried
    (:mod:`delivery`); a lasting one is logged and the remaining replies are still tried.
    """
    for reply in replies:
        markup = keyboard(reply.buttons)
        *before, last = split(reply.text)
        for piece in before:
            await _send(bot, chat_id, piece, None)
        edited = not before and reply.edit and pressed is not None
        if not (
            edited and pressed is not None and await _edit(bot, chat_id, pressed, last, markup)
        ):
            await _send(bot, chat_id, last, markup)


async def _send(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
    await deliver(
        "sendMessage",
        lambda: bot.send_message(chat_id, text, reply_markup=markup),
        idempotent=False,
    )


async def _edit(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> bool:
    """Edit the pressed message; False when Telegram refuses, so a new message is sent."""
    try:
        await deliver(
            "editMessageText",
            lambda: bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            ),
            idempotent=True,
        )
    except BadRequest as error:
        if NOT_MODIFIED in error.message.lower():
            return True
        log.info("edit refused (%s): sending a new message", error.message)
        return False
    return True

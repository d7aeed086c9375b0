"""Replies of the dialogue turned into Bot API calls: new messages, or edits of a pressed one."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

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
    becomes a new message, so the person always sees the answer.
    """
    for reply in replies:
        markup = keyboard(reply.buttons)
        if reply.edit and pressed is not None:
            try:
                await bot.edit_message_text(
                    reply.text, chat_id=chat_id, message_id=pressed, reply_markup=markup
                )
                continue
            except BadRequest as error:
                if NOT_MODIFIED in error.message.lower():
                    continue
                log.info("edit refused (%s): sending a new message", error.message)
        await bot.send_message(chat_id, reply.text, reply_markup=markup)

"""Replies of the dialogue turned into Bot API calls: new messages, or edits of a pressed one."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.core.dialogue.events import Button, Reply

log = logging.getLogger(__name__)
NOT_MODIFIED = "message is not modified"
MAX_LENGTH = 4096


def split(text: str, limit: int = MAX_LENGTH) -> list[str]:
    """``text`` cut into messages of at most ``limit`` characters, at paragraph or line ends.

    Catalogue markup never spans a line, so every piece stays valid HTML.
    """
    pieces: list[str] = []
    current = ""
    for whole_line in text.split("\n"):
        line = whole_line
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    pieces.append(current)
    return [p for p in pieces if p.strip()] or [text[:limit]]


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
        *before, last = split(reply.text)
        for piece in before:
            await bot.send_message(chat_id, piece)
        if before:
            await bot.send_message(chat_id, last, reply_markup=markup)
            continue
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

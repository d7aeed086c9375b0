"""The person's side: PTB updates become dialogue events, the service answers, replies are shown.

No state lives here: the dialogue engine keeps it and the service saves it in SQLite, which is
why a conversation survives a restart of the bot.
"""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.adapters.telegram.delivery import deliver
from bot.adapters.telegram.rendering import call, show
from bot.adapters.telegram.runtime import Runtime
from bot.core.catalogue import language_of
from bot.core.dialogue.events import Event, Press, Reply, Start, Text, Unsupported, read_command
from bot.flood import Verdict
from bot.outbox import Delivery
from bot.service import Who

log = logging.getLogger(__name__)

MAX_CALLBACK_BYTES = 64
STALE_PRESS = ""
"""Button data the engine cannot parse, so it answers « this button is no longer active »."""
UNSUPPORTED_KINDS = (
    "sticker",
    "animation",
    "photo",
    "video_note",
    "video",
    "voice",
    "audio",
    "document",
    "venue",
    "location",
    "contact",
    "poll",
    "dice",
    "story",
)
"""Message contents the dialogue cannot read, most specific first (a venue is also a location)."""


def kind_of(message: Message) -> str:
    """What a non-text message holds (``other`` when none of the known kinds)."""
    return next((kind for kind in UNSUPPORTED_KINDS if getattr(message, kind, None)), "other")


def addressed_to(message: Message, username: str) -> bool:
    """Whether a group message is a command for this bot or mentions it."""
    mention = f"@{username}".lower()
    text = message.text or ""
    if text.startswith("/") and any(
        e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in message.entities
    ):
        head = text.split(maxsplit=1)[0]
        return "@" not in head or head[head.index("@") :].lower() == mention
    mentions = message.parse_entities([MessageEntity.MENTION]).values()
    return any(value.lower() == mention for value in mentions)


async def answer(bot: Bot, query: CallbackQuery) -> None:
    """Stop the button's spinner; a query Telegram already expired is not an error for us."""
    parameters = {"callback_query_id": query.id}
    try:
        await deliver(
            "answerCallbackQuery",
            lambda: call(bot, "answerCallbackQuery", parameters),
            idempotent=True,
            attempts=2,
        )
    except BadRequest as error:
        log.info("callback query not answered: %s", error.message)


class Conversation:
    """Handlers for the person's private chat, and the one answer given in groups."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def throttle(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """First handler group: an update over the sender's flood limit goes no further (the
        first one gets a notice). Group messages not for the bot are not counted."""
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if chat is None:
            return
        if chat.type != ChatType.PRIVATE and (
            message is None or not addressed_to(message, context.bot.username)
        ):
            return
        who = Who(user.id if user else chat.id, user.language_code if user else None)
        runtime = self.runtime
        verdict = runtime.flood.check(runtime.service.pseudonym(who), runtime.service.clock())
        if verdict == Verdict.OK:
            return
        if verdict == Verdict.WARN:
            notice = runtime.service.cat.text(language_of(who.language_code), "flood")
            await show(context.bot, chat.id, [Reply(notice)], None)
        raise ApplicationHandlerStop

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/start [payload]``: the payload names where the person came from."""
        await self.turn(update, context, Start(" ".join(context.args or ()) or None))

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other command, known or not: the dialogue decides."""
        message = update.effective_message
        if message is not None and message.text:
            await self.turn(update, context, read_command(message.text))

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A typed message."""
        message = update.effective_message
        if message is not None and message.text is not None:
            await self.turn(update, context, Text(message.text))

    async def unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A sticker, photo, voice note…: a short explanation and the question again."""
        message = update.effective_message
        if message is not None:
            await self.turn(update, context, Unsupported(kind_of(message)))

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press, answered first; over-long (forged) data is handled as a stale button."""
        query = update.callback_query
        if query is None:
            return
        await answer(context.bot, query)
        message = query.message
        if message is None or message.chat.type != ChatType.PRIVATE:
            return
        data = query.data or STALE_PRESS
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            data = STALE_PRESS
        await self.turn(update, context, Press(data), pressed=message.message_id)

    async def elsewhere(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """In a group or channel, a command or mention for the bot gets a private-chat link."""
        message = update.effective_message
        username = context.bot.username
        if message is None or not addressed_to(message, username):
            return
        user = update.effective_user
        link = f"https://t.me/{username}"
        text = self.runtime.service.cat.text(
            language_of(user.language_code if user else None), "group_only_private", link=link
        )
        await context.bot.send_message(message.chat_id, text)

    async def turn(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        event: Event,
        pressed: int | None = None,
    ) -> None:
        """Run ``event`` through the service for the sender and show the replies in the chat."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        delivery = Delivery(update.update_id, chat.id, pressed)
        replies = await self.runtime.handle(Who(user.id, user.language_code), event, delivery)
        await self.runtime.inbox.deliver(context.bot, delivery, replies)

"""Failures: logged without the bot token, and the person told when it can be done."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.adapters.telegram.runtime import Runtime
from bot.core.catalogue import language_of

log = logging.getLogger(__name__)
HIDDEN = "<token>"


def without_token(text: str, token: str | None) -> str:
    """``text`` with the token's secret part (after the colon) masked."""
    secret = (token or "").partition(":")[2]
    return text.replace(secret, HIDDEN) if secret else text


class TokenFilter(logging.Filter):
    """Masks the bot token in every record a handler emits, tracebacks included.

    Request URLs hold the token; a library logging one (or an exception quoting one) must not
    leak it into the logs.
    """

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` in place; never drops it."""
        message = record.getMessage()
        masked = without_token(message, self.token)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = without_token(record.exc_text, self.token)
        return True


def hide_token_in_logs(token: str) -> None:
    """Attach a :class:`TokenFilter` to every handler of the root logger."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(TokenFilter(token))


class ErrorReporter:
    """PTB error handler: logs the failure, then apologises to the person in a private chat."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def report(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log ``context.error`` (type and masked traceback) and send the ``error`` message."""
        error = context.error
        details = "".join(traceback.format_exception(error)) if error else ""
        log.error(
            "%s while handling an update: %s",
            type(error).__name__,
            without_token(details, self.runtime.settings.token),
        )
        if not isinstance(update, Update):
            return
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or chat.type != ChatType.PRIVATE:
            return
        text = self.runtime.service.cat.text(language_of(user.language_code), "error")
        try:
            await context.bot.send_message(chat.id, text)
        except TelegramError as failure:
            log.warning("could not send the error message: %s", type(failure).__name__)

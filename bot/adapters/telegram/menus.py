"""The command menus Telegram shows: the public one (French, English) and the coordinators'."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.core.catalogue import DEFAULT_LANGUAGE, bundled, to_plain

log = logging.getLogger(__name__)

PUBLIC_MENU = {
    "fr": (
        ("start", "menu.start"),
        ("aide", "menu.help"),
        ("recommencer", "menu.restart"),
        ("langue", "menu.language"),
        ("mesdonnees", "menu.mydata"),
        ("oubli", "menu.forget"),
    ),
    "en": (
        ("start", "menu.start"),
        ("help", "menu.help"),
        ("restart", "menu.restart"),
        ("language", "menu.language"),
        ("mydata", "menu.mydata"),
        ("forget", "menu.forget"),
    ),
}
"""Each language's commands and the catalogue key of their description."""
COORDINATOR_MENU = (("stats", "menu.stats"), ("export", "menu.export"), ("lien", "menu.link"))


def commands(entries: Iterable[tuple[str, str]], lang: str) -> list[BotCommand]:
    """``(command, description key)`` pairs as Bot API commands described in ``lang``."""
    return [BotCommand(name, to_plain(bundled().text(lang, key))) for name, key in entries]


async def announce_commands(bot: Bot, coordinators: Iterable[int]) -> None:
    """Set the public menu (French by default and for ``fr``, English for ``en``), then a
    coordinator menu in each coordinator's own chat (skipped, with a warning, if Telegram
    refuses it, e.g. before the coordinator's first message to the bot)."""
    scope = BotCommandScopeDefault()
    default = DEFAULT_LANGUAGE
    await bot.set_my_commands(commands(PUBLIC_MENU[default], default), scope=scope)
    for lang, entries in PUBLIC_MENU.items():
        await bot.set_my_commands(commands(entries, lang), scope=scope, language_code=lang)
    coordinator_menu = commands((*PUBLIC_MENU[default], *COORDINATOR_MENU), default)
    for user_id in coordinators:
        try:
            await bot.set_my_commands(coordinator_menu, scope=BotCommandScopeChat(user_id))
        except TelegramError as error:
            log.warning("coordinator menu not set for one coordinator: %s", error.message)

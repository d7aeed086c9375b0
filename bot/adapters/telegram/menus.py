"""The command menus Telegram shows: the public one (French, English) and the coordinators'."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.core.catalogue import DEFAULT_LANGUAGE

log = logging.getLogger(__name__)

PUBLIC_MENU = {
    "fr": (
        ("start", "Commencer ou reprendre"),
        ("aide", "Ce que je sais faire"),
        ("recommencer", "Repartir de zéro"),
        ("langue", "Changer de langue"),
        ("mesdonnees", "Ce que je garde sur vous"),
        ("oubli", "Effacer vos données"),
    ),
    "en": (
        ("start", "Start or resume"),
        ("help", "What I can do"),
        ("restart", "Start over"),
        ("language", "Change the language"),
        ("mydata", "What I keep about you"),
        ("forget", "Erase your data"),
    ),
}
COORDINATOR_MENU = (
    ("stats", "Statistiques : /stats 7j, 30j ou 12m"),
    ("export", "Export CSV : /export 7j, 30j, 12m ou all"),
    ("lien", "Lien et affiche QR : /lien SOURCE"),
)


def commands(entries: Iterable[tuple[str, str]]) -> list[BotCommand]:
    """``(command, description)`` pairs as Bot API commands."""
    return [BotCommand(name, description) for name, description in entries]


async def announce_commands(bot: Bot, coordinators: Iterable[int]) -> None:
    """Set the public menu (French by default and for ``fr``, English for ``en``), then a
    coordinator menu in each coordinator's own chat (skipped, with a warning, if Telegram
    refuses it, e.g. before the coordinator's first message to the bot)."""
    scope = BotCommandScopeDefault()
    await bot.set_my_commands(commands(PUBLIC_MENU[DEFAULT_LANGUAGE]), scope=scope)
    for lang, entries in PUBLIC_MENU.items():
        await bot.set_my_commands(commands(entries), scope=scope, language_code=lang)
    coordinator_menu = commands((*PUBLIC_MENU[DEFAULT_LANGUAGE], *COORDINATOR_MENU))
    for user_id in coordinators:
        try:
            await bot.set_my_commands(coordinator_menu, scope=BotCommandScopeChat(user_id))
        except TelegramError as error:
            log.warning("coordinator menu not set for one coordinator: %s", error.message)

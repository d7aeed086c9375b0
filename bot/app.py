"""Composition root shared by every adapter: settings → knowledge base, storage, service."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from bot.chatseal import ChatSeal
from bot.config import Settings
from bot.core import kbcache
from bot.core.catalogue import Catalogue
from bot.core.diagnostics import say
from bot.core.dialogue.engine import Dialogue
from bot.core.knowledge import KnowledgeBase, KnowledgeError
from bot.followup.service import FollowupService
from bot.privacy import load_or_create_secret
from bot.service import OrientationService
from bot.storage import Storage

log = logging.getLogger("aiguillage")


class StartupError(Exception):
    """The bot cannot start; the message says why (printed, exit 2)."""


def load_base(settings: Settings) -> KnowledgeBase:
    """The knowledge base (compiled once, then from its cache), or :class:`StartupError`
    listing every problem found (a coordinator limited to a territory the base does not hold
    is one)."""
    try:
        kb = kbcache.load(settings.kb_path)
    except KnowledgeError as error:
        raise StartupError(say("cli.invalid_kb", path=settings.kb_path) + f"\n{error}") from None
    unknown = sorted(set(settings.coordinator_territories.values()) - set(kb.territory.names))
    if unknown:
        known = ", ".join(kb.territory.names)
        raise StartupError(
            "AIGUILLAGE_COORDINATORS: "
            + say("config.unknown_territory", name=unknown[0], known=known)
        )
    return kb


@asynccontextmanager
async def open_service(
    settings: Settings, *, followups: bool = True
) -> AsyncIterator[OrientationService]:
    """The orientation service on the configured base and database, purged at start.

    ``followups``: offer follow-ups with the results (not where nothing can be sent later).
    """
    kb = load_base(settings)
    secret = load_or_create_secret(settings)
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    storage = await Storage.open(settings.db_path)
    try:
        cat = Catalogue.load()
        later = None
        if followups:
            later = FollowupService(
                storage.followups,
                ChatSeal(secret),
                kb,
                cat,
                settings.followup_days,
                settings.followup_hours,
                lambda: datetime.now(UTC),
            )
        first = settings.followup_days[0] if followups else None
        service = OrientationService(
            Dialogue(kb, cat, followup_days=first),
            storage,
            secret,
            settings.retention_days,
            followups=later,
        )
        purged = await service.purge()
        if purged:
            log.info(
                "retention: erased %d conversation(s) older than %d days",
                purged,
                settings.retention_days,
            )
        yield service
        if service.pending and await service.flush():
            log.error(
                "stopping with %d write(s) the database refused: they are lost", service.pending
            )
    finally:
        await storage.close()


OWN_LOGGERS = ("aiguillage", "bot")
"""Only these follow a DEBUG level: libraries (PTB, aiosqlite) print whole updates and query
parameters at DEBUG, that is raw Telegram ids, names and text."""


def setup_logging(level: str) -> None:
    """Plain logs on stderr, libraries at INFO or above whatever ``level`` says; httpx's request
    lines (they hold the token in URLs) are silenced."""
    wanted = logging.getLevelName(level)
    logging.basicConfig(stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(max(wanted, logging.INFO))
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(wanted)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)

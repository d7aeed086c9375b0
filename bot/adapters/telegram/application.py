"""Composition: the PTB Application built from the settings and the service, and its lifecycle.

``build_application`` wires handlers, error reporting and jobs; ``running`` starts long polling
(or the webhook) and stops it; ``run`` does both on the configured database until asked to stop.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    JobQueue,
    MessageHandler,
    TypeHandler,
    Updater,
    filters,
)
from telegram.request import BaseRequest

from bot.adapters.telegram.conversation import Conversation
from bot.adapters.telegram.coordinators import Coordinators
from bot.adapters.telegram.errors import ErrorReporter
from bot.adapters.telegram.followups import FollowupSender
from bot.adapters.telegram.handoffs import schedule_handoffs
from bot.adapters.telegram.inbox import DurableQueue, RawUpdatesRequest
from bot.adapters.telegram.jobs import schedule
from bot.adapters.telegram.menus import announce_commands
from bot.adapters.telegram.rendering import NO_LINK_PREVIEW, PARSE_MODE
from bot.adapters.telegram.runtime import Runtime
from bot.adapters.telegram.updates import PerChatUpdateProcessor
from bot.app import StartupError, open_service
from bot.config import Settings
from bot.reports import Labels
from bot.service import OrientationService

BotApplication = Application[
    ExtBot[None],
    ContextTypes.DEFAULT_TYPE,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[ContextTypes.DEFAULT_TYPE],
]

log = logging.getLogger("aiguillage.telegram")

TIMEZONE = ZoneInfo("Europe/Paris")
"""Local time of Toulouse: the digest time is read in it."""
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY, Update.CHANNEL_POST)
CONNECTIONS = 16
"""HTTP connections to the Bot API: replies to different people go out in parallel."""
POOL_TIMEOUT = 10.0
WEBHOOK_LISTEN = "0.0.0.0"
"""The webhook server listens on every interface; TLS is the reverse proxy's job."""

FLOOD_GROUP = -1
"""Flood control runs before every other handler and stops the update when over the limit."""
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
ELSEWHERE = (
    (filters.ChatType.GROUPS | filters.ChatType.CHANNEL)
    & (filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST)
    & (filters.COMMAND | filters.Entity("mention"))
)


def file_url(base_url: str) -> str:
    """The file-download base matching an API base: ``…/bot`` → ``…/file/bot``."""
    head, bot, tail = base_url.rpartition("/bot")
    return f"{head}/file{bot}{tail}" if bot else base_url


def build_application(
    settings: Settings, service: OrientationService, *, request: BaseRequest | None = None
) -> BotApplication:
    """The bot for ``settings.token`` on ``settings.api_base_url``, answering with ``service``.

    ``request`` replaces the HTTP client for every Bot API call (benchmarks answer in-process).
    """
    if not settings.token:
        raise StartupError("TELEGRAM_BOT_TOKEN is not set")
    runtime = Runtime(settings, service, Labels.from_knowledge(service.dialogue.kb))
    queue = DurableQueue(runtime.inbox)

    async def on_start(app: BotApplication) -> None:
        """``post_init``: publish the command menus, then answer what the last run left."""
        await announce_commands(app.bot, settings.coordinators)
        log.info("connected to Telegram as @%s", app.bot.username)
        await runtime.inbox.replay(app.bot, queue)

    async def on_stop(_: BotApplication) -> None:
        """``post_stop``: stop the drawing process."""
        runtime.drawer.close()

    builder = (
        Application.builder()
        .token(settings.token)
        .base_url(settings.api_base_url)
        .base_file_url(file_url(settings.api_base_url))
        .defaults(
            Defaults(
                parse_mode=PARSE_MODE,
                link_preview_options=NO_LINK_PREVIEW,
                tzinfo=TIMEZONE,
            )
        )
        .post_init(on_start)
        .post_stop(on_stop)
        .update_queue(queue)
        .concurrent_updates(PerChatUpdateProcessor(runtime.inbox.finish))
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.connection_pool_size(CONNECTIONS).pool_timeout(POOL_TIMEOUT)
        builder = builder.get_updates_request(
            RawUpdatesRequest(runtime.inbox.raw, connection_pool_size=1)  # PTB's own default
        )
    app = builder.build()
    conversation = Conversation(runtime)
    coordinators = Coordinators(runtime, conversation)
    app.add_handler(TypeHandler(Update, conversation.throttle), group=FLOOD_GROUP)
    app.add_handlers(  # presses first: most updates, and no message handler takes one
        [
            CallbackQueryHandler(conversation.press),
            MessageHandler(ELSEWHERE, conversation.elsewhere),
            CommandHandler("start", conversation.start, filters=PRIVATE),
            CommandHandler("stats", coordinators.stats, filters=PRIVATE),
            CommandHandler("export", coordinators.export, filters=PRIVATE),
            CommandHandler("lien", coordinators.link, filters=PRIVATE),
            MessageHandler(PRIVATE & filters.COMMAND, conversation.command),
            MessageHandler(PRIVATE & filters.TEXT, conversation.text),
            MessageHandler(PRIVATE & ~filters.StatusUpdate.ALL, conversation.unsupported),
        ]
    )
    app.add_error_handler(ErrorReporter(runtime).report)
    if app.job_queue is None:
        raise StartupError("PTB's job queue is missing: install python-telegram-bot[job-queue]")
    schedule(app.job_queue, runtime)
    if service.followups is not None:
        FollowupSender(runtime, service.followups, app.job_queue).start()
    schedule_handoffs(app.job_queue, runtime)
    return app


def webhook_secret(settings: Settings) -> str:
    """The webhook's secret token: the configured one, else a random one for this run."""
    if settings.webhook_secret:
        return settings.webhook_secret
    log.info("no AIGUILLAGE_WEBHOOK_SECRET set: generated a random webhook secret for this run")
    return secrets.token_urlsafe(32)


@asynccontextmanager
async def running(app: BotApplication, settings: Settings) -> AsyncIterator[BotApplication]:
    """Run ``app`` for the block as ``run_polling``/``run_webhook`` would, then stop it."""
    updater = app.updater
    if updater is None:
        raise StartupError("the application was built without an updater")
    async with app:
        if app.post_init is not None:
            await app.post_init(app)
        try:
            await receive_updates(updater, settings)
            await app.start()
            yield app
        finally:
            if updater.running:
                await updater.stop()
            if app.running:
                await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)


async def receive_updates(updater: Updater, settings: Settings) -> None:
    """Start the webhook server when a webhook URL is set, else long polling."""
    if not settings.webhook_url:
        await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        log.info("receiving updates by long polling")
        return
    url = settings.webhook_url
    await updater.start_webhook(
        listen=WEBHOOK_LISTEN,
        port=settings.webhook_port,
        url_path=urlsplit(url).path.lstrip("/"),
        webhook_url=url,
        allowed_updates=ALLOWED_UPDATES,
        secret_token=webhook_secret(settings),
    )
    log.info("receiving updates by webhook on port %d", settings.webhook_port)


async def run(settings: Settings, stop: asyncio.Event) -> None:
    """Serve the bot on the configured knowledge base and database until ``stop`` is set."""
    async with open_service(settings) as service:
        app = build_application(settings, service)
        async with running(app, settings):
            await stop.wait()
    log.info("stopped")

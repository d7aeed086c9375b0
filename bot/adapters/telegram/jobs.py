"""Periodic work on PTB's JobQueue: idle expiry, retention purge, coordinators' weekly digest."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.error import TelegramError
from telegram.ext import ContextTypes, JobQueue

from bot.adapters.telegram.coordinators import Stats, send_stats, stats
from bot.adapters.telegram.runtime import Runtime
from bot.health import HEARTBEAT_INTERVAL, beat
from bot.storage import StorageUnavailable

log = logging.getLogger(__name__)

EXPIRY_INTERVAL = timedelta(seconds=60)
FLUSH_INTERVAL = timedelta(seconds=30)
PURGE_INTERVAL = timedelta(days=1)
DIGEST_PERIOD = timedelta(days=7)
PTB_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
"""Index = PTB's day number in ``run_daily`` (0 is Sunday)."""


class Jobs:
    """The job callbacks, bound to the running bot."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def heartbeat(self, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Touch the heartbeat file that ``aiguillage health`` (Docker HEALTHCHECK) reads."""
        beat(self.runtime.settings)

    async def expire_idle(self, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Close the conversations idle for longer than ``idle_minutes`` (logged as abandoned);
        forget inbox updates done long enough ago."""
        idle = timedelta(minutes=self.runtime.settings.idle_minutes)
        async with self.runtime.lock:
            expired = await self.runtime.service.expire_idle(idle)
        if expired:
            log.info("idle: %d conversation(s) closed as abandoned", expired)
        try:
            await self.runtime.inbox.purge()
        except StorageUnavailable as error:
            log.warning("inbox not purged: %s", error)

    async def flush(self, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Retry the writes the database refused earlier (the service keeps them meanwhile)."""
        if self.runtime.service.pending:
            async with self.runtime.lock:
                await self.runtime.service.flush()

    async def purge(self, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Erase what is older than the retention period."""
        async with self.runtime.lock:
            erased = await self.runtime.service.purge()
        if erased:
            log.info("retention: erased %d conversation(s)", erased)

    async def digest(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send every coordinator the ``/stats 7j`` content (of their territory, if limited)."""
        contents: dict[str | None, Stats] = {}
        for chat_id in sorted(self.runtime.settings.coordinators):
            territory = self.runtime.coordinator_territory(chat_id)
            if territory not in contents:
                contents[territory] = await stats(self.runtime, DIGEST_PERIOD, territory)
            try:
                await send_stats(context.bot, chat_id, contents[territory])
            except TelegramError as error:
                log.warning("weekly digest not delivered to one coordinator: %s", error.message)


def schedule(job_queue: JobQueue[ContextTypes.DEFAULT_TYPE], runtime: Runtime) -> None:
    """Register the jobs: heartbeat and expiry every minute, retries of refused writes every
    30 s, purge now and daily, digest weekly if configured."""
    jobs = Jobs(runtime)
    job_queue.run_repeating(jobs.heartbeat, HEARTBEAT_INTERVAL, first=0, name="heartbeat")
    job_queue.run_repeating(jobs.flush, FLUSH_INTERVAL, first=FLUSH_INTERVAL, name="flush")
    job_queue.run_repeating(
        jobs.expire_idle, EXPIRY_INTERVAL, first=EXPIRY_INTERVAL, name="expire-idle"
    )
    job_queue.run_repeating(jobs.purge, PURGE_INTERVAL, first=0, name="purge")
    settings = runtime.settings
    if settings.digest_day is not None:
        day = PTB_WEEKDAYS.index(settings.digest_day)
        job_queue.run_daily(jobs.digest, settings.digest_time, days=(day,), name="weekly-digest")
        if not settings.coordinators:
            log.warning("weekly digest scheduled but AIGUILLAGE_COORDINATORS is empty")

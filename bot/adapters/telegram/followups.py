"""Follow-ups sent from PTB's JobQueue, at a pace under Telegram's limits.

The schedule lives in the database, so nothing is lost when the bot stops: at start one job
reads what is due (a follow-up that fell due while the bot was stopped goes out then, once),
sends it, and plans itself again for the next due time; a newly accepted follow-up brings
it forward. Messages are spread to :data:`SEND_RATE` per second overall, leaving the rest
of Telegram's ≈30/s to conversations. A person who blocked the bot (403) is cancelled silently.

One request is in flight at a time. Before it goes, its follow-up is marked « sending » in a
commit of its own; once Telegram answers, it is marked sent. The Bot API has no idempotency
key, so a request whose answer never came may or may not have been delivered: such a one
counts as sent (at most once). That is a timeout, or a follow-up found « sending » at start
(the bot was killed during its request): never sent twice, at the risk of one lost per crash.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError, TimedOut
from telegram.ext import ContextTypes, Job, JobQueue

from bot.adapters.telegram.rendering import keyboard
from bot.adapters.telegram.runtime import Runtime
from bot.followup.service import FollowupService, Outgoing
from bot.storage import StorageUnavailable

log = logging.getLogger(__name__)

SEND_RATE = 25.0
"""Follow-ups per second at most, all people together (Telegram allows about 30)."""
BATCH = 200
RETRY_LATER = timedelta(minutes=5)
"""A follow-up Telegram could not take is tried again this much later."""
MAX_RETRY_AFTER = 60.0
JOB_NAME = "followups"
CHAT_GONE = ("chat not found", "user is deactivated", "bot was blocked")


class Pace:
    """Hands out send slots at most ``rate`` per second (monotonic clock)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def slot(self) -> None:
        """Wait for the next free slot."""
        async with self._lock:
            now = time.monotonic()
            at = max(now, self._next)
            self._next = at + self.interval
        await asyncio.sleep(at - now)

    def hold(self, seconds: float) -> None:
        """No slot before ``seconds`` from now (Telegram asked to wait)."""
        self._next = max(self._next, time.monotonic() + seconds)


class FollowupSender:
    """The job that sends due follow-ups; one run at a time."""

    def __init__(
        self,
        runtime: Runtime,
        followups: FollowupService,
        job_queue: JobQueue[ContextTypes.DEFAULT_TYPE],
        rate: float = SEND_RATE,
    ) -> None:
        self.runtime = runtime
        self.followups = followups
        self.job_queue = job_queue
        self.pace = Pace(rate)
        self.sent = 0
        """Follow-ups Telegram took since start (for the logs and the benchmark)."""
        self._job: Job[ContextTypes.DEFAULT_TYPE] | None = None
        self._planned: datetime | None = None
        self._running = False
        self._again = False
        followups.on_scheduled = self.wake

    def start(self) -> None:
        """Plan the first run now: the schedule is rebuilt from the database."""
        self._plan(None)

    def wake(self, due: datetime) -> None:
        """A follow-up falls due at ``due``: run then, unless a run is planned sooner."""
        if self._running:
            self._again = True
        elif self._planned is None or due < self._planned:
            self._plan(due)

    def _plan(self, at: datetime | None) -> None:
        if self._job is not None:
            self._job.schedule_removal()
        now = self.followups.clock()
        delay = 0.0 if at is None else max(0.0, (at - now).total_seconds())
        self._planned = at or now
        self._job = self.job_queue.run_once(self.run, delay, name=JOB_NAME)

    async def run(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send everything due now, then plan the next run from the database."""
        self._job, self._planned = None, None
        if self._running:
            self._again = True
            return
        self._running = True
        try:
            await self._settle()
            await self._send_due(context.bot)
            async with self.runtime.lock:
                following = await self.followups.next_send()
        except StorageUnavailable as error:
            log.warning("follow-ups not sent, tried again later: %s", error)
            following = self.followups.clock() + RETRY_LATER
        finally:
            self._running = False
        if self._again:
            self._again = False
            following = None if following is None else min(following, self.followups.clock())
        if following is not None:
            self._plan(following)

    async def _settle(self) -> None:
        """Before a run nothing is in flight, so one still « sending » had its request out when
        the bot stopped (or its answer could not be written): it counts as sent, never twice."""
        async with self.runtime.lock:
            uncertain = await self.followups.settle_in_flight()
        if uncertain:
            log.warning(
                "%d follow-up(s) left « sending » (bot stopped during the request): counted as"
                " sent, at most once, delivery unknown",
                uncertain,
            )

    async def _send_due(self, bot: Bot) -> None:
        while True:
            async with self.runtime.lock:
                batch = await self.followups.outgoing(BATCH)
            if not batch:
                return
            for outgoing in batch:
                await self._send(bot, outgoing)

    async def _send(self, bot: Bot, outgoing: Outgoing) -> None:
        """Send one follow-up and record what Telegram said."""
        markup = keyboard(outgoing.reply.buttons)
        for attempt in range(3):
            await self.pace.slot()
            if attempt == 0:
                async with self.runtime.lock:
                    if not await self.followups.sending(outgoing):
                        return  # stopped, erased or sent meanwhile
            try:
                await bot.send_message(outgoing.chat_id, outgoing.reply.text, reply_markup=markup)
            except RetryAfter as error:
                after = error.retry_after
                seconds = after.total_seconds() if isinstance(after, timedelta) else after
                self.pace.hold(min(float(seconds), MAX_RETRY_AFTER))
                continue
            except Forbidden:
                await self._record(self.followups.blocked(outgoing))
                return
            except TimedOut:
                break  # it may have been delivered: counts as sent, never sent twice
            except BadRequest as error:
                if any(gone in error.message.lower() for gone in CHAT_GONE):
                    await self._record(self.followups.blocked(outgoing))
                    return
                log.warning("follow-up refused by Telegram: %s", error.message)
                await self._postpone(outgoing)
                return
            except TelegramError as error:  # a 5xx or a refused connection: not delivered
                log.warning("follow-up not sent, tried again later: %s", type(error).__name__)
                await self._postpone(outgoing)
                return
            break
        else:
            await self._postpone(outgoing)
            return
        self.sent += 1
        await self._record(self.followups.sent(outgoing.followup))

    async def _postpone(self, outgoing: Outgoing) -> None:
        later = self.followups.clock() + RETRY_LATER
        await self._record(self.followups.store.postpone(outgoing.followup, later))

    async def _record(self, write: Awaitable[object]) -> None:
        async with self.runtime.lock:
            await write

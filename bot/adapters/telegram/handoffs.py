"""The job that drains the hand-off queue: sends what is due, then tells each person how theirs
ended (delivered; or failed, with the structure's contacts). Runs every
:data:`DRAIN_INTERVAL` and at once after a hand-off is queued.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes, JobQueue

from bot.adapters.telegram.delivery import deliver
from bot.adapters.telegram.runtime import Runtime
from bot.handoff.desk import HandoffDesk
from bot.handoff.notices import notice_reply
from bot.handoff.queue import HandoffQueue, Notice
from bot.storage import StorageUnavailable

log = logging.getLogger(__name__)

DRAIN_INTERVAL = timedelta(seconds=20)
NAME = "handoffs"


class HandoffJob:
    """Sends the queued hand-offs of ``queue`` and the notices they end with."""

    def __init__(self, runtime: Runtime, queue: HandoffQueue) -> None:
        self.runtime = runtime
        self.queue = queue

    async def drain(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One pass over the due messages; a database fault waits for the next pass."""
        try:
            notices = await self.queue.drain()
            for notice in notices:
                if await self._tell(context, notice):
                    await self.queue.told(notice)
        except StorageUnavailable as error:
            log.warning("hand-off queue not drained: %s", error)

    async def _tell(self, context: ContextTypes.DEFAULT_TYPE, notice: Notice) -> bool:
        """Whether the person was told (or can never be: they blocked the bot)."""
        service = self.runtime.service
        reply = notice_reply(notice, service.dialogue.kb, service.cat)
        try:
            sent = await deliver(
                "sendMessage",
                lambda: context.bot.send_message(notice.chat_id, reply.text),
                idempotent=False,
            )
        except Forbidden:
            log.info("hand-off %s: the person blocked the bot, not told", notice.handoff_id[:8])
            return True
        except TelegramError as error:
            log.warning("hand-off %s: notice refused: %s", notice.handoff_id[:8], error.message)
            return True
        return sent is not None


def schedule_handoffs(
    job_queue: JobQueue[ContextTypes.DEFAULT_TYPE], runtime: Runtime
) -> HandoffQueue | None:
    """With a mail server configured, the queue: drained now, every :data:`DRAIN_INTERVAL` and
    as soon as a hand-off is queued. None (no hand-off offered) without one."""
    settings, service = runtime.settings, runtime.service
    if settings.smtp is None or settings.smtp_from is None:
        return None
    queue = HandoffQueue(
        service.storage.handoffs, service.secret, settings.smtp, service.clock, runtime.lock
    )
    job = HandoffJob(runtime, queue)
    job_queue.run_repeating(job.drain, DRAIN_INTERVAL, first=0, name=NAME)
    queue.wake = lambda: job_queue.run_once(job.drain, 0, name=f"{NAME}-now")
    service.enable_handoffs(
        HandoffDesk(queue, settings.smtp_from, service.dialogue.kb, service.cat)
    )
    log.info("hand-offs on: e-mails through %s", settings.smtp)
    return queue

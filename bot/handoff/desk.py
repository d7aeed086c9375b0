"""The service's side of a hand-off: the request the person confirmed becomes a queued e-mail.

At most :data:`~bot.handoff.queue.PER_DAY` a day per person; past it, or when the database
refuses, the person is told and given the structure's published contacts instead.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core.catalogue import Catalogue, Markup
from bot.core.dialogue.events import Reply
from bot.core.knowledge import KnowledgeBase
from bot.core.presenting import contact_lines
from bot.handoff.mail import Request, compose
from bot.handoff.notices import my_data_lines
from bot.handoff.queue import PER_DAY, HandoffQueue
from bot.storage import StorageUnavailable
from bot.storage.handoffs import Handoff, Status

log = logging.getLogger(__name__)


class HandoffDesk:
    """Queues confirmed hand-offs on ``queue``, sent from ``sender``."""

    def __init__(self, queue: HandoffQueue, sender: str, kb: KnowledgeBase, cat: Catalogue) -> None:
        self.queue = queue
        self.sender = sender
        self.kb = kb
        self.cat = cat

    async def send(
        self,
        user: str,
        conversation: str,
        chat_id: int,
        lang: str,
        request: Request,
        now: datetime,
    ) -> Reply | None:
        """Queue ``request``; None once queued, else what to say instead (with the contacts)."""
        handoff = Handoff(
            request.handoff_id, user, conversation, request.actor_id, now, Status.QUEUED
        )
        message = compose(request, self.sender, self.cat, now)
        try:
            if await self.queue.enqueue(handoff, chat_id, lang, message):
                return None
            key = "handoff.limit"
        except StorageUnavailable as error:
            log.warning("hand-off not queued, the person is given the contacts: %s", error)
            key = "handoff.unavailable"
        return Reply(self._with_contacts(lang, key, request.actor_id), edit=True)

    def _with_contacts(self, lang: str, key: str, actor_id: str) -> Markup:
        lines = [self.cat.text(lang, key, limit=PER_DAY)]
        actor = self.kb.actor(actor_id)
        if actor is not None:
            lines += contact_lines(actor, lang, self.cat)
        return Markup("\n".join(lines))

    async def my_data(self, user: str, lang: str) -> list[Markup]:
        """The ``/mesdonnees`` lines about this person's hand-offs."""
        return my_data_lines(await self.queue.store.of_user(user), self.kb, self.cat, lang)

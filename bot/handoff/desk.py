"""The service's side of a hand-off: the request the person confirmed becomes a queued e-mail.

At most :data:`~bot.handoff.queue.PER_DAY` a day per person: checked when the person opens a
hand-off, before they type anything, and again at « Envoyer ». Past it, or when the database
refuses, the person is told and given the structure's published contacts instead.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import replace
from datetime import datetime

from bot.core.catalogue import Catalogue, Markup
from bot.core.dialogue.events import Reply
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.handoff import CONFIRM
from bot.core.dialogue.turn import Turn
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
        refused = await self._refusal(
            self.queue.enqueue(handoff, chat_id, lang, message), lang, request.actor_id
        )
        return None if refused is None else replace(refused, edit=True)

    async def screen(self, user: str, before: DialogueState, turn: Turn) -> Turn:
        """``turn`` unless it opens a hand-off that ``user`` could not send (the day's limit
        reached, or the database refusing): then the results stay as they were and the person
        is told why, with the structure's contacts, before typing anything."""
        actor_id = turn.state.handoff_actor
        if turn.state.step != CONFIRM or before.step == CONFIRM or actor_id is None:
            return turn
        refused = await self._refusal(self.queue.allowed(user), turn.state.lang, actor_id)
        return turn if refused is None else Turn(before, [refused])

    async def _refusal(self, allowed: Awaitable[bool], lang: str, actor_id: str) -> Reply | None:
        """None when ``allowed`` says yes; else why not, with the structure's contacts."""
        try:
            if await allowed:
                return None
            key = "handoff.limit"
        except StorageUnavailable as error:
            log.warning("hand-off refused, the person is given the contacts: %s", error)
            key = "handoff.unavailable"
        lines = [self.cat.text(lang, key, limit=PER_DAY)]
        actor = self.kb.actor(actor_id)
        if actor is not None:
            lines += contact_lines(actor, lang, self.cat)
        return Reply(Markup("\n".join(lines)))

    async def my_data(self, user: str, lang: str) -> list[Markup]:
        """The ``/mesdonnees`` lines about this person's hand-offs."""
        return await my_data_lines(self.queue.store, user, self.kb, self.cat, lang)

"""The follow-up service: the offer answered, what falls due, taps recorded, stop.

Transport-free: the Telegram adapter (``bot/adapters/telegram/followups.py``) sends what
:meth:`FollowupService.outgoing` returns at the pace Telegram allows and reports back.
Only the pseudonym, the structures' ids, the answers and the sealed chat id are stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.chatseal import ChatSeal, SealError
from bot.core.catalogue import Catalogue, Markup
from bot.core.dialogue.events import Reply
from bot.core.dialogue.steps.followup import Tap
from bot.core.knowledge import KnowledgeBase
from bot.followup.messages import LABELS, asked, followup_message, local_date
from bot.followup.model import Answer, Followup, Given, Status
from bot.followup.rules import Hours, due_times, send_time
from bot.storage.followups import FollowupStore

STATUS_KEYS = {
    Status.DECLINED: "followup.status.declined",
    Status.SCHEDULED: "followup.status.scheduled",
    Status.DONE: "followup.status.done",
    Status.STOPPED: "followup.status.stopped",
    Status.BLOCKED: "followup.status.blocked",
}
PENDING = frozenset({Status.SCHEDULED, Status.SENDING})


@dataclass(frozen=True)
class Outgoing:
    """A follow-up ready to go: to ``chat_id``, follow-up number ``number``."""

    followup: Followup
    chat_id: int
    number: int
    reply: Reply


@dataclass
class FollowupService:
    """Follow-ups on one database, with the configured delays and sending hours."""

    store: FollowupStore
    seal: ChatSeal
    kb: KnowledgeBase
    cat: Catalogue
    days: tuple[float, ...]
    hours: Hours | None
    clock: Callable[[], datetime]
    on_scheduled: Callable[[datetime], None] | None = None
    """Told when a follow-up is scheduled (the adapter wakes its sender then)."""

    async def offer(
        self,
        user: str,
        chat_id: int,
        conversation_id: str,
        lang: str,
        actors: tuple[str, ...],
        accepted: bool,
    ) -> Followup:
        """Record the answer to the offer; « Oui » schedules the first follow-up."""
        now = self.clock()
        followup = Followup(
            conversation_id=conversation_id,
            user=user,
            lang=lang,
            actors=actors,
            offered_at=now,
            status=Status.SCHEDULED if accepted else Status.DECLINED,
        )
        if accepted:
            followup = replace(
                followup,
                due_at=due_times(now, self.days)[0],
                chat=self.seal.seal(chat_id, conversation_id),
            )
        await self.store.offer(followup)
        if accepted and followup.due_at is not None and self.on_scheduled is not None:
            self.on_scheduled(followup.due_at)
        return followup

    def names(self, followup: Followup) -> dict[str, str]:
        """The structures' names (an id no longer in the base stays as it is)."""
        return {a: actor.name for a in followup.actors if (actor := self.kb.actor(a)) is not None}

    async def next_send(self) -> datetime | None:
        """When the next follow-up may go out (its due time, moved into the sending hours)."""
        due = await self.store.next_due()
        return None if due is None else send_time(due, self.hours)

    async def outgoing(self, limit: int) -> list[Outgoing]:
        """Up to ``limit`` follow-ups to send now; those with nothing left to ask (or whose
        chat id cannot be opened) are closed instead."""
        now = self.clock()
        if self.hours is not None and not self.hours.allows(now):
            return []
        ready = []
        for followup in await self.store.due(now, limit):
            number = followup.sent + 1
            answers = await self.store.answers(followup.conversation_id)
            try:
                chat_id = self.seal.open(followup.chat or b"", followup.conversation_id)
            except SealError:
                chat_id = None
            if chat_id is None or not asked(followup, answers, number):
                await self.store.end(followup.conversation_id, followup.user, Status.DONE)
                continue
            reply = followup_message(self.cat, followup, self.names(followup), answers, number)
            ready.append(Outgoing(followup, chat_id, number, reply))
        return ready

    async def sending(self, outgoing: Outgoing) -> bool:
        """Its request is about to go (committed first); False: it is not to be sent any more."""
        return await self.store.sending(outgoing.followup)

    async def sent(self, followup: Followup) -> bool:
        """Telegram took its message (or may have): the next follow-up, if any, is scheduled."""
        dues = due_times(followup.offered_at, self.days)
        number = followup.sent + 1
        later = dues[number] if number < len(dues) else None
        return await self.store.mark_sent(followup, later)

    async def settle_in_flight(self) -> int:
        """The follow-ups left « sending » (by a crash during their request) count as sent, since
        it may have been delivered (at most once: never sent twice); how many there were."""
        uncertain = await self.store.in_flight()
        for followup in uncertain:
            await self.sent(followup)
        return len(uncertain)

    async def blocked(self, outgoing: Outgoing) -> None:
        """The person blocked the bot: nothing more is sent, silently."""
        followup = outgoing.followup
        await self.store.end(followup.conversation_id, followup.user, Status.BLOCKED)

    async def tap(self, user: str, tap: Tap) -> Reply | None:
        """Record a follow-up button of ``user``; the message to show instead (None: the
        button is not theirs, or not valid any more)."""
        followup = await self.store.get(tap.conversation_id)
        if followup is None or followup.user != user or followup.sent == 0:
            return None
        if tap.index is None or tap.answer is None:
            await self.store.end(followup.conversation_id, user, Status.STOPPED)
            return Reply(self.cat.text(followup.lang, "followup.stopped"), edit=True)
        if tap.index >= len(followup.actors):
            return None
        given = Given(
            followup.conversation_id,
            followup.actors[tap.index],
            user,
            followup.sent,
            Answer(tap.answer),
            self.clock(),
        )
        await self.store.answer(given)
        answers = await self.store.answers(followup.conversation_id)
        names = self.names(followup)
        return followup_message(self.cat, followup, names, answers, followup.sent, edit=True)

    async def my_data(self, user: str, lang: str) -> list[Markup]:
        """The ``/mesdonnees`` lines about this person's follow-ups (none when there are none)."""
        followups, given = await self.store.of_user(user)
        if not followups:
            return []
        cat = self.cat
        lines = [cat.plural(lang, "mydata.followups", len(followups))]
        for followup in followups:
            if followup.status in PENDING and followup.due_at is not None:
                due = local_date(send_time(followup.due_at, self.hours))
                status = cat.text(lang, "followup.status.scheduled", due=due)
            else:
                status = cat.text(lang, STATUS_KEYS[followup.status])
            date = local_date(followup.offered_at)
            lines.append(cat.text(lang, "mydata.followup_item", date=date, status=status))
            names = self.names(followup)
            lines += [
                cat.text(
                    lang,
                    "mydata.followup_answer",
                    name=names.get(answer.actor, answer.actor),
                    answer=cat.text(lang, LABELS[answer.answer]),
                )
                for answer in given
                if answer.conversation_id == followup.conversation_id
            ]
        return lines

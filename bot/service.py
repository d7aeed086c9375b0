"""The orientation service: the dialogue plus persistence, the demand log and privacy commands.

Every adapter (Telegram, terminal) turns what the person did into an :class:`Event`, calls
:meth:`OrientationService.handle` and shows the replies. The Telegram user id is turned into
a keyed pseudonym here and never goes further.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from cachetools import LRUCache

from bot import outbox
from bot.core.catalogue import Catalogue, Markup, language_of
from bot.core.dialogue.callbacks import Code, decode, encode
from bot.core.dialogue.engine import Dialogue
from bot.core.dialogue.events import Button, Command, Event, Press, Reply
from bot.core.dialogue.state import MEMORY_ONLY, DialogueState
from bot.core.dialogue.steps.followup import ACCEPTED, Tap, tap_of
from bot.core.dialogue.turn import Turn
from bot.core.presenting import label
from bot.core.records import ConversationRecord, Feedback, Outcome
from bot.followup.service import FollowupService
from bot.handoff.desk import HandoffDesk
from bot.outbox import Delivery
from bot.privacy import pseudonymise, retention_cutoff
from bot.reports.outcomes import Outcomes
from bot.storage import StoragePort, StorageUnavailable
from bot.writebehind import WriteBehind

log = logging.getLogger(__name__)

PRIVACY_COMMANDS = {
    "mesdonnees": "my_data",
    "mydata": "my_data",
    "oubli": "forget",
    "forget": "forget",
}
YES = "y"
NO = "n"
"""Erasure buttons (:data:`Code.FORGET`) say yes or no; only the step last asked is valid."""
MY_DATA_LISTED = 10
UNCONSENTED_KEPT = 10_000
OFF_LOOP_FROM = 2_000  # actors: from there a turn runs in a worker thread (bot/core/matching.py)


@dataclass(frozen=True)
class Who:
    """The person behind an update: Telegram user id and language code."""

    user_id: int
    language_code: str | None = None


def record_of(
    state: DialogueState,
    user: str,
    now: datetime,
    outcome: Outcome | None = None,
    territory: str | None = None,
) -> ConversationRecord:
    """The demand-log row for ``state`` (outcome derived unless given) in ``territory``."""
    if outcome is None:
        outcome = Outcome.COMPLETED if state.completed else Outcome.IN_PROGRESS
    ended = outcome != Outcome.IN_PROGRESS
    return ConversationRecord(
        id=state.conversation_id,
        user=user,
        started_at=datetime.fromisoformat(state.started_at),
        updated_at=now,
        source=state.source,
        lang=state.lang,
        outcome=outcome,
        ended_at=now if ended else None,
        stage=state.stage,
        legal_form=state.legal_form,
        needs=tuple(state.needs),
        commune=state.commune,
        inferred=tuple(state.inferred),
        recommended=tuple(state.recommended),
        unmet_needs=tuple(state.unmet),
        feedback=Feedback(state.feedback) if state.feedback else None,
        free_text=state.free_text or None if state.consent else None,
        territory=territory,
    )


def closing_outcome(state: DialogueState, instead: Outcome) -> Outcome:
    """A completed conversation stays completed; any other ends as ``instead``."""
    return Outcome.COMPLETED if state.completed else instead


class OrientationService:
    """Runs one turn of the dialogue for one person and keeps everything consistent."""

    def __init__(
        self,
        dialogue: Dialogue,
        storage: StoragePort,
        secret: bytes,
        retention_days: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        followups: FollowupService | None = None,
    ) -> None:
        self.dialogue = dialogue
        self.followups = followups
        """Follow-ups after the results (None where nothing can be sent later: the terminal)."""
        self.storage = storage
        self.secret = secret
        self.retention_days = retention_days
        self.clock = clock
        self.writes = WriteBehind(storage, clock)
        self._unconsented: LRUCache[str, dict[str, str]] = LRUCache(UNCONSENTED_KEPT)
        self.handoffs: HandoffDesk | None = None
        self._forget_steps = itertools.count(secrets.randbelow(1 << 30))
        self._forget_asked: LRUCache[str, int] = LRUCache(UNCONSENTED_KEPT)

    @property
    def cat(self) -> Catalogue:
        """The message catalogue."""
        return self.dialogue.cat

    def pseudonym(self, who: Who) -> str:
        """The keyed pseudonym of this person."""
        return pseudonymise(self.secret, who.user_id)

    async def load(self, user: str) -> DialogueState | None:
        """The conversation state of ``user``: not yet written, else saved; none if unreadable."""
        if self.writes.has_state(user):
            data = self.writes.states[user]
        else:
            try:
                data = await self.storage.load_state(user)
            except StorageUnavailable as error:
                log.warning("database unavailable, conversation state not loaded: %s", error)
                return None
        if not data:
            return None
        held: dict[str, Any] = {k: self._unconsented.get(user, {}).get(k) for k in MEMORY_ONLY}
        return replace(DialogueState.from_json(data), **held)

    def _storable(self, user: str, state: DialogueState) -> dict[str, Any]:
        """The state as written to disk: text awaiting consent and a hand-off's reach and words
        stay in memory only."""
        data = state.to_json()
        held = {k: data.pop(k) for k in MEMORY_ONLY if data.get(k)}
        self._unconsented.pop(user, None)
        if held:
            self._unconsented[user] = held
        return data | dict.fromkeys(MEMORY_ONLY)

    def enable_handoffs(self, desk: HandoffDesk) -> None:
        """Offer hand-offs, queued through ``desk`` (the Telegram bot, with a mail server)."""
        self.handoffs = desk
        self.dialogue.flow.handoffs = True

    @property
    def pending(self) -> int:
        """Writes waiting for the database to come back."""
        return self.writes.pending

    async def flush(self) -> int:
        """Write what the database refused earlier; return how many writes are still pending."""
        return await self.writes.flush()

    async def conversations(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        territory: str | None = None,
    ) -> list[ConversationRecord]:
        """The demand log started in ``[since, until)``, oldest first (for coordinators), only
        that of ``territory`` when given."""
        return await self.storage.conversations(since, until, territory)

    async def handle(self, who: Who, event: Event, delivery: Delivery | None = None) -> list[Reply]:
        """Apply ``event`` for ``who``; persist the state and the log; return the replies.

        With ``delivery``, the inbox update it answers is marked done in the turn's transaction,
        with the replies to send (:mod:`bot.outbox`).
        """
        user = self.pseudonym(who)
        now = self.clock()
        state = await self.load(user)
        lang = state.lang if state else language_of(who.language_code)
        if isinstance(event, Command) and event.name in PRIVACY_COMMANDS:
            if PRIVACY_COMMANDS[event.name] == "my_data":
                return [*await self.my_data(user, lang), *self._current(state)]
            return [self._forget_question(user, lang)]
        confirmed = self._forget_press(user, event)
        if confirmed is not None:
            return await self._forget_answer(user, lang, confirmed, state)
        tap = tap_of(event)
        if tap is not None:
            return await self._followup_tap(user, lang, tap, state)
        if state is None:
            consent = await self._consent(user)
            turn = await self._turn(None, event, now, lang)
            turn.state = replace(turn.state, consent=consent)
        else:
            turn = await self._turn(state, event, now, lang)
        if turn.handoff is not None:
            await self._hand_off(user, turn, delivery.chat_id if delivery else who.user_id, now)
        await self._persist(user, state, turn, now, delivery)
        await self._followup_offer(user, who.user_id, state, turn.state)
        return turn.replies

    async def _turn(
        self, state: DialogueState | None, event: Event, now: datetime, lang: str
    ) -> Turn:
        """One dialogue turn; on a large base in a worker thread, so that matching there (tens
        of milliseconds) never holds the event loop: other people's turns go on meanwhile."""
        if len(self.dialogue.kb.actors) < OFF_LOOP_FROM:
            return self.dialogue.handle(state, event, now, lang)
        return await asyncio.to_thread(self.dialogue.handle, state, event, now, lang)

    async def _followup_tap(
        self, user: str, lang: str, tap: Tap, state: DialogueState | None
    ) -> list[Reply]:
        """A tap on a follow-up message: recorded, the message shown again with it."""
        shown = None
        if self.followups is not None:
            try:
                shown = await self.followups.tap(user, tap)
            except StorageUnavailable as error:
                log.warning("follow-up answer not recorded: %s", error)
                return [Reply(self.cat.text(lang, "storage_unavailable"))]
        if shown is None:
            return [Reply(self.cat.text(lang, "stale_button")), *self._current(state)]
        return [shown]

    async def _followup_offer(
        self, user: str, chat_id: int, before: DialogueState | None, after: DialogueState
    ) -> None:
        """The offer just answered: « Oui » schedules the follow-ups, « Non merci » is noted."""
        if self.followups is None or after.followup is None:
            return
        if before is not None and before.followup == after.followup:
            return
        try:
            await self.followups.offer(
                user,
                chat_id,
                after.conversation_id,
                after.lang,
                after.recommended,
                accepted=after.followup == ACCEPTED,
            )
        except StorageUnavailable as error:
            log.warning("follow-up answer not recorded: %s", error)

    async def outcomes(
        self, records: Sequence[ConversationRecord], since: datetime | None, now: datetime
    ) -> Outcomes | None:
        """The outcome figures of ``records`` (None without follow-ups)."""
        if self.followups is None:
            return None
        return await self.followups.outcomes(records, since, now)

    async def _hand_off(self, user: str, turn: Turn, chat_id: int, now: datetime) -> None:
        """Queue the hand-off the person confirmed; when it cannot be, say so instead."""
        assert turn.handoff is not None
        state = turn.state
        if self.handoffs is None:  # an old button, hand-offs since turned off
            refused: Reply | None = Reply(self.cat.text(state.lang, "handoff.unavailable"))
        else:
            refused = await self.handoffs.send(
                user, state.conversation_id, chat_id, state.lang, turn.handoff, now
            )
        if refused is not None:
            turn.replies = [refused, *self.dialogue.ask(state)]

    async def _consent(self, user: str) -> bool | None:
        try:
            return await self.storage.get_consent(user)
        except StorageUnavailable:
            return None

    async def _persist(
        self,
        user: str,
        before: DialogueState | None,
        turn: Turn,
        now: datetime,
        delivery: Delivery | None,
    ) -> None:
        records = [
            self._record(closed, user, now, closing_outcome(closed, Outcome.RESTARTED))
            for closed in turn.closed
        ]
        records.append(self._record(turn.state, user, now))
        replaced = before is not None and before.conversation_id != turn.state.conversation_id
        closed_ids = {closed.conversation_id for closed in turn.closed}
        dropped = (
            [before.conversation_id]
            if before is not None and replaced and before.conversation_id not in closed_ids
            else []
        )
        consent = turn.state.consent
        if consent is not None and (before is None or before.consent != consent):
            try:
                await self.storage.set_consent(user, consent, now)
            except StorageUnavailable as error:
                log.warning("consent not recorded (%s); kept in the conversation state", error)
        state = self._storable(user, turn.state)
        answered = (delivery.update_id, outbox.dump(delivery, turn.replies)) if delivery else None
        await self.writes.save_turn(user, state, records, now, dropped, answered)

    def _record(
        self, state: DialogueState, user: str, now: datetime, outcome: Outcome | None = None
    ) -> ConversationRecord:
        """The demand-log row for ``state``, in the territory of its commune."""
        territory = self.dialogue.kb.territory.territory_of(state.commune)
        return record_of(state, user, now, outcome, territory)

    def _current(self, state: DialogueState | None) -> list[Reply]:
        return self.dialogue.ask(state) if state else []

    async def my_data(self, user: str, lang: str) -> list[Reply]:
        """What is stored about this person, why, for how long, who sees it, how to erase it."""
        cat = self.cat
        lines = [
            cat.text(lang, "mydata.title"),
            cat.text(lang, "mydata.what"),
            cat.text(lang, "mydata.why"),
            cat.text(lang, "mydata.who"),
            cat.text(lang, "mydata.how_long", days=self.retention_days),
        ]
        try:
            records = await self.storage.conversations_of(user)
        except StorageUnavailable as error:
            log.warning("conversations not listed: %s", error)
            return [Reply(cat.text(lang, "storage_unavailable"))]
        if records:
            lines.append(cat.text(lang, "mydata.list", count=len(records)))
            for record in records[-MY_DATA_LISTED:]:
                lines.append(
                    cat.text(
                        lang,
                        "mydata.item",
                        date=cat.date(lang, record.started_at.date()),
                        summary=self._summary(record, lang),
                    )
                )
        else:
            lines.append(cat.text(lang, "mydata.none"))
        if self.followups is not None:
            try:
                lines += await self.followups.my_data(user, lang)
            except StorageUnavailable as error:
                log.warning("follow-ups not listed: %s", error)
        if self.handoffs is not None:
            try:
                lines += await self.handoffs.my_data(user, lang)
            except StorageUnavailable as error:
                log.warning("hand-offs not listed: %s", error)
        lines.append(cat.text(lang, "mydata.erase"))
        return [Reply(Markup("\n".join(lines)))]

    def _summary(self, record: ConversationRecord, lang: str) -> str:
        kb = self.dialogue.kb
        parts = [label(kb, "stages", record.stage, lang)] if record.stage else []
        parts += [label(kb, "legal_forms", record.legal_form, lang)] if record.legal_form else []
        parts += [label(kb, "needs", n, lang) for n in record.needs]
        commune = kb.territory.get(record.commune)
        parts += [commune.name] if commune else []
        actors = [kb.actor(i) for i in record.recommended]
        parts += [f"→ {', '.join(a.name for a in actors if a)}"] if record.recommended else []
        if record.free_text:
            parts.append(f"« {record.free_text} »")
        return " · ".join(parts) or "—"

    def _forget_question(self, user: str, lang: str) -> Reply:
        """The confirmation question, its buttons carrying a new step counter."""
        step = next(self._forget_steps)
        self._forget_asked[user] = step
        buttons = (
            Button(self.cat.text(lang, "button.forget_yes"), encode(step, Code.FORGET, YES)),
            Button(self.cat.text(lang, "button.forget_no"), encode(step, Code.FORGET, NO)),
        )
        return Reply(self.cat.text(lang, "forget.ask"), (buttons,))

    def _forget_press(self, user: str, event: Event) -> bool | None:
        """True/False for « oui »/« non » on the question last asked; None for anything else
        (an old or forged erasure button then gets the dialogue's stale-button answer)."""
        button = decode(event.data) if isinstance(event, Press) else None
        if button is None or button.code != Code.FORGET or button.value not in (YES, NO):
            return None
        if str(self._forget_asked.get(user)) != button.seq:
            return None
        del self._forget_asked[user]
        return button.value == YES

    async def _forget_answer(
        self, user: str, lang: str, confirmed: bool, state: DialogueState | None
    ) -> list[Reply]:
        if not confirmed:
            return [
                Reply(self.cat.text(lang, "forget.cancelled"), edit=True),
                *self._current(state),
            ]
        try:
            report = await self.storage.forget(user)
        except StorageUnavailable as error:
            log.warning("erasure failed, nothing erased: %s", error)
            return [Reply(self.cat.text(lang, "storage_unavailable"), edit=True)]
        self.writes.forget(user)
        self._unconsented.pop(user, None)
        if not report.complete:
            log.warning("erasure incomplete: a reader kept the WAL busy")
            return [Reply(self.cat.text(lang, "forget.incomplete"), edit=True)]
        return [Reply(self.cat.plural(lang, "forget.done", report.conversations), edit=True)]

    async def expire_idle(self, idle: timedelta) -> int:
        """End conversations idle for longer than ``idle``: logged as abandoned, state dropped."""
        now = self.clock()
        try:
            expired = await self.storage.idle_states(now - idle)
        except StorageUnavailable as error:
            log.warning("idle conversations not checked: %s", error)
            return 0
        for user, data in expired:
            state = DialogueState.from_json(data)
            await self.writes.save_record(
                self._record(state, user, now, closing_outcome(state, Outcome.ABANDONED))
            )
            await self.writes.drop_state(user)
        return len(expired)

    async def end(self, who: Who) -> None:
        """The person left (terminal closed): an unfinished conversation is abandoned."""
        user = self.pseudonym(who)
        state = await self.load(user)
        if state is None:
            return
        now = self.clock()
        await self.writes.save_record(
            self._record(state, user, now, closing_outcome(state, Outcome.ABANDONED))
        )
        await self.writes.drop_state(user)

    async def purge(self) -> int:
        """Erase what is older than the retention period; the number of conversations erased."""
        erased, complete = await self.storage.purge(
            retention_cutoff(self.clock(), self.retention_days)
        )
        if not complete:
            log.warning("retention: a reader kept the WAL busy; erased rows may linger in it")
        return erased

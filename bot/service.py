"""The orientation service: the dialogue plus persistence, the demand log and privacy commands.

Every adapter (Telegram, terminal) turns what the person did into an :class:`Event`, calls
:meth:`OrientationService.handle` and shows the replies. The Telegram user id is turned into
a keyed pseudonym here and never goes further.
"""

from __future__ import annotations

import asyncio
import logging
import operator
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from cachetools import LRUCache

from bot import outbox
from bot.core.catalogue import Catalogue, Markup, language_of
from bot.core.dialogue.engine import Dialogue
from bot.core.dialogue.events import Erased, Event, Reply, Stored
from bot.core.dialogue.record import record_of
from bot.core.dialogue.state import MEMORY_ONLY, DialogueState
from bot.core.dialogue.steps.followup import ACCEPTED, Tap, tap_of
from bot.core.dialogue.turn import Ask, Turn
from bot.core.records import ConversationRecord, Outcome
from bot.followup.service import FollowupService
from bot.handoff.desk import HandoffDesk
from bot.outbox import Delivery
from bot.privacy import pseudonymise, retention_cutoff
from bot.reports.reading import Report, read_report
from bot.storage import StoragePort, StorageUnavailable
from bot.storage.aggregates import ExportRow, Scope
from bot.writebehind import WriteBehind

log = logging.getLogger(__name__)

UNCONSENTED_KEPT = 10_000
PSEUDONYMS_KEPT = 10_000
"""The people whose pseudonym is kept in memory, the most recent ones."""
ROWS_KEPT = 4_096
"""The people whose last demand-log row is kept in memory (:meth:`OrientationService._row`)."""
OFF_LOOP_FROM = 2_000  # actors: from there a turn runs in a worker thread (bot/core/matching/)


@dataclass(frozen=True)
class Who:
    """The person behind an update: Telegram user id and language code."""

    user_id: int
    language_code: str | None = None


_LOGGED = operator.attrgetter(
    *(f.name for f in fields(ConversationRecord) if f.name not in ("updated_at", "ended_at"))
)
"""What a demand-log row says about its conversation: every field but its times."""


def same_log(before: ConversationRecord, after: ConversationRecord) -> bool:
    """Whether ``after`` says nothing new about its conversation: then its row is not written
    again, and the row's ``updated_at`` and ``ended_at`` keep the time it last changed."""
    return bool(_LOGGED(before) == _LOGGED(after))


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
        self._pseudonyms: LRUCache[int, str] = LRUCache(PSEUDONYMS_KEPT)
        self._rows: LRUCache[str, tuple[DialogueState, ConversationRecord]] = LRUCache(ROWS_KEPT)
        self.handoffs: HandoffDesk | None = None

    @property
    def cat(self) -> Catalogue:
        """The message catalogue."""
        return self.dialogue.cat

    def pseudonym(self, who: Who) -> str:
        """The keyed pseudonym of this person (the flood guard and the turn both ask for it)."""
        found = self._pseudonyms.get(who.user_id)
        if found is None:
            found = self._pseudonyms[who.user_id] = pseudonymise(self.secret, who.user_id)
        return found

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
        held = self._unconsented.get(user, {})
        return DialogueState.from_json(data | {k: held.get(k) for k in MEMORY_ONLY})

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

    async def report(self, scope: Scope, guard: asyncio.Lock | None = None) -> Report:
        """The coordinators' report of ``scope``, counted in the database (its past days not
        counted yet first, a day at a time with ``guard`` taken); with the outcome figures
        where follow-ups are offered (:func:`~bot.reports.reading.read_report`)."""
        followed = self.followups is not None
        return await read_report(self.storage, scope, self.clock(), followed, guard)

    async def export(self, scope: Scope, write: Callable[[list[ExportRow]], None]) -> int:
        """Every conversation of ``scope``, to ``write`` in batches (the coordinators' CSV)."""
        return await self.storage.export(scope, write)

    async def handle(self, who: Who, event: Event, delivery: Delivery | None = None) -> list[Reply]:
        """Apply ``event`` for ``who``; persist the state and the log; return the replies.

        With ``delivery``, the inbox update it answers is marked done in the turn's transaction,
        with the replies to send (:mod:`bot.outbox`).
        """
        user = self.pseudonym(who)
        now = self.clock()
        state = await self.load(user)
        lang = state.lang if state else language_of(who.language_code)
        tap = tap_of(event)
        if tap is not None:
            return await self._followup_tap(user, lang, tap, state)
        if state is None:
            consent = await self._consent(user)
            turn = await self._turn(None, event, now, lang)
            turn.state = turn.state.but(consent=consent)
        else:
            turn = await self._turn(state, event, now, lang)
            if self.handoffs is not None:
                turn = await self.handoffs.screen(user, state, turn)
        if turn.asks is Ask.ERASE:
            return await self._erase(user, turn, now)
        if turn.asks is Ask.MY_DATA:
            turn = await self._my_data(user, turn, now)
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
        current = self._record(turn.state, user, now)
        if before is None or turn.closed or not same_log(self._row(before, user, now), current):
            records.append(current)
        self._rows[user] = (turn.state, current)
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

    def _row(self, state: DialogueState, user: str, now: datetime) -> ConversationRecord:
        """The demand-log row of ``state`` for :func:`same_log`: the one the last turn built,
        when it left this very state (its times may be older: :func:`same_log` ignores them)."""
        last = self._rows.get(user)
        if last is not None and last[0] == state:
            return last[1]
        return self._record(state, user, now)

    def _current(self, state: DialogueState | None) -> list[Reply]:
        return self.dialogue.ask(state) if state else []

    async def _my_data(self, user: str, turn: Turn, now: datetime) -> Turn:
        """/mesdonnees: the stored data listed, for the dialogue to show."""
        lang = turn.state.lang
        try:
            records: tuple[ConversationRecord, ...] | None = tuple(
                await self.storage.conversations_of(user)
            )
        except StorageUnavailable as error:
            log.warning("conversations not listed: %s", error)
            records = None
        lines: list[Markup] = []
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
        stored = Stored(records, tuple(lines), self.retention_days)
        shown = self.dialogue.handle(turn.state, stored, now)
        shown.replies[:0] = turn.replies
        return shown

    async def _erase(self, user: str, turn: Turn, now: datetime) -> list[Reply]:
        """/oubli confirmed: everything about the person erased; no state is kept after it."""
        try:
            report = await self.storage.forget(user)
        except StorageUnavailable as error:
            log.warning("erasure failed, nothing erased: %s", error)
            return self.dialogue.handle(turn.state, Erased(None), now).replies
        self.writes.forget(user)
        self._unconsented.pop(user, None)
        self._rows.pop(user, None)
        if not report.complete:
            log.warning("erasure incomplete: a reader kept the WAL busy")
        erased = Erased(report.conversations, report.complete)
        return self.dialogue.handle(turn.state, erased, now).replies

    async def expire_idle(self, idle: timedelta) -> int:
        """End conversations idle for longer than ``idle``: logged as abandoned, state dropped."""
        now = self.clock()
        try:
            expired = await self.storage.idle_states(now - idle)
        except StorageUnavailable as error:
            log.warning("idle conversations not checked: %s", error)
            return 0
        for user, data in expired:
            await self._abandon(user, DialogueState.from_json(data), now)
        return len(expired)

    async def end(self, who: Who) -> None:
        """The person left (terminal closed): an unfinished conversation is abandoned."""
        user = self.pseudonym(who)
        state = await self.load(user)
        if state is None:
            return
        await self._abandon(user, state, self.clock())

    async def _abandon(self, user: str, state: DialogueState, now: datetime) -> None:
        """The conversation logged as abandoned (unless completed), its state dropped."""
        await self.writes.save_record(
            self._record(state, user, now, closing_outcome(state, Outcome.ABANDONED))
        )
        await self.writes.drop_state(user)
        self._rows.pop(user, None)

    async def purge(self) -> int:
        """Erase what is older than the retention period; the number of conversations erased."""
        erased, complete = await self.storage.purge(
            retention_cutoff(self.clock(), self.retention_days)
        )
        self._rows.clear()
        if not complete:
            log.warning("retention: a reader kept the WAL busy; erased rows may linger in it")
        return erased

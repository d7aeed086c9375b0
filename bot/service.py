"""The orientation service: the dialogue plus persistence, the demand log and privacy commands.

Every adapter (Telegram, terminal) turns what the person did into an :class:`Event`, calls
:meth:`OrientationService.handle` and shows the replies. The Telegram user id is turned into
a keyed pseudonym here and never goes further.
"""

from __future__ import annotations

import itertools
import logging
import secrets
import sqlite3
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import outbox
from bot.core.catalogue import Catalogue, Markup, language_of
from bot.core.dialogue.engine import Dialogue, Turn
from bot.core.dialogue.events import Button, Command, Event, Press, Reply
from bot.core.dialogue.state import DialogueState
from bot.core.presenting import label
from bot.core.records import ConversationRecord, Feedback, Outcome
from bot.flood import FloodGuard
from bot.outbox import Delivery
from bot.privacy import pseudonymise, retention_cutoff
from bot.storage import Storage

log = logging.getLogger(__name__)

PRIVACY_COMMANDS = {
    "mesdonnees": "my_data",
    "mydata": "my_data",
    "oubli": "forget",
    "forget": "forget",
}
FORGET_CODE = "o"
"""Erasure buttons: ``<step>|o|y`` and ``<step>|o|n``; only the step last asked is valid."""
MY_DATA_LISTED = 10
UNCONSENTED_KEPT = 10_000


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
        storage: Storage,
        secret: bytes,
        retention_days: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        flood: FloodGuard | None = None,
    ) -> None:
        self.dialogue = dialogue
        self.storage = storage
        self.secret = secret
        self.retention_days = retention_days
        self.clock = clock
        self.flood = flood or FloodGuard()
        self.pending_records: dict[str, ConversationRecord] = {}
        self.pending_states: dict[str, dict[str, Any] | None] = {}
        self._unconsented: OrderedDict[str, str] = OrderedDict()
        self._forget_steps = itertools.count(secrets.randbelow(1 << 30))
        self._forget_asked: OrderedDict[str, int] = OrderedDict()

    @property
    def cat(self) -> Catalogue:
        """The message catalogue."""
        return self.dialogue.cat

    def pseudonym(self, who: Who) -> str:
        """The keyed pseudonym of this person."""
        return pseudonymise(self.secret, who.user_id)

    async def load(self, user: str) -> DialogueState | None:
        """The conversation state of ``user``: not yet written, else saved; none if unreadable."""
        if user in self.pending_states:
            data = self.pending_states[user]
        else:
            try:
                data = await self.storage.load_state(user)
            except sqlite3.Error as error:
                log.warning("database unavailable, conversation state not loaded: %s", error)
                return None
        if not data:
            return None
        state = DialogueState.from_json(data)
        state.pending_text = self._unconsented.get(user)
        return state

    def _storable(self, user: str, state: DialogueState) -> dict[str, Any]:
        """The state as written to disk: text awaiting consent stays in memory only."""
        self._unconsented.pop(user, None)
        if state.pending_text:
            self._unconsented[user] = state.pending_text
            if len(self._unconsented) > UNCONSENTED_KEPT:
                self._unconsented.popitem(last=False)
        data = state.to_json()
        data["pending_text"] = None
        return data

    @property
    def pending(self) -> int:
        """Writes waiting for the database to come back."""
        return len(self.pending_records) + len(self.pending_states)

    async def flush(self) -> int:
        """Write what the database refused earlier; return how many writes are still pending."""
        if not self.pending:
            return 0
        try:
            await self.storage.save_conversations(list(self.pending_records.values()))
            self.pending_records.clear()
            for user, data in list(self.pending_states.items()):
                if data is None:
                    await self.storage.delete_state(user)
                else:
                    await self.storage.save_state(user, data, self.clock())
                del self.pending_states[user]
        except sqlite3.Error as error:
            log.warning("database still unavailable (%s); %d write(s) pending", error, self.pending)
        else:
            log.info("database back: pending writes flushed")
        return self.pending

    async def _write(self, action: Callable[[], Awaitable[None]], keep: Callable[[], None]) -> None:
        """Run a database write; on failure keep it in memory for :meth:`flush`."""
        if self.pending:
            keep()
            await self.flush()
            return
        try:
            await action()
        except sqlite3.Error as error:
            keep()
            log.warning("database write failed (%s); %d write(s) pending", error, self.pending)

    async def _save_record(self, record: ConversationRecord) -> None:
        await self._write(
            lambda: self.storage.save_conversation(record),
            lambda: self.pending_records.__setitem__(record.id, record),
        )

    async def _save_state(self, user: str, data: dict[str, Any] | None, now: datetime) -> None:

        async def write() -> None:
            if data is None:
                await self.storage.delete_state(user)
            else:
                await self.storage.save_state(user, data, now)

        await self._write(write, lambda: self.pending_states.__setitem__(user, data))

    def throttled(self, who: Who) -> list[Reply] | None:
        """None when ``who`` may be answered; else what to say (once: the flood notice)."""
        verdict = self.flood.check(self.pseudonym(who), self.clock())
        if verdict == "ok":
            return None
        return (
            [Reply(self.cat.text(language_of(who.language_code), "flood"))]
            if verdict == "warn"
            else []
        )

    async def handle(self, who: Who, event: Event, delivery: Delivery | None = None) -> list[Reply]:
        """Apply ``event`` for ``who``; persist the state and the log; return the replies.

        With ``delivery``, the inbox update it answers is marked done in the turn's transaction,
        with the replies to send (:mod:`bot.outbox`).
        """
        held = self.throttled(who)
        if held is not None:
            return held
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
        if state is None:
            consent = await self._consent(user)
            turn = self.dialogue.handle(None, event, now, lang)
            turn.state.consent = consent
        else:
            turn = self.dialogue.handle(state, event, now, lang)
        await self._persist(user, state, turn, now, delivery)
        return turn.replies

    async def _consent(self, user: str) -> bool | None:
        try:
            return await self.storage.get_consent(user)
        except sqlite3.Error:
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
            except sqlite3.Error as error:
                log.warning("consent not recorded (%s); kept in the conversation state", error)
        state = self._storable(user, turn.state)

        def keep() -> None:
            self.pending_states[user] = state
            self.pending_records.update((r.id, r) for r in records)
            for conversation_id in dropped:
                self.pending_records.pop(conversation_id, None)

        answered = (delivery.update_id, outbox.dump(delivery, turn.replies)) if delivery else None
        await self._write(
            lambda: self.storage.save_turn(user, state, records, now, dropped, answered), keep
        )

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
        except sqlite3.Error as error:
            log.warning("conversations not listed: %s", error)
            return [Reply(cat.text(lang, "storage_unavailable"))]
        if records:
            lines.append(cat.text(lang, "mydata.list", count=len(records)))
            for record in records[-MY_DATA_LISTED:]:
                lines.append(
                    cat.text(
                        lang,
                        "mydata.item",
                        date=record.started_at.date().isoformat(),
                        summary=self._summary(record, lang),
                    )
                )
        else:
            lines.append(cat.text(lang, "mydata.none"))
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
        self._forget_asked.pop(user, None)
        self._forget_asked[user] = step
        if len(self._forget_asked) > UNCONSENTED_KEPT:
            self._forget_asked.popitem(last=False)
        buttons = (
            Button(self.cat.text(lang, "button.forget_yes"), f"{step}|{FORGET_CODE}|y"),
            Button(self.cat.text(lang, "button.forget_no"), f"{step}|{FORGET_CODE}|n"),
        )
        return Reply(self.cat.text(lang, "forget.ask"), (buttons,))

    def _forget_press(self, user: str, event: Event) -> bool | None:
        """True/False for « oui »/« non » on the question last asked; None for anything else
        (an old or forged erasure button then gets the dialogue's stale-button answer)."""
        if not isinstance(event, Press):
            return None
        step, code, answer = [*event.data.split("|"), "", ""][:3]
        asked = self._forget_asked.get(user)
        if code != FORGET_CODE or answer not in ("y", "n") or str(asked) != step:
            return None
        del self._forget_asked[user]
        return answer == "y"

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
        except sqlite3.Error as error:
            log.warning("erasure failed, nothing erased: %s", error)
            return [Reply(self.cat.text(lang, "storage_unavailable"), edit=True)]
        self.pending_records = {k: r for k, r in self.pending_records.items() if r.user != user}
        self.pending_states.pop(user, None)
        self._unconsented.pop(user, None)
        if not report.complete:
            log.warning("erasure incomplete: a reader kept the WAL busy")
            return [Reply(self.cat.text(lang, "forget.incomplete"), edit=True)]
        return [
            Reply(self.cat.text(lang, "forget.done", conversations=report.conversations), edit=True)
        ]

    async def expire_idle(self, idle: timedelta) -> int:
        """End conversations idle for longer than ``idle``: logged as abandoned, state dropped."""
        now = self.clock()
        try:
            expired = await self.storage.idle_states(now - idle)
        except sqlite3.Error as error:
            log.warning("idle conversations not checked: %s", error)
            return 0
        for user, data in expired:
            state = DialogueState.from_json(data)
            await self._save_record(
                self._record(state, user, now, closing_outcome(state, Outcome.ABANDONED))
            )
            await self._save_state(user, None, now)
        return len(expired)

    async def end(self, who: Who) -> None:
        """The person left (terminal closed): an unfinished conversation is abandoned."""
        user = self.pseudonym(who)
        state = await self.load(user)
        if state is None:
            return
        now = self.clock()
        await self._save_record(
            self._record(state, user, now, closing_outcome(state, Outcome.ABANDONED))
        )
        await self._save_state(user, None, now)

    async def purge(self) -> int:
        """Erase what is older than the retention period; the number of conversations erased."""
        erased, complete = await self.storage.purge(
            retention_cutoff(self.clock(), self.retention_days)
        )
        if not complete:
            log.warning("retention: a reader kept the WAL busy; erased rows may linger in it")
        return erased

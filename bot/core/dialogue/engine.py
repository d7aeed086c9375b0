"""The dialogue engine: one pure function from (state, event) to (new state, replies).

Flow (README of this package): stage → legal form → needs (multi-select) → commune →
optional description → results with feedback. Free text at any step is understood and
fills what it can; only the missing questions are then asked. Every unexpected input gets a
short reply and the current question again, so there is never a dead end. This module only
dispatches: each step's rules are in :mod:`bot.core.dialogue.steps`, the shared moves in
:mod:`bot.core.dialogue.flow`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from bot.core.catalogue import Catalogue
from bot.core.dialogue.callbacks import ANY_SEQ, Callback, Code, decode
from bot.core.dialogue.events import (
    Command,
    Done,
    Erased,
    Event,
    Press,
    Reply,
    Start,
    Stored,
    Text,
    Unsupported,
    read_command,
)
from bot.core.dialogue.flow import CONSENT, Flow
from bot.core.dialogue.registry import STEPS
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.turn import Turn
from bot.core.greeting import greeting_language
from bot.core.knowledge import KnowledgeBase
from bot.core.links import valid_payload
from bot.core.text import fold
from bot.core.understanding import understand
from bot.core.unsure import says_unsure

MAX_TEXT = 1000
HELP_WORDS = frozenset({"aide", "help", "a l aide"})
SWITCH_MIN_WORDS = 3


class Dialogue:
    """The conversation rules, shared by every transport (Telegram, terminal)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        catalogue: Catalogue,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
        followup_days: float | None = None,
    ) -> None:
        self.kb = kb
        self.cat = catalogue
        self.flow = Flow(kb, catalogue, STEPS, new_id, followup_days)

    def handle(
        self,
        state: DialogueState | None,
        event: Event | Done,
        now: datetime,
        lang_hint: str = "fr",
    ) -> Turn:
        """Apply ``event`` to ``state`` (None: no conversation yet); a :data:`Done` event tells
        the current step what the service did as it asked (:attr:`Turn.asks`)."""
        flow = self.flow
        if isinstance(event, Start):
            return flow.start(state, valid_payload(event.payload), now, lang_hint, welcome=True)
        if state is None:
            turn = flow.start(None, None, now, lang_hint, welcome=True)
            if self._follows_welcome(event):
                follow = self.handle(turn.state, event, now, lang_hint)
                replies = turn.replies[:-1] + follow.replies
                return Turn(follow.state, replies, turn.closed, asks=follow.asks)
            return turn
        if isinstance(event, Command):
            return self._command(state, event, now)
        if isinstance(event, Press):
            return self._press(state, event.data, now)
        if isinstance(event, Unsupported):
            return Turn(state, [flow.say(state, "unsupported"), *flow.ask(state)])
        if isinstance(event, Stored | Erased):
            return flow.step_of(state).answer(flow, state, event, now)
        return self._text(state, event.text, now)

    def _follows_welcome(self, event: Event | Done) -> bool:
        """Whether a first event is still taken after the welcome: a sentence, or a command that
        opens a screen (/mesdonnees, /oubli…)."""
        if isinstance(event, Text):
            return bool(event.text.strip())
        return isinstance(event, Command) and event.name in self.flow.by_command

    def ask(self, state: DialogueState) -> list[Reply]:
        """The current question again (or the results' buttons)."""
        return self.flow.ask(state)

    def _command(self, state: DialogueState, command: Command, now: datetime) -> Turn:
        flow = self.flow
        if command.name in {"aide", "help"}:
            return Turn(state, [flow.say(state, "help"), *flow.ask(state)])
        if command.name in {"recommencer", "restart"}:
            turn = flow.start(state, None, now, state.lang, welcome=False)
            turn.replies.insert(0, flow.say(turn.state, "restart"))
            return turn
        step = flow.by_command.get(command.name)
        if step is not None:
            return step.command(flow, state, now)
        return Turn(state, [flow.say(state, "unknown_command"), *flow.ask(state)])

    def _press(self, state: DialogueState, data: str, now: datetime) -> Turn:
        flow = self.flow
        button = decode(data)
        if button is None or button.seq not in (str(state.seq), ANY_SEQ):
            return flow.stale(state)
        if button.seq == ANY_SEQ and button.code != Code.FIX:
            return flow.stale(state)
        if button.code == Code.BACK:
            return self._back(state)
        if button.code == Code.FIX:
            return self._fix(state, button)
        step = flow.by_code.get(button.code)
        if step is None or not (step.anywhere or step.name == state.step):
            return flow.stale(state)
        return step.press(flow, state, button, now)

    def _back(self, state: DialogueState) -> Turn:
        flow = self.flow
        if not state.back:
            return Turn(state, flow.ask(state))
        state = flow.move(state, state.back[-1], push=False, back=state.back[:-1], candidates=())
        return Turn(state, flow.ask(state))

    def _fix(self, state: DialogueState, button: Callback) -> Turn:
        """« Corriger »: back to a question whose answer was read from a sentence."""
        flow = self.flow
        step = flow.by_name.get(button.value)
        if step is None or step.fix_key is None or flow.step_of(state).commands:
            return flow.stale(state)
        if state.step == CONSENT:  # correcting first: the text is not kept, asked again later
            state = flow.move(state, step.name, pending_text=None, resume=None)
        else:
            state = flow.move(state, step.name)
        return Turn(state, flow.ask(state))

    def _text(self, state: DialogueState, raw: str, now: datetime) -> Turn:
        flow = self.flow
        notes = [flow.say(state, "too_long")] if len(raw) > MAX_TEXT else []
        text = raw[:MAX_TEXT].strip()
        if not text:
            return Turn(state, [*notes, *flow.ask(state)])
        if text.startswith("/") and len(text) > 1:  # a command sent as text: the command,
            return self.handle(state, read_command(text), now, state.lang)  # language kept
        if fold(text) in HELP_WORDS:  # « aide » typed alone asks for /aide, not for advice
            if fold(text) == "help":
                state = state.but(lang="en")
            return self._command(state, Command("aide"), now)
        step = flow.step_of(state)
        sentence = len(fold(text).split()) >= SWITCH_MIN_WORDS and step.switches_language
        written = understand(text, self.kb, state.lang).lang if sentence else None
        if step.switches_language and written is None:
            written = greeting_language(text)  # « hello » alone is English
        if written is not None and written != state.lang:
            state = state.but(lang=written)  # answer in the language the person writes in
            notes.append(flow.say(state, "lang.switched"))
        unsure = step.unsure(flow, state, now) if says_unsure(text) else None
        turn = step.text(flow, state, text, now) if unsure is None else unsure
        turn.replies[:0] = notes
        return turn

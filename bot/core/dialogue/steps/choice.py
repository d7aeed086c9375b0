"""A question answered by one term of the taxonomy (a stage, a legal form), one per button."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal, TypedDict

from bot.core.catalogue import Markup
from bot.core.dialogue.callbacks import Callback, Code
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import Logged, Rows, Step
from bot.core.dialogue.turn import Turn
from bot.core.presenting import label
from bot.core.understanding import Inference

Field = Literal["stage", "legal_form"]
"""The fields, of the state, of the understanding and of the demand log, holding a chosen term."""


class Chosen(TypedDict, total=False):
    """A change of the state's chosen terms."""

    stage: str | None
    legal_form: str | None


class Choice(Step):
    """Subclasses name the taxonomy ``kind``, their ``code`` and keys; their ``name`` (a
    :data:`Field`) is the field of the state, of the understanding and of the demand log that
    holds the term, written through typed dicts (:class:`Chosen`, :class:`Logged`)."""

    name: ClassVar[Field]
    question = True
    kind: ClassVar[str]
    code: ClassVar[Code]
    ask_key: ClassVar[str]
    understood_key: ClassVar[str]
    per_row: ClassVar[int] = 1
    unsure_term: ClassVar[str | None] = None
    """The term that « je ne sais pas » typed here chooses, if any."""

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.codes = (cls.code,)
        own: tuple[str, ...] = cls.__dict__.get("keys", ())
        fix = (cls.fix_key,) if cls.fix_key else ()
        cls.keys = (cls.ask_key, cls.understood_key, *fix, *own)

    def chosen(self, state: DialogueState) -> str | None:
        """The term chosen so far (the state's field named like the step)."""
        term: str | None = getattr(state, self.name)
        return term

    def choose(self, state: DialogueState, term: str) -> DialogueState:
        """The state with ``term`` chosen."""
        chosen: Chosen = {}
        chosen[self.name] = term
        return state.but(**chosen)

    def read(self, inference: Inference) -> str | None:
        """The term a sentence said (the understanding's field named like the step)."""
        term: str | None = getattr(inference, self.name)
        return term

    def answered(self, state: DialogueState) -> bool:
        return self.chosen(state) is not None

    def given(self, state: DialogueState) -> bool:
        return bool(self.chosen(state))

    def logged(self, state: DialogueState) -> Logged:
        logged: Logged = {}
        logged[self.name] = self.chosen(state)
        return logged

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        buttons = [
            flow.button(state, t.label(state.lang), self.code, t.id)
            for t in flow.kb.taxonomy.kind(self.kind).values()
        ]
        step = self.per_row
        rows = tuple(tuple(buttons[i : i + step]) for i in range(0, len(buttons), step))
        return flow.cat.text(state.lang, self.ask_key), rows

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        if button.value not in flow.kb.taxonomy.kind(self.kind):
            return flow.stale(state)
        return self._said(flow, state, button.value, now, pressed=True)

    def unsure(self, flow: Flow, state: DialogueState, now: datetime) -> Turn | None:
        if self.unsure_term is None:
            return None
        return self._said(flow, state, self.unsure_term, now, pressed=False)

    def _said(
        self, flow: Flow, state: DialogueState, term: str, now: datetime, *, pressed: bool
    ) -> Turn:
        """``term`` answered (said now, no longer guessed), then the next question."""
        guessed = tuple(g for g in state.guessed if g != self.name)
        state = self.choose(state.but(guessed=guessed), term)
        answer = label(flow.kb, self.kind, term, state.lang)
        return flow.answered(state, answer, now, pressed=pressed)

    def recap(self, flow: Flow, state: DialogueState) -> str | None:
        term = self.chosen(state)
        return label(flow.kb, self.kind, term, state.lang) if term else None

    def understood(self, flow: Flow, state: DialogueState, inference: Inference) -> Markup | None:
        term = self.read(inference)
        if not term:
            return None
        value = label(flow.kb, self.kind, term, state.lang)
        return flow.cat.text(state.lang, self.understood_key, value=value)

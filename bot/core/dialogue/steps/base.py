"""What every step declares; a new question subclasses :class:`Step` (see the README)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, TypedDict

from bot.core.catalogue import Markup
from bot.core.dialogue.callbacks import NO, YES, Callback, Code
from bot.core.dialogue.events import Button, Done, Reply
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.turn import Turn
from bot.core.records import Feedback
from bot.core.understanding import Inference

if TYPE_CHECKING:
    from bot.core.dialogue.flow import Flow

Rows = tuple[tuple[Button, ...], ...]


class Logged(TypedDict, total=False):
    """What steps write in the demand-log row (fields of :class:`ConversationRecord`)."""

    stage: str | None
    legal_form: str | None
    needs: tuple[str, ...]
    commune: str | None
    recommended: tuple[str, ...]
    unmet_needs: tuple[str, ...]
    feedback: Feedback | None
    free_text: str | None


class Step:
    """One question or screen. The defaults suit a screen that asks nothing."""

    name: ClassVar[str]
    """The name stored in the state (``DialogueState.step``) and drawn in the diagram."""
    question: ClassVar[bool] = False
    """A question of the profile: shown under the recap, with « Retour », asked in order."""
    codes: ClassVar[tuple[Code, ...]] = ()
    """The button codes this step takes."""
    anywhere: ClassVar[bool] = False
    """Its buttons are taken whatever the current step (else they are stale elsewhere)."""
    fix_key: ClassVar[str | None] = None
    """The catalogue key of its « Corriger » button, when an answer read from text can be fixed."""
    switches_language: ClassVar[bool] = True
    """A sentence typed here may switch the conversation to the language it is written in."""
    keys: ClassVar[tuple[str, ...]] = ()
    """The catalogue keys it uses (each also written literally where it is used)."""
    commands: ClassVar[tuple[str, ...]] = ()
    """The commands (without the slash) that open it from anywhere."""

    def answered(self, state: DialogueState) -> bool:
        """True when the question needs no asking (questions only)."""
        return True

    def given(self, state: DialogueState) -> bool:
        """True when the person said something here worth logging if the conversation ends."""
        return False

    def logged(self, state: DialogueState) -> Logged:
        """What this step adds to the demand-log row (:mod:`..record`)."""
        return {}

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        """The question's text and buttons."""
        return Markup(""), ()

    def ask(self, flow: Flow, state: DialogueState) -> list[Reply]:
        """What to show to ask this step again."""
        return [flow.question(state)]

    def enter(self, flow: Flow, state: DialogueState, now: datetime, match_text: str) -> Turn:
        """Arrive at this step (it is already the current one)."""
        return Turn(state, flow.ask(state))

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        """Take one of this step's buttons."""
        return flow.stale(state)

    def command(self, flow: Flow, state: DialogueState, now: datetime) -> Turn:
        """One of its :attr:`commands`: open it, to come back where the person was."""
        state = flow.detour(state, self.name)
        return Turn(state, flow.ask(state))

    def answer(self, flow: Flow, state: DialogueState, done: Done, now: datetime) -> Turn:
        """What the service did for this step (:attr:`Turn.asks`); elsewhere, the step again."""
        return Turn(state, flow.ask(state))

    def text(self, flow: Flow, state: DialogueState, text: str, now: datetime) -> Turn:
        """Take typed text while this step is asked: understood as a sentence by default."""
        return flow.free_text(state, text, now, description=False)

    def unsure(self, flow: Flow, state: DialogueState, now: datetime) -> Turn | None:
        """« Je ne sais pas » typed while this step is asked; None: read as any sentence."""
        return None

    def recap(self, flow: Flow, state: DialogueState) -> str | None:
        """Its part of the recap line, once answered."""
        return None

    def understood(self, flow: Flow, state: DialogueState, inference: Inference) -> Markup | None:
        """The line of « J'ai compris » for what a sentence said about this step."""
        return None

    def absorb(self, state: DialogueState, inference: Inference) -> DialogueState:
        """The state with what a sentence said about this step (it replaces earlier answers)."""
        return state


class ButtonsOnly(Step):
    """A screen answered by its buttons only: typed text asks for them."""

    def text(self, flow: Flow, state: DialogueState, text: str, now: datetime) -> Turn:
        return Turn(state, [flow.say(state, "answer_buttons_first"), *flow.ask(state)])


class YesNo(ButtonsOnly, ABC):
    """A screen asking a yes / no question with two buttons of its one code."""

    ask_key: ClassVar[str]
    yes_key: ClassVar[str]
    no_key: ClassVar[str]

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        rows = flow.yes_no(state, self.codes[0], self.yes_key, self.no_key)
        return flow.cat.text(state.lang, self.ask_key), rows

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        if button.value not in (YES, NO):
            return flow.stale(state)
        return self.said(flow, state, button.value == YES, now)

    @abstractmethod
    def said(self, flow: Flow, state: DialogueState, yes: bool, now: datetime) -> Turn:
        """The answer, « yes » or « no »."""


def pairs(buttons: list[Button]) -> Rows:
    """Buttons two per row."""
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))

"""« Décrivez votre projet » — an optional sentence, or « Passer »."""

from __future__ import annotations

from datetime import datetime

from bot.core.catalogue import Markup
from bot.core.dialogue.callbacks import Callback, Code
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import Rows, Step
from bot.core.dialogue.turn import Turn

SKIP = "skip"


class Description(Step):
    """A few words about the project, read like any sentence."""

    name = "description"
    question = True
    codes = (Code.SKIP,)
    keys = ("ask.description", "button.skip")

    def answered(self, state: DialogueState) -> bool:
        return state.description_done

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        skip = flow.button(state, flow.cat.text(state.lang, "button.skip"), Code.SKIP, SKIP)
        return flow.cat.text(state.lang, "ask.description"), ((skip,),)

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        state = state.but(description_done=True)
        return flow.answered(state, flow.cat.text(state.lang, "button.skip"), now)

    def text(self, flow: Flow, state: DialogueState, text: str, now: datetime) -> Turn:
        return flow.free_text(state, text, now, description=True)

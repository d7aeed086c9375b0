"""« Où en est votre projet ? » — one button per stage of the taxonomy."""

from __future__ import annotations

from datetime import datetime

from bot.core.dialogue.callbacks import Code
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.choice import Choice
from bot.core.dialogue.turn import Turn
from bot.core.understanding import Inference


class Stage(Choice):
    """The project's stage."""

    name = "stage"
    kind = "stages"
    code = Code.STAGE
    ask_key = "ask.stage"
    understood_key = "understood.stage"
    fix_key = "button.fix.stage"
    keys = ("stage.unsure",)

    def absorb(self, state: DialogueState, inference: Inference) -> DialogueState:
        if not inference.stage:
            return state
        # read from a verb, not said: weighs, does not exclude
        others = tuple(g for g in state.guessed if g != "stage")
        guessed = others if inference.stage_is_sure else (*others, "stage")
        return state.but(stage=inference.stage, guessed=tuple(sorted(guessed)))

    def unsure(self, flow: Flow, state: DialogueState, now: datetime) -> Turn | None:
        """Not knowing the stage: the first one fits a project that has not started yet."""
        first = next(iter(flow.kb.taxonomy.kind(self.kind).values()))
        hint = flow.say(state, "stage.unsure", first=first.label(state.lang))
        return Turn(state, [hint, *flow.ask(state)])

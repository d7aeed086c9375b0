"""« Où en est votre projet ? » — one button per stage of the taxonomy."""

from __future__ import annotations

from dataclasses import replace

from bot.core.dialogue.callbacks import Code
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.choice import Choice
from bot.core.understanding import Inference


class Stage(Choice):
    """The project's stage."""

    name = "stage"
    kind = "stages"
    code = Code.STAGE
    ask_key = "ask.stage"
    understood_key = "understood.stage"
    fix_key = "button.fix.stage"

    def absorb(self, state: DialogueState, inference: Inference) -> DialogueState:
        if not inference.stage:
            return state
        # read from a verb, not said: weighs, does not exclude
        others = tuple(g for g in state.guessed if g != "stage")
        guessed = others if inference.stage_is_sure else (*others, "stage")
        return replace(state, stage=inference.stage, guessed=tuple(sorted(guessed)))

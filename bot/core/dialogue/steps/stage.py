"""« Où en est votre projet ? » — one button per stage of the taxonomy."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.catalogue import Markup
from bot.core.dialogue.callbacks import Callback, Code
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import Rows, Step
from bot.core.dialogue.turn import Turn
from bot.core.presenting import label
from bot.core.understanding import Inference


class Stage(Step):
    """The project's stage."""

    name = "stage"
    question = True
    codes = (Code.STAGE,)
    fix_key = "button.fix.stage"
    keys = ("ask.stage", "understood.stage", "button.fix.stage")

    def answered(self, state: DialogueState) -> bool:
        return state.stage is not None

    def given(self, state: DialogueState) -> bool:
        return bool(state.stage)

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        rows = tuple(
            (flow.button(state, t.label(state.lang), Code.STAGE, t.id),)
            for t in flow.kb.taxonomy.stages.values()
        )
        return flow.cat.text(state.lang, "ask.stage"), rows

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        if button.value not in flow.kb.taxonomy.stages:
            return flow.stale(state)
        guessed = tuple(g for g in state.guessed if g != "stage")
        state = replace(state, stage=button.value, guessed=guessed)
        return flow.answered(state, label(flow.kb, "stages", button.value, state.lang), now)

    def recap(self, flow: Flow, state: DialogueState) -> str | None:
        return label(flow.kb, "stages", state.stage, state.lang) if state.stage else None

    def understood(self, flow: Flow, state: DialogueState, inference: Inference) -> Markup | None:
        if not inference.stage:
            return None
        value = label(flow.kb, "stages", inference.stage, state.lang)
        return flow.cat.text(state.lang, "understood.stage", value=value)

    def absorb(self, state: DialogueState, inference: Inference) -> DialogueState:
        if not inference.stage:
            return state
        # read from a verb, not said: weighs, does not exclude
        others = tuple(g for g in state.guessed if g != "stage")
        guessed = others if inference.stage_is_sure else (*others, "stage")
        return replace(state, stage=inference.stage, guessed=tuple(sorted(guessed)))

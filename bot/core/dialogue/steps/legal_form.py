"""« Quelle forme juridique ? » — the legal forms of the taxonomy, two per row."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.catalogue import Markup
from bot.core.dialogue.callbacks import Callback, Code
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import Rows, Step, pairs
from bot.core.dialogue.turn import Turn
from bot.core.presenting import label
from bot.core.understanding import Inference


class LegalForm(Step):
    """The project's legal form (or « not decided yet »)."""

    name = "legal_form"
    question = True
    codes = (Code.LEGAL_FORM,)
    fix_key = "button.fix.legal_form"
    keys = ("ask.legal_form", "understood.legal_form", "button.fix.legal_form")

    def answered(self, state: DialogueState) -> bool:
        return state.legal_form is not None

    def given(self, state: DialogueState) -> bool:
        return bool(state.legal_form)

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        buttons = [
            flow.button(state, t.label(state.lang), Code.LEGAL_FORM, t.id)
            for t in flow.kb.taxonomy.legal_forms.values()
        ]
        return flow.cat.text(state.lang, "ask.legal_form"), pairs(buttons)

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        if button.value not in flow.kb.taxonomy.legal_forms:
            return flow.stale(state)
        guessed = tuple(g for g in state.guessed if g != "legal_form")
        state = replace(state, legal_form=button.value, guessed=guessed)
        return flow.answered(state, label(flow.kb, "legal_forms", button.value, state.lang), now)

    def recap(self, flow: Flow, state: DialogueState) -> str | None:
        return (
            label(flow.kb, "legal_forms", state.legal_form, state.lang)
            if state.legal_form
            else None
        )

    def understood(self, flow: Flow, state: DialogueState, inference: Inference) -> Markup | None:
        if not inference.legal_form:
            return None
        value = label(flow.kb, "legal_forms", inference.legal_form, state.lang)
        return flow.cat.text(state.lang, "understood.legal_form", value=value)

    def absorb(self, state: DialogueState, inference: Inference) -> DialogueState:
        if not inference.legal_form:
            return state
        guessed = tuple(sorted({*state.guessed, "legal_form"}))
        return replace(state, legal_form=inference.legal_form, guessed=guessed)

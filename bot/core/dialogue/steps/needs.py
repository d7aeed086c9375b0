"""« De quoi avez-vous besoin ? » — several needs ticked, then « Valider » or « Je ne sais pas »."""

from __future__ import annotations

from datetime import datetime

from bot.core.catalogue import Markup
from bot.core.dialogue.callbacks import Callback, Code
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import Logged, Rows, Step, pairs
from bot.core.dialogue.turn import Turn
from bot.core.matching import DEFAULT_NEED
from bot.core.presenting import label
from bot.core.understanding import Inference

DONT_KNOW = "x"
VALIDATE = "ok"
TICK = "✓ "


class Needs(Step):
    """What the person needs (multi-select)."""

    name = "needs"
    question = True
    codes = (Code.NEED, Code.NEEDS_DONE)
    fix_key = "button.fix.needs"
    keys = (
        "ask.needs",
        "needs.selected",
        "needs.none_selected",
        "button.dont_know",
        "button.validate",
        "understood.needs",
        "button.fix.needs",
    )

    def answered(self, state: DialogueState) -> bool:
        return state.needs_done

    def given(self, state: DialogueState) -> bool:
        return bool(state.needs)

    def logged(self, state: DialogueState) -> Logged:
        return {"needs": state.needs}

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        lang, cat = state.lang, flow.cat
        buttons = [
            flow.button(
                state, (TICK if t.id in state.needs else "") + t.label(lang), Code.NEED, t.id
            )
            for t in flow.kb.taxonomy.needs.values()
        ]
        done = (
            flow.button(state, cat.text(lang, "button.dont_know"), Code.NEEDS_DONE, DONT_KNOW),
            flow.button(state, cat.text(lang, "button.validate"), Code.NEEDS_DONE, VALIDATE),
        )
        text = cat.text(lang, "ask.needs")
        if state.needs:
            selected = cat.text(lang, "needs.selected", needs=needs_label(flow, state))
            text = Markup(text + "\n" + selected)
        return text, (*pairs(buttons), done)

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        if button.code == Code.NEEDS_DONE:
            return self._done(flow, state, button.value, now)
        if button.value not in flow.kb.taxonomy.needs:
            return flow.stale(state)
        if button.value in state.needs:
            needs = tuple(n for n in state.needs if n != button.value)
        else:
            needs = (*state.needs, button.value)
        return Turn(state.but(needs=needs), [flow.reask(state.but(needs=needs))])

    def unsure(self, flow: Flow, state: DialogueState, now: datetime) -> Turn | None:
        """As the « Je ne sais pas » button: the needs ticked are kept."""
        return self._done(flow, state, DONT_KNOW, now, pressed=False)

    def _done(
        self, flow: Flow, state: DialogueState, value: str, now: datetime, *, pressed: bool = True
    ) -> Turn:
        if value == DONT_KNOW:
            state = state.but(needs=tuple(dict.fromkeys([*state.needs, DEFAULT_NEED])))
        if not state.needs:
            return Turn(state, [flow.say(state, "needs.none_selected"), *flow.ask(state)])
        state = state.but(needs_done=True)
        return flow.answered(state, needs_label(flow, state), now, pressed=pressed)

    def recap(self, flow: Flow, state: DialogueState) -> str | None:
        return needs_label(flow, state) if state.needs_done and state.needs else None

    def understood(self, flow: Flow, state: DialogueState, inference: Inference) -> Markup | None:
        if not inference.needs:
            return None
        return flow.cat.text(state.lang, "understood.needs", value=needs_label(flow, state))

    def absorb(self, state: DialogueState, inference: Inference) -> DialogueState:
        if not inference.needs:
            return state
        needs = tuple(dict.fromkeys([*state.needs, *inference.needs]))
        return state.but(needs=needs, needs_done=True)


def needs_label(flow: Flow, state: DialogueState) -> str:
    """The chosen needs, comma-separated."""
    return ", ".join(label(flow.kb, "needs", n, state.lang) for n in state.needs)

"""« Puis-je garder vos mots ? » — asked once, before the first sentence is kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.catalogue import Markup
from bot.core.dialogue.callbacks import Callback, Code
from bot.core.dialogue.events import Reply
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import FIRST_STEP, DialogueState
from bot.core.dialogue.steps.base import ButtonsOnly, Rows
from bot.core.dialogue.turn import Turn

YES = "y"
NO = "n"


class Consent(ButtonsOnly):
    """Whether the person's words may be kept; the sentence waits in memory meanwhile."""

    name = "consent"
    codes = (Code.CONSENT,)
    keys = (
        "ask.consent",
        "button.consent_yes",
        "button.consent_no",
        "consent.yes",
        "consent.no",
        "answered",
        "answer_buttons_first",
    )

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        lang = state.lang
        row = (
            flow.button(state, flow.cat.text(lang, "button.consent_yes"), Code.CONSENT, YES),
            flow.button(state, flow.cat.text(lang, "button.consent_no"), Code.CONSENT, NO),
        )
        return flow.cat.text(lang, "ask.consent"), (row,)

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        if button.value not in (YES, NO):
            return flow.stale(state)
        consent = button.value == YES
        text = state.pending_text or ""
        answer_key = "button.consent_yes" if consent else "button.consent_no"
        answer = flow.cat.text(state.lang, answer_key)
        state = replace(state, consent=consent, pending_text=None)
        if consent and text:
            state = flow.keep_text(state, text)
        state = replace(state, step=state.resume or FIRST_STEP, resume=None)
        asked = flow.cat.text(state.lang, "ask.consent")
        echo = Reply(
            flow.cat.text(state.lang, "answered", question=asked, answer=answer), edit=True
        )
        thanks = flow.say(state, "consent.yes" if consent else "consent.no")
        turn = flow.answered(state, answer, now, pressed=False, match_text=text)
        turn.replies[:0] = [echo, thanks]
        return turn

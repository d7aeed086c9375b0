"""« Puis-je garder vos mots ? » — asked once, before the first sentence is kept."""

from __future__ import annotations

from datetime import datetime

from bot.core.dialogue.callbacks import Code
from bot.core.dialogue.events import Reply
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import FIRST_STEP, DialogueState
from bot.core.dialogue.steps.base import Logged, YesNo
from bot.core.dialogue.turn import Turn
from bot.core.greeting import only_thanks
from bot.core.yesno import says_yes_or_no


class Consent(YesNo):
    """Whether the person's words may be kept; the sentence waits in memory meanwhile.

    « oui » or « non » typed answers it like its buttons, thanks aside (« ok merci »); thanks
    alone answer neither and the question is asked again; another sentence is read too (its
    answers change the recap) and waits beside the first for the same question."""

    name = "consent"
    codes = (Code.CONSENT,)
    ask_key = "ask.consent"
    yes_key = "button.consent_yes"
    no_key = "button.consent_no"
    keys = (
        "ask.consent",
        "button.consent_yes",
        "button.consent_no",
        "consent.yes",
        "consent.no",
        "consent.thanks",
        "answered",
    )

    def logged(self, state: DialogueState) -> Logged:
        return {"free_text": state.free_text or None if state.consent else None}

    def text(self, flow: Flow, state: DialogueState, text: str, now: datetime) -> Turn:
        typed = says_yes_or_no(text)
        if typed is not None:
            return self.said(flow, state, typed, now)
        if only_thanks(text):
            return Turn(state, [flow.say(state, "consent.thanks"), *flow.ask(state)])
        return flow.free_text(state, text, now, description=False)

    def said(self, flow: Flow, state: DialogueState, yes: bool, now: datetime) -> Turn:
        text = state.pending_text or ""
        answer = flow.cat.text(state.lang, self.yes_key if yes else self.no_key)
        state = state.but(consent=yes, pending_text=None)
        if yes and text:
            state = flow.keep_text(state, text)
        state = state.but(step=state.resume or FIRST_STEP, resume=None)
        asked = flow.cat.text(state.lang, self.ask_key)
        echo = Reply(
            flow.cat.text(state.lang, "answered", question=asked, answer=answer), edit=True
        )
        thanks = flow.say(state, "consent.yes" if yes else "consent.no")
        turn = flow.answered(state, answer, now, pressed=False, match_text=text)
        turn.replies[:0] = [echo, thanks]
        return turn

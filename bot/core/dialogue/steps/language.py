"""« Quelle langue ? » — ``/langue``: French or English, then back to where the person was."""

from __future__ import annotations

from datetime import datetime

from bot.core.catalogue import LANGUAGES, Markup
from bot.core.dialogue.callbacks import Callback, Code
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import FIRST_STEP, DialogueState
from bot.core.dialogue.steps.base import ButtonsOnly, Rows
from bot.core.dialogue.turn import Turn

LANGUAGE_KEYS = {"fr": "button.lang.fr", "en": "button.lang.en"}


class Language(ButtonsOnly):
    """The language of the conversation; its buttons work from any step."""

    name = "language"
    codes = (Code.LANGUAGE,)
    anywhere = True
    keys = ("lang.ask", "button.lang.fr", "button.lang.en", "lang.set", "answer_buttons_first")

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        row = tuple(
            flow.button(state, flow.cat.text(state.lang, LANGUAGE_KEYS[lang]), Code.LANGUAGE, lang)
            for lang in LANGUAGES
        )
        return flow.cat.text(state.lang, "lang.ask"), (row,)

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        if button.value not in LANGUAGES:
            return flow.stale(state)
        here = state.step == self.name
        to = (state.resume or FIRST_STEP) if here else state.step
        resume = None if here else state.resume
        state = flow.move(state, to, push=False, resume=resume, lang=button.value)
        return Turn(state, [flow.say(state, "lang.set"), *flow.ask(state)])

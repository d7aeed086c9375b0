"""« Quelle langue ? » — ``/langue``: French or English, then back to where the person was."""

from __future__ import annotations

from datetime import datetime

from bot.core.catalogue import LANGUAGES, Markup
from bot.core.dialogue.callbacks import Callback, Code
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import ButtonsOnly, Rows
from bot.core.dialogue.turn import Turn

LANGUAGE_KEYS = {"fr": "button.lang.fr", "en": "button.lang.en"}


class Language(ButtonsOnly):
    """The language of the conversation; its buttons work from any step."""

    name = "language"
    codes = (Code.LANGUAGE,)
    anywhere = True
    commands = ("langue", "language")
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
        if state.step == self.name:
            state = flow.come_back(state, lang=button.value)
        else:
            state = flow.move(state, state.step, push=False, lang=button.value)
        return Turn(state, [flow.say(state, "lang.set"), *flow.ask(state)])

"""« Tout effacer ? » — ``/oubli``: the erasure, confirmed by a button of the current sequence.

« Oui » asks the service to erase everything (:attr:`Ask.ERASE`), which answers with
:class:`Erased`; an old or forged « Oui » is a stale button like any other, and erases nothing.
« Non » goes back where the person was.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.dialogue.callbacks import Code
from bot.core.dialogue.events import Done, Erased, Reply
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import YesNo
from bot.core.dialogue.turn import Ask, Turn


class Forget(YesNo):
    """The confirmation of the erasure, and its outcome."""

    name = "forget"
    codes = (Code.FORGET,)
    commands = ("oubli", "forget")
    ask_key = "forget.ask"
    yes_key = "button.forget_yes"
    no_key = "button.forget_no"
    keys = (
        "forget.ask",
        "button.forget_yes",
        "button.forget_no",
        "forget.cancelled",
        "forget.done",
        "forget.incomplete",
        "storage_unavailable",
        "answer_buttons_first",
    )

    def said(self, flow: Flow, state: DialogueState, yes: bool, now: datetime) -> Turn:
        if yes:
            return Turn(state, asks=Ask.ERASE)
        state = flow.come_back(state)
        cancelled = Reply(flow.cat.text(state.lang, "forget.cancelled"), edit=True)
        return Turn(state, [cancelled, *flow.ask(state)])

    def answer(self, flow: Flow, state: DialogueState, done: Done, now: datetime) -> Turn:
        """Erased (the service keeps no state after it), or nothing when the database refused."""
        cat, lang = flow.cat, state.lang
        if not isinstance(done, Erased) or done.conversations is None:
            said = cat.text(lang, "storage_unavailable")
        elif not done.complete:
            said = cat.text(lang, "forget.incomplete")
        else:
            said = cat.plural(lang, "forget.done", done.conversations)
        return Turn(state, [Reply(said, edit=True)])

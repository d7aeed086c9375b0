"""The follow-up, offered with the results; and the taps on a follow-up message.

« Voulez-vous que je vous demande dans 10 jours si vous avez pu joindre ces structures ? »
[Oui] [Non merci]: the answer is kept in the state (``followup``) and the service schedules
or declines (``bot/followup/service.py``). A follow-up message, sent later outside the
conversation, carries one tap per structure (:func:`tap_data`, any sequence): the service reads
it with :func:`tap_of` before the conversation, so it works whatever the person is doing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.core.catalogue import Markup
from bot.core.dialogue.callbacks import ANY_SEQ, NO, YES, Callback, Code, decode, encode
from bot.core.dialogue.events import Event, Press, Reply
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import Rows, Step
from bot.core.dialogue.turn import Turn

ACCEPTED = "yes"
DECLINED = "no"
STOP = "x"
ANSWERS = ("reached", "no_answer", "not_yet", "wrong")
CODES = dict(zip(ANSWERS, "rnyw", strict=True))
_TAP = re.compile(r"([0-9a-f]{1,32})\.(?:(\d{1,2})([rnyw])|x)")


@dataclass(frozen=True)
class Tap:
    """A follow-up button: an answer (one of :data:`ANSWERS`) about structure number
    ``index`` of orientation ``conversation_id``, or « Ne plus me relancer » (no index)."""

    conversation_id: str
    index: int | None = None
    answer: str | None = None


def tap_data(tap: Tap) -> str:
    """The data of a follow-up button (≤ 46 bytes)."""
    if tap.index is None or tap.answer is None:
        return encode(ANY_SEQ, Code.FOLLOWUP_ANSWER, f"{tap.conversation_id}.{STOP}")
    value = f"{tap.conversation_id}.{tap.index}{CODES[tap.answer]}"
    return encode(ANY_SEQ, Code.FOLLOWUP_ANSWER, value)


def tap_of(event: Event) -> Tap | None:
    """The follow-up button pressed, or None when ``event`` is not one (untrusted data)."""
    button = decode(event.data) if isinstance(event, Press) else None
    if button is None or button.code != Code.FOLLOWUP_ANSWER or button.seq != ANY_SEQ:
        return None
    match = _TAP.fullmatch(button.value)
    if match is None:
        return None
    conversation_id, index, code = match.groups()
    if index is None:
        return Tap(conversation_id)
    return Tap(conversation_id, int(index), ANSWERS["rnyw".index(code)])


class Followup(Step):
    """The offer's answer; its buttons stay valid while the results are shown."""

    name = "followup"
    codes = (Code.FOLLOWUP,)
    anywhere = True
    keys = (
        "followup.offer",
        "button.followup_yes",
        "button.followup_no",
        "followup.accepted",
        "followup.declined",
        "answered",
    )

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        rows = flow.yes_no(state, Code.FOLLOWUP, "button.followup_yes", "button.followup_no")
        days = _days(flow.followup_days or 0)
        return flow.cat.text(state.lang, "followup.offer", days=days), rows

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        if button.value not in (YES, NO) or not offered(flow, state):
            return flow.stale(state)
        yes = button.value == YES
        state = state.but(followup=ACCEPTED if yes else DECLINED)
        lang = state.lang
        question, _ = self.prompt(flow, state)
        answer = flow.cat.text(lang, "button.followup_yes" if yes else "button.followup_no")
        edited = Reply(flow.cat.text(lang, "answered", question=question, answer=answer), edit=True)
        if yes:
            said = flow.say(state, "followup.accepted", days=_days(flow.followup_days or 0))
        else:
            said = flow.say(state, "followup.declined")
        return Turn(state, [edited, said])


def offered(flow: Flow, state: DialogueState) -> bool:
    """Whether the offer stands: follow-ups on, structures shown, not yet answered."""
    return bool(flow.followup_days) and bool(state.recommended) and state.followup is None


def offer(flow: Flow, state: DialogueState) -> list[Reply]:
    """The offer, with the first results (none when it does not stand)."""
    if not offered(flow, state):
        return []
    text, rows = Followup().prompt(flow, state)
    return [Reply(text, rows)]


def _days(days: float) -> str:
    """« 10 » for whole days, else the decimal as written (« 0.001 » in a demo)."""
    return str(int(days)) if days == int(days) else f"{days:g}"

"""The follow-up message and its buttons: one row of taps per structure, « Ne plus me relancer ».

Button data: ``*|u|<orientation>.<structure number><answer>`` or ``*|u|<orientation>.x``
(stop), at most 46 bytes; :func:`parse_tap` reads it back, refusing anything else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.core.catalogue import Catalogue, Markup
from bot.core.dialogue.events import Button, Reply
from bot.followup.model import SETTLED, Answer, Followup, Given
from bot.followup.rules import TOULOUSE

PREFIX = "*|u|"
STOP = "x"
CODES = {Answer.REACHED: "r", Answer.NO_ANSWER: "n", Answer.NOT_YET: "y", Answer.WRONG: "w"}
ANSWERS = {code: answer for answer, code in CODES.items()}
ICONS = {Answer.REACHED: "✅", Answer.NO_ANSWER: "📵", Answer.NOT_YET: "⏳", Answer.WRONG: "↩️"}
LABELS = {
    Answer.REACHED: "followup.answer.reached",
    Answer.NO_ANSWER: "followup.answer.no_answer",
    Answer.NOT_YET: "followup.answer.not_yet",
    Answer.WRONG: "followup.answer.wrong",
}
CHOSEN = "✓"
_TAP = re.compile(r"([0-9a-f]{1,32})\.(?:(\d{1,2})([rnyw])|x)")


@dataclass(frozen=True)
class Tap:
    """A pressed follow-up button: an answer about structure number ``index``, or stop."""

    conversation_id: str
    index: int | None = None
    answer: Answer | None = None


def tap_data(conversation_id: str, index: int | None, answer: Answer | None = None) -> str:
    """The data of an answer button (``index`` None: « Ne plus me relancer »)."""
    tail = STOP if index is None or answer is None else f"{index}{CODES[answer]}"
    return f"{PREFIX}{conversation_id}.{tail}"


def parse_tap(data: str) -> Tap | None:
    """The follow-up button behind ``data`` (untrusted), or None when it is not one."""
    if not data.startswith(PREFIX):
        return None
    match = _TAP.fullmatch(data.removeprefix(PREFIX))
    if match is None:
        return None
    conversation_id, index, code = match.groups()
    if index is None:
        return Tap(conversation_id)
    return Tap(conversation_id, int(index), ANSWERS[code])


def asked(followup: Followup, answers: Mapping[str, Given], number: int) -> list[int]:
    """Which structures follow-up ``number`` (1 or 2) asks about: all, then those not settled
    by an earlier answer."""
    return [
        index
        for index, actor in enumerate(followup.actors)
        if number == 1
        or (given := answers.get(actor)) is None
        or given.round >= number
        or given.answer not in SETTLED
    ]


def followup_message(
    cat: Catalogue,
    followup: Followup,
    names: Mapping[str, str],
    answers: Mapping[str, Given],
    number: int,
    *,
    edit: bool = False,
) -> Reply:
    """Follow-up ``number`` for ``followup``, showing the ``answers`` already given."""
    lang = followup.lang
    date = local_date(followup.offered_at)
    intro = "followup.first" if number == 1 else "followup.second"
    lines = [cat.text(lang, intro, date=date), ""]
    rows: list[tuple[Button, ...]] = []
    indexes = asked(followup, answers, number)
    for position, index in enumerate(indexes, start=1):
        actor = followup.actors[index]
        given = answers[actor].answer if actor in answers else None
        name = names.get(actor, actor)
        if given is None:
            lines.append(cat.text(lang, "followup.item", number=position, name=name))
        else:
            label = cat.text(lang, LABELS[given])
            lines.append(
                cat.text(lang, "followup.item_answered", number=position, name=name, answer=label)
            )
        rows.append(
            tuple(
                Button(
                    f"{CHOSEN if given is answer else ''}{position} {icon}",
                    tap_data(followup.conversation_id, index, answer),
                )
                for answer, icon in ICONS.items()
            )
        )
    lines += ["", cat.text(lang, "followup.legend")]
    if all(followup.actors[i] in answers for i in indexes):
        lines += ["", cat.text(lang, "followup.thanks")]
    stop = Button(cat.text(lang, "button.followup_stop"), tap_data(followup.conversation_id, None))
    rows.append((stop,))
    return Reply(Markup("\n".join(lines)), tuple(rows), edit=edit)


def local_date(moment: datetime) -> str:
    """A date as the follow-up texts show it (Toulouse time)."""
    return moment.astimezone(TOULOUSE).strftime("%d/%m/%Y")

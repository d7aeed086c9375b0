"""The follow-up message and its buttons: one row of taps per structure, « Ne plus me relancer ».

The buttons' data is the dialogue's (:mod:`bot.core.dialogue.steps.followup`), which reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.core.catalogue import Catalogue, Markup
from bot.core.dialogue.events import Button, Reply
from bot.core.dialogue.steps.followup import Tap, tap_data
from bot.followup.model import SETTLED, Answer, Followup, Given
from bot.followup.rules import TOULOUSE

ICONS = {Answer.REACHED: "✅", Answer.NO_ANSWER: "📵", Answer.NOT_YET: "⏳", Answer.WRONG: "↩️"}
LABELS = {
    Answer.REACHED: "followup.answer.reached",
    Answer.NO_ANSWER: "followup.answer.no_answer",
    Answer.NOT_YET: "followup.answer.not_yet",
    Answer.WRONG: "followup.answer.wrong",
}
CHOSEN = "✓"


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
                    tap_data(Tap(followup.conversation_id, index, answer.value)),
                )
                for answer, icon in ICONS.items()
            )
        )
    lines += ["", cat.text(lang, "followup.legend")]
    if all(followup.actors[i] in answers for i in indexes):
        lines += ["", cat.text(lang, "followup.thanks")]
    stop = Button(cat.text(lang, "button.followup_stop"), tap_data(Tap(followup.conversation_id)))
    rows.append((stop,))
    return Reply(Markup("\n".join(lines)), tuple(rows), edit=edit)


def local_date(moment: datetime) -> str:
    """A date as the follow-up texts show it (Toulouse time)."""
    return moment.astimezone(TOULOUSE).strftime("%d/%m/%Y")

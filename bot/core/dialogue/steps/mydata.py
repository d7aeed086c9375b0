"""« Mes données » — ``/mesdonnees``: what is stored, why, for how long, who sees it, how to
erase it; then back where the person was.

The dialogue stores nothing itself: the command asks the service to list the stored data
(:attr:`Ask.MY_DATA`), which answers with :class:`Stored`; each conversation is summed up by the
questions' own recap lines.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.catalogue import Markup
from bot.core.dialogue.events import Done, Reply, Stored
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import Step
from bot.core.dialogue.turn import Ask, Turn
from bot.core.records import ConversationRecord

LISTED = 10
"""The conversations listed, the latest."""


class MyData(Step):
    """The person's data, read from the service's answer."""

    name = "mydata"
    commands = ("mesdonnees", "mydata")
    keys = (
        "mydata.title",
        "mydata.what",
        "mydata.why",
        "mydata.who",
        "mydata.how_long",
        "mydata.list",
        "mydata.item",
        "mydata.none",
        "mydata.erase",
        "storage_unavailable",
    )

    def command(self, flow: Flow, state: DialogueState, now: datetime) -> Turn:
        return Turn(flow.detour(state, self.name), asks=Ask.MY_DATA)

    def answer(self, flow: Flow, state: DialogueState, done: Done, now: datetime) -> Turn:
        state = flow.come_back(state)
        if not isinstance(done, Stored) or done.conversations is None:
            return Turn(state, [flow.say(state, "storage_unavailable"), *flow.ask(state)])
        return Turn(state, [Reply(screen(flow, state.lang, done)), *flow.ask(state)])


def screen(flow: Flow, lang: str, stored: Stored) -> Markup:
    """The whole answer to /mesdonnees."""
    cat = flow.cat
    lines = [
        cat.text(lang, "mydata.title"),
        cat.text(lang, "mydata.what"),
        cat.text(lang, "mydata.why"),
        cat.text(lang, "mydata.who"),
        cat.text(lang, "mydata.how_long", days=stored.retention_days),
    ]
    records = stored.conversations or ()
    if records:
        lines.append(cat.text(lang, "mydata.list", count=len(records)))
        lines += [
            cat.text(
                lang,
                "mydata.item",
                date=cat.date(lang, record.started_at.date()),
                summary=summary(flow, record, lang),
            )
            for record in records[-LISTED:]
        ]
    else:
        lines.append(cat.text(lang, "mydata.none"))
    lines += stored.lines
    lines.append(cat.text(lang, "mydata.erase"))
    return Markup("\n".join(lines))


def summary(flow: Flow, record: ConversationRecord, lang: str) -> str:
    """One logged conversation: its answers as the recap says them, the structures, the words."""
    answered = DialogueState(
        conversation_id=record.id,
        started_at=record.started_at.isoformat(),
        lang=lang,
        stage=record.stage,
        legal_form=record.legal_form,
        needs=record.needs,
        needs_done=True,
        commune=record.commune,
        commune_done=record.commune is not None,
    )
    parts = flow.answers(answered)
    actors = [actor.name for actor in map(flow.kb.actor, record.recommended) if actor]
    parts += [f"→ {', '.join(actors)}"] if actors else []
    parts += [f"« {record.free_text} »"] if record.free_text else []
    return " · ".join(parts) or "—"

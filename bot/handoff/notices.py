"""What the person is told of their hand-offs: how one ended, and the list in ``/mesdonnees``."""

from __future__ import annotations

from bot.core.catalogue import Catalogue, Markup
from bot.core.dialogue.events import Reply
from bot.core.knowledge import KnowledgeBase
from bot.core.presenting import contact_lines
from bot.handoff.queue import Notice
from bot.storage.handoffs import HandoffStore, Status

STATUS_KEYS = {
    Status.QUEUED: "handoff.status.queued",
    Status.DELIVERED: "handoff.status.delivered",
    Status.REFUSED: "handoff.status.refused",
    Status.GIVEN_UP: "handoff.status.given_up",
}


def notice_reply(notice: Notice, kb: KnowledgeBase, cat: Catalogue) -> Reply:
    """The message for ``notice``; a failure offers the structure's published contacts."""
    actor = kb.actor(notice.actor)
    name = actor.name if actor else notice.actor
    if notice.status == Status.DELIVERED:
        return Reply(cat.text(notice.lang, "handoff.delivered", name=name))
    lines = [cat.text(notice.lang, "handoff.failed", name=name)]
    if actor is not None:
        lines += contact_lines(actor, notice.lang, cat)
    return Reply(Markup("\n".join(lines)))


async def my_data_lines(
    store: HandoffStore, user: str, kb: KnowledgeBase, cat: Catalogue, lang: str
) -> list[Markup]:
    """What ``/mesdonnees`` says of hand-offs: what is sent to whom and kept, then each one
    ``user`` asked for."""
    handoffs = await store.of_user(user)
    lines = [cat.text(lang, "mydata.handoff_what")]
    if handoffs:
        lines.append(cat.text(lang, "mydata.handoffs", count=len(handoffs)))
    for handoff in handoffs:
        actor = kb.actor(handoff.actor)
        lines.append(
            cat.text(
                lang,
                "mydata.handoff_item",
                date=cat.date(lang, handoff.created_at.date()),
                name=actor.name if actor else handoff.actor,
                status=cat.text(lang, STATUS_KEYS[handoff.status]),
            )
        )
    return lines

"""What the person is told when their hand-off ended: delivered, or failed with the contacts."""

from __future__ import annotations

from bot.core.catalogue import Catalogue, Markup
from bot.core.dialogue.events import Reply
from bot.core.knowledge import KnowledgeBase
from bot.core.presenting import contact_lines
from bot.handoff.queue import Notice
from bot.storage.handoffs import Status


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

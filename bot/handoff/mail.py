"""The hand-off e-mail: what the structure receives, word for word what the person was shown.

Written in French whatever the conversation's language: the structures are local.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from bot.core.catalogue import Catalogue, to_plain
from bot.handoff.reach import Reach

MAIL_LANGUAGE = "fr"


@dataclass(frozen=True)
class Request:
    """Everything the e-mail says: the request, the answers, why this structure, how to reply.

    ``answers`` and ``reasons`` are lines already in words (« Étape : J'ai une idée »).
    """

    handoff_id: str
    actor_id: str
    actor_name: str
    to: str
    reach: Reach
    need: str
    answers: tuple[str, ...]
    reasons: tuple[str, ...]


def subject(request: Request, cat: Catalogue) -> str:
    """The e-mail's subject line."""
    return to_plain(cat.text(MAIL_LANGUAGE, "handoff.mail.subject", name=request.actor_name))


def body(request: Request, cat: Catalogue) -> str:
    """The e-mail's plain text."""

    def text(key: str, **values: object) -> str:
        return to_plain(cat.text(MAIL_LANGUAGE, key, **values))

    def bullets(lines: tuple[str, ...]) -> list[str]:
        return [text("handoff.mail.item", line=line) for line in lines]

    email = request.reach.kind == "email"
    reach_key = "handoff.mail.reach_email" if email else "handoff.mail.reach_phone"
    parts = [
        text("handoff.mail.hello"),
        text("handoff.mail.intro", name=request.actor_name),
        "\n".join([text("handoff.mail.need"), text("handoff.mail.quote", need=request.need)]),
        "\n".join([text("handoff.mail.answers"), *bullets(request.answers)]),
        "\n".join([text("handoff.mail.reasons"), *bullets(request.reasons)]),
        text(reach_key, value=request.reach.value),
        text("handoff.mail.footer"),
    ]
    return "\n\n".join(parts) + "\n"


def compose(request: Request, sender: str, cat: Catalogue, now: datetime) -> EmailMessage:
    """The message to send from ``sender``: a reply goes to the person when they gave an e-mail.

    Its Message-ID comes from the hand-off id, so a message sent twice (a crash between the
    server's « OK » and our record of it) is recognisable as one.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = request.to
    if request.reach.kind == "email":
        message["Reply-To"] = request.reach.value
    message["Subject"] = subject(request, cat)
    message["Date"] = format_datetime(now)
    domain = sender.rpartition("@")[2].strip("> ") or "aiguillage.invalid"
    message["Message-ID"] = f"<{request.handoff_id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body(request, cat))
    return message

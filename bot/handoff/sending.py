"""Sending one message through the configured server: stdlib ``smtplib`` in a worker thread.

Hand-offs are rare (at most three per person a day), so a thread per attempt costs nothing
worth a dependency; ``smtplib`` speaks plain SMTP, STARTTLS and implicit TLS.
"""

from __future__ import annotations

import asyncio
import functools
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum

from bot.handoff.smtp import SmtpServer

TIMEOUT = 30.0
"""Seconds one connection may take at each step before the attempt counts as a passing fault."""


class Verdict(StrEnum):
    """What one attempt came to."""

    SENT = "sent"
    RETRY = "retry"  # the server is down, slow, or answered 4xx: try again later
    REFUSED = "refused"  # a 5xx: this message will never be accepted


@dataclass(frozen=True)
class Attempt:
    """The verdict of one attempt, with the server's reason when it was not sent."""

    verdict: Verdict
    reason: str = ""


def _permanent(code: int) -> bool:
    return 500 <= code < 600


@functools.cache
def system_tls() -> ssl.SSLContext:
    """The system's trusted certificates, loaded once (a quarter of a second each time)."""
    return ssl.create_default_context()


def _deliver(server: SmtpServer, message: EmailMessage, context: ssl.SSLContext | None) -> None:
    if server.tls:
        context = context or system_tls()
    client: smtplib.SMTP
    if server.scheme == "smtps":
        client = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
    with client:
        if server.scheme == "smtp+starttls":
            client.starttls(context=context)
        if server.user is not None:
            client.login(server.user, server.password or "")
        client.send_message(message)


async def send(
    server: SmtpServer, message: EmailMessage, context: ssl.SSLContext | None = None
) -> Attempt:
    """Hand ``message`` to ``server``; never raises for a mail fault, it says what happened.

    ``context``: the TLS context (default: the system's trusted certificates).
    """
    try:
        await asyncio.to_thread(_deliver, server, message, context)
    except (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused) as error:
        # our own configuration (login, sender address): fixable within the day, so retried
        return Attempt(Verdict.RETRY, f"{error.smtp_code} {_text(error.smtp_error)}")
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        verdict = Verdict.REFUSED if all(_permanent(c) for c in codes) else Verdict.RETRY
        return Attempt(verdict, f"recipient refused ({', '.join(map(str, codes))})")
    except smtplib.SMTPResponseException as error:
        verdict = Verdict.REFUSED if _permanent(error.smtp_code) else Verdict.RETRY
        return Attempt(verdict, f"{error.smtp_code} {_text(error.smtp_error)}")
    except (smtplib.SMTPException, OSError) as error:  # refused, reset, timed out, TLS
        return Attempt(Verdict.RETRY, f"{type(error).__name__}: {error}"[:200])
    return Attempt(Verdict.SENT)


def _text(reply: bytes | str) -> str:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())[:200]

"""Sending one message through the configured SMTP server (stdlib ``smtplib`` in a thread).

``AIGUILLAGE_SMTP_URL`` names the server: ``smtp://host:port`` (plain, for a relay on this
machine), ``smtp+starttls://user:password@host:587`` (STARTTLS required) or
``smtps://user:password@host:465`` (TLS from the start). A password never travels in clear.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import StrEnum
from ipaddress import ip_address
from urllib.parse import unquote, urlsplit

PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TIMEOUT = 30.0
"""Seconds one connection may take at each step before the attempt counts as a passing fault."""
LOOPBACK_NAMES = ("localhost",)


class SmtpUrlError(ValueError):
    """``AIGUILLAGE_SMTP_URL`` cannot be used; the message says why (without the password)."""


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to send; ``password`` is never shown (``repr`` hides it)."""

    scheme: str
    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def tls(self) -> bool:
        """Whether the connection is encrypted (from the start or by STARTTLS)."""
        return self.scheme != "smtp"

    def __str__(self) -> str:
        who = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{who}{self.host}:{self.port}"


def _loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def parse_smtp_url(url: str) -> SmtpServer:
    """The server ``url`` names, or :class:`SmtpUrlError`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise SmtpUrlError(f"not a valid address ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in PORTS:
        raise SmtpUrlError(f"must start with {', '.join(f'{s}://' for s in PORTS)}")
    host = parts.hostname
    if not host:
        raise SmtpUrlError("names no host")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SmtpUrlError("must be scheme://[user:password@]host[:port], nothing after")
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and scheme == "smtp" and not _loopback(host):
        raise SmtpUrlError(
            "a password over plain smtp:// would travel in clear: use smtps:// or smtp+starttls://"
        )
    return SmtpServer(scheme, host, port or PORTS[scheme], user, password)


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


def _deliver(server: SmtpServer, message: EmailMessage, context: ssl.SSLContext | None) -> None:
    context = context or ssl.create_default_context()
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

"""The configured SMTP server: ``AIGUILLAGE_SMTP_URL`` read into a :class:`SmtpServer`.

``AIGUILLAGE_SMTP_URL`` names the server: ``smtp://host:port`` (plain, for a relay on this
machine), ``smtp+starttls://user:password@host:587`` (STARTTLS required) or
``smtps://user:password@host:465`` (TLS from the start). A password never travels in clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import ip_address
from urllib.parse import unquote, urlsplit

from bot.core.diagnostics import say

PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
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
        raise SmtpUrlError(say("config.smtp_invalid", error=error)) from None
    scheme = parts.scheme.lower()
    if scheme not in PORTS:
        raise SmtpUrlError(say("config.smtp_scheme", schemes=", ".join(f"{s}://" for s in PORTS)))
    host = parts.hostname
    if not host:
        raise SmtpUrlError(say("config.smtp_host"))
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SmtpUrlError(say("config.smtp_shape"))
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and scheme == "smtp" and not _loopback(host):
        raise SmtpUrlError(say("config.smtp_clear"))
    return SmtpServer(scheme, host, port or PORTS[scheme], user, password)

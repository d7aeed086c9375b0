"""A real SMTP server on 127.0.0.1 (aiosmtpd, in its own thread) that keeps what it receives.

``script`` holds replies to give instead of « 250 » to the next messages (``"451 4.3.0 later"``,
``"550 5.1.1 unknown"``); :meth:`MailServer.wait` waits, bounded, for a number of messages.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"


def free_port() -> int:
    """A loopback port nothing listens on (closed again at once)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class MailServer:
    """Handler of the aiosmtpd server: the messages received, and scripted refusals."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.script: list[str] = []
        self.refused = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.script:
                self.refused += 1
                return self.script.pop(0)
            content = envelope.original_content or envelope.content
            message = message_from_bytes(content, _class=EmailMessage, policy=policy.default)
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def wait(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """The messages once ``count`` have arrived (AssertionError after ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} message(s) received, {count} awaited")
            time.sleep(0.02)
        return list(self.messages)


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made by ``openssl`` (10 s at most)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subject = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    files = ["-keyout", str(key), "-out", str(cert)]
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run([*command, *subject, *files], check=True, capture_output=True, timeout=10)
    return cert, key


def accept(user: str, password: str) -> Any:
    """An aiosmtpd authenticator taking this one login."""

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        good = isinstance(data, LoginPassword) and (data.login, data.password) == (
            user.encode(),
            password.encode(),
        )
        return AuthResult(success=good, handled=False)

    return check


@contextmanager
def mail_server(
    port: int | None = None,
    *,
    tls: tuple[Path, Path] | None = None,
    implicit: bool = False,
    login: tuple[str, str] | None = None,
) -> Iterator[tuple[MailServer, str]]:
    """A running server and its ``smtp://127.0.0.1:PORT`` URL, stopped after the block.

    ``tls`` (certificate, key): STARTTLS required, or TLS from the start when ``implicit``;
    ``login``: the one user and password accepted (then required).
    """
    handler = MailServer()
    port = port or free_port()
    options: dict[str, Any] = {}
    if tls is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        if implicit:  # aiosmtpd cannot tell a TLS socket from its start: AUTH allowed anyway
            options |= {"ssl_context": context, "auth_require_tls": False}
        else:
            options |= {"tls_context": context, "require_starttls": True}
    if login is not None:
        options |= {"authenticator": accept(*login), "auth_required": True}
    controller = Controller(handler, hostname=HOST, port=port, ready_timeout=5.0, **options)
    controller.start()
    try:
        yield handler, f"smtp://{HOST}:{port}"
    finally:
        controller.stop()

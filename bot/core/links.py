"""Deep links: the ``/start`` payload that names where a person came from."""

from __future__ import annotations

import re

PAYLOAD_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""Telegram's rule for a deep-link payload: 1 to 64 of A-Z, a-z, 0-9, ``_`` and ``-``."""


def valid_payload(payload: str | None) -> str | None:
    """The deep-link payload if it follows Telegram's rule, else None (never trusted)."""
    return payload if payload and PAYLOAD_RE.fullmatch(payload) else None

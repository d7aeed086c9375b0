"""Redaction of typed text: no e-mail, phone number or long digit run is ever kept."""

from __future__ import annotations

import re

REDACTED = "[…]"

_AT = r"(?:\s*@\s*|\s*[\[({]\s*(?:at|arobase)\s*[\])}]\s*)"
_DOT = r"(?:\.|\s*[\[({]\s*(?:dot|point)\s*[\])}]\s*)"
_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+", re.IGNORECASE)
"""``marie@exemple.fr``, ``marie @ exemple.fr``, ``marie [at] exemple [dot] fr``…"""
_SEP = r"(?:\s{0,2}[./-]?\s{0,2})"
_PHONE = re.compile(
    rf"(?<![\w+])(?:"
    rf"0[1-9](?:{_SEP}\d{{2}}){{4}}"  # 06 11 22 33 44, 06/99/88/77/66, 06-99-…
    rf"|(?:\(\s*(?:\+|00)\s*\d{{1,3}}\s*\)|(?:\+|00)\d{{1,3}})"  # +33, (+33), 0044
    rf"(?:{_SEP}\(0\))?(?:{_SEP}\d){{6,14}}"  # (0)6 11 22 33 44, 20 7946 0958
    rf")(?!\d)"
)
_DIGIT_RUN = re.compile(r"\d{6,}")


def redact(text: str, limit: int = 500) -> str:
    """``text`` without e-mails, phone numbers or runs of 6+ digits, cut to ``limit`` chars."""
    for pattern in (_EMAIL, _PHONE, _DIGIT_RUN):
        text = pattern.sub(REDACTED, text)
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

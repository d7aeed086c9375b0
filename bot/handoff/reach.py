"""How the person wants to be reached: an e-mail address or a phone number, typed and checked.

The shapes are the knowledge base's own (:data:`bot.core.loader.EMAIL_RE`, ``PHONE_RE``), so a
structure's address and a person's are held to one rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.core.knowledge import EMAIL_RE, PHONE_RE

MAX_CHARS = 120
_SEPARATORS = re.compile(r"[\s./-]+")
_PREFIX = re.compile(r"^(?:\+33|0033)\s?(?:\(0\)\s?)?")


@dataclass(frozen=True)
class Reach:
    """A checked way to reach the person: ``kind`` is ``email`` or ``phone``."""

    kind: Literal["email", "phone"]
    value: str


def read_reach(text: str) -> Reach | None:
    """The e-mail address or French phone number ``text`` holds, normalised; None otherwise.

    Phone numbers may be spaced, dotted or dashed, with ``+33``/``0033`` (and ``(0)``); they
    come back as ``06 12 34 56 78``.
    """
    typed = text.strip().strip("<>").strip()
    if not typed or len(typed) > MAX_CHARS:
        return None
    if "@" in typed:
        return Reach("email", typed) if EMAIL_RE.match(typed) else None
    digits = _SEPARATORS.sub("", _PREFIX.sub("0", typed))
    if not digits.isdigit() or len(digits) != 10 or digits[1] == "0":
        return None
    spaced = " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return Reach("phone", spaced) if PHONE_RE.match(spaced) else None

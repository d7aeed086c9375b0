"""Button data, ``<seq>|<code>|<value>``: encoded and decoded here only, with named codes.

``seq`` is the conversation's sequence number when the button was shown (older buttons are
stale) or :data:`ANY_SEQ` for buttons valid for the whole conversation (« Corriger »).
Telegram limits the data to 64 bytes; the codes are kept short for that.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ANY_SEQ = "*"
SEPARATOR = "|"
YES = "y"
NO = "n"
"""The values of a yes / no row of buttons."""


class Code(StrEnum):
    """What a button answers."""

    STAGE = "s"
    LEGAL_FORM = "f"
    NEED = "n"
    NEEDS_DONE = "nv"
    COMMUNE = "c"
    SKIP = "d"
    BACK = "b"
    FIX = "x"
    CONSENT = "k"
    RESULTS = "r"
    LANGUAGE = "l"
    FORGET = "o"
    FOLLOWUP = "fu"
    FOLLOWUP_ANSWER = "fa"
    HANDOFF = "h"
    HANDOFF_REACH = "hr"
    HANDOFF_NEED = "hn"
    HANDOFF_PREVIEW = "hp"


@dataclass(frozen=True)
class Callback:
    """A decoded button: the sequence it was shown at, its code and value."""

    seq: str
    code: Code
    value: str = ""


def encode(seq: int | str, code: Code, value: str = "") -> str:
    """The data of a button."""
    parts = (str(seq), code.value, value) if value else (str(seq), code.value)
    return SEPARATOR.join(parts)


def decode(data: str) -> Callback | None:
    """The button behind ``data`` (untrusted), or None when it is not one of ours."""
    parts = data.split(SEPARATOR)
    if len(parts) not in (2, 3):
        return None
    try:
        code = Code(parts[1])
    except ValueError:
        return None
    return Callback(parts[0], code, parts[2] if len(parts) == 3 else "")

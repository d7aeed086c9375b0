"""Postal codes in a sentence (« 31 000 » in two parts, not an amount)."""

from __future__ import annotations

from bot.core.language import Token
from bot.core.places.place import Place
from bot.core.places.words import DEPARTMENT_DIGITS, MARKERS
from bot.core.territory import Territory

POSTAL_LENGTH = 5
SPLIT_CODE_PARTS = 2  # « 31 000 »


def _codes(words: list[Token]) -> list[tuple[str, bool]]:
    """The five-digit codes of the words, and whether each was typed in two parts
    (« 31 000 », see :func:`_split_code`)."""
    found = []
    for i, token in enumerate(words):
        code = token.surface
        joined = len(code) == DEPARTMENT_DIGITS and i + 1 < len(words)
        if joined and not _split_code(words, i):
            continue
        if joined:
            code += words[i + 1].surface
        if len(code) == POSTAL_LENGTH and code.isdigit():
            found.append((code, joined))
    return found


def _split_code(words: list[Token], at: int) -> bool:
    """True when the number at ``at`` and the next one are a postal code typed in two parts:
    after a place word (« cp », « code postal », « à »), or alone in their clause at the
    start (« 31 000, jveux monter… »); else an amount (« il nous faut 31 000 euros »)."""
    if at > 0:
        return words[at - 1].surface in MARKERS | {"postal"}
    after = at + SPLIT_CODE_PARTS
    return after == len(words) or words[after].clause != words[at].clause


def postal_place(words: list[Token], territory: Territory) -> Place | None:
    """The place of the first postal code; one typed in two parts only here (« 31 000 »:
    « 12 000 euros » is an amount). A code several communes share gives them all
    (:attr:`Place.shared`): the person is asked which."""
    for code, joined in _codes(words):
        communes = territory.by_postal(code)
        if len(communes) == 1:
            return Place(communes[0], None, code)
        if communes:
            return Place(shared=tuple(communes))
        outside = None if joined else territory.elsewhere.by_postal(code)
        if outside is not None:
            return Place(None, outside, code)
    return None

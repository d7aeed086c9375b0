"""Sets of small integers as bitmaps: a Python integer, bit ``r`` set for member ``r``.

Intersecting two of them is one loop in C, where a set of ints costs some 60 bytes a member.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

Bits = int  # bit ``r`` set for member ``r``
NONZERO = re.compile(rb"[^\x00]")
FEW = 10  # members read first one by one: a group of matching reads its first 10 at most


def bitmap(members: Iterable[int], size: int) -> Bits:
    """The set of ``members`` (each under ``size``) as a bitmap."""
    flags = bytearray(size // 8 + 1)
    for member in members:
        flags[member >> 3] |= 1 << (member & 7)
    return int.from_bytes(flags, "little")


def members(bits: Bits) -> Iterator[int]:
    """The members of ``bits``, smallest first (read lazily: the first few are often enough).
    The first :data:`FEW` are taken off the integer one by one; the rest is read as bytes
    once, its empty bytes skipped in C (taking each off would rewrite a 12.5 KB integer)."""
    for _ in range(FEW):
        if not bits:
            return
        lowest = bits & -bits
        yield lowest.bit_length() - 1
        bits ^= lowest
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for match in NONZERO.finditer(data):
        at = match.start()
        byte = data[at]
        yield from (at * 8 + bit for bit in range(8) if byte >> bit & 1)

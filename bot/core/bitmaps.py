"""Sets of small integers as bitmaps: a Python integer, bit ``r`` set for member ``r``.

Intersecting two of them is one loop in C, where a set of ints costs some 60 bytes a member.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

Bits = int  # bit ``r`` set for member ``r``


def bitmap(members: Iterable[int], size: int) -> Bits:
    """The set of ``members`` (each under ``size``) as a bitmap."""
    flags = bytearray(size // 8 + 1)
    for member in members:
        flags[member >> 3] |= 1 << (member & 7)
    return int.from_bytes(flags, "little")


def members(bits: Bits) -> Iterator[int]:
    """The members of ``bits``, smallest first (read lazily: the first few are often enough)."""
    while bits:
        lowest = bits & -bits
        yield lowest.bit_length() - 1
        bits ^= lowest

"""A set of small non-negative integers held as a bitmap, for membership tests only.

For the dense sets of the coverage index (the actors that list a stage or a legal form: most
of a national directory), where a frozenset costs about 60 bytes a member and an object per
member once unpickled, a bitmap costs one bit and pickles as a few bytes.
"""

from __future__ import annotations

from collections.abc import Iterable


class Bitmap:
    """Which numbers are in: bit ``n`` of the bytes says whether ``n`` is."""

    __slots__ = ("bits",)

    def __init__(self, members: Iterable[int] = ()) -> None:
        found = bytearray()
        for member in members:
            at = member >> 3
            if at >= len(found):
                found.extend(bytes(at + 1 - len(found)))
            found[at] |= 1 << (member & 7)
        self.bits = bytes(found)

    def __contains__(self, member: object) -> bool:
        if not isinstance(member, int) or member < 0:
            return False
        at = member >> 3
        return at < len(self.bits) and bool(self.bits[at] >> (member & 7) & 1)

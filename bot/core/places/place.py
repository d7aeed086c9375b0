"""What a sentence says of where the person is."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.territory import Commune, OutsidePlace


@dataclass(frozen=True)
class Place:
    """Where the sentence says the person is: a commune, a town elsewhere, or nothing; or the
    communes of a postal code they share (« 31320 »), to ask which."""

    commune: Commune | None = None
    outside: OutsidePlace | None = None
    evidence: str = ""
    shared: tuple[Commune, ...] = ()

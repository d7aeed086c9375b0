"""What a sentence says of where the person is."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.territory import Commune, OutsidePlace


@dataclass(frozen=True)
class Place:
    """Where the sentence says the person is: a commune, a town elsewhere, or nothing; or the
    communes they are among, unsaid which: a postal code's (« 31320 ») or an EPCI's (« dans
    le Sicoval »), the most populous first, to ask which."""

    commune: Commune | None = None
    outside: OutsidePlace | None = None
    evidence: str = ""
    shared: tuple[Commune, ...] = ()

"""The words, numbers and dates of the reports, as plain text, from the message catalogue."""

from __future__ import annotations

from datetime import date

from bot.core.catalogue import bundled, to_plain

NO_RATE = "—"


def phrase(key: str, lang: str = "fr", **values: object) -> str:
    """The catalogue message ``key`` in ``lang``, ``values`` filled in, as plain text."""
    return to_plain(bundled().text(lang, key, **values))


def phrase_count(key: str, count: int, lang: str = "fr", **values: object) -> str:
    """The form of the catalogue message ``key`` for ``count``, as plain text."""
    return to_plain(bundled().plural(lang, key, count, **values))


def number(value: float, lang: str = "fr") -> str:
    """``12345`` as « 12 345 » in French, ``12,345`` in English."""
    return bundled().number(lang, value)


def percent(rate: float | None, lang: str = "fr") -> str:
    """``0.675`` as « 68 % » (« — » when there is no rate)."""
    return NO_RATE if rate is None else bundled().percent(lang, rate)


def colon(lang: str) -> str:
    """« : » with its no-break space in French, ``:`` otherwise."""
    return "\u00a0:" if lang == "fr" else ":"


def day(value: date, lang: str = "fr") -> str:
    """A date as « 31 janv. 2025 » (French) or « Jan 31, 2025 »."""
    return bundled().date(lang, value)

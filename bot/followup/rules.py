"""When follow-ups go out: the days after the orientation and the hours they may be sent.

``AIGUILLAGE_FOLLOWUP_DAYS`` (``10,30``; decimals allowed, ``0.001`` is about 86 seconds) and
``AIGUILLAGE_FOLLOWUP_HOURS`` (``09:00-19:00`` Toulouse time, never on Sunday; ``always``
lifts both rules) are read here; a bad value is a :class:`ValueError` whose message says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.diagnostics import say

TOULOUSE = ZoneInfo("Europe/Paris")
DEFAULT_DAYS = (10.0, 30.0)
DEFAULT_HOURS = "09:00-19:00"
ALWAYS = "always"
MAX_FOLLOWUPS = 2
"""At most two follow-ups per orientation."""
MAX_DAYS = 365.0
SUNDAY = 6


@dataclass(frozen=True)
class Hours:
    """The local hours follow-ups may be sent, ``[start, end)``, any day but Sunday."""

    start: time
    end: time

    def allows(self, moment: datetime) -> bool:
        """Whether ``moment`` (aware) is within the hours, on a day other than Sunday."""
        local = moment.astimezone(TOULOUSE)
        return local.weekday() != SUNDAY and self.start <= local.time() < self.end

    def next_open(self, moment: datetime) -> datetime:
        """The first moment at or after ``moment`` within the hours."""
        local = moment.astimezone(TOULOUSE)
        day = local.date()
        for _ in range(8):  # at most one Sunday and one evening in the way
            opening = datetime.combine(day, self.start, TOULOUSE)
            closing = datetime.combine(day, self.end, TOULOUSE)
            if day.weekday() != SUNDAY and local < closing:
                return max(local, opening).astimezone(moment.tzinfo)
            day += timedelta(days=1)
        raise AssertionError("no opening within a week")  # unreachable: start < end


OPEN_HOURS = Hours(time(9, 0), time(19, 0))
"""The default: 09:00 to 19:00 (:data:`DEFAULT_HOURS`)."""


def send_time(due: datetime, hours: Hours | None) -> datetime:
    """When a follow-up due at ``due`` may go out (``hours`` None: whenever it is due)."""
    return due if hours is None else hours.next_open(due)


def parse_days(raw: str) -> tuple[float, ...]:
    """``"10,30"`` → ``(10.0, 30.0)``: one or two increasing delays in days, > 0 and ≤ 365."""
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not 1 <= len(parts) <= MAX_FOLLOWUPS:
        raise ValueError(say("config.days_count", raw=raw))
    days: list[float] = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise ValueError(say("config.days_number", part=part)) from None
        if not (math.isfinite(value) and 0 < value <= MAX_DAYS):
            raise ValueError(say("config.days_range", part=part, most=int(MAX_DAYS)))
        days.append(value)
    if len(days) == 2 and days[1] <= days[0]:
        raise ValueError(say("config.days_order", raw=raw))
    return tuple(days)


def parse_hours(raw: str) -> Hours | None:
    """``"09:00-19:00"`` → :class:`Hours`; ``"always"`` → None (any hour, any day)."""
    text = raw.strip().lower()
    if text == ALWAYS:
        return None
    start, dash, end = text.partition("-")
    try:
        if not dash:
            raise ValueError
        hours = Hours(time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
    except ValueError:
        raise ValueError(say("config.hours_form", raw=raw)) from None
    if hours.start >= hours.end:
        raise ValueError(say("config.hours_order", raw=raw))
    return hours


def due_times(accepted: datetime, days: tuple[float, ...]) -> tuple[datetime, ...]:
    """The moments each follow-up falls due, counted from the orientation."""
    return tuple(accepted + timedelta(days=delay) for delay in days)

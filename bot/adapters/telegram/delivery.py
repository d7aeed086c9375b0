"""Bot API calls that survive passing failures: retries with backoff, throttled failure logs.

Safe to retry: a 429 (Telegram did nothing and says when to come back), a 5xx or a refused
connection (nothing delivered), and any idempotent call (edits, callback answers). A timeout
on a new message is not retried: it may have been delivered, and a duplicate is worse.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 3
FIRST_DELAY = 0.25
MAX_RETRY_AFTER = 30.0
LOG_PERIOD = 60.0


class FailureLog:
    """Logs a persistent failure once per period, with how many were left unsaid."""

    def __init__(self, period: float = LOG_PERIOD) -> None:
        self.period = period
        self._last = -period
        self._unsaid = 0

    def failed(self, what: str, error: Exception) -> None:
        """Record one failure; log it unless one was logged less than a period ago."""
        now = time.monotonic()
        if now - self._last < self.period:
            self._unsaid += 1
            return
        more = f" ({self._unsaid} more since the last report)" if self._unsaid else ""
        log.error("Bot API %s failed: %s: %s%s", what, type(error).__name__, error, more)
        self._last, self._unsaid = now, 0


FAILURES = FailureLog()


async def deliver(
    what: str, call: Callable[[], Awaitable[T]], *, idempotent: bool, attempts: int = ATTEMPTS
) -> T | None:
    """Run ``call``, retrying where safe; None when it finally failed (logged, not raised)."""
    delay = FIRST_DELAY
    failure: TelegramError
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as error:
            after = error.retry_after
            seconds = after.total_seconds() if isinstance(after, timedelta) else float(after)
            wait, failure = min(seconds, MAX_RETRY_AFTER), error
        except TimedOut as error:
            if not idempotent:
                FAILURES.failed(what, error)
                return None
            wait, failure = delay, error
        except BadRequest:
            raise  # Telegram refused the call itself: retrying cannot help
        except NetworkError as error:  # 5xx, refused or reset connection
            wait, failure = delay, error
        if attempt == attempts:
            FAILURES.failed(what, failure)
            return None
        await asyncio.sleep(wait)
        delay *= 2
    return None

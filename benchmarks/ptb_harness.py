"""The in-process Bot API the benchmarks run PTB against: no socket, no HTTP.

The request itself, :class:`LocalBotRequest`, is shared with the tests
(``tests/support/local_bot_api.py``); see there how to build an application on it.
"""

from __future__ import annotations

from tests.support.local_bot_api import BENCH_TOKEN, BOT_USER, LocalBotRequest

__all__ = ["BENCH_TOKEN", "BOT_USER", "LocalBotRequest"]

"""The in-process Bot API the benchmarks run PTB against: no socket, no HTTP.

The request itself, :class:`LocalBotRequest`, is shared with the tests
(``tests/support/local_bot_api.py``); see there how to build an application on it.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, ApplicationBuilder

from tests.support.local_bot_api import BENCH_TOKEN, BOT_USER, LocalBotRequest

__all__ = ["BENCH_TOKEN", "BOT_USER", "LocalBotRequest", "local_builder"]


def local_builder(request: LocalBotRequest) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """An application builder answered in-process by ``request``, with no updater (the
    benches put updates in the update queue themselves)."""
    return (
        Application.builder()
        .token(BENCH_TOKEN)
        .request(request)
        .get_updates_request(LocalBotRequest())
        .updater(None)
    )

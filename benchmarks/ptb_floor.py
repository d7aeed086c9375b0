"""The floor: a PTB bot that makes the peer's Bot API calls and does nothing else.

One ``TypeHandler`` answers each update by replaying, through PTB's request path
(``Bot.do_api_request``, its answer left unparsed), the calls the peer made for the same update
of the same person: the same methods, texts and keyboards. No handlers to choose from, no
state, no dialogue, no matching, no storage. A bot that makes the peer's calls cannot be faster
than this, so the floor's ratio to the peer bounds the ratio Aiguillage can reach with the same
calls (``bench_bot`` runs the three over the same updates in the same rounds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from benchmarks.bench_ptb_baseline import PeerApp
from benchmarks.ptb_harness import LocalBotRequest, local_builder

PeerCalls = Callable[[int], list[tuple[str, dict[str, Any]]]]
"""The calls, ``(endpoint, parameters)``, the peer made for a chat's update of this step."""


def build_floor(request: LocalBotRequest, peer_calls: PeerCalls) -> PeerApp:
    """The floor application, answered in-process by ``request``."""

    async def replay(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert isinstance(update, Update) and update.effective_chat is not None
        for endpoint, parameters in peer_calls(update.effective_chat.id):
            await context.bot.do_api_request(endpoint, api_kwargs=parameters)

    app = local_builder(request).build()
    app.add_handler(TypeHandler(Update, replay))
    return app

"""Update processing: concurrent across people, strictly in order for each person."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT = 32


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs updates of different chats concurrently, those of one chat one after the other.

    The dialogue of a person must see their messages in order; other people need not wait
    for that person's replies to be sent. ``on_done`` runs after each update, even a failed one
    (the inbox marks it done, so a message that makes the bot fail is not replayed forever).
    """

    def __init__(
        self,
        on_done: Callable[[int], Awaitable[None]] | None = None,
        max_concurrent_updates: int = MAX_CONCURRENT,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self._on_done = on_done

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Process ``update`` once no earlier update of the same chat is running."""
        chat = (
            update.effective_chat.id if isinstance(update, Update) and update.effective_chat else 0
        )
        lock, users = self._locks.get(chat, (asyncio.Lock(), 0))
        self._locks[chat] = (lock, users + 1)
        try:
            async with lock:
                try:
                    await coroutine
                finally:
                    if self._on_done is not None and isinstance(update, Update):
                        await self._on_done(update.update_id)
        finally:
            lock, users = self._locks[chat]
            if users == 1:
                del self._locks[chat]
            else:
                self._locks[chat] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

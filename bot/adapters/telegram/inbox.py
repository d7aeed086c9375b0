"""The durable inbox: every update is written to SQLite before Telegram is told it arrived.

PTB acknowledges updates (the next ``getUpdates`` offset, or the webhook's HTTP 200) once they
are in its update queue; :class:`DurableQueue` stores them in the ``inbox`` table inside
``put``, so acknowledgement comes after storage: the first ``put`` of a ``getUpdates`` answer
stores every update of that answer in one commit (a webhook's update, alone). The turn that
answers an update marks it done in the turn's own transaction, with the replies still to send
(:mod:`bot.outbox`); the write recording the last reply sent marks it done too, and other
updates are marked done once handled. At start, replies not yet sent are sent, and updates
not yet done are handled again. A ``update_id`` seen before is dropped, so nothing is answered
twice.

What the person sees comes once, as near as the Bot API allows: each new message (a long reply
is several, :func:`~bot.adapters.telegram.splitting.messages`) is recorded as sent in its own
commit as soon as Telegram answers it, so a restart sends again only the one request in flight
at the kill. An edit sent again changes nothing: Telegram answers « message is not modified »,
taken as delivered (:mod:`~bot.adapters.telegram.rendering`); so edits are recorded as sent
with the next commit, whatever it is (a turn's, the next ``getUpdates`` answer's, the idle
check's every minute), not in their own; a restart before it sends them again, in order
(replies owed are sent by ``update_id``), so a later edit of the same message still comes
last; an edit Telegram refuses (the message is gone or too old) goes as a new message,
recorded as one (:func:`~bot.adapters.telegram.rendering.show` says so). The window left: a
*new message* Telegram took whose answer the kill lost is sent again and seen twice; the Bot
API has no idempotency key to tell it apart from a request that never arrived (which must be
sent).

What is kept is the update as Telegram sent it: in long polling, the ``getUpdates`` answer is
read once more for it (:class:`RawUpdatesRequest`), which costs about a hundredth of PTB's own
``Update.to_json()`` (2–3 ms an update here); a webhook's updates, or one that was not seen
there, are written by ``to_json()``.

Privacy: an update's content (raw Telegram id, name, text) is erased when it is done; done rows
(only an ``update_id`` and a time) are kept :data:`KEEP_DONE` to recognise duplicates.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from telegram import Bot, Update
from telegram.request import HTTPXRequest

from bot import outbox
from bot.adapters.telegram.rendering import show
from bot.adapters.telegram.splitting import messages
from bot.core.dialogue.events import Reply
from bot.outbox import Delivery
from bot.storage import StoragePort, StorageUnavailable

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)
KEEP_DONE = timedelta(minutes=10)
_RESULT = re.compile(r'"result"\s*:\s*\[\s*')
"""Where the updates of a ``getUpdates`` answer start (a quote inside a string is escaped)."""
_BETWEEN = frozenset(" \t\r\n,")
"""What separates two updates there."""
_DECODER = json.JSONDecoder()


class RawUpdates:
    """The JSON text of each update Telegram sent, by ``update_id``, until the inbox keeps it."""

    def __init__(self) -> None:
        self._texts: dict[int, str] = {}

    def keep(self, body: bytes) -> None:
        """Note every update of a ``getUpdates`` answer, each as its very text there (decoded
        once to find where it ends, never written again); anything else is left alone."""
        try:
            text = body.decode()
            found = _RESULT.search(text)
            at = found.end() if found else len(text)
            while at < len(text) and text[at] != "]":
                item, end = _DECODER.raw_decode(text, at)
                if isinstance(item, dict) and isinstance(item.get("update_id"), int):
                    self._texts[item["update_id"]] = text[at:end]
                at = end
                while at < len(text) and text[at] in _BETWEEN:
                    at += 1
        except ValueError:  # not JSON (UnicodeDecodeError is one too): PTB will say so
            return

    async def answered(self, response: httpx.Response) -> None:
        """Keep the updates of a ``getUpdates`` answer read over HTTP."""
        if response.status_code == HTTPStatus.OK and response.url.path.endswith("/getUpdates"):
            self.keep(await response.aread())

    def take(self, update: Update) -> dict[int, str]:
        """The JSON of every update noted and not yet taken (those of the ``getUpdates``
        answer ``update`` came in), forgotten here; ``update`` as PTB's ``to_json()`` if it was
        not noted (a webhook's)."""
        texts, self._texts = self._texts, {}
        if update.update_id not in texts:
            texts[update.update_id] = update.to_json()
        return texts

    def give_back(self, texts: dict[int, str]) -> None:
        """Note again updates taken but not kept (the database refused them)."""
        self._texts = texts | self._texts


class RawUpdatesRequest(HTTPXRequest):
    """PTB's HTTP request for ``getUpdates``, handing each answer to ``raw`` too (an httpx
    response hook: the body is read once, and PTB gets it as usual)."""

    def __init__(self, raw: RawUpdates, **options: Any) -> None:
        super().__init__(**options, httpx_kwargs={"event_hooks": {"response": [raw.answered]}})


class Inbox:
    """The inbox table, and the raw updates waiting to be written there."""

    def __init__(self, storage: StoragePort, clock: Callable[[], datetime]) -> None:
        self.storage = storage
        self.clock = clock
        self.raw = RawUpdates()
        self._settled: set[int] = set()
        """Updates whose last reply was recorded as sent, which also marked them done."""
        self._received: dict[int, bool] = {}
        """Updates kept with an earlier one of their ``getUpdates`` answer: whether each was new."""
        self._receiving = asyncio.Lock()

    async def receive(self, update: Update) -> bool:
        """Keep ``update``; False when it was received before (drop it).

        The first update of a ``getUpdates`` answer keeps the whole answer, in one commit; the
        others find here whether they were new. With the database failing, the update is still
        handled, just not durably (the others of its answer are tried again with the next).
        """
        async with self._receiving:
            new = self._received.pop(update.update_id, None)
            if new is None:
                new = await self._keep(update)
        return new

    async def _keep(self, update: Update) -> bool:
        texts = self.raw.take(update)
        try:
            kept = await self.storage.receive(texts, self.clock())
        except StorageUnavailable as error:
            log.warning("inbox unavailable (%s): update handled without being kept", error)
            del texts[update.update_id]
            self.raw.give_back(texts)
            return True
        self._received.update((update_id, update_id in kept) for update_id in texts)
        return self._received.pop(update.update_id)

    async def finish(self, update_id: int) -> None:
        """Mark an update done once handled, unless recording its last reply did."""
        if update_id in self._settled:
            self._settled.discard(update_id)
            return
        await self._quietly(self.storage.finish, update_id)

    async def deliver(self, bot: Bot, delivery: Delivery, replies: Sequence[Reply]) -> None:
        """Show ``replies``, one Bot API message at a time (a long reply is several). Each new
        message is recorded as sent as soon as Telegram answered it, before the next goes: after
        a crash, only the message whose request was in flight is sent again, and nothing is
        lost. An edit is not recorded on its own (sent again, it changes nothing; one Telegram
        refused went as a new message, recorded as such): when the last messages are edits, or
        there are none, the update is settled with the next transaction on the file."""
        pieces = [piece for reply in replies for piece in messages(reply)]
        owed = True
        for index, piece in enumerate(pieces):
            if await show(bot, delivery.chat_id, [piece], delivery.pressed):
                owed = await self._sent(delivery, pieces[index + 1 :])
        if owed:
            await self._sent(delivery, [], later=True)

    async def _sent(self, delivery: Delivery, rest: Sequence[Reply], later: bool = False) -> bool:
        """Record that only ``rest`` is still owed (none left: the update is done); whether
        anything is still owed, as far as the database knows."""
        try:
            await self.storage.sent(
                delivery.update_id, outbox.dump(delivery, rest) if rest else None, later=later
            )
        except StorageUnavailable as error:
            log.warning("inbox not updated (%s)", error)
            return True
        if not rest:
            self._settled.add(delivery.update_id)
        return bool(rest)

    async def _quietly(self, write: Callable[[int], Awaitable[None]], update_id: int) -> None:
        try:
            await write(update_id)
        except StorageUnavailable as error:
            log.warning("inbox not updated (%s)", error)

    async def purge(self) -> int:
        """Forget done updates older than :data:`KEEP_DONE`."""
        return await self.storage.purge_inbox(self.clock() - KEEP_DONE)

    async def replay(self, bot: Bot, queue: DurableQueue) -> None:
        """At start: send the replies owed, then queue again the updates not yet done."""
        todo, unsent = await self.storage.unfinished()
        for update_id, text in unsent:
            await self.deliver(bot, *outbox.load(update_id, text))
            self._settled.discard(update_id)  # done already: never handled again
        for payload in todo:
            await queue.requeue(Update.de_json(json.loads(payload), bot))
        if todo or unsent:
            log.info(
                "inbox: %d update(s) handled again, %d owed answer(s) sent", len(todo), len(unsent)
            )


class DurableQueue(asyncio.Queue[object]):
    """PTB's update queue, storing each update in the inbox before accepting it."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    async def put(self, item: object) -> None:
        """Store ``item`` (an update), then queue it; a duplicate ``update_id`` is dropped."""
        if isinstance(item, Update) and not await self.inbox.receive(item):
            log.info("update received twice: dropped")
            return
        await super().put(item)

    async def requeue(self, update: Update) -> None:
        """Queue an update already in the inbox."""
        await super().put(update)

"""The durable sending queue: every hand-off is kept in SQLite until delivered or given up.

A message is tried at once, then after 1, 2, 4… minutes (at most an hour apart) while the
server is down or answers 4xx; a 5xx ends it (``refused``), and a day without success ends it
(``given_up``). Each end is then owed to the person as a :class:`Notice` (with the structure's
published contacts when it failed); the queue row, and with it the sealed chat, goes once the
notice is sent. At most :data:`PER_DAY` hand-offs per person in any 24 hours.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import ssl
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_string, policy
from email.message import EmailMessage

from bot.chatseal import ChatSeal
from bot.handoff import sending
from bot.handoff.smtp import SmtpServer
from bot.storage.handoffs import Handoff, HandoffStore, Queued, Status

log = logging.getLogger(__name__)

PER_DAY = 3
DAY = timedelta(days=1)
GIVE_UP_AFTER = DAY
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
BATCH = 20
"""Queue rows read per pass: the job comes back for the rest."""
_OLD_SEAL = 16
"""Hex length of a chat masked the first way (a bare 8-byte pad, no tag). A queue row lives
about a day before its notice, so this reading can go one release after the chat seal."""


def _old_pad(secret: bytes, handoff_id: str) -> bytes:
    """The pad that masked the chat of queue rows written before :class:`ChatSeal`."""
    digest = hmac.new(secret, b"handoff-chat:" + handoff_id.encode(), hashlib.sha256).digest()
    return digest[: _OLD_SEAL // 2]


def _context(handoff_id: str) -> str:
    return f"handoff {handoff_id}"


def retry_delay(failures: int) -> timedelta:
    """The wait after the ``failures``-th failed attempt: 1, 2, 4… minutes, at most an hour."""
    doubled: timedelta = FIRST_RETRY * (1 << min(failures - 1, 16))
    return min(doubled, LONGEST_RETRY)


@dataclass(frozen=True)
class Notice:
    """How a hand-off ended, owed to the person in ``chat_id`` (in ``lang``)."""

    handoff_id: str
    chat_id: int
    lang: str
    actor: str
    status: Status


@dataclass
class HandoffQueue:
    """Queues hand-offs and sends them through ``server``.

    ``lock`` serialises the database work with the bot's turns (one SQLite connection);
    sending happens outside it. ``tls`` is the TLS context (default: the system's).
    """

    store: HandoffStore
    secret: bytes
    server: SmtpServer
    clock: Callable[[], datetime]
    lock: AbstractAsyncContextManager[object] = field(default_factory=asyncio.Lock)
    tls: ssl.SSLContext | None = None
    wake: Callable[[], object] = lambda: None
    """Called once a hand-off is queued (the Telegram job drains at once)."""
    seal: ChatSeal = field(init=False)
    _draining: asyncio.Lock = field(init=False, default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.seal = ChatSeal(self.secret)

    async def allowed(self, user: str) -> bool:
        """Whether ``user`` may ask for one more hand-off now (fewer than :data:`PER_DAY`)."""
        return await self.store.count_since(user, self.clock() - DAY) < PER_DAY

    async def enqueue(
        self,
        handoff: Handoff,
        chat_id: int,
        lang: str,
        message: EmailMessage,
    ) -> bool:
        """Keep ``handoff`` and its message until sent; False (nothing kept) past the limit.

        Call it with ``lock`` held, so that the count and the write go together.
        """
        if not await self.allowed(handoff.user):
            return False
        sealed = self.seal.seal(chat_id, _context(handoff.id)).hex()
        await self.store.add(handoff, sealed, lang, message.as_string())
        log.info("hand-off %s to %s: queued", handoff.id[:8], handoff.actor)
        self.wake()
        return True

    async def drain(self) -> list[Notice]:
        """Try every due message once; the notices owed to people (sent or not yet told)."""
        async with self._draining:
            async with self.lock:
                due = await self.store.due(self.clock(), BATCH)
            notices: list[Notice] = []
            for queued in due:
                status = queued.status if queued.message is None else await self._attempt(queued)
                if status == Status.QUEUED:
                    continue
                try:
                    chat = self._open_chat(queued)
                except ValueError:  # SealError, or not even hex
                    log.warning("hand-off %s: chat not readable, nobody to tell", queued.id[:8])
                    async with self.lock:
                        await self.store.told(queued.id)
                    continue
                notices.append(Notice(queued.id, chat, queued.lang, queued.actor, status))
            return notices

    def _open_chat(self, queued: Queued) -> int:
        """The chat id of a queue row: sealed by :class:`ChatSeal` for this hand-off, or masked
        the first way (rows queued before); :class:`SealError` if altered or of another key."""
        raw = bytes.fromhex(queued.chat)
        if len(queued.chat) != _OLD_SEAL:
            return self.seal.open(raw, _context(queued.id))
        plain = bytes(a ^ b for a, b in zip(raw, _old_pad(self.secret, queued.id), strict=True))
        return int.from_bytes(plain, "big", signed=True)

    async def told(self, notice: Notice) -> None:
        """The person was told how their hand-off ended: its queue row goes."""
        async with self.lock:
            await self.store.told(notice.handoff_id)

    async def _attempt(self, queued: Queued) -> Status:
        assert queued.message is not None
        deadline = queued.created_at + GIVE_UP_AFTER
        if self.clock() >= deadline:
            return await self._finish(queued, Status.GIVEN_UP, "no success within a day")
        message = message_from_string(queued.message, _class=EmailMessage, policy=policy.default)
        attempt = await sending.send(self.server, message, self.tls)
        if attempt.verdict == sending.Verdict.SENT:
            return await self._finish(queued, Status.DELIVERED, "")
        if attempt.verdict == sending.Verdict.REFUSED:
            return await self._finish(queued, Status.REFUSED, attempt.reason)
        failures = queued.attempts + 1
        at = min(self.clock() + retry_delay(failures), deadline)
        async with self.lock:
            await self.store.retry_at(queued.id, failures, at)
        log.warning(
            "hand-off %s to %s: attempt %d failed (%s); next at %s",
            queued.id[:8],
            queued.actor,
            failures,
            attempt.reason,
            at.isoformat(timespec="seconds"),
        )
        return Status.QUEUED

    async def _finish(self, queued: Queued, status: Status, reason: str) -> Status:
        async with self.lock:
            await self.store.finish(queued.id, status, self.clock())
        if status == Status.DELIVERED:
            log.info("hand-off %s to %s: delivered", queued.id[:8], queued.actor)
        else:
            log.warning("hand-off %s to %s: %s (%s)", queued.id[:8], queued.actor, status, reason)
        return status

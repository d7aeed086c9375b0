"""What every Telegram handler and job shares: settings, the service and its lock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from functools import cached_property

from bot.adapters.telegram.inbox import Inbox
from bot.config import Settings
from bot.core.dialogue.events import Event, Reply
from bot.flood import FloodGuard
from bot.outbox import Delivery
from bot.reports import Labels
from bot.reports.drawing import Drawer
from bot.service import OrientationService, Who


@dataclass(frozen=True)
class Runtime:
    """The running bot's shared parts.

    Updates are handled one at a time, but jobs (idle expiry, purge, digest) run beside them:
    ``lock`` keeps their database work from interleaving on the one SQLite connection.
    """

    settings: Settings
    service: OrientationService
    labels: Labels
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    flood: FloodGuard = field(default_factory=FloodGuard)
    drawer: Drawer = field(default_factory=Drawer)

    @cached_property
    def inbox(self) -> Inbox:
        """The durable inbox, on the service's database."""
        return Inbox(self.service.storage, self.service.clock)

    async def handle(self, who: Who, event: Event, delivery: Delivery | None = None) -> list[Reply]:
        """One dialogue turn, serialised with the jobs; ``delivery`` names the update answered."""
        async with self.lock:
            return await self.service.handle(who, event, delivery)

    def is_coordinator(self, user_id: int) -> bool:
        """Whether this Telegram user is on the coordinators' allowlist."""
        return user_id in self.settings.coordinators

    def coordinator_territory(self, user_id: int) -> str | None:
        """The territory a coordinator is limited to (None: every territory)."""
        return self.settings.coordinator_territories.get(user_id)

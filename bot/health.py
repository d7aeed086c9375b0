"""Liveness: the running bot touches a heartbeat file; ``aiguillage health`` checks its age."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from bot.config import Settings
from bot.core.diagnostics import say

HEARTBEAT_INTERVAL = timedelta(seconds=60)
STALE_AFTER = 3 * HEARTBEAT_INTERVAL


def heartbeat_path(settings: Settings) -> Path:
    """The heartbeat file, beside the database."""
    return settings.db_path.with_name(settings.db_path.name + ".heartbeat")


def beat(settings: Settings) -> None:
    """Record that the bot is alive now."""
    heartbeat_path(settings).touch()


def check(settings: Settings, now: float | None = None) -> str | None:
    """None when the bot beat recently, else why it looks dead."""
    path = heartbeat_path(settings)
    try:
        age = (now if now is not None else time.time()) - path.stat().st_mtime
    except FileNotFoundError:
        return say("health.missing", path=path)
    if age > STALE_AFTER.total_seconds():
        return say("health.stale", age=f"{age:.0f}", most=f"{STALE_AFTER.total_seconds():.0f}")
    return None

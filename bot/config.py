"""Configuration: the one place that reads the environment.

Every setting has a default that runs the terminal chat on the bundled knowledge base
and a local SQLite file; a bad value raises :class:`ConfigError` naming the variable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import TypeVar

from bot.core.diagnostics import say
from bot.followup.rules import (
    DEFAULT_DAYS,
    DEFAULT_HOURS,
    OPEN_HOURS,
    Hours,
    parse_days,
    parse_hours,
)
from bot.handoff.smtp import SmtpServer, SmtpUrlError, parse_smtp_url

T = TypeVar("T")

REPO_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_RETENTION_DAYS = 36_500
"""A hundred years: any more overflows date arithmetic somewhere."""
MAX_IDLE_MINUTES = 525_600
"""One year."""
MAX_PORT = 65_535
_DIGITS = re.compile(r"[0-9]+")
_TERRITORY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ConfigError(ValueError):
    """A configuration value is unusable; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """All runtime settings, read once at start."""

    token: str | None = field(default=None, repr=False)
    api_base_url: str = DEFAULT_API_BASE_URL
    kb_path: Path = REPO_KNOWLEDGE
    db_path: Path = Path("aiguillage.sqlite3")
    secret: bytes | None = field(default=None, repr=False)
    coordinators: frozenset[int] = frozenset()
    coordinator_territories: Mapping[int, str] = field(default_factory=dict)
    """The territory a coordinator is limited to (``ID:territory``); the others see all."""
    retention_days: int = 365
    log_level: str = "INFO"
    idle_minutes: int = 30
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_port: int = 8443
    digest_day: str | None = None
    digest_time: time = time(8, 0)
    bot_username: str | None = None
    followup_days: tuple[float, ...] = DEFAULT_DAYS
    followup_hours: Hours | None = OPEN_HOURS
    """None: follow-ups go out at any hour, Sundays included."""
    smtp: SmtpServer | None = field(default=None, repr=False)
    smtp_from: str | None = None

    @property
    def secret_path(self) -> Path:
        """Where a generated pseudonymisation key is kept: beside the database."""
        return self.db_path.with_name(self.db_path.name + ".secret")


def check_range(name: str, value: int, minimum: int, maximum: int) -> int:
    """``value`` if within ``[minimum, maximum]``, else :class:`ConfigError` naming ``name``."""
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name}: " + say("config.range", low=minimum, high=maximum, value=value))
    return value


def _int(env: Mapping[str, str], name: str, default: int, minimum: int, maximum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not _DIGITS.fullmatch(raw.removeprefix("-")):
        raise ConfigError(f"{name}: " + say("config.whole_number", value=raw))
    return check_range(name, int(raw), minimum, maximum)


def _ids(env: Mapping[str, str], name: str) -> tuple[frozenset[int], dict[int, str]]:
    """The ids of a comma-separated list, and the territory named after some (``ID:name``)."""
    raw = env.get(name, "")
    ids: set[int] = set()
    territories: dict[int, str] = {}
    for part in (p.strip() for p in raw.replace(";", ",").split(",")):
        if not part:
            continue
        user, _, territory = (p.strip() for p in part.partition(":"))
        if not _DIGITS.fullmatch(user):
            raise ConfigError(f"{name}: " + say("config.user_id", value=user))
        if ":" in part and not _TERRITORY.fullmatch(territory):
            raise ConfigError(f"{name}: " + say("config.territory", value=territory))
        ids.add(int(user))
        if territory:
            territories[int(user)] = territory
    return frozenset(ids), territories


def _secret(env: Mapping[str, str], name: str) -> bytes | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if len(raw.encode()) < 16:
        raise ConfigError(f"{name}: " + say("config.short_secret"))
    return raw.encode()


def _time(env: Mapping[str, str], name: str, default: time) -> time:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"{name}: " + say("config.time", value=raw)) from None


def _parsed(env: Mapping[str, str], name: str, default: str, parse: Callable[[str], T]) -> T:
    try:
        return parse(env.get(name, "").strip() or default)
    except ValueError as error:
        raise ConfigError(f"{name}: {error}") from None


def _smtp(env: Mapping[str, str]) -> tuple[SmtpServer | None, str | None]:
    """The hand-off mail server and sender address: both or neither."""
    url = env.get("AIGUILLAGE_SMTP_URL", "").strip()
    sender = env.get("AIGUILLAGE_SMTP_FROM", "").strip()
    if not url:
        return None, None
    from email.utils import parseaddr  # both loaded only when hand-offs are configured

    from bot.core.knowledge import EMAIL_RE  # the knowledge base's rule for an address

    try:
        server = parse_smtp_url(url)
    except SmtpUrlError as error:  # the message never quotes the URL: it may hold a password
        raise ConfigError(f"AIGUILLAGE_SMTP_URL: {error}") from None
    if not EMAIL_RE.match(parseaddr(sender)[1]):
        raise ConfigError("AIGUILLAGE_SMTP_FROM: " + say("config.smtp_from"))
    return server, sender


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check every setting from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    kb_path = Path(env.get("AIGUILLAGE_KB", "").strip() or REPO_KNOWLEDGE)
    if not kb_path.exists():
        raise ConfigError("AIGUILLAGE_KB: " + say("config.no_kb", path=kb_path))
    level = (env.get("AIGUILLAGE_LOG_LEVEL", "").strip() or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError(
            "AIGUILLAGE_LOG_LEVEL: "
            + say("config.one_of", value=level, choices=", ".join(LOG_LEVELS))
        )
    digest_day = env.get("AIGUILLAGE_DIGEST_DAY", "").strip().lower() or None
    if digest_day is not None and digest_day not in WEEKDAYS:
        choices = ", ".join(WEEKDAYS)
        raise ConfigError(
            "AIGUILLAGE_DIGEST_DAY: " + say("config.one_of", value=digest_day, choices=choices)
        )
    coordinators, territories = _ids(env, "AIGUILLAGE_COORDINATORS")
    base_url = env.get("TELEGRAM_API_BASE_URL", "").strip() or DEFAULT_API_BASE_URL
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError("TELEGRAM_API_BASE_URL: " + say("config.base_url"))
    smtp, smtp_from = _smtp(env)
    return Settings(
        token=env.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
        api_base_url=base_url,
        kb_path=kb_path,
        db_path=Path(env.get("AIGUILLAGE_DB", "").strip() or "aiguillage.sqlite3"),
        secret=_secret(env, "AIGUILLAGE_SECRET"),
        coordinators=coordinators,
        coordinator_territories=territories,
        retention_days=_int(env, "AIGUILLAGE_RETENTION_DAYS", 365, 1, MAX_RETENTION_DAYS),
        log_level=level,
        idle_minutes=_int(env, "AIGUILLAGE_IDLE_MINUTES", 30, 1, MAX_IDLE_MINUTES),
        webhook_url=env.get("AIGUILLAGE_WEBHOOK_URL", "").strip() or None,
        webhook_secret=env.get("AIGUILLAGE_WEBHOOK_SECRET", "").strip() or None,
        webhook_port=_int(env, "AIGUILLAGE_WEBHOOK_PORT", 8443, 1, MAX_PORT),
        digest_day=digest_day,
        digest_time=_time(env, "AIGUILLAGE_DIGEST_TIME", time(8, 0)),
        bot_username=env.get("AIGUILLAGE_BOT_USERNAME", "").strip().lstrip("@") or None,
        followup_days=_parsed(env, "AIGUILLAGE_FOLLOWUP_DAYS", "10,30", parse_days),
        followup_hours=_parsed(env, "AIGUILLAGE_FOLLOWUP_HOURS", DEFAULT_HOURS, parse_hours),
        smtp=smtp,
        smtp_from=smtp_from,
    )

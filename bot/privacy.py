"""Privacy: keyed pseudonyms instead of Telegram ids, the key itself, retention.

Redaction lives in the core (:mod:`bot.core.redaction`) and is re-exported here.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.core.diagnostics import say
from bot.core.redaction import REDACTED, redact

__all__ = ["REDACTED", "load_or_create_secret", "pseudonymise", "redact", "retention_cutoff"]

PSEUDONYM_LENGTH = 32


def pseudonymise(secret: bytes, telegram_user_id: int) -> str:
    """A stable pseudonym for a Telegram user: HMAC-SHA256 under ``secret``, 32 hex digits."""
    digest = hmac.new(secret, str(telegram_user_id).encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_LENGTH]


def load_or_create_secret(settings: Settings) -> bytes:
    """The pseudonymisation key: ``AIGUILLAGE_SECRET``, else the key file beside the database.

    A missing key file is created with 32 random bytes (hex-encoded), readable by its owner
    only, through a temporary file written, synced and then linked into place: a full disk or
    a crash never leaves a partial key file behind.
    """
    if settings.secret is not None:
        return settings.secret
    path = settings.secret_path
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_key(path, secrets.token_hex(32).encode())
    except FileExistsError:
        pass  # another process created it meanwhile: use theirs
    except OSError as error:
        reason = error.strerror or error
        raise ConfigError(f"{path}: " + say("config.key_write", reason=reason)) from None
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        raise
    except OSError as error:
        reason = error.strerror or error
        raise ConfigError(f"{path}: " + say("config.key_read", reason=reason)) from None
    if len(key) < 16:
        raise ConfigError(f"{path}: " + say("config.key_short"))
    return key


def _write_key(path: Path, key: bytes) -> None:
    """Write ``key`` to a private temporary file, fsync it, link it as ``path``, sync the folder."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(key)
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)  # fails if the key appeared meanwhile: never replaced
    finally:
        temporary.unlink(missing_ok=True)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def retention_cutoff(now: datetime, days: int) -> datetime:
    """The oldest start time a conversation may have and still be kept."""
    return now - timedelta(days=days)

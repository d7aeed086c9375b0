"""Pseudonyms, the key file, redaction, retention, and no raw Telegram id on disk."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.core.records import ConversationRecord
from bot.privacy import load_or_create_secret, pseudonymise, redact, retention_cutoff
from bot.storage import Storage

TELEGRAM_ID = 987654321


def test_pseudonym_is_stable_per_key_and_differs_between_keys() -> None:
    first = pseudonymise(b"k" * 32, TELEGRAM_ID)
    assert first == pseudonymise(b"k" * 32, TELEGRAM_ID)
    assert first != pseudonymise(b"j" * 32, TELEGRAM_ID)
    assert first != pseudonymise(b"k" * 32, TELEGRAM_ID + 1)
    assert len(first) == 32
    assert int(first, 16) >= 0
    assert str(TELEGRAM_ID) not in first


def test_secret_from_settings_wins(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "a.sqlite3", secret=b"s" * 20)
    assert load_or_create_secret(settings) == b"s" * 20
    assert not settings.secret_path.exists()


def test_secret_file_is_created_private_then_reused(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "data" / "a.sqlite3")
    key = load_or_create_secret(settings)
    path = tmp_path / "data" / "a.sqlite3.secret"
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 64
    assert path.read_bytes() == key
    assert load_or_create_secret(settings) == key
    assert pseudonymise(load_or_create_secret(settings), 1) == pseudonymise(key, 1)


def test_short_secret_file_is_refused(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "a.sqlite3")
    settings.secret_path.write_bytes(b"short\n")
    with pytest.raises(ConfigError, match=r"a\.sqlite3\.secret"):
        load_or_create_secret(settings)


async def test_raw_telegram_id_never_reaches_the_database_files(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "log.sqlite3")
    user = pseudonymise(load_or_create_secret(settings), TELEGRAM_ID)
    now = datetime(2025, 4, 1, tzinfo=UTC)
    storage = await Storage.open(settings.db_path)
    await storage.save_conversation(
        ConversationRecord(id="c1", user=user, started_at=now, updated_at=now, needs=("funding",))
    )
    await storage.save_state(user, {"step": "needs", "user": user})
    await storage.set_consent(user, True)
    files = [settings.db_path, settings.db_path.with_name("log.sqlite3-wal")]
    stored = b"".join(path.read_bytes() for path in files if path.exists())
    await storage.close()
    stored += settings.db_path.read_bytes()
    assert user.encode() in stored
    assert str(TELEGRAM_ID).encode() not in stored


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Appelez le 06 12 34 56 78 svp", "Appelez le […] svp"),
        ("tel 0612345678.", "tel […]."),
        ("+33 6 12 34 56 78 ou +33612345678", "[…] ou […]"),
        ("fixe : 05.61.15.23.11", "fixe : […]"),
        ("0033 (0)5 61 15 23 11", "[…]"),
        ("05-61-15-23-11", "[…]"),
        ("écrire à jean.dupont+ess@exemple.fr !", "écrire à […] !"),
        ("SIRET 12345678900012", "SIRET […]"),
        ("Je suis à Colomiers, 31770, depuis 2019", "Je suis à Colomiers, 31770, depuis 2019"),
        ("  espaces  ", "espaces"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redact_truncates_to_the_limit() -> None:
    long = "mot " * 300
    assert len(redact(long)) == 500
    assert redact(long).endswith("…")
    assert len(redact("abcdef", limit=4)) == 4
    assert redact("x" * 500) == "x" * 500


def test_retention_cutoff() -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    assert retention_cutoff(now, 365) == now - timedelta(days=365)

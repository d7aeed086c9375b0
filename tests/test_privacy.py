"""Pseudonyms, the key file, redaction, retention, and no raw Telegram id on disk."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import ConfigError, Settings
from bot.core.records import ConversationRecord
from bot.privacy import REDACTED, load_or_create_secret, pseudonymise, redact, retention_cutoff
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


SEPARATORS = st.sampled_from(["", " ", ".", "-", "/", " - "])
FRENCH = st.tuples(
    st.sampled_from("123456789"), st.lists(st.integers(0, 99), min_size=4, max_size=4)
)
PREFIXES = st.sampled_from(["0", "+33 ", "+33", "(+33) ", "+33 (0)", "0033 ", "(0033) "])
AROUND = st.sampled_from([("Appelez-moi au ", " merci"), ("tél : ", ""), ("", " (le soir)")])


@settings(max_examples=300, deadline=None)
@given(PREFIXES, FRENCH, SEPARATORS, AROUND)
def test_french_phone_numbers_are_redacted(
    prefix: str, number: tuple[str, list[int]], sep: str, around: tuple[str, str]
) -> None:
    first, pairs = number
    phone = prefix + first + "".join(f"{sep}{pair:02d}" for pair in pairs)
    before, after = around
    assert redact(f"{before}{phone}{after}") == f"{before}{REDACTED}{after}".strip()


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 999),
    st.lists(st.integers(0, 9999), min_size=2, max_size=3),
    st.sampled_from([" ", ".", "-", ""]),
    AROUND,
)
def test_international_phone_numbers_are_redacted(
    country: int, groups: list[int], sep: str, around: tuple[str, str]
) -> None:
    digits = [f"{g:02d}" for g in groups]
    if sum(map(len, digits)) < 6:
        digits.append("1234")
    phone = f"+{country} " + sep.join(digits)
    before, after = around
    assert redact(f"{before}{phone}{after}") == f"{before}{REDACTED}{after}".strip()


LOCAL = st.from_regex(r"[a-z][a-z0-9]{0,8}(?:[._-][a-z0-9]{1,6})?", fullmatch=True)
DOMAIN = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
ATS = st.sampled_from(["@", " @ ", "@ ", " [at] ", "[at]", " (at) ", " [AT] ", " [arobase] "])
DOTS = st.sampled_from([".", " [dot] ", "[dot]", " (dot) ", " [point] "])


@settings(max_examples=300, deadline=None)
@given(LOCAL, ATS, DOMAIN, DOTS, st.sampled_from(["fr", "org", "co.uk"]), AROUND)
def test_email_addresses_are_redacted(
    local: str, at: str, domain: str, dot: str, tld: str, around: tuple[str, str]
) -> None:
    email = f"{local}{at}{domain}{dot}{tld}"
    before, after = around
    assert redact(f"{before}{email}{after}") == f"{before}{REDACTED}{after}".strip()


@pytest.mark.parametrize(
    "text",
    ["(+33) 6 11 22 33 44", "+44 20 7946 0958", "06/99/88/77/66", "06-99-88-77-66",
     "marie @ exemple.fr", "marie [at] exemple [dot] fr"],
)  # fmt: skip
def test_the_reported_variants_are_redacted(text: str) -> None:
    assert redact(f"contact : {text}, merci") == f"contact : {REDACTED}, merci"


@pytest.mark.parametrize(
    "text", ["le 12/03/2024 à 10h", "rendez-vous @ 10h", "31000 Toulouse", "en 2024-2025"]
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert redact(text) == text


def test_database_wal_shm_and_key_are_private_to_the_owner(tmp_path: Path) -> None:
    """A real ``aiguillage chat`` under a permissive umask: its files are still 0600."""
    db = tmp_path / "bot.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGUILLAGE_")}
    env["AIGUILLAGE_DB"] = str(db)
    old = os.umask(0o022)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.umask(old)
    assert process.stdin is not None
    try:
        process.stdin.write("1\n")
        process.stdin.flush()
        wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
        deadline = time.monotonic() + 20
        while not (wal.exists() and shm.exists()) and time.monotonic() < deadline:
            time.sleep(0.05)
        files = [db, wal, shm, tmp_path / "bot.sqlite3.secret"]
        modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in files}
    finally:
        process.stdin.close()
        process.wait(timeout=20)
    assert modes == dict.fromkeys(modes, 0o600), modes
    assert process.returncode == 0


def test_the_systemd_unit_sets_a_private_umask() -> None:
    unit = (Path(__file__).resolve().parent.parent / "deploy" / "aiguillage.service").read_text()
    assert "\nUMask=0077\n" in unit

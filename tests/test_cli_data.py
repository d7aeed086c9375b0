"""``aiguillage report``, ``demo-data`` and ``forget`` on real SQLite files."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.config import Settings
from bot.core.records import ConversationRecord, Outcome
from bot.privacy import load_or_create_secret, pseudonymise
from bot.storage import Storage

NBSP = "\u00a0"
SECRET = "a-test-secret-of-enough-length"
TELEGRAM_ID = 987654321


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AIGUILLAGE_DB", "AIGUILLAGE_SECRET", "AIGUILLAGE_KB", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.chdir(tmp_path)


def record(id: str, day: int, user: str = "someone", **fields: Any) -> ConversationRecord:
    moment = datetime(2025, 3, day, 10, tzinfo=UTC)
    return ConversationRecord(id, user, moment, moment, **fields)


def fill(path: Path, records: list[ConversationRecord], user: str | None = None) -> None:
    async def write() -> None:
        async with await Storage.open(path) as storage:
            await storage.save_conversations(records)
            if user is not None:
                await storage.save_state(user, {"step": "needs"})
                await storage.set_consent(user, True)

    asyncio.run(write())


def count(path: Path, sql: str, *params: object) -> int:
    with sqlite3.connect(path) as db:
        value = db.execute(sql, params).fetchone()[0]
    db.close()
    return int(value)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "log.sqlite3"
    fill(
        path,
        [
            record("a", 3, needs=("funding",), commune="31555", outcome=Outcome.COMPLETED),
            record("b", 4, needs=("advice",), commune="31149", source="affiche"),
            record("c", 5, needs=("funding",), commune="31555", outcome=Outcome.ABANDONED),
        ],
    )
    return path


def test_demo_data_fills_and_is_repeatable_per_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.sqlite3"
    args = ["demo-data", "--db", str(db), "--conversations", "300"]
    assert main([*args, "--seed", "3"]) == 0
    assert "300 conversations synthétiques ajoutées (graine 3)" in capsys.readouterr().out
    assert count(db, "SELECT COUNT(*) FROM conversations WHERE synthetic = 1") == 300
    assert count(db, "SELECT COUNT(*) FROM conversations WHERE source NOT LIKE 'demo-%'") == 0
    assert main([*args, "--seed", "3"]) == 0
    assert count(db, "SELECT COUNT(*) FROM conversations") == 300
    assert main([*args, "--seed", "4"]) == 0
    assert count(db, "SELECT COUNT(*) FROM conversations") == 600


def test_demo_data_refuses_a_database_with_real_conversations(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo-data", "--db", str(log), "--conversations", "10"]) == 2
    assert "contient 3 conversations réelles" in capsys.readouterr().err
    assert count(log, "SELECT COUNT(*) FROM conversations") == 3
    assert main(["demo-data", "--db", str(log), "--conversations", "0"]) == 2


def test_report_text_with_inclusive_days(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(log)]) == 0
    out = capsys.readouterr().out
    assert f"Conversations{NBSP}: 3 (terminées 1, abandonnées 1" in out
    assert f"Besoins{NBSP}: Un financement 2, Être conseillé·e 1" in out
    assert f"Communes{NBSP}: Toulouse 2, Colomiers 1" in out
    args = ["report", "--db", str(log), "--since", "2025-03-04", "--until", "2025-03-04"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("Demande d'orientation ESS — du 4 mars 2025 au 4 mars 2025\n")
    assert f"Conversations{NBSP}: 1 " in out
    assert f"Sources{NBSP}: affiche 1" in out


def test_report_csv_to_a_file(
    log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "export.csv"
    args = [
        "report",
        "--db",
        str(log),
        "--format",
        "csv",
        "--out",
        str(out),
        "--since",
        "2025-03-04",
    ]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith(" : 2 conversations\n")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [(row["id"], row["needs"], row["commune"]) for row in rows] == [
        ("b", "advice", "31149"),
        ("c", "funding", "31555"),
    ]


def test_report_html_of_demo_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.sqlite3"
    assert main(["demo-data", "--db", str(db), "--conversations", "500", "--seed", "1"]) == 0
    out = tmp_path / "report.html"
    assert main(["report", "--db", str(db), "--format", "html", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Données synthétiques" in html
    assert "<svg" in html
    assert "500 conversations" in html
    assert "http://" not in html and "https://" not in html and "//cdn" not in html


@pytest.mark.parametrize(
    ("option", "value"),
    [("--since", "2025-02-30"), ("--until", "03/04/2025"), ("--since", "20250304")],
)
def test_report_bad_date_exits_2_naming_the_option(
    log: Path, option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--db", str(log), option, value]) == 2
    err = capsys.readouterr().err
    assert option in err
    assert value in err


def test_report_period_upside_down(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(log), "--since", "2025-03-05", "--until", "2025-03-04"]) == 2
    assert "--since est après --until" in capsys.readouterr().err


def test_report_missing_database_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.sqlite3"
    assert main(["report", "--db", str(missing)]) == 2
    assert "pas de base de données" in capsys.readouterr().err
    assert not missing.exists()
    assert main(["report"]) == 2
    assert "aiguillage.sqlite3" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_forget_with_the_secret_from_the_environment(
    log: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AIGUILLAGE_SECRET", SECRET)
    user = pseudonymise(SECRET.encode(), TELEGRAM_ID)
    fill(log, [record("m1", 6, user), record("m2", 7, user)], user=user)
    assert main(["forget", "--user-id", str(TELEGRAM_ID), "--db", str(log)]) == 0
    out = capsys.readouterr().out
    assert "effacement de 2 conversations, 1 état de dialogue et 1 consentement" in out
    assert count(log, "SELECT COUNT(*) FROM conversations WHERE user = ?", user) == 0
    assert count(log, "SELECT COUNT(*) FROM dialogue_state WHERE key = ?", user) == 0
    assert count(log, "SELECT COUNT(*) FROM consent WHERE user = ?", user) == 0
    assert count(log, "SELECT COUNT(*) FROM conversations") == 3


def test_forget_with_the_key_file_beside_the_database(
    log: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AIGUILLAGE_DB", str(log))
    user = pseudonymise(load_or_create_secret(Settings(db_path=log)), TELEGRAM_ID)
    fill(log, [record("m1", 6, user)])
    assert main(["forget", "--user-id", str(TELEGRAM_ID)]) == 0
    out = capsys.readouterr().out
    assert "effacement de 1 conversation, 0 état de dialogue et 0 consentement" in out
    assert count(log, "SELECT COUNT(*) FROM conversations") == 3


def test_forget_refuses_without_database_or_key(
    log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["forget", "--user-id", "1", "--db", str(tmp_path / "nope.sqlite3")]) == 2
    assert "pas de base de données" in capsys.readouterr().err
    assert main(["forget", "--user-id", "1", "--db", str(log)]) == 2
    assert "AIGUILLAGE_SECRET" in capsys.readouterr().err
    assert not (tmp_path / "log.sqlite3.secret").exists()
    assert count(log, "SELECT COUNT(*) FROM conversations") == 3


def test_report_csv_defuses_formulas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "formula.sqlite3"
    fill(path, [record("f1", 5, free_text="=cmd|' /C calc'!A0"), record("f2", 6, free_text="-2+3")])
    assert main(["report", "--db", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["free_text"] for r in rows] == ["'=cmd|' /C calc'!A0", "'-2+3"]


def test_forget_reports_incomplete_erasure_while_the_database_is_read(tmp_path: Path) -> None:
    """The real command in its own process, while another connection holds a read snapshot."""
    import os
    import subprocess
    import sys

    path = tmp_path / "held.sqlite3"
    user = pseudonymise(SECRET.encode(), TELEGRAM_ID)
    fill(path, [record("h1", 3, user=user)], user=user)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGUILLAGE_")}
    env["AIGUILLAGE_SECRET"] = SECRET
    command = [
        sys.executable,
        "-m",
        "bot",
        "forget",
        "--user-id",
        str(TELEGRAM_ID),
        "--db",
        str(path),
    ]
    reader = sqlite3.connect(path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM conversations").fetchone()
        held = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=60, check=False
        )
    finally:
        reader.close()
    assert held.returncode == 1, held.stderr
    assert "effacement incomplet, réessayez" in held.stderr and "Traceback" not in held.stderr
    again = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert again.returncode == 0, again.stderr
    assert user.encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("held.sqlite3*"))

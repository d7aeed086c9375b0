"""Issue 10, the bullets its first tests left without a real fault: the real bot (PTB against
the fake Bot API, a real SQLite file), the real command line in its own process, real files."""

from __future__ import annotations

import csv
import io
import os
import stat
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

import pytest
from conftest import running_bot, settings_for, texts
from support.command_line import aiguillage as cli
from support.fake_bot_api import BOT_USERNAME, FakeBotApi

from bot import privacy
from bot.config import Settings
from bot.flood import DEFAULT_LIMIT, FloodGuard

PERSON = 987654321
OTHER = 55501
COORDINATOR = 424242
GROUP = -100777


@pytest.fixture
def api() -> FakeBotApi:
    """The fake Bot API, reached in-process by the real bot."""
    return FakeBotApi()


async def test_four_starts_before_any_answer_leave_nothing_in_progress(
    api: FakeBotApi, tmp_path: Path
) -> None:
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        for command in ("/start", "/start", "/start", "/recommencer", "/start"):
            assert texts(await bot.say(PERSON, command))
        outcomes = bot.rows("SELECT outcome, COUNT(*) FROM conversations GROUP BY outcome")
    assert outcomes == [("in_progress", 1)], "only the conversation open now"


async def test_a_hundred_starts_in_a_group_get_twenty_answers(
    api: FakeBotApi, tmp_path: Path
) -> None:
    group = {"chat_type": "group", "chat_id": GROUP}
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        answered = [await bot.say(PERSON, f"/start@{BOT_USERNAME}", **group) for _ in range(100)]
        other = await bot.say(OTHER, f"/start@{BOT_USERNAME}", **group)
    counts = [len(texts(calls)) for calls in answered]
    assert counts == [1] * (DEFAULT_LIMIT + 1) + [0] * (99 - DEFAULT_LIMIT)
    assert "beaucoup de messages" in texts(answered[DEFAULT_LIMIT])[0]
    assert len(texts(other)) == 1


async def test_export_defuses_a_formula_typed_by_a_person(api: FakeBotApi, tmp_path: Path) -> None:
    formula = "=SOMME(A1:A9) je voudrais créer une association de jardins partagés à Colomiers"
    settings = settings_for(api, tmp_path, coordinators=frozenset({COORDINATOR}))
    async with running_bot(api, settings, in_process=True) as bot:
        await bot.say(PERSON, "/start")
        await bot.say(PERSON, formula)
        await bot.tap(PERSON, "Oui, vous pouvez")
        calls = await bot.say(COORDINATOR, "/export all")
    (document,) = [c.params["document"] for c in calls if c.method == "sendDocument"]
    (row,) = csv.DictReader(io.StringIO(api.uploads[document.filename].decode()))
    assert row["free_text"].startswith("'=SOMME("), row["free_text"]


def lines_run(guard: FloodGuard, now: datetime, checks: int = 1_000) -> int:
    """Python lines executed by ``checks`` checks of new people at ``now`` (loops included)."""
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal count
        count += event == "line"
        return trace

    sys.settrace(trace)
    try:
        for n in range(checks):
            guard.check(f"new{n}", now)
    finally:
        sys.settrace(None)
    return count


def guard_with(people: int, start: datetime) -> FloodGuard:
    guard = FloodGuard()
    for n in range(people):
        guard.check(f"p{n}", start + timedelta(microseconds=n))
    return guard


def test_the_flood_guard_does_the_same_work_per_check_among_100000_people() -> None:
    """O(1) counted, not timed: a check among 100,000 active people runs no more lines of
    Python than among 1,000 (the old guard scanned its whole table past 10,000)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    now = start + timedelta(seconds=1)
    few, many = guard_with(1_000, start), guard_with(100_000, start)
    assert lines_run(many, now) <= lines_run(few, now) * 1.05
    assert many.tracked == 101_000
    later = now + many.window * 2
    assert lines_run(many, later, checks=1) < 101_000 * 40, "each expires once: linear, once"
    assert many.tracked == 1, "people idle for a whole window are forgotten"


def test_the_key_is_written_to_a_temporary_file_synced_then_linked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[str] = []
    real_fsync, real_link = os.fsync, os.link

    def fsync(fd: int) -> None:
        steps.append("fsync " + ("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"))
        real_fsync(fd)

    def link(source: str | Path, target: str | Path) -> None:
        assert Path(source).stat().st_size == 64, "the temporary file is complete when linked"
        steps.append(f"link {Path(source).parent == Path(target).parent}")
        real_link(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "link", link)
    settings = Settings(db_path=tmp_path / "bot.sqlite3")
    key = privacy.load_or_create_secret(settings)
    assert steps == ["fsync file", "link True", "fsync folder"]
    assert settings.secret_path.read_bytes().decode() == key.decode()
    assert stat.S_IMODE(settings.secret_path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.sqlite3.secret"], "no temporary"
    assert privacy.load_or_create_secret(settings) == key, "an existing key is never replaced"


def test_a_port_out_of_range_in_the_environment_is_one_line(tmp_path: Path) -> None:
    result = cli(
        "serve",
        env={
            "AIGUILLAGE_WEBHOOK_PORT": "70000",
            "TELEGRAM_BOT_TOKEN": "1:x",
            "AIGUILLAGE_DB": str(tmp_path / "db"),
        },
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "AIGUILLAGE_WEBHOOK_PORT" in result.stderr and "70000" in result.stderr
    assert not (tmp_path / "db").exists(), "refused before anything is written"


def test_a_poster_never_replaces_a_database_named_like_a_poster(tmp_path: Path) -> None:
    db = tmp_path / "base.png"
    assert cli("demo-data", "--db", str(db), "--conversations", "2").returncode == 0
    kept = db.read_bytes()
    env = {"AIGUILLAGE_DB": str(db), "AIGUILLAGE_BOT_USERNAME": "aiguillage_bot"}
    for target in (db, tmp_path / "base.png.secret"):
        target.touch()
        result = cli("link", "--source", "x", "--out", str(target), "--force", env=env)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert db.read_bytes() == kept


@pytest.mark.parametrize("consent", ["3", "4"], ids=["kept", "refused"])
def test_the_terminal_at_debug_logs_no_typed_text(tmp_path: Path, consent: str) -> None:
    words = "je veux créer une scop zanzibarique à Toulouse, appelez le 06 11 22 33 44"
    result = cli(
        "chat",
        env={"AIGUILLAGE_DB": str(tmp_path / "db"), "AIGUILLAGE_LOG_LEVEL": "DEBUG"},
        stdin=f"{words}\n{consent}\n/quit\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Pouvons-nous garder le texte" in result.stdout, "the consent question was asked"
    for personal in ("zanzibarique", "06 11", "22 33 44"):
        assert personal not in result.stderr

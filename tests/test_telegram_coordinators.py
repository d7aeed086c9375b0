"""Coordinators' commands through the real bot and the fake Bot API (reached in-process):
/stats, /export, /lien, the weekly digest, and the same « unknown command » answer for
everyone else."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import running_bot, settings_for, texts
from support.fake_bot_api import BOT_USERNAME, Call, FakeBotApi, UploadedFile

from bot.config import Settings
from bot.reports import CSV_COLUMNS

COORDINATOR = 424242
PERSON = 987654321
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def api() -> FakeBotApi:
    """The fake Bot API, not serving HTTP: these tests reach it in-process."""
    return FakeBotApi()


def coordinator_settings(api: FakeBotApi, tmp_path: Path, **changes: object) -> Settings:
    return settings_for(api, tmp_path, coordinators=frozenset({COORDINATOR}), **changes)


def uploads(calls: list[Call], method: str, field: str) -> list[UploadedFile]:
    return [c.params[field] for c in calls if c.method == method]


async def test_stats_sends_the_summary_and_its_chart(api: FakeBotApi, tmp_path: Path) -> None:
    async with running_bot(api, coordinator_settings(api, tmp_path), in_process=True) as bot:
        await bot.say(PERSON, "/start")
        await bot.tap(PERSON, "J'ai une idée")
        for command in ("/stats", "/stats 7j", "/stats 12m"):
            calls = await bot.say(COORDINATOR, command)
            (summary,) = texts(calls)
            assert "Conversations" in summary
            (chart,) = uploads(calls, "sendPhoto", "photo")
            assert chart.content_type == "image/png"
            assert api.uploads[chart.filename].startswith(PNG)
        calls = await bot.say(COORDINATOR, "/stats hier")
        assert "Usage : /stats" in texts(calls)[0]
        assert not uploads(calls, "sendPhoto", "photo")


async def test_export_sends_a_csv_that_parses_back(api: FakeBotApi, tmp_path: Path) -> None:
    async with running_bot(api, coordinator_settings(api, tmp_path), in_process=True) as bot:
        await bot.say(PERSON, "/start affiche-mijoteuse")
        await bot.tap(PERSON, "Je construis")
        for command in ("/export", "/export all"):
            calls = await bot.say(COORDINATOR, command)
            (document,) = uploads(calls, "sendDocument", "document")
            today = datetime.now(UTC).date().isoformat()
            assert document.filename == f"aiguillage-export-{today}.csv"
            rows = list(csv.DictReader(io.StringIO(api.uploads[document.filename].decode())))
            assert len(rows) == 1
            assert tuple(rows[0]) == CSV_COLUMNS
            assert rows[0]["source"] == "affiche-mijoteuse"
            assert rows[0]["stage"] == "building"
            assert rows[0]["user"] not in ("", str(PERSON))
        calls = await bot.say(COORDINATOR, "/export demain")
        assert "Usage : /export" in texts(calls)[0]


async def test_link_gives_the_deep_link_and_a_poster(api: FakeBotApi, tmp_path: Path) -> None:
    async with running_bot(api, coordinator_settings(api, tmp_path), in_process=True) as bot:
        calls = await bot.say(COORDINATOR, "/lien mijoteuse")
        (link,) = texts(calls)
        assert link == f"https://t.me/{BOT_USERNAME}?start=mijoteuse"
        (poster,) = uploads(calls, "sendPhoto", "photo")
        assert api.uploads[poster.filename].startswith(PNG)
        for command in ("/lien", "/lien <script>", "/lien a b"):
            calls = await bot.say(COORDINATOR, command)
            assert "Usage : /lien" in texts(calls)[0]
            assert not uploads(calls, "sendPhoto", "photo")


async def test_others_get_the_unknown_command_answer(api: FakeBotApi, tmp_path: Path) -> None:
    async with running_bot(api, coordinator_settings(api, tmp_path), in_process=True) as bot:
        await bot.say(PERSON, "/start")
        unknown = await bot.say(PERSON, "/inconnue")
        assert "Je ne connais pas cette commande" in texts(unknown)[0]
        for command in ("/stats", "/export all", "/lien mijoteuse"):
            calls = await bot.say(PERSON, command)
            assert [(c.method, c.params) for c in calls] == [
                (c.method, c.params) for c in unknown
            ], command


async def test_coordinators_have_their_own_menu(api: FakeBotApi, tmp_path: Path) -> None:
    async with running_bot(api, coordinator_settings(api, tmp_path), in_process=True):
        (menu,) = [c for c in api.calls("setMyCommands") if c.params["scope"]["type"] == "chat"]
    assert menu.params["scope"]["chat_id"] == COORDINATOR
    assert {"stats", "export", "lien", "start"} <= {c["command"] for c in menu.params["commands"]}


async def test_weekly_digest_reaches_every_coordinator(api: FakeBotApi, tmp_path: Path) -> None:
    settings = coordinator_settings(api, tmp_path, digest_day="mon")
    async with running_bot(api, settings, in_process=True) as bot:
        await bot.say(PERSON, "/start")
        assert bot.app.job_queue is not None
        (job,) = bot.app.job_queue.get_jobs_by_name("weekly-digest")
        assert job.next_t is not None and job.next_t.weekday() == 0
        before = len(api.calls())
        await job.run(bot.app)
        calls = [c for c in api.calls()[before:] if c.method != "getUpdates"]
    (summary,) = texts(calls)
    assert "Conversations" in summary
    assert calls[0].params["chat_id"] == COORDINATOR
    assert len(uploads(calls, "sendPhoto", "photo")) == 1


async def test_no_digest_unless_a_day_is_set(api: FakeBotApi, tmp_path: Path) -> None:
    async with running_bot(api, coordinator_settings(api, tmp_path), in_process=True) as bot:
        assert bot.app.job_queue is not None
        assert not bot.app.job_queue.get_jobs_by_name("weekly-digest")

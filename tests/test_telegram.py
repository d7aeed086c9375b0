"""The Telegram bot end to end: real PTB Application, real SQLite file, real knowledge base,
long polling (or the webhook) against the fake Bot API of ``support.fake_bot_api``: reached
in-process where HTTP is not the point, over HTTP on 127.0.0.1 for failures, hangs, the
webhook and the ``serve`` process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import struct
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from conftest import RecordingBotApi, running_bot, settings_for, texts
from support.fake_bot_api import BOT_USERNAME, STICKER, Call, JSONDict

from bot.adapters.telegram import delivery
from bot.adapters.telegram.application import file_url, run
from bot.service import Who

USER = 987654321
OTHER = 55501
GROUP = -100777
REPO = Path(__file__).resolve().parent.parent


def methods(calls: list[Call]) -> list[str]:
    return [c.method for c in calls]


def private_message(user: int, **content: object) -> JSONDict:
    return {
        "message_id": 9000,
        "date": int(time.time()),
        "chat": {"id": user, "type": "private", "first_name": "U"},
        "from": {"id": user, "is_bot": False, "first_name": "U", "language_code": "fr"},
        **content,
    }


def sticker(user: int) -> JSONDict:
    return {"message": private_message(user, sticker=STICKER)}


def test_file_url_follows_the_api_base() -> None:
    assert file_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


async def test_whole_conversation_by_buttons(api: RecordingBotApi, tmp_path: Path) -> None:
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        calls = await bot.say(USER, "/start")
        assert "Bonjour" in texts(calls)[0]
        first = calls[0].params
        assert first["parse_mode"] == "HTML"
        assert first["link_preview_options"] == {"is_disabled": True}
        assert "Où en est votre projet" in texts(calls)[-1]

        calls = await bot.tap(USER, "J'ai une idée")
        assert methods(calls) == ["answerCallbackQuery", "editMessageText"], "one message, edited"
        assert "✓ J'ai une idée" in calls[1].params["text"], "a recap of the answers so far"
        assert "statut de votre structure" in calls[1].params["text"]

        await bot.tap(USER, "SCOP")
        calls = await bot.tap(USER, "Être conseillé")
        assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
        assert bot.button(USER, "✓ Être conseillé")
        await bot.tap(USER, "Un financement")
        calls = await bot.tap(USER, "Valider")
        assert "Dans quelle commune" in texts(calls)[-1]

        calls = await bot.say(USER, "Ramonville")
        assert "Ramonville-Saint-Agne" in texts(calls)[0]
        assert "décrivez votre projet" in texts(calls)[-1]

        calls = await bot.tap(USER, "Passer")
        shown = texts(calls)
        (results,) = [t for t in shown if "Voici les structures" in t]
        assert "<b>1. " in results and results.count("<b>Contact :</b>") >= 2
        assert "Information de" in results, "how old the information is"
        assert "Cette orientation vous aide" in shown[-1]

        calls = await bot.tap(USER, "👍")
        assert any("Merci" in t for t in texts(calls))
        assert len(api.calls("answerCallbackQuery")) == 7, "every press is answered"

        ((outcome, stage, form, needs, commune, feedback),) = bot.rows(
            "SELECT outcome, stage, legal_form, needs, commune, feedback FROM conversations"
        )
    assert (outcome, stage, form, feedback) == ("completed", "idea", "scop", "useful")
    assert "advice" in needs and "funding" in needs
    assert commune == "31446"


async def test_conversation_by_free_text(api: RecordingBotApi, tmp_path: Path) -> None:
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        await bot.say(USER, "/start")
        calls = await bot.say(USER, "je veux monter une scop de menuiserie à Ramonville")
        summary, consent = texts(calls)
        assert "Voici ce que j'ai compris" in summary
        assert "SCOP" in summary and "Ramonville" in summary
        assert bot.button(USER, "Corriger le statut")
        assert "Pouvons-nous garder le texte" in consent

        calls = await bot.tap(USER, "Oui, vous pouvez")
        assert any("Voici les structures" in t for t in texts(calls)), "no question left: results"
        assert not any("décrivez votre projet" in t for t in texts(calls)), "not asked again"
        ((legal_form, free_text),) = bot.rows("SELECT legal_form, free_text FROM conversations")
    assert legal_form == "scop"
    assert "menuiserie" in free_text


async def test_deep_link_source_is_recorded_and_checked(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        await bot.say(USER, "/start mijoteuse")
        await bot.say(OTHER, "/start <script>")
        sources = dict(bot.rows("SELECT user, source FROM conversations"))
        me, other = (bot.service.pseudonym(Who(u)) for u in (USER, OTHER))
    assert sources == {me: "mijoteuse", other: None}


async def test_stale_and_forged_buttons_get_a_polite_answer(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        await bot.say(USER, "/start")
        old_data, old_message = bot.button(USER, "J'ai une idée")
        await bot.tap(USER, "J'ai une idée")
        for data in (old_data, "garbage", "9|s|idea|" + "x" * 80):
            calls = await bot.press(USER, data, old_message)
            assert methods(calls)[0] == "answerCallbackQuery"
            stale, question = texts(calls)
            assert "Ce bouton n'est plus actif" in stale
            assert "Quel est le statut" in question
        assert len(api.calls("answerCallbackQuery")) == 4


async def test_refused_edits_become_new_messages(api: RecordingBotApi, tmp_path: Path) -> None:
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        await bot.say(USER, "/start")
        api.fail_next("editMessageText", 400, description="Bad Request: message can't be edited")
        calls = await bot.tap(USER, "J'ai une idée")
        assert methods(calls) == ["answerCallbackQuery", "editMessageText", "sendMessage"]
        assert "✓ J'ai une idée" in calls[2].params["text"]
        assert "statut de votre structure" in calls[2].params["text"]

        api.fail_next("editMessageText", 400, description="Bad Request: message is not modified")
        calls = await bot.tap(USER, "SCOP")
        assert methods(calls) == ["answerCallbackQuery", "editMessageText"], "nothing to resend"
        assert "De quoi avez-vous besoin" in calls[1].params["text"]


async def test_group_chats_only_get_the_private_link(api: RecordingBotApi, tmp_path: Path) -> None:
    group = {"chat_type": "group", "chat_id": GROUP}
    mention = f"@{BOT_USERNAME} bonjour"
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        answered = [
            await bot.say(USER, f"/start@{BOT_USERNAME}", **group),
            await bot.say(USER, "/aide", **group),
        ]
        update = api.inject_raw(
            {
                "message": {
                    "message_id": 500,
                    "date": int(time.time()),
                    "chat": {"id": GROUP, "type": "supergroup", "title": "ESS"},
                    "from": {"id": USER, "is_bot": False, "first_name": "U"},
                    "text": mention,
                    "entities": [{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}],
                }
            }
        )
        answered.append(await bot.send(update))
        ignored = [
            await bot.say(USER, "je veux monter une scop", **group),
            await bot.say(USER, "/start@another_bot", **group),
        ]
        stored = bot.rows(
            "SELECT COUNT(*) FROM conversations UNION ALL SELECT COUNT(*) FROM dialogue_state"
        )
    for calls in answered:
        (text,) = texts(calls)
        assert f"https://t.me/{BOT_USERNAME}" in text
        assert calls[0].params["chat_id"] == GROUP
    assert ignored == [[], []]
    assert stored == [(0,), (0,)]


async def test_unsupported_messages_and_edits(api: RecordingBotApi, tmp_path: Path) -> None:
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        await bot.say(USER, "/start")
        await bot.tap(USER, "J'ai une idée")
        calls = await bot.send(api.inject_raw(sticker(USER)))
        explanation, question = texts(calls)
        assert "Je ne peux lire que du texte" in explanation
        assert "Quel est le statut" in question
        assert bot.button(USER, "SCOP")

        photo = private_message(
            USER, photo=[{"file_id": "p", "file_unique_id": "p", "width": 9, "height": 9}]
        )
        calls = await bot.send(api.inject_raw({"message": photo}))
        assert "Je ne peux lire que du texte" in texts(calls)[0]

        edited = private_message(USER, text="SCOP", edit_date=int(time.time()))
        assert await bot.send(api.inject_raw({"edited_message": edited})) == []
        assert bot.button(USER, "SCOP"), "the question is still open"


async def test_conversation_resumes_after_a_restart(api: RecordingBotApi, tmp_path: Path) -> None:
    settings = settings_for(api, tmp_path)
    async with running_bot(api, settings, in_process=True) as bot:
        await bot.say(USER, "/start")
        await bot.tap(USER, "J'ai une idée")
        await bot.tap(USER, "Association")
    async with running_bot(api, settings, in_process=True) as bot:
        calls = await bot.tap(USER, "Des locaux")
        assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
        assert "✓ Des locaux" in str(calls[1].params["reply_markup"])
        calls = await bot.tap(USER, "Valider")
        assert "Dans quelle commune" in texts(calls)[-1]
        ((count, needs, form),) = bot.rows("SELECT COUNT(*), needs, legal_form FROM conversations")
    assert (count, form) == (1, "association")
    assert "premises" in needs


async def test_command_menus_in_french_and_english(api: RecordingBotApi, tmp_path: Path) -> None:
    async with running_bot(api, settings_for(api, tmp_path), in_process=True):
        menus = {
            c.params.get("language_code"): [cmd["command"] for cmd in c.params["commands"]]
            for c in api.calls("setMyCommands")
        }
    assert set(menus) == {None, "fr", "en"}
    assert menus[None] == menus["fr"]
    assert {"start", "aide", "mesdonnees", "oubli"} <= set(menus["fr"])
    assert {"start", "help", "mydata", "forget"} <= set(menus["en"])
    assert not {"stats", "export", "lien"} & {c for menu in menus.values() for c in menu}


async def test_my_data_then_forget_erases_every_row(api: RecordingBotApi, tmp_path: Path) -> None:
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        await bot.say(USER, "/start affiche")
        await bot.tap(USER, "Je construis")
        calls = await bot.say(USER, "/mesdonnees")
        assert "Vos conversations (1)" in texts(calls)[0]
        assert "Je construis le projet" in texts(calls)[0]

        calls = await bot.say(USER, "/oubli")
        assert "Voulez-vous effacer" in texts(calls)[0]
        calls = await bot.tap(USER, "Oui, tout effacer")
        assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
        assert "C'est fait" in texts(calls)[0]
        counts = [
            bot.rows(f"SELECT COUNT(*) FROM {table}")[0][0]
            for table in ("conversations", "dialogue_state", "consent")
        ]
    assert counts == [0, 0, 0]


async def test_telegram_user_id_never_reaches_the_database(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    settings = settings_for(api, tmp_path)
    async with running_bot(api, settings, in_process=True) as bot:
        await bot.say(USER, "/start")
        await bot.say(USER, "je veux monter une scop de menuiserie à Ramonville")
        await bot.tap(USER, "Oui, vous pouvez")
        await bot.tap(USER, "👍")
    files = [p for p in tmp_path.iterdir() if p.name.startswith(settings.db_path.name)]
    data = b"".join(p.read_bytes() for p in files)
    assert b"menuiserie" in data, "the check reads the right files"
    assert str(USER).encode() not in data
    assert struct.pack(">I", USER) not in data


async def test_idle_conversations_expire_as_abandoned(api: RecordingBotApi, tmp_path: Path) -> None:
    async with running_bot(
        api, settings_for(api, tmp_path, idle_minutes=0), in_process=True
    ) as bot:
        await bot.say(USER, "/start")
        await bot.tap(USER, "J'ai une idée")
        assert bot.app.job_queue is not None
        (job,) = bot.app.job_queue.get_jobs_by_name("expire-idle")
        await job.run(bot.app)
        outcome = bot.rows("SELECT outcome FROM conversations")
        states = bot.rows("SELECT COUNT(*) FROM dialogue_state")
    assert outcome == [("abandoned",)]
    assert states == [(0,)]


async def test_passing_api_failures_are_retried(api: RecordingBotApi, tmp_path: Path) -> None:
    async with running_bot(api, settings_for(api, tmp_path)) as bot:
        api.fail_next("sendMessage", status=500, times=2)
        calls = await bot.say(USER, "/start")
        assert [c.method for c in calls].count("sendMessage") >= 4, "two failures, then sent"
        assert any("Où en est votre projet" in t for t in bot_texts(api))
        api.fail_next("sendMessage", status=429, retry_after=1)
        await bot.tap(USER, "J'ai une idée")
        assert any("statut de votre structure" in t for t in bot_texts(api))


async def test_lasting_api_failures_are_logged_once_without_token(
    api: RecordingBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    delivery.FAILURES = delivery.FailureLog()
    async with running_bot(api, settings_for(api, tmp_path)) as bot:
        api.fail_next("sendMessage", status=502, times=40)
        await bot.say(USER, "/start")
        await bot.say(USER, "/aide")
        api.clear_faults()
        calls = await bot.say(USER, "une scop à Toulouse")
        assert any("Voici ce que j'ai compris" in c.params.get("text", "") for c in calls)
        assert bot.rows("SELECT legal_form FROM conversations") == [("scop",)], "state kept"
    failed = [r for r in caplog.records if "Bot API sendMessage failed" in r.getMessage()]
    assert len(failed) == 1, "a lasting failure is logged once per period"
    assert api.token.split(":")[1] not in caplog.text


def bot_texts(api: RecordingBotApi) -> list[str]:
    return [str(m.get("text", "")) for m in api.bot_messages(USER)]


def free_port() -> int:
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_checks_the_secret(api: RecordingBotApi, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    settings = settings_for(
        api, tmp_path, webhook_url=url, webhook_port=port, webhook_secret="s3cret-token"
    )
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": USER, "type": "private", "first_name": "U"},
            "from": {"id": USER, "is_bot": False, "first_name": "U", "language_code": "en"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    async with running_bot(api, settings) as bot, aiohttp.ClientSession() as http:
        (hook,) = api.calls("setWebhook")
        assert hook.params["url"] == url
        assert hook.params["secret_token"] == "s3cret-token"
        async with http.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        ) as refused:
            assert refused.status == 403
        before = len(api.calls())
        async with http.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
        ) as accepted:
            assert accepted.status == 200
        calls = await bot.send(update, before)
    assert "Hello" in texts(calls)[0]
    assert not api.calls("getUpdates")


def test_serve_without_token_points_to_make_chat(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["serve"]) == 2
    assert "make chat" in capsys.readouterr().err


def test_serve_with_an_invalid_knowledge_base_lists_the_problems(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "knowledge"
    (broken / "actors").mkdir(parents=True)
    for name in ("taxonomy.yaml", "communes.json"):
        (broken / name).write_bytes((REPO / "knowledge" / name).read_bytes())
    (broken / "actors" / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:not-used")
    monkeypatch.setenv("AIGUILLAGE_KB", str(broken))
    monkeypatch.setenv("AIGUILLAGE_DB", str(tmp_path / "db.sqlite3"))
    from bot.cli import main

    assert main(["serve"]) == 2
    error = capsys.readouterr().err
    assert "broken.yaml" in error
    assert "not-used" not in error


async def serve(api: RecordingBotApi, tmp_path: Path, token: str) -> asyncio.subprocess.Process:
    """``python -m bot serve`` against the fake API, logging at DEBUG on a pipe."""
    env = os.environ | {
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "AIGUILLAGE_DB": str(tmp_path / "serve.sqlite3"),
        "AIGUILLAGE_SECRET": "y" * 32,
        "AIGUILLAGE_LOG_LEVEL": "DEBUG",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        env=env,
        cwd=REPO,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def stop(process: asyncio.subprocess.Process) -> str:
    """SIGTERM the served bot if it still runs; wait for it and return what it logged."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    async with asyncio.timeout(10):
        _, stderr = await process.communicate()
    return stderr.decode() if stderr else ""


async def test_serve_command_answers_start(api: RecordingBotApi, tmp_path: Path) -> None:
    process = await serve(api, tmp_path, api.token)
    try:
        api.inject_message(USER, "/start")
        await api.wait_for(
            lambda calls: process.returncode is not None or bool(api.calls("sendMessage")), 10
        )
    finally:
        log = await stop(process)
    assert process.returncode == 0, log[-2000:]
    assert "Bonjour" in api.sent_texts(USER)[0]
    assert "receiving updates by long polling" in log
    assert api.token.split(":")[1] not in log


async def test_serve_with_a_rejected_token_keeps_it_secret(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    process = await serve(api, tmp_path, "123456789:wrong-secret-part")
    async with asyncio.timeout(10):
        _, stderr = await process.communicate()
    assert process.returncode == 2
    assert "rejected TELEGRAM_BOT_TOKEN" in stderr.decode()
    assert "wrong-secret-part" not in stderr.decode()


async def test_run_serves_until_stopped(api: RecordingBotApi, tmp_path: Path) -> None:
    stop = asyncio.Event()
    async with asyncio.timeout(10):
        serving = asyncio.create_task(run(settings_for(api, tmp_path), stop))
        api.inject_message(USER, "/start")
        await api.wait_for(lambda _: serving.done() or len(api.calls("sendMessage")) >= 2)
        stop.set()
        await serving
    assert "Où en est votre projet" in api.sent_texts(USER)[-1]


def button_in(api: RecordingBotApi, label: str) -> tuple[int, str]:
    """(message id, data) of the newest button whose label contains ``label``."""
    for message in reversed(api.bot_messages(USER)):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if label in button["text"]:
                    return int(message["message_id"]), str(button["callback_data"])
    raise AssertionError(f"no button {label!r}")


async def test_a_killed_bot_resumes_the_conversation(api: RecordingBotApi, tmp_path: Path) -> None:
    def shown(text: str) -> bool:
        return any(text in t for t in bot_texts(api))

    process = await serve(api, tmp_path, api.token)
    try:
        api.inject_message(USER, "/start")
        await api.wait_for(lambda _: process.returncode is not None or shown("Où en est"), 15)
        api.inject_callback(USER, *reversed(button_in(api, "J'ai une idée")))
        await api.wait_for(lambda _: shown("statut de votre structure"), 10)
    finally:
        process.kill()  # SIGKILL: no shutdown, no flush
        await process.wait()
    assert process.returncode == -signal.SIGKILL

    process = await serve(api, tmp_path, api.token)
    try:
        message_id, data = button_in(api, "Association")
        api.inject_callback(USER, data, message_id)
        await api.wait_for(lambda _: shown("De quoi avez-vous besoin"), 15)
    finally:
        await stop(process)
    assert process.returncode == 0
    with contextlib.closing(sqlite3.connect(tmp_path / "serve.sqlite3")) as db:
        ((stage, form),) = db.execute("SELECT stage, legal_form FROM conversations").fetchall()
    assert (stage, form) == ("idea", "association")


async def test_a_hanging_api_does_not_stop_the_bot(api: RecordingBotApi, tmp_path: Path) -> None:
    other = USER + 1
    async with running_bot(api, settings_for(api, tmp_path)) as bot:
        api.hang_next("sendMessage", seconds=8)
        api.inject_message(USER, "/start")  # its first reply hangs until PTB times out
        await api.wait_for(lambda calls: any(c.method == "sendMessage" for c in calls), 5)
        calls = await bot.say(other, "/start")  # others are not held up meanwhile
        assert any("Où en est votre projet" in c.params.get("text", "") for c in calls)
        await asyncio.sleep(6)  # past PTB's write timeout: the hung call has failed
        calls = await bot.say(USER, "/aide")
        assert any("/recommencer" in c.params.get("text", "") for c in calls)
        assert bot.rows("SELECT COUNT(*) FROM conversations") == [(2,)]


async def test_flood_control_applies_in_groups(api: RecordingBotApi, tmp_path: Path) -> None:
    group = {"chat_type": "group", "chat_id": GROUP}
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:
        answered = [await bot.say(USER, f"/start@{BOT_USERNAME}", **group) for _ in range(40)]
        other = await bot.say(OTHER, f"/start@{BOT_USERNAME}", **group)
    counts = [len(texts(calls)) for calls in answered]
    assert counts == [1] * 21 + [0] * 19, "20 answers, one flood notice, then silence"
    assert "beaucoup de messages" in texts(answered[20])[0]
    assert len(texts(other)) == 1, "another person in the group is still answered"


async def test_debug_logs_hold_no_id_name_or_text(api: RecordingBotApi, tmp_path: Path) -> None:
    """``serve`` at DEBUG: PTB, httpx and aiosqlite stay at INFO, so nothing personal is logged."""
    secret_words = "mon projet zanzibarique à Colomiers"
    process = await serve(api, tmp_path, api.token)
    try:
        api.inject_message(USER, "/start")
        api.inject_message(USER, secret_words)
        await api.wait_for(
            lambda calls: process.returncode is not None or len(api.calls("sendMessage")) >= 3, 15
        )
    finally:
        log = await stop(process)
    assert process.returncode == 0, log[-2000:]
    assert "DEBUG" in log or "INFO" in log, "the bot did log"
    for personal in (str(USER), f"User{USER}", "zanzibarique"):
        assert personal not in log, f"{personal} in the logs"


PEOPLE = 40
MESSAGES = ["/start"] + ["/aide"] * 6
REPLIES_EACH = 2
"""/start: the welcome then the first question; /aide: the help then the current question."""


async def spawn(api: RecordingBotApi, db: Path, log: Path) -> asyncio.subprocess.Process:
    """``python -m bot serve`` against the fake API, its log in a file (never a full pipe)."""
    env = os.environ | {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "AIGUILLAGE_DB": str(db),
        "AIGUILLAGE_SECRET": "y" * 32,
    }
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", env=env, cwd=REPO, stdout=sink, stderr=sink
        )


async def test_no_acknowledged_message_is_lost_or_answered_twice_across_a_sigkill(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    db, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    people = [70_000 + n for n in range(PEOPLE)]
    expected = len(MESSAGES) * REPLIES_EACH

    def answered(user: int) -> int:
        return sum(1 for c in api.calls("sendMessage") if c.params["chat_id"] == user)

    async def person(user: int) -> None:
        """Writes, waits for the answer, writes again: like a person."""
        for count, text in enumerate(MESSAGES, 1):
            api.inject_message(user, text)
            await api.wait_for(lambda _, n=count: answered(user) >= n * REPLIES_EACH, 60)

    process = await spawn(api, db, log)
    talking = [asyncio.create_task(person(user)) for user in people]
    try:
        total = PEOPLE * expected
        await api.wait_for(lambda calls: len(api.calls("sendMessage")) >= total * 0.4, 60)
        process.kill()  # SIGKILL mid-traffic: no shutdown, no flush
        await process.wait()
        assert process.returncode == -signal.SIGKILL
        killed_at = len(api.calls("sendMessage"))
        process = await spawn(api, db, log)
        async with asyncio.timeout(120):
            await asyncio.gather(*talking)
        await asyncio.sleep(1.0)  # room for any late duplicate
    finally:
        for task in talking:
            task.cancel()
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(20):
            await process.wait()
    assert process.returncode == 0, log.read_text()[-3000:]
    assert killed_at < PEOPLE * expected, "the kill came mid-traffic"
    counts = {user: answered(user) for user in people}
    assert all(n >= expected for n in counts.values()), f"an answer was lost: {counts}"
    # A reply Telegram received just before the kill, but whose answer the bot never read, is
    # sent again (at least once): at most the one message in flight per person.
    assert all(n <= expected + 1 for n in counts.values()), f"answered twice: {counts}"
    with contextlib.closing(sqlite3.connect(db)) as connection:
        per_person = connection.execute(
            "SELECT COUNT(*) FROM conversations GROUP BY user"
        ).fetchall()
        left = connection.execute(
            "SELECT COUNT(*) FROM inbox WHERE payload IS NOT NULL OR outbox IS NOT NULL"
        ).fetchone()
    assert per_person == [(1,)] * PEOPLE, "one conversation per person, none doubled"
    assert left == (0,), "no update content kept once answered"

"""The fake Bot API drives the real PTB stack: HTTPXRequest, Updater polling, handlers."""

from __future__ import annotations

import asyncio
import contextlib
import io
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from support.fake_bot_api import (
    BOT_USERNAME,
    STICKER,
    Call,
    FakeBotApi,
    UploadedFile,
    running_fake_api,
)
from support.local_bot_api import BENCH_TOKEN, LocalBotRequest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, Conflict, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

App = Application[Any, Any, Any, Any, Any, Any]
USER = 4242
GROUP = -100777
KEYBOARD = {
    "inline_keyboard": [
        [{"text": "Oui", "callback_data": "yes"}, {"text": "Non", "callback_data": "no"}]
    ]
}


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with running_fake_api() as fake:
        yield fake


async def start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    buttons = [
        InlineKeyboardButton("Oui", callback_data="yes"),
        InlineKeyboardButton("Non", callback_data="no"),
    ]
    await update.message.reply_text("Bonjour !", reply_markup=InlineKeyboardMarkup([buttons]))


async def button(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Noté")
    await query.edit_message_text(f"Choix : {query.data}")


async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def files(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(992))
    await update.message.reply_photo(png, caption="Carte", filename="carte.png")
    await update.message.reply_document(io.BytesIO(b"a;b\n1;2\n"), filename="structures.csv")


async def sticker(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("Je ne lis que le texte.")


def build_app(api: FakeBotApi) -> tuple[App, list[object]]:
    """The bot under test, wired to the fake, with an error handler recording every error."""
    app = (
        Application.builder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("files", files))
    app.add_handler(CallbackQueryHandler(button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(filters.Sticker.ALL, sticker))
    errors: list[object] = []

    async def record_error(_: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app.add_error_handler(record_error)
    return app, errors


@contextlib.asynccontextmanager
async def polling(app: App) -> AsyncIterator[None]:
    """Run ``app`` with real long polling for the block, bounded to 10 s."""
    async with asyncio.timeout(10), app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()


def has(method: str, count: int = 1) -> Callable[[list[Call]], bool]:
    """Predicate for :meth:`FakeBotApi.wait_for`: at least ``count`` calls of ``method``."""
    return lambda calls: sum(c.method == method for c in calls) >= count


async def test_start_button_and_echo(api: FakeBotApi) -> None:
    app, errors = build_app(api)
    async with polling(app):
        api.inject_message(USER, "/start")
        await api.wait_for(has("sendMessage"))
        (reply,) = api.calls("sendMessage")
        assert reply.params == {"chat_id": USER, "text": "Bonjour !", "reply_markup": KEYBOARD}
        assert api.last_markup(USER) == KEYBOARD
        sent = api.bot_messages(USER)[-1]
        assert sent["reply_markup"] == KEYBOARD

        api.inject_callback(USER, "yes", message_id=sent["message_id"])
        await api.wait_for(has("editMessageText"))
        (answer,) = api.calls("answerCallbackQuery")
        assert answer.params == {"callback_query_id": "1", "text": "Noté"}
        (edit,) = api.calls("editMessageText")
        assert edit.params == {
            "chat_id": USER,
            "message_id": sent["message_id"],
            "text": "Choix : yes",
        }
        assert api.last_markup(USER) is None
        assert api.bot_messages(USER)[-1]["text"] == "Choix : yes"

        api.inject_message(USER, "bonjour")
        await api.wait_for(has("sendMessage", 2))
    assert errors == []
    assert api.sent_texts(USER) == ["Bonjour !", "bonjour"]
    assert [c.method for c in api.calls()[:2]] == ["getMe", "deleteWebhook"]
    offsets = [c.params.get("offset") for c in api.calls("getUpdates")]
    assert offsets[-1] == 4, "the final getUpdates confirms the three updates"


@pytest.mark.parametrize(
    ("status", "error_type", "message"),
    [(500, NetworkError, "Internal Server Error"), (429, RetryAfter, "Retry in 3 seconds")],
)
async def test_send_failure_reaches_error_handler(
    api: FakeBotApi, status: int, error_type: type[Exception], message: str
) -> None:
    app, errors = build_app(api)
    api.fail_next("sendMessage", status=status, retry_after=3)
    async with polling(app):
        api.inject_message(USER, "premier")
        await api.wait_for(lambda _: bool(errors))
        api.inject_message(USER, "second")
        await api.wait_for(has("sendMessage", 2))
    assert len(errors) == 1
    assert type(errors[0]) is error_type
    assert message in str(errors[0])
    assert api.sent_texts(USER) == ["premier", "second"], "the failed attempt is recorded too"
    assert len(api.bot_messages(USER)) == 1


async def test_uploads_groups_and_raw_updates(api: FakeBotApi) -> None:
    app, errors = build_app(api)
    async with polling(app):
        api.inject_message(USER, f"/start@{BOT_USERNAME}", chat_type="group", chat_id=GROUP)
        api.inject_message(USER, "/files")
        sticker_message = {
            "message_id": 99,
            "date": int(time.time()),
            "chat": {"id": USER, "type": "private", "first_name": "U"},
            "from": {"id": USER, "is_bot": False, "first_name": "U"},
            "sticker": STICKER,
        }
        api.inject_raw({"message": sticker_message})
        await api.wait_for(
            lambda calls: has("sendDocument")(calls) and has("sendMessage", 2)(calls)
        )
    assert errors == []
    assert api.bot_messages(GROUP)[0]["chat"]["type"] == "group"
    (photo,) = api.calls("sendPhoto")
    assert photo.params["photo"] == UploadedFile("carte.png", "image/png", 1000)
    assert photo.params["caption"] == "Carte"
    (document,) = api.calls("sendDocument")
    assert document.params["document"].filename == "structures.csv"
    assert document.params["document"].size == 8
    assert api.sent_texts(USER) == ["Je ne lis que le texte."]


async def test_commands_webhook_and_misc_methods(api: FakeBotApi) -> None:
    app, errors = build_app(api)
    async with asyncio.timeout(10), app:
        bot = app.bot
        assert bot.username == BOT_USERNAME
        await bot.set_my_commands([("start", "Commencer"), ("aide", "Aide")], language_code="fr")
        commands = await bot.get_my_commands(language_code="fr")
        assert [(c.command, c.description) for c in commands] == [
            ("start", "Commencer"),
            ("aide", "Aide"),
        ]
        assert await bot.get_my_commands() == ()
        assert await bot.delete_my_commands(language_code="fr") is True
        assert await bot.get_my_commands(language_code="fr") == ()
        assert await bot.send_chat_action(USER, ChatAction.TYPING) is True
        assert await bot.set_webhook("https://example.org/hook") is True
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates(timeout=0)
        assert await bot.delete_webhook() is True
        assert await bot.get_updates(timeout=0) == ()
        assert await bot.log_out() is True
    assert errors == []
    assert api.calls("sendChatAction")[0].params == {"chat_id": USER, "action": "typing"}


async def test_hang_delays_the_answer(api: FakeBotApi) -> None:
    app, errors = build_app(api)
    api.hang_next("sendMessage", 0.5)
    async with polling(app):
        api.inject_message(USER, "lent")
        await api.wait_for(has("sendMessage"))
        begin = time.monotonic()
        assert api.bot_messages(USER) == []
        await api.wait_for(lambda _: bool(api.bot_messages(USER)))
        assert time.monotonic() - begin >= 0.4
    assert errors == []


async def test_raw_http_long_poll_offset_and_wait_for_timeout(api: FakeBotApi) -> None:
    url = f"{api.base_url}{api.token}"
    async with aiohttp.ClientSession() as session:

        async def get_updates(**params: int) -> list[dict[str, Any]]:
            async with session.post(f"{url}/getUpdates", json=params) as response:
                body = await response.json()
            assert body["ok"] is True
            result: list[dict[str, Any]] = body["result"]
            return result

        loop = asyncio.get_running_loop()
        loop.call_later(0.1, api.inject_message, USER, "salut")
        begin = time.monotonic()
        (update,) = await get_updates(timeout=5)
        assert time.monotonic() - begin < 1.0
        assert update["message"]["text"] == "salut"
        assert await get_updates(offset=update["update_id"]) == [update]
        assert await get_updates(offset=update["update_id"] + 1) == []

        async with session.get(f"{url}/sendMessage?chat_id=7&text=42") as response:
            assert (await response.json())["result"]["text"] == "42"
        async with session.post(f"{api.base_url}wrong:token/getMe") as response:
            assert response.status == 401
    assert api.calls("sendMessage") == [Call("sendMessage", {"chat_id": 7, "text": "42"})]
    with pytest.raises(AssertionError, match=r"sendMessage \{\"chat_id\": 7"):
        await api.wait_for(has("editMessageText"), timeout=0.1)


@pytest.mark.parametrize("in_process", [False, True], ids=["fake-over-http", "local-request"])
async def test_an_unchanged_edit_is_refused_as_telegram_does(
    api: FakeBotApi, in_process: bool
) -> None:
    """Both Bot APIs of the tests and benchmarks answer an edit that changes nothing with
    Telegram's 400 « message is not modified »; a real change is taken."""
    bot = (
        Bot(BENCH_TOKEN, request=LocalBotRequest(), get_updates_request=LocalBotRequest())
        if in_process
        else Bot(api.token, base_url=api.base_url)
    )
    markup = InlineKeyboardMarkup.de_json(KEYBOARD, None)
    async with bot:
        sent = await bot.send_message(USER, "Où en est votre projet ?", reply_markup=markup)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text(
                "Où en est votre projet ?", USER, sent.message_id, reply_markup=markup
            )
        changed = await bot.edit_message_text("Quel statut ?", USER, sent.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text("Quel statut ?", USER, sent.message_id)
    assert isinstance(changed, Message) and changed.text == "Quel statut ?"

"""Baseline: what bare python-telegram-bot costs per update, network excluded.

The figures bound from above what any handler of ours can reach through ``process_update``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from telegram import Bot, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from benchmarks import report
from benchmarks.ptb_harness import (
    BENCH_TOKEN,
    LocalBotRequest,
    make_callback_updates,
    make_text_updates,
)

WARMUP = 500
TARGET_UPDATES_PER_SECOND = 1_000.0
"""Telegram lets a bot send about 30 messages/s; a thirty-fold margin leaves room for our code."""

UpdateFactory = Callable[..., list[Update]]


async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the received text."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def press(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button press and edit its message, as a menu step does."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"Choix : {query.data}")


def build_app() -> tuple[Application[Any, Any, Any, Any, Any, Any], LocalBotRequest]:
    """A bare application with the echo and button handlers, answered in-process."""
    request = LocalBotRequest()
    app = (
        Application.builder()
        .token(BENCH_TOKEN)
        .request(request)
        .get_updates_request(LocalBotRequest())
        .updater(None)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(press))
    return app, request


async def _updates_per_second(make: UpdateFactory, n: int, answers: tuple[str, ...]) -> float:
    app, request = build_app()
    errors: list[object] = []

    async def record_error(_: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app.add_error_handler(record_error)
    async with app:
        bot: Bot = app.bot
        for update in make(bot, WARMUP):
            await app.process_update(update)
        updates = make(bot, n, first_update_id=WARMUP + 1)
        start = time.perf_counter()
        for update in updates:
            await app.process_update(update)
        elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"handlers failed: {errors[:3]!r}")
    for method in answers:
        if request.calls[method] != WARMUP + n:
            raise RuntimeError(f"{method} called {request.calls[method]} times, not {WARMUP + n}")
    return n / elapsed


async def echo_updates_per_second(n: int = 5000) -> float:
    """Text updates per second through ``process_update`` to an echoing ``reply_text``."""
    return await _updates_per_second(make_text_updates, n, ("sendMessage",))


async def button_updates_per_second(n: int = 5000) -> float:
    """Button presses per second through ``process_update`` to answer + edit_message_text."""
    return await _updates_per_second(
        make_callback_updates, n, ("answerCallbackQuery", "editMessageText")
    )


def run() -> None:
    """Print the baseline figures."""
    rate = asyncio.run(echo_updates_per_second())
    report("ptb.echo_text", rate, "updates/s", TARGET_UPDATES_PER_SECOND)
    rate = asyncio.run(button_updates_per_second())
    report("ptb.button_answer_edit", rate, "updates/s", TARGET_UPDATES_PER_SECOND)

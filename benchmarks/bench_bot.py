"""The whole bot per update: PTB, dialogue, matching, SQLite state and demand log, network excluded.

Many simulated people each hold a full conversation by buttons (/start, stage, legal form, one or
two needs, Valider, a typed commune, Passer, 👍) through ``Application.process_update`` of the
application ``aiguillage serve`` runs, on a real SQLite file, with the Bot API answered in-process.
Each button press carries the data of the keyboard the bot actually sent to that person.
The rate is set beside bare PTB's echo rate (``bench_ptb_baseline``).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
from telegram import Bot, Update
from telegram.ext import ContextTypes
from telegram.request import RequestData

from benchmarks import report
from benchmarks.bench_ptb_baseline import echo_updates_per_second
from benchmarks.ptb_harness import BENCH_TOKEN, BOT_USER, LocalBotRequest
from bot.adapters.telegram.application import BotApplication, build_application
from bot.app import open_service
from bot.config import Settings

PEOPLE = 300
WARMUP_PEOPLE = 30
FIRST_USER_ID = 10_000
TARGET_RATIO = 0.25
TARGET_UPDATES_PER_SECOND = 300.0
TARGET_RSS_MB = 120.0
COMMUNES = ("Toulouse", "Colomiers", "Ramonville", "Blagnac", "Muret", "31770", "Balma")

Keyboard = list[list[dict[str, Any]]]
Step = Callable[[int], tuple[str, str]]
"""For person number ``n``: ``("text", message)`` or ``("press", button code prefix)``."""


class KeyboardRecordingRequest(LocalBotRequest):
    """:class:`LocalBotRequest` that also keeps, per chat, the last keyboard and its message id."""

    def __init__(self) -> None:
        super().__init__()
        self.keyboards: dict[int, tuple[int, Keyboard]] = {}

    async def answer(self, endpoint: str, request_data: RequestData | None) -> tuple[int, bytes]:
        """Answer as :class:`LocalBotRequest` does; remember any inline keyboard sent."""
        answer = await super().answer(endpoint, request_data)
        params = request_data.parameters if request_data is not None else {}
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message_id = params.get("message_id", self._message_id)
            self.keyboards[int(params["chat_id"])] = (int(message_id), markup["inline_keyboard"])
        return answer


SCRIPT: tuple[Step, ...] = (
    lambda n: ("text", "/start"),
    lambda n: ("press", f"|s|{('idea', 'building', 'launching', 'growing')[n % 4]}"),
    lambda n: ("press", "|f|" + ("undecided", "association", "scop", "scic", "company")[n % 5]),
    lambda n: ("press", "|n|" + ("advice", "funding", "premises", "training")[n % 4]),
    lambda n: ("press", "|n|" + ("network", "coworking", "employment")[n % 3]),
    lambda n: ("press", "|nv|ok"),
    lambda n: ("text", COMMUNES[n % len(COMMUNES)]),
    lambda n: ("press", "|d|skip"),
    lambda n: ("press", "|r|up"),
)


def user(user_id: int) -> dict[str, Any]:
    """A French-speaking Telegram user."""
    return {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "language_code": "fr"}


def chat(user_id: int) -> dict[str, Any]:
    """The private chat with ``user_id``."""
    return {"id": user_id, "type": "private", "first_name": f"U{user_id}"}


def text_update(bot: Bot, update_id: int, user_id: int, text: str) -> Update:
    """A private message; a leading ``/command`` gets its entity."""
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": chat(user_id),
        "from": user(user_id),
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return Update.de_json({"update_id": update_id, "message": message}, bot)


def press_update(
    bot: Bot, update_id: int, user_id: int, code: str, keyboards: dict[int, tuple[int, Keyboard]]
) -> Update:
    """A press on the button whose data contains ``code`` in the last keyboard sent to the user."""
    message_id, keyboard = keyboards[user_id]
    data = next(b["callback_data"] for row in keyboard for b in row if code in b["callback_data"])
    message = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat(user_id),
        "from": BOT_USER,
        "text": "…",
    }
    query = {
        "id": str(update_id),
        "chat_instance": f"ci{user_id}",
        "from": user(user_id),
        "data": data,
        "message": message,
    }
    return Update.de_json({"update_id": update_id, "callback_query": query}, bot)


async def converse(
    app: BotApplication, request: KeyboardRecordingRequest, people: range, first_update: int
) -> tuple[int, float]:
    """Every person holds the whole conversation, step by step; (updates, seconds processing)."""
    update_id, elapsed = first_update, 0.0
    for step in SCRIPT:
        updates = []
        for n in people:
            kind, value = step(n)
            user_id = FIRST_USER_ID + n
            if kind == "text":
                updates.append(text_update(app.bot, update_id, user_id, value))
            else:
                updates.append(press_update(app.bot, update_id, user_id, value, request.keyboards))
            update_id += 1
        start = time.perf_counter()
        for update in updates:
            await app.process_update(update)
        elapsed += time.perf_counter() - start
    return update_id - first_update, elapsed


async def bot_updates_per_second(directory: Path) -> tuple[float, float]:
    """Updates per second of whole conversations, and the RSS (MB) after them."""
    settings = Settings(
        token=BENCH_TOKEN, db_path=directory / "bench.sqlite3", secret=b"bench-secret-" * 3
    )
    errors: list[object] = []

    async def record_error(_: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    async with open_service(settings) as service:
        request = KeyboardRecordingRequest()
        app = build_application(settings, service, request=request)
        app.add_error_handler(record_error)
        async with app:
            await converse(app, request, range(WARMUP_PEOPLE), 1)
            people = range(WARMUP_PEOPLE, WARMUP_PEOPLE + PEOPLE)
            count, elapsed = await converse(app, request, people, 1_000_000)
            rss = psutil.Process().memory_info().rss / 2**20
        completed = await service.storage.conversations()
    if errors:
        raise RuntimeError(f"handlers failed: {errors[:3]!r}")
    useful = sum(1 for r in completed if r.feedback is not None)
    if useful != WARMUP_PEOPLE + PEOPLE:
        raise RuntimeError(f"{useful} conversations reached the feedback, not all of them")
    return count / elapsed, rss


def run() -> None:
    """Print the whole-bot rate, its ratio to bare PTB's echo, and the memory."""
    echo = asyncio.run(echo_updates_per_second())
    with tempfile.TemporaryDirectory() as directory:
        rate, rss = asyncio.run(bot_updates_per_second(Path(directory)))
    report("bot.conversation_updates", rate, "updates/s", TARGET_UPDATES_PER_SECOND)
    report("bot.ratio_to_ptb_echo", rate / echo, "ratio", TARGET_RATIO)
    report("bot.rss_after_conversations", rss, "MB", TARGET_RSS_MB, higher_is_better=False)

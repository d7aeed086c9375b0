"""The whole bot per update beside its idiomatic PTB peer, in the same run, network excluded.

Many simulated people each hold a full conversation by buttons (/start, stage, legal form, two
needs, Valider, a typed commune, Passer, 👍). Each update is put in the application's update
queue, as the Updater of ``aiguillage serve`` puts it (so the durable inbox keeps it first), and
handled by the application's fetcher and update processor (per chat, concurrent across people),
the dialogue, matching and a real SQLite file written on every turn; the Bot API answers
in-process, echoing the keyboards as Telegram does. Each press carries the data of the keyboard
the bot actually sent to that person. The peer (``bench_ptb_baseline``: ConversationHandler,
PicklePersistence with its defaults) holds the same conversations in the same rounds; the ratio
of the rates is printed with its min/median/max.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from telegram import Bot, Update
from telegram.ext import ContextTypes
from telegram.request import RequestData

from benchmarks import report
from benchmarks.bench_ptb_baseline import PeerApp, build_peer, feed
from benchmarks.ptb_harness import BENCH_TOKEN, BOT_USER, LocalBotRequest
from bot.adapters.telegram.application import build_application
from bot.app import open_service
from bot.config import REPO_KNOWLEDGE, Settings
from bot.core.catalogue import Catalogue
from bot.core.loader import load_knowledge

PEOPLE = 150
WARMUP_PEOPLE = 20
ROUNDS = 3
FIRST_USER_ID = 10_000
TARGET_PEER_RATIO = 2.0
TARGET_UPDATES_PER_SECOND = 300.0
TARGET_RSS_MB = 120.0
COMMUNES = ("Toulouse", "Colomiers", "Ramonville", "Blagnac", "Muret", "31770", "Balma")

Keyboard = list[list[dict[str, Any]]]
Script = tuple[tuple[str, str, tuple[str, ...]], ...]
"""Steps: ``("text", message, ())`` or ``("press", key, values)``, person ``n`` taking value
``values[n % len(values)]`` of the button whose data is ``|key|value`` (ours) or ``key:value``."""


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


SCRIPT: Script = (
    ("text", "/start", ()),
    ("press", "s", ("idea", "building", "launching", "growing")),
    ("press", "f", ("undecided", "association", "scop", "scic", "company")),
    ("press", "n", ("advice", "funding", "premises", "training")),
    ("press", "n", ("network", "coworking", "employment")),
    ("press", "nv", ("ok",)),
    ("text", "", COMMUNES),
    ("press", "d", ("skip",)),
    ("press", "r", ("up",)),
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
    bot: Bot, update_id: int, user_id: int, data: str, keyboards: dict[int, tuple[int, Keyboard]]
) -> Update:
    """A press on the button with ``data`` (found by :func:`wanted`) of the last keyboard."""
    message_id, keyboard = keyboards[user_id]
    found = next(b["callback_data"] for row in keyboard for b in row if wanted(data, b))
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
        "data": found,
        "message": message,
    }
    return Update.de_json({"update_id": update_id, "callback_query": query}, bot)


def wanted(data: str, button: dict[str, Any]) -> bool:
    """Whether ``button`` is the one meant: ours carry a step counter before ``|key|value``."""
    sent = str(button["callback_data"])
    return sent == data or (sent.endswith(data) and data.startswith("|"))


def step_updates(
    bot: Bot,
    request: KeyboardRecordingRequest,
    people: range,
    step: tuple[str, str, tuple[str, ...]],
    first_update: int,
    ours: bool,
) -> list[Update]:
    """One update per person for ``step``, ids from ``first_update``."""
    kind, key, values = step
    updates = []
    for offset, n in enumerate(people):
        user_id, update_id = FIRST_USER_ID + n, first_update + offset
        value = values[n % len(values)] if values else ""
        if kind == "text":
            updates.append(text_update(bot, update_id, user_id, value or key))
        else:
            data = f"|{key}|{value}" if ours else f"{key}:{value}"
            updates.append(press_update(bot, update_id, user_id, data, request.keyboards))
    return updates


async def converse(
    app: PeerApp, request: KeyboardRecordingRequest, people: range, first: int, ours: bool
) -> tuple[int, float]:
    """Every person holds the whole conversation, step by step; (updates, seconds handling)."""
    elapsed, update_id = 0.0, first
    for step in SCRIPT:
        updates = step_updates(app.bot, request, people, step, update_id, ours)
        update_id += len(updates)
        elapsed += await feed(app, [updates])
    return update_id - first, elapsed


async def bot_round(directory: Path) -> tuple[float, float]:
    """Aiguillage's updates per second over whole conversations, and its RSS (MB) after them."""
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
            if app.post_init is not None:
                await app.post_init(app)
            await app.start()
            await converse(app, request, range(WARMUP_PEOPLE), 1, ours=True)
            people = range(WARMUP_PEOPLE, WARMUP_PEOPLE + PEOPLE)
            count, elapsed = await converse(app, request, people, 1_000_000, ours=True)
            rss = psutil.Process().memory_info().rss / 2**20
            await app.stop()
        completed = await service.storage.conversations()
    if errors:
        raise RuntimeError(f"handlers failed: {errors[:3]!r}")
    useful = sum(1 for r in completed if r.feedback is not None)
    if useful != WARMUP_PEOPLE + PEOPLE:
        raise RuntimeError(f"{useful} conversations reached the feedback, not all of them")
    return count / elapsed, rss


async def peer_round(directory: Path) -> float:
    """The peer's updates per second over the same conversations."""
    request = KeyboardRecordingRequest()
    kb, cat = load_knowledge(REPO_KNOWLEDGE), Catalogue.load()
    app = build_peer(kb, cat, directory / "peer.pickle", request)
    errors: list[object] = []

    async def record_error(_: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app.add_error_handler(record_error)
    async with app:
        await app.start()
        await converse(app, request, range(WARMUP_PEOPLE), 1, ours=False)
        people = range(WARMUP_PEOPLE, WARMUP_PEOPLE + PEOPLE)
        count, elapsed = await converse(app, request, people, 1_000_000, ours=False)
        useful = sum(1 for data in app.user_data.values() if data.get("feedback"))
        await app.stop()
    if errors:
        raise RuntimeError(f"peer handlers failed: {errors[:3]!r}")
    if useful != WARMUP_PEOPLE + PEOPLE:
        raise RuntimeError(f"{useful} peer conversations reached the feedback, not all of them")
    return count / elapsed


def peer_rate() -> float:
    """One round of the peer alone (updates per second)."""
    with tempfile.TemporaryDirectory() as directory:
        return asyncio.run(peer_round(Path(directory)))


def run() -> None:
    """Rounds of the peer then Aiguillage; the rate, its ratio (min/median/max), the memory."""
    rates, peers, rss = [], [], 0.0
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory() as directory:
            peers.append(asyncio.run(peer_round(Path(directory))))
            rate, rss = asyncio.run(bot_round(Path(directory)))
            rates.append(rate)
    ratios = sorted(ours / peer for ours, peer in zip(rates, peers, strict=True))
    print(
        f"rounds: Aiguillage {', '.join(f'{r:,.0f}' for r in rates)} updates/s;"
        f" PTB peer {', '.join(f'{p:,.0f}' for p in peers)} updates/s;"
        f" ratio min {ratios[0]:.2f} / median {statistics.median(ratios):.2f}"
        f" / max {ratios[-1]:.2f}"
    )
    report(
        "bot.conversation_updates", statistics.median(rates), "updates/s", TARGET_UPDATES_PER_SECOND
    )
    report("bot.ratio_to_ptb_peer_median", statistics.median(ratios), "ratio", TARGET_PEER_RATIO)
    report("bot.rss_after_conversations", rss, "MB", TARGET_RSS_MB, higher_is_better=False)

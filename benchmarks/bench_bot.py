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
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

import psutil
from telegram import Update
from telegram.ext import ContextTypes
from telegram.request import RequestData

from benchmarks import report
from benchmarks.bench_ptb_baseline import PeerApp, build_peer, feed
from benchmarks.ptb_harness import BENCH_TOKEN, BOT_USER, LocalBotRequest
from bot.adapters.telegram.application import build_application
from bot.adapters.telegram.inbox import DurableQueue
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


def text_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """A private message, as Telegram sends it; a leading ``/command`` gets its entity."""
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": chat(user_id),
        "from": user(user_id),
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"update_id": update_id, "message": message}


def press_update(
    update_id: int, user_id: int, data: str, keyboards: dict[int, tuple[int, Keyboard]]
) -> dict[str, Any]:
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
    return {"update_id": update_id, "callback_query": query}


def wanted(data: str, button: dict[str, Any]) -> bool:
    """Whether ``button`` is the one meant: ours carry a step counter before ``|key|value``."""
    sent = str(button["callback_data"])
    return sent == data or (sent.endswith(data) and data.startswith("|"))


def step_updates(
    request: KeyboardRecordingRequest,
    people: range,
    step: tuple[str, str, tuple[str, ...]],
    first_update: int,
    ours: bool,
) -> list[dict[str, Any]]:
    """One update per person for ``step`` as Telegram sends it, ids from ``first_update``."""
    kind, key, values = step
    updates = []
    for offset, n in enumerate(people):
        user_id, update_id = FIRST_USER_ID + n, first_update + offset
        value = values[n % len(values)] if values else ""
        if kind == "text":
            updates.append(text_update(update_id, user_id, value or key))
        else:
            data = f"|{key}|{value}" if ours else f"{key}:{value}"
            updates.append(press_update(update_id, user_id, data, request.keyboards))
    return updates


class Side:
    """One of the two bots in a round: its application, its Bot API and its next update id."""

    def __init__(self, app: PeerApp, request: KeyboardRecordingRequest, ours: bool) -> None:
        self.app = app
        self.request = request
        self.ours = ours
        self.next_update = 1
        self.updates = 0
        self.seconds = 0.0
        self.cpu = 0.0
        """Processor seconds (every thread of the process) over the same steps as ``seconds``."""

    async def step(self, people: range, step: tuple[str, str, tuple[str, ...]]) -> None:
        """Everyone in ``people`` takes ``step``; the updates and time add to the totals.

        The updates are made from their JSON as PTB's Updater makes them (untimed, the same for
        both bots); Aiguillage also reads that ``getUpdates`` answer for its inbox, as in
        ``serve`` (timed)."""
        raw = step_updates(self.request, people, step, self.next_update, self.ours)
        updates = [Update.de_json(item, self.app.bot) for item in raw]
        self.next_update += len(updates)
        started, cpu = time.perf_counter(), time.process_time()
        if isinstance(self.app.update_queue, DurableQueue):
            body = json.dumps({"ok": True, "result": raw}).encode()
            self.app.update_queue.inbox.raw.keep(body)
        self.seconds += time.perf_counter() - started + await feed(self.app, [updates])
        self.cpu += time.process_time() - cpu
        self.updates += len(updates)

    async def converse(self, people: range) -> None:
        """The whole conversation for ``people`` (the warm-up)."""
        for step in SCRIPT:
            await self.step(people, step)
        self.updates, self.seconds, self.cpu = 0, 0.0, 0.0


class Round(NamedTuple):
    """One paired round: each bot's updates per second and CPU milliseconds per update, and
    the RSS (MB) after it (the peer shares Aiguillage's knowledge base)."""

    rate: float
    peer_rate: float
    cpu_ms: float
    peer_cpu_ms: float
    rss: float


async def paired_round(directory: Path) -> Round:
    """Aiguillage and the peer over the same conversations, each step taken by one bot then
    the other (in turn first), so that the machine's load falls on both."""
    settings = Settings(
        token=BENCH_TOKEN, db_path=directory / "bench.sqlite3", secret=b"bench-secret-" * 3
    )
    errors: list[object] = []

    async def record_error(_: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    async with open_service(settings) as service:
        request = KeyboardRecordingRequest()
        ours = Side(build_application(settings, service, request=request), request, True)
        peer_request = KeyboardRecordingRequest()
        peer = Side(
            build_peer(service.dialogue.kb, service.cat, directory / "peer.pickle", peer_request),
            peer_request,
            False,
        )
        for side in (ours, peer):
            side.app.add_error_handler(record_error)
        async with ours.app, peer.app:
            if ours.app.post_init is not None:
                await ours.app.post_init(ours.app)
            for side in (ours, peer):
                await side.app.start()
                await side.converse(range(WARMUP_PEOPLE))
            people = range(WARMUP_PEOPLE, WARMUP_PEOPLE + PEOPLE)
            for index, step in enumerate(SCRIPT):
                for side in (ours, peer) if index % 2 else (peer, ours):
                    await side.step(people, step)
            rss = psutil.Process().memory_info().rss / 2**20
            peer_done = sum(1 for data in peer.app.user_data.values() if data.get("feedback"))
            for side in (ours, peer):
                await side.app.stop()
        completed = await service.storage.conversations()
    if errors:
        raise RuntimeError(f"handlers failed: {errors[:3]!r}")
    done = sum(1 for r in completed if r.feedback is not None)
    if done != WARMUP_PEOPLE + PEOPLE or peer_done != done:
        raise RuntimeError(f"{done} and {peer_done} (peer) conversations reached the feedback")
    return Round(
        ours.updates / ours.seconds,
        peer.updates / peer.seconds,
        ours.cpu / ours.updates * 1000,
        peer.cpu / peer.updates * 1000,
        rss,
    )


async def peer_alone(directory: Path) -> float:
    """The peer's updates per second over the same conversations, with no other bot running."""
    request = KeyboardRecordingRequest()
    kb, cat = load_knowledge(REPO_KNOWLEDGE), Catalogue.load()
    peer = Side(build_peer(kb, cat, directory / "peer.pickle", request), request, False)
    async with peer.app:
        await peer.app.start()
        await peer.converse(range(WARMUP_PEOPLE))
        for step in SCRIPT:
            await peer.step(range(WARMUP_PEOPLE, WARMUP_PEOPLE + PEOPLE), step)
        done = sum(1 for data in peer.app.user_data.values() if data.get("feedback"))
        await peer.app.stop()
    if done != WARMUP_PEOPLE + PEOPLE:
        raise RuntimeError(f"{done} peer conversations reached the feedback, not all of them")
    return peer.updates / peer.seconds


def peer_rate() -> float:
    """One round of the peer alone (updates per second)."""
    with tempfile.TemporaryDirectory() as directory:
        return asyncio.run(peer_alone(Path(directory)))


def run() -> None:
    """Rounds of both bots; the rates, their ratio (min/median/max), CPU per update, memory."""
    rounds = []
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory() as directory:
            rounds.append(asyncio.run(paired_round(Path(directory))))
    rates = [r.rate for r in rounds]
    ratios = sorted(r.rate / r.peer_rate for r in rounds)
    print(
        f"rounds: Aiguillage {', '.join(f'{r:,.0f}' for r in rates)} updates/s;"
        f" PTB peer {', '.join(f'{r.peer_rate:,.0f}' for r in rounds)} updates/s;"
        f" ratio min {ratios[0]:.2f} / median {statistics.median(ratios):.2f}"
        f" / max {ratios[-1]:.2f}"
    )
    cpu_ratios = sorted(r.peer_cpu_ms / r.cpu_ms for r in rounds)
    print(
        f"CPU per update (all threads): Aiguillage"
        f" {', '.join(f'{r.cpu_ms:.2f}' for r in rounds)} ms;"
        f" PTB peer {', '.join(f'{r.peer_cpu_ms:.2f}' for r in rounds)} ms;"
        f" peer/Aiguillage min {cpu_ratios[0]:.2f} / median {statistics.median(cpu_ratios):.2f}"
        f" / max {cpu_ratios[-1]:.2f}"
    )
    report(
        "bot.conversation_updates", statistics.median(rates), "updates/s", TARGET_UPDATES_PER_SECOND
    )
    report("bot.ratio_to_ptb_peer_median", statistics.median(ratios), "ratio", TARGET_PEER_RATIO)
    report(
        "bot.rss_after_conversations", rounds[-1].rss, "MB", TARGET_RSS_MB, higher_is_better=False
    )

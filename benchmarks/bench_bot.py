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
from benchmarks.ptb_floor import build_floor
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
Call = tuple[str, dict[str, Any]]
Script = tuple[tuple[str, str, tuple[str, ...]], ...]
"""Steps: ``("text", message, ())`` or ``("press", key, values)``, person ``n`` taking value
``values[n % len(values)]`` of the button whose data is ``|key|value`` (ours) or ``key:value``."""


class KeyboardRecordingRequest(LocalBotRequest):
    """:class:`LocalBotRequest` that also keeps, per chat, the last keyboard and its message id,
    and, with ``recording`` (the peer's, which the floor replays), every call made to it by
    chat and step."""

    def __init__(self, *, recording: bool = False) -> None:
        super().__init__()
        self.recording = recording
        self.keyboards: dict[int, tuple[int, Keyboard]] = {}
        self.step = 0
        """The number of the step being taken (counted by :meth:`Side.step`)."""
        self.made: dict[tuple[int, int], list[Call]] = {}
        """Every call, as ``(endpoint, parameters)``, by chat and step."""
        self.pressed_in: dict[str, int] = {}
        """The chat of each press (callback query id), as :func:`step_updates` makes them."""

    async def answer(self, endpoint: str, request_data: RequestData | None) -> tuple[int, bytes]:
        """Answer as :class:`LocalBotRequest` does; remember the call and any inline keyboard."""
        answer = await super().answer(endpoint, request_data)
        params = request_data.parameters if request_data is not None else {}
        chat_id = params.get("chat_id") or self.pressed_in.get(str(params.get("callback_query_id")))
        if self.recording and chat_id is not None:
            self.made.setdefault((int(str(chat_id)), self.step), []).append((endpoint, params))
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
            request.pressed_in[str(update_id)] = user_id
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
        self.calls = 0
        """Bot API calls made over the same steps."""

    async def step(self, people: range, step: tuple[str, str, tuple[str, ...]]) -> None:
        """Everyone in ``people`` takes ``step``; the updates and time add to the totals.

        The updates are made from their JSON as PTB's Updater makes them (untimed, the same for
        both bots); Aiguillage also reads that ``getUpdates`` answer for its inbox, as in
        ``serve`` (timed)."""
        self.request.step += 1
        raw = step_updates(self.request, people, step, self.next_update, self.ours)
        updates = [Update.de_json(item, self.app.bot) for item in raw]
        self.next_update += len(updates)
        calls = self.request.calls.total()
        started, cpu = time.perf_counter(), time.process_time()
        if isinstance(self.app.update_queue, DurableQueue):
            body = json.dumps({"ok": True, "result": raw}).encode()
            self.app.update_queue.inbox.raw.keep(body)
        self.seconds += time.perf_counter() - started + await feed(self.app, [updates])
        self.cpu += time.process_time() - cpu
        self.updates += len(updates)
        self.calls += self.request.calls.total() - calls

    async def converse(self, people: range) -> None:
        """The whole conversation for ``people`` (the warm-up)."""
        for step in SCRIPT:
            await self.step(people, step)
        self.updates, self.seconds, self.cpu, self.calls = 0, 0.0, 0.0, 0


class Measured(NamedTuple):
    """One bot over one round's steps: updates per second, CPU ms and Bot API calls per update."""

    rate: float
    cpu_ms: float
    calls: float

    @classmethod
    def of(cls, side: Side) -> Measured:
        """The figures ``side`` added up."""
        return cls(
            side.updates / side.seconds, side.cpu / side.updates * 1000, side.calls / side.updates
        )


class Round(NamedTuple):
    """One round: Aiguillage, the peer and the floor (``ptb_floor``) over the same steps, and
    the RSS (MB) after it (the peer shares Aiguillage's knowledge base)."""

    ours: Measured
    peer: Measured
    floor: Measured
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
        peer_request = KeyboardRecordingRequest(recording=True)
        peer = Side(
            build_peer(service.dialogue.kb, service.cat, directory / "peer.pickle", peer_request),
            peer_request,
            False,
        )
        floor_request = KeyboardRecordingRequest()
        floor = Side(
            build_floor(
                floor_request,
                lambda chat_id: peer_request.made.pop((chat_id, floor_request.step), []),
            ),
            floor_request,
            False,
        )
        sides = (ours, peer, floor)
        for side in sides:
            side.app.add_error_handler(record_error)
        async with ours.app, peer.app, floor.app:
            if ours.app.post_init is not None:
                await ours.app.post_init(ours.app)
            for side in sides:
                await side.app.start()
                await side.converse(range(WARMUP_PEOPLE))
            people = range(WARMUP_PEOPLE, WARMUP_PEOPLE + PEOPLE)
            for index, step in enumerate(SCRIPT):
                for side in (ours, peer, floor) if index % 2 else (peer, floor, ours):
                    await side.step(people, step)
            rss = psutil.Process().memory_info().rss / 2**20
            peer_done = sum(1 for data in peer.app.user_data.values() if data.get("feedback"))
            for side in sides:
                await side.app.stop()
        completed = await service.storage.conversations()
    if errors:
        raise RuntimeError(f"handlers failed: {errors[:3]!r}")
    done = sum(1 for r in completed if r.feedback is not None)
    if done != WARMUP_PEOPLE + PEOPLE or peer_done != done:
        raise RuntimeError(f"{done} and {peer_done} (peer) conversations reached the feedback")
    return Round(Measured.of(ours), Measured.of(peer), Measured.of(floor), rss)


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
    """Rounds of the three bots; the rates, Aiguillage's ratio to the peer (min/median/max), the
    floor's ratio to the peer (the most any PTB bot can reach), CPU and calls per update, memory."""
    rounds = []
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory() as directory:
            rounds.append(asyncio.run(paired_round(Path(directory))))
    ratios = sorted(r.ours.rate / r.peer.rate for r in rounds)
    floor_ratios = sorted(r.floor.rate / r.peer.rate for r in rounds)
    sides = (
        ("Aiguillage", [r.ours for r in rounds]),
        ("PTB peer", [r.peer for r in rounds]),
        ("floor", [r.floor for r in rounds]),
    )
    for name, figures in sides:
        print(
            f"{name}: {', '.join(f'{m.rate:,.0f}' for m in figures)} updates/s;"
            f" CPU per update (all threads) {', '.join(f'{m.cpu_ms:.3f}' for m in figures)} ms;"
            f" Bot API calls per update {figures[0].calls:.2f}"
        )
    for name, values in (("Aiguillage", ratios), ("floor", floor_ratios)):
        print(
            f"{name} / PTB peer: min {values[0]:.2f} / median {statistics.median(values):.2f}"
            f" / max {values[-1]:.2f}"
        )
    report(
        "bot.conversation_updates",
        statistics.median(r.ours.rate for r in rounds),
        "updates/s",
        TARGET_UPDATES_PER_SECOND,
    )
    report("bot.ratio_to_ptb_peer_median", statistics.median(ratios), "ratio", TARGET_PEER_RATIO)
    report(
        "bot.floor_ratio_to_ptb_peer_median",
        statistics.median(floor_ratios),
        "ratio",
        TARGET_PEER_RATIO,
    )
    report(
        "bot.rss_after_conversations", rounds[-1].rss, "MB", TARGET_RSS_MB, higher_is_better=False
    )

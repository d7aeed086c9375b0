"""Load test (``make load``): 200 simulated people complete conversations at the same time.

The real bot (PTB Application, handlers, dialogue, SQLite) runs against the fake Bot API
server of the tests on 127.0.0.1. Prints p50/p99 time from a person's update to the bot's
first reply, the errors (target 0) and checks the database holds exactly one record per
conversation. Bounded: every wait has a timeout, the whole run a deadline.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.fake_bot_api import FakeBotApi  # noqa: E402

from bot.adapters.telegram.application import build_application, running  # noqa: E402
from bot.app import open_service  # noqa: E402
from bot.config import REPO_KNOWLEDGE, Settings  # noqa: E402
from bot.core.records import Feedback, Outcome  # noqa: E402

USERS = int(__import__("os").environ.get("LOAD_USERS", "200"))
FIRST_USER = 700_000
STEP_TIMEOUT = 60.0
DEADLINE = 600.0
# (what the person does, the button or text that must appear before the next step)
SCRIPT: tuple[tuple[str, str, str], ...] = (
    ("send", "/start accueil", "J'ai une idée"),
    ("press", "J'ai une idée", "Association"),
    ("press", "Association", "Un financement"),
    ("press", "Un financement", "✓ Un financement"),
    ("press", "Valider", "Hors Haute-Garonne"),
    ("send", "Toulouse", "Passer"),
    ("press", "Passer", "👍"),
    ("press", "👍", "Merci"),
)


class LoadApi(FakeBotApi):
    """The fake Bot API, also waking the simulated person a reply is for."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[int, int] = defaultdict(int)
        self.signals: dict[int, asyncio.Event] = defaultdict(asyncio.Event)

    def _mark(self, params: dict[str, Any]) -> None:
        chat = int(params["chat_id"])
        self.replies[chat] += 1
        self.signals[chat].set()

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        message = super()._send_message(params)
        self._mark(params)
        return message

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = super()._edit_message_text(params)
        self._mark(params)
        return message


def _find(api: LoadApi, chat: int, wanted: str) -> tuple[int, str] | None:
    """The (message id, button data) of a button labelled ``wanted``, or text containing it."""
    for message in reversed(api.bot_messages(chat)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for row in rows:
            for button in row:
                if wanted in button["text"]:
                    return message["message_id"], button["callback_data"]
        if wanted in message.get("text", ""):
            return message["message_id"], ""
    return None


async def _until(api: LoadApi, chat: int, condition: Any) -> Any:
    async with asyncio.timeout(STEP_TIMEOUT):
        while True:
            found = condition()
            if found:
                return found
            api.signals[chat].clear()
            await api.signals[chat].wait()


async def person(api: LoadApi, user: int, latencies: list[float]) -> None:
    """One person going through the whole conversation."""
    for action, what, expect in SCRIPT:
        before = api.replies[user]
        started = time.perf_counter()
        if action == "send":
            api.inject_message(user, what)
        else:
            found = _find(api, user, what)
            assert found is not None, f"user {user}: no button {what!r}"
            api.inject_callback(user, found[1], found[0])
        await _until(api, user, lambda b=before: api.replies[user] > b)
        latencies.append(time.perf_counter() - started)
        await _until(api, user, lambda e=expect: _find(api, user, e))


async def main() -> int:
    latencies: list[float] = []
    errors: list[BaseException] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with LoadApi() as api:
            settings = Settings(
                token=api.token,
                api_base_url=api.base_url,
                kb_path=REPO_KNOWLEDGE,
                db_path=Path(tmp) / "load.sqlite3",
                secret=b"load-test-secret-0123456789",
            )
            async with open_service(settings) as service:
                app = build_application(settings, service)

                async def record(update: object, context: Any) -> None:
                    errors.append(context.error)

                app.add_error_handler(record)
                started = time.perf_counter()
                async with running(app, settings):
                    people = [person(api, FIRST_USER + i, latencies) for i in range(USERS)]
                    async with asyncio.timeout(DEADLINE):
                        results = await asyncio.gather(*people, return_exceptions=True)
                elapsed = time.perf_counter() - started
                errors += [r for r in results if isinstance(r, BaseException)]
                records = await service.storage.conversations()
    completed = [r for r in records if r.outcome == Outcome.COMPLETED]
    useful = [r for r in completed if r.feedback == Feedback.USEFUL]
    users = {r.user for r in records}
    latencies.sort()
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan")
    print(f"simulated people        {USERS}")
    rate = len(latencies) / elapsed
    print(f"updates sent            {len(latencies)} in {elapsed:.1f} s ({rate:.0f}/s)")
    print(f"update → first reply    p50 {p50:.0f} ms   p99 {p99:.0f} ms")
    print(f"errors                  {len(errors)} (target 0)")
    for error in errors[:5]:
        print(f"  {type(error).__name__}: {error}")
    print(
        f"records in the database {len(records)}; completed {len(completed)}; useful {len(useful)}"
    )
    exact = len(records) == USERS == len(users) == len(useful)
    print(f"one record per conversation: {'yes' if exact else 'NO'}")
    return 0 if exact and not errors else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))

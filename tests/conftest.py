"""Shared fixtures: the fake Bot API, and the real bot (PTB + service + SQLite) running against it.

``async with running_bot(api, settings) as bot`` starts the Application built by
``bot.adapters.telegram`` with real long polling on the fake; ``bot.say`` / ``bot.tap`` /
``bot.send`` inject an update and wait until the bot has fully handled it, returning the Bot API
calls made meanwhile. Leaving the block stops the bot and fails the test if a handler raised.
"""

from __future__ import annotations

import asyncio
import compileall
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from dialogue_driver import Driver
from hypothesis import settings as hypothesis_settings
from support.fake_bot_api import Call, FakeBotApi, JSONDict
from support.local_bot_api import FakeApiRequest
from telegram import Update
from telegram.ext import ContextTypes

from bot.adapters.telegram.application import BotApplication, build_application, running
from bot.app import open_service
from bot.config import REPO_KNOWLEDGE, Settings
from bot.core import diagnostics
from bot.core.dialogue.engine import Dialogue
from bot.service import OrientationService

SECRET = b"x" * 32
WAIT = 20.0
"""Seconds any single wait on the bot may take: a hang guard, not a speed target (a loaded machine
runs a turn with a chart in seconds; speed is measured in make bench)."""
MESSAGE_METHODS = ("sendMessage", "editMessageText")

# Property tests draw the same examples on every run (a seed derived from each test): CI on a
# clean clone must not pass or fail by chance; ``--hypothesis-seed=N`` explores others.
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.load_profile("repeatable")


def pytest_sessionstart(session: pytest.Session) -> None:
    """The bot's bytecode written once, so that the commands the tests start in their own
    process (about a hundred) do not each compile it again where ``PYTHONDONTWRITEBYTECODE``
    is set (0.2 s of CPU a command)."""
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "bot", quiet=1)


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    """A dialogue on the bundled base, one per test module, its conversations numbered (the
    base is loaded by the first module that asks, not by every test run)."""
    from support.bundled import numbered_dialogue

    return numbered_dialogue()


@pytest.fixture
def talk(dialogue: Dialogue) -> Driver:
    """The person's side of ``dialogue`` (:mod:`dialogue_driver`)."""
    return Driver(dialogue)


@pytest.fixture
def english_command_line(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The command line's messages in English (``LC_ALL``), whatever the machine's locale; the
    loader's and the configuration's too when called in the test's own process."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    spoken = diagnostics.language()
    diagnostics.use("en")
    yield
    diagnostics.use(spoken)


RecordingBotApi = FakeBotApi
"""The fake Bot API (it keeps the bytes of every upload); the name the tests import."""


@pytest.fixture
async def api() -> AsyncIterator[RecordingBotApi]:
    async with RecordingBotApi() as fake:
        yield fake


def settings_for(api: FakeBotApi, tmp_path: Path, **changes: Any) -> Settings:
    """Settings for the bundled knowledge base, a database in ``tmp_path`` and the fake API."""
    return Settings(
        token=api.token,
        api_base_url=api.base_url,
        kb_path=REPO_KNOWLEDGE,
        db_path=tmp_path / "aiguillage.sqlite3",
        secret=SECRET,
        **changes,
    )


def texts(calls: list[Call]) -> list[str]:
    """Texts of the messages sent or edited in ``calls``."""
    return [c.params["text"] for c in calls if c.method in MESSAGE_METHODS]


@dataclass
class BotUnderTest:
    """The running bot with ways to talk to it like a person and to look into its database."""

    api: FakeBotApi
    app: BotApplication
    service: OrientationService
    settings: Settings
    errors: list[BaseException] = field(default_factory=list)
    processed: set[int] = field(default_factory=set)

    async def record_error(self, _: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Error handler beside the bot's own: every handler failure fails the test."""
        if context.error is not None:
            self.errors.append(context.error)

    def record_processed(self, app: BotApplication) -> None:
        """Note each update once the bot's handlers are done with it (even stopped early)."""
        process = app.process_update

        async def process_then_record(update: object) -> None:
            try:
                await process(update)
            finally:
                if isinstance(update, Update):
                    self.processed.add(update.update_id)

        app.process_update = process_then_record  # type: ignore[method-assign]

    async def send(self, update: JSONDict, before: int | None = None) -> list[Call]:
        """Wait until ``update`` (already injected) is handled; the calls made since ``before``."""
        start = len(self.api.calls()) if before is None else before
        await self.api.wait_for(lambda _: update["update_id"] in self.processed, WAIT)
        return [c for c in self.api.calls()[start:] if c.method != "getUpdates"]

    async def say(self, user: int, text: str, **options: Any) -> list[Call]:
        """``user`` writes ``text`` (``/commands`` included)."""
        before = len(self.api.calls())
        return await self.send(self.api.inject_message(user, text, **options), before)

    async def press(self, user: int, data: str, message_id: int) -> list[Call]:
        """``user`` presses a button carrying ``data`` on message ``message_id``."""
        before = len(self.api.calls())
        return await self.send(self.api.inject_callback(user, data, message_id), before)

    def button(self, user: int, label: str) -> tuple[str, int]:
        """``(data, message_id)`` of the newest button whose label contains ``label``."""
        for message in reversed(self.api.bot_messages(user)):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if label in button["text"]:
                        return button["callback_data"], message["message_id"]
        raise AssertionError(f"no button «{label}» in the chat of {user}")

    async def tap(self, user: int, label: str) -> list[Call]:
        """``user`` taps the newest button labelled ``label``."""
        return await self.press(user, *self.button(user, label))

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """Query the bot's SQLite file directly."""
        with contextlib.closing(sqlite3.connect(self.settings.db_path)) as db:
            return db.execute(sql, params).fetchall()


@contextlib.asynccontextmanager
async def running_bot(
    api: FakeBotApi, settings: Settings, in_process: bool = False
) -> AsyncIterator[BotUnderTest]:
    """The real bot polling the fake API for the block; stopped after, asserting no errors.

    ``in_process``: the bot reaches the fake without HTTP (the fake need not be serving).
    """
    stack = contextlib.AsyncExitStack()
    try:
        async with asyncio.timeout(10):
            service = await stack.enter_async_context(open_service(settings))
            request = FakeApiRequest(api) if in_process else None
            app = build_application(settings, service, request=request)
            bot = BotUnderTest(api, app, service, settings)
            app.add_error_handler(bot.record_error)
            bot.record_processed(app)
            await stack.enter_async_context(running(app, settings))
        yield bot
    finally:
        async with asyncio.timeout(10):
            await stack.aclose()
    assert bot.errors == [], f"handlers failed: {bot.errors!r}"

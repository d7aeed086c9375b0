"""Hand-off sending: the message as delivered to a real SMTP server on 127.0.0.1, the queue in a
real SQLite file, and the faults: server down, 4xx then success, 5xx, a day without success."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
import ssl
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from smtp_server import HOST, certificate, free_port, mail_server

from bot.chatseal import ChatSeal, SealError
from bot.config import ConfigError, load_settings
from bot.core.catalogue import Catalogue
from bot.handoff.mail import Request, body, compose
from bot.handoff.queue import DAY, PER_DAY, HandoffQueue, retry_delay
from bot.handoff.reach import Reach, read_reach
from bot.handoff.smtp import SmtpServer, parse_smtp_url
from bot.storage import Storage
from bot.storage.handoffs import Handoff, Status

SECRET = b"k" * 32
CHAT = 987654321
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CAT = Catalogue.load()
REACH = Reach("email", "marie.durand@example.net")
NEED = "Je voudrais un rendez-vous pour parler de mon café associatif à Blagnac."


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    async with await Storage.open(tmp_path / "db.sqlite3") as opened:
        yield opened


def request(handoff_id: str = "h1", reach: Reach = REACH) -> Request:
    return Request(
        handoff_id=handoff_id,
        actor_id="accueil-fictif",
        actor_name="Accueil Fictif ESS",
        to="accueil@example.org",
        reach=reach,
        need=NEED,
        answers=("Étape du projet : J'ai une idée", "Statut : Association"),
        reasons=("elle conseille les projets à votre étape",),
    )


async def queue_one(queue: HandoffQueue, handoff_id: str = "h1", user: str = "pseudo-1") -> bool:
    handoff = Handoff(handoff_id, user, "conv-1", "accueil-fictif", queue.clock(), Status.QUEUED)
    message = compose(request(handoff_id), "Aiguillage <bot@example.org>", CAT, queue.clock())
    return await queue.enqueue(handoff, CHAT, "fr", message)


def test_reach_is_an_email_or_a_french_phone() -> None:
    assert read_reach(" marie@exemple.fr ") == Reach("email", "marie@exemple.fr")
    for typed in ("0612345678", "06.12.34.56.78", "06-12-34-56-78", "+33 6 12 34 56 78",
                  "+33 (0)6 12 34 56 78", "0033612345678"):  # fmt: skip
        assert read_reach(typed) == Reach("phone", "06 12 34 56 78"), typed
    for bad in ("", "marie@", "marie @ exemple", "12345", "00 12 34 56 78", "bonjour",
                "06 12 34 56 7", "x" * 200 + "@exemple.fr"):  # fmt: skip
        assert read_reach(bad) is None, bad


def test_smtp_url_forms_and_refusals_never_show_the_password() -> None:
    assert parse_smtp_url("smtp://127.0.0.1:2525") == SmtpServer("smtp", "127.0.0.1", 2525)
    secure = parse_smtp_url("smtps://user:s3cr%40t@mail.example.org")
    assert (secure.port, secure.user, secure.password) == (465, "user", "s3cr@t")
    assert "s3cr" not in repr(secure) and "s3cr" not in str(secure)
    assert parse_smtp_url("smtp+starttls://u:p@mail.example.org").port == 587
    assert parse_smtp_url("smtp://u:p@localhost:25").password == "p", "loopback relay"
    for bad in ("smtp://u:hunter2@mail.example.org", "http://mail", "smtp://", "smtp://h/x"):
        with pytest.raises(ValueError) as refused:
            parse_smtp_url(bad)
        assert "hunter2" not in str(refused.value)


def test_the_message_says_the_request_the_answers_why_and_how_to_reply() -> None:
    message = compose(request(), "Aiguillage <bot@example.org>", CAT, START)
    assert message["To"] == "accueil@example.org"
    assert message["Reply-To"] == REACH.value
    assert message["Message-ID"] == "<h1@example.org>"
    assert "Accueil Fictif ESS" in message["Subject"]
    text = message.get_content()
    assert text == body(request(), CAT), "the person is shown exactly what is sent"
    for part in (NEED, "Étape du projet : J'ai une idée", "Statut : Association",
                 "elle conseille les projets", REACH.value):  # fmt: skip
        assert part in text
    by_phone = compose(request(reach=Reach("phone", "06 12 34 56 78")), "b@example.org", CAT, START)
    assert by_phone["Reply-To"] is None and "06 12 34 56 78" in by_phone.get_content()


def rows(tmp_path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Read or write the database file directly, as another process would."""
    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as db, db:
        return db.execute(sql, params).fetchall()


async def test_queued_chat_is_sealed_by_the_one_chat_seal(storage: Storage, tmp_path: Path) -> None:
    queue = HandoffQueue(storage.handoffs, SECRET, SmtpServer("smtp", HOST, free_port()), Clock())
    assert await queue_one(queue, "h1") and await queue_one(queue, "h2")
    (one,), (two,) = rows(tmp_path, "SELECT chat FROM handoff_queue ORDER BY id")
    assert isinstance(one, str) and str(CHAT) not in one and one != two, "a new nonce each time"
    assert ChatSeal(SECRET).open(bytes.fromhex(one), "handoff h1") == CHAT
    for key, context in ((SECRET, "handoff h2"), (b"other" * 8, "handoff h1")):
        with pytest.raises(SealError):
            ChatSeal(key).open(bytes.fromhex(one), context)


async def test_a_row_masked_the_first_way_still_opens(storage: Storage, tmp_path: Path) -> None:
    """Rows queued before the chat seal held the id XORed with a bare 8-byte pad; an altered
    row is dropped (nobody to tell) without stopping the others."""
    queue = HandoffQueue(storage.handoffs, SECRET, SmtpServer("smtp", HOST, free_port()), Clock())
    assert await queue_one(queue, "bad") and await queue_one(queue, "old")
    pad = hmac.new(SECRET, b"handoff-chat:old", hashlib.sha256).digest()[:8]
    masked = bytes(a ^ b for a, b in zip(CHAT.to_bytes(8, "big", signed=True), pad, strict=True))
    rows(tmp_path, "UPDATE handoff_queue SET chat = 'ff' || chat, message = NULL")
    rows(
        tmp_path, "UPDATE handoff_queue SET chat = ?, message = NULL WHERE id = 'old'", masked.hex()
    )
    rows(tmp_path, "UPDATE handoffs SET status = 'refused'")
    (notice,) = await queue.drain()
    assert (notice.handoff_id, notice.chat_id, notice.status) == ("old", CHAT, Status.REFUSED)
    assert rows(tmp_path, "SELECT id FROM handoff_queue") == [("old",)]


def test_retries_back_off_to_an_hour() -> None:
    waits = [retry_delay(n) for n in (1, 2, 3, 7, 8, 40)]
    assert waits[:3] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert waits[-2:] == [timedelta(hours=1)] * 2


async def test_delivered_message_checked_then_forgotten(storage: Storage, tmp_path: Path) -> None:
    clock = Clock()
    with mail_server() as (server, url):
        queue = HandoffQueue(storage.handoffs, SECRET, parse_smtp_url(url), clock)
        assert await queue_one(queue)
        (notice,) = await queue.drain()
        (received,) = server.wait(1)
    assert server.envelopes == [("bot@example.org", ["accueil@example.org"])]
    assert received["Subject"] == compose(request(), "b@x.org", CAT, START)["Subject"]
    assert NEED in received.get_content() and REACH.value in received.get_content()
    assert (notice.chat_id, notice.status, notice.actor) == (
        CHAT,
        Status.DELIVERED,
        "accueil-fictif",
    )
    (logged,) = await storage.handoffs.of_user("pseudo-1")
    assert (logged.status, logged.finished_at) == (Status.DELIVERED, START)
    assert await queue.drain() == [notice], "told again until the person is told"
    await queue.told(notice)
    assert await queue.drain() == [] and await storage.handoffs.next_due() is None
    assert await storage.checkpoint()
    kept = (tmp_path / "db.sqlite3").read_bytes()
    for sent in (REACH.value, "café associatif", str(CHAT)):
        assert sent.encode() not in kept, f"{sent!r} is still in the database file"


async def test_server_down_then_up_is_retried_with_backoff(storage: Storage) -> None:
    clock = Clock()
    port = free_port()
    queue = HandoffQueue(storage.handoffs, SECRET, SmtpServer("smtp", HOST, port), clock)
    assert await queue_one(queue)
    assert await queue.drain() == [], "refused connection: kept for later"
    assert await storage.handoffs.next_due() == START + timedelta(minutes=1)
    clock.now += timedelta(seconds=30)
    assert await queue.drain() == [], "not due yet: no attempt"
    with mail_server(port) as (server, _):
        clock.now = START + timedelta(minutes=1)
        (notice,) = await queue.drain()
        server.wait(1)
    assert notice.status == Status.DELIVERED


async def test_4xx_then_success_and_5xx_refused(storage: Storage) -> None:
    clock = Clock()
    with mail_server() as (server, url):
        queue = HandoffQueue(storage.handoffs, SECRET, parse_smtp_url(url), clock)
        server.script = ["451 4.3.0 Greylisted, try again later", "550 5.1.1 Mailbox unknown"]
        assert await queue_one(queue, "h1")
        assert await queue.drain() == [], "4xx: kept"
        clock.now += timedelta(minutes=1)
        assert await queue_one(queue, "h2")
        notices = await queue.drain()
        assert [(n.handoff_id, n.status) for n in notices] == [
            ("h1", Status.REFUSED),
            ("h2", Status.DELIVERED),
        ]
        assert server.refused == 2 and len(server.messages) == 1


async def test_given_up_after_a_day(storage: Storage) -> None:
    clock = Clock()
    queue = HandoffQueue(storage.handoffs, SECRET, SmtpServer("smtp", HOST, free_port()), clock)
    assert await queue_one(queue)
    for _ in range(100):  # bounded: the deadline is reached in about 30 attempts
        due = await storage.handoffs.next_due()
        assert due is not None and due <= START + DAY
        clock.now = due
        notices = await queue.drain()
        if notices:
            break
    (notice,) = notices
    assert notice.status == Status.GIVEN_UP and clock.now == START + DAY
    (logged,) = await storage.handoffs.of_user("pseudo-1")
    assert logged.status == Status.GIVEN_UP


async def test_at_most_three_a_day_per_person(storage: Storage) -> None:
    clock = Clock()
    queue = HandoffQueue(storage.handoffs, SECRET, SmtpServer("smtp", HOST, free_port()), clock)
    for index in range(PER_DAY):
        assert await queue_one(queue, f"h{index}")
    assert not await queue_one(queue, "h-extra"), "the fourth within 24 hours is refused"
    assert await queue_one(queue, "other", user="pseudo-2"), "another person is not affected"
    clock.now += DAY
    assert await queue.allowed("pseudo-1")
    assert len(await storage.handoffs.of_user("pseudo-1")) == PER_DAY


async def test_queue_survives_a_restart_and_forget_erases_it(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "db.sqlite3"
    async with await Storage.open(path) as first:
        queue = HandoffQueue(first.handoffs, SECRET, SmtpServer("smtp", HOST, free_port()), clock)
        assert await queue_one(queue)
    async with await Storage.open(path) as second:
        assert await second.handoffs.next_due() == START, "still queued after a restart"
        await second.forget("pseudo-1")
        assert await second.handoffs.next_due() is None
        assert await second.handoffs.of_user("pseudo-1") == []


async def test_retention_purge_erases_old_handoffs(storage: Storage) -> None:
    clock = Clock()
    queue = HandoffQueue(storage.handoffs, SECRET, SmtpServer("smtp", HOST, free_port()), clock)
    assert await queue_one(queue)
    await storage.purge(START + timedelta(seconds=1))
    assert await storage.handoffs.of_user("pseudo-1") == []
    assert await storage.handoffs.next_due() is None


@pytest.mark.parametrize("scheme", ["smtps", "smtp+starttls"])
async def test_tls_and_login(scheme: str, storage: Storage, tmp_path: Path) -> None:
    cert, key = certificate(tmp_path)
    trusted = ssl.create_default_context(cafile=str(cert))
    port = free_port()
    implicit = scheme == "smtps"
    with mail_server(port, tls=(cert, key), implicit=implicit, login=("aig", "p@ss w")) as (
        server,
        _,
    ):
        url = f"{scheme}://aig:p%40ss%20w@{HOST}:{port}"
        queue = HandoffQueue(storage.handoffs, SECRET, parse_smtp_url(url), Clock(), tls=trusted)
        assert await queue_one(queue)
        (notice,) = await queue.drain()
        server.wait(1)
        await queue.told(notice)
        wrong = parse_smtp_url(f"{scheme}://aig:nope@{HOST}:{port}")
        refused = HandoffQueue(storage.handoffs, SECRET, wrong, Clock(), tls=trusted)
        assert await queue_one(refused, "h2")
        assert await refused.drain() == [], "a refused login is our fault: retried, not given up"
    assert notice.status == Status.DELIVERED


def test_settings_need_a_sender_and_never_show_the_password() -> None:
    env = {"AIGUILLAGE_SMTP_URL": "smtps://aig:hunter2@mail.example.org"}
    with pytest.raises(ConfigError, match="AIGUILLAGE_SMTP_FROM"):
        load_settings(env)
    settings = load_settings(env | {"AIGUILLAGE_SMTP_FROM": "Aiguillage <bot@example.org>"})
    assert settings.smtp is not None and settings.smtp.password == "hunter2"
    assert "hunter2" not in repr(settings)
    with pytest.raises(ConfigError) as refused:
        load_settings({"AIGUILLAGE_SMTP_URL": "smtp://aig:hunter2@mail.example.org"})
    assert "hunter2" not in str(refused.value) and "AIGUILLAGE_SMTP_URL" in str(refused.value)
    assert load_settings({}).smtp is None, "no server configured: no hand-off"

"""Follow-up rules: delays and sending hours read from the environment, quiet hours, seals."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.chatseal import ChatSeal, SealError
from bot.config import ConfigError, load_settings
from bot.core.dialogue.events import Press
from bot.core.dialogue.steps.followup import Tap, tap_data, tap_of
from bot.followup.model import Answer
from bot.followup.rules import TOULOUSE, Hours, parse_days, parse_hours, send_time

HOURS = Hours(time(9), time(19))


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TOULOUSE)


def test_days_and_hours_are_read_with_defaults() -> None:
    settings = load_settings({})
    assert settings.followup_days == (10.0, 30.0)
    assert settings.followup_hours == HOURS
    settings = load_settings(
        {"AIGUILLAGE_FOLLOWUP_DAYS": "0.001, 0.002", "AIGUILLAGE_FOLLOWUP_HOURS": "Always"}
    )
    assert settings.followup_days == (0.001, 0.002)
    assert settings.followup_hours is None
    assert parse_days("7") == (7.0,)
    assert parse_hours("08:30-12:00") == Hours(time(8, 30), time(12))


@pytest.mark.parametrize(
    ("name", "raw", "says"),
    [
        ("AIGUILLAGE_FOLLOWUP_DAYS", "dix", "«dix» n'est pas un nombre de jours"),
        ("AIGUILLAGE_FOLLOWUP_DAYS", "0", "plus de 0"),
        ("AIGUILLAGE_FOLLOWUP_DAYS", "nan", "plus de 0"),
        ("AIGUILLAGE_FOLLOWUP_DAYS", "400", "au plus 365"),
        ("AIGUILLAGE_FOLLOWUP_DAYS", "30,10", "après le premier"),
        ("AIGUILLAGE_FOLLOWUP_DAYS", "1,2,3", "un ou deux"),
        ("AIGUILLAGE_FOLLOWUP_HOURS", "9h-19h", "pas une plage d'heures comme 09:00-19:00"),
        ("AIGUILLAGE_FOLLOWUP_HOURS", "19:00-09:00", "commencer avant de finir"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(name: str, raw: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({name: raw})
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and says in message and "\n" not in message


@pytest.mark.parametrize(
    ("due", "sent"),
    [
        (local(2026, 12, 2, 10, 15), local(2026, 12, 2, 10, 15)),  # a Wednesday, open
        (local(2026, 12, 2, 7, 0), local(2026, 12, 2, 9, 0)),  # early: 9:00 the same day
        (local(2026, 12, 2, 19, 0), local(2026, 12, 3, 9, 0)),  # 19:00 is closed
        (local(2026, 12, 5, 22, 0), local(2026, 12, 7, 9, 0)),  # Saturday night: Monday
        (local(2026, 12, 6, 12, 0), local(2026, 12, 7, 9, 0)),  # Sunday noon: Monday
        (local(2027, 3, 28, 1, 30), local(2027, 3, 29, 9, 0)),  # DST Sunday: Monday 9:00 CEST
    ],
)
def test_follow_ups_wait_for_the_sending_hours(due: datetime, sent: datetime) -> None:
    at = send_time(due.astimezone(UTC), HOURS)
    assert at == sent and at.tzinfo is UTC
    assert HOURS.allows(at)
    assert send_time(due, None) == due, "always: sent when due"


def test_no_sunday_and_no_night_are_allowed() -> None:
    assert not HOURS.allows(local(2026, 12, 6, 12, 0))
    assert not HOURS.allows(local(2026, 12, 7, 8, 59))
    assert HOURS.allows(local(2026, 12, 7, 18, 59))


def test_a_sealed_chat_id_opens_only_with_its_key_and_orientation() -> None:
    seal = ChatSeal(b"k" * 32)
    sealed = seal.seal(987654321, "c1")
    assert len(sealed) == 40 and b"987654321" not in sealed
    assert seal.seal(987654321, "c1") != sealed, "a new nonce each time"
    assert seal.open(sealed, "c1") == 987654321
    assert seal.open(seal.seal(-1001234, "c1"), "c1") == -1001234
    for key, context, blob in (
        (b"o" * 32, "c1", sealed),
        (b"k" * 32, "c2", sealed),
        (b"k" * 32, "c1", sealed[:20] + bytes([sealed[20] ^ 1]) + sealed[21:]),
        (b"k" * 32, "c1", sealed[:-1]),
    ):
        with pytest.raises(SealError):
            ChatSeal(key).open(blob, context)


def test_button_data_round_trips_and_refuses_anything_else() -> None:
    conversation = "0123456789abcdef0123456789abcdef"
    data = tap_data(Tap(conversation, 2, Answer.NO_ANSWER.value))
    assert len(data.encode()) <= 64
    assert tap_of(Press(data)) == Tap(conversation, 2, "no_answer")
    assert tap_of(Press(tap_data(Tap(conversation)))) == Tap(conversation)
    for forged in ("*|fa|", "*|fa|xyz.1r", f"*|fa|{conversation}.1q", f"3|fa|{conversation}.1r"):
        assert tap_of(Press(forged)) is None

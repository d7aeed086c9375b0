"""Values and input at the edges: configuration ranges, dates, long messages, sources, groups,
empty restarts and the flood guard (its cost per check: test_hardening)."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.command_line import aiguillage as cli

from bot.adapters.telegram.splitting import split
from bot.config import ConfigError, load_settings
from bot.flood import FloodGuard

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AIGUILLAGE_RETENTION_DAYS", "99999999999"),
        ("AIGUILLAGE_RETENTION_DAYS", "0"),
        ("AIGUILLAGE_IDLE_MINUTES", "99999999999999"),
        ("AIGUILLAGE_IDLE_MINUTES", "-5"),
        ("AIGUILLAGE_WEBHOOK_PORT", "70000"),
        ("AIGUILLAGE_WEBHOOK_PORT", "0"),
        ("AIGUILLAGE_RETENTION_DAYS", "³"),
        ("AIGUILLAGE_COORDINATORS", "²"),
        ("AIGUILLAGE_COORDINATORS", "12,٣"),
    ],
)
def test_out_of_range_configuration_is_refused(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_bad_configuration_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for name, value in (
        ("AIGUILLAGE_IDLE_MINUTES", "99999999999999"),
        ("AIGUILLAGE_COORDINATORS", "²"),
    ):
        result = cli("chat", env={name: value, "AIGUILLAGE_DB": str(tmp_path / "db")})
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and name in result.stderr, result.stderr
    result = cli("serve", "--webhook-port", "70000", env={"TELEGRAM_BOT_TOKEN": "1:x"})
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "--webhook-port" in result.stderr


def test_configuration_at_its_limits_is_accepted() -> None:
    settings = load_settings(
        {
            "AIGUILLAGE_RETENTION_DAYS": "36500",
            "AIGUILLAGE_IDLE_MINUTES": "525600",
            "AIGUILLAGE_WEBHOOK_PORT": "65535",
        }
    )
    assert settings.retention_days == 36_500 and settings.webhook_port == 65_535
    now = datetime.now(UTC)
    assert now - timedelta(days=settings.retention_days) < now  # no overflow at either limit
    assert now - timedelta(minutes=settings.idle_minutes) < now


def test_report_until_the_last_representable_day(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    assert cli("demo-data", "--db", str(db), "--conversations", "3").returncode == 0
    result = cli("report", "--db", str(db), "--until", "9999-12-31")
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "--until" in result.stderr and "Traceback" not in result.stderr
    assert cli("report", "--db", str(db), "--until", "9999-12-30").returncode == 0


def test_chat_source_is_a_fullmatch(tmp_path: Path) -> None:
    env = {"AIGUILLAGE_DB": str(tmp_path / "db")}
    result = cli("chat", "--source", "accueil\n", env=env)
    assert result.returncode == 2 and "--source" in result.stderr
    assert cli("chat", "--source", "accueil", env=env, stdin="/quit\n").returncode == 0


class _Checker(HTMLParser):
    """Fails on anything Telegram's HTML parser would refuse in our markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        assert "<" not in data and ">" not in data and "&" not in data, data
        self.plain.append(data)

    def handle_entityref(self, name: str) -> None:
        assert name in ("lt", "gt", "amp", "quot")
        self.plain.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.plain.append(html.unescape(f"&#{name};"))


def plain_of(piece: str) -> str:
    checker = _Checker()
    checker.feed(piece)
    checker.close()
    assert checker.rawdata == "", f"unfinished markup at the end of {piece[-20:]!r}"
    assert checker.stack == [], f"tags left open: {checker.stack}"
    return "".join(checker.plain)


user_text = st.text(alphabet="ab <>&\"'é😀", min_size=0, max_size=40)
segment = st.one_of(
    user_text.map(lambda t: html.escape(t, quote=False)),
    user_text.map(lambda t: f"<b>{html.escape(t, quote=False)}</b>"),
    user_text.map(
        lambda t: f'<a href="https://e.fr/?q=1&amp;r=2"><i>{html.escape(t, quote=False)}</i></a>'
    ),
    st.just("\n"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(segment, max_size=80), st.integers(min_value=40, max_value=300))
def test_split_never_breaks_markup(segments: list[str], limit: int) -> None:
    text = "".join(segments)
    pieces = split(text, limit)
    assert all(len(p) <= limit for p in pieces)
    original = plain_of(text).replace("\n", "").replace(" ", "")
    assert "".join(plain_of(p) for p in pieces).replace("\n", "").replace(" ", "") == original


def test_a_long_line_of_escaped_text_is_cut_outside_entities() -> None:
    text = html.escape("<b>" * 2000, quote=False)  # 18,000 characters on one line, no space
    pieces = split(text)
    assert len(pieces) == 5 and all(len(p) <= 4096 for p in pieces)
    assert all(p.endswith("&gt;") for p in pieces)
    assert "".join(pieces) == text


def test_flood_guard_limits_then_forgets() -> None:
    guard = FloodGuard(limit=3, window=timedelta(seconds=10))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert [guard.check("a", now) for _ in range(5)] == ["ok", "ok", "ok", "warn", "drop"]
    assert guard.check("b", now) == "ok"
    assert guard.check("a", now + timedelta(seconds=11)) == "ok"


async def test_commune_names_are_escaped(tmp_path: Path) -> None:
    import json
    import shutil

    from bot.core.catalogue import Catalogue
    from bot.core.dialogue.engine import Dialogue
    from bot.core.dialogue.events import Press, Start, Text
    from bot.core.loader import load_knowledge

    kb_path = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", kb_path)
    data = json.loads((kb_path / "communes.json").read_text(encoding="utf-8"))
    hostile = next(c for c in data["communes"] if c["insee"] == "31446")
    hostile["name"] = "Ramonville <b>&amp; Co"
    (kb_path / "communes.json").write_text(json.dumps(data), encoding="utf-8")
    dialogue = Dialogue(load_knowledge(kb_path), Catalogue.load())
    now = datetime(2026, 1, 1, tzinfo=UTC)
    turn = dialogue.handle(None, Start(), now)
    for label in ("idée", "Association", "conseil"):
        data_ = next(
            b.data
            for r in turn.replies
            for row in r.buttons
            for b in row
            if label.lower() in b.label.lower()
        )
        turn = dialogue.handle(turn.state, Press(data_), now)
    valider = next(
        b.data for r in turn.replies for row in r.buttons for b in row if "Valider" in b.label
    )
    turn = dialogue.handle(turn.state, Press(valider), now)
    turn = dialogue.handle(turn.state, Text("Ramonville <b>&amp; Co"), now)
    shown = "\n".join(r.text for r in turn.replies)
    assert "Ramonville &lt;b&gt;&amp;amp; Co" in shown
    assert "<b>&amp; Co" not in shown

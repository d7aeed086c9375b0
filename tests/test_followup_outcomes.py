"""Coordinator figures exact on a known data set: report (text, HTML), check-kb --outcomes."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.bundled import KB

from bot.chatseal import ChatSeal
from bot.cli import main
from bot.core.catalogue import Catalogue
from bot.core.records import ConversationRecord, Outcome
from bot.followup.model import Answer, Followup, Given, Status
from bot.followup.service import FollowupService
from bot.reports import read_report
from bot.reports.labels import Labels
from bot.reports.outcomes import Outcomes, outcome_lines
from bot.storage import Storage
from bot.storage.aggregates import Scope
from bot.storage.handoffs import Handoff
from bot.storage.handoffs import Status as Sent

NOW = datetime.now(UTC).replace(microsecond=0)
DAY = timedelta(days=1)


def conversation(
    n: int, source: str | None, commune: str, recommended: tuple[str, ...], territory: str = "hg"
) -> ConversationRecord:
    start = NOW - 20 * DAY + n * timedelta(hours=1)
    return ConversationRecord(
        id=f"c{n}",
        user=f"u{n}",
        started_at=start,
        updated_at=start,
        source=source,
        commune=commune,
        outcome=Outcome.COMPLETED,
        recommended=recommended,
        territory=territory,
    )


BOTH = ("urscop", "adepes")
CONVERSATIONS = [
    conversation(1, "accueil-a", "31555", BOTH),
    conversation(2, "accueil-a", "31446", BOTH),
    conversation(3, None, "31555", BOTH),
    conversation(4, None, "31555", BOTH),
    conversation(5, None, "31555", ()),
    conversation(6, "accueil-b", "81004", ("urscop",), territory="tarn"),
]
STATUSES = {
    1: Status.DONE,
    2: Status.SCHEDULED,
    3: Status.DECLINED,
    4: Status.STOPPED,
    6: Status.DONE,
}
ANSWERS = [
    (1, "urscop", Answer.REACHED, 1),
    (1, "adepes", Answer.NO_ANSWER, 2),
    (2, "adepes", Answer.NO_ANSWER, 1),
    (2, "urscop", Answer.NOT_YET, 1),
    (4, "adepes", Answer.NO_ANSWER, 70),  # older than 60 days: not counted for the flag
    (6, "urscop", Answer.NO_ANSWER, 1),
]
HANDOFFS = [  # conversation, structure, how it ended (None: still queued)
    (1, "urscop", Sent.DELIVERED),
    (1, "adepes", Sent.GIVEN_UP),
    (2, "urscop", Sent.DELIVERED),
    (3, "urscop", None),
    (6, "urscop", Sent.REFUSED),
]


async def fill(path: Path) -> None:
    async with await Storage.open(path) as storage:
        await storage.save_conversations(CONVERSATIONS)
        for n, status in STATUSES.items():
            record = CONVERSATIONS[n - 1]
            await storage.followups.offer(
                Followup(f"c{n}", f"u{n}", "fr", BOTH, record.started_at, status, sent=1)
            )
        for n, actor, answer, days_ago in ANSWERS:
            at = NOW - days_ago * DAY
            await storage.followups.answer(Given(f"c{n}", actor, f"u{n}", 1, answer, at))
        for i, (n, actor, ended) in enumerate(HANDOFFS):
            handoff = Handoff(f"h{i}", f"u{n}", f"c{n}", actor, NOW - DAY, Sent.QUEUED)
            await storage.handoffs.add(handoff, "sealed", "fr", "message")
            if ended is not None:
                await storage.handoffs.finish(handoff.id, ended, NOW)


@pytest.fixture
async def db(tmp_path: Path) -> Path:
    path = tmp_path / "known.sqlite3"
    await fill(path)
    return path


async def outcomes_of(db: Path, territory: str | None = "hg") -> Outcomes:
    async with await Storage.open(db) as storage:
        outcomes = (await read_report(storage, Scope(territory=territory), NOW)).outcomes
    assert outcomes is not None
    return outcomes


async def test_the_figures_are_exact(db: Path) -> None:
    outcomes = await outcomes_of(db)
    assert outcomes.funnel == (
        ("funnel_started", 5),
        ("outcome_funnel_results", 4),
        ("outcome_funnel_answered", 3),
        ("outcome_funnel_reached", 1),
    )
    assert (outcomes.offered, outcomes.accepted, outcomes.sent, outcomes.stopped) == (4, 3, 4, 1)
    adepes, urscop = outcomes.by_actor["adepes"], outcomes.by_actor["urscop"]
    assert dict(adepes.answers) == {Answer.NO_ANSWER: 3}
    assert adepes.rate == 0.0
    assert dict(urscop.answers) == {Answer.REACHED: 1, Answer.NOT_YET: 1}
    assert urscop.rate == 1.0, "« not yet » is no attempt"
    assert outcomes.to_verify == {"adepes": 2}, "two people within 60 days, the third too old"
    assert {k: (u.accepted, u.answered, u.reached) for k, u in outcomes.by_source.items()} == {
        "accueil-a": (2, 2, 1),
        "": (1, 1, 0),
    }
    assert {k: (u.accepted, u.answered, u.reached) for k, u in outcomes.by_commune.items()} == {
        "31555": (2, 2, 1),
        "31446": (1, 1, 0),
    }
    assert {k: (u.accepted, u.answered, u.reached) for k, u in outcomes.by_territory.items()} == {
        "hg": (3, 3, 1)
    }


async def test_the_hand_off_figures_are_exact_and_per_territory(db: Path) -> None:
    outcomes = await outcomes_of(db)
    total = outcomes.handoffs
    assert (total.sent, total.delivered, total.given_up, total.waiting) == (4, 2, 1, 1)
    figures = {k: (d.sent, d.delivered, d.given_up) for k, d in outcomes.handoffs_by_actor.items()}
    assert figures == {"urscop": (3, 2, 0), "adepes": (1, 0, 1)}
    by_source = {k: (d.sent, d.delivered) for k, d in outcomes.handoffs_by_source.items()}
    assert by_source == {"accueil-a": (3, 2), "": (1, 0)}
    assert list(outcomes.handoffs_by_territory) == ["hg"], "the Tarn's is not theirs"
    tarn = await outcomes_of(db, "tarn")
    assert (tarn.started, tarn.handoffs.sent, tarn.handoffs.given_up) == (1, 1, 1)
    assert dict(tarn.handoffs_by_source) == {"accueil-b": tarn.handoffs}
    assert tarn.to_verify == {}, "one person in the Tarn: not flagged"
    everywhere = await outcomes_of(db, None)
    assert everywhere.handoffs.sent == 5 and everywhere.started == 6
    assert set(everywhere.handoffs_by_territory) == {"hg", "tarn"}
    lines = [
        line.replace("\u00a0", " ")
        for line in outcome_lines(outcomes, Labels(actors={"urscop": "URSCOP"}))
    ]
    assert "Mises en relation : 4 envoyées (remises : 2, abandonnées : 1, en attente : 1)" in lines
    assert (
        "Mises en relation envoyées/remises/abandonnées par structures : URSCOP 3/2/0, adepes 1/0/1"
        in lines
    )


async def test_the_outcome_lines(db: Path) -> None:
    outcomes = await outcomes_of(db)
    lines = outcome_lines(outcomes, Labels(actors={"adepes": "ADEPES"}))
    assert lines[0] == (
        "Relances acceptées : 3 sur 4 proposées, 3 avec réponse, 1 avec une structure jointe"
    )
    assert lines[-1].startswith("⚠ Contact à vérifier : ADEPES (2 personnes")


def test_report_text_and_html_show_the_outcomes(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--db", str(db)]) == 0
    text = capsys.readouterr().out.replace("\u00a0", " ")
    assert "Relances acceptées : 4 sur 5 proposées" in text, "both territories"
    assert "Parcours : Commencées 6 → Résultats 5 → Relance répondue 4 → Structure jointe 1" in text
    assert "Mises en relation : 5 envoyées (remises : 2, abandonnées : 2, en attente : 1)" in text
    assert "⚠ Contact à vérifier : " in text and "(2 personnes" in text
    assert "Relances acceptées/répondues/jointes par sources : accueil-a 2/2/1" in text
    out = tmp_path / "report.html"
    assert main(["report", "--db", str(db), "--format", "html", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<h2>Suites des orientations</h2>" in page and "Taux de contact réussi" in page


def test_check_kb_flags_the_contacts_to_verify(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-kb", "--lang", "en", "--outcomes", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    (flag,) = [line for line in lines if "contact à vérifier" in line]
    assert "(2 people could not reach it within 60 days)" in flag
    assert main(["check-kb", "--outcomes", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["to_verify"] == {"adepes": 2}


def test_check_kb_outcomes_without_a_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-kb", "--lang", "en", "--outcomes", str(tmp_path / "none.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such database" in err


def test_report_csv_carries_each_conversation_s_follow_up(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--db", str(db), "--format", "csv"]) == 0
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert (rows["c1"]["followup"], rows["c1"]["followup_answers"]) == (
        "done",
        "adepes:no_answer;urscop:reached",
    )
    assert (rows["c3"]["followup"], rows["c3"]["followup_answers"]) == ("declined", "")
    assert (rows["c5"]["followup"], rows["c5"]["followup_answers"]) == ("", "")


@pytest.fixture
async def due_db(tmp_path: Path) -> Path:
    db = tmp_path / "due.sqlite3"
    async with await Storage.open(db) as storage:
        service = FollowupService(
            storage.followups,
            ChatSeal(b"k" * 32),
            KB,
            Catalogue.load(),
            (10.0, 30.0),
            None,
            lambda: NOW - 11 * DAY,
        )
        await service.offer("a" * 32, 987654321, "c-due", "fr", BOTH, accepted=True)
        service.clock = lambda: NOW
        await service.offer("b" * 32, 987654322, "c-later", "fr", ("urscop",), accepted=True)
        await service.offer("c" * 32, 987654323, "c-no", "fr", ("urscop",), accepted=False)
    return db


def test_followups_lists_what_will_go_out_pseudonymously(
    due_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["followups", "--db", str(due_db)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Relances prévues\xa0: 2\xa0; à envoyer maintenant\xa0: 1."
    assert "à envoyer" in lines[1] and "1/2" in lines[1] and "aaaaaaaa…" in lines[1]
    assert "urscop, adepes" in lines[1] and "prévue" in lines[2]
    assert "987654321" not in out and "a" * 32 not in out, "pseudonymous, no chat id"
    assert main(["followups", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


async def test_followups_shows_one_in_flight_at_a_crash(
    due_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with await Storage.open(due_db) as storage:
        due = next(f for f in await storage.followups.scheduled() if f.conversation_id == "c-due")
        assert await storage.followups.sending(due)
    assert await asyncio.to_thread(main, ["followups", "--db", str(due_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Relances prévues\xa0: 2\xa0; à envoyer maintenant\xa0: 1."
    assert "en envoi" in lines[1] and "aaaaaaaa…" in lines[1]

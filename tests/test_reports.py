"""Reports from known records: summary counts, text, CSV, HTML, PNG chart, synthetic data."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.config import REPO_KNOWLEDGE
from bot.core.records import ConversationRecord, Feedback, Outcome
from bot.reports import (
    CSV_COLUMNS,
    DemandSummary,
    Labels,
    csv_writer,
    fonts,
    load_labels,
    render_html,
    render_text,
    stats_picture,
    summarise,
    summary_of,
)
from bot.reports.chart import WRAP, Chart, png, svg
from bot.reports.poster import poster_png
from bot.reports.synthetic import load_demo_world, synthetic_conversations
from bot.storage import Storage
from bot.storage.aggregates import EXPORT_BATCH, ExportRow, Scope

PNG = b"\x89PNG\r\n\x1a\n"
NBSP = "\u00a0"


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=UTC)


def make(id: str, day: int, **fields: Any) -> ConversationRecord:
    return ConversationRecord(
        id=id, user=f"user-{id}", started_at=at(day), updated_at=at(day, 11), **fields
    )


RECORDS = [
    make(
        "r1",
        3,
        outcome=Outcome.COMPLETED,
        ended_at=at(3, 11),
        needs=("funding", "advice"),
        stage="idea",
        legal_form="association",
        commune="31555",
        source="affiche",
        recommended=("la-mijoteuse", "urscop"),
        feedback=Feedback.USEFUL,
    ),
    make(
        "r2",
        4,
        outcome=Outcome.COMPLETED,
        needs=("funding",),
        stage="building",
        legal_form="scop",
        commune="31555",
        recommended=("urscop",),
        unmet_needs=("funding",),
        feedback=Feedback.NOT_USEFUL,
    ),
    make(
        "r3", 5, outcome=Outcome.ABANDONED, needs=("premises",), commune="31149", source="affiche"
    ),
    make("r4", 18, outcome=Outcome.RESTARTED, source="flyer"),
    make(
        "r5",
        19,
        outcome=Outcome.COMPLETED,
        needs=("advice",),
        commune="31149",
        source="affiche",
        recommended=("la-mijoteuse",),
    ),
    make("r6", 20, needs=("funding",), commune="31555", inferred=("needs", "commune")),
]


def render_csv(records: list[ConversationRecord]) -> str:
    out = io.StringIO()
    csv_writer(out)((record, "", "") for record in records)
    return out.getvalue()


@pytest.fixture(scope="module")
def labels() -> Labels:
    return load_labels(REPO_KNOWLEDGE)


def test_summary_counts_everything_in_one_pass() -> None:
    assert_hand_counts(summarise(RECORDS))


async def test_the_database_counts_the_same_figures(tmp_path: Path) -> None:
    in_hg = {"r1", "r3"}
    records = [replace(r, territory="hg" if r.id in in_hg else None) for r in RECORDS]
    async with await Storage.open(tmp_path / "log.sqlite3") as storage:
        await storage.save_conversations(records)
        everything = summary_of(await storage.demand(Scope()))
        period = summary_of(await storage.demand(Scope(at(4, 0), at(19, 0))), at(4, 0), at(19, 0))
        hg = summary_of(await storage.demand(Scope(territory="hg")))
        narrow = [  # few rows of the period: read through its time range
            await storage.demand(Scope(at(20, 0), territory=territory))
            for territory in (None, "hg")
        ]
    assert summary_of(narrow[0], at(20, 0)) == summarise(records, at(20, 0))
    assert (narrow[0].total, narrow[1].total) == (1, 0)
    assert_hand_counts(everything)
    assert everything == summarise(records)
    assert period == summarise(records, at(4, 0), at(19, 0))
    assert (period.total, dict(period.by_source)) == (3, {"": 1, "affiche": 1, "flyer": 1})
    assert (hg.total, dict(hg.by_commune)) == (2, {"31149": 1, "31555": 1})
    assert dict(hg.weekly) == {"2025-W10": 2}


def assert_hand_counts(summary: DemandSummary) -> None:
    assert (summary.total, summary.completed, summary.abandoned) == (6, 3, 1)
    assert (summary.restarted, summary.in_progress) == (1, 1)
    assert summary.completion_rate == 0.5
    assert (summary.useful, summary.not_useful, summary.no_feedback) == (1, 1, 4)
    assert summary.usefulness_rate == 0.5
    assert dict(summary.by_need) == {"funding": 3, "advice": 2, "": 1, "premises": 1}
    assert list(summary.by_need) == ["funding", "advice", "", "premises"]
    assert dict(summary.by_stage) == {"": 4, "building": 1, "idea": 1}
    assert dict(summary.by_legal_form) == {"": 4, "association": 1, "scop": 1}
    assert dict(summary.by_commune) == {"31555": 3, "31149": 2, "": 1}
    assert dict(summary.by_source) == {"affiche": 3, "": 2, "flyer": 1}
    assert dict(summary.recommended) == {"la-mijoteuse": 2, "urscop": 2}
    assert dict(summary.unmet_needs) == {"funding": 1}
    assert summary.funnel == (
        ("funnel_started", 6),
        ("funnel_completed", 3),
        ("funnel_feedback", 2),
        ("funnel_useful", 1),
    )
    assert dict(summary.weekly) == {"2025-W10": 3, "2025-W11": 0, "2025-W12": 3}
    assert summary.weekly_by_need["2025-W10"] == {"funding": 2, "advice": 1, "premises": 1}
    assert summary.weekly_by_need["2025-W11"] == {}
    assert summary.weekly_by_need["2025-W12"] == {"advice": 1, "funding": 1}
    assert (summary.first, summary.last) == (at(3), at(20))
    assert summary.synthetic is False


def test_summary_keeps_only_the_period() -> None:
    summary = summarise(RECORDS, since=at(4, 0), until=at(19, 0))
    assert summary.total == 3
    assert dict(summary.by_source) == {"": 1, "affiche": 1, "flyer": 1}
    assert summary.since == at(4, 0)


def test_empty_summary_has_no_rates() -> None:
    summary = summarise([])
    assert summary.total == 0
    assert summary.completion_rate is None
    assert summary.usefulness_rate is None
    assert dict(summary.weekly) == {}
    assert "aucune conversation" in render_text(summary)


def test_text_in_french(labels: Labels) -> None:
    text = render_text(summarise(RECORDS), labels=labels)
    assert text.splitlines() == [
        "Demande d'orientation ESS — du 3 mars 2025 au 20 mars 2025",
        f"Conversations{NBSP}: 6 (terminées 3, abandonnées 1, recommencées 1, en cours 1)",
        f"Taux d'achèvement{NBSP}: 50{NBSP}%",
        f"Orientation jugée utile{NBSP}: 1 sur 2 avis (50{NBSP}%)",
        f"Besoins{NBSP}: Un financement 3, Être conseillé·e 2, non précisé 1, Des locaux 1",
        f"Communes{NBSP}: Toulouse 3, Colomiers 2, non précisé 1",
        f"Sources{NBSP}: affiche 3, accès direct 2, flyer 1",
        f"Besoins non couverts{NBSP}: Un financement 1",
    ]


def test_text_in_english_with_synthetic_warning_and_period(labels: Labels) -> None:
    records = [make("s", 5, synthetic=True, needs=("funding",))] * 1234
    summary = summarise(records, since=at(1, 0), until=at(8, 0))
    text = render_text(summary, lang="en", labels=labels)
    assert text.splitlines()[:2] == [
        "ESS orientation demand — from Mar 1, 2025 to Mar 7, 2025",
        "⚠ Synthetic data",
    ]
    assert "Needs: Funding 1,234" in text
    assert "Orientation found useful: no answer" in text


def test_csv_parses_back(labels: Labels) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(RECORDS))))
    assert len(rows) == 6
    assert tuple(rows[0]) == CSV_COLUMNS
    first = rows[0]
    assert first["id"] == "r1"
    assert first["user"] == "user-r1"
    assert first["needs"].split(";") == ["funding", "advice"]
    assert first["recommended"] == "la-mijoteuse;urscop"
    assert first["started_at"] == "2025-03-03T10:00:00.000000+00:00"
    assert first["ended_at"] == "2025-03-03T11:00:00.000000+00:00"
    assert first["feedback"] == "useful"
    assert first["synthetic"] == "0"
    assert rows[3]["needs"] == ""
    assert rows[3]["source"] == "flyer"
    assert rows[5]["inferred"] == "needs;commune"
    assert [row["outcome"] for row in rows] == [r.outcome.value for r in RECORDS]


def test_html_is_self_contained_with_charts(labels: Labels) -> None:
    html = render_html(summarise(RECORDS), labels, generated_at=datetime(2025, 4, 1, tzinfo=UTC))
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg") == 9
    for forbidden in ("http://", "https://", "//cdn", "<script", "<link", "@import", "url("):
        assert forbidden not in html
    assert "Données synthétiques" not in html
    assert "du 3 mars 2025 au 20 mars 2025 · 6 conversations · Généré le 1 avr. 2025" in html
    assert "Un financement" in html
    assert "Toulouse" in html
    assert "La Mijoteuse" in html
    assert "2025-W11" in html


def test_html_banner_for_synthetic_data() -> None:
    html = render_html(summarise([make("s", 5, synthetic=True)]))
    assert '<p class="banner">Données synthétiques' in html


def test_html_caps_long_lists_and_escapes_names() -> None:
    records = [make(f"c{i}", 3, commune=f"31{i:03d}") for i in range(20)]
    records.append(make("x", 3, recommended=("evil",)))
    labels = Labels(actors={"evil": "<b>Évil & co</b>"})
    html = render_html(summarise(records), labels, limit=15)
    communes = next(s for s in html.split("<section>") if s.startswith("<h2>Communes"))
    assert len(re.findall(r'<g id="communes-bar-\d+">', communes)) == 16
    assert ">autres</text>" in communes
    assert ">6</text>" in communes
    assert "&lt;b&gt;Évil &amp; co&lt;/b&gt;" in html
    assert "<b>Évil" not in html


def test_chart_png(labels: Labels) -> None:
    data = png(*stats_picture(summarise(RECORDS), labels))
    assert data.startswith(PNG)
    image = Image.open(io.BytesIO(data))
    assert image.width == 1000
    assert image.height > 400
    assert png(*stats_picture(summarise(RECORDS), labels)) == data, "the same data, the same bytes"


def test_a_long_label_is_wrapped_never_cut() -> None:
    label = "Structure d'accompagnement au nom vraiment très long " * 3 + "— fin du nom"
    drawn = svg(Chart("long", "Titre", [(label, 3), ("courte", 1)]))
    lines = re.findall(r"<text[^>]*>([^<]*)</text>", drawn)
    assert " ".join(label.split()) in " ".join(lines)
    assert max(len(line) for line in lines) <= WRAP
    assert svg(Chart("long", "Titre", [(label, 3)])) == svg(Chart("long", "Titre", [(label, 3)]))


def test_the_reports_modules_import_matplotlib_only_to_draw() -> None:
    code = (
        "import sys, bot.reports, bot.reports.chart, bot.reports.html_report;"
        "print('matplotlib' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


def test_text_is_folded_when_no_font_has_accents(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "font_file", lambda: None)
    assert fonts.printable("Être conseillé·e — cœur") == "Etre conseille·e - coeur"
    assert poster_png("https://t.me/aiguillage_bot?start=test", "test").startswith(PNG)


def test_synthetic_conversations_are_labelled_plausible_and_seeded() -> None:
    world = load_demo_world(REPO_KNOWLEDGE)
    now = datetime(2025, 6, 1, tzinfo=UTC)
    records = synthetic_conversations(world, 2000, seed=7, now=now)
    assert records == synthetic_conversations(world, 2000, seed=7, now=now)
    assert records != synthetic_conversations(world, 2000, seed=8, now=now)
    assert all(r.synthetic and r.source and r.source.startswith("demo-") for r in records)
    assert all(re.fullmatch(r"demo-7-\d{7}", r.id) for r in records)
    assert all(now - timedelta(days=365) <= r.started_at <= now for r in records)
    assert {n for r in records for n in r.needs} <= set(world.needs)
    assert {r.commune for r in records} - {None} <= set(world.communes)
    assert {a for r in records for a in r.recommended} <= set(world.actors)
    summary = summarise(records)
    assert next(iter(summary.by_commune)) == "31555"
    assert 0.5 < (summary.completion_rate or 0) < 0.75
    assert summary.useful > summary.not_useful > 0
    assert len(summary.weekly) >= 52


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_never_read_as_formulas(start: str) -> None:
    hostile = f'{start}HYPERLINK("http://evil.example","clic")'
    record = make("r9", 9, free_text=hostile, source=f"{start}affiche")
    [row] = list(csv.DictReader(io.StringIO(render_csv([record]), newline="")))
    assert row["free_text"] == f"'{hostile}"
    assert row["source"] == f"'{start}affiche"
    assert row["id"] == "r9", "ordinary cells unchanged"


async def test_the_csv_is_streamed_in_batches_oldest_first(tmp_path: Path) -> None:
    count = EXPORT_BATCH + 500
    records = [make(f"x{n:05d}", 1 + n % 28, source=f"s{n % 3}") for n in range(count)]
    out = io.StringIO()
    batches: list[int] = []
    write = csv_writer(out)

    def counted(rows: list[ExportRow]) -> None:
        batches.append(len(rows))
        write(rows)

    async with await Storage.open(tmp_path / "log.sqlite3") as storage:
        await storage.save_conversations(reversed(records))
        assert await storage.export(Scope(territory=None, since=at(2, 0)), counted) == count - 90
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert batches == [EXPORT_BATCH, count - 90 - EXPORT_BATCH]
    expected = sorted(
        (r for r in records if r.started_at >= at(2, 0)), key=lambda r: (r.started_at, r.id)
    )
    assert [row["id"] for row in rows] == [r.id for r in expected]

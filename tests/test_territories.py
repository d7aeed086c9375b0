"""Several territories: the bundled base plus the Tarn fixture (tests/fixtures/territories/).

The fixture holds five real communes of the Tarn and three FICTIONAL actors. It is copied
beside a copy of the bundled base, so every test runs on real files, end to end: loading and
check-kb, matching, the dialogue and the terminal chat, the demand log, the report and the
coordinators' commands through the real bot.
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from conftest import RecordingBotApi, running_bot, settings_for, texts
from dialogue_driver import Driver
from support.command_line import aiguillage as run_command

from bot.app import StartupError, load_base
from bot.cli import main
from bot.config import REPO_KNOWLEDGE, ConfigError, load_settings
from bot.core.catalogue import Catalogue
from bot.core.dialogue.engine import Dialogue
from bot.core.knowledge import KnowledgeBase, KnowledgeError
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, reception_points, recommend
from bot.core.presenting import render_result_text
from bot.core.territory import Commune, Territory
from bot.storage import Storage
from bot.storage.schema import APPLICATION_ID, MIGRATIONS

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "territories"
TARN_ACTORS = {"fixture-tarn-accueil", "fixture-tarn-fonds", "fixture-tarn-cooperative"}
ALBI, CASTRES, TOULOUSE = "81004", "81065", "31555"
FUNDING = Profile(stage="building", legal_form="association", needs=("funding", "advice"))


def two_territories(folder: Path) -> Path:
    """A copy of the bundled base with the Tarn fixture in ``territories/``."""
    kb = folder / "kb"
    shutil.copytree(REPO_KNOWLEDGE, kb)
    shutil.copytree(FIXTURE, kb / "territories")
    return kb


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_territories(tmp_path_factory.mktemp("territories"))


@pytest.fixture(scope="module")
def kb(kb_path: Path) -> KnowledgeBase:
    return load_knowledge(kb_path)


def ids(kb: KnowledgeBase, profile: Profile, commune: str | None) -> list[str]:
    found = recommend(kb, Profile(**{**vars(profile), "commune": commune}), limit=10)
    return [r.actor.id for r in found.recommendations]


def test_both_territories_load_and_the_commune_decides(kb: KnowledgeBase) -> None:
    assert kb.territory.names == ("haute-garonne", "tarn")
    tarn = {a.id for a in kb.actors if a.territory == "tarn"}
    assert tarn == TARN_ACTORS
    assert len(kb.actors) == 25 + 3
    albi = kb.territory.lookup("Albi").commune
    assert albi is not None and albi.insee == ALBI and albi.territory == "tarn"
    assert kb.territory.outside_town("Albi") is None, "a commune of a territory, not elsewhere"
    assert kb.territory.territory_of(TOULOUSE) == "haute-garonne"
    assert kb.territory.territory_of("81163") is None, "Mazamet: in no territory"
    mazamet = kb.territory.outside_town("Mazamet")
    assert mazamet is not None and mazamet.department_name == "Tarn", "outside the area"


def test_the_bundled_base_alone_is_unchanged() -> None:
    alone = load_knowledge(REPO_KNOWLEDGE)
    assert alone.territory.names == ("haute-garonne",)
    place = alone.territory.outside_town("Albi")
    assert place is not None and place.department_name == "Tarn"


def test_an_actor_of_one_territory_is_never_recommended_in_another(kb: KnowledgeBase) -> None:
    albi, toulouse = ids(kb, FUNDING, ALBI), ids(kb, FUNDING, TOULOUSE)
    assert {"fixture-tarn-accueil", "fixture-tarn-fonds"} <= set(albi)
    assert not TARN_ACTORS & set(toulouse)
    assert "toulouse-metropole" in toulouse
    for actor_id in albi:
        actor = kb.actor(actor_id)
        assert actor is not None
        assert actor.territory == "tarn" or actor.areas & {"region", "national"}, actor_id
    assert "mp-actives" in albi, "a regional network of Haute-Garonne covers its region's Tarn"
    testing = Profile(stage="idea", legal_form="sole-trader", needs=("test-activity",))
    assert "fixture-tarn-cooperative" in ids(kb, testing, CASTRES)
    assert "fixture-tarn-cooperative" not in ids(kb, testing, ALBI), "a service of Castres only"
    assert not TARN_ACTORS & set(ids(kb, testing, None)), "no commune: the default territory"


def test_a_department_named_is_the_territory_that_holds_it(kb: KnowledgeBase) -> None:
    """« dans le Tarn », « dans le 81 »: somewhere in the Tarn territory, commune unknown — its
    territory-wide actors serve, a one-commune service does not; another department is only
    outside, as in the bundled base alone."""
    for text in ("asso culturelle dans le Tarn, on cherche un financement", "dans le 81, un prêt"):
        result = recommend(kb, Profile(text=text), limit=10)
        found = [r.actor.id for r in result.recommendations]
        assert result.profile.commune is None
        assert result.outside_area is not None and result.outside_area.territory == "tarn"
        assert "fixture-tarn-fonds" in found and "fixture-tarn-cooperative" not in found, found
    ariege = recommend(kb, Profile(text="en Ariège, asso, on cherche un financement"), limit=10)
    assert ariege.outside_area is not None and ariege.outside_area.territory is None
    assert not TARN_ACTORS & {r.actor.id for r in ariege.recommendations}
    alone = recommend(load_knowledge(REPO_KNOWLEDGE), Profile(text="dans le Tarn, un prêt"))
    assert alone.outside_area is not None and alone.outside_area.territory is None


def test_reception_points_are_those_of_the_commune_s_territory(kb: KnowledgeBase) -> None:
    assert [a.id for a in reception_points(kb, ALBI)] == ["fixture-tarn-accueil"]
    assert reception_points(kb, CASTRES) == [], "another EPCI of the Tarn"
    assert "fixture-tarn-accueil" not in [a.id for a in reception_points(kb, TOULOUSE)]


@dataclass(frozen=True)
class Covers:
    communes: frozenset[str]
    areas: frozenset[str]
    territory: str


def test_region_is_the_region_of_the_commune() -> None:
    bordeaux = Commune("33063", "Bordeaux", ("33000",), "bordeaux-metropole", "", 0, "gironde")
    toulouse = Commune("31555", "Toulouse", ("31000",), "toulouse-metropole", "")
    territory = Territory.union(
        [Territory([toulouse]), Territory([bordeaux], regions={"gironde": frozenset({"33"})})],
        None,
    )
    regional_here = Covers(frozenset(), frozenset({"region"}), "haute-garonne")
    regional_there = Covers(frozenset(), frozenset({"region"}), "gironde")
    national = Covers(frozenset(), frozenset({"national"}), "haute-garonne")
    assert territory.covering_level("33063", regional_here) is None
    assert territory.covering_level("31555", regional_there) is None
    assert territory.covering_level("33063", regional_there) == 3
    assert territory.covering_level("33063", national) == 4
    whole = Covers(frozenset(), frozenset({"haute-garonne"}), "haute-garonne")
    assert territory.covering_level("31555", whole) == 2
    assert territory.covering_level("33063", whole) is None


def test_a_conversation_in_the_other_territory(kb: KnowledgeBase) -> None:
    talk = Driver(Dialogue(kb, Catalogue.load()))
    talk.start()
    talk.press("Je construis")
    talk.press("Association")
    talk.press("Un financement")
    talk.press("Valider")
    talk.type("Albi")
    talk.press("Passer")
    assert "Fonds fictif du Tarn" in talk.text and "couvre tout le département" in talk.text
    assert "Toulouse Métropole" not in talk.text
    assert talk.current.commune == ALBI


def chat(kb_path: Path, db: Path, typed: list[str]) -> subprocess.CompletedProcess[str]:
    """The terminal chat on ``kb_path`` and ``db``, the ``typed`` lines piped in."""
    env = {"AIGUILLAGE_KB": str(kb_path), "AIGUILLAGE_DB": str(db), "AIGUILLAGE_SECRET": "t" * 32}
    return run_command("chat", env=env, stdin="\n".join(typed) + "\n")


def aiguillage(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command line's exit code, output and errors (in this process)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_terminal_chats_log_their_territory_and_the_report_filters_it(
    kb_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "chat.sqlite3"
    # stage 2 (building), legal form 2 (association), need 2 (funding), 12 (Valider), commune,
    # 1 (Passer), 1 (useful), then a new search
    typed = [
        line
        for town in ("Albi", "Colomiers", "Castres")
        for line in ("/recommencer", "2", "2", "2", "12", town, "1", "1")
    ]
    done = chat(kb_path, db, typed[1:])
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "Fonds fictif du Tarn" in done.stdout
    with sqlite3.connect(db) as connection:
        logged = connection.execute("SELECT commune, territory FROM conversations").fetchall()
    assert sorted(logged) == [
        ("31149", "haute-garonne"),
        (ALBI, "tarn"),
        (CASTRES, "tarn"),
    ]
    monkeypatch.setenv("AIGUILLAGE_KB", str(kb_path))
    monkeypatch.setenv("AIGUILLAGE_DB", str(db))
    code, tarn, _ = aiguillage(capsys, "report", "--territory", "tarn")
    assert code == 0
    assert "Territoire\xa0: tarn" in tarn and "Conversations\xa0: 2" in tarn
    assert "Albi" in tarn and "Colomiers" not in tarn, "communes named, not codes"
    assert "Conversations\xa0: 3" in aiguillage(capsys, "report")[1]
    rows = list(csv.DictReader(io.StringIO(aiguillage(capsys, "report", "--format", "csv")[1])))
    assert sorted(r["territory"] for r in rows) == ["haute-garonne", "tarn", "tarn"]
    code, _, err = aiguillage(capsys, "report", "--territory", "gironde")
    assert code == 2
    assert err.splitlines() == [
        "aiguillage report: --territory\xa0: territoire inconnu «gironde»\xa0;"
        " la base de connaissances contient haute-garonne, tarn"
    ]


async def test_earlier_rows_are_haute_garonne_s(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as connection:
        for version, script in enumerate(MIGRATIONS[:4], start=1):
            connection.executescript(f"{script}\nPRAGMA user_version = {version};")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for row_id, commune in (("a", "31555"), ("b", None)):
            connection.execute(
                "INSERT INTO conversations VALUES (?, 'u', '2026-01-01', '2026-01-01', NULL,"
                " NULL, 'fr', 'completed', NULL, NULL, '[]', ?, '[]', '[]', '[]', NULL, NULL, 0)",
                (row_id, commune),
            )
    async with await Storage.open(db) as storage:
        assert [r.territory for r in await storage.conversations()] == ["haute-garonne", None]
        assert [r.id for r in await storage.conversations(territory="haute-garonne")] == ["a"]


def test_the_allowlist_names_a_territory_per_coordinator(
    tmp_path: Path, english_command_line: None
) -> None:
    settings = load_settings({"AIGUILLAGE_COORDINATORS": "123:haute-garonne, 456;789 : tarn"})
    assert settings.coordinators == {123, 456, 789}
    assert settings.coordinator_territories == {123: "haute-garonne", 789: "tarn"}
    assert load_settings({"AIGUILLAGE_COORDINATORS": "12345"}).coordinators == {12345}
    for bad, message in (
        ("12:Tarn!", "«Tarn!» is not a territory name"),
        ("12:", "«» is not a territory name"),
        ("bob:tarn", "«bob» is not a Telegram user id"),
    ):
        with pytest.raises(ConfigError, match=message):
            load_settings({"AIGUILLAGE_COORDINATORS": bad})
    unknown = load_settings({"AIGUILLAGE_COORDINATORS": "12:gironde"})
    with pytest.raises(StartupError, match="unknown territory «gironde»") as error:
        load_base(unknown)
    assert "\n" not in str(error.value)


async def test_a_coordinator_sees_only_their_territory(
    api: RecordingBotApi, kb_path: Path, tmp_path: Path
) -> None:
    everyone, tarn_only = 111, 222
    settings = replace(
        settings_for(api, tmp_path, coordinators=frozenset({everyone, tarn_only})),
        kb_path=kb_path,
        coordinator_territories={tarn_only: "tarn"},
    )
    async with running_bot(api, settings) as bot:
        for person, town in ((9001, "Albi"), (9002, "Toulouse"), (9003, "Colomiers")):
            await bot.say(person, "/start")
            await bot.tap(person, "Je construis")
            await bot.tap(person, "Association")
            await bot.tap(person, "Un financement")
            await bot.tap(person, "Valider")
            await bot.say(person, town)
        (summary,) = texts(await bot.say(tarn_only, "/stats"))
        assert summary.startswith("Territoire\xa0: tarn") and "Conversations\xa0: 1 " in summary
        (summary,) = texts(await bot.say(everyone, "/stats"))
        assert "Territoire" not in summary and "Conversations\xa0: 3 " in summary
        (summary,) = texts(await bot.say(everyone, "/stats 7j haute-garonne"))
        assert "Territoire\xa0: haute-garonne" in summary and "Conversations\xa0: 2 " in summary
        (refused,) = texts(await bot.say(tarn_only, "/stats 30j haute-garonne"))
        assert refused.startswith("Usage : /stats")
        calls = await bot.say(tarn_only, "/export all")
        (document,) = [c.params["document"] for c in calls if c.method == "sendDocument"]
        rows = list(csv.DictReader(io.StringIO(api.uploads[document.filename].decode())))
        assert [(r["commune"], r["territory"]) for r in rows] == [(ALBI, "tarn")]


def test_check_kb_validates_every_territory(
    kb_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], english_command_line: None
) -> None:
    code, out, _ = aiguillage(capsys, "check-kb", str(kb_path))
    assert code == 0
    assert "haute-garonne (586 communes, 25 actors), tarn (5 communes, 3 actors)" in out
    broken = two_territories(tmp_path)
    tarn = broken / "territories" / "tarn"
    (tarn / "territory.yaml").write_text("name: {fr: Tarn}\nregion: [81]\n", encoding="utf-8")
    fund = tarn / "actors" / "fixture-tarn-fonds.yaml"
    fund.write_text(
        fund.read_text(encoding="utf-8").replace("areas: [tarn]", "areas: [toulouse-metropole]"),
        encoding="utf-8",
    )
    communes = tarn / "communes.json"
    communes.write_text(
        communes.read_text(encoding="utf-8").replace('"81257"', '"31555"'), encoding="utf-8"
    )
    (broken / "territories" / "Bad Name").mkdir()
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(broken)
    found = {(Path(p.file).name, p.field) for p in error.value.problems}
    assert found == {
        ("territory.yaml", "region"),
        ("fixture-tarn-fonds.yaml", "territory.areas[0]"),
        ("communes.json", "communes"),
        ("Bad Name", "territory"),
    }, error.value.problems
    code, out, _ = aiguillage(capsys, "check-kb", str(broken))
    assert code == 2
    assert "INSEE code «31555» is already in territory «haute-garonne»" in out


def test_the_outside_wording_names_the_territories_of_the_base(kb: KnowledgeBase) -> None:
    """« hors Haute-Garonne » is no fixed string: the base's territories are named."""
    assert kb.territory.covered("fr") == "Haute-Garonne et Tarn (fixture de test)"
    assert kb.territory.covered("en") == "Haute-Garonne and Tarn (test fixture)"
    alone = load_knowledge(REPO_KNOWLEDGE)
    result = recommend(kb, Profile(text="à Bruxelles, une coopérative"), limit=3)
    text = render_result_text(result, kb, "fr", date(2026, 1, 1), 3)
    assert "mon territoire (Haute-Garonne et Tarn (fixture de test))" in text
    assert alone.territory.covered("fr") == "Haute-Garonne"

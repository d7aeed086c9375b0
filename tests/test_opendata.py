"""data·inclusion in and out: the hand-written extract in tests/fixtures/datainclusion/ (schema
1.0, fictitious structures), malformed extracts, duplicates, unmapped thematiques, re-import,
and the bundled base exported then imported back."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from data_inclusion.schema import v1
from support.bundled import KB

from bot.cli import main
from bot.config import REPO_KNOWLEDGE
from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.loader import load_knowledge

FIXTURES = Path(__file__).parent / "fixtures" / "datainclusion"
STRUCTURES = FIXTURES / "structures.json"
SERVICES = FIXTURES / "services.json"
EXPORTED = "data-inclusion--aiguillage.json"


pytestmark = pytest.mark.usefixtures("english_command_line")
"""These tests read the command line's messages in English."""


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def run(*argv: str | Path) -> int:
    return main([str(a) for a in argv])


def imported(out: Path, structures: Path = STRUCTURES, services: Path = SERVICES) -> int:
    return run("import-datainclusion", structures, services, "--out", out)


def actors(kb: KnowledgeBase) -> dict[str, Actor]:
    return {a.id: a for a in kb.actors}


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return tmp_path / "kb"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled base exported once for the module (read only)."""
    out = tmp_path_factory.mktemp("export")
    assert run("export-datainclusion", "--kb", REPO_KNOWLEDGE, "--out", out, "--force") == 0
    return out


def test_fixture_extract_follows_the_schema() -> None:
    for path, model in ((STRUCTURES, v1.Structure), (SERVICES, v1.Service)):
        for record in json.loads(path.read_text(encoding="utf-8")):
            model.model_validate(record)


def test_import_writes_records_the_loader_accepts(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(kb_dir) == 0
    out = capsys.readouterr().out
    assert "4 records (4 new, 0 updated, 0 unchanged)" in out
    assert run("check-kb", kb_dir) == 0
    found = actors(load_knowledge(kb_dir))
    assert sorted(found) == [
        "fixture-cae",
        "fixture-couveuse",
        "fixture-national",
        "fixture-region",
    ]
    cae = found["fixture-cae"]
    assert cae.name == "Coopérative d'activité fictive"
    assert cae.kind == "accompagnement"
    assert cae.needs == {"advice": 1.0}
    assert cae.stages == {"idea", "building", "launching", "growing"}  # + the duplicate's service
    assert cae.legal_forms == set(load_knowledge(kb_dir).taxonomy.legal_forms)
    assert cae.areas == {"haute-garonne", "sicoval"} and not cae.communes
    assert cae.info_date == 2025
    assert cae.source == ("data-inclusion--autre.json", "data-inclusion--fixture.json")
    first = cae.contacts[0]
    assert (first.phone, first.email, first.website, first.address, first.year) == (
        "+33536490001",
        "contact@cae.example.org",
        "https://cae.example.org",
        "1 rue Fictive, 31000 Toulouse",
        2025,
    )
    assert cae.contacts[1].phone == "05.36.49.00.02"
    assert cae.contacts[1].source == "data-inclusion--autre.json"
    assert "Habiter en Haute-Garonne." in cae.conditions["fr"]
    assert "Gratuit." in cae.conditions["fr"]
    assert "envoyer un courriel, téléphoner" in cae.conditions["fr"]
    assert "https://fixture.example.org/structures/cae" in cae.note["fr"]
    couveuse = found["fixture-couveuse"]
    assert couveuse.communes == {"31149"} and couveuse.areas == {"toulouse-metropole"}
    assert [c.person for c in couveuse.contacts if c.person] == ["Camille Fictive"]
    assert "05 36 49 00 03" in [c.phone for c in couveuse.contacts]
    assert found["fixture-region"].areas == {"region"}
    assert found["fixture-region"].stages == {"growing"}
    national = found["fixture-national"]
    assert national.areas == {"national"}
    assert [c.website for c in national.contacts] == [
        "https://national.example.org/aide",
        "https://national.example.org/parcours",
    ]
    document = json.loads((kb_dir / "sources" / "data-inclusion--fixture.json").read_text("utf-8"))
    kept = {r["id"]: r for r in document["structures"]}
    assert kept["fixture--cae"]["lien_source"] == "https://fixture.example.org/structures/cae"
    assert kept["fixture--cae"]["source"] == "fixture"
    assert "fixture--epicerie" not in kept


def test_import_reports_duplicates_unmapped_and_left_out(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(kb_dir) == 0
    out = capsys.readouterr().out
    assert "Merged duplicates (2):" in out
    assert "record 2 (autre--cae-bis) merged with record 1 (fixture--cae): same SIRET" in out
    assert "(fixture--couveuse-2) merged with record 3 (fixture--couveuse): same name and" in out
    assert "Structures not imported (2):" in out
    assert "record 5 (fixture--epicerie): no service" in out
    assert "record 6 (fixture--albi): no service" in out
    assert "(fixture--albi-idee): zone_eligibilite outside our territory" in out
    assert "(fixture--national-sans-zone): no zone_eligibilite" in out
    assert "(fixture--orphelin): structure_id «fixture--inconnue» is not in the structures" in out
    assert "(fixture--epicerie-alimentation): no thematique we map" in out
    assert (
        "Unmapped thematiques (2): equipement-et-alimentation--alimentation (1 service),"
        " numerique--acceder-a-une-connexion-internet (1 service)." in out
    )


def test_reimport_is_idempotent_and_updates_the_same_records(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(kb_dir) == 0
    before = files(kb_dir)
    capsys.readouterr()
    assert imported(kb_dir) == 0
    assert "4 records (0 new, 0 updated, 4 unchanged)" in capsys.readouterr().out
    assert files(kb_dir) == before
    records = json.loads(STRUCTURES.read_text(encoding="utf-8"))
    records[0]["telephone"] = "+33536490009"
    changed = tmp_path / "structures.json"
    changed.write_text(json.dumps(records), encoding="utf-8")
    assert imported(kb_dir, changed) == 0
    assert "4 records (0 new, 1 updated, 3 unchanged)" in capsys.readouterr().out
    after = files(kb_dir)
    assert set(after) == set(before)
    assert {k for k in after if after[k] != before[k]} == {
        "actors/fixture-cae.yaml",
        "sources/data-inclusion--fixture.json",
    }
    assert actors(load_knowledge(kb_dir))["fixture-cae"].contacts[0].phone == "+33536490009"


def broken(tmp_path: Path, name: str, change: Any) -> Path:
    """A copy of the fixture ``name`` with ``change`` applied to its records."""
    records = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    change(records)
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def test_malformed_extract_is_refused_line_by_line_and_nothing_is_written(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def structures(records: list[dict[str, Any]]) -> None:
        records[1]["date_maj"] = "2999-01-01"
        del records[2]["nom"]
        records[3]["courriel"] = "pas une adresse"

    def services(records: list[dict[str, Any]]) -> None:
        records[0]["thematiques"] = ["creer-une-entreprise--inconnue"]
        records[4]["id"] = records[3]["id"]

    bad_structures = broken(tmp_path, "structures.json", structures)
    bad_services = broken(tmp_path, "services.json", services)
    assert imported(kb_dir, bad_structures, bad_services) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    shape = re.compile(r"^[^:]+\.json: record \d+: [\w.]+: \S.*$")
    assert lines and all(shape.match(line) for line in lines), lines
    assert [line.split(": ")[1:3] for line in lines] == [
        ["record 2", "date_maj"],
        ["record 3", "nom"],
        ["record 4", "courriel"],
        ["record 1", "thematiques.0"],
        ["record 5", "id"],
    ]
    assert f"{bad_services}: record 5: id: duplicate id «fixture--couveuse-2-idee»" in lines[-1]
    assert "(also record 4)" in lines[-1]
    assert not kb_dir.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "(json): line 1 column 2:"),
        ('{"records": []}', "(file): must be a JSON list of records"),
        ("[1]", "record 1: (record): must be a JSON object"),
    ],
)
def test_unreadable_extract_is_one_line(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = tmp_path / "structures.json"
    path.write_text(text, encoding="utf-8")
    assert imported(kb_dir, path) == 2
    err = capsys.readouterr().err
    assert err == f"{path}: {message}" + err.split(message, 1)[1]
    assert len(err.splitlines()) == 1
    assert not kb_dir.exists()


def test_missing_file_and_folder_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "absent.json"
    assert imported(tmp_path / "kb", missing) == 2
    assert capsys.readouterr().err.startswith(f"{missing}: (file): cannot be read")
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    assert imported(not_a_folder) == 2
    assert capsys.readouterr().err == f"{not_a_folder}: (folder): exists and is not a folder\n"


def bundled_without_actors(root: Path, *, sources: bool) -> Path:
    """A base with the bundled taxonomy and communes (and sources), no actor."""
    root.mkdir()
    for name in ("taxonomy.yaml", "communes.json", "communes-france.json", "thesaurus.yaml"):
        shutil.copyfile(REPO_KNOWLEDGE / name, root / name)
    if sources:
        shutil.copytree(REPO_KNOWLEDGE / "sources", root / "sources")
    return root


def test_round_trip_keeps_every_fact(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = exported
    records = {
        name: json.loads((out / name).read_text("utf-8"))
        for name in ("structures.json", "services.json")
    }
    assert len(records["structures.json"]) == len(records["services.json"]) == 25
    for record in records["structures.json"]:
        v1.Structure.model_validate(record)
    for record in records["services.json"]:
        v1.Service.model_validate(record)
    kb_dir = bundled_without_actors(tmp_path / "kb", sources=True)
    assert imported(kb_dir, out / "structures.json", out / "services.json") == 0
    assert "25 records (25 new" in capsys.readouterr().out
    original = actors(KB)
    back = actors(load_knowledge(kb_dir))
    assert set(back) == set(original)
    for actor_id, actor in original.items():
        again = back[actor_id]
        assert again.source == (*actor.source, EXPORTED)  # the extract is cited too
        for item in fields(Actor):
            if item.name not in ("source", "file"):
                assert getattr(again, item.name) == getattr(actor, item.name), (actor_id, item.name)


def test_export_puts_our_own_facts_in_the_extension_only(exported: Path) -> None:
    structures = json.loads((exported / "structures.json").read_text("utf-8"))
    services = json.loads((exported / "services.json").read_text("utf-8"))
    urscop = next(s for s in structures if s["id"] == "aiguillage--urscop")
    assert urscop["source"] == "aiguillage" and urscop["date_maj"] == "2015-01-01"
    assert urscop["courriel"] == "urmplr@scop.coop"
    assert urscop["site_web"] == "http://www.scopmidipyrenees.coop"
    assert urscop["aiguillage"]["kind"] == "tete-de-reseau"
    assert urscop["aiguillage"]["needs"]["coop-status"] == "primary"
    assert set(urscop) - set(v1.Structure.model_fields) == {"aiguillage"}
    service = next(s for s in services if s["id"] == "aiguillage--urscop")
    assert set(service) <= set(v1.Service.model_fields)
    assert service["zone_eligibilite"] == ["09", "12", "31", "32", "46", "65", "81", "82"]
    assert service["thematiques"] == sorted(
        f"creer-une-entreprise--{t}"
        for t in (
            "definir-son-projet-de-creation-dentreprise",
            "developper-son-entreprise",
            "structurer-son-projet-de-creation-dentreprise",
        )
    )
    mijoteuse = next(s for s in services if s["id"] == "aiguillage--la-mijoteuse")
    assert mijoteuse["zone_eligibilite"] == ["31149"]
    assert mijoteuse["telephone"] == "+33561152311"
    metropole = next(s for s in services if s["id"] == "aiguillage--toulouse-metropole")
    assert metropole["zone_eligibilite"] == ["243100518"]


def test_export_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "services.json").write_text("[]", encoding="utf-8")
    assert run("export-datainclusion", "--out", tmp_path) == 2
    assert f"{tmp_path / 'services.json'} already exists; add --force" in capsys.readouterr().err
    assert files(tmp_path) == {"services.json": b"[]"}
    assert run("export-datainclusion", "--out", tmp_path, "--force") == 0
    assert len(json.loads((tmp_path / "services.json").read_text("utf-8"))) == 25


def test_export_refuses_a_record_the_schema_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb_dir = tmp_path / "kb"
    shutil.copytree(REPO_KNOWLEDGE, kb_dir)
    path = kb_dir / "actors" / "urscop.yaml"
    path.write_text(path.read_text("utf-8").replace("info_date: 2015", "info_date: 1995"), "utf-8")
    out = tmp_path / "out"
    assert run("export-datainclusion", "--kb", kb_dir, "--out", out) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert all(line.startswith(f"{path}: data·inclusion ") for line in err)
    assert "structure: date_maj: Value error" in err[0] and "service: date_maj:" in err[1]
    assert not out.exists()


def test_hand_written_record_is_never_overwritten(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = exported
    kb_dir = tmp_path / "kb"
    shutil.copytree(REPO_KNOWLEDGE, kb_dir)
    before = files(kb_dir)
    assert imported(kb_dir, out / "structures.json", out / "services.json") == 0
    report = capsys.readouterr().out
    assert "0 records (0 new, 0 updated, 0 unchanged)" in report
    assert "Structures not imported (25):" in report
    assert f"(aiguillage--adepes): {kb_dir / 'actors' / 'adepes.yaml'} exists and was not" in report
    assert {k: v for k, v in files(kb_dir).items() if k in before} == before


def test_sources_missing_from_the_target_are_replaced_by_the_extract(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = exported
    kb_dir = bundled_without_actors(tmp_path / "kb", sources=False)
    assert imported(kb_dir, out / "structures.json", out / "services.json") == 0
    report = capsys.readouterr().out
    assert "source document «003_277f266306842024.txt» cited by the extract is not in" in report
    urscop = actors(load_knowledge(kb_dir))["urscop"]
    assert urscop.source == (EXPORTED,)
    assert {c.source for c in urscop.contacts} == {EXPORTED}


def test_a_bad_extension_value_is_reported_not_written(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def structures(records: list[dict[str, Any]]) -> None:
        records[6]["aiguillage"] = {"kind": "banque", "needs": {"advice": "primary"}}
        records[7]["aiguillage"] = "not an object"

    assert imported(kb_dir, broken(tmp_path, "structures.json", structures)) == 0
    report = capsys.readouterr().out
    assert "record 7 (fixture--region): kind: unknown kind «banque»" in report
    assert "record 8 (fixture--national): aiguillage: must be an object" in report
    assert sorted(p.stem for p in (kb_dir / "actors").iterdir()) == [
        "fixture-cae",
        "fixture-couveuse",
    ]


def test_without_the_schema_package_the_commands_say_how_to_install_it(
    kb_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, "data_inclusion.schema", None)
    assert imported(kb_dir) == 2
    assert run("export-datainclusion", "--out", tmp_path / "out") == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all("pip install 'aiguillage[opendata]'" in line for line in err)
    assert not kb_dir.exists() and not (tmp_path / "out").exists()


def test_the_bot_never_imports_pydantic() -> None:
    code = (
        "import sys, bot.cli, bot.app, bot.adapters.telegram.application;"
        "bot.cli.build_parser(); print(sorted(m for m in sys.modules if m.startswith('pydantic')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert found.stdout.strip() == "[]"


def test_an_unreadable_phone_is_left_out_and_reported(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def structures(records: list[dict[str, Any]]) -> None:
        records[6]["telephone"] = "demander à l'accueil"

    assert imported(kb_dir, broken(tmp_path, "structures.json", structures)) == 0
    report = capsys.readouterr().out
    assert "Values left out of a record (1):" in report
    assert "record 7: telephone: «demander à l'accueil» is not a French phone number" in report
    region = actors(load_knowledge(kb_dir))["fixture-region"]
    assert not any(c.phone for c in region.contacts)

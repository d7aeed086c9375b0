"""``aiguillage recommend``: the JSON contract, readable text, and errors that say what would do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.config import REPO_KNOWLEDGE

RECOMMENDATION_KEYS = {
    "id",
    "name",
    "score",
    "reasons",
    "needs_covered",
    "contacts",
    "source",
    "info_date",
}


@pytest.fixture(autouse=True)
def french_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the command line's messages in French, whatever the machine's locale."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["recommend", *args])
    out, err = capsys.readouterr()
    return code, out, err


def as_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_json_contract_for_structured_answers(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(
        capsys,
        *("--stage", "launching", "--legal-form", "association"),
        *("--need", "coworking", "--need", "training", "--commune", "Colomiers"),
    )
    assert list(data) == ["profile", "recommendations", "unmet_needs"]
    assert data["profile"] == {
        "stage": "launching",
        "legal_form": "association",
        "needs": ["coworking", "training"],
        "commune": {"insee": "31149", "name": "Colomiers"},
        "outside_area": None,
        "lang": "fr",
        "inferred": [],
    }
    assert data["unmet_needs"] == []
    first = data["recommendations"][0]
    assert set(first) == RECOMMENDATION_KEYS
    assert (first["id"], first["name"], first["info_date"]) == (
        "la-mijoteuse",
        "La Mijoteuse",
        2018,
    )
    assert first["needs_covered"] == ["coworking", "training"]
    assert first["contacts"] == {
        "phone": "05 61 15 23 11",
        "email": "christine.gouaux@mairie-colomiers.fr",
        "website": None,
        "address": None,
    }
    assert first["source"] == ["000_5c137a5c9ebb586d.txt"]
    assert isinstance(first["score"], float) and first["score"] > 0
    assert "Un espace de coworking : c'est son cœur de métier" in first["reasons"]
    assert "à Colomiers, votre commune" in first["reasons"]
    assert not any("reason." in r or "{" in r or "<" in r for r in first["reasons"])


def test_json_reasons_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "--need", "coop-status", "--stage", "idea", "--lang", "en")
    urscop = data["recommendations"][0]
    assert urscop["id"] == "urscop" and data["profile"]["lang"] == "en"
    assert "Become a co-op: this is its core work" in urscop["reasons"]
    assert "regional network" in urscop["reasons"]


def test_json_lists_what_the_text_said(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(
        capsys,
        "--text",
        "nous voulons reprendre notre boulangerie en coopérative à Blagnac et il nous faut "
        "un financement",
        "--limit",
        "5",
    )
    profile = data["profile"]
    assert profile["inferred"] == [
        "stage=growing",
        "legal_form=scop",
        "need=funding",
        "need=coop-status",
        "commune=31069",
    ]
    assert (profile["stage"], profile["legal_form"]) == ("growing", "scop")
    assert profile["needs"] == ["funding", "coop-status"]
    assert profile["commune"] == {"insee": "31069", "name": "Blagnac"}
    ids = [r["id"] for r in data["recommendations"]]
    assert {"urscop", "ies"} <= set(ids[:3]) and len(ids) == 5


def test_explicit_options_win_over_the_text(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "--text", "cowroking a toulouze", "--commune", "Colomiers")
    assert data["profile"]["commune"]["name"] == "Colomiers"
    assert data["profile"]["inferred"] == ["need=coworking", "commune=31555"]
    assert data["recommendations"][0]["id"] == "la-mijoteuse"


def test_json_unmet_needs(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "--need", "public-procurement", "--commune", "31001")
    assert data["profile"]["commune"] == {"insee": "31001", "name": "Agassac"}
    assert data["unmet_needs"] == ["public-procurement"]
    assert [r["id"] for r in data["recommendations"]] == ["toulouse-metropole"]


def test_five_digits_are_an_insee_code_first(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "--commune", "31320", "--need", "funding")  # a postal code elsewhere
    assert data["profile"]["commune"] == {"insee": "31320", "name": "Marquefave"}


def test_a_sure_misspelling_is_corrected(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "--commune", "Colomier", "--need", "premises")
    assert data["profile"]["commune"] == {"insee": "31149", "name": "Colomiers"}


def test_repeated_needs_count_once_and_limit_is_kept(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(as_json(capsys, "--need", "funding")["recommendations"]) == 3, "the default"
    data = as_json(capsys, "--need", "funding", "--need", "funding", "--limit", "1")
    assert data["profile"]["needs"] == ["funding"] and len(data["recommendations"]) == 1


def test_readable_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--need", "coworking", "--commune", "Colomiers", "--lang", "en")
    assert code == 0
    assert "La Mijoteuse" in out and "Why: Coworking: this is its core work" in out
    assert "05 61 15 23 11" in out and "Information from 2018" in out
    assert "<b>" not in out and "&" not in out


def test_readable_text_says_what_stays_unmet(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--need", "public-procurement", "--commune", "Agassac")
    assert code == 0 and "Pour « Marchés publics », je ne connais pas de structure" in out


def test_readable_text_says_when_an_unmet_need_opens(capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing funds an idea; the financers that take a built project are named, in English too."""
    args = ("--stage", "idea", "--need", "funding", "--commune", "Muret")
    code, out, _ = run(capsys, *args)
    assert code == 0 and "Midi-Pyrénées Actives" in out
    assert "à partir de l'étape « Je construis le projet »" in out
    assert main(["--lang", "en", "recommend", *args]) == 0
    assert "from the stage 'I am building it'" in capsys.readouterr().out
    code, out, _ = run(
        capsys, "--stage", "struggling", "--need", "test-activity", "--commune", "Muret"
    )
    assert code == 0 and "je ne connais pas de structure" in out
    assert "plus tard" not in out, "no stage comes after a structure in difficulty"


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_nothing_understood_suggests_what_to_write(
    capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    code, out, _ = run(capsys, "--text", "bonjour, merci", *extra)
    assert code == 0
    if extra:
        data = json.loads(out)
        assert data["recommendations"] == [] and data["profile"]["inferred"] == []
    else:
        assert "Je n'ai pas bien compris" in out and "par exemple" in out


STAGES = "idea, building, launching, growing, struggling"
FORMS = "undecided, association, scop, scic, sole-trader, company, other"
NEEDS = (
    "advice, funding, premises, coworking, test-activity, coop-status, training, network, "
    "public-procurement, employment"
)


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (
            ["--stage", "dreaming"],
            f"--stage : valeur inconnue « dreaming » ; valeurs possibles : {STAGES}",
        ),
        (
            ["--legal-form", "llc"],
            f"--legal-form : valeur inconnue « llc » ; valeurs possibles : {FORMS}",
        ),
        (["--need", "funding", "--need", "parking"], f"« parking » ; valeurs possibles : {NEEDS}"),
        (["--limit", "0"], "--limit : au moins 1, pas 0"),
    ],
)
def test_unknown_values_exit_2_listing_the_valid_ones(
    capsys: pytest.CaptureFixture[str], args: list[str], listed: str
) -> None:
    code, out, err = run(capsys, *args, "--json")
    assert code == 2 and out == ""
    assert listed in err


@pytest.mark.parametrize(
    ("commune", "closest"),
    [
        ("Toulous", "ambigu ; les plus proches : Toulouse (31555), Vieille-Toulouse (31575)"),
        ("Portet", "Portet-d'Aspet (31431), Portet-de-Luchon (31432), Portet-sur-Garonne (31433)"),
        ("Saint-Paul", "Saint-Paul-d'Oueil (31508), Saint-Paul-sur-Save (31507)"),
        ("Pariss", "« Pariss » n'est pas une commune de Haute-Garonne ; les plus proches : "),
    ],
)
def test_a_commune_not_found_lists_the_closest(
    capsys: pytest.CaptureFixture[str], commune: str, closest: str
) -> None:
    code, out, err = run(capsys, "--commune", commune, "--need", "advice")
    assert code == 2 and out == ""
    assert closest in err
    assert err.count("(31") >= 2


@pytest.mark.parametrize(
    ("commune", "department"), [("Albi", "Tarn (81)"), ("Montauban", "Tarn-et-Garonne (82)")]
)
def test_a_town_outside_haute_garonne_names_its_department(
    capsys: pytest.CaptureFixture[str], commune: str, department: str
) -> None:
    code, out, err = run(capsys, "--commune", commune, "--need", "advice")
    assert code == 2 and out == ""
    assert f"« {commune} » est dans le département {department}, hors Haute-Garonne" in err
    assert "Albiac" not in err and "Montauban-de-Luchon" not in err


def test_text_naming_a_town_elsewhere_gives_outside_area_and_no_commune(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = as_json(capsys, "--text", "je veux créer une SCOP à Albi")
    assert data["profile"]["commune"] is None
    assert data["profile"]["outside_area"] == {"name": "Albi", "department": "Tarn"}
    ids = [r["id"] for r in data["recommendations"]]
    assert ids and ids[0] == "urscop"
    assert not {"la-mijoteuse", "periscope", "toulouse-metropole"} & set(ids)


def test_explain_says_why_a_close_structure_was_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = as_json(
        capsys, "--explain", "--legal-form", "association", "--stage", "struggling",
        "--need", "advice", "--commune", "Toulouse",
    )  # fmt: skip
    why_not = {entry["id"]: entry["reason"] for entry in data["why_not"]}
    assert "urscop" in why_not and "coopérative" in why_not["urscop"]
    assert "urscop" not in [r["id"] for r in data["recommendations"]]


def test_an_unknown_language_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["recommend", "--lang", "de"])
    assert exit_.value.code == 2 and "'fr', 'en'" in capsys.readouterr().err


def test_a_broken_base_prints_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "kb"
    (root / "actors").mkdir(parents=True)
    for name in ("taxonomy.yaml", "communes.json"):
        shutil.copy(REPO_KNOWLEDGE / name, root / name)
    shutil.copytree(REPO_KNOWLEDGE / "sources", root / "sources")
    good = (REPO_KNOWLEDGE / "actors" / "la-mijoteuse.yaml").read_text(encoding="utf-8")
    bad = root / "actors" / "la-mijoteuse.yaml"
    bad.write_text(good.replace("stages: [idea,", "stages: [dreaming,"), encoding="utf-8")
    code, out, err = run(capsys, "--lang", "en", "--kb", str(root), "--need", "coworking", "--json")
    assert code == 2 and out == ""
    assert err.startswith(f"{bad}:") and ": stages[0]: unknown value «dreaming»" in err
    code, out, err = run(capsys, "--kb", str(tmp_path / "missing"))
    assert (code, out) == (2, "")
    assert (
        err == f"{tmp_path / 'missing'}:0: path: ce dossier de base de connaissances n'existe pas\n"
    )

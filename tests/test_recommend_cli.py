"""``aiguillage recommend``: the JSON contract, readable text, and clear errors."""

from __future__ import annotations

import json

import pytest

from bot.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["recommend", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--need", "coworking", "--need", "training", "--commune", "Colomiers", "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"profile", "recommendations", "unmet_needs"}
    assert data["profile"]["commune"] == {"insee": "31149", "name": "Colomiers"}
    assert data["profile"]["needs"] == ["coworking", "training"]
    first = data["recommendations"][0]
    assert set(first) == {
        "id",
        "name",
        "score",
        "reasons",
        "needs_covered",
        "contacts",
        "source",
        "info_date",
    }
    assert first["id"] == "la-mijoteuse" and first["info_date"] == 2018
    assert first["contacts"]["phone"] == "05 61 15 23 11"
    assert set(first["contacts"]) == {"phone", "email", "website", "address"}
    assert any("Colomiers" in reason for reason in first["reasons"])
    assert first["source"] == ["000_5c137a5c9ebb586d.txt"]


def test_text_inference_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--text", "cowroking a toulouze", "--json")
    data = json.loads(out)
    assert {"need=coworking", "commune=31555"} <= set(data["profile"]["inferred"])
    assert data["recommendations"][0]["id"] == "la-serre"


def test_readable_text_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--need", "coop-status", "--stage", "idea", "--lang", "en")
    assert code == 0 and "Why:" in out and "URSCOP" in out and "Information from" in out


def test_nothing_understood(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--text", "bonjour")
    assert code == 0 and "pas bien compris" in out


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--stage", "dreaming"], "idea, building, launching, growing, struggling"),
        (["--need", "parking"], "public-procurement"),
        (["--legal-form", "llc"], "sole-trader"),
        (["--commune", "Portet"], "Portet-sur-Garonne (31433)"),
        (["--commune", "Paris"], "not a commune of Haute-Garonne"),
    ],
)
def test_bad_values_exit_2_with_the_valid_ones(
    capsys: pytest.CaptureFixture[str], args: list[str], hint: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2 and hint in err

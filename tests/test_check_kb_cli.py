"""``aiguillage check-kb`` and the loader on real YAML files, broken one way at a time."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.cli import main

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
GOOD = (KNOWLEDGE / "actors" / "la-mijoteuse.yaml").read_text(encoding="utf-8")


def base(tmp_path: Path, actors: dict[str, str]) -> Path:
    """A knowledge base in ``tmp_path``: the real taxonomy, communes and sources, given actors."""
    root = tmp_path / "kb"
    (root / "actors").mkdir(parents=True)
    for name in ("taxonomy.yaml", "communes.json"):
        shutil.copy(KNOWLEDGE / name, root / name)
    shutil.copytree(KNOWLEDGE / "sources", root / "sources")
    for file, text in actors.items():
        (root / "actors" / file).write_text(text, encoding="utf-8")
    return root


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["check-kb", str(root), *extra])
    out, err = capsys.readouterr()
    return code, out, err + out


BROKEN = [
    ("yaml", GOOD.replace("kind: coworking", "kind: [coworking"), "(yaml)", "YAML syntax error"),
    ("stage", GOOD.replace("stages: [idea,", "stages: [dreaming,"), "stages[0]", "dreaming"),
    ("need", GOOD.replace("  premises: primary", "  parking: primary"), "needs.parking", "parking"),
    (
        "legal form",
        GOOD.replace("legal_forms: [undecided,", "legal_forms: [llc,"),
        "legal_forms[0]",
        "llc",
    ),
    (
        "email",
        GOOD.replace("christine.gouaux@mairie-colomiers.fr", "christine.gouaux@"),
        "contacts[0].email",
        "malformed e-mail",
    ),
    (
        "phone",
        GOOD.replace('"05 61 15 23 11"', '"05 61 15"'),
        "contacts[0].phone",
        "malformed French phone",
    ),
    (
        "insee",
        GOOD.replace('communes: ["31149"]', 'communes: ["99999"]'),
        "territory.communes[0]",
        "99999",
    ),
    ("missing", GOOD.replace("info_date: 2018\n", ""), "info_date", "missing required field"),
    ("kind", GOOD.replace("kind: coworking", "kind: castle"), "kind", "unknown kind"),
]


@pytest.mark.parametrize(("case", "text", "field", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_each_problem_names_file_line_and_field(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    text: str,
    field: str,
    message: str,
) -> None:
    root = base(tmp_path, {"la-mijoteuse.yaml": text})
    code, _, err = check(root, capsys)
    assert code == 2
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if f": {field}: " in line]
    assert lines, err
    file, line, _ = lines[0].split(":", 2)
    assert file.endswith("la-mijoteuse.yaml") and message in lines[0]
    if case not in ("missing", "yaml"):
        needle = {"need": "parking", "email": "christine.gouaux@", "phone": '"05 61 15"'}.get(
            case, re.escape(text.splitlines()[int(line) - 1].strip())[:6]
        )
        assert needle.replace("\\", "") in text.splitlines()[int(line) - 1]


def test_yaml_syntax_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = GOOD.replace("kind: coworking", "kind: [coworking")
    root = base(tmp_path, {"la-mijoteuse.yaml": text})
    _, _, err = check(root, capsys)
    assert re.search(r"la-mijoteuse\.yaml:\d+: \(yaml\): YAML syntax error", err)


def test_duplicate_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = base(tmp_path, {"la-mijoteuse.yaml": GOOD, "la-mijoteuse.yml": GOOD})
    code, _, err = check(root, capsys)
    assert code == 2 and "duplicate id «la-mijoteuse»" in err


def test_json_output_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = check(KNOWLEDGE, capsys, "--json")
    data = json.loads(out)
    assert code == 0 and data["problems"] == []
    assert {"id": "la-mijoteuse", "name": "La Mijoteuse", "info_date": 2018} in data["actors"]
    assert data["coverage"]["coworking"]["idea"] >= 1
    broken = base(tmp_path, {"la-mijoteuse.yaml": GOOD.replace("kind: coworking", "kind: x")})
    code, out, _ = check(broken, capsys, "--json")
    problem = json.loads(out)["problems"][0]
    assert code == 2 and set(problem) == {"file", "line", "field", "message"}
    assert problem["line"] == line_of(GOOD, "kind: coworking")


def test_summary_of_the_bundled_base(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = check(KNOWLEDGE, capsys)
    assert code == 0
    assert "25 actors" in out
    assert "test-activity" in out and "struggling" in out, "the need × stage matrix"
    assert "Stale records" in out and "toulouse-metropole" in out


def test_missing_path_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(tmp_path / "nowhere", capsys)
    assert code == 2 and "Traceback" not in err
    assert out.strip().endswith("path: no such knowledge-base directory")
    assert len(out.strip().splitlines()) == 1

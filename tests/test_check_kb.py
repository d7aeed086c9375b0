"""``aiguillage check-kb``: one broken base per kind of error, the summary, the JSON object."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.bundled import KB

from bot.cli import main
from bot.config import REPO_KNOWLEDGE
from bot.core.coverage import coverage
from bot.core.knowledge import KnowledgeBase
from bot.core.loader import load_knowledge, read_actor_file

SOURCE = "000_5c137a5c9ebb586d.txt"
# One valid actor; the line numbers below refer to this text.
GOOD = f"""\
id: test-actor
name: Test actor
kind: accompagnement
summary: {{fr: "Un acteur de test."}}
offers:
  - fr: "Conseil"
stages: [idea, building]
legal_forms: [association]
needs:
  advice: primary
territory:
  communes: ["31149"]
contacts:
  - email: test@example.org
    phone: "05 61 15 23 11"
    website: www.example.org
    year: 2018
    source: {SOURCE}
source: [{SOURCE}]
info_date: 2018
"""


pytestmark = pytest.mark.usefixtures("english_command_line")
"""These tests read the command line's messages in English."""


def make_base(root: Path, actors: dict[str, str]) -> Path:
    """A knowledge base with the real taxonomy, communes and sources, and ``actors``."""
    (root / "actors").mkdir(parents=True)
    for name in ("taxonomy.yaml", "communes.json"):
        shutil.copy(REPO_KNOWLEDGE / name, root / name)
    shutil.copytree(REPO_KNOWLEDGE / "sources", root / "sources")
    for file, text in actors.items():
        (root / "actors" / file).write_text(text, encoding="utf-8")
    return root


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check-kb", *args])
    out, err = capsys.readouterr()
    return code, out, err


def broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


CASES = [
    ("yaml", broken("name: Test actor", "name: Test: actor"), 2, "(yaml)", "YAML syntax error"),
    ("stage", broken("[idea, building]", "[idea, dreaming]"), 7, "stages[1]", "«dreaming»"),
    ("need", broken("  advice: primary", "  advice: primary\n  money: primary"), 11,
     "needs.money", "«money»"),
    ("legal form", broken("[association]", "[cooperative]"), 8, "legal_forms[0]",
     "«cooperative»"),
    ("e-mail", broken("test@example.org", "test@example"), 14, "contacts[0].email",
     "malformed e-mail"),
    ("phone", broken('"05 61 15 23 11"', '"05 61 15 23"'), 15, "contacts[0].phone",
     "malformed French phone number"),
    ("url", broken("www.example.org", "not a website"), 16, "contacts[0].website",
     "malformed website address"),
    ("insee", broken('["31149"]', '["31149", "99999"]'), 12, "territory.communes[1]",
     "unknown INSEE code «99999»"),
    ("missing", broken("name: Test actor\n", ""), 1, "name", "missing required field"),
    ("strength", broken("advice: primary", "advice: [primary]"), 10, "needs.advice",
     "primary or secondary"),
    ("long name", broken("name: Test actor", "name: " + "x" * 121), 2, "name",
     "too long: 121 characters, at most 120"),
    ("long offer", broken('  - fr: "Conseil"', f'  - fr: "{"y" * 301}"'), 6, "offers[0].fr",
     "too long"),
    ("null name", broken("name: Test actor", "name:"), 2, "name", "must be a non-empty text"),
    ("number name", broken("name: Test actor", "name: 12"), 2, "name", "non-empty text"),
    ("empty id", broken("id: test-actor", "id: ''"), 1, "id", "must be a non-empty text"),
    ("null kind", broken("kind: accompagnement", "kind: ~"), 3, "kind", "non-empty text"),
    ("location insee", broken("info_date: 2018\n", 'info_date: 2018\nlocation:\n  fr: "Colomiers"\n'
     '  communes: ["31149", "99999"]\n'), 23, "location.communes[1]", "unknown INSEE code «99999»"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "line", "field", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_kind_of_error_is_one_precise_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    line: int,
    field: str,
    message: str,
) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": text})
    code, out, err = check(capsys, str(root))
    assert code == 2
    assert out.splitlines() == [out.splitlines()[0]], "exactly one problem"
    prefix = f"{root / 'actors' / 'test-actor.yaml'}:{line}: {field}: "
    assert out.startswith(prefix) and message in out, out
    assert "Traceback" not in out + err


def test_a_duplicate_id_names_both_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD, "test-actor.yml": GOOD})
    code, out, _ = check(capsys, str(root))
    assert code == 2
    first, second = root / "actors" / "test-actor.yaml", root / "actors" / "test-actor.yml"
    assert out.strip() == f"{second}:1: id: duplicate id «test-actor» (also in {first})"


def test_every_problem_of_a_base_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actors = {
        f"case-{n}.yaml": c[1].replace("test-actor", f"case-{n}") for n, c in enumerate(CASES)
    }
    root = make_base(tmp_path / "kb", actors)
    code, out, err = check(capsys, str(root))
    assert code == 2
    assert len(out.splitlines()) == len(CASES)
    assert f"{len(CASES)} problems" in err


def test_json_lists_the_problems_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": CASES[1][1]})
    code, out, _ = check(capsys, str(root), "--json")
    data = json.loads(out)
    assert code == 2
    assert data == {
        "actors": [],
        "coverage": {},
        "uncovered_needs": [],
        "stale": [],
        "without_situations": [],
        "without_contact": [],
        "problems": [
            {
                "file": str(root / "actors" / "test-actor.yaml"),
                "line": 7,
                "field": "stages[1]",
                "message": data["problems"][0]["message"],
            }
        ],
    }


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_a_missing_path_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    missing = tmp_path / "nowhere"
    code, out, err = check(capsys, str(missing), *extra)
    assert code == 2 and "Traceback" not in out + err
    if extra:
        assert json.loads(out)["problems"] == [
            {"file": str(missing), "line": 0, "field": "path", "message": out.split('"')[-2]}
        ]
    else:
        assert out.splitlines() == [f"{missing}:0: path: no such knowledge-base directory"]


def test_a_base_without_taxonomy_is_one_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    (root / "taxonomy.yaml").unlink()
    code, out, _ = check(capsys, str(root))
    assert code == 2 and out.startswith(f"{root / 'taxonomy.yaml'}:0: (file): cannot be read")


def test_the_summary_of_the_bundled_base(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = check(capsys, str(REPO_KNOWLEDGE))
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == f"{REPO_KNOWLEDGE}: {len(KB.actors)} actors, no problem."
    header = lines.index("Actors per need and stage:") + 1
    assert lines[header].split() == list(KB.taxonomy.stages)
    matrix = coverage(KB, date.today().year).matrix
    for row, (need, counts) in zip(lines[header + 1 :], matrix.items(), strict=False):
        assert row.split() == [need, *(str(n) for n in counts.values())]
    assert "Needs with no actor: none." in lines
    unreachable = ", ".join(a.id for a in KB.actors if not a.reachable)
    assert "bge-sud-ouest" in unreachable
    said = "Actors with no published contact (ranked after an equivalent one that can be reached)"
    assert f"{said}: {unreachable}." in lines
    assert len(lines) < 60, "a summary, not one line per commune"


def test_the_summary_names_stale_records_and_uncovered_communes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    year = date.today().year
    fresh = GOOD.replace("test-actor", "fresh").replace("info_date: 2018", f"info_date: {year}")
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD, "fresh.yaml": fresh})
    code, out, _ = check(capsys, str(root))
    assert code == 0
    assert f"Stale records (information from before {year - 5}):" in out
    assert "  test-actor  2018" in out.splitlines() and "fresh " not in out
    assert "  585 covered by no actor: Agassac, Aignes," in out
    assert "Needs with no actor: funding, premises, coworking, test-activity" in out


def test_json_of_a_valid_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    code, out, _ = check(capsys, str(root), "--json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == [
        "actors",
        "coverage",
        "uncovered_needs",
        "stale",
        "without_situations",
        "without_contact",
        "problems",
    ]
    assert data["actors"] == [{"id": "test-actor", "name": "Test actor", "info_date": 2018}]
    assert data["coverage"]["advice"] == {
        "idea": 1,
        "building": 1,
        "launching": 0,
        "growing": 0,
        "struggling": 0,
    }
    assert set(data["coverage"]) == set(load_knowledge(root).taxonomy.needs)
    assert "advice" not in data["uncovered_needs"] and "funding" in data["uncovered_needs"]
    stale = date.today().year - 5 > 2018
    assert data["stale"] == ([{"id": "test-actor", "info_date": 2018}] if stale else [])
    assert data["problems"] == []
    assert data["without_contact"] == []


def test_default_path_comes_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    monkeypatch.setenv("AIGUILLAGE_KB", str(root))
    code, out, _ = check(capsys)
    assert code == 0 and out.startswith(f"{root}: 1 actor, no problem.")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 3000) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
FIELDS = [*yaml.safe_load(GOOD), "contacts.0", "needs.advice", "territory.communes"]


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return KB


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(FIELDS), value=JSON_VALUES)
def test_any_value_in_any_field_gives_problems_not_exceptions(
    bundled: KnowledgeBase, tmp_path: Path, field: str, value: Any
) -> None:
    data = yaml.safe_load(GOOD)
    parent, _, key = field.rpartition(".")
    if parent == "contacts":
        data["contacts"][0] = value
    elif parent:
        data[parent][key] = value
    else:
        data[key] = value
    path = tmp_path / "test-actor.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    actor, problems = read_actor_file(path, bundled.taxonomy, bundled.territory, {SOURCE})
    assert (actor is None) == bool(problems)
    assert all(p.line >= 1 and p.field for p in problems)


@pytest.mark.parametrize(
    "content",
    [
        "{",
        "[]",
        '{"communes": [["Albi", "81"]], "departments": {}, "postal_prefixes": {}}',
        '{"communes": [], "departments": {"81": 81}, "postal_prefixes": {}}',
    ],
)
def test_a_broken_towns_file_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    (root / "communes-france.json").write_text(content, encoding="utf-8")
    code, out, _ = check(capsys, str(root))
    assert code == 2
    (line,) = out.splitlines()
    assert line.startswith(f"{root / 'communes-france.json'}:")


def test_a_thesaurus_word_in_two_groups_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    (root / "thesaurus.yaml").write_text(
        "groups:\n  - [argent, sous]\n  - [prêt, sous]\n", encoding="utf-8"
    )
    code, out, _ = check(capsys, str(root))
    assert code == 2 and "thesaurus.yaml:3: groups[1]: «sous» is already in another group" in out

"""Files that are not what they should be: knowledge bases, databases and output paths made
for real on disk (FIFOs, /dev/zero, alias bombs, random bytes, read-only files…)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from support.command_line import aiguillage as cli
from test_check_kb import GOOD, make_base

from bot.config import REPO_KNOWLEDGE
from bot.core.knowledge import KnowledgeError
from bot.core.loader import load_knowledge

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)

HANG = 20.0
"""Seconds a hostile file may take before the test calls it a hang (speed is in make bench)."""


pytestmark = pytest.mark.usefixtures("english_command_line")
"""These tests read the command line's messages in English."""


def problems_of(root: Path) -> list[str]:
    """The problems ``load_knowledge`` reports, as printed lines (no other exception allowed)."""
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (ALIAS_BOMB, 1, "anchors and aliases (&, *) are not allowed"),
        ("id: x\nname: " + "[" * 5000 + "]" * 5000 + "\n", 2, "nested more than 20 levels"),
        (GOOD.replace("kind: accompagnement\n", "kind: accompagnement\nname: Twice\n"), 4,
         "duplicate key «name»"),
        ("id: x\n\x00\x01", 2, "YAML syntax error"),
    ],
    ids=["alias bomb", "deep nesting", "duplicate key", "control characters"],
)  # fmt: skip
def test_hostile_yaml_is_one_line_quickly(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD, "bad.yaml": text})
    started = time.monotonic()
    found = problems_of(root)
    assert time.monotonic() - started < HANG  # no hang (an expanding file takes minutes)
    assert len(found) == 1 and found[0].startswith(
        f"{root / 'actors' / 'bad.yaml'}:{line}: (yaml): "
    )
    assert message in found[0], found


def test_a_fifo_and_dev_zero_named_yaml_are_refused_without_hanging(tmp_path: Path) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    os.mkfifo(root / "actors" / "fifo.yaml")
    (root / "actors" / "zero.yaml").symlink_to("/dev/zero")
    (root / "actors" / "folder.yaml").mkdir()
    result = cli("check-kb", str(root))
    assert result.returncode == 2
    lines = sorted(result.stdout.splitlines())
    assert lines == [
        f"{root / 'actors' / name}:0: (file): not a regular file"
        for name in ("fifo.yaml", "folder.yaml", "zero.yaml")
    ]


def test_a_huge_file_is_refused(tmp_path: Path) -> None:
    huge = GOOD + "note: |\n" + ("  " + "x" * 98 + "\n") * 3000
    root = make_base(tmp_path / "kb", {"test-actor.yaml": huge})
    (found,) = problems_of(root)
    assert ":0: (file): larger than 256000 bytes" in found


def test_hidden_files_are_not_part_of_the_base(tmp_path: Path) -> None:
    root = make_base(
        tmp_path / "kb", {"test-actor.yaml": GOOD, ".#test-actor.yaml": "{{{", "._x.yaml": "\x00"}
    )
    kb = load_knowledge(root)
    assert [a.id for a in kb.actors] == ["test-actor"]


def test_a_base_without_sources_is_refused(tmp_path: Path) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    shutil.rmtree(root / "sources")
    assert problems_of(root) == [
        f"{root / 'sources'}:0: sources: missing folder: every fact cites a document in it"
    ]


def taxonomy_with(change: str, old: str) -> str:
    text = (REPO_KNOWLEDGE / "taxonomy.yaml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, change, 1)


IDEA_SYNONYMS = next(
    line + "\n"
    for line in (REPO_KNOWLEDGE / "taxonomy.yaml").read_text(encoding="utf-8").splitlines()
    if line.startswith("      fr: [idee,")
)
TAXONOMY_CASES = [
    ("stages list", taxonomy_with("stages: [idea]\nold_stages:", "stages:"), "stages"),
    ("label int", taxonomy_with('    fr: 12\n', '    fr: "J\'ai une idée"\n'), "stages.idea"),
    ("label en list", taxonomy_with('    en: [x]\n', '    en: "I have an idea"\n'),
     "stages.idea.en"),
    ("synonyms list", taxonomy_with("    synonyms: [a, b]\n    old_synonyms:\n", "    synonyms:\n"),
     "stages.idea.synonyms"),
    ("synonyms str", taxonomy_with("      fr: idee\n", IDEA_SYNONYMS),
     "stages.idea.synonyms"),
    ("synonym int", taxonomy_with("      fr: [1, 2]\n", IDEA_SYNONYMS),
     "stages.idea.synonyms"),
    ("root list", "- stages\n- needs\n", "taxonomy"),
    ("empty", "", "taxonomy"),
    ("needs null", taxonomy_with("needs: ~\nold_needs:", "needs:"), "needs"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "field"), [c[1:] for c in TAXONOMY_CASES], ids=[c[0] for c in TAXONOMY_CASES]
)
def test_wrong_types_in_the_taxonomy_are_one_line(tmp_path: Path, text: str, field: str) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    (root / "taxonomy.yaml").write_text(text, encoding="utf-8")
    (found,) = problems_of(root)
    head, _, rest = found.partition(": ")
    assert head.startswith(f"{root / 'taxonomy.yaml'}:"), found
    assert rest.startswith(f"{field}: ") or rest.startswith("(yaml): duplicate"), found


BAD_VALUES: list[Any] = [None, 5, "", [], {}, True, ["x"], "x" * 200, 3.5, -1]
COMMUNE_FIELDS = ("insee", "name", "postal_codes", "epci", "epci_name", "population")


def commune_shapes() -> list[tuple[str, str, str]]:
    """(id, communes.json text, field expected in the message): about 80 shapes."""
    data = json.loads((REPO_KNOWLEDGE / "communes.json").read_text(encoding="utf-8"))
    shapes: list[tuple[str, str, str]] = []
    for name in COMMUNE_FIELDS:
        for index, value in enumerate(BAD_VALUES):
            if name == "epci_name" and isinstance(value, str):
                continue  # any text is a valid EPCI name
            if name == "population" and (value is None or value == 5):
                continue
            changed = json.loads(json.dumps(data))
            changed["communes"][1][name] = value
            shapes.append((f"{name}-{index}", json.dumps(changed, indent=1), f"communes[1].{name}"))
        changed = json.loads(json.dumps(data))
        del changed["communes"][1][name]
        if name not in ("epci_name", "population"):
            shapes.append((f"{name}-missing", json.dumps(changed, indent=1), f"communes[1].{name}"))
    first = json.dumps(data["communes"][0])
    for label, text, field in [
        ("list", "[]", "communes"), ("object", "{}", "communes"), ("null", "null", "communes"),
        ("string", '"communes"', "communes"), ("communes-object", '{"communes": {}}', "communes"),
        ("communes-empty", '{"communes": []}', "communes"),
        ("entry-number", '{"communes": [1]}', "communes[0].(entry)"),
        ("entry-list", '{"communes": [[]]}', "communes[0].(entry)"),
        ("entry-null", f'{{"communes": [{first}, null]}}', "communes[1].(entry)"),
        ("duplicate-insee", f'{{"communes": [{first}, {first}]}}', "communes[1].insee"),
        ("duplicate-key", '{"communes": [], "communes": []}', "(json)"),
        ("truncated", json.dumps(data)[:5000], "(json)"),
        ("deep", "[" * 100_000 + "]" * 100_000, "(json)"),
        ("not-json", "insee;name\n31555;Toulouse\n", "(json)"),
        ("nan", '{"communes": NaN}', "communes"),
        ("postal-int", json.dumps({"communes": [{**data["communes"][0], "postal_codes": [31230]}]}),
         "communes[0].postal_codes"),
        ("insee-int", json.dumps({"communes": [{**data["communes"][0], "insee": 31001}]}),
         "communes[0].insee"),
    ]:  # fmt: skip
        shapes.append((label, text, field))
    return shapes


SHAPES = commune_shapes()


def test_there_are_about_80_commune_shapes() -> None:
    assert len(SHAPES) >= 70


@pytest.mark.parametrize(("text", "field"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_every_shape_of_a_bad_communes_file_is_one_line(
    tmp_path: Path, text: str, field: str
) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    (root / "communes.json").write_text(text, encoding="utf-8")
    started = time.monotonic()
    (found,) = problems_of(root)
    assert time.monotonic() - started < HANG  # no hang (speed is in make bench)
    assert found.startswith(f"{root / 'communes.json'}:"), found
    assert f": {field}: " in found, found


def test_the_line_of_a_bad_commune_is_given(tmp_path: Path) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    data = json.loads((REPO_KNOWLEDGE / "communes.json").read_text(encoding="utf-8"))
    data["communes"][2]["name"] = 3
    text = json.dumps(data, indent=1)
    (root / "communes.json").write_text(text, encoding="utf-8")
    (found,) = problems_of(root)
    name_line = next(n for n, t in enumerate(text.splitlines(), 1) if '"name": 3' in t)
    entry_line = name_line - 2  # the entry's "{", then "insee", then "name"
    assert found.startswith(f"{root / 'communes.json'}:{entry_line}: communes[2].name: "), found


def one_line_exit_2(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def demo_database(path: Path) -> Path:
    assert cli("demo-data", "--db", str(path), "--conversations", "20").returncode == 0
    return path


SECRET_ENV = {"AIGUILLAGE_SECRET": "z" * 32}


@pytest.fixture(scope="module")
def good_database(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a demo database, written once for the commands below."""
    return demo_database(tmp_path_factory.mktemp("good") / "good.sqlite3").read_bytes()


@pytest.mark.parametrize("command", ["report", "forget", "chat"])
def test_database_files_that_are_not_databases(
    tmp_path: Path, command: str, good_database: bytes
) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(good_database[:4096] + os.urandom(len(good_database) - 4096))
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good_database[:3000])
    random_bytes = tmp_path / "random.sqlite3"
    random_bytes.write_bytes(os.urandom(8192))
    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    cases = {
        random_bytes: "not an SQLite database",
        truncated: "",  # refused as damaged or as not a database, depending on where it is cut
        damaged: "damaged database",
        folder: "not a regular file",
        Path("/dev/null"): "not a regular file",
    }
    for path, message in cases.items():
        before = path.read_bytes() if path.is_file() else None
        args = {"report": ["report", "--db", str(path)],
                "forget": ["forget", "--user-id", "1", "--db", str(path)],
                "chat": ["chat"]}[command]  # fmt: skip
        result = cli(*args, env=SECRET_ENV | {"AIGUILLAGE_DB": str(path)})
        if command != "chat" and not path.is_file():
            assert result.returncode == 2 and "no database" in result.stderr
            continue
        one_line_exit_2(result, str(path), message)
        if before is not None:
            assert path.read_bytes() == before, "a refused file is never modified"


def test_another_applications_sqlite_is_never_modified(tmp_path: Path) -> None:
    import sqlite3

    with_tables = tmp_path / "other.sqlite3"
    with sqlite3.connect(with_tables) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        db.execute("INSERT INTO notes (text) VALUES ('à garder')")
    db.close()
    with_id = tmp_path / "tagged.sqlite3"
    with sqlite3.connect(with_id) as db:
        db.execute("PRAGMA application_id = 1234")
    db.close()
    for path in (with_tables, with_id):
        before = path.read_bytes()
        for args in (
            ["report", "--db", str(path)],
            ["forget", "--user-id", "1", "--db", str(path)],
            ["chat"],
        ):
            result = cli(*args, env=SECRET_ENV | {"AIGUILLAGE_DB": str(path)})
            one_line_exit_2(result, "another application", "left untouched")
        assert path.read_bytes() == before
        assert not Path(f"{path}-wal").exists()


def test_a_newer_schema_is_one_line(tmp_path: Path) -> None:
    import sqlite3

    from bot.storage.schema import APPLICATION_ID

    path = demo_database(tmp_path / "future.sqlite3")
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA user_version = 42")
    db.close()
    one_line_exit_2(cli("report", "--db", str(path)), "schema version 42 is newer")


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Any:
    """A 1 MB tmpfs mounted in ``tmp_path`` (skipped where mounting is not allowed)."""
    point = tmp_path / "mnt"
    point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_read_only_file_system_is_one_line(small_tmpfs: Path) -> None:
    demo_database(small_tmpfs / "bot.sqlite3")
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    for args in (["forget", "--user-id", "1"], ["chat"]):
        result = cli(*args, env=SECRET_ENV | {"AIGUILLAGE_DB": str(small_tmpfs / "bot.sqlite3")})
        one_line_exit_2(result, "bot.sqlite3")


def test_a_full_disk_leaves_no_empty_key_file(small_tmpfs: Path) -> None:
    filler = small_tmpfs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    with contextlib.suppress(OSError):
        for _ in range(1000):  # 1 MB fills up long before 4 MB
            os.write(fd, b"x" * 4096)
    os.close(fd)
    env = {"AIGUILLAGE_DB": str(small_tmpfs / "bot.sqlite3")}
    result = cli("chat", env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert not (small_tmpfs / "bot.sqlite3.secret").exists()
    assert [p.name for p in small_tmpfs.iterdir() if "secret" in p.name] == []
    filler.unlink()
    result = cli("chat", env=env, stdin="/quit\n")
    assert result.returncode == 0, result.stderr
    assert len((small_tmpfs / "bot.sqlite3.secret").read_bytes()) == 64


def test_report_and_link_outputs_never_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    db = demo_database(tmp_path / "bot.sqlite3")
    key = tmp_path / "bot.sqlite3.secret"
    key.write_text("k" * 64)
    for name in ("AIGUILLAGE_SECRET", "AIGUILLAGE_KB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AIGUILLAGE_DB", str(db))
    monkeypatch.setenv("AIGUILLAGE_BOT_USERNAME", "aiguillage_bot")

    def refused(*args: str) -> str:
        assert main(list(args)) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        return err

    kept = {path: path.read_bytes() for path in (db, key)}
    for target in (
        db,
        Path(f"{db}-wal"),
        Path(f"{db}-shm"),
        key,
        tmp_path / "bot.sqlite3.heartbeat",
    ):
        for force in ([], ["--force"]):
            assert "refused" in refused("report", "--db", str(db), "--out", str(target), *force)
    (tmp_path / "db.png").symlink_to(db)
    assert "refused" in refused(
        "link", "--source", "x", "--out", str(tmp_path / "db.png"), "--force"
    )
    assert {path: path.read_bytes() for path in kept} == kept
    existing = tmp_path / "report.txt"
    existing.write_text("précieux")
    assert "--force" in refused("report", "--db", str(db), "--out", str(existing))
    assert existing.read_text() == "précieux"
    assert main(["report", "--db", str(db), "--out", str(existing), "--force"]) == 0
    capsys.readouterr()
    assert existing.read_text() != "précieux"
    assert "folder" in refused("report", "--db", str(db), "--out", str(tmp_path))
    missing = tmp_path / "nope" / "r.txt"
    assert "does not exist" in refused("report", "--db", str(db), "--out", str(missing))
    poster = tmp_path / "poster.png"
    poster.write_bytes(b"old")
    assert "--force" in refused("link", "--source", "x", "--out", str(poster))
    assert main(["link", "--source", "x", "--out", str(poster), "--force"]) == 0
    assert poster.read_bytes().startswith(b"\x89PNG")


def test_report_and_demo_data_name_a_bad_commune_file(tmp_path: Path) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD})
    (root / "communes.json").write_text('{"communes": [1]}', encoding="utf-8")
    db = demo_database(tmp_path / "bot.sqlite3")
    env = {"AIGUILLAGE_KB": str(root)}
    one_line_exit_2(cli("report", "--db", str(db), env=env), "communes.json:1: communes[0].(entry)")
    one_line_exit_2(
        cli("demo-data", "--db", str(tmp_path / "d.sqlite3"), "--conversations", "2", env=env),
        "communes.json:1: communes[0].(entry)",
    )

"""What the command line says about files and settings, in French by default and in English with
``--lang en``: the loader's ``file:line: field: message`` lines and the configuration's errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.command_line import LOCALE, SETTINGS, aiguillage
from test_check_kb import GOOD, make_base

from bot.commands import COMMANDS


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``aiguillage ARGS`` with no locale: French unless ``--lang en`` (or ``env``) says."""
    return aiguillage(*args, env=env, without=(*SETTINGS, *LOCALE))


@pytest.mark.parametrize(
    ("lang", "fifo", "year", "unknown"),
    [
        ([], "n'est pas un fichier ordinaire", "doit être une année entre 1990 et",
         "champ inconnu ; champs possibles : id, name"),
        (["--lang", "en"], "not a regular file", "must be a year between 1990 and",
         "unknown field; expected: id, name"),
    ],
    ids=["fr", "en"],
)  # fmt: skip
def test_check_kb_speaks_the_command_lines_language(
    tmp_path: Path, lang: list[str], fifo: str, year: str, unknown: str
) -> None:
    bad = GOOD.replace("kind: accompagnement\n", "kind: accompagnement\ncolour: blue\n")
    root = make_base(tmp_path / "kb", {"test-actor.yaml": bad.replace("2018", "1789", 1)})
    os.mkfifo(root / "actors" / "fifo.yaml")
    result = cli(*lang, "check-kb", str(root))
    assert result.returncode == 2, result.stderr
    actor = root / "actors" / "test-actor.yaml"
    lines = result.stdout.splitlines()
    assert f"{root / 'actors' / 'fifo.yaml'}:0: (file): {fifo}" in lines
    assert any(line.startswith(f"{actor}:") and f": {year} " in line for line in lines), lines
    assert any(line.startswith(f"{actor}:4: colour: {unknown}") for line in lines), lines


@pytest.mark.parametrize(
    ("lang", "port", "coordinator"),
    [
        ([], "doit être entre 1 et 65535, et non 70000",
         "«²» n'est pas un identifiant Telegram (des chiffres seulement)"),
        (["--lang", "en"], "must be between 1 and 65535, got 70000",
         "«²» is not a Telegram user id (digits only)"),
    ],
    ids=["fr", "en"],
)  # fmt: skip
def test_a_configuration_error_speaks_the_command_lines_language(
    tmp_path: Path, lang: list[str], port: str, coordinator: str
) -> None:
    db = {"AIGUILLAGE_DB": str(tmp_path / "db")}
    result = cli(*lang, "chat", env=db | {"AIGUILLAGE_WEBHOOK_PORT": "70000"})
    assert result.returncode == 2
    assert result.stderr == f"aiguillage: AIGUILLAGE_WEBHOOK_PORT: {port}\n"
    result = cli(*lang, "chat", env=db | {"AIGUILLAGE_COORDINATORS": "²"})
    assert result.stderr == f"aiguillage: AIGUILLAGE_COORDINATORS: {coordinator}\n"


def test_the_locale_chooses_english_for_the_loader_too(tmp_path: Path) -> None:
    root = make_base(tmp_path / "kb", {"test-actor.yaml": GOOD, "bomb.yaml": "a: &a [1]\nb: *a\n"})
    result = cli("check-kb", str(root), env={"LANG": "en_GB.UTF-8"})
    assert result.returncode == 2
    assert result.stdout.startswith(
        f"{root / 'actors' / 'bomb.yaml'}:1: (yaml): YAML syntax error:"
    )
    assert "anchors and aliases (&, *) are not allowed" in result.stdout


FIXTURES = Path(__file__).parent / "fixtures" / "datainclusion"


@pytest.mark.parametrize(
    ("lang", "merged", "outside"),
    [
        ([], "fiche 2 (autre--cae-bis) fusionnée avec la fiche 1 (fixture--cae) : même SIRET",
         "(fixture--albi-idee): zone_eligibilite hors de notre territoire"),
        (["--lang", "en"],
         "record 2 (autre--cae-bis) merged with record 1 (fixture--cae): same SIRET",
         "(fixture--albi-idee): zone_eligibilite outside our territory"),
    ],
    ids=["fr", "en"],
)  # fmt: skip
def test_the_open_data_import_reports_each_record_in_the_command_lines_language(
    tmp_path: Path, lang: list[str], merged: str, outside: str
) -> None:
    result = cli(
        *lang,
        "import-datainclusion",
        str(FIXTURES / "structures.json"),
        str(FIXTURES / "services.json"),
        "--out",
        str(tmp_path / "kb"),
    )
    assert result.returncode == 0, result.stderr
    assert merged in result.stdout
    assert outside in result.stdout


@pytest.mark.parametrize(
    ("lang", "said"),
    [([], "hors service : pas de fichier de pulsation"),
     (["--lang", "en"], "unhealthy: no heartbeat file")],
    ids=["fr", "en"],
)  # fmt: skip
def test_health_speaks_the_command_lines_language(
    tmp_path: Path, lang: list[str], said: str
) -> None:
    result = cli(*lang, "health", env={"AIGUILLAGE_DB": str(tmp_path / "bot.sqlite3")})
    assert result.returncode == 1 and result.stderr.startswith(said), result.stderr


def test_a_command_imports_its_own_module_only() -> None:
    """``forget`` loads neither the dialogue nor Telegram; every command is still listed."""
    code = (
        "import sys, bot.cli; parser = bot.cli.build_parser('forget');"
        "print(sorted(m for m in ('telegram', 'bot.core.dialogue', 'bot.commands.chat',"
        " 'bot.commands.forget') if m in sys.modules)); parser.print_help()"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    loaded, *help_lines = found.stdout.splitlines()
    assert loaded == "['bot.commands.forget']", loaded
    listed = {line.split()[0] for line in help_lines if line.startswith("    ") and line.split()}
    assert {command.name for command in COMMANDS} <= listed, listed

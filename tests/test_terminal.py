"""The terminal chat, driven through piped standard input like a script would."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from support.command_line import aiguillage


def chat(tmp_path: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    """The terminal chat on a database of its own in ``tmp_path``, the ``lines`` piped in."""
    env = {"AIGUILLAGE_DB": str(tmp_path / "chat.sqlite3"), "AIGUILLAGE_SECRET": "t" * 32}
    return aiguillage("chat", *args, env=env, stdin="\n".join(lines) + "\n")


def rows(tmp_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(tmp_path / "chat.sqlite3") as db:
        return db.execute(sql).fetchall()


def test_numbered_choices_and_typed_commune(tmp_path: Path) -> None:
    # stage 1 (idea), legal form 3 (SCOP), need 6 (coop-status), 13 (Valider), commune, Passer
    done = chat(tmp_path, ["1", "3", "6", "13", "Colomiers", "1", "1"], "--source", "accueil")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert (
        "[1] J'ai une idée" in out
        and "✓ J'ai une idée · SCOP · Créer une coopérative · Colomiers" in out
    )
    assert "Union Régionale des SCOP" in out and "Information de" in out
    assert "Merci" in out
    assert "Traceback" not in done.stderr
    assert rows(
        tmp_path, "SELECT source, stage, legal_form, commune, outcome, feedback FROM conversations"
    ) == [("accueil", "idea", "scop", "31149", "completed", "useful")]


def test_free_text_and_quit(tmp_path: Path) -> None:
    done = chat(tmp_path, ["je cherche un coworking à Colomiers", "2", "/quit", "never read"])
    assert done.returncode == 0
    assert "Voici ce que j'ai compris" in done.stdout and "Colomiers" in done.stdout
    ((outcome, free_text),) = rows(tmp_path, "SELECT outcome, free_text FROM conversations")
    assert outcome == "abandoned" and free_text is None, "consent refused: no text kept"


def test_odd_input_and_eof(tmp_path: Path) -> None:
    done = chat(tmp_path, ["99", "/nimportequoi", "", "blabla"])
    assert done.returncode == 0
    assert "Je ne connais pas cette commande" in done.stdout
    assert "Je n'ai pas bien compris" in done.stdout
    assert done.stdout.count("Où en est votre projet") >= 3, "the question comes back"


def test_invalid_source_is_refused(tmp_path: Path) -> None:
    done = chat(tmp_path, [], "--source", "<script>")
    assert done.returncode == 2 and "--source" in done.stderr


def test_a_long_piped_script_is_not_throttled(tmp_path: Path) -> None:
    done = chat(tmp_path, ["/aide"] * 25 + ["1"])
    assert done.returncode == 0
    assert "beaucoup de messages" not in done.stdout
    assert "✓ J'ai une idée" in done.stdout, "the last line was still read"


def test_my_data_and_forget_are_the_same_screens_as_on_telegram(tmp_path: Path) -> None:
    done = chat(tmp_path, ["1", "/mesdonnees", "/oubli", "2", "/oubli", "1"])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Vos conversations (1)" in out and "J'ai une idée" in out and "365 jours" in out
    assert "[1] Oui, tout effacer" in out and "je ne touche à rien" in out
    assert "C'est fait : j'ai effacé 1 conversation" in out
    assert rows(tmp_path, "SELECT COUNT(*) FROM conversations") == [(0,)]
    assert rows(tmp_path, "SELECT COUNT(*) FROM dialogue_state") == [(0,)]

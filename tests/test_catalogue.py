"""The message catalogue: same keys and placeholders in every language, every key used literally,
plurals, locale-aware numbers and dates, and the command line's one language."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.cli import main
from bot.core.catalogue import LANGUAGES, LOCALES, Catalogue, Markup, bundled

ROOT = Path(__file__).resolve().parent.parent
CODE = sorted((ROOT / "bot").rglob("*.py"))
KEY_SHAPE = re.compile(r"[a-z_]+(?:\.[a-z0-9_-]+)*")
KEY_ARGUMENT = {
    "text": 1,
    "plural": 1,
    "phrase": 0,
    "phrase_count": 0,
    "say": 0,
    "say_count": 0,
    "Reason": 0,
}
"""Calls that take a catalogue key, and the position of the key among their arguments."""
COUNTING = {"plural", "phrase_count", "say_count"}
"""Of those, the calls that take a counted message (one form per plural)."""
CATALOGUE_METHODS = {"text", "plural"}
"""Of those, the methods of a :class:`Catalogue` (on ``cat``, ``self.cat``, ``bundled()``)."""


def po(lang: str) -> Catalog:
    with (LOCALES / f"{lang}.po").open("rb") as file:
        return read_po(file, locale=lang)


def forms(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Each key and its text (one form, or one per plural)."""
    found = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        found[str(key)] = tuple(texts)
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def tags(text: str) -> list[str]:
    return sorted(re.findall(r"</?[a-z]+", text))


def literal_strings() -> set[str]:
    """Every string constant of the bot's code."""
    found: set[str] = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def key_arguments() -> list[tuple[str, int, str, ast.expr]]:
    """``(file, line, call, argument)`` for each key argument of a catalogue call in the code."""
    found = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in CATALOGUE_METHODS and not (
                isinstance(func, ast.Attribute)
                and re.search(r"cat$|^bundled\(\)$", ast.unparse(func.value))
            ):
                continue
            index = KEY_ARGUMENT.get(name)
            if index is not None and len(node.args) > index:
                found.append((str(path.relative_to(ROOT)), node.lineno, name, node.args[index]))
    return found


def test_every_language_has_the_same_keys_placeholders_and_markup() -> None:
    french = forms(po("fr"))
    assert len(french) > 200
    for lang in LANGUAGES:
        catalog = po(lang)
        found = forms(catalog)
        assert found.keys() == french.keys(), lang
        for key, texts in found.items():
            assert all(t.strip() for t in texts), f"{lang} {key}: empty text"
            assert len(texts) in (1, catalog.num_plurals), f"{lang} {key}"
            assert len(texts) == 1 or len(french[key]) > 1, f"{lang} {key}: plural in one only"
            reference = placeholders(french[key][-1])
            for text in texts:
                assert placeholders(text) == reference, f"{lang} {key}: {text}"
                assert tags(text) == tags(french[key][-1]), f"{lang} {key}: {text}"


def test_every_key_is_written_in_the_code_and_every_written_key_exists() -> None:
    keys = set(forms(po("fr")))
    literals = literal_strings()
    unused = sorted(keys - literals)
    assert not unused, f"keys no code uses: {unused}"
    counted = {key for key, texts in forms(po("fr")).items() if len(texts) > 1}
    missing, built, miscounted = [], [], []
    for file, line, call, argument in key_arguments():
        if isinstance(argument, ast.JoinedStr):
            built.append(f"{file}:{line}")
        if not (
            isinstance(argument, ast.Constant)
            and isinstance(argument.value, str)
            and KEY_SHAPE.fullmatch(argument.value)
        ):
            continue
        if argument.value not in keys:
            missing.append(f"{file}:{line}: {argument.value}")
        elif (argument.value in counted) != (call in COUNTING):
            miscounted.append(f"{file}:{line}: {call}({argument.value!r})")
    assert not missing, f"keys the catalogue lacks: {missing}"
    assert not built, f"keys built with an f-string: {built}"
    assert not miscounted, f"a counted message without its count, or the reverse: {miscounted}"


def test_plurals_follow_each_language() -> None:
    cat = bundled()
    assert cat.plural("fr", "cli.report.written", 0, out="r") == "r : 0 conversation"
    assert cat.plural("fr", "cli.report.written", 1, out="r") == "r : 1 conversation"
    assert cat.plural("fr", "cli.report.written", 2, out="r") == "r : 2 conversations"
    assert cat.plural("en", "cli.report.written", 0, out="r") == "r: 0 conversations"
    assert cat.plural("en", "cli.report.written", 1, out="r") == "r: 1 conversation"
    assert cat.plural("en", "cli.report.written", 12345, out="r") == "r: 12,345 conversations"
    assert cat.plural("fr", "cli.report.written", 12345, out="r") == "r : 12\u202f345 conversations"


def test_numbers_percentages_and_dates_are_written_as_each_language_does() -> None:
    cat = bundled()
    assert cat.number("fr", 1234567) == "1\u202f234\u202f567"
    assert cat.number("en", 1234567) == "1,234,567"
    assert cat.number("fr", 2.5) == "2,5"
    assert cat.percent("fr", 0.675) == "68\u00a0%"
    assert cat.percent("en", 0.675) == "68%"
    assert cat.date("fr", date(2025, 1, 31)) == "31 janv. 2025"
    assert cat.date("en", date(2025, 1, 31)) == "Jan 31, 2025"


def test_values_are_escaped_and_markup_is_kept() -> None:
    cat = bundled()
    text = cat.text("fr", "card.title", rank=1, name="<b>A & B</b>")
    assert isinstance(text, Markup)
    assert text == "<b>1. &lt;b&gt;A &amp; B&lt;/b&gt;</b>"
    assert cat.text("en", "card.title", rank=1, name=Markup("<i>x</i>")) == "<b>1. <i>x</i></b>"


def write_po(path: Path, lang: str, entries: str) -> None:
    path.write_text(
        f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n'
        f'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n{entries}',
        encoding="utf-8",
    )


def test_a_key_english_lacks_falls_back_to_french_and_an_unknown_key_is_an_error(
    tmp_path: Path,
) -> None:
    write_po(
        tmp_path / "fr.po", "fr", 'msgid "a"\nmsgstr "Bonjour {name}"\n\nmsgid "b"\nmsgstr "B"\n'
    )
    write_po(tmp_path / "en.po", "en", 'msgid "b"\nmsgstr "Bee"\n')
    cat = Catalogue.load(tmp_path)
    assert cat.text("en", "a", name="Léa") == "Bonjour Léa"
    assert cat.text("en", "b") == "Bee"
    assert cat.text("de", "b") == "B"
    with pytest.raises(KeyError):
        cat.text("en", "nowhere")


@pytest.fixture
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_locale")
def test_the_command_line_speaks_french_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("utilisation : aiguillage report")
    assert "premier jour compris" in out
    assert "afficher cette aide et quitter" in out
    assert main(["report", "--db", "/nonexistent/x.sqlite3"]) == 2
    assert "pas de base de données à /nonexistent/x.sqlite3" in capsys.readouterr().err


@pytest.mark.usefixtures("no_locale")
def test_lang_en_anywhere_switches_everything_to_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--lang", "en", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: aiguillage report")
    assert "first day included" in out
    assert "show this help and exit" in out
    assert main(["--lang=en", "report", "--since", "hier"]) == 2
    assert capsys.readouterr().err == (
        "aiguillage report: --since: «hier» is not a date YYYY-MM-DD\n"
    )


@pytest.mark.parametrize(
    ("environment", "english"),
    [
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, True),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, False),
        ({"LANG": "C.UTF-8"}, False),
    ],
)
@pytest.mark.usefixtures("no_locale")
def test_the_locale_chooses_english(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    environment: dict[str, str],
    english: bool,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert main(["demo-data", "--db", "x.sqlite3", "--conversations", "0"]) == 2
    expected = "--conversations must be at least 1" if english else "--conversations : au moins 1"
    assert capsys.readouterr().err == f"aiguillage demo-data: {expected}\n"


@pytest.mark.usefixtures("no_locale")
def test_lang_on_the_command_line_wins_over_the_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("AIGUILLAGE_DB", str(tmp_path / "no-bot.sqlite3"))
    assert main(["health", "--lang", "fr"]) == 1
    assert capsys.readouterr().err.startswith("hors service : ")


@pytest.mark.usefixtures("no_locale")
def test_a_bad_language_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["report", "--lang", "de"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "aiguillage : erreur : argument --lang" in err
    assert "Traceback" not in err

"""Deep links and posters, through the library and the ``aiguillage link`` command."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from bot.cli import main
from bot.reports.phrases import phrase
from bot.reports.poster import deep_link, poster_png, poster_svg

PNG = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
LINK = "https://t.me/AiguillageBot?start=affiche-mijoteuse"


pytestmark = pytest.mark.usefixtures("english_command_line")
"""These tests read the command line's messages in English."""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AIGUILLAGE_BOT_USERNAME", "AIGUILLAGE_KB", "AIGUILLAGE_DB"):
        monkeypatch.delenv(name, raising=False)


def test_deep_link() -> None:
    assert deep_link("AiguillageBot", "affiche-mijoteuse") == LINK
    assert deep_link("@AiguillageBot", "A_b-9") == "https://t.me/AiguillageBot?start=A_b-9"
    for bad in ("", "avec espace", "é", "a" * 65, "a/b"):
        with pytest.raises(ValueError, match="64"):
            deep_link("AiguillageBot", bad)


def test_png_poster() -> None:
    data = poster_png(LINK, "affiche-mijoteuse")
    assert data.startswith(PNG)
    image = Image.open(io.BytesIO(data))
    assert image.size == (1240, 1754)
    assert image.convert("L").getextrema() == (0, 255)
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.1)


def test_svg_poster_parses_and_carries_link_and_explanation() -> None:
    svg = poster_svg(LINK, "affiche-mijoteuse")
    root = ET.fromstring(svg.encode())
    assert root.tag == f"{SVG_NS}svg"
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))
    assert LINK in texts
    assert "affiche-mijoteuse" in texts
    lines = [tspan.text or "" for tspan in root.iter(f"{SVG_NS}tspan")]
    assert len(lines) > 1
    explanation = phrase("poster.explanation", "fr")
    assert " ".join(lines) == explanation
    assert "économie sociale et solidaire" in explanation
    assert len(list(root.iter(f"{SVG_NS}path"))) == 1


def test_link_command_prints_the_link(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "--source", "affiche-mijoteuse", "--bot-username", "AiguillageBot"]) == 0
    assert capsys.readouterr().out == LINK + "\n"


def test_link_command_reads_the_username_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AIGUILLAGE_BOT_USERNAME", "@AiguillageBot")
    assert main(["link", "--source", "flyer"]) == 0
    assert capsys.readouterr().out.strip() == "https://t.me/AiguillageBot?start=flyer"


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_link_command_writes_posters(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"affiche{suffix}"
    args = ["link", "--source", "affiche-mijoteuse", "--bot-username", "AiguillageBot"]
    assert main([*args, "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == LINK
    if suffix == ".png":
        assert out.read_bytes().startswith(PNG)
    else:
        assert ET.parse(out).getroot().tag == f"{SVG_NS}svg"


@pytest.mark.parametrize("source", ["avec espace", "x" * 65, "accentué", ""])
def test_link_command_rejects_bad_sources(source: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "--source", source, "--bot-username", "AiguillageBot"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "A-Z, a-z, 0-9" in captured.err
    assert "64" in captured.err


def test_link_command_needs_a_username(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "--source", "flyer"]) == 2
    assert "AIGUILLAGE_BOT_USERNAME" in capsys.readouterr().err


def test_link_command_rejects_bad_username_and_file_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["link", "--source", "flyer", "--bot-username", "a b"]) == 2
    assert "not a Telegram username" in capsys.readouterr().err
    out = tmp_path / "affiche.pdf"
    args = ["link", "--source", "flyer", "--bot-username", "AiguillageBot", "--out", str(out)]
    assert main(args) == 2
    assert ".png or .svg" in capsys.readouterr().err
    assert not out.exists()

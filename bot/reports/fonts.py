"""Fonts for the poster: matplotlib's bundled DejaVu Sans, else a system sans-serif.

Pillow's built-in font has no accented letters; when it is the only font available, text is
folded to plain ASCII letters (``é`` → ``e``) rather than drawn as empty boxes.
"""

from __future__ import annotations

import functools
import importlib.util
import unicodedata
from pathlib import Path

from PIL import ImageFont

FONT_FILES = (
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "NotoSans-Regular.ttf",
    "Arial.ttf",
    "arial.ttf",
)
_ASCII = str.maketrans({"—": "-", "–": "-", "œ": "oe", "Œ": "OE", "æ": "ae", "€": "EUR"})

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _bundled() -> str | None:
    """matplotlib's copy of DejaVu Sans, found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return str(path) if path.is_file() else None


@functools.cache
def font_file() -> str | None:
    """matplotlib's DejaVu Sans, or the first of :data:`FONT_FILES` Pillow can find, or None."""
    for name in (_bundled(), *FONT_FILES):
        if name is None:
            continue
        try:
            ImageFont.truetype(name, 12)
        except OSError:
            continue
        return name
    return None


def font(size: int) -> Font:
    """A sans-serif font of ``size`` pixels."""
    name = font_file()
    return ImageFont.truetype(name, size) if name else ImageFont.load_default(size=size)


def printable(text: str) -> str:
    """``text`` as the chosen font can draw it."""
    if font_file():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(c for c in decomposed if not unicodedata.combining(c))

"""Deep links carrying a source code, and printable A4 posters showing them as a QR code."""

from __future__ import annotations

import io
import re
import textwrap
from html import escape

import segno
from PIL import Image, ImageDraw
from telegram.helpers import create_deep_linked_url

from bot.core.links import valid_payload
from bot.reports.fonts import Font, font, printable

USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
SOURCE_RULE = "1 à 64 caractères parmi A-Z, a-z, 0-9, « _ » et « - » (règle des liens Telegram)"
TITLE = "Aiguillage"
EXPLANATION = (
    "Scannez pour trouver la bonne structure d'appui "
    "à votre projet d'économie sociale et solidaire."
)
PAGE_PX = (1240, 1754)
QR_PX = 820


def is_valid_source(source: str) -> bool:
    """Whether ``source`` can be a deep-link payload (see :data:`SOURCE_RULE`)."""
    return valid_payload(source) is not None


def is_valid_username(username: str) -> bool:
    """Whether ``username`` (without ``@``) has the shape of a Telegram username."""
    return USERNAME_RE.fullmatch(username) is not None


def deep_link(username: str, source: str) -> str:
    """``https://t.me/<username>?start=<source>``; :class:`ValueError` on a bad source."""
    if not is_valid_source(source):
        raise ValueError(f"source «{source}»: {SOURCE_RULE}")
    return create_deep_linked_url(username.lstrip("@"), source)


def poster_svg(link: str, source: str) -> str:
    """An A4 SVG poster: title, explanation, QR code of ``link``, the link and its source."""
    qr = segno.make(link, error="m")
    size = 150
    scale = size / qr.symbol_size(scale=1, border=4)[0]
    lines = textwrap.wrap(EXPLANATION, 44)
    explanation = "".join(
        f'<tspan x="105" dy="{0 if i == 0 else 9}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm"'
        ' viewBox="0 0 210 297">'
        '<rect width="210" height="297" fill="#fff"/>'
        '<g font-family="sans-serif" text-anchor="middle" fill="#222">'
        f'<text x="105" y="40" font-size="16" font-weight="bold">{TITLE}</text>'
        f'<text x="105" y="58" font-size="7">{explanation}</text>'
        f'<text x="105" y="262" font-size="6" font-family="monospace">{escape(link)}</text>'
        f'<text x="105" y="282" font-size="4" fill="#777">code : {escape(source)}</text>'
        "</g>"
        f'<g transform="translate({(210 - size) / 2} 90)">{qr.svg_inline(scale=scale)}</g>'
        "</svg>\n"
    )


def _wrap(draw: ImageDraw.ImageDraw, text: str, face: Font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=face) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def poster_png(link: str, source: str) -> bytes:
    """The same poster as :func:`poster_svg`, as an A4 PNG at 150 dpi."""
    width, height = PAGE_PX
    page = Image.new("RGB", PAGE_PX, "white")
    draw = ImageDraw.Draw(page)
    draw.text((width / 2, 180), TITLE, font=font(96), fill="#222", anchor="ms")
    body = font(44)
    y = 290
    for line in _wrap(draw, printable(EXPLANATION), body, width - 200):
        draw.text((width / 2, y), line, font=body, fill="#222", anchor="ms")
        y += 60
    qr = segno.make(link, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=max(1, QR_PX // qr.symbol_size(scale=1, border=4)[0]))
    buffer.seek(0)
    code = Image.open(buffer)
    page.paste(code, ((width - code.width) // 2, y + 20))
    y += 20 + code.height + 70
    draw.text((width / 2, y), link, font=font(34), fill="#222", anchor="ms")
    draw.text(
        (width / 2, height - 80),
        f"code : {source}",
        font=font(26),
        fill="#777",
        anchor="ms",
    )
    out = io.BytesIO()
    page.save(out, format="PNG", dpi=(150, 150), optimize=True)
    return out.getvalue()

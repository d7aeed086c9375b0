"""The message catalogues (``bot/locales/<lang>.yaml``): every text shown to people.

Templates are Telegram HTML; :meth:`Catalogue.text` escapes every value it inserts, so user
input can never inject markup. :func:`to_plain` turns a message into terminal text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

LOCALES = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
_TAG = re.compile(r"</?(?:b|i|u|a)(?:\s[^>]*)?>")


class Markup(str):
    """Text that is already safe HTML (built by the catalogue): inserted without escaping."""

    __slots__ = ()


def escape(text: str) -> Markup:
    """Plain ``text`` (a name from the knowledge base, user input) as safe HTML."""
    return Markup(html.escape(text, quote=False))


class Catalogue:
    """Messages per language, French as the fallback."""

    def __init__(self, messages: dict[str, dict[str, str]]) -> None:
        self.messages = messages

    @classmethod
    def load(cls, directory: Path = LOCALES) -> Catalogue:
        """Read every ``<lang>.yaml`` of ``directory``."""
        messages = {}
        for lang in LANGUAGES:
            data = yaml.safe_load((directory / f"{lang}.yaml").read_text(encoding="utf-8"))
            messages[lang] = {str(k): str(v) for k, v in data.items()}
        return cls(messages)

    def text(self, lang: str, key: str, **values: object) -> Markup:
        """The message ``key`` in ``lang`` with ``values`` escaped and inserted."""
        template = self.messages.get(lang, {}).get(key) or self.messages[DEFAULT_LANGUAGE][key]
        safe = {
            name: value if isinstance(value, Markup) else escape(str(value))
            for name, value in values.items()
        }
        return Markup(template.format(**safe))


def language_of(code: str | None) -> str:
    """The catalogue language for a Telegram ``language_code`` (French unless English)."""
    return "en" if code and code.lower().startswith("en") else DEFAULT_LANGUAGE


def to_plain(message: str) -> str:
    """Telegram HTML to plain terminal text."""
    return html.unescape(_TAG.sub("", message))

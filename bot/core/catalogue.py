"""The message catalogues: every text shown to people, one gettext file per language.

``bot/locales/<lang>.po`` maps a key (``ask.stage``) to its text; a counted message has one form
per plural of the language (the file's ``Plural-Forms``). The files are read with Babel and
compiled in memory at start, so there is no build step and no ``.mo`` file to keep in step.
Templates are Telegram HTML; :meth:`Catalogue.text` escapes every value it inserts, so user
input can never inject markup. :func:`to_plain` turns a message into terminal text. Numbers,
percentages and dates are written the way the language writes them (CLDR, through Babel).
"""

from __future__ import annotations

import gettext
import html
import io
import re
from collections.abc import Mapping
from datetime import date as Date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

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


class _Missing(gettext.NullTranslations):
    """The end of the fallback chain: a key no catalogue has is a bug, never shown as is."""

    def gettext(self, message: str) -> str:
        raise KeyError(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        raise KeyError(msgid1)


def read_catalogue(path: Path) -> Catalog:
    """The ``.po`` file at ``path``."""
    with path.open("rb") as po:
        return read_po(po, locale=path.stem)


def compile_catalogue(catalog: Catalog) -> gettext.GNUTranslations:
    """``catalog`` compiled in memory, as gettext reads it (fuzzy entries left out)."""
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _key(message: Message) -> str:
    """A message's key: its id, or the first id of a counted message."""
    return str(message.id[0] if isinstance(message.id, tuple | list) else message.id)


class Catalogue:
    """Messages per language, French as the fallback."""

    def __init__(self, catalogs: Mapping[str, Catalog]) -> None:
        self.translations = {lang: compile_catalogue(c) for lang, c in catalogs.items()}
        self._keys = {lang: frozenset(_key(m) for m in c if m.id) for lang, c in catalogs.items()}
        self._fixed: dict[tuple[str, str], Markup] = {}
        """Messages without values, by language and key, as :meth:`text` returns them."""
        default = self.translations[DEFAULT_LANGUAGE]
        default.add_fallback(_Missing())
        for lang, found in self.translations.items():
            if lang != DEFAULT_LANGUAGE:
                found.add_fallback(default)

    @classmethod
    def load(cls, directory: Path = LOCALES) -> Catalogue:
        """Read every ``<lang>.po`` of ``directory``."""
        return cls({lang: read_catalogue(directory / f"{lang}.po") for lang in LANGUAGES})

    def keys(self, lang: str) -> frozenset[str]:
        """The keys ``lang``'s own file has (without the French it falls back on)."""
        return self._keys.get(lang, frozenset())

    def _of(self, lang: str) -> gettext.GNUTranslations:
        return self.translations.get(lang) or self.translations[DEFAULT_LANGUAGE]

    def text(self, lang: str, key: str, **values: object) -> Markup:
        """The message ``key`` in ``lang`` with ``values`` escaped and inserted."""
        if values:
            return _fill(self._of(lang).gettext(key), values)
        known = (self._locale(lang), key)
        fixed = self._fixed.get(known)
        if fixed is None:
            fixed = self._fixed[known] = _fill(self._of(lang).gettext(key), values)
        return fixed

    def plural(self, lang: str, key: str, count: int, **values: object) -> Markup:
        """The form of ``key`` for ``count`` in ``lang``; ``{count}`` is written as a number."""
        template = self._of(lang).ngettext(key, key, count)
        return _fill(template, {**values, "count": self.number(lang, count)})

    def number(self, lang: str, value: float) -> str:
        """``12345`` as « 12 345 » in French, « 12,345 » in English."""
        return str(format_decimal(value, locale=self._locale(lang)))

    def percent(self, lang: str, rate: float) -> str:
        """``0.675`` as « 68 % » in French, « 68% » in English."""
        return str(format_percent(rate, locale=self._locale(lang)))

    def date(self, lang: str, day: Date) -> str:
        """A day as « 31 janv. 2025 » in French, « Jan 31, 2025 » in English."""
        return str(format_date(day, "medium", locale=self._locale(lang)))

    def _locale(self, lang: str) -> str:
        return lang if lang in self.translations else DEFAULT_LANGUAGE


def _fill(template: str, values: Mapping[str, object]) -> Markup:
    safe = {
        name: value if isinstance(value, Markup) else escape(str(value))
        for name, value in values.items()
    }
    return Markup(template.format(**safe))


@cache
def bundled() -> Catalogue:
    """The catalogue of ``bot/locales``, read once per process."""
    return Catalogue.load()


def language_of(code: str | None) -> str:
    """The catalogue language for a Telegram ``language_code`` (French unless English)."""
    return "en" if code and code.lower().startswith("en") else DEFAULT_LANGUAGE


def to_plain(message: str) -> str:
    """Telegram HTML to plain terminal text."""
    return html.unescape(_TAG.sub("", message))

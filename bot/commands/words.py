"""The command line's words: every help text and message in one language, from the catalogue.

French by default; English with ``--lang en``, or when the locale (``LC_ALL``, ``LC_MESSAGES``
or ``LANG``, the first one set) starts with ``en``. :func:`use` sets the language once, before
the parser is built, so that each command says its words without passing the language around.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from contextvars import ContextVar

from bot.core.catalogue import DEFAULT_LANGUAGE, bundled, to_plain

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
_LANGUAGE: ContextVar[str] = ContextVar("cli_language", default=DEFAULT_LANGUAGE)


def locale_language(environ: Mapping[str, str]) -> str:
    """``en`` when the first locale variable set starts with ``en``, else French."""
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), "")
    return "en" if locale.lower().startswith("en") else DEFAULT_LANGUAGE


def use(lang: str) -> None:
    """Speak ``lang`` from now on."""
    _LANGUAGE.set(lang)


def language() -> str:
    """The language the command line speaks."""
    return _LANGUAGE.get()


def say(key: str, **values: object) -> str:
    """The catalogue message ``key`` as plain text, in the command line's language."""
    return to_plain(bundled().text(language(), key, **values))


def say_count(key: str, count: int, **values: object) -> str:
    """The form of the counted message ``key`` for ``count``, as plain text."""
    return to_plain(bundled().plural(language(), key, count, **values))


def complain(command: str, message: str) -> None:
    """``aiguillage COMMAND: message`` on standard error."""
    print(f"aiguillage {command}: {message}", file=sys.stderr)

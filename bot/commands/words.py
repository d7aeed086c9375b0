"""The command line's words: every help text and message in one language, from the catalogue.

French by default; English with ``--lang en``, or when the locale (``LC_ALL``, ``LC_MESSAGES``
or ``LANG``, the first one set) starts with ``en``. :func:`use` (from :mod:`bot.core.diagnostics`,
which the knowledge base's loader and the configuration also speak through) sets the language
once, before the parser is built, so that each command says its words without passing it around.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from bot.core.catalogue import DEFAULT_LANGUAGE
from bot.core.diagnostics import language, say, say_count, use

__all__ = ["complain", "language", "locale_language", "say", "say_count", "use"]

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def locale_language(environ: Mapping[str, str]) -> str:
    """``en`` when the first locale variable set starts with ``en``, else French."""
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), "")
    return "en" if locale.lower().startswith("en") else DEFAULT_LANGUAGE


def complain(command: str, message: str) -> None:
    """``aiguillage COMMAND: message`` on standard error."""
    print(f"aiguillage {command}: {message}", file=sys.stderr)

"""The language of what is said about files and settings: the knowledge base's problems, the
configuration's errors and the command line's words, all from the catalogue.

French by default; the command line sets the language once (:func:`use`, from ``--lang`` or the
locale) before it reads anything, so that a problem found deep in the loader is worded like the
rest of what it prints without the language being passed down to it.
"""

from __future__ import annotations

from contextvars import ContextVar

from bot.core.catalogue import DEFAULT_LANGUAGE, bundled, to_plain

_LANGUAGE: ContextVar[str] = ContextVar("diagnostics_language", default=DEFAULT_LANGUAGE)


def use(lang: str) -> None:
    """Speak ``lang`` from now on."""
    _LANGUAGE.set(lang)


def language() -> str:
    """The language spoken now."""
    return _LANGUAGE.get()


def say(key: str, **values: object) -> str:
    """The catalogue message ``key`` as plain text, in the language spoken now."""
    return to_plain(bundled().text(language(), key, **values))


def say_count(key: str, count: int, **values: object) -> str:
    """The form of the counted message ``key`` for ``count``, as plain text."""
    return to_plain(bundled().plural(language(), key, count, **values))

"""The errors storage raises while running, so that no caller needs to know it is SQLite."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from bot.storage.schema import StorageError

P = ParamSpec("P")
T = TypeVar("T")


class StorageUnavailable(StorageError):
    """The database refused a read or a write (locked, full disk, I/O error…); the message names
    the file and says why. Nothing half-done is left: the transaction was rolled back."""


def unavailable_on_error(
    method: Callable[P, Coroutine[Any, Any, T]],
) -> Callable[P, Coroutine[Any, Any, T]]:
    """``method`` with any SQLite error raised as :class:`StorageUnavailable`."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await method(*args, **kwargs)
        except sqlite3.Error as error:
            where = getattr(args[0], "path", None) if args else None
            raise StorageUnavailable(f"{where}: {error}" if where else str(error)) from error

    return wrapped

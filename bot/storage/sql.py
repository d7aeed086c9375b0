"""The shapes in which the stores hand their SQL to the database's transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Statement = tuple[str, tuple[object, ...]]
"""One SQL statement and its parameters."""
Transaction = Callable[..., Awaitable[list[int]]]
"""Runs statements in one transaction; the rows changed by each."""

"""Pictures drawn in one worker process, so that no thread of the bot holds the GIL (nor its
memory matplotlib) while a chart is drawn.

The worker is started on first use (or by :meth:`Drawer.warm`, which also imports the chart
library there), started again when it has died, and killed when a picture takes longer than
the drawer's timeout. It is a fresh interpreter (``spawn``): nothing of the bot's memory is
copied into it, and the pictures' arguments are small (labelled counts, a link).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec

from bot.reports import chart

P = ParamSpec("P")
DRAW_TIMEOUT = 20.0
"""Seconds a picture may take (one takes 0.1–0.3 s, 2–3 s on a machine loaded ten times over
with the library's import): past that it is given up and the worker killed."""


class DrawingFailed(Exception):
    """No picture this time: the worker died while drawing, or took too long."""


class Drawer:
    """One worker process drawing pictures, one at a time, in the order asked."""

    def __init__(self, timeout: float = DRAW_TIMEOUT) -> None:
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._pid: Future[int] | None = None

    @property
    def pid(self) -> int | None:
        """The worker's process id, once it has started."""
        if self._pid is None or not self._pid.done() or self._pid.exception() is not None:
            return None
        return self._pid.result()

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"))
            self._pid = self._pool.submit(os.getpid)
        return self._pool

    def warm(self) -> Future[None]:
        """Start the worker and import the chart library in it (about a second of its CPU);
        done once imported."""
        return self._started().submit(chart.warm)

    def _submit(self, work: Callable[P, bytes], *args: P.args, **kwargs: P.kwargs) -> Future[bytes]:
        """``work`` queued to the worker; to a new one if it died since the last picture."""
        try:
            return self._started().submit(work, *args, **kwargs)
        except BrokenProcessPool:
            self.close()
            return self._started().submit(work, *args, **kwargs)

    async def draw(self, work: Callable[P, bytes], *args: P.args, **kwargs: P.kwargs) -> bytes:
        """``work(*args, **kwargs)`` run in the worker (started again first if it has died);
        :class:`DrawingFailed` if it dies meanwhile or takes longer than the timeout."""
        try:
            future = self._submit(work, *args, **kwargs)
            async with asyncio.timeout(self.timeout):
                return await asyncio.wrap_future(future)
        except BrokenProcessPool as error:
            self.close()
            raise DrawingFailed("the drawing process stopped") from error
        except TimeoutError as error:
            self.close()
            raise DrawingFailed(f"no picture after {self.timeout:g} s") from error

    def close(self) -> None:
        """Stop the worker, at once if it is drawing; the next picture starts another."""
        pool, pid = self._pool, self.pid
        self._pool = self._pid = None
        if pool is None:
            return
        pool.shutdown(wait=False, cancel_futures=True)
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

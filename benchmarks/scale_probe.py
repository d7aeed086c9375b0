"""``python -m benchmarks.scale_probe KB_DIR CACHE_DIR PROFILES.json``: one fresh process's figures.

Loads the base through the on-disk cache (:mod:`bot.core.kbcache`) as ``serve`` does, then
times ``recommend`` over the profiles of ``PROFILES.json`` (``bench_matching.write_profiles``:
drawn by the caller, so that no other base is loaded here). Prints one JSON line: the load time
(s, wall clock and CPU), the resident memory after loading and after matching (MB), the p50 and
p99 latency (wall clock and CPU time), the longest garbage-collection pause seen while
matching, and the longest the event loop waited while turns ran on it, then in a worker thread
(ms).
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from pathlib import Path

import psutil

from benchmarks.bench_matching import latencies_ms, percentile, read_profiles
from bot.core import kbcache
from bot.core.knowledge import KnowledgeBase
from bot.core.matching import Profile, recommend

LAG_TURNS = 2_000  # turns run on the event loop beside the lag probe
PAUSES: list[float] = []
_started: list[float] = []


def _watch(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _started[:] = [time.perf_counter()]
    elif _started:
        PAUSES.append((time.perf_counter() - _started[0]) * 1000)


async def loop_hold_ms(kb: KnowledgeBase, cases: list[Profile], off_loop: bool = False) -> float:
    """The longest a probe task waited for the event loop while ``cases`` were matched one
    after another, on the loop or (``off_loop``) in a worker thread as ``serve`` runs them on a
    large base (``bot.service.OFF_LOOP_FROM``), in ms."""
    clock = time.perf_counter
    longest = 0.0  # the longest wait only: turns in a thread let the probe wait a million
    running = True  # times, and a list of every wait would count 36 MB in the bot's memory

    async def probe() -> None:
        nonlocal longest
        while running:
            start = clock()
            await asyncio.sleep(0)
            longest = max(longest, clock() - start)

    task = asyncio.create_task(probe())
    for profile in cases:
        if off_loop:
            await asyncio.to_thread(recommend, kb, profile)
        else:
            recommend(kb, profile)
        await asyncio.sleep(0)
    running = False
    await task
    return longest * 1000


def main(kb_dir: str, cache_dir: str, cases_file: str) -> None:
    """Print the figures of one base."""
    process = psutil.Process()
    start, used = time.perf_counter(), time.process_time()
    kb = kbcache.load(Path(kb_dir), Path(cache_dir))
    load_s, load_cpu_s = time.perf_counter() - start, time.process_time() - used
    loaded_mb = process.memory_info().rss / 2**20
    cases = read_profiles(Path(cases_file))
    gc.callbacks.append(_watch)
    times, spent = latencies_ms(kb, cases)
    gc.callbacks.remove(_watch)
    hold = asyncio.run(loop_hold_ms(kb, cases[:LAG_TURNS]))
    hold_off = asyncio.run(loop_hold_ms(kb, cases[:LAG_TURNS], off_loop=True))
    figures = {
        "load_s": load_s,
        "load_cpu_s": load_cpu_s,
        "rss_loaded_mb": loaded_mb,
        "rss_mb": process.memory_info().rss / 2**20,
        "p50_ms": percentile(times, 0.5),
        "p99_ms": percentile(times, 0.99),
        "cpu_p50_ms": percentile(spent, 0.5),
        "cpu_p99_ms": percentile(spent, 0.99),
        "gc_pause_ms": max(PAUSES, default=0.0),
        "loop_hold_ms": hold,
        "loop_hold_off_ms": hold_off,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main(*sys.argv[1:4])

"""Speed of the knowledge base and of matching as the base grows: the curve by size.

``run()`` prints the median load time of the bundled base, then for the bundled base and
generated ones of 1,000, 10,000 and 100,000 actors (:mod:`benchmarks.kbgen`), each in fresh
processes: the cold load (no cache: every file read, checked, compiled and cached), the cached
start (each load in wall-clock and in CPU time), the resident memory, the p50 and p99 latency
of ``recommend`` over random profiles (half structured answers, half short free texts with
typos), in wall-clock and in CPU time (what the code costs on a shared machine), and the
longest garbage-collection pause met meanwhile, the longest the event loop is held while turns
run on it and while they run in a worker thread (as ``serve`` does from 2,000 actors); last,
how much p99 grows from 1,000 to 100,000. The machine's load average is printed beside each
size: on a shared machine, latencies are the machine's as much as the code's.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks import report
from benchmarks.kbgen import SECTORS, write_base
from bot.config import REPO_KNOWLEDGE
from bot.core import kbcache
from bot.core.knowledge import KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, recommend

KNOWLEDGE = REPO_KNOWLEDGE
LOAD_RUNS = 7
PROFILES = 10_000
LIMIT = 10
SEED = 20240531
LOAD_TARGET_MS = 300.0
BUNDLED = 25
SIZES = (BUNDLED, 1_000, 10_000, 100_000)  # AIGUILLAGE_BENCH_SIZES=1000,10000 for fewer
PROFILES_BUDGET = 200_000_000  # profiles × actors: 2,000 at 100,000, a p99 of 20 turns
PROBE_TIMEOUT_S = 4 * 3600  # loading 100,000 files cold takes long on a busy machine
COLD_TARGET_S = 3600.0  # once per edit of the base: a compile, not a start
START_TARGET_S = 5.0
RSS_TARGET_MB = 300.0
P99_TARGET_MS = 15.0
TURN_TARGET_MS = 50.0
GROWTH_FROM, GROWTH_TO, GROWTH_TARGET = 1_000, 100_000, 5.0
FILLERS = (
    "bonjour",
    "nous voulons",
    "je cherche",
    "pour notre projet",
    "we need",
    "looking for",
    "merci",
    "boulangerie",
    "épicerie solidaire",
    "recyclerie",
    "jardin partagé",
    "atelier vélo",
    "café associatif",
)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def profiles(kb: KnowledgeBase, count: int, seed: int = SEED) -> list[Profile]:
    """``count`` reproducible profiles: half structured answers, half short free texts."""
    rng = random.Random(seed)
    tax = kb.taxonomy
    stages, forms, needs = list(tax.stages), list(tax.legal_forms), list(tax.needs)
    communes = list(kb.territory.communes.values())
    terms = [t for kind in ("stages", "legal_forms", "needs") for t in tax.kind(kind).values()]
    found: list[Profile] = []
    for _ in range(count):
        if rng.random() < 0.5:
            found.append(
                Profile(
                    stage=rng.choice([None, *stages]),
                    legal_form=rng.choice([None, *forms]),
                    needs=tuple(rng.sample(needs, rng.randint(0, 3))),
                    commune=rng.choice([None, *(c.insee for c in communes)]),
                )
            )
            continue
        parts = [rng.choice(FILLERS)]
        for term in rng.sample(terms, rng.randint(1, 3)):
            parts.append(rng.choice(term.synonyms))
        if rng.random() < 0.7:
            commune = rng.choice(communes)
            parts.append(rng.choice((commune.name, commune.postal_codes[0])))
        if rng.random() < 0.3:
            parts.append(rng.choice(SECTORS))
        rng.shuffle(parts)
        text = " ".join(_typo(p, rng) if rng.random() < 0.15 else p for p in parts)
        found.append(Profile(text=text, lang=rng.choice(("fr", "en"))))
    return found


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """The value at ``fraction`` (0..1) of ``sorted_values`` (nearest rank)."""
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def latencies_ms(
    kb: KnowledgeBase, cases: Sequence[Profile], limit: int = LIMIT
) -> tuple[list[float], list[float]]:
    """Sorted latencies of ``recommend`` for each profile, in milliseconds: wall-clock, and
    the process's CPU time (on a shared machine, what the code costs whatever the others do)."""
    clock, cpu = time.perf_counter_ns, time.process_time_ns
    wall: list[float] = []
    spent: list[float] = []
    for profile in cases:
        start, used = clock(), cpu()
        recommend(kb, profile, limit)
        wall.append((clock() - start) / 1e6)
        spent.append((cpu() - used) / 1e6)
    return sorted(wall), sorted(spent)


def load_ms(root: Path = KNOWLEDGE, runs: int = LOAD_RUNS) -> tuple[float, float]:
    """Median wall-clock and CPU time of ``load_knowledge(root)``, in milliseconds (on a
    shared machine the CPU time is what the code costs)."""
    wall, spent = [], []
    for _ in range(runs):
        start, used = time.perf_counter(), time.process_time()
        load_knowledge(root)
        wall.append((time.perf_counter() - start) * 1000)
        spent.append((time.process_time() - used) * 1000)
    return statistics.median(wall), statistics.median(spent)


def write_profiles(path: Path, cases: Sequence[Profile]) -> Path:
    """``cases`` written to ``path`` as JSON, for a probe to read (:func:`read_profiles`)."""
    fields = [{**dataclasses.asdict(p), "inferred": sorted(p.inferred)} for p in cases]
    path.write_text(json.dumps(fields), encoding="utf-8")
    return path


def read_profiles(path: Path) -> list[Profile]:
    """The profiles :func:`write_profiles` wrote."""
    found = json.loads(path.read_text(encoding="utf-8"))
    return [
        Profile(**{**f, "needs": tuple(f["needs"]), "inferred": frozenset(f["inferred"])})
        for f in found
    ]


def _probe(root: Path, cache: Path, cases: Path) -> dict[str, float]:
    """The figures of a fresh process loading ``root`` through ``cache`` and matching the
    profiles in ``cases`` (see scale_probe)."""
    found = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale_probe", str(root), str(cache), str(cases)],
        check=True,
        capture_output=True,
        text=True,
        timeout=PROBE_TIMEOUT_S,
    )
    figures: dict[str, float] = json.loads(found.stdout.splitlines()[-1])
    return figures


def curve(sizes: Sequence[int] = SIZES) -> dict[int, dict[str, float]]:
    """Per base size: cold load (no cache), then a cached start with memory and latency.

    The profiles are drawn here, from the bundled base, and handed to each probe in a file:
    a probe that loaded the bundled base beside the large one would count it in the bot's
    memory (some 20 MB at 100,000 actors)."""
    found: dict[int, dict[str, float]] = {}
    work = kbgen_dir()
    drawn = profiles(load_knowledge(KNOWLEDGE), PROFILES)
    for size in sizes:
        root = KNOWLEDGE if size == BUNDLED else write_base(KNOWLEDGE, work / f"kb{size}", size)
        count = min(PROFILES, PROFILES_BUDGET // max(size, 1) or 1)
        with tempfile.TemporaryDirectory() as folder:
            cache = Path(folder) / "cache"
            one = write_profiles(Path(folder) / "one.json", drawn[:1])
            cases = write_profiles(Path(folder) / "cases.json", drawn[:count])
            cold = _probe(root, cache, one)
            warm = _probe(root, cache, cases)
        found[size] = {
            "cold_s": cold["load_s"],
            "cold_cpu_s": cold["load_cpu_s"],
            **warm,
            "load_average": os.getloadavg()[0],
        }
    return found


def kbgen_dir() -> Path:
    """Where generated bases are kept between runs (written once: 100,000 files take minutes)."""
    return kbcache.default_dir().with_name("aiguillage-bench")


def run() -> None:
    """Print the load time, then the curve: load (cold, cached), memory, p50/p99 by size."""
    wall, spent = load_ms()
    report("matching.kb_load_median", wall, "ms", LOAD_TARGET_MS, higher_is_better=False)
    report("matching.kb_load_median_cpu", spent, "ms", LOAD_TARGET_MS, higher_is_better=False)
    sizes = [int(s) for s in os.environ.get("AIGUILLAGE_BENCH_SIZES", "").split(",") if s]
    figures = curve(sizes or SIZES)
    for size, f in figures.items():
        name = f"matching.{size}"
        print(f"{name}: load average {f['load_average']:.1f} on {os.cpu_count()} cores meanwhile")
        report(f"{name}.load_cold", f["cold_s"], "s", COLD_TARGET_S, higher_is_better=False)
        cold_cpu = f["cold_cpu_s"]
        report(f"{name}.load_cold_cpu", cold_cpu, "s", COLD_TARGET_S, higher_is_better=False)
        report(f"{name}.load_cached", f["load_s"], "s", START_TARGET_S, higher_is_better=False)
        cached_cpu = f["load_cpu_s"]
        report(f"{name}.load_cached_cpu", cached_cpu, "s", START_TARGET_S, higher_is_better=False)
        loaded = f["rss_loaded_mb"]
        report(f"{name}.rss_loaded", loaded, "MB", RSS_TARGET_MB, higher_is_better=False)
        report(f"{name}.rss", f["rss_mb"], "MB", RSS_TARGET_MB, higher_is_better=False)
        report(f"{name}.p50", f["p50_ms"], "ms", P99_TARGET_MS, higher_is_better=False)
        report(f"{name}.p99", f["p99_ms"], "ms", P99_TARGET_MS, higher_is_better=False)
        report(f"{name}.p99_cpu", f["cpu_p99_ms"], "ms", P99_TARGET_MS, higher_is_better=False)
        report(f"{name}.gc_pause", f["gc_pause_ms"], "ms", TURN_TARGET_MS, higher_is_better=False)
        hold, off = f["loop_hold_ms"], f["loop_hold_off_ms"]
        report(f"{name}.loop_hold_on_loop", hold, "ms", TURN_TARGET_MS, higher_is_better=False)
        report(f"{name}.loop_hold_threaded", off, "ms", TURN_TARGET_MS, higher_is_better=False)
    if GROWTH_FROM in figures and GROWTH_TO in figures:
        growth = figures[GROWTH_TO]["p99_ms"] / figures[GROWTH_FROM]["p99_ms"]
        report(
            f"matching.p99_{GROWTH_TO}_over_{GROWTH_FROM}",
            growth,
            "x",
            GROWTH_TARGET,
            higher_is_better=False,
        )


if __name__ == "__main__":
    run()

"""``python -m benchmarks [NAME ...]``: run the bench modules, print one line per figure.

Known modules run first in a fixed order, when present; any other ``bench_*`` module follows
in name order. Exit status 1 when a figure misses its target or a module fails.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import os
import pkgutil
import platform
import subprocess
import sys
import traceback

import psutil
import telegram

import benchmarks

ORDER = (
    "bench_ptb_baseline",
    "bench_storage",
    "bench_reports",
    "bench_matching",
    "bench_free_text",
    "bench_bot",
)


def discover() -> list[str]:
    """Names of the bench modules present, in running order."""
    known = [name for name in ORDER if importlib.util.find_spec(f"benchmarks.{name}")]
    others = sorted(
        info.name
        for info in pkgutil.iter_modules(benchmarks.__path__)
        if info.name.startswith("bench_") and info.name not in ORDER
    )
    return known + others


def cpu_model() -> str:
    """The processor's marketing name where Linux tells it, else the architecture."""
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def header() -> str:
    """Python and PTB versions, platform and cores, so figures can be compared."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"python-telegram-bot {telegram.__version__}, {platform.platform()}\n"
        f"{cpu_model()}: {psutil.cpu_count(logical=False)} physical / "
        f"{psutil.cpu_count()} logical cores, {usable} usable"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the selected (default: all) bench modules; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help="modules to run, e.g. bench_storage or storage")
    args = parser.parse_args(argv)
    names = discover()
    if args.names:
        wanted = {n if n.startswith("bench_") else f"bench_{n}" for n in args.names}
        unknown = wanted - set(names)
        if unknown:
            parser.error(f"no such bench module: {', '.join(sorted(unknown))}")
        names = [n for n in names if n in wanted]
    if len(names) > 1:
        return run_apart(names)
    print(header())
    failed_modules = []
    for name in names:
        print(f"\n== {name}")
        try:
            importlib.import_module(f"benchmarks.{name}").run()
        except Exception:
            traceback.print_exc()
            failed_modules.append(name)
    failed = [f.name for f in benchmarks.RESULTS if not f.passed]
    print(
        f"\n{len(benchmarks.RESULTS)} figures, {len(failed)} FAIL"
        + (f" ({', '.join(failed)})" if failed else "")
        + (f"; modules that crashed: {', '.join(failed_modules)}" if failed_modules else "")
    )
    return 1 if failed or failed_modules else 0


def run_apart(names: list[str]) -> int:
    """Each module in a process of its own, so memory figures are not inflated by the others."""
    failing = [
        name
        for name in names
        if subprocess.run([sys.executable, "-m", "benchmarks", name], check=False).returncode
    ]
    print(f"\n{len(names)} bench modules; with a FAIL or a crash: {', '.join(failing) or 'none'}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())

"""Every benchmark module imports: `make bench` is not part of `make test`, so a name moved in
`bot/` must not break a benchmark unseen."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCHMARKS = sorted(
    path.stem
    for path in (Path(__file__).parent.parent / "benchmarks").glob("*.py")
    if path.stem not in {"__init__", "__main__"}
)


@pytest.mark.parametrize("name", BENCHMARKS)
def test_the_benchmark_imports(name: str) -> None:
    module = importlib.import_module(f"benchmarks.{name}")
    assert module.__name__ == f"benchmarks.{name}"

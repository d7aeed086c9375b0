"""Speed and memory figures for Aiguillage: ``python -m benchmarks`` (``make bench``).

Each ``bench_*`` module exposes ``run() -> None`` and prints its figures with :func:`report`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure and whether it meets its target."""

    name: str
    value: float
    unit: str
    target: float
    higher_is_better: bool

    @property
    def passed(self) -> bool:
        """Whether ``value`` meets ``target``."""
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


RESULTS: list[Figure] = []
"""Every figure reported in this process, in order (``python -m benchmarks`` sums them up)."""


def report(
    name: str, value: float, unit: str, target: float, *, higher_is_better: bool = True
) -> bool:
    """Print one figure as ``name  value unit  target  PASS|FAIL``, record it, return PASS."""
    figure = Figure(name, value, unit, target, higher_is_better)
    RESULTS.append(figure)
    bound = ">=" if higher_is_better else "<="
    verdict = "PASS" if figure.passed else "FAIL"
    print(
        f"{name:<36} {number(value):>12} {unit:<12} target {bound} {number(target):<10} {verdict}"
    )
    return figure.passed


def number(value: float) -> str:
    """A figure as printed in the report's columns."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"

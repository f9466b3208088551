"""Figures, repeated timings and the targets they are judged against."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Figure:
    """One measured quantity: its samples, unit and (optionally) the target it must meet."""

    name: str
    unit: str  # "s", "ms", "bytes", "chars", "x", "stmt/s", "MB"
    samples: list[float] = field(default_factory=list)
    target: float | None = None  # the figure must be <= target
    target_label: str = ""
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)

    def verdict(self) -> str:
        """Return ✅ or ❌ against the target (judged on the median), or '' when there is no target."""
        if self.target is None or not self.samples:
            return ""
        return "✅" if self.median <= self.target else "❌"


def repeat(fn: Callable[[], object], runs: int, *, setup: Callable[[], object] | None = None) -> list[float]:
    """Return the wall time in seconds of fn over `runs` runs, calling setup (untimed) before each."""
    samples = []
    for _ in range(runs):
        if setup is not None:
            setup()
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def fmt_value(value: float, unit: str) -> str:
    """Format one value in its unit the way RESULTS.md shows it."""
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "bytes":
        return f"{value / 1024:,.1f} KB" if value >= 1024 else f"{int(value)} B"
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "MB":
        return f"{value:,.1f} MB"
    return f"{value:,.0f} {unit}"

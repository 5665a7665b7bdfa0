"""Shared helpers for the benchmark scripts: a timer, a subprocess import timer, a table.

Timing rules (the same for every peer, so ratios compare like with like):

- ``time.perf_counter`` around one call of the workload; ``warmup`` untimed calls first
  (imports, caches, NumPy's first-call costs), then ``repeat`` timed calls, and the
  **median** is reported (min and max are kept for the curious: the spread is the noise).
- ``setup`` (optional) runs before every call, outside the timed region: use it to build a
  graph whose ``backward()`` alone is timed.
- Garbage collection: by default the cyclic GC stays **on**, because a student's program runs
  with it on and a graph that makes reference cycles pays for them there (see
  ../shared/recipes/performance.md). ``gc.collect()`` runs before each timed call (untimed),
  so garbage of the previous call is not billed to the next one. ``disable_gc=True`` switches
  the collector off during the timed call only; comparing the two shows how much of a cost
  is the GC rescanning live objects.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Timing:
    """Seconds per call: the median of ``runs``, plus min and max of the same runs."""

    median: float
    min: float
    max: float
    runs: int

    def scaled(self, factor: float) -> Timing:
        """The same timing in other units (e.g. ``1e6 / n_ops`` for µs per op)."""
        return Timing(self.median * factor, self.min * factor, self.max * factor, self.runs)


def summarize(samples: Sequence[float]) -> Timing:
    """A ``Timing`` from seconds measured elsewhere (e.g. inside a ``setup``)."""
    return Timing(statistics.median(samples), min(samples), max(samples), len(samples))


def measure(fn: Callable[[], Any], *, setup: Callable[[], Any] | None = None,
            repeat: int = 7, warmup: int = 1, disable_gc: bool = False) -> Timing:
    """Time ``fn()``; when ``setup`` is given, ``fn(setup())`` is timed and setup is not.

    Each of the ``warmup + repeat`` calls gets a fresh ``setup()`` value; only the last
    ``repeat`` calls are recorded. What ``fn`` returns, and the ``setup()`` value, are
    dropped *after* the clock stops: a workload that should pay for freeing its graph keeps
    the graph in local variables and returns nothing.
    """
    samples: list[float] = []
    for i in range(warmup + repeat):
        arg = setup() if setup is not None else None
        gc.collect()
        gc_was_enabled = gc.isenabled()
        if disable_gc:
            gc.disable()
        try:
            start = time.perf_counter()
            result = fn(arg) if setup is not None else fn()
            elapsed = time.perf_counter() - start
        finally:
            if disable_gc and gc_was_enabled:
                gc.enable()
        del result, arg
        if i >= warmup:
            samples.append(elapsed)
    return summarize(samples)


def import_time(module: str, *, runs: int = 5, python: str = sys.executable,
                cwd: str | None = None) -> Timing:
    """Seconds that ``import module`` adds to a fresh interpreter.

    Each run starts ``python -c "import module"`` and ``python -c "pass"`` back to back and
    keeps the difference, so interpreter start-up is not counted. The median of ``runs``
    differences is reported. ``-X importtime`` gives a per-module breakdown if one is needed.
    """
    env = dict(os.environ)
    env.pop("PYTHONPROFILEIMPORTTIME", None)

    def wall(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([python, "-c", code], check=True, env=env, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    wall("pass")  # warm the page cache for the interpreter and the module files
    wall(f"import {module}")
    samples = [wall(f"import {module}") - wall("pass") for _ in range(runs)]
    return summarize(samples)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]],
                title: str | None = None) -> None:
    """A plain-text table, columns padded to their widest cell (first column left-aligned)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row]
                                           for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(row, widths)))

    if title:
        print(title)
    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))
    print()


def fmt(value: float | None, digits: int = 2) -> str:
    """A number for a table, or '-' when there is none."""
    return "-" if value is None else f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    """``a / b`` as '1.23x', or '-' when either is missing."""
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}x"

"""Shared helpers for the benchmark scripts: a timer, a subprocess import timer, a table.

Timing rules (the same for every peer, so ratios compare like with like):

- ``time.perf_counter`` around one call of the workload; ``warmup`` untimed calls first
  (imports, caches, NumPy's first-call costs), then ``repeat`` timed calls, and the
  **median** is reported (min and max are kept for the curious: the spread is the noise).
- Peers are **interleaved** (``measure_many``): each round times every peer once, so a burst
  of load on a shared machine hits all of them and the ratios survive it. The order rotates
  from round to round. ``lead_in`` untimed calls of the same peer can precede each timed
  call, so a neighbour's after-effects (PyTorch's threads stay busy after its step and slow
  down whatever runs next) land on an untimed call.
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
from collections.abc import Callable, Mapping, Sequence
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


def _time_once(fn: Callable[..., Any], setup: Callable[[], Any] | None,
               disable_gc: bool) -> float:
    """One timed call of ``fn()`` (or ``fn(setup())``, setup untimed)."""
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
    del result, arg  # dropped after the clock stopped
    return elapsed


def measure(fn: Callable[..., Any], *, setup: Callable[[], Any] | None = None,
            repeat: int = 7, warmup: int = 1, disable_gc: bool = False) -> Timing:
    """Time ``fn()``; when ``setup`` is given, ``fn(setup())`` is timed and setup is not.

    Each of the ``warmup + repeat`` calls gets a fresh ``setup()`` value; only the last
    ``repeat`` calls are recorded. What ``fn`` returns, and the ``setup()`` value, are
    dropped *after* the clock stops: a workload that should pay for freeing its graph keeps
    the graph in local variables and returns nothing.
    """
    return measure_many({"": fn}, setups={"": setup} if setup else None, repeat=repeat,
                        warmup=warmup, disable_gc=disable_gc)[""]


def measure_many(fns: Mapping[str, Callable[..., Any]], *,
                 setups: Mapping[str, Callable[[], Any] | None] | None = None,
                 repeat: int = 7, warmup: int = 1, lead_in: int = 0,
                 disable_gc: bool = False) -> dict[str, Timing]:
    """``measure`` for several peers, **interleaved**: each round times every peer once.

    On a shared machine the load comes in bursts; timing peer A fifteen times and then peer B
    fifteen times lets a burst land on one of them only, and the ratio is then wrong.
    Interleaving spreads a burst over all peers, so ratios stay meaningful even when the
    absolute numbers move.

    ``lead_in`` untimed calls of a peer run right before each of its timed calls, so the
    timed call follows the same workload, as a training step follows a training step. Use it
    when a peer disturbs whatever runs after it: PyTorch's OpenMP threads stay busy after
    its step, and on a 2-core machine a NumPy step right after a PyTorch step took about 2x
    as long as one after a NumPy step. With ``lead_in=1`` that cost lands on an untimed call.
    """
    setups = setups or {}
    samples: dict[str, list[float]] = {name: [] for name in fns}
    names = list(fns)
    for i in range(warmup + repeat):
        # The order rotates from round to round, so a drift in the machine's speed within a
        # round does not always favour the same peer. (A rotation keeps who follows whom
        # within the cycle, so it does not shield a peer from its predecessor: lead_in does.)
        for name in names[i % len(names):] + names[:i % len(names)]:
            for _ in range(lead_in):
                _time_once(fns[name], setups.get(name), disable_gc)
            elapsed = _time_once(fns[name], setups.get(name), disable_gc)
            if i >= warmup:
                samples[name].append(elapsed)
    return {name: summarize(values) for name, values in samples.items()}


def import_time(module: str, *, runs: int = 5, python: str = sys.executable,
                cwd: str | None = None, write_bytecode: bool | None = None) -> Timing:
    """Seconds that ``import module`` adds to a fresh interpreter (see ``import_times``)."""
    return import_times({module: (module, cwd, write_bytecode)}, runs=runs,
                        python=python)[module]


def import_times(specs: Mapping[str, tuple[str, str | None, bool | None]], *, runs: int = 5,
                 python: str = sys.executable) -> dict[str, Timing]:
    """Import times for several ``label: (module, cwd, write_bytecode)``, interleaved.

    Each run starts ``python -c "import module"`` and ``python -c "pass"`` back to back and
    keeps the difference, so interpreter start-up is not counted. The median of ``runs``
    differences is reported; two untimed warm-up runs come first (page cache, and the
    ``.pyc`` files when they may be written). Rounds interleave the modules, as
    ``measure_many`` does. ``-X importtime`` gives a per-module breakdown if one is needed.

    ``write_bytecode=True`` lets the interpreter write ``.pyc`` files even where the shell
    sets ``PYTHONDONTWRITEBYTECODE`` (then every import compiles every source file again,
    which is not what a student's installed package does); None keeps the environment.
    """

    def wall(code: str, cwd: str | None, write_bytecode: bool | None) -> float:
        env = dict(os.environ)
        env.pop("PYTHONPROFILEIMPORTTIME", None)
        if write_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
        start = time.perf_counter()
        subprocess.run([python, "-c", code], check=True, env=env, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    samples: dict[str, list[float]] = {label: [] for label in specs}
    for i in range(2 + runs):
        for label, (module, cwd, write_bytecode) in specs.items():
            elapsed = (wall(f"import {module}", cwd, write_bytecode)
                       - wall("pass", cwd, write_bytecode))
            if i >= 2:
                samples[label].append(elapsed)
    return {label: summarize(values) for label, values in samples.items()}


def module_origin(module: str, *, python: str = sys.executable, cwd: str | None = None) -> str:
    """The file ``import module`` loads in a fresh interpreter started in ``cwd``."""
    done = subprocess.run([python, "-c", f"import {module}; print({module}.__file__)"],
                          check=True, cwd=cwd, capture_output=True, text=True)
    return done.stdout.strip()


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

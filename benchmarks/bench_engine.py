"""The cost of the autograd engine itself, against PyTorch CPU and two NumPy peers.

    python benchmarks/bench_engine.py            # full run (about a minute)
    python benchmarks/bench_engine.py --quick    # fewer repeats (about 20 s)
    python benchmarks/bench_engine.py --no-gc    # cyclic GC off during the timed calls

(a) per-op cost: a chain of 1 000 elementwise ops (``* 1.0001``, ``+ 0.0001``, ``sin``, in
    turn) on a 4-element float32 tensor, then ``.sum().backward()``; µs per chain op.
(b) a 100 000-op chain of the same ops: the time to build it, and ``backward()`` alone.
(c) ``import`` time, in fresh interpreters.

Peers: PyTorch CPU; "NumPy bare", the same math as ufunc calls with a hand-written backward
loop (no graph at all: the floor); "NumPy tape", a 40-line closure tape (below), which is
what a lean Python engine costs. All peers compute the same gradient; it is checked.
Tensors of 4 elements are too small for PyTorch to use threads, so its thread count does not
matter here (it is printed anyway).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # run as a script from anywhere

from common import (  # noqa: E402
    Timing,
    fmt,
    import_times,
    measure_many,
    module_origin,
    print_table,
    ratio,
    summarize,
)

import tinygrad_edu  # noqa: E402

try:
    import torch
except ImportError:  # PyTorch is a test extra: without it, its columns show '-'
    torch = None

MUL, ADD = 1.0001, 0.0001

# ------------------------------------------------------------------------------ the peers


def chain(x: Any, n: int) -> Any:
    """``n`` elementwise ops in turn: ``* 1.0001``, ``+ 0.0001``, ``.sin()``.

    The same code runs on tinygrad_edu, PyTorch and the NumPy tape (same API)."""
    y = x
    for i in range(n):
        k = i % 3
        if k == 0:
            y = y * MUL
        elif k == 1:
            y = y + ADD
        else:
            y = y.sin()
    return y


def numpy_bare(x: np.ndarray, n: int) -> np.ndarray:
    """The chain and the gradient of its sum with plain ufuncs: no graph, no objects."""
    saved: list[np.ndarray | None] = [None] * n
    y = x
    for i in range(n):
        k = i % 3
        if k == 0:
            y = y * MUL
        elif k == 1:
            y = y + ADD
        else:
            saved[i] = y
            y = np.sin(y)
    grad = np.ones_like(y)
    for i in range(n - 1, -1, -1):
        k = i % 3
        if k == 0:
            grad = grad * MUL
        elif k == 2:
            grad = grad * np.cos(saved[i])
    return grad


def _identity(grad: Any) -> Any:
    return grad


class TapeVar:
    """The "lean NumPy tape": a value on a tape. Each op appends ``(output, ((input, vjp),
    ...))``; ``backward`` replays the tape in reverse, then clears it (which also breaks the
    tape <-> variable cycle, so reference counting frees everything)."""

    __slots__ = ("grad", "tape", "value")

    def __init__(self, value: Any, tape: list[Any]) -> None:
        self.value, self.grad, self.tape = value, None, tape

    def _op(self, value: Any, *parents: tuple[TapeVar, Callable[[Any], Any]]) -> TapeVar:
        out = TapeVar(value, self.tape)
        self.tape.append((out, parents))
        return out

    def __mul__(self, other: Any) -> TapeVar:
        if isinstance(other, TapeVar):
            a, b = self.value, other.value
            return self._op(a * b, (self, lambda g: g * b), (other, lambda g: g * a))
        return self._op(self.value * other, (self, lambda g: g * other))

    def __add__(self, other: Any) -> TapeVar:
        if isinstance(other, TapeVar):
            return self._op(self.value + other.value, (self, _identity), (other, _identity))
        return self._op(self.value + other, (self, _identity))

    def sin(self) -> TapeVar:
        a = self.value
        return self._op(np.sin(a), (self, lambda g: g * np.cos(a)))

    def sum(self) -> TapeVar:
        shape = self.value.shape
        return self._op(self.value.sum(), (self, lambda g: np.full(shape, g)))

    def backward(self) -> None:
        self.grad = np.ones_like(self.value)
        for out, parents in reversed(self.tape):
            grad, out.grad = out.grad, None  # intermediate gradients are dropped once used
            if grad is None:
                continue
            for var, vjp in parents:
                g = vjp(grad)
                var.grad = g if var.grad is None else var.grad + g
        self.tape.clear()


# ------------------------------------------------------------------------------ leaves

X0 = np.linspace(0.5, 1.5, 4, dtype=np.float32)


def leaf(peer: str) -> Any:
    if peer == "tinygrad_edu":
        return tinygrad_edu.tensor(X0.copy(), requires_grad=True)
    if peer == "torch":
        return torch.tensor(X0.copy(), requires_grad=True)
    if peer == "tape":
        return TapeVar(X0.copy(), [])
    return X0.copy()


def grad_of(peer: str, x: Any) -> np.ndarray:
    if peer == "tinygrad_edu":
        return x.grad.numpy()
    if peer == "torch":
        return x.grad.numpy()
    return np.asarray(x.grad)


PEERS = ["tinygrad_edu", "torch", "bare", "tape"]


def available(peer: str) -> bool:
    return peer != "torch" or torch is not None


# ------------------------------------------------------------------------------ workloads


def per_op_workload(peer: str, n: int) -> Callable[[], Any]:
    """One forward + backward through an ``n``-op chain (the graph is freed inside)."""
    x = leaf(peer)
    if peer == "bare":
        return lambda: numpy_bare(x, n)

    def step() -> None:
        x.grad = None
        chain(x, n).sum().backward()

    return step


def long_chain_workload(peer: str, n: int, builds: list[float],
                        disable_gc: bool) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    """(setup, timed): setup builds an ``n``-op chain and appends its build time (seconds)
    to ``builds``; the timed part is ``backward()`` alone."""

    def build() -> tuple[Any, Any]:
        x = leaf(peer)
        gc.collect()
        gc_was_enabled = gc.isenabled()
        if disable_gc:
            gc.disable()
        start = time.perf_counter()
        loss = chain(x, n).sum()
        builds.append(time.perf_counter() - start)
        if disable_gc and gc_was_enabled:
            gc.enable()
        return x, loss

    return build, lambda x_and_loss: x_and_loss[1].backward()


def check_gradients(n: int) -> None:
    """Every peer must compute the same gradient, or the timings compare nothing."""
    expected = numpy_bare(X0.copy(), n)
    for peer in PEERS:
        if peer == "bare" or not available(peer):
            continue
        x = leaf(peer)
        chain(x, n).sum().backward()
        got = grad_of(peer, x)
        if not np.allclose(got, expected, rtol=1e-4, atol=1e-6):
            raise SystemExit(f"{peer} computes a different gradient: {got} vs {expected}")


# ------------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (~20 s)")
    parser.add_argument("--no-gc", action="store_true",
                        help="switch the cyclic GC off during each timed call")
    parser.add_argument("--ops", type=int, default=1000, help="length of the per-op chain")
    parser.add_argument("--long", type=int, default=100_000, help="length of the long chain")
    args = parser.parse_args()
    if args.quick:
        op_repeat, op_warmup, long_repeat, long_warmup, import_runs = 5, 1, 1, 0, 3
    else:
        op_repeat, op_warmup, long_repeat, long_warmup, import_runs = 15, 2, 3, 1, 5
    disable_gc = args.no_gc

    print(f"Python {platform.python_version()}, NumPy {np.__version__}, "
          f"PyTorch {torch.__version__ if torch else 'not installed'}"
          f"{f' ({torch.get_num_threads()} threads)' if torch else ''}, "
          f"{os.cpu_count()} CPUs, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '-')}")
    print(f"medians of {op_repeat} (per-op) / {long_repeat} (long chain) / {import_runs} "
          f"(import) runs; cyclic GC {'OFF' if disable_gc else 'on'} during timed calls\n")
    check_gradients(args.ops)

    def progress(label: str, t: Timing, unit: str, scale: float = 1.0) -> None:
        print(f"  {label:<48} {t.median * scale:10.3f} {unit}   "
              f"[{t.min * scale:.3f} .. {t.max * scale:.3f}]", flush=True)

    results: dict[tuple[str, str], float | None] = {}
    peers = [p for p in PEERS if available(p)]
    timings = measure_many({p: per_op_workload(p, args.ops) for p in peers}, repeat=op_repeat,
                           warmup=op_warmup, disable_gc=disable_gc)
    for peer in peers:
        t = timings[peer].scaled(1e6 / args.ops)
        results["per_op", peer] = t.median
        progress(f"(a) {peer}: {args.ops}-op chain fwd+bwd", t, "µs/op")
    graph_peers = [p for p in peers if p != "bare"]
    builds: dict[str, list[float]] = {p: [] for p in graph_peers}
    workloads = {p: long_chain_workload(p, args.long, builds[p], disable_gc)
                 for p in graph_peers}
    timings = measure_many({p: w[1] for p, w in workloads.items()},
                           setups={p: w[0] for p, w in workloads.items()},
                           repeat=long_repeat, warmup=long_warmup, disable_gc=disable_gc)
    for peer in graph_peers:
        build, backward = summarize(builds[peer][long_warmup:]), timings[peer]
        results["build", peer] = build.median
        results["backward", peer] = backward.median
        progress(f"(b) {peer}: build {args.long}-op chain", build, "s")
        progress(f"(b) {peer}: backward {args.long}-op chain", backward, "s")
    with tempfile.TemporaryDirectory() as tmp:
        # A copy of the package where .pyc files may be written: the shell here may set
        # PYTHONDONTWRITEBYTECODE, and NumPy and PyTorch come with their .pyc files installed.
        shutil.copytree(ROOT / "tinygrad_edu", Path(tmp) / "tinygrad_edu",
                        ignore=shutil.ignore_patterns("__pycache__"))
        origin = module_origin("tinygrad_edu", cwd=tmp)
        if not origin.startswith(tmp):
            raise SystemExit(f"the import timing would load {origin}, not the copy in {tmp}")
        specs: dict[str, tuple[str, str | None, bool | None]] = {
            "tinygrad_edu": ("tinygrad_edu", tmp, True),
            "bare": ("numpy", str(ROOT), None),
        }
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            specs["nopyc"] = ("tinygrad_edu", str(ROOT), None)
        if available("torch"):
            specs["torch"] = ("torch", str(ROOT), None)
        imports = import_times(specs, runs=import_runs)
    labels = {"tinygrad_edu": "tinygrad_edu (.pyc cached)", "bare": "numpy",
              "nopyc": "tinygrad_edu (no .pyc, as this shell)", "torch": "torch"}
    for key, t in imports.items():
        if key == "nopyc":
            results["import_nopyc", "tinygrad_edu"] = t.median
        else:
            results["import", key] = t.median
        progress(f"(c) import {labels[key]}", t, "s")
    print()

    def row(key: str, label: str, digits: int, target: str,
            met: Callable[[float | None, float | None], bool | None]) -> list[str]:
        edu, pt = results.get((key, "tinygrad_edu")), results.get((key, "torch"))
        tape = results.get((key, "tape"))
        verdict = met(edu, pt)
        return [label, fmt(edu, digits), fmt(pt, digits), fmt(results.get((key, "bare")), digits),
                fmt(tape, digits), ratio(edu, pt), ratio(edu, tape), target,
                "-" if verdict is None else ("yes" if verdict else "NO")]

    def not_slower(edu: float | None, pt: float | None) -> bool | None:
        return None if edu is None or pt is None else edu <= pt

    rows = [
        row("per_op", f"(a) {args.ops}-op chain, fwd+bwd [µs/op]", 2, "<= PyTorch", not_slower),
        row("build", f"(b) build {args.long}-op chain [s]", 3, "-", lambda e, p: None),
        row("backward", f"(b) backward {args.long}-op chain [s]", 3, "<= PyTorch", not_slower),
        row("import", "(c) import [s] (bare = numpy)", 3, "< 0.15 s",
            lambda e, p: None if e is None else e < 0.15),
    ]
    edu_import, np_import = results.get(("import", "tinygrad_edu")), results.get(("import", "bare"))
    if edu_import is not None and np_import is not None:
        rows.append(["(c) import, tinygrad_edu's own share (- numpy) [s]",
                     fmt(edu_import - np_import, 3), "-", "-", "-", "-", "-", "-", "-"])
    if ("import_nopyc", "tinygrad_edu") in results:
        rows.append(row("import_nopyc", "(c) import, no .pyc written [s]", 3, "-",
                        lambda e, p: None))
    print_table(["workload", "tinygrad_edu", "PyTorch", "NumPy bare", "NumPy tape",
                 "edu/PyTorch", "edu/tape", "target", "met"], rows,
                title="Engine benchmarks (medians; ratios > 1 mean tinygrad_edu is slower)")


if __name__ == "__main__":
    main()

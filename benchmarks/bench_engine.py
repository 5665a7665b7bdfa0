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
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # run as a script from anywhere

from common import Timing, fmt, import_time, measure, print_table, ratio, summarize  # noqa: E402

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


def per_op(peer: str, n: int, repeat: int, warmup: int, disable_gc: bool) -> Timing:
    """µs per op of forward + backward through an ``n``-op chain."""
    if peer == "bare":
        x = leaf(peer)
        return measure(lambda: numpy_bare(x, n), repeat=repeat, warmup=warmup,
                       disable_gc=disable_gc).scaled(1e6 / n)
    x = leaf(peer)

    def step() -> None:
        x.grad = None
        chain(x, n).sum().backward()

    return measure(step, repeat=repeat, warmup=warmup, disable_gc=disable_gc).scaled(1e6 / n)


def long_chain(peer: str, n: int, repeat: int, warmup: int,
               disable_gc: bool) -> tuple[Timing, Timing]:
    """(build time, backward time) of an ``n``-op chain, in seconds."""
    builds: list[float] = []

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

    backward = measure(lambda xl: xl[1].backward(), setup=build, repeat=repeat,
                       warmup=warmup, disable_gc=disable_gc)
    return summarize(builds[warmup:]), backward


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
        print(f"  {label:<40} {t.median * scale:10.3f} {unit}   "
              f"[{t.min * scale:.3f} .. {t.max * scale:.3f}]", flush=True)

    results: dict[tuple[str, str], float | None] = {}
    for peer in PEERS:
        if not available(peer):
            continue
        t = per_op(peer, args.ops, op_repeat, op_warmup, disable_gc)
        results["per_op", peer] = t.median
        progress(f"(a) {peer}: {args.ops}-op chain fwd+bwd", t, "µs/op")
    for peer in PEERS:
        if peer == "bare" or not available(peer):
            continue
        build, backward = long_chain(peer, args.long, long_repeat, long_warmup, disable_gc)
        results["build", peer] = build.median
        results["backward", peer] = backward.median
        progress(f"(b) {peer}: build {args.long}-op chain", build, "s")
        progress(f"(b) {peer}: backward {args.long}-op chain", backward, "s")
    for peer, module in (("tinygrad_edu", "tinygrad_edu"), ("torch", "torch"),
                         ("bare", "numpy")):
        if not available(peer):
            continue
        t = import_time(module, runs=import_runs, cwd=str(ROOT))
        results["import", peer] = t.median
        progress(f"(c) import {module}", t, "s")
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
    print_table(["workload", "tinygrad_edu", "PyTorch", "NumPy bare", "NumPy tape",
                 "edu/PyTorch", "edu/tape", "target", "met"], rows,
                title="Engine benchmarks (medians; ratios > 1 mean tinygrad_edu is slower)")


if __name__ == "__main__":
    main()

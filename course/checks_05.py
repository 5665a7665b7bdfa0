"""Instant checks for the exercises of chapter 05 (the GPU).

Each ``check_<exercise>(answer...)`` prints ✅ or ❌ with a hint aimed at the usual mistake, and
returns True or False. They run offline, on a machine without a GPU, in well under a second.

The timer check cannot use a real GPU, so it plays one: while it runs, ``torch.cuda`` answers
``is_available() == True`` and its ``synchronize()`` waits (sleeps) for the work that the fake
``fn`` "queued" — just as a real GPU returns from a launch at once and makes you wait only
when you synchronize. The real functions are put back afterwards, whatever happens.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from checks import report

import tinygrad_edu as torch

# ------------------------------------------------------------------------------ exercise 1

WARMUP_S = 0.2   # the fake GPU's first call: context creation, kernel compilation ...
EACH_S = 0.03    # every later call: the kernel itself
CPU_EACH_S = 0.01
REPEAT = 4       # the checks call time_it(fn, repeat=REPEAT)


class FakeGPU:
    """A callable that works like a GPU launch: calling it only *queues* work (the first call
    queues the warm-up); ``synchronize()`` waits until the queue is empty."""

    def __init__(self, warmup_s: float = WARMUP_S, each_s: float = EACH_S) -> None:
        self.warmup_s, self.each_s = warmup_s, each_s
        self.calls = 0
        self.queued = 0.0
        self.syncs = 0

    def __call__(self) -> None:
        self.calls += 1
        self.queued += self.warmup_s if self.calls == 1 else self.each_s

    def synchronize(self) -> None:
        self.syncs += 1
        time.sleep(self.queued)
        self.queued = 0.0


class FakeCPU:
    """A callable that does its work at once (a NumPy function on the CPU)."""

    def __init__(self, each_s: float = CPU_EACH_S) -> None:
        self.each_s = each_s
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1
        time.sleep(self.each_s)


def _no_gpu_synchronize() -> None:
    raise RuntimeError("CUDA is not available: (the check plays a machine without a GPU)")


@contextmanager
def _pretend(available: bool, synchronize: Callable[[], None]) -> Iterator[None]:
    """Make ``torch.cuda.is_available`` / ``synchronize`` answer as a GPU (or CPU-only)
    machine would, and put the real ones back afterwards."""
    cuda = torch.cuda
    saved = cuda.is_available, cuda.synchronize
    cuda.is_available = lambda: available  # type: ignore[assignment]
    cuda.synchronize = synchronize  # type: ignore[assignment]
    try:
        yield
    finally:
        cuda.is_available, cuda.synchronize = saved  # type: ignore[assignment]


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    return float(value)


def _call_timer(time_it: Any, fn: Any, what: str) -> tuple[float | None, str | None]:
    """Run ``time_it(fn, repeat=REPEAT)``: its result in seconds, or a hint."""
    try:
        value = time_it(fn, repeat=REPEAT)
    except TypeError as error:
        if "repeat" in str(error) or "argument" in str(error):
            return None, (f"time_it(fn, repeat={REPEAT}) failed: {error}. Keep the signature "
                          "def time_it(fn, repeat=5).")
        return None, f"time_it raised TypeError: {error}"
    except RuntimeError as error:
        if "CUDA is not available" in str(error):
            return None, ("On a machine without a GPU, torch.cuda.synchronize() raises "
                          "RuntimeError: call it only when torch.cuda.is_available() is True, "
                          "so the same timer works on both.")
        return None, f"time_it raised RuntimeError on {what}: {error}"
    except Exception as error:  # show the student's own error
        return None, f"time_it raised {type(error).__name__} on {what}: {error}"
    if value is None:
        return None, "time_it returned None: did you forget `return`?"
    seconds = _seconds(value)
    if seconds is None:
        return None, (f"time_it returned a {type(value).__name__}; return the time of one call "
                      "as a Python float, in seconds.")
    return seconds, None


def check_time_it(time_it: Any) -> bool:
    """Exercise 1: ``time_it(fn, repeat=5)`` calls ``fn()`` once untimed (warm-up), then times
    ``repeat`` calls, synchronizing the GPU (when there is one) before starting and before
    stopping the clock, and returns the average seconds per call."""
    success = ("Right: one untimed warm-up call, torch.cuda.synchronize() before starting and "
               "before stopping the clock (only when a GPU is there), and the average per call: "
               f"about {EACH_S} s on a pretend GPU whose warm-up takes {WARMUP_S} s.")
    if not callable(time_it):
        return report(False, success, "Pass the function itself: check_time_it(time_it), "
                      "without calling it.")

    # a machine without a GPU: synchronize() raises, fn works at once
    cpu = FakeCPU()
    with _pretend(False, _no_gpu_synchronize):
        seconds, hint = _call_timer(time_it, cpu, "a CPU-only machine")
    if hint is not None:
        return report(False, success, hint)
    assert seconds is not None
    if cpu.calls == 0:
        return report(False, success, "time_it never called fn: call fn() inside it (fn is "
                      "the function to time, e.g. lambda: torch.matmul(a, b)).")

    # a pretend GPU: fn only queues work; synchronize() waits for it
    gpu = FakeGPU()
    with _pretend(True, gpu.synchronize):
        seconds, hint = _call_timer(time_it, gpu, "a pretend GPU")
    if hint is not None:
        return report(False, success, hint)
    assert seconds is not None
    if gpu.calls == REPEAT:
        return report(False, success, f"fn was called {REPEAT} times for repeat={REPEAT}: "
                      "there was no warm-up. Call fn() once before timing anything: the first "
                      "call pays for start-up costs (CUDA context, compiling kernels).")
    if gpu.calls < REPEAT:
        return report(False, success, f"fn was called {gpu.calls} time(s) for repeat="
                      f"{REPEAT}: time `repeat` calls, after one warm-up call.")
    if gpu.syncs == 0 or seconds < 0.3 * EACH_S:
        return report(False, success, f"Measured {seconds:.4f} s per call, but each call keeps "
                      f"the pretend GPU busy for {EACH_S} s: you timed only the launch. Call "
                      "torch.cuda.synchronize() after fn() and before reading the clock (when "
                      "torch.cuda.is_available(); ask inside time_it).")
    if math.isclose(seconds, EACH_S * 1000, rel_tol=0.5):
        return report(False, success, f"{seconds:.1f} looks like milliseconds: return seconds "
                      "(the difference of two time.perf_counter() readings).")
    if math.isclose(seconds, EACH_S * REPEAT, rel_tol=0.2):
        return report(False, success, f"{seconds:.3f} s is the total of {REPEAT} calls: divide "
                      "by repeat, to return the time of ONE call.")
    if seconds > 1.7 * EACH_S and gpu.calls > REPEAT:
        return report(False, success, f"Measured {seconds:.3f} s per call instead of about "
                      f"{EACH_S} s: the warm-up's work was still running when the clock "
                      "started. Call torch.cuda.synchronize() BEFORE starting the clock too.")
    if abs(seconds - EACH_S) > 0.5 * EACH_S:
        return report(False, success, f"Measured {seconds:.4f} s per call, expected about "
                      f"{EACH_S} s: time `repeat` calls after a warm-up, synchronize before and "
                      "after, and return total / repeat.")
    return report(True, success, "")


# ------------------------------------------------------------------------------ exercise 2

GFLOPS_CASES = [  # n, k, m, seconds: (n x k) @ (k x m)
    (10000, 1000, 2000, 0.2174),
    (64, 32, 16, 2e-5),
    (512, 512, 512, 0.004),
]


def _gflops(n: int, k: int, m: int, seconds: float) -> float:
    return 2 * n * k * m / seconds / 1e9


_GFLOPS_MISTAKES: list[tuple[Callable[[int, int, int, float], float], str]] = [
    (lambda n, k, m, s: n * k * m / s / 1e9,
     "Half the right value: each of the n·k·m steps is a multiply AND an add, 2 FLOPs. "
     "Count 2·n·k·m."),
    (lambda n, k, m, s: 2 * n * k * m / s,
     "That is FLOP/s: divide by 1e9 to get GFLOP/s (giga = 10⁹)."),
    (lambda n, k, m, s: n * k * m / s,
     "That is half the FLOP/s: count 2·n·k·m FLOPs (multiply and add), and divide by 1e9 for "
     "GFLOP/s."),
    (lambda n, k, m, s: 2 * n * k * m / s / 1e12,
     "That is TFLOP/s (10¹²): divide by 1e9, not 1e12, for GFLOP/s."),
    (lambda n, k, m, s: 2 * n * k * m * s / 1e9,
     "Divide the work by the time (FLOPs per second), do not multiply."),
    (lambda n, k, m, s: 2 * n * k * m / 1e9,
     "That is the work in GFLOP, without the time: divide by seconds too."),
    (lambda n, k, m, s: 2 * n * m / s / 1e9,
     "You counted one operation per output element: each of the n·m outputs is a sum of k "
     "products, so the work is 2·n·k·m."),
    (lambda n, k, m, s: n * m / s / 1e9,
     "You counted one operation per output element: each of the n·m outputs is a sum of k "
     "products, so the work is 2·n·k·m."),
    (lambda n, k, m, s: 2 * n * k * m / s / 2**30,
     "Use 1e9 for giga (FLOP counts are decimal), not 2**30."),
]


def check_gflops(gflops: Any) -> bool:
    """Exercise 2: ``gflops(n, k, m, seconds)`` = ``2 * n * k * m / seconds / 1e9``, the speed
    of an (n x k) @ (k x m) matmul that took ``seconds``."""
    success = ("Right: (n×k) @ (k×m) takes n·m·k multiply-adds = 2·n·k·m FLOPs; divided by the "
               "time and by 10⁹ that is GFLOP/s (the seed's CPU: {:.0f} GFLOP/s).")
    if not callable(gflops):
        return report(False, success, "Pass the function itself: check_gflops(gflops), "
                      "without calling it.")
    got: list[float] = []
    for n, k, m, s in GFLOPS_CASES:
        try:
            value = gflops(n, k, m, s)
        except Exception as error:  # show the student's own error
            return report(False, success, f"gflops({n}, {k}, {m}, {s}) raised "
                          f"{type(error).__name__}: {error}")
        if value is None:
            return report(False, success, "gflops returned None: did you forget `return`?")
        number = _seconds(value.item() if isinstance(value, torch.Tensor) else value)
        if number is None:
            return report(False, success, f"gflops returned a {type(value).__name__}; return "
                          "a number.")
        got.append(number)
    want = [_gflops(*case) for case in GFLOPS_CASES]
    if all(math.isclose(g, w, rel_tol=1e-6) for g, w in zip(got, want)):
        return report(True, success.format(want[0]), "")
    for mistake, hint in _GFLOPS_MISTAKES:
        if all(math.isclose(g, mistake(*case), rel_tol=1e-6)
               for g, case in zip(got, GFLOPS_CASES)):
            return report(False, success, hint)
    n, k, m, s = GFLOPS_CASES[0]
    return report(False, success, f"gflops({n}, {k}, {m}, {s}) gave {got[0]:.1f}, expected "
                  f"{want[0]:.1f}: 2·n·k·m FLOPs, divided by seconds, divided by 1e9.")


# ------------------------------------------------------------------------------ exercise 3

def _bytes_cases() -> list[tuple[torch.Tensor, int]]:
    return [
        (torch.zeros(3, 4), 3 * 4 * 4),                         # float32: 4 bytes each
        (torch.zeros(10, dtype=torch.float64), 10 * 8),
        (torch.zeros(2, 3, 5, dtype=torch.int64), 30 * 8),
        (torch.zeros(5, 5, dtype=torch.float16), 25 * 2),
        (torch.zeros(7, 3, dtype=torch.bool), 21 * 1),
        (torch.tensor(1.0), 4),                                  # 0-d: one element
    ]


def check_transfer_bytes(transfer_bytes: Any) -> bool:
    """Exercise 3: ``transfer_bytes(t)`` = ``t.numel() * t.element_size()``, the bytes that
    moving ``t`` between the CPU and the GPU copies."""
    success = ("Right: bytes = number of elements × bytes per element, "
               "t.numel() * t.element_size() (4 for float32, 8 for float64/int64, 2 for "
               "float16, 1 for bool).")
    if not callable(transfer_bytes):
        return report(False, success, "Pass the function itself: "
                      "check_transfer_bytes(transfer_bytes), without calling it.")
    cases = _bytes_cases()
    got: list[float] = []
    for t, _ in cases:
        try:
            value = transfer_bytes(t)
        except Exception as error:  # show the student's own error
            if "len() of a 0-d" in str(error):
                return report(False, success, "len(t) is only the size of the first dimension "
                              "(and a 0-d tensor has none): t.numel() counts all the elements.")
            return report(False, success, f"transfer_bytes(a {tuple(t.shape)} "
                          f"{t.dtype.name} tensor) raised {type(error).__name__}: {error}")
        if value is None:
            return report(False, success, "transfer_bytes returned None: did you forget "
                          "`return`?")
        if isinstance(value, torch.Tensor):
            return report(False, success, "transfer_bytes returned a tensor: return a Python "
                          "int (t.numel() and t.element_size() are ints already).")
        number = _seconds(value)
        if number is None:
            return report(False, success, f"transfer_bytes returned a {type(value).__name__}; "
                          "return a whole number of bytes.")
        got.append(number)
    want = [b for _, b in cases]
    if got == want:
        return report(True, success, "")
    numel = [t.numel() for t, _ in cases]
    if got == numel:
        return report(False, success, "That is the number of elements: multiply by the bytes "
                      "per element, t.element_size().")
    if got == [4 * n for n in numel]:
        return report(False, success, "Right for float32, but not every tensor is float32: "
                      "use t.element_size() (8 for float64 and int64, 2 for float16, 1 for "
                      "bool).")
    if got == [8 * b for b in want]:
        return report(False, success, "That is in bits: count bytes (t.element_size() is "
                      "already in bytes).")
    if all(math.isclose(g, b / 2**20) for g, b in zip(got, want)) or all(
            math.isclose(g, b / 1e6) for g, b in zip(got, want)):
        return report(False, success, "Return plain bytes, not megabytes: the notebook "
                      "converts afterwards.")
    lens = [len(t) * t.element_size() if t.dim() else 0 for t, _ in cases]
    if got[:5] == lens[:5]:
        return report(False, success, "len(t) is only the size of the first dimension: "
                      "t.numel() counts all the elements.")
    t, b = cases[0]
    return report(False, success, f"For a {tuple(t.shape)} float32 tensor you returned "
                  f"{got[0]:g}, expected {b}: t.numel() * t.element_size().")


# ------------------------------------------------------------------------------ exercise 4

MIXED_CHOICES = {
    "a": "tinygrad_edu copies the images to the GPU for you and returns logits on the GPU",
    "b": "it raises RuntimeError: Expected all tensors to be on the same device ...",
    "c": "it computes on the CPU and returns logits on the CPU",
    "d": "it moves the model back to the CPU, then computes there",
}
MIXED_HINTS = {
    "a": "No: neither PyTorch nor tinygrad_edu ever copies data between devices behind your "
         "back (a silent copy would hide a slow transfer). Mixing devices in one operation "
         "is an error.",
    "c": "No: the weights are on the GPU and the images on the CPU, so the first layer would "
         "need both in one place. Nothing is moved for you: it is an error.",
    "d": "No: a module only moves when you call .to(...) on it. Mixing devices in one "
         "operation is an error.",
}


def check_mixed_devices(answer: Any) -> bool:
    """Exercise 4: a model on the GPU applied to images on the CPU raises PyTorch's
    "Expected all tensors to be on the same device" RuntimeError (choice ``"b"``)."""
    success = ("Right: every operation needs all its tensors on one device; nothing is copied "
               "for you. Fix: images = images.to(device) (and labels too, for the loss).")
    choice = answer.strip().lower().strip("().") if isinstance(answer, str) else None
    if choice not in MIXED_CHOICES:
        return report(False, success, "Answer with one letter as a string: \"a\", \"b\", "
                      "\"c\" or \"d\".")
    if choice == "b":
        return report(True, success, "")
    return report(False, success, MIXED_HINTS[choice])

"""The exercise checkers of chapter 05: the reference solution passes, and the typical wrong
answers fail with the hint written for them. All of it runs without a GPU: the timer check
plays one (see checks_05.FakeGPU)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import checks_05
import pytest
from course_checks_helpers import outcome

import tinygrad_edu as torch

# ------------------------------------------------------------------------------ exercise 1


def _sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def solution(fn: Callable[[], Any], repeat: int = 5) -> float:
    fn()                                   # warm-up, not timed
    total = 0.0
    for _ in range(repeat):
        _sync()                            # start with nothing queued
        start = time.perf_counter()
        fn()
        _sync()                            # wait for fn's work
        total += time.perf_counter() - start
    return total / repeat


def one_block(fn: Callable[[], Any], repeat: int = 5) -> float:
    fn()
    _sync()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    _sync()
    return (time.perf_counter() - start) / repeat


def best_of(fn: Callable[[], Any], repeat: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeat):
        _sync()
        start = time.time()
        fn()
        _sync()
        times.append(time.time() - start)
    return min(times)


@pytest.mark.parametrize("time_it", [solution, one_block, best_of])
def test_time_it_solution(capsys: pytest.CaptureFixture[str], time_it: Any) -> None:
    assert checks_05.check_time_it(time_it)
    assert "about 0.03 s" in outcome(capsys, True)


def test_time_it_puts_the_real_cuda_functions_back() -> None:
    is_available, synchronize = torch.cuda.is_available, torch.cuda.synchronize
    checks_05.check_time_it(solution)
    checks_05.check_time_it(lambda fn, repeat=5: 1 / 0)
    assert torch.cuda.is_available is is_available
    assert torch.cuda.synchronize is synchronize


def test_the_fake_gpu_works_like_a_launch() -> None:
    """Calling the fake only queues work; synchronize() waits for it."""
    gpu = checks_05.FakeGPU(warmup_s=0.05, each_s=0.02)
    start = time.perf_counter()
    gpu()
    gpu()
    assert time.perf_counter() - start < 0.01
    gpu.synchronize()
    assert time.perf_counter() - start >= 0.07
    assert gpu.queued == 0.0


def no_sync(fn: Callable[[], Any], repeat: int = 5) -> float:  # the seed's mistake
    fn()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def always_sync(fn: Callable[[], Any], repeat: int = 5) -> float:
    fn()
    torch.cuda.synchronize()  # raises on a machine without a GPU
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeat


def no_warmup(fn: Callable[[], Any], repeat: int = 5) -> float:
    total = 0.0
    for _ in range(repeat):
        _sync()
        start = time.perf_counter()
        fn()
        _sync()
        total += time.perf_counter() - start
    return total / repeat


def no_warmup_best_of(fn: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        _sync()
        start = time.perf_counter()
        fn()
        _sync()
        times.append(time.perf_counter() - start)
    return min(times)


def sync_after_only(fn: Callable[[], Any], repeat: int = 5) -> float:
    fn()
    total = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        _sync()
        total += time.perf_counter() - start
    return total / repeat


def sync_before_only(fn: Callable[[], Any], repeat: int = 5) -> float:
    fn()
    total = 0.0
    for _ in range(repeat):
        _sync()
        start = time.perf_counter()
        fn()
        total += time.perf_counter() - start
    return total / repeat


def total_time(fn: Callable[[], Any], repeat: int = 5) -> float:
    return solution(fn, repeat) * repeat


def milliseconds(fn: Callable[[], Any], repeat: int = 5) -> float:
    return solution(fn, repeat) * 1000


def no_repeat_argument(fn: Callable[[], Any]) -> float:
    return solution(fn)


def placeholder(fn: Callable[[], Any], repeat: int = 5) -> None:
    return None  # the notebook's starting cell


def never_calls(fn: Callable[[], Any], repeat: int = 5) -> float:
    return 0.01


def returns_list(fn: Callable[[], Any], repeat: int = 5) -> list[float]:
    return [solution(fn, repeat)]


def fixed_count(fn: Callable[[], Any], repeat: int = 5) -> float:
    return solution(fn, 1)


@pytest.mark.parametrize(("time_it", "hint"), [
    (None, "Pass the function itself"),
    (0.03, "Pass the function itself"),
    (no_sync, "you timed only the launch"),
    (sync_before_only, "you timed only the launch"),
    (always_sync, "call it only when torch.cuda.is_available()"),
    (no_warmup, "there was no warm-up"),
    (no_warmup_best_of, "there was no warm-up"),
    (sync_after_only, "BEFORE starting the clock"),
    (total_time, "divide by repeat"),
    (milliseconds, "looks like milliseconds"),
    (no_repeat_argument, "Keep the signature"),
    (placeholder, "forget `return`"),
    (never_calls, "never called fn"),
    (returns_list, "as a Python float"),
    (fixed_count, "time `repeat` calls"),
    (lambda fn, repeat=5: 1 / 0, "ZeroDivisionError"),
])
def test_time_it_wrong(capsys: pytest.CaptureFixture[str], time_it: Any, hint: str) -> None:
    assert not checks_05.check_time_it(time_it)
    assert hint in outcome(capsys, False)


# ------------------------------------------------------------------------------ exercise 2


@pytest.mark.parametrize("gflops", [
    lambda n, k, m, seconds: 2 * n * k * m / seconds / 1e9,
    lambda n, k, m, seconds: 2 * n * k * m / seconds * 1e-9,
    lambda n, k, m, seconds: torch.tensor(2.0 * n * k * m / seconds / 1e9, dtype=torch.float64),
])
def test_gflops_solution(capsys: pytest.CaptureFixture[str], gflops: Any) -> None:
    assert checks_05.check_gflops(gflops)
    assert "184 GFLOP/s" in outcome(capsys, True)  # the seed: 4e10 FLOPs in 0.2174 s


@pytest.mark.parametrize(("gflops", "hint"), [
    (None, "Pass the function itself"),
    (lambda n, k, m, s: None, "forget `return`"),
    (lambda n, k, m, s: "fast", "return a number"),
    (lambda n, k, m, s: n * k * m / s / 1e9, "multiply AND an add"),
    (lambda n, k, m, s: 2 * n * k * m / s, "That is FLOP/s"),
    (lambda n, k, m, s: n * k * m / s, "half the FLOP/s"),
    (lambda n, k, m, s: 2 * n * k * m / s / 1e12, "TFLOP/s"),
    (lambda n, k, m, s: 2 * n * k * m * s / 1e9, "do not multiply"),
    (lambda n, k, m, s: 2 * n * k * m / 1e9, "without the time"),
    (lambda n, k, m, s: 2 * n * m / s / 1e9, "one operation per output element"),
    (lambda n, k, m, s: n * m / s / 1e9, "one operation per output element"),
    (lambda n, k, m, s: 2 * n * k * m / s / 2**30, "not 2**30"),
    (lambda n, k, m, s: 2 * n**3 / s / 1e9, "expected 184.0"),
    (lambda n, k, s: 0.0, "TypeError"),
])
def test_gflops_wrong(capsys: pytest.CaptureFixture[str], gflops: Any, hint: str) -> None:
    assert not checks_05.check_gflops(gflops)
    assert hint in outcome(capsys, False)


# ------------------------------------------------------------------------------ exercise 3


@pytest.mark.parametrize("transfer_bytes", [
    lambda t: t.numel() * t.element_size(),
    lambda t: t.nelement() * t.element_size(),
    lambda t: t.numel() * t.dtype.itemsize,
])
def test_transfer_bytes_solution(capsys: pytest.CaptureFixture[str],
                                 transfer_bytes: Any) -> None:
    assert checks_05.check_transfer_bytes(transfer_bytes)
    outcome(capsys, True)


def test_transfer_bytes_cases_match_numpy() -> None:
    """The expected byte counts are NumPy's nbytes of the same arrays."""
    for t, expected in checks_05._bytes_cases():
        assert t.numpy().nbytes == expected


@pytest.mark.parametrize(("transfer_bytes", "hint"), [
    (None, "Pass the function itself"),
    (48, "Pass the function itself"),
    (lambda t: None, "forget `return`"),
    (lambda t: t.numel(), "multiply by the bytes per element"),
    (lambda t: 4 * t.numel(), "not every tensor is float32"),
    (lambda t: 8 * t.numel() * t.element_size(), "That is in bits"),
    (lambda t: t.numel() * t.element_size() / 2**20, "not megabytes"),
    (lambda t: t.numel() * t.element_size() / 1e6, "not megabytes"),
    (lambda t: len(t) * t.element_size(), "len(t)"),  # raises on the 0-d tensor
    (lambda t: len(t) * t.element_size() if t.dim() else 4, "len(t) is only"),
    (lambda t: torch.tensor(t.numel() * t.element_size()), "returned a tensor"),
    (lambda t: str(t.numel() * t.element_size()), "whole number of bytes"),
    (lambda t: t.numel() + t.element_size(), "expected 48"),
])
def test_transfer_bytes_wrong(capsys: pytest.CaptureFixture[str], transfer_bytes: Any,
                              hint: str) -> None:
    assert not checks_05.check_transfer_bytes(transfer_bytes)
    assert hint in outcome(capsys, False)


# ------------------------------------------------------------------------------ exercise 4


@pytest.mark.parametrize("answer", ["b", "B", " b ", "(b)", "b."])
def test_mixed_devices_solution(capsys: pytest.CaptureFixture[str], answer: str) -> None:
    assert checks_05.check_mixed_devices(answer)
    assert "images.to(device)" in outcome(capsys, True)


def test_mixed_devices_answer_quotes_pytorchs_message() -> None:
    assert "Expected all tensors to be on the same device" in checks_05.MIXED_CHOICES["b"]


@pytest.mark.parametrize(("answer", "hint"), [
    (None, "one letter"),
    ("", "one letter"),
    ("e", "one letter"),
    (2, "one letter"),
    ("a", "behind your back"),
    ("c", "Nothing is moved for you"),
    ("d", "only moves when you call .to"),
])
def test_mixed_devices_wrong(capsys: pytest.CaptureFixture[str], answer: Any,
                             hint: str) -> None:
    assert not checks_05.check_mixed_devices(answer)
    assert hint in outcome(capsys, False)

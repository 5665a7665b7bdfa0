"""Instant, offline checks for the course exercises.

Every checker prints one line and returns a bool::

    ✅ what you got right          (returns True)
    ❌ a hint about what to fix    (returns False)

``report`` is the one place that prints. ``Check`` bundles it with small helpers that
find the *first* problem with a tensor answer (not a tensor, wrong shape, wrong dtype,
wrong values) and describe it in words a beginner can act on. Chapter modules
(``checks_01.py``, ``checks_02.py`` …) define ``check_<exercise>(answer...) -> bool``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import tinygrad_edu as torch

__all__ = ["Check", "report"]


def report(ok: bool, success: str, hint: str) -> bool:
    """Print ``✅ success`` or ``❌ hint`` and return ``ok``."""
    print(f"✅ {success}" if ok else f"❌ {hint}")
    return bool(ok)


def _shape(shape: Sequence[int]) -> tuple[int, ...]:
    return tuple(int(n) for n in shape)


def _fmt(shape: Sequence[int]) -> str:
    return f"({', '.join(str(n) for n in shape)}{',' if len(shape) == 1 else ''})"


def numbers(answer: Any) -> np.ndarray | None:
    """The numbers in ``answer`` (a tensor, number, list or array) as float64, else None."""
    if answer is None:
        return None
    if isinstance(answer, torch.Tensor):
        return np.asarray(answer.detach().tolist(), dtype=np.float64)
    try:
        return np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def close(answer: Any, expected: Any) -> bool:
    """``answer`` holds the numbers of ``expected`` (same count, 1e-4 relative)."""
    got = numbers(answer)
    want = np.asarray(expected, dtype=np.float64)
    return got is not None and got.size == want.size and bool(
        np.allclose(got.reshape(-1), want.reshape(-1), rtol=1e-4, atol=1e-6))


class Check:
    """Helpers for writing checkers. Each ``*_problem`` returns a hint, or None if fine."""

    report = staticmethod(report)

    @staticmethod
    def to_numpy(t: Any) -> np.ndarray:
        """The values of a tensor (any device, grad or not) as a NumPy array."""
        if isinstance(t, torch.Tensor):
            return np.asarray(t.detach().cpu().numpy())
        return np.asarray(t)

    @staticmethod
    def not_tensor_problem(answer: Any, name: str = "answer") -> str | None:
        if isinstance(answer, torch.Tensor):
            return None
        if answer is None:
            return (f"{name} is None: did you forget to assign it (or `return` it from "
                    f"your function)?")
        if isinstance(answer, np.ndarray):
            return (f"{name} is a NumPy array, not a tensor: wrap it with torch.tensor(...) "
                    f"or torch.from_numpy(...)")
        return (f"{name} is a {type(answer).__name__}, not a tensor: build it with "
                f"torch.tensor(...) or a torch function")

    @staticmethod
    def shape_problem(answer: Any, shape: Sequence[int], name: str = "answer") -> str | None:
        got, want = _shape(answer.shape), _shape(shape)
        if got == want:
            return None
        hint = f"{name} has shape {_fmt(got)}, expected {_fmt(want)}"
        if len(got) + 1 == len(want) and tuple(n for n in want if n != 1) == got:
            hint += (": a dimension of size 1 is missing — did you forget keepdim=True "
                     "(or unsqueeze)?")
        elif len(got) == len(want) + 1 and tuple(n for n in got if n != 1) == want:
            hint += ": there is an extra dimension of size 1 — squeeze it away"
        elif got == tuple(reversed(want)):
            hint += ": the dimensions are swapped — check the order you passed to view/reshape"
        elif int(np.prod(got)) == int(np.prod(want)):
            hint += f": same number of elements, so .view{_fmt(want)} or .reshape can fix it"
        else:
            hint += f" ({int(np.prod(got))} elements instead of {int(np.prod(want))})"
        return hint

    @staticmethod
    def dtype_problem(answer: Any, dtype: Any, name: str = "answer") -> str | None:
        if answer.dtype == dtype:
            return None
        hint = f"{name} has dtype torch.{answer.dtype.name}, expected torch.{dtype.name}"
        if dtype.is_floating_point and not answer.dtype.is_floating_point:
            hint += (": integers in, integers out — pass dtype=..., or convert with "
                     ".float()/.to(dtype)")
        elif answer.dtype == torch.float64 and dtype == torch.float32:
            hint += (": NumPy arrays are float64 by default and torch.from_numpy keeps "
                     "that — convert with .float()")
        else:
            hint += ": pass dtype=... when you create it, or convert with .to(dtype)"
        return hint

    @staticmethod
    def values_problem(answer: Any, expected: Any, name: str = "answer",
                       atol: float = 1e-6, rtol: float = 1e-5) -> str | None:
        got, want = Check.to_numpy(answer), Check.to_numpy(expected)
        if got.shape == want.shape and np.allclose(got, want, atol=atol, rtol=rtol):
            return None
        if got.shape != want.shape:
            return f"{name} has shape {_fmt(got.shape)}, expected {_fmt(want.shape)}"
        bad = np.argwhere(~np.isclose(got, want, atol=atol, rtol=rtol))
        where = tuple(int(i) for i in bad[0])
        return (f"{name} has the right shape but {len(bad)} wrong value(s); e.g. at index "
                f"{where if where else '()'} you have {got[where]!r}, expected {want[where]!r}")

    @staticmethod
    def tensor_problem(answer: Any, *, shape: Sequence[int] | None = None, dtype: Any = None,
                       values: Any = None, name: str = "answer",
                       atol: float = 1e-6, rtol: float = 1e-5) -> str | None:
        """The first problem among: not a tensor, shape, dtype, values (or None)."""
        problem = Check.not_tensor_problem(answer, name)
        if problem is None and shape is not None:
            problem = Check.shape_problem(answer, shape, name)
        if problem is None and dtype is not None:
            problem = Check.dtype_problem(answer, dtype, name)
        if problem is None and values is not None:
            problem = Check.values_problem(answer, values, name, atol, rtol)
        return problem

    @staticmethod
    def shares_memory(a: Any, b: Any) -> bool:
        """True when two cpu tensors/arrays use the same memory (a view, not a copy)."""
        def array(x: Any) -> np.ndarray:
            return x.detach().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
        return bool(np.shares_memory(array(a), array(b)))

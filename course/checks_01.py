"""Checks for the exercises of chapter 01 (tensors). Each prints ✅/❌ and returns a bool."""

from __future__ import annotations

from typing import Any

import numpy as np
from checks import Check, report

import tinygrad_edu as torch


def check_make_grid(answer: Any) -> bool:
    """A float32 tensor of shape (2, 3) holding 0, 1, …, 5 row by row."""
    expected = np.arange(6, dtype=np.float32).reshape(2, 3)
    problem = Check.tensor_problem(answer, shape=(2, 3), dtype=torch.float32)
    if problem is None:
        got = Check.to_numpy(answer)
        if np.array_equal(got, expected + 1):
            problem = ("the values are 1…6, expected 0…5: torch.arange(n) starts at 0 and "
                       "stops BEFORE n")
        elif np.array_equal(got, expected.reshape(3, 2).T):
            problem = ("the numbers run down the columns: fill the rows first — "
                       "torch.arange(6).view(2, 3), not a transpose")
        else:
            problem = Check.values_problem(answer, expected)
    return report(problem is None, "a (2, 3) float32 grid of 0…5, row by row", problem or "")


def check_center_rows(x: Any, answer: Any) -> bool:
    """``answer`` = x minus the mean of each of its rows (every row of answer averages 0)."""
    xs = Check.to_numpy(x)
    expected = xs - xs.mean(axis=1, keepdims=True)
    problem = Check.tensor_problem(answer, shape=xs.shape)
    if problem is None:
        got = Check.to_numpy(answer)
        if answer is x or Check.shares_memory(answer, x):
            problem = ("answer is x itself, changed in place (`-=` or sub_): x has lost its "
                       "original values — compute a new tensor with `x - ...` instead")
        elif np.allclose(got, expected, atol=1e-5):
            problem = None
        elif xs.shape[0] == xs.shape[1] and np.allclose(got, xs - xs.mean(axis=1), atol=1e-5):
            problem = ("you forgot keepdim=True: x.mean(dim=1) has shape "
                       f"({xs.shape[0]},), which lines up with the COLUMNS when broadcast, so "
                       "row i lost the mean of row j. Use x.mean(dim=1, keepdim=True), shape "
                       f"({xs.shape[0]}, 1)")
        elif np.allclose(got, xs - xs.mean(axis=0, keepdims=True), atol=1e-5):
            problem = ("you subtracted the mean of each COLUMN (dim=0): a row runs along "
                       "dim=1, so use x.mean(dim=1, keepdim=True)")
        elif np.allclose(got, xs - xs.mean(), atol=1e-5):
            problem = ("you subtracted the mean of ALL the numbers: pass dim=1 (and "
                       "keepdim=True) to get one mean per row")
        else:
            problem = Check.values_problem(answer, expected, atol=1e-5)
    return report(problem is None, "every row now has mean 0", problem or "")


def check_reshape_view(x: Any, answer: Any) -> bool:
    """``answer`` shows the 12 numbers of ``x`` as 3 rows of 4, sharing x's memory."""
    xs = Check.to_numpy(x)
    problem = Check.tensor_problem(answer, shape=(3, 4))
    if problem is None:
        got = Check.to_numpy(answer)
        if not Check.shares_memory(answer, x):
            problem = ("right shape, but it is a COPY: changing the original would not "
                       "change it. .view(3, 4) gives a view on the same memory (no .clone(), no "
                       "torch.tensor(...) around it)")
        elif np.array_equal(got, xs.reshape(4, 3).T):
            problem = ("the numbers run down the columns: that is a transpose of a (4, 3) "
                       "view; .view(3, 4) fills rows first")
        else:
            problem = Check.values_problem(answer, xs.reshape(3, 4))
    return report(problem is None, "a (3, 4) view that shares memory with the original",
                  problem or "")


BROADCAST_A, BROADCAST_B = (2, 1, 3), (4, 1)


def check_broadcast_shape(answer: Any) -> bool:
    """The shape of ``a + b`` for a of shape (2, 1, 3) and b of shape (4, 1)."""
    want = (2, 4, 3)
    align = ("line the shapes up from the RIGHT:\n      a: (2, 1, 3)\n      b:    (4, 1)\n"
             "   then per column: equal sizes stay, a 1 stretches to the other size, and a "
             "missing dimension counts as 1")
    if isinstance(answer, str) and any(ch.isdigit() for ch in answer):
        problem = f"write the shape as a tuple of ints, without quotes: (5, 6, 7); {align}"
    elif answer is None or isinstance(answer, str):
        problem = f"these shapes DO broadcast — {align}"
    else:
        try:
            got = tuple(int(n) for n in answer)
        except TypeError:
            got = None
        if got is None:
            problem = f"give the shape as a tuple of ints, like (5, 6, 7); {align}"
        elif got == want:
            problem = None
        elif len(got) < 3:
            problem = (f"{got} has too few dimensions: the result has as many dimensions as "
                       f"the longer shape (3); {align}")
        elif got in {(2, 1, 3), (2, 4, 1), (2, 1, 1)}:
            problem = f"{got}: a dimension of size 1 stretches to the other size; {align}"
        else:
            problem = f"{got} is not it; {align}"
    return report(problem is None, "(2, 4, 3): shapes are aligned from the right", problem or "")


def check_numpy_copy(t: Any, arr: Any) -> bool:
    """``arr`` is a NumPy array with t's values that does NOT change when t changes."""
    if arr is None:
        problem = ("answer is None: did you forget to assign it (or `return` it from your "
                   "function)?")
    elif isinstance(arr, torch.Tensor):
        problem = "answer is a tensor; the exercise asks for a NumPy array (t.numpy() …)"
    elif not isinstance(arr, np.ndarray):
        problem = f"answer is a {type(arr).__name__}, expected a NumPy array (np.ndarray)"
    elif arr.shape != tuple(t.shape):
        problem = f"answer has shape {arr.shape}, expected {tuple(t.shape)}, the same as t"
    elif not np.array_equal(arr, Check.to_numpy(t)):
        problem = "answer has different values from t"
    elif Check.shares_memory(arr, t):
        problem = ("answer shares memory with t (that is what t.numpy() does), so it changes "
                   "when t changes: make a copy, e.g. t.numpy().copy() or t.clone().numpy()")
    else:
        problem = None
    return report(problem is None, "an independent NumPy copy of t", problem or "")

"""The exercise checkers in course/checks*.py: the reference solution passes, and typical
wrong answers fail with a hint that names the mistake.

Add a chapter's cases by appending ``pytest.param(call, ok, fragment, id=...)`` to CASES
(or, in a sibling file, import ``run_case`` and parametrize the same way): ``call`` runs one
checker, ``ok`` is the bool it must return, and ``fragment`` must appear in the printed line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import checks
import checks_01
import numpy as np
import pytest

import tinygrad_edu as torch


def run_case(capsys: pytest.CaptureFixture[str], call: Callable[[], Any], ok: bool,
             fragment: str) -> None:
    """Run one checker call; check its return value, its one printed line and the hint."""
    result = call()
    out = capsys.readouterr().out
    assert result is ok, f"checker returned {result!r}, expected {ok!r}; it printed {out!r}"
    lines = out.splitlines()
    assert len(lines) >= 1, "the checker printed nothing"
    assert lines[0].startswith("✅ " if ok else "❌ "), out
    assert fragment in out, f"expected {fragment!r} in the checker's output {out!r}"


# ------------------------------------------------------------------ checks.py itself

def test_report_prints_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    assert checks.report(True, "fine", "unused") is True
    assert capsys.readouterr().out == "✅ fine\n"
    assert checks.report(False, "unused", "fix this") is False
    assert capsys.readouterr().out == "❌ fix this\n"
    assert checks.Check.report is checks.report


@pytest.mark.parametrize(("answer", "fragment"), [
    (None, "None"),
    (np.zeros((2, 3)), "NumPy array"),
    ([[0.0] * 3] * 2, "list"),
    (torch.zeros(3, 2), "swapped"),
    (torch.zeros(2), "keepdim"),
    (torch.zeros(1, 2, 3), "extra dimension"),
    (torch.zeros(6), "same number of elements"),
    (torch.zeros(2, 3, dtype=torch.int64), "integers in"),
    (torch.zeros(2, 3, dtype=torch.float64), "float64"),
    (torch.ones(2, 3), "wrong value"),
])
def test_tensor_problem_hints(answer: Any, fragment: str) -> None:
    want = (2, 1) if fragment == "keepdim" else (2, 3)
    problem = checks.Check.tensor_problem(answer, shape=want, dtype=torch.float32,
                                          values=torch.zeros(*want))
    assert problem is not None and fragment in problem, problem


def test_tensor_problem_none_when_right() -> None:
    assert checks.Check.tensor_problem(torch.zeros(2, 3), shape=(2, 3), dtype=torch.float32,
                                       values=np.zeros((2, 3))) is None


# ------------------------------------------------------------------ chapter 01

def _square() -> torch.Tensor:
    torch.manual_seed(0)
    return torch.randn(3, 3)


def _wide() -> torch.Tensor:
    torch.manual_seed(1)
    return torch.randn(2, 5)


def _in_place(x: torch.Tensor) -> torch.Tensor:
    x -= x.mean(dim=1, keepdim=True)
    return x


c01 = checks_01
_X12 = torch.arange(12)
_T = torch.arange(6.0).view(2, 3)

CASES: list[Any] = [
    # make_grid
    pytest.param(lambda: c01.check_make_grid(torch.arange(6, dtype=torch.float32).view(2, 3)),
                 True, "(2, 3) float32", id="01-make_grid-ref"),
    pytest.param(lambda: c01.check_make_grid(torch.arange(6.0).reshape(2, 3)),
                 True, "✅", id="01-make_grid-ref-float-literal"),
    pytest.param(lambda: c01.check_make_grid(torch.arange(6).view(2, 3)),
                 False, "dtype torch.int64", id="01-make_grid-int64"),
    pytest.param(lambda: c01.check_make_grid(torch.arange(6, dtype=torch.float64).view(2, 3)),
                 False, "float64", id="01-make_grid-float64"),
    pytest.param(lambda: c01.check_make_grid(torch.arange(6.0).view(3, 2)),
                 False, "swapped", id="01-make_grid-shape-swapped"),
    pytest.param(lambda: c01.check_make_grid(torch.arange(6.0)),
                 False, "same number of elements", id="01-make_grid-flat"),
    pytest.param(lambda: c01.check_make_grid(torch.arange(1.0, 7.0).view(2, 3)),
                 False, "stops BEFORE", id="01-make_grid-off-by-one"),
    pytest.param(lambda: c01.check_make_grid(torch.arange(6.0).view(3, 2).t()),
                 False, "columns", id="01-make_grid-transposed"),
    pytest.param(lambda: c01.check_make_grid(np.arange(6.0).reshape(2, 3)),
                 False, "NumPy array", id="01-make_grid-numpy"),
    pytest.param(lambda: c01.check_make_grid(None),
                 False, "forget to assign", id="01-make_grid-none"),
    # center_rows
    pytest.param(lambda: c01.check_center_rows(x := _square(), x - x.mean(dim=1, keepdim=True)),
                 True, "mean 0", id="01-center_rows-ref"),
    pytest.param(lambda: c01.check_center_rows(x := _wide(), x - x.mean(1, keepdim=True)),
                 True, "mean 0", id="01-center_rows-ref-wide"),
    pytest.param(lambda: c01.check_center_rows(x := _square(), x - x.mean(dim=1)),
                 False, "keepdim=True", id="01-center_rows-forgot-keepdim"),
    pytest.param(lambda: c01.check_center_rows(x := _square(), x - x.mean(dim=0, keepdim=True)),
                 False, "COLUMN", id="01-center_rows-dim0"),
    pytest.param(lambda: c01.check_center_rows(x := _wide(), x - x.mean(dim=0, keepdim=True)),
                 False, "COLUMN", id="01-center_rows-dim0-wide"),
    pytest.param(lambda: c01.check_center_rows(x := _square(), x - x.mean()),
                 False, "ALL the numbers", id="01-center_rows-global-mean"),
    pytest.param(lambda: c01.check_center_rows(x := _square(), _in_place(x)),
                 False, "in place", id="01-center_rows-in-place"),
    pytest.param(lambda: c01.check_center_rows(x := _square(), x.mean(dim=1, keepdim=True)),
                 False, "shape (3, 1), expected (3, 3)", id="01-center_rows-just-mean"),
    pytest.param(lambda: c01.check_center_rows(x := _square(), x / x.sum(dim=1, keepdim=True)),
                 False, "wrong value", id="01-center_rows-other"),
    # reshape_view
    pytest.param(lambda: c01.check_reshape_view(_X12, _X12.view(3, 4)),
                 True, "shares memory", id="01-reshape_view-ref"),
    pytest.param(lambda: c01.check_reshape_view(_X12, _X12.reshape(3, 4)),
                 True, "✅", id="01-reshape_view-ref-reshape"),
    pytest.param(lambda: c01.check_reshape_view(_X12, _X12.clone().view(3, 4)),
                 False, "COPY", id="01-reshape_view-clone"),
    pytest.param(lambda: c01.check_reshape_view(_X12, torch.tensor(_X12.numpy().reshape(3, 4))),
                 False, "COPY", id="01-reshape_view-torch-tensor"),
    pytest.param(lambda: c01.check_reshape_view(_X12, _X12.view(4, 3)),
                 False, "swapped", id="01-reshape_view-4x3"),
    pytest.param(lambda: c01.check_reshape_view(_X12, _X12.view(4, 3).t()),
                 False, "transpose", id="01-reshape_view-transposed"),
    pytest.param(lambda: c01.check_reshape_view(_X12, _X12.view(3, 4, 1)),
                 False, "extra dimension", id="01-reshape_view-extra-dim"),
    # broadcast_shape
    pytest.param(lambda: c01.check_broadcast_shape((2, 4, 3)),
                 True, "(2, 4, 3)", id="01-broadcast_shape-ref"),
    pytest.param(lambda: c01.check_broadcast_shape(torch.Size([2, 4, 3])),
                 True, "✅", id="01-broadcast_shape-size"),
    pytest.param(lambda: c01.check_broadcast_shape((2, 1, 3)),
                 False, "stretches", id="01-broadcast_shape-no-stretch"),
    pytest.param(lambda: c01.check_broadcast_shape((4, 3)),
                 False, "too few dimensions", id="01-broadcast_shape-too-few"),
    pytest.param(lambda: c01.check_broadcast_shape("error"),
                 False, "DO broadcast", id="01-broadcast_shape-error"),
    pytest.param(lambda: c01.check_broadcast_shape("(2, 4, 3)"),
                 False, "without quotes", id="01-broadcast_shape-string"),
    pytest.param(lambda: c01.check_broadcast_shape(None),
                 False, "from the RIGHT", id="01-broadcast_shape-none"),
    pytest.param(lambda: c01.check_broadcast_shape((4, 2, 3)),
                 False, "not it", id="01-broadcast_shape-other"),
    pytest.param(lambda: c01.check_broadcast_shape(6),
                 False, "tuple of ints", id="01-broadcast_shape-int"),
    # numpy_copy
    pytest.param(lambda: c01.check_numpy_copy(_T, _T.numpy().copy()),
                 True, "independent", id="01-numpy_copy-ref"),
    pytest.param(lambda: c01.check_numpy_copy(_T, _T.clone().numpy()),
                 True, "✅", id="01-numpy_copy-ref-clone"),
    pytest.param(lambda: c01.check_numpy_copy(_T, _T.numpy()),
                 False, "shares memory", id="01-numpy_copy-shared"),
    pytest.param(lambda: c01.check_numpy_copy(_T, None),
                 False, "forget to assign", id="01-numpy_copy-none"),
    pytest.param(lambda: c01.check_numpy_copy(_T, _T.clone()),
                 False, "is a tensor", id="01-numpy_copy-tensor"),
    pytest.param(lambda: c01.check_numpy_copy(_T, _T.tolist()),
                 False, "list", id="01-numpy_copy-list"),
    pytest.param(lambda: c01.check_numpy_copy(_T, _T.numpy().T.copy()),
                 False, "shape", id="01-numpy_copy-shape"),
    pytest.param(lambda: c01.check_numpy_copy(_T, _T.numpy() + 1),
                 False, "different values", id="01-numpy_copy-values"),
]


@pytest.mark.parametrize(("call", "ok", "fragment"), CASES)
def test_checker(capsys: pytest.CaptureFixture[str], call: Callable[[], Any], ok: bool,
                 fragment: str) -> None:
    run_case(capsys, call, ok, fragment)

"""``set_printoptions`` (and the default dtype's effect on printing) against PyTorch.

Every case prints the same tensors in both libraries under the same options and compares the
text. Our names differ as documented (``tinygrad_edu.float64`` for ``torch.float64``); that
longer name can move a suffix (``dtype=...``, ``grad_fn=...``) onto the next line where
PyTorch keeps it on the last one, so such texts are compared with the suffixes' line breaks
taken out; a text without our name is compared exactly. On the cuda stand-in our tensors
print ``device='cuda:0'``, which is taken out too.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import torch
from helpers import OURS, OURS_DEVICE
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg

SETTINGS = settings(max_examples=25, deadline=None)


@pytest.fixture(autouse=True)
def _default_options() -> Iterator[None]:
    """Each test starts and ends with both libraries' default print options and dtype."""
    for lib in (tg, torch):
        lib.set_printoptions(profile="default")
        lib.set_default_dtype(lib.float32)
    yield
    for lib in (tg, torch):
        lib.set_printoptions(profile="default")
        lib.set_default_dtype(lib.float32)


_SUFFIX_BREAK = re.compile(r",\n *(?=(?:device|size|dtype|grad_fn|requires_grad)=)")


def _loose(text: str) -> str:
    """The text with every suffix on the last line and without a cuda device suffix."""
    text = _SUFFIX_BREAK.sub(", ", text)
    return text.replace(", device='cuda:0'", "")


def assert_prints_like_torch(ours: Any, theirs: Any) -> None:
    mine = repr(ours)
    expected = repr(theirs)
    if "tinygrad_edu" not in mine and OURS_DEVICE == "cpu":
        assert mine == expected, f"\nours:\n{mine}\ntorch:\n{expected}"
        return
    mine = mine.replace("tinygrad_edu.", "torch.")
    assert _loose(mine) == _loose(expected), f"\nours:\n{mine}\ntorch:\n{expected}"


def pair(array: np.ndarray, requires_grad: bool = False) -> tuple[Any, Any]:
    """The same values in both libraries (ours on the test device)."""
    ours = OURS.tensor(array, requires_grad=requires_grad)
    theirs = torch.tensor(array, requires_grad=requires_grad)
    return ours, theirs


# ------------------------------------------------------------------------------ the tensors


def _arrays() -> list[np.ndarray]:
    """Ints, floats, float64, big/small/mixed magnitudes, nan/inf, 0-d to 4-d, large."""
    f32, f64 = np.float32, np.float64
    return [
        np.array(7),
        np.array(3.25, dtype=f32),
        np.array(-1e-7, dtype=f64),
        np.arange(5),
        np.array([[1, -20], [300, 4]]),
        np.array([-12345678901, 2]),
        np.array([True, False, True]),
        np.array([1, 2], dtype=np.int32),
        np.array([1, 2], dtype=np.uint8),
        np.array([1.0, 2.0, 3.0], dtype=f32),
        np.array([1.23456, 1e-6, 1e5], dtype=f32),
        np.array([1.5, -2.25, 3.0], dtype=f32),
        np.array([0.1, 0.2, 1 / 3], dtype=f64),
        np.array([1e-5, 1.0], dtype=f32),
        np.array([1e-8, 2e-8], dtype=f32),
        np.array([1e10, 1.0], dtype=f32),
        np.array([123456789.0, 1.5], dtype=f64),
        np.array([100000.0, 1.0], dtype=f32),
        np.array([1234.5678, -0.001], dtype=f32),
        np.array([0.0, 0.0], dtype=f32),
        np.array([-0.0, 1.0], dtype=f32),
        np.array([np.nan, 1.0, np.inf, -np.inf], dtype=f32),
        np.array([np.nan, 1.5], dtype=f64),
        np.array([np.inf, 1e-6], dtype=f32),
        np.array([1e300, 1.0], dtype=f64),
        np.array([1.5, -2.0], dtype=np.float16),
        np.arange(30, dtype=f32) * 1.5,
        np.arange(25) * 1000,
        np.arange(20, dtype=f64) / 3,
        np.arange(24).reshape(2, 3, 4),
        np.arange(24, dtype=f32).reshape(2, 3, 2, 2) - 11.5,
        np.full((2, 12), 0.123456789, dtype=f64),
        np.arange(1200),
        np.arange(2000, dtype=f32) / 7,
        np.arange(1600).reshape(40, 40),
        np.arange(5000, dtype=f64).reshape(10, 500),
        np.arange(1200, dtype=f32).reshape(2, 3, 4, 50) * 1e-5,
        np.arange(18, dtype=np.int32).reshape(1, 18) * 123456789,
    ]


# PyTorch's options, one call's keywords per entry
OPTIONS: list[dict[str, Any]] = [
    {},
    {"precision": 2},
    {"precision": 0},
    {"precision": 8},
    {"sci_mode": True},
    {"sci_mode": False},
    {"precision": 2, "sci_mode": False},
    {"precision": 6, "sci_mode": True},
    {"threshold": 5},
    {"threshold": 5, "edgeitems": 1},
    {"threshold": 10, "edgeitems": 4},
    {"threshold": 5, "edgeitems": 0},
    {"edgeitems": 0},
    {"linewidth": 30},
    {"linewidth": 10},
    {"linewidth": 150},
    {"threshold": 3, "linewidth": 40, "precision": 3},
    {"profile": "short"},
    {"profile": "full"},
    {"profile": "default"},
    {"profile": "short", "precision": 5, "sci_mode": False},
    {"profile": "full", "linewidth": 60},
    {"profile": "unknown"},  # ignored, as in PyTorch
]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: repr(o))
def test_tensors_print_like_torch_under_each_option(options: dict[str, Any]) -> None:
    tg.set_printoptions(**options)
    torch.set_printoptions(**options)
    for array in _arrays():
        ours, theirs = pair(array)
        assert_prints_like_torch(ours, theirs)


@pytest.mark.parametrize("options", [{}, {"precision": 2}, {"threshold": 4, "edgeitems": 1},
                                     {"linewidth": 35}, {"edgeitems": 0}],
                         ids=lambda o: repr(o))
def test_suffixes_print_like_torch(options: dict[str, Any]) -> None:
    """requires_grad, grad_fn and dtype suffixes, empty tensors, wrapped at ``linewidth``."""
    tg.set_printoptions(**options)
    torch.set_printoptions(**options)
    leaf = np.array([1.5, -2.0], dtype=np.float32)
    cases: list[Callable[[Any, Any], Any]] = [
        lambda lib, t: t,
        lambda lib, t: t * 2,
        lambda lib, t: (t * 3).sum(),
        lambda lib, t: (t.double() * 1e-6).view(1, 2),
        lambda lib, t: lib.ones(3, 30, dtype=lib.float64, device=t.device) * t.sum(),
        lambda lib, t: lib.zeros(0, 3, device=t.device),
        lambda lib, t: lib.tensor([], dtype=lib.int64, device=t.device),
        lambda lib, t: lib.zeros(2, 0, dtype=lib.float64, device=t.device),
    ]
    for case in cases:
        ours, theirs = pair(leaf, requires_grad=True)
        assert_prints_like_torch(case(tg, ours), case(torch, theirs))


_FLOATS = st.one_of(
    st.floats(-10, 10),
    st.floats(-1e-6, 1e-6),
    st.floats(-1e12, 1e12),
    st.sampled_from([0.0, -0.0, 1.0, 1000.0, 1e-4, math.nan, math.inf, -math.inf]),
)


@st.composite
def _printable(draw: st.DrawFn) -> np.ndarray:
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int64]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=7))
    if dtype is np.int64:
        return draw(hnp.arrays(dtype, shape, elements=st.integers(-10**12, 10**12)))
    # drawn in float64, then rounded: float32 tensors get float32 values of every magnitude
    return draw(hnp.arrays(np.float64, shape, elements=_FLOATS)).astype(dtype)


@st.composite
def _options(draw: st.DrawFn) -> dict[str, Any]:
    drawn = {
        "precision": draw(st.none() | st.integers(0, 9)),
        "threshold": draw(st.none() | st.integers(1, 60)),
        "edgeitems": draw(st.none() | st.integers(0, 4)),
        "linewidth": draw(st.none() | st.integers(5, 120)),
        "profile": draw(st.none() | st.sampled_from(["default", "short", "full"])),
        "sci_mode": draw(st.none() | st.booleans()),
    }
    return {k: v for k, v in drawn.items() if v is not None}


@SETTINGS
@given(array=_printable(), options=_options(), default64=st.booleans())
def test_drawn_tensors_and_options_print_like_torch(array: np.ndarray, options: dict[str, Any],
                                                    default64: bool) -> None:
    for lib in (tg, torch):
        lib.set_printoptions(profile="default")
        lib.set_printoptions(**options)
        # float64 as the default: float64 tensors then print without a dtype suffix
        lib.set_default_dtype(lib.float64 if default64 else lib.float32)
    ours, theirs = pair(array)
    assert_prints_like_torch(ours, theirs)


def test_sci_mode_is_reset_by_a_call_without_it() -> None:
    """PyTorch's ``set_printoptions`` sets ``sci_mode`` on every call: not given, it is None
    again (chosen from the values)."""
    ours, theirs = pair(np.array([1e-6, 1.0], dtype=np.float32))
    for lib in (tg, torch):
        lib.set_printoptions(sci_mode=False)
    assert_prints_like_torch(ours, theirs)
    assert "e-06" not in repr(ours)
    for lib in (tg, torch):
        lib.set_printoptions(precision=3)
    assert_prints_like_torch(ours, theirs)
    assert "e-06" in repr(ours)


def test_options_stay_until_changed_and_profile_default_restores() -> None:
    ours, theirs = pair(np.arange(12, dtype=np.float32) / 3)
    for lib in (tg, torch):
        lib.set_printoptions(threshold=4, precision=1)
    first = repr(ours)
    assert "..." in first and first == repr(ours)  # a setting, not a one-off
    assert_prints_like_torch(ours, theirs)
    for lib in (tg, torch):
        lib.set_printoptions(profile="default")
    assert_prints_like_torch(ours, theirs)
    assert repr(ours).startswith("tensor([0.0000, 0.3333")


def test_the_readme_repro() -> None:
    """The audit's example: two decimals, no scientific notation."""
    for lib in (tg, torch):
        lib.set_printoptions(precision=2, sci_mode=False)
    ours, theirs = pair(np.array([1.23456, 1e-6, 1e5], dtype=np.float32))
    assert repr(ours).replace(", device='cuda:0'", "") == repr(theirs) == (
        "tensor([     1.23,      0.00, 100000.00])")


def test_str_and_print_follow_the_options() -> None:
    for lib in (tg, torch):
        lib.set_printoptions(threshold=5, edgeitems=2)
    ours, theirs = pair(np.arange(10))
    assert str(ours) == repr(ours)
    assert_prints_like_torch(ours, theirs)
    assert repr(ours).startswith("tensor([0, 1,  ..., 8, 9]")  # PyTorch's two spaces


@pytest.mark.parametrize("default", ["float32", "float64", "float16"])
def test_default_dtype_decides_the_dtype_suffix(default: str) -> None:
    """A tensor of the default dtype prints no ``dtype=``; with float64 the default, a
    float32 tensor names its dtype (empty tensors too), as in PyTorch."""
    for lib in (tg, torch):
        lib.set_default_dtype(getattr(lib, default))
    for dtype in ("float16", "float32", "float64", "int64", "int32", "bool"):
        for array in (np.array([1.5, 2.0, 0.0]), np.zeros((2, 0)), np.array([])):
            values = array.astype(dtype)
            ours = OURS.tensor(values, dtype=getattr(tg, dtype))
            theirs = torch.tensor(values, dtype=getattr(torch, dtype))
            assert_prints_like_torch(ours, theirs)


def test_signature_is_torchs() -> None:
    """The same keywords, in the same order, with the same defaults (all None)."""
    def params(function: Callable[..., Any]) -> list[tuple[str, Any]]:
        return [(p.name, p.default) for p in inspect.signature(function).parameters.values()]

    assert params(tg.set_printoptions) == params(torch.set_printoptions)

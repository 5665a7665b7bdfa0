"""PyTorch's other spellings of operations that exist here, each checked against PyTorch.

- NumPy's ``axis=`` / ``keepdims=`` wherever PyTorch takes them for ``dim`` / ``keepdim``
  (reductions, softmax, squeeze, cat ...), and PyTorch's TypeError for both names at once;
- ``torch.xxx(t)`` function forms of Tensor methods (``torch.eq``, ``torch.round`` ...), with
  ``out=`` where PyTorch has it, and the longer names (``divide``, ``greater`` ...);
- ``new_tensor`` / ``new_zeros`` ... with ``dtype=``, ``device=``, ``requires_grad=``;
- ``10 % t``, ``type()`` strings, ``type_as``, ``is_same_size``, ``stride()`` and the in-place
  shape methods ``unsqueeze_`` / ``squeeze_`` / ``t_`` / ``transpose_``.

Values, dtypes and gradients go through ``helpers.check_parity`` (float64, hypothesis-drawn
shapes and dims, negative dims included); differentiable ones also get a central-difference
gradcheck; bad input must raise PyTorch's exception type with a message naming the problem.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from helpers import (
    OURS,
    OURS_DEVICE,
    arrays,
    broadcastable_pair,
    check_parity,
    draw_dim,
    dtype_name,
    floats,
    lib_of,
    nonzero_arrays,
    positive_arrays,
    shapes,
    to_numpy,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.autograd import gradcheck

SETTINGS = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
LIBS = pytest.mark.parametrize("lib", [OURS, torch], ids=["ours", "torch"])



def raises_like_torch(code: Callable[[Any], Any], error: type[Exception], *names: str) -> str:
    """Run ``code(lib)`` on both libraries: both raise ``error``; ours names every ``names``."""
    with pytest.raises(error):
        code(torch)
    with pytest.raises(error) as info:
        code(OURS)
    message = str(info.value)
    missing = [n for n in names if n not in message]
    assert not missing, f"message {message!r} does not name {missing}"
    return message



def draw_dims(data: st.DataObject, ndim: int) -> int | tuple[int, ...]:
    """One dim, or a tuple of distinct dims (each may be negative)."""
    if data.draw(st.booleans(), label="tuple"):
        picked = data.draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                                    unique=True), label="dims")
        return tuple(d - ndim if data.draw(st.booleans()) else d for d in picked)
    return draw_dim(data, ndim)


# ======================================================================= axis= and keepdims=

# name -> (takes a tuple of dims, takes keepdim)
REDUCTIONS: dict[str, tuple[bool, bool]] = {
    "sum": (True, True), "mean": (True, True), "prod": (False, True), "max": (False, True),
    "min": (False, True), "amax": (True, True), "amin": (True, True), "argmax": (False, True),
    "argmin": (False, True), "std": (True, True), "var": (True, True), "all": (True, True),
    "any": (True, True), "logsumexp": (True, True), "count_nonzero": (True, False),
}


@pytest.mark.parametrize("name", REDUCTIONS)
@SETTINGS
@given(data=st.data())
def test_reductions_take_numpy_names(name: str, data: st.DataObject) -> None:
    takes_tuple, takes_keepdim = REDUCTIONS[name]
    shape = data.draw(shapes(min_dims=1, min_side=2), label="shape")
    # distinct values: max(dim) and argmax pick the same element in both libraries
    x = data.draw(arrays(shape, unique=True), label="x")
    axis = draw_dims(data, len(shape)) if takes_tuple else draw_dim(data, len(shape))
    options: dict[str, Any] = {"axis": axis}
    if takes_keepdim:
        options["keepdims"] = data.draw(st.booleans(), label="keepdims")
    check_parity(lambda t: getattr(t, name)(**options), None, x)
    check_parity(lambda t: getattr(lib_of(t), name)(t, **options), None, x)


@SETTINGS
@given(data=st.data())
def test_keepdims_alone_and_with_positional_dim(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, min_side=2), label="shape")
    x = data.draw(arrays(shape, unique=True), label="x")
    dim = draw_dim(data, len(shape))
    keep = data.draw(st.booleans(), label="keepdims")
    check_parity(lambda t: t.sum(dim, keepdims=keep), None, x)
    check_parity(lambda t: t.mean(dim, keepdims=keep), None, x)
    check_parity(lambda t: t.max(dim, keepdims=keep), None, x)
    check_parity(lambda t: t.argmax(keepdims=keep), None, x)
    check_parity(lambda t: t.var(dim, False, keepdims=keep), None, x)
    check_parity(lambda t: t.std(axis=dim, correction=0, keepdims=keep), None, x)
    check_parity(lambda t: t.sum(axis=dim, dtype=lib_of(t).float32), None, x, rtol=1e-6,
                 atol=1e-6)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@SETTINGS
@given(data=st.data())
def test_softmax_takes_axis_and_dtype(name: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    x = data.draw(arrays(shape), label="x")
    dim = draw_dim(data, len(shape))
    check_parity(lambda t: getattr(t, name)(axis=dim), None, x)
    check_parity(lambda t: getattr(lib_of(t), name)(t, axis=dim), None, x)
    check_parity(lambda t: getattr(t.float(), name)(dim, dtype=lib_of(t).float64), None, x,
                 rtol=1e-6, atol=1e-6)


def test_functional_softmax_refuses_axis_as_pytorch() -> None:
    x = tg.ones(2, 3)
    for lib in (tg, torch):
        with pytest.raises(TypeError, match="axis"):
            lib.nn.functional.softmax(lib.ones(2, 3), axis=1)
    assert x.softmax(axis=1).shape == (2, 3)


@SETTINGS
@given(data=st.data())
def test_shape_methods_take_axis(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    x = data.draw(arrays(shape), label="x")
    ndim = len(shape)
    dim = draw_dim(data, ndim)
    new_dim = data.draw(st.integers(-ndim - 1, ndim), label="new dim")
    squeezed = draw_dims(data, ndim)
    check_parity(lambda t: t.squeeze(axis=squeezed), None, x)
    check_parity(lambda t: lib_of(t).squeeze(t, axis=dim), None, x)
    check_parity(lambda t: t.unsqueeze(axis=new_dim), None, x)
    check_parity(lambda t: lib_of(t).unsqueeze(t, axis=new_dim), None, x)
    check_parity(lambda t: t.select(axis=dim, index=-1), None, x)
    check_parity(lambda t: lib_of(t).select(t, axis=dim, index=0), None, x)
    length = data.draw(st.integers(0, shape[dim]), label="length")
    check_parity(lambda t: t.narrow(axis=dim, start=shape[dim] - length, length=length),
                 None, x)
    check_parity(lambda t: lib_of(t).narrow(t, axis=dim, start=0, length=length), None, x)
    chunks = data.draw(st.integers(1, 4), label="chunks")
    check_parity(lambda t: t.chunk(chunks, axis=dim), None, x)
    check_parity(lambda t: lib_of(t).chunk(t, chunks, axis=dim), None, x)
    check_parity(lambda t: t.unbind(axis=dim), None, x)
    check_parity(lambda t: lib_of(t).unbind(t, axis=dim), None, x)
    index = np.random.default_rng(0).integers(0, shape[dim], size=shape)
    check_parity(lambda t: t.gather(axis=dim, index=lib_of(t).tensor(index)), None, x)
    check_parity(lambda t: lib_of(t).gather(t, axis=dim, index=lib_of(t).tensor(index)),
                 None, x)
    sizes = (-1, 1) if data.draw(st.booleans()) else (1, shape[dim])
    check_parity(lambda t: lib_of(t).unflatten(t, axis=dim, sizes=sizes), None, x)
    assert OURS.tensor(x).size(axis=dim) == torch.tensor(x).size(axis=dim)


@pytest.mark.parametrize("name", ["cat", "concat", "concatenate", "stack"])
@SETTINGS
@given(data=st.data())
def test_joining_takes_axis(name: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    a, b = data.draw(arrays(shape), label="a"), data.draw(arrays(shape), label="b")
    ndim = len(shape) + (name == "stack")
    dim = data.draw(st.integers(-ndim, ndim - 1), label="dim")
    check_parity(lambda x, y: getattr(lib_of(x), name)([x, y, x], axis=dim), None, a, b)
    check_parity(lambda x, y: getattr(lib_of(x), name)([x, y], dim=dim), None, a, b)


# both names at once: PyTorch's TypeError (its message names the alias as unexpected)
BOTH_NAMES: list[tuple[str, Callable[[Any, Any], Any], str]] = [
    ("sum", lambda lib, x: x.sum(1, axis=1), "axis"),
    ("sum-keyword", lambda lib, x: x.sum(dim=0, axis=1), "axis"),
    ("sum-keepdims", lambda lib, x: x.sum(1, keepdim=True, keepdims=True), "keepdims"),
    ("torch.sum", lambda lib, x: lib.sum(x, 0, axis=1), "axis"),
    ("mean", lambda lib, x: x.mean(0, axis=0), "axis"),
    ("torch.mean-keepdims", lambda lib, x: lib.mean(x, 0, True, keepdims=True), "keepdims"),
    ("prod", lambda lib, x: x.prod(0, axis=0), "axis"),
    ("max", lambda lib, x: x.max(0, axis=0), "axis"),
    ("min-keepdims", lambda lib, x: x.min(0, keepdim=True, keepdims=True), "keepdims"),
    ("amax", lambda lib, x: x.amax(0, axis=0), "axis"),
    ("amin", lambda lib, x: lib.amin(x, 0, axis=0), "axis"),
    ("argmax", lambda lib, x: x.argmax(0, axis=0), "axis"),
    ("argmin-keepdims", lambda lib, x: x.argmin(0, keepdim=True, keepdims=True), "keepdims"),
    ("std", lambda lib, x: x.std(0, axis=0), "axis"),
    ("var", lambda lib, x: lib.var(x, 0, axis=0), "axis"),
    ("all", lambda lib, x: x.all(0, axis=0), "axis"),
    ("any", lambda lib, x: lib.any(x, 0, axis=0), "axis"),
    ("logsumexp", lambda lib, x: x.logsumexp(0, axis=0), "axis"),
    ("count_nonzero", lambda lib, x: x.count_nonzero(0, axis=0), "axis"),
    ("softmax", lambda lib, x: x.softmax(1, axis=1), "axis"),
    ("torch.log_softmax", lambda lib, x: lib.log_softmax(x, 1, axis=1), "axis"),
    ("squeeze", lambda lib, x: x.squeeze(dim=1, axis=1), "axis"),
    ("unsqueeze", lambda lib, x: x.unsqueeze(1, axis=1), "axis"),
    ("select", lambda lib, x: x.select(1, 0, axis=1), "axis"),
    ("narrow", lambda lib, x: x.narrow(1, 0, 1, axis=1), "axis"),
    ("gather", lambda lib, x: x.gather(1, lib.zeros(2, 1, dtype=lib.int64), axis=1), "axis"),
    ("chunk", lambda lib, x: x.chunk(2, 1, axis=1), "axis"),
    ("unbind", lambda lib, x: lib.unbind(x, 1, axis=1), "axis"),
    ("size", lambda lib, x: x.size(1, axis=1), "axis"),
    ("cat", lambda lib, x: lib.cat([x], 1, axis=1), "axis"),
    ("concat", lambda lib, x: lib.concat([x], dim=1, axis=1), "axis"),
    ("concatenate", lambda lib, x: lib.concatenate([x], dim=1, axis=1), "axis"),
    ("concatenate-positional", lambda lib, x: lib.concatenate([x], 1, dim=1), "dim"),
    ("stack", lambda lib, x: lib.stack([x], 1, axis=1), "axis"),
    ("unflatten", lambda lib, x: lib.unflatten(x, 1, (3, 1), axis=1), "axis"),
]


@pytest.mark.parametrize("code,alias", [(c, a) for _, c, a in BOTH_NAMES],
                         ids=[n for n, _, _ in BOTH_NAMES])
def test_dim_and_axis_together_is_a_type_error(code: Callable[[Any, Any], Any],
                                               alias: str) -> None:
    raises_like_torch(lambda lib: code(lib, lib.ones(2, 3)), TypeError, alias)


MISSING: list[tuple[str, Callable[[Any, Any], Any], str]] = [
    ("unsqueeze", lambda lib, x: x.unsqueeze(), '"dim"'),
    ("softmax", lambda lib, x: x.softmax(), '"dim"'),
    ("log_softmax", lambda lib, x: x.log_softmax(), '"dim"'),
    ("logsumexp", lambda lib, x: lib.logsumexp(x), '"dim"'),
    ("select", lambda lib, x: x.select(axis=1), '"index"'),
    ("gather", lambda lib, x: x.gather(1), '"index"'),
    ("narrow", lambda lib, x: x.narrow(axis=1, start=0), "length"),
    ("unflatten", lambda lib, x: lib.unflatten(x, 1), '"sizes"'),
]


@pytest.mark.parametrize("name,code,what", MISSING, ids=[n for n, _, _ in MISSING])
def test_a_missing_argument_is_pytorchs_type_error(name: str, code: Callable[[Any, Any], Any],
                                                   what: str) -> None:
    raises_like_torch(lambda lib: code(lib, lib.ones(2, 3)), TypeError, name, what)


def test_an_alias_is_checked_like_dim() -> None:
    raises_like_torch(lambda lib: lib.ones(2, 3).sum(axis=2), IndexError,
                      "Dimension out of range", "got 2")
    raises_like_torch(lambda lib: lib.ones(2, 3).unsqueeze(axis=-4), IndexError, "got -4")
    raises_like_torch(lambda lib: lib.ones(2, 3).sum(axis=(0, 0)), RuntimeError,
                      "appears multiple times")
    raises_like_torch(lambda lib: lib.cat([lib.ones(2)], axis=1), IndexError, "got 1")


# ============================================================== torch.xxx function forms

# name -> (strategy of the input's values, differentiable in PyTorch)
UNARY: dict[str, tuple[Callable[[Any], Any], bool]] = {
    "isnan": (lambda s: arrays(s, st.sampled_from([math.nan, math.inf, -math.inf, 0.0, 1.5])),
              False),
    "isinf": (lambda s: arrays(s, st.sampled_from([math.nan, math.inf, -math.inf, -2.0])),
              False),
    "isfinite": (lambda s: arrays(s, st.sampled_from([math.nan, math.inf, -math.inf, 3.0])),
                 False),
    "round": (arrays, True), "floor": (arrays, True), "ceil": (arrays, True),
    "trunc": (arrays, True), "fix": (arrays, True),
    "log2": (positive_arrays, True), "log10": (positive_arrays, True),
    "rsqrt": (positive_arrays, True), "reciprocal": (nonzero_arrays, True),
    "tan": (lambda s: arrays(s, floats(-1.2, 1.2)), True),
    "absolute": (nonzero_arrays, True), "negative": (arrays, True),
    "logical_not": (lambda s: arrays(s, st.sampled_from([0.0, -0.0, 1.5, -2.0])), False),
}


@pytest.mark.parametrize("name", UNARY)
@SETTINGS
@given(data=st.data())
def test_unary_function_forms(name: str, data: st.DataObject) -> None:
    strategy, _ = UNARY[name]
    x = data.draw(strategy(shapes()), label="x")
    check_parity(lambda t: getattr(lib_of(t), name)(t), None, x)
    if hasattr(torch.Tensor, name):  # the method form too, where PyTorch has one
        check_parity(lambda t: getattr(t, name)(), None, x)


INTEGER_UNARY = ["round", "floor", "ceil", "trunc", "fix", "log2", "log10", "rsqrt",
                 "reciprocal", "tan", "absolute", "negative", "isnan", "isinf", "isfinite",
                 "logical_not"]
# PyTorch has no bool kernel for these (NotImplementedError); ours computes: README
NO_BOOL_KERNEL = {"round", "floor", "ceil", "trunc", "fix", "absolute"}


@pytest.mark.parametrize("name,dtype", [
    (name, dtype) for name in INTEGER_UNARY for dtype in ("int64", "int32", "uint8", "bool")
    if not (dtype == "bool" and name in NO_BOOL_KERNEL)])
def test_unary_function_forms_of_integers(name: str, dtype: str) -> None:
    values = np.array([[0, 1, 2], [3, 7, 1]]).astype(dtype)
    if name == "negative" and dtype == "bool":
        raises_like_torch(lambda lib: lib.negative(lib.tensor(values)), RuntimeError, "bool")
        return
    if name in ("rsqrt", "reciprocal", "log2", "log10"):  # kept away from 0 (inf there)
        values = values + np.ones_like(values)
    # float32 results (log2 of an int ...): to float32's precision
    check_parity(lambda t: getattr(lib_of(t), name)(t), None, values, rtol=1e-6, atol=1e-7)


@SETTINGS
@given(data=st.data(), decimals=st.integers(-2, 3))
def test_round_with_decimals(data: st.DataObject, decimals: int) -> None:
    x = data.draw(arrays(shapes(), floats(-300.0, 300.0)), label="x")
    check_parity(lambda t: lib_of(t).round(t, decimals=decimals), None, x)
    check_parity(lambda t: t.round(decimals=decimals), None, x)


COMPARISONS = ["eq", "ne", "not_equal", "lt", "less", "le", "less_equal", "gt", "greater",
               "ge", "greater_equal"]


@pytest.mark.parametrize("name", COMPARISONS)
@SETTINGS
@given(data=st.data())
def test_comparison_function_forms(name: str, data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    values = st.sampled_from([-1.0, 0.0, 0.5, 2.0])  # equal elements are common
    a, b = data.draw(arrays(shape_a, values), label="a"), data.draw(arrays(shape_b, values))
    check_parity(lambda x, y: getattr(lib_of(x), name)(x, y), None, a, b)
    check_parity(lambda x, y: getattr(x, name)(y), None, a, b)
    check_parity(lambda x: getattr(lib_of(x), name)(x, 0.5), None, a)
    check_parity(lambda x: getattr(x, name)(0), None, a)


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
@SETTINGS
@given(data=st.data())
def test_logical_function_forms(name: str, data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    values = st.sampled_from([0.0, -0.0, 1.0, -2.5])
    a, b = data.draw(arrays(shape_a, values), label="a"), data.draw(arrays(shape_b, values))
    check_parity(lambda x, y: getattr(lib_of(x), name)(x, y), None, a, b)
    check_parity(lambda x, y: getattr(x, name)(y), None, a, b)
    check_parity(lambda x, y: getattr(x, name)(y.bool()), None, a, b)


@SETTINGS
@given(data=st.data(), alpha=st.sampled_from([1, 2, -0.5]))
def test_arithmetic_other_names(data: st.DataObject, alpha: float) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    a, b = data.draw(arrays(shape_a), label="a"), data.draw(nonzero_arrays(shape_b), label="b")
    check_parity(lambda x, y: lib_of(x).multiply(x, y), None, a, b)
    check_parity(lambda x, y: x.multiply(y), None, a, b)
    check_parity(lambda x, y: lib_of(x).divide(x, y), None, a, b)
    check_parity(lambda x, y: x.divide(y), None, a, b)
    check_parity(lambda x, y: lib_of(x).subtract(x, y, alpha=alpha), None, a, b)
    check_parity(lambda x, y: x.subtract(y, alpha=alpha), None, a, b)
    check_parity(lambda x: lib_of(x).negative(x), None, a)
    check_parity(lambda x: x.negative(), None, a)
    check_parity(lambda x: x.absolute() * x.fix(), None, b)


@pytest.mark.parametrize("mode", ["floor", "trunc"])
@SETTINGS
@given(data=st.data())
def test_divide_rounding_mode(mode: str, data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    a, b = data.draw(arrays(shape_a), label="a"), data.draw(nonzero_arrays(shape_b), label="b")
    # no gradient here: PyTorch's is zero, and our rounding division records none (README)
    check_parity(lambda x, y: lib_of(x).divide(x, y, rounding_mode=mode), None, a, b,
                 requires_grad=False)
    ints = (a * 3).astype(np.int64), np.where(b > 0, 2, -3).astype(np.int64)
    check_parity(lambda x, y: x.divide(y, rounding_mode=mode), None, *ints)
    raises_like_torch(lambda lib: lib.divide(lib.ones(2), 2, rounding_mode="round"),
                      RuntimeError, "rounding_mode", "'round'")
    raises_like_torch(lambda lib: lib.ones(2).divide(2, rounding_mode="half"),
                      RuntimeError, "'half'")


@SETTINGS
@given(data=st.data(), tensor_weight=st.booleans())
def test_lerp(data: st.DataObject, tensor_weight: bool) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    a, b = data.draw(arrays(shape_a), label="a"), data.draw(arrays(shape_b), label="b")
    if tensor_weight:
        w = data.draw(arrays(shape_b, floats(0.0, 1.0)), label="w")
        check_parity(lambda x, y, z: lib_of(x).lerp(x, y, z), None, a, b, w)
    else:
        weight = data.draw(floats(-0.5, 1.5), label="weight")
        check_parity(lambda x, y: lib_of(x).lerp(x, y, weight), None, a, b)
        check_parity(lambda x, y: x.lerp(y, weight), None, a, b)


@SETTINGS
@given(data=st.data(), bound=floats(-1.0, 1.0))
def test_clamp_min_and_max(data: st.DataObject, bound: float) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    a = data.draw(arrays(shape_a, floats(-3.0, 3.0).filter(lambda v: abs(v - bound) > 1e-3)),
                  label="a")
    check_parity(lambda x: lib_of(x).clamp_min(x, bound), None, a)
    check_parity(lambda x: lib_of(x).clamp_max(x, max=bound), None, a)
    b = data.draw(arrays(shape_b, st.sampled_from([-2.25, 0.25, 1.75])), label="b")
    a = np.where(np.isin(a, b), a + 1e-2, a)  # no ties: the gradient there is a convention
    check_parity(lambda x, y: lib_of(x).clamp_min(x, y), None, a, b)
    check_parity(lambda x, y: lib_of(x).clamp_max(x, max=y), None, a, b)


@SETTINGS
@given(data=st.data(), value=st.sampled_from([0.0, -1.5, 2]))
def test_masked_fill(data: st.DataObject, value: float) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    a = data.draw(arrays(shape_a), label="a")
    mask = data.draw(arrays(shape_b, st.sampled_from([0.0, 1.0])), label="mask") > 0
    full = np.broadcast_shapes(shape_a, shape_b)
    check_parity(lambda x: lib_of(x).masked_fill(x.expand(full), lib_of(x).tensor(
        np.broadcast_to(mask, full).copy()), value), None, a)


@SETTINGS
@given(data=st.data())
def test_layout_function_forms(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    x = data.draw(arrays(shape), label="x")
    ndim = len(shape)
    d0, d1 = draw_dim(data, ndim), draw_dim(data, ndim)
    check_parity(lambda t: lib_of(t).swapaxes(t, d0, d1), None, x)
    check_parity(lambda t: lib_of(t).swapdims(t, d0, d1), None, x)
    check_parity(lambda t: t.swapdims(d0, d1), None, x)
    index = data.draw(st.integers(-shape[d0], shape[d0] - 1), label="index")
    check_parity(lambda t: lib_of(t).select(t, d0, index), None, x)
    start = data.draw(st.integers(0, shape[d0]), label="start")
    check_parity(lambda t: lib_of(t).narrow(t, d0, start, shape[d0] - start), None, x)
    lead = data.draw(st.lists(st.integers(1, 3), max_size=2), label="leading")
    target = tuple(lead) + tuple(3 if n == 1 and data.draw(st.booleans()) else n
                                 for n in shape)
    check_parity(lambda t: lib_of(t).broadcast_to(t, target), None, x)
    check_parity(lambda t: lib_of(t).unflatten(t, d0, (shape[d0], 1, -1)), None, x)
    check_parity(lambda t: lib_of(t).count_nonzero(t > 0, dim=d0), None, x)
    check_parity(lambda t: lib_of(t).count_nonzero(t), None, x)


# the node a function form records is the one PyTorch's records (where it shows in a repr)
SAME_NODE: dict[str, Callable[[Any, Any], Any]] = {
    "round": lambda lib, t: lib.round(t), "round-decimals": lambda lib, t: lib.round(t, decimals=1),
    "floor": lambda lib, t: lib.floor(t), "fix": lambda lib, t: lib.fix(t),
    "absolute": lambda lib, t: lib.absolute(t), "negative": lambda lib, t: lib.negative(t),
    "multiply": lambda lib, t: lib.multiply(t, t), "divide": lambda lib, t: lib.divide(t, 2),
    "subtract": lambda lib, t: lib.subtract(t, t, alpha=2),
    "swapaxes": lambda lib, t: lib.swapaxes(t, 0, 1), "swapdims": lambda lib, t: t.swapdims(1, 0),
    "narrow": lambda lib, t: lib.narrow(t, 1, 0, 2), "select": lambda lib, t: lib.select(t, 1, 0),
    "broadcast_to": lambda lib, t: lib.broadcast_to(t, (2, 3, 4)),
    "unflatten": lambda lib, t: lib.unflatten(t, 1, (2, 2)),
    "sum-axis": lambda lib, t: t.sum(axis=1), "softmax-axis": lambda lib, t: lib.softmax(t, axis=1),
    "squeeze-axis": lambda lib, t: t[:, :1].squeeze(axis=1),
    "unsqueeze-axis": lambda lib, t: t.unsqueeze(axis=1),
    "max-axis": lambda lib, t: t.max(axis=1).values,
    "type_as": lambda lib, t: t.type_as(lib.zeros(1)), "relu_": lambda lib, t: lib.relu_(t * 1),
}


@pytest.mark.parametrize("code", SAME_NODE.values(), ids=SAME_NODE.keys())
def test_function_forms_record_pytorchs_node(code: Callable[[Any, Any], Any]) -> None:
    values = np.arange(12.0).reshape(3, 4) / 7
    ours = code(OURS, OURS.tensor(values, requires_grad=True))
    theirs = code(torch, torch.tensor(values, requires_grad=True))
    assert ours.grad_fn.name() == theirs.grad_fn.name()
    assert f"grad_fn=<{theirs.grad_fn.name()}>" in repr(ours)


# ------------------------------------------------------------------------------- out=

OUT_CASES: list[tuple[str, Callable[[Any, Any, Any], Any], str]] = [
    ("eq", lambda lib, x, out: lib.eq(x, 0.5, out=out), "bool"),
    ("greater", lambda lib, x, out: lib.greater(x, x.flip(0), out=out), "float64"),
    ("logical_xor", lambda lib, x, out: lib.logical_xor(x, x > 0, out=out), "bool"),
    ("logical_not", lambda lib, x, out: lib.logical_not(x, out=out), "float64"),
    ("round", lambda lib, x, out: lib.round(x, decimals=1, out=out), "float64"),
    ("floor", lambda lib, x, out: lib.floor(x, out=out), "float64"),
    ("fix", lambda lib, x, out: lib.fix(x, out=out), "float64"),
    ("log2", lambda lib, x, out: lib.log2(x.abs() + 1, out=out), "float64"),
    ("rsqrt", lambda lib, x, out: lib.rsqrt(x.abs() + 1, out=out), "float64"),
    ("tan", lambda lib, x, out: lib.tan(x, out=out), "float64"),
    ("negative", lambda lib, x, out: lib.negative(x, out=out), "float64"),
    ("divide", lambda lib, x, out: lib.divide(x, 4, rounding_mode="floor", out=out), "float64"),
    ("subtract", lambda lib, x, out: lib.subtract(x, 1, alpha=3, out=out), "float64"),
    ("multiply", lambda lib, x, out: lib.multiply(x, x, out=out), "float64"),
    ("lerp", lambda lib, x, out: lib.lerp(x, x * 2, 0.25, out=out), "float64"),
    ("clamp_min", lambda lib, x, out: lib.clamp_min(x, 0.5, out=out), "float64"),
    ("concatenate", lambda lib, x, out: lib.concatenate([x, x], axis=1, out=out), "float64"),
]


@pytest.mark.parametrize("code,dtype", [(c, d) for _, c, d in OUT_CASES],
                         ids=[n for n, _, _ in OUT_CASES])
def test_out_argument(code: Callable[[Any, Any, Any], Any], dtype: str) -> None:
    values = np.array([[0.5, -1.25, 2.0], [3.5, 0.0, -0.75]])
    results = []
    for lib in (OURS, torch):
        x = lib.tensor(values)
        out = lib.empty(0, dtype=getattr(lib, dtype))  # resized (no warning: it was empty)
        returned = code(lib, x, out)
        assert returned is out
        same_shape = lib.empty(tuple(out.shape), dtype=getattr(lib, dtype))
        assert code(lib, x, same_shape) is same_shape  # written in place
        assert same_shape._version == 1
        results.append((out, same_shape))
    for ours, theirs in zip(*results):
        assert dtype_name(ours.dtype) == dtype_name(theirs.dtype)
        np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), rtol=1e-12, atol=0)


def test_out_refuses_gradients_and_narrower_dtypes() -> None:
    raises_like_torch(lambda lib: lib.log2(lib.ones(2, requires_grad=True), out=lib.empty(2)),
                      RuntimeError, "log2", "out=", "automatic differentiation")
    raises_like_torch(lambda lib: lib.multiply(lib.ones(2), 1.5,
                                               out=lib.empty(2, dtype=lib.int64)),
                      RuntimeError, "Float", "Long")
    raises_like_torch(lambda lib: lib.eq(lib.ones(2), 1, out=[0, 0]), TypeError, "out")


FUNCTION_NEEDS_TENSOR: list[tuple[str, Callable[[Any], Any]]] = [
    ("eq", lambda lib: lib.eq(0, lib.ones(2))),
    ("isnan", lambda lib: lib.isnan(1.0)),
    ("round", lambda lib: lib.round([1.5])),
    ("log2", lambda lib: lib.log2(2.0)),
    ("logical_not", lambda lib: lib.logical_not(True)),
    ("masked_fill", lambda lib: lib.masked_fill([1.0], lib.tensor([True]), 0.0)),
    ("narrow", lambda lib: lib.narrow([1.0, 2.0], 0, 0, 1)),
    ("relu_", lambda lib: lib.relu_(1.0)),
]


@pytest.mark.parametrize("name,code", FUNCTION_NEEDS_TENSOR,
                         ids=[n for n, _ in FUNCTION_NEEDS_TENSOR])
def test_function_forms_refuse_a_non_tensor(name: str, code: Callable[[Any], Any]) -> None:
    raises_like_torch(code, TypeError, name)


def test_function_forms_raise_the_methods_errors() -> None:
    raises_like_torch(lambda lib: lib.logical_xor(lib.ones(2), 1), TypeError,
                      "logical_xor", "Tensor", "int")
    raises_like_torch(lambda lib: lib.ones(2).logical_xor(True), TypeError, "logical_xor")
    raises_like_torch(lambda lib: lib.eq(lib.ones(2, 3), lib.ones(4, 3)), RuntimeError,
                      "(2)", "(4)")
    raises_like_torch(lambda lib: lib.select(lib.ones(2, 3), 1, 3), IndexError,
                      "index 3", "out of range")
    raises_like_torch(lambda lib: lib.narrow(lib.ones(2, 3), 1, 2, 2), RuntimeError,
                      "start (2) + length (2) exceeds dimension size (3)")
    raises_like_torch(lambda lib: lib.broadcast_to(lib.ones(2, 3), (4, 3)), RuntimeError,
                      "expanded size", "(4)", "(2)")
    raises_like_torch(lambda lib: lib.swapaxes(lib.ones(2, 3), 0, 2), IndexError, "got 2")
    raises_like_torch(lambda lib: lib.clamp_min(lib.ones(2), None), TypeError, "min")


# ------------------------------------------------------------- in-place function forms

IN_PLACE: dict[str, tuple[Callable[[Any, Any], Any], bool]] = {
    "abs_": (lambda lib, t: lib.abs_(t), True), "neg_": (lambda lib, t: lib.neg_(t), True),
    "exp_": (lambda lib, t: lib.exp_(t), True),
    "sqrt_": (lambda lib, t: lib.sqrt_(t), True),
    "relu_": (lambda lib, t: lib.relu_(t), True),
    "sigmoid_": (lambda lib, t: lib.sigmoid_(t), True),
    "tanh_": (lambda lib, t: lib.tanh_(t), True),
    "clamp_": (lambda lib, t: lib.clamp_(t, min=-0.5, max=1.0), True),
    "clip_": (lambda lib, t: lib.clip_(t, -1.0), True),
    "fill_": (lambda lib, t: lib.fill_(t, 2.5), True),
    "zero_": (lambda lib, t: lib.zero_(t), True),
    "detach_": (lambda lib, t: lib.detach_(t), False),
}


@pytest.mark.parametrize("name", IN_PLACE)
@SETTINGS
@given(data=st.data())
def test_in_place_function_forms(name: str, data: st.DataObject) -> None:
    code, records = IN_PLACE[name]
    x = data.draw((positive_arrays if name == "sqrt_" else nonzero_arrays)(shapes()),
                  label="x")

    def run(t: Any) -> Any:
        y = t * 1  # not a leaf: an in-place change is allowed and recorded
        result = code(lib_of(t), y)
        assert result is y and y._version == int(records)
        return result

    check_parity(run, None, x, requires_grad=records)
    if records:  # a leaf that requires grad refuses, as in PyTorch
        raises_like_torch(lambda lib: code(lib, lib.tensor(x, requires_grad=True)),
                          RuntimeError, "leaf Variable", "in-place")


# ================================================================== new_tensor, new_zeros ...

NEW: dict[str, Callable[..., Any]] = {
    "new_zeros": lambda t, **kw: t.new_zeros(2, 3, **kw),
    "new_ones": lambda t, **kw: t.new_ones((2, 3), **kw),
    "new_full": lambda t, **kw: t.new_full([2, 3], 7, **kw),
    "new_full-float": lambda t, **kw: t.new_full((4,), 2.75, **kw),
    "new_tensor": lambda t, **kw: t.new_tensor([[1.5, 2], [3, 0]], **kw),
    "new_tensor-bools": lambda t, **kw: t.new_tensor([True, False], **kw),
    "new_zeros-size": lambda t, **kw: t.new_zeros(size=(0, 2), **kw),
    "new_ones-empty": lambda t, **kw: t.new_ones((), **kw),
}


@pytest.mark.parametrize("source", ["float32", "float64", "int64", "int16", "bool"])
@pytest.mark.parametrize("name", NEW)
def test_new_tensors_take_the_source_dtype_and_device(name: str, source: str) -> None:
    make = NEW[name]
    ours = make(OURS.zeros(1, dtype=getattr(tg, source)))
    theirs = make(torch.zeros(1, dtype=getattr(torch, source)))
    assert ours.device.type == OURS_DEVICE and ours.is_leaf and not ours.requires_grad
    assert dtype_name(ours.dtype) == dtype_name(theirs.dtype) == source
    np.testing.assert_array_equal(to_numpy(ours), to_numpy(theirs))


@pytest.mark.parametrize("dtype", ["float64", "float16", "int32", "uint8", "bool"])
@pytest.mark.parametrize("name", NEW)
def test_new_tensors_take_dtype_and_requires_grad(name: str, dtype: str) -> None:
    make = NEW[name]
    requires_grad = dtype.startswith("float")
    ours = make(OURS.ones(2, dtype=tg.int64), dtype=getattr(tg, dtype),
                requires_grad=requires_grad)
    theirs = make(torch.ones(2, dtype=torch.int64), dtype=getattr(torch, dtype),
                  requires_grad=requires_grad)
    assert dtype_name(ours.dtype) == dtype_name(theirs.dtype) == dtype
    assert ours.requires_grad == theirs.requires_grad and ours.is_leaf
    np.testing.assert_array_equal(to_numpy(ours), to_numpy(theirs))
    if requires_grad:  # a leaf of its own: its gradient arrives
        (ours * 2).sum().backward()
        assert ours.grad is not None and (to_numpy(ours.grad) == 2).all()


def test_new_tensors_take_device() -> None:
    source = OURS.ones(2)
    for make in NEW.values():
        assert make(source, device="cpu").device.type == "cpu"
        assert make(source, device=tg.device("cpu")).device.type == "cpu"
        assert make(tg.ones(2)).device.type == "cpu"


def test_new_empty() -> None:
    for lib in (OURS, torch):
        x = lib.ones(3, dtype=lib.float64)
        empty = x.new_empty(2, 3)
        assert empty.shape == (2, 3) and dtype_name(empty.dtype) == "float64"
        typed = x.new_empty((4,), dtype=lib.int8, requires_grad=False)
        assert typed.shape == (4,) and dtype_name(typed.dtype) == "int8"
        assert x.new_empty(size=(1, 2), requires_grad=True).requires_grad


def test_new_tensor_copies_and_warns_for_a_tensor() -> None:
    for lib in (OURS, torch):
        source = lib.tensor([1.0, 2.0], requires_grad=True)
        with pytest.warns(UserWarning, match=r"sourceTensor.detach\(\).clone\(\)"):
            copy = lib.zeros(1, dtype=lib.float64).new_tensor(source)
        assert not copy.requires_grad and dtype_name(copy.dtype) == "float64"
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            array = np.array([1, 2])
            made = lib.zeros(1).new_tensor(array)
            array[0] = 5  # a copy: the tensor keeps 1
            assert made.tolist() == [1.0, 2.0]


NEW_ERRORS: list[tuple[str, Callable[[Any], Any], type[Exception], tuple[str, ...]]] = [
    ("int-requires-grad", lambda lib: lib.ones(1).new_zeros(2, dtype=lib.int64,
                                                            requires_grad=True),
     RuntimeError, ("floating point",)),
    ("new_tensor-int-requires-grad", lambda lib: lib.ones(1, dtype=lib.int64).new_tensor(
        [1], requires_grad=True), RuntimeError, ("floating point",)),
    ("negative", lambda lib: lib.ones(1).new_ones(2, -1), RuntimeError,
     ("negative dimension", "-1")),
    ("float-size", lambda lib: lib.ones(1).new_zeros(2.0), TypeError, ("float",)),
    ("full-int-size", lambda lib: lib.ones(1).new_full(2, 1.0), TypeError,
     ("new_full", "size", "tuple of ints", "int")),
    ("full-no-number", lambda lib: lib.ones(1).new_full((2,), None), TypeError,
     ("fill_value", "NoneType")),
    ("full-varargs", lambda lib: lib.ones(1).new_full(2, 3, 4), TypeError, ("new_full",)),
    ("size-twice", lambda lib: lib.ones(1).new_zeros(2, size=(2,)), TypeError, ("size",)),
    ("no-size", lambda lib: lib.ones(1).new_empty(), TypeError, ('"size"',)),
    ("strings", lambda lib: lib.ones(1).new_tensor("abc"), TypeError, ("str",)),
    ("positional-dtype", lambda lib: lib.ones(1).new_tensor([1], lib.int32), TypeError,
     ("new_tensor",)),
]


@pytest.mark.parametrize("code,error,names", [(c, e, n) for _, c, e, n in NEW_ERRORS],
                         ids=[i for i, _, _, _ in NEW_ERRORS])
def test_new_tensor_errors(code: Callable[[Any], Any], error: type[Exception],
                           names: tuple[str, ...]) -> None:
    raises_like_torch(code, error, *names)


# ======================================================================== 10 % t, type ...


@pytest.mark.parametrize("scalar", [10, -7, 2.5, -0.75, True])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int32"])
def test_reflected_remainder(scalar: Any, dtype: str) -> None:
    values = np.array([[3, -3, 4], [-5, 7, 1]]).astype(dtype)
    # no gradient: PyTorch's result requires grad (remainder's derivative is not
    # implemented for a Python number first), ours is a constant, as our `t % x` (README)
    check_parity(lambda t: scalar % t, None, values, requires_grad=False)
    check_parity(lambda t: scalar % t[0, 0], None, values, requires_grad=False)  # 0-d


def test_reflected_remainder_of_a_bool_tensor_and_zero() -> None:
    check_parity(lambda t: 10 % t, None, np.array([True, True]))
    with warnings.catch_warnings():  # x % 0.0 is nan, with NumPy's RuntimeWarning on the cpu
        warnings.simplefilter("ignore", RuntimeWarning)
        check_parity(lambda t: 2.5 % t, None, np.array([0.0, -0.0, 1.0]), requires_grad=False)


TENSOR_TYPES = {"float16": "HalfTensor", "float32": "FloatTensor", "float64": "DoubleTensor",
                "uint8": "ByteTensor", "int8": "CharTensor", "int16": "ShortTensor",
                "int32": "IntTensor", "int64": "LongTensor", "bool": "BoolTensor"}


@pytest.mark.parametrize("dtype", TENSOR_TYPES)
def test_type_names_the_tensor_type(dtype: str) -> None:
    theirs = torch.zeros(2, dtype=getattr(torch, dtype)).type()
    where = ".cuda" if OURS_DEVICE == "cuda" else ""
    assert theirs == f"torch.{TENSOR_TYPES[dtype]}"
    # PyTorch's string, not our name: code compares it (x.type() == "torch.FloatTensor")
    assert OURS.zeros(2, dtype=getattr(tg, dtype)).type() == (
        f"torch{where}.{TENSOR_TYPES[dtype]}")


@pytest.mark.parametrize("target", TENSOR_TYPES)
@pytest.mark.parametrize("prefix", ["torch", "tinygrad_edu"])
def test_type_converts_to_a_named_type(target: str, prefix: str) -> None:
    name = f"{prefix}.{TENSOR_TYPES[target]}"
    values = np.array([[0.0, 1.5], [2.0, 3.0]])
    ours = tg.tensor(values).type(name)
    theirs = torch.tensor(values).type(f"torch.{TENSOR_TYPES[target]}")
    assert dtype_name(ours.dtype) == dtype_name(theirs.dtype) == target
    assert ours.device.type == "cpu"
    np.testing.assert_array_equal(to_numpy(ours), to_numpy(theirs))
    same = tg.zeros(1, dtype=getattr(tg, target))
    assert same.type(name) is same and same.type(getattr(tg, target)) is same


def test_type_with_a_dtype_and_its_gradient() -> None:
    check_parity(lambda t: t.type(lib_of(t).float32), None, np.array([1.25, -2.5]))
    check_parity(lambda t: t.type(dtype=lib_of(t).float64) * t, None, np.array([1.25, -2.5]))
    # the same device's name: 'tinygrad_edu.cuda.FloatTensor' for a cuda tensor
    check_parity(lambda t: t.type(t.type().replace("Double", "Float")).double() * 3, None,
                 np.array([1.25, -2.5]))
    moved = OURS.ones(2).type("torch.FloatTensor")  # a cpu type: moved to the cpu, as PyTorch
    assert moved.device.type == "cpu"
    if OURS_DEVICE == "cuda":
        assert moved.type("torch.cuda.FloatTensor").device.type == "cuda"


@pytest.mark.parametrize("bad,error,names", [
    ("torch.Blah", ValueError, ("invalid type", "'torch.Blah'")),
    ("torch.float64", ValueError, ("invalid type",)),
    ("DoubleTensor", ValueError, ("invalid type",)),
    (3, TypeError, ("dtype must be a type, str, or dtype object",)),
])
def test_type_errors(bad: Any, error: type[Exception], names: tuple[str, ...]) -> None:
    raises_like_torch(lambda lib: lib.ones(2).type(bad), error, *names)


@pytest.mark.parametrize("other", ["float32", "float64", "int64", "bool"])
def test_type_as(other: str) -> None:
    values = np.array([[0.5, -1.0], [2.0, 0.0]])
    # to an integer type without a gradient: ours would keep requires_grad (README)
    check_parity(lambda t: t.type_as(lib_of(t).zeros(1, dtype=getattr(lib_of(t), other))),
                 None, values, rtol=1e-6, atol=1e-6, requires_grad=other.startswith("float"))
    x = OURS.tensor(values)
    assert x.type_as(x) is x
    raises_like_torch(lambda lib: lib.ones(2).type_as(3), TypeError, "type_as", "Tensor",
                      "int")


def test_is_same_size() -> None:
    for lib in (OURS, torch):
        x = lib.ones(2, 3)
        assert x.is_same_size(lib.zeros(2, 3, dtype=lib.int64))
        assert not x.is_same_size(lib.zeros(3, 2))
        assert not x.is_same_size(lib.zeros(6))
        assert lib.tensor(1.0).is_same_size(lib.tensor(2))
    raises_like_torch(lambda lib: lib.ones(2).is_same_size(2), TypeError, "is_same_size",
                      "Tensor", "int")


# views whose strides both libraries lay out the same way (every size >= 2)
STRIDED: dict[str, Callable[[Any], Any]] = {
    "contiguous": lambda t: t,
    "transpose": lambda t: t.transpose(0, -1),
    "permute": lambda t: t.permute(*reversed(range(t.ndim))),
    "step-slice": lambda t: t[::2],
    "narrow": lambda t: t.narrow(-1, 1, 1),
    "select": lambda t: t.select(0, 1),
    "expand": lambda t: t[:1].expand(3, *t.shape[1:]),
    "unsqueeze-front": lambda t: t.transpose(0, -1).unsqueeze(0),
    "unsqueeze-contiguous-end": lambda t: t.unsqueeze(-1),
    "transpose-then-slice": lambda t: t.transpose(0, -1)[1:, ::2],
    "contiguous-of-view": lambda t: t.transpose(0, -1).contiguous(),
}


@pytest.mark.parametrize("view", STRIDED)
@SETTINGS
@given(shape=shapes(min_dims=2, max_dims=4, min_side=2))
def test_stride(view: str, shape: tuple[int, ...]) -> None:
    values = np.arange(math.prod(shape), dtype=np.float64).reshape(shape)
    ours, theirs = STRIDED[view](OURS.tensor(values)), STRIDED[view](torch.tensor(values))
    assert ours.stride() == theirs.stride()
    for dim in range(-ours.ndim, ours.ndim):
        assert ours.stride(dim) == theirs.stride(dim) == ours.stride()[dim]
    assert ours.stride(None) == theirs.stride(None)
    assert ours.stride(axis=-1) == theirs.stride(axis=-1)
    assert ours.is_contiguous() == theirs.is_contiguous()


def test_stride_of_small_and_empty_tensors() -> None:
    for make in (lambda lib: lib.tensor(1.5), lambda lib: lib.zeros(0, 3),
                 lambda lib: lib.ones(3, 1, 2), lambda lib: lib.ones(2, 3, dtype=lib.int8)):
        assert make(OURS).stride() == make(torch).stride()
    raises_like_torch(lambda lib: lib.tensor(1.5).stride(0), IndexError,
                      "Dimension specified as 0 but tensor has no dimensions")
    raises_like_torch(lambda lib: lib.ones(2, 3).stride(2), IndexError, "got 2")
    raises_like_torch(lambda lib: lib.ones(2, 3).stride("a"), TypeError, "str")


# --------------------------------------------------------------- in-place shape changes

SHAPE_IN_PLACE: dict[str, Callable[[Any, int], Any]] = {
    "unsqueeze_": lambda t, d: t.unsqueeze_(d),
    "unsqueeze_-axis": lambda t, d: t.unsqueeze_(axis=d),
    "squeeze_": lambda t, d: t.squeeze_(),
    "squeeze_-dim": lambda t, d: t.squeeze_(d),
    "squeeze_-axis": lambda t, d: t.squeeze_(axis=(d,)),
    "transpose_": lambda t, d: t.transpose_(d, 0),
    "t_": lambda t, d: t.t_() if t.ndim <= 2 else t.transpose_(0, 1),
}


@pytest.mark.parametrize("name", SHAPE_IN_PLACE)
@SETTINGS
@given(data=st.data())
def test_in_place_shape_changes(name: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3), label="shape")
    x = data.draw(arrays(shape), label="x")
    dim = draw_dim(data, len(shape))

    def run(t: Any) -> Any:
        y = t * 2  # not a leaf: recorded
        result = SHAPE_IN_PLACE[name](y, dim)
        assert result is y and y._version == 1
        return y * y  # y's new shape flows on; the gradient comes back through its node

    check_parity(run, None, x)


def test_in_place_shape_change_names_and_state() -> None:
    for lib in (OURS, torch):
        base = lib.zeros(1, 3, 1, requires_grad=True)
        assert (base * 1).squeeze_().grad_fn.name() == "SqueezeBackward3"
        assert (base * 1).squeeze_(0).grad_fn.name() == "SqueezeBackward4"
        assert (base * 1).squeeze_((0, 2)).grad_fn.name() == "SqueezeBackward5"
        y = base * 1
        node = y.grad_fn
        y.unsqueeze_(0)
        assert y.grad_fn.next_functions[0][0] is node and y.shape == (1, 1, 3, 1)
        with lib.no_grad():  # unrecorded: the node stays, as PyTorch
            y.squeeze_(0)
        assert y.shape == (1, 3, 1) and y.grad_fn is not None

        plain = lib.arange(6.0).reshape(2, 3)
        view = plain[0]
        view.unsqueeze_(0)  # still the same memory
        view[0, 1] = 100.0
        assert plain[0, 1].item() == 100.0 and plain._version == view._version
        plain.t_()
        assert plain.shape == (3, 2) and plain.stride() == (1, 3)
        with lib.no_grad():
            leaf = lib.ones(3, requires_grad=True)
            assert leaf.unsqueeze_(0).shape == (1, 3)


def test_in_place_shape_change_errors() -> None:
    raises_like_torch(lambda lib: lib.ones(3, requires_grad=True).unsqueeze_(0), RuntimeError,
                      "leaf Variable", "in-place")
    raises_like_torch(lambda lib: lib.ones(3, 4, requires_grad=True).t_(), RuntimeError,
                      "leaf Variable")
    raises_like_torch(lambda lib: lib.ones(2, 3, 4).t_(), RuntimeError,
                      "t_() expects a tensor with <= 2 dimensions, but self is 3D")
    raises_like_torch(lambda lib: lib.ones(2, 3).transpose_(0, 2), IndexError, "got 2")
    raises_like_torch(lambda lib: lib.ones(2, 3).unsqueeze_(3), IndexError, "got 3")
    raises_like_torch(lambda lib: lib.ones(2, 3).unsqueeze_(), TypeError, '"dim"')
    raises_like_torch(lambda lib: lib.ones(2, 1).squeeze_(1, axis=1), TypeError, "axis")

    def changed_after_use(lib: Any) -> None:
        y = lib.ones(3, requires_grad=True) * 2
        z = y * y  # saves y under its old shape
        y.unsqueeze_(0)
        z.sum().backward()

    raises_like_torch(changed_after_use, RuntimeError, "modified by an inplace operation",
                      "version 1")


# ================================================================ central differences


def normal(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape)


def positive(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.5, 2.0, size=shape)


MASK = np.array([[True, False, True, False], [False, False, True, True], [True, True, False,
                                                                           False]])

GRADCHECK: list[tuple[str, Callable[..., Any], list[np.ndarray]]] = [
    ("sum-axis", lambda a: a.sum(axis=(0, -1), keepdims=True), [normal(2, 3, 4)]),
    ("mean-axis", lambda a: tg.mean(a, axis=1), [normal(3, 4)]),
    ("std-axis", lambda a: a.std(axis=-1, keepdims=True), [normal(3, 4)]),
    ("logsumexp-axis", lambda a: a.logsumexp(axis=0), [normal(3, 4)]),
    ("softmax-axis", lambda a: tg.softmax(a, axis=0), [normal(3, 4)]),
    ("max-axis", lambda a: a.max(axis=1, keepdims=True).values, [normal(3, 4)]),
    ("amin-axis", lambda a: tg.amin(a, axis=(0, 1)), [normal(3, 4)]),
    ("prod-axis", lambda a: a.prod(axis=1), [positive(3, 4)]),
    ("cat-axis", lambda a, b: tg.concatenate([a, b], axis=1), [normal(3, 2), normal(3, 1)]),
    ("stack-axis", lambda a, b: tg.stack([a, b], axis=-1), [normal(3, 2), normal(3, 2, seed=1)]),
    ("gather-axis", lambda a: a.gather(axis=1, index=tg.tensor([[0, 3], [2, 2], [1, 0]])),
     [normal(3, 4)]),
    ("log2", lambda a: tg.log2(a), [positive(3, 4)]),
    ("log10", lambda a: tg.log10(a), [positive(3, 4)]),
    ("rsqrt", lambda a: tg.rsqrt(a), [positive(3, 4)]),
    ("reciprocal", lambda a: tg.reciprocal(a), [positive(3, 4)]),
    ("tan", lambda a: tg.tan(a), [normal(3, 4) * 0.4]),
    ("absolute", lambda a: tg.absolute(a), [positive(3, 4) * np.sign(normal(3, 4))]),
    ("negative", lambda a: tg.negative(a), [normal(3, 4)]),
    ("multiply", lambda a, b: tg.multiply(a, b), [normal(3, 4), normal(4, seed=1)]),
    ("divide", lambda a, b: tg.divide(a, b), [normal(3, 4), positive(3, 1)]),
    ("subtract", lambda a, b: tg.subtract(a, b, alpha=-1.5), [normal(3, 4), normal(1, 4)]),
    ("lerp", lambda a, b, w: tg.lerp(a, b, w), [normal(3, 4), normal(3, 4, seed=1),
                                                positive(3, 4, seed=2) / 2]),
    ("clamp_min", lambda a: tg.clamp_min(a, 0.3), [normal(3, 4)]),
    ("clamp_max-tensor", lambda a, b: tg.clamp_max(a, b), [normal(3, 4), normal(3, 4, seed=1)]),
    ("masked_fill", lambda a: tg.masked_fill(a, tg.tensor(MASK), -1.0), [normal(3, 4)]),
    ("swapaxes", lambda a: tg.swapaxes(a, 0, -1) * tg.swapdims(a, -1, 0), [normal(2, 3)]),
    ("narrow", lambda a: tg.narrow(a, axis=1, start=1, length=2), [normal(3, 4)]),
    ("select", lambda a: tg.select(a, 0, -1), [normal(3, 4)]),
    ("broadcast_to", lambda a: tg.broadcast_to(a, (2, 3, 4)), [normal(3, 1)]),
    ("unflatten", lambda a: tg.unflatten(a, -1, (2, 2)), [normal(3, 4)]),
    ("relu_", lambda a: tg.relu_(a * 1), [positive(3, 4) * np.sign(normal(3, 4))]),
    ("type_as", lambda a: a.type_as(a) * a, [normal(3, 4)]),
    ("unsqueeze_", lambda a: (a * 1).unsqueeze_(1) * a, [normal(3, 4)]),
    ("squeeze_", lambda a: (a * 1).squeeze_(1).exp(), [normal(3, 1, 4)]),
    ("t_", lambda a: (a * 1).t_() @ a, [normal(3, 4)]),
    ("transpose_", lambda a: (a * 1).transpose_(0, 2).sin(), [normal(2, 3, 4)]),
]


@pytest.mark.parametrize("name,fn,arrays", GRADCHECK, ids=[name for name, _, _ in GRADCHECK])
def test_gradcheck(name: str, fn: Callable[..., Any], arrays: list[np.ndarray]) -> None:
    inputs = [tg.tensor(a, dtype=tg.float64, requires_grad=True) for a in arrays]
    assert gradcheck(fn, inputs, eps=1e-6, atol=1e-6, rtol=1e-5)

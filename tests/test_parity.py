"""Forward and backward parity with PyTorch for every differentiable op, in float64.

Every test goes through ``helpers.check_parity``: the same NumPy arrays become tensors in
both libraries, the outputs are compared (values, shape, dtype, requires_grad), then a random
upstream gradient is backpropagated in both and every input's ``.grad`` is compared. Shapes
and values are drawn with hypothesis, broadcasting pairs included.
"""

from __future__ import annotations

import math
import operator
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from helpers import (
    OURS,
    arrays,
    assert_same_tensor,
    broadcastable_pair,
    check_parity,
    draw_dim,
    dtype_name,
    floats,
    lib_of,
    nonzero_arrays,
    positive_arrays,
    shapes,
    tied_arrays,
    to_numpy,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])




# ------------------------------------------------------------------------ binary arithmetic

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
}
GRAD_FLAGS = [(True, True), (True, False), (False, True)]


@pytest.mark.parametrize("flags", GRAD_FLAGS, ids=["both", "left", "right"])
@pytest.mark.parametrize("name", BINARY)
@SETTINGS
@given(data=st.data())
def test_binary_broadcasting(name: str, flags: tuple[bool, bool], data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    a = data.draw(arrays(shape_a), label="a")
    b = data.draw(nonzero_arrays(shape_b) if name == "div" else arrays(shape_b), label="b")
    check_parity(BINARY[name], None, a, b, requires_grad=flags)


@pytest.mark.parametrize("name", BINARY)
@SETTINGS
@given(data=st.data())
def test_binary_size_zero(name: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, min_side=0, max_side=3), label="shape")
    a, b = data.draw(arrays(shape)), data.draw(nonzero_arrays(shape))
    check_parity(BINARY[name], None, a, b)


@pytest.mark.parametrize("scalar", [2, -1.5, 0.25, True])
@pytest.mark.parametrize("name", BINARY)
@SETTINGS
@given(data=st.data())
def test_binary_python_scalar_both_sides(name: str, scalar: Any, data: st.DataObject) -> None:
    x = data.draw(nonzero_arrays(shapes()), label="x")
    op = BINARY[name]
    if name == "sub" and scalar is True:  # PyTorch refuses subtraction with a bool
        for lib in (tg, torch):
            with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool"):
                op(lib.tensor(x), scalar)
            with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool"):
                op(scalar, lib.tensor(x))
        return
    check_parity(lambda t: op(t, scalar), None, x)
    check_parity(lambda t: op(scalar, t), None, x)


@SETTINGS
@given(data=st.data(), alpha=st.sampled_from([2, -0.5]))
def test_add_sub_alpha(data: st.DataObject, alpha: float) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    a, b = data.draw(arrays(shape_a)), data.draw(arrays(shape_b))
    check_parity(lambda x, y: x.add(y, alpha=alpha), None, a, b)
    check_parity(lambda x, y: x.sub(y, alpha=alpha), None, a, b)
    check_parity(lambda x, y: lib_of(x).add(x, y, alpha=alpha), None, a, b)
    check_parity(lambda x, y: lib_of(x).sub(x, y, alpha=alpha), None, a, b)
    check_parity(lambda x, y: lib_of(x).mul(x, y), None, a, b)


@SETTINGS
@given(data=st.data())
def test_function_forms_of_binary_ops(data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    a, b = data.draw(arrays(shape_a)), data.draw(nonzero_arrays(shape_b))
    check_parity(lambda x, y: lib_of(x).div(x, y), None, a, b)
    check_parity(lambda x, y: lib_of(x).true_divide(x, y), None, a, b)
    check_parity(lambda x, y: x.div(y), None, a, b)
    check_parity(lambda x, y: x.mul(y).sub(y).add(x), None, a, b)


# ------------------------------------------------------------------------------------ pow


@pytest.mark.parametrize("exponent", [0, 1, 2, 3, -1, -2])
@SETTINGS
@given(data=st.data())
def test_pow_tensor_int_scalar(exponent: int, data: st.DataObject) -> None:
    x = data.draw(nonzero_arrays(shapes()), label="x")  # negative bases too
    check_parity(lambda t: t**exponent, None, x)
    check_parity(lambda t: t.pow(exponent), None, x)


@pytest.mark.parametrize("exponent", [0.5, -1.5, 2.5, 1 / 3, 0.0, 2.0])
@SETTINGS
@given(data=st.data())
def test_pow_tensor_float_scalar(exponent: float, data: st.DataObject) -> None:
    x = data.draw(positive_arrays(shapes()), label="x")
    check_parity(lambda t: t**exponent, None, x)
    check_parity(lambda t: lib_of(t).pow(t, exponent), None, x)


@pytest.mark.parametrize("flags", GRAD_FLAGS, ids=["both", "base", "exponent"])
@SETTINGS
@given(data=st.data())
def test_pow_tensor_tensor(flags: tuple[bool, bool], data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    a = data.draw(positive_arrays(shape_a), label="base")
    b = data.draw(arrays(shape_b, floats(-2.5, 2.5)), label="exponent")
    check_parity(operator.pow, None, a, b, requires_grad=flags)


@pytest.mark.parametrize("base", [2.5, 0.5, 1, 3])
@SETTINGS
@given(data=st.data())
def test_pow_scalar_tensor(base: float, data: st.DataObject) -> None:
    x = data.draw(arrays(shapes(), floats(-2.5, 2.5)), label="exponent")
    check_parity(lambda t: base**t, None, x)


def test_pow_zero_base_tensor_exponent() -> None:
    """0 ** b: d/da is b * 0 ** (b - 1) (0 for b = 0 and b > 1); d/db masks log(0)."""
    a = np.array([0.0, 0.0, 0.0, 2.0, 0.0])
    b = np.array([2.0, 0.0, 3.0, 1.5, 1.0])
    check_parity(operator.pow, None, a, b)


def test_pow_negative_base_integer_tensor_exponent() -> None:
    a = np.array([-2.0, -1.5, 3.0])
    b = np.array([2.0, 3.0, -1.0])
    check_parity(operator.pow, None, a, b, requires_grad=(True, False))


# ------------------------------------------------------------------------- unary elementwise

UNARY: dict[str, tuple[Callable[[Any], Any], st.SearchStrategy[float]]] = {
    "neg": (operator.neg, floats()),
    "abs": (lambda t: t.abs(), floats()),
    "exp": (lambda t: t.exp(), floats(-5, 5)),
    "log": (lambda t: t.log(), floats(0.05, 5)),
    "sqrt": (lambda t: t.sqrt(), floats(0.05, 5)),
    "sin": (lambda t: t.sin(), floats(-6, 6)),
    "cos": (lambda t: t.cos(), floats(-6, 6)),
    "tanh": (lambda t: t.tanh(), floats(-5, 5)),
    "sigmoid": (lambda t: t.sigmoid(), floats(-40, 40)),
    "relu": (lambda t: t.relu(), floats()),
    "square": (lambda t: t.square(), floats()),
    "reciprocal": (lambda t: t.reciprocal(), st.one_of(floats(-3, -0.3), floats(0.3, 3))),
    "rsqrt": (lambda t: t.rsqrt(), floats(0.1, 5)),
    "tan": (lambda t: t.tan(), floats(-1.2, 1.2)),
    "log2": (lambda t: t.log2(), floats(0.05, 5)),
    "log10": (lambda t: t.log10(), floats(0.05, 5)),
    "abs_builtin": (abs, floats()),
}


@pytest.mark.parametrize("name", UNARY)
@SETTINGS
@given(data=st.data())
def test_unary(name: str, data: st.DataObject) -> None:
    fn, elements = UNARY[name]
    x = data.draw(arrays(shapes(), elements), label="x")
    check_parity(fn, None, x)


@pytest.mark.parametrize("name", ["neg", "abs", "relu", "exp", "sigmoid"])
def test_unary_at_kinks_and_zero(name: str) -> None:
    """0 and ties: abs and relu have gradient 0 at 0, as PyTorch."""
    fn, _ = UNARY[name]
    check_parity(fn, None, np.array([-1.0, -0.0, 0.0, 0.5, 2.0]))


@pytest.mark.parametrize("name", ["exp", "sin", "tanh", "sigmoid", "relu", "abs", "neg"])
@SETTINGS
@given(data=st.data())
def test_unary_size_zero(name: str, data: st.DataObject) -> None:
    fn, _ = UNARY[name]
    x = data.draw(arrays(shapes(min_dims=1, min_side=0, max_side=3)), label="x")
    check_parity(fn, None, x)


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "abs",
                                  "neg"])
def test_function_forms_of_unary_ops(name: str) -> None:
    x = np.array([[0.5, 1.5, 2.0], [0.25, 3.0, 1.0]])
    check_parity(lambda t: getattr(lib_of(t), name)(t), None, x)


# -------------------------------------------------------------------------------- clamp


@pytest.mark.parametrize("bounds", [(-0.5, None), (None, 0.5), (-0.5, 0.5), (0.0, 0.0),
                                    (1, 2)], ids=["min", "max", "both", "equal", "ints"])
@SETTINGS
@given(data=st.data(), ties=st.booleans())
def test_clamp(bounds: tuple[Any, Any], ties: bool, data: st.DataObject) -> None:
    """Values drawn from a few values too, so x sits exactly on a bound (gradient passes)."""
    low, high = bounds
    shape = data.draw(shapes(), label="shape")
    x = data.draw(tied_arrays(shape) if ties else arrays(shape), label="x")
    check_parity(lambda t: t.clamp(low, high), None, x)
    check_parity(lambda t: t.clamp(min=low, max=high), None, x)
    check_parity(lambda t: lib_of(t).clamp(t, low, high), None, x)
    check_parity(lambda t: t.clip(low, high), None, x)
    if high is None:
        check_parity(lambda t: t.clamp_min(low), None, x)
    if low is None:
        check_parity(lambda t: t.clamp_max(high), None, x)


@pytest.mark.parametrize("which", ["min", "max", "both"])
@SETTINGS
@given(data=st.data())
def test_clamp_tensor_bounds(which: str, data: st.DataObject) -> None:
    """Tensor bounds get gradients too; on a tie the input keeps it (PyTorch)."""
    shape = data.draw(shapes(), label="shape")
    x = data.draw(tied_arrays(shape), label="x")
    low = data.draw(tied_arrays(shape), label="low") - 0.5
    high = low + 1.5

    def fn(t: Any, lo: Any, hi: Any) -> Any:
        return t.clamp(min=lo if which != "max" else None, max=hi if which != "min" else None)

    check_parity(fn, None, x, low, high)


# ------------------------------------------------------------------- maximum, minimum, where


@pytest.mark.parametrize("name", ["maximum", "minimum"])
@SETTINGS
@given(data=st.data(), ties=st.booleans())
def test_maximum_minimum(name: str, ties: bool, data: st.DataObject) -> None:
    """Broadcasting pairs; values from a few values too, so ties (half to each) happen."""
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    if ties:
        a, b = data.draw(tied_arrays(shape_a)), data.draw(tied_arrays(shape_b))
    else:
        a, b = data.draw(arrays(shape_a)), data.draw(arrays(shape_b))
    check_parity(lambda x, y: getattr(x, name)(y), None, a, b)
    check_parity(lambda x, y: getattr(lib_of(x), name)(x, y), None, a, b)
    method = "max" if name == "maximum" else "min"
    check_parity(lambda x, y: getattr(x, method)(y), None, a, b)


def test_maximum_all_ties() -> None:
    a = np.array([1.0, 2.0, -3.0])
    check_parity(lambda x, y: x.maximum(y), None, a, a.copy())
    check_parity(lambda x, y: x.minimum(y), None, a, a.copy())


@SETTINGS
@given(data=st.data())
def test_where(data: st.DataObject) -> None:
    shape_x, shape_y = data.draw(broadcastable_pair(), label="shapes")
    shape_c = data.draw(st.sampled_from([shape_x, shape_y]), label="condition shape")
    condition = data.draw(hnp.arrays(np.bool_, shape_c), label="condition")
    x, y = data.draw(arrays(shape_x)), data.draw(arrays(shape_y))
    check_parity(lambda c, a, b: lib_of(a).where(c, a, b), None, condition, x, y)
    check_parity(lambda c, a, b: a.where(c, b), None, condition, x, y)
    check_parity(lambda c, a, b: lib_of(a).where(c, a, 0.5), None, condition, x, y,
                 requires_grad=(False, True, False))
    check_parity(lambda c, a, b: lib_of(a).where(c, -2.0, b), None, condition, x, y,
                 requires_grad=(False, False, True))


@SETTINGS
@given(data=st.data())
def test_masked_fill(data: st.DataObject) -> None:
    shape = data.draw(shapes(), label="shape")
    mask = data.draw(hnp.arrays(np.bool_, shape), label="mask")
    x = data.draw(arrays(shape), label="x")
    check_parity(lambda m, a: a.masked_fill(m, -1.5), None, mask, x)


# ----------------------------------------------------------------------- softmax, log_softmax


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@SETTINGS
@given(data=st.data())
def test_softmax_every_dim(name: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(), label="shape")
    x = data.draw(arrays(shape, floats(-20, 20)), label="x")
    for dim in range(-max(len(shape), 1), max(len(shape), 1)):
        check_parity(lambda t, d=dim: getattr(t, name)(d), None, x)
        check_parity(lambda t, d=dim: getattr(lib_of(t), name)(t, d), None, x)


def test_softmax_large_logits() -> None:
    x = np.array([[1000.0, 0.0, -1000.0], [500.0, 500.0, 499.0]])
    check_parity(lambda t: t.softmax(-1), None, x)
    check_parity(lambda t: t.log_softmax(-1), None, x)
    check_parity(lambda t: t.logsumexp(-1), None, x)


# ---------------------------------------------------------------------------- reductions

MULTI_DIM = {"sum", "mean", "amax", "amin", "var", "std", "norm", "logsumexp"}


def dims_spec(data: st.DataObject, ndim: int, multi: bool) -> Any:
    """None (all elements), one dim, or (where the op takes one) a tuple of dims."""
    choices: list[Any] = [None, *range(-max(ndim, 1), max(ndim, 1))]
    if multi and ndim >= 2:
        dims = data.draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                                  unique=True), label="dims")
        choices.append(tuple(dims))
    return data.draw(st.sampled_from(choices), label="dim")


def reduction(name: str, dim: Any, keepdim: bool, extra: Any = None) -> Callable[[Any], Any]:
    """``x.<name>(...)`` for both libraries, in the form each accepts for ``dim``."""

    def fn(t: Any) -> Any:
        if name in ("max", "min"):
            return getattr(t, name)() if dim is None else getattr(t, name)(dim, keepdim)
        if name in ("amax", "amin"):
            return getattr(t, name)() if dim is None else getattr(t, name)(dim, keepdim)
        if name == "logsumexp":
            return t.logsumexp(tuple(range(t.ndim)) if dim is None else dim, keepdim)
        if name == "prod":
            return t.prod() if dim is None else t.prod(dim, keepdim)
        if name in ("var", "std"):
            if dim is None:
                return getattr(t, name)(correction=extra)
            return getattr(t, name)(dim, keepdim=keepdim, correction=extra)
        if name == "norm":
            return t.norm(extra, dim, keepdim)
        return getattr(t, name)() if dim is None else getattr(t, name)(dim, keepdim)

    return fn


def _reduced_count(shape: tuple[int, ...], dim: Any) -> int:
    if dim is None:
        return math.prod(shape)
    dims = dim if isinstance(dim, tuple) else (dim,)
    return math.prod(shape[d] for d in dims) if shape else 1


@pytest.mark.parametrize("name", ["sum", "mean", "prod", "max", "min", "amax", "amin",
                                  "logsumexp"])
@SETTINGS
@given(data=st.data(), keepdim=st.booleans(), ties=st.booleans())
def test_reductions(name: str, keepdim: bool, ties: bool, data: st.DataObject) -> None:
    """Every dim, keepdim on and off, all elements; ``max(dim)`` compares indices too."""
    small = name == "prod"  # products of many numbers overflow
    shape = data.draw(shapes(max_dims=3 if small else 4, max_side=3 if small else 5),
                      label="shape")
    x = data.draw(tied_arrays(shape) if ties else arrays(shape), label="x")
    dim = dims_spec(data, len(shape), name in MULTI_DIM)
    check_parity(reduction(name, dim, keepdim), None, x)


@pytest.mark.parametrize("name", ["sum", "mean", "prod", "max", "min", "amax", "amin"])
@pytest.mark.parametrize("keepdim", [False, True])
def test_reductions_every_dim_fixed(name: str, keepdim: bool) -> None:
    """Deterministic sweep over each dim of a 3-d tensor with ties and a zero."""
    x = np.array([[[1.0, 2.0, 2.0, -1.0], [0.0, 3.0, -3.0, 0.5], [2.0, 2.0, 1.0, 1.0]],
                  [[-1.0, 4.0, 0.25, 4.0], [1.5, -2.0, 1.0, 0.5], [0.5, 0.5, 0.5, 0.5]]])
    for dim in [None, 0, 1, 2, -1, -2, -3]:
        check_parity(reduction(name, dim, keepdim), None, x)


def test_prod_with_zeros() -> None:
    x = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 4.0], [1.5, -2.0, 0.5]])
    for dim in [None, 0, 1]:
        check_parity(reduction("prod", dim, False), None, x)
    check_parity(lambda t: t.prod(), None, np.array([0.0, 2.0, 3.0]))
    check_parity(lambda t: t.prod(), None, np.array([0.0, 2.0, 0.0]))


@pytest.mark.parametrize("name", ["sum", "mean", "amax", "amin", "logsumexp"])
def test_reductions_of_0d(name: str) -> None:
    x = np.array(1.5)
    for dim in [None, 0, -1]:
        for keepdim in (False, True):
            check_parity(reduction(name, dim, keepdim), None, x)


@SETTINGS
@given(data=st.data(), keepdim=st.booleans())
def test_sum_size_zero(data: st.DataObject, keepdim: bool) -> None:
    shape = data.draw(shapes(min_dims=1, min_side=0, max_side=3), label="shape")
    x = data.draw(arrays(shape), label="x")
    dim = dims_spec(data, len(shape), multi=True)
    check_parity(reduction("sum", dim, keepdim), None, x)


@pytest.mark.parametrize("correction", [0, 1, 2])
@pytest.mark.parametrize("name", ["var", "std"])
@SETTINGS
@given(data=st.data(), keepdim=st.booleans())
def test_var_std(name: str, correction: int, keepdim: bool, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    x = data.draw(arrays(shape), label="x")
    dim = dims_spec(data, len(shape), multi=True)
    assume(_reduced_count(shape, dim) > correction)
    if name == "std":  # away from a zero deviation, where sqrt is not differentiable
        axis = None if dim is None else dim
        assume(np.all(np.std(x, axis=axis) > 1e-3))
    check_parity(reduction(name, dim, keepdim, correction), None, x)


def test_var_std_unbiased_flag_and_defaults() -> None:
    x = np.array([[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]])
    for fn in (lambda t: t.var(), lambda t: t.std(), lambda t: t.var(1, unbiased=False),
               lambda t: t.std(0, unbiased=True), lambda t: t.var(1, keepdim=True),
               lambda t: lib_of(t).var(t, 0), lambda t: lib_of(t).std(t, 1)):
        check_parity(fn, None, x)


def test_std_of_constant_has_zero_gradient() -> None:
    """PyTorch sets the gradient of std to 0 where the deviation is 0."""
    x = np.array([[1.0, 1.0, 1.0], [0.5, -1.0, 3.0]])
    check_parity(lambda t: t.std(1), None, x)


@pytest.mark.parametrize("p", [2, 1, 3, 1.5, math.inf, "fro"])
@SETTINGS
@given(data=st.data(), keepdim=st.booleans())
def test_norm(p: Any, keepdim: bool, data: st.DataObject) -> None:
    shape = data.draw(shapes(), label="shape")
    x = data.draw(nonzero_arrays(shape), label="x")
    dim = dims_spec(data, len(shape), multi=True)
    if p == "fro" and not (isinstance(dim, tuple) and len(dim) == 2):
        dim = None  # torch: 'fro' over all elements or over exactly two dims
    check_parity(reduction("norm", dim, keepdim, p), None, x)


@pytest.mark.parametrize("p", [2, 3, math.inf])
def test_norm_of_zero_vector_has_zero_gradient(p: float) -> None:
    """PyTorch sets the gradient of a norm to 0 where the norm is 0."""
    x = np.array([[0.0, 0.0, 0.0], [3.0, -4.0, 0.0]])
    check_parity(lambda t: t.norm(p, 1), None, x)


def test_norm_ties_for_inf() -> None:
    x = np.array([[2.0, -2.0, 1.0], [3.0, -4.0, 4.0]])
    check_parity(lambda t: t.norm(math.inf, 1), None, x)
    check_parity(lambda t: t.norm(math.inf), None, x)


# ------------------------------------------------------------------------------- matmul

MATMUL_SHAPES = [
    ((4,), (4,)),                  # dot
    ((3, 4), (4,)),                # matrix @ vector
    ((4,), (4, 2)),                # vector @ matrix
    ((3, 4), (4, 2)),              # matrix @ matrix
    ((2, 3, 4), (2, 4, 5)),        # batched
    ((2, 1, 3, 4), (5, 4, 2)),     # batched, broadcast both ways
    ((2, 3, 4), (4, 5)),           # batch @ matrix
    ((3, 4), (2, 4, 5)),           # matrix @ batch
    ((4,), (2, 3, 4, 5)),          # vector @ batch
    ((2, 3, 3, 4), (4,)),          # batch @ vector
    ((1, 3, 4), (2, 1, 4, 2)),
    ((1, 4), (4, 1)),
]


@pytest.mark.parametrize("shape_a,shape_b", MATMUL_SHAPES,
                         ids=[f"{a}@{b}" for a, b in MATMUL_SHAPES])
@SETTINGS
@given(data=st.data())
def test_matmul_rank_combinations(shape_a: tuple[int, ...], shape_b: tuple[int, ...],
                                  data: st.DataObject) -> None:
    a, b = data.draw(arrays(shape_a)), data.draw(arrays(shape_b))
    for flags in GRAD_FLAGS:
        check_parity(operator.matmul, None, a, b, requires_grad=flags)
    check_parity(lambda x, y: x.matmul(y), None, a, b)
    check_parity(lambda x, y: lib_of(x).matmul(x, y), None, a, b)


@SETTINGS
@given(data=st.data(), n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4))
def test_matmul_broadcast_batches(n: int, k: int, m: int, data: st.DataObject) -> None:
    batch_a, batch_b = data.draw(broadcastable_pair(max_dims=3), label="batches")
    a = data.draw(arrays((*batch_a, n, k)), label="a")
    b = data.draw(arrays((*batch_b, k, m)), label="b")
    check_parity(operator.matmul, None, a, b)


@SETTINGS
@given(data=st.data(), n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4),
       batch=st.integers(1, 3))
def test_mm_bmm_mv_dot(n: int, k: int, m: int, batch: int, data: st.DataObject) -> None:
    a, b = data.draw(arrays((n, k))), data.draw(arrays((k, m)))
    check_parity(lambda x, y: x.mm(y), None, a, b)
    check_parity(lambda x, y: lib_of(x).mm(x, y), None, a, b)
    a3, b3 = data.draw(arrays((batch, n, k))), data.draw(arrays((batch, k, m)))
    check_parity(lambda x, y: x.bmm(y), None, a3, b3)
    check_parity(lambda x, y: lib_of(x).bmm(x, y), None, a3, b3)
    v, w = data.draw(arrays((k,))), data.draw(arrays((k,)))
    check_parity(lambda x, y: x.mv(y), None, a, w)
    check_parity(lambda x, y: lib_of(x).mv(x, y), None, a, w)
    check_parity(lambda x, y: x.dot(y), None, v, w)
    check_parity(lambda x, y: lib_of(x).dot(x, y), None, v, w)


# ---------------------------------------------------------------------------- shape ops


@SETTINGS
@given(data=st.data())
def test_view_reshape_flatten(data: st.DataObject) -> None:
    shape = data.draw(shapes(), label="shape")
    x = data.draw(arrays(shape), label="x")
    split = data.draw(st.integers(0, len(shape)), label="split")
    target = (math.prod(shape[:split]), -1)
    check_parity(lambda t: t.view(*target), None, x)
    check_parity(lambda t: t.reshape(target), None, x)
    check_parity(lambda t: t.view(-1), None, x)
    check_parity(lambda t: lib_of(t).reshape(t, (-1, 1)), None, x)
    check_parity(lambda t: t.flatten(), None, x)
    check_parity(lambda t: lib_of(t).flatten(t), None, x)
    if len(shape) >= 2:
        start = data.draw(st.integers(0, len(shape) - 1), label="start")
        end = data.draw(st.integers(start, len(shape) - 1), label="end")
        check_parity(lambda t: t.flatten(start, end), None, x)
        check_parity(lambda t: t.flatten(start - len(shape), -1), None, x)
    # a view of a non-contiguous result needs reshape
    check_parity(lambda t: t.permute(tuple(reversed(range(t.ndim)))).reshape(-1) * 2, None, x)
    check_parity(lambda t: t.view_as(t * 1), None, x)


@SETTINGS
@given(data=st.data())
def test_squeeze_unsqueeze(data: st.DataObject) -> None:
    shape = data.draw(shapes(max_side=2), label="shape")  # sizes of 1 are common
    x = data.draw(arrays(shape), label="x")
    check_parity(lambda t: t.squeeze(), None, x)
    check_parity(lambda t: lib_of(t).squeeze(t), None, x)
    for dim in range(-max(len(shape), 1), max(len(shape), 1)):
        check_parity(lambda t, d=dim: t.squeeze(d), None, x)
    if len(shape) >= 2:
        check_parity(lambda t: t.squeeze((0, -1)), None, x)
    for dim in range(-len(shape) - 1, len(shape) + 1):
        check_parity(lambda t, d=dim: t.unsqueeze(d), None, x)
        check_parity(lambda t, d=dim: lib_of(t).unsqueeze(t, d), None, x)


@SETTINGS
@given(data=st.data())
def test_permute_transpose_t(data: st.DataObject) -> None:
    shape = data.draw(shapes(), label="shape")
    x = data.draw(arrays(shape), label="x")
    order = data.draw(st.permutations(range(len(shape))), label="order")
    if order:  # torch: permute() with no dims is an error, permute(()) is fine
        check_parity(lambda t: t.permute(*order), None, x)
    check_parity(lambda t: t.permute(tuple(order)), None, x)
    check_parity(lambda t: lib_of(t).permute(t, tuple(order)), None, x)
    if shape:
        d0, d1 = draw_dim(data, len(shape)), draw_dim(data, len(shape))
        check_parity(lambda t: t.transpose(d0, d1), None, x)
        check_parity(lambda t: lib_of(t).transpose(t, d0, d1), None, x)
    if len(shape) >= 2:
        check_parity(lambda t: t.mT, None, x)
        check_parity(lambda t: t.swapaxes(0, -1), None, x)
    if len(shape) <= 2:
        check_parity(lambda t: t.t(), None, x)
        check_parity(lambda t: lib_of(t).t(t), None, x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch: x.T on non-2-d is deprecated
        check_parity(lambda t: t.T, None, x)


@SETTINGS
@given(data=st.data())
def test_expand(data: st.DataObject) -> None:
    target = data.draw(shapes(max_dims=4), label="target")
    drop = data.draw(st.integers(0, len(target)), label="drop")
    shape_x = tuple(n if data.draw(st.booleans()) else 1 for n in target[drop:])
    x = data.draw(arrays(shape_x), label="x")
    sizes = tuple(-1 if i >= drop and data.draw(st.booleans()) else n
                  for i, n in enumerate(target))
    sizes = tuple(n if s == -1 and shape_x[i - drop] != n else s
                  for i, (s, n) in enumerate(zip(sizes, target)))
    if sizes:  # torch: expand() with no sizes is an error, expand(()) is fine
        check_parity(lambda t: t.expand(*sizes), None, x)
    check_parity(lambda t: t.expand(sizes) * 1, None, x)
    check_parity(lambda t: t.broadcast_to(target), None, x)
    check_parity(lambda t, y: t.expand_as(y), None, x, np.zeros(target),
                 requires_grad=(True, False))


@SETTINGS
@given(data=st.data())
def test_repeat(data: st.DataObject) -> None:
    shape = data.draw(shapes(max_dims=3, max_side=3), label="shape")
    x = data.draw(arrays(shape), label="x")
    extra = data.draw(st.integers(0, 2), label="extra dims")
    reps = data.draw(st.lists(st.integers(1, 3), min_size=len(shape) + extra,
                              max_size=len(shape) + extra), label="reps")
    assume(reps)  # torch: repeat() of a 0-d tensor needs at least one size
    check_parity(lambda t: t.repeat(*reps), None, x)
    check_parity(lambda t: t.repeat(tuple(reps)), None, x)


@SETTINGS
@given(data=st.data())
def test_narrow_select(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    x = data.draw(arrays(shape), label="x")
    dim = draw_dim(data, len(shape))
    size = shape[dim]
    start = data.draw(st.integers(-size, size - 1), label="start")
    length = data.draw(st.integers(0, size - start % size), label="length")
    check_parity(lambda t: t.narrow(dim, start, length), None, x)
    index = data.draw(st.integers(-size, size - 1), label="index")
    check_parity(lambda t: t.select(dim, index), None, x)


@SETTINGS
@given(data=st.data())
def test_split_chunk_unbind(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    x = data.draw(arrays(shape), label="x")
    dim = draw_dim(data, len(shape))
    size = shape[dim]
    step = data.draw(st.integers(1, size + 1), label="split size")
    check_parity(lambda t: t.split(step, dim), None, x)
    check_parity(lambda t: lib_of(t).split(t, step, dim), None, x)
    cut = data.draw(st.integers(0, size), label="cut")
    check_parity(lambda t: t.split([cut, size - cut], dim), None, x)
    chunks = data.draw(st.integers(1, size + 1), label="chunks")
    check_parity(lambda t: t.chunk(chunks, dim), None, x)
    check_parity(lambda t: lib_of(t).chunk(t, chunks, dim), None, x)
    check_parity(lambda t: t.unbind(dim), None, x)
    check_parity(lambda t: lib_of(t).unbind(t, dim), None, x)
    # only some pieces used: the others get no gradient
    check_parity(lambda t: t.split(step, dim)[0] * 2, None, x)


@SETTINGS
@given(data=st.data())
def test_flip(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    x = data.draw(arrays(shape), label="x")
    dims = data.draw(st.lists(st.integers(0, len(shape) - 1), min_size=1, unique=True),
                     label="dims")
    check_parity(lambda t: t.flip(dims), None, x)
    check_parity(lambda t: lib_of(t).flip(t, dims), None, x)
    check_parity(lambda t: t.flip(-1), None, x)


@SETTINGS
@given(data=st.data())
def test_gather(data: st.DataObject) -> None:
    """Index of any size along ``dim`` (repeated indices accumulate), smaller elsewhere."""
    shape = data.draw(shapes(min_dims=1), label="shape")
    x = data.draw(arrays(shape), label="x")
    dim = draw_dim(data, len(shape))
    index_shape = tuple(data.draw(st.integers(1, 6)) if i == dim % len(shape)
                        else data.draw(st.integers(1, n)) for i, n in enumerate(shape))
    index = data.draw(hnp.arrays(np.int64, index_shape,
                                 elements=st.integers(0, shape[dim] - 1)), label="index")
    check_parity(lambda t, i: t.gather(dim, i), None, x, index)
    check_parity(lambda t, i: lib_of(t).gather(t, dim, i), None, x, index)


@pytest.mark.parametrize("name", ["cat", "stack"])
@SETTINGS
@given(data=st.data(), count=st.integers(1, 3))
def test_cat_stack_every_dim(name: str, count: int, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1 if name == "cat" else 0), label="shape")
    ndim = len(shape) + (name == "stack")
    for dim in range(-ndim, ndim):
        parts = []
        for _ in range(count):
            part = list(shape)
            if name == "cat":
                part[dim] = data.draw(st.integers(0 if count > 1 else 1, 3), label="size")
            parts.append(data.draw(arrays(tuple(part))))
        flags = [data.draw(st.booleans(), label="grad") for _ in parts]
        flags[0] = True
        check_parity(lambda *ts, d=dim: getattr(lib_of(ts[0]), name)(ts, d), None, *parts,
                     requires_grad=flags)
        check_parity(lambda *ts, d=dim: getattr(lib_of(ts[0]), name)(list(ts), dim=d), None,
                     *parts)


def test_concat_alias() -> None:
    a, b = np.ones((2, 3)), np.arange(3.0).reshape(1, 3)
    check_parity(lambda x, y: lib_of(x).concat((x, y)), None, a, b)


# ------------------------------------------------------------------------------ indexing

BASIC_KEYS: list[Any] = [
    1, -1, slice(1, 3), slice(None, None, 2), slice(1, None, 3), (slice(None), 2),
    (1, slice(None), -2), (Ellipsis, 1), (None, Ellipsis, 1), (Ellipsis, None),
    (slice(None), None, slice(1, 4, 2)), (slice(1, None), slice(None, None, 2), 3),
    (None, 0, None), Ellipsis, (0, 0, 0), (slice(5, 9),),
]


@pytest.mark.parametrize("key", BASIC_KEYS, ids=[repr(k) for k in BASIC_KEYS])
@SETTINGS
@given(data=st.data())
def test_basic_indexing(key: Any, data: st.DataObject) -> None:
    x = data.draw(arrays((3, 4, 5)), label="x")
    check_parity(lambda t: t[key], None, x)
    check_parity(lambda t: t[key] * t[key], None, x)  # two reads of the same place


ADVANCED_KEYS: list[Any] = [
    [0, 2, 0],                                 # repeated indices accumulate
    [[0, 1], [1, 1]],                          # a 2-d index
    ([0, 1, 2], [3, 3, 0]),                    # paired indices
    (slice(None), [1, 1, 3]),
    (Ellipsis, [4, 0, 4]),
    (1, [0, 0, 2], slice(1, 3)),
    ([2, 0], slice(None), [1, 1]),             # separated advanced indices
    (None, [0, 0]),
]


@pytest.mark.parametrize("key", ADVANCED_KEYS, ids=[repr(k) for k in ADVANCED_KEYS])
@SETTINGS
@given(data=st.data())
def test_integer_array_indexing(key: Any, data: st.DataObject) -> None:
    x = data.draw(arrays((3, 4, 5)), label="x")
    with warnings.catch_warnings():  # torch: a list of lists as x[tuple(seq)] is deprecated
        warnings.simplefilter("ignore", UserWarning)
        check_parity(lambda t: t[key], None, x)  # lists

    def with_tensors(t: Any) -> Any:
        lib = lib_of(t)
        parts = key if isinstance(key, tuple) else (key,)
        converted = tuple(lib.tensor(p) if isinstance(p, list) else p for p in parts)
        return t[converted if isinstance(key, tuple) else converted[0]]

    check_parity(with_tensors, None, x)


@SETTINGS
@given(data=st.data())
def test_boolean_mask_indexing(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    x = data.draw(arrays(shape), label="x")
    mask = data.draw(hnp.arrays(np.bool_, shape), label="mask")
    check_parity(lambda t, m: t[m], None, x, mask)
    row_mask = data.draw(hnp.arrays(np.bool_, shape[:1]), label="row mask")
    check_parity(lambda t, m: t[m], None, x, row_mask)
    check_parity(lambda t: t[t > 0], None, x)


# ------------------------------------------------------------------ setitem, in place, copies


@SETTINGS
@given(data=st.data())
def test_setitem_on_non_leaf_slice(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    x = data.draw(arrays(shape), label="x")
    w_shape = data.draw(st.sampled_from([(shape[0] - 1, *shape[1:]), shape[1:], (1,), ()]),
                        label="value shape")
    w = data.draw(arrays(w_shape), label="w")

    def fn(a: Any, b: Any) -> Any:
        y = a * 1
        y[1:] = b
        return y * a  # reads the old x and the new y

    check_parity(fn, None, x, w)


SETITEM_KEYS: list[tuple[Any, tuple[int, ...]]] = [
    ((0, 1), ()),
    ((slice(None), 2), (3,)),
    ((Ellipsis, slice(0, 4, 2)), (1, 2)),
    (([0, 2],), (2, 4)),
    ((slice(None), [1, 3]), (3, 2)),
    ((1,), (4,)),
]


@pytest.mark.parametrize("key,value_shape", SETITEM_KEYS,
                         ids=[repr(k) for k, _ in SETITEM_KEYS])
@pytest.mark.parametrize("flags", GRAD_FLAGS, ids=["both", "target", "value"])
def test_setitem_keys(key: Any, value_shape: tuple[int, ...], flags: tuple[bool, bool]) -> None:
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(3, 4)), rng.normal(size=value_shape)

    def fn(a: Any, b: Any) -> Any:
        y = a * 2
        y[key] = b
        return y.exp()

    check_parity(fn, None, x, w, requires_grad=flags)


def test_setitem_boolean_mask_and_scalar() -> None:
    x = np.array([[1.0, -2.0, 3.0], [-0.5, 0.25, -4.0]])
    mask = x < 0

    def fn(a: Any, m: Any) -> Any:
        y = a.sin()
        y[m] = 0.5
        return y * y

    check_parity(fn, None, x, mask)

    def fill(a: Any, b: Any) -> Any:
        y = a + 0
        y[0] = b
        return y

    check_parity(fill, None, x, np.array(1.25))


def test_masked_fill_in_place_and_fill_on_non_leaf() -> None:
    x = np.array([[1.0, -2.0, 3.0], [-0.5, 0.25, -4.0]])

    def fn(a: Any, m: Any) -> Any:
        y = a * 3
        y.masked_fill_(m, 0.0)
        return y

    check_parity(fn, None, x, x > 0)

    def zero_row(a: Any) -> Any:
        y = a * 3
        y[1] = 0.0
        return y

    check_parity(zero_row, None, x)


@SETTINGS
@given(data=st.data())
def test_in_place_ops_on_non_leaf(data: st.DataObject) -> None:
    shape_x, shape_w = data.draw(broadcastable_pair(), label="shapes")
    shape_w = shape_w if len(shape_w) <= len(shape_x) else shape_w[-len(shape_x):]
    shape_w = tuple(1 if m != n else m for m, n in
                    zip(shape_w, shape_x[len(shape_x) - len(shape_w):]))
    x = data.draw(arrays(shape_x), label="x")
    w = data.draw(nonzero_arrays(shape_w), label="w")

    def fn(a: Any, b: Any) -> Any:
        y = a * 2
        y.add_(b)
        y.mul_(3)
        y.sub_(b, alpha=0.5)
        y.div_(b)
        y += b
        y *= b
        y -= 1
        y /= 2
        return y

    check_parity(fn, None, x, w)


IN_PLACE_UNARY: list[tuple[str, Callable[[Any], Any]]] = [
    ("neg_", lambda y: y.neg_()),
    ("abs_", lambda y: y.abs_()),
    ("exp_", lambda y: y.exp_()),
    ("sqrt_", lambda y: y.abs_().add_(0.5).sqrt_()),
    ("relu_", lambda y: y.relu_()),
    ("sigmoid_", lambda y: y.sigmoid_()),
    ("tanh_", lambda y: y.tanh_()),
    ("clamp_", lambda y: y.clamp_(-0.5, 0.5)),
    ("clip_", lambda y: y.clip_(min=0.0)),
    ("pow_", lambda y: y.pow_(3)),
    ("copy_", lambda y: y.copy_(y.detach() * 2)),
    ("fill_", lambda y: y.fill_(2.0)),
    ("zero_", lambda y: y.zero_()),
]


@pytest.mark.parametrize("name,op", IN_PLACE_UNARY, ids=[n for n, _ in IN_PLACE_UNARY])
@SETTINGS
@given(data=st.data())
def test_in_place_unary_on_non_leaf(name: str, op: Callable[[Any], Any],
                                    data: st.DataObject) -> None:
    x = data.draw(arrays(shapes(), floats(-2, 2)), label="x")

    def fn(a: Any) -> Any:
        y = a.sin()
        out = op(y)
        assert out is y
        return y * a

    check_parity(fn, None, x)


def test_copy_from_graph_tensor_into_non_leaf() -> None:
    a, b = np.array([[1.0, -2.0, 0.5]]), np.array([0.25, 3.0, -1.0])

    def fn(x: Any, w: Any) -> Any:
        y = x.sin()
        y.copy_(w * 2)  # broadcast (3,) into (1, 3); the gradient reaches w, not x via sin
        return y * x

    check_parity(fn, None, a, b)


def test_amax_with_infinities() -> None:
    x = np.array([[-np.inf, 1.0, 1.0], [2.0, -np.inf, -1.0]])
    for fn in (lambda t: t.amax(1), lambda t: t.amax(), lambda t: t.max(1), lambda t: t.amin(0),
               lambda t: t.logsumexp(1), lambda t: t.softmax(1)):
        check_parity(fn, None, x)


@SETTINGS
@given(data=st.data())
def test_clone_and_float32_round_trip(data: st.DataObject) -> None:
    x = data.draw(arrays(shapes()), label="x")
    check_parity(lambda t: t.clone() * t, None, x)
    check_parity(lambda t: lib_of(t).clone(t), None, x)
    check_parity(lambda t: t.to(lib_of(t).float32), None, x, rtol=0, atol=0)
    check_parity(lambda t: t.to(lib_of(t).float32).to(lib_of(t).float64) * t, None, x,
                 rtol=1e-7)
    check_parity(lambda t: t.float().exp().double(), None, x, rtol=1e-6)
    check_parity(lambda t: t.to(dtype=lib_of(t).float32) * 2, None, x, rtol=1e-6)
    check_parity(lambda t: t.type(lib_of(t).float32), None, x, rtol=0, atol=0)


def test_detach_blocks_gradient() -> None:
    x = np.array([1.0, 2.0, -3.0])
    check_parity(lambda t: t * t.detach(), None, x)
    check_parity(lambda t: t.sin() + t.detach().exp(), None, x)


def test_lerp_and_composites() -> None:
    a, b = np.array([1.0, 2.0, -3.0]), np.array([0.5, -1.0, 2.0])
    check_parity(lambda x, y: x.lerp(y, 0.3), None, a, b)
    check_parity(lambda x, y: (x - y).square().mean(), None, a, b)
    check_parity(lambda x, y: ((x - x.mean()) / x.std()) * y, None, a, b)


# --------------------------------------------------------------------------- dtype promotion

PROMOTION: list[tuple[str, Callable[[Any], Any]]] = [
    ("int64 + float", lambda L: L.tensor([1, 2, 3]) + 1.5),
    ("float + int64", lambda L: 2.5 * L.tensor([1, 2, 3])),
    ("int64 + int", lambda L: L.tensor([1, 2, 3]) + 2),
    ("int32 + int", lambda L: L.tensor([1, 2, 3], dtype=L.int32) + 2),
    ("int32 + int64", lambda L: L.tensor([1, 2], dtype=L.int32) + L.tensor([3, 4])),
    ("int8 + uint8", lambda L: L.tensor([1, 2], dtype=L.int8) + L.tensor([3, 4], dtype=L.uint8)),
    ("int16 * int8", lambda L: L.tensor([1, 2], dtype=L.int16) * L.tensor([3, 4],
                                                                           dtype=L.int8)),
    ("bool + int64", lambda L: L.tensor([True, False]) + L.tensor([3, 4])),
    ("bool + bool", lambda L: L.tensor([True, False]) + L.tensor([True, True])),
    ("bool + int", lambda L: L.tensor([True, False]) + 3),
    ("bool * float", lambda L: L.tensor([True, False]) * 0.5),
    ("int64 * True", lambda L: L.tensor([1, 2]) * True),
    ("float32 + float64 0-d", lambda L: L.tensor([1.0, 2.0]) + L.tensor(1.5,
                                                                        dtype=L.float64)),
    ("float64 0-d + float32", lambda L: L.tensor(1.5, dtype=L.float64) + L.tensor([1.0, 2.0])),
    ("int32 + float64 0-d", lambda L: L.tensor([1, 2], dtype=L.int32) + L.tensor(
        0.5, dtype=L.float64)),
    ("int64 0-d + int32", lambda L: L.tensor(3) + L.tensor([1, 2], dtype=L.int32)),
    ("float16 + float32", lambda L: L.tensor([1.0], dtype=L.float16) + L.tensor([2.0])),
    ("float32 + float64", lambda L: L.tensor([1.0]) + L.tensor([2.0], dtype=L.float64)),
    ("float16 + float64 0-d", lambda L: L.tensor([1.0], dtype=L.float16) + L.tensor(
        2.0, dtype=L.float64)),
    ("int / int", lambda L: L.tensor([1, 2, 3]) / L.tensor([2, 4, 4])),
    ("int / int scalar", lambda L: L.tensor([1, 2, 3]) / 2),
    ("int scalar / int", lambda L: 3 / L.tensor([1, 2, 4])),
    ("int32 / int32", lambda L: L.tensor([1, 2], dtype=L.int32) / L.tensor([4, 8],
                                                                           dtype=L.int32)),
    ("float64 / int", lambda L: L.tensor([1.0, 2.0], dtype=L.float64) / L.tensor([2, 4])),
    ("int ** int", lambda L: L.tensor([1, 2, 3]) ** 2),
    ("int ** float", lambda L: L.tensor([1, 2, 3]) ** 0.5),
    ("int32 - int", lambda L: L.tensor([1, 2], dtype=L.int32) - 5),
    ("int64 exp", lambda L: L.tensor([0, 1]).exp()),
    ("int64 sum", lambda L: L.tensor([1, 2], dtype=L.int32).sum()),
    ("bool sum", lambda L: L.tensor([True, True, False]).sum()),
    ("int64 prod", lambda L: L.tensor([2, 3], dtype=L.int16).prod()),
    ("compare", lambda L: L.tensor([1, 2]) < 1.5),
    ("int64 amax", lambda L: L.tensor([[1, 5], [7, 2]]).amax(1)),
    ("int32 amin", lambda L: L.tensor([[1, 5], [7, 2]], dtype=L.int32).amin()),
    ("int64 max", lambda L: L.tensor([[1, 5], [7, 2]]).max(1)[0]),
    ("where int float", lambda L: L.where(L.tensor([True, False]), L.tensor([1, 2]),
                                          L.tensor([0.5, 1.5]))),
    ("where float scalar", lambda L: L.where(L.tensor([True, False]), L.tensor([1.0, 2.0],
                                                                               dtype=L.float64),
                                             0.0)),
    ("int matmul", lambda L: L.tensor([[1, 2]]) @ L.tensor([[3], [4]])),
    ("cat int float", lambda L: L.cat([L.tensor([1, 2]), L.tensor([0.5])])),
    ("stack int32 int64", lambda L: L.stack([L.tensor([1], dtype=L.int32), L.tensor([2])])),
    ("int clamp float", lambda L: L.tensor([1, 5]).clamp(0.5, 2.5)),
    ("int clamp int", lambda L: L.tensor([1, 5], dtype=L.int32).clamp(2, 3)),
    ("int abs neg", lambda L: -L.tensor([1, -5], dtype=L.int16).abs()),
    ("float32 maximum float64", lambda L: L.tensor([1.0]).maximum(L.tensor(
        [2.0], dtype=L.float64))),
]


@pytest.mark.parametrize("case", PROMOTION, ids=[name for name, _ in PROMOTION])
def test_dtype_promotion(case: tuple[str, Callable[[Any], Any]]) -> None:
    _, fn = case
    ours, theirs = fn(OURS), fn(torch)
    assert dtype_name(ours.dtype) == dtype_name(theirs.dtype), (
        f"dtype {ours.dtype!r}, torch gives {theirs.dtype}")
    assert_same_tensor(ours, theirs, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradient_dtype_follows_input(dtype: str) -> None:
    """Mixed float32/float64 graph: each leaf's .grad has its own dtype (as PyTorch)."""
    a, b = np.array([1.0, 2.0]), np.array([0.5, -1.5])

    def fn(x: Any, y: Any) -> Any:
        return x.to(getattr(lib_of(x), dtype)) * y.float()

    check_parity(fn, None, a, b, rtol=1e-6)


# ---------------------------------------------------------------- the helper itself can fail


class _IgnoresUpstream(tg.autograd.Function):
    """The identity with a backward that ignores its incoming gradient (returns ones)."""

    @staticmethod
    def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
        return x.clone()

    @staticmethod
    def backward(ctx: Any, grad: tg.Tensor) -> tg.Tensor:
        return tg.ones_like(grad)


def test_check_parity_catches_differences() -> None:
    x = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
    with pytest.raises(AssertionError, match="output 0 values"):
        check_parity(lambda t: t * 2, lambda t: t * 3, x)
    with pytest.raises(AssertionError, match="shape"):
        check_parity(lambda t: t.sum(1, keepdim=True), lambda t: t.sum(1), x)
    with pytest.raises(AssertionError, match="dtype"):
        check_parity(lambda t: t.float(), lambda t: t, x)
    with pytest.raises(AssertionError, match="gradient of input 0"):
        check_parity(lambda t: t.detach() * t, lambda t: t * t, x)
    # a backward that ignores the upstream gradient would pass with an upstream of ones
    with pytest.raises(AssertionError, match="gradient of input 0"):
        check_parity(_IgnoresUpstream.apply, lambda t: t * 1, x)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")  # torch's
@pytest.mark.parametrize("create_graph", [False, True])
def test_relu_gradient_at_nan_inf_and_zero_as_torch(create_graph: bool) -> None:
    """threshold_backward's rule: the gradient is 0 where the output is <= 0 and passes
    everywhere else, a NaN output included (a test of `out > 0` would stop it there)."""
    values = [float("nan"), -1.0, -0.0, 0.0, 2.0, float("inf"), float("-inf")]
    upstream = [1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    ours = OURS.tensor(values, dtype=tg.float64, requires_grad=True)
    theirs = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    ours.relu().backward(OURS.tensor(upstream, dtype=tg.float64), create_graph=create_graph)
    torch.relu(theirs).backward(torch.tensor(upstream, dtype=torch.float64),
                                create_graph=create_graph)
    assert_same_tensor(ours.grad, theirs.grad, what="relu gradient")


# ------------------------------------------------ step functions and NaN, as PyTorch has them

SPECIAL = [float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 1.5, -2.5, 0.5, -0.5, 2.0]


def assert_same_bits(ours: Any, theirs: Any, what: str) -> None:
    """The same values, NaN where PyTorch has NaN and the same sign of every zero."""
    a, b = to_numpy(ours), to_numpy(theirs)
    assert a.shape == b.shape, what
    assert np.array_equal(np.isnan(a), np.isnan(b)), f"{what}: NaN at {a} vs torch's {b}"
    kept = ~np.isnan(b)
    assert np.array_equal(a[kept], b[kept]), f"{what}: {a} != torch's {b}"
    assert np.array_equal(np.signbit(a[kept]), np.signbit(b[kept])), (
        f"{what}: signs of zero {a} != torch's {b}")


@pytest.mark.parametrize("name", ["sign", "floor", "ceil", "round", "trunc"])
def test_step_functions_are_recorded_with_zero_gradient_as_torch(name: str) -> None:
    """PyTorch records sign, floor ... (SignBackward0 ...): their result requires grad and
    backward through them gives zeros; sign(NaN) is 0 there, not NumPy's NaN."""
    ours = OURS.tensor(SPECIAL, dtype=tg.float64, requires_grad=True)
    theirs = torch.tensor(SPECIAL, dtype=torch.float64, requires_grad=True)
    out_ours, out_theirs = getattr(ours, name)(), getattr(theirs, name)()
    assert_same_bits(out_ours, out_theirs, f"{name} output")
    assert out_ours.requires_grad and out_theirs.requires_grad
    assert out_ours.grad_fn.name() == out_theirs.grad_fn.name()
    (out_ours * 3).sum().backward()
    (out_theirs * 3).sum().backward()
    assert_same_bits(ours.grad, theirs.grad, f"{name} gradient")


def test_round_with_decimals_and_step_functions_of_integers_as_torch() -> None:
    ours = OURS.tensor([1.26, -2.55, 0.05], dtype=tg.float64, requires_grad=True)
    theirs = torch.tensor([1.26, -2.55, 0.05], dtype=torch.float64, requires_grad=True)
    out_ours, out_theirs = ours.round(decimals=1), theirs.round(decimals=1)
    assert out_ours.grad_fn.name() == out_theirs.grad_fn.name() == "RoundBackward1"
    assert_same_tensor(out_ours, out_theirs)
    for name in ("sign", "floor", "ceil", "round", "trunc"):  # integers keep their dtype
        assert_same_tensor(getattr(OURS.tensor([3, -2, 0]), name)(),
                           getattr(torch.tensor([3, -2, 0]), name)(), what=name)


@pytest.mark.parametrize("op", ["max", "min"])
def test_max_of_all_elements_sends_the_gradient_to_the_nans_as_torch(op: str) -> None:
    """A NaN is the maximum wherever one is: PyTorch shares the gradient among the NaNs
    (a test of `x == max` finds no element there and gave NaN everywhere)."""
    for values in ([1.0, float("nan"), 3.0, float("nan")], [1.0, 3.0, -2.0, 3.0]):
        ours = OURS.tensor(values, dtype=tg.float64, requires_grad=True)
        theirs = torch.tensor(values, dtype=torch.float64, requires_grad=True)
        getattr(ours, op)().backward(OURS.tensor(-2.0, dtype=tg.float64))
        getattr(theirs, op)().backward(torch.tensor(-2.0, dtype=torch.float64))
        assert_same_bits(ours.grad, theirs.grad, f"{op} gradient of {values}")


@pytest.mark.parametrize("op", ["maximum", "minimum"])
def test_maximum_gradient_at_nan_ties_and_broadcast_as_torch(op: str) -> None:
    """PyTorch: half to each on a tie, nothing to the input that lost, everything to both
    where a NaN makes every comparison false."""
    nan = float("nan")
    a_values = [[nan, 1.0, 2.0, -1.0, 0.0], [3.0, nan, -4.0, 5.0, -0.0]]
    b_values = [[0.0, nan, 2.0, 1.0, -0.0], [1.0, 2.0, -4.0, 6.0, 0.0]]
    upstream = [[-1.0, 3.0, 5.0, -7.0, 2.0], [4.0, -6.0, 8.0, -3.0, 1.0]]
    for b_shape in [(2, 5), (1, 5)]:
        b_array = np.array(b_values)[: b_shape[0]]
        ours_a = OURS.tensor(a_values, dtype=tg.float64, requires_grad=True)
        ours_b = OURS.tensor(b_array, dtype=tg.float64, requires_grad=True)
        theirs_a = torch.tensor(a_values, dtype=torch.float64, requires_grad=True)
        theirs_b = torch.tensor(b_array, dtype=torch.float64, requires_grad=True)
        getattr(tg, op)(ours_a, ours_b).backward(OURS.tensor(upstream, dtype=tg.float64))
        getattr(torch, op)(theirs_a, theirs_b).backward(torch.tensor(upstream,
                                                                     dtype=torch.float64))
        assert_same_bits(ours_a.grad, theirs_a.grad, f"{op} gradient of a")
        assert_same_bits(ours_b.grad, theirs_b.grad, f"{op} gradient of b {b_shape}")


def test_abs_gradient_at_nan_is_zero_as_torch() -> None:
    ours = OURS.tensor(SPECIAL, dtype=tg.float64, requires_grad=True)
    theirs = torch.tensor(SPECIAL, dtype=torch.float64, requires_grad=True)
    ours.abs().backward(OURS.tensor([-1.0] * len(SPECIAL), dtype=tg.float64))
    theirs.abs().backward(torch.tensor([-1.0] * len(SPECIAL), dtype=torch.float64))
    assert_same_bits(ours.grad, theirs.grad, "abs gradient")


def test_inf_times_zero_is_nan_as_torch_and_numpy_warns() -> None:
    """A documented difference (README): the NaN is PyTorch's, the warning is NumPy's (on
    the cpu: CuPy's kernels do not warn)."""
    values = [float("-inf"), 2.0]
    theirs = torch.tensor(values) * torch.tensor([0.0, 1.0])
    with pytest.warns(RuntimeWarning, match="invalid value encountered in multiply"):
        ours = tg.tensor(values) * tg.tensor([0.0, 1.0])
    assert_same_bits(ours, theirs, "inf * 0")


def test_relu_of_negative_zero_is_positive_zero_unlike_torch() -> None:
    """A documented difference (README): the sign of a zero output, nothing else."""
    ours = tg.tensor([-0.0, -1.0, 2.0], requires_grad=True)
    theirs = torch.tensor([-0.0, -1.0, 2.0], requires_grad=True)
    for f_ours, f_theirs in ((tg.relu, torch.relu),
                             (lambda t: t.clamp(min=0.0), lambda t: t.clamp(min=0.0))):
        out_ours, out_theirs = f_ours(ours), f_theirs(theirs)
        assert not np.signbit(out_ours.detach().numpy()[0])
        assert np.signbit(out_theirs.detach().numpy()[0])
        assert np.array_equal(out_ours.detach().numpy(), out_theirs.detach().numpy())
        out_ours.sum().backward()
        out_theirs.sum().backward()
    assert_same_bits(ours.grad, theirs.grad, "relu and clamp gradients")

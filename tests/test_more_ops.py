"""The operations of ops_more.py against PyTorch: cumsum, cumprod, sort, argsort, topk,
kthvalue, median, scatter, scatter_add, index_select, masked_select, nonzero, argwhere, unique,
tril, triu, diag, diagonal, trace, outer, roll, log1p, expm1, atan2, hypot, einsum, hstack,
vstack, dstack, column_stack, movedim, tile and repeat_interleave.

Values and gradients go through ``helpers.check_parity`` (float64, hypothesis-drawn shapes,
every dim, negative ones too); then the grad_fn names, the printed return types, integer
and bool inputs, in-place and ``out=`` forms, second derivatives and PyTorch's errors.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import torch
from helpers import (
    OURS,
    arrays,
    broadcastable_pair,
    check_parity,
    draw_dim,
    dtype_name,
    floats,
    lib_of,
    shapes,
    tied_arrays,
    to_numpy,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg

SETTINGS = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])




def distinct(shape: Any) -> st.SearchStrategy[np.ndarray]:
    """No ties: where PyTorch's choice among equal values is not specified (its unstable
    sort, topk, kthvalue, median along a dim), the indices are compared only without ties."""
    return arrays(shape, unique=True)


def same_values(ours: Any, theirs: Any) -> None:
    """Values, shape and dtype name of one tensor of each library."""
    assert tuple(ours.shape) == tuple(theirs.shape), (ours.shape, theirs.shape)
    assert dtype_name(ours.dtype) == dtype_name(theirs.dtype), (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), rtol=1e-10, atol=1e-10)


# ------------------------------------------------------------------------------------ scans


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@SETTINGS
@given(data=st.data(), ties=st.booleans())
def test_cumsum_cumprod_every_dim(name: str, ties: bool, data: st.DataObject) -> None:
    """Tied values are drawn from {-1, 0, 0.5, 2}: cumprod then meets zeros, often several."""
    shape = data.draw(shapes(max_dims=3), label="shape")
    x = data.draw(tied_arrays(shape) if ties else arrays(shape), label="x")
    dim = draw_dim(data, len(shape))
    check_parity(lambda t: getattr(t, name)(dim), None, x)
    check_parity(lambda t: getattr(lib_of(t), name)(t, dim=dim), None, x)


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_scans_with_dtype_and_axis(name: str) -> None:
    x = np.array([[0.5, -1.5, 2.0], [1.0, 0.0, -2.0]])
    check_parity(lambda t: getattr(t, name)(1, dtype=lib_of(t).float32), None, x, rtol=1e-6)
    check_parity(lambda t: getattr(t, name)(axis=0), None, x)
    check_parity(lambda t: getattr(lib_of(t), name)(t, 0, dtype=lib_of(t).float64), None,
                 x.astype(np.float32), rtol=1e-6)


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint8, np.bool_])
def test_scans_of_integers_and_bools_are_int64(name: str, dtype: Any) -> None:
    x = np.array([[1, 0, 1], [1, 1, 1]], dtype=dtype)
    check_parity(lambda t: getattr(t, name)(1), None, x)
    # an explicit dtype is kept, overflow wrapping as in PyTorch
    check_parity(lambda t: getattr(t, name)(0, dtype=lib_of(t).int8), None,
                 np.array([100, 100, 3], dtype=dtype) if dtype != np.bool_ else x)


def test_cumprod_gradient_with_zeros() -> None:
    """One zero, two zeros, a zero first and last, all zeros: exact, no division by zero."""
    x = np.array([[2.0, 0.0, 3.0, -1.5], [0.0, 0.0, 2.0, 4.0], [0.5, 2.0, -3.0, 0.0],
                  [0.0, 1.5, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0]])
    for dim in (0, 1, -1):
        check_parity(lambda t, d=dim: t.cumprod(d), None, x)
    check_parity(lambda t: t.cumprod(0), None, np.array(2.5))  # 0-d


def test_scans_of_0d_and_empty() -> None:
    for dim in (0, -1):
        check_parity(lambda t, d=dim: t.cumsum(d), None, np.array(1.5))
    check_parity(lambda t: t.cumsum(1), None, np.zeros((2, 0)))
    check_parity(lambda t: t.cumprod(0), None, np.zeros((0, 3)))


# -------------------------------------------------------------------- sort and selection


@SETTINGS
@given(data=st.data(), descending=st.booleans())
def test_sort_stable_with_ties(descending: bool, data: st.DataObject) -> None:
    """stable=True: equal values keep their order, so PyTorch's indices are determined."""
    shape = data.draw(shapes(max_dims=3), label="shape")
    x = data.draw(tied_arrays(shape), label="x")
    dim = draw_dim(data, len(shape))
    # (PyTorch takes dim and descending by keyword only when stable= is given)
    check_parity(lambda t: t.sort(dim=dim, descending=descending, stable=True), None, x)
    check_parity(lambda t: t.argsort(dim=dim, descending=descending, stable=True), None, x)
    check_parity(lambda t: lib_of(t).sort(t, dim=dim, descending=descending, stable=True),
                 None, x)
    check_parity(lambda t: lib_of(t).argsort(t, dim=dim, descending=descending, stable=True),
                 None, x)


@SETTINGS
@given(data=st.data(), descending=st.booleans())
def test_sort_without_ties(descending: bool, data: st.DataObject) -> None:
    shape = data.draw(shapes(max_dims=3), label="shape")
    x = data.draw(distinct(shape), label="x")
    dim = draw_dim(data, len(shape))
    check_parity(lambda t: t.sort(dim, descending), None, x)
    check_parity(lambda t: t.sort(descending=descending), None, x)
    check_parity(lambda t: t.argsort(dim, descending=descending), None, x)


def test_sort_nan_inf_and_axis() -> None:
    """NaN sorts as the largest value; -inf and inf in their places."""
    x = np.array([[1.0, np.nan, -1.0, np.inf, np.nan], [-np.inf, 0.0, 2.0, np.nan, -0.5]])
    for descending in (False, True):
        check_parity(lambda t, d=descending: t.sort(dim=1, descending=d, stable=True), None, x)
        check_parity(lambda t, d=descending: t.sort(axis=0, descending=d, stable=True), None, x)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_])
def test_sort_of_integers_and_bools(dtype: Any) -> None:
    x = np.array([[3, 1, 2, 1, 0], [1, 1, 0, 2, 3]]).astype(dtype)
    for descending in (False, True):
        check_parity(lambda t, d=descending: t.sort(dim=1, descending=d, stable=True), None, x)
        check_parity(lambda t, d=descending: t.argsort(dim=0, descending=d, stable=True),
                     None, x)


@SETTINGS
@given(data=st.data(), largest=st.booleans())
def test_topk(largest: bool, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3), label="shape")
    x = data.draw(distinct(shape), label="x")
    dim = draw_dim(data, len(shape))
    k = data.draw(st.integers(0, shape[dim]), label="k")
    check_parity(lambda t: t.topk(k, dim, largest), None, x)
    check_parity(lambda t: lib_of(t).topk(t, k, dim=dim, largest=largest), None, x)
    check_parity(lambda t: t.topk(1, largest=largest), None, x)  # the last dim


def test_topk_unsorted_gives_the_same_set() -> None:
    """sorted=False: PyTorch's order is unspecified (ours stays sorted); the same k values."""
    x = np.array([1.0, 5.0, 2.0, 3.0, 4.0, 0.0, 7.0, 8.0])
    ours = OURS.tensor(x).topk(4, sorted=False)
    theirs = torch.tensor(x).topk(4, sorted=False)
    assert sorted(to_numpy(ours.values)) == sorted(to_numpy(theirs.values))
    assert sorted(to_numpy(ours.indices)) == sorted(to_numpy(theirs.indices))


def test_topk_with_nan_and_0d() -> None:
    x = np.array([1.0, np.nan, 3.0, -2.0])
    for largest in (True, False):
        check_parity(lambda t, b=largest: t.topk(2, largest=b), None, x)
    for k in (0, 1):
        check_parity(lambda t, n=k: t.topk(n), None, np.array(2.5))


@SETTINGS
@given(data=st.data(), keepdim=st.booleans())
def test_kthvalue(keepdim: bool, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3), label="shape")
    x = data.draw(distinct(shape), label="x")
    dim = draw_dim(data, len(shape))
    k = data.draw(st.integers(1, shape[dim]), label="k")
    check_parity(lambda t: t.kthvalue(k, dim, keepdim), None, x)
    check_parity(lambda t: lib_of(t).kthvalue(t, k, dim, keepdim=keepdim), None, x)


@SETTINGS
@given(data=st.data(), ties=st.booleans())
def test_median_of_all_elements(ties: bool, data: st.DataObject) -> None:
    """The lower median; tied medians share the gradient equally (PyTorch)."""
    shape = data.draw(shapes(max_dims=3), label="shape")
    x = data.draw(tied_arrays(shape) if ties else arrays(shape), label="x")
    check_parity(lambda t: t.median(), None, x)
    check_parity(lambda t: lib_of(t).median(t), None, x)


@SETTINGS
@given(data=st.data(), keepdim=st.booleans())
def test_median_along_a_dim(keepdim: bool, data: st.DataObject) -> None:
    shape = data.draw(shapes(max_dims=3), label="shape")
    x = data.draw(distinct(shape), label="x")
    dim = draw_dim(data, len(shape))
    check_parity(lambda t: t.median(dim, keepdim), None, x)
    check_parity(lambda t: lib_of(t).median(t, dim=dim, keepdim=keepdim), None, x)


def test_median_and_kthvalue_with_nan_ints_0d_and_axis() -> None:
    x = np.array([[1.0, np.nan, 2.0, np.nan], [1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, np.nan]])
    check_parity(lambda t: t.median(), None, x)  # NaN, its gradient shared by the NaNs
    check_parity(lambda t: t.median(1), None, x)  # NaN at the first NaN's index
    check_parity(lambda t: t.kthvalue(4, 1), None, np.array([[1.0, np.nan, 2.0, 4.0]]))
    check_parity(lambda t: t.median(), None, np.array([3, 1, 2, 7]))
    check_parity(lambda t: t.median(0), None, np.array([[3, 1], [2, 7], [5, 5]]))
    check_parity(lambda t: t.kthvalue(2, 0), None, np.array([[3, 1], [2, 7], [5, 6]]))
    for keepdim in (False, True):
        check_parity(lambda t, k=keepdim: t.median(0, k), None, np.array(2.5))
        check_parity(lambda t, k=keepdim: t.kthvalue(1, -1, k), None, np.array(2.5))
    check_parity(lambda t: t.median(axis=1, keepdims=True), None, x[1:2])
    check_parity(lambda t: t.kthvalue(2, axis=0, keepdims=True), None, x[:2, :1])
    check_parity(lambda t: t.median(), None, np.zeros(0))  # NaN, as PyTorch


# ---------------------------------------------------------------------------------- scatter


@st.composite
def scatter_case(draw: st.DrawFn, unique: bool) -> tuple[np.ndarray, int, np.ndarray]:
    """A tensor, a dim and an int64 index no larger than the tensor; ``unique``: no place
    named twice (the written value is then defined)."""
    shape = draw(shapes(min_dims=1, max_dims=3), label="shape")
    x = draw(arrays(shape), label="x")
    dim = draw(st.integers(-len(shape), len(shape) - 1), label="dim")
    index_shape = tuple(draw(st.integers(1, n)) for n in shape)
    rng = np.random.default_rng(draw(st.integers(0, 2**16), label="seed"))
    if unique:  # a permutation along dim, cut to the index's shape
        order = rng.random(shape).argsort(axis=dim)
        index = order[tuple(slice(0, n) for n in index_shape)]
    else:
        index = rng.integers(0, shape[dim], size=index_shape)
    return x, dim, index.astype(np.int64)


@SETTINGS
@given(data=st.data())
def test_scatter_src_and_value(data: st.DataObject) -> None:
    x, dim, index = data.draw(scatter_case(unique=True))
    src = data.draw(arrays(index.shape), label="src")
    check_parity(lambda t, i, s: t.scatter(dim, i, s), None, x, index, src)
    check_parity(lambda t, i, s: lib_of(t).scatter(t, dim, i, s), None, x, index, src)
    check_parity(lambda t, i: t.scatter(dim, i, 1.5), None, x, index)
    check_parity(lambda t, i: lib_of(t).scatter(t, dim, i, value=-2.0), None, x, index)
    larger = np.pad(src, [(0, 1)] * src.ndim)  # src may be larger than the index
    check_parity(lambda t, i, s: t.scatter(dim, i, s), None, x, index, larger,
                 requires_grad=(True, False, False))


@SETTINGS
@given(data=st.data())
def test_scatter_add(data: st.DataObject) -> None:
    """Repeated places add up; src gets the gradient at every place it was added to."""
    x, dim, index = data.draw(scatter_case(unique=False))
    src = data.draw(arrays(index.shape), label="src")
    check_parity(lambda t, i, s: t.scatter_add(dim, i, s), None, x, index, src)
    check_parity(lambda t, i, s: lib_of(t).scatter_add(t, dim, i, s), None, x, index, src)
    check_parity(lambda t, i, s: (t * 1).scatter_add_(dim, i, s), None, x, index, src)
    first = tuple(slice(0, 1) if d == dim % x.ndim else slice(None) for d in range(x.ndim))
    check_parity(lambda t, i, s: (t * 1).scatter_(dim, i, s), None, x, index[first],
                 src[first])  # one place per column: what lands there is defined


@pytest.mark.parametrize("reduce", ["add", "multiply"])
@SETTINGS
@given(data=st.data())
def test_scatter_reduce_forward(reduce: str, data: st.DataObject) -> None:
    """reduce= with repeated places; PyTorch has no gradient for it (tested below)."""
    x, dim, index = data.draw(scatter_case(unique=False))
    src = data.draw(arrays(index.shape), label="src")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # both: 'reduce ... is deprecated'
        check_parity(lambda t, i, s: t.scatter(dim, i, s, reduce=reduce), None, x, index, src,
                     requires_grad=False)
    check_parity(lambda t, i: t.scatter(dim, i, value=2.5, reduce=reduce), None, x, index,
                 requires_grad=False)
    check_parity(lambda t, i: (t * 1).scatter_(dim, i, 0.5, reduce=reduce), None, x, index,
                 requires_grad=False)


def test_scatter_of_integers_0d_int32_index_and_empty_index() -> None:
    x = np.zeros((3, 4), dtype=np.int64)
    index = np.array([[0, 1, 2, 0]])
    check_parity(lambda t, i: t.scatter(0, i, 2.7), None, x, index)  # the value truncates
    check_parity(lambda t, i, s: t.scatter_add(0, i, s), None, x, index, np.ones((1, 4), int))
    check_parity(lambda t, i: t.scatter(1, i, 1.0), None, x.astype(float),
                 index.astype(np.int32) % 4)
    check_parity(lambda t, i, s: t.scatter(0, i, s), None, np.array(1.0), np.array(0),
                 np.array(5.0))
    check_parity(lambda t, i, s: t.scatter_add(0, i, s), None, np.array(1.0), np.array(0),
                 np.array(5.0))
    check_parity(lambda t, i: t.scatter(0, i, 1.0), None, np.ones((3, 2)),
                 np.zeros(0, dtype=np.int64))


def test_scatter_with_reduce_warns_and_has_no_derivative() -> None:
    """(PyTorch warns once per process, so only our warning is checked.)"""
    for lib in (OURS, torch):
        x = lib.zeros(3, requires_grad=True)
        src = lib.ones(2, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = x.scatter(0, lib.tensor([1, 1]), src, reduce="add")
        if lib is OURS:
            assert "reduce argument of torch.scatter with Tensor src is deprecated" in str(
                caught[0].message)
        assert y.grad_fn.name() == "torch::autograd::NotImplemented"
        with pytest.raises(RuntimeError, match="derivative for aten::scatter is not implemented"):
            y.sum().backward()


@SETTINGS
@given(data=st.data())
def test_index_select(data: st.DataObject) -> None:
    shape = data.draw(shapes(max_dims=3), label="shape")
    x = data.draw(arrays(shape), label="x")
    dim = draw_dim(data, len(shape))
    size = shape[dim] if shape else 1
    count = data.draw(st.integers(0 if shape else 1, 6 if shape else 1))  # 0-d: one index
    index = data.draw(hnp.arrays(np.int64, count, elements=st.integers(0, size - 1)),
                      label="index")
    check_parity(lambda t, i: t.index_select(dim, i), None, x, index)
    check_parity(lambda t, i: lib_of(t).index_select(t, dim, i), None, x, index)
    check_parity(lambda t, i: t.index_select(axis=dim, index=i), None, x, index[:1])
    check_parity(lambda t, i: t.index_select(dim, i), None, x, index.astype(np.int32))
    check_parity(lambda t, i: t.index_select(dim, i), None, x, np.array(size - 1))  # 0-d


@SETTINGS
@given(data=st.data())
def test_masked_select_broadcasting(data: st.DataObject) -> None:
    shape_x, shape_mask = data.draw(broadcastable_pair(), label="shapes")
    x = data.draw(arrays(shape_x), label="x")
    mask = data.draw(hnp.arrays(np.bool_, shape_mask), label="mask")
    check_parity(lambda t, m: t.masked_select(m), None, x, mask)
    check_parity(lambda t, m: lib_of(t).masked_select(t, m), None, x, mask)


@SETTINGS
@given(data=st.data())
def test_nonzero_and_argwhere(data: st.DataObject) -> None:
    shape = data.draw(shapes(max_dims=3), label="shape")
    x = data.draw(tied_arrays(shape), label="x")  # zeros are common
    check_parity(lambda t: t.nonzero(), None, x)
    check_parity(lambda t: t.nonzero(as_tuple=True), None, x)
    check_parity(lambda t: lib_of(t).nonzero(t, as_tuple=True), None, x)
    check_parity(lambda t: lib_of(t).argwhere(t), None, x)
    check_parity(lambda t: t.argwhere(), None, x.astype(np.int64))
    check_parity(lambda t: t.nonzero(), None, x != 0)


def test_nonzero_of_0d_and_nan() -> None:
    for value in (3.0, 0.0, np.nan):
        check_parity(lambda t: t.nonzero(), None, np.array(value))
        check_parity(lambda t: t.nonzero(as_tuple=True), None, np.array(value))


@SETTINGS
@given(data=st.data())
def test_unique(data: st.DataObject) -> None:
    shape = data.draw(shapes(max_dims=3), label="shape")
    x = data.draw(hnp.arrays(np.int64, shape, elements=st.integers(-3, 3)), label="x")
    for inverse in (False, True):
        for counts in (False, True):
            check_parity(lambda t, i=inverse, c=counts: t.unique(
                return_inverse=i, return_counts=c), None, x)
            check_parity(lambda t, i=inverse, c=counts: lib_of(t).unique(
                t, False, i, c), None, x)
    check_parity(lambda t: t.unique(), None, x > 0)


def test_unique_of_floats_nan_and_grad() -> None:
    """NaNs are all distinct; the values record a node whose backward raises (PyTorch)."""
    x = np.array([[2.0, np.nan, 1.0], [np.nan, 2.0, 2.0]])
    check_parity(lambda t: t.unique(return_inverse=True, return_counts=True), None, x,
                 backward=False)
    for lib in (OURS, torch):
        values = lib.tensor([1.0, 2.0, 2.0], requires_grad=True).unique()
        assert values.grad_fn.name() == "Unique2Backward0"
        with pytest.raises(NotImplementedError, match="derivative for '_unique2'"):
            values.sum().backward()


# -------------------------------------------------------------------- triangles, diagonals


@pytest.mark.parametrize("name", ["tril", "triu"])
@SETTINGS
@given(data=st.data(), diagonal=st.integers(-5, 5))
def test_tril_triu(name: str, diagonal: int, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=2, max_dims=4), label="shape")
    x = data.draw(arrays(shape), label="x")
    check_parity(lambda t: getattr(t, name)(diagonal), None, x)
    check_parity(lambda t: getattr(lib_of(t), name)(t, diagonal=diagonal), None, x)
    check_parity(lambda t: getattr(t * 1, f"{name}_")(diagonal), None, x)
    check_parity(lambda t: getattr(t, name)(), None, x.astype(np.int64))
    check_parity(lambda t: getattr(t, name)(diagonal), None, x > 0)


@SETTINGS
@given(data=st.data(), offset=st.integers(-4, 4))
def test_diag(offset: int, data: st.DataObject) -> None:
    vector = data.draw(arrays(data.draw(st.integers(0, 4))), label="vector")
    matrix = data.draw(arrays(shapes(min_dims=2, max_dims=2)), label="matrix")
    check_parity(lambda t: t.diag(offset), None, vector)
    check_parity(lambda t: t.diag(offset), None, matrix)
    check_parity(lambda t: lib_of(t).diag(t, diagonal=offset), None, matrix)
    check_parity(lambda t: t.diag(), None, matrix.astype(np.int64))


@SETTINGS
@given(data=st.data(), offset=st.integers(-3, 3))
def test_diagonal(offset: int, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=2, max_dims=4), label="shape")
    x = data.draw(arrays(shape), label="x")
    dim1 = draw_dim(data, len(shape))
    dim2 = data.draw(st.sampled_from([d for d in range(-len(shape), len(shape))
                                      if d % len(shape) != dim1 % len(shape)]), label="dim2")
    check_parity(lambda t: t.diagonal(offset, dim1, dim2), None, x)
    check_parity(lambda t: lib_of(t).diagonal(t, offset=offset, dim1=dim1, dim2=dim2), None, x)
    check_parity(lambda t: t.diagonal(), None, x)


@SETTINGS
@given(data=st.data())
def test_trace(data: st.DataObject) -> None:
    x = data.draw(arrays(shapes(min_dims=2, max_dims=2, min_side=0)), label="x")
    check_parity(lambda t: t.trace(), None, x)
    check_parity(lambda t: lib_of(t).trace(t), None, x)
    check_parity(lambda t: t.trace(), None, x.astype(np.int32))  # int64, as PyTorch


@SETTINGS
@given(data=st.data())
def test_outer(data: st.DataObject) -> None:
    a = data.draw(arrays(data.draw(st.integers(0, 5))), label="a")
    b = data.draw(arrays(data.draw(st.integers(1, 5))), label="b")
    check_parity(lambda s, t: s.outer(t), None, a, b)
    check_parity(lambda s, t: lib_of(s).outer(s, t), None, a, b, requires_grad=(True, False))
    check_parity(lambda s, t: s.outer(t), None, a.astype(np.int64), b)  # promotes


@SETTINGS
@given(data=st.data())
def test_roll(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3), label="shape")
    x = data.draw(arrays(shape), label="x")
    shift = data.draw(st.integers(-7, 7), label="shift")
    dim = draw_dim(data, len(shape))
    dims = data.draw(st.lists(st.integers(-len(shape), len(shape) - 1), min_size=1,
                              max_size=3), label="dims")  # repeated dims add up
    shifts = data.draw(st.lists(st.integers(-7, 7), min_size=len(dims), max_size=len(dims)))
    check_parity(lambda t: t.roll(shift), None, x)  # all elements in order
    check_parity(lambda t: t.roll(shift, dim), None, x)
    check_parity(lambda t: t.roll(tuple(shifts), tuple(dims)), None, x)
    check_parity(lambda t: lib_of(t).roll(t, shifts, dims), None, x)


def test_roll_of_0d_and_empty() -> None:
    check_parity(lambda t: t.roll(3), None, np.array(1.5))
    check_parity(lambda t: t.roll(1, 0), None, np.zeros((0, 3)))


# ------------------------------------------------------------------------------ elementwise


@pytest.mark.parametrize("name", ["log1p", "expm1"])
@SETTINGS
@given(data=st.data())
def test_log1p_expm1(name: str, data: st.DataObject) -> None:
    elements = floats(-0.9, 3.0) if name == "log1p" else floats(-3.0, 3.0)
    x = data.draw(arrays(shapes(), elements), label="x")
    check_parity(lambda t: getattr(t, name)(), None, x)
    check_parity(lambda t: getattr(lib_of(t), name)(t), None, x)
    check_parity(lambda t: getattr(t * 1, f"{name}_")(), None, x)
    check_parity(lambda t: getattr(t, name)(), None, np.array([1e-12, -1e-12, 0.0]))


@pytest.mark.parametrize("name", ["log1p", "expm1"])
def test_log1p_expm1_of_integers_and_bools(name: str) -> None:
    """float32 results, as PyTorch (to float32's precision: the libm differs)."""
    check_parity(lambda t: getattr(t, name)(), None, np.array([1, 2, 0]), rtol=1e-6)
    check_parity(lambda t: getattr(t, name)(), None, np.array([True, False]), rtol=1e-6)


@pytest.mark.parametrize("name", ["atan2", "arctan2", "hypot"])
@SETTINGS
@given(data=st.data())
def test_atan2_hypot_broadcasting(name: str, data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    a, b = data.draw(arrays(shape_a), label="a"), data.draw(arrays(shape_b), label="b")
    for flags in [(True, True), (True, False), (False, True)]:
        check_parity(lambda s, t: getattr(s, name)(t), None, a, b, requires_grad=flags)
    check_parity(lambda s, t: getattr(lib_of(s), name)(s, t), None, a, b)


def test_atan2_at_the_origin_and_on_the_axes() -> None:
    """The gradient is 0 at (0, 0), as PyTorch (not 0/0); int inputs give float32."""
    a = np.array([0.0, 0.0, 1.0, -1.0, 0.0, -0.0])
    b = np.array([0.0, 1.0, 0.0, 0.0, -1.0, -1.0])
    check_parity(lambda s, t: s.atan2(t), None, a, b)
    check_parity(lambda s, t: s.atan2(t), None, np.array([1, 0, -2]), np.array([1, 1, 3]))
    check_parity(lambda s, t: s.atan2(t), None, np.array([1.5, 2.0]), np.array(1))
    check_parity(lambda s, t: s.hypot(t), None, a.astype(np.float32) + 0.5, b)  # promotes
    check_parity(lambda s, t: (s * 1).atan2_(t), None, a, b)
    check_parity(lambda s, t: (s * 1).hypot_(t), None, a + 0.5, b)


# ---------------------------------------------------------------------------------- einsum

EINSUM = [  # equation, shapes: matmul, batches, transposes, traces, diagonals, broadcasting
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,kj->ik", [(2, 3), (4, 3)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),  # implicit output: letters seen once, sorted
    ("ba", [(2, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("iij->ji", [(2, 2, 3)]),
    ("ii,i->i", [(3, 3), (3,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,i->", [(3,), (3,)]),
    ("ij,j->", [(2, 3), (3,)]),
    ("ij,ij->ij", [(2, 1), (2, 3)]),  # size-1 broadcasting, as PyTorch
    ("i,ij,jk->k", [(2,), (2, 3), (3, 4)]),
    ("ab,bc,cd,de->ae", [(2, 3), (3, 2), (2, 2), (2, 3)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (3, 4)]),
    ("...ij,...jk", [(5, 1, 2, 3), (3, 3, 4)]),
    ("...j,j", [(4, 2, 3), (3,)]),
    ("b...", [(2, 3, 4)]),
    ("...ij,jk->ik", [(2, 2, 3), (3, 4)]),  # '...' summed when the output omits it
    ("ij->...ij", [(2, 3)]),
    (" i j , j k -> i k ", [(2, 3), (3, 4)]),
    ("iJ,Jk->ik", [(2, 3), (3, 4)]),
    (",->", [(), ()]),
    ("i,->i", [(3,), ()]),
    ("ij,jk->ik", [(2, 0), (0, 4)]),
]


@pytest.mark.parametrize("equation,shapes_", EINSUM, ids=[e for e, _ in EINSUM])
def test_einsum(equation: str, shapes_: list[tuple[int, ...]]) -> None:
    rng = np.random.default_rng(0)
    operands = [rng.normal(size=s) for s in shapes_]
    check_parity(lambda *ts: lib_of(ts[0]).einsum(equation, *ts), None, *operands)
    check_parity(lambda *ts: lib_of(ts[0]).einsum(equation, list(ts)), None, *operands,
                 requires_grad=[i == 0 for i in range(len(operands))])


@SETTINGS
@given(data=st.data())
def test_einsum_drawn_sizes(data: st.DataObject) -> None:
    """A batched bilinear form with drawn sizes, size-1 dims included."""
    b, i, j = (data.draw(st.integers(1, 4)) for _ in range(3))
    x = data.draw(arrays((b, i)), label="x")
    w = data.draw(arrays((i, j)), label="w")
    y = data.draw(arrays((b, j)), label="y")
    check_parity(lambda p, q, r: lib_of(p).einsum("bi,ij,bj->b", p, q, r), None, x, w, y)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_])
def test_einsum_of_integers_and_bools(dtype: Any) -> None:
    """PyTorch: one operand summed gives int64; bools of several operands are refused."""
    x = np.array([[1, 2], [3, 0]]).astype(dtype)
    check_parity(lambda t: lib_of(t).einsum("ij->", t), None, x)
    check_parity(lambda t: lib_of(t).einsum("ii->i", t), None, x)
    check_parity(lambda t: lib_of(t).einsum("ij->ji", t), None, x)
    if dtype != np.bool_:
        check_parity(lambda s, t: lib_of(s).einsum("ij,jk->ik", s, t), None, x, x)
        check_parity(lambda s, t: lib_of(s).einsum("i,i->", s, t), None, x[0], x[1])


# ---------------------------------------------------------------------- stacking and shape


@pytest.mark.parametrize("name", ["hstack", "vstack", "dstack", "column_stack"])
@pytest.mark.parametrize("shape", [(), (3,), (3, 2), (3, 2, 2)], ids=["0d", "1d", "2d", "3d"])
def test_stacks(name: str, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=shape), rng.normal(size=shape)
    check_parity(lambda s, t: getattr(lib_of(s), name)([s, t]), None, a, b)
    check_parity(lambda s, t: getattr(lib_of(s), name)((s, t, s)), None, a, b)


def test_stacks_of_mixed_shapes_and_dtypes() -> None:
    check_parity(lambda s, t: lib_of(s).vstack([s, t]), None, np.ones(2), np.ones((3, 2)))
    check_parity(lambda s, t: lib_of(s).hstack([s, t]), None, np.array(1.5), np.ones(3))
    check_parity(lambda s, t: lib_of(s).column_stack([s, t]), None, np.ones(2), np.ones((2, 3)))
    check_parity(lambda s, t: lib_of(s).column_stack([s, t]), None, np.array(1.0),
                 np.array(2.0))
    check_parity(lambda s, t: lib_of(s).hstack([s, t]), None, np.array([1, 2]),
                 np.array([0.5]))  # promotes, as cat


@SETTINGS
@given(data=st.data())
def test_movedim_moveaxis(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=4), label="shape")
    x = data.draw(arrays(shape), label="x")
    n = len(shape)
    count = data.draw(st.integers(1, n), label="count")
    source = data.draw(st.permutations(range(n)), label="source")[:count]
    target = data.draw(st.permutations(range(-n, 0)), label="target")[:count]
    check_parity(lambda t: t.movedim(tuple(source), tuple(target)), None, x)
    check_parity(lambda t: lib_of(t).moveaxis(t, source, target), None, x)
    check_parity(lambda t: t.movedim(source[0], target[0]), None, x)
    check_parity(lambda t: lib_of(t).movedim(t, 0, -1), None, x)


@SETTINGS
@given(data=st.data())
def test_tile(data: st.DataObject) -> None:
    shape = data.draw(shapes(max_dims=3, max_side=3), label="shape")
    x = data.draw(arrays(shape), label="x")
    reps = tuple(data.draw(st.lists(st.integers(0, 3), max_size=4), label="reps"))
    check_parity(lambda t: t.tile(reps), None, x)
    check_parity(lambda t: lib_of(t).tile(t, reps), None, x)
    check_parity(lambda t: t.tile(2), None, x)


@SETTINGS
@given(data=st.data(), repeats=st.integers(0, 3))
def test_repeat_interleave(repeats: int, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3), label="shape")
    x = data.draw(arrays(shape), label="x")
    dim = draw_dim(data, len(shape))
    size = shape[dim]
    counts = data.draw(hnp.arrays(np.int64, size, elements=st.integers(0, 3)), label="counts")
    check_parity(lambda t: t.repeat_interleave(repeats), None, x)
    check_parity(lambda t: t.repeat_interleave(repeats, dim), None, x)
    check_parity(lambda t: lib_of(t).repeat_interleave(t, repeats, dim=dim), None, x)
    check_parity(lambda t, c: t.repeat_interleave(c, dim), None, x, counts)
    check_parity(lambda t, c: t.repeat_interleave(c, dim), None, x, np.array(2))
    check_parity(lambda t: t.repeat_interleave(repeats, output_size=repeats * x.size), None, x)
    check_parity(lambda t: t.repeat_interleave(repeats), None, x[(0,) * x.ndim])  # 0-d


# --------------------------------------------------------- names, printing, dtypes, modes


def _leaf(lib: Any, values: Any, dtype: Any = None) -> Any:
    return lib.tensor(values, dtype=dtype or lib.float64, requires_grad=True)


GRAD_FN: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("cumsum", lambda lib, x: x.cumsum(0)),
    ("cumprod", lambda lib, x: x.cumprod(1)),
    ("sort", lambda lib, x: x.sort()[0]),
    ("topk", lambda lib, x: x.topk(1)[0]),
    ("kthvalue", lambda lib, x: x.kthvalue(1)[0]),
    ("median", lambda lib, x: x.median()),
    ("median_dim", lambda lib, x: x.median(0)[0]),
    ("scatter", lambda lib, x: x.scatter(0, lib.tensor([[1, 0]]), x)),
    ("scatter_value", lambda lib, x: x.scatter(0, lib.tensor([[1, 0]]), 2.0)),
    ("scatter_add", lambda lib, x: x.scatter_add(1, lib.tensor([[1, 1]]), x)),
    ("index_select", lambda lib, x: x.index_select(0, lib.tensor([1, 1]))),
    ("masked_select", lambda lib, x: x.masked_select(x > 0)),
    ("tril", lambda lib, x: x.tril()),
    ("triu", lambda lib, x: x.triu(1)),
    ("diag_vector", lambda lib, x: x[0].diag()),
    ("diag_matrix", lambda lib, x: x.diag()),
    ("diagonal", lambda lib, x: x.diagonal()),
    ("trace", lambda lib, x: x.trace()),
    ("outer", lambda lib, x: x[0].outer(x[1])),
    ("roll", lambda lib, x: x.roll(1)),
    ("roll_dims", lambda lib, x: x.roll((1, 1), (0, 1))),
    ("log1p", lambda lib, x: x.abs().log1p()),
    ("expm1", lambda lib, x: x.expm1()),
    ("atan2", lambda lib, x: x.atan2(x)),
    ("hypot", lambda lib, x: x.hypot(x)),
    ("hstack", lambda lib, x: lib.hstack([x, x])),
    ("vstack", lambda lib, x: lib.vstack([x[0], x[1]])),
    ("dstack", lambda lib, x: lib.dstack([x, x])),
    ("column_stack", lambda lib, x: lib.column_stack([x[0], x])),
    ("movedim", lambda lib, x: x.movedim(0, 1)),
    ("repeat_interleave", lambda lib, x: x.repeat_interleave(2, dim=0)),
    ("repeat_interleave_tensor", lambda lib, x: x.repeat_interleave(lib.tensor([1, 2]))
     if x.ndim == 1 else x.repeat_interleave(lib.tensor([1, 2]), dim=1)),
]


@pytest.mark.parametrize("name,fn", GRAD_FN, ids=[n for n, _ in GRAD_FN])
def test_grad_fn_names_are_pytorchs(name: str, fn: Callable[[Any, Any], Any]) -> None:
    values = [[0.5, -1.5], [2.0, 0.25]]
    ours, theirs = fn(OURS, _leaf(OURS, values)), fn(torch, _leaf(torch, values))
    assert ours.grad_fn.name() == theirs.grad_fn.name()


def test_return_types_print_as_pytorchs() -> None:
    values = [[3.0, 1.0, 2.0], [0.5, 2.5, 1.5]]
    calls = [lambda t: t.sort(), lambda t: t.topk(2), lambda t: t.kthvalue(2, 0),
             lambda t: t.median(1, keepdim=True), lambda t: t.sort(descending=True)]
    for call in calls:
        ours, theirs = call(tg.tensor(values)), call(torch.tensor(values))
        assert repr(ours) == repr(theirs).replace("torch.", "tinygrad_edu.")
        assert ours.values is ours[0] and ours.indices is ours[1]
        assert ours.indices.dtype is tg.int64


def test_integer_results_and_no_grad() -> None:
    """Indices, nonzero, unique's inverse and counts never require grad; under no_grad no
    result does."""
    x = OURS.tensor([[0.5, -1.5, 0.0], [2.0, 0.25, 1.0]], requires_grad=True)
    for index in (x.sort()[1], x.argsort(), x.topk(1)[1], x.median(0)[1], x.nonzero(),
                  x.kthvalue(1)[1], x.unique(return_counts=True)[1]):
        assert not index.requires_grad and index.dtype is tg.int64
    with tg.no_grad():
        for result in (x.cumsum(0), x.sort()[0], x.diag(), tg.einsum("ij->j", x), x.roll(1)):
            assert not result.requires_grad and result.grad_fn is None


def test_out_forms() -> None:
    x = np.array([[3.0, 1.0, 2.0], [0.5, 2.5, -1.5]])
    for name, call in [("cumsum", lambda lib, t, o: lib.cumsum(t, 1, out=o)),
                       ("tril", lambda lib, t, o: lib.tril(t, out=o)),
                       ("log1p", lambda lib, t, o: lib.log1p(t.abs(), out=o)),
                       ("atan2", lambda lib, t, o: lib.atan2(t, t, out=o)),
                       ("hstack", lambda lib, t, o: lib.hstack([t, t], out=o)),
                       ("index_select", lambda lib, t, o: lib.index_select(
                           t, 1, lib.tensor([2, 0]), out=o))]:
        results = []
        for lib in (OURS, torch):
            out = lib.empty(0, dtype=lib.float64)
            returned = call(lib, lib.tensor(x), out)
            assert returned is out, name
            results.append(out)
        same_values(*results)
    for lib in (OURS, torch):
        values, indices = lib.empty(0, dtype=lib.float64), lib.empty(0, dtype=lib.int64)
        pair = lib.sort(lib.tensor(x), 1, out=(values, indices))
        assert pair[0] is values and pair[1] is indices
    check_parity(lambda t: lib_of(t).sort(t, 1)[0], None, x)


def test_second_derivatives_match_torch() -> None:
    """create_graph: the backward passes are recorded and differentiate again."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(3, 4))
    x[1, 2] = 0.0  # a zero for cumprod
    calls: list[Callable[[Any, Any], Any]] = [
        lambda lib, t: (t.cumprod(1) ** 2).sum(),
        lambda lib, t: (t.cumsum(0) * t).sum(),
        lambda lib, t: (lib.einsum("ij,kj->ik", t, t) ** 2).sum(),
        lambda lib, t: (lib.einsum("ii->i", t[:, :3]) ** 3).sum(),
        lambda lib, t: (t.atan2(t.flip(1) + 0.5) * t).sum(),  # away from the origin
        lambda lib, t: (t.hypot(t + 3) ** 2).sum(),
        lambda lib, t: (t.sort(1)[0] ** 3 * lib.arange(4.0, dtype=t.dtype)).sum(),
        lambda lib, t: (t.diag(1) ** 2).sum() + (t.trace() ** 2),
        lambda lib, t: (t.abs().log1p() + t.expm1()).pow(2).sum(),
        lambda lib, t: (t.scatter(0, lib.tensor([[2, 0, 1, 2]]), t[:1] * t[:1]) ** 2).sum(),
    ]
    for call in calls:
        grads = []
        for lib in (OURS, torch):
            t = lib.tensor(x, requires_grad=True)
            (first,) = lib.autograd.grad(call(lib, t), [t], create_graph=True)
            (second,) = lib.autograd.grad((first * first).sum(), [t])
            grads.append((first, second))
        same_values(grads[0][0].detach(), grads[1][0].detach())
        same_values(grads[0][1], grads[1][1])


# ---------------------------------------------------------------------------------- errors


def raises_like_torch(code: Callable[[ModuleType], Any], error: type[Exception],
                      *names: str) -> str:
    """``code`` raises ``error`` in both libraries; our message names every ``names``."""
    with pytest.raises(error):
        code(torch)
    with pytest.raises(error) as info:
        code(OURS)
    message = str(info.value)
    missing = [n for n in names if n not in message]
    assert not missing, f"message {message!r} does not name {missing}"
    return message


def _m(lib: Any) -> Any:
    return lib.arange(12.0).reshape(3, 4)


ERRORS: list[tuple[str, Callable[[Any], Any], type[Exception], tuple[str, ...]]] = [
    ("cumsum_dim", lambda lib: _m(lib).cumsum(2), IndexError, ("[-2, 1]", "2")),
    ("cumsum_no_dim", lambda lib: _m(lib).cumsum(), TypeError, ("dim",)),
    ("cumprod_0d_dim", lambda lib: lib.tensor(2.0).cumprod(1), IndexError, ("[-1, 0]",)),
    ("sort_dim", lambda lib: _m(lib).sort(2), IndexError, ("[-2, 1]",)),
    ("topk_k_large", lambda lib: _m(lib).topk(5), RuntimeError, ("k out of range",)),
    ("topk_k_negative", lambda lib: _m(lib).topk(-1), RuntimeError, ("k out of range",)),
    ("topk_k_float", lambda lib: _m(lib).topk(1.0), TypeError, ("'k'", "float")),
    ("kthvalue_k", lambda lib: _m(lib).kthvalue(5), RuntimeError, ("k out of range",
                                                                    "dimension 1")),
    ("kthvalue_k_float", lambda lib: _m(lib).kthvalue(1.0), TypeError, ("'k'", "float")),
    ("kthvalue_empty", lambda lib: lib.ones(0, 3).kthvalue(1, 0), IndexError,
     ("kthvalue()", "dim 0", "non-zero size")),
    ("median_empty_dim", lambda lib: lib.ones(0, 3).median(0), IndexError,
     ("median()", "dim 0")),
    ("scatter_index_dtype", lambda lib: _m(lib).scatter(0, lib.tensor([[0.0]]), 1.0),
     RuntimeError, ("int32/int64",)),
    ("scatter_index_ndim", lambda lib: _m(lib).scatter(0, lib.tensor([0]), 1.0),
     RuntimeError, ("same number of dimensions as self",)),
    ("scatter_src_ndim", lambda lib: lib.zeros(3).scatter(0, lib.tensor([0]), lib.ones(1, 1)),
     RuntimeError, ("same number of dimensions as src",)),
    ("scatter_index_large", lambda lib: _m(lib).scatter(0, lib.tensor([[0, 1, 2, 0, 1]]), 1.0),
     RuntimeError, ("[1, 5]", "[3, 4]", "dimension 0")),
    ("scatter_src_small", lambda lib: _m(lib).scatter(0, lib.tensor([[0, 1]]),
                                                      lib.ones(1, 1, dtype=lib.float32)),
     RuntimeError, ("[1, 2]", "src [1, 1]")),
    ("scatter_src_dtype", lambda lib: _m(lib).scatter(0, lib.tensor([[0]]),
                                                      lib.ones(1, 1, dtype=lib.float64)),
     RuntimeError, ("self.dtype", "src.dtype")),
    ("scatter_out_of_bounds", lambda lib: _m(lib).scatter(0, lib.tensor([[3]]), 1.0),
     RuntimeError, ("index 3", "dimension 0", "size 3")),
    ("scatter_negative", lambda lib: _m(lib).scatter(1, lib.tensor([[-1]]), 1.0),
     RuntimeError, ("index -1", "dimension 1", "size 4")),
    ("scatter_reduce", lambda lib: _m(lib).scatter(0, lib.tensor([[0]]), 1.0, reduce="max"),
     RuntimeError, ("add or multiply",)),
    ("scatter_add_value", lambda lib: _m(lib).scatter_add(0, lib.tensor([[0]]), 1.0),
     TypeError, ("src", "float")),
    ("scatter_add_leaf", lambda lib: lib.zeros(3, requires_grad=True).scatter_add_(
        0, lib.tensor([0]), lib.ones(1)), RuntimeError, ("leaf Variable", "in-place")),
    ("index_select_2d", lambda lib: _m(lib).index_select(1, lib.tensor([[0]])), IndexError,
     ("vector",)),
    ("index_select_dtype", lambda lib: _m(lib).index_select(1, lib.tensor([0.0])),
     RuntimeError, ("int32 or int64",)),
    ("index_select_int16", lambda lib: _m(lib).index_select(
        1, lib.tensor([0], dtype=lib.int16)), RuntimeError, ("int32 or int64",)),
    ("index_select_bounds", lambda lib: _m(lib).index_select(1, lib.tensor([4])),
     RuntimeError, ("out of DATA bounds", "id=4", "axis_dim=4")),
    ("index_select_list", lambda lib: _m(lib).index_select(0, [0]), TypeError, ("index",)),
    ("index_select_scalar", lambda lib: lib.tensor(5.0).index_select(0, lib.tensor([0, 0])),
     RuntimeError, ("only 1 value", "2 value(s)")),
    ("masked_select_int", lambda lib: _m(lib).masked_select(lib.ones(4, dtype=lib.int64)),
     RuntimeError, ("BoolTensor",)),
    ("masked_select_shape", lambda lib: _m(lib).masked_select(lib.ones(2) > 0),
     RuntimeError, ("(2)", "(4)")),
    ("tril_vector", lambda lib: lib.ones(3).tril(), RuntimeError, ("at least 2 dimensions",)),
    ("triu_0d", lambda lib: lib.tensor(1.0).triu_(), RuntimeError, ("at least 2",)),
    ("diag_3d", lambda lib: lib.ones(2, 2, 2).diag(), RuntimeError, ("1D or 2D", "3D")),
    ("diagonal_same", lambda lib: _m(lib).diagonal(0, 1, -1), RuntimeError, ("identical",)),
    ("diagonal_dim", lambda lib: lib.ones(3).diagonal(), IndexError, ("[-1, 0]",)),
    ("trace_3d", lambda lib: lib.ones(2, 2, 2).trace(), RuntimeError, ("matrix", "dim 3")),
    ("trace_bool", lambda lib: lib.ones(2, 2, dtype=lib.bool).trace(), NotImplementedError,
     ("Bool",)),
    ("outer_matrix", lambda lib: lib.outer(lib.ones(2, 2), lib.ones(2)), RuntimeError,
     ("1-D", "self", "2-D")),
    ("outer_vec2", lambda lib: lib.ones(2).outer(lib.tensor(1.0)), RuntimeError,
     ("vec2", "0-D")),
    ("roll_mismatch", lambda lib: _m(lib).roll((1, 2), (0,)), RuntimeError,
     ("shifts: 2", "dims:1")),
    ("roll_no_dims", lambda lib: _m(lib).roll([1, 2]), RuntimeError, ("shifts: 2", "dims:0")),
    ("roll_0d_dim", lambda lib: lib.tensor(1.0).roll(1, 0), IndexError, ("no dimensions",)),
    ("log1p_inplace_int", lambda lib: lib.tensor([1, 2]).log1p_(), RuntimeError,
     ("Float", "Long")),
    ("atan2_number", lambda lib: lib.ones(2).atan2(2.0), TypeError, ("other", "float")),
    ("atan2_shapes", lambda lib: lib.atan2(lib.ones(2, 3), lib.ones(4, 3)), RuntimeError,
     ("(2)", "(4)", "dimension 0")),
    ("atan2_inplace_shape", lambda lib: lib.ones(2).atan2_(lib.ones(1, 2)), RuntimeError,
     ("[2]", "[1, 2]")),
    ("hypot_int", lambda lib: lib.hypot(lib.tensor([3]), lib.tensor([4])),
     NotImplementedError, ("Long",)),
    ("einsum_operand_count", lambda lib: lib.einsum("ij,jk->ik", lib.ones(2, 2)),
     RuntimeError, ("fewer operands",)),
    ("einsum_too_many", lambda lib: lib.einsum("ij->ij", lib.ones(2, 2), lib.ones(2)),
     RuntimeError, ("more operands",)),
    ("einsum_ndim", lambda lib: lib.einsum("ijk,jk->ik", lib.ones(2, 3), lib.ones(3, 4)),
     RuntimeError, ("(3)", "(2)", "operand 0", "no ellipsis")),
    ("einsum_ellipsis_short", lambda lib: lib.einsum("...ij", lib.ones(3)), RuntimeError,
     ("(2)", "more than", "(1)")),
    ("einsum_character", lambda lib: lib.einsum("i1,jk->ik", lib.ones(2, 2), lib.ones(2, 2)),
     RuntimeError, ("index 1", "[a-zA-Z]")),
    ("einsum_second_arrow", lambda lib: lib.einsum("ij->j->i", lib.ones(2, 2)),
     RuntimeError, ("index 5",)),
    ("einsum_output_letter", lambda lib: lib.einsum("ij,jk->iz", lib.ones(2, 3),
                                                    lib.ones(3, 4)),
     RuntimeError, ("output subscript z", "does not appear")),
    ("einsum_output_repeat", lambda lib: lib.einsum("ij,jk->ii", lib.ones(2, 3),
                                                    lib.ones(3, 4)),
     RuntimeError, ("output subscript i", "more than once")),
    ("einsum_sizes", lambda lib: lib.einsum("ij,jk->ik", lib.ones(2, 2), lib.ones(3, 4)),
     RuntimeError, ("subscript j", "size 3", "operand 1", "size 2")),
    ("einsum_diagonal_sizes", lambda lib: lib.einsum("ii->i", lib.ones(3, 4)), RuntimeError,
     ("subscript i", "repeated", "4 != 3")),
    ("einsum_ellipsis_sizes", lambda lib: lib.einsum("...i,...i", lib.ones(2, 3),
                                                     lib.ones(4, 3)),
     RuntimeError, ("ellipsis", "operand 1", "size 4", "size 2")),
    ("einsum_two_ellipses", lambda lib: lib.einsum("...i...", lib.ones(2, 3)), RuntimeError,
     ("ellipsis was already found",)),
    ("einsum_single_dot", lambda lib: lib.einsum(".ij", lib.ones(2, 3)), RuntimeError,
     ("not part of any ellipsis",)),
    ("einsum_no_operands", lambda lib: lib.einsum("ij"), ValueError, ("at least one operand",)),
    ("einsum_dtypes", lambda lib: lib.einsum("ij,jk->ik", lib.ones(2, 2),
                                             lib.ones(2, 2, dtype=lib.float64)),
     RuntimeError, ("Float", "Double")),
    ("einsum_bools", lambda lib: lib.einsum("i,i->", lib.ones(2) > 0, lib.ones(2) > 0),
     NotImplementedError, ("Bool",)),
    ("hstack_empty", lambda lib: lib.hstack([]), RuntimeError, ("non-empty",)),
    ("vstack_tensor", lambda lib: lib.vstack(lib.ones(2, 2)), TypeError, ("tuple of Tensors",)),
    ("dstack_numbers", lambda lib: lib.dstack([1, 2]), TypeError, ("element 0", "int")),
    ("movedim_lengths", lambda lib: lib.ones(2, 3, 4).movedim((0, 1), (2,)), RuntimeError,
     ("[0, 1]", "[2]")),
    ("movedim_repeat_source", lambda lib: lib.ones(2, 3, 4).movedim((0, 0), (1, 2)),
     RuntimeError, ("repeated dim in `source`",)),
    ("movedim_repeat_target", lambda lib: lib.ones(2, 3, 4).movedim((0, 1), (2, 2)),
     RuntimeError, ("repeated dim in `destination`",)),
    ("movedim_dim", lambda lib: lib.ones(2, 3, 4).movedim(3, 0), IndexError, ("[-3, 2]",)),
    ("tile_negative", lambda lib: lib.ones(2, 3).tile((2, -1)), RuntimeError,
     ("negative dimension -3", "[4, -3]")),
    ("repeat_interleave_negative", lambda lib: lib.ones(2).repeat_interleave(-1),
     RuntimeError, ("non-negative",)),
    ("repeat_interleave_0d_dim", lambda lib: lib.tensor(1.0).repeat_interleave(2, 0),
     IndexError, ("[-1, 0]",)),
    ("repeat_interleave_0d_dim_counts", lambda lib: lib.tensor(1.0).repeat_interleave(
        lib.tensor([2]), 0), IndexError, ("no dimensions",)),
    ("repeat_interleave_counts", lambda lib: lib.ones(2).repeat_interleave(
        lib.tensor([1, 2, 3])), RuntimeError, ("repeats.size(0) = 3", "input.size(0) = 2")),
    ("repeat_interleave_float", lambda lib: lib.ones(2).repeat_interleave(lib.ones(2)),
     NotImplementedError, ("Float",)),
    ("repeat_interleave_2d", lambda lib: lib.ones(2).repeat_interleave(
        lib.ones(1, 2, dtype=lib.int64)), RuntimeError, ("0-dim or 1-dim",)),
    ("repeat_interleave_counts_negative", lambda lib: lib.ones(2).repeat_interleave(
        lib.tensor([1, -2])), RuntimeError, ("negative",)),
    ("repeat_interleave_output_size", lambda lib: lib.ones(2).repeat_interleave(
        2, output_size=3), RuntimeError, ("output_size", "4", "3")),
    ("sort_axis_and_dim", lambda lib: _m(lib).sort(0, axis=1), TypeError, ("axis",)),
]


@pytest.mark.parametrize("name,code,error,names", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_like_torch(name: str, code: Callable[[Any], Any], error: type[Exception],
                           names: tuple[str, ...]) -> None:
    raises_like_torch(code, error, *names)


def test_unique_with_dim_is_refused_clearly() -> None:
    """A deliberate difference: PyTorch supports unique(dim=...); we say so instead."""
    with pytest.raises(NotImplementedError, match=r"unique\(dim=\.\.\.\) is not supported"):
        OURS.tensor([[1, 2], [1, 2]]).unique(dim=0)


def test_a_failed_in_place_scatter_leaves_the_tensor_unchanged() -> None:
    x = OURS.tensor([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="out of bounds"):
        x.scatter_(0, OURS.tensor([5]), 0.0)
    assert to_numpy(x).tolist() == [1.0, 2.0, 3.0] and x._version == 0

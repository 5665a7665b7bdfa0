"""Every differentiable op against central differences (``autograd.gradcheck``, float64).

The parity tests compare with PyTorch; these compare with mathematics. Inputs are drawn
away from kinks (abs and relu at 0, clamp bounds, ties of max) where the derivative is not
defined, and the last tests make sure ``gradcheck`` itself fails for a wrong backward.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.autograd import Function, gradcheck


def normal(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape)


def positive(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.5, 2.0, size=shape)


def distinct(*shape: int, seed: int = 0) -> np.ndarray:
    """Well separated values (no ties, none near 0): max, sort-like ops, kinks."""
    n = math.prod(shape)
    values = np.linspace(0.3, 3.0, n) * np.where(np.arange(n) % 2, -1, 1)
    return np.random.default_rng(seed).permutation(values).reshape(shape)


def away_from_zero(*shape: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


CASES: list[tuple[str, Callable[..., Any], list[np.ndarray]]] = [
    # elementwise binary, with broadcasting
    ("add", lambda a, b: a + b, [normal(3, 4), normal(4, seed=1)]),
    ("sub", lambda a, b: a - b, [normal(3, 1), normal(1, 4, seed=1)]),
    ("rsub", lambda a: 2.5 - a, [normal(3, 4)]),
    ("mul", lambda a, b: a * b, [normal(2, 3, 4), normal(3, 1, seed=1)]),
    ("div", lambda a, b: a / b, [normal(3, 4), away_from_zero(3, 4, seed=1)]),
    ("rdiv", lambda a: 1.5 / a, [away_from_zero(3, 4)]),
    ("pow_int", lambda a: a**3, [normal(3, 4)]),
    ("pow_negative", lambda a: a**-2, [away_from_zero(3, 4)]),
    ("pow_float", lambda a: a**1.7, [positive(3, 4)]),
    ("pow_tensor", lambda a, b: a**b, [positive(3, 4), normal(4, seed=1)]),
    ("rpow", lambda a: 2.5**a, [normal(3, 4)]),
    ("maximum", lambda a, b: a.maximum(b), [distinct(3, 4), distinct(3, 4, seed=1) + 0.1]),
    ("minimum", lambda a, b: a.minimum(b), [distinct(3, 4), distinct(3, 4, seed=1) + 0.1]),
    ("where", lambda a, b: tg.where(tg.tensor([[True], [False], [True]]), a, b),
     [normal(3, 4), normal(4, seed=1)]),
    # elementwise unary
    ("neg", lambda a: -a, [normal(3, 4)]),
    ("abs", lambda a: a.abs(), [away_from_zero(3, 4)]),
    ("exp", lambda a: a.exp(), [normal(3, 4)]),
    ("log", lambda a: a.log(), [positive(3, 4)]),
    ("sqrt", lambda a: a.sqrt(), [positive(3, 4)]),
    ("sin", lambda a: a.sin(), [normal(3, 4)]),
    ("cos", lambda a: a.cos(), [normal(3, 4)]),
    ("tanh", lambda a: a.tanh(), [normal(3, 4)]),
    ("sigmoid", lambda a: a.sigmoid(), [normal(3, 4) * 3]),
    ("relu", lambda a: a.relu(), [away_from_zero(3, 4)]),
    ("clamp_min", lambda a: a.clamp(min=0.25), [distinct(3, 4)]),
    ("clamp_max", lambda a: a.clamp(max=0.25), [distinct(3, 4)]),
    ("clamp_both", lambda a: a.clamp(-1.0, 1.0), [distinct(3, 4)]),
    ("clamp_tensor", lambda a, lo: a.clamp(min=lo), [distinct(3, 4), distinct(3, 4, seed=1) + 0.1]),
    ("softmax", lambda a: a.softmax(1), [normal(3, 4)]),
    ("softmax_dim0", lambda a: a.softmax(0), [normal(3, 4)]),
    ("log_softmax", lambda a: a.log_softmax(-1), [normal(3, 4)]),
    # reductions
    ("sum", lambda a: a.sum(), [normal(3, 4)]),
    ("sum_dims", lambda a: a.sum((0, 2), keepdim=True), [normal(2, 3, 4)]),
    ("mean", lambda a: a.mean(1), [normal(3, 4)]),
    ("prod", lambda a: a.prod(), [away_from_zero(2, 3)]),
    ("prod_dim", lambda a: a.prod(1, keepdim=True), [away_from_zero(3, 4)]),
    ("prod_zero", lambda a: a.prod(1), [np.array([[0.0, 2.0, -1.5], [0.0, 0.0, 3.0]])]),
    ("max", lambda a: a.max(), [distinct(3, 4)]),
    ("min", lambda a: a.min(), [distinct(3, 4)]),
    ("max_dim", lambda a: a.max(1)[0], [distinct(3, 4)]),
    ("min_dim", lambda a: a.min(0, keepdim=True)[0], [distinct(3, 4)]),
    ("amax", lambda a: a.amax((0, 1)), [distinct(3, 4, 2)]),
    ("amin", lambda a: a.amin(-1), [distinct(3, 4)]),
    ("var", lambda a: a.var(1), [normal(3, 4)]),
    ("var_biased", lambda a: a.var(correction=0), [normal(3, 4)]),
    ("std", lambda a: a.std(0, keepdim=True), [normal(3, 4)]),
    ("norm", lambda a: a.norm(), [normal(3, 4)]),
    ("norm_p3", lambda a: a.norm(3, 1), [away_from_zero(3, 4)]),
    ("norm_p1", lambda a: a.norm(1, 0), [away_from_zero(3, 4)]),
    ("norm_inf", lambda a: a.norm(math.inf, 1), [distinct(3, 4)]),
    ("logsumexp", lambda a: a.logsumexp(1), [normal(3, 4)]),
    # matmul
    ("dot", lambda a, b: a @ b, [normal(4), normal(4, seed=1)]),
    ("mv", lambda a, b: a @ b, [normal(3, 4), normal(4, seed=1)]),
    ("vm", lambda a, b: a @ b, [normal(4), normal(4, 2, seed=1)]),
    ("mm", lambda a, b: a.mm(b), [normal(3, 4), normal(4, 2, seed=1)]),
    ("bmm", lambda a, b: a.bmm(b), [normal(2, 3, 4), normal(2, 4, 2, seed=1)]),
    ("matmul_broadcast", lambda a, b: a @ b, [normal(2, 1, 3, 4), normal(5, 4, 2, seed=1)]),
    # shape ops
    ("view", lambda a: a.view(4, 3) * a.view(4, 3), [normal(3, 4)]),
    ("reshape", lambda a: a.reshape(-1), [normal(3, 4)]),
    ("flatten", lambda a: a.flatten(1), [normal(2, 3, 4)]),
    ("squeeze", lambda a: a.squeeze(1), [normal(3, 1, 4)]),
    ("unsqueeze", lambda a: a.unsqueeze(-1), [normal(3, 4)]),
    ("permute", lambda a: a.permute(2, 0, 1), [normal(2, 3, 4)]),
    ("transpose", lambda a: a.transpose(0, 2), [normal(2, 3, 4)]),
    ("t", lambda a: a.t(), [normal(3, 4)]),
    ("T", lambda a: a.T, [normal(3, 4)]),
    ("expand", lambda a: a.expand(2, 3, 4), [normal(3, 1)]),
    ("repeat", lambda a: a.repeat(2, 1, 3), [normal(3, 2)]),
    ("narrow", lambda a: a.narrow(1, 1, 2), [normal(3, 4)]),
    ("select", lambda a: a.select(1, -1), [normal(3, 4)]),
    ("split", lambda a: tg.cat([p * (i + 1) for i, p in enumerate(a.split(2, 1))], 1),
     [normal(3, 5)]),
    ("chunk", lambda a: a.chunk(2, 0)[1], [normal(3, 4)]),
    ("unbind", lambda a: a.unbind(1)[2] * a.unbind(1)[0], [normal(3, 4)]),
    ("flip", lambda a: a.flip((0, 1)), [normal(3, 4)]),
    ("gather", lambda a: a.gather(1, tg.tensor([[0, 0, 3], [2, 1, 2], [3, 3, 3]])),
     [normal(3, 4)]),
    ("cat", lambda a, b: tg.cat([a, b, a], 1), [normal(3, 2), normal(3, 1, seed=1)]),
    ("stack", lambda a, b: tg.stack([a, b], -1), [normal(3, 2), normal(3, 2, seed=1)]),
    # indexing, copies, in place
    ("slice", lambda a: a[1:, ::2], [normal(3, 4)]),
    ("index_int", lambda a: a[1, None, ..., -1], [normal(3, 4, 2)]),
    ("index_array", lambda a: a[[0, 2, 0, 0]], [normal(3, 4)]),
    ("index_mask", lambda a: a[tg.tensor([[True, False], [False, True], [True, True]])],
     [normal(3, 2)]),
    ("setitem", lambda a, b: _setitem(a, b), [normal(3, 4), normal(4, seed=1)]),
    ("clone", lambda a: a.clone() * a, [normal(3, 4)]),
    ("to_float64", lambda a: a.to(tg.float64) * 2, [normal(3, 4)]),
    ("in_place", lambda a, b: _in_place(a, b), [normal(3, 4), away_from_zero(4, seed=1)]),
    # composites
    ("mse", lambda a, b: ((a - b) ** 2).mean(), [normal(3, 4), normal(3, 4, seed=1)]),
    ("standardize", lambda a: (a - a.mean(1, keepdim=True)) / a.std(1, keepdim=True),
     [normal(3, 4)]),
    ("cross_entropy_like", lambda a: -a.log_softmax(1)[[0, 1, 2], [1, 0, 3]].mean(),
     [normal(3, 4)]),
    # more operations (ops_more.py): scans, sorting and selection, scatter, diagonals, einsum
    ("cumsum", lambda a: a.cumsum(1), [normal(3, 4)]),
    ("cumsum_3d", lambda a: a.cumsum(-3), [normal(2, 3, 2)]),
    ("cumprod", lambda a: a.cumprod(1), [away_from_zero(3, 4)]),
    ("cumprod_zeros", lambda a: a.cumprod(1),
     [np.array([[0.0, 2.0, -1.5, 1.2], [1.5, 0.0, 0.0, 3.0], [2.0, -1.0, 0.5, 0.0]])]),
    ("sort", lambda a: a.sort(1)[0] * tg.arange(4.0, dtype=tg.float64), [distinct(3, 4)]),
    ("sort_descending", lambda a: a.sort(0, descending=True)[0].cumsum(0), [distinct(3, 4)]),
    ("topk", lambda a: a.topk(2, 0)[0], [distinct(3, 4)]),
    ("topk_smallest", lambda a: a.topk(3, largest=False)[0], [distinct(3, 4)]),
    ("kthvalue", lambda a: a.kthvalue(2, 1, keepdim=True)[0], [distinct(3, 4)]),
    ("median", lambda a: a.median(), [distinct(3, 5)]),
    ("median_dim", lambda a: a.median(0)[0], [distinct(4, 3)]),
    ("scatter", lambda a, s: a.scatter(1, tg.tensor([[0, 3], [1, 2]]), s),
     [normal(3, 4), normal(2, 2, seed=1)]),
    ("scatter_value", lambda a: a.scatter(0, tg.tensor([[2, 0, 1, 2]]), 1.5), [normal(3, 4)]),
    ("scatter_add", lambda a, s: a.scatter_add(0, tg.tensor([[0, 0, 2], [0, 1, 2]]), s),
     [normal(3, 4), normal(2, 3, seed=1)]),
    ("index_select", lambda a: a.index_select(1, tg.tensor([0, 2, 2])), [normal(3, 4)]),
    ("masked_select", lambda a: a.masked_select(tg.tensor([[True], [False], [True]])),
     [normal(3, 4)]),
    ("tril", lambda a: a.tril(-1), [normal(2, 3, 4)]),
    ("triu", lambda a: a.triu(1), [normal(3, 4)]),
    ("diag_vector", lambda a: a.diag(1), [normal(3)]),
    ("diag_matrix", lambda a: a.diag(-1), [normal(3, 4)]),
    ("diagonal", lambda a: a.diagonal(1, 2, 0), [normal(3, 2, 4)]),
    ("trace", lambda a: a.trace(), [normal(3, 4)]),
    ("outer", lambda a, b: a.outer(b), [normal(3), normal(4, seed=1)]),
    ("roll", lambda a: a.roll((1, -2), (0, 1)), [normal(3, 4)]),
    ("roll_flat", lambda a: a.roll(5), [normal(3, 4)]),
    ("log1p", lambda a: a.log1p(), [positive(3, 4) - 0.4]),
    ("expm1", lambda a: a.expm1(), [normal(3, 4)]),
    ("atan2", lambda a, b: a.atan2(b), [away_from_zero(3, 4), away_from_zero(4, seed=1)]),
    ("hypot", lambda a, b: a.hypot(b), [away_from_zero(3, 1), normal(4, seed=1)]),
    ("einsum_matmul", lambda a, b: tg.einsum("ij,kj->ik", a, b),
     [normal(3, 4), normal(2, 4, seed=1)]),
    ("einsum_trace", lambda a: tg.einsum("ii", a), [normal(3, 3)]),
    ("einsum_diagonal", lambda a, b: tg.einsum("ii,i->i", a, b), [normal(3, 3), normal(3)]),
    ("einsum_three", lambda a, b, c: tg.einsum("i,ij,jk->k", a, b, c),
     [normal(2), normal(2, 3, seed=1), normal(3, 4, seed=2)]),
    ("einsum_ellipsis", lambda a, b: tg.einsum("...ij,...jk", a, b),
     [normal(2, 1, 2, 3), normal(3, 3, 2, seed=1)]),
    ("hstack", lambda a, b: tg.hstack([a, b]), [normal(3, 2), normal(3, 1, seed=1)]),
    ("vstack", lambda a, b: tg.vstack([a, b]), [normal(4), normal(2, 4, seed=1)]),
    ("dstack", lambda a, b: tg.dstack([a, b]), [normal(3, 2), normal(3, 2, seed=1)]),
    ("column_stack", lambda a, b: tg.column_stack([a, b]), [normal(3), normal(3, 2, seed=1)]),
    ("movedim", lambda a: a.movedim((0, 1), (2, 0)), [normal(2, 3, 4)]),
    ("tile", lambda a: a.tile((2, 1, 2)), [normal(3, 2)]),
    ("repeat_interleave", lambda a: a.repeat_interleave(2, dim=1), [normal(3, 2)]),
    ("repeat_interleave_counts", lambda a: a.repeat_interleave(tg.tensor([0, 2, 1])),
     [normal(3)]),
]


def _setitem(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    y = a * 1
    y[1:] = b
    return y * a


def _in_place(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    y = a * 2
    y.add_(b)
    y.mul_(3)
    y.div_(b)
    y.sigmoid_()
    return y


@pytest.mark.parametrize("name,fn,arrays", CASES, ids=[name for name, _, _ in CASES])
def test_gradcheck(name: str, fn: Callable[..., Any], arrays: list[np.ndarray]) -> None:
    inputs = [tg.tensor(a, dtype=tg.float64, requires_grad=True) for a in arrays]
    assert gradcheck(fn, inputs, eps=1e-6, atol=1e-6, rtol=1e-5)


# --------------------------------------------------------------- gradcheck itself can fail


class WrongSquare(Function):
    """x^2 with a backward that forgets the factor 2."""

    @staticmethod
    def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx: Any, grad: tg.Tensor) -> tg.Tensor:
        (x,) = ctx.saved_tensors
        return grad * x


class RightSquare(WrongSquare):
    @staticmethod
    def backward(ctx: Any, grad: tg.Tensor) -> tg.Tensor:
        (x,) = ctx.saved_tensors
        return 2 * grad * x


class WrongSecondInput(Function):
    """x * y whose gradient for y has the wrong sign (the first input is right)."""

    @staticmethod
    def forward(ctx: Any, x: tg.Tensor, y: tg.Tensor) -> tg.Tensor:
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx: Any, grad: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
        x, y = ctx.saved_tensors
        return grad * y, -grad * x


def test_custom_function_with_right_backward_passes() -> None:
    x = tg.tensor(normal(3, 4), dtype=tg.float64, requires_grad=True)
    assert gradcheck(RightSquare.apply, [x])


def test_gradcheck_raises_for_a_wrong_backward() -> None:
    x = tg.tensor(normal(3, 4), dtype=tg.float64, requires_grad=True)
    with pytest.raises(AssertionError, match="Jacobian mismatch for input 0"):
        gradcheck(WrongSquare.apply, [x])
    assert gradcheck(WrongSquare.apply, [x], raise_exception=False) is False


def test_gradcheck_checks_every_input() -> None:
    x = tg.tensor(normal(3), dtype=tg.float64, requires_grad=True)
    y = tg.tensor(normal(3, seed=1), dtype=tg.float64, requires_grad=True)
    with pytest.raises(AssertionError, match="Jacobian mismatch for input 1"):
        gradcheck(WrongSecondInput.apply, [x, y])


def test_gradcheck_leaves_inputs_unchanged() -> None:
    values = normal(3, 4)
    x = tg.tensor(values, dtype=tg.float64, requires_grad=True)
    gradcheck(lambda t: t.exp(), [x])
    np.testing.assert_array_equal(x.detach().numpy(), values)

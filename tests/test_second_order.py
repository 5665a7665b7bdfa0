"""Second (and third) derivatives through ``create_graph=True``, compared with PyTorch.

``autograd.grad(f, inputs, create_graph=True)`` records the backward pass itself, so its
result can be differentiated again. Each case computes the gradient, then the gradient of
``sum_i <grad_i, v_i>`` for random ``v`` (a Hessian-vector product) in both libraries, and
compares both, in float64.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from helpers import assert_same_tensor, make_pair

import tinygrad_edu as tg

RTOL = ATOL = 1e-10


def lib_of(t: Any) -> Any:
    return torch if isinstance(t, torch.Tensor) else tg


def normal(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape)


def positive(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.5, 2.0, size=shape)


def hvp(lib: Any, fn: Callable[..., Any], inputs: list[Any], vectors: list[np.ndarray]
        ) -> tuple[Any, tuple[Any, ...], tuple[Any, ...]]:
    """``f``, its gradients (recorded) and the Hessian-vector products with ``vectors``."""
    out = fn(*inputs)
    grads = lib.autograd.grad(out, inputs, create_graph=True)
    assert all(g.requires_grad for g in grads), "create_graph=True must record the backward"
    inner = sum((g * lib.tensor(v)).sum() for g, v in zip(grads, vectors))
    second = lib.autograd.grad(inner, inputs, allow_unused=True)
    return out, grads, second


def check_second_order(fn: Callable[..., Any], *arrays: np.ndarray, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    vectors = [rng.normal(size=a.shape) for a in arrays]
    pairs = [make_pair(a) for a in arrays]
    ours = hvp(tg, fn, [p[0] for p in pairs], vectors)
    theirs = hvp(torch, fn, [p[1] for p in pairs], vectors)
    assert_same_tensor(ours[0], theirs[0], RTOL, ATOL, what="output")
    for i, (o, t) in enumerate(zip(ours[1], theirs[1])):
        assert_same_tensor(o, t, RTOL, ATOL, what=f"gradient of input {i}")
    for i, (o, t) in enumerate(zip(ours[2], theirs[2])):
        if t is None:  # linear in this input: torch reports it unused
            assert o is None or not np.any(np.asarray(o)), f"input {i}: expected no gradient"
            continue
        assert o is not None, f"input {i}: no second derivative, torch has {t}"
        assert_same_tensor(o, t, RTOL, ATOL, what=f"Hessian-vector product of input {i}")


def _mlp_loss(x: Any, w1: Any, w2: Any) -> Any:
    hidden = (x @ w1).tanh()
    return ((hidden @ w2 - 0.5) ** 2).mean()


def _cross_entropy(logits: Any) -> Any:
    return -(logits.log_softmax(-1)[[0, 1, 2], [2, 0, 1]]).mean()


CASES: list[tuple[str, Callable[..., Any], list[np.ndarray]]] = [
    ("cube", lambda x: (x**3).sum(), [normal(3, 4)]),
    ("sin_exp", lambda x: (x.sin() * x.exp()).sum(), [normal(3, 4)]),
    ("tanh_matmul", lambda x, w: (x @ w).tanh().sum(), [normal(3, 4), normal(4, 2, seed=1)]),
    ("neg_log_softmax", lambda x: -(x.log_softmax(0)[0]), [normal(5)]),
    ("product_both", lambda x, y: (x * y).sum(), [normal(3, 4), normal(3, 4, seed=1)]),
    ("product_broadcast", lambda x, y: (x * y * x).sum(), [normal(3, 4), normal(4, seed=1)]),
    ("mlp_hvp", _mlp_loss, [normal(5, 3), normal(3, 4, seed=1), normal(4, seed=2)]),
    ("cross_entropy", _cross_entropy, [normal(3, 4)]),
    ("softmax", lambda x: (x.softmax(1) * lib_of(x).tensor(normal(2, 4, seed=3))).sum(),
     [normal(2, 4)]),
    ("sigmoid", lambda x: x.sigmoid().prod(), [normal(3)]),
    ("div", lambda x, y: (x / y).sum(), [normal(3, 4), positive(3, 4, seed=1)]),
    ("sqrt_log", lambda x: (x.sqrt() * x.log()).sum(), [positive(3, 4)]),
    ("pow_tensor", lambda x, y: (x**y).sum(), [positive(3, 4), normal(3, 4, seed=1)]),
    ("rpow", lambda x: (2.0**x).sum(), [normal(4)]),
    ("norm", lambda x: x.norm(), [normal(3, 4)]),
    ("std", lambda x: x.std(1).sum(), [normal(3, 4)]),
    ("var_mean", lambda x: (x.var(0) * x.mean(0)).sum(), [normal(3, 4)]),
    ("logsumexp", lambda x: x.logsumexp(1).sum(), [normal(3, 4)]),
    ("prod", lambda x: x.prod(1).sum(), [positive(3, 4)]),
    ("max_dim", lambda x: (x.max(1)[0] ** 2).sum(), [normal(3, 4)]),
    ("amax", lambda x: x.amax(0).exp().sum(), [normal(3, 4)]),
    ("clamp_relu", lambda x: (x.clamp(-0.5, 0.5) * x.relu() * x).sum(), [normal(3, 4)]),
    ("abs", lambda x: (x.abs() ** 3).sum(), [normal(3, 4)]),
    ("maximum", lambda x, y: (x.maximum(y) ** 2).sum(), [normal(3, 4), normal(4, seed=1)]),
    ("where", lambda x: lib_of(x).where(x > 0, x**2, x.exp()).sum(), [normal(3, 4)]),
    ("shapes", lambda x: (x.t()[1:].reshape(-1).unsqueeze(0).expand(2, 8) ** 2).sum(),
     [normal(4, 3)]),
    ("index_gather", lambda x: (x[[0, 0, 2]] * x.gather(1, lib_of(x).tensor(
        [[1, 1], [0, 2], [2, 2]]))[[0, 1, 2], :1]).sum(), [normal(3, 3)]),
    ("cat_stack", lambda x, y: (lib_of(x).cat([x, y]) ** 2).sum() * lib_of(x).stack(
        [x, y]).sum(), [normal(2, 3), normal(2, 3, seed=1)]),
    ("batched_matmul", lambda x, y: ((x @ y) ** 2).sum(), [normal(2, 3, 4),
                                                          normal(4, 2, seed=1)]),
    ("dot", lambda x, y: (x @ y) ** 2, [normal(4), normal(4, seed=1)]),
]


@pytest.mark.parametrize("name,fn,arrays", CASES, ids=[name for name, _, _ in CASES])
def test_hessian_vector_product(name: str, fn: Callable[..., Any],
                                arrays: list[np.ndarray]) -> None:
    check_second_order(fn, *arrays)


def test_full_hessian_of_cube_is_diagonal() -> None:
    """The Hessian of sum(x^3) is diag(6x), row by row from a recorded gradient."""
    values = normal(4)
    x = tg.tensor(values, requires_grad=True)
    (g,) = tg.autograd.grad((x**3).sum(), x, create_graph=True)
    rows = [np.asarray(tg.autograd.grad(g[i], x, retain_graph=True)[0]) for i in range(4)]
    np.testing.assert_allclose(np.stack(rows), np.diag(6 * values), rtol=RTOL, atol=ATOL)


def test_mixed_partials_of_product() -> None:
    """d/dy (d/dx sum(x * y)) is the identity: grad_x = y, then its gradient wrt y."""
    xs, ys = make_pair(normal(3)), make_pair(normal(3, seed=1))
    for lib, x, y in ((tg, xs[0], ys[0]), (torch, xs[1], ys[1])):
        (gx,) = lib.autograd.grad((x * y).sum(), x, create_graph=True)
        weights = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)
        (gxy,) = lib.autograd.grad((gx * weights).sum(), y)
        np.testing.assert_allclose(np.asarray(gxy.detach()), [1.0, 2.0, 3.0], rtol=0, atol=0)


def test_third_derivative() -> None:
    values = normal(5)
    ours, theirs = make_pair(values)
    results = []
    for lib, x in ((tg, ours), (torch, theirs)):
        f = (x**4 * x.sin()).sum()
        (g1,) = lib.autograd.grad(f, x, create_graph=True)
        (g2,) = lib.autograd.grad(g1.sum(), x, create_graph=True)
        (g3,) = lib.autograd.grad(g2.sum(), x)
        results.append(g3)
    assert_same_tensor(results[0], results[1], RTOL, ATOL, what="third derivative")


def test_backward_create_graph_then_grad_of_grad() -> None:
    """``backward(create_graph=True)`` leaves a ``.grad`` that is itself differentiable."""
    values = normal(3, 4)
    ours, theirs = make_pair(values)
    seconds = []
    for lib, x in ((tg, ours), (torch, theirs)):
        with warnings.catch_warnings():  # torch warns about the reference cycle it makes
            warnings.simplefilter("ignore", UserWarning)
            (x.tanh() * x).sum().backward(create_graph=True)
        first = x.grad
        assert first.requires_grad
        (second,) = lib.autograd.grad((first**2).sum(), x)
        seconds.append(second)
    assert_same_tensor(seconds[0], seconds[1], RTOL, ATOL, what="gradient of x.grad")


def test_first_order_grad_without_create_graph_is_constant() -> None:
    x = tg.tensor(normal(3), requires_grad=True)
    (g,) = tg.autograd.grad((x**3).sum(), x)
    assert not g.requires_grad and g.grad_fn is None

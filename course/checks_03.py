"""Instant checks for the exercises of chapter 03 (autograd inside).

Each ``check_<exercise>(answer...)`` prints ✅ or ❌ with a hint aimed at the usual mistake, and
returns True or False. They run offline, in a fraction of a second.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from checks import numbers, report

import tinygrad_edu as torch
from tinygrad_edu import autograd

# ------------------------------------------------------------------------------ exercise 1


def check_chain_rule(dL_da: Any) -> bool:
    """Exercise 1: ``L = sin(a*b + a)`` at ``a = 0.5, b = 2``, by hand:
    ``dL/da = cos(1.5) * (b + 1)``."""
    b, d = 2.0, 1.5  # d = a*b + a at a = 0.5
    expected = math.cos(d) * (b + 1)
    success = (f"Right: dL/da = cos(a·b + a) · (b + 1) = {expected:.4f}. The two paths from a "
               "(through the product and directly into the sum) add up.")
    got = numbers(dL_da)
    if got is None:
        return report(False, success, "dL_da is None: compute it by hand with math.cos, "
                      "e.g. dL_da = math.cos(...) * (...).")
    if got.size != 1:
        return report(False, success, "Pass one number (a float or a one-element tensor).")
    value = float(got.reshape(-1)[0])

    def near(target: float) -> bool:
        return math.isclose(value, target, rel_tol=1e-4, abs_tol=1e-7)

    if near(expected):
        return report(True, success, "")
    if near(math.cos(d) * b):
        return report(False, success, "cos(1.5)·b counts only the path through a·b. a also "
                      "goes straight into the sum: gradients from both paths add, (b + 1).")
    if near(math.cos(d)):
        return report(False, success, "cos(1.5) is dL/dd (the gradient reaching the sum). "
                      "Multiply by dd/da = b + 1 (chain rule).")
    if near(-math.sin(d) * (b + 1)) or near(math.sin(d) * (b + 1)):
        return report(False, success, "The derivative of sin is cos, not ±sin.")
    if near(math.cos(math.radians(d)) * (b + 1)):
        return report(False, success, "That is cos of 1.5 degrees: math.cos takes radians "
                      "(use math.cos(1.5)).")
    if near(math.sin(d)):
        return report(False, success, "That is L itself, sin(1.5). We want its derivative "
                      "with respect to a.")
    return report(False, success, "Walk backward: dL/dd = cos(d) with d = a·b + a = 1.5; "
                  "then dd/da = b + 1 = 3 (a reaches d twice).")


# ------------------------------------------------------------------------------ exercise 2


def check_broadcast_grad(grad_b: Any) -> bool:
    """Exercise 2: ``z = x + b`` with ``x`` of shape (4, 3) and ``b`` of shape (3,); the
    upstream gradient ``g = torch.arange(12.).reshape(4, 3)``; ``b``'s gradient is
    ``g.sum(0) = [18, 22, 26]``."""
    g = np.arange(12.0).reshape(4, 3)
    success = ("Right: b was copied to every one of the 4 rows, so its gradient is the sum of "
               "the 4 rows of g: [18, 22, 26], with b's shape (3,).")
    got = numbers(grad_b)
    if got is None:
        return report(False, success, "grad_b is None: compute b's gradient from g with a "
                      "tensor operation (which dimension did broadcasting add?).")
    if got.shape == (3,) and np.allclose(got, g.sum(0)):
        return report(True, success, "")
    if got.shape == (4, 3):
        return report(False, success, "A gradient always has the shape of its tensor: b has "
                      "shape (3,), not (4, 3). Sum g over the dimension that broadcasting "
                      "added (dim 0).")
    if got.shape == (3,) and np.allclose(got, g.mean(0)):
        return report(False, success, "That is the mean. Each of the 4 copies of b adds its "
                      "own contribution to z, so the gradients add: use sum, not mean.")
    if got.shape == (4,):
        return report(False, success, "Shape (4,): you summed over dim 1. b has shape (3,): "
                      "sum over dim 0, the rows that broadcasting added.")
    if got.shape == (1, 3) and np.allclose(got.reshape(-1), g.sum(0)):
        return report(False, success, "Right numbers, shape (1, 3): b has shape (3,). Use "
                      "g.sum(0) (or g.sum_to_size(3)) without keepdim.")
    if got.size == 1:
        return report(False, success, "One number: you summed everything. Sum over dim 0 "
                      "only, so b keeps its shape (3,).")
    return report(False, success, "Expected g.sum(0), shape (3,).")


# ------------------------------------------------------------------------------ exercise 3


def _reference_grad(f: Any, x: np.ndarray) -> np.ndarray:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (g,) = autograd.grad(f(t), t)
    return np.asarray(g.tolist(), dtype=np.float64)


def check_numerical_grad(numerical_grad: Any) -> bool:
    """Exercise 3: ``numerical_grad(f, x, eps)`` returns the central-difference gradient of a
    scalar function ``f`` at the float64 tensor ``x``, with ``x``'s shape."""
    success = ("Right: central differences, one element at a time, agree with autograd to "
               "about eps² (here ~1e-10).")
    cases = [  # (f, x): an easy one, then one where forward differences are visibly off
        (lambda t: (t**3).sum(), np.array([1.0, -2.0, 0.5])),
        (lambda t: (t.sin() * t).sum(), np.array([[0.3, 1.2], [-0.7, 2.0]])),
    ]
    eps = 1e-3
    for f, x in cases:
        original = x.copy()
        t = torch.tensor(x, dtype=torch.float64)
        try:
            got = numerical_grad(f, t, eps)
        except Exception as error:  # the student's code: show what went wrong, as a hint
            return report(False, success, f"numerical_grad raised {type(error).__name__}: "
                          f"{error}. It gets f, a float64 tensor x and eps; change one element "
                          f"of x at a time (x[i] += eps ... and put it back).")
        if got is None:
            return report(False, success, "numerical_grad returned None: return a tensor of "
                          "x's shape with one central difference per element.")
        values = numbers(got)
        want = _reference_grad(f, original)
        if values is None or values.shape != want.shape:
            shape = None if values is None else values.shape
            return report(False, success, f"The result should have x's shape {want.shape}, got "
                          f"{shape}: one partial derivative per element of x.")
        if not np.allclose(t.tolist(), original):
            return report(False, success, "x was left changed: put each element back after "
                          "evaluating f(x + eps) and f(x - eps).")
        if np.allclose(values, want, rtol=1e-5, atol=1e-6):
            continue
        if np.allclose(values, 2 * want, rtol=1e-3, atol=1e-4):
            return report(False, success, "Twice the gradient: divide by 2 * eps, the distance "
                          "between x + eps and x - eps.")
        if np.allclose(values, want, rtol=1e-2, atol=1e-2):
            return report(False, success, "Close but off by ~eps: that is a one-sided (forward) "
                          "difference. Use (f(x + eps) - f(x - eps)) / (2 * eps): its error is "
                          "~eps² instead of ~eps.")
        return report(False, success, "Not the gradient: for each element i, evaluate f with "
                      "x[i] + eps and with x[i] - eps, and take (plus - minus) / (2 * eps).")
    return report(True, success, "")


# ------------------------------------------------------------------------------ exercise 4


def check_softplus(softplus: Any) -> bool:
    """Exercise 4: a custom ``autograd.Function`` for softplus(x) = log(1 + exp(x)) whose
    backward is ``grad * sigmoid(x)``; checked forward, then with gradcheck."""
    success = ("Right: forward matches log(1 + eˣ) and gradcheck agrees with your backward "
               "(grad · sigmoid(x)).")
    if not (isinstance(softplus, type) and issubclass(softplus, autograd.Function)):
        return report(False, success, "Pass the class itself (class Softplus(autograd.Function)"
                      ": ...), not an instance or a result: check_softplus(Softplus).")
    x = torch.tensor([-2.0, -0.5, 0.0, 0.7, 3.0], dtype=torch.float64, requires_grad=True)
    want = np.log1p(np.exp(np.array(x.tolist())))
    try:
        out = softplus.apply(x)
    except Exception as error:  # the student's code
        return report(False, success, f"Softplus.apply(x) raised {type(error).__name__}: "
                      f"{error}. forward(ctx, x) gets a tensor and must return a tensor.")
    got = numbers(out)
    if got is None or got.shape != want.shape or not np.allclose(got, want, rtol=1e-6):
        return report(False, success, "The forward is wrong: softplus(x) = log(1 + exp(x)), "
                      "e.g. (1 + x.exp()).log(); softplus(0) = log 2 ≈ 0.6931.")
    if not out.requires_grad:
        return report(False, success, "The output has no grad_fn: call Softplus.apply(x), "
                      "not Softplus.forward(None, x).")
    g = torch.tensor([1.0, -2.0, 0.5, 3.0, -1.0], dtype=torch.float64)
    sigmoid = 1 / (1 + np.exp(-np.array(x.tolist())))
    try:
        (computed,) = autograd.grad(out, x, g)
    except Exception as error:  # the student's code
        hint = (" Did forward call ctx.save_for_backward(x)?"
                if isinstance(error, (AttributeError, ValueError)) or "saved" in str(error)
                else "")
        return report(False, success, f"backward raised {type(error).__name__}: {error}."
                      f"{hint}")
    values = numbers(computed)
    gn = np.array(g.tolist())
    if values is None or values.shape != sigmoid.shape:
        return report(False, success, "backward must return one gradient with x's shape.")
    if np.allclose(values, sigmoid):
        return report(False, success, "backward returns sigmoid(x) but forgets the incoming "
                      "gradient: return grad * sigmoid(x) (the chain rule).")
    if np.allclose(values, gn * (1 - sigmoid)):
        return report(False, success, "That is grad · sigmoid(-x) = grad / (1 + eˣ). The "
                      "derivative of log(1 + eˣ) is eˣ / (1 + eˣ) = sigmoid(x) (the chain rule "
                      "brings the eˣ of the inner function).")
    if not np.allclose(values, gn * sigmoid):
        return report(False, success, "backward is not grad * sigmoid(x): the derivative of "
                      "log(1 + eˣ) is eˣ / (1 + eˣ).")
    if not autograd.gradcheck(softplus.apply, [x], raise_exception=False):
        return report(False, success, "gradcheck disagrees with your backward.")
    return report(True, success, "")

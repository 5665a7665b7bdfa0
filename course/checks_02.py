"""Instant checks for the exercises of chapter 02 (autograd).

Each ``check_<exercise>(answer...)`` prints ✅ or ❌ with a hint aimed at the usual mistake, and
returns True or False. They run offline, in a fraction of a second.
"""

from __future__ import annotations

from typing import Any

from checks import close, numbers, report

import tinygrad_edu as torch

# ------------------------------------------------------------------------------ exercise 1


def check_abc_grads(grads: Any) -> bool:
    """Exercise 1: ``autograd.grad(y, [a, b, c])`` for ``y = a**3 * x + b * x**2 + c`` at
    ``a = 2, b = -1, c = 5, x = 3``: expected ``(36, 9, 1)``."""
    expected = (36.0, 9.0, 1.0)
    success = "Right: dy/da = 3a²x = 36, dy/db = x² = 9, dy/dc = 1."
    if isinstance(grads, torch.Tensor) and grads.numel() == 1:
        if close(grads, 20.0):
            return report(False, success, "20 is y itself (8·3 − 9 + 5). Pass the tuple that "
                          "autograd.grad(y, [a, b, c]) returns, not y.")
        return report(False, success, "Pass all three gradients: the whole tuple that "
                      "autograd.grad(y, [a, b, c]) returns, not one tensor.")
    if not isinstance(grads, (tuple, list)) or len(grads) != 3:
        return report(False, success, "Pass a tuple of three gradients (dy/da, dy/db, dy/dc): "
                      "grads = autograd.grad(y, [a, b, c]).")
    if any(g is None for g in grads):
        return report(False, success, "Some gradients are None: .grad stays None after "
                      "autograd.grad (it returns the gradients instead of storing them). "
                      "Pass what autograd.grad returns.")
    if all(close(g, e) for g, e in zip(grads, expected)):
        return report(True, success, "")
    if sorted(float(numbers(g).reshape(-1)[0]) for g in grads) == sorted(expected):
        return report(False, success, "Right numbers, wrong order: the gradients come back in "
                      "the order of the inputs list [a, b, c].")
    if close(grads[0], 12.0):
        return report(False, success, "dy/da = 12 is 2·a·x, the derivative of a²x. Here the "
                      "term is a³·x, so dy/da = 3a²x. Did you build y with a**2?")
    if close(grads[1], 6.0) or close(grads[1], 3.0):
        return report(False, success, "dy/db should be x² = 9: check that y uses b * x**2.")
    return report(False, success, "Not the expected (36, 9, 1). Build x = torch.tensor(3.), "
                  "a, b, c with requires_grad=True, y = a**3 * x + b * x**2 + c, then "
                  "grads = autograd.grad(y, [a, b, c]).")


# ------------------------------------------------------------------------------ exercise 2


def check_vjp(x_grad: Any) -> bool:
    """Exercise 2: ``y = x**2`` at ``x = [1, 2, 3]``, ``y.backward(w)`` with
    ``w = [1, 0.1, 0.01]``: expected ``x.grad = [2, 0.4, 0.06]``."""
    success = "Right: x.grad = w · dy/dx = w · 2x = [2, 0.4, 0.06], the gradient of sum(y * w)."
    got = numbers(x_grad)
    if x_grad is None:
        return report(False, success, "x.grad is None: did you call y.backward(w) before "
                      "reading x.grad, and does x have requires_grad=True?")
    if got is None or got.size != 3:
        return report(False, success, "Pass x.grad, a tensor of 3 numbers (the shape of x).")
    if close(got, [2.0, 0.4, 0.06]):
        return report(True, success, "")
    if close(got, [2.0, 4.0, 6.0]):
        return report(False, success, "That is 2x, what y.backward(torch.ones(3)) gives (the "
                      "gradient of sum(y)). Pass w = torch.tensor([1., 0.1, 0.01]) to backward.")
    if close(got, [1.0, 0.1, 0.01]):
        return report(False, success, "That is w itself. backward(w) multiplies w by dy/dx = "
                      "2x, element by element.")
    if close(got, [4.0, 0.8, 0.12]) or close(got, [6.0, 1.2, 0.18]):
        return report(False, success, "Twice (or three times) the answer: gradients "
                      "accumulate. Create x afresh (or x.grad.zero_()) and call backward once.")
    if close(got, [1.0, 0.4, 0.09]):
        return report(False, success, "That is w · x², i.e. w · y. backward(w) multiplies w "
                      "by the derivative dy/dx = 2x, not by y.")
    return report(False, success, "Expected [2, 0.4, 0.06]: x = torch.tensor([1., 2., 3.], "
                  "requires_grad=True); y = x**2; y.backward(torch.tensor([1., 0.1, 0.01])).")


# ------------------------------------------------------------------------------ exercise 3


def check_accumulation(recorded: Any) -> bool:
    """Exercise 3: ``w = 1``; for x in 1, 2, 3: ``loss = (w * x)**2``, backward, record
    ``w.grad``, each the gradient of its own loss: expected ``[2, 8, 18]``."""
    success = ("Right: with w.grad zeroed before each backward, each number is 2·w·x² for "
               "its own loss: [2, 8, 18].")
    got = numbers(recorded)
    if got is None or got.size != 3:
        return report(False, success, "Pass a list of the three numbers you recorded, e.g. "
                      "recorded.append(w.grad.item()) after each backward.")
    if close(got, [2.0, 8.0, 18.0]):
        return report(True, success, "")
    if close(got, [2.0, 10.0, 28.0]):
        return report(False, success, "[2, 10, 28] are running totals: .grad accumulates "
                      "across backward calls. Call w.grad.zero_() (when w.grad is not None) "
                      "before each backward.")
    if close(got, [28.0, 28.0, 28.0]) or close(got, [18.0, 18.0, 18.0]):
        return report(False, success, "All three numbers are equal: you appended the tensor "
                      "w.grad itself, which zero_() and backward change in place later. "
                      "Append a number: w.grad.item() (or a copy: w.grad.clone()).")
    if close(got, [0.0, 0.0, 0.0]):
        return report(False, success, "All zeros: zero the gradient BEFORE backward, then "
                      "record it after backward.")
    if close(got, [1.0, 4.0, 9.0]):
        return report(False, success, "Those are the losses (w·x)², not their gradients "
                      "d loss / dw = 2·w·x².")
    return report(False, success, "Expected [2, 8, 18]: loss = (w * x)**2 has "
                  "d loss/dw = 2·w·x² at w = 1.")


# ------------------------------------------------------------------------------ exercise 4


def check_second_derivative(first: Any, second: Any) -> bool:
    """Exercise 4: ``f(x) = x**4`` at ``x = 2``: ``f'(2) = 32`` and ``f''(2) = 48``."""
    success = "Right: f'(x) = 4x³ = 32 and f''(x) = 12x² = 48 at x = 2."
    if first is None or second is None:
        return report(False, success, "Pass both derivatives. A None usually means .grad was "
                      "read instead of what autograd.grad returned.")
    if not close(first, 32.0):
        if close(first, 16.0):
            return report(False, success, "16 is f(2) = 2⁴, not the derivative f'(2) = 4·2³.")
        return report(False, success, "The first derivative of x⁴ at 2 is 4·2³ = 32: "
                      "d1, = autograd.grad(f, x, create_graph=True).")
    if close(second, 48.0):
        return report(True, success, "")
    if close(second, 32.0):
        return report(False, success, "The second value equals the first: differentiate d1 "
                      "(the first derivative), not f, a second time: d2, = autograd.grad(d1, x).")
    if close(second, 0.0):
        return report(False, success, "0: the first derivative was computed without "
                      "create_graph=True, so it is a constant. Pass create_graph=True to the "
                      "first autograd.grad.")
    if close(second, 80.0):
        return report(False, success, "80 = 32 + 48: the gradients were accumulated into "
                      "x.grad. Use autograd.grad (which returns) for both derivatives.")
    return report(False, success, "f''(x) = 12x², so 48 at x = 2.")

"""The exercise checkers of chapters 02 and 03: the reference solution passes, and the typical
wrong answers fail with the hint written for them."""

from __future__ import annotations

import math
from typing import Any

import checks_02
import checks_03
import pytest
from course_checks_helpers import outcome

import tinygrad_edu as torch
from tinygrad_edu import autograd

# ------------------------------------------------------------------------------ chapter 02


def abc_grads(power: int = 3) -> tuple[Any, ...]:
    x = torch.tensor(3.)
    a = torch.tensor(2., requires_grad=True)
    b = torch.tensor(-1., requires_grad=True)
    c = torch.tensor(5., requires_grad=True)
    y = a**power * x + b * x**2 + c
    return autograd.grad(y, [a, b, c])


def test_abc_grads_solution(capsys: pytest.CaptureFixture[str]) -> None:
    assert checks_02.check_abc_grads(abc_grads())
    outcome(capsys, True, one_line=False)


@pytest.mark.parametrize(("answer", "hint"), [
    (None, "tuple of three"),
    (torch.tensor(20.), "y itself"),
    ((None, None, None), ".grad stays None"),
    ((torch.tensor(9.), torch.tensor(36.), torch.tensor(1.)), "wrong order"),
    ("squared", "a³·x"),
])
def test_abc_grads_wrong(capsys: pytest.CaptureFixture[str], answer: Any, hint: str) -> None:
    if isinstance(answer, str):
        answer = abc_grads(power=2)
    assert not checks_02.check_abc_grads(answer)
    assert hint in outcome(capsys, False, one_line=False)


def test_vjp_solution(capsys: pytest.CaptureFixture[str]) -> None:
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    (x**2).backward(torch.tensor([1., 0.1, 0.01]))
    assert checks_02.check_vjp(x.grad)
    outcome(capsys, True, one_line=False)


@pytest.mark.parametrize(("answer", "hint"), [
    (None, "is None"),
    (torch.tensor([2., 4., 6.]), "ones(3)"),
    (torch.tensor([1., 0.1, 0.01]), "w itself"),
    (torch.tensor([4., 0.8, 0.12]), "accumulate"),
    (torch.tensor([1., 0.4, 0.09]), "not by y"),
    (torch.tensor([1., 2.]), "3 numbers"),
])
def test_vjp_wrong(capsys: pytest.CaptureFixture[str], answer: Any, hint: str) -> None:
    assert not checks_02.check_vjp(answer)
    assert hint in outcome(capsys, False, one_line=False)


def record(zero: bool, as_item: bool) -> list[Any]:
    w = torch.tensor(1., requires_grad=True)
    recorded: list[Any] = []
    for x in [1., 2., 3.]:
        if zero and w.grad is not None:
            w.grad.zero_()
        ((w * x) ** 2).backward()
        recorded.append(w.grad.item() if as_item else w.grad)
    return recorded


def test_accumulation_solution(capsys: pytest.CaptureFixture[str]) -> None:
    assert checks_02.check_accumulation(record(zero=True, as_item=True))
    outcome(capsys, True, one_line=False)


@pytest.mark.parametrize(("answer", "hint"), [
    ("no zero", "running totals"),
    ("tensors", "w.grad.item()"),
    ([], "list of the three"),
    ([1., 4., 9.], "losses"),
    ([0., 0., 0.], "BEFORE"),
])
def test_accumulation_wrong(capsys: pytest.CaptureFixture[str], answer: Any, hint: str) -> None:
    if answer == "no zero":
        answer = record(zero=False, as_item=True)
    elif answer == "tensors":
        answer = record(zero=True, as_item=False)
    assert not checks_02.check_accumulation(answer)
    assert hint in outcome(capsys, False, one_line=False)


def test_second_derivative_solution(capsys: pytest.CaptureFixture[str]) -> None:
    x = torch.tensor(2., requires_grad=True)
    (d1,) = autograd.grad(x**4, x, create_graph=True)
    (d2,) = autograd.grad(d1, x)
    assert checks_02.check_second_derivative(d1, d2)
    outcome(capsys, True, one_line=False)


@pytest.mark.parametrize(("first", "second", "hint"), [
    (None, None, "Pass both"),
    (16., 48., "f(2)"),
    (32., 32., "differentiate d1"),
    (32., 80., "accumulated"),
    (32., 24., "12x²"),
])
def test_second_derivative_wrong(capsys: pytest.CaptureFixture[str], first: Any, second: Any,
                                 hint: str) -> None:
    assert not checks_02.check_second_derivative(first, second)
    assert hint in outcome(capsys, False, one_line=False)


# ------------------------------------------------------------------------------ chapter 03


def test_chain_rule_solution(capsys: pytest.CaptureFixture[str]) -> None:
    assert checks_03.check_chain_rule(math.cos(1.5) * 3)
    outcome(capsys, True, one_line=False)
    a = torch.tensor(0.5, requires_grad=True)
    (a * 2 + a).sin().backward()
    assert checks_03.check_chain_rule(a.grad)  # autograd agrees (float32)
    outcome(capsys, True, one_line=False)


@pytest.mark.parametrize(("answer", "hint"), [
    (None, "is None"),
    (math.cos(1.5) * 2, "both paths add"),
    (math.cos(1.5), "dd/da"),
    (-math.sin(1.5) * 3, "not ±sin"),
    (math.cos(math.radians(1.5)) * 3, "radians"),
    ([1.0, 2.0], "one number"),
])
def test_chain_rule_wrong(capsys: pytest.CaptureFixture[str], answer: Any, hint: str) -> None:
    assert not checks_03.check_chain_rule(answer)
    assert hint in outcome(capsys, False, one_line=False)


def test_broadcast_grad_solution(capsys: pytest.CaptureFixture[str]) -> None:
    g = torch.arange(12.).reshape(4, 3)
    assert checks_03.check_broadcast_grad(g.sum(0))
    outcome(capsys, True, one_line=False)
    assert checks_03.check_broadcast_grad(g.sum_to_size(3))
    outcome(capsys, True, one_line=False)


@pytest.mark.parametrize(("answer", "hint"), [
    (None, "is None"),
    ("g", "shape (3,), not (4, 3)"),
    ("mean", "not mean"),
    ("sum1", "dim 1"),
    ("keepdim", "without keepdim"),
    ("all", "summed everything"),
])
def test_broadcast_grad_wrong(capsys: pytest.CaptureFixture[str], answer: Any,
                              hint: str) -> None:
    g = torch.arange(12.).reshape(4, 3)
    answers = {"g": g, "mean": g.mean(0), "sum1": g.sum(1),
               "keepdim": g.sum(0, keepdim=True), "all": g.sum()}
    assert not checks_03.check_broadcast_grad(answers.get(answer) if answer else None)
    assert hint in outcome(capsys, False, one_line=False)


def numerical_grad(f: Any, x: Any, eps: float = 1e-6, *, kind: str = "central") -> Any:
    flat = x.view(-1)
    grad = torch.zeros(flat.shape, dtype=x.dtype)
    for i in range(flat.numel()):
        original = flat[i].item()
        flat[i] = original + eps
        plus = f(x).item()
        flat[i] = original - eps if kind != "forward" else original
        minus = f(x).item()
        if kind != "leave changed":
            flat[i] = original
        divisor = {"central": 2 * eps, "forward": eps, "eps": eps}.get(kind, 2 * eps)
        grad[i] = (plus - minus) / divisor
    return grad.view(x.shape) if kind != "flat" else grad.view(-1, 1)


def test_numerical_grad_solution(capsys: pytest.CaptureFixture[str]) -> None:
    assert checks_03.check_numerical_grad(numerical_grad)
    outcome(capsys, True, one_line=False)


@pytest.mark.parametrize(("kind", "hint"), [
    ("forward", "one-sided"),
    ("eps", "divide by 2 * eps"),
    ("leave changed", "put each element back"),
    ("flat", "x's shape"),
    ("none", "returned None"),
    ("raises", "raised ZeroDivisionError"),
])
def test_numerical_grad_wrong(capsys: pytest.CaptureFixture[str], kind: str, hint: str) -> None:
    def student(f: Any, x: Any, eps: float) -> Any:
        if kind == "none":
            return None
        if kind == "raises":
            return 1 / 0
        return numerical_grad(f, x, eps, kind=kind)

    assert not checks_03.check_numerical_grad(student)
    assert hint in outcome(capsys, False, one_line=False)


def softplus_class(forward: Any = None, backward: Any = None, save: bool = True) -> type:
    def default_forward(ctx: Any, x: Any) -> Any:
        if save:
            ctx.save_for_backward(x)
        return (1 + x.exp()).log()

    def default_backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * x.sigmoid()

    return type("Softplus", (autograd.Function,), {
        "forward": staticmethod(forward or default_forward),
        "backward": staticmethod(backward or default_backward)})


def test_softplus_solution(capsys: pytest.CaptureFixture[str]) -> None:
    assert checks_03.check_softplus(softplus_class())
    outcome(capsys, True, one_line=False)


def _saved_x(ctx: Any) -> Any:
    (x,) = ctx.saved_tensors
    return x


@pytest.mark.parametrize(("answer", "hint"), [
    ("instance", "class itself"),
    ("skeleton", "must return a Tensor"),
    ("forward", "forward is wrong"),
    ("no grad", "forgets the incoming"),
    ("sigmoid(-x)", "sigmoid(-x)"),
    ("not saved", "save_for_backward"),
])
def test_softplus_wrong(capsys: pytest.CaptureFixture[str], answer: str, hint: str) -> None:
    classes = {
        "skeleton": softplus_class(forward=lambda ctx, x: None),
        "forward": softplus_class(forward=lambda ctx, x: x.exp().log()),
        "no grad": softplus_class(backward=lambda ctx, grad: _saved_x(ctx).sigmoid()),
        "sigmoid(-x)": softplus_class(  # 1 / (1 + eˣ): the usual sign slip
            backward=lambda ctx, grad: grad / (1 + _saved_x(ctx).exp())),
        "not saved": softplus_class(save=False),
    }
    value: Any = classes.get(answer)
    if answer == "instance":
        value = softplus_class()()
    assert not checks_03.check_softplus(value)
    assert hint in outcome(capsys, False, one_line=False)

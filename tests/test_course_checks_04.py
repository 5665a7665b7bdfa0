"""The exercise checkers of chapter 04: the reference solution passes, and the typical wrong
answers fail with the hint written for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import checks_04
import pytest
from course_checks_helpers import outcome

import tinygrad_edu as torch
import tinygrad_edu.nn.functional as F
from tinygrad_edu import nn

# ------------------------------------------------------------------------------ exercise 1


@pytest.mark.parametrize("answer", [256, 16 * 4 * 4, torch.tensor(256)])
def test_flat_features_solution(capsys: pytest.CaptureFixture[str], answer: Any) -> None:
    assert checks_04.check_flat_features(answer)
    outcome(capsys, True)


def test_flat_features_matches_the_network() -> None:
    """The expected number is what LeNet's layers really give for a 28 x 28 input."""
    conv1, conv2 = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 16, 5)
    x = torch.zeros(1, 1, 28, 28)
    x = F.max_pool2d(F.relu(conv2(F.max_pool2d(F.relu(conv1(x)), 2))), 2)
    assert x[0].numel() == checks_04.FLAT_28


@pytest.mark.parametrize(("answer", "hint"), [
    (None, "one whole number"),
    ("256", "one whole number"),
    (400, "32 × 32"),
    (16 * 5 * 5, "32 × 32"),
    (28 * 28, "shrinks each side by 4"),
    (16 * 7 * 7, "shrinks each side by 4"),
    (16, "channels × height × width"),
    (6 * 4 * 4, "16 channels, not 6"),
    (16 * 8 * 8, "second max-pool"),
    (16 * 12 * 12, "left out conv2"),
    (16 * 6 * 6, "takes 4 off"),
    (16 * 24 * 24, "both max-pools"),
    (300, "Follow one side length"),
])
def test_flat_features_wrong(capsys: pytest.CaptureFixture[str], answer: Any, hint: str) -> None:
    assert not checks_04.check_flat_features(answer)
    assert hint in outcome(capsys, False)


# ------------------------------------------------------------------------------ exercise 2


def test_mlp_solution(capsys: pytest.CaptureFixture[str]) -> None:
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    assert checks_04.check_mlp(model)
    assert "2410" in outcome(capsys, True)


def test_mlp_accepts_another_activation(capsys: pytest.CaptureFixture[str]) -> None:
    assert checks_04.check_mlp(nn.Sequential(nn.Linear(64, 32), nn.Tanh(), nn.Linear(32, 10)))
    outcome(capsys, True)


@pytest.mark.parametrize(("make", "hint"), [
    (lambda: None, "is None"),
    (lambda: [nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)], "nn.Sequential(*layers)"),
    (lambda: "Linear", "not a module"),
    (lambda: nn.Linear(64, 10), "chain the layers"),
    (lambda: nn.Sequential(nn.Linear(64, 10)), "Found 1 nn.Linear"),
    (lambda: nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(10, 32)),
     "(in_features, out_features)"),
    (lambda: nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 16)), "(32, 16)"),
    (lambda: nn.Sequential(nn.Linear(64, 32), nn.Linear(32, 10)), "no activation"),
    (lambda: nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10), nn.ReLU()),
     "last layer is an activation"),
    (lambda: nn.Sequential(nn.Linear(64, 32, bias=False), nn.ReLU(),
                           nn.Linear(32, 10, bias=False)), "biases are missing"),
])
def test_mlp_wrong(capsys: pytest.CaptureFixture[str], make: Callable[[], Any],
                   hint: str) -> None:
    assert not checks_04.check_mlp(make())
    assert hint in outcome(capsys, False)


# ------------------------------------------------------------------------------ exercise 3


def solution(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def model_zero_grad(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    model.zero_grad()  # the same as optimizer.zero_grad() here
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def returns_tensor(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> Any:
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss  # a one-element tensor is accepted too


@pytest.mark.parametrize("step", [solution, model_zero_grad, returns_tensor])
def test_train_step_solution(capsys: pytest.CaptureFixture[str], step: Any) -> None:
    assert checks_04.check_train_step(step)
    outcome(capsys, True)


def test_train_step_leaves_the_global_generator_alone() -> None:
    torch.manual_seed(3)
    expected = torch.rand(3)
    torch.manual_seed(3)
    checks_04.check_train_step(solution)
    assert torch.equal(torch.rand(3), expected)


def no_zero_grad(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def zero_grad_at_end(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()


def no_backward(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    optimizer.step()
    return loss.item()


def no_backward_no_zero_grad(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    loss = loss_fn(model(x), y)
    optimizer.step()
    return loss.item()


def no_step(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    return loss.item()


def placeholder(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> None:
    return None  # the notebook's starting cell


def step_before_backward(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    optimizer.step()
    loss.backward()
    return loss.item()


def step_before_backward_no_zero(model: Any, optimizer: Any, loss_fn: Any, x: Any,
                                 y: Any) -> float:
    loss = loss_fn(model(x), y)
    optimizer.step()
    loss.backward()
    return loss.item()


def no_return(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> None:
    solution(model, optimizer, loss_fn, x, y)


def returns_wrong_number(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    solution(model, optimizer, loss_fn, x, y)
    return loss_fn(model(x), y).item()  # the loss AFTER the step


def other_loss(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    optimizer.zero_grad()
    loss = F.nll_loss(model(x), y)  # not the loss_fn it was given
    loss.backward()
    optimizer.step()
    return loss.item()


def two_steps(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    solution(model, optimizer, loss_fn, x, y)
    return solution(model, optimizer, loss_fn, x, y)


def four_arguments(model: Any, optimizer: Any, x: Any, y: Any) -> float:
    return 0.0


def raises(model: Any, optimizer: Any, loss_fn: Any, x: Any, y: Any) -> float:
    raise ValueError("oops")


@pytest.mark.parametrize(("step", "hint"), [
    (no_zero_grad, "zero_grad() at the START"),
    (zero_grad_at_end, "zero_grad() at the START"),
    (no_backward, "no gradients: call loss.backward()"),
    (placeholder, "still holds the old leftovers"),
    (no_backward_no_zero_grad, "only the old leftover gradients"),
    (no_step, "call optimizer.step() after loss.backward()"),
    (step_before_backward, "call optimizer.step() after loss.backward()"),
    (step_before_backward_no_zero, "The order is zero_grad, forward, loss, backward, step"),
    (no_return, "return loss.item()"),
    (returns_wrong_number, "Return loss.item() of the loss you called backward on"),
    (other_loss, "loss_fn you were given"),
    (two_steps, "not by one SGD step"),
    (four_arguments, "Keep the five arguments"),
    (raises, "ValueError: oops"),
    (1.0986, "Pass the function itself"),  # check_train_step(train_step(...))
])
def test_train_step_wrong(capsys: pytest.CaptureFixture[str], step: Any, hint: str) -> None:
    assert not checks_04.check_train_step(step)
    assert hint in outcome(capsys, False)


# ------------------------------------------------------------------------------ exercise 4


def test_accuracy_solution(capsys: pytest.CaptureFixture[str]) -> None:
    def accuracy(logits: Any, labels: Any) -> float:
        return (logits.argmax(dim=1) == labels).float().mean().item()

    assert checks_04.check_accuracy(accuracy)
    outcome(capsys, True)


@pytest.mark.parametrize(("accuracy", "hint"), [
    (None, "Pass the function itself"),
    (lambda logits, labels: None, "forget `return`"),
    (lambda logits, labels: (logits.argmax(dim=0) == labels).float().mean().item(),
     "argmax(dim=1)"),
    (lambda logits, labels: (logits.argmax(dim=1) == labels).float().mean(),
     "Python float with .item()"),
    (lambda logits, labels: (logits.argmax(dim=1) == labels).sum().item(), "NUMBER of correct"),
    (lambda logits, labels: (logits.argmax(dim=1) == labels).sum(), "NUMBER of correct"),
    (lambda logits, labels: 100 * (logits.argmax(dim=1) == labels).float().mean().item(),
     "percentage"),
    (lambda logits, labels: (logits.argmax(dim=1) != labels).float().mean().item(),
     "error rate"),
    (lambda logits, labels: logits.argmax(dim=1) == labels, "average"),
    (lambda logits, labels: logits.max(dim=1) == labels, "(values, indices)"),
    (lambda logits, labels: logits.max(dim=1), "(values, indices)"),
    (lambda logits, labels: "high", "Python float"),
    (lambda logits, labels: (logits.argmax(dim=1) == labels).float()[0].item(),
     "expected 0.6"),
])
def test_accuracy_wrong(capsys: pytest.CaptureFixture[str], accuracy: Any, hint: str) -> None:
    assert not checks_04.check_accuracy(accuracy)
    assert hint in outcome(capsys, False)

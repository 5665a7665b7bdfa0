"""Seed 001's network code (../shared/seeds/001_*.txt), run on tinygrad_edu and on PyTorch.

The post builds the LeNet of PyTorch's "Neural Networks" tutorial, prints it, runs a random
image through it, backpropagates, computes an MSE loss against ``torch.range(1, 10)``,
prints ``conv1.bias.grad`` before and after ``loss.backward()``, updates the weights by hand
(``f.data.sub_(f.grad.data * learning_rate)``) and then with ``optim.SGD``; its training loop
repeats that ten times on fresh random inputs.

The code below is the post's, written once as a function of the library (``lib``), so the
very same lines run after ``import tinygrad_edu as torch`` and after ``import torch``. Both
networks get the SAME weights (PyTorch's initial ``state_dict``, copied into ours through
NumPy) and the same inputs (``torch.randn`` drawn once, outside), so the printed transcripts
must be identical once PyTorch's module name is swapped for ours in dtype and Size reprs, and
the numbers (output, loss, ``conv1.bias.grad``, the weights after each update) must agree to
float32 precision. ``torch.range`` is deprecated: the post's target is written as today's
``arange(1, 11.)``, a (10,) target against a (1, 10) output, which warns about broadcasting.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import torch
from test_seeds import normalise

import tinygrad_edu

RTOL, ATOL = 1e-5, 1e-5  # float32 throughout, as in the post

Say = Callable[..., None]


def define_net(lib: ModuleType) -> type:
    """The post's ``class Net(nn.Module)``, word for word (comments translated)."""
    nn = lib.nn
    F = lib.nn.functional

    class Net(nn.Module):
        def __init__(self) -> None:
            super(Net, self).__init__()  # noqa: UP008 (the post's spelling)
            # 1 input image channel, 6 output channels, 5x5 square convolution kernel
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            # an affine operation: y = Wx + b
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x: Any) -> Any:
            # Max pooling over a (2, 2) window
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            # If the size is a square you can only specify a single number
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.view(-1, self.num_flat_features(x))
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

        def num_flat_features(self, x: Any) -> int:
            size = x.size()[1:]  # all dimensions except the batch dimension
            num_features = 1
            for s in size:
                num_features *= s
            return num_features

    return Net


# PyTorch's initial weights and the post's random inputs, drawn once for both libraries
torch.manual_seed(1)
WEIGHTS = {k: v.numpy().copy() for k, v in define_net(torch)().state_dict().items()}
INPUT = torch.randn(1, 1, 32, 32).numpy()
UPSTREAM = torch.randn(1, 10).numpy()
LOOP_INPUTS = [torch.randn(1, 1, 32, 32).numpy() for _ in range(10)]


def run_post(lib: ModuleType, say: Say) -> dict[str, Any]:
    """The post's code on ``lib``; returns the numbers the test compares."""
    nn, optim = lib.nn, lib.optim
    values: dict[str, Any] = {}

    def randn(array: np.ndarray) -> Any:  # stands in for torch.randn: the same numbers
        return lib.tensor(array)

    net = define_net(lib)()
    net.load_state_dict({k: lib.tensor(v) for k, v in WEIGHTS.items()})
    say(net)

    params = list(net.parameters())
    say(len(params))
    say(params[0].size())  # conv1's .weight

    input = randn(INPUT)  # noqa: A001 (the post's name)
    out = net(input)
    say(out)
    values["out"] = out

    net.zero_grad()
    out.backward(randn(UPSTREAM))
    values["conv1.weight.grad (random upstream)"] = net.conv1.weight.grad

    # Loss function
    output = net(input)
    target = lib.arange(1, 11.0)  # a dummy target: torch.range(1, 10) in the post
    criterion = nn.MSELoss()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss = criterion(output, target)
    say([str(w.message) for w in caught])
    say(loss)
    values["loss"] = loss
    say(loss.grad_fn.name())

    # Backprop
    net.zero_grad()  # zeroes the gradient buffers of all parameters
    say("conv1.bias.grad before backward")
    say(net.conv1.bias.grad)
    loss.backward()
    say("conv1.bias.grad after backward")
    say(net.conv1.bias.grad)
    values["conv1.bias.grad"] = net.conv1.bias.grad
    values["fc3.weight.grad"] = net.fc3.weight.grad

    # Update the weights: weight = weight - learning_rate * gradient
    learning_rate = 0.01
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)
    values["after manual update"] = [p.detach().clone() for p in net.parameters()]
    say(net.conv1.bias)

    # create your optimizer
    optimizer = optim.SGD(net.parameters(), lr=0.01)
    # in your training loop:
    optimizer.zero_grad()  # zero the gradient buffers
    output = net(input)
    loss = criterion(output, target.view(1, 10))
    loss.backward()
    optimizer.step()  # Does the update
    say(loss)
    values["loss before SGD step"] = loss
    values["after SGD step"] = [p.detach().clone() for p in net.parameters()]
    say(net.fc3.bias)

    # the post's loop: ten iterations on fresh random inputs, a new criterion each time
    Variable = lib.autograd.Variable
    losses = []
    for i in range(10):
        input = Variable(randn(LOOP_INPUTS[i]))  # noqa: A001
        optimizer.zero_grad()
        output = net(input)
        criterion = nn.MSELoss()
        target = Variable(lib.arange(1, 11.0).view(1, 10))
        loss = criterion(output, target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    say([round(v, 3) for v in losses])
    values["loop losses"] = np.array(losses, dtype=np.float32)
    values["after loop"] = [p.detach().clone() for p in net.parameters()]
    return values


def transcript_and_values(lib: ModuleType) -> tuple[str, dict[str, Any]]:
    lines: list[str] = []

    def say(*items: Any) -> None:
        lines.append(" ".join(str(v) for v in items))

    values = run_post(lib, say)
    return normalise("\n".join(lines)), values


def as_numpy(value: Any) -> Any:
    if isinstance(value, list):
        return [as_numpy(v) for v in value]
    if isinstance(value, torch.Tensor | tinygrad_edu.Tensor):
        return value.detach().numpy()
    return np.asarray(value)


@pytest.fixture(scope="module")
def both() -> tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    return transcript_and_values(tinygrad_edu), transcript_and_values(torch)


_NUMBER = re.compile(r"-?\d+\.\d*(?:e[+-]\d+)?")


def assert_same_text(ours: str, theirs: str) -> None:
    """Equal text, except that a printed number may differ by one unit in its last printed
    digit: the two libraries sum in different orders, so a float32 value can round to the
    other side of a 4-decimal boundary."""
    assert _NUMBER.split(ours) == _NUMBER.split(theirs), (ours, theirs)
    for a, b in zip(_NUMBER.findall(ours), _NUMBER.findall(theirs), strict=True):
        mantissa = a.split("e")[0]
        decimals = len(mantissa.split(".")[1])
        unit = 10.0 ** -decimals * (10.0 ** int(a.split("e")[1]) if "e" in a else 1.0)
        assert abs(float(a) - float(b)) <= unit * 1.0001, (a, b)


def test_same_transcript(both: Any) -> None:
    (ours, _), (theirs, _) = both
    assert_same_text(ours, theirs)


def test_transcript_shows_the_post(both: Any) -> None:
    (ours, _), _ = both
    lines = ours.splitlines()
    assert lines[:7] == [
        "Net(",
        "  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))",
        "  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))",
        "  (fc1): Linear(in_features=400, out_features=120, bias=True)",
        "  (fc2): Linear(in_features=120, out_features=84, bias=True)",
        "  (fc3): Linear(in_features=84, out_features=10, bias=True)",
        ")",
    ]
    assert lines[7:9] == ["10", "tinygrad_edu.Size([6, 1, 5, 5])"]
    assert "grad_fn=<AddmmBackward0>" in lines[10]
    assert "Using a target size (tinygrad_edu.Size([10])) that is different to the input " \
           "size (tinygrad_edu.Size([1, 10]))" in ours
    assert "MseLossBackward0" in lines
    before = lines.index("conv1.bias.grad before backward")
    assert lines[before + 1] == "None"  # zero_grad sets gradients to None today
    assert lines[before + 3].startswith("tensor([")


@pytest.mark.parametrize("key", ["out", "conv1.weight.grad (random upstream)", "loss",
                                 "conv1.bias.grad", "fc3.weight.grad", "after manual update",
                                 "loss before SGD step", "after SGD step", "loop losses",
                                 "after loop"])
def test_same_numbers(both: Any, key: str) -> None:
    (_, ours), (_, theirs) = both
    got, expected = as_numpy(ours[key]), as_numpy(theirs[key])
    if isinstance(expected, list):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert g.shape == e.shape and g.dtype == e.dtype == np.float32
            np.testing.assert_allclose(g, e, rtol=RTOL, atol=ATOL)
    else:
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)


def test_updates_changed_the_weights(both: Any) -> None:
    (_, ours), _ = both
    first = [WEIGHTS[k] for k in WEIGHTS]
    for stage in ("after manual update", "after SGD step", "after loop"):
        changed = [not np.array_equal(a, b) for a, b in zip(first, as_numpy(ours[stage]))]
        assert all(changed), stage

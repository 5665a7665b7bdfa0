"""The seed posts' tensor and autograd code, run on tinygrad_edu and on PyTorch.

Each block below is the code of a seed post (../shared/seeds/), written once as a function of
the library (``lib``), so the very same lines run after ``import tinygrad_edu as torch`` and
after ``import torch``. The blocks ``say(...)`` what the post prints; the two transcripts must
be identical once PyTorch's module name is swapped for ours in dtype and Size reprs (a
deliberate difference) and object addresses are blanked. Where a post draws random numbers,
the block is fed fixed values instead, so both libraries see the same inputs.
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

import tinygrad_edu

Say = Callable[..., None]
Block = Callable[[ModuleType, Say], None]

# what the seeds draw with rand / randn, fixed so both libraries see the same numbers
RNG = np.random.default_rng(2024)
RAND_3x5 = RNG.random((3, 5)).round(4).tolist()
RANDN_5x3 = [RNG.standard_normal((5, 3)).round(4).tolist() for _ in range(3)]

ONLY_WITHOUT_GPU = pytest.mark.skipif(
    tinygrad_edu.cuda.is_available(),
    reason="compares with PyTorch's CPU build, which has no GPU; a GPU is usable here")


_TORCH_NAMES = re.compile(
    r"torch\.(Size|bool|uint8|int8|int16|int32|int64|float16|float32|float64)\b")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_WRAPPED_SUFFIX = re.compile(r",\n *(?=(dtype|grad_fn|requires_grad|size)=)")


def normalise(text: str) -> str:
    """PyTorch's text with our names for dtypes and Size, and no object addresses.

    Our dtype name is 7 characters longer than PyTorch's, so where a ``dtype=`` suffix is
    printed, the 80-column rule may wrap the suffixes at another place: for those texts the
    suffixes are compared unwrapped (tensors without a dtype suffix are compared as printed).
    """
    text = _ADDRESS.sub(" at 0x?", _TORCH_NAMES.sub(r"tinygrad_edu.\1", text))
    if "dtype=" in text:
        text = _WRAPPED_SUFFIX.sub(", ", text)
    return text


def transcript(block: Block, lib: ModuleType) -> str:
    """What ``block`` prints when run on ``lib`` (print uses str, as the seeds do)."""
    lines: list[str] = []

    def say(*values: Any) -> None:
        lines.append(" ".join(str(v) for v in values))

    block(lib, say)
    return normalise("\n".join(lines))


def assert_same_output(block: Block) -> str:
    """Run ``block`` on both libraries; the transcripts must be equal. Returns ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.range's deprecation is checked separately
        expected = transcript(block, torch)
        ours = transcript(block, tinygrad_edu)
    assert ours == expected
    return ours


# ------------------------------------------------------------------------------- seed 000


def seed000_first_autograd_program(lib: ModuleType, say: Say) -> None:
    """y = a^2 x + b x + c with the old ``Variable`` wrapper and ``autograd.grad``."""
    autograd = lib.autograd
    Variable = lib.autograd.Variable
    x = lib.Tensor([1.0])
    a = lib.Tensor([1.0])
    a = Variable(a, requires_grad=True)
    b = lib.Tensor([2.0])
    b = Variable(b, requires_grad=True)
    c = lib.Tensor([3.0])
    c = Variable(c, requires_grad=True)

    y = a**2 * x + b * x + c

    say("before:", a.grad, b.grad, c.grad)
    grads = autograd.grad(y, [a, b, c])
    say("after:", grads[0], grads[1], grads[2])
    say(repr(grads))
    say(y)
    say(a, a.requires_grad, a.is_leaf, y.is_leaf)
    say("unchanged:", a.grad, b.grad, c.grad)


def test_seed000_autograd_grad() -> None:
    out = assert_same_output(seed000_first_autograd_program)
    assert "after: tensor([2.]) tensor([1.]) tensor([1.])" in out
    assert "before: None None None" in out


# ------------------------------------------------------------------------------- seed 001


def seed001_tensor_basics(lib: ModuleType, say: Say) -> None:
    """``torch.Tensor(3, 5)``, ``size()``, rand (fixed values here), ones, slicing."""
    x = lib.Tensor(3, 5)
    say(x.size())
    say(x.size(), x.size(0), x.size(-1), x.shape, x.dtype)
    x = lib.Tensor(RAND_3x5)
    y = lib.tensor(RAND_3x5)  # stands in for torch.rand(3, 5)
    z = lib.ones(5)
    say(y)
    say(z)
    if lib.cuda.is_available():
        x = x.cuda()
        y = y.cuda()
        say(x + y)
    say(x[:, 1])
    say(x[1])
    say(x[1:, ::2])
    say(x[-1, -1], x[0, 0].item())
    say(x + y)
    say(z.size(), len(z), z.dim(), z.numel())


def seed001_variable_mean(lib: ModuleType, say: Say) -> None:
    """``(x + 2) * (x + 2) * 3`` averaged: the gradient is 4.5 everywhere."""
    Variable = lib.autograd.Variable
    x = Variable(lib.ones(2, 2), requires_grad=True)
    y = (x + 2) * (x + 2) * 3
    out = y.mean()
    say(y, out)
    out.backward()  # out.backward(torch.Tensor([1.0])) in the old API
    say(x.grad)
    say(x.grad_fn, y.grad_fn.name(), out.grad_fn.name())
    say(x)


def seed001_old_backward_with_tensor(lib: ModuleType, say: Say) -> None:
    """The commented-out ``out.backward(torch.Tensor([1.0]))``: today a 0-d gradient."""
    x = lib.ones(2, 2, requires_grad=True)
    out = ((x + 2) * (x + 2) * 3).mean()
    out.backward(lib.tensor(1.0))
    say(x.grad)


def seed001_view_flatten(lib: ModuleType, say: Say) -> None:
    """``x.view(-1, self.num_flat_features(x))`` from the LeNet's forward."""
    x = lib.arange(2 * 16 * 5 * 5).float().view(2, 16, 5, 5)

    def num_flat_features(x: Any) -> int:
        size = x.size()[1:]  # all dimensions except the batch dimension
        num_features = 1
        for s in size:
            num_features *= s
        return num_features

    say(num_flat_features(x), x.size()[1:])
    flat = x.view(-1, num_flat_features(x))
    say(flat.size(), flat.shape, flat[1, :5])
    say(x.view(-1).size(), x.view(50, -1).size(), x.view(2, -1, 5).size())
    w = lib.ones(2, 3, requires_grad=True)
    v = w.view(-1)
    say(v)
    (v * lib.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])).sum().backward()
    say(w.grad)


def seed001_range_target(lib: ModuleType, say: Say) -> None:
    """``torch.range(1, 10)``: the deprecated, end-inclusive float range used as a target."""
    target = lib.range(1, 10)
    say(target, target.dtype, target.size())
    say(lib.range(0, 1, 0.25))
    say(lib.range(1, 10, dtype=lib.float64))


def seed001_manual_sgd(lib: ModuleType, say: Say) -> None:
    """The weight update ``f.data.sub_(f.grad.data * learning_rate)`` on two parameters."""
    w = lib.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
    b = lib.tensor([0.1, -0.2], requires_grad=True)
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]])
    target = lib.range(1, 6).view(3, 2)
    learning_rate = 0.01
    for _ in range(3):
        for f in (w, b):
            if f.grad is not None:
                f.grad.zero_()
        loss = ((x @ w + b - target) ** 2).mean()
        say(loss)
        loss.backward()
        for f in (w, b):
            f.data.sub_(f.grad.data * learning_rate)
    say(w)
    say(b)
    say(w.grad, b.grad)


@pytest.mark.parametrize("block", [pytest.param(seed001_tensor_basics, marks=ONLY_WITHOUT_GPU),
                                   seed001_variable_mean,
                                   seed001_old_backward_with_tensor, seed001_view_flatten,
                                   seed001_range_target, seed001_manual_sgd],
                         ids=lambda f: f.__name__)
def test_seed001(block: Block) -> None:
    assert_same_output(block)


def test_seed001_mean_prints_pytorch_numbers() -> None:
    out = assert_same_output(seed001_variable_mean)
    assert out.splitlines()[:4] == [
        "tensor([[27., 27.],",
        "        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)",
        "tensor([[4.5000, 4.5000],",
        "        [4.5000, 4.5000]])",
    ]


def test_seed001_range_warns_like_pytorch() -> None:
    with pytest.warns(UserWarning, match="torch.range is deprecated"):
        ours = tinygrad_edu.range(1, 10)
    with pytest.warns(UserWarning, match="torch.range is deprecated"):
        theirs = torch.range(1, 10)
    assert ours.tolist() == theirs.tolist() == [float(i) for i in range(1, 11)]


@ONLY_WITHOUT_GPU
def test_seed001_cuda_branch_is_skipped_here() -> None:
    """Without a GPU the post's ``if torch.cuda.is_available():`` branch never runs."""
    assert tinygrad_edu.cuda.is_available() is torch.cuda.is_available() is False
    assert tinygrad_edu.cuda.why_unavailable()  # and the reason is one call away


# ------------------------------------------------------------------------------- seed 002


def seed002_autograd(lib: ModuleType, say: Say) -> None:
    """The ``a, b, c`` example with ``torch.tensor(1., requires_grad=True)``."""
    autograd = lib.autograd
    say(lib.cuda.is_available())
    x = lib.tensor(1.0)
    a = lib.tensor(1.0, requires_grad=True)
    b = lib.tensor(2.0, requires_grad=True)
    c = lib.tensor(3.0, requires_grad=True)

    y = a**2 * x + b * x + c

    say("before:", a.grad, b.grad, c.grad)
    grads = autograd.grad(y, [a, b, c])
    say("after :", grads[0], grads[1], grads[2])
    say(y, y.grad_fn.name())
    say(a, b)


def seed002_matmul_norm(lib: ModuleType, say: Say) -> None:
    """The timed matmul, small and with integer-valued inputs so the norm is exact."""
    a = lib.tensor(np.arange(60 * 40).reshape(60, 40) % 7 - 3.0, dtype=lib.float32)
    b = lib.tensor(np.arange(40 * 80).reshape(40, 80) % 5 - 2.0, dtype=lib.float32)
    c = lib.matmul(a, b)
    say("cpu", a.device, c.shape, c.sum())
    say(c[:2, :6])
    if lib.cuda.is_available():
        device = lib.device("cuda")
        a = a.to(device)
        b = b.to(device)
        say("GPU", a.device, lib.matmul(a, b).norm(2))


@ONLY_WITHOUT_GPU
def test_seed002_autograd() -> None:
    out = assert_same_output(seed002_autograd)
    assert "after : tensor(2.) tensor(1.) tensor(1.)" in out


@ONLY_WITHOUT_GPU
def test_seed002_matmul() -> None:
    assert_same_output(seed002_matmul_norm)


def test_seed002_matmul_norm_float32() -> None:
    """The post's ``c.norm(2)`` of a float32 product: equal up to float32 rounding (the
    post itself shows CPU and GPU differing in the last printed digit)."""
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal((300, 100)).astype(np.float32)
    b_np = rng.standard_normal((100, 200)).astype(np.float32)
    ours = tinygrad_edu.matmul(tinygrad_edu.from_numpy(a_np), tinygrad_edu.from_numpy(b_np))
    theirs = torch.matmul(torch.from_numpy(a_np), torch.from_numpy(b_np))
    assert ours.dtype is tinygrad_edu.float32
    np.testing.assert_allclose(ours.norm(2).item(), theirs.norm(2).item(), rtol=1e-5)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-4)


# ------------------------------------------------------------------------------- seed 003


def seed003_tensors(lib: ModuleType, say: Say) -> None:
    """randn (fixed values), ``tensor([0..4])``, ``add(out=)``, ``add_``, NumPy bridge."""
    x = lib.tensor(RANDN_5x3[0], dtype=lib.float)
    say(x)
    x = lib.tensor([0, 1, 2, 3, 4])
    say(x)
    say(x.dtype)

    x = lib.tensor(RANDN_5x3[1])
    y = lib.tensor(RANDN_5x3[2])
    result = lib.empty(5, 3)
    returned = lib.add(x, y, out=result)
    say(result)
    say(returned is result)

    y.add_(x)  # adds x to y
    say(y)
    say(lib.equal(y, result))

    a = lib.tensor([0, 1, 2, 3, 4])
    say(a)
    b = a.numpy()
    say(b)
    say(b.dtype)

    a = np.ones(5)
    say(a)
    b = lib.from_numpy(a)
    say(b)


def seed003_to_device(lib: ModuleType, say: Say) -> None:
    """The post's ``.to(device)`` cell, which printed nothing: the branch needs a GPU."""
    x = lib.ones(5)
    if lib.cuda.is_available():
        device = lib.device("cuda")
        y = lib.ones_like(x, device=device)  # directly create a tensor on GPU
        x = x.to(device)
        z = x + y
        say(z)
        say(z.to("cpu", lib.double))
    say("cpu only:", x.to("cpu", lib.double), x.device)


def seed003_autograd(lib: ModuleType, say: Say) -> None:
    """``y = x + 1; z = y * y * 2; z.mean().backward()``: the gradient is 2."""
    x = lib.ones(2, 2, requires_grad=True)
    say(x)
    y = x + 1
    z = y * y * 2
    out = z.mean()
    say(z, out)
    out.backward()  # the same as out.backward(torch.tensor(1.))
    say(x.grad)


@ONLY_WITHOUT_GPU
@pytest.mark.parametrize("block", [seed003_tensors, seed003_to_device, seed003_autograd],
                         ids=lambda f: f.__name__)
def test_seed003(block: Block) -> None:
    assert_same_output(block)


def test_seed003_prints_like_the_post() -> None:
    out = assert_same_output(seed003_autograd)
    assert out == ("tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)\n"
                   "tensor([[8., 8.],\n        [8., 8.]], grad_fn=<MulBackward0>) "
                   "tensor(8., grad_fn=<MeanBackward0>)\n"
                   "tensor([[2., 2.],\n        [2., 2.]])")


@pytest.mark.parametrize("lib", [tinygrad_edu, torch], ids=["ours", "torch"])
def test_seed003_numpy_bridge_shares_memory(lib: ModuleType) -> None:
    """``.numpy()`` and ``from_numpy`` share memory: changing one changes the other."""
    a = lib.ones(5)
    b = a.numpy()
    a.add_(1)
    assert b.tolist() == [2.0] * 5
    b[0] = 7.0
    assert a[0].item() == 7.0

    array = np.ones(5)
    t = lib.from_numpy(array)
    np.add(array, 1, out=array)
    assert t.tolist() == [2.0] * 5
    t.mul_(3)
    assert array.tolist() == [6.0] * 5
    assert repr(t.dtype).endswith("float64")


@pytest.mark.parametrize("lib", [tinygrad_edu, torch], ids=["ours", "torch"])
def test_seed003_add_out_and_add_(lib: ModuleType) -> None:
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
    y = lib.tensor([[10.0, 20.0], [30.0, 40.0]])
    result = lib.empty(2, 2)
    storage = result.numpy()
    assert lib.add(x, y, out=result) is result
    assert storage.tolist() == [[11.0, 22.0], [33.0, 44.0]]  # written in place
    version = y._version
    assert y.add_(x) is y
    assert y._version == version + 1
    assert y.tolist() == [[11.0, 22.0], [33.0, 44.0]]


# ------------------------------------------------------------------------------- seed 004


def seed004_variable(lib: ModuleType, say: Say) -> None:
    """``.data``, ``.grad``, ``.grad_fn`` and the 27 / 4.5 example."""
    Variable = lib.autograd.Variable
    x = Variable(lib.ones(2, 2), requires_grad=True)
    say(x)
    say(x.data, x.grad)
    y = x + 2
    say(y)
    say(x.grad_fn)  # None
    say(y.grad_fn)  # <AddBackward0 object at 0x...>
    say(y.grad_fn.next_functions)
    say(y.grad_fn.next_functions[0][0].variable is x)
    z = y * y * 3
    out = z.mean()
    say(z, out)
    say(out.grad_fn, out.grad_fn.next_functions)
    say(z.grad_fn.next_functions[0][0].name(), z.grad_fn.next_functions[1])
    out.backward()
    say(x.grad)  # d(out)/dx


def seed004_vector_jacobian(lib: ModuleType, say: Say) -> None:
    """``y.backward(w)`` is the gradient of ``sum(y * w)``."""
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = lib.tensor([[1.0, 0.1], [0.01, 0.001]])
    y = x * x * 3
    y.backward(w)
    say(x.grad)
    x2 = x.detach().clone().requires_grad_()
    lib.sum(x2 * x2 * 3 * w).backward()
    say(x2.grad, lib.equal(x.grad, x2.grad))
    x.grad = None
    lib.autograd.backward(x * x * 3, w)
    say(x.grad)


def seed004_scalar_vector_tensor(lib: ModuleType, say: Say) -> None:
    """Backward from a scalar (no argument), a vector and a matrix (a gradient each)."""
    s = lib.tensor(3.0, requires_grad=True)
    (s * s).backward()
    say("scalar", s.grad)
    v = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (v**3).backward(lib.tensor([1.0, 1.0, 0.5]))
    say("vector", v.grad)
    m = lib.tensor([[1.0, -2.0], [0.5, 4.0]], requires_grad=True)
    (m.exp() * m).backward(lib.ones(2, 2))
    say("tensor", m.grad)
    one = lib.tensor([2.0], requires_grad=True)  # one element, not 0-d: no gradient needed
    (one * 5).backward()
    say("one element", one.grad)


def seed004_retain_graph(lib: ModuleType, say: Say) -> None:
    """A second backward through the same graph needs ``retain_graph=True``; grads add up."""
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    say(x.grad)
    y.backward()
    say(x.grad)
    try:
        y.backward()
    except RuntimeError as exc:
        say(str(exc).split(" (or directly")[0])


def seed004_create_graph(lib: ModuleType, say: Say) -> None:
    """``create_graph=True`` records the backward pass: second derivatives."""
    x = lib.tensor([1.0, 2.0, -0.5], requires_grad=True)
    y = (x**3).sum()
    (dy,) = lib.autograd.grad(y, x, create_graph=True)
    say(dy)
    (d2y,) = lib.autograd.grad(dy.sum(), x)
    say(d2y)
    z = lib.tensor(2.0, requires_grad=True)
    f = z**4
    f.backward(create_graph=True)
    say(z.grad.detach(), z.grad.requires_grad)  # PyTorch's grad_fn here is an internal copy
    g = z.grad
    z.grad = None
    g.backward()
    say(z.grad)


@pytest.mark.parametrize("block", [seed004_variable, seed004_vector_jacobian,
                                   seed004_scalar_vector_tensor, seed004_retain_graph,
                                   seed004_create_graph],
                         ids=lambda f: f.__name__)
def test_seed004(block: Block) -> None:
    assert_same_output(block)


def test_seed004_grad_fn_repr() -> None:
    out = assert_same_output(seed004_variable)
    assert "<AddBackward0 object at 0x?>" in out
    assert "((<AccumulateGrad object at 0x?>, 0), (None, 0))" in out


# ---------------------------------------------------------------------------- repr parity


def _repr_cases(lib: ModuleType) -> list[Any]:
    """Over fifty tensors that exercise every branch of PyTorch's printing rules."""
    f64 = lib.float64
    leaf = lib.tensor([1.5, -2.0], requires_grad=True)
    leaf64 = lib.tensor([[1.0, 2.0]], dtype=f64, requires_grad=True)
    return [
        lib.tensor([0, 1, 2, 3, 4]),
        lib.tensor([[1, -20], [300, 4]]),
        lib.tensor(7),
        lib.tensor([True, False, True]),
        lib.tensor(True),
        lib.tensor([1, 2], dtype=lib.int32),
        lib.tensor([1, 2], dtype=lib.uint8),
        lib.tensor([1.0, 2.0, 3.0]),
        lib.tensor([1.5, -2.25, 3.0]),
        lib.tensor([1.0, 2.0], dtype=f64),
        lib.tensor([0.1, 0.2], dtype=f64),
        lib.tensor(3.0),
        lib.tensor(-0.5, dtype=f64),
        lib.tensor([1e-5, 1.0]),
        lib.tensor([1e-8, 2e-8]),
        lib.tensor([1e10, 1.0]),
        lib.tensor([123456789.0, 1.5]),
        lib.tensor([100000.0, 1.0]),
        lib.tensor([1234.5678, -0.001]),
        lib.tensor([0.0, 0.0]),
        lib.tensor([-0.0, 1.0]),
        lib.tensor([float("nan"), 1.0, float("inf"), -float("inf")]),
        lib.tensor([float("nan"), 1.5]),
        lib.tensor([float("inf"), 1e-6]),
        lib.tensor([]),
        lib.tensor([], dtype=lib.int64),
        lib.zeros(0, 3),
        lib.zeros(2, 0, dtype=f64),
        lib.ones(0, dtype=lib.bool),
        lib.arange(1200),
        lib.arange(2000).float() / 7,
        lib.arange(40 * 40).view(40, 40),
        lib.arange(24).view(2, 3, 4),
        lib.arange(24.0).view(2, 3, 2, 2) - 11.5,
        lib.arange(30.0) * 1.5,
        lib.arange(25) * 1000,
        lib.tensor([[0.123456789] * 12] * 2, dtype=f64),
        leaf,
        leaf64,
        leaf * 2,
        (leaf64 * 3).sum(),
        lib.ones(2, 2, requires_grad=True).mean(),
        lib.arange(20.0, requires_grad=True).view(4, 5) * 1e-5,
        lib.arange(16.0).view(4, 4) @ lib.ones(4, 4, requires_grad=True),
        lib.tensor([[]]),
        lib.zeros(2, 0, 3),
        lib.tensor([1.5, -2.0], dtype=lib.float16),
        lib.tensor([[True, False], [False, True]]),
        lib.tensor([-12345678901, 2]),
        lib.arange(18, dtype=lib.int32).view(1, 18) * 123456789,
        lib.tensor([1e300, 1.0], dtype=f64),
        lib.tensor([1e-300], dtype=f64),
        lib.arange(5000, dtype=f64).view(10, 500),
        lib.arange(2 * 3 * 4 * 5 * 10.0).view(2, 3, 4, 5, 10),
        lib.ones(3, 30, dtype=f64, requires_grad=True) * 1.123,
        lib.ones(1, 13, requires_grad=True) * 1.123,
    ]


def test_repr_parity() -> None:
    ours = _repr_cases(tinygrad_edu)
    theirs = _repr_cases(torch)
    assert len(ours) == len(theirs) >= 40
    mismatches = [(i, normalise(repr(o)), normalise(repr(t)))
                  for i, (o, t) in enumerate(zip(ours, theirs))
                  if normalise(repr(o)) != normalise(repr(t))]
    assert not mismatches, "\n\n".join(f"case {i}:\nours:\n{o}\ntorch:\n{t}"
                                       for i, o, t in mismatches)


def test_str_is_repr_and_size_repr() -> None:
    t = tinygrad_edu.tensor([[1.0, 2.0]], dtype=tinygrad_edu.float64)
    assert str(t) == repr(t)
    assert repr(tinygrad_edu.Tensor(3, 5).size()) == "tinygrad_edu.Size([3, 5])"
    assert repr(t.dtype) == normalise(repr(torch.float64))


def test_legacy_tensor_constructor_forms_match_torch() -> None:
    """``torch.Tensor(...)``: empty, sizes, data (always float32), as the old posts use it."""
    assert repr(tinygrad_edu.Tensor()) == repr(torch.Tensor()) == "tensor([])"
    assert tuple(tinygrad_edu.Tensor(2, 3).shape) == tuple(torch.Tensor(2, 3).shape)
    assert repr(tinygrad_edu.Tensor([[1, 2]])) == repr(torch.Tensor([[1, 2]]))
    data = np.array([1, 2], dtype=np.int64)
    assert repr(tinygrad_edu.Tensor(data)) == repr(torch.Tensor(data)) == "tensor([1., 2.])"

"""Autograd behaves as PyTorch's does (DESIGN.md section 4).

Most tests take ``lib`` and run on both tinygrad_edu and PyTorch: the assertions are what
PyTorch really does, so a test that passes for ``torch`` and fails for ``ours`` is a bug in
ours. Tests about our engine's internals (no recursion, no reference cycles) run on ours only.
"""

from __future__ import annotations

import gc
import math
import warnings
import weakref
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import torch

import tinygrad_edu
from tinygrad_edu import autograd as our_autograd

LIBS = pytest.mark.parametrize("lib", [tinygrad_edu, torch], ids=["ours", "torch"])

SECOND_BACKWARD = "Trying to backward through the graph a second time"
NON_LEAF_GRAD = "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed"


def values(t: Any) -> list[Any]:
    return t.detach().tolist()  # type: ignore[no-any-return]


# ------------------------------------------------------------------------ leaves and .grad


@LIBS
def test_leaves_and_grad_only_on_leaves(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    c = lib.tensor([3.0, 4.0])
    y = x * c
    assert x.is_leaf and c.is_leaf and not y.is_leaf
    assert y.requires_grad and not c.requires_grad
    assert x.grad_fn is None and y.grad_fn is not None
    y.sum().backward()
    assert values(x.grad) == [3.0, 4.0]
    assert c.grad is None
    with pytest.warns(UserWarning, match=NON_LEAF_GRAD):
        assert y.grad is None


@LIBS
def test_retain_grad_keeps_a_non_leaf_gradient(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    assert y.retains_grad and not x.retains_grad
    (y * y).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: the gradient was asked for
        assert values(y.grad) == [6.0, 12.0]
    assert values(x.grad) == [18.0, 36.0]


@LIBS
def test_gradients_accumulate_until_zeroed(lib: ModuleType) -> None:
    x = lib.tensor([1.0, -2.0], requires_grad=True)
    (x * x).sum().backward()
    (x * x).sum().backward()
    assert values(x.grad) == [4.0, -8.0]
    grad = x.grad
    x.grad.zero_()
    (3 * x).sum().backward()
    assert values(x.grad) == [3.0, 3.0]
    assert x.grad is grad  # accumulated into the same tensor
    x.grad = None
    (x * 2).sum().backward()
    assert values(x.grad) == [2.0, 2.0]


@LIBS
def test_backward_of_non_scalar_needs_a_gradient(lib: ModuleType) -> None:
    x = lib.ones(2, 3, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar "
                                           "outputs"):
        y.backward()
    assert x.grad is None
    y.backward(lib.ones(2, 3) * 0.5)
    assert values(x.grad) == [[1.0] * 3] * 2


@LIBS
def test_second_backward_needs_retain_graph(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    loss = (x.exp() * x).sum()
    loss.backward(retain_graph=True)
    first = values(x.grad)
    loss.backward()
    assert values(x.grad) == pytest.approx([2 * g for g in first])
    with pytest.raises(RuntimeError, match=SECOND_BACKWARD) as info:
        loss.backward()
    assert "retain_graph=True" in str(info.value)
    # a graph without saved tensors can be walked again (as PyTorch)
    y = (x + 1).sum()
    y.backward()
    y.backward()


@LIBS
def test_grad_mode_is_per_thread(lib: ModuleType) -> None:
    # PyTorch's grad mode is thread-local: no_grad here does not stop recording elsewhere,
    # and a thread starts with grad mode on whatever its starter had.
    import threading
    seen: list[bool] = []

    def worker() -> None:
        x = lib.ones(2, requires_grad=True)
        seen.extend([lib.is_grad_enabled(), (x * 2).requires_grad])

    with lib.no_grad():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert not lib.is_grad_enabled()
    assert seen == [True, True]


@LIBS
def test_max_pool_frees_its_mask_with_the_saved_tensors(lib: ModuleType) -> None:
    # MaxPool2d keeps no input, only where the maxima were: backward frees that too, so the
    # mask does not outlive the backward (as long as the graph), and a second walk fails
    # with the same error as any other saved value.
    x = lib.arange(16.0).reshape(1, 1, 4, 4).requires_grad_()
    y = lib.nn.functional.max_pool2d(x, 2).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert values(x.grad[0, 0]) == [[0, 0, 0, 0], [0, 2, 0, 2], [0, 0, 0, 0], [0, 2, 0, 2]]
    with pytest.raises(RuntimeError, match=SECOND_BACKWARD):
        y.backward()
    if lib is tinygrad_edu:
        assert y.grad_fn.next_functions[0][0].mask is None


@LIBS
def test_autograd_grad_frees_the_graph_too(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    lib.autograd.grad(y, x)
    with pytest.raises(RuntimeError, match=SECOND_BACKWARD):
        lib.autograd.grad(y, x)


@LIBS
def test_create_graph_gives_higher_derivatives(lib: ModuleType) -> None:
    x = lib.tensor([0.5, 1.0, 2.0], requires_grad=True)
    y = (x**3 + x.sin()).sum()
    (d1,) = lib.autograd.grad(y, x, create_graph=True)
    assert d1.requires_grad
    (d2,) = lib.autograd.grad(d1.sum(), x, create_graph=True)
    (d3,) = lib.autograd.grad(d2.sum(), x)
    xs = [0.5, 1.0, 2.0]
    assert values(d1) == pytest.approx([3 * v**2 + math.cos(v) for v in xs], rel=1e-6)
    assert values(d2) == pytest.approx([6 * v - math.sin(v) for v in xs], rel=1e-6)
    assert values(d3) == pytest.approx([6 - math.cos(v) for v in xs], rel=1e-6)
    assert not d3.requires_grad


@LIBS
def test_create_graph_through_backward_and_grad_of_grad(lib: ModuleType) -> None:
    w = lib.tensor([1.0, 3.0], requires_grad=True)
    x = lib.tensor([2.0, -1.0], requires_grad=True)
    loss = (w * x * x).sum()
    (gx,) = lib.autograd.grad(loss, x, create_graph=True)  # 2 w x
    penalty = (gx * gx).sum()  # 4 w^2 x^2
    penalty.backward()
    assert values(w.grad) == [8 * 1.0 * 4.0, 8 * 3.0 * 1.0]
    assert values(x.grad) == [8 * 1.0 * 2.0, 8 * 9.0 * -1.0]


@LIBS
def test_autograd_grad_leaves_grad_alone_and_allow_unused(lib: ModuleType) -> None:
    a = lib.tensor(2.0, requires_grad=True)
    b = lib.tensor(3.0, requires_grad=True)
    unused = lib.tensor(1.0, requires_grad=True)
    y = a * b
    ga, gb = lib.autograd.grad(y, [a, b], retain_graph=True)
    assert (ga.item(), gb.item()) == (3.0, 2.0)
    assert a.grad is None and b.grad is None
    with pytest.raises(RuntimeError, match="index 1 appears to not have been used in the graph"):
        lib.autograd.grad(y, [a, unused], retain_graph=True)
    ga, gu = lib.autograd.grad(y, [a, unused], allow_unused=True)
    assert ga.item() == 3.0 and gu is None
    assert unused.grad is None


@LIBS
def test_autograd_grad_of_an_intermediate(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    (gh,) = lib.autograd.grad(y, h)
    assert values(gh) == [6.0, 12.0]
    assert x.grad is None


# ------------------------------------------------------------------------------ grad modes


@LIBS
def test_no_grad_and_enable_grad_as_context_managers(lib: ModuleType) -> None:
    x = lib.ones(2, requires_grad=True)
    with lib.no_grad():
        assert not lib.is_grad_enabled()
        y = x * 2
        with lib.enable_grad():
            assert lib.is_grad_enabled()
            z = x * 2
        assert not lib.is_grad_enabled()
    assert lib.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad


@LIBS
def test_grad_modes_restore_after_an_exception(lib: ModuleType) -> None:
    for make in (lib.no_grad, lambda: lib.set_grad_enabled(False)):
        with pytest.raises(ValueError, match="boom"), make():
            raise ValueError("boom")
        assert lib.is_grad_enabled()
    with lib.no_grad():
        with pytest.raises(ValueError), lib.enable_grad():
            raise ValueError
        assert not lib.is_grad_enabled()
    assert lib.is_grad_enabled()


@LIBS
def test_grad_modes_as_decorators(lib: ModuleType) -> None:
    x = lib.ones(1, requires_grad=True)

    @lib.no_grad()
    def called(t: Any) -> bool:
        return bool((t * 2).requires_grad)

    @lib.no_grad
    def bare(t: Any) -> bool:
        return bool((t * 2).requires_grad)

    @lib.enable_grad()
    def enabled(t: Any) -> bool:
        return bool((t * 2).requires_grad)

    @lib.set_grad_enabled(False)
    def disabled(t: Any) -> bool:
        return bool((t * 2).requires_grad)

    assert lib.is_grad_enabled()  # decorating changed nothing
    assert (called(x), bare(x), enabled(x), disabled(x)) == (False, False, True, False)
    assert bare.__name__ == "bare"
    with lib.no_grad():
        assert enabled(x) is True
        assert not lib.is_grad_enabled()

    @lib.no_grad()
    def fails() -> None:
        raise KeyError

    with pytest.raises(KeyError):
        fails()
    assert lib.is_grad_enabled()


@LIBS
def test_set_grad_enabled_as_a_plain_call(lib: ModuleType) -> None:
    try:
        lib.set_grad_enabled(False)
        assert not lib.is_grad_enabled()
        assert not (lib.ones(1, requires_grad=True) * 2).requires_grad
        lib.set_grad_enabled(True)
        assert lib.is_grad_enabled()
        with lib.set_grad_enabled(False):
            assert not lib.is_grad_enabled()
        assert lib.is_grad_enabled()
        with lib.no_grad():
            with lib.set_grad_enabled(True):
                assert lib.is_grad_enabled()
            assert not lib.is_grad_enabled()
    finally:
        lib.set_grad_enabled(True)


@LIBS
def test_backward_inside_no_grad_still_works(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    with lib.no_grad():
        y.backward()
    assert values(x.grad) == [2.0, 4.0]


# -------------------------------------------------------------- detach and requires_grad_


@LIBS
def test_detach_shares_memory_and_leaves_the_graph(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    assert not d.requires_grad and d.grad_fn is None and d.is_leaf
    with lib.no_grad():
        d.add_(1)
    assert values(y) == [3.0, 5.0]  # same memory
    assert d._version == y._version == 1  # and the same version counter
    z = (x * x.detach()).sum()
    z.backward()
    assert values(x.grad) == [1.0, 2.0]  # the detached factor is a constant


@LIBS
def test_requires_grad_(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0])
    assert x.requires_grad_() is x
    assert x.requires_grad and x.is_leaf
    x.requires_grad_(False)
    assert not x.requires_grad
    y = lib.ones(2, requires_grad=True) * 2
    y.requires_grad_(True)  # fine: it already requires grad
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf "
                                           "variables"):
        y.requires_grad_(False)
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        lib.tensor([1, 2]).requires_grad_()
    with pytest.raises(RuntimeError, match=r"(?i)only Tensors of floating point"):
        lib.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"(?i)only Tensors of floating point"):
        lib.zeros(2, dtype=lib.int64, requires_grad=True)


# ------------------------------------------------------------------------------------ hooks


@LIBS
def test_hook_on_a_leaf_changes_its_gradient_and_can_be_removed(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    seen: list[list[float]] = []

    def double(grad: Any) -> Any:
        seen.append(values(grad))
        return grad * 2

    handle = x.register_hook(double)
    (x * 3).sum().backward()
    assert seen == [[3.0, 3.0]]
    assert values(x.grad) == [6.0, 6.0]
    handle.remove()
    x.grad = None
    (x * 3).sum().backward()
    assert values(x.grad) == [3.0, 3.0]
    assert len(seen) == 1


@LIBS
def test_hook_on_a_non_leaf_changes_what_flows_on(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    seen: list[list[float]] = []
    h.register_hook(lambda g: seen.append(values(g)))  # observe only: returns None
    handle = h.register_hook(lambda g: g * 10)
    (h * lib.tensor([1.0, -1.0])).sum().backward()
    assert seen == [[1.0, -1.0]]
    assert values(x.grad) == [20.0, -40.0]
    handle.remove()
    x.grad = None
    (x * x * lib.tensor([1.0, -1.0])).sum().backward()
    assert values(x.grad) == [2.0, -4.0]


@LIBS
def test_hook_fires_once_with_the_summed_gradient(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    calls: list[list[float]] = []
    x.register_hook(lambda g: calls.append(values(g)))
    (x + x).sum().backward()
    assert calls == [[2.0, 2.0]]

    y = x * 1
    y_calls: list[list[float]] = []
    y.register_hook(lambda g: y_calls.append(values(g)))
    (y * y + y).sum().backward()
    assert y_calls == [[3.0, 5.0]]


@LIBS
def test_hooks_run_in_order_and_see_the_previous_result(lib: ModuleType) -> None:
    x = lib.tensor([1.0], requires_grad=True)
    x.register_hook(lambda g: g + 1)
    x.register_hook(lambda g: g * 10)
    (x * 2).sum().backward()
    assert values(x.grad) == [30.0]


@LIBS
def test_hook_needs_requires_grad(lib: ModuleType) -> None:
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't "
                                           "require gradient"):
        lib.ones(2).register_hook(lambda g: g)


# ------------------------------------------------------------------- in place and versions


@LIBS
def test_in_place_change_of_a_saved_tensor_raises_at_backward(lib: ModuleType) -> None:
    x = lib.tensor([0.5, 1.0], requires_grad=True)
    a = x.sin()
    b = a * a  # saves a
    assert a._version == 0
    a.mul_(2)
    assert a._version == 1
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation.*is at version "
                                           r"1; expected version 0 instead"):
        b.sum().backward()


@LIBS
def test_in_place_change_of_a_saved_output_raises(lib: ModuleType) -> None:
    x = lib.tensor([0.5, 1.0], requires_grad=True)
    e = x.exp()  # exp saves its output
    e.add_(1)
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        e.sum().backward()


@LIBS
def test_in_place_change_of_an_unsaved_tensor_is_fine(lib: ModuleType) -> None:
    x = lib.tensor([0.5, 1.0], requires_grad=True)
    a = x * 2
    b = a + 1  # add saves nothing
    a.mul_(3)
    (a + b).sum().backward()
    assert values(x.grad) == [8.0, 8.0]  # d(6x + 2x + 1)/dx


@LIBS
def test_in_place_on_a_leaf_that_requires_grad_raises(lib: ModuleType) -> None:
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    for change in (lambda: w.add_(1), lambda: w.mul_(2), lambda: w.zero_()):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being "
                                               "used in an in-place operation"):
            change()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w += 1
    assert values(w) == [1.0, 2.0] and w._version == 0  # nothing was changed


@LIBS
def test_sgd_update_under_no_grad(lib: ModuleType) -> None:
    w = lib.tensor([1.0, -2.0], requires_grad=True)
    lr = 0.1
    for _ in range(2):
        loss = (w * w).sum()
        loss.backward()
        with lib.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    assert values(w) == pytest.approx([0.64, -1.28])
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert w._version == 2


@LIBS
def test_changes_through_data_are_not_tracked(lib: ModuleType) -> None:
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    a = w * 1
    b = a * a  # saves a
    a.data.mul_(2)  # invisible to the version counter
    assert a._version == 0
    b.sum().backward()  # no error, and the new values are used
    assert values(w.grad) == [4.0, 8.0]
    # seed 001's manual update
    before = w._version
    w.data.sub_(w.grad.data * 0.5)
    assert values(w) == [-1.0, -2.0]
    assert w.is_leaf and w.requires_grad and w._version == before


@LIBS
def test_in_place_ops_record_the_graph(lib: ModuleType) -> None:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.add_(1)
    y.mul_(y.detach().clone())
    assert y.grad_fn.name() == "MulBackward0"
    y.sum().backward()
    assert values(x.grad) == [6.0, 10.0]  # d((2x + 1) * c)/dx with c = 2x + 1 fixed
    # without the clone the saved factor shares y's version counter, and y changed
    y = x * 2
    y.mul_(y.detach())
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        y.sum().backward()


@LIBS
@pytest.mark.parametrize("expression", ["y * c", "y / c", "y @ m", "c @ y.view(2, 1)"])
def test_only_the_inputs_backward_needs_are_checked(lib: ModuleType, expression: str) -> None:
    """``y * c`` with a constant ``c`` needs only ``c`` for backward: changing ``y`` in
    place afterwards is fine; changing ``c`` is not."""
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    c = lib.tensor([3.0, 4.0])
    m = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
    z = eval(expression, {"y": y, "c": c, "m": m})
    y.add_(1)
    z.sum().backward()
    assert x.grad is not None
    x.grad = None
    y = x * 2
    z = eval(expression, {"y": y, "c": c, "m": m})
    c.add_(1)
    m.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


# ------------------------------------------------------------------------ custom Function


def _my_sin(lib: ModuleType) -> Any:
    class MySin(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return x.sin()

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            (x,) = ctx.saved_tensors
            return grad * x.cos()

    return MySin


@LIBS
def test_custom_function_matches_sin(lib: ModuleType) -> None:
    my_sin = _my_sin(lib)
    data = [[0.1, -1.2, 2.5], [3.0, 0.0, -0.7]]
    x = lib.tensor(data, dtype=lib.float64, requires_grad=True)
    y = my_sin.apply(x)
    assert y.requires_grad and not y.is_leaf
    assert y.grad_fn.name() == "MySinBackward"
    (y * y).sum().backward()
    reference = lib.tensor(data, dtype=lib.float64, requires_grad=True)
    (reference.sin() * reference.sin()).sum().backward()
    assert np.allclose(values(y), values(reference.sin()))
    assert np.allclose(values(x.grad), values(reference.grad))
    with lib.no_grad():
        assert not my_sin.apply(x).requires_grad


@LIBS
def test_custom_function_saved_tensor_version_check(lib: ModuleType) -> None:
    my_sin = _my_sin(lib)
    x = lib.tensor([0.5, 1.0], requires_grad=True)
    h = x * 1
    y = my_sin.apply(h)
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_custom_function_name_and_gradcheck() -> None:
    my_sin = _my_sin(tinygrad_edu)
    x = tinygrad_edu.tensor([0.3, -2.0, 1.1], dtype=tinygrad_edu.float64, requires_grad=True)
    assert my_sin.apply(x).grad_fn.name() == "MySinBackward"
    assert our_autograd.gradcheck(my_sin.apply, [x])


# ------------------------------------------------------------------------------- Variable


@LIBS
def test_variable_returns_a_plain_tensor(lib: ModuleType) -> None:
    data = lib.ones(2, 2)
    v = lib.autograd.Variable(data, requires_grad=True)
    assert isinstance(v, lib.Tensor)
    assert v.requires_grad and v.is_leaf and not data.requires_grad
    with lib.no_grad():
        v.add_(1)
    assert values(data) == [[2.0, 2.0]] * 2  # shares the memory
    plain = lib.autograd.Variable(lib.ones(2))
    assert not plain.requires_grad
    (v * 3).sum().backward()
    assert values(v.grad) == [[3.0, 3.0]] * 2


# ------------------------------------------------------------------------ grad_fn names


def _x_y(lib: ModuleType) -> dict[str, Any]:
    return {
        "torch": lib,
        "x": lib.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True),
        "y": lib.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0]], requires_grad=True),
        "c": lib.tensor([[2.0, 1.0, 1.0], [1.0, 3.0, 1.0]]),
        "v": lib.tensor([1.0, 2.0, 3.0], requires_grad=True),
    }


# primitive operations: ours must be named as PyTorch names them
NAMED_EXPRESSIONS = [
    "x + y", "x + 2", "2 + x", "x + c", "x - y", "x - 2", "2 - x", "c - x", "x * y", "x * 2",
    "2 * x", "x / y", "x / 2", "c / x", "x ** 2", "x ** 0.5", "x ** y", "2 ** x", "c ** x",
    "x.pow(3)", "x.square()", "-x", "x.neg()", "x.abs()", "x.exp()", "x.log()", "x.sqrt()",
    "x.sin()", "x.cos()", "x.tanh()", "x.sigmoid()", "x.relu()", "x.clamp(0, 1)",
    "x.clamp(min=0)", "x.sum()", "x.sum(0)", "x.sum(dim=1, keepdim=True)", "x.mean()",
    "x.mean(1)", "x.prod()", "x.prod(0)", "x.max()", "x.min()", "x.max(0).values",
    "x.min(1)[0]", "x.view(-1)", "x.view(3, 2)", "x.reshape(6)", "x.flatten()",
    "x.unsqueeze(0)", "x.unsqueeze(0).squeeze(0)", "x.unsqueeze(1).squeeze()",
    "x.unsqueeze(1).squeeze((0, 1))", "x.t()", "x.T", "x.transpose(0, 1)", "x.permute(1, 0)",
    "x.expand(4, 2, 3)", "x[0]", "x[:, 1]", "x[0, 1]", "x[:1]", "x[1:, ::2]", "x[[0, 1]]",
    "x[x > 0]", "x @ y.t()", "x.mm(y.t())", "x.matmul(y.t())", "x @ v", "x.mv(v)", "v @ v",
    "v.dot(v)", "torch.bmm(x.unsqueeze(0), y.t().unsqueeze(0))", "x.clone()", "x.double()",
    "x.softmax(1)", "x.log_softmax(1)", "torch.cat([x, y])", "torch.stack([x, y])",
    "torch.where(x > 0, x, y)", "x.maximum(y)", "x.minimum(y)", "torch.add(x, y)",
    "torch.mul(x, 3)", "x.div(y)", "x.add(y, alpha=2)", "x.t().contiguous()",
    "x.gather(1, torch.tensor([[0], [1]]))", "x.narrow(1, 0, 2)", "x.select(1, 0)",
    "torch.exp(x)", "torch.sum(x, 1)", "x.sum().sum()",
]
# Not listed: composites, which DESIGN.md section 4 builds from primitives without a backward
# of their own, so their grad_fn is the last primitive's (var, std, norm, logsumexp, repeat,
# flip, split, chunk, unbind, masked_fill, reciprocal, rsqrt, amax, `2 / x`, 3-D `@`).


@pytest.mark.filterwarnings("ignore:invalid value encountered")
@pytest.mark.parametrize("expression", NAMED_EXPRESSIONS)
def test_grad_fn_names_match_pytorch(expression: str) -> None:
    ours = eval(expression, _x_y(tinygrad_edu))
    theirs = eval(expression, _x_y(torch))
    assert ours.grad_fn.name() == theirs.grad_fn.name()
    assert node_name(ours.grad_fn) == node_name(theirs.grad_fn)
    assert ours.shape == tuple(theirs.shape)
    assert np.allclose(values(ours), values(theirs), equal_nan=True)


@LIBS
def test_no_op_conversions_return_the_tensor_itself(lib: ModuleType) -> None:
    x = lib.ones(2, 3, requires_grad=True)
    assert x.float() is x and x.contiguous() is x and x.to(lib.float32) is x
    y = x.double()
    assert y is not x and y.grad_fn.name() == "ToCopyBackward0"


def node_name(node: Any) -> str | None:
    """A node's name as its repr shows it (PyTorch's ``name()`` of AccumulateGrad is
    ``torch::autograd::AccumulateGrad``, its repr says ``AccumulateGrad``)."""
    if node is None:
        return None
    return repr(node).split(" object at ")[0].lstrip("<").rsplit(".", 1)[-1]


def _chain_names(root: Any) -> list[Any]:
    """The names in ``next_functions``, two levels down, for ``root``'s node."""
    names = []
    for node, index in root.grad_fn.next_functions:
        below = [(node_name(n), i) for n, i in node.next_functions] if node else []
        names.append((node_name(node), index, below))
    return names


@pytest.mark.parametrize("expression", ["x * y + 2", "(x * c).mean()", "x.t() @ y",
                                        "(x + 1) ** 2 - y", "x.exp().sum(0) * v",
                                        "(c * 2 + x).view(-1)", "torch.cat([x, c])"])
def test_next_functions_match_pytorch(expression: str) -> None:
    ours = eval(expression, _x_y(tinygrad_edu))
    theirs = eval(expression, _x_y(torch))
    assert _chain_names(ours) == _chain_names(theirs)


@LIBS
def test_accumulate_grad_points_at_its_leaf(lib: ModuleType) -> None:
    x = lib.ones(2, requires_grad=True)
    y = x * 2 + x
    add_node = y.grad_fn
    mul_node, _ = add_node.next_functions[0]
    acc_from_mul, _ = mul_node.next_functions[0]
    acc_direct, _ = add_node.next_functions[1]
    assert node_name(acc_from_mul) == node_name(acc_direct) == "AccumulateGrad"
    assert acc_from_mul.variable is x and acc_direct.variable is x
    assert mul_node.next_functions[1] == (None, 0)


# ------------------------------------------------------------------ the engine at scale


def test_a_chain_of_100000_operations() -> None:
    x = tinygrad_edu.tensor(1.0, dtype=tinygrad_edu.float64, requires_grad=True)
    y = x
    for i in range(50_000):
        y = y * 1.0000001 if i % 2 else y + 0.5
    y.backward()
    expected = 1.0000001**25_000
    assert x.grad.item() == pytest.approx(expected, rel=1e-12)
    assert x.grad.item() != 1.0


def test_a_chain_of_100000_multiplications() -> None:
    x = tinygrad_edu.tensor([1.0, 2.0], dtype=tinygrad_edu.float64, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0000001
    y.sum().backward()
    assert values(x.grad) == pytest.approx([1.0000001**100_000] * 2, rel=1e-9)
    del y  # dropping a long chain must not recurse either


def test_intermediates_are_freed_after_backward() -> None:
    x = tinygrad_edu.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()  # saved by the multiplication below
    probe = weakref.ref(h)
    loss = (h * h).sum()
    del h
    assert probe() is not None  # the graph keeps it for backward
    loss.backward()
    assert probe() is None  # freed by backward although loss is alive
    assert loss.grad_fn is not None


def test_retain_graph_keeps_intermediates() -> None:
    x = tinygrad_edu.tensor([1.0, 2.0], requires_grad=True)
    h = x.sin()
    probe = weakref.ref(h)
    loss = (h * h).sum()
    del h
    loss.backward(retain_graph=True)
    assert probe() is not None
    loss.backward()
    assert probe() is None


def test_graph_has_no_reference_cycles() -> None:
    x = tinygrad_edu.tensor([0.5, 1.5], requires_grad=True)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        a = x * 2
        b = a.exp()
        c = (b * a).sum()
        node_refs = [weakref.ref(c.grad_fn), weakref.ref(b.grad_fn), weakref.ref(a.grad_fn),
                     weakref.ref(a.grad_fn.next_functions[0][0])]
        tensor_refs = [weakref.ref(a), weakref.ref(b), weakref.ref(c)]
        del a, b, c
        assert all(r() is None for r in node_refs + tensor_refs)

        # the same after a backward with retain_graph, and with hooks and retain_grad
        a = x * 2
        a.retain_grad()
        a.register_hook(lambda g: g * 1)
        b = (a * a).sum()
        b.backward(retain_graph=True)
        x.grad = None
        refs = [weakref.ref(a), weakref.ref(b), weakref.ref(b.grad_fn), weakref.ref(a.grad_fn)]
        del a, b
        assert all(r() is None for r in refs)

        # and after create_graph: the gradient's own graph is freed with it
        (g,) = tinygrad_edu.autograd.grad((x**3).sum(), x, create_graph=True)
        refs = [weakref.ref(g), weakref.ref(g.grad_fn)]
        del g
        assert all(r() is None for r in refs)
        assert x.grad is None  # autograd.grad touched no .grad
    finally:
        if enabled:
            gc.enable()


def test_leaf_and_its_accumulate_grad_node_have_no_cycle() -> None:
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        x = tinygrad_edu.tensor([1.0], requires_grad=True)
        y = x * 3
        leaf_ref = weakref.ref(x)
        acc_ref = weakref.ref(y.grad_fn.next_functions[0][0])
        del x
        assert leaf_ref() is not None  # the graph keeps the leaf for accumulation
        y.backward()
        del y
        assert leaf_ref() is None and acc_ref() is None
    finally:
        if enabled:
            gc.enable()

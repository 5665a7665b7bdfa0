"""Fast paths inside primitives give exactly what the plain NumPy call gives."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import Tensor, ops, tensor


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("other", [0.0, -0.0, 1.5])
@pytest.mark.parametrize("shape", [(), (7,), (3, 5)])
def test_where_with_zero_matches_numpy_bit_for_bit(dtype: type, other: float,
                                                   shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(size=shape).astype(dtype)
    values.reshape(-1)[:4] = [np.nan, np.inf, -0.0, -np.inf][: values.size]
    condition = rng.random(shape) > 0.5
    got = ops.Where.apply(tensor(values), other, condition=condition).numpy()
    expected = np.where(condition, values, other).astype(dtype)
    assert got.dtype == expected.dtype
    assert got.tobytes() == expected.tobytes()  # NaN payloads and the sign of zero too


# ------------------------------------------ a leaf adopts a fresh gradient without a copy


def _independent(*grads: np.ndarray) -> bool:
    """No two of these arrays share memory."""
    return not any(np.shares_memory(a, b) for i, a in enumerate(grads) for b in grads[i + 1:])


def _adoptions(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, per first store into a leaf's .grad, whether the engine vouched for it."""
    seen: list[bool] = []
    accumulate = Tensor._accumulate_grad

    def spy(self: Tensor, grad: Tensor, create_graph: bool, owned: bool = False) -> None:
        seen.append(owned)
        accumulate(self, grad, create_graph, owned)

    monkeypatch.setattr(Tensor, "_accumulate_grad", spy)
    return seen


def test_linear_gradients_are_adopted_and_still_accumulate(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _adoptions(monkeypatch)
    rng = np.random.default_rng(0)
    x = tensor(rng.normal(size=(4, 3)).astype(np.float32))
    layer = tg.nn.Linear(3, 2)
    layer(x).sum().backward()
    assert seen == [True, True]  # weight and bias: products computed by the backward
    first = layer.weight.grad.numpy().copy()
    stored = layer.weight.grad._array
    layer(x).sum().backward()  # accumulates in place into the adopted array
    assert layer.weight.grad._array is stored
    np.testing.assert_allclose(layer.weight.grad.numpy(), 2 * first, rtol=1e-6)
    assert _independent(layer.weight.grad.numpy(), layer.bias.grad.numpy(), x.numpy(),
                        layer.weight.detach().numpy())


def test_one_gradient_reaching_two_leaves_gives_two_arrays(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _adoptions(monkeypatch)
    a = tensor([1.0, 2.0], requires_grad=True)
    b = tensor([3.0, 4.0], requires_grad=True)
    (a + b).backward(tensor([1.0, 1.0]))  # Add hands the same gradient to both
    assert seen == [False, False]
    assert _independent(a.grad.numpy(), b.grad.numpy())
    a.grad.mul_(5)
    assert b.grad.tolist() == [1.0, 1.0]


def test_gradient_and_its_view_reaching_two_leaves_are_copied() -> None:
    a = tensor(np.ones((2, 3), np.float32), requires_grad=True)
    b = tensor(np.ones(6, np.float32), requires_grad=True)
    ((a + b.view(2, 3)) * 2).sum().backward()  # a gets Mul's product, b a view of it
    assert _independent(a.grad.numpy(), b.grad.numpy())
    a.grad.zero_()
    assert b.grad.tolist() == [2.0] * 6


def test_caller_hook_and_custom_function_gradients_are_not_adopted() -> None:
    g = tensor([1.0, 2.0])
    a = tensor([0.0, 0.0], requires_grad=True)
    a.clone().backward(g)  # Clone passes the caller's gradient through unchanged
    assert _independent(a.grad.numpy(), g.numpy())

    kept: list[Tensor] = []
    b = tensor([1.0, 2.0], requires_grad=True)
    y = b * 3
    z = y.clone()
    z.register_hook(kept.append)  # the hook keeps the gradient Clone then passes to Mul
    w = tensor([1.0, 1.0], requires_grad=True)
    (z + 0 * w).sum().backward()
    c = tensor([1.0, 2.0], requires_grad=True)
    c.register_hook(kept.append)  # a leaf hook keeps the gradient it is given
    (c * 2).sum().backward()
    assert _independent(c.grad.numpy(), *(t.numpy() for t in kept))

    user = tensor([7.0, 7.0])

    class Constant(tg.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Tensor) -> Tensor:
            return x * 1

        @staticmethod
        def backward(ctx: Any, grad: Tensor) -> Tensor:
            return user  # a tensor the caller keeps

    d = tensor([1.0, 2.0], requires_grad=True)
    Constant.apply(d).sum().backward()
    assert _independent(d.grad.numpy(), user.numpy())
    d.grad.zero_()
    assert user.tolist() == [7.0, 7.0]


def test_retained_and_leaf_gradients_are_independent() -> None:
    a = tensor([1.0, 2.0], requires_grad=True)
    y = a * 2
    y.retain_grad()
    z = y.clone()  # Clone passes y's gradient through to Mul, which makes a new one
    (z * z).sum().backward()
    assert _independent(a.grad.numpy(), y.grad.numpy())
    y.grad.zero_()
    assert a.grad.tolist() == [8.0, 16.0]


# ------------------------------------------------------ array paths of plain backward, ReLU


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_relu_matches_maximum_with_zero_bit_for_bit(dtype: type) -> None:
    values = (np.random.default_rng(0).normal(size=(6, 8)) * 3).astype(dtype)
    if values.dtype.kind == "f":
        values[0, :4] = [np.nan, -0.0, np.inf, -np.inf]
    for x in (values, values[:, ::2]):  # contiguous and strided
        got = ops.Relu.apply(tensor(x)).numpy()
        expected = np.maximum(x, 0).astype(x.dtype)
        assert got.dtype == expected.dtype and got.tobytes() == expected.tobytes()


def _grads(build: Any, create_graph: bool, *arrays: np.ndarray) -> list[bytes]:
    leaves = [tensor(a, requires_grad=True) for a in arrays]
    out = build(*leaves)
    out.backward(create_graph=create_graph)
    return [out.detach().numpy().tobytes()] + [t.grad.detach().numpy().tobytes()
                                               for t in leaves]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [2, -100])  # -100: nothing ignored, no weights array
def test_cross_entropy_backward_matches_the_recorded_backward_bit_for_bit(
        reduction: str, weighted: bool, ignore_index: int) -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(7, 5)).astype(np.float32)
    target = tensor(np.array([0, 4, 2, 2, 1, 3, 0]))
    weight = tg.tensor(rng.uniform(0.5, 2, 5).astype(np.float32)) if weighted else None
    upstream = tensor(rng.normal(size=7).astype(np.float32))

    def loss(x: Tensor) -> Tensor:  # log_softmax's backward on arrays vs recorded
        out = tg.nn.functional.cross_entropy(x, target, weight=weight,
                                             ignore_index=ignore_index, reduction=reduction)
        return (out * upstream).sum() if reduction == "none" else out

    assert _grads(loss, False, logits) == _grads(loss, True, logits)


def test_linear_and_relu_backward_match_the_recorded_backward_bit_for_bit() -> None:
    rng = np.random.default_rng(2)
    arrays = (rng.normal(size=(5, 4)).astype(np.float32),
              rng.normal(size=(3, 4)).astype(np.float32), rng.normal(size=3).astype(np.float32))

    def build(x: Tensor, w: Tensor, b: Tensor) -> Tensor:
        return (tg.nn.functional.linear(x, w, b).relu() * tensor([1.0, -2.0, 3.0])).sum()

    assert _grads(build, False, *arrays) == _grads(build, True, *arrays)


@pytest.mark.parametrize("kernel", [2, 3])  # windows that tile the 6 x 6 image: the array path
def test_max_pool_backward_matches_the_recorded_backward_bit_for_bit(kernel: int) -> None:
    image = np.random.default_rng(3).normal(size=(2, 3, 6, 6)).astype(np.float32)
    image[0, 0, :2, :2] = 1.0  # a tie: the gradient goes to the first maximum either way
    upstream = tensor(np.random.default_rng(4).normal(size=(2, 3, 6 // kernel, 6 // kernel))
                      .astype(np.float32))

    def build(x: Tensor) -> Tensor:
        return (tg.nn.functional.max_pool2d(x, kernel) * upstream).sum()

    assert _grads(build, False, image) == _grads(build, True, image)


# stride 1 takes fold_rows (columns as long as the image rows), other strides fold_array
@pytest.mark.parametrize(("stride", "padding", "groups", "dilation"),
                         [(1, 0, 1, 1), (2, 1, 1, 1), (1, 1, 2, 1), (1, 2, 1, 2)])
def test_conv2d_backward_matches_the_recorded_backward_bit_for_bit(
        stride: int, padding: int, groups: int, dilation: int) -> None:
    rng = np.random.default_rng(5)
    arrays = (rng.normal(size=(2, 4, 7, 9)).astype(np.float32),
              rng.normal(size=(6, 4 // groups, 3, 3)).astype(np.float32),
              rng.normal(size=6).astype(np.float32))

    def build(x: Tensor, w: Tensor, b: Tensor) -> Tensor:
        out = tg.nn.functional.conv2d(x, w, b, stride=stride, padding=padding, groups=groups,
                                      dilation=dilation)
        return (out * tensor(rng.normal(size=out.shape).astype(np.float32))).sum()

    rng_state = rng.bit_generator.state
    plain = _grads(build, False, *arrays)
    rng.bit_generator.state = rng_state  # the same upstream weights for the recorded run
    assert plain == _grads(build, True, *arrays)


# ------------------------------------- im2col columns in one reused buffer per thread


def _conv_reference(x: np.ndarray, w: np.ndarray, upstream: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Convolution (stride 1, no padding) and dL/dW for L = sum(out * upstream), by einsum
    over every window: no im2col, no workspace."""
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[2:], axis=(2, 3))
    out = np.einsum("nchwij,ocij->nohw", windows, w)
    return out, np.einsum("nohw,nchwij->ocij", upstream, windows)


def test_conv_columns_reuse_their_buffer_and_stay_correct() -> None:
    from tinygrad_edu.nn.primitives import _workspace
    rng = np.random.default_rng(0)
    w = tg.nn.Parameter(tensor(rng.normal(size=(5, 3, 3, 3))))
    big, small = rng.normal(size=(4, 3, 12, 12)), rng.normal(size=(2, 3, 6, 6))
    kept = []
    for x in (big, small, big):
        out = tg.nn.functional.conv2d(tensor(x), w)
        upstream = rng.normal(size=out.shape)
        w.grad = None
        (out * tensor(upstream)).sum().backward()
        expected_out, expected_dw = _conv_reference(x, w.detach().numpy(), upstream)
        np.testing.assert_allclose(out.detach().numpy(), expected_out, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(w.grad.numpy(), expected_dw, rtol=1e-12, atol=1e-12)
        kept.append(_workspace.buffer)
    assert kept[0] is kept[1] is kept[2]  # the small columns fit in the big ones' buffer


def test_conv_backward_takes_the_forward_columns_unless_written_over(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tinygrad_edu.nn import primitives
    built: list[tuple[int, ...]] = []  # the image shape of each columns build
    windows = primitives._windows

    def counting(x: np.ndarray, *args: Any, **kwargs: Any) -> np.ndarray:
        built.append(x.shape)
        return windows(x, *args, **kwargs)

    monkeypatch.setattr(primitives, "_windows", counting)
    rng = np.random.default_rng(3)
    conv = tg.nn.Conv2d(2, 3, 3)
    x1, x2 = (tensor(rng.normal(size=(2, 2, 6, 6)).astype(np.float32)) for _ in range(2))
    conv(x1).sum().backward()
    assert len(built) == 1  # built in the forward only
    first, second = conv(x1), conv(x2)  # the second writes over the first's columns
    built.clear()
    (first.sum() + second.sum()).backward()
    assert len(built) == 1  # the first's columns were built again, the second's were kept


@pytest.mark.parametrize("second_size", [10, 8])
def test_conv_used_twice_before_one_backward(second_size: int) -> None:
    # Siamese use: the same layer on two inputs, one backward. The second forward writes
    # over the first's columns: the first's backward must build them again.
    rng = np.random.default_rng(1)
    conv = tg.nn.Conv2d(2, 4, 3, bias=False).double()
    x1, x2 = rng.normal(size=(3, 2, 8, 8)), rng.normal(size=(3, 2, second_size, second_size))
    out1, out2 = conv(tensor(x1)), conv(tensor(x2))
    up1, up2 = rng.normal(size=out1.shape), rng.normal(size=out2.shape)
    ((out1 * tensor(up1)).sum() + (out2 * tensor(up2)).sum()).backward()
    w = conv.weight.detach().numpy()
    (ref1, dw1), (ref2, dw2) = _conv_reference(x1, w, up1), _conv_reference(x2, w, up2)
    np.testing.assert_allclose(out1.detach().numpy(), ref1, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out2.detach().numpy(), ref2, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv.weight.grad.numpy(), dw1 + dw2, rtol=1e-12, atol=1e-12)


def test_conv_in_threads_gives_each_thread_its_own_columns() -> None:
    from concurrent.futures import ThreadPoolExecutor
    rng = np.random.default_rng(2)
    w = rng.normal(size=(4, 2, 3, 3)).astype(np.float32)
    inputs = [rng.normal(size=(2, 2, 9 + i, 9 + i)).astype(np.float32) for i in range(4)]

    def run(x: np.ndarray) -> tuple[bytes, bytes]:
        weight = tensor(w).requires_grad_()
        results = set()
        for _ in range(30):  # long enough for the threads to interleave
            weight.grad = None
            out = tg.nn.functional.conv2d(tensor(x), weight)
            (out * out).sum().backward()
            results.add((out.detach().numpy().tobytes(), weight.grad.numpy().tobytes()))
        assert len(results) == 1
        return results.pop()

    alone = [run(x) for x in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(run, inputs))
    assert together == alone

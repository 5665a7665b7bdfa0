"""``tinygrad_edu.nn.functional`` against PyTorch: outputs and gradients in float64.

Convolution and pooling shapes, strides, paddings and dilations are drawn with hypothesis;
every loss is checked for each reduction; gradcheck verifies the new primitives against
central differences; the bad inputs a student meets first raise PyTorch's messages.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from helpers import OURS, arrays, check_parity, tied_arrays, to_numpy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
RNG = np.random.default_rng(1234)


def normal(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


def lib_f(t: Any) -> Any:
    """The functional module of the library ``t`` belongs to."""
    return TF if isinstance(t, torch.Tensor) else F


# ------------------------------------------------------------------------------ activations


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_activations(name: str) -> None:
    check_parity(lambda x: getattr(lib_f(x), name)(x), None, normal(3, 4))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_family(name: str, dim: int) -> None:
    check_parity(lambda x: getattr(lib_f(x), name)(x, dim=dim), None, normal(3, 4, 2) * 5)


def test_softmax_without_dim_warns_and_picks_torchs_dim() -> None:
    x = normal(3, 4)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        ours = F.softmax(tg.tensor(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = TF.softmax(torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_flatten_matches_torch_flatten() -> None:
    check_parity(lambda x: F.flatten(x, 1), lambda x: torch.flatten(x, 1), normal(2, 3, 4, 5))


@pytest.mark.parametrize("shape", [(5,), (3, 5), (2, 3, 5)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(shape: tuple[int, ...], bias: bool) -> None:
    arrays_in = [normal(*shape), normal(4, 5)] + ([normal(4)] if bias else [])
    check_parity(lambda *a: lib_f(a[0]).linear(*a), None, *arrays_in)


# ------------------------------------------------------------------------------ convolution


@st.composite
def conv_case(draw: st.DrawFn) -> dict[str, Any]:
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    h = draw(st.integers(max(1, dilation[0] * (kh - 1) + 1 - 2 * padding[0]), 7))
    w = draw(st.integers(max(1, dilation[1] * (kw - 1) + 1 - 2 * padding[1]), 7))
    n, c, c_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return {"x": (n, c, h, w), "w": (c_out, c, kh, kw), "stride": stride, "padding": padding,
            "dilation": dilation, "bias": draw(st.booleans())}


@SETTINGS
@given(conv_case(), st.data())
def test_conv2d(case: dict[str, Any], data: st.DataObject) -> None:
    inputs = [data.draw(arrays(case["x"])), data.draw(arrays(case["w"]))]
    if case["bias"]:
        inputs.append(data.draw(arrays((case["w"][0],))))
    options = {k: case[k] for k in ("stride", "padding", "dilation")}
    check_parity(lambda x, w, *b: lib_f(x).conv2d(x, w, *b, **options), None, *inputs)


@pytest.mark.parametrize("padding", ["same", "valid", 1, (2, 0)])
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_conv2d_padding_forms(padding: Any) -> None:
    check_parity(lambda x, w, b: lib_f(x).conv2d(x, w, b, padding=padding), None,
                 normal(2, 2, 6, 5), normal(3, 2, 3, 2), normal(3))


def test_conv2d_groups_and_unbatched_input() -> None:
    check_parity(lambda x, w: lib_f(x).conv2d(x, w, groups=2, stride=2), None,
                 normal(2, 4, 7, 7), normal(6, 2, 3, 3))
    check_parity(lambda x, w: lib_f(x).conv2d(x, w, padding=1), None, normal(2, 5, 5),
                 normal(3, 2, 3, 3))


def test_unfold_and_fold() -> None:
    check_parity(lambda x: lib_f(x).unfold(x, (2, 3), padding=1, stride=(2, 1)), None,
                 normal(2, 3, 5, 6))
    check_parity(lambda c: lib_f(c).fold(c, (5, 6), 2, stride=2, padding=1), None,
                 normal(2, 12, 12))


def test_conv2d_second_order_matches_torch() -> None:
    """Unfold and Fold are each other's backward, so gradients of gradients work."""
    x, w = normal(1, 2, 5, 5), normal(3, 2, 3, 3)
    results = []
    for lib in (tg, torch):
        xt, wt = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        out = (lib_f(xt).conv2d(xt, wt, stride=2, padding=1) ** 2).sum()
        (gx,) = lib.autograd.grad(out, xt, create_graph=True)
        (gw,) = lib.autograd.grad(lib_f(xt).conv2d(xt, wt).sum(), wt, create_graph=True)
        ((gx * gx).sum() + (gw * gw).sum()).backward()  # d(dW)/dx needs the columns of x
        results.append((gx.detach().numpy(), xt.grad.numpy(), wt.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------------------------- pooling


@st.composite
def pool_case(draw: st.DrawFn, dilated: bool) -> dict[str, Any]:
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if dilated else (1, 1)
    spans = [d * (k - 1) + 1 for d, k in zip(dilation, kernel)]
    padding = (draw(st.integers(0, kernel[0] // 2)), draw(st.integers(0, kernel[1] // 2)))
    h, w = draw(st.integers(spans[0], 8)), draw(st.integers(spans[1], 8))
    case = {"shape": (draw(st.integers(1, 2)), draw(st.integers(1, 3)), h, w),
            "kernel_size": kernel, "stride": stride, "padding": padding,
            "ceil_mode": draw(st.booleans())}
    if dilated:
        case["dilation"] = dilation
    return case


@SETTINGS
@given(pool_case(dilated=True), st.data())
def test_max_pool2d(case: dict[str, Any], data: st.DataObject) -> None:
    x = data.draw(arrays(case.pop("shape"), unique=True))
    check_parity(lambda t: lib_f(t).max_pool2d(t, **case), None, x)


@pytest.mark.parametrize("options", [{"kernel_size": 2}, {"kernel_size": 3, "stride": 1},
                                     {"kernel_size": 2, "padding": 1}])
@given(x=tied_arrays((2, 2, 6, 6)))
@settings(max_examples=10, deadline=None)
def test_max_pool2d_ties_send_the_gradient_to_the_first_maximum(
        options: dict[str, Any], x: np.ndarray) -> None:
    check_parity(lambda t: lib_f(t).max_pool2d(t, **options), None, x)


@SETTINGS
@given(pool_case(dilated=False), st.booleans(), st.data())
def test_avg_pool2d(case: dict[str, Any], include_pad: bool, data: st.DataObject) -> None:
    x = data.draw(arrays(case.pop("shape")))
    check_parity(lambda t: lib_f(t).avg_pool2d(t, count_include_pad=include_pad, **case),
                 None, x)


def test_pools_take_int_or_tuple_kernels_and_unbatched_input() -> None:
    x = normal(1, 2, 8, 8)
    for kernel in (2, (2, 2), [2, 2]):
        check_parity(lambda t, k=kernel: lib_f(t).max_pool2d(t, k), None, x)
        check_parity(lambda t, k=kernel: lib_f(t).avg_pool2d(t, k), None, x)
    check_parity(lambda t: lib_f(t).max_pool2d(t, 2), None, normal(2, 6, 7))
    check_parity(lambda t: lib_f(t).avg_pool2d(t, 3, divisor_override=2), None, normal(2, 6, 7))


def test_max_pool2d_padding_too_large() -> None:
    with pytest.raises(RuntimeError, match="pad should be at most half of effective kernel"):
        F.max_pool2d(tg.randn(1, 1, 4, 4), 2, padding=2)


# --------------------------------------------------------------------- dropout, norm, lookup


def test_dropout_eval_is_identity_and_train_scales() -> None:
    x = tg.ones(200, 100)
    assert F.dropout(x, 0.3, training=False) is x
    tg.manual_seed(0)
    y = F.dropout(x, 0.3)
    values = y.numpy()
    kept = values[values != 0]
    np.testing.assert_allclose(kept, 1 / 0.7, rtol=1e-6)
    assert abs((values == 0).mean() - 0.3) < 0.02
    tg.manual_seed(0)
    np.testing.assert_array_equal(F.dropout(x, 0.3).numpy(), values)  # the seed decides
    leaf = tg.ones(50, requires_grad=True)
    out = F.dropout(leaf, 0.5)
    out.sum().backward()
    np.testing.assert_array_equal(leaf.grad.numpy(), out.detach().numpy())
    assert float(F.dropout(x, 1.0).sum()) == 0.0
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        F.dropout(x, 1.5)


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (3, 3, 2, 2)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm(shape: tuple[int, ...], training: bool) -> None:
    stats = {}
    for lib in (tg, torch):
        stats[lib] = (lib.tensor(normal(3) if lib is tg else stats[tg][0].numpy()),
                      lib.tensor(np.abs(normal(3)) + 0.5 if lib is tg
                                 else stats[tg][1].numpy()))
    ours_stats = [OURS.tensor(s.numpy().copy()) for s in stats[tg]]
    theirs_stats = [torch.tensor(s.numpy().copy()) for s in stats[tg]]

    def run(x: Any, w: Any, b: Any) -> Any:
        mean, var = ours_stats if isinstance(x, tg.Tensor) else theirs_stats
        return lib_f(x).batch_norm(x, mean, var, w, b, training=training, momentum=0.2)

    check_parity(run, None, normal(*shape), normal(3), normal(3))
    for ours, theirs in zip(ours_stats, theirs_stats):
        np.testing.assert_allclose(ours.cpu().numpy(), theirs.numpy(), rtol=1e-12)


@pytest.mark.parametrize("padding_idx", [None, 1, -1])
def test_embedding(padding_idx: int | None) -> None:
    index = np.array([[0, 1, 4], [1, 1, 3]])

    def run(w: Any) -> Any:
        lib = torch if isinstance(w, torch.Tensor) else OURS
        return lib_f(w).embedding(lib.tensor(index), w, padding_idx=padding_idx)

    check_parity(run, None, normal(5, 3))


def test_embedding_errors() -> None:
    with pytest.raises(IndexError, match="index out of range in self"):
        F.embedding(tg.tensor([5]), tg.randn(5, 2))
    with pytest.raises(RuntimeError, match="'indices' to have one of the following"):
        F.embedding(tg.tensor([0.0]), tg.randn(5, 2))


# ----------------------------------------------------------------------------------- losses

REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses(name: str, reduction: str) -> None:
    check_parity(lambda x, y: getattr(lib_f(x), name)(x, y, reduction=reduction), None,
                 normal(3, 4), normal(3, 4))


def test_mse_loss_warns_and_broadcasts_like_torch() -> None:
    x, y = normal(1, 10), np.arange(1.0, 11.0)
    message = ("Using a target size (torch.Size([10])) that is different to the input size "
               "(torch.Size([1, 10])). This will likely lead to incorrect results due to "
               "broadcasting. Please ensure they have the same size.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_parity(lambda a, b: lib_f(a).mse_loss(a, b), None, x, y)
    texts = [str(w.message) for w in caught if w.category is UserWarning]
    # ours, then torch's: the same text but for the package name in the Size repr
    assert texts == [message.replace("torch.Size", "tinygrad_edu.Size"), message]


def class_case(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int]:
    n, c = draw(st.integers(1, 4)), draw(st.integers(2, 5))
    logits = draw(arrays((n, c)))
    target = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    return logits, target, c


@SETTINGS
@given(st.data(), st.sampled_from(REDUCTIONS), st.booleans(), st.sampled_from([0.0, 0.2]),
       st.booleans())
def test_cross_entropy(data: st.DataObject, reduction: str, weighted: bool,
                       smoothing: float, ignore: bool) -> None:
    logits, target, c = class_case(data.draw)
    if ignore:
        target[0] = 1  # ignore class 1 (the mean must still have a nonzero weight sum)
        assume(len(set(target.tolist())) > 1 or reduction != "mean")
    weight = np.abs(normal(c)) + 0.1 if weighted else None

    def run(x: Any) -> Any:
        lib = torch if isinstance(x, torch.Tensor) else OURS
        return lib_f(x).cross_entropy(
            x, lib.tensor(target), weight=None if weight is None else lib.tensor(weight),
            ignore_index=1 if ignore else -100, reduction=reduction,
            label_smoothing=smoothing)

    check_parity(run, None, logits)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_spatial_and_probability_targets(reduction: str) -> None:
    target = np.array([[[0, 2], [1, 1]], [[2, 2], [0, 1]]])

    def spatial(x: Any) -> Any:
        lib = torch if isinstance(x, torch.Tensor) else OURS
        return lib_f(x).cross_entropy(x, lib.tensor(target), reduction=reduction,
                                      label_smoothing=0.1)

    check_parity(spatial, None, normal(2, 3, 2, 2))
    probabilities = np.abs(normal(4, 3))
    probabilities /= probabilities.sum(1, keepdims=True)
    check_parity(lambda x, p: lib_f(x).cross_entropy(x, p, reduction=reduction,
                                                     label_smoothing=0.1),
                 None, normal(4, 3), probabilities, requires_grad=[True, False])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss(reduction: str) -> None:
    target, weight = np.array([0, 2, 1, 2]), np.array([0.5, 1.0, 2.0])

    def run(x: Any) -> Any:
        lib = torch if isinstance(x, torch.Tensor) else OURS
        return lib_f(x).nll_loss(x.log_softmax(1), lib.tensor(target),
                                 weight=lib.tensor(weight), reduction=reduction,
                                 ignore_index=0)

    check_parity(run, None, normal(4, 3))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy(reduction: str) -> None:
    probabilities = RNG.uniform(0.05, 0.95, (3, 4))
    check_parity(lambda x, y, w: lib_f(x).binary_cross_entropy(x, y, w, reduction=reduction),
                 None, probabilities, RNG.uniform(0, 1, (3, 4)), normal(4),
                 requires_grad=[True, True, False])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos_weight", [False, True])
def test_binary_cross_entropy_with_logits(reduction: str, pos_weight: bool) -> None:
    extra = [np.abs(normal(4)) + 0.5] if pos_weight else []

    def run(x: Any, y: Any, w: Any, *p: Any) -> Any:
        return lib_f(x).binary_cross_entropy_with_logits(
            x, y, w, reduction=reduction, pos_weight=p[0] if p else None)

    check_parity(run, None, normal(3, 4) * 30, RNG.uniform(0, 1, (3, 4)), normal(4), *extra,
                 requires_grad=[True, True, False] + [False] * len(extra))


@pytest.mark.parametrize("name", ["cross_entropy", "bce_with_logits"])
def test_losses_stay_finite_for_huge_logits(name: str) -> None:
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0]])
    if name == "cross_entropy":
        target = np.array([1, 0])
        check_parity(lambda x: lib_f(x).cross_entropy(
            x, (torch if isinstance(x, torch.Tensor) else OURS).tensor(target)), None, logits)
    else:
        check_parity(lambda x, y: lib_f(x).binary_cross_entropy_with_logits(x, y), None,
                     logits, np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]]),
                     requires_grad=[True, False])
    float_logits = tg.tensor(logits, dtype=tg.float32, requires_grad=True)
    loss = F.cross_entropy(float_logits, tg.tensor([1, 0]))
    loss.backward()
    assert np.isfinite(loss.item()) and np.isfinite(float_logits.grad.numpy()).all()


# ----------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("function", [F.cross_entropy, F.nll_loss])
def test_target_out_of_bounds(function: Any) -> None:
    with pytest.raises(IndexError, match=r"^Target 12 is out of bounds\.$"):
        function(tg.randn(3, 10), tg.tensor([1, 12, 0]))
    with pytest.raises(IndexError, match=r"^Target -3 is out of bounds\.$"):
        function(tg.randn(3, 10), tg.tensor([1, -3, 0]))


def test_loss_argument_errors() -> None:
    with pytest.raises(ValueError, match="foo is not a valid value for reduction"):
        F.mse_loss(tg.randn(3), tg.randn(3), reduction="foo")
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target "
                                         r"batch_size \(2\)"):
        F.cross_entropy(tg.randn(3, 5), tg.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long"):
        F.nll_loss(tg.randn(2, 3), tg.tensor([0.0, 1.0]))
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(tg.tensor([1.5]), tg.tensor([1.0]))
    with pytest.raises(ValueError, match=r"Using a target size \(tinygrad_edu.Size\(\[1, 3\]\)\)"):
        F.binary_cross_entropy(tg.rand(3), tg.rand(1, 3))
    with pytest.raises(ValueError, match=r"Target size \(tinygrad_edu.Size\(\[3\]\)\) must be"):
        F.binary_cross_entropy_with_logits(tg.randn(2, 3), tg.rand(3))


def test_conv2d_errors_name_the_shapes() -> None:
    with pytest.raises(RuntimeError, match=r"^Given groups=1, weight of size \[6, 1, 5, 5\], "
                                           r"expected input\[1, 3, 32, 32\] to have 1 "
                                           r"channels, but got 3 channels instead$"):
        F.conv2d(tg.randn(1, 3, 32, 32), tg.randn(6, 1, 5, 5))
    with pytest.raises(RuntimeError, match=r"Calculated padded input size per channel: "
                                           r"\(3 x 3\)\. Kernel size: \(5 x 5\)"):
        F.conv2d(tg.randn(1, 1, 3, 3), tg.randn(6, 1, 5, 5))
    with pytest.raises(RuntimeError, match="Expected 3D \\(unbatched\\) or 4D \\(batched\\)"):
        F.conv2d(tg.randn(5, 5), tg.randn(6, 1, 5, 5))
    with pytest.raises(RuntimeError, match="padding='same' is not supported for strided"):
        F.conv2d(tg.randn(1, 1, 5, 5), tg.randn(1, 1, 3, 3), stride=2, padding="same")


def test_linear_errors_name_the_shapes() -> None:
    with pytest.raises(RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied "
                                           r"\(1x300 and 400x120\)$"):
        F.linear(tg.randn(1, 300), tg.randn(120, 400))
    with pytest.raises(RuntimeError, match=r"\(1x300 and 400x120\)"):
        F.linear(tg.randn(300), tg.randn(120, 400))
    with pytest.raises(RuntimeError, match="mat1 and mat2 must have the same dtype, but got "
                                           "Double and Float"):  # PyTorch's names
        F.linear(tg.randn(2, 3, dtype=tg.float64), tg.randn(4, 3))


# -------------------------------------------------------------------------------- gradcheck


def leaf(*shape: int) -> tg.Tensor:
    return tg.tensor(normal(*shape), requires_grad=True)


def test_gradcheck_conv2d() -> None:
    assert gradcheck(lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1),
                     [leaf(1, 2, 5, 4), leaf(2, 2, 3, 2), leaf(2)])


def test_gradcheck_max_pool2d() -> None:
    x = tg.tensor(RNG.permutation(72).reshape(1, 2, 6, 6) / 10.0, requires_grad=True)
    assert gradcheck(lambda t: F.max_pool2d(t, 2), [x])
    assert gradcheck(lambda t: F.max_pool2d(t, 3, stride=2, padding=1), [x])


def test_gradcheck_avg_pool2d() -> None:
    assert gradcheck(lambda t: F.avg_pool2d(t, 3, stride=2, padding=1, ceil_mode=True),
                     [leaf(1, 2, 6, 5)])


def test_gradcheck_cross_entropy() -> None:
    target = tg.tensor([0, 2, 1])
    assert gradcheck(lambda x: F.cross_entropy(x, target, label_smoothing=0.1), [leaf(3, 4)])
    probabilities = tg.rand(3, 4, dtype=tg.float64)
    assert gradcheck(lambda x: F.binary_cross_entropy_with_logits(x, probabilities),
                     [leaf(3, 4)])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_records_pytorchs_two_nodes_and_differentiates_twice(
        reduction: str) -> None:
    """(N, C) input: LogSoftmaxBackward0 then NllLossBackward0, as PyTorch records; the
    gradient of the gradient (create_graph) matches torch's."""
    x = normal(4, 5)
    target = np.array([1, 0, 4, -100])
    results = []
    for lib in (tg, torch):
        xt = lib.tensor(x, requires_grad=True)
        loss = lib_f(xt).cross_entropy(xt, lib.tensor(target), reduction=reduction)
        names = (type(loss.grad_fn).__name__ if lib is torch else loss.grad_fn.name(),
                 (type(loss.grad_fn.next_functions[0][0]).__name__ if lib is torch
                  else loss.grad_fn.next_functions[0][0].name()))
        total = loss.sum() if reduction == "none" else loss
        (g,) = lib.autograd.grad(total, xt, create_graph=True)
        (g * g).sum().backward()
        results.append((names, g.detach().numpy(), xt.grad.numpy()))
    (ours_names, ours_g, ours_gg), (torch_names, torch_g, torch_gg) = results
    assert ours_names == torch_names == ("NllLossBackward0", "LogSoftmaxBackward0")
    np.testing.assert_allclose(ours_g, torch_g, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours_gg, torch_gg, rtol=1e-9, atol=1e-12)


# ------------------------------------------- more activations: leaky_relu, elu, silu, ...

# (name, keyword arguments): each against torch.nn.functional's function of the same name
MORE_ACTIVATIONS = [
    ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.2}),
    ("leaky_relu", {"negative_slope": -0.5}), ("elu", {}), ("elu", {"alpha": 0.5}),
    ("silu", {}), ("hardtanh", {}), ("hardtanh", {"min_val": -2.0, "max_val": 0.5}),
    ("relu6", {}), ("softplus", {}), ("softplus", {"beta": 2.0}),
    ("softplus", {"beta": 0.5, "threshold": 1.0}),
]
ACTIVATION_IDS = [f"{name}{kwargs or ''}" for name, kwargs in MORE_ACTIVATIONS]


@pytest.mark.parametrize(("name", "kwargs"), MORE_ACTIVATIONS, ids=ACTIVATION_IDS)
def test_more_activations_match_torch(name: str, kwargs: dict[str, Any]) -> None:
    """Values spread over both sides of every kink and threshold (scaled by 8), and the
    kinks themselves: hardtanh's gradient stops at its bounds, clamp's does not."""
    x = np.concatenate([normal(40) * 8, [0.0, -1.0, 1.0, -2.0, 0.5, 6.0, 20.0, 10.0]])
    check_parity(lambda t: getattr(lib_f(t), name)(t, **kwargs), None, x)
    ours = getattr(F, name)(tg.tensor(x, requires_grad=True), **kwargs)
    theirs = getattr(TF, name)(torch.tensor(x, requires_grad=True), **kwargs)
    assert ours.grad_fn.name() == theirs.grad_fn.name()


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # silu(-inf)
@pytest.mark.parametrize(("name", "kwargs"), MORE_ACTIVATIONS, ids=ACTIVATION_IDS)
def test_more_activations_at_nan_inf_and_zero_as_torch(name: str, kwargs: dict[str, Any]
                                                       ) -> None:
    values = [float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 1e300, -1e300, 3.0, -3.0]
    outputs, grads = [], []
    for lib in (OURS, torch):
        x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        out = getattr(lib_f(x), name)(x, **kwargs)
        out.backward(lib.tensor(np.linspace(-1.5, 2.5, len(values))))
        outputs.append(to_numpy(out.detach()))
        grads.append(to_numpy(x.grad))
    for what, (a, b) in (("output", outputs), ("gradient", grads)):
        assert np.array_equal(np.isnan(a), np.isnan(b)), f"{what}: NaN at {a}, torch {b}"
        np.testing.assert_allclose(a, b, rtol=1e-12, err_msg=f"{what} differs from torch's")


@pytest.mark.parametrize(("name", "kwargs"), MORE_ACTIVATIONS, ids=ACTIVATION_IDS)
def test_more_activations_pass_gradcheck(name: str, kwargs: dict[str, Any]) -> None:
    x = tg.tensor(normal(3, 4) * 3 + 0.05, requires_grad=True)  # away from the kinks at 0
    assert gradcheck(lambda t: getattr(F, name)(t, **kwargs), [x])


@pytest.mark.parametrize(("name", "kwargs"), MORE_ACTIVATIONS, ids=ACTIVATION_IDS)
def test_more_activations_second_order_as_torch(name: str, kwargs: dict[str, Any]) -> None:
    """The backward is made of recorded ops: its own gradient (create_graph) is torch's."""
    x = normal(3, 4) * 3 + 0.05
    grads = []
    for lib in (OURS, torch):
        xt = lib.tensor(x, requires_grad=True)
        (g,) = lib.autograd.grad((getattr(lib_f(xt), name)(xt, **kwargs) ** 2).sum(), xt,
                                 create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), xt)
        grads.append(to_numpy(gg.detach()))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-10, atol=1e-12)


IN_PLACE = [(n, k) for n, k in MORE_ACTIVATIONS if n != "softplus"]  # no softplus_ in torch


@pytest.mark.parametrize(("name", "kwargs"), IN_PLACE,
                         ids=[f"{n}{k or ''}" for n, k in IN_PLACE])
def test_more_activations_in_place_as_torch(name: str, kwargs: dict[str, Any]) -> None:
    """``inplace=True`` writes into the input (a non-leaf here) and the gradient still
    flows back through it."""
    x = normal(3, 5) * 4
    if kwargs.get("negative_slope", 0) < 0:  # PyTorch refuses this backward; ours works
        with pytest.raises(RuntimeError, match="In-place leakyReLu backward calculation"):
            check_parity(lambda t: lib_f(t).leaky_relu(t * 1.0, **kwargs, inplace=True),
                         None, x)
        check_parity(lambda t: F.leaky_relu(t * 1.0, **kwargs, inplace=True),
                     lambda t: TF.leaky_relu(t * 1.0, **kwargs), x)
        return
    check_parity(lambda t: getattr(lib_f(t), name)(t * 1.0, **kwargs, inplace=True), None, x)


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "silu", "softplus"])
def test_float_only_activations_refuse_integers_as_torch(name: str) -> None:
    with pytest.raises(NotImplementedError) as theirs:
        getattr(TF, name)(torch.tensor([1, -2]))
    with pytest.raises(NotImplementedError) as ours:
        getattr(F, name)(tg.tensor([1, -2]))
    assert str(ours.value) == str(theirs.value)


def test_hardtanh_and_relu6_keep_integers_as_torch() -> None:
    check_parity(lambda t: lib_f(t).hardtanh(t), None, np.array([3, -2, 0, 1]))
    check_parity(lambda t: lib_f(t).relu6(t), None, np.array([7, -2, 0, 6]))
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        F.hardtanh(tg.tensor([1.0]), 2.0, 1.0)


@pytest.mark.parametrize("make", [
    lambda nn: nn.LeakyReLU(), lambda nn: nn.LeakyReLU(0.2, inplace=True), lambda nn: nn.ELU(),
    lambda nn: nn.ELU(alpha=0.5), lambda nn: nn.SiLU(), lambda nn: nn.Hardtanh(),
    lambda nn: nn.Hardtanh(-2, 3), lambda nn: nn.ReLU6(), lambda nn: nn.Softplus(),
    lambda nn: nn.Softplus(beta=2, threshold=10)])
def test_more_activation_modules_print_and_compute_as_torch(make: Any) -> None:
    ours, theirs = make(tg.nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    x = normal(4, 3) * 4
    check_parity(lambda t: (ours if isinstance(t, tg.Tensor) else theirs)(t * 1.0), None, x)

"""More of ``nn`` against PyTorch: GELU, the Huber and smooth L1 losses, ``one_hot``, adaptive
pooling, ``LazyLinear``, ``ModuleDict`` / ``ParameterList`` / ``ParameterDict``, more of
``nn.init``, ``nn.utils`` (gradient clipping, parameters as a vector), the legacy
``size_average`` / ``reduce`` arguments of the losses, and PyTorch's messages for a module
without ``forward`` and for a pooling window larger than its input.

Values and gradients are compared in float64 on hypothesis-drawn shapes (``check_parity``),
gradients also against central differences (``gradcheck``) and to second order.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import warnings
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from helpers import (
    OURS,
    OURS_DEVICE,
    arrays,
    broadcastable_pair,
    check_parity,
    lib_of,
    shapes,
    to_numpy,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck

SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
RNG = np.random.default_rng(2024)


def normal(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


def lib_f(t: Any) -> Any:
    return TF if isinstance(t, torch.Tensor) else F



def same_error(ours: Any, theirs: Any, kind: type[BaseException]) -> None:
    """Both raise ``kind`` with the same message (ours may name this package for torch)."""
    with pytest.raises(kind) as expected:
        theirs()
    with pytest.raises(kind) as got:
        ours()
    assert str(got.value) == str(expected.value).replace("torch.", "tinygrad_edu.")


def second_order(function: Any, *arrays_in: np.ndarray) -> None:
    """The gradient of the gradient (create_graph) of ``sum(function(x) ** 2)`` is torch's."""
    results = []
    for lib in (OURS, torch):
        inputs = [lib.tensor(a, requires_grad=True) for a in arrays_in]
        total = (function(*inputs) ** 2).sum()
        grads = lib.autograd.grad(total, inputs, create_graph=True)
        second = lib.autograd.grad(sum((g * g).sum() for g in grads), inputs)
        results.append([to_numpy(g.detach()) for g in (*grads, *second)])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def ours_module(module: Any) -> Any:
    """One of our modules on the device the suite runs on."""
    return module.to(OURS_DEVICE)


# -------------------------------------------------------------------------------------- GELU


@pytest.mark.parametrize("approximate", ["none", "tanh"])
@SETTINGS
@given(data=st.data())
def test_gelu_matches_torch(approximate: str, data: st.DataObject) -> None:
    x = data.draw(arrays(shapes(), st.floats(-8, 8)), label="x")
    check_parity(lambda t: lib_f(t).gelu(t, approximate=approximate), None, x)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # -inf * 0
@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_grad_fn_extremes_second_order_and_gradcheck(approximate: str) -> None:
    values = np.array([0.0, -0.0, 1e-300, -40.0, 40.0, np.inf, -np.inf, np.nan, 3.0, -3.0])
    check_parity(lambda t: lib_f(t).gelu(t, approximate=approximate), None, values)
    ours = F.gelu(tg.tensor([1.0], requires_grad=True), approximate=approximate)
    assert ours.grad_fn.name() == "GeluBackward0"
    second_order(lambda t: lib_f(t).gelu(t, approximate=approximate), normal(3, 4) * 2)
    assert gradcheck(lambda t: F.gelu(t, approximate=approximate),
                     [tg.tensor(normal(3, 4) * 2, requires_grad=True)])


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_float32_close_to_torch_and_module(approximate: str) -> None:
    x = (normal(1000) * 4).astype(np.float32)
    ours = to_numpy(nn.GELU(approximate)(OURS.tensor(x)))
    theirs = torch.nn.GELU(approximate)(torch.tensor(x)).numpy()
    assert ours.dtype == np.float32  # 1 + erf(x) (or tanh) cancels for large negative x
    np.testing.assert_allclose(ours, theirs, rtol=2e-6, atol=1e-6)  # in both libraries
    assert repr(nn.GELU(approximate)) == repr(torch.nn.GELU(approximate))
    assert repr(nn.GELU()) == "GELU(approximate='none')"


def test_gelu_errors_as_torch() -> None:
    same_error(lambda: F.gelu(tg.randn(3), approximate="foo"),
               lambda: TF.gelu(torch.randn(3), approximate="foo"), RuntimeError)
    same_error(lambda: F.gelu(tg.tensor([1, 2])), lambda: TF.gelu(torch.tensor([1, 2])),
               NotImplementedError)
    same_error(lambda: F.gelu(tg.tensor([True])), lambda: TF.gelu(torch.tensor([True])),
               NotImplementedError)
    same_error(lambda: F.gelu(tg.randn(3), approximate=None),
               lambda: TF.gelu(torch.randn(3), approximate=None), TypeError)


# ------------------------------------------------------------------ Huber and smooth L1 losses

REDUCTIONS = ["mean", "sum", "none"]
POINTWISE = {  # name -> (call, keyword of its threshold)
    "huber_loss": ("delta", [0.5, 1.0, 2.5]),
    "smooth_l1_loss": ("beta", [0.5, 1.0, 2.5, 0.0]),
}


@pytest.mark.parametrize("name", POINTWISE)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@SETTINGS
@given(data=st.data())
def test_pointwise_losses_match_torch_with_broadcasting(name: str, reduction: str,
                                                        data: st.DataObject) -> None:
    keyword, thresholds = POINTWISE[name]
    threshold = data.draw(st.sampled_from(thresholds), label=keyword)
    shape_a, shape_b = data.draw(broadcastable_pair(), label="shapes")
    x, y = data.draw(arrays(shape_a), label="x"), data.draw(arrays(shape_b), label="y")
    flags = data.draw(st.sampled_from([(True, True), (True, False), (False, True)]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the broadcast warning: tested below
        check_parity(lambda a, b: getattr(lib_f(a), name)(
            a, b, reduction=reduction, **{keyword: threshold}), None, x, y,
            requires_grad=flags)


@pytest.mark.filterwarnings("ignore:Using a target size:UserWarning")  # gradcheck's (4,)
@pytest.mark.parametrize("name", POINTWISE)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_pointwise_losses_at_the_threshold_names_and_second_order(name: str,
                                                                  reduction: str) -> None:
    keyword = POINTWISE[name][0]
    x = np.array([0.0, 1.0, -1.0, 1.5, -2.0, 0.25, np.nan, 4.0])
    y = np.array([0.0, 0.0, 0.0, 0.5, -1.0, 0.0, 1.0, np.inf])
    options = {"reduction": reduction, keyword: 1.0}
    check_parity(lambda a, b: getattr(lib_f(a), name)(a, b, **options), None, x, y)
    ours = getattr(F, name)(tg.tensor([1.0], requires_grad=True), tg.tensor([0.0]), **options)
    theirs = getattr(TF, name)(torch.tensor([1.0], requires_grad=True), torch.tensor([0.0]),
                               **options)
    assert ours.grad_fn.name() == type(theirs.grad_fn).__name__
    second_order(lambda a, b: getattr(lib_f(a), name)(a, b, **options), normal(3, 4),
                 normal(3, 4))
    assert gradcheck(lambda a, b: getattr(F, name)(a, b, **options),
                     [tg.tensor(normal(3, 4) * 2, requires_grad=True),
                      tg.tensor(normal(4), requires_grad=True)])


def test_smooth_l1_with_beta_zero_is_the_l1_loss_as_torch() -> None:
    for reduction in REDUCTIONS:
        ours = F.smooth_l1_loss(tg.randn(3, requires_grad=True), tg.randn(3), beta=0.0,
                                reduction=reduction)
        theirs = TF.smooth_l1_loss(torch.randn(3, requires_grad=True), torch.randn(3),
                                   beta=0.0, reduction=reduction)
        assert ours.grad_fn.name() == type(theirs.grad_fn).__name__


def test_huber_loss_weight_and_mixed_dtypes_as_torch() -> None:
    for reduction in REDUCTIONS:
        check_parity(lambda a, b, w, r=reduction: lib_f(a).huber_loss(
            a, b, reduction=r, weight=w), None, normal(3, 4) * 2, normal(3, 4),
            np.abs(normal(3, 4)), requires_grad=[True, True, False])
    # a target of another dtype: huber keeps the input's dtype, smooth_l1 promotes (as torch,
    # which differentiates neither)
    check_parity(lambda a, b: lib_f(a).huber_loss(a, b.float()), None, normal(3), normal(3),
                 backward=False)
    check_parity(lambda a, b: lib_f(a).smooth_l1_loss(a.float(), b), None, normal(3),
                 normal(3), backward=False)


@pytest.mark.parametrize("name", POINTWISE)
def test_pointwise_losses_warn_about_broadcasting_as_torch(name: str) -> None:
    message = ("Using a target size (torch.Size([10])) that is different to the input size "
               "(torch.Size([1, 10])). This will likely lead to incorrect results due to "
               "broadcasting. Please ensure they have the same size.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_parity(lambda a, b: getattr(lib_f(a), name)(a, b), None, normal(1, 10),
                     normal(10))
    texts = [str(w.message) for w in caught if w.category is UserWarning]
    assert texts == [message.replace("torch.Size", "tinygrad_edu.Size"), message]


def test_pointwise_loss_errors_as_torch() -> None:
    x, y = tg.randn(3), tg.randn(3)
    tx, ty = torch.randn(3), torch.randn(3)
    for delta in (0.0, -1.0):
        same_error(lambda d=delta: F.huber_loss(x, y, delta=d),
                   lambda d=delta: TF.huber_loss(tx, ty, delta=d), RuntimeError)
    same_error(lambda: F.smooth_l1_loss(x, y, beta=-1.0),
               lambda: TF.smooth_l1_loss(tx, ty, beta=-1.0), RuntimeError)
    same_error(lambda: F.huber_loss(x, y, reduction="foo"),
               lambda: TF.huber_loss(tx, ty, reduction="foo"), ValueError)
    same_error(lambda: F.huber_loss(x, y, weight=tg.ones(2)),
               lambda: TF.huber_loss(tx, ty, weight=torch.ones(2)), ValueError)
    same_error(lambda: F.huber_loss(tg.tensor([1, 2]), tg.tensor([1, 3])),
               lambda: TF.huber_loss(torch.tensor([1, 2]), torch.tensor([1, 3])),
               NotImplementedError)
    same_error(lambda: F.smooth_l1_loss(tg.tensor([1, 2]), tg.tensor([1, 3])),
               lambda: TF.smooth_l1_loss(torch.tensor([1, 2]), torch.tensor([1, 3])),
               NotImplementedError)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(RuntimeError, match=r"^The size of tensor a \(3\) must match the "
                                               r"size of tensor b \(4\) at non-singleton "
                                               r"dimension 0"):
            F.huber_loss(x, tg.randn(4))


@pytest.mark.parametrize("make", [
    lambda nn: nn.HuberLoss(), lambda nn: nn.HuberLoss(reduction="sum", delta=0.3),
    lambda nn: nn.SmoothL1Loss(), lambda nn: nn.SmoothL1Loss(reduction="none", beta=2.0),
    lambda nn: nn.SmoothL1Loss(beta=0.0)])
def test_pointwise_loss_modules_print_and_compute_as_torch(make: Any) -> None:
    ours, theirs = make(nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    check_parity(lambda a, b: (ours if isinstance(a, tg.Tensor) else theirs)(a, b), None,
                 normal(4, 3) * 2, normal(4, 3))


# ------------------------------------------------------ legacy size_average / reduce arguments


LEGACY = list(itertools.product([None, True, False], [None, True, False]))


@pytest.mark.parametrize(("size_average", "reduce"), LEGACY)
@pytest.mark.parametrize("name", ["MSELoss", "L1Loss", "NLLLoss", "CrossEntropyLoss",
                                  "BCELoss", "BCEWithLogitsLoss", "SmoothL1Loss"])
def test_losses_map_legacy_arguments_with_torchs_warning(name: str, size_average: bool | None,
                                                         reduce: bool | None) -> None:
    results = []
    for lib in (tg, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module = getattr(lib.nn, name)(size_average=size_average, reduce=reduce)
        results.append((module.reduction, [str(w.message) for w in caught]))
    assert results[0] == results[1]
    assert bool(results[0][1]) == (size_average is not None or reduce is not None)


def test_loss_modules_take_torchs_positional_arguments() -> None:
    weight = np.array([0.2, 1.0, 3.0])
    logits, target = normal(4, 3), np.array([0, 2, 1, 2])
    for name in ("NLLLoss", "CrossEntropyLoss"):
        results = []
        for lib in (OURS, torch):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                # weight, size_average, ignore_index, reduce: as PyTorch orders them
                loss = getattr(lib.nn, name)(lib.tensor(weight), None, 2, False)
            x = lib.tensor(logits).log_softmax(1) if name == "NLLLoss" else lib.tensor(logits)
            results.append(to_numpy(loss(x, lib.tensor(target))))
        np.testing.assert_allclose(results[0], results[1], rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert nn.SmoothL1Loss(False).reduction == torch.nn.SmoothL1Loss(False).reduction
        ours = F.smooth_l1_loss(tg.tensor([1.0, 3.0]), tg.tensor([0.0, 0.0]),
                                size_average=False)
    assert float(ours) == 3.0


# ------------------------------------------------------------------------------------ one_hot


@SETTINGS
@given(shape=shapes(max_dims=3), data=st.data())
def test_one_hot_matches_torch(shape: tuple[int, ...], data: st.DataObject) -> None:
    classes = data.draw(st.integers(1, 6), label="classes")
    values = data.draw(st.lists(st.integers(0, classes - 1), min_size=math.prod(shape),
                                max_size=math.prod(shape)), label="values")
    index = np.array(values, dtype=np.int64).reshape(shape)
    for num_classes in (-1, classes, classes + 2):
        ours = F.one_hot(OURS.tensor(index), num_classes)
        theirs = TF.one_hot(torch.tensor(index), num_classes)
        assert ours.dtype is tg.int64 and tuple(ours.shape) == tuple(theirs.shape)
        assert ours.device.type == OURS_DEVICE
        np.testing.assert_array_equal(to_numpy(ours), theirs.numpy())


def test_one_hot_of_an_empty_tensor_with_classes() -> None:
    ours = F.one_hot(tg.tensor([], dtype=tg.int64), 3)
    assert tuple(ours.shape) == (0, 3) and ours.dtype is tg.int64


@pytest.mark.parametrize(("index", "num_classes", "kind"), [
    ([0, -1, 1], -1, RuntimeError), ([0, 3, 1], 3, RuntimeError), ([0, 1], 0, RuntimeError),
    ([0, 1], -2, RuntimeError), ([0.0, 1.0], -1, RuntimeError), ([], -1, RuntimeError),
    ([0, 1], 2.0, TypeError)])
def test_one_hot_errors_as_torch(index: list[Any], num_classes: Any,
                                 kind: type[BaseException]) -> None:
    same_error(lambda: F.one_hot(tg.tensor(index, dtype=None if index else tg.int64),
                                 num_classes),
               lambda: TF.one_hot(torch.tensor(index, dtype=None if index else torch.long),
                                  num_classes), kind)
    same_error(lambda: F.one_hot(tg.tensor([0, 1], dtype=tg.int32)),
               lambda: TF.one_hot(torch.tensor([0, 1], dtype=torch.int32)), RuntimeError)


# ------------------------------------------------------------------------- adaptive pooling


@st.composite
def adaptive_case(draw: st.DrawFn) -> tuple[tuple[int, ...], Any]:
    h, w = draw(st.integers(1, 9), label="H"), draw(st.integers(1, 9), label="W")
    batch = draw(st.sampled_from([(), (1,), (2,)]), label="batch")
    shape = (*batch, draw(st.integers(1, 3), label="C"), h, w)
    side = st.one_of(st.none(), st.integers(1, 10))
    size = draw(st.one_of(st.integers(1, 10), st.tuples(side, side)), label="output_size")
    return shape, size


@pytest.mark.parametrize("kind", ["avg", "max"])
@SETTINGS
@given(case=adaptive_case(), data=st.data())
def test_adaptive_pools_match_torch(kind: str, case: tuple[tuple[int, ...], Any],
                                    data: st.DataObject) -> None:
    shape, size = case
    x = data.draw(arrays(shape, unique=kind == "max"), label="x")
    check_parity(lambda t: getattr(lib_f(t), f"adaptive_{kind}_pool2d")(t, size), None, x)


@pytest.mark.parametrize(("shape", "size"), [((2, 3, 7, 5), 3), ((1, 2, 6, 8), (3, 4)),
                                             ((2, 5, 9), (4, None)), ((1, 1, 4, 4), (6, 7))])
def test_adaptive_max_pool_indices_and_ties_as_torch(shape: tuple[int, ...], size: Any) -> None:
    x = RNG.integers(-2, 3, shape).astype(np.float64)  # many ties: the first maximum wins
    check_parity(lambda t: lib_f(t).adaptive_max_pool2d(t, size, return_indices=True), None, x)
    module = nn.AdaptiveMaxPool2d(size, return_indices=True)
    _, indices = module(OURS.tensor(x))
    theirs = torch.nn.AdaptiveMaxPool2d(size, return_indices=True)(torch.tensor(x))
    assert indices.dtype is tg.int64
    np.testing.assert_array_equal(to_numpy(indices), theirs[1].numpy())


@pytest.mark.parametrize("size", [1, (1, 1), 3, (7, 5), (None, 2), (2, 3)])
def test_adaptive_avg_pool_grad_fn_names_and_second_order_as_torch(size: Any) -> None:
    x = normal(2, 3, 7, 5)
    ours = F.adaptive_avg_pool2d(tg.tensor(x, requires_grad=True), size)
    theirs = TF.adaptive_avg_pool2d(torch.tensor(x, requires_grad=True), size)
    assert ours.grad_fn.name() == type(theirs.grad_fn).__name__
    second_order(lambda t: lib_f(t).adaptive_avg_pool2d(t, size) ** 2, x)
    second_order(lambda t: lib_f(t).adaptive_max_pool2d(t, size) ** 2, x)
    for lib in (tg, torch):  # the recorded backward's own node
        t = lib.tensor(x, requires_grad=True)
        (g,) = lib.autograd.grad((lib_f(t).adaptive_avg_pool2d(t, (2, 3)) ** 2).sum(), t,
                                 create_graph=True)
        name = g.grad_fn.name() if lib is tg else type(g.grad_fn).__name__
        assert name == "AdaptiveAvgPool2DBackwardBackward0"


def test_adaptive_pools_gradcheck() -> None:
    x = tg.tensor(RNG.permutation(2 * 3 * 7 * 5).reshape(2, 3, 7, 5) / 10.0, requires_grad=True)
    for size in [(3, 2), (7, 5), (4, 4), (None, 3)]:
        assert gradcheck(lambda t, s=size: F.adaptive_avg_pool2d(t, s), [x])
        assert gradcheck(lambda t, s=size: F.adaptive_max_pool2d(t, s), [x])


def test_adaptive_pools_of_empty_batches_and_zero_sizes_as_torch() -> None:
    check_parity(lambda t: lib_f(t).adaptive_avg_pool2d(t, 2), None, normal(0, 2, 3, 3))
    check_parity(lambda t: lib_f(t).adaptive_max_pool2d(t, 2), None, normal(0, 2, 3, 3))
    check_parity(lambda t: lib_f(t).adaptive_avg_pool2d(t, 0), None, normal(1, 2, 3, 3),
                 backward=False)  # PyTorch's backward refuses an empty output
    check_parity(lambda t: lib_f(t).adaptive_max_pool2d(t, (0, 2)), None, normal(1, 2, 3, 3),
                 backward=False)


@pytest.mark.parametrize("kind", ["avg", "max"])
@pytest.mark.parametrize(("shape", "size"), [((2, 3), 2), ((1, 2, 3, 3), (2, 2, 2)),
                                             ((1, 2, 3, 3), -1), ((1, 2, 3, 3), (2, -3)),
                                             ((1, 2, 0, 3), 2), ((2, 0, 3), 2)])
def test_adaptive_pool_errors_as_torch(kind: str, shape: tuple[int, ...], size: Any) -> None:
    name = f"adaptive_{kind}_pool2d"
    same_error(lambda: getattr(F, name)(tg.zeros(*shape), size),
               lambda: getattr(TF, name)(torch.zeros(*shape), size), RuntimeError)


@pytest.mark.parametrize(("kind", "size"), [("avg", 2), ("avg", 1), ("max", 1), ("max", 2)])
def test_adaptive_pools_of_integers_raise_torchs_errors(kind: str, size: int) -> None:
    name = f"adaptive_{kind}_pool2d"
    error = RuntimeError if (kind, size) == ("avg", 1) else NotImplementedError  # the mean's
    same_error(lambda: getattr(F, name)(tg.tensor([[[1, 2], [3, 4]]]), size),
               lambda: getattr(TF, name)(torch.tensor([[[1, 2], [3, 4]]]), size), error)


@pytest.mark.parametrize("size", [3, (None, 3), (2, None), [2, 4], None])
def test_adaptive_pool_modules_print_as_torch(size: Any) -> None:
    assert repr(nn.AdaptiveAvgPool2d(size)) == repr(torch.nn.AdaptiveAvgPool2d(size))
    assert repr(nn.AdaptiveMaxPool2d(size)) == repr(torch.nn.AdaptiveMaxPool2d(size))
    if size is None:  # PyTorch prints it, then fails to run it
        return
    check_parity(lambda t: (nn.AdaptiveAvgPool2d(size) if isinstance(t, tg.Tensor)
                            else torch.nn.AdaptiveAvgPool2d(size))(t), None, normal(1, 2, 5, 6))


# --------------------------------------------------------- pooling: output size too small


@pytest.mark.parametrize(("shape", "options"), [
    ((1, 1, 1), {"kernel_size": 2}), ((2, 3, 1, 5), {"kernel_size": 2}),
    ((2, 3, 5, 1), {"kernel_size": 2}), ((2, 3, 5, 1), {"kernel_size": 2, "stride": 1}),
    ((1, 1, 1, 6), {"kernel_size": 4, "padding": 1})])
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_output_too_small_message_as_torch(kind: str, shape: tuple[int, ...],
                                                options: dict[str, Any]) -> None:
    name = f"{kind}_pool2d"
    same_error(lambda: getattr(F, name)(tg.zeros(*shape), **options),
               lambda: getattr(TF, name)(torch.zeros(*shape), **options), RuntimeError)
    module = "MaxPool2d" if kind == "max" else "AvgPool2d"
    same_error(lambda: getattr(nn, module)(**options)(tg.zeros(*shape)),
               lambda: getattr(torch.nn, module)(**options)(torch.zeros(*shape)), RuntimeError)


def test_max_pool_dilation_too_small_message_as_torch() -> None:
    same_error(lambda: F.max_pool2d(tg.zeros(2, 3, 1, 5), 2, dilation=2),
               lambda: TF.max_pool2d(torch.zeros(2, 3, 1, 5), 2, dilation=2), RuntimeError)


# ------------------------------------------------------------------------------- LazyLinear


def test_lazy_linear_prints_becomes_linear_and_keeps_its_parameter_objects() -> None:
    tg.manual_seed(0)
    ours, theirs = ours_module(nn.LazyLinear(256)), torch.nn.LazyLinear(256)
    assert repr(ours) == repr(theirs) == "LazyLinear(in_features=0, out_features=256, bias=True)"
    assert repr(ours.weight) == repr(theirs.weight) == "<UninitializedParameter>"
    assert isinstance(ours.weight, nn.UninitializedParameter)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight", "bias"]
    weight = ours.weight
    optimizer = tg.optim.SGD(ours.parameters(), lr=0.1)  # built before the first call
    out = ours(OURS.tensor(normal(4, 10), dtype=tg.float32))
    assert type(ours) is nn.Linear and ours.in_features == 10
    assert repr(ours) == "Linear(in_features=10, out_features=256, bias=True)"
    assert tuple(out.shape) == (4, 256) and tuple(weight.shape) == (256, 10)
    assert ours.weight is weight and type(weight) is nn.Parameter
    assert weight.requires_grad and weight.is_leaf
    bound = 1 / math.sqrt(10)  # Linear's default initialisation
    assert np.abs(to_numpy(weight)).max() <= bound and np.abs(to_numpy(ours.bias)).max() <= bound
    before = to_numpy(weight).copy()
    out.sum().backward()
    optimizer.step()
    np.testing.assert_allclose(to_numpy(weight), before - 0.1 * to_numpy(weight.grad))
    assert ours._forward_pre_hooks == []  # the initialising hook is gone


def test_lazy_linear_without_bias_vector_input_and_dtype() -> None:
    ours = nn.LazyLinear(3, bias=False)
    assert repr(ours) == repr(torch.nn.LazyLinear(3, bias=False))
    ours(tg.randn(2, 5))
    assert repr(ours) == "Linear(in_features=5, out_features=3, bias=False)"
    assert ours.bias is None
    vector = nn.LazyLinear(3)
    assert tuple(vector(tg.randn(5)).shape) == (3,) and vector.in_features == 5
    double = nn.LazyLinear(3, dtype=tg.float64)
    double(tg.randn(2, 4, dtype=tg.float64))
    assert double.weight.dtype is tg.float64
    moved = nn.LazyLinear(3).to(tg.float64)  # before the first call, as PyTorch allows
    assert moved.weight.dtype is tg.float64
    moved(tg.randn(1, 2, dtype=tg.float64))
    assert moved.weight.dtype is tg.float64 and moved.bias.dtype is tg.float64


def test_lazy_linear_computes_as_linear_against_torch() -> None:
    ours, theirs = nn.LazyLinear(4), torch.nn.LazyLinear(4)
    x = normal(3, 6)
    ours(tg.tensor(x, dtype=tg.float32))
    theirs(torch.tensor(x, dtype=torch.float32))
    theirs.double()
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    ours = ours_module(ours.double())
    check_parity(lambda t: (ours if isinstance(t, tg.Tensor) else theirs)(t), None, x)


def test_lazy_linear_uninitialized_parameter_errors_as_torch() -> None:
    ours, theirs = nn.LazyLinear(3), torch.nn.LazyLinear(3)
    same_error(lambda: ours.weight.shape, lambda: theirs.weight.shape, RuntimeError)
    for use in (lambda w: w + 1, lambda w: w.numel(), lambda w: w.view(-1)):
        with pytest.raises(ValueError, match=r"^Attempted to use an uninitialized parameter"):
            use(ours.weight)
        with pytest.raises(ValueError, match=r"^Attempted to use an uninitialized parameter"):
            use(theirs.weight)
    assert ours.weight.dtype is tg.float32 and ours.weight.requires_grad
    assert tuple(ours.weight.size()) == tuple(theirs.weight.size()) == (0,)
    for lib in (tg, torch):  # materialized, then Linear's own error
        with pytest.raises(RuntimeError, match=r"^mat1 and mat2 must have the same dtype"):
            lib.nn.LazyLinear(3)(lib.tensor([[1, 2]]))


def test_lazy_linear_load_state_dict_and_deepcopy_before_the_first_call() -> None:
    source = nn.Linear(5, 3)
    lazy = nn.LazyLinear(3)
    copied = copy.deepcopy(lazy)
    assert isinstance(copied.weight, nn.UninitializedParameter)
    assert copied.weight is not lazy.weight
    lazy.load_state_dict(source.state_dict())
    np.testing.assert_array_equal(to_numpy(lazy.weight), to_numpy(source.weight))
    out = lazy(tg.randn(2, 5))
    assert type(lazy) is nn.Linear and lazy.in_features == 5 and tuple(out.shape) == (2, 3)
    copied(tg.randn(2, 7))
    assert copied.in_features == 7 and isinstance(lazy.weight, nn.Parameter)


# ------------------------------------------------------- ModuleDict, ParameterList/Dict


def make_containers(lib: Any) -> Any:
    """The same nest of containers in either library (deterministic values)."""

    class Net(lib.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ps = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(2))])
            self.md = lib.nn.ModuleDict({"l": lib.nn.Linear(1, 1), "act": lib.nn.ReLU()})
            self.pd = lib.nn.ParameterDict({"q": lib.nn.Parameter(lib.ones(1)),
                                            "b": lib.nn.Parameter(lib.zeros(2, 3))})

    return Net()


def test_containers_print_register_and_save_as_torch() -> None:
    ours, theirs = make_containers(tg), make_containers(torch)
    assert repr(ours) == repr(theirs).replace("torch.", "tinygrad_edu.")
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert len(list(ours.parameters())) == len(list(theirs.parameters())) == 5


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.ModuleDict({"a": lib.nn.Linear(2, 3), "b": lib.nn.ReLU()}),
    lambda lib: lib.nn.ModuleDict(),
    lambda lib: lib.nn.ModuleDict([("z", lib.nn.Tanh()), ("a", lib.nn.Sigmoid())]),
    lambda lib: lib.nn.ParameterList([lib.nn.Parameter(lib.ones(2, 3)),
                                      lib.nn.Parameter(lib.ones(3, dtype=lib.float64))]),
    lambda lib: lib.nn.ParameterList(),
    lambda lib: lib.nn.ParameterList([1, "a", lib.ones(2)]),
    lambda lib: lib.nn.ParameterList([lib.nn.Parameter(lib.ones(2), requires_grad=False)]),
    lambda lib: lib.nn.ParameterDict({"w": lib.nn.Parameter(lib.ones(2, 3)),
                                      "b": lib.nn.Parameter(lib.ones(3, dtype=lib.float64))}),
    lambda lib: lib.nn.ParameterDict(),
    lambda lib: lib.nn.ParameterDict([("w", lib.ones(1)), ("a", 3)]),
])
def test_container_prints_and_state_dict_keys_as_torch(make: Any) -> None:
    ours, theirs = make(tg), make(torch)
    assert repr(ours) == repr(theirs).replace("torch.", "tinygrad_edu.")
    assert list(ours.state_dict()) == list(theirs.state_dict())
    kinds = [type(v).__name__ for v in (ours.values() if hasattr(ours, "values") else ours)]
    assert kinds == [type(v).__name__ for v in (theirs.values() if hasattr(theirs, "values")
                                                 else theirs)]


def test_module_dict_methods_as_torch() -> None:
    results = []
    for lib in (tg, torch):
        d = lib.nn.ModuleDict({"a": lib.nn.Linear(2, 3), "b": lib.nn.ReLU()})
        d["c"] = lib.nn.Tanh()
        d.update([("d", lib.nn.Sigmoid())])
        d.update({"b": lib.nn.ELU()})
        popped = d.pop("a")
        del d["c"]
        results.append((list(d.keys()), [type(m).__name__ for m in d.values()],
                        [k for k, _ in d.items()], list(d), "b" in d, "a" in d, len(d),
                        type(popped).__name__, len(list(d.parameters()))))
        d.clear()
        assert len(d) == 0
    assert results[0] == results[1]


def test_parameter_list_and_dict_methods_as_torch() -> None:
    results = []
    for lib in (tg, torch):
        pl = lib.nn.ParameterList([lib.ones(2)])
        pl.append(lib.zeros(3))
        pl += [lib.nn.Parameter(lib.ones(1))]
        pl.extend([lib.ones(4)])
        pl[0] = lib.full((2,), 5.0)
        sliced = pl[1:3]
        pd = lib.nn.ParameterDict({"b": lib.ones(1), "a": lib.zeros(2)})
        pd["c"] = lib.ones(3)
        pd.update([("d", lib.ones(1))])
        popped = pd.pop("a")
        del pd["c"]
        results.append((len(pl), [type(p).__name__ for p in pl], float(pl[0][0].detach()),
                        len(sliced), type(sliced).__name__, float(pl[-1].detach().sum()),
                        list(pd.keys()), len(pd), "b" in pd, "a" in pd, type(popped).__name__,
                        pd.get("zz", "default"),
                        float(pd.setdefault("e", lib.ones(2)).detach().sum()),
                        [k for k, _ in pd.items()], len(list(pl.parameters())),
                        len(list(pd.parameters())), all(p.requires_grad for p in pl)))
        pd.clear()
        assert len(pd) == 0
    assert results[0] == results[1]


@pytest.mark.parametrize(("ours", "theirs", "kind"), [
    (lambda: nn.ModuleDict({"a": nn.ReLU()})["zz"],
     lambda: torch.nn.ModuleDict({"a": torch.nn.ReLU()})["zz"], KeyError),
    (lambda: nn.ModuleDict().update(3), lambda: torch.nn.ModuleDict().update(3), TypeError),
    (lambda: nn.ModuleDict({"a": 3}), lambda: torch.nn.ModuleDict({"a": 3}), TypeError),
    (lambda: nn.ModuleDict({"a.b": nn.ReLU()}),
     lambda: torch.nn.ModuleDict({"a.b": torch.nn.ReLU()}), KeyError),
    (lambda: nn.ModuleDict([("a", nn.ReLU(), 1)]),
     lambda: torch.nn.ModuleDict([("a", torch.nn.ReLU(), 1)]), ValueError),
    (lambda: nn.ModuleDict([3]), lambda: torch.nn.ModuleDict([3]), TypeError),
    (lambda: nn.ParameterDict()["zz"], lambda: torch.nn.ParameterDict()["zz"], AttributeError),
    (lambda: nn.ParameterDict().update(3), lambda: torch.nn.ParameterDict().update(3),
     TypeError),
    (lambda: nn.ParameterDict()[3], lambda: torch.nn.ParameterDict()[3], TypeError),
    (lambda: nn.ParameterList([nn.Parameter(tg.ones(1))])[5],
     lambda: torch.nn.ParameterList([torch.nn.Parameter(torch.ones(1))])[5], IndexError),
    (lambda: nn.ParameterList().extend(tg.ones(2)),
     lambda: torch.nn.ParameterList().extend(torch.ones(2)), TypeError),
    (lambda: nn.ParameterList()(1), lambda: torch.nn.ParameterList()(1), RuntimeError),
    (lambda: nn.ParameterDict()(1), lambda: torch.nn.ParameterDict()(1), RuntimeError),
])
def test_container_errors_as_torch(ours: Any, theirs: Any, kind: type[BaseException]) -> None:
    same_error(ours, theirs, kind)


# ------------------------------------------------------------------------------------ init


def test_eye_and_dirac_match_torch() -> None:
    for shape in [(2, 3), (3, 2), (4, 4)]:
        ours = nn.init.eye_(OURS.empty(*shape, requires_grad=True))
        np.testing.assert_array_equal(to_numpy(ours), torch.nn.init.eye_(
            torch.empty(*shape)).numpy())
        assert ours.is_leaf and ours.requires_grad
    for shape, groups in [((2, 2, 3), 1), ((4, 1, 3), 2), ((6, 4, 3, 3), 2), ((2, 3, 3, 1, 5), 1),
                          ((3, 6, 2, 2), 3)]:
        ours = nn.init.dirac_(OURS.empty(*shape), groups=groups)
        theirs = torch.nn.init.dirac_(torch.empty(*shape), groups=groups)
        np.testing.assert_array_equal(to_numpy(ours), theirs.numpy())


def test_dirac_is_the_identity_convolution() -> None:
    weight = nn.init.dirac_(tg.empty(3, 3, 3, 3))
    x = tg.randn(2, 3, 5, 5)
    np.testing.assert_allclose(F.conv2d(x, weight, padding=1).numpy(), x.numpy(), rtol=1e-6)


@pytest.mark.parametrize(("shape", "gain"), [((3, 5), 1.0), ((5, 3), 2.0), ((4, 2, 3), 0.5),
                                             ((4, 4), 1.0)])
def test_orthogonal(shape: tuple[int, ...], gain: float) -> None:
    tg.manual_seed(1)
    weight = nn.init.orthogonal_(OURS.empty(*shape, dtype=tg.float64), gain=gain)
    matrix = to_numpy(weight).reshape(shape[0], -1)
    product = matrix @ matrix.T if matrix.shape[0] <= matrix.shape[1] else matrix.T @ matrix
    np.testing.assert_allclose(product, gain**2 * np.eye(len(product)), atol=1e-12)
    tg.manual_seed(1)
    again = nn.init.orthogonal_(OURS.empty(*shape, dtype=tg.float64), gain=gain)
    np.testing.assert_array_equal(to_numpy(again), to_numpy(weight))  # the seed decides
    assert nn.init.orthogonal_(tg.empty(0, 3)).shape == (0, 3)


def test_trunc_normal_draws_the_truncated_distribution() -> None:
    mean, std, a, b = 1.0, 2.0, -1.0, 2.0
    tg.manual_seed(3)
    values = to_numpy(nn.init.trunc_normal_(OURS.empty(200_000), mean, std, a, b))
    assert values.dtype == np.float32 and a <= values.min() and values.max() <= b
    alpha, beta = (a - mean) / std, (b - mean) / std
    pdf = [math.exp(-v * v / 2) / math.sqrt(2 * math.pi) for v in (alpha, beta)]
    mass = (math.erf(beta / math.sqrt(2)) - math.erf(alpha / math.sqrt(2))) / 2
    expected_mean = mean + std * (pdf[0] - pdf[1]) / mass
    expected_var = std**2 * (1 + (alpha * pdf[0] - beta * pdf[1]) / mass
                             - ((pdf[0] - pdf[1]) / mass) ** 2)
    assert abs(values.mean() - expected_mean) < 0.01
    assert abs(values.var() - expected_var) < 0.01
    generator = tg.Generator().manual_seed(5)
    first = nn.init.trunc_normal_(tg.empty(10), generator=generator).numpy()
    generator.manual_seed(5)
    np.testing.assert_array_equal(nn.init.trunc_normal_(tg.empty(10), generator=generator)
                                  .numpy(), first)
    assert np.abs(first).max() <= 2.0


def test_init_warnings_and_errors_as_torch() -> None:
    for lib in (tg, torch):
        with pytest.warns(UserWarning, match=r"^mean is more than 2 std from \[a, b\] in "
                                             r"nn.init.trunc_normal_\. The distribution of "
                                             r"values may be incorrect\.$"):
            lib.nn.init.trunc_normal_(lib.empty(3), mean=10.0)
    same_error(lambda: nn.init.eye_(tg.empty(2, 3, 4)),
               lambda: torch.nn.init.eye_(torch.empty(2, 3, 4)), ValueError)
    same_error(lambda: nn.init.dirac_(tg.empty(2, 3)),
               lambda: torch.nn.init.dirac_(torch.empty(2, 3)), ValueError)
    same_error(lambda: nn.init.dirac_(tg.empty(4, 3, 3), groups=3),
               lambda: torch.nn.init.dirac_(torch.empty(4, 3, 3), groups=3), ValueError)
    same_error(lambda: nn.init.orthogonal_(tg.empty(3)),
               lambda: torch.nn.init.orthogonal_(torch.empty(3)), ValueError)


# ---------------------------------------------------------------------------------- nn.utils


def grads_pair(shapes_in: list[tuple[int, ...]], scale: float = 1.0) -> tuple[list[Any], ...]:
    """The same parameters with the same gradients in both libraries."""
    values = [normal(*s) * scale for s in shapes_in]
    grads = [normal(*s) * scale for s in shapes_in]
    pairs = []
    for lib, make in ((OURS, OURS.tensor), (torch, torch.tensor)):
        params = [lib.nn.Parameter(make(v)) for v in values]
        for p, g in zip(params, grads):
            p.grad = make(g)
        pairs.append(params)
    return pairs[0], pairs[1]


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, math.inf, -math.inf, 0.0, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm_matches_torch(norm_type: Any, max_norm: float) -> None:
    ours, theirs = grads_pair([(3, 4), (4,), (2, 2, 2)])
    total_ours = nn.utils.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    total_theirs = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total_ours, tg.Tensor) and total_ours.ndim == 0
    np.testing.assert_allclose(to_numpy(total_ours), total_theirs.numpy(), rtol=1e-12)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(to_numpy(p.grad), q.grad.numpy(), rtol=1e-12)


def test_clip_grad_norm_edge_cases_as_torch() -> None:
    ours, theirs = grads_pair([(3,)])
    np.testing.assert_allclose(to_numpy(nn.utils.clip_grad_norm_(ours[0], 0.1)),
                               torch.nn.utils.clip_grad_norm_(theirs[0], 0.1).numpy())
    np.testing.assert_allclose(to_numpy(ours[0].grad), theirs[0].grad.numpy(), rtol=1e-12)
    assert float(nn.utils.clip_grad_norm_([], 1.0)) == 0.0
    assert float(nn.utils.clip_grad_norm_([nn.Parameter(tg.ones(2))], 1.0)) == 0.0  # no grad
    totals = []
    for lib in (tg, torch):
        mixed = [lib.nn.Parameter(lib.zeros(2)), lib.nn.Parameter(lib.zeros(2, dtype=lib.float64))]
        mixed[0].grad, mixed[1].grad = lib.ones(2), lib.ones(2, dtype=lib.float64)
        totals.append(lib.nn.utils.clip_grad_norm_(mixed, 1.0))
    assert totals[0].dtype is tg.float64 and totals[1].dtype is torch.float64
    assert float(totals[0]) == float(totals[1])
    ours, theirs = grads_pair([(2,), (1,)])
    ours[1].grad = OURS.tensor([math.nan], dtype=tg.float64)
    theirs[1].grad = torch.tensor([math.nan], dtype=torch.float64)
    same_error(lambda: nn.utils.clip_grad_norm_(ours, 1.0, error_if_nonfinite=True),
               lambda: torch.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True),
               RuntimeError)
    assert math.isnan(float(nn.utils.clip_grad_norm_(ours, 1.0)))  # scaled by NaN, as torch


def test_clip_grad_value_matches_torch() -> None:
    ours, theirs = grads_pair([(3, 4), (5,)], scale=3.0)
    assert nn.utils.clip_grad_value_(ours, 1.5) is None
    torch.nn.utils.clip_grad_value_(theirs, 1.5)
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(to_numpy(p.grad), q.grad.numpy())
    single, single_t = grads_pair([(4,)], scale=3.0)
    nn.utils.clip_grad_value_(single[0], 0.5)
    torch.nn.utils.clip_grad_value_(single_t[0], 0.5)
    np.testing.assert_array_equal(to_numpy(single[0].grad), single_t[0].grad.numpy())


def test_parameters_to_vector_and_back_as_torch() -> None:
    ours, theirs = grads_pair([(2, 3), (4,), (1, 1)])
    check_parity(lambda a, b, c: (nn.utils if isinstance(a, tg.Tensor) else torch.nn.utils)
                 .parameters_to_vector([a, b, c]), None,
                 *(to_numpy(p) for p in ours))
    vector = normal(11)
    nn.utils.vector_to_parameters(OURS.tensor(vector), ours)
    torch.nn.utils.vector_to_parameters(torch.tensor(vector), theirs)
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(to_numpy(p), q.detach().numpy())
        assert isinstance(p, nn.Parameter) and p.requires_grad
    shared = OURS.tensor(np.zeros(11))
    nn.utils.vector_to_parameters(shared, ours)
    shared.add_(1.0)  # the parameters share the vector's memory, as in PyTorch
    assert all(float(to_numpy(p).min()) == 1.0 for p in ours)


def test_vector_to_parameters_errors() -> None:
    p = nn.Parameter(tg.ones(2))
    with pytest.raises(TypeError) as theirs:
        torch.nn.utils.vector_to_parameters([1.0], [torch.nn.Parameter(torch.ones(2))])
    with pytest.raises(TypeError) as ours:
        nn.utils.vector_to_parameters([1.0], [p])
    assert str(ours.value) == str(theirs.value).replace("torch.", "tinygrad_edu.")
    same_error(lambda: nn.utils.vector_to_parameters(tg.zeros(1), [p]),
               lambda: torch.nn.utils.vector_to_parameters(
                   torch.zeros(1), [torch.nn.Parameter(torch.ones(2))]), RuntimeError)


# ---------------------------------------------------------------------- Module without forward


def test_module_without_forward_raises_torchs_error() -> None:
    class Net(nn.Module):
        pass

    class TorchNet(torch.nn.Module):
        pass

    with pytest.raises(NotImplementedError) as theirs:
        TorchNet()(1)
    with pytest.raises(NotImplementedError) as ours:
        Net()(1)
    assert str(ours.value).replace("[Net]", "[TorchNet]") == str(theirs.value)
    assert str(ours.value) == 'Module [Net] is missing the required "forward" function'


def test_module_name_with_a_dot_raises_torchs_error() -> None:
    same_error(lambda: nn.Module().add_module("a.b", nn.ReLU()),
               lambda: torch.nn.Module().add_module("a.b", torch.nn.ReLU()), KeyError)
    same_error(lambda: nn.Module().register_parameter("a.b", None),
               lambda: torch.nn.Module().register_parameter("a.b", None), KeyError)


# ------------------------------------------------------------ LayerNorm and normalize


@pytest.mark.parametrize("normalized_shape", [(4,), (3, 4), 4])
@pytest.mark.parametrize("affine", [True, False])
def test_layer_norm_against_torch(normalized_shape: Any, affine: bool) -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 3, 4)) * 3 + 1
    gamma = rng.normal(size=np.atleast_1d(normalized_shape))
    beta = rng.normal(size=np.atleast_1d(normalized_shape))

    def run(lib: Any) -> list[np.ndarray]:
        layer = lib.nn.LayerNorm(normalized_shape, elementwise_affine=affine).double()
        if affine:
            with lib.no_grad():
                layer.weight.copy_(lib.tensor(gamma))
                layer.bias.copy_(lib.tensor(beta))
        inputs = lib.tensor(x, requires_grad=True)
        out = layer(inputs)
        out.backward(lib.tensor(np.cos(x)))
        grads = [inputs.grad] + ([layer.weight.grad, layer.bias.grad] if affine else [])
        return [to_numpy(t.detach()) for t in [out, *grads]]

    for ours, theirs in zip(run(tg), run(torch), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_layer_norm_print_and_errors() -> None:
    for args, kwargs in [((4,), {}), (((2, 3),), {"elementwise_affine": False}),
                         ((3,), {"bias": False})]:
        assert repr(tg.nn.LayerNorm(*args, **kwargs)) == repr(torch.nn.LayerNorm(*args,
                                                                                 **kwargs))
    layer = tg.nn.LayerNorm(4)
    assert layer.weight.tolist() == [1.0] * 4 and layer.bias.tolist() == [0.0] * 4
    assert list(layer.state_dict()) == list(torch.nn.LayerNorm(4).state_dict())
    for lib in (torch, tg):
        with pytest.raises(RuntimeError, match=re.escape(
                "Given normalized_shape=[4], expected input with shape [*, 4], but got input "
                "of size[2, 5]")):
            lib.nn.LayerNorm(4)(lib.ones(2, 5))
        with pytest.raises(RuntimeError, match="Expected weight to be of same shape"):
            lib.nn.functional.layer_norm(lib.ones(2, 4), (4,), weight=lib.ones(3))


@pytest.mark.parametrize(("p", "dim"), [(2.0, 1), (1.0, 0), (2.0, -1), (3.0, 1)])
def test_normalize_against_torch(p: float, dim: int) -> None:
    x = np.random.default_rng(6).normal(size=(3, 4))
    x[1] = 0.0  # a zero row: eps keeps it finite
    check_parity(lambda t: lib_of(t).nn.functional.normalize(t, p=p, dim=dim), None, x)

"""``tinygrad_edu.special`` (erf, erfc, erfinv, expit, logit) and ``torch.erf`` / ``Tensor.erf``.

NumPy has no erf: ours is Cody's rational approximation, so its values are checked against
``math.erf`` (the C library's) over the whole line, tails, infinities and NaN included; then
forward and backward against PyTorch in float64 on hypothesis-drawn shapes, against central
differences, and to second order.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
from helpers import (
    OURS,
    arrays,
    check_parity,
    floats,
    lib_of,
    shapes,
    to_numpy,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.autograd import gradcheck
from tinygrad_edu.special import erf_array, erfc_array, erfinv_array

SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
RNG = np.random.default_rng(7)


def special_of(t: Any) -> Any:
    return torch.special if isinstance(t, torch.Tensor) else OURS.special



def wide_range() -> np.ndarray:
    """float64 values over the whole line: both signs, tiny to huge, each interval boundary
    of the approximation (0.46875, 4), the erfc underflow (26.5-27.3), subnormals."""
    magnitudes = np.concatenate([
        np.geomspace(1e-310, 1e-3, 400), np.linspace(0.0, 6.0, 6001),
        np.linspace(6.0, 28.0, 2001), RNG.uniform(0, 30, 2000),
        [0.46875, np.nextafter(0.46875, 1), np.nextafter(0.46875, 0), 4.0,
         np.nextafter(4.0, 5), 26.543, 27.2, 27.3, 1e10, 1e300, np.finfo(np.float64).max]])
    return np.concatenate([magnitudes, -magnitudes])


# -------------------------------------------------------------------- values against libm


def test_erf_matches_math_erf_to_float64_precision() -> None:
    x = wide_range()
    ours = erf_array(x)
    reference = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(ours, reference, rtol=1e-15, atol=0)
    assert np.array_equal(np.signbit(ours), np.signbit(reference))  # erf(-0.0) is -0.0


def test_erfc_matches_math_erfc_to_float64_precision() -> None:
    x = wide_range()
    ours = erfc_array(x)
    reference = np.array([math.erfc(v) for v in x])
    normal = reference >= np.finfo(np.float64).tiny
    np.testing.assert_allclose(ours[normal], reference[normal], rtol=2e-15, atol=0)
    # the deep tail (erfc(x) below 2.2e-308, x > 26.5) is subnormal: absolute precision
    np.testing.assert_allclose(ours[~normal], reference[~normal], rtol=0, atol=1e-317)


def test_erf_erfc_at_infinities_nan_and_zeros() -> None:
    x = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, 30.0, -30.0])
    np.testing.assert_array_equal(erf_array(x), [1.0, -1.0, np.nan, 0.0, -0.0, 1.0, -1.0])
    np.testing.assert_array_equal(erfc_array(x), [0.0, 2.0, np.nan, 1.0, 1.0, 0.0, 2.0])
    assert np.signbit(erf_array(x)[4])


def test_erfinv_inverts_erf_and_matches_torch() -> None:
    y = np.concatenate([RNG.uniform(-1, 1, 2000), 1 - np.arange(1, 200) * 2.0**-53,
                        np.geomspace(1e-300, 0.5, 200), -np.geomspace(1e-300, 0.5, 200)])
    ours = erfinv_array(y)
    np.testing.assert_allclose(ours, torch.special.erfinv(torch.tensor(y)).numpy(),
                               rtol=1e-14, atol=0)
    np.testing.assert_allclose(erf_array(ours), y, rtol=1e-15, atol=0)
    edges = np.array([1.0, -1.0, 1.5, -2.0, np.nan, 0.0, -0.0])
    np.testing.assert_array_equal(erfinv_array(edges), [np.inf, -np.inf, np.nan, np.nan,
                                                        np.nan, 0.0, -0.0])


@pytest.mark.parametrize("name", ["erf", "erfc", "erfinv"])
def test_float32_is_the_float64_value_rounded_within_one_ulp_of_torch(name: str) -> None:
    """Ours rounds the float64 result once (correctly rounded but for rare double
    rounding); PyTorch's float32 kernels are 1-ulp approximations, so a few percent of
    float32 values differ from torch's in the last bit, never by more."""
    x = RNG.uniform(-1, 1, 20000) if name == "erfinv" else wide_range()
    x = x[abs(x) < 1e38].astype(np.float32)
    ours = to_numpy(getattr(tg.special, name)(OURS.tensor(x)))
    assert ours.dtype == np.float32
    exact = getattr(tg.special, name)(tg.tensor(x.astype(np.float64))).numpy()
    assert np.mean(ours == exact.astype(np.float32)) > 0.999
    theirs = getattr(torch.special, name)(torch.tensor(x)).numpy()
    finite = np.isfinite(theirs)
    assert np.array_equal(finite, np.isfinite(ours))
    ulps = abs(ours[finite].view(np.int32).astype(np.int64)
               - theirs[finite].view(np.int32).astype(np.int64))
    assert ulps.max() <= 1


# ------------------------------------------------------------------- parity with PyTorch


FORMS = {
    "torch.erf": (lambda t: lib_of(t).erf(t), floats(-6, 6)),
    "torch.erfc": (lambda t: lib_of(t).erfc(t), floats(-6, 6)),
    "torch.erfinv": (lambda t: lib_of(t).erfinv(t), floats(-0.99, 0.99)),
    "Tensor.erf": (lambda t: t.erf(), floats(-6, 6)),
    "Tensor.erfc": (lambda t: t.erfc(), floats(-6, 6)),
    "special.erf": (lambda t: special_of(t).erf(t), floats(-6, 6)),
    "special.erfc": (lambda t: special_of(t).erfc(t), floats(-6, 6)),
    "special.erfinv": (lambda t: special_of(t).erfinv(t), floats(-0.99, 0.99)),
    "special.expit": (lambda t: special_of(t).expit(t), floats(-8, 8)),
    "special.logit": (lambda t: special_of(t).logit(t), floats(0.01, 0.99)),
    "special.logit_eps": (lambda t: special_of(t).logit(t, eps=0.2), floats(-0.5, 1.5)),
}


@pytest.mark.parametrize("form", FORMS)
@SETTINGS
@given(data=st.data())
def test_forward_and_backward_match_torch(form: str, data: st.DataObject) -> None:
    function, values = FORMS[form]
    x = data.draw(arrays(shapes(), values), label="x")
    check_parity(function, None, x)


@pytest.mark.parametrize(("form", "name"), [
    ("torch.erf", "ErfBackward0"), ("torch.erfc", "ErfcBackward0"),
    ("torch.erfinv", "ErfinvBackward0"), ("special.expit", "SigmoidBackward0"),
    ("special.logit", "LogitBackward0")])
def test_grad_fn_names_as_torch(form: str, name: str) -> None:
    function = FORMS[form][0]
    ours = function(tg.tensor([0.25, 0.5], requires_grad=True))
    theirs = function(torch.tensor([0.25, 0.5], requires_grad=True))
    assert ours.grad_fn.name() == type(theirs.grad_fn).__name__ == name


def test_values_at_infinities_and_nan_match_torch_forward_and_backward() -> None:
    values = [float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 30.0, -8.0, 1e-300]
    for function in (FORMS["torch.erf"][0], FORMS["torch.erfc"][0]):
        results = []
        for lib in (OURS, torch):
            x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
            out = function(x)
            out.backward(lib.ones_like(out))
            results.append((to_numpy(out.detach()), to_numpy(x.grad)))
        for ours, theirs in zip(*results):
            np.testing.assert_array_equal(ours, theirs)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # logit'(0) = inf
def test_logit_at_and_beyond_the_ends_matches_torch() -> None:
    x = np.array([0.0, 1.0, -0.5, 1.5, 0.5, 0.1, 0.9])
    for eps in (None, 0.1, 0.0):
        results = []
        for lib in (OURS, torch):
            t = lib.tensor(x, requires_grad=True)
            out = special_of(t).logit(t, eps=eps)
            out.backward(lib.ones_like(out))
            results.append((to_numpy(out.detach()), to_numpy(t.grad)))
        for ours, theirs in zip(*results):
            np.testing.assert_array_equal(ours, theirs)


def test_integer_inputs_give_float32_as_torch() -> None:
    check_parity(lambda t: lib_of(t).erf(t), None, np.array([0, 1, -2]))
    check_parity(lambda t: special_of(t).expit(t), None, np.array([0, 1, -2]))
    check_parity(lambda t: special_of(t).logit(t), None, np.array([0, 1]))
    check_parity(lambda t: lib_of(t).erfc(t), None, np.array([True, False]))


@pytest.mark.parametrize("name", ["erf", "erfc", "erfinv"])
def test_second_order_matches_torch(name: str) -> None:
    x = RNG.uniform(-0.9, 0.9, (3, 4))
    grads = []
    for lib in (OURS, torch):
        t = lib.tensor(x, requires_grad=True)
        (g,) = lib.autograd.grad((getattr(lib, name)(t) ** 2).sum(), t, create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), t)
        grads.append((to_numpy(g.detach()), to_numpy(gg)))
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("form", ["torch.erf", "torch.erfc", "torch.erfinv", "special.expit",
                                  "special.logit", "special.logit_eps"])
def test_gradcheck(form: str) -> None:
    x = tg.tensor(RNG.uniform(0.05, 0.95, (3, 4)), requires_grad=True)  # inside logit's range
    eps_inside = tg.tensor(RNG.uniform(0.25, 0.75, (3, 4)), requires_grad=True)
    assert gradcheck(FORMS[form][0], [eps_inside if form.endswith("eps") else x])


def test_out_argument() -> None:
    out = tg.empty(3, dtype=tg.float64)
    result = tg.erf(tg.tensor([0.5, -1.0, 2.0], dtype=tg.float64), out=out)
    assert result is out
    np.testing.assert_allclose(out.numpy(), [math.erf(v) for v in (0.5, -1.0, 2.0)],
                               rtol=1e-15)


# ---------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("ours", "theirs"), [
    (lambda: tg.erf(1.0), lambda: torch.erf(1.0)),
    (lambda: tg.erfc([1.0]), lambda: torch.erfc([1.0])),
    (lambda: tg.erfinv(1), lambda: torch.erfinv(1)),
    (lambda: tg.special.expit(1.0), lambda: torch.special.expit(1.0)),
    (lambda: tg.special.logit(1.0), lambda: torch.special.logit(1.0)),
])
def test_non_tensor_input_raises_torchs_type_error(ours: Any, theirs: Any) -> None:
    with pytest.raises(TypeError) as expected:
        theirs()
    with pytest.raises(TypeError) as got:
        ours()
    assert str(got.value) == str(expected.value)


def test_out_with_autograd_raises_torchs_error() -> None:
    message = ("erf(): functions with out=... arguments don't support automatic "
               "differentiation, but one of the arguments requires grad.")
    with pytest.raises(RuntimeError) as expected:
        torch.erf(torch.ones(2, requires_grad=True), out=torch.empty(2))
    assert str(expected.value) == message
    with pytest.raises(RuntimeError, match=r"^erf\(\): functions with out=\.\.\. arguments"):
        tg.erf(tg.ones(2, requires_grad=True), out=tg.empty(2))

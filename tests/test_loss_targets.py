"""cross_entropy and nll_loss check their targets as PyTorch does: the same exception type and
the same message (PyTorch's dtype names: Long, Int, Float ...) for a target of the wrong dtype
or layout, in PyTorch's order when several things are wrong; the same loss where PyTorch
takes the target (Long or Byte class indices; floating class probabilities of the input's
shape)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from helpers import OURS, to_numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.nn import functional as F

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
FUNCTIONS = ["cross_entropy", "nll_loss"]
SETTINGS = settings(max_examples=25, deadline=None,  # as in test_parity.py
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# (input shape, target shape): class indices, probabilities and every wrong layout
LAYOUTS = [
    ((3, 4), (3,)), ((3, 4), (3, 4)), ((3, 4), (2,)), ((3, 4), ()), ((3, 4), (3, 2)),
    ((4,), ()), ((4,), (4,)), ((4,), (2,)), ((4,), (2, 3)),
    ((3, 4, 5), (3, 5)), ((3, 4, 5), (3, 4, 5)), ((3, 4, 5), (3,)), ((3, 4, 5), (2, 5)),
    ((2, 3, 4, 5), (2, 4, 5)), ((2, 3, 4, 5), (2, 4)), ((2, 3, 4, 5), (2, 4, 6)),
    ((2, 3, 4, 5, 2), (2, 4, 5, 2)), ((2, 3, 4, 5, 2), (2, 4, 6)),
]


def _outcome(lib: Any, function: str, input_shape: tuple[int, ...],
             target_shape: tuple[int, ...], dtype: str, seed: int = 0) -> Any:
    """The loss (float64 logits; targets: valid classes or probabilities) or the error."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=input_shape)
    classes = input_shape[1] if len(input_shape) >= 2 else input_shape[0]
    target: np.ndarray
    if dtype.startswith("float"):
        target = rng.random(size=target_shape)
    else:
        target = rng.integers(0, min(classes, 2), size=target_shape)
    if lib is torch:
        x = torch.tensor(logits, dtype=torch.float64)
        y = torch.tensor(target).to(getattr(torch, dtype))
        fn = getattr(torch.nn.functional, function)
    else:
        x = OURS.tensor(logits, dtype=tg.float64)
        y = OURS.tensor(target).to(getattr(tg, dtype))
        fn = getattr(F, function)
    try:
        return fn(x, y)
    except Exception as error:
        return error


def _assert_same_outcome(function: str, input_shape: tuple[int, ...],
                         target_shape: tuple[int, ...], dtype: str) -> None:
    theirs = _outcome(torch, function, input_shape, target_shape, dtype)
    ours = _outcome(tg, function, input_shape, target_shape, dtype)
    case = f"{function}({input_shape}, {dtype}{target_shape})"
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), f"{case}: torch raises {theirs!r}, we return {ours}"
        assert (type(ours), str(ours)) == (type(theirs), str(theirs)), case
    else:
        assert not isinstance(ours, Exception), f"{case}: we raise {ours!r}"
        np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), rtol=1e-12, err_msg=case)


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("input_shape", "target_shape"), LAYOUTS, ids=str)
def test_same_outcome_as_torch(function: str, dtype: str, input_shape: tuple[int, ...],
                               target_shape: tuple[int, ...]) -> None:
    _assert_same_outcome(function, input_shape, target_shape, dtype)


@SETTINGS
@given(function=st.sampled_from(FUNCTIONS), dtype=st.sampled_from(DTYPES),
       batch=st.integers(1, 4), classes=st.integers(1, 5),
       spatial=st.lists(st.integers(1, 3), max_size=3),
       layout=st.sampled_from(["classes", "probabilities", "batch+1", "no batch", "extra"]))
def test_drawn_shapes_give_the_same_outcome(function: str, dtype: str, batch: int,
                                            classes: int, spatial: list[int],
                                            layout: str) -> None:
    input_shape = (batch, classes, *spatial)
    target_shape = {"classes": (batch, *spatial), "probabilities": input_shape,
                    "batch+1": (batch + 1, *spatial), "no batch": tuple(spatial),
                    "extra": (batch, *spatial, 2)}[layout]
    _assert_same_outcome(function, input_shape, target_shape, dtype)


@pytest.mark.parametrize(("dtype", "name"), [
    ("float32", "Float"), ("float64", "Double"), ("float16", "Half"), ("int32", "Int"),
    ("int16", "Short"), ("int8", "Char"), ("bool", "Bool"),
])
def test_class_index_messages_use_torch_dtype_names(dtype: str, name: str) -> None:
    target = OURS.tensor([0, 1, 1]).to(getattr(tg, dtype))
    for function in (F.cross_entropy, F.nll_loss):
        with pytest.raises(RuntimeError, match=rf"^expected target dtype to be Long or Byte, "
                                               rf"but got {name}$"):
            function(OURS.randn(3, 4), target)


def test_integer_targets_of_the_input_shape_are_not_probabilities() -> None:
    with pytest.raises(RuntimeError, match=r"^Expected floating point type for target with "
                                           r"class probabilities, got Long$"):
        F.cross_entropy(OURS.randn(3, 4), OURS.zeros(3, 4, dtype=tg.int64))
    with pytest.raises(RuntimeError, match=r"got Int$"):
        F.cross_entropy(OURS.randn(4), OURS.zeros(4, dtype=tg.int32))


def test_byte_targets_only_for_one_and_two_dimensional_inputs() -> None:
    logits = np.random.default_rng(1).normal(size=(5, 3))
    target = np.array([0, 2, 1, 1, 0])
    ours = F.cross_entropy(OURS.tensor(logits), OURS.tensor(target).to(tg.uint8))
    theirs = torch.nn.functional.cross_entropy(torch.tensor(logits),
                                               torch.tensor(target).to(torch.uint8))
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), rtol=1e-12)
    with pytest.raises(RuntimeError, match=r"^expected scalar type Long but found Byte$"):
        F.nll_loss(OURS.randn(2, 3, 4), OURS.zeros(2, 4, dtype=tg.uint8))


def test_one_dimensional_input_with_a_one_element_target_is_refused() -> None:
    """A deliberate difference: PyTorch also takes a (1,) target for a (C,) input."""
    with pytest.raises(RuntimeError, match=r"^Expected target size \[\], got \[1\]$"):
        F.nll_loss(OURS.randn(4), OURS.tensor([1]))

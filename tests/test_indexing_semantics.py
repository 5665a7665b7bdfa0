"""Indexing, views and dtype checks that PyTorch code relies on without saying so.

Each test runs the same code on tinygrad_edu (``OURS``: the cuda stand-in too) and on PyTorch
and compares what comes out: values, which tensor a write reaches, version counters, and the
exception type and text where PyTorch refuses. Covered: one element picked by integers is a
view (``a[0].fill_(5)`` changes ``a``); indexing a 0-d tensor; ``bool()`` of many values;
``flip`` copies; ``t == None``; old uint8 masks; no negative slice steps; ``torch.tensor`` of
tensors; integer ``//`` by zero and negative integer powers; ``in``; matmul / softmax / BCE /
embedding dtype and range checks; non-tensors given to layers; the in-place error texts.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from helpers import OURS, arrays, assert_same_tensor, check_parity, shapes, to_numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.autograd import gradcheck

SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
LIBS = pytest.mark.parametrize("lib", [OURS, torch], ids=["ours", "torch"])


def outcome(code: Callable[[Any], Any], lib: Any) -> tuple[str, str]:
    """``code(lib)``'s exception as (type name, text); ('', '') when it raises nothing."""
    try:
        code(lib)
    except Exception as error:  # any exception: it is what is compared
        return type(error).__name__, str(error)
    return "", ""


def same_error(code: Callable[[Any], Any], error: type[Exception],
               until: str | None = None) -> str:
    """Both libraries raise ``error`` with the same text (up to ``until`` when given)."""
    ours, theirs = outcome(code, OURS), outcome(code, torch)
    assert theirs[0] == error.__name__, f"torch: {theirs}"
    # (ours may run on the cuda stand-in, where a type is torch.cuda.FloatTensor as there)
    ours = (ours[0], ours[1].replace("torch.cuda.", "torch."))
    if until is not None:
        ours = (ours[0], ours[1].split(until)[0])
        theirs = (theirs[0], theirs[1].split(until)[0])
    assert ours == theirs
    return ours[1]


def both(code: Callable[[Any], Any]) -> tuple[Any, Any]:
    return code(OURS), code(torch)


# ------------------------------------------------------------- one element is a view (item 5)

IN_PLACE: dict[str, Callable[[Any], Any]] = {
    "fill_": lambda e: e.fill_(5.0),
    "add_": lambda e: e.add_(2.0),
    "iadd": lambda e: operator.iadd(e, 7.0),  # b = a[1]; b += 7
    "mul_": lambda e: e.mul_(-3.0),
    "zero_": lambda e: e.zero_(),
    "copy_": lambda e: e.copy_(e * 0 + 4.0),
    "clamp_": lambda e: e.clamp_(max=0.0),
    "setitem": lambda e: (e.__setitem__(..., 9.0), e)[1],
}


@SETTINGS
@given(data=st.data())
def test_in_place_through_integer_indexing_changes_the_tensor(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3), label="shape")
    depth = data.draw(st.integers(1, len(shape)), label="indexed dims")  # all: one element
    index = tuple(data.draw(st.integers(-n, n - 1), label="i") for n in shape[:depth])
    values = data.draw(arrays(shape), label="values")
    change = IN_PLACE[data.draw(st.sampled_from(sorted(IN_PLACE)), label="op")]
    results = []
    for lib in (OURS, torch):
        a = lib.tensor(values)
        element = a[index]
        assert element._base is a
        returned = change(element)
        assert returned is element
        results.append((a, element))
    (ours, ours_element), (theirs, their_element) = results
    assert_same_tensor(ours, theirs)
    assert_same_tensor(ours_element, their_element)
    assert ours._version == ours_element._version == theirs._version == 1


def test_the_audit_repro() -> None:
    def code(lib: Any) -> Any:
        a = lib.zeros(3)
        a[0].fill_(5)
        a[1].add_(2)
        b = a[2]
        b += 7
        w = lib.zeros(2, 2)
        w[1][1].fill_(3)
        return a, w

    for ours, theirs in zip(*both(code)):
        assert_same_tensor(ours, theirs)


def test_an_element_read_later_sees_the_write() -> None:
    """A view, not a snapshot: reading after a write gives the new value (as PyTorch)."""
    def code(lib: Any) -> list[float]:
        a = lib.tensor([1.0, 2.0])
        first = a[0]
        a[0] = 10.0
        return [first.item(), a[0].item()]

    assert code(OURS) == code(torch) == [10.0, 10.0]


def test_a_0d_integer_tensor_index_selects_a_view() -> None:
    def code(lib: Any) -> Any:
        a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        for index_dtype in (lib.int64, lib.int32):
            picked = a[lib.tensor(1, dtype=index_dtype)]
            assert picked._base is a and picked.grad_fn.name() == "SelectBackward0"
        b = lib.zeros(3)
        b[lib.tensor(2)].fill_(4.0)
        return b

    assert_same_tensor(*both(code))


@LIBS
def test_element_views_keep_autograd_right(lib: Any) -> None:
    x = lib.tensor([[1.0, -2.0], [3.0, 0.5]], dtype=lib.float64, requires_grad=True)
    y = x * 2
    element = y[1, 0]
    assert element.grad_fn.name() == "SelectBackward0" and element._base is y
    assert not element.is_leaf and element.requires_grad
    (element * element + x[0, 1] ** 3).backward()
    assert x.grad.tolist() == [[0.0, 12.0], [24.0, 0.0]]
    (first,) = lib.autograd.grad(x[0, 1] ** 3, x, create_graph=True)  # second order
    first.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0], [24.0, 0.0]]  # 12 + 6 * (-2)


@st.composite
def basic_keys(draw: st.DrawFn, shape: tuple[int, ...]) -> tuple[Any, ...]:
    """Integers (negative too), slices with positive steps, None and one Ellipsis."""
    parts: list[Any] = []
    for n in shape[:draw(st.integers(0, len(shape)))]:
        if draw(st.booleans()):
            parts.append(draw(st.integers(-n, n - 1)))
        else:
            start = draw(st.none() | st.integers(-n, n))
            stop = draw(st.none() | st.integers(-n, n))
            parts.append(slice(start, stop, draw(st.none() | st.integers(1, 3))))
        if draw(st.integers(0, 4)) == 0:
            parts.append(None)
    if draw(st.booleans()):  # anywhere once every dim is indexed; else after the parts
        every = len(parts) - parts.count(None) == len(shape)
        parts.insert(draw(st.integers(0, len(parts))) if every else len(parts), Ellipsis)
    return tuple(parts)


@SETTINGS
@given(data=st.data())
def test_basic_indexing_forward_and_backward(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3), label="shape")
    key = data.draw(basic_keys(shape), label="key")
    x = data.draw(arrays(shape), label="x")
    check_parity(lambda t: t[key], None, x)
    check_parity(lambda t: (t * 1)[key] * 3, None, x)
    ours, theirs = OURS.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    if all(isinstance(k, int) for k in key) and key:
        assert ours[key].grad_fn.name() == theirs[key].grad_fn.name() == "SelectBackward0"
        assert ours[key]._base is ours


def test_in_place_through_an_element_changes_the_version_a_backward_checks() -> None:
    def code(lib: Any) -> None:
        w = lib.ones(3)
        x = lib.ones(3, requires_grad=True)
        y = x * w  # saves w for x's gradient
        w[0].fill_(5.0)  # through a view: w's version moves
        y.sum().backward()

    same_error(code, RuntimeError, until=" Hint:")


def test_in_place_on_an_element_of_a_non_leaf_that_requires_grad_is_refused() -> None:
    """Deliberate difference (README): PyTorch rewrites the base's graph; we refuse, saying
    so, and change nothing."""
    y = OURS.ones(3, requires_grad=True) * 2
    for change in (lambda: y[0].add_(1), lambda: y[1].fill_(0)):
        with pytest.raises(RuntimeError, match="in-place operations on a view of a tensor "
                                               "that requires grad"):
            change()
    assert y.tolist() == [2.0, 2.0, 2.0] and y._version == 0


# ------------------------------------------------------------ in-place errors (items 32, 33)

LEAF_WRITES: dict[str, Callable[[Any], Any]] = {
    "w[0] = 5": lambda w: w.__setitem__(0, 5.0),
    "w[None] = 5": lambda w: w.__setitem__(None, 5.0),
    "w[:1] = 5": lambda w: w.__setitem__(slice(None, 1), 5.0),
    "w[-3:] = 5": lambda w: w.__setitem__(slice(-3, None), 5.0),
    "w[0] = tensor": lambda w: w.__setitem__(0, w.detach()[1] * 2),
    "w[tensor(0)] = 5": lambda w: w.__setitem__(w.detach().argmax() * 0, 5.0),
    "w[...] = 5": lambda w: w.__setitem__(..., 5.0),
    "w[:] = 5": lambda w: w.__setitem__(slice(None), 5.0),
    "w[0:3] = 5": lambda w: w.__setitem__(slice(0, 3), 5.0),
    "w[[0]] = 5": lambda w: w.__setitem__([0], 5.0),
    "w[mask] = 5": lambda w: w.__setitem__(w.detach() > 1.5, 5.0),
    "w.fill_": lambda w: w.fill_(5.0),
    "w.zero_": lambda w: w.zero_(),
    "w.add_": lambda w: w.add_(1.0),
    "w[0].fill_": lambda w: w[0].fill_(5.0),
    "w[1] += 2": lambda w: operator.iadd(w[1], 2.0),
    "w[:2].mul_": lambda w: w[:2].mul_(2.0),
    "w.view(3).add_": lambda w: w.view(3).add_(1.0),
}


@pytest.mark.parametrize("name", sorted(LEAF_WRITES))
def test_writing_into_a_leaf_that_requires_grad(name: str) -> None:
    """PyTorch's text: 'a view of a leaf Variable' when the write goes through a view of part
    of the leaf, 'a leaf Variable' otherwise; nothing changes. Under no_grad both write."""
    write = LEAF_WRITES[name]
    message = same_error(lambda lib: write(lib.tensor([1.0, 2.0, 3.0], requires_grad=True)),
                         RuntimeError)
    assert message.endswith("leaf Variable that requires grad is being used in an in-place "
                            "operation.")
    results = []
    for lib in (OURS, torch):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with pytest.raises(RuntimeError):
            write(w)
        assert w.tolist() == [1.0, 2.0, 3.0] and w._version == 0
        with lib.no_grad():
            write(w)
        results.append(w)
    assert_same_tensor(*results)


KEYS_2D: dict[str, Any] = {
    "[:, 0]": (slice(None), 0), "[..., 0]": (..., 0), "[:, :]": (slice(None), slice(None)),
    "[0, [0]]": (0, [0]), "[[0], 0]": ([0], 0), "[:, [0]]": (slice(None), [0]),
    "[1:, [0]]": (slice(1, None), [0]), "[True]": True, "[:5, 1:]": (slice(5), slice(1, None)),
}


@pytest.mark.parametrize("key", sorted(KEYS_2D))
def test_which_2d_writes_count_as_a_view_of_the_leaf(key: str) -> None:
    same_error(lambda lib: lib.ones(2, 2, requires_grad=True).__setitem__(KEYS_2D[key], 5.0),
               RuntimeError)


@pytest.mark.parametrize("case", ["exp", "add", "leaf", "double leaf", "sigmoid"])
def test_saved_tensor_changed_in_place_message(case: str) -> None:
    """PyTorch's text up to its hint (``torch.FloatTensor``, the node without 'Backward0',
    none for a leaf); our hint replaces PyTorch's, which points to anomaly detection."""
    def code(lib: Any) -> None:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        if case == "exp":
            y = x.exp()
            y.add_(1)
        elif case == "add":
            h = x * 2
            y = h * h
            h.add_(1)
        elif case in ("leaf", "double leaf"):
            w = lib.ones(2, dtype=lib.float64 if case == "double leaf" else lib.float32)
            y = x * w
            w.add_(1)
        else:
            y = (x * 2).sigmoid()
            y.mul_(2)
        y.sum().backward()

    message = same_error(code, RuntimeError, until=" Hint:")
    ours = outcome(code, OURS)[1]
    assert message.startswith("one of the variables needed for gradient computation has been "
                              "modified by an inplace operation: [torch.")
    assert ours.endswith("Hint: the tensor was changed in place (an op ending in '_', +=, or "
                         "x[...] = ...) after it was used; use an out-of-place operation or "
                         ".clone() it first.")


# -------------------------------------------------------------------- 0-d tensors (item 6)


@pytest.mark.parametrize("code", [
    lambda lib: lib.tensor(0.25)[0],
    lambda lib: lib.tensor(0.25).data[0],  # the pre-0.4 `loss.data[0]`
    lambda lib: lib.tensor(3)[-1],
    lambda lib: lib.tensor(3)[2],
    lambda lib: lib.tensor(0.25).__setitem__(0, 1.0),
    lambda lib: lib.tensor(0.25)[:],
    lambda lib: lib.tensor(0.25)[0, ],
    lambda lib: lib.tensor(0.25)[lib.tensor(0)],
    lambda lib: lib.ones(2)[0, 0],
    lambda lib: lib.ones(2, 3)[0, 0, 0],
    lambda lib: lib.ones(2, 3)[0, 5],
    lambda lib: lib.ones(2, 3)[-3],
], ids=["[0]", "data[0]", "[-1]", "[2]", "set [0]", "[:]", "[0,]", "[tensor(0)]", "1d [0,0]",
        "2d [0,0,0]", "out of range", "negative out of range"])
def test_indexing_errors(code: Callable[[Any], Any]) -> None:
    same_error(code, IndexError)


def test_what_a_0d_tensor_can_be_indexed_with() -> None:
    for code in (lambda lib: lib.tensor(0.25)[...], lambda lib: lib.tensor(0.25)[None],
                 lambda lib: lib.tensor(0.25)[True], lambda lib: lib.tensor(0.25)[..., None]):
        assert_same_tensor(*both(code))


# ------------------------------------------------------------------------- bool() (item 11)


@pytest.mark.parametrize("code", [
    lambda lib: bool(lib.tensor([1.0, 2.0])),
    lambda lib: bool(lib.ones(2, 2) > 0),
    lambda lib: bool(lib.tensor([])),
    lambda lib: lib.tensor([1.0, 2.0]) and 1,
    lambda lib: max(lib.tensor([[1.0, 2.0], [3.0, 4.0]])),
], ids=["two values", "a mask", "no values", "and", "max() of rows"])
def test_bool_of_not_one_value(code: Callable[[Any], Any]) -> None:
    same_error(code, RuntimeError)


def test_bool_of_one_value() -> None:
    for values in ([3.0], [[0.0]], 0, True):
        assert bool(OURS.tensor(values)) is bool(torch.tensor(values))


# --------------------------------------------------------------------- flip copies (item 23)


@SETTINGS
@given(data=st.data())
def test_flip_matches_torch(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1), label="shape")
    n = len(shape)
    dims = data.draw(st.lists(st.integers(-n, n - 1), max_size=n, unique_by=lambda d: d % n),
                     label="dims")
    x = data.draw(arrays(shape), label="x")
    check_parity(lambda t: t.flip(dims), None, x)
    check_parity(lambda t: (t * 2).flip(dims[0] if dims else 0) * t, None, x)


def test_flip_gradcheck() -> None:
    x = tg.tensor(np.random.default_rng(0).normal(size=(2, 3, 4)), requires_grad=True)
    assert gradcheck(lambda a: a.flip((0, -1)) * a, [x])


def test_flip_is_a_copy() -> None:
    def code(lib: Any) -> tuple[Any, ...]:
        a = lib.arange(6.0, requires_grad=True).view(2, 3)
        r = a.detach().flip(1)
        r[0, 0] = 100.0
        assert r._base is None and r.is_contiguous()
        assert a.flip(0).grad_fn.name() == "FlipBackward0"
        return a.detach(), r, lib.tensor(1.0).flip(0), lib.flip(a.detach(), [0, 1])

    for ours, theirs in zip(*both(code)):
        assert_same_tensor(ours, theirs)


def test_flip_errors() -> None:
    same_error(lambda lib: lib.ones(2, 3).flip(2), IndexError)
    ours, theirs = outcome(lambda lib: lib.ones(2, 3).flip([0, 0]), OURS), outcome(
        lambda lib: lib.ones(2, 3).flip([0, 0]), torch)
    assert ours[0] == theirs[0] == "RuntimeError" and "appears multiple times" in ours[1]


# ------------------------------------------------------------------- t == None (item 25)


@pytest.mark.parametrize("other", [None, "a", [1.0, 2.0], (1.0, 2.0), object()],
                         ids=["None", "str", "list", "tuple", "object"])
def test_comparing_with_what_is_not_a_number(other: Any) -> None:
    for lib in (OURS, torch):
        t = lib.tensor([1.0, 2.0])
        assert (t == other) is False and (t != other) is True
        assert (other == t) is False and (other != t) is True


def test_comparing_with_numbers_and_tensors_is_elementwise() -> None:
    for code in (lambda lib: lib.tensor([1.0, 2.0]) == 2, lambda lib: lib.tensor([1, 2]) != 1.5,
                 lambda lib: lib.tensor([1.0, 2.0]) == lib.tensor([[1.0], [2.0]]),
                 lambda lib: lib.tensor([1.0, 2.0]) == np.float64(2.0)):
        assert_same_tensor(*both(code))


# ------------------------------------------------------------------ uint8 masks (item 29)

UINT8_READS: dict[str, Callable[[Any], Any]] = {
    "1d": lambda lib: lib.tensor([10, 20, 30])[lib.tensor([1, 0, 1], dtype=lib.uint8)],
    "values 2": lambda lib: lib.tensor([10, 20, 30])[lib.tensor([2, 0, 1], dtype=lib.uint8)],
    "2d": lambda lib: lib.arange(6).view(2, 3)[lib.tensor([[1, 0, 1], [0, 1, 0]],
                                                          dtype=lib.uint8)],
    "in a tuple": lambda lib: lib.arange(6.0).view(2, 3)[:, lib.tensor([1, 0, 1],
                                                                       dtype=lib.uint8)],
}


@pytest.mark.parametrize("name", sorted(UINT8_READS))
def test_uint8_mask_selects_with_a_deprecation_warning(name: str) -> None:
    results = []
    for lib in (OURS, torch):
        with pytest.warns(UserWarning, match="indexing with dtype .*uint8 is now deprecated, "
                                             "please use a dtype .*bool instead"):
            results.append(UINT8_READS[name](lib))
    assert_same_tensor(*results)


def test_uint8_mask_writes() -> None:
    def many(lib: Any) -> Any:  # index_put: the values go where the mask is set
        x = lib.tensor([10, 20, 30])
        x[lib.tensor([1, 0, 1], dtype=lib.uint8)] = lib.tensor([5, 6])
        return x

    with pytest.warns(UserWarning, match="deprecated"):
        ours = many(OURS)
    with pytest.warns(UserWarning, match="deprecated"):
        theirs = many(torch)
    assert_same_tensor(ours, theirs)
    mask = {OURS: OURS.tensor([1, 0, 1], dtype=tg.uint8),
            torch: torch.tensor([1, 0, 1], dtype=torch.uint8)}
    for value in (0, 1.5, "0d", "one element"):
        def one(lib: Any, value: Any = value) -> None:  # PyTorch: masked_fill_, bool only
            number = {"0d": lib.tensor(0), "one element": lib.tensor([0])}.get(value, value)
            lib.tensor([10, 20, 30])[mask[lib]] = number

        same_error(one, RuntimeError)
    same_error(lambda lib: lib.tensor([10, 20, 30]).masked_fill_(mask[lib], 0), RuntimeError)


@pytest.mark.parametrize("dtype", ["int8", "int16", "float32", "float64"])
def test_index_tensors_of_other_dtypes_are_refused(dtype: str) -> None:
    same_error(lambda lib: lib.tensor([10, 20, 30])[lib.tensor([1, 0], dtype=getattr(lib, dtype))],
               IndexError)


def test_int32_index_tensors_are_integers() -> None:
    assert_same_tensor(*both(lambda lib: lib.tensor([10, 20, 30])[lib.tensor([2, 0, 2],
                                                                             dtype=lib.int32)]))


# -------------------------------------------------------- no negative slice steps (item 35)


@pytest.mark.parametrize("code", [
    lambda lib: lib.arange(5)[::-1],
    lambda lib: lib.ones(2, 3)[:, ::-2],
    lambda lib: lib.ones(2, 3)[[slice(None, None, -1), 0]],
    lambda lib: lib.arange(5).__setitem__(slice(None, None, -1), 0),
    lambda lib: lib.arange(5)[::0],
    lambda lib: lib.ones(2, 3)[:, ::0],
], ids=["[::-1]", "[:, ::-2]", "list key", "set", "[::0]", "[:, ::0]"])
def test_slice_steps_must_be_positive(code: Callable[[Any], Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's warning for a list as a multi-dim key
        same_error(code, ValueError)


# ----------------------------------------------------------- torch.tensor of tensors (item 36)


@pytest.mark.parametrize("code", [
    lambda lib: lib.tensor([lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])]),
    lambda lib: lib.tensor((lib.tensor([1.0, 2.0]),)),
    lambda lib: lib.tensor([lib.tensor([]), lib.tensor([])]),
    lambda lib: lib.tensor([[lib.tensor([1.0, 2.0]), 2.0], [3.0, 4.0]]),
    lambda lib: lib.Tensor([lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])]),
], ids=["two rows", "tuple", "empty", "nested", "legacy constructor"])
def test_tensor_of_tensors_with_many_elements(code: Callable[[Any], Any]) -> None:
    message = same_error(code, ValueError)
    assert message == "only one element tensors can be converted to Python scalars"


@pytest.mark.parametrize("code", [
    lambda lib: lib.tensor([lib.tensor(1.0), lib.tensor(3.0)]),
    lambda lib: lib.tensor([lib.tensor([1.0]), lib.tensor([[3.0]])]),
    lambda lib: lib.tensor([lib.tensor(1), lib.tensor(3)]),
    lambda lib: lib.tensor([lib.tensor(1.5, dtype=lib.float64), 2]),
    lambda lib: lib.tensor([lib.tensor([1]), 2.5]),
    lambda lib: lib.tensor([[lib.tensor(1.0), 2.0], (3.0, lib.tensor(4))]),
    lambda lib: lib.tensor([lib.tensor(True), False]),
    lambda lib: lib.tensor([lib.tensor(2.0, requires_grad=True) * 3]),
], ids=["0-d", "one element", "int", "float64", "int and float", "nested", "bool",
        "from a graph"])
def test_tensor_of_one_element_tensors(code: Callable[[Any], Any]) -> None:
    results, warned = [], []
    for lib in (OURS, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            results.append(code(lib))
        warned.append([str(w.message).split(" (Triggered")[0] for w in caught])
        if lib is tg or lib is torch:  # (OURS on the cuda stand-in adds a wrapper's frame)
            assert all(w.filename == __file__ for w in caught)  # the warning names this line
    assert warned[0] == warned[1]
    ours, theirs = results
    assert_same_tensor(ours, theirs)
    assert not ours.requires_grad


# ----------------------------------------------------- integer arithmetic, in (item 41)


@pytest.mark.parametrize("code", [
    lambda lib: lib.tensor([1, 2]) // 0,
    lambda lib: lib.tensor([1, 2]) // lib.tensor([1, 0]),
    lambda lib: 1 // lib.tensor([3, 0]),
    lambda lib: lib.tensor([4], dtype=lib.uint8) // 0,
    lambda lib: lib.tensor([1]).div(0, rounding_mode="floor"),
    lambda lib: lib.tensor([1, 2]) // lib.tensor(0),
], ids=["// 0", "// tensor", "rfloordiv", "uint8", "div floor", "// 0-d tensor"])
def test_integer_floor_division_by_zero(code: Callable[[Any], Any]) -> None:
    assert same_error(code, RuntimeError) == "ZeroDivisionError"


def test_floor_division_without_zero_and_of_floats() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's divide-by-zero warning (documented)
        for code in (lambda lib: lib.tensor([7, -7]) // 2, lambda lib: 7 // lib.tensor([2, -3]),
                     lambda lib: lib.tensor([1.0, -1.0]) // 0):
            assert_same_tensor(*both(code))


@SETTINGS
@given(data=st.data())
def test_integer_powers_with_negative_exponents(data: st.DataObject) -> None:
    shape = data.draw(shapes(max_dims=2, max_side=4), label="shape")
    ints = st.integers(-3, 3)
    base = data.draw(st.lists(ints, min_size=int(np.prod(shape)),
                              max_size=int(np.prod(shape))), label="base")
    exponent = data.draw(ints, label="exponent row")
    base_dtype = data.draw(st.sampled_from(["int64", "int32"]), label="dtype")

    def code(lib: Any) -> tuple[Any, ...]:
        b = lib.tensor(base, dtype=getattr(lib, base_dtype)).reshape(shape)
        e = lib.tensor([exponent, -abs(exponent) - 1])
        column = e.reshape(2, *([1] * len(shape)))
        return b ** column, 2 ** e, (-1) ** e, b ** lib.tensor(abs(exponent))

    for ours, theirs in zip(*both(code)):
        assert_same_tensor(ours, theirs)


def test_integer_power_errors() -> None:
    same_error(lambda lib: lib.tensor([2]) ** -1, RuntimeError)
    same_error(lambda lib: lib.tensor([2]).pow(-2), RuntimeError)
    same_error(lambda lib: lib.tensor([1, 2]) ** lib.tensor([-1, 1, 2]), RuntimeError,
               until=": shapes")  # (our broadcast errors may add the shapes)


@pytest.mark.parametrize("element", [5, 7, 5.0, 2.5, True, np.int64(3)], ids=str)
def test_in_compares_every_element(element: Any) -> None:
    found = [element in lib.tensor([[1, 5], [2, 3]]) for lib in (OURS, torch)]
    assert found[0] is found[1]


def test_in_with_tensors_and_other_things() -> None:
    assert (OURS.tensor([1, 5]) in OURS.tensor([[1, 5], [2, 3]])) is True
    assert (OURS.tensor([5, 1]) in OURS.tensor([[1, 5], [2, 3]])) is False
    assert (torch.tensor([5, 1]) in torch.tensor([[1, 5], [2, 3]])) is False
    assert (5 in OURS.tensor(5)) is (5 in torch.tensor(5)) is True
    for thing in ("a", None, [1, 5]):
        same_error(lambda lib, thing=thing: thing in lib.tensor([[1, 5], [2, 3]]), RuntimeError)


# ------------------------------------------------------------ dtype checks (items 17, 30, 19)

DTYPES = ["int64", "int32", "uint8", "float32", "float64", "bool"]
MATMUL_SHAPES = [((2, 3), (3, 2)), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)),
                 ((2, 2, 3), (3, 2)), ((2, 2, 3), (3,)), ((2, 2, 3), (2, 3, 2)),
                 ((2, 3), (2, 3, 2)), ((3,), (2, 3, 2)), ((1, 2, 2, 3), (1, 2, 3, 2))]


# (PyTorch's batched kernel has no bool version: it raises that first, we the dtype error)
MATMUL_CASES = [(shapes_, (a, b)) for shapes_ in MATMUL_SHAPES for a in DTYPES
                for b in ("float32", "float64") if a != b and not (a == "bool" and
                                                                   len(shapes_[1]) > 2)]


@pytest.mark.parametrize("shapes_,pair", MATMUL_CASES, ids=str)
def test_matmul_of_two_dtypes(shapes_: tuple[tuple[int, ...], ...], pair: tuple[str, str]
                              ) -> None:
    for a_dtype, b_dtype in (pair, pair[::-1]):
        def code(lib: Any, a_dtype: str = a_dtype, b_dtype: str = b_dtype) -> Any:
            a = lib.ones(*shapes_[0], dtype=getattr(lib, a_dtype))
            b = lib.ones(*shapes_[1], dtype=getattr(lib, b_dtype))
            return a @ b

        same_error(code, RuntimeError)


@pytest.mark.parametrize("method", ["mm", "matmul", "bmm", "mv", "dot"])
def test_matmul_methods_check_dtypes(method: str) -> None:
    shape = {"mm": ((2, 3), (3, 2)), "matmul": ((2, 3), (3,)), "bmm": ((2, 2, 3), (2, 3, 2)),
             "mv": ((2, 3), (3,)), "dot": ((3,), (3,))}[method]

    def code(lib: Any) -> Any:
        a, b = lib.ones(*shape[0], dtype=lib.int64), lib.ones(*shape[1])
        return getattr(a, method)(b)

    same_error(code, RuntimeError)
    same_error(lambda lib: getattr(lib, method)(lib.ones(*shape[0], dtype=lib.float64),
                                                lib.ones(*shape[1])), RuntimeError)


def test_matmul_of_one_dtype_still_works() -> None:
    for dtype in ("int64", "int32", "float64"):
        assert_same_tensor(*both(lambda lib, dtype=dtype: lib.ones(2, 3, dtype=getattr(
            lib, dtype)) @ lib.ones(3, 2, dtype=getattr(lib, dtype))))


SOFTMAX_CASES: dict[str, Callable[[Any], Any]] = {
    "F.softmax": lambda lib: lib.nn.functional.softmax(lib.tensor([1, 2]), dim=0),
    "dim 0 of 2": lambda lib: lib.nn.functional.softmax(lib.tensor([[1, 2]]), dim=0),
    "dim -1": lambda lib: lib.tensor([[1, 2]]).softmax(-1),
    "int32": lambda lib: lib.softmax(lib.tensor([1, 2], dtype=lib.int32), 0),
    "bool": lambda lib: lib.softmax(lib.tensor([True]), 0),
    "uint8": lambda lib: lib.softmax(lib.tensor([1], dtype=lib.uint8), 0),
    "0-d": lambda lib: lib.softmax(lib.tensor(1), 0),
    "F.log_softmax": lambda lib: lib.nn.functional.log_softmax(lib.tensor([1, 2]), dim=0),
    "log_softmax dim 0": lambda lib: lib.tensor([[1, 2]]).log_softmax(0),
    "nn.Softmax": lambda lib: lib.nn.Softmax(dim=1)(lib.tensor([[1, 2]])),
    "nn.LogSoftmax": lambda lib: lib.nn.LogSoftmax(dim=1)(lib.tensor([[1, 2]])),
    "cross_entropy": lambda lib: lib.nn.functional.cross_entropy(lib.tensor([[1, 2]]),
                                                                 lib.tensor([1])),
    "cross_entropy 4d": lambda lib: lib.nn.CrossEntropyLoss()(
        lib.ones(1, 2, 2, 2, dtype=lib.int64), lib.zeros(1, 2, 2, dtype=lib.int64)),
}


@pytest.mark.parametrize("name", sorted(SOFTMAX_CASES))
def test_softmax_of_integers(name: str) -> None:
    same_error(SOFTMAX_CASES[name], NotImplementedError)


def test_softmax_of_integers_with_a_dtype() -> None:
    for code in (lambda lib: lib.nn.functional.softmax(lib.tensor([1, 2]), 0, dtype=lib.float64),
                 lambda lib: lib.tensor([[1, 2]]).log_softmax(1, dtype=lib.float32)):
        assert_same_tensor(*both(code), rtol=1e-6)


@pytest.mark.parametrize("dtypes", [("float32", "int64"), ("float32", "float64"),
                                    ("float64", "float32"), ("float32", "bool"),
                                    ("int64", "float32")], ids=str)
def test_binary_cross_entropy_dtypes(dtypes: tuple[str, str]) -> None:
    def code(lib: Any, loss: str) -> Any:
        probabilities = lib.tensor([0.5, 0.25]) if dtypes[0] != "int64" else lib.tensor([1, 0])
        target = lib.tensor([1, 0]).to(getattr(lib, dtypes[1]))
        if loss == "module":
            return lib.nn.BCELoss()(probabilities.to(getattr(lib, dtypes[0])), target)
        return lib.nn.functional.binary_cross_entropy(probabilities.to(getattr(lib, dtypes[0])),
                                                      target, reduction=loss)

    for loss in ("module", "mean", "none"):
        assert same_error(lambda lib, loss=loss: code(lib, loss), RuntimeError).startswith(
            "Found dtype ")


def test_binary_cross_entropy_of_one_dtype() -> None:
    for dtype in ("float32", "float64"):
        assert_same_tensor(*both(lambda lib, dtype=dtype: lib.nn.functional.binary_cross_entropy(
            lib.tensor([0.5, 0.25], dtype=getattr(lib, dtype)),
            lib.tensor([1.0, 0.0], dtype=getattr(lib, dtype)))), rtol=1e-6)


@pytest.mark.parametrize("index", [[-1], [3], [0, 5], [[1, -2]]], ids=str)
def test_embedding_index_out_of_range(index: list[Any]) -> None:
    def code(lib: Any) -> Any:
        lib.manual_seed(0)
        return lib.nn.Embedding(3, 2).to(lib.ones(1).device)(lib.tensor(index))

    assert same_error(code, IndexError) == "index out of range in self"
    same_error(lambda lib: lib.nn.functional.embedding(lib.tensor(index), lib.ones(3, 2),
                                                       padding_idx=2), IndexError)


def test_embedding_in_range() -> None:
    def code(lib: Any) -> Any:
        table = lib.arange(6.0).view(3, 2)
        return (lib.nn.functional.embedding(lib.tensor([[0, 2], [1, 1]]), table),
                lib.nn.functional.embedding(lib.tensor([], dtype=lib.int64), table),
                lib.nn.functional.embedding(lib.tensor([2], dtype=lib.int32), table, -1))

    for ours, theirs in zip(*both(code)):
        assert_same_tensor(ours, theirs)


NOT_TENSORS: dict[str, Callable[[Any], Any]] = {
    "Linear(ndarray)": lambda lib: lib.nn.Linear(2, 1)(np.ones((1, 2), dtype=np.float32)),
    "Linear(list)": lambda lib: lib.nn.Linear(2, 1)([[1.0, 2.0]]),
    "Linear(int)": lambda lib: lib.nn.Linear(2, 1)(3),
    "Linear(None)": lambda lib: lib.nn.Linear(2, 1)(None),
    "F.linear weight": lambda lib: lib.nn.functional.linear(lib.ones(1, 2), [[1.0, 2.0]]),
    "F.linear bias": lambda lib: lib.nn.functional.linear(lib.ones(1, 2), lib.ones(1, 2),
                                                          np.ones(1)),
    "F.linear both": lambda lib: lib.nn.functional.linear([[1.0, 2.0]], [[1.0, 2.0]]),
    "Embedding(list)": lambda lib: lib.nn.Embedding(3, 2)([1]),
    "F.embedding ndarray": lambda lib: lib.nn.functional.embedding(np.array([1]),
                                                                   lib.ones(3, 2)),
    "F.embedding weight": lambda lib: lib.nn.functional.embedding(lib.tensor([1]),
                                                                  np.ones((3, 2))),
    "F.embedding both": lambda lib: lib.nn.functional.embedding([1], [[1.0]]),
}


@pytest.mark.parametrize("name", sorted(NOT_TENSORS))
def test_layers_given_what_is_not_a_tensor(name: str) -> None:
    assert "must be Tensor, not " in same_error(NOT_TENSORS[name], TypeError)


@pytest.mark.parametrize("given_", ["ndarray", "list"])
def test_conv2d_given_what_is_not_a_tensor(given_: str) -> None:
    """PyTorch's first line and signatures; we leave out its 'didn't match' detail lines."""
    def code(lib: Any) -> Any:
        image = [[[[1.0]]]] if given_ == "list" else np.ones((1, 1, 2, 2), dtype=np.float32)
        return lib.nn.Conv2d(1, 1, 1)(image)

    ours, theirs = outcome(code, OURS), outcome(code, torch)
    assert ours[0] == theirs[0] == "TypeError"
    got = "numpy.ndarray" if given_ == "ndarray" else "list"
    first = (f"conv2d() received an invalid combination of arguments - got ({got}, Parameter, "
             f"Parameter, tuple, tuple, tuple, int), but expected one of:\n")
    assert ours[1].startswith(first) and theirs[1].startswith(first)
    signatures = [line for line in theirs[1].splitlines() if line.startswith(" * ")]
    assert len(signatures) == 2 and ours[1] == first + "\n".join(signatures) + "\n"
    kinds = [outcome(lambda lib, bad=bad: lib.nn.functional.conv2d(*bad(lib)), library)[0]
             for bad in (lambda lib: (lib.ones(1, 1, 2, 2), np.ones((1, 1, 1, 1))),
                         lambda lib: (lib.ones(1, 1, 2, 2), lib.ones(1, 1, 1, 1), np.ones(1)))
             for library in (OURS, torch)]
    assert kinds == ["TypeError"] * 4


def test_layers_given_tensors_still_work() -> None:
    def code(lib: Any) -> tuple[Any, ...]:
        x = lib.arange(4.0).view(1, 1, 2, 2)
        weight = lib.ones(1, 1, 1, 1)
        return (lib.nn.functional.linear(lib.ones(1, 2), lib.ones(3, 2), lib.zeros(3)),
                lib.nn.functional.conv2d(x, weight, lib.ones(1)))

    for ours, theirs in zip(*both(code)):
        assert_same_tensor(ours, theirs)


def test_to_numpy_of_an_element_view() -> None:
    """An element view reads like any tensor (the helpers, ``item``, ``tolist``)."""
    a = OURS.tensor([1.5, 2.5])
    assert to_numpy(a[1]).shape == () and a[1].item() == 2.5 and a[0].tolist() == 1.5

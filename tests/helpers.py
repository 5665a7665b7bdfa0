"""The one parity helper (``check_parity``) and the hypothesis strategies the op tests share.

``check_parity(fn_ours, fn_torch, *arrays)`` builds tensors in both libraries from the same
NumPy arrays, runs the function in each, compares the outputs (values, shape, dtype name,
``requires_grad``), then backpropagates the same random upstream gradient (never all ones,
so a backward that ignores its incoming gradient fails) and compares every input's ``.grad``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg

RTOL = 1e-10
ATOL = 1e-10

# Where our side of every parity check runs: cpu, or cuda when the suite is run with
# TINYGRAD_EDU_TEST_DEVICE=cuda (a real GPU) or =cuda-standin (tests/conftest.py installs the
# NumPy-backed CuPy stand-in). PyTorch's side always runs on the cpu.
DEVICE_ENV = "TINYGRAD_EDU_TEST_DEVICE"
OURS_DEVICE = "cuda" if os.environ.get(DEVICE_ENV, "cpu").startswith("cuda") else "cpu"


class _OnDevice:
    """``tinygrad_edu`` whose creation functions default to ``device=OURS_DEVICE``, so one
    test lambda (``lib.tensor(target)``) builds its extra tensors where the inputs live."""

    CREATION = frozenset({"tensor", "zeros", "ones", "full", "empty", "arange", "eye",
                          "linspace", "rand", "randn", "randint", "as_tensor"})

    def __getattr__(self, name: str) -> Any:
        value = getattr(tg, name)
        if name not in self.CREATION:
            return value
        return lambda *args, **kwargs: value(*args, **{"device": OURS_DEVICE, **kwargs})


OURS: Any = tg if OURS_DEVICE == "cpu" else _OnDevice()


# ------------------------------------------------------------------------------ comparing


def dtype_name(dtype: Any) -> str:
    """``float32`` for both ``tinygrad_edu.float32`` and ``torch.float32``."""
    return (repr(dtype) if isinstance(dtype, tg.dtype) else str(dtype)).rsplit(".", 1)[-1]


def to_numpy(t: Any) -> np.ndarray:
    """The values of a tensor of either library (or of a number) as a NumPy array."""
    if isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy()
    if isinstance(t, tg.Tensor):
        return t.detach().cpu().numpy()
    return np.asarray(t)


def assert_same_tensor(ours: Any, theirs: Any, rtol: float = RTOL, atol: float = ATOL,
                       what: str = "output") -> None:
    """Same type of thing, shape, dtype name and values (to ``rtol``/``atol``)."""
    assert isinstance(ours, tg.Tensor), f"{what}: expected a tinygrad_edu.Tensor, got {ours!r}"
    assert isinstance(theirs, torch.Tensor)
    assert ours.device.type == OURS_DEVICE, f"{what}: on {ours.device}, not on {OURS_DEVICE}"
    assert tuple(ours.shape) == tuple(theirs.shape), (
        f"{what}: shape {tuple(ours.shape)} != torch's {tuple(theirs.shape)}")
    assert dtype_name(ours.dtype) == dtype_name(theirs.dtype), (
        f"{what}: dtype {ours.dtype!r} != torch's {theirs.dtype}")
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), rtol=rtol, atol=atol,
                               err_msg=f"{what} values differ from torch's")


def _flatten(out: Any) -> list[Any]:
    """An op's result as a flat list of tensors (``split``, ``max(dim)`` ... return tuples)."""
    if isinstance(out, tuple | list):
        return [t for part in out for t in _flatten(part)]
    return [out]


def _leaf(lib: Any, array: np.ndarray, requires_grad: bool) -> Any:
    # a copy each: neither library can change the input
    tensor = lib.tensor(array.copy()) if lib is torch else lib.tensor(array, device=OURS_DEVICE)
    if requires_grad:
        tensor.requires_grad_(True)
    return tensor


def make_pair(array: np.ndarray, requires_grad: bool = True) -> tuple[tg.Tensor, torch.Tensor]:
    """The same leaf tensor in both libraries (``requires_grad`` only for floats)."""
    grad = requires_grad and array.dtype.kind == "f"
    return _leaf(tg, array, grad), _leaf(torch, array, grad)


def check_parity(fn_ours: Callable[..., Any], fn_torch: Callable[..., Any] | None,
                 *arrays: np.ndarray, requires_grad: bool | Sequence[bool] = True,
                 rtol: float = RTOL, atol: float = ATOL, seed: int = 0,
                 backward: bool = True) -> tuple[Any, Any]:
    """Run ``fn_ours`` on tinygrad_edu tensors and ``fn_torch`` (None: the same function) on
    torch tensors made from ``arrays``; compare outputs, then gradients.

    ``requires_grad`` is one flag for every floating-point array, or one flag per array.
    Outputs may be a tensor or a (nested) tuple of tensors; integer outputs (indices) are
    compared by value only. The upstream gradient of each floating output is drawn from a
    normal distribution with ``seed``. Returns both libraries' results.
    """
    fn_torch = fn_ours if fn_torch is None else fn_torch
    arrays = tuple(np.asarray(a) for a in arrays)
    flags = ([requires_grad] * len(arrays) if isinstance(requires_grad, bool)
             else list(requires_grad))
    assert len(flags) == len(arrays), "one requires_grad flag per array"
    flags = [f and a.dtype.kind == "f" for f, a in zip(flags, arrays)]
    ours_in = [_leaf(tg, a, f) for a, f in zip(arrays, flags)]
    torch_in = [_leaf(torch, a, f) for a, f in zip(arrays, flags)]

    ours_out = _flatten(fn_ours(*ours_in))
    torch_out = _flatten(fn_torch(*torch_in))
    assert len(ours_out) == len(torch_out), (
        f"{len(ours_out)} outputs, torch has {len(torch_out)}")
    for i, (o, t) in enumerate(zip(ours_out, torch_out)):
        assert_same_tensor(o, t, rtol, atol, what=f"output {i}")
        assert o.requires_grad == t.requires_grad, (
            f"output {i}: requires_grad {o.requires_grad} != torch's {t.requires_grad}")

    # the inputs' values must be untouched (forward must not write into its inputs)
    for i, (a, o) in enumerate(zip(arrays, ours_in)):
        if o.is_leaf:
            np.testing.assert_array_equal(to_numpy(o), a, err_msg=f"input {i} was modified")

    differentiable = [i for i, t in enumerate(torch_out) if t.requires_grad]
    if not backward or not differentiable or not any(flags):
        return ours_in, torch_in
    rng = np.random.default_rng(seed)
    upstream = [rng.normal(size=torch_out[i].shape) for i in differentiable]
    tg.autograd.backward([ours_out[i] for i in differentiable],
                         [tg.tensor(g, dtype=ours_out[i].dtype, device=OURS_DEVICE)
                          for i, g in zip(differentiable, upstream)])
    torch.autograd.backward([torch_out[i] for i in differentiable],
                            [torch.tensor(g, dtype=torch_out[i].dtype)
                             for i, g in zip(differentiable, upstream)])
    for i, (o, t) in enumerate(zip(ours_in, torch_in)):
        if not flags[i]:
            continue
        if t.grad is None:
            assert o.grad is None, f"input {i}: torch has no gradient, we have {o.grad!r}"
            continue
        assert o.grad is not None, f"input {i}: no gradient, torch has {t.grad}"
        assert_same_tensor(o.grad, t.grad, rtol, atol, what=f"gradient of input {i}")
    return ours_in, torch_in


# ------------------------------------------------------------------------------ strategies


def shapes(min_dims: int = 0, max_dims: int = 4, min_side: int = 1,
           max_side: int = 5) -> st.SearchStrategy[tuple[int, ...]]:
    """Shapes of 0-4 dims, sizes 1-5 (``min_side=0`` lets size-0 dims in where sensible)."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


@st.composite
def broadcastable_pair(draw: st.DrawFn, min_dims: int = 0,
                       max_dims: int = 4) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that broadcast together: each is a common shape with some leading dims
    dropped and some dims set to 1 (so either side, or both, may be broadcast)."""
    full = draw(shapes(min_dims=min_dims, max_dims=max_dims))

    def derive() -> tuple[int, ...]:
        drop = draw(st.integers(0, len(full)))
        kept = list(full[drop:])
        for i in range(len(kept)):
            if draw(st.booleans()):
                kept[i] = 1
        return tuple(kept)

    return derive(), derive()


def floats(low: float = -3.0, high: float = 3.0) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def away_from_zero(low: float = 0.3, high: float = 3.0) -> st.SearchStrategy[float]:
    """Values with ``low <= |x| <= high``: denominators, bases of negative powers."""
    return st.one_of(floats(-high, -low), floats(low, high))


def arrays(shape: Any, elements: st.SearchStrategy[float] | None = None,
           unique: bool = False) -> st.SearchStrategy[np.ndarray]:
    """float64 arrays of ``shape`` (a shape or a strategy of shapes) with bounded values."""
    return hnp.arrays(np.float64, shape, elements=floats() if elements is None else elements,
                      unique=unique)


def positive_arrays(shape: Any, low: float = 0.2, high: float = 3.0
                    ) -> st.SearchStrategy[np.ndarray]:
    """For log, sqrt, real powers: values kept away from 0."""
    return arrays(shape, floats(low, high))


def nonzero_arrays(shape: Any) -> st.SearchStrategy[np.ndarray]:
    """For denominators: values kept away from 0."""
    return arrays(shape, away_from_zero())


@st.composite
def tied_arrays(draw: st.DrawFn, shape: Any) -> np.ndarray:
    """Arrays drawn from a few values only, so ties (equal maxima ...) are common."""
    if not isinstance(shape, tuple):
        shape = draw(shape)
    return draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 0.0, 0.5, 2.0])))


def lib_of(t: Any) -> Any:
    """The library a tensor belongs to, so one lambda serves both (``lib_of(x).cat``)."""
    return torch if isinstance(t, torch.Tensor) else OURS


def draw_dim(data: st.DataObject, ndim: int) -> int:
    """A valid dim for a tensor of ``ndim`` dims, negative ones included."""
    n = max(ndim, 1)
    return data.draw(st.integers(-n, n - 1), label="dim")

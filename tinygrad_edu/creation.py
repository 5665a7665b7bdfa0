"""Making tensors: ``tensor``, ``zeros``, ``arange``, ``rand`` ... with PyTorch's signatures.

Every function takes ``dtype``, ``device`` and ``requires_grad`` keywords. Dtypes are
inferred as PyTorch does: Python ints become int64, floats the default float32, bools bool;
NumPy arrays keep their dtype.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from . import backend, random
from .backend import dtype as DType
from .tensor import Tensor, _shape_args, _to_array

DeviceLike = str | backend.device | None


def _finish(array: np.ndarray, device: DeviceLike, requires_grad: bool) -> Tensor:
    """Move ``array`` to ``device`` and wrap it as a leaf tensor."""
    out = Tensor._wrap(backend.to_device(array, backend.canonical_device(device)))
    if requires_grad:
        out.requires_grad = True  # checks the dtype
    return out


def _float_dtype(dtype: DType | None, function: str) -> DType:
    chosen = backend.DEFAULT_FLOAT if dtype is None else dtype
    if not chosen.is_floating_point:
        raise TypeError(f"{function}: expected a floating point dtype, got {chosen!r} "
                        f"(use randint for integers)")
    return chosen


def tensor(data: Any, dtype: DType | None = None, device: DeviceLike = None,
           requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array)."""
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.clone().detach() or "
                      "sourceTensor.clone().detach().requires_grad_(True), rather than "
                      "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
    return _finish(_to_array(data, dtype), device, requires_grad)


def as_tensor(data: Any, dtype: DType | None = None, device: DeviceLike = None) -> Tensor:
    """Like ``tensor`` but shares memory with a NumPy array or tensor when it can."""
    if isinstance(data, Tensor):
        return data.to(dtype=dtype or data.dtype, device=device or data.device)
    if isinstance(data, np.ndarray) and (dtype is None or data.dtype == dtype.numpy) and (
            device is None or backend.device(device).type == "cpu"):
        backend.from_numpy_dtype(data.dtype)
        return Tensor._wrap(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that shares ``array``'s memory: changing one changes the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    backend.from_numpy_dtype(array.dtype)
    return Tensor._wrap(array)


def _filled(size: tuple[Any, ...], fill: Any, dtype: DType | None, device: DeviceLike,
            requires_grad: bool) -> Tensor:
    shape = _shape_args(size)
    if any(n < 0 for n in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension: {list(shape)}")
    chosen = dtype or backend.DEFAULT_FLOAT
    array = (np.empty(shape, dtype=chosen.numpy) if fill is None
             else np.full(shape, fill, dtype=chosen.numpy))
    return _finish(array, device, requires_grad)


def zeros(*size: Any, dtype: DType | None = None, device: DeviceLike = None,
          requires_grad: bool = False) -> Tensor:
    return _filled(size, 0, dtype, device, requires_grad)


def ones(*size: Any, dtype: DType | None = None, device: DeviceLike = None,
         requires_grad: bool = False) -> Tensor:
    return _filled(size, 1, dtype, device, requires_grad)


def empty(*size: Any, dtype: DType | None = None, device: DeviceLike = None,
          requires_grad: bool = False) -> Tensor:
    """Uninitialised memory: the values are whatever was there (as in PyTorch)."""
    return _filled(size, None, dtype, device, requires_grad)


def full(size: Any, fill_value: bool | int | float, dtype: DType | None = None,
         device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    chosen = dtype or backend.scalar_dtype(fill_value)
    return _filled(tuple(size) if not isinstance(size, int) else (size,), fill_value, chosen,
                   device, requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, *,
           dtype: DType | None = None, device: DeviceLike = None,
           requires_grad: bool = False) -> Tensor:
    """``start, start + step, ...`` up to but excluding ``end`` (int64 when all are ints)."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError(f"upper bound and larger bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    all_ints = all(isinstance(v, int) for v in (start, end, step))
    chosen = dtype or (backend.int64 if all_ints else backend.DEFAULT_FLOAT)
    if all_ints:
        array = np.arange(start, end, step, dtype=chosen.numpy)
    else:  # computed in float64 like PyTorch, then stored in the chosen dtype
        count = math.ceil((end - start) / step)
        array = (start + step * np.arange(count, dtype=np.float64)).astype(chosen.numpy)
    return _finish(array, device, requires_grad)


def range_(start: float, end: float, step: float = 1, *, dtype: DType | None = None,
           device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    """Deprecated ``torch.range``: like ``arange`` but *including* ``end``, and float."""
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    count = math.floor((end - start) / step) + 1
    chosen = dtype or backend.DEFAULT_FLOAT
    array = (start + step * np.arange(count, dtype=np.float64)).astype(chosen.numpy)
    return _finish(array, device, requires_grad)


def linspace(start: float, end: float, steps: int, *, dtype: DType | None = None,
             device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    chosen = dtype or backend.DEFAULT_FLOAT
    return _finish(np.linspace(start, end, steps).astype(chosen.numpy), device, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: DType | None = None,
        device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    chosen = dtype or backend.DEFAULT_FLOAT
    return _finish(np.eye(n, m, dtype=chosen.numpy), device, requires_grad)


def rand(*size: Any, generator: random.Generator | None = None, dtype: DType | None = None,
         device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    """Uniform random numbers in [0, 1)."""
    chosen = _float_dtype(dtype, "rand")
    values = random.resolve(generator).uniform(0.0, 1.0, _shape_args(size))
    return _finish(values.astype(chosen.numpy), device, requires_grad)


def randn(*size: Any, generator: random.Generator | None = None, dtype: DType | None = None,
          device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    """Standard normal random numbers (mean 0, variance 1)."""
    chosen = _float_dtype(dtype, "randn")
    values = random.resolve(generator).normal(0.0, 1.0, _shape_args(size))
    return _finish(values.astype(chosen.numpy), device, requires_grad)


def randint(low: int, high: int | None = None, size: Any = None, *,
            generator: random.Generator | None = None, dtype: DType | None = None,
            device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    """Random integers in [low, high) (``randint(high, size)`` starts at 0)."""
    if size is None:
        if high is None or isinstance(high, int):
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    if high is None:
        raise TypeError("randint() missing required argument 'high'")
    if isinstance(high, tuple | list):
        low, high, size = 0, low, high
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    chosen = dtype or backend.int64
    values = random.resolve(generator).integers(low, high, _shape_args(tuple(size)))
    return _finish(values.astype(chosen.numpy), device, requires_grad)


def randperm(n: int, *, generator: random.Generator | None = None,
             dtype: DType | None = None, device: DeviceLike = None) -> Tensor:
    """A random ordering of ``0 .. n-1``."""
    chosen = dtype or backend.int64
    return _finish(random.resolve(generator).permutation(n).astype(chosen.numpy), device,
                   False)


def normal(mean: float, std: float, size: Any, *, generator: random.Generator | None = None,
           dtype: DType | None = None, device: DeviceLike = None,
           requires_grad: bool = False) -> Tensor:
    chosen = _float_dtype(dtype, "normal")
    values = random.resolve(generator).normal(mean, std, _shape_args(tuple(size)))
    return _finish(values.astype(chosen.numpy), device, requires_grad)


def _like(source: Tensor, dtype: DType | None, device: DeviceLike) -> dict[str, Any]:
    return {"dtype": dtype or source.dtype, "device": device or source.device}


def zeros_like(input: Tensor, *, dtype: DType | None = None, device: DeviceLike = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:
    return zeros(input.shape, requires_grad=requires_grad, **_like(input, dtype, device))


def ones_like(input: Tensor, *, dtype: DType | None = None, device: DeviceLike = None,  # noqa: A002
              requires_grad: bool = False) -> Tensor:
    return ones(input.shape, requires_grad=requires_grad, **_like(input, dtype, device))


def empty_like(input: Tensor, *, dtype: DType | None = None, device: DeviceLike = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:
    return empty(input.shape, requires_grad=requires_grad, **_like(input, dtype, device))


def full_like(input: Tensor, fill_value: bool | int | float, *,  # noqa: A002
              dtype: DType | None = None, device: DeviceLike = None,
              requires_grad: bool = False) -> Tensor:
    return full(input.shape, fill_value, requires_grad=requires_grad,
                **_like(input, dtype, device))


def rand_like(input: Tensor, *, dtype: DType | None = None, device: DeviceLike = None,  # noqa: A002
              requires_grad: bool = False) -> Tensor:
    return rand(input.shape, requires_grad=requires_grad, **_like(input, dtype, device))


def randn_like(input: Tensor, *, dtype: DType | None = None, device: DeviceLike = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:
    return randn(input.shape, requires_grad=requires_grad, **_like(input, dtype, device))


def randint_like(input: Tensor, low: int, high: int | None = None, *,  # noqa: A002
                 dtype: DType | None = None, device: DeviceLike = None) -> Tensor:
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, **_like(input, dtype, device))

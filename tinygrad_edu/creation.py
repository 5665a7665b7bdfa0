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
from .backend import namespace
from .tensor import Function, Tensor, _broadcast_error, _shape_args, _size_args, _to_array

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
                      "sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than "
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


def _filled(shape: tuple[int, ...], fill: Any, dtype: DType | None, device: DeviceLike,
            requires_grad: bool) -> Tensor:
    if any(n < 0 for n in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension: {list(shape)}")
    chosen = dtype or backend.DEFAULT_FLOAT
    array = (np.empty(shape, dtype=chosen.numpy) if fill is None
             else np.full(shape, fill, dtype=chosen.numpy))
    return _finish(array, device, requires_grad)


def zeros(*args: Any, size: Any = None, dtype: DType | None = None,
          device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    return _filled(_size_args(args, size, "zeros"), 0, dtype, device, requires_grad)


def ones(*args: Any, size: Any = None, dtype: DType | None = None,
         device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    return _filled(_size_args(args, size, "ones"), 1, dtype, device, requires_grad)


def empty(*args: Any, size: Any = None, dtype: DType | None = None,
          device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    """Uninitialised memory: the values are whatever was there (as in PyTorch)."""
    return _filled(_size_args(args, size, "empty"), None, dtype, device, requires_grad)


def full(size: Any, fill_value: bool | int | float, dtype: DType | None = None,
         device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    chosen = dtype or backend.scalar_dtype(fill_value)
    return _filled(_shape_args((size,)), fill_value, chosen, device, requires_grad)


# ------------------------------------------------------------ arange and linspace, bit for bit
# PyTorch's cpu kernels (RangeFactoriesKernel.cpp) are compiled with fused multiply-adds:
# `start + step * i` is rounded once, not twice. NumPy has no fma, so `_fma` carries the
# product and the sum exactly (error-free transformations) and rounds at the end.


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """$s + e = a + b$ exactly, $s$ the rounded sum (Knuth)."""
    s = a + b
    b_part = s - a
    return s, (a - (s - b_part)) + (b - b_part)


def _halves(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """$a = hi + lo$ with 26 significant bits in each, so that their products are exact."""
    scaled = 134217729.0 * a  # 2**27 + 1 (Veltkamp's split)
    hi = scaled - (scaled - a)
    return hi, a - hi


def _two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """$p + e = a b$ exactly, $p$ the rounded product (Dekker)."""
    p = a * b
    (a_hi, a_lo), (b_hi, b_lo) = _halves(a), _halves(b)
    return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo


def _add_rounded_to_odd(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """$a + b$ rounded to odd: when inexact, the neighbour whose last bit is 1. Rounded to
    nearest afterwards (to float32, or added to a larger number) it gives the correctly
    rounded result, with no double rounding (Boldo and Melquiond, 2008)."""
    s, error = _two_sum(a, b)
    even = (s.view(np.int64) & 1) == 0
    return np.where((error != 0) & even, np.nextafter(s, np.copysign(np.inf, error)), s)


def _fma(a: Any, b: Any, c: Any, dtype: Any) -> np.ndarray:
    """$a b + c$ rounded once to ``dtype`` (float32 or float64), elementwise: C's ``fma``.
    For float32, ``a``, ``b`` and ``c`` must hold float32 values (their product is exact
    in float64)."""
    a, b, c = (np.asarray(v, dtype=np.float64) for v in (a, b, c))
    with np.errstate(all="ignore"):  # inf and NaN: the plain formula below says what PyTorch has
        high, low = _two_product(a, b)
        if dtype == np.float32:
            fused = _add_rounded_to_odd(high, c).astype(np.float32)
        else:
            head, tail = _two_sum(c, high)
            rest = _add_rounded_to_odd(tail, low)
            fused = np.where(rest == 0, head, head + rest)  # keeps a -0.0 head
        plain = (a * b + c).astype(dtype)
    return np.where(np.isfinite(plain), fused, plain)


_VECTOR_BYTES = 32  # PyTorch's cpu build for AVX2 machines fills 256-bit vectors


def _arange_array(start: float, step: float, size: int, dtype: np.dtype) -> np.ndarray:
    """PyTorch's arange kernel: integers in int64 (wrapping into ``dtype``); floats in
    float64 (float32 for float16), one rounded first value per vector and
    ``first + lane * step`` in each lane; the loop fills two vectors a turn and the elements
    left over one by one, ``start + step * i``. Above 32768 elements PyTorch splits the work
    between threads, each starting its own vectors: there an element may differ by an ulp."""
    if dtype.kind in "iu":
        origin, stride = (int(_scalar_to(v, np.dtype(np.int64))) for v in (start, step))
        return (origin + stride * np.arange(size, dtype=np.int64)).astype(dtype)
    acc = np.float32 if dtype == np.float16 else np.float64  # PyTorch's accumulate type
    start, step = (_scalar_to(v, np.dtype(acc)) for v in (start, step))
    lanes = _VECTOR_BYTES // dtype.itemsize
    index = np.arange(size)
    in_vectors = size - size % (2 * lanes)
    first = np.where(index < in_vectors, index - index % lanes, index)  # of its vector
    lane = index - first
    base = _fma(step, first.astype(acc), start, acc).astype(dtype)
    return np.where(lane == 0, base, _fma(lane, step, base, acc).astype(dtype))


def _arange_size(start: Any, end: Any, step: Any, dtype: DType) -> int:
    """PyTorch's checks and element count: ``ceil((end - start) / step)`` in float64 (in
    int64 for an int64 range of ints)."""
    d_start, d_end, d_step = float(start), float(end), float(step)
    if not (d_step > 0 or d_step < 0):
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(d_start) and math.isfinite(d_end)):
        raise RuntimeError(f"unsupported range: {d_start:g} -> {d_end:g}")
    if not ((d_step > 0 and d_end >= d_start) or (d_step < 0 and d_end <= d_start)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is backend.bool_:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if dtype is backend.int64:  # in int64 throughout: the bounds and step truncated
        if int(step) == 0:  # a step of 0.5
            raise ValueError("step must be nonzero")
        sign = 1 if step > 0 else -1
        return (int(end) - int(start) + int(step) - sign) // int(step)
    return math.ceil((d_end - d_start) / d_step)


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer)  # bool is an int too, as in PyTorch


def arange(start: float, end: float | None = None, step: float = 1, *,
           dtype: DType | None = None, device: DeviceLike = None,
           requires_grad: bool = False) -> Tensor:
    """``start, start + step, ...`` up to but excluding ``end`` (int64 when all are ints),
    with PyTorch's numbers bit for bit (see ``_arange_array``)."""
    if end is None:
        start, end = 0, start
    all_ints = all(_is_int(v) for v in (start, end, step))
    chosen = dtype or (backend.int64 if all_ints else backend.DEFAULT_FLOAT)
    size = _arange_size(start, end, step, chosen)
    return _finish(_arange_array(start, step, size, chosen.numpy), device, requires_grad)


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


_C_TYPES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t", "float16": "c10::Half", "float32": "float", "float64": "double"}


def _scalar_to(value: float, dtype: np.dtype) -> Any:
    """``value`` in ``dtype`` as PyTorch's ``Scalar.to<T>()`` converts it (floats to integers
    towards zero; negative ints wrap into unsigned ones), or its error where it does not fit."""
    if dtype == np.bool_:
        return bool(value)
    if dtype.kind == "f":
        fits = not math.isfinite(value) or abs(value) <= float(np.finfo(dtype).max)
    else:
        low, high = np.iinfo(dtype).min, np.iinfo(dtype).max
        fits = low <= value <= high or (_is_int(value) and low == 0 and -high <= value < 0)
    if not fits:
        raise RuntimeError(f"value cannot be converted to type {_C_TYPES[dtype.name]} without "
                           f"overflow")
    return dtype.type(value) if dtype.kind == "f" else np.array(int(value)).astype(dtype)[()]


def linspace(start: float, end: float, steps: int, *, dtype: DType | None = None,
             device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    """``steps`` values from ``start`` to ``end``, evenly spaced, with PyTorch's numbers bit
    for bit: ``step = (end - start) / (steps - 1)`` in the dtype (float64 for integers),
    then ``start + step * i`` for the first half and ``end - step * (steps - 1 - i)`` for
    the second, each a fused multiply-add (float16: each operation rounded to float16)."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    chosen = (dtype or backend.DEFAULT_FLOAT).numpy
    index = np.arange(steps)
    if steps <= 1:  # nothing to convert, or start alone
        array = np.full(steps, _scalar_to(start, chosen) if steps else 0, dtype=chosen)
        return _finish(array, device, requires_grad)
    if chosen == np.bool_:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    first, last = _scalar_to(start, chosen), _scalar_to(end, chosen)
    if chosen == np.float16:
        with np.errstate(all="ignore"):  # inf and NaN silently, as PyTorch
            step = (last - first) / np.float16(steps - 1)
            up = first + step * index.astype(chosen)
            down = last - step * (steps - 1 - index).astype(chosen)
        array = np.where(index < steps // 2, up, down)
    else:
        acc = chosen.type if chosen.kind == "f" else np.float64
        first, last = acc(first), acc(last)
        step = (last - first) / acc(steps - 1)
        up = _fma(step, index.astype(acc), first, acc)
        down = _fma(step, -(steps - 1 - index).astype(acc), last, acc)  # a NaN step keeps
        # its sign this way, as in PyTorch's fused end - step * k
        array = np.where(index < steps // 2, up, down).astype(chosen)
    return _finish(array, device, requires_grad)


def logspace(start: float, end: float, steps: int, base: float = 10.0, *,
             dtype: DType | None = None, device: DeviceLike = None,
             requires_grad: bool = False) -> Tensor:
    """``base ** linspace(start, end, steps)``, with PyTorch's numbers bit for bit: start and
    end in the dtype, the exponents ``start + step * i`` (first half) and ``end - step *
    (steps - 1 - i)`` in float64 (not fused: RangeFactories.cpp is built without FMA), then
    ``pow`` in float64, stored in the dtype."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    chosen = (dtype or backend.DEFAULT_FLOAT).numpy
    if steps <= 1:  # pow(base, start), filled in (float16 unchecked, as PyTorch)
        value = float(base) ** float(start) if steps else 0.0
        with np.errstate(over="ignore"):
            filled = np.float16(value) if chosen == np.float16 else _scalar_to(value, chosen)
        return _finish(np.full(steps, filled, dtype=chosen), device, requires_grad)
    if chosen == np.bool_:
        raise NotImplementedError("\"logspace_cpu\" not implemented for 'Bool'")
    first, last = _scalar_to(start, chosen), _scalar_to(end, chosen)
    with np.errstate(all="ignore"):  # inf, NaN and out-of-range integers silently, as PyTorch
        span = last - first if chosen.kind == "f" else int(last) - int(first)  # in the dtype
        step = float(span) / (steps - 1)
        index = np.arange(steps, dtype=np.float64)
        up = float(first) + step * index
        down = float(last) - step * (steps - 1 - index)
        values = np.power(float(base), np.where(index < steps // 2, up, down))
        if chosen.kind in "iu":  # C's conversion: through int32 (int64 for int64), wrapping
            values = values.astype(np.int64 if chosen == np.int64 else np.int32)
        array = values.astype(chosen)
    return _finish(array, device, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: DType | None = None,
        device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    chosen = dtype or backend.DEFAULT_FLOAT
    return _finish(np.eye(n, m, dtype=chosen.numpy), device, requires_grad)


def rand(*args: Any, size: Any = None, generator: random.Generator | None = None,
          dtype: DType | None = None, device: DeviceLike = None,
          requires_grad: bool = False) -> Tensor:
    """Uniform random numbers in [0, 1)."""
    chosen = _float_dtype(dtype, "rand")
    values = random.resolve(generator).uniform(0.0, 1.0, _size_args(args, size, "rand"))
    return _finish(values.astype(chosen.numpy), device, requires_grad)


def randn(*args: Any, size: Any = None, generator: random.Generator | None = None,
          dtype: DType | None = None, device: DeviceLike = None,
          requires_grad: bool = False) -> Tensor:
    """Standard normal random numbers (mean 0, variance 1)."""
    chosen = _float_dtype(dtype, "randn")
    values = random.resolve(generator).normal(0.0, 1.0, _size_args(args, size, "randn"))
    return _finish(values.astype(chosen.numpy), device, requires_grad)


def randint(*args: Any, low: int | None = None, high: int | None = None, size: Any = None,
            generator: random.Generator | None = None, dtype: DType | None = None,
            device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    """Random integers in [low, high): ``randint(high, size)``, ``randint(low, high, size)``,
    the same with keywords (``randint(10, size=(3,))``); ``low`` defaults to 0."""
    if len(args) > 3:
        raise TypeError(f"randint() takes from 2 to 3 positional arguments but {len(args)} "
                        f"were given")
    # the positional ints fill high, or low then high; a trailing tuple is the size
    given = list(args)
    if given and size is None and not isinstance(given[-1], int | np.integer):
        size = given.pop()
    if len(given) == 2:
        if low is not None or high is not None:
            raise TypeError("randint() got multiple values for argument 'low'")
        low, high = given
    elif len(given) == 1:
        if high is not None:  # randint(1, high=5, size=...)
            low = given[0]
        elif low is not None:
            raise TypeError("randint() got multiple values for argument 'low'")
        else:
            high = given[0]
    if high is None or size is None:
        missing = [f'"{name}"' for name, value in (("high", high), ("size", size))
                   if value is None]
        raise TypeError(f"randint() missing {len(missing)} required positional argument: "
                        f"{', '.join(missing)}")
    low = 0 if low is None else low
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    chosen = dtype or backend.int64
    values = random.resolve(generator).integers(low, high, _shape_args((size,)))
    return _finish(values.astype(chosen.numpy), device, requires_grad)


def randperm(n: int, *, generator: random.Generator | None = None,
             dtype: DType | None = None, device: DeviceLike = None) -> Tensor:
    """A random ordering of ``0 .. n-1``."""
    chosen = dtype or backend.int64
    return _finish(random.resolve(generator).permutation(n).astype(chosen.numpy), device,
                   False)


class Normal(Function):
    """$z \\sim N(\\mu, \\sigma^2)$ for tensors of means and/or standard deviations: a draw, so
    its gradient to $\\mu$ and $\\sigma$ is zero (PyTorch's ``NormalBackward1..3``, not the
    reparameterised $\\mu + \\sigma \\epsilon$)."""

    @staticmethod
    def forward(ctx: Normal, mean: Any, std: Any, shape: tuple[int, ...], dtype: Any,
                generator: random.Generator | None) -> Any:
        # which inputs are tensors picks PyTorch's name: 1 (mean), 2 (std), 3 (both)
        ctx.variant = 1 * (not np.isscalar(mean)) + 2 * (not np.isscalar(std))
        xp = namespace(mean if ctx.variant & 1 else std)
        draws = random.resolve(generator).normal(0.0, 1.0, shape)
        return xp.asarray(draws.astype(dtype)) * std + mean

    @staticmethod
    def backward(ctx: Normal, grad: Tensor) -> tuple[Tensor | None, ...]:
        zeros = namespace(grad._array).zeros
        return tuple(Tensor._wrap(zeros(ctx.input_shape(i), dtype=grad._array.dtype))
                     if ctx.needs_input_grad[i] else None for i in (0, 1))

    def name(self) -> str:
        return f"NormalBackward{self.variant}"


def normal(mean: Any, std: Any = 1.0, size: Any = None, *,
           generator: random.Generator | None = None, dtype: DType | None = None,
           device: DeviceLike = None, requires_grad: bool = False) -> Tensor:
    """Normal random numbers: ``normal(mean, std, size)`` with numbers, or element by element
    with tensors of means and/or standard deviations (broadcast together)."""
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got "
                            "(float, float), but expected (Tensor mean, Tensor std) or "
                            "(float mean, float std, tuple of ints size)")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        chosen = _float_dtype(dtype, "normal")
        values = random.resolve(generator).normal(mean, std, _shape_args((size,)))
        return _finish(values.astype(chosen.numpy), device, requires_grad)
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    for t in tensors:
        if not t.dtype.is_floating_point:
            raise NotImplementedError(f'"normal_kernel_cpu" not implemented for '
                                      f"'{t.dtype.scalar_name}'")
    if isinstance(std, Tensor):
        if bool((std._array < 0).any()):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    shape = tuple(tensors[0].shape)
    if len(tensors) == 2:
        try:
            shape = np.broadcast_shapes(mean.shape, std.shape)
        except ValueError:
            raise _broadcast_error(mean.shape, std.shape) from None
    return Normal.apply(mean, std, shape=shape, dtype=tensors[0]._array.dtype,
                        generator=generator)


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

"""The primitive operations: one class per primitive, forward and backward side by side.

``forward(ctx, *arrays, **params)`` computes with raw arrays (NumPy or CuPy) and returns an
array. ``backward(ctx, grad)`` is written with Tensor operations and returns one gradient per
positional input (``None`` where no gradient is needed), so that under
``backward(create_graph=True)`` the backward pass is recorded too and can be differentiated
again. Positional inputs are the differentiable ones; keyword parameters are not.

``saves`` names the positional inputs that backward reads (``ctx.saved_tensors``);
``saves_output`` keeps the output too. Everything else composite (``mean`` of a product,
``var``, ``mse_loss`` ...) is plain Tensor code in ``tensor.py`` with no backward of its own.

The broadcasting adjoint lives in one place: ``unbroadcast`` below, which calls
``Tensor.sum_to_size``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .backend import device_of, from_numpy_dtype, namespace
from .engine import is_grad_enabled
from .tensor import Function, Tensor  # tensor.py imports this module once both exist

Array = Any  # a NumPy or CuPy array, or a Python number for a scalar operand


def unbroadcast(grad: Tensor, ctx: Function, index: int) -> Tensor | None:
    """The gradient of input ``index``: summed back to its shape when it was broadcast."""
    shape = ctx._input_meta[2 * index]  # None when this input needs no gradient
    if shape is None:
        return None
    return grad if grad._array.shape == shape else grad.sum_to_size(shape)


# ----------------------------------------------------------------------- elementwise binary


class Add(Function):
    """$z = a + b$: the gradient passes through unchanged to both inputs."""

    @staticmethod
    def forward(ctx: Add, a: Array, b: Array) -> Array:
        return a + b

    @staticmethod
    def backward(ctx: Add, grad: Tensor) -> tuple[Tensor | None, ...]:
        return unbroadcast(grad, ctx, 0), unbroadcast(grad, ctx, 1)


class Sub(Function):
    """$z = a - b$: $dz/da = 1$, $dz/db = -1$."""

    @staticmethod
    def forward(ctx: Sub, a: Array, b: Array) -> Array:
        ctx.number_first = not hasattr(a, "shape")  # `2 - x`: PyTorch's rsub
        return a - b

    @staticmethod
    def backward(ctx: Sub, grad: Tensor) -> tuple[Tensor | None, ...]:
        return unbroadcast(grad, ctx, 0), unbroadcast(-grad, ctx, 1)

    def name(self) -> str:
        return "RsubBackward1" if self.number_first else "SubBackward0"


class Mul(Function):
    """$z = a b$: $dz/da = b$, $dz/db = a$."""

    saves = (0, 1)
    saves_only_for = {0: 1, 1: 0}  # noqa: RUF012 (read-only)

    @staticmethod
    def forward(ctx: Mul, a: Array, b: Array) -> Array:
        return a * b

    @staticmethod
    def backward(ctx: Mul, grad: Tensor) -> tuple[Tensor | None, ...]:
        a, b = ctx.saved_tensors
        grad_a = unbroadcast(grad * b, ctx, 0) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(grad * a, ctx, 1) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Div(Function):
    """$z = a / b$: $dz/da = 1/b$, $dz/db = -a/b^2$."""

    saves = (0, 1)
    saves_only_for = {0: 1}  # noqa: RUF012 (read-only)

    @staticmethod
    def forward(ctx: Div, a: Array, b: Array) -> Array:
        return a / b

    @staticmethod
    def backward(ctx: Div, grad: Tensor) -> tuple[Tensor | None, ...]:
        a, b = ctx.saved_tensors
        grad_a = unbroadcast(grad / b, ctx, 0) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(-grad * a / (b * b), ctx, 1) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class PowScalar(Function):
    """$z = a^p$ for a number $p$: $dz/da = p a^{p-1}$."""

    backward_name = "PowBackward0"
    saves = (0,)

    @staticmethod
    def forward(ctx: PowScalar, a: Array, exponent: float) -> Array:
        ctx.exponent = exponent
        return a**exponent

    @staticmethod
    def backward(ctx: PowScalar, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        p = ctx.exponent
        if p == 0:
            return grad * 0
        return grad * p * a ** (p - 1) if p != 2 else grad * 2 * a


class Pow(Function):
    """$z = a^b$: $dz/da = b a^{b-1}$, $dz/db = a^b \\ln a$ (0 where $a = 0$, $b \\ge 0$)."""

    saves = (0, 1)
    saves_output = True

    @staticmethod
    def forward(ctx: Pow, a: Array, b: Array) -> Array:
        ctx.number_base = not hasattr(a, "shape")  # `2 ** x`
        return a**b

    def name(self) -> str:
        return "PowBackward2" if self.number_base else "PowBackward1"

    @staticmethod
    def backward(ctx: Pow, grad: Tensor) -> tuple[Tensor | None, ...]:
        a, b, out = ctx.saved_tensors
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:  # 0 where b = 0, even at a = 0 (not 0 * 0^-1 = nan)
            b_minus_1 = Where.apply(1.0, b - 1, condition=_array(b) == 0)
            grad_a = unbroadcast(grad * b * a**b_minus_1, ctx, 0)
        if ctx.needs_input_grad[1] and ctx.number_base:  # `2 ** x`: ln a is one number
            ln_a = 0.0 if a == 0 else math.log(a) if a > 0 else math.nan
            grad_b = unbroadcast(grad * out * ln_a, ctx, 1)
        elif ctx.needs_input_grad[1]:
            safe_a = Where.apply(1.0, a, condition=_array(a) == 0)  # log(0) is masked below
            log_a = Where.apply(0.0, safe_a.log(), condition=(_array(a) == 0) & (_array(b) >= 0))
            grad_b = unbroadcast(grad * out * log_a, ctx, 1)
        return grad_a, grad_b


class Maximum(Function):
    """$z = \\max(a, b)$: the gradient goes to the larger input, half to each on a tie."""

    saves = (0, 1)

    @staticmethod
    def forward(ctx: Maximum, a: Array, b: Array) -> Array:
        return namespace(a).maximum(a, b)

    @staticmethod
    def backward(ctx: Maximum, grad: Tensor) -> tuple[Tensor | None, ...]:
        return _split_between(ctx, grad, larger_wins=True)


class Minimum(Function):
    """$z = \\min(a, b)$: the gradient goes to the smaller input, half to each on a tie."""

    saves = (0, 1)

    @staticmethod
    def forward(ctx: Minimum, a: Array, b: Array) -> Array:
        return namespace(a).minimum(a, b)

    @staticmethod
    def backward(ctx: Minimum, grad: Tensor) -> tuple[Tensor | None, ...]:
        return _split_between(ctx, grad, larger_wins=False)


def _split_between(ctx: Function, grad: Tensor, larger_wins: bool) -> tuple[Tensor | None, ...]:
    """PyTorch's rule: half of the gradient to each on a tie, none to the input that lost,
    all of it to both where either is NaN (no comparison is true there)."""
    a, b = (_array(t) for t in ctx.saved_tensors)
    tie = _full(a == b, grad)
    shared = Where.apply(grad * 0.5, grad, condition=tie) if tie.any() else grad
    a_lost, b_lost = (a < b, a > b) if larger_wins else (a > b, a < b)
    grad_a = grad_b = None
    if ctx.needs_input_grad[0]:
        grad_a = unbroadcast(Where.apply(shared, 0.0, condition=_full(~a_lost, grad)), ctx, 0)
    if ctx.needs_input_grad[1]:
        grad_b = unbroadcast(Where.apply(shared, 0.0, condition=_full(~b_lost, grad)), ctx, 1)
    return grad_a, grad_b


def _full(mask: Array, grad: Tensor) -> Array:
    """A condition of the gradient's shape (a comparison of broadcast inputs may be smaller)."""
    shape = grad._array.shape
    return mask if mask.shape == shape else namespace(mask).broadcast_to(mask, shape)


_BITS = {4: np.int32, 8: np.int64}  # float itemsize -> the integer type of its bits


def _keeps_or_zeroes(x: Any, condition: Any) -> bool:
    """Can ``where(condition, x, 0.0)`` be done with ``_keep_or_zero``? (NumPy float arrays
    of the condition's shape: ReLU's backward.)"""
    return (type(x) is np.ndarray and type(condition) is np.ndarray
            and x.dtype.kind == "f" and x.dtype.itemsize in _BITS
            and condition.dtype == np.bool_ and x.shape == condition.shape and x.ndim > 0)


def _keep_or_zero(x: Array, condition: Array) -> Array:
    """``where(condition, x, 0.0)``, bit for bit (NaN, inf and -0.0 included), as an AND of
    the bits of ``x`` with a mask of all ones or all zeros: ``np.where`` on a random mask
    branches per element and is ~10x slower."""
    bits = _BITS[x.dtype.itemsize]
    mask = np.negative(condition, dtype=bits)  # True -> -1 (all bits set), False -> 0
    return np.bitwise_and(x.view(bits), mask, out=mask).view(x.dtype)


class Where(Function):
    """$z = c ? x : y$ for a fixed boolean condition $c$: the gradient follows the choice."""

    @staticmethod
    def forward(ctx: Where, x: Array, y: Array, condition: Array) -> Array:
        ctx.condition = condition
        if type(y) is float and y == 0.0 and math.copysign(1.0, y) > 0 and _keeps_or_zeroes(
                x, condition):  # +0.0 only: the bit trick cannot make -0.0
            return _keep_or_zero(x, condition)
        return namespace(condition).where(condition, x, y)

    @staticmethod
    def backward(ctx: Where, grad: Tensor) -> tuple[Tensor | None, ...]:
        zero = 0.0
        grad_x = (unbroadcast(Where.apply(grad, zero, condition=ctx.condition), ctx, 0)
                  if ctx.needs_input_grad[0] else None)
        grad_y = (unbroadcast(Where.apply(zero, grad, condition=ctx.condition), ctx, 1)
                  if ctx.needs_input_grad[1] else None)
        return grad_x, grad_y


# ------------------------------------------------------------------------ elementwise unary


class Neg(Function):
    """$z = -a$."""

    @staticmethod
    def forward(ctx: Neg, a: Array) -> Array:
        return -a

    @staticmethod
    def backward(ctx: Neg, grad: Tensor) -> Tensor:
        return -grad


class Abs(Function):
    """$z = |a|$: $dz/da = \\operatorname{sign}(a)$ (0 at 0, as PyTorch)."""

    saves = (0,)

    @staticmethod
    def forward(ctx: Abs, a: Array) -> Array:
        return abs(a)

    @staticmethod
    def backward(ctx: Abs, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return grad * a.sign()


class StepFunction(Function):
    """$z = f(a)$ for a step function $f$ (sign, floor, ceil, round, trunc): $dz/da = 0$.

    Recorded all the same, as PyTorch records them (``SignBackward0`` ...): the result of a
    tensor that requires grad requires grad too, and backward through it gives zeros."""

    @staticmethod
    def backward(ctx: StepFunction, grad: Tensor) -> Tensor:
        return Tensor._wrap(namespace(grad._array).zeros_like(grad._array))


def _whole(a: Array, rounding: Any) -> Array:
    """``rounding(a)``, but integers come back as they are: they are whole already, and
    PyTorch keeps their dtype (NumPy's floor, ceil and trunc would make them floats)."""
    return a.copy() if a.dtype.kind in "iu" else rounding(a)


class Sign(StepFunction):
    """$z = \\operatorname{sign}(a)$: 1, -1 or 0; 0 at a NaN, as PyTorch (NumPy gives NaN)."""

    @staticmethod
    def forward(ctx: Sign, a: Array) -> Array:
        xp = namespace(a)
        return xp.where(xp.isnan(a), 0, xp.sign(a)) if a.dtype.kind == "f" else xp.sign(a)


class Floor(StepFunction):
    """$z = \\lfloor a \\rfloor$."""

    @staticmethod
    def forward(ctx: Floor, a: Array) -> Array:
        return _whole(a, namespace(a).floor)


class Ceil(StepFunction):
    """$z = \\lceil a \\rceil$."""

    @staticmethod
    def forward(ctx: Ceil, a: Array) -> Array:
        return _whole(a, namespace(a).ceil)


class Trunc(StepFunction):
    """$z$ = $a$ without its fraction (towards zero)."""

    @staticmethod
    def forward(ctx: Trunc, a: Array) -> Array:
        return _whole(a, namespace(a).trunc)


class Round(StepFunction):
    """$z$ = $a$ rounded to ``decimals`` places, halves to even (as PyTorch and NumPy)."""

    @staticmethod
    def forward(ctx: Round, a: Array, decimals: int) -> Array:
        ctx.decimals = decimals  # NumPy's round keeps an integer dtype itself
        return namespace(a).round(a, decimals)

    def name(self) -> str:
        return "RoundBackward1" if self.decimals else "RoundBackward0"


def rounded_from_float64(ufunc: Any, a: Array) -> Array:
    """``ufunc(a)`` with PyTorch's float32 numbers: worked out in float64, rounded once.

    NumPy's float32 loops (SIMD, within 1 ulp) differ from PyTorch's nearly correctly rounded
    ones in the last bit for 14-40% of inputs (exp, log, sin, cos, tanh); this rounding agrees
    with PyTorch for 94-99.9% (tests/test_numerics.py has the figures), at 3-10x NumPy's
    time. Other dtypes go straight to ``ufunc``: float16 is worked out in float32 by both
    libraries, and float64 has no cheap wider type (it agrees for 99.4% and more, tanh 80%).
    A float32 result beyond float32's range warns "overflow encountered in cast".

    Used by exp, log and tanh (and sigmoid's exp), whose last bits show in what a student
    prints: exp(12.) is 162754.7969 in PyTorch and 162754.7812 from NumPy's loop. sin and cos
    keep NumPy's loops (86% equal, the rest 1 ulp): their values lie in [-1, 1], where one ulp
    never shows in four decimals, and the detour made the engine's per-op benchmark, a chain
    of sin, *, +, 13% slower."""
    if a.dtype != np.float32:
        return ufunc(a)
    return ufunc(a, dtype=np.float64).astype(np.float32)


class Exp(Function):
    """$z = e^a$: $dz/da = e^a = z$ (the output is kept, not recomputed)."""

    saves_output = True

    @staticmethod
    def forward(ctx: Exp, a: Array) -> Array:
        return rounded_from_float64(namespace(a).exp, a)

    @staticmethod
    def backward(ctx: Exp, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Function):
    """$z = \\ln a$: $dz/da = 1/a$."""

    saves = (0,)

    @staticmethod
    def forward(ctx: Log, a: Array) -> Array:
        return rounded_from_float64(namespace(a).log, a)

    @staticmethod
    def backward(ctx: Log, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return grad / a


class Sqrt(Function):
    """$z = \\sqrt a$: $dz/da = 1 / (2 z)$."""

    saves_output = True

    @staticmethod
    def forward(ctx: Sqrt, a: Array) -> Array:
        return namespace(a).sqrt(a)

    @staticmethod
    def backward(ctx: Sqrt, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


class Sin(Function):
    """$z = \\sin a$: $dz/da = \\cos a$."""

    saves = (0,)

    @staticmethod
    def forward(ctx: Sin, a: Array) -> Array:
        return namespace(a).sin(a)

    @staticmethod
    def backward(ctx: Sin, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return grad * a.cos()


class Cos(Function):
    """$z = \\cos a$: $dz/da = -\\sin a$."""

    saves = (0,)

    @staticmethod
    def forward(ctx: Cos, a: Array) -> Array:
        return namespace(a).cos(a)

    @staticmethod
    def backward(ctx: Cos, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return -grad * a.sin()


class Tanh(Function):
    """$z = \\tanh a$: $dz/da = 1 - z^2$."""

    saves_output = True

    @staticmethod
    def forward(ctx: Tanh, a: Array) -> Array:
        return rounded_from_float64(namespace(a).tanh, a)

    @staticmethod
    def backward(ctx: Tanh, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


def sigmoid_array(a: Array) -> Array:
    """$1 / (1 + e^{-a})$ on an array, step by step in its dtype as PyTorch's kernel does
    (float16 in float32): below $-88.7$ float32's $e^{-a}$ is inf and the result exactly 0,
    silently, as there (Sigmoid's forward; SiLU uses it too)."""
    x = a.astype(np.float32) if a.dtype == np.float16 else a
    with np.errstate(over="ignore"):  # e^{-a} = inf gives 0, as it should
        e = rounded_from_float64(namespace(x).exp, -x)
    return (1 / (1 + e)).astype(a.dtype, copy=False)


class Sigmoid(Function):
    """$z = 1 / (1 + e^{-a})$: $dz/da = z (1 - z)$."""

    saves_output = True

    @staticmethod
    def forward(ctx: Sigmoid, a: Array) -> Array:
        return sigmoid_array(a)

    @staticmethod
    def backward(ctx: Sigmoid, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        return grad * (1 - out) * out  # in PyTorch's order (sigmoid_backward): its rounding


class Relu(Function):
    """$z = \\max(a, 0)$: the gradient passes except where $z \\le 0$ (so also at a NaN)."""

    saves_output = True

    @staticmethod
    def forward(ctx: Relu, a: Array) -> Array:
        # Against an array of zeros, written into it: NumPy's maximum with a scalar 0 runs a
        # slower loop (2x on a 128 x 512 batch); the same bits, -0.0 and NaN included.
        xp = namespace(a)
        out = xp.zeros(a.shape, dtype=a.dtype)  # (zeros_like fills by hand; zeros is calloc)
        return xp.maximum(a, out, out=out)

    @staticmethod
    def backward(ctx: Relu, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        # a choice, not a product with a bool mask: no bool -> float conversion on the way.
        # "not out <= 0", as PyTorch's threshold_backward: the gradient passes where the
        # output is NaN (out > 0 would stop it there). A ReLU output is >= 0, +-0 or NaN, so
        # that is "out != 0", one pass instead of two (compare, then invert)
        condition = _array(out) != 0
        if not is_grad_enabled() and _keeps_or_zeroes(grad._array, condition):
            return Tensor._wrap(_keep_or_zero(grad._array, condition))  # Where's work, no node
        return Where.apply(grad, 0.0, condition=condition)


class Clamp(Function):
    """$z = \\min(\\max(a, lo), hi)$: the gradient passes where $lo \\le a \\le hi$."""

    backward_name = "ClampBackward1"
    saves = (0,)

    @staticmethod
    def forward(ctx: Clamp, a: Array, low: float | None, high: float | None) -> Array:
        ctx.bounds = (low, high)
        return namespace(a).clip(a, low, high).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx: Clamp, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        low, high = ctx.bounds
        inside = namespace(_array(a)).ones(a.shape, dtype=bool)
        if low is not None:
            inside &= _array(a) >= low
        if high is not None:
            inside &= _array(a) <= high
        return Where.apply(grad, 0.0, condition=inside)


# ------------------------------------------------------------------------------ reductions


def _keepdim_shape(shape: tuple[int, ...], dims: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(1 if i in dims else n for i, n in enumerate(shape))


class Sum(Function):
    """$z = \\sum_i a_i$ over ``dim``: each input gets the output's gradient (broadcast back)."""

    @staticmethod
    def forward(ctx: Sum, a: Array, dim: tuple[int, ...] | None, keepdim: bool) -> Array:
        ctx.dims = tuple(range(a.ndim)) if dim is None else dim
        ctx.full = dim is None
        return a.sum(axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx: Sum, grad: Tensor) -> Tensor:
        shape = ctx.input_shape(0)
        if not is_grad_enabled():  # plain backward: the same broadcast view, no View, Expand
            g = grad._array.reshape(_keepdim_shape(shape, ctx.dims))  # nodes (a loss's sum)
            return Tensor._wrap(namespace(g).broadcast_to(g, shape))
        return grad.reshape(_keepdim_shape(shape, ctx.dims)).expand(shape)

    def name(self) -> str:
        return "SumBackward0" if self.full else "SumBackward1"


class Mean(Function):
    """$z = \\frac1n \\sum_i a_i$: each input gets $1/n$ of the gradient."""

    @staticmethod
    def forward(ctx: Mean, a: Array, dim: tuple[int, ...] | None, keepdim: bool) -> Array:
        ctx.dims = tuple(range(a.ndim)) if dim is None else dim
        ctx.full = dim is None
        ctx.count = int(np.prod([a.shape[d] for d in ctx.dims]))
        return a.mean(axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx: Mean, grad: Tensor) -> Tensor:
        shape = ctx.input_shape(0)
        return grad.reshape(_keepdim_shape(shape, ctx.dims)).expand(shape) / ctx.count

    def name(self) -> str:
        return "MeanBackward0" if self.full else "MeanBackward1"


class Prod(Function):
    """$z = \\prod_i a_i$: $dz/da_j = \\prod_{i \\ne j} a_i$ (exact when some $a_i = 0$)."""

    saves = (0,)
    saves_output = True

    @staticmethod
    def forward(ctx: Prod, a: Array, dim: int | None, keepdim: bool) -> Array:
        ctx.dims = tuple(range(a.ndim)) if dim is None else (dim,)
        ctx.full = dim is None
        return a.prod(axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx: Prod, grad: Tensor) -> Tensor:
        a, out = ctx.saved_tensors
        shape = ctx.input_shape(0)
        keep = _keepdim_shape(shape, ctx.dims)
        grad, out = grad.reshape(keep), out.reshape(keep)
        is_zero = _array(a) == 0
        zeros_in_slice = is_zero.sum(axis=ctx.dims, keepdims=True)
        if not zeros_in_slice.any():
            return grad * out / a
        # Products "of the others" without dividing by zero: the product of the nonzero
        # entries goes to the single zero of a slice; slices with 2+ zeros get 0.
        safe_a = Where.apply(1.0, a, condition=is_zero)
        nonzero_prod = safe_a.prod(dim=ctx.dims[0], keepdim=True) if not ctx.full else (
            safe_a.prod().reshape(keep))
        no_zero = zeros_in_slice == 0
        others = Where.apply(nonzero_prod / safe_a, 0.0, condition=no_zero)
        lone_zero = is_zero & (zeros_in_slice == 1)
        others = Where.apply(nonzero_prod, others, condition=lone_zero)
        return grad * others

    def name(self) -> str:
        return "ProdBackward0" if self.full else "ProdBackward1"


class Amax(Function):
    """$z = \\max_i a_i$ over all elements: ties share the gradient equally (as PyTorch)."""

    saves = (0,)
    saves_output = True
    smallest = False

    @staticmethod
    def forward(ctx: Amax, a: Array) -> Array:
        if a.size == 0:
            raise RuntimeError("max(): Expected reduction dim to be specified for input.numel() "
                               "== 0. Specify the reduction dim with the 'dim' argument.")
        return a.min() if ctx.smallest else a.max()

    @staticmethod
    def backward(ctx: Amax, grad: Tensor) -> Tensor:
        a, out = ctx.saved_tensors
        values, top = _array(a), _array(out)
        xp = namespace(values)
        # a NaN is the maximum wherever one is: then the NaNs share the gradient (PyTorch)
        hits = xp.isnan(values) if bool(xp.isnan(top)) else values == top
        return Where.apply(grad / int(hits.sum()), 0.0, condition=hits)  # +0.0 elsewhere

    def name(self) -> str:
        return "MinBackward1" if self.smallest else "MaxBackward1"


class Amin(Amax):
    """$z = \\min_i a_i$ over all elements: ties share the gradient equally."""

    smallest = True


class MaxDim(Function):
    """$z_j = \\max_i a_{ij}$ along ``dim``: the gradient goes to the index that was chosen.

    The caller finds the indices (``argmax``, kept as a size-1 axis), since it returns them
    too; forward picks the values there."""

    smallest = False

    @staticmethod
    def forward(ctx: MaxDim, a: Array, dim: int, keepdim: bool, index: Array) -> Array:
        ctx.index, ctx.dim, ctx.keepdim = index, dim, keepdim
        values = namespace(a).take_along_axis(a, index, axis=dim)
        return values if keepdim else values.squeeze(dim)

    @staticmethod
    def backward(ctx: MaxDim, grad: Tensor) -> Tensor:
        if not ctx.keepdim:
            grad = grad.unsqueeze(ctx.dim)
        return ScatterAdd.apply(grad, dim=ctx.dim, index=ctx.index, shape=ctx.input_shape(0))

    def name(self) -> str:
        return "MinBackward0" if self.smallest else "MaxBackward0"


class MinDim(MaxDim):
    """$z_j = \\min_i a_{ij}$ along ``dim``."""

    smallest = True


class Gather(Function):
    """$z_{..j..} = a_{..index_{..j..}..}$ along ``dim``; its adjoint is ``ScatterAdd``."""

    @staticmethod
    def forward(ctx: Gather, a: Array, dim: int, index: Array) -> Array:
        ctx.dim, ctx.index = dim, index
        # only the first index.shape[d] entries along the other dims (NumPy would broadcast)
        window = tuple(slice(None) if d == dim else slice(0, n) for d, n in enumerate(index.shape))
        return namespace(a).take_along_axis(a[window], index, axis=dim)

    @staticmethod
    def backward(ctx: Gather, grad: Tensor) -> Tensor:
        return ScatterAdd.apply(grad, dim=ctx.dim, index=ctx.index, shape=ctx.input_shape(0))


class ScatterAdd(Function):
    """$z = 0$ of ``shape``, then $z_{..index_{..j..}..} \\mathrel{+}= g_{..j..}$ along ``dim``."""

    @staticmethod
    def forward(ctx: ScatterAdd, grad: Array, dim: int, index: Array,
                shape: tuple[int, ...]) -> Array:
        ctx.dim, ctx.index = dim, index
        xp = namespace(grad)
        out = xp.zeros(shape, dtype=grad.dtype)
        # index arrays for every other axis (broadcasting against each other, as
        # np.indices(sparse=True), which CuPy lacks), so that repeated indices accumulate
        grid = [xp.arange(n).reshape([-1 if d == axis else 1 for d in range(index.ndim)])
                for axis, n in enumerate(index.shape)]
        grid[dim] = index
        xp.add.at(out, tuple(grid), grad)
        return out

    @staticmethod
    def backward(ctx: ScatterAdd, grad: Tensor) -> Tensor:
        return Gather.apply(grad, dim=ctx.dim, index=ctx.index)


def _floating_kernel(a: Array, dim: int, name: str) -> None:
    """PyTorch's error for (log_)softmax of integers or bools: its kernels are float-only."""
    if a.dtype.kind not in "fc":
        last = "_lastdim" if dim >= a.ndim - 1 else ""
        raise NotImplementedError(f'"{name}{last}_kernel_impl" not implemented for '
                                  f"'{from_numpy_dtype(a.dtype).scalar_name}'")


class Softmax(Function):
    """$z_i = e^{a_i} / \\sum_j e^{a_j}$: $da = z \\odot (g - \\sum_j g_j z_j)$."""

    saves_output = True

    @staticmethod
    def forward(ctx: Softmax, a: Array, dim: int) -> Array:
        _floating_kernel(a, dim, "softmax")
        ctx.dim = dim
        xp = namespace(a)
        shifted = xp.exp(a - a.max(axis=dim, keepdims=True))  # no overflow for large logits
        return shifted / shifted.sum(axis=dim, keepdims=True)

    @staticmethod
    def backward(ctx: Softmax, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        return out * (grad - (grad * out).sum(dim=ctx.dim, keepdim=True))


class LogSoftmax(Function):
    """$z_i = a_i - \\log \\sum_j e^{a_j}$: $da = g - e^{z} \\sum_j g_j$."""

    saves_output = True

    @staticmethod
    def forward(ctx: LogSoftmax, a: Array, dim: int) -> Array:
        _floating_kernel(a, dim, "log_softmax")
        ctx.dim = dim
        xp = namespace(a)
        shifted = a - a.max(axis=dim, keepdims=True)
        return shifted - xp.log(xp.exp(shifted).sum(axis=dim, keepdims=True))

    @staticmethod
    def backward(ctx: LogSoftmax, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        g, o = grad._array, out._array
        if not is_grad_enabled() and g.ndim:  # plain backward: the same steps on the arrays
            # (the loss of every classifier comes through here); a 0-d one goes the long way
            softmax = rounded_from_float64(namespace(o).exp, o)  # the bits of out.exp()
            return Tensor._wrap(g - softmax * g.sum(axis=(ctx.dim,), keepdims=True))
        return grad - out.exp() * grad.sum(dim=ctx.dim, keepdim=True)


# ------------------------------------------------------------------------------ shape ops


class View(Function):
    """$z$ = the same elements in a new ``shape``: the gradient is reshaped back."""

    @staticmethod
    def forward(ctx: View, a: Array, shape: tuple[int, ...]) -> Array:
        return a.reshape(shape)

    @staticmethod
    def backward(ctx: View, grad: Tensor) -> Tensor:
        return grad.reshape(ctx.input_shape(0))


class Unsqueeze(View):
    """$z$ = ``a`` with a new axis of size 1."""


class Squeeze(View):
    """$z$ = ``a`` without axes of size 1."""

    @staticmethod
    def forward(ctx: View, a: Array, shape: tuple[int, ...], variant: int = 0) -> Array:
        ctx.variant = variant  # PyTorch's name: 0 every axis, 1 one dim, 2 a tuple of dims
        return a.reshape(shape)

    def name(self) -> str:
        return f"SqueezeBackward{self.variant}"


class Permute(Function):
    """$z$ = ``a`` with its axes reordered: the gradient is permuted back."""

    @staticmethod
    def forward(ctx: Permute, a: Array, dims: tuple[int, ...]) -> Array:
        ctx.dims = dims
        return a.transpose(dims)

    @staticmethod
    def backward(ctx: Permute, grad: Tensor) -> Tensor:
        inverse = tuple(int(i) for i in np.argsort(ctx.dims))
        return Permute.apply(grad, dims=inverse)


class Transpose(Permute):
    """$z$ = ``a`` with two axes swapped."""


class T(Permute):
    """$z = a^T$ for a matrix."""


class Expand(Function):
    """$z$ = ``a`` broadcast to ``shape`` (no copy): the gradient is summed back."""

    @staticmethod
    def forward(ctx: Expand, a: Array, shape: tuple[int, ...]) -> Array:
        return namespace(a).broadcast_to(a, shape)

    @staticmethod
    def backward(ctx: Expand, grad: Tensor) -> Tensor:
        return grad.sum_to_size(ctx.input_shape(0))


class Flip(Function):
    """$z$ = ``a`` reversed along ``dims``, in new memory: the gradient is flipped back."""

    @staticmethod
    def forward(ctx: Flip, a: Array, dims: tuple[int, ...]) -> Array:
        ctx.dims = dims
        return namespace(a).flip(a, dims).copy()

    @staticmethod
    def backward(ctx: Flip, grad: Tensor) -> Tensor:
        return Flip.apply(grad, dims=ctx.dims)


class Index(Function):
    """$z = a[key]$: the gradient is added back at the same places (``IndexAdd``)."""

    @staticmethod
    def forward(ctx: Index, a: Array, key: Any) -> Array:
        ctx.key = key
        return a[key]

    @staticmethod
    def backward(ctx: Index, grad: Tensor) -> Tensor:
        return IndexAdd.apply(grad, key=ctx.key, shape=ctx.input_shape(0))

    def name(self) -> str:
        parts = self.key if isinstance(self.key, tuple) else (self.key,)
        if all(isinstance(k, slice | type(None) | type(Ellipsis)) for k in parts):
            return "SliceBackward0"
        if all(isinstance(k, int | slice | type(None) | type(Ellipsis)) for k in parts):
            return "SelectBackward0"
        return "IndexBackward0"


class IndexAdd(Function):
    """$z = 0$ of ``shape``, then $z[key] \\mathrel{+}= g$ (repeated indices accumulate)."""

    backward_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx: IndexAdd, grad: Array, key: Any, shape: tuple[int, ...]) -> Array:
        ctx.key = key
        xp = namespace(grad)
        out = xp.zeros(shape, dtype=grad.dtype)
        xp.add.at(out, key, grad)
        return out

    @staticmethod
    def backward(ctx: IndexAdd, grad: Tensor) -> Tensor:
        return Index.apply(grad, key=ctx.key)


class SetItem(Function):
    """$z = a$ with $z[key] = v$: $a$'s gradient is zero at ``key``; $v$ gets $g[key]$."""

    backward_name = "CopySlices"

    @staticmethod
    def forward(ctx: SetItem, a: Array, value: Array, key: Any) -> Array:
        ctx.key = key
        out = a.copy()
        out[key] = value
        return out

    @staticmethod
    def backward(ctx: SetItem, grad: Tensor) -> tuple[Tensor | None, ...]:
        grad_a = grad_value = None
        if ctx.needs_input_grad[0]:
            kept = namespace(_array(grad)).ones(grad.shape, dtype=bool)
            kept[ctx.key] = False
            grad_a = Where.apply(grad, 0.0, condition=kept)
        if ctx.needs_input_grad[1]:
            grad_value = unbroadcast(Index.apply(grad, key=ctx.key), ctx, 1)
        return grad_a, grad_value


class Cat(Function):
    """$z = [a_1; a_2; \\dots]$ along ``dim``: each input gets its slice of the gradient."""

    @staticmethod
    def forward(ctx: Cat, *arrays: Array, dim: int) -> Array:
        ctx.dim = dim
        ctx.sizes = [a.shape[dim] for a in arrays]  # every input's, needed or not
        return namespace(arrays[0]).concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx: Cat, grad: Tensor) -> tuple[Tensor | None, ...]:
        grads: list[Tensor | None] = []
        start = 0
        for size, needed in zip(ctx.sizes, ctx.needs_input_grad):
            grads.append(grad.narrow(ctx.dim, start, size) if needed else None)
            start += size
        return tuple(grads)


class Stack(Function):
    """$z$ = the inputs stacked along a new axis ``dim``: input $i$ gets $g$ at index $i$."""

    @staticmethod
    def forward(ctx: Stack, *arrays: Array, dim: int) -> Array:
        ctx.dim = dim
        return namespace(arrays[0]).stack(arrays, axis=dim)

    @staticmethod
    def backward(ctx: Stack, grad: Tensor) -> tuple[Tensor | None, ...]:
        return tuple(grad.select(ctx.dim, i) if needed else None
                     for i, needed in enumerate(ctx.needs_input_grad))


class Clone(Function):
    """$z = a$ in new memory."""

    @staticmethod
    def forward(ctx: Clone, a: Array) -> Array:
        return a.copy()

    @staticmethod
    def backward(ctx: Clone, grad: Tensor) -> Tensor:
        return grad


class ToCopy(Function):
    """$z = a$ converted to another dtype (or device): the gradient is converted back."""

    @staticmethod
    def forward(ctx: ToCopy, a: Array, convert: Any) -> Array:
        ctx.source = device_of(a)
        return convert(a)

    @staticmethod
    def backward(ctx: ToCopy, grad: Tensor) -> Tensor:
        # back to the input's device (x.to("cuda") of a cpu leaf: x.grad is on the cpu); the
        # engine converts a gradient to its input's dtype
        return grad if grad.device == ctx.source else grad.to(ctx.source)


# ---------------------------------------------------------------------------------- matmul


class Matmul(Function):
    """$Z = A B$ (batched, broadcast): $dA = G B^T$, $dB = A^T G$, summed over broadcast."""

    saves = (0, 1)
    saves_only_for = {0: 1, 1: 0}  # noqa: RUF012 (read-only)

    @staticmethod
    def forward(ctx: Matmul, a: Array, b: Array) -> Array:
        ctx.ndims = (a.ndim, b.ndim)
        return a @ b

    @staticmethod
    def backward(ctx: Matmul, grad: Tensor) -> tuple[Tensor | None, ...]:
        a, b = ctx.saved_tensors
        a_ndim, b_ndim = ctx.ndims
        # A vector is a matrix with one row (left) or one column (right); put back the axis
        # the product removed, work with matrices, then drop the axis again.
        if a_ndim == 1:
            a = a.unsqueeze(0) if a is not None else None  # None: saved only when needed
            grad = grad.unsqueeze(-2 if grad.ndim else 0)  # vector @ vector: grad is 0-d
        if b_ndim == 1:
            b = b.unsqueeze(-1) if b is not None else None
            grad = grad.unsqueeze(-1)
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = grad @ b.transpose(-1, -2)
            if a_ndim == 1:
                grad_a = grad_a.squeeze(-2)
            grad_a = unbroadcast(grad_a, ctx, 0)
        if ctx.needs_input_grad[1]:
            grad_b = a.transpose(-1, -2) @ grad
            if b_ndim == 1:
                grad_b = grad_b.squeeze(-1)
            grad_b = unbroadcast(grad_b, ctx, 1)
        return grad_a, grad_b

    def name(self) -> str:
        names = {(2, 2): "MmBackward0", (2, 1): "MvBackward0", (1, 1): "DotBackward0",
                 (3, 3): "BmmBackward0"}
        return names.get(self.ndims, "MatmulBackward0")


def _array(value: Any) -> Any:
    """The raw array of a tensor (the number itself for a Python number)."""
    return getattr(value, "_array", value)

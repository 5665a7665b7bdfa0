"""``tinygrad_edu.special`` (``torch.special``): the error function and its relatives.

NumPy has no ``erf``. Here it is W. J. Cody's rational Chebyshev approximations ("Rational
Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631-638; his
CALERF), accurate to about one unit in the last place of a float64 over the whole line.
Three intervals of $|x|$: up to 0.46875, erf is $x R_1(x^2)$; up to 4, erfc is
$e^{-x^2} R_2(|x|)$; beyond, erfc is $e^{-x^2} (1/\\sqrt\\pi - R_3(1/x^2) / x^2) / |x|$.
Every element is computed in float64 and rounded to its tensor's dtype once.

Its inverse, ``erfinv``, refines a closed-form first guess with four Halley steps.

``Erf``, ``Erfc``, ``Erfinv`` and ``Logit`` are primitives (forward on arrays, backward on Tensors).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .backend import namespace
from .ops import Where, _array
from .tensor import Function, Tensor
from .tensor_functions import _write_out

Array = Any  # a NumPy or CuPy array

# Cody's coefficients, in his order: the loop takes numerator[:-2] and denominator[:-1],
# the numerator starts from numerator[-1] and ends with numerator[-2]
_ERF_NUMERATOR = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
                  3.20937758913846947e03, 1.85777706184603153e-1)
_ERF_DENOMINATOR = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
                    2.84423683343917062e03)
_ERFC_NUMERATOR = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
                   2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
                   2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_ERFC_DENOMINATOR = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
                     1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
                     3.43936767414372164e03, 1.23033935480374942e03)
_TAIL_NUMERATOR = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
                   1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_TAIL_DENOMINATOR = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
                     6.05183413124413191e-2, 2.33520497626869185e-3)
_ONE_OVER_SQRT_PI = 5.6418958354775628695e-1
_SMALL = 0.46875  # erf directly below this, erfc above
_ZERO_BEYOND = 30.0  # erfc(30) is below the smallest float64: exactly 0 (also for inf)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _rational(t: Array, numerator: tuple[float, ...], denominator: tuple[float, ...]) -> Array:
    """Cody's ratio of two polynomials in ``t``, evaluated by Horner's rule."""
    top, bottom = numerator[-1] * t, t
    for a, b in zip(numerator[:-2], denominator[:-1]):
        top = (top + a) * t
        bottom = (bottom + b) * t
    return (top + numerator[-2]) / (bottom + denominator[-1])


def _erfc_beyond_small(y: Array) -> Array:
    """$\\operatorname{erfc}(y)$ for $y > 0.46875$ (or NaN): $e^{-y^2} R(y)$, with
    $e^{-y^2} = e^{-s^2} e^{-(y - s)(y + s)}$ for $s$ = $y$ rounded down to a sixteenth, so
    that the large exponent $s^2$ is exact."""
    xp = namespace(y)
    y = xp.minimum(y, _ZERO_BEYOND)  # inf -> 30: the result is 0, not inf - inf (NaN stays)
    ratio = xp.empty_like(y)
    middle = y <= 4.0
    ratio[middle] = _rational(y[middle], _ERFC_NUMERATOR, _ERFC_DENOMINATOR)
    far = y[~middle]
    t = 1.0 / (far * far)
    ratio[~middle] = (_ONE_OVER_SQRT_PI - t * _rational(t, _TAIL_NUMERATOR,
                                                        _TAIL_DENOMINATOR)) / far
    s = xp.floor(y * 16.0) / 16.0
    return xp.exp(-s * s) * xp.exp(-(y - s) * (y + s)) * ratio


def _erf_or_erfc(x: Array, complement: bool) -> Array:
    """erf (or erfc) of a floating array, computed in float64, in ``x``'s dtype."""
    xp = namespace(x)
    x64 = x.astype(np.float64, copy=False)
    out = xp.empty(x64.shape, dtype=np.float64)
    small = abs(x64) <= _SMALL
    near = x64[small]
    erf_near = near * _rational(near * near, _ERF_NUMERATOR, _ERF_DENOMINATOR)
    out[small] = 1.0 - erf_near if complement else erf_near
    far = x64[~small]  # NaN too: it goes through the arithmetic and stays NaN
    tail = _erfc_beyond_small(abs(far))
    if complement:
        out[~small] = xp.where(far < 0, 2.0 - tail, tail)
    else:
        out[~small] = xp.copysign((0.5 - tail) + 0.5, far)
    return out.astype(x.dtype, copy=False)


def erf_array(x: Array) -> Array:
    """$\\operatorname{erf}(x) = \\frac{2}{\\sqrt\\pi} \\int_0^x e^{-t^2} dt$ of a floating
    array (Cody 1969), in its dtype."""
    return _erf_or_erfc(x, complement=False)


def erfinv_array(y: Array) -> Array:
    """$\\operatorname{erf}^{-1}(y)$ of a floating array, in its dtype: Winitzki's closed
    form as the first guess (relative error below $2 \\cdot 10^{-3}$), then four Halley
    steps on $f(x) = \\operatorname{erf}(x) - |y|$ (written $(1 - |y|) - \\operatorname{erfc}(x)$
    for $|y| \\ge 0.5$, where $1 - |y|$ is exact); $\\pm\\infty$ at $\\pm 1$, NaN beyond."""
    xp = namespace(y)
    y64 = y.astype(np.float64, copy=False)
    a = abs(y64)
    with np.errstate(all="ignore"):  # |y| >= 1 and NaN go through, then are replaced
        log_term = xp.log((1 - a) * (1 + a))  # ln(1 - y^2), accurate near |y| = 1
        k = 2 / (math.pi * 0.147) + log_term / 2
        x = xp.sqrt(xp.sqrt(k * k - log_term / 0.147) - k)
        for _ in range(4):
            f = xp.where(a < 0.5, erf_array(x) - a, (1 - a) - erfc_array(x))
            x = x - f / (TWO_OVER_SQRT_PI * xp.exp(-x * x) * (1 + x * f))
    x = xp.where(a == 1, xp.inf, xp.where((a > 1) | xp.isnan(a), xp.nan, x))
    return xp.copysign(x, y64).astype(y.dtype, copy=False)


def erfc_array(x: Array) -> Array:
    """$\\operatorname{erfc}(x) = 1 - \\operatorname{erf}(x)$, without the cancellation for
    large $x$ (Cody 1969), in ``x``'s dtype."""
    return _erf_or_erfc(x, complement=True)


class Erf(Function):
    """$z = \\operatorname{erf}(a)$: $dz/da = \\frac{2}{\\sqrt\\pi} e^{-a^2}$."""

    saves = (0,)

    @staticmethod
    def forward(ctx: Erf, a: Array) -> Array:
        return erf_array(a)

    @staticmethod
    def backward(ctx: Erf, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return (-(a * a)).exp() * TWO_OVER_SQRT_PI * grad


class Erfc(Function):
    """$z = \\operatorname{erfc}(a) = 1 - \\operatorname{erf}(a)$:
    $dz/da = -\\frac{2}{\\sqrt\\pi} e^{-a^2}$."""

    saves = (0,)

    @staticmethod
    def forward(ctx: Erfc, a: Array) -> Array:
        return erfc_array(a)

    @staticmethod
    def backward(ctx: Erfc, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return (-(a * a)).exp() * -TWO_OVER_SQRT_PI * grad


class Erfinv(Function):
    """$z = \\operatorname{erf}^{-1}(a)$: $dz/da = \\frac{\\sqrt\\pi}{2} e^{z^2}$."""

    saves_output = True

    @staticmethod
    def forward(ctx: Erfinv, a: Array) -> Array:
        return erfinv_array(a)

    @staticmethod
    def backward(ctx: Erfinv, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        return (out * out).exp() * (math.sqrt(math.pi) / 2) * grad


class Logit(Function):
    """$z = \\log(a / (1 - a))$, $a$ first clamped to $[\\epsilon, 1 - \\epsilon]$ when
    ``eps`` is given: $dz/da = 1 / (a (1 - a))$; 0 where the clamp cut $a$ (NaN outside
    $[0, 1]$ without ``eps``)."""

    saves = (0,)

    @staticmethod
    def forward(ctx: Logit, a: Array, eps: float | None) -> Array:
        ctx.eps = eps
        xp = namespace(a)
        if eps is not None:
            a = xp.clip(a, eps, 1.0 - eps).astype(a.dtype, copy=False)
        with np.errstate(divide="ignore", invalid="ignore"):  # log(0) = -inf, as PyTorch
            return xp.log(a / (1 - a))

    @staticmethod
    def backward(ctx: Logit, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        values = _array(a)
        low, high = (0.0, 1.0) if ctx.eps is None else (ctx.eps, 1 - ctx.eps)
        outside = (values < low) | (values > high)
        inside = Where.apply(0.5, a, condition=outside)  # no division by 0 where unused
        # outside [0, 1] the logit is NaN and so is its slope; where eps clamped, 0 (PyTorch)
        return Where.apply(math.nan if ctx.eps is None else 0.0,
                           grad / (inside * (1 - inside)), condition=outside)


def _floating(input: Any, name: str) -> Tensor:  # noqa: A002
    """The input of ``name``: a tensor (PyTorch's TypeError otherwise); integer and bool
    tensors compute in the default float (float32), as PyTorch's do."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return input if input._array.dtype.kind == "f" else input.float()


def erf(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """$\\operatorname{erf}(x) = \\frac{2}{\\sqrt\\pi} \\int_0^x e^{-t^2} dt$."""
    return _write_out(Erf.apply(_floating(input, "erf")), out, "erf")


def erfc(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """$\\operatorname{erfc}(x) = 1 - \\operatorname{erf}(x)$."""
    return _write_out(Erfc.apply(_floating(input, "erfc")), out, "erfc")


def erfinv(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """$\\operatorname{erf}^{-1}(y)$ for $y \\in [-1, 1]$ (NaN outside)."""
    return _write_out(Erfinv.apply(_floating(input, "erfinv")), out, "erfinv")


def expit(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """$1 / (1 + e^{-x})$: the logistic sigmoid (``torch.sigmoid``)."""
    return _write_out(_floating(input, "special_expit").sigmoid(), out, "special_expit")


def logit(input: Tensor, eps: float | None = None, *,  # noqa: A002
          out: Tensor | None = None) -> Tensor:
    """$\\log(x / (1 - x))$, the inverse of ``expit``; with ``eps``, $x$ is first clamped to
    $[\\epsilon, 1 - \\epsilon]$."""
    result = Logit.apply(_floating(input, "special_logit"), eps=eps)
    return _write_out(result, out, "special_logit")


__all__ = ["erf", "erfc", "erfinv", "expit", "logit"]

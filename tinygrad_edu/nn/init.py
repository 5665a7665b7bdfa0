"""``nn.init``: fill a weight in place from a distribution, as ``torch.nn.init``.

Every function works under ``no_grad`` (so it may change a leaf that requires grad), draws
from tinygrad_edu's default generator unless ``generator`` is given, and returns the tensor.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..creation import empty, eye
from ..engine import no_grad
from ..random import Generator
from ..special import erfinv_array
from ..tensor import Tensor


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor that keeps activations' variance steady through ``nonlinearity``."""
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d", "sigmoid")
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, int | float) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(inputs, outputs) per unit: dims 1 and 0 times the receptive field (kernel size)."""
    if tensor.ndim < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 "
                         "dimensions")
    receptive = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0,
             generator: Generator | None = None) -> Tensor:
    """$U(a, b)$."""
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0,
            generator: Generator | None = None) -> Tensor:
    """$N(\\mu, \\sigma^2)$."""
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Every element $= val$."""
    with no_grad():
        return tensor.fill_(val)


def zeros_(tensor: Tensor) -> Tensor:
    """Every element $= 0$."""
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    """Every element $= 1$."""
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0,
                    generator: Generator | None = None) -> Tensor:
    """$U(-a, a)$ with $a = g \\sqrt{6 / (fan_{in} + fan_{out})}$ (Glorot)."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / float(fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0,
                   generator: Generator | None = None) -> Tensor:
    """$N(0, \\sigma^2)$ with $\\sigma = g \\sqrt{2 / (fan_{in} + fan_{out})}$ (Glorot)."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu",
                     generator: Generator | None = None) -> Tensor:
    """$U(-b, b)$ with $b = \\sqrt 3 \\, gain / \\sqrt{fan}$ (He)."""
    if 0 in tensor.shape:
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu",
                    generator: Generator | None = None) -> Tensor:
    """$N(0, \\sigma^2)$ with $\\sigma = gain / \\sqrt{fan}$ (He)."""
    if 0 in tensor.shape:
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator: Generator | None = None) -> Tensor:
    """$N(\\mu, \\sigma^2)$ restricted to $[a, b]$, drawn by inverting the CDF (as PyTorch):
    $u \\sim U(2\\Phi_a - 1, 2\\Phi_b - 1)$, then
    $\\mu + \\sigma \\sqrt2 \\operatorname{erf}^{-1}(u)$, with $\\Phi_a$, $\\Phi_b$ the
    standard normal CDF at $(a - \\mu)/\\sigma$ and $(b - \\mu)/\\sigma$."""
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
                      "distribution of values may be incorrect.", stacklevel=2)

    def cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    low, high = cdf((a - mean) / std), cdf((b - mean) / std)
    with no_grad():
        tensor.uniform_(2 * low - 1, 2 * high - 1, generator=generator)
        values = Tensor._wrap(erfinv_array(tensor._array))
        return tensor.copy_(values.mul_(std * math.sqrt(2.0)).add_(mean).clamp_(a, b))


def eye_(tensor: Tensor) -> Tensor:
    """The identity matrix (ones on the diagonal of a 2-D, possibly rectangular, tensor)."""
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with no_grad():
        return tensor.copy_(eye(*tensor.shape, dtype=tensor.dtype, device=tensor.device))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """The identity of a convolution: a 1 at the centre of the kernel that maps input channel
    $i$ to output channel $i$ (per group), zeros elsewhere."""
    if tensor.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    if tensor.shape[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = tensor.shape[0] // groups
    channels = min(per_group, tensor.shape[1])
    outputs = [g * per_group + d for g in range(groups) for d in range(channels)]
    inputs = [d for _ in range(groups) for d in range(channels)]
    centres = [[n // 2] * len(outputs) for n in tensor.shape[2:]]
    ones = (outputs, inputs, *centres)  # the index of every 1
    with no_grad():
        tensor.zero_()
        tensor[ones] = 1
    return tensor


def orthogonal_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None
                ) -> Tensor:
    """A (semi-)orthogonal matrix times ``gain`` (dims after the first flattened): the Q of
    the QR decomposition of a normal draw, its columns' signs fixed by R's diagonal."""
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    # drawn and factored on the cpu (NumPy's QR; a one-off), then copied to the device
    draw = empty(rows, cols, dtype=tensor.dtype).normal_(0.0, 1.0, generator=generator)._array
    tall = draw.T if rows < cols else draw
    q, r = np.linalg.qr(tall)
    q = q * np.sign(np.diagonal(r))
    q = q.T if rows < cols else q
    with no_grad():
        return tensor.copy_(Tensor._wrap(q.reshape(tensor.shape) * gain))

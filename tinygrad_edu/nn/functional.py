"""``tinygrad_edu.nn.functional`` (``F``): layers and losses as functions, PyTorch's API.

Everything here is composite Tensor code: it records primitives from ``ops.py`` and
``nn/primitives.py``, so its gradients (and gradients of gradients) come for free. A
convolution is im2col (``Unfold``) followed by one matrix product with the weight.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import backend
from .. import random as random_module
from ..backend import dtype as DType
from ..engine import no_grad
from ..tensor import Function, Size, Tensor, _broadcast_error, _device_error, where
from .primitives import (
    AdaptiveAvgPool2d,
    AdaptiveMaxPool2d,
    BinaryCrossEntropy,
    Conv2d,
    Elu,
    Fold,
    Gelu,
    Hardtanh,
    HuberLoss,
    LeakyRelu,
    Linear,
    MaxPool2d,
    MseLoss,
    NllLoss,
    Silu,
    SmoothL1Loss,
    Softplus,
    Unfold,
    adaptive_max_indices,
    output_size,
    unfold_array,
)

IntPair = int | Sequence[int]
REDUCTIONS = ("none", "mean", "sum")


def _pair(value: IntPair) -> tuple[int, int]:
    """``3`` -> ``(3, 3)``; ``(3, 2)`` stays."""
    if isinstance(value, int | np.integer):
        return int(value), int(value)
    pair = tuple(int(v) for v in value)
    if len(pair) == 1:
        return pair[0], pair[0]
    if len(pair) != 2:
        raise ValueError(f"expected an int or a pair of ints, got {value!r}")
    return pair  # type: ignore[return-value]


def _size_text(shape: Sequence[int]) -> str:
    """A shape as messages print it: ``tinygrad_edu.Size([1, 10])`` (PyTorch's reads
    ``torch.Size``; like every repr of ours, it names this package)."""
    return repr(Size(shape))


def _batched(input: Tensor, function: str) -> tuple[Tensor, bool]:  # noqa: A002
    """A 3-D (unbatched) image as a batch of one; the flag says to drop the batch again."""
    if input.ndim not in (3, 4):
        raise RuntimeError(f"Expected 3D (unbatched) or 4D (batched) input to {function}, but "
                           f"got input of size: {list(input.shape)}")
    return (input.unsqueeze(0), True) if input.ndim == 3 else (input, False)


# -------------------------------------------------------------------------------- activations


def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """$\\max(x, 0)$."""
    return input.relu_() if inplace else input.relu()


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """$1 / (1 + e^{-x})$."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    """$\\tanh x$."""
    return input.tanh()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:  # noqa: A002
    """$\\frac{1}{\\beta} \\log(1 + e^{\\beta x})$, without overflow; $x$ itself where
    $\\beta x >$ ``threshold``."""
    _floating_only(input, "softplus")
    return Softplus.apply(input, beta=beta, threshold=threshold)


def leaky_relu(input: Tensor, negative_slope: float = 0.01,  # noqa: A002
               inplace: bool = False) -> Tensor:
    """$x$ where $x > 0$, else ``negative_slope`` $\\cdot x$."""
    _floating_only(input, "leaky_relu")
    return _activate(input, inplace, LeakyRelu, negative_slope=negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """$x$ where $x > 0$, else $\\alpha (e^x - 1)$."""
    _floating_only(input, "elu")
    return _activate(input, inplace, Elu, alpha=alpha)


def silu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """$x \\sigma(x)$ (also called swish)."""
    _floating_only(input, "silu")
    return _activate(input, inplace, Silu)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,  # noqa: A002
             inplace: bool = False) -> Tensor:
    """$x$ clamped to [``min_val``, ``max_val``]; the gradient stops at the bounds."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _activate(input, inplace, Hardtanh, min_val=min_val, max_val=max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """$\\min(\\max(x, 0), 6)$: ``hardtanh`` between 0 and 6."""
    return hardtanh(input, 0.0, 6.0, inplace)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:  # noqa: A002
    """$x \\Phi(x)$, $\\Phi$ the standard normal CDF; with ``approximate='tanh'``,
    $\\frac12 x (1 + \\tanh(\\sqrt{2/\\pi} (x + 0.044715 x^3)))$."""
    if not isinstance(approximate, str):
        raise TypeError(f"gelu(): argument 'approximate' must be str, not "
                        f"{type(approximate).__name__}")
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"GeluKernelImpl" not implemented for '
                                  f"'{input.dtype.scalar_name}'")
    return Gelu.apply(input, approximate=approximate)


def _activate(input: Tensor, inplace: bool, function: type[Function],  # noqa: A002
              **params: Any) -> Tensor:
    """``function`` of ``input``, written into ``input`` itself when ``inplace``."""
    return input._inplace(function, **params) if inplace else function.apply(input, **params)


def _floating_only(input: Tensor, name: str) -> None:  # noqa: A002
    """PyTorch's error for a float-only activation given an integer or bool tensor."""
    if not input.dtype.is_floating_point:
        kind = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                "uint8": "Byte", "bool": "Bool"}[input.dtype.name]
        raise NotImplementedError(f'"{name}_{input.device.type}" not implemented for '
                                  f"'{kind}'")


def _softmax_dim(input: Tensor, dim: int | None, name: str) -> int:  # noqa: A002
    if dim is not None:
        return dim
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  f"to include dim=X as an argument.", UserWarning, stacklevel=3)
    return 0 if input.ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, dtype: DType | None = None) -> Tensor:  # noqa: A002
    """$e^{x_i} / \\sum_j e^{x_j}$ along ``dim``."""
    dim = _softmax_dim(input, dim, "softmax")
    return (input.to(dtype) if dtype is not None else input).softmax(dim)


def log_softmax(input: Tensor, dim: int | None = None,  # noqa: A002
                dtype: DType | None = None) -> Tensor:
    """$x_i - \\log \\sum_j e^{x_j}$ along ``dim`` (stable for large logits)."""
    dim = _softmax_dim(input, dim, "log_softmax")
    return (input.to(dtype) if dtype is not None else input).log_softmax(dim)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    """Dimensions ``start_dim..end_dim`` merged into one."""
    return input.flatten(start_dim, end_dim)


# ------------------------------------------------------------------------------------ linear


def _type_name(value: Any) -> str:
    """A type as PyTorch's argument errors name it: ``numpy.ndarray``, ``list``, ``Tensor``."""
    kind = type(value)
    return f"numpy.{kind.__name__}" if kind.__module__ == "numpy" else kind.__name__


def _not_tensors(function: str, *arguments: tuple[str, Any]) -> TypeError:
    """PyTorch's TypeError for the first of ``(name, value)`` that is not a tensor (None is
    fine); the positions are those of PyTorch's ``torch.<function>``, in that order."""
    position, name, value = next((i, name, value) for i, (name, value)
                                 in enumerate(arguments, start=1)
                                 if not isinstance(value, Tensor) and not (
                                     value is None and name == "bias"))
    return TypeError(f"{function}(): argument '{name}' (position {position}) must be Tensor, "
                     f"not {_type_name(value)}")


def _check_devices(weight: Tensor, *others: Tensor | None) -> None:
    """PyTorch's error, before anything runs, when a layer's tensors live on different
    devices: the classic case is a model moved to the GPU and fed a batch left on the cpu."""
    for other in others:
        if other is not None and type(other._array) is not type(weight._array):
            raise _device_error(weight, other)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """$y = x W^T + b$."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)) or not (
            bias is None or isinstance(bias, Tensor)):  # a NumPy array or a list, say
        raise _not_tensors("linear", ("input", input), ("weight", weight), ("bias", bias))
    _check_devices(weight, input, bias)
    x, w = input._array, weight._array  # checked on the arrays: no Size or dtype objects
    if x.shape[-1:] != w.shape[-1:]:
        rows = math.prod(input.shape[:-1])
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x"
                           f"{input.shape[-1] if input.ndim else 1} and "
                           f"{weight.shape[-1]}x{weight.shape[0]})")
    if x.dtype != w.dtype and input.dtype is not weight.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                           f"{input.dtype.scalar_name} and {weight.dtype.scalar_name} (convert "
                           f"the input with .to({weight.dtype!r}) or the model with .to(...))")
    if (bias is not None and x.ndim == 2 and w.ndim == 2
            and bias._array.shape == w.shape[:1] and bias._array.dtype == w.dtype):
        return Linear.apply(bias, input, weight)  # one node, as PyTorch's addmm
    out = input @ weight.t()  # as PyTorch: MmBackward0 after a TBackward0 without a bias
    return out if bias is None else out + bias


# ------------------------------------------------------------------------------- convolution


def _conv_padding(padding: str | IntPair, kernel: tuple[int, int], stride: tuple[int, int],
                  dilation: tuple[int, int]) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) for an int, a pair, ``'valid'`` or ``'same'``."""
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0, 0, 0
        if padding != "same":
            raise ValueError(f"Invalid padding string '{padding}', should be one of "
                             f"{{'valid', 'same'}}")
        if stride != (1, 1):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        total = [d * (k - 1) for d, k in zip(dilation, kernel)]
        return total[0] // 2, total[0] - total[0] // 2, total[1] // 2, total[1] - total[1] // 2
    ph, pw = _pair(padding)
    return ph, ph, pw, pw


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None,  # noqa: A002
           stride: IntPair = 1, padding: str | IntPair = 0, dilation: IntPair = 1,
           groups: int = 1) -> Tensor:
    """$y_{n,o} = b_o + \\sum_{c,i,j} W_{o,c,i,j} x_{n,c,s p+d i,s q+d j}$: im2col, then one
    matrix product (per group)."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)) or not (
            bias is None or isinstance(bias, Tensor)):
        arguments = (input, weight, bias, stride, padding, dilation, groups)
        raise TypeError(f"conv2d() received an invalid combination of arguments - got "
                        f"({', '.join(map(_type_name, arguments))}), but expected one of:\n"
                        f" * (Tensor input, Tensor weight, Tensor bias = None, tuple of ints "
                        f"stride = 1, tuple of ints padding = 0, tuple of ints dilation = 1, "
                        f"int groups = 1)\n"
                        f" * (Tensor input, Tensor weight, Tensor bias = None, tuple of ints "
                        f"stride = 1, str padding = \"valid\", tuple of ints dilation = 1, "
                        f"int groups = 1)\n")
    _check_devices(weight, input, bias)
    x, unbatched = _batched(input, "conv2d")
    _, c, h, w = x.shape
    _, c_group, kh, kw = weight.shape
    if c != c_group * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, "
                           f"expected input{list(x.shape)} to have {c_group * groups} "
                           f"channels, but got {c} channels instead")
    if x.dtype is not weight.dtype:
        raise RuntimeError(f"expected scalar type {x.dtype.scalar_name} but found "
                           f"{weight.dtype.scalar_name}")
    stride2, dilation2 = _pair(stride), _pair(dilation)
    pads = _conv_padding(padding, (kh, kw), stride2, dilation2)
    padded = (h + pads[0] + pads[1], w + pads[2] + pads[3])
    if padded[0] < dilation2[0] * (kh - 1) + 1 or padded[1] < dilation2[1] * (kw - 1) + 1:
        raise RuntimeError(f"Calculated padded input size per channel: ({padded[0]} x "
                           f"{padded[1]}). Kernel size: ({kh} x {kw}). Kernel size can't be "
                           f"greater than actual input size")
    if bias is not None and bias.dtype is not weight.dtype:
        raise RuntimeError(f"Input type ({_C_TYPES.get(x.dtype.name, x.dtype.name)}) and bias "
                           f"type ({_C_TYPES.get(bias.dtype.name, bias.dtype.name)}) should be "
                           f"the same")
    out = Conv2d.apply(x, weight, bias, stride=stride2, padding=pads, dilation=dilation2,
                       groups=groups)
    return out.squeeze(0) if unbatched else out


def unfold(input: Tensor, kernel_size: IntPair, dilation: IntPair = 1,  # noqa: A002
           padding: IntPair = 0, stride: IntPair = 1) -> Tensor:
    """im2col: (N, C, H, W) -> (N, C kh kw, L), every sliding window as a column."""
    ph, pw = _pair(padding)
    cols = Unfold.apply(input, kernel=_pair(kernel_size), stride=_pair(stride),
                        padding=(ph, ph, pw, pw), dilation=_pair(dilation))
    return cols.reshape(cols.shape[0], input.shape[0], -1).permute(1, 0, 2)


def fold(input: Tensor, output_size: IntPair, kernel_size: IntPair,  # noqa: A002
         dilation: IntPair = 1, padding: IntPair = 0, stride: IntPair = 1) -> Tensor:
    """col2im: (N, C kh kw, L) -> (N, C, H, W), overlapping windows summed."""
    ph, pw = _pair(padding)
    kernel, size = _pair(kernel_size), _pair(output_size)
    n, rows, _ = input.shape
    cols = input.permute(1, 0, 2).reshape(rows, -1)
    return Fold.apply(cols, image_shape=(n, rows // (kernel[0] * kernel[1]), *size),
                      kernel=kernel, stride=_pair(stride), padding=(ph, ph, pw, pw),
                      dilation=_pair(dilation))


# ----------------------------------------------------------------------------------- pooling


# the C++ type names PyTorch's convolution uses in one of its messages
_C_TYPES = {"float16": "c10::Half", "float32": "float", "float64": "double"}


def _pool_padding(size: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int],
                  padding: tuple[int, int], dilation: tuple[int, int],
                  ceil_mode: bool, channels: int) -> tuple[int, int, int, int]:
    """(top, bottom, left, right): ``padding`` plus, in ceil mode, what the last window needs."""
    pads, counts = [], []
    for n, k, s, p, d in zip(size, kernel, stride, padding, dilation):
        span = d * (k - 1) + 1
        if p > k // 2:  # PyTorch's limit (dilation does not raise it)
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")
        count = (n + 2 * p - span + ((s - 1) if ceil_mode else 0)) // s + 1
        if ceil_mode and (count - 1) * s >= n + p:  # the last window must start inside
            count -= 1
        counts.append(count)
        pads += [p, p + max(0, (count - 1) * s + span - (n + 2 * p))]
    if min(counts) < 1:
        raise RuntimeError(f"Given input size: ({channels}x{size[0]}x{size[1]}). Calculated "
                           f"output size: ({channels}x{counts[0]}x{counts[1]}). Output size is "
                           f"too small")
    return pads[0], pads[1], pads[2], pads[3]


def max_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None,  # noqa: A002
               padding: IntPair = 0, dilation: IntPair = 1, ceil_mode: bool = False) -> Tensor:
    """$z_{n,c,p,q} = \\max$ over window $(p, q)$; the gradient goes to the first maximum."""
    x, unbatched = _batched(input, "max_pool2d")
    kernel = _pair(kernel_size)
    stride2 = kernel if stride is None or stride == [] else _pair(stride)
    dilation2 = _pair(dilation)
    pads = _pool_padding(x.shape[2:], kernel, stride2, _pair(padding), dilation2, ceil_mode,
                         x.shape[1])
    out = MaxPool2d.apply(x, kernel=kernel, stride=stride2, padding=pads, dilation=dilation2)
    return out.squeeze(0) if unbatched else out


def avg_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None,  # noqa: A002
               padding: IntPair = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """$z_{n,c,p,q}$ = the mean over window $(p, q)$ (the divisor as PyTorch counts it)."""
    x, unbatched = _batched(input, "avg_pool2d")
    n, c, h, w = x.shape
    kernel = _pair(kernel_size)
    stride2 = kernel if stride is None or stride == [] else _pair(stride)
    pad2 = _pair(padding)
    pads = _pool_padding((h, w), kernel, stride2, pad2, (1, 1), ceil_mode, c)
    oh = output_size(h + pads[0] + pads[1], kernel[0], stride2[0], 0, 1)
    ow = output_size(w + pads[2] + pads[3], kernel[1], stride2[1], 0, 1)
    if stride2 == kernel and not any(pads) and divisor_override is None:  # windows tile
        tiles = x if (h, w) == (oh * kernel[0], ow * kernel[1]) else (
            x[:, :, :oh * kernel[0], :ow * kernel[1]])
        out = tiles.reshape(n, c, oh, kernel[0], ow, kernel[1]).mean(dim=(3, 5))
    else:
        cols = Unfold.apply(x, kernel=kernel, stride=stride2, padding=pads, dilation=(1, 1))
        total = cols.reshape(c, kernel[0] * kernel[1], n, oh, ow).sum(dim=1)
        divisor = _pool_divisor((h, w), kernel, stride2, pads, pad2, count_include_pad,
                                divisor_override, x)
        out = (total / divisor).permute(1, 0, 2, 3).contiguous()
    return out.squeeze(0) if unbatched else out


def _pool_divisor(size: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int],
                  pads: tuple[int, int, int, int], padding: tuple[int, int], include_pad: bool,
                  override: int | None, like: Tensor) -> Any:
    """How many elements each window averages: its cells inside the input (plus the
    ``padding`` cells when ``include_pad``), never the cells ceil mode adds."""
    if override is not None:
        return float(override)
    xp = backend.array_module(like.device)
    counted = xp.zeros((1, 1, size[0] + pads[0] + pads[1], size[1] + pads[2] + pads[3]),
                       dtype=like._array.dtype)
    if include_pad:
        counted[:, :, :size[0] + 2 * padding[0], :size[1] + 2 * padding[1]] = 1
    else:
        counted[:, :, pads[0]:pads[0] + size[0], pads[2]:pads[2] + size[1]] = 1
    cols = unfold_array(counted, kernel, stride, (0, 0, 0, 0), (1, 1))
    out_hw = [output_size(n, k, s, 0, 1) for n, k, s in zip(counted.shape[2:], kernel, stride)]
    return Tensor._wrap(cols.sum(axis=0).reshape(out_hw))


def _adaptive_size(output_size: Any, shape: tuple[int, ...], name: str) -> tuple[int, int]:
    """``output_size`` (an int, or a pair whose None entries keep the input's size) as a pair,
    with PyTorch's errors, for an input of ``shape``."""
    sizes = [output_size] * 2 if not isinstance(output_size, Sequence) else list(output_size)
    average = name == "adaptive_avg_pool2d"  # PyTorch words the two pools' errors apart
    if len(sizes) != 2:
        raise RuntimeError(f"{name}: output_size must be 2" if average else
                           f"{name}(): internal error: output_size.size() must be 2")
    pair = [n if s is None else int(s) for s, n in zip(sizes, shape[-2:])]
    if min(pair) < 0 and average:
        raise RuntimeError(f"{name}: elements of output_size must be greater than or equal to "
                           f"0 but received {{{pair[0]}, {pair[1]}}}")
    if min(pair) < 0:
        negative = next(n for n in pair if n < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative}: "
                           f"{[*shape[:-2], *pair]}")
    return pair[0], pair[1]


def _adaptive_input(input: Tensor, name: str) -> None:  # noqa: A002
    """PyTorch's checks of an adaptive pool's input: 3-D or 4-D, no empty image axis."""
    separator = ":" if name == "adaptive_max_pool2d" else ""  # PyTorch's two spellings
    if input.ndim not in (3, 4):
        raise RuntimeError(f"{name}(): Expected 3D or 4D tensor, but got{separator} "
                           f"{list(input.shape)}")
    for axis in range(input.ndim - 3, input.ndim):
        if input.shape[axis] == 0:
            raise RuntimeError(f"{name}(): Expected input to have non-zero size for non-batch "
                               f"dimensions, but input has sizes {list(input.shape)} with "
                               f"dimension {axis} being empty")


def _floating_pool(input: Tensor, name: str) -> None:  # noqa: A002
    """PyTorch's error for an adaptive pool of an integer or bool tensor."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{name}" not implemented for '
                                  f"'{input.dtype.scalar_name}'")


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:  # noqa: A002
    """$z_{n,c,i,j}$ = the mean over rows $[\\lfloor iH/h \\rfloor, \\lceil (i+1)H/h
    \\rceil)$ and columns $[\\lfloor jW/w \\rfloor, \\lceil (j+1)W/w \\rceil)$: an
    (h, w) output from any input size."""
    _adaptive_input(input, "adaptive_avg_pool2d")
    size = _adaptive_size(output_size, tuple(input.shape), "adaptive_avg_pool2d")
    if size == (1, 1):  # PyTorch takes the mean here (MeanBackward1)
        return input.mean(dim=(-1, -2), keepdim=True)
    _floating_pool(input, "adaptive_avg_pool2d")
    return AdaptiveAvgPool2d.apply(input, output_size=size)


def adaptive_max_pool2d(input: Tensor, output_size: Any,  # noqa: A002
                        return_indices: bool = False) -> Any:
    """$z_{n,c,i,j}$ = the maximum over adaptive window $(i, j)$ (as
    ``adaptive_avg_pool2d``'s); ``return_indices`` also gives each maximum's flat index into
    the (H, W) image."""
    _adaptive_input(input, "adaptive_max_pool2d")
    size = _adaptive_size(output_size, tuple(input.shape), "adaptive_max_pool2d")
    _floating_pool(input, "adaptive_max_pool2d")
    indices = adaptive_max_indices(input._array, size)
    out = AdaptiveMaxPool2d.apply(input, indices=indices)
    return (out, Tensor._wrap(indices)) if return_indices else out


# ----------------------------------------------------------------------- dropout, norm, lookup


def dropout(input: Tensor, p: float = 0.5, training: bool = True,  # noqa: A002
            inplace: bool = False) -> Tensor:
    """Zero each element with probability $p$ and scale the rest by $1 / (1 - p)$ (training
    only); the mask comes from the default generator."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = random_module.default_generator.uniform(0.0, 1.0, tuple(input.shape)) < 1.0 - p
    scale = (keep / (1.0 - p)).astype(input._array.dtype)
    return input * Tensor._wrap(backend.to_device(scale, input.device))


def batch_norm(input: Tensor, running_mean: Tensor | None,  # noqa: A002
               running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """$y = (x - \\mu) / \\sqrt{\\sigma^2 + \\epsilon} \\cdot \\gamma + \\beta$ per channel
    (dim 1); in training, batch statistics, and the running ones move by ``momentum``."""
    # before the running statistics change; the module's tensors name the device first
    module_tensors = [t for t in (weight, bias, running_mean, running_var) if t is not None]
    if module_tensors:
        _check_devices(*module_tensors, input)
    channels = input.shape[1]
    dims = (0, *range(2, input.ndim))
    shape = (1, channels) + (1,) * (input.ndim - 2)
    for name, stat in (("running_mean", running_mean), ("running_var", running_var)):
        if stat is not None and stat.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {stat.numel()}")
    if training:
        count = input.numel() // channels
        if count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got "
                             f"input size {_size_text(input.shape)}")
        mean = input.mean(dim=dims)
        centered = input - mean.reshape(shape)
        var = (centered * centered).mean(dim=dims)
        with no_grad():
            if running_mean is not None:
                running_mean.mul_(1 - momentum).add_(mean.detach() * momentum)
            if running_var is not None:
                running_var.mul_(1 - momentum).add_(var.detach() * (momentum * count
                                                                    / (count - 1)))
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("batch_norm in eval mode needs running_mean and running_var")
        mean, var = running_mean, running_var
        centered = input - mean.reshape(shape)
    out = centered / (var.reshape(shape) + eps).sqrt()
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def layer_norm(input: Tensor, normalized_shape: Sequence[int] | int,  # noqa: A002
               weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """$y = (x - \\mu) / \\sqrt{\\sigma^2 + \\epsilon} \\cdot \\gamma + \\beta$ over the last
    ``len(normalized_shape)`` dims of each sample (biased variance), as PyTorch's; built from
    primitives, so its grad_fn is the last one's, not ``NativeLayerNormBackward0``."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if not shape or tuple(input.shape[input.ndim - len(shape):]) != shape or (
            input.ndim < len(shape)):
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(str(n) for n in shape)}], but got input of size"
                           f"{list(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = "
                               f"{list(shape)}")
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    mean = input.mean(dim=dims, keepdim=True)
    centered = input - mean
    var = (centered * centered).mean(dim=dims, keepdim=True)
    out = centered / (var + eps).sqrt()
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def normalize(input: Tensor, p: float = 2.0, dim: int = 1,  # noqa: A002
              eps: float = 1e-12) -> Tensor:
    """$v / \\max(\\lVert v \\rVert_p, \\epsilon)$ along ``dim`` (each row a unit vector for
    ``dim=1``)."""
    return input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None) -> Tensor:  # noqa: A002
    """$z_{\\dots} = W_{i_{\\dots}}$: rows of ``weight`` picked by the indices in ``input``;
    the row ``padding_idx`` gets no gradient."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor)):  # PyTorch's order
        raise _not_tensors("embedding", ("weight", weight), ("indices", input))
    if input.dtype not in (backend.int64, backend.int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {input.dtype!r} "
                           f"instead (while checking arguments for embedding)")
    _check_devices(weight, input)
    indices = input._array
    rows = weight.shape[0]
    if indices.size and (indices.min() < 0 or indices.max() >= rows):  # no wrapping around
        raise IndexError("index out of range in self")
    out = weight[input]
    if padding_idx is None:
        return out
    padding_idx = padding_idx % rows
    keep = Tensor._wrap((indices != padding_idx)[..., None])
    return where(keep, out, out.detach())


# ------------------------------------------------------------------------------------ losses


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """``'none'``: as is; ``'mean'``: the mean; ``'sum'``: the sum."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _check_reduction(reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _warn_broadcast(input: Tensor, target: Tensor) -> None:  # noqa: A002
    if input.shape != target.shape:
        warnings.warn(f"Using a target size ({_size_text(target.shape)}) that is different to "
                      f"the input size ({_size_text(input.shape)}). This will likely lead to "
                      f"incorrect results due to broadcasting. Please ensure they have the "
                      f"same size.", UserWarning, stacklevel=3)


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:  # noqa: A002
    """$\\ell = (x - y)^2$, reduced."""
    _check_reduction(reduction)
    _warn_broadcast(input, target)
    if input.dtype is target.dtype and input.dtype.is_floating_point:
        return MseLoss.apply(input, target, reduction=reduction)
    diff = input - target
    return _reduce(diff * diff, reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:  # noqa: A002
    """$\\ell = |x - y|$, reduced."""
    _check_reduction(reduction)
    _warn_broadcast(input, target)
    return _reduce((input - target).abs(), reduction)


def _class_last(input: Tensor) -> Tensor:  # noqa: A002
    """(N, C, d1, ...) -> (N, d1, ..., C): the class axis last."""
    if input.ndim <= 2:
        return input
    return input.permute(0, *range(2, input.ndim), 1)


def _check_target_layout(shape: tuple[int, ...], target_shape: tuple[int, ...],
                         kind: backend.dtype) -> None:
    """PyTorch's checks of a class-index target against an input of ``shape``, in PyTorch's
    order (nll_loss for 1-d and 2-d inputs, nll_loss2d for more): the first problem raises."""
    ndim, target_ndim = len(shape), len(target_shape)
    if ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    batch = target_shape[0] if target_ndim else 0
    if ndim != 1 and shape[0] != batch:
        raise ValueError(f"Expected input batch_size ({shape[0]}) to match target "
                         f"batch_size ({batch}).")
    if ndim != 4 and ndim >= 3 and target_shape != shape[:1] + shape[2:]:
        raise RuntimeError(f"Expected target size {list(shape[:1] + shape[2:])}, got "
                           f"{list(target_shape)}")
    if ndim <= 2 and target_ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if ndim == 4 and target_ndim != 3:
        raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got "
                           f"targets of dimension: {target_ndim}")
    if kind is not backend.int64 and kind is not backend.uint8:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{kind.scalar_name}")
    if ndim == 4 and target_shape != shape[:1] + shape[2:]:
        raise RuntimeError(f"size mismatch (got input: {list(shape)} , target: "
                           f"{list(target_shape)}")
    if kind is backend.uint8 and ndim >= 3:  # nll_loss2d takes Long targets only
        raise RuntimeError("expected scalar type Long but found Byte")
    if ndim == 1 and target_ndim == 1 and target_shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                         f"{target_shape[0]}")
    if ndim == 1 and target_ndim == 1:  # PyTorch also takes a (1,) target here; we take 0-d
        raise RuntimeError(f"Expected target size [], got {list(target_shape)}")


def _check_targets(input: Tensor, target: Tensor, ignore_index: int) -> bool:  # noqa: A002
    """Raise PyTorch's error for a target of the wrong dtype, shape or class; True when no
    target can be ``ignore_index`` (all are classes, and ``ignore_index`` is none)."""
    shape, values = input._array.shape, target._array  # plain tuples: this runs every step
    if not (len(shape) == 2 and target.dtype is backend.int64 and values.ndim == 1
            and values.shape[0] == shape[0]):  # anything but (N, C) with N Long classes
        _check_target_layout(shape, values.shape, target.dtype)
    classes = shape[1] if len(shape) >= 2 else shape[0]
    # Seen as unsigned integers of the same width, negative targets are huge: one max() then
    # checks both bounds (the usual case, every step)
    if values.size == 0 or values.view(f"u{values.dtype.itemsize}").max() < classes:
        return not 0 <= ignore_index < classes
    bad = (values != ignore_index) & ((values < 0) | (values >= classes))
    if bad.any():
        raise IndexError(f"Target {int(values[bad].reshape(-1)[0])} is out of bounds.")
    return False


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
             ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """$\\ell_n = -w_{y_n} x_{n, y_n}$; the mean divides by $\\sum_n w_{y_n}$."""
    _check_reduction(reduction)
    none_ignored = _check_targets(input, target, ignore_index)
    xp = backend.namespace(target._array)
    ignored, any_ignored = None, False
    if not none_ignored:
        ignored = target._array == ignore_index
        any_ignored = bool(ignored.any())
    # a copy either way: backward must not see a later in-place change of the target
    safe = (xp.where(ignored, 0, target._array) if any_ignored else target._array).astype(
        xp.int64)
    weights: Any = None  # None: every sample weighs 1 (the usual case: no array of ones)
    if weight is not None:
        weights = weight._array[safe].astype(input._array.dtype)
    elif any_ignored or input.ndim != 2:
        weights = xp.ones(safe.shape, dtype=input._array.dtype)
    if any_ignored:
        weights[ignored] = 0
    if input.ndim == 2:  # (N, C), the usual case: one node (PyTorch's NllLossBackward0)
        return NllLoss.apply(input, target=safe, weights=weights, reduction=reduction)
    picked = _class_last(input).gather(-1, Tensor._wrap(safe[..., None])).squeeze(-1)
    losses = -picked * Tensor._wrap(weights)
    if reduction == "none":
        return losses
    total = losses.sum()
    return total / float(weights.sum()) if reduction == "mean" else total


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
                  ignore_index: int = -100, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """$\\ell_n = -\\log \\mathrm{softmax}(x_n)_{y_n}$ (class indices) or
    $-\\sum_c y_{n,c} \\log \\mathrm{softmax}(x_n)_c$ (class probabilities)."""
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing}")
    class_dim = 1 if input.ndim >= 2 else 0
    classes = input.shape[class_dim]
    log_p = input.log_softmax(class_dim)
    weight_shape = (classes,) + (1,) * (input.ndim - class_dim - 1)
    if target._array.shape == input._array.shape:  # class probabilities (as PyTorch decides)
        if not target.dtype.is_floating_point:
            raise RuntimeError(f"Expected floating point type for target with class "
                               f"probabilities, got {target.dtype.scalar_name}")
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / classes
        terms = log_p * target
        if weight is not None:
            terms = terms * weight.reshape(weight_shape)
        losses = -terms.sum(dim=class_dim)
        if reduction == "mean":
            return losses.sum() / (input.numel() / classes)
        return _reduce(losses, reduction)
    nll = nll_loss(log_p, target, weight, ignore_index, reduction)
    if label_smoothing == 0:
        return nll
    ignored = Tensor._wrap(target._array == ignore_index)
    terms = log_p if weight is None else log_p * weight.reshape(weight_shape)
    smooth = where(ignored, 0.0, -terms.sum(dim=class_dim))
    if reduction == "mean":
        kept = target._array[target._array != ignore_index]
        count = (float(weight._array[kept].sum()) if weight is not None else float(kept.size))
        smooth = smooth.sum() / count
    else:
        smooth = _reduce(smooth, reduction)
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / classes)


def _check_same_size(input: Tensor, target: Tensor, deprecated: bool) -> None:  # noqa: A002
    if input.shape != target.shape:
        if deprecated:
            raise ValueError(f"Using a target size ({_size_text(target.shape)}) that is "
                             f"different to the input size ({_size_text(input.shape)}) is "
                             f"deprecated. Please ensure they have the same size.")
        raise ValueError(f"Target size ({_size_text(target.shape)}) must be the same as input "
                         f"size ({_size_text(input.shape)})")


def binary_cross_entropy(input: Tensor, target: Tensor,  # noqa: A002
                         weight: Tensor | None = None, reduction: str = "mean") -> Tensor:
    """$\\ell = -w (y \\log x + (1 - y) \\log(1 - x))$ for probabilities $x$."""
    _check_reduction(reduction)
    _check_same_size(input, target, deprecated=True)
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {target.dtype.scalar_name} but expected "
                           f"{input.dtype.scalar_name}")
    values = input._array
    if values.size and bool(((values < 0) | (values > 1)).any()):
        raise RuntimeError("all elements of input should be between 0 and 1")
    loss = BinaryCrossEntropy.apply(input, target.to(input.dtype))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,  # noqa: A002
                                     weight: Tensor | None = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """$\\ell = (1 - y) x + (1 + (p - 1) y) \\log(1 + e^{-x})$ ($p$ = ``pos_weight``, 1 by
    default), finite for any logit."""
    _check_reduction(reduction)
    _check_same_size(input, target, deprecated=False)
    target = target.to(input.dtype)
    log_terms = Softplus.apply(-input)
    if pos_weight is not None:
        log_terms = log_terms * (1 + (pos_weight - 1) * target)
    loss = (1 - target) * input + log_terms
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


# --------------------------------------------------- more losses, legacy arguments, one_hot


def _legacy_reduction(size_average: bool | None, reduce: bool | None) -> str:
    """The ``reduction`` that PyTorch's deprecated ``size_average`` and ``reduce`` arguments
    stand for (both default to True), with PyTorch's warning."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use "
                  f"reduction='{reduction}' instead.", UserWarning, stacklevel=3)
    return reduction


def _pointwise_loss_inputs(input: Tensor, target: Tensor, kernel: str,  # noqa: A002
                           promote: bool) -> tuple[Tensor, Tensor]:
    """Input and target after PyTorch's checks and broadcast warning, in one dtype: the
    promoted one (``promote``), else the input's (PyTorch's huber_loss)."""
    _warn_broadcast(input, target)
    if input._array.shape != target._array.shape:
        try:
            np.broadcast_shapes(input._array.shape, target._array.shape)
        except ValueError:
            raise _broadcast_error(input.shape, target.shape) from None
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}_{input.device.type}" not implemented for '
                                  f"'{input.dtype.scalar_name}'")
    if target.dtype is input.dtype:
        return input, target
    common = backend.promote_types(input.dtype, target.dtype) if promote else input.dtype
    return input.to(common), target.to(common)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean",  # noqa: A002
               delta: float = 1.0, weight: Tensor | None = None) -> Tensor:
    """$\\ell = \\frac12 (x - y)^2$ where $|x - y| < \\delta$, else
    $\\delta (|x - y| - \\frac12 \\delta)$ (times ``weight``), reduced."""
    _check_reduction(reduction)
    input, target = _pointwise_loss_inputs(input, target, "huber", promote=False)  # noqa: A001
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is None:
        return HuberLoss.apply(input, target, delta=delta, reduction=reduction)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    return _reduce(HuberLoss.apply(input, target, delta=delta, reduction="none") * weight,
                   reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,  # noqa: A002
                   reduce: bool | None = None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """$\\ell = \\frac12 (x - y)^2 / \\beta$ where $|x - y| < \\beta$, else
    $|x - y| - \\frac12 \\beta$, reduced ($\\beta = 0$: the L1 loss)."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    _check_reduction(reduction)
    if beta == 0.0:  # as PyTorch: the L1 loss itself (MeanBackward0 ...), no division by 0
        _warn_broadcast(input, target)
        return _reduce((input - target).abs(), reduction)
    input, target = _pointwise_loss_inputs(input, target, "smooth_l1", promote=True)  # noqa: A001
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return SmoothL1Loss.apply(input, target, beta=beta, reduction=reduction)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices (int64, any shape) -> their one-hot rows, shape (..., num_classes),
    int64; ``num_classes=-1``: one more than the largest index."""
    if not isinstance(num_classes, int | np.integer) or isinstance(num_classes, bool):
        raise TypeError(f"one_hot(): argument 'num_classes' (position 2) must be int, not "
                        f"{type(num_classes).__name__}")
    if tensor.dtype is not backend.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    values = tensor._array
    if num_classes == -1:
        if values.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(values.max()) + 1
    if values.size and int(values.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if values.size and int(values.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    xp = backend.namespace(values)
    return Tensor._wrap((values[..., None] == xp.arange(num_classes)).astype(xp.int64))

"""The primitives ``nn`` adds to the tensor layer, forward and backward side by side.

``Unfold`` (im2col) copies every sliding window of an image into the columns of a matrix, so
that a convolution is one matrix product; ``Fold`` (col2im) adds columns back into an image.
Each is the other's adjoint, so each one's backward is the other, and a convolution built
from them can be differentiated twice. Both loop over the ``kh * kw`` kernel offsets, never
over pixels. ``MaxPool2d``, ``Softplus`` and ``BinaryCrossEntropy`` are primitives for speed
and numerical stability.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..backend import namespace
from ..tensor import Function

if TYPE_CHECKING:
    from ..tensor import Tensor

Array = Any  # a NumPy or CuPy array
Pair = tuple[int, int]
Padding = tuple[int, int, int, int]  # top, bottom, left, right


def output_size(size: int, kernel: int, stride: int, pad: int, dilation: int) -> int:
    """$\\lfloor (n + pads - d (k - 1) - 1) / s \\rfloor + 1$ windows along one axis."""
    return (size + pad - dilation * (kernel - 1) - 1) // stride + 1


def _offset_slices(i: int, j: int, out_hw: Pair, stride: Pair, dilation: Pair
                   ) -> tuple[slice, slice, slice, slice]:
    """The padded-image pixels that kernel offset ``(i, j)`` meets, one per output pixel."""
    top, left = i * dilation[0], j * dilation[1]
    return (slice(None), slice(None),
            slice(top, top + stride[0] * (out_hw[0] - 1) + 1, stride[0]),
            slice(left, left + stride[1] * (out_hw[1] - 1) + 1, stride[1]))


def unfold_array(x: Array, kernel: Pair, stride: Pair, padding: Padding, dilation: Pair,
                 pad_value: float = 0.0) -> Array:
    """im2col on arrays: (N, C, H, W) -> (N, C * kh * kw, OH * OW), channel-major rows."""
    xp = namespace(x)
    n, c, h, w = x.shape
    top, bottom, left, right = padding
    if any(padding):
        padded = xp.full((n, c, h + top + bottom, w + left + right), pad_value, dtype=x.dtype)
        padded[:, :, top:top + h, left:left + w] = x
        x = padded
    out_hw = (output_size(x.shape[2], kernel[0], stride[0], 0, dilation[0]),
              output_size(x.shape[3], kernel[1], stride[1], 0, dilation[1]))
    cols = xp.empty((n, c, kernel[0], kernel[1], *out_hw), dtype=x.dtype)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            cols[:, :, i, j] = x[_offset_slices(i, j, out_hw, stride, dilation)]
    return cols.reshape(n, c * kernel[0] * kernel[1], out_hw[0] * out_hw[1])


def fold_array(cols: Array, image_hw: Pair, kernel: Pair, stride: Pair, padding: Padding,
               dilation: Pair) -> Array:
    """col2im on arrays: (N, C * kh * kw, L) -> (N, C, H, W), overlapping windows summed."""
    xp = namespace(cols)
    top, bottom, left, right = padding
    height, width = image_hw[0] + top + bottom, image_hw[1] + left + right
    out_hw = (output_size(height, kernel[0], stride[0], 0, dilation[0]),
              output_size(width, kernel[1], stride[1], 0, dilation[1]))
    n = cols.shape[0]
    channels = cols.shape[1] // (kernel[0] * kernel[1])
    windows = cols.reshape(n, channels, kernel[0], kernel[1], *out_hw)
    image = xp.zeros((n, channels, height, width), dtype=cols.dtype)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            image[_offset_slices(i, j, out_hw, stride, dilation)] += windows[:, :, i, j]
    if any(padding):
        image = xp.ascontiguousarray(image[:, :, top:top + image_hw[0], left:left + image_hw[1]])
    return image


class Unfold(Function):
    """$z_{n, (c, i, j), (p, q)} = x_{n, c, s p + d i, s q + d j}$ (im2col); backward: ``Fold``."""

    backward_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx: Unfold, x: Array, kernel: Pair, stride: Pair, padding: Padding,
                dilation: Pair, pad_value: float = 0.0) -> Array:
        ctx.geometry = (kernel, stride, padding, dilation)
        ctx.image_hw = x.shape[2:]
        return unfold_array(x, kernel, stride, padding, dilation, pad_value)

    @staticmethod
    def backward(ctx: Unfold, grad: Tensor) -> Tensor:
        kernel, stride, padding, dilation = ctx.geometry
        return Fold.apply(grad, image_hw=ctx.image_hw, kernel=kernel, stride=stride,
                          padding=padding, dilation=dilation)


class Fold(Function):
    """$z_{n, c, h, w} = \\sum$ of the columns that cover pixel $(h, w)$ (col2im); backward:
    ``Unfold``."""

    backward_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx: Fold, cols: Array, image_hw: Pair, kernel: Pair, stride: Pair,
                padding: Padding, dilation: Pair) -> Array:
        ctx.geometry = (kernel, stride, padding, dilation)
        return fold_array(cols, image_hw, kernel, stride, padding, dilation)

    @staticmethod
    def backward(ctx: Fold, grad: Tensor) -> Tensor:
        kernel, stride, padding, dilation = ctx.geometry
        return Unfold.apply(grad, kernel=kernel, stride=stride, padding=padding,
                            dilation=dilation)


class MaxPool2d(Function):
    """$z_{n,c,p,q} = \\max$ of window $(p, q)$: the gradient goes to the first maximum.

    When windows tile the image (stride = kernel, no padding) they are a reshape of the input
    and the gradient is the upstream gradient times a one-hot mask of the same layout;
    otherwise windows come from ``unfold_array`` and the gradient goes back through ``Fold``.
    """

    backward_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx: MaxPool2d, x: Array, kernel: Pair, stride: Pair, padding: Padding,
                dilation: Pair) -> Array:
        xp = namespace(x)
        n, c, h, w = x.shape
        kh, kw = kernel
        ctx.geometry = (kernel, stride, padding, dilation)
        ctx.image_hw = (h, w)
        ctx.tiled = (stride == kernel and not any(padding) and dilation == (1, 1)
                     and h % kh == 0 and w % kw == 0)
        if ctx.tiled:
            oh, ow = h // kh, w // kw
            windows = x.reshape(n, c, oh, kh, ow, kw)
            flat = windows.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, oh, ow, kh * kw)
            index = flat.argmax(axis=-1)
            mask = xp.zeros(windows.shape, dtype=x.dtype)
            for i in range(kh):
                for j in range(kw):
                    mask[:, :, :, i, :, j] = index == i * kw + j
            ctx.mask = mask
            return xp.take_along_axis(flat, index[..., None], axis=-1)[..., 0]
        cols = unfold_array(x, kernel, stride, padding, dilation, pad_value=-xp.inf)
        oh = output_size(h, kh, stride[0], padding[0] + padding[1], dilation[0])
        ow = output_size(w, kw, stride[1], padding[2] + padding[3], dilation[1])
        windows = cols.reshape(n, c, kh * kw, oh * ow)
        index = windows.argmax(axis=2)
        ctx.mask = (xp.arange(kh * kw)[:, None] == index[:, :, None]).astype(x.dtype)
        return xp.take_along_axis(windows, index[:, :, None], axis=2).reshape(n, c, oh, ow)

    @staticmethod
    def backward(ctx: MaxPool2d, grad: Tensor) -> Tensor:
        n, c, oh, ow = grad.shape
        if ctx.tiled:
            return (grad.reshape(n, c, oh, 1, ow, 1) * ctx.mask).reshape(n, c, *ctx.image_hw)
        kernel, stride, padding, dilation = ctx.geometry
        cols = (grad.reshape(n, c, 1, oh * ow) * ctx.mask).reshape(n, -1, oh * ow)
        return Fold.apply(cols, image_hw=ctx.image_hw, kernel=kernel, stride=stride,
                          padding=padding, dilation=dilation)


class Softplus(Function):
    """$z = \\log(1 + e^x)$, computed as $\\max(x, 0) + \\log(1 + e^{-|x|})$:
    $dz/dx = \\sigma(x)$."""

    saves = (0,)

    @staticmethod
    def forward(ctx: Softplus, x: Array) -> Array:
        xp = namespace(x)
        return xp.maximum(x, 0) + xp.log1p(xp.exp(-abs(x)))

    @staticmethod
    def backward(ctx: Softplus, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * x.sigmoid()


class BinaryCrossEntropy(Function):
    """$\\ell = -(y \\log x + (1 - y) \\log(1 - x))$, logs clamped at $-100$ (as PyTorch):
    $d\\ell/dx = (x - y) / \\max(x (1 - x), 10^{-12})$,
    $d\\ell/dy = \\log(1 - x) - \\log x$."""

    saves = (0, 1)

    @staticmethod
    def forward(ctx: BinaryCrossEntropy, x: Array, y: Array) -> Array:
        xp = namespace(x)
        with np.errstate(divide="ignore"):
            log_x = xp.maximum(xp.log(x), -100.0)
            log_1mx = xp.maximum(xp.log1p(-x), -100.0)
        return -(y * log_x + (1 - y) * log_1mx)

    @staticmethod
    def backward(ctx: BinaryCrossEntropy, grad: Tensor) -> tuple[Tensor | None, ...]:
        x, y = ctx.saved_tensors
        grad_x = grad_y = None
        if ctx.needs_input_grad[0]:
            grad_x = grad * (x - y) / (x * (1 - x)).clamp(min=1e-12)
        if ctx.needs_input_grad[1]:
            grad_y = grad * ((1 - x).log().clamp(min=-100.0) - x.log().clamp(min=-100.0))
        return grad_x, grad_y

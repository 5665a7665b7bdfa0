"""The primitives ``nn`` adds to the tensor layer, forward and backward side by side.

``Unfold`` (im2col) copies every sliding window of an image into the columns of a matrix, so
that a convolution is one matrix product; ``Fold`` (col2im) adds columns back into an image.
Each is the other's adjoint, so each one's backward is the other, and a convolution built
from them can be differentiated twice. Both loop over the ``kh * kw`` kernel offsets, never
over pixels. ``MaxPool2d``, ``Softplus``, ``BinaryCrossEntropy``, ``Linear`` (PyTorch's
``addmm``), ``MseLoss`` and ``NllLoss`` are primitives for speed and numerical stability.
"""

from __future__ import annotations

import itertools
import math
import threading
from typing import Any

import numpy as np

from ..backend import namespace
from ..engine import is_grad_enabled
from ..ops import IndexAdd, ScatterAdd, Where, _array, sigmoid_array
from ..special import erf_array
from ..tensor import Function, Tensor

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


_write_numbers = itertools.count(1)  # one count for all threads: a stamp is never reused


class ColumnWorkspace(threading.local):
    """One reusable CPU buffer per thread for im2col columns.

    Columns are ``kh * kw`` times the size of the image (2.5 MB for LeNet's first layer at
    batch 32). Made afresh in each forward and backward, they pushed the heap up and down
    by megabytes per step; glibc gave that memory back to the system after each step and
    mapped it again on the next (~1 200 page faults, a third of a LeNet step on this
    machine; PyTorch's step has ~550). A reused buffer stays mapped. And when nothing has
    written over a forward's columns by the time its backward runs (the last convolution
    of a network: its backward comes first), the backward takes them as they are instead
    of building them again; the number of the write tells.

    This is state kept between calls, on purpose and in one place: per thread, so threads
    never share it, and at most ``limit`` bytes (bigger columns are allocated and freed as
    before). One buffer, not one per layer: kept buffers that are never freed made glibc
    keep a low threshold for giving memory back, and the page faults came back with the
    other arrays of the step. CuPy arrays are not kept here: CuPy's memory pool already
    reuses device memory.
    """

    limit = 64 << 20
    buffer: np.ndarray | None = None
    written: tuple[int, tuple[int, ...], Any] | None = None  # write number, shape, dtype

    def columns(self, xp: Any, shape: tuple[int, ...], dtype: Any) -> tuple[Array, int | None]:
        """An array of ``shape`` that the caller fills at once, and the number of that write:
        in the buffer for NumPy, a new array (and no number) for CuPy or too big columns."""
        size = int(np.prod(shape)) * np.dtype(dtype).itemsize
        if xp is not np or size > self.limit:
            return xp.empty(shape, dtype=dtype), None
        if self.buffer is None or self.buffer.nbytes < size:
            self.buffer = np.empty(size, np.uint8)
        number = next(_write_numbers)
        self.written = (number, shape, dtype)
        return self._view(shape, dtype), number

    def holding(self, number: int | None) -> np.ndarray | None:
        """What write ``number`` put in the buffer, if nothing has written to it since."""
        if number is None or self.written is None or self.written[0] != number:
            return None
        return self._view(*self.written[1:])

    def _view(self, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        assert self.buffer is not None
        size = int(np.prod(shape)) * np.dtype(dtype).itemsize
        return self.buffer[:size].view(dtype).reshape(shape)


_workspace = ColumnWorkspace()


def _windows(x: Array, kernel: Pair, stride: Pair, padding: Padding, dilation: Pair,
             pad_value: float = 0.0) -> Array:
    """Every sliding window of ``x`` as a view (C, kh, kw, N, OH, OW), in the column layout
    (the padding, when there is some, is a padded copy of ``x``)."""
    xp = namespace(x)
    n, c, h, w = x.shape
    top, bottom, left, right = padding
    if any(padding):
        padded = xp.full((n, c, h + top + bottom, w + left + right), pad_value, dtype=x.dtype)
        padded[:, :, top:top + h, left:left + w] = x
        x = padded
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    windows = xp.lib.stride_tricks.sliding_window_view(
        x, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(2, 3))[:, :, ::sh, ::sw, ::dh, ::dw]
    return windows.transpose(1, 4, 5, 0, 2, 3)


def unfold_array(x: Array, kernel: Pair, stride: Pair, padding: Padding, dilation: Pair,
                 pad_value: float = 0.0) -> Array:
    """im2col on arrays: (N, C, H, W) -> (C kh kw, N OH OW), channel-major rows, so that a
    convolution is a single matrix product ``W.reshape(C_out, -1) @ cols``."""
    # one strided copy of the window view: faster than one slice copy per kernel offset
    return _as_matrix(namespace(x).ascontiguousarray(_windows(x, kernel, stride, padding,
                                                              dilation, pad_value)))


def _unfold_into_workspace(x: Array, kernel: Pair, stride: Pair, padding: Padding,
                           dilation: Pair) -> tuple[Array, int | None]:
    """``unfold_array`` into the thread's ``ColumnWorkspace``, with the number of the write."""
    windows = _windows(x, kernel, stride, padding, dilation)
    cols, number = _workspace.columns(namespace(x), windows.shape, windows.dtype)
    cols[...] = windows
    return _as_matrix(cols), number


def _as_matrix(cols: Array) -> Array:
    """Columns (C, kh, kw, N, OH, OW) as the matrix (C kh kw, N OH OW) (a view)."""
    return cols.reshape(cols.shape[0] * cols.shape[1] * cols.shape[2], -1)


def _crop_to_nchw(image: Array, padding: Padding, h: int, w: int) -> Array:
    """A padded (C, N, H + pads, W + pads) image without its padding, as (N, C, H, W)."""
    top, left = padding[0], padding[2]
    return namespace(image).ascontiguousarray(
        image[:, :, top:top + h, left:left + w].transpose(1, 0, 2, 3))


def fold_array(cols: Array, image_shape: tuple[int, int, int, int], kernel: Pair,
               stride: Pair, padding: Padding, dilation: Pair) -> Array:
    """col2im on arrays: (C kh kw, N OH OW) -> (N, C, H, W), overlapping windows summed."""
    xp = namespace(cols)
    n, c, h, w = image_shape
    top, bottom, left, right = padding
    height, width = h + top + bottom, w + left + right
    out_hw = (output_size(height, kernel[0], stride[0], 0, dilation[0]),
              output_size(width, kernel[1], stride[1], 0, dilation[1]))
    windows = cols.reshape(c, kernel[0], kernel[1], n, *out_hw)
    image = xp.zeros((c, n, height, width), dtype=cols.dtype)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            image[_offset_slices(i, j, out_hw, stride, dilation)] += windows[:, i, j]
    return _crop_to_nchw(image, padding, h, w)


def fold_rows(cols: Array, image_shape: tuple[int, int, int, int], kernel: Pair,
              padding: Padding, dilation: Pair) -> Array:
    """``fold_array`` at stride 1, for columns whose window rows are as long as the padded
    image's rows, (C kh kw, N OH W + pads), with zeros past the OW real windows of each row.

    Then kernel offset (i, j) adds to the flattened image one run of OH rows, shifted by
    ``i d W + j d``: 25 long runs instead of 25 x OH short ones (3-4x faster for LeNet's
    second layer). The zeros land on pixels that other windows own, adding nothing (the
    image starts at +0.0, so even the sign of a zero does not change)."""
    xp = namespace(cols)
    n, c, h, w = image_shape
    top, bottom, left, right = padding
    height, width = h + top + bottom, w + left + right
    (kh, kw), (dh, dw) = kernel, dilation
    oh = output_size(height, kh, 1, 0, dh)
    run = oh * width
    windows = cols.reshape(c, kh, kw, n, run)
    flat = xp.zeros((c, n, height * width + dw * (kw - 1)), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            start = i * dh * width + j * dw
            flat[:, :, start:start + run] += windows[:, i, j]
    image = flat[:, :, :height * width].reshape(c, n, height, width)
    return _crop_to_nchw(image, padding, h, w)


class Unfold(Function):
    """$z_{(c, i, j), (n, p, q)} = x_{n, c, s p + d i, s q + d j}$ (im2col); backward: ``Fold``."""

    backward_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx: Unfold, x: Array, kernel: Pair, stride: Pair, padding: Padding,
                dilation: Pair, pad_value: float = 0.0) -> Array:
        ctx.geometry = (kernel, stride, padding, dilation)
        ctx.image_shape = x.shape
        return unfold_array(x, kernel, stride, padding, dilation, pad_value)

    @staticmethod
    def backward(ctx: Unfold, grad: Tensor) -> Tensor:
        kernel, stride, padding, dilation = ctx.geometry
        return Fold.apply(grad, image_shape=ctx.image_shape, kernel=kernel, stride=stride,
                          padding=padding, dilation=dilation)


class Fold(Function):
    """$z_{n, c, h, w} = \\sum$ of the columns that cover pixel $(h, w)$ (col2im); backward:
    ``Unfold``."""

    backward_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx: Fold, cols: Array, image_shape: tuple[int, int, int, int], kernel: Pair,
                stride: Pair, padding: Padding, dilation: Pair) -> Array:
        ctx.geometry = (kernel, stride, padding, dilation)
        return fold_array(cols, image_shape, kernel, stride, padding, dilation)

    @staticmethod
    def backward(ctx: Fold, grad: Tensor) -> Tensor:
        kernel, stride, padding, dilation = ctx.geometry
        return Unfold.apply(grad, kernel=kernel, stride=stride, padding=padding,
                            dilation=dilation)


class Conv2d(Function):
    """$y_{n,o} = b_o + \\sum_k W_{o,k} \\, \\mathrm{cols}(x)_{k,(n,p,q)}$: im2col, then one
    matrix product per image. Backward: $dW = \\sum_n G_n \\, \\mathrm{cols}_n^T$,
    $db = \\sum G$, $dx = \\mathrm{Fold}(W^T G_n)$ with $G_n$ image n's gradient as (C_out, L).

    Like PyTorch's ConvolutionBackward0 it saves the input and the weight, not the columns
    (``kh * kw`` times the input's size). They live in the thread's ``ColumnWorkspace``:
    backward takes the forward's columns from there when nothing has written over them since,
    and builds them again when something has."""

    backward_name = "ConvolutionBackward0"
    saves = (0, 1)
    saved_names = ("input", "weight")  # PyTorch's _saved_input, _saved_weight (for viz)

    @staticmethod
    def forward(ctx: Conv2d, x: Array, weight: Array, bias: Array | None, stride: Pair,
                padding: Padding, dilation: Pair, groups: int) -> Array:
        n = x.shape[0]
        c_out, _, kh, kw = weight.shape
        ctx.geometry = ((kh, kw), stride, padding, dilation)
        ctx.groups = groups
        cols, ctx.columns = _unfold_into_workspace(x, (kh, kw), stride, padding, dilation)
        oh = output_size(x.shape[2], kh, stride[0], padding[0] + padding[1], dilation[0])
        ow = output_size(x.shape[3], kw, stride[1], padding[2] + padding[3], dilation[1])
        xp = namespace(x)
        out = xp.empty((n, c_out, oh, ow), dtype=x.dtype)
        # One product per image and group, written straight into the (N, C_out, OH, OW)
        # result: (G, C_out/G, K/G) @ (N, G, K/G, L) -> (N, G, C_out/G, L). One product of
        # the whole (C_out, N L) would need a transposed copy of its result.
        _matmul_into(weight.reshape(groups, c_out // groups, -1), _per_image(cols, groups, n),
                     out.reshape(n, groups, c_out // groups, oh * ow))
        if bias is not None:
            out += bias[:, None, None]
        return out

    @staticmethod
    def backward(ctx: Conv2d, grad: Tensor) -> tuple[Tensor | None, ...]:
        x, weight = ctx.saved_tensors
        if not is_grad_enabled():  # plain backward: the same products, on the arrays
            return Conv2d._backward_arrays(ctx, grad._array, x._array, weight._array)
        # backward(create_graph=True): recorded, so that it can be differentiated again.
        # The same products as the plain path below, in the same order (bit for bit).
        kernel, stride, padding, dilation = ctx.geometry
        c_out, groups = weight.shape[0], ctx.groups
        n, _, oh, ow = grad.shape
        per_image = grad.reshape(n, groups, c_out // groups, oh * ow)  # (N, G, C_out/G, L)
        grad_x = grad_w = grad_b = None
        if ctx.needs_input_grad[1]:
            # recorded through Unfold only when x itself may need a gradient of dW
            cols = Unfold.apply(x, kernel=kernel, stride=stride, padding=padding,
                                dilation=dilation) if x.requires_grad else Tensor._wrap(
                unfold_array(x._array, kernel, stride, padding, dilation))
            cols = cols.reshape(groups, -1, n, oh * ow).permute(2, 0, 3, 1)  # (N, G, L, K/G)
            grad_w = (per_image @ cols).sum(dim=0).reshape(weight.shape)
        if ctx.needs_input_grad[2]:
            grad_b = grad.reshape(n, c_out, oh * ow).sum(dim=2).sum(dim=0)
        if ctx.needs_input_grad[0]:
            per_group = weight.reshape(groups, c_out // groups, -1).transpose(1, 2)
            grad_cols = (per_group @ per_image).permute(1, 2, 0, 3).reshape(-1, n * oh * ow)
            grad_x = Fold.apply(grad_cols, image_shape=tuple(x.shape), kernel=kernel,
                                stride=stride, padding=padding, dilation=dilation)
        return grad_x, grad_w, grad_b

    @staticmethod
    def _backward_arrays(ctx: Conv2d, grad: Array, x: Array, weight: Array
                         ) -> tuple[Tensor | None, ...]:
        """``backward``'s steps on arrays, for a backward that records nothing."""
        kernel, stride, padding, dilation = ctx.geometry
        c_out, groups = weight.shape[0], ctx.groups
        needs = ctx.needs_input_grad
        n, _, oh, ow = grad.shape
        per_image = grad.reshape(n, groups, c_out // groups, oh * ow)  # (N, G, C_out/G, L)
        grad_x = grad_w = grad_b = None
        if needs[1]:  # sum over images of (C_out/G, L) @ (L, K/G)
            kept = _workspace.holding(ctx.columns)  # the forward's, if not written over
            cols = _as_matrix(kept) if kept is not None else _unfold_into_workspace(
                x, kernel, stride, padding, dilation)[0]
            grad_w = Tensor._wrap((per_image @ _per_image(cols, groups, n).transpose(0, 1, 3, 2)
                                   ).sum(axis=0).reshape(weight.shape))
        if needs[2]:
            grad_b = Tensor._wrap(grad.reshape(n, c_out, oh * ow).sum(axis=2).sum(axis=0))
        if needs[0]:  # (G, K/G, C_out/G) @ (N, G, C_out/G, L), written into the columns
            xp = namespace(grad)
            per_group = weight.reshape(groups, c_out // groups, -1).transpose(0, 2, 1)
            if stride == (1, 1):  # columns as long as the padded image's rows: see fold_rows
                width = x.shape[3] + padding[2] + padding[3]
                wide = xp.zeros((n, c_out, oh, width), dtype=grad.dtype)
                wide[..., :ow] = grad
                grad_cols = _workspace.columns(xp, (per_group.shape[0] * per_group.shape[1],
                                                    n * oh * width), grad.dtype)[0]
                _matmul_into(per_group, wide.reshape(n, groups, c_out // groups, oh * width),
                             _per_image(grad_cols, groups, n))
                grad_x = Tensor._wrap(fold_rows(grad_cols, x.shape, kernel, padding, dilation))
            else:
                grad_cols = xp.empty((per_group.shape[0] * per_group.shape[1], n * oh * ow),
                                     dtype=grad.dtype)
                _matmul_into(per_group, per_image, _per_image(grad_cols, groups, n))
                grad_x = Tensor._wrap(fold_array(grad_cols, x.shape, kernel, stride, padding,
                                                 dilation))
        return grad_x, grad_w, grad_b


def _matmul_into(a: Array, b: Array, out: Array) -> None:
    """``out[...] = a @ b``. NumPy writes the products straight into ``out`` (a strided view:
    each matrix's rows are contiguous, so BLAS takes it); CuPy computes them, then copies:
    its ``out=`` with a strided view is not relied on."""
    if namespace(out) is np:
        np.matmul(a, b, out=out)
    else:
        out[...] = namespace(out).matmul(a, b)


def _per_image(cols: Array, groups: int, n: int) -> Array:
    """The columns (C kh kw, N L) seen as one (K/G, L) matrix per image and group: a view
    (N, G, K/G, L) whose rows stay N L apart."""
    return cols.reshape(groups, cols.shape[0] // groups, n, -1).transpose(2, 0, 1, 3)


class MaxPool2d(Function):
    """$z_{n,c,p,q} = \\max$ of window $(p, q)$: the gradient goes to the first maximum.

    When windows tile the image (stride = kernel, no padding) they are a reshape of the input
    and the gradient is the upstream gradient times a one-hot mask of the same layout;
    otherwise windows come from ``unfold_array`` and the gradient goes back through ``Fold``.
    """

    backward_name = "MaxPool2DWithIndicesBackward0"
    saved_arrays = ("mask",)

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
        if ctx.tiled:  # windows are a reshape: take the max offset by offset
            windows = x.reshape(n, c, h // kh, kh, w // kw, kw)
            out = windows[:, :, :, 0, :, 0].copy()
            for i in range(kh):
                for j in range(kw):
                    xp.maximum(out, windows[:, :, :, i, :, j], out=out)
            # a bool mask: a quarter of a float32 one, and it lives until the backward
            mask = xp.empty(windows.shape, dtype=bool)
            free = xp.ones(out.shape, dtype=bool)  # windows whose maximum is not yet marked
            for i in range(kh):
                for j in range(kw):
                    hit = (windows[:, :, :, i, :, j] == out) & free
                    mask[:, :, :, i, :, j] = hit
                    free &= ~hit
            ctx.mask = mask
            return out
        cols = unfold_array(x, kernel, stride, padding, dilation, pad_value=-xp.inf)
        oh = output_size(h, kh, stride[0], padding[0] + padding[1], dilation[0])
        ow = output_size(w, kw, stride[1], padding[2] + padding[3], dilation[1])
        windows = cols.reshape(c, kh * kw, n * oh * ow)
        index = windows.argmax(axis=1)
        ctx.mask = (xp.arange(kh * kw)[:, None] == index[:, None]).astype(x.dtype)
        out = xp.take_along_axis(windows, index[:, None], axis=1).reshape(c, n, oh, ow)
        return xp.ascontiguousarray(out.transpose(1, 0, 2, 3))

    @staticmethod
    def backward(ctx: MaxPool2d, grad: Tensor) -> Tensor:
        n, c, oh, ow = grad.shape
        if ctx.tiled and not is_grad_enabled():  # plain backward: the same products on the
            # arrays, with each gradient repeated along the window's columns first: then the
            # innermost loop runs over whole image rows, not over kw = 2 (2x faster)
            kh, kw = ctx.geometry[0]
            wide = grad._array.repeat(kw, axis=3).reshape(n, c, oh, 1, ow * kw)
            mask = ctx.mask.reshape(n, c, oh, kh, ow * kw)
            grad_x = wide * mask  # kh times wide: the product needs its own array
            return Tensor._wrap(grad_x.reshape(n, c, *ctx.image_hw))
        if ctx.tiled:
            return (grad.reshape(n, c, oh, 1, ow, 1) * Tensor._wrap(ctx.mask)).reshape(
                n, c, *ctx.image_hw)
        kernel, stride, padding, dilation = ctx.geometry
        by_channel = grad.permute(1, 0, 2, 3).reshape(c, 1, n * oh * ow)
        cols = (by_channel * ctx.mask).reshape(-1, n * oh * ow)
        return Fold.apply(cols, image_shape=(n, c, *ctx.image_hw), kernel=kernel, stride=stride,
                          padding=padding, dilation=dilation)


class Softplus(Function):
    """$z = \\frac{1}{\\beta} \\log(1 + e^{\\beta x})$, computed as
    $(\\max(\\beta x, 0) + \\log(1 + e^{-|\\beta x|})) / \\beta$, and $z = x$ where
    $\\beta x > $ ``threshold`` (as PyTorch): $dz/dx = \\sigma(\\beta x)$, or 1 there."""

    saves = (0,)

    @staticmethod
    def forward(ctx: Softplus, x: Array, beta: float = 1.0,
                threshold: float = math.inf) -> Array:
        ctx.beta, ctx.threshold = beta, threshold
        xp = namespace(x)
        bx = x * beta if beta != 1 else x
        smooth = xp.maximum(bx, 0) + xp.log1p(xp.exp(-abs(bx)))  # no overflow for any x
        if beta != 1:
            smooth = smooth / beta
        return smooth if threshold == math.inf else xp.where(bx > threshold, x, smooth)

    @staticmethod
    def backward(ctx: Softplus, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        bx = x * ctx.beta if ctx.beta != 1 else x
        smooth = grad * bx.sigmoid()
        if ctx.threshold == math.inf:
            return smooth
        return Where.apply(grad, smooth, condition=_array(bx) > ctx.threshold)


class LeakyRelu(Function):
    """$z = x$ where $x > 0$, else $s x$ (``negative_slope`` $s$): $dz/dx$ = 1 or $s$."""

    backward_name = "LeakyReluBackward0"
    saves = (0,)

    @staticmethod
    def forward(ctx: LeakyRelu, x: Array, negative_slope: float) -> Array:
        ctx.negative_slope = negative_slope
        return namespace(x).where(x > 0, x, x * negative_slope)

    @staticmethod
    def backward(ctx: LeakyRelu, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return Where.apply(grad, grad * ctx.negative_slope, condition=_array(x) > 0)


class Elu(Function):
    """$z = x$ where $x > 0$, else $\\alpha (e^x - 1)$: $dz/dx$ = 1 or $\\alpha e^x$."""

    backward_name = "EluBackward0"
    saves = (0,)

    @staticmethod
    def forward(ctx: Elu, x: Array, alpha: float) -> Array:
        ctx.alpha = alpha
        xp = namespace(x)
        # expm1 of a non-positive number only: no overflow where the branch is not taken
        return xp.where(x > 0, x, alpha * xp.expm1(xp.minimum(x, 0)))

    @staticmethod
    def backward(ctx: Elu, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return Where.apply(grad, grad * (ctx.alpha * x.clamp(max=0.0).exp()),
                           condition=_array(x) > 0)


class Silu(Function):
    """$z = x \\sigma(x)$: $dz/dx = \\sigma(x) (1 + x (1 - \\sigma(x)))$."""

    backward_name = "SiluBackward0"
    saves = (0,)

    @staticmethod
    def forward(ctx: Silu, x: Array) -> Array:
        return x * sigmoid_array(x)

    @staticmethod
    def backward(ctx: Silu, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        s = x.sigmoid()
        return grad * (s * (1 + x * (1 - s)))


class Hardtanh(Function):
    """$z = \\min(\\max(x, lo), hi)$: $dz/dx = 1$ strictly between the bounds, 0 at and
    beyond them (``clamp``'s gradient passes at the bounds; PyTorch's hardtanh does not)."""

    backward_name = "HardtanhBackward0"
    saves = (0,)

    @staticmethod
    def forward(ctx: Hardtanh, x: Array, min_val: float, max_val: float) -> Array:
        ctx.bounds = (min_val, max_val)
        return namespace(x).clip(x, min_val, max_val).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Hardtanh, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        low, high = ctx.bounds
        a = _array(x)
        return Where.apply(grad, 0.0, condition=(a > low) & (a < high))  # 0 at a NaN too


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


class Linear(Function):
    """$Y = b + X W^T$ for a matrix $X$ (PyTorch's ``addmm``): $db = \\sum_n G_n$, $dX = G W$,
    $dW = G^T X$. One node instead of transpose, product and broadcast add.

    The inputs come in ``addmm``'s order, (bias, input, weight), so ``next_functions`` lists
    them as PyTorch does: the Blitz's ``loss.grad_fn.next_functions[0][0]`` of a Linear is
    the bias's ``AccumulateGrad``. (PyTorch also records ``weight.t()`` as a ``TBackward0``
    node in front of the weight; this reads the weight directly, one node fewer.)"""

    backward_name = "AddmmBackward0"
    saves = (1, 2)
    saves_only_for = {1: 2, 2: 1}  # noqa: RUF012 (read-only)

    @staticmethod
    def forward(ctx: Linear, bias: Array, x: Array, weight: Array) -> Array:
        out = x @ weight.T
        out += bias
        return out

    @staticmethod
    def backward(ctx: Linear, grad: Tensor) -> tuple[Tensor | None, ...]:
        x, weight = ctx.saved_tensors
        needs = ctx.needs_input_grad
        if not is_grad_enabled():  # plain backward: the same products on the arrays, without
            g = grad._array  # a Tensor op each (create_graph records them, below)
            return (Tensor._wrap(g.sum(axis=0)) if needs[0] else None,
                    Tensor._wrap(g @ weight._array) if needs[1] else None,
                    Tensor._wrap(g.T @ x._array) if needs[2] else None)
        grad_b = grad.sum(dim=0) if needs[0] else None
        grad_x = grad @ weight if needs[1] else None
        grad_w = grad.t() @ x if needs[2] else None
        return grad_b, grad_x, grad_w


class MseLoss(Function):
    """$\\ell = (a - b)^2$, reduced by ``reduction`` (``'mean'``, ``'sum'``, ``'none'``):
    $d\\ell/da = -d\\ell/db = 2 (a - b) g$, divided by the element count for the mean."""

    backward_name = "MseLossBackward0"
    saves = (0, 1)

    @staticmethod
    def forward(ctx: MseLoss, a: Array, b: Array, reduction: str) -> Array:
        diff = a - b
        diff *= diff
        ctx.reduction, ctx.count = reduction, diff.size
        if reduction == "mean":
            return diff.mean()
        return diff.sum() if reduction == "sum" else diff

    @staticmethod
    def backward(ctx: MseLoss, grad: Tensor) -> tuple[Tensor | None, ...]:
        a, b = ctx.saved_tensors
        norm = 2.0 / ctx.count if ctx.reduction == "mean" else 2.0
        grad_a = (a - b) * norm * grad
        grad_b = None
        if ctx.needs_input_grad[1]:
            grad_b = -grad_a
            grad_b = grad_b if grad_b.shape == b.shape else grad_b.sum_to_size(b.shape)
        if not ctx.needs_input_grad[0]:
            grad_a = None
        elif grad_a.shape != a.shape:
            grad_a = grad_a.sum_to_size(a.shape)
        return grad_a, grad_b


class NllLoss(Function):
    """$\\ell_n = -w_n x_{n, y_n}$ for an (N, C) input, class indices $y$ and per-sample
    weights $w$ (0 where the target is ignored; None: all 1); summed, or divided by
    $\\sum_n w_n$ for the mean. $dx_{n, y_n} = -w_n g$ (divided likewise), 0 elsewhere. One
    node instead of six (gather, squeeze, neg, mul, sum, div), as PyTorch's ``nll_loss``."""

    backward_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx: NllLoss, x: Array, target: Array, weights: Array | None,
                reduction: str) -> Array:
        xp = namespace(x)
        ctx.key = (xp.arange(x.shape[0]), target)
        ctx.weights, ctx.reduction = weights, reduction
        picked = x[ctx.key] if weights is None else x[ctx.key] * weights
        if reduction == "none":
            return -picked
        # -sum, not sum of negatives: the same bits. On NumPy the sum is a scalar, whose
        # negation and division skip the ufunc machinery (apply makes it a 0-d array)
        total = -picked.sum()
        if reduction == "sum":
            return total
        ctx.count = float(x.shape[0] if weights is None else weights.sum())
        return total / ctx.count

    @staticmethod
    def backward(ctx: NllLoss, grad: Tensor) -> Tensor:
        weights = ctx.weights
        if not is_grad_enabled():  # plain backward: the steps below on the arrays
            g = grad._array[()]  # a 0-d array as a scalar: cheaper arithmetic, the same bits
            if ctx.reduction == "mean":
                g = g / ctx.count
            picked = -g if weights is None else -(g * weights)
            out = namespace(picked).zeros(ctx.input_shape(0), dtype=picked.dtype)
            out[ctx.key] += picked  # one entry per row: no add.at needed; += as IndexAdd
            # does it (0.0 + -0.0 is 0.0, so an ignored row's gradient is +0.0, not -0.0)
            return Tensor._wrap(out)
        if ctx.reduction == "mean":
            grad = grad / ctx.count
        shape = ctx.input_shape(0)
        if weights is None:  # recorded, the weights take part: one per row
            weights = namespace(grad._array).ones(shape[:1], dtype=grad._array.dtype)
        picked = -(grad * Tensor._wrap(weights))  # the same steps as the six nodes
        return IndexAdd.apply(picked, key=ctx.key, shape=shape)


# --------------------------------------------------------- GELU, Huber and smooth L1 losses

SQRT_HALF = math.sqrt(0.5)
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
GELU_CUBIC = 0.044715  # the tanh approximation's coefficient of x^3


class Gelu(Function):
    """$z = x \\Phi(x)$, $\\Phi(x) = \\frac12 (1 + \\operatorname{erf}(x / \\sqrt2))$:
    $dz/dx = \\Phi(x) + x \\phi(x)$. With ``approximate='tanh'``,
    $z = \\frac12 x (1 + \\tanh u)$, $u = \\sqrt{2/\\pi} (x + 0.044715 x^3)$:
    $dz/dx = \\frac12 (1 + \\tanh u) + \\frac12 x (1 - \\tanh^2 u) \\, du/dx$."""

    saves = (0,)

    @staticmethod
    def forward(ctx: Gelu, x: Array, approximate: str) -> Array:
        ctx.approximate = approximate
        if approximate == "tanh":
            inner = SQRT_2_OVER_PI * (x + GELU_CUBIC * (x * x * x))
            return 0.5 * x * (1 + namespace(x).tanh(inner))
        return x * 0.5 * (1 + erf_array(x * SQRT_HALF))

    @staticmethod
    def backward(ctx: Gelu, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        if ctx.approximate == "tanh":
            t = (SQRT_2_OVER_PI * (x + GELU_CUBIC * (x * x * x))).tanh()
            inner_slope = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * (x * x))
            return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * inner_slope)
        cdf = 0.5 * (1 + (x * SQRT_HALF).erf())
        pdf = (-0.5 * (x * x)).exp() * (1 / math.sqrt(2 * math.pi))
        return grad * (cdf + x * pdf)


def _reduce_loss(ctx: Function, loss: Array, reduction: str) -> Array:
    """A loss primitive's per-element losses reduced (``ctx`` keeps what backward needs)."""
    ctx.reduction, ctx.count = reduction, loss.size
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _loss_gradients(ctx: Function, slope: Tensor, grad: Tensor) -> tuple[Tensor | None, ...]:
    """$d\\ell/da = -d\\ell/db$ = ``slope`` $\\cdot g$ ($/n$ for the mean), summed back to
    the shapes of $a$ and $b$ where they were broadcast."""
    if ctx.reduction == "mean":
        grad = grad / ctx.count
    grad_a = slope * grad
    grad_b = -grad_a if ctx.needs_input_grad[1] else None
    if grad_b is not None and grad_b.shape != ctx.input_shape(1):
        grad_b = grad_b.sum_to_size(ctx.input_shape(1))
    if not ctx.needs_input_grad[0]:
        return None, grad_b
    return (grad_a if grad_a.shape == ctx.input_shape(0)
            else grad_a.sum_to_size(ctx.input_shape(0))), grad_b


class HuberLoss(Function):
    """$\\ell = \\frac12 d^2$ where $|d| < \\delta$, else $\\delta (|d| - \\frac12 \\delta)$,
    for $d = a - b$, reduced: $d\\ell/da = -d\\ell/db$ = $d$ clamped to $[-\\delta, \\delta]$."""

    saves = (0, 1)

    @staticmethod
    def forward(ctx: HuberLoss, a: Array, b: Array, delta: float, reduction: str) -> Array:
        ctx.delta = delta
        xp = namespace(a)
        z = abs(a - b)
        return _reduce_loss(ctx, xp.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta)),
                            reduction)

    @staticmethod
    def backward(ctx: HuberLoss, grad: Tensor) -> tuple[Tensor | None, ...]:
        a, b = ctx.saved_tensors
        d = a - b
        values = _array(d)  # the clamped part is constant: Where passes no gradient to it
        clamped = namespace(values).clip(values, -ctx.delta, ctx.delta)
        slope = Where.apply(d, clamped, condition=abs(values) < ctx.delta)
        return _loss_gradients(ctx, slope, grad)


class SmoothL1Loss(Function):
    """$\\ell = \\frac12 d^2 / \\beta$ where $|d| < \\beta$, else $|d| - \\frac12 \\beta$, for
    $d = a - b$, reduced: $d\\ell/da = -d\\ell/db$ = $d / \\beta$ clamped to $[-1, 1]$."""

    saves = (0, 1)

    @staticmethod
    def forward(ctx: SmoothL1Loss, a: Array, b: Array, beta: float, reduction: str) -> Array:
        ctx.beta = beta
        xp = namespace(a)
        z = abs(a - b)
        return _reduce_loss(ctx, xp.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta),
                            reduction)

    @staticmethod
    def backward(ctx: SmoothL1Loss, grad: Tensor) -> tuple[Tensor | None, ...]:
        a, b = ctx.saved_tensors
        d = a - b
        values = _array(d)
        clamped = namespace(values).clip(values / ctx.beta, -1.0, 1.0)
        slope = Where.apply(d / ctx.beta, clamped, condition=abs(values) < ctx.beta)
        return _loss_gradients(ctx, slope, grad)


# ------------------------------------------------------------------------- adaptive pooling


def adaptive_windows(size: int, count: int) -> list[tuple[int, int]]:
    """PyTorch's ``count`` windows over ``size`` cells: window $i$ is
    $[\\lfloor i n / k \\rfloor, \\lceil (i + 1) n / k \\rceil)$ (they overlap when $k$ does
    not divide $n$)."""
    return [(i * size // count, -(-(i + 1) * size // count)) for i in range(count)]


def _on_axis(axis: int, part: slice) -> tuple[slice, ...]:
    """The index that takes ``part`` of axis ``axis`` and all of the axes before it."""
    return (*(slice(None),) * axis, part)


def _average_along(a: Array, axis: int, count: int) -> Array:
    """The mean of each of the ``count`` adaptive windows along ``axis``: a reshape when they
    tile the axis, else one slice per window (a loop over output rows, not pixels)."""
    size = a.shape[axis]
    if count == 0:
        return a[_on_axis(axis, slice(0, 0))]
    if size % count == 0:
        return a.reshape(*a.shape[:axis], count, size // count, *a.shape[axis + 1:]).mean(
            axis=axis + 1)
    parts = [a[_on_axis(axis, slice(start, end))].mean(axis=axis, keepdims=True)
             for start, end in adaptive_windows(size, count)]
    return namespace(a).concatenate(parts, axis=axis)


def _spread_along(g: Array, axis: int, size: int) -> Array:
    """The adjoint of ``_average_along``: each window's gradient shared equally among its
    ``size``-axis cells, summed where windows overlap."""
    xp = namespace(g)
    count = g.shape[axis]
    if count and size % count == 0:
        return xp.repeat(g, size // count, axis=axis) / (size // count)
    out = xp.zeros((*g.shape[:axis], size, *g.shape[axis + 1:]), dtype=g.dtype)
    for i, (start, end) in enumerate(adaptive_windows(size, count)):
        out[_on_axis(axis, slice(start, end))] += g[_on_axis(axis, slice(i, i + 1))] / (
            end - start)
    return out


class AdaptiveAvgPool2d(Function):
    """$z_{n,c,i,j}$ = the mean of $x$ over rows $[\\lfloor iH/h \\rfloor,
    \\lceil (i+1)H/h \\rceil)$ and the same columns for $j$: windows along each axis in turn.
    Backward: ``AdaptiveAvgPool2dAdjoint``, whose backward is this one (both are linear)."""

    backward_name = "AdaptiveAvgPool2DBackward0"

    @staticmethod
    def forward(ctx: AdaptiveAvgPool2d, x: Array, output_size: tuple[int, int]) -> Array:
        ctx.image_hw = x.shape[-2:]
        return _average_along(_average_along(x, x.ndim - 2, output_size[0]), x.ndim - 1,
                              output_size[1])

    @staticmethod
    def backward(ctx: AdaptiveAvgPool2d, grad: Tensor) -> Tensor:
        return AdaptiveAvgPool2dAdjoint.apply(grad, image_hw=ctx.image_hw)


class AdaptiveAvgPool2dAdjoint(Function):
    """$z$ = each window's gradient spread equally over the window's pixels (the adjoint of
    ``AdaptiveAvgPool2d``); backward: ``AdaptiveAvgPool2d``."""

    backward_name = "AdaptiveAvgPool2DBackwardBackward0"

    @staticmethod
    def forward(ctx: AdaptiveAvgPool2dAdjoint, grad: Array, image_hw: tuple[int, int]) -> Array:
        ctx.output_size = grad.shape[-2:]
        h, w = image_hw
        return _spread_along(_spread_along(grad, grad.ndim - 1, w), grad.ndim - 2, h)

    @staticmethod
    def backward(ctx: AdaptiveAvgPool2dAdjoint, grad: Tensor) -> Tensor:
        return AdaptiveAvgPool2d.apply(grad, output_size=ctx.output_size)


def _window_indices(xp: Any, size: int, count: int) -> tuple[Array, Array]:
    """(count, longest window) indices of each adaptive window's cells, and which are real
    (shorter windows are padded by repeating their last cell, masked out)."""
    windows = adaptive_windows(size, count)
    longest = max(end - start for start, end in windows)
    starts = xp.asarray([start for start, _ in windows])[:, None]
    ends = xp.asarray([end for _, end in windows])[:, None]
    index = starts + xp.arange(longest)[None, :]
    return xp.minimum(index, ends - 1), index < ends


def adaptive_max_indices(x: Array, output_size: tuple[int, int]) -> Array:
    """The flat index into (H, W) of the first maximum (row-major; a NaN wins) of each
    adaptive window, (..., h, w). All windows at once: their pixels are gathered into a
    padded block (..., h, kh, w, kw), the padding set to $-\\infty$."""
    xp = namespace(x)
    h, w = x.shape[-2:]
    if 0 in output_size:
        return xp.zeros((*x.shape[:-2], *output_size), dtype=np.int64)
    rows, real_rows = _window_indices(xp, h, output_size[0])
    cols, real_cols = _window_indices(xp, w, output_size[1])
    block = x[..., rows[:, :, None, None], cols[None, None, :, :]]
    real = real_rows[:, :, None, None] & real_cols[None, None, :, :]
    block = xp.moveaxis(xp.where(real, block, -xp.inf), -3, -2)  # (..., h, w, kh, kw)
    kh, kw = rows.shape[1], cols.shape[1]
    choice = block.reshape(*block.shape[:-2], kh * kw).argmax(axis=-1)
    row = rows[xp.arange(output_size[0])[:, None], choice // kw]  # (h, w) index pairs
    col = cols[xp.arange(output_size[1])[None, :], choice % kw]
    return (row * w + col).astype(np.int64)


class AdaptiveMaxPool2d(Function):
    """$z_{n,c,i,j} = x_{n,c,k}$ at the flat index $k$ of window $(i, j)$'s maximum (found
    by the caller with ``adaptive_max_indices``, as it returns them too): the gradient goes
    there (``ScatterAdd``)."""

    backward_name = "AdaptiveMaxPool2DBackward0"

    @staticmethod
    def forward(ctx: AdaptiveMaxPool2d, x: Array, indices: Array) -> Array:
        ctx.indices, ctx.image_hw = indices, x.shape[-2:]
        lead, (h, w), (oh, ow) = x.shape[:-2], x.shape[-2:], indices.shape[-2:]
        flat = x.reshape(*lead, h * w)
        picked = namespace(x).take_along_axis(flat, indices.reshape(*lead, oh * ow), axis=-1)
        return picked.reshape(indices.shape)

    @staticmethod
    def backward(ctx: AdaptiveMaxPool2d, grad: Tensor) -> Tensor:
        lead, (oh, ow) = grad.shape[:-2], grad.shape[-2:]
        h, w = ctx.image_hw
        flat = ScatterAdd.apply(grad.reshape(*lead, oh * ow), dim=len(lead),
                                index=ctx.indices.reshape(*lead, oh * ow), shape=(*lead, h * w))
        return flat.reshape(*lead, h, w)

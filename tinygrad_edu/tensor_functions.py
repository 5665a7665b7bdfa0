"""The ``torch.xxx(tensor, ...)`` function forms: ``cat``, ``stack``, ``add(x, y, out=r)`` ...

Most are one line that calls the Tensor method. The ``out=`` argument writes the result into
an existing tensor, as PyTorch does (resizing an empty one); it cannot be used while
gradients are being recorded, again as PyTorch.
"""

from __future__ import annotations

import string
import warnings
from collections.abc import Sequence
from typing import Any

from . import ops, ops_more
from .backend import dtype as DType
from .backend import promote_types
from .engine import grad_mode
from .tensor import (
    Tensor,
    ValuesIndices,
    _device_error,
    _normalize_dim,
    _numpy_names,
    _required,
)


def _write_out(result: Tensor, out: Tensor | None, name: str) -> Tensor:
    """Store ``result`` in ``out`` (if given) and return what the call should return."""
    if out is None:
        return result
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if grad_mode.enabled and (result.requires_grad or out.requires_grad):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support "
                           f"automatic differentiation, but one of the arguments requires "
                           f"grad.")
    if result.dtype.category > out.dtype.category:
        raise RuntimeError(f"result type {result.dtype.scalar_name} can't be cast to the "
                           f"desired output type {out.dtype.scalar_name}")
    if out.shape != result.shape:
        if out.numel() != 0:
            warnings.warn(f"An output with one or more elements was resized since it had shape "
                          f"{list(out.shape)}, which does not match the required output shape "
                          f"{list(result.shape)}. This behavior is deprecated.", UserWarning,
                          stacklevel=3)
        out._array = result._array.astype(out._array.dtype)
    else:
        out._array[...] = result._array
    out._counter().value += 1
    return out


def _check_sequence(tensors: Sequence[Tensor], name: str) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, Sequence):
        raise TypeError(f"{name}(): argument 'tensors' must be a tuple or list of Tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{name}(): expected a non-empty list of Tensors")
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}(): expected Tensor as element, but got "
                            f"{type(t).__name__}")
        if type(t._array) is not type(tensors[0]._array):
            raise _device_error(tensors[0], t)
    common = tensors[0].dtype
    for t in tensors[1:]:
        common = promote_types(common, t.dtype)
    return [t.to(common) for t in tensors]


def cat(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None,
        out: Tensor | None = None) -> Tensor:
    """Join tensors along an existing dimension ``dim`` (or NumPy's ``axis``)."""
    if axis is not None:
        dim, _ = _numpy_names("cat", dim, False, axis, None, no_dim=0)
    parts = _check_sequence(tensors, "cat")
    ndim = parts[0].ndim
    if ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    axis = _normalize_dim(dim, ndim)
    for i, t in enumerate(parts):
        if t.ndim != ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ndim} and "
                               f"{t.ndim}")
        for d in range(ndim):
            if d != axis and t.shape[d] != parts[0].shape[d]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {axis}. "
                                   f"Expected size {parts[0].shape[d]} but got size "
                                   f"{t.shape[d]} for tensor number {i} in the list.")
    return _write_out(ops.Cat.apply(*parts, dim=axis), out, "cat")


def concat(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None,
           out: Tensor | None = None) -> Tensor:
    if axis is not None:
        dim, _ = _numpy_names("concat", dim, False, axis, None, no_dim=0)
    return cat(tensors, dim, out=out)


def concatenate(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None,
                out: Tensor | None = None) -> Tensor:
    """NumPy's name for ``cat`` (documented as ``concatenate(tensors, axis=0)``)."""
    if axis is not None:
        dim, _ = _numpy_names("concatenate", dim, False, axis, None, no_dim=0)
    return cat(tensors, dim, out=out)


def stack(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None,
          out: Tensor | None = None) -> Tensor:
    """Join tensors of one shape along a new dimension ``dim``."""
    if axis is not None:
        dim, _ = _numpy_names("stack", dim, False, axis, None, no_dim=0)
    parts = _check_sequence(tensors, "stack")
    for i, t in enumerate(parts):
        if t.shape != parts[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(parts[0].shape)} at entry 0 and {list(t.shape)} at "
                               f"entry {i}")
    axis = _normalize_dim(dim, parts[0].ndim + 1)
    return _write_out(ops.Stack.apply(*parts, dim=axis), out, "stack")


# ------------------------------------------------- arithmetic with out= (torch.add(x, y, out=r))


def add(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input + (other * alpha if alpha != 1 else other), out, "add")


def sub(input: Tensor, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.sub(other, alpha=alpha), out, "sub")


def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input * other, out, "mul")


def div(input: Any, other: Any, *, rounding_mode: str | None = None,  # noqa: A002
        out: Tensor | None = None) -> Tensor:
    result = (input.div(other, rounding_mode=rounding_mode) if isinstance(input, Tensor)
              else input / other)
    return _write_out(result, out, "div")


def true_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input / other, out, "true_divide")


def pow(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A001, A002
    return _write_out(input**exponent, out, "pow")


def matmul(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.matmul(other), out, "matmul")


def mm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.mm(mat2), out, "mm")


def bmm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.bmm(mat2), out, "bmm")


def mv(input: Tensor, vec: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.mv(vec), out, "mv")


def dot(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.dot(other), out, "dot")


# ------------------------------------------------------------------- elementwise functions


def neg(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(-input, out, "neg")


def abs(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A001, A002
    return _write_out(input.abs(), out, "abs")


def exp(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.exp(), out, "exp")


def log(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.log(), out, "log")


def sqrt(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.sqrt(), out, "sqrt")


def sin(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.sin(), out, "sin")


def cos(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.cos(), out, "cos")


def tanh(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.tanh(), out, "tanh")


def sigmoid(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.sigmoid(), out, "sigmoid")


def relu(input: Tensor) -> Tensor:  # noqa: A002
    return input.relu()


def sign(input: Tensor) -> Tensor:  # noqa: A002
    return input.sign()


def square(input: Tensor) -> Tensor:  # noqa: A002
    return input.square()


def clamp(input: Tensor, min: Any = None, max: Any = None, *,  # noqa: A002
          out: Tensor | None = None) -> Tensor:
    return _write_out(input.clamp(min, max), out, "clamp")


def clip(input: Tensor, min: Any = None, max: Any = None, *,  # noqa: A002
         out: Tensor | None = None) -> Tensor:
    return clamp(input, min, max, out=out)


def maximum(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.maximum(other), out, "maximum")


def minimum(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(input.minimum(other), out, "minimum")


def softmax(input: Tensor, dim: int | None = None, dtype: Any = None, *,  # noqa: A002
            axis: int | None = None) -> Tensor:
    return input.softmax(dim, dtype, axis=axis)


def log_softmax(input: Tensor, dim: int | None = None, dtype: Any = None, *,  # noqa: A002
                axis: int | None = None) -> Tensor:
    return input.log_softmax(dim, dtype, axis=axis)


# ------------------------------------------------------------------------------ reductions


# Each also takes NumPy's names axis= and keepdims=, as PyTorch does (the method resolves them).


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001, A002
        dtype: Any = None, axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return input.sum(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
         dtype: Any = None, axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return input.mean(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)


def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
         axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return input.prod(dim, keepdim, axis=axis, keepdims=keepdims)


def max(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001, A002
        axis: Any = None, keepdims: bool | None = None) -> Any:
    return input.max(dim, keepdim, axis=axis, keepdims=keepdims)


def min(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001, A002
        axis: Any = None, keepdims: bool | None = None) -> Any:
    return input.min(dim, keepdim, axis=axis, keepdims=keepdims)


def amax(input: Tensor, dim: Any = (), keepdim: bool = False, *,  # noqa: A002
         axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return input.amax(dim, keepdim, axis=axis, keepdims=keepdims)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False, *,  # noqa: A002
         axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return input.amin(dim, keepdim, axis=axis, keepdims=keepdims)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
           axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return input.argmax(dim, keepdim, axis=axis, keepdims=keepdims)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
           axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return input.argmin(dim, keepdim, axis=axis, keepdims=keepdims)


def var(input: Tensor, dim: Any = None, unbiased: bool | None = None,  # noqa: A002
        keepdim: bool = False, *, correction: int | None = None, axis: Any = None,
        keepdims: bool | None = None) -> Tensor:
    return input.var(dim, unbiased, keepdim, correction=correction, axis=axis,
                     keepdims=keepdims)


def std(input: Tensor, dim: Any = None, unbiased: bool | None = None,  # noqa: A002
        keepdim: bool = False, *, correction: int | None = None, axis: Any = None,
        keepdims: bool | None = None) -> Tensor:
    return input.std(dim, unbiased, keepdim, correction=correction, axis=axis,
                     keepdims=keepdims)


def norm(input: Tensor, p: Any = 2, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.norm(p, dim, keepdim)


def logsumexp(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
              axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return input.logsumexp(dim, keepdim, axis=axis, keepdims=keepdims)


def all(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001, A002
        axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return input.all(dim, keepdim, axis=axis, keepdims=keepdims)


def any(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001, A002
        axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return input.any(dim, keepdim, axis=axis, keepdims=keepdims)


def count_nonzero(input: Tensor, dim: Any = None, *, axis: Any = None) -> Tensor:  # noqa: A002
    return input.count_nonzero(dim, axis=axis)


# --------------------------------------------------------------------------- shape functions


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:  # noqa: A002
    return input.reshape(shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    return input.flatten(start_dim, end_dim)


def squeeze(input: Tensor, dim: Any = None, *, axis: Any = None) -> Tensor:  # noqa: A002
    return input.squeeze(dim, axis=axis)


def unsqueeze(input: Tensor, dim: int | None = None, *,  # noqa: A002
              axis: int | None = None) -> Tensor:
    return input.unsqueeze(dim, axis=axis)


def permute(input: Tensor, dims: Sequence[int]) -> Tensor:  # noqa: A002
    return input.permute(dims)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    return input.transpose(dim0, dim1)


def t(input: Tensor) -> Tensor:  # noqa: A002
    return input.t()


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    return tensor.split(split_size_or_sections, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0, *,  # noqa: A002
          axis: int | None = None) -> tuple[Tensor, ...]:
    return input.chunk(chunks, dim, axis=axis)


def unbind(input: Tensor, dim: int = 0, *,  # noqa: A002
           axis: int | None = None) -> tuple[Tensor, ...]:
    return input.unbind(dim, axis=axis)


def gather(input: Tensor, dim: int | None = None, index: Tensor | None = None, *,  # noqa: A002
           axis: int | None = None) -> Tensor:
    return input.gather(dim, index, axis=axis)


def flip(input: Tensor, dims: Sequence[int]) -> Tensor:  # noqa: A002
    return input.flip(dims)


def numel(input: Tensor) -> int:  # noqa: A002
    return input.numel()


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:  # noqa: A002
    return input.is_floating_point()


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    return input.equal(other)


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05,  # noqa: A002
             atol: float = 1e-08) -> bool:
    return input.allclose(other, rtol, atol)


def clone(input: Tensor) -> Tensor:  # noqa: A002
    return input.clone()


def detach(input: Tensor) -> Tensor:  # noqa: A002
    return input.detach()



# ---------------------------------------------------- function forms of more Tensor methods
# ``torch.eq(x, y)`` is ``x.eq(y)``: each calls the method (so the value, dtype and gradient
# are the method's), takes ``out=`` where PyTorch does, and refuses a non-tensor ``input``
# with PyTorch's TypeError.


def _input(input: Any, name: str) -> Tensor:  # noqa: A002
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return input


def eq(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "eq").eq(other), out, "eq")


def ne(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "ne").ne(other), out, "ne")


def not_equal(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "not_equal").ne(other), out, "not_equal")


def lt(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "lt").lt(other), out, "lt")


def less(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "less").lt(other), out, "less")


def le(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "le").le(other), out, "le")


def less_equal(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "less_equal").le(other), out, "less_equal")


def gt(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "gt").gt(other), out, "gt")


def greater(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "greater").gt(other), out, "greater")


def ge(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "ge").ge(other), out, "ge")


def greater_equal(input: Tensor, other: Any, *,  # noqa: A002
                  out: Tensor | None = None) -> Tensor:
    return _write_out(_input(input, "greater_equal").ge(other), out, "greater_equal")


def isnan(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "isnan").isnan()


def isinf(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "isinf").isinf()


def isfinite(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "isfinite").isfinite()


def logical_not(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "logical_not").logical_not(), out, "logical_not")


def logical_and(input: Tensor, other: Tensor, *,  # noqa: A002
                out: Tensor | None = None) -> Tensor:
    return _write_out(_input(input, "logical_and").logical_and(other), out, "logical_and")


def logical_or(input: Tensor, other: Tensor, *,  # noqa: A002
               out: Tensor | None = None) -> Tensor:
    return _write_out(_input(input, "logical_or").logical_or(other), out, "logical_or")


def logical_xor(input: Tensor, other: Tensor, *,  # noqa: A002
                out: Tensor | None = None) -> Tensor:
    return _write_out(_input(input, "logical_xor").logical_xor(other), out, "logical_xor")


def round(input: Tensor, *, decimals: int = 0,  # noqa: A001, A002
          out: Tensor | None = None) -> Tensor:
    return _write_out(_input(input, "round").round(decimals=decimals), out, "round")


def floor(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "floor").floor(), out, "floor")


def ceil(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "ceil").ceil(), out, "ceil")


def trunc(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "trunc").trunc(), out, "trunc")


def fix(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "fix").trunc(), out, "fix")


def log2(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "log2").log2(), out, "log2")


def log10(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "log10").log10(), out, "log10")


def rsqrt(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "rsqrt").rsqrt(), out, "rsqrt")


def reciprocal(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "reciprocal").reciprocal(), out, "reciprocal")


def tan(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "tan").tan(), out, "tan")


def absolute(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "absolute").abs(), out, "absolute")


def negative(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(-_input(input, "negative"), out, "negative")


def multiply(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "multiply") * other, out, "multiply")


def divide(input: Tensor, other: Any, *, rounding_mode: str | None = None,  # noqa: A002
           out: Tensor | None = None) -> Tensor:
    result = _input(input, "divide").div(other, rounding_mode=rounding_mode)
    return _write_out(result, out, "divide")


def subtract(input: Tensor, other: Any, *, alpha: Any = 1,  # noqa: A002
             out: Tensor | None = None) -> Tensor:
    return _write_out(_input(input, "subtract").sub(other, alpha=alpha), out, "subtract")


def lerp(input: Tensor, end: Tensor, weight: Any, *,  # noqa: A002
         out: Tensor | None = None) -> Tensor:
    return _write_out(_input(input, "lerp").lerp(end, weight), out, "lerp")


def clamp_min(input: Tensor, min: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "clamp_min").clamp_min(min), out, "clamp_min")


def clamp_max(input: Tensor, max: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "clamp_max").clamp_max(max), out, "clamp_max")


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:  # noqa: A002
    return _input(input, "masked_fill").masked_fill(mask, value)


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:  # noqa: A002
    return _input(input, "swapaxes").transpose(axis0, axis1)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    return _input(input, "swapdims").transpose(dim0, dim1)


def narrow(input: Tensor, dim: int | None = None, start: int | None = None,  # noqa: A002
           length: int | None = None, *, axis: int | None = None) -> Tensor:
    return _input(input, "narrow").narrow(dim, start, length, axis=axis)


def select(input: Tensor, dim: int | None = None, index: int | None = None, *,  # noqa: A002
           axis: int | None = None) -> Tensor:
    return _input(input, "select").select(dim, index, axis=axis)


def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:  # noqa: A002
    return _input(input, "broadcast_to").broadcast_to(size)


def unflatten(input: Tensor, dim: int | None = None, sizes: Sequence[int] | None = None,  # noqa: A002
              *, axis: int | None = None) -> Tensor:
    if dim is None or axis is not None:
        dim, _ = _numpy_names("unflatten", dim, False, axis, None, required=True)
    return _input(input, "unflatten").unflatten(dim, _required("unflatten", "sizes", sizes))


# In-place function forms (torch.relu_(x) is x.relu_()): the method's checks and version bump.


def abs_(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "abs_").abs_()


def neg_(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "neg_").neg_()


def exp_(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "exp_").exp_()


def sqrt_(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "sqrt_").sqrt_()


def relu_(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "relu_").relu_()


def sigmoid_(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "sigmoid_").sigmoid_()


def tanh_(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "tanh_").tanh_()


def clamp_(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    return _input(input, "clamp_").clamp_(min, max)


def clip_(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    return _input(input, "clip_").clamp_(min, max)


def fill_(input: Tensor, value: Any) -> Tensor:  # noqa: A002
    return _input(input, "fill_").fill_(value)


def zero_(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "zero_").zero_()


def detach_(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "detach_").detach_()


# ---------------------------------------------------------------------- more operations
# The torch.xxx forms of cumsum, sort, scatter, tril, roll, atan2 ... (primitives in
# ops_more.py), and einsum, hstack, vstack, dstack, column_stack, which have no Tensor method.


def _write_out_pair(result: ValuesIndices, out: Any, name: str) -> ValuesIndices:
    """``(values, indices)`` written into ``out``, a pair of tensors (sort, topk ...)."""
    if out is None:
        return result
    if not isinstance(out, tuple | list) or len(out) != 2:
        raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors")
    values = _write_out(result[0], out[0], name)
    indices = _write_out(result[1], out[1], name)
    return ValuesIndices(f"{name}_out", values, indices)


def cumsum(input: Tensor, dim: int | None = None, *, dtype: Any = None,  # noqa: A002
           out: Tensor | None = None, axis: int | None = None) -> Tensor:
    return _write_out(_input(input, "cumsum").cumsum(dim, dtype, axis=axis), out, "cumsum")


def cumprod(input: Tensor, dim: int | None = None, *, dtype: Any = None,  # noqa: A002
            out: Tensor | None = None, axis: int | None = None) -> Tensor:
    return _write_out(_input(input, "cumprod").cumprod(dim, dtype, axis=axis), out, "cumprod")


def sort(input: Tensor, dim: int = -1, descending: bool = False, *,  # noqa: A002
         stable: bool = False, out: Any = None, axis: int | None = None) -> ValuesIndices:
    result = _input(input, "sort").sort(dim, descending, stable=stable, axis=axis)
    return _write_out_pair(result, out, "sort")


def argsort(input: Tensor, dim: int = -1, descending: bool = False, *,  # noqa: A002
            stable: bool = False, axis: int | None = None) -> Tensor:
    return _input(input, "argsort").argsort(dim, descending, stable=stable, axis=axis)


def topk(input: Tensor, k: int, dim: int | None = None, largest: bool = True,  # noqa: A002
         sorted: bool = True, *, out: Any = None,  # noqa: A002
         axis: int | None = None) -> ValuesIndices:
    result = _input(input, "topk").topk(k, dim, largest, sorted, axis=axis)
    return _write_out_pair(result, out, "topk")


def kthvalue(input: Tensor, k: int, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
             out: Any = None, axis: int | None = None,
             keepdims: bool | None = None) -> ValuesIndices:
    result = _input(input, "kthvalue").kthvalue(k, dim, keepdim, axis=axis, keepdims=keepdims)
    return _write_out_pair(result, out, "kthvalue")


def median(input: Tensor, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
           out: Any = None, axis: int | None = None, keepdims: bool | None = None) -> Any:
    result = _input(input, "median").median(dim, keepdim, axis=axis, keepdims=keepdims)
    if isinstance(result, ValuesIndices):
        return _write_out_pair(result, out, "median")
    return _write_out(result, out, "median")


def scatter(input: Tensor, dim: int | None = None, index: Tensor | None = None,  # noqa: A002
            src: Any = None, *, value: Any = None, reduce: str | None = None,
            axis: int | None = None) -> Tensor:
    return _input(input, "scatter").scatter(dim, index, src, value=value, reduce=reduce,
                                            axis=axis)


def scatter_add(input: Tensor, dim: int | None = None, index: Tensor | None = None,  # noqa: A002
                src: Tensor | None = None, *, axis: int | None = None) -> Tensor:
    return _input(input, "scatter_add").scatter_add(dim, index, src, axis=axis)


def index_select(input: Tensor, dim: int | None = None, index: Tensor | None = None, *,  # noqa: A002
                 out: Tensor | None = None, axis: int | None = None) -> Tensor:
    result = _input(input, "index_select").index_select(dim, index, axis=axis)
    return _write_out(result, out, "index_select")


def masked_select(input: Tensor, mask: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "masked_select").masked_select(mask), out, "masked_select")


def nonzero(input: Tensor, *, out: Tensor | None = None, as_tuple: bool = False) -> Any:  # noqa: A002
    result = _input(input, "nonzero").nonzero(as_tuple=as_tuple)
    return result if as_tuple else _write_out(result, out, "nonzero")


def argwhere(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "argwhere").argwhere()


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None) -> Any:
    return _input(input, "unique").unique(sorted, return_inverse, return_counts, dim)


def tril(input: Tensor, diagonal: int = 0, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "tril").tril(diagonal), out, "tril")


def triu(input: Tensor, diagonal: int = 0, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "triu").triu(diagonal), out, "triu")


def diag(input: Tensor, diagonal: int = 0, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "diag").diag(diagonal), out, "diag")


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:  # noqa: A002
    return _input(input, "diagonal").diagonal(offset, dim1, dim2)


def trace(input: Tensor) -> Tensor:  # noqa: A002
    return _input(input, "trace").trace()


def outer(input: Tensor, vec2: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "outer").outer(vec2), out, "outer")


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:  # noqa: A002
    return _input(input, "roll").roll(shifts, dims)


def log1p(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "log1p").log1p(), out, "log1p")


def expm1(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "expm1").expm1(), out, "expm1")


def atan2(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "atan2").atan2(other), out, "atan2")


def arctan2(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "arctan2").arctan2(other), out, "arctan2")


def hypot(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    return _write_out(_input(input, "hypot").hypot(other), out, "hypot")


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:  # noqa: A002
    return _input(input, "movedim").movedim(source, destination)


def moveaxis(input: Tensor, source: Any, destination: Any) -> Tensor:  # noqa: A002
    return _input(input, "moveaxis").movedim(source, destination)


def tile(input: Tensor, dims: Sequence[int]) -> Tensor:  # noqa: A002
    return _input(input, "tile").tile(dims)


def repeat_interleave(input: Tensor, repeats: Any, dim: int | None = None, *,  # noqa: A002
                      output_size: int | None = None) -> Tensor:
    return _input(input, "repeat_interleave").repeat_interleave(repeats, dim,
                                                                output_size=output_size)


# --------------------------------------------------------------- stacking (cat underneath)


def _at_least(tensors: Sequence[Tensor], name: str, ndim: int) -> list[Tensor]:
    """The tensors with dims of size 1 added as NumPy's atleast_1d/2d/3d add them."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, Sequence):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        f"not {type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    shaped = []
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
        if t.ndim >= ndim:
            shaped.append(t)
        elif ndim == 3 and t.ndim == 2:  # a matrix (m, n) becomes (m, n, 1)
            shaped.append(t.unsqueeze(-1))
        else:  # a number is (1, ...), a vector (n) is (1, n) or (1, n, 1)
            size = t.numel()
            shaped.append(t.reshape((1, size, 1)[:ndim] if ndim == 3 else (1,) * (ndim - 1)
                                    + (size,)))
    return shaped


def hstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Join along the columns: vectors end to end, matrices side by side."""
    parts = _at_least(tensors, "hstack", 1)
    return cat(parts, 0 if parts[0].ndim == 1 else 1, out=out)


def vstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Join along the rows (vectors become rows)."""
    return cat(_at_least(tensors, "vstack", 2), 0, out=out)


def dstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Join along the third dim (depth), after making every tensor at least 3-d."""
    return cat(_at_least(tensors, "dstack", 3), 2, out=out)


def column_stack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Join as columns: numbers and vectors become columns, matrices stay as they are."""
    parts = _at_least(tensors, "column_stack", 0)
    return cat([t.reshape(t.numel(), 1) if t.ndim < 2 else t for t in parts], 1, out=out)


# ----------------------------------------------------------------------------------- einsum


def _einsum_terms(equation: str) -> tuple[list[str], str | None]:
    """The operands' subscripts and the output's (None when implicit), '...' as '.', every
    character checked as PyTorch checks it."""
    terms: list[str] = []
    current, output = "", None
    i = 0
    while i < len(equation):
        c = equation[i]
        where = "output" if output is not None else f"operand {len(terms)}"
        if c.isascii() and c.isalpha():
            current += c
        elif c == ".":
            if equation[i:i + 3] != "...":
                raise RuntimeError(f"einsum(): found '.' for {where} that is not part of any "
                                   f"ellipsis")
            if "." in current:
                raise RuntimeError(f"einsum(): found '.' for {where} for which an ellipsis "
                                   f"was already found")
            current += "."
            i += 2
        elif c == "," and output is None:
            terms.append(current)
            current = ""
        elif c == "-" and output is None and equation[i + 1:i + 2] == ">":
            terms.append(current)
            current, output = "", ""
            i += 1
        elif c != " ":
            raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the "
                               f"equation string, subscripts must be in [a-zA-Z]")
        i += 1
    if output is None:
        terms.append(current)
        return terms, None
    return terms, current


def _einsum_subscripts(equation: str, tensors: Sequence[Tensor]) -> tuple[list[str], str]:
    """Explicit subscripts, one letter per axis: '...' becomes fresh letters (right-aligned
    across operands), the implicit output is '...' then the letters seen once, sorted."""
    terms, output = _einsum_terms(equation)
    if len(terms) > len(tensors):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           "equation")
    if len(terms) < len(tensors):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    spans = []  # how many dims each operand's '...' covers
    for i, (term, t) in enumerate(zip(terms, tensors)):
        letters = len(term.replace(".", ""))
        if "." not in term and letters != t.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({letters}) "
                               f"does not match the number of dimensions ({t.ndim}) for "
                               f"operand {i} and no ellipsis was given")
        if letters > t.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({letters}) "
                               f"is more than the number of dimensions ({t.ndim}) for operand "
                               f"{i}")
        spans.append(t.ndim - letters)
    named = "".join(terms).replace(".", "")
    widest = sorted(spans)[-1]
    fresh = "".join([c for c in string.ascii_letters if c not in named][:widest])
    inputs = [term.replace(".", fresh[widest - span:]) for term, span in zip(terms, spans)]
    if output is None:
        seen_once = [c for c in set(named) if named.count(c) == 1]
        return inputs, fresh + "".join(sorted(seen_once))
    for c in output.replace(".", ""):
        if c not in named:
            raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                               f"equation for any input operand")
        if output.count(c) > 1:
            raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the "
                               f"output")
    return inputs, output.replace(".", fresh)


def einsum(equation: str, *operands: Any) -> Tensor:
    """Sums of products named by subscripts, as NumPy's and PyTorch's einsum:
    ``einsum('ij,jk->ik', a, b)`` is ``a @ b``, ``'ii'`` a trace, ``'bij->bji'`` a batched
    transpose. The output may be implicit, ``...`` stands for the remaining dims, and dims of
    size 1 broadcast. Works one pair of operands at a time, left to right."""
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise TypeError("einsum(): the equation must be a string (the sublist form "
                        "einsum(a, [0, 1], b, [1, 2]) is not supported)")
    if not operands:
        raise ValueError("einsum(): must specify the equation string and at least one "
                         "operand, or at least one operand and its subscripts list")
    for i, t in enumerate(operands):
        if not isinstance(t, Tensor):
            raise TypeError(f"einsum(): argument 'operands' must be tuple of Tensors, but "
                            f"found element of type {type(t).__name__} at pos {i}")
        if type(t._array) is not type(operands[0]._array):
            raise _device_error(operands[0], t)
        if t.dtype is not operands[0].dtype:
            raise RuntimeError(f"expected scalar type {operands[0].dtype.scalar_name} but "
                               f"found {t.dtype.scalar_name}")
    inputs, output = _einsum_subscripts(equation, operands)
    sizes: dict[str, int] = {}
    for i, (subs, t) in enumerate(zip(inputs, operands)):
        mine: dict[str, int] = {}
        for position, (c, n) in enumerate(zip(subs, t.shape)):
            if c in mine and mine[c] != n:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {i} but "
                                   f"the sizes don't match, {n} != {mine[c]}")
            mine[c] = n
            seen = sizes.get(c, 1)
            if n != seen and n != 1 and seen != 1:
                covered = t.ndim - len(subs) + position  # '...' letters were added first
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {n} for operand {i} which does not "
                    f"broadcast with previously seen size {seen}" if c in equation else
                    f"einsum(): dimension {covered} covered by ellipsis in operand {i} has size "
                    f"{n} which does not broadcast with previously seen ellipsis with size "
                    f"{seen} for the respective dimension")
            sizes[c] = n if n != 1 else seen
    shaped = [t.expand([sizes[c] for c in subs]) if t.ndim else t
              for subs, t in zip(inputs, operands)]
    if operands[0].dtype.category != DType.FLOAT:  # as PyTorch, which sums with sum(), bmm
        if len(shaped) > 1 and operands[0].dtype.category == DType.BOOL:
            raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
        if len(shaped) == 1 and set(inputs[0]) - set(output):
            shaped = [shaped[0].long()]
    return ops_more.contract(list(zip(shaped, inputs)), output)

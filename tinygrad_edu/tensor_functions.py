"""The ``torch.xxx(tensor, ...)`` function forms: ``cat``, ``stack``, ``add(x, y, out=r)`` ...

Most are one line that calls the Tensor method. The ``out=`` argument writes the result into
an existing tensor, as PyTorch does (resizing an empty one); it cannot be used while
gradients are being recorded, again as PyTorch.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from . import ops
from .backend import promote_types
from .engine import grad_mode
from .tensor import Tensor, _device_error, _normalize_dim


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
        raise RuntimeError(f"result type {result.dtype.name.capitalize()} can't be cast to the "
                           f"desired output type {out.dtype.name.capitalize()}")
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


def cat(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """Join tensors along an existing dimension ``dim``."""
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


def concat(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    return cat(tensors, dim, out=out)


def stack(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """Join tensors of one shape along a new dimension ``dim``."""
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


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:  # noqa: A002
    return (input.to(dtype) if dtype is not None else input).softmax(dim)


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:  # noqa: A002
    return (input.to(dtype) if dtype is not None else input).log_softmax(dim)


# ------------------------------------------------------------------------------ reductions


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001, A002
        dtype: Any = None) -> Tensor:
    return input.sum(dim, keepdim, dtype=dtype)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
         dtype: Any = None) -> Tensor:
    return input.mean(dim, keepdim, dtype=dtype)


def prod(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.prod(dim, keepdim)


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    return input.max(dim, keepdim)


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    return input.min(dim, keepdim)


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.amax(dim, keepdim)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.amin(dim, keepdim)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.argmax(dim, keepdim)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.argmin(dim, keepdim)


def var(input: Tensor, dim: Any = None, unbiased: bool | None = None,  # noqa: A002
        keepdim: bool = False, *, correction: int | None = None) -> Tensor:
    return input.var(dim, unbiased, keepdim, correction=correction)


def std(input: Tensor, dim: Any = None, unbiased: bool | None = None,  # noqa: A002
        keepdim: bool = False, *, correction: int | None = None) -> Tensor:
    return input.std(dim, unbiased, keepdim, correction=correction)


def norm(input: Tensor, p: Any = 2, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.norm(p, dim, keepdim)


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.logsumexp(dim, keepdim)


def all(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A001, A002
    return input.all(dim, keepdim)


def any(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A001, A002
    return input.any(dim, keepdim)


# --------------------------------------------------------------------------- shape functions


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:  # noqa: A002
    return input.reshape(shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    return input.flatten(start_dim, end_dim)


def squeeze(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    return input.squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    return input.unsqueeze(dim)


def permute(input: Tensor, dims: Sequence[int]) -> Tensor:  # noqa: A002
    return input.permute(dims)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    return input.transpose(dim0, dim1)


def t(input: Tensor) -> Tensor:  # noqa: A002
    return input.t()


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    return tensor.split(split_size_or_sections, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    return input.chunk(chunks, dim)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    return input.unbind(dim)


def gather(input: Tensor, dim: int, index: Tensor) -> Tensor:  # noqa: A002
    return input.gather(dim, index)


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


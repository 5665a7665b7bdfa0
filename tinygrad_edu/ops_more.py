"""More primitives, written as those of ``ops.py``: scans (cumsum, cumprod), sorting and
selection (sort, topk, kthvalue, median), scatter, index_select, masked_select, triangles and
diagonals, roll, log1p, expm1, atan2, hypot and einsum.

``forward`` computes on raw arrays through ``namespace(x)`` (NumPy or CuPy), ``backward``
with Tensor operations (so that it can be differentiated again). The Tensor methods in
``tensor.py`` check the arguments, with PyTorch's messages, before calling these; the
``torch.xxx`` forms are in ``tensor_functions.py``. A few array helpers the methods share
(the order of a sort, the bounds of an index) are at the end of this module.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import numpy as np

from .backend import namespace
from .ops import Amax, Gather, Index, IndexAdd, MaxDim, ScatterAdd, Where, _array, unbroadcast
from .tensor import Function, Tensor

Array = Any  # a NumPy or CuPy array, or a Python number for a scalar operand


# ------------------------------------------------------------------------------------ scans


def _reverse_cumsum(grad: Tensor, dim: int) -> Tensor:
    """$\\sum_{i \\ge j} g_i$ along ``dim``: the adjoint of cumsum."""
    return Cumsum.apply(grad.flip(dim), dim=dim).flip(dim)


class Cumsum(Function):
    """$z_i = \\sum_{j \\le i} a_j$ along ``dim``: $da_j = \\sum_{i \\ge j} g_i$."""

    @staticmethod
    def forward(ctx: Cumsum, a: Array, dim: int) -> Array:
        ctx.dim = dim
        return namespace(a).cumsum(a, axis=dim, dtype=a.dtype) if a.ndim else a.copy()

    @staticmethod
    def backward(ctx: Cumsum, grad: Tensor) -> Tensor:
        return _reverse_cumsum(grad, ctx.dim) if grad.ndim else grad


class Cumprod(Function):
    """$z_i = \\prod_{j \\le i} a_j$ along ``dim``: $da_j = \\sum_{i \\ge j} g_i z_i / a_j$,
    computed without dividing by zero where $a$ has zeros."""

    saves = (0,)
    saves_output = True

    @staticmethod
    def forward(ctx: Cumprod, a: Array, dim: int) -> Array:
        ctx.dim = dim
        return namespace(a).cumprod(a, axis=dim, dtype=a.dtype) if a.ndim else a.copy()

    @staticmethod
    def backward(ctx: Cumprod, grad: Tensor) -> Tensor:
        a, out = ctx.saved_tensors
        if not grad.ndim:
            return grad
        zero = _array(a) == 0
        if not zero.any():
            return _reverse_cumsum(grad * out, ctx.dim) / a
        return _cumprod_grad_with_zeros(grad, a, out, zero, ctx.dim)


def _cumprod_grad_with_zeros(grad: Tensor, a: Tensor, out: Tensor, zero: Array,
                             dim: int) -> Tensor:
    """Cumprod's gradient along ``dim`` when ``a`` has zeros, $k$ the first zero of a slice:
    before $k$ the usual $\\sum_{i \\ge j} g_i z_i / a_j$; at $k$,
    $\\prod_{j < k} a_j \\sum_{i \\ge k} g_i \\prod_{k < m \\le i} a_m$; after $k$, 0 (every
    product that holds $a_j$ also holds $a_k = 0$)."""
    seen = namespace(zero).cumsum(zero, axis=dim)  # zeros up to and including each place
    before, from_first = seen == 0, seen >= 1
    first = zero & (seen == 1)
    head = Where.apply(a, 1.0, condition=before)  # a before the first zero, else 1
    usual = _reverse_cumsum(grad * out, dim) / head
    tail = Cumprod.apply(Where.apply(a, 1.0, condition=from_first & ~first), dim=dim)
    reach = Where.apply(grad * tail, 0.0, condition=from_first).sum(dim, keepdim=True)
    at_first = Where.apply(head.prod(dim, keepdim=True) * reach, 0.0, condition=first)
    return Where.apply(usual, at_first, condition=before)


# ----------------------------------------------------------------------- sort and selection


class Sort(Function):
    """$z$ = ``a`` reordered along ``dim`` by ``index`` (the caller's argsort): each value's
    gradient goes back to the place it came from."""

    @staticmethod
    def forward(ctx: Sort, a: Array, dim: int, index: Array) -> Array:
        ctx.dim, ctx.index = dim, index
        return namespace(a).take_along_axis(a, index, axis=dim) if a.ndim else a.copy()

    @staticmethod
    def backward(ctx: Sort, grad: Tensor) -> Tensor:
        if not grad.ndim:
            return grad
        return ScatterAdd.apply(grad, dim=ctx.dim, index=ctx.index, shape=ctx.input_shape(0))


class Topk(Sort):
    """$z$ = the first $k$ values of ``a``'s order along ``dim``: the rest get no gradient."""


class Kthvalue(MaxDim):
    """$z$ = the $k$-th smallest value along ``dim``, at ``index``: it takes the gradient."""

    def name(self) -> str:
        return "KthvalueBackward0"


class MedianDim(MaxDim):
    """$z$ = the lower median along ``dim``, at ``index``: it takes the gradient."""

    def name(self) -> str:
        return "MedianBackward1"


class Median(Amax):
    """$z$ = the lower median of all elements (NaN when there is one): tied elements share
    the gradient equally, as for ``max()``."""

    @staticmethod
    def forward(ctx: Amax, a: Array) -> Array:
        xp = namespace(a)
        flat = a.reshape(-1)
        if flat.size == 0:
            return xp.full((), xp.nan, dtype=a.dtype)
        middle = (flat.size - 1) // 2
        if a.dtype.kind == "f" and bool(xp.isnan(flat).any()):
            return xp.full((), xp.nan, dtype=a.dtype)
        return xp.partition(flat, middle)[middle]

    @staticmethod
    def backward(ctx: Amax, grad: Tensor) -> Tensor:
        if 0 in ctx.input_shape(0):  # no elements: nothing to share (and no 0 / 0)
            return Tensor._wrap(namespace(grad._array).zeros(ctx.input_shape(0), grad.dtype.numpy))
        return Amax.backward(ctx, grad)

    def name(self) -> str:
        return "MedianBackward0"


# ---------------------------------------------------------------------------------- scatter


def _grid(index: Array, dim: int) -> tuple[Array, ...]:
    """The places ``index`` names: ``index`` along ``dim``, a broadcasting range along each
    other axis (what ``np.indices(sparse=True)`` gives; CuPy lacks it)."""
    xp = namespace(index)
    grid = [xp.arange(n).reshape([-1 if d == axis else 1 for d in range(index.ndim)])
            for axis, n in enumerate(index.shape)]
    if index.ndim:
        grid[dim] = index
    return tuple(grid)


def _window(src: Array, shape: tuple[int, ...]) -> Array:
    """The leading corner of ``src`` that an index of ``shape`` reads (``src`` may be larger)."""
    return src[tuple(slice(0, n) for n in shape)]


def _gathered(grad: Tensor, ctx: Function, input_index: int) -> Tensor:
    """The gradient of a scattered ``src``: ``grad`` gathered at the index, padded with zeros
    to ``src``'s shape where ``src`` is larger than the index."""
    index = ctx.index
    picked = Gather.apply(grad, dim=ctx.dim, index=index) if index.ndim else grad
    shape = ctx.input_shape(input_index)
    if picked.shape == shape:
        return picked
    return IndexAdd.apply(picked, key=tuple(slice(0, n) for n in index.shape), shape=shape)


class Scatter(Function):
    """$z = a$, then $z_{..index_{..j..}..} = s_{..j..}$ along ``dim`` ($s$ a tensor or a
    number): $a$ gets $g$ where nothing was written, $s$ gets $g$ gathered at ``index``."""

    @staticmethod
    def forward(ctx: Scatter, a: Array, src: Array, dim: int, index: Array) -> Array:
        ctx.dim, ctx.index = dim, index
        ctx.number_src = not hasattr(src, "shape")
        out = a.copy()
        out[_grid(index, dim)] = src if ctx.number_src else _window(src, index.shape)
        return out

    @staticmethod
    def backward(ctx: Scatter, grad: Tensor) -> tuple[Tensor | None, ...]:
        grad_a = grad_src = None
        if ctx.needs_input_grad[0]:
            grad_a = Scatter.apply(grad, 0.0, dim=ctx.dim, index=ctx.index)
        if ctx.needs_input_grad[1]:
            grad_src = _gathered(grad, ctx, 1)
        return grad_a, grad_src

    def name(self) -> str:
        return "ScatterBackward1" if self.number_src else "ScatterBackward0"


class ScatterAddInto(Function):
    """$z = a$, then $z_{..index_{..j..}..} \\mathrel{+}= s_{..j..}$ along ``dim`` (repeated
    places add up): $a$ gets $g$, $s$ gets $g$ gathered at ``index``."""

    backward_name = "ScatterAddBackward0"

    @staticmethod
    def forward(ctx: ScatterAddInto, a: Array, src: Array, dim: int, index: Array) -> Array:
        ctx.dim, ctx.index = dim, index
        out = a.copy()
        namespace(a).add.at(out, _grid(index, dim), _window(src, index.shape))
        return out

    @staticmethod
    def backward(ctx: ScatterAddInto, grad: Tensor) -> tuple[Tensor | None, ...]:
        grad_src = _gathered(grad, ctx, 1) if ctx.needs_input_grad[1] else None
        return grad, grad_src


def scatter_reduce_array(a: Array, src: Array, dim: int, index: Array, reduce: str) -> Array:
    """``a`` with ``src`` added (``reduce='add'``) or multiplied in at ``index``, repeated
    places included. CuPy has ``add.at`` but no ``multiply.at``: products go in rounds, each
    multiplying every place at most once (as many rounds as a place is named)."""
    xp = namespace(a)
    out = a.copy()
    key = _grid(index, dim)
    values = src if not hasattr(src, "shape") else _window(src, index.shape)
    if reduce == "add":
        xp.add.at(out, key, values)
        return out
    strides = [1] * a.ndim
    for axis in range(a.ndim - 2, -1, -1):
        strides[axis] = strides[axis + 1] * a.shape[axis + 1]
    places = sum((k * s for k, s in zip(key, strides)), xp.zeros(index.shape, dtype=index.dtype))
    places = places.reshape(-1)
    values = xp.broadcast_to(xp.asarray(values, dtype=a.dtype), index.shape).reshape(-1)
    order = xp.argsort(places, kind="stable")
    places, values = places[order], values[order]
    rank = xp.arange(places.size) - xp.searchsorted(places, places, side="left")
    flat = out.reshape(-1)  # a fresh copy: reshape is a view, writes land in out
    for r in range(int(rank.max()) + 1 if rank.size else 0):
        chosen = rank == r
        flat[places[chosen]] = flat[places[chosen]] * values[chosen]
    return out


class NotDifferentiable(Function):
    """$z = f(a, \\dots)$ for an operation PyTorch records but has no derivative for (scatter
    with ``reduce=``, unique): the node is in the graph, and its backward raises PyTorch's
    error."""

    @staticmethod
    def forward(ctx: NotDifferentiable, *arrays: Array, compute: Callable[..., Array],
                node_name: str, error: tuple[type[Exception], str]) -> Array:
        ctx.node_name, ctx.error = node_name, error
        return compute(*arrays)

    @staticmethod
    def backward(ctx: NotDifferentiable, grad: Tensor) -> tuple[Tensor | None, ...]:
        kind, message = ctx.error
        raise kind(message)

    def name(self) -> str:
        return str(self.node_name)


# ----------------------------------------------------------------------------- selection


class IndexSelect(Function):
    """$z$ = the slices ``index`` of ``a`` along ``dim``: their gradients are added back."""

    @staticmethod
    def forward(ctx: IndexSelect, a: Array, dim: int, index: Array) -> Array:
        ctx.dim, ctx.index = dim, index
        return namespace(a).take(a, index, axis=dim) if a.ndim else a.copy()  # 0-d: itself

    @staticmethod
    def backward(ctx: IndexSelect, grad: Tensor) -> Tensor:
        if not grad.ndim:
            return grad
        key = (slice(None),) * ctx.dim + (ctx.index,)
        return IndexAdd.apply(grad, key=key, shape=ctx.input_shape(0))


class MaskedSelect(Index):
    """$z$ = the elements of ``a`` where the (broadcast) mask is true, as a vector."""

    def name(self) -> str:
        return "MaskedSelectBackward0"


# ------------------------------------------------------------------- triangles, diagonals


class Tril(Function):
    """$z_{..ij} = a_{..ij}$ where $j - i \\le k$, else 0: $da = \\operatorname{tril}(g)$."""

    @staticmethod
    def forward(ctx: Tril, a: Array, diagonal: int) -> Array:
        ctx.diagonal = diagonal
        return namespace(a).tril(a, diagonal)

    @staticmethod
    def backward(ctx: Tril, grad: Tensor) -> Tensor:
        return Tril.apply(grad, diagonal=ctx.diagonal)


class Triu(Function):
    """$z_{..ij} = a_{..ij}$ where $j - i \\ge k$, else 0: $da = \\operatorname{triu}(g)$."""

    @staticmethod
    def forward(ctx: Triu, a: Array, diagonal: int) -> Array:
        ctx.diagonal = diagonal
        return namespace(a).triu(a, diagonal)

    @staticmethod
    def backward(ctx: Triu, grad: Tensor) -> Tensor:
        return Triu.apply(grad, diagonal=ctx.diagonal)


class Diagonal(Function):
    """$z_{..i} = a_{..i..i+k..}$: the ``offset`` diagonal of dims ``dim1``, ``dim2``, as a
    new last axis; the gradient goes back onto that diagonal (``DiagEmbed``)."""

    @staticmethod
    def forward(ctx: Diagonal, a: Array, offset: int, dim1: int, dim2: int) -> Array:
        ctx.offset, ctx.dim1, ctx.dim2 = offset, dim1, dim2
        out = namespace(a).diagonal(a, offset, dim1, dim2)
        if isinstance(out, np.ndarray) and a.flags.writeable:
            out.flags.writeable = True  # NumPy hands diagonals out read-only; PyTorch's
        return out  # can be written through (x.diagonal().fill_(1) sets x's diagonal)

    @staticmethod
    def backward(ctx: Diagonal, grad: Tensor) -> Tensor:
        return DiagEmbed.apply(grad, offset=ctx.offset, dim1=ctx.dim1, dim2=ctx.dim2,
                               shape=ctx.input_shape(0))


class DiagonalCopy(Diagonal):
    """``Diagonal`` in new memory (``torch.diag`` of a matrix)."""

    backward_name = "DiagonalBackward0_copy"

    @staticmethod
    def forward(ctx: Diagonal, a: Array, offset: int, dim1: int, dim2: int) -> Array:
        return Diagonal.forward(ctx, a, offset, dim1, dim2).copy()


class DiagEmbed(Function):
    """$z$ = zeros of ``shape`` with $g$ (its last axis) on the ``offset`` diagonal of dims
    ``dim1``, ``dim2``: $dg$ is that diagonal of the gradient."""

    @staticmethod
    def forward(ctx: DiagEmbed, g: Array, offset: int, dim1: int, dim2: int,
                shape: tuple[int, ...]) -> Array:
        ctx.offset, ctx.dim1, ctx.dim2 = offset, dim1, dim2
        xp = namespace(g)
        out = xp.zeros(shape, dtype=g.dtype)
        steps = xp.arange(g.shape[-1])
        rows, cols = steps + max(-offset, 0), steps + max(offset, 0)
        xp.moveaxis(out, (dim1, dim2), (-2, -1))[..., rows, cols] = g  # a view: writes out
        return out

    @staticmethod
    def backward(ctx: DiagEmbed, grad: Tensor) -> Tensor:
        return Diagonal.apply(grad, offset=ctx.offset, dim1=ctx.dim1, dim2=ctx.dim2)


class Trace(Function):
    """$z = \\sum_i a_{ii}$: $da$ is $g$ on the diagonal, 0 elsewhere."""

    @staticmethod
    def forward(ctx: Trace, a: Array) -> Array:
        return namespace(a).trace(a)

    @staticmethod
    def backward(ctx: Trace, grad: Tensor) -> Tensor:
        shape = ctx.input_shape(0)
        return DiagEmbed.apply(grad.expand(min(shape)), offset=0, dim1=0, dim2=1, shape=shape)


class Roll(Function):
    """$z$ = ``a`` shifted cyclically by ``shifts`` along ``dims`` (all elements in order when
    ``dims`` is None): the gradient is shifted back."""

    @staticmethod
    def forward(ctx: Roll, a: Array, shifts: tuple[int, ...],
                dims: tuple[int, ...] | None) -> Array:
        ctx.shifts, ctx.dims = shifts, dims
        return namespace(a).roll(a, shifts if dims is not None else shifts[0], axis=dims)

    @staticmethod
    def backward(ctx: Roll, grad: Tensor) -> Tensor:
        return Roll.apply(grad, shifts=tuple(-s for s in ctx.shifts), dims=ctx.dims)


# ------------------------------------------------------------------------------ elementwise


class Log1p(Function):
    """$z = \\ln(1 + a)$, exact for small $a$: $dz/da = 1 / (1 + a)$."""

    backward_name = "Log1PBackward0"
    saves = (0,)

    @staticmethod
    def forward(ctx: Log1p, a: Array) -> Array:
        return namespace(a).log1p(a)

    @staticmethod
    def backward(ctx: Log1p, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return grad / (a + 1)


class Expm1(Function):
    """$z = e^a - 1$, exact for small $a$: $dz/da = e^a = z + 1$."""

    saves_output = True

    @staticmethod
    def forward(ctx: Expm1, a: Array) -> Array:
        return namespace(a).expm1(a)

    @staticmethod
    def backward(ctx: Expm1, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        return grad * (out + 1)


class Atan2(Function):
    """$z = \\operatorname{atan2}(a, b)$, the angle of $(b, a)$: $dz/da = b / (a^2 + b^2)$,
    $dz/db = -a / (a^2 + b^2)$, both 0 at the origin (as PyTorch)."""

    saves = (0, 1)

    @staticmethod
    def forward(ctx: Atan2, a: Array, b: Array) -> Array:
        return namespace(a).arctan2(a, b)

    @staticmethod
    def backward(ctx: Atan2, grad: Tensor) -> tuple[Tensor | None, ...]:
        a, b = ctx.saved_tensors
        squares = a * a + b * b
        origin = _array(squares) == 0
        inverse = Where.apply(0.0, 1 / Where.apply(1.0, squares, condition=origin),
                              condition=origin)
        grad_a = unbroadcast(grad * b * inverse, ctx, 0) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(-grad * a * inverse, ctx, 1) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Hypot(Function):
    """$z = \\sqrt{a^2 + b^2}$ without overflow: $dz/da = a / z$, $dz/db = b / z$."""

    saves = (0, 1)
    saves_output = True

    @staticmethod
    def forward(ctx: Hypot, a: Array, b: Array) -> Array:
        return namespace(a).hypot(a, b)

    @staticmethod
    def backward(ctx: Hypot, grad: Tensor) -> tuple[Tensor | None, ...]:
        a, b, out = ctx.saved_tensors
        grad_a = unbroadcast(grad * a / out, ctx, 0) if ctx.needs_input_grad[0] else None
        grad_b = unbroadcast(grad * b / out, ctx, 1) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


# ---------------------------------------------------------------------------------- einsum
# ``einsum`` in tensor_functions.py turns PyTorch's equation (implicit output, '...', size-1
# broadcasting) into explicit subscripts, one letter per axis and every letter of one size;
# ``contract`` then works one pair of operands at a time, each pair a primitive below.


class Einsum1(Function):
    """$z$ = ``einsum(equation, a)`` for one operand (a transpose, diagonal or sum): the
    gradient is spread back over $a$'s subscripts."""

    backward_name = "EinsumBackward0"

    @staticmethod
    def forward(ctx: Einsum1, a: Array, equation: str) -> Array:
        ctx.equation = equation
        return namespace(a).einsum(equation, a).copy()  # NumPy may give a view of a

    @staticmethod
    def backward(ctx: Einsum1, grad: Tensor) -> Tensor:
        inputs, output = ctx.equation.split("->")
        return _einsum_grad(grad, output, [], inputs, ctx.input_shape(0))


class Einsum(Function):
    """$z$ = ``einsum(equation, a, b)``: each operand's gradient is the einsum of $g$ with
    the other operand, back to the operand's subscripts."""

    saves = (0, 1)
    saves_only_for = {0: 1, 1: 0}  # noqa: RUF012 (read-only)

    @staticmethod
    def forward(ctx: Einsum, a: Array, b: Array, equation: str) -> Array:
        ctx.equation = equation
        return namespace(a).einsum(equation, a, b)

    @staticmethod
    def backward(ctx: Einsum, grad: Tensor) -> tuple[Tensor | None, ...]:
        a, b = ctx.saved_tensors
        inputs, output = ctx.equation.split("->")
        subs_a, subs_b = inputs.split(",")
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = _einsum_grad(grad, output, [(b, subs_b)], subs_a, ctx.input_shape(0))
        if ctx.needs_input_grad[1]:
            grad_b = _einsum_grad(grad, output, [(a, subs_a)], subs_b, ctx.input_shape(1))
        return grad_a, grad_b


def contract(operands: list[tuple[Tensor, str]], output: str) -> Tensor:
    """``einsum`` of ``operands`` (each with its explicit subscripts) into ``output``, one pair
    at a time from the left; a letter is kept while the output or a later operand has it."""
    current, subs = operands[0]
    if len(operands) == 1:
        return Einsum1.apply(current, equation=f"{subs}->{output}")
    for position in range(1, len(operands)):
        operand, other = operands[position]
        later = set(output).union(*(s for _, s in operands[position + 1:]))
        keep = output if position == len(operands) - 1 else "".join(
            dict.fromkeys(letter for letter in subs + other if letter in later))
        current = Einsum.apply(current, operand, equation=f"{subs},{other}->{keep}")
        subs = keep
    return current


def _einsum_grad(grad: Tensor, output: str, others: list[tuple[Tensor, str]], subs: str,
                 shape: tuple[int, ...]) -> Tensor:
    """The gradient of the operand with subscripts ``subs``: the einsum of ``grad`` with the
    ``others`` into ``subs``. A repeated letter (a diagonal, 'ii') becomes a fresh letter tied
    to the first by an identity matrix; a letter nowhere else (summed over this operand alone)
    comes from a vector of ones."""
    xp = namespace(grad._array)
    sizes = dict(zip(subs, shape))
    elsewhere = set(output).union(*(s for _, s in others))
    unused = iter(c for c in string.ascii_letters if c not in elsewhere and c not in subs)
    operands = [(grad, output), *others]
    target = ""
    for letter in subs:
        if letter in target:
            fresh = next(unused)
            eye = xp.eye(sizes[letter], dtype=grad._array.dtype)
            operands.append((Tensor._wrap(eye), letter + fresh))
            target += fresh
            continue
        if letter not in elsewhere and subs.count(letter) == 1:
            ones = xp.ones(sizes[letter], dtype=grad._array.dtype)
            operands.append((Tensor._wrap(ones), letter))
        target += letter
    if len(operands) == 1 and target == output:
        return grad
    return contract(operands, target)


# ------------------------------------------------------------------- helpers of the methods


def sort_order(a: Array, dim: int, descending: bool) -> Array:
    """The stable order of ``a`` along ``dim`` (int64), NaN counting as the largest value (as
    PyTorch): descending, equal values keep their order too."""
    xp = namespace(a)
    if not descending:
        return xp.argsort(a, axis=dim, kind="stable").astype("int64", copy=False)
    # sort the reversed slices ascending, then reverse that order: ties stay in order
    order = xp.argsort(xp.flip(a, axis=dim), axis=dim, kind="stable")
    return xp.flip(a.shape[dim] - 1 - order, axis=dim).astype("int64", copy=False)


def kth_order(a: Array, dim: int, k: int) -> Array:
    """The index (kept as a size-1 axis) of the ``k``-th smallest value along ``dim``
    (``k`` from 1; NaN counts as the largest)."""
    order = sort_order(a, dim, descending=False)
    return order[(slice(None),) * dim + (slice(k - 1, k),)]


def median_order(a: Array, dim: int) -> Array:
    """The index (a size-1 axis) of the lower median along ``dim``; a slice with a NaN gives
    its first NaN, as PyTorch."""
    index = kth_order(a, dim, (a.shape[dim] + 1) // 2)
    if a.dtype.kind != "f":
        return index
    xp = namespace(a)
    nan = xp.isnan(a)
    first_nan = nan.argmax(axis=dim, keepdims=True)
    return xp.where(nan.any(axis=dim, keepdims=True), first_nan, index)


def first_out_of_range(index: Array, size: int) -> int | None:
    """The first entry of ``index`` outside ``[0, size)`` (negative ones too), or None."""
    bad = (index < 0) | (index >= size)
    if not bad.any():
        return None
    return int(index.reshape(-1)[bad.reshape(-1).argmax()])

"""``Tensor``: an array (NumPy or CuPy) plus what autograd needs, with PyTorch's API.

A tensor made by a recorded operation has ``grad_fn``, the ``Function`` node that made it.
``Function.apply`` is where recording happens: it runs ``forward`` on raw arrays and, when
grad mode is on and an input requires grad, links the new node to its inputs' nodes.

The primitives themselves live in ``ops.py``; this module turns Python syntax (``a + b``,
``a[0]``, ``a.sum(dim=1)``) into calls to them, applying PyTorch's dtype promotion, argument
checks and error messages on the way.
"""

from __future__ import annotations

import builtins
import math
import warnings
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np

from . import backend, printing
from .backend import dtype as DType
from .engine import AccumulateGrad, Node, RemovableHandle, grad_mode, run_backward

Scalar = int | float | bool
ShapeLike = int | Sequence[int]
_NUMBER_TYPES = (bool, int, float, np.generic)  # built once: `bool | int ...` inline costs
_T = TypeVar("_T")


class Size(tuple):  # type: ignore[type-arg]
    """A tensor's shape: a tuple, printed like ``torch.Size([3, 5])``."""

    def __repr__(self) -> str:
        return f"tinygrad_edu.Size({list(self)})"

    def __getitem__(self, key: Any) -> Any:
        """``size[1:]`` is a Size again (as PyTorch), ``size[0]`` an int."""
        item = super().__getitem__(key)
        return Size(item) if isinstance(key, slice) else item

    def __add__(self, other: Any) -> Size:
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other: Any) -> Size:
        return Size(tuple(other) + tuple(self))

    def __mul__(self, count: Any) -> Size:
        return Size(tuple(self) * count)

    def numel(self) -> int:
        return math.prod(self)


class VersionCounter:
    """How many times a tensor's memory was changed in place; shared by its views."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


# ------------------------------------------------------------------------------- Function


class Function(Node):
    """A recorded operation: ``forward`` on arrays, ``backward`` on Tensors (see ``ops.py``).

    ``saves`` lists the positional inputs that backward needs and ``saves_output`` keeps the
    result; ``ctx.saved_tensors`` hands them back, after checking that none was changed in
    place since (the version counter) and that they were not freed by an earlier backward.
    """

    saves: ClassVar[tuple[int, ...]] = ()
    # saved input -> the input whose gradient alone needs it: saved only when that one
    # requires grad (as PyTorch; an in-place change of an unneeded input is then no error)
    saves_only_for: ClassVar[dict[int, int]] = {}
    saves_output: ClassVar[bool] = False
    # arrays that forward keeps on ctx for backward alone (e.g. MaxPool2d's mask): freed with
    # the saved tensors after backward, not when the graph itself goes
    saved_arrays: ClassVar[tuple[str, ...]] = ()
    backward_name: ClassVar[str | None] = None

    _saved: tuple[Any, ...] | None = None
    _saved_versions: tuple[int, ...] | None = None  # None: every saved tensor at version 0
    _output: tuple[Any, VersionCounter, int] | None = None
    _released = False
    # The primitives' backward returns new arrays, the incoming gradient or views of these
    # (custom ``autograd.Function``s make no such promise): see ``Node._new_gradients``.
    _new_gradients = True

    forward: ClassVar[Callable[..., Any]]
    backward: ClassVar[Callable[..., Any]]

    if TYPE_CHECKING:  # for the type checker only: forward keeps what backward needs on ctx
        # (ctx.dim = dim, as in PyTorch); at run time a missing attribute still raises
        def __getattr__(self, name: str) -> Any: ...
        def __setattr__(self, name: str, value: Any) -> None: ...

    def name(self) -> str:
        return self.backward_name or f"{type(self).__name__}Backward0"

    @property
    def needs_input_grad(self) -> tuple[bool, ...]:
        """For each positional input: does it need a gradient? (Built when backward asks:
        a plain property, as functools.cached_property takes a lock on Python 3.11.)"""
        return tuple(node is not None for node in self._next)

    @classmethod
    def apply(cls, *inputs: Any, **params: Any) -> Tensor:
        """Run ``forward`` on the inputs' arrays; record the node when grad is needed."""
        # Plain loops and no helper calls, here and in _record: this runs once per operation.
        ctx = object.__new__(cls)
        arrays = [x._array if isinstance(x, Tensor) else x for x in inputs]
        out = cls.forward(ctx, *arrays, **params)
        if isinstance(out, np.generic):  # NumPy reductions return scalars, not 0-d arrays
            out = np.asarray(out)
        result = object.__new__(Tensor)
        result._array = out
        if grad_mode.enabled:
            for x in inputs:
                if isinstance(x, Tensor) and (x.grad_fn is not None or x._requires_grad):
                    ctx._record(inputs, result)
                    break
        return result

    def _record(self, inputs: Sequence[Any], result: Tensor) -> None:
        next_nodes: list[Node | None] = []
        input_meta: list[Any] = []
        for x in inputs:  # one pass: the node of each input that needs a gradient, its shape
            if not isinstance(x, Tensor):  # (a Parameter is a Tensor too)
                node = None
            elif x.grad_fn is not None:
                node = x.grad_fn
            else:
                node = x._graph_node() if x._requires_grad else None  # a leaf's AccumulateGrad
            next_nodes.append(node)
            input_meta += (None, None) if node is None else (x._array.shape, x._array.dtype)
        self._next = tuple(next_nodes)
        self._input_meta = tuple(input_meta)
        if self.saves:
            only_for = self.saves_only_for
            kept = []
            for i in self.saves:  # skip an input whose only reader needs no gradient
                needed = i not in only_for or next_nodes[only_for[i]] is not None
                kept.append(inputs[i] if needed else None)
            self.save_for_backward(*kept)
        if self.saves_output:
            counter = result._counter()
            self._output = (result._array, counter, counter.value)
        result.grad_fn = self

    # --- what backward reads ----------------------------------------------------------

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep ``tensors`` for backward (and remember their versions)."""
        self._saved = tensors
        # Most saved tensors were never changed in place (no counter yet): then no tuple.
        for t in tensors:
            if getattr(t, "_version_counter", None) is not None:
                self._saved_versions = tuple(t._version if isinstance(t, Tensor) else 0
                                             for t in tensors)
                break

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        if self._released:
            raise _freed_error()
        saved = self._saved or ()
        versions = self._saved_versions or (0,) * len(saved)
        for tensor, version in zip(saved, versions):
            counter = getattr(tensor, "_version_counter", None)  # None: never changed
            if counter is not None and counter.value != version:
                self._raise_modified(tensor, counter.value, version)
        if self._output is None:
            return saved
        array, counter, version = self._output
        output = Tensor._wrap(array)
        output._version_counter = counter
        if counter.value != version:
            self._raise_modified(output, counter.value, version, is_output=True)
        if grad_mode.enabled:  # create_graph: the output is this node's result
            output.grad_fn = self
        return (*saved, output)

    def _raise_modified(self, tensor: Tensor, now: int, expected: int,
                        is_output: bool = False) -> None:
        # PyTorch's text: the type as `type()` names it, the node without its "Backward0"
        # (`Exp`), no node for a leaf; our hint, as PyTorch's points to anomaly detection
        node = self if is_output else tensor.grad_fn
        owner = "" if node is None else (
            f", which is output 0 of {node.name().rstrip('0123456789').removesuffix('Backward')},")
        raise RuntimeError(
            f"one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{tensor.type()} {list(tensor.shape)}]{owner} is at version "
            f"{now}; expected version {expected} instead. Hint: the tensor was changed in "
            f"place (an op ending in '_', +=, or x[...] = ...) after it was used; use an "
            f"out-of-place operation or .clone() it first.")

    def input_shape(self, index: int) -> tuple[int, ...]:
        """The shape of positional input ``index`` (a tensor that requires grad)."""
        shape = self._input_meta[2 * index]
        assert shape is not None, "input_shape of an input that needs no gradient"
        return shape  # type: ignore[no-any-return]

    def run_backward(self, grad: Tensor) -> Sequence[Tensor | None]:
        if self._released and self.saved_arrays:
            raise _freed_error()
        grads = type(self).backward(self, grad)
        if not isinstance(grads, tuple):
            grads = (grads,)
        if len(grads) != len(self._next):
            raise RuntimeError(f"function {self.name()} returned an incorrect number of "
                               f"gradients (expected {len(self._next)}, "
                               f"got {len(grads)})")
        return grads

    def release_saved(self) -> None:
        self._saved = None
        self._output = None
        for name in self.saved_arrays:
            setattr(self, name, None)
        self._released = True


def _freed_error() -> RuntimeError:
    return RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved "
        "tensors after they have already been freed). Saved intermediate values of the "
        "graph are freed when you call .backward() or autograd.grad(). Specify "
        "retain_graph=True if you need to backward through the graph a second time or "
        "if you need to access saved tensors after calling backward.")


# --------------------------------------------------------------------------------- Tensor


def _normalize_dim(dim: int, ndim: int) -> int:
    """``dim`` as a non-negative axis, with PyTorch's IndexError when out of range."""
    low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not isinstance(dim, int | np.integer) or isinstance(dim, bool):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if not low <= dim <= high:
        raise IndexError(f"Dimension out of range (expected to be in range of [{low}, {high}], "
                         f"but got {dim})")
    return int(dim) % max(ndim, 1)


def _normalize_dims(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...] | None:
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int | np.integer) else tuple(dim)
    normalized = tuple(_normalize_dim(d, ndim) for d in dims)
    if len(set(normalized)) != len(normalized):
        raise RuntimeError(f"dim {normalized} appears multiple times in the list of dims")
    return normalized if ndim else ()


def _numpy_names(function: str, dim: Any, keepdim: Any, axis: Any, keepdims: bool | None,
                 no_dim: Any = None, required: bool = False) -> tuple[Any, Any]:
    """``dim`` and ``keepdim`` from PyTorch's NumPy-style aliases ``axis`` and ``keepdims``.

    Methods call this only when an alias is given (or a required ``dim`` is missing), so the
    common call costs one ``is None`` test. Both names at once is PyTorch's TypeError; a
    ``dim`` equal to ``no_dim`` (its default) and a False ``keepdim`` count as not given.
    """
    if axis is not None:
        dim_given = dim is not None if no_dim is None else dim != no_dim
        if dim_given:
            raise TypeError(f"{function}() got an unexpected keyword argument 'axis'")
        dim = axis
    if keepdims is not None:
        if keepdim:
            raise TypeError(f"{function}() got an unexpected keyword argument 'keepdims'")
        keepdim = keepdims
    if required and dim is None:
        raise TypeError(f'{function}() missing 1 required positional arguments: "dim"')
    return dim, keepdim


def _required(function: str, name: str, value: _T | None) -> _T:
    """``value``, or PyTorch's TypeError when it was left out (an argument after an aliased
    ``dim``, which therefore has a default in the signature)."""
    if value is None:
        raise TypeError(f'{function}() missing 1 required positional arguments: "{name}"')
    return value


def _shape_args(shape: tuple[Any, ...]) -> tuple[int, ...]:
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` like PyTorch."""
    if len(shape) == 1 and isinstance(shape[0], Sequence):
        shape = tuple(shape[0])
    for n in shape:
        if not isinstance(n, int | np.integer) or isinstance(n, bool):
            raise TypeError(f"size must be a sequence of ints, but got an element of type "
                            f"{type(n).__name__}")
    return tuple(int(n) for n in shape)


def _size_args(args: tuple[Any, ...], size: Any, function: str) -> tuple[int, ...]:
    """The shape from ``f(2, 3)``, ``f((2, 3))`` or ``f(size=(2, 3))``, as PyTorch takes it."""
    if size is not None:
        if args:
            raise TypeError(f"{function}() got multiple values for argument 'size'")
        args = (size,)
    if not args:
        raise TypeError(f'{function}() missing 1 required positional arguments: "size"')
    return _shape_args(args)


def _broadcast_error(a: Sequence[int], b: Sequence[int]) -> RuntimeError:
    """PyTorch's message for shapes that do not broadcast, naming the first bad dimension."""
    ndim = max(len(a), len(b))
    padded_a = (1,) * (ndim - len(a)) + tuple(a)
    padded_b = (1,) * (ndim - len(b)) + tuple(b)
    for axis in range(ndim - 1, -1, -1):
        x, y = padded_a[axis], padded_b[axis]
        if x != y and x != 1 and y != 1:
            return RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b "
                                f"({y}) at non-singleton dimension {axis}: shapes "
                                f"{list(a)} and {list(b)} do not broadcast")
    return RuntimeError(f"shapes {list(a)} and {list(b)} do not broadcast")


def _tier(x: Tensor) -> int:
    return 2 if x._array.ndim else 1


class Tensor:
    """A multi-dimensional array that can record the operations made with it.

    ``Tensor(data)`` and ``Tensor(3, 5)`` are PyTorch's legacy constructors (always float32);
    prefer ``tinygrad_edu.tensor(data)``, which infers the dtype.
    """

    # The state of a fresh tensor is these class defaults; a tensor object only stores what
    # differs, which keeps creating one cheap (one per operation).
    _array: Any
    grad_fn: Node | None = None
    _requires_grad: bool = False
    _grad: Tensor | None = None
    _version_counter: VersionCounter | None = None
    _base: Tensor | None = None  # the tensor whose memory this view shares
    _hooks: list[Callable[[Tensor], Tensor | None]] | None = None
    _accumulator: weakref.ref[AccumulateGrad] | None = None

    # NumPy must hand `ndarray * tensor` to Tensor.__rmul__, not loop over the tensor
    __array_ufunc__ = None
    __hash__ = object.__hash__  # == is elementwise; hashing is by identity, as PyTorch

    def __init__(self, *args: Any, requires_grad: bool = False, device: Any = None) -> None:
        if len(args) == 1 and not isinstance(args[0], int | np.integer):
            data = args[0]._array if isinstance(args[0], Tensor) else args[0]
            array = _to_array(data, backend.DEFAULT_FLOAT)  # the default dtype, read now
        else:  # Tensor(3, 5): uninitialised memory, as in PyTorch; Tensor() is empty
            array = np.empty(_shape_args(args) if args else (0,),
                             dtype=backend.DEFAULT_FLOAT.numpy)
        self._array = backend.to_device(array, backend.canonical_device(device))
        if requires_grad:
            self.requires_grad = True

    @staticmethod
    def _wrap(array: Any) -> Tensor:
        """A tensor around an existing array (no copy, no checks)."""
        t = object.__new__(Tensor)
        t._array = array
        return t

    # ---------------------------------------------------------------- attributes

    @property
    def shape(self) -> Size:
        return Size(self._array.shape)

    def size(self, dim: int | None = None, *, axis: int | None = None) -> Any:
        """The shape (a ``Size``), or the length of dimension ``dim``."""
        if axis is not None:
            dim, _ = _numpy_names("size", dim, False, axis, None)
        if dim is None:
            return Size(self._array.shape)
        return self._array.shape[_normalize_dim(dim, self._array.ndim)]

    @property
    def dtype(self) -> DType:
        return backend.from_numpy_dtype(self._array.dtype)

    @property
    def device(self) -> backend.device:
        if type(self._array) is np.ndarray:
            return backend.CPU
        return backend.device_of(self._array)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def ndim(self) -> int:
        return self._array.ndim

    def dim(self) -> int:
        return self._array.ndim

    def ndimension(self) -> int:
        return self._array.ndim

    def numel(self) -> int:
        return int(self._array.size)

    def nelement(self) -> int:
        return int(self._array.size)

    def element_size(self) -> int:
        return int(self._array.itemsize)

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_contiguous(self) -> bool:
        return bool(self._array.flags.c_contiguous)

    def __len__(self) -> int:
        if self._array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._array)

    def __iter__(self) -> Iterator[Tensor]:
        if self._array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._array)))

    def __contains__(self, element: Any) -> bool:
        """``5 in t``: is any element equal (a tensor element broadcasts), as PyTorch."""
        if not isinstance(element, Tensor) and not isinstance(element, _NUMBER_TYPES):
            raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you "
                               f"passed in a {type(element)}.")
        return bool((self == element).any())

    # ---------------------------------------------------------------- autograd state

    @property
    def requires_grad(self) -> bool:
        return self.grad_fn is not None or self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None:
            if value:
                return
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if value and not self.dtype.is_floating_point:
            raise RuntimeError(f"only Tensors of floating point dtype can require gradients "
                               f"(this tensor is {self.dtype!r}; convert it with .float())")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        if self.grad_fn is not None and not self.retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the .grad field to be populated for a non-leaf Tensor, use "
                ".retain_grad() on the non-leaf Tensor.", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad "
                                f"of type {type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(f"assigned grad has data of a different size: "
                                   f"{list(value.shape)} vs the tensor's {list(self.shape)}")
            if value.dtype is not self.dtype:
                raise RuntimeError(f"assigned grad has data of a different type: "
                                   f"{value.dtype!r} vs the tensor's {self.dtype!r}")
            if value.device != self.device:
                raise RuntimeError(f"assigned grad is on {value.device}, the tensor on "
                                   f"{self.device}")
        self._grad = value

    @property
    def retains_grad(self) -> bool:
        node = self.grad_fn
        return node is not None and node._retained is not None and node._retained() is self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor too during backward."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self.grad_fn._retained = weakref.ref(self)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned tensor
        replaces the gradient."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require "
                               "gradient")
        if self.grad_fn is not None:
            return self.grad_fn.register_prehook(hook)
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return RemovableHandle(self._hooks, hook)

    @property
    def _version(self) -> int:
        return 0 if self._version_counter is None else self._version_counter.value

    def _counter(self) -> VersionCounter:
        if self._version_counter is None:
            self._version_counter = VersionCounter()
        return self._version_counter

    def _graph_node(self) -> Node | None:
        """The node gradients flow into: ``grad_fn``, or a leaf's ``AccumulateGrad``."""
        if self.grad_fn is not None:
            return self.grad_fn
        if not self._requires_grad:
            return None
        accumulator = self._accumulator
        node = accumulator() if accumulator is not None else None
        if node is None:  # the leaf refers to its node weakly: no cycle leaf <-> node
            node = AccumulateGrad(self)
            self._accumulator = weakref.ref(node)
        return node

    def _accumulate_grad(self, grad: Tensor, create_graph: bool, owned: bool = False) -> None:
        """Add ``grad`` into ``self.grad`` (called by the engine). ``owned``: the engine
        vouches that nothing else holds ``grad``'s array, so it may become ``.grad`` as is."""
        if self._grad is None:
            array = grad._array
            if create_graph:
                self._grad = grad
            elif owned and type(array) is np.ndarray and array.base is None and (
                    (flags := array.flags).c_contiguous and flags.writeable):
                self._grad = Tensor._wrap(array)  # memory of its own that no one else sees
            else:  # own copy: the same gradient can reach several leaves (a + b)
                self._grad = Tensor._wrap(array.copy())
        elif create_graph or self._grad.grad_fn is not None:
            self._grad = self._grad + grad
        else:
            self._grad._array += grad._array
            self._grad._counter().value += 1

    def backward(self, gradient: Tensor | None = None, retain_graph: bool | None = None,
                 create_graph: bool = False) -> None:
        """Compute the gradient of this tensor with respect to the graph's leaves.

        For a non-scalar tensor ``y``, ``y.backward(w)`` computes the gradient of
        ``(y * w).sum()``: a vector-Jacobian product.
        """
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have "
                               "a grad_fn")
        gradient = _output_gradient(self, gradient)
        run_backward([self], [gradient], retain_graph=create_graph if retain_graph is None
                     else retain_graph, create_graph=create_graph)

    def detach(self) -> Tensor:
        """The same memory, cut from the graph (shares the version counter)."""
        out = Tensor._wrap(self._array)
        out._version_counter = self._counter()
        return out

    def detach_(self) -> Tensor:
        if self._base is not None and self._base.requires_grad:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        """The values without autograd: unlike ``detach()``, changes through ``.data`` are
        invisible to the version counter (the old, unsafe way)."""
        return Tensor._wrap(self._array)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        self._array = value._array

    # ---------------------------------------------------------------- conversion

    def item(self) -> Scalar:
        if self._array.size != 1:
            raise RuntimeError(f"a Tensor with {self._array.size} elements cannot be converted "
                               f"to Scalar")
        return self._array.item()  # type: ignore[no-any-return]

    def tolist(self) -> Any:
        return backend.to_device(self._array, backend.CPU).tolist()

    def numpy(self, force: bool = False) -> np.ndarray:
        """The NumPy array itself (memory is shared) for a cpu tensor."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        if type(self._array) is not np.ndarray:
            if not force:
                raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use "
                                f"Tensor.cpu() to copy the tensor to host memory first.")
            return backend.to_device(self._array, backend.CPU)  # type: ignore[no-any-return]
        return self._array  # type: ignore[no-any-return]

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """``np.asarray(t)`` / ``np.array(t)``: ``.numpy()``'s array (memory shared unless
        ``dtype`` or ``copy=True`` asks for another), refused as PyTorch refuses it: a cuda
        tensor names ``.cpu()``; a tensor that requires grad names ``.detach()``, except
        under ``no_grad`` (PyTorch checks grad mode here too)."""
        if type(self._array) is not np.ndarray:
            self.detach().numpy()  # raises: PyTorch checks the device before requires_grad
        array = self.numpy(force=not grad_mode.enabled)
        result = array if dtype is None else array.astype(dtype, copy=False)
        return result.copy() if copy and result is array else result

    def __bool__(self) -> bool:
        if self._array.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with "
                               f"{'no values' if self._array.size == 0 else 'more than one value'}"
                               f" is ambiguous")
        return bool(self._array.item())

    def _python_scalar(self) -> Scalar:
        """The one element, for ``float(t)`` / ``int(t)`` (PyTorch raises ValueError)."""
        if self._array.size != 1:
            raise ValueError(f"only one element tensors can be converted to Python scalars "
                             f"(this one has {self._array.size} elements)")
        return self._array.item()  # type: ignore[no-any-return]

    def __float__(self) -> float:
        self._warn_if_requires_grad()
        return float(self._python_scalar())

    def __int__(self) -> int:
        self._warn_if_requires_grad()
        return int(self._python_scalar())

    def _warn_if_requires_grad(self, stacklevel: int = 3) -> None:
        """PyTorch's warning for ``float(loss)``: the number leaves the graph (``item()``,
        which says so in its name, does not warn)."""
        if self.requires_grad:
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                          "unexpected behavior.\nConsider using tensor.detach() first.",
                          UserWarning, stacklevel=stacklevel)

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self._array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._array.item())

    def __format__(self, spec: str) -> str:
        if self._array.ndim == 0:
            return format(self.item(), spec)
        if spec:  # f"{t:.2f}" of a tensor with dims: PyTorch's error, not str's
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)`` or ``to(other_tensor)``."""
        target_dtype: DType | None = kwargs.pop("dtype", None)
        target_device = kwargs.pop("device", None)
        copy = kwargs.pop("copy", False)
        kwargs.pop("non_blocking", None)
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        for arg in args:
            if isinstance(arg, DType):
                target_dtype = arg
            elif isinstance(arg, Tensor):
                target_dtype, target_device = arg.dtype, arg.device
            elif isinstance(arg, str | backend.device):
                target_device = arg
            else:
                raise TypeError(f"to() received an invalid combination of arguments: "
                                f"{type(arg).__name__} is neither a dtype nor a device")
        new_device = (backend.canonical_device(target_device) if target_device is not None
                      else self.device)
        new_dtype = target_dtype if target_dtype is not None else self.dtype
        if not isinstance(new_dtype, DType):
            raise TypeError(f"to(): dtype must be a tinygrad_edu dtype, got {new_dtype!r}")
        if new_device == self.device and new_dtype is self.dtype and not copy:
            return self

        def convert(array: Any) -> Any:
            moved = backend.to_device(array, new_device)
            return moved.astype(new_dtype.numpy, copy=moved is array)

        if not new_dtype.is_floating_point:  # integers carry no gradient: nothing to record
            return Tensor._wrap(convert(self._array))
        return ops.ToCopy.apply(self, convert=convert)

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self, device: int | str | None = None) -> Tensor:
        if device is None:
            return self.to("cuda")
        return self.to(device if isinstance(device, str) else f"cuda:{device}")

    def clone(self) -> Tensor:
        return ops.Clone.apply(self)

    def contiguous(self) -> Tensor:
        return self if self.is_contiguous() else self.clone()

    # ---------------------------------------------------------------- printing

    def __repr__(self) -> str:
        values = backend.to_device(self._array, backend.CPU)
        node = self.grad_fn
        return printing.tensor_repr(values, self.dtype.name, repr(self.dtype), str(self.device),
                                    node.name() if node is not None else None,
                                    self._requires_grad)

    # ---------------------------------------------------------------- arithmetic
    # Each binary operator promotes the two dtypes the way PyTorch does, then calls one
    # primitive. Python numbers stay numbers (NumPy treats them as weak, like PyTorch).

    def _binary(self, other: Any, function: type[Function], reverse: bool = False,
                floating: bool = False) -> Tensor:
        a: Any
        b: Any
        if type(other) is float and self._array.dtype.kind == "f":  # the common case, fast
            a, b = self, other
        else:
            a, b = self._operands(other, floating)
        if reverse:
            a, b = b, a
        try:
            return function.apply(a, b)
        except ValueError as exc:
            if "broadcast" not in str(exc):
                raise
            raise _broadcast_error(self.shape, _shape_of(other)) from None

    def _operands(self, other: Any, floating: bool = False) -> tuple[Any, Any]:
        """``self`` and ``other`` converted to their common dtype (PyTorch's promotion)."""
        mine = self._array.dtype
        if isinstance(other, Tensor):
            theirs = other._array.dtype
            if type(other._array) is not type(self._array):
                raise _device_error(self, other)
            if mine == theirs and (not floating or mine.kind == "f"):
                return self, other
            result = backend.result_type((self.dtype, _tier(self)), (other.dtype, _tier(other)))
            if floating and not result.is_floating_point:
                result = backend.DEFAULT_FLOAT
            return self.to(result), other.to(result)
        if isinstance(other, _NUMBER_TYPES):
            if isinstance(other, np.generic):
                other = other.item()
            if mine.kind == "f":
                return self, other
            result = backend.result_type((self.dtype, 2), (backend.scalar_dtype(other), 0))
            if floating and not result.is_floating_point:
                result = backend.DEFAULT_FLOAT
            return self.to(result), other
        if backend.is_array(other):  # a constant, e.g. a mask inside a backward
            return self._operands(Tensor._wrap(other), floating)
        raise TypeError(f"unsupported operand type for a Tensor operation: "
                        f"'{type(other).__name__}'")

    def __add__(self, other: Any) -> Tensor:
        return self._binary(other, ops.Add)

    def __radd__(self, other: Any) -> Tensor:
        return self._binary(other, ops.Add, reverse=True)

    def __sub__(self, other: Any) -> Tensor:
        _refuse_bool_subtraction(self, other)
        return self._binary(other, ops.Sub)

    def __rsub__(self, other: Any) -> Tensor:
        _refuse_bool_subtraction(self, other)
        return self._binary(other, ops.Sub, reverse=True)

    def __mul__(self, other: Any) -> Tensor:
        return self._binary(other, ops.Mul)

    def __rmul__(self, other: Any) -> Tensor:
        return self._binary(other, ops.Mul, reverse=True)

    def __truediv__(self, other: Any) -> Tensor:
        return self._binary(other, ops.Div, floating=True)

    def __rtruediv__(self, other: Any) -> Tensor:
        return self._binary(other, ops.Div, reverse=True, floating=True)

    def __floordiv__(self, other: Any) -> Tensor:
        return self._compare(other, _floor_divide, keep_dtype=True)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return _as_tensor_like(other, self)._compare(self, _floor_divide, keep_dtype=True)

    def __mod__(self, other: Any) -> Tensor:
        return self._compare(other, _remainder, keep_dtype=True)

    def __rmod__(self, other: Any) -> Tensor:
        # promoted as `self % other` is (a Python number is weak), then the operands swapped
        return self._compare(other, lambda a, b: _remainder(b, a), keep_dtype=True)

    def __pow__(self, exponent: Any) -> Tensor:
        if isinstance(exponent, int | float) and not isinstance(exponent, bool):
            if self.dtype.is_floating_point or isinstance(exponent, float):
                base = self if self.dtype.is_floating_point else self.float()
                return ops.PowScalar.apply(base, exponent=exponent)
            if exponent < 0:
                raise RuntimeError("Integers to negative integer powers are not allowed.")
            return ops.PowScalar.apply(self, exponent=exponent)
        if isinstance(exponent, Tensor) and self._array.dtype.kind in "iu" and (
                _has_negative_integers(exponent._array)):
            a, b = self._operands(exponent)
            return _integer_power(a._array, b._array)
        return self._binary(exponent, ops.Pow)

    def __rpow__(self, base: Any) -> Tensor:
        if type(base) is int and _has_negative_integers(self._array):  # 2 ** tensor([-1])
            return _integer_power(base, self._array)
        return self._binary(base, ops.Pow, reverse=True)

    def __matmul__(self, other: Any) -> Tensor:
        return self.matmul(other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _as_tensor_like(other, self).matmul(self)

    def __neg__(self) -> Tensor:
        if self.dtype is backend.bool_:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                               "If you are trying to invert a mask, use the `~` or "
                               "`logical_not()` operator instead.")
        return ops.Neg.apply(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return self.abs()

    # In-place forms of the operators, as PyTorch: `x += 1` changes x itself.
    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

    def add(self, other: Any, alpha: Scalar = 1) -> Tensor:
        return self + (other * alpha if alpha != 1 else other)

    def sub(self, other: Any, alpha: Scalar = 1) -> Tensor:
        return self - (other * alpha if alpha != 1 else other)

    def mul(self, other: Any) -> Tensor:
        return self * other

    def div(self, other: Any, rounding_mode: str | None = None) -> Tensor:
        if rounding_mode is None:
            return self / other
        if rounding_mode == "floor":
            return self // other
        if rounding_mode == "trunc":
            return (self / other).trunc().to(self.dtype)
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")

    def true_divide(self, other: Any) -> Tensor:
        return self / other

    def pow(self, exponent: Any) -> Tensor:
        return self**exponent

    def neg(self) -> Tensor:
        return -self

    def matmul(self, other: Tensor) -> Tensor:
        """Matrix product with batch broadcasting (``a @ b``)."""
        if not isinstance(other, Tensor):
            raise TypeError(f"matmul(): argument 'other' must be Tensor, not "
                            f"{type(other).__name__}")
        if self.ndim == 0 or other.ndim == 0:
            raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                               f"{self.ndim}D and {other.ndim}D")
        inner_a = self.shape[-1]
        inner_b = other.shape[0] if other.ndim == 1 else other.shape[-2]
        if inner_a != inner_b:
            if self.ndim == 2 and other.ndim == 2:
                raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                                   f"({self.shape[0]}x{self.shape[1]} and "
                                   f"{other.shape[0]}x{other.shape[1]})")
            raise RuntimeError(f"matmul: shapes {list(self.shape)} and {list(other.shape)} "
                               f"cannot be multiplied ({inner_a} != {inner_b})")
        if type(other._array) is not type(self._array):
            raise _device_error(self, other)
        if other._array.dtype != self._array.dtype:  # PyTorch promotes no dtype here
            raise _matmul_dtype_error(self, other)
        try:
            return ops.Matmul.apply(self, other)
        except ValueError:
            raise _broadcast_error(self.shape[:-2], other.shape[:-2]) from None

    def mm(self, other: Tensor) -> Tensor:
        if self.ndim != 2 or other.ndim != 2:
            raise RuntimeError(f"mm: both arguments must be 2D matrices, got {self.ndim}D and "
                               f"{other.ndim}D")
        return self.matmul(other)

    def bmm(self, other: Tensor) -> Tensor:
        if self.ndim != 3 or other.ndim != 3:
            raise RuntimeError(f"bmm: both arguments must be 3D (batch, n, m), got "
                               f"{self.ndim}D and {other.ndim}D")
        if self.shape[0] != other.shape[0]:
            raise RuntimeError(f"bmm: batch sizes differ: {self.shape[0]} and "
                               f"{other.shape[0]}")
        return self.matmul(other)

    def mv(self, vector: Tensor) -> Tensor:
        if self.ndim != 2 or vector.ndim != 1:
            raise RuntimeError(f"mv: expected a matrix and a vector, got {self.ndim}D and "
                               f"{vector.ndim}D")
        return self.matmul(vector)

    def dot(self, other: Tensor) -> Tensor:
        if self.ndim != 1 or other.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {self.ndim}D and {other.ndim}D "
                               f"tensors")
        return self.matmul(other)

    # ---------------------------------------------------------------- elementwise math

    def _floating(self) -> Tensor:
        """Integer inputs of float functions (exp, log ...) compute in the default float."""
        return self if self._array.dtype.kind == "f" else self.float()

    def abs(self) -> Tensor:
        return ops.Abs.apply(self)

    def exp(self) -> Tensor:
        return ops.Exp.apply(self._floating())

    def log(self) -> Tensor:
        return ops.Log.apply(self._floating())

    def log2(self) -> Tensor:
        return self.log() / math.log(2.0)

    def log10(self) -> Tensor:
        return self.log() / math.log(10.0)

    def sqrt(self) -> Tensor:
        return ops.Sqrt.apply(self._floating())

    def rsqrt(self) -> Tensor:
        return 1 / self.sqrt()

    def square(self) -> Tensor:
        base = self.long() if self.dtype is backend.bool_ else self  # bool squares to int64
        return base**2  # PowBackward0, as PyTorch

    def reciprocal(self) -> Tensor:
        return 1 / self

    def sin(self) -> Tensor:
        return ops.Sin.apply(self._floating())

    def cos(self) -> Tensor:
        return ops.Cos.apply(self._floating())

    def tan(self) -> Tensor:
        return self.sin() / self.cos()

    def tanh(self) -> Tensor:
        return ops.Tanh.apply(self._floating())

    def sigmoid(self) -> Tensor:
        return ops.Sigmoid.apply(self._floating())

    def erf(self) -> Tensor:
        return special.Erf.apply(self._floating())

    def erfc(self) -> Tensor:
        return special.Erfc.apply(self._floating())

    def relu(self) -> Tensor:
        return ops.Relu.apply(self)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002 (PyTorch names)
        """Limit values to ``[min, max]`` (either bound may be None, or a tensor)."""
        if min is None and max is None:
            raise RuntimeError("At least one of 'min' or 'max' must not be None")
        if isinstance(min, Tensor) or isinstance(max, Tensor):
            # `where`, not maximum/minimum: on a tie the input keeps the gradient (PyTorch)
            out = self
            if min is not None:
                out = where(out < min, _as_tensor_like(min, self), out)
            if max is not None:
                out = where(out > max, _as_tensor_like(max, self), out)
            return out
        base = self
        if not self.dtype.is_floating_point and any(isinstance(v, float) for v in (min, max)):
            base = self.float()
        return ops.Clamp.apply(base, low=min, high=max)

    def clip(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return self.clamp(min, max)

    def clamp_min(self, min: Any) -> Tensor:  # noqa: A002
        if min is None:  # a bound is required here (clamp takes None for "no bound")
            raise TypeError("clamp_min(): argument 'min' must be Number or Tensor, not "
                            "NoneType")
        return self.clamp(min=min)

    def clamp_max(self, max: Any) -> Tensor:  # noqa: A002
        if max is None:  # a bound is required here (clamp takes None for "no bound")
            raise TypeError("clamp_max(): argument 'max' must be Number or Tensor, not "
                            "NoneType")
        return self.clamp(max=max)

    def maximum(self, other: Tensor) -> Tensor:
        return self._binary(other, ops.Maximum)

    def minimum(self, other: Tensor) -> Tensor:
        return self._binary(other, ops.Minimum)

    def where(self, condition: Tensor, other: Any) -> Tensor:
        """``self`` where ``condition`` is true, else ``other``."""
        return where(condition, self, other)

    def masked_fill(self, mask: Tensor, value: Scalar | Tensor) -> Tensor:
        return where(mask, value, self).to(self.dtype)

    def lerp(self, end: Tensor, weight: Any) -> Tensor:
        return self + weight * (end - self)

    def softmax(self, dim: int | None = None, dtype: DType | None = None, *,
                axis: int | None = None) -> Tensor:
        if dim is None or axis is not None:
            dim, _ = _numpy_names("softmax", dim, False, axis, None, required=True)
        source = self.to(dtype) if dtype is not None else self  # integers: PyTorch's error
        return ops.Softmax.apply(source, dim=_normalize_dim(dim, self.ndim))

    def log_softmax(self, dim: int | None = None, dtype: DType | None = None, *,
                    axis: int | None = None) -> Tensor:
        if dim is None or axis is not None:
            dim, _ = _numpy_names("log_softmax", dim, False, axis, None, required=True)
        source = self.to(dtype) if dtype is not None else self  # integers: PyTorch's error
        return ops.LogSoftmax.apply(source, dim=_normalize_dim(dim, self.ndim))

    def _unary_no_grad(self, function: Callable[[Any], Any]) -> Tensor:
        """Functions with no gradient (isnan, logical not ...): the result is a constant."""
        return _wrap_result(function(self._array))

    def sign(self) -> Tensor:
        return ops.Sign.apply(self)

    def floor(self) -> Tensor:
        return ops.Floor.apply(self)

    def ceil(self) -> Tensor:
        return ops.Ceil.apply(self)

    def round(self, decimals: int = 0) -> Tensor:
        return ops.Round.apply(self, decimals=decimals)

    def trunc(self) -> Tensor:
        return ops.Trunc.apply(self)

    def isnan(self) -> Tensor:
        return self._unary_no_grad(lambda a: backend.namespace(a).isnan(a))

    def isinf(self) -> Tensor:
        return self._unary_no_grad(lambda a: backend.namespace(a).isinf(a))

    def isfinite(self) -> Tensor:
        return self._unary_no_grad(lambda a: backend.namespace(a).isfinite(a))

    # ---------------------------------------------------------------- comparison, logic

    def _compare(self, other: Any, function: Callable[[Any, Any], Any],
                 keep_dtype: bool = False) -> Tensor:
        """An operation with no gradient: comparisons, logic, floor division."""
        a, b = self._operands(other)
        a_array = a._array
        b_array = b._array if isinstance(b, Tensor) else b
        try:  # NumPy's ufuncs dispatch to CuPy's for CuPy arrays (__array_ufunc__)
            return Tensor._wrap(np.asarray(function(a_array, b_array))
                                if type(a_array) is np.ndarray else function(a_array, b_array))
        except ValueError as exc:
            if "broadcast" not in str(exc):
                raise
            raise _broadcast_error(self.shape, _shape_of(other)) from None

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        if not isinstance(other, Tensor) and not _comparable(other):
            return NotImplemented  # `t == None`, `t == [1, 2]`: Python's False, as PyTorch
        return self._compare(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        if not isinstance(other, Tensor) and not _comparable(other):
            return NotImplemented  # True
        return self._compare(other, np.not_equal)

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater_equal)

    def eq(self, other: Any) -> Tensor:
        return self == other

    def ne(self, other: Any) -> Tensor:
        return self != other

    def lt(self, other: Any) -> Tensor:
        return self < other

    def le(self, other: Any) -> Tensor:
        return self <= other

    def gt(self, other: Any) -> Tensor:
        return self > other

    def ge(self, other: Any) -> Tensor:
        return self >= other

    def equal(self, other: Tensor) -> bool:
        """True when both tensors have the same shape and elements."""
        return self.shape == other.shape and bool((self == other).all())

    def allclose(self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08) -> bool:
        if type(other._array) is not type(self._array):
            raise _device_error(self, other)
        xp = backend.namespace(self._array)
        return bool(xp.allclose(self._array, other._array, rtol=rtol, atol=atol))

    def _logical(self, other: Any, function: Callable[[Any, Any], Any]) -> Tensor:
        if self.dtype is not backend.bool_ or (isinstance(other, Tensor)
                                               and other.dtype is not backend.bool_):
            return self._compare(other, function, keep_dtype=True)  # bitwise on integers
        return self._compare(other, function)

    def __and__(self, other: Any) -> Tensor:
        return self._logical(other, np.bitwise_and)

    def __or__(self, other: Any) -> Tensor:
        return self._logical(other, np.bitwise_or)

    def __xor__(self, other: Any) -> Tensor:
        return self._logical(other, np.bitwise_xor)

    def __invert__(self) -> Tensor:
        if self.dtype.is_floating_point:
            raise TypeError("~ (bitwise_not) is only supported for integer and bool tensors")
        return self._unary_no_grad(lambda a: ~a)

    def logical_not(self) -> Tensor:
        return self._unary_no_grad(lambda a: a == 0)

    def logical_and(self, other: Tensor) -> Tensor:
        return self.bool() & _as_tensor_like(other, self).bool()

    def logical_or(self, other: Tensor) -> Tensor:
        return self.bool() | _as_tensor_like(other, self).bool()

    # ---------------------------------------------------------------- reductions

    # sum and mean run every training step: their aliases are plain parameters, as CPython
    # fills keyword-only defaults from a dict on each call (~50 ns, 1% of a small sum)
    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False,
            dtype: DType | None = None, axis: int | Sequence[int] | None = None,
            keepdims: bool | None = None) -> Tensor:
        if axis is not None or keepdims is not None:  # NumPy's names, as PyTorch takes them
            dim, keepdim = _numpy_names("sum", dim, keepdim, axis, keepdims)
        source = self.to(dtype) if dtype is not None else self
        if source.dtype.category != DType.FLOAT and dtype is None:
            source = source.long()  # PyTorch sums bool and integer tensors as int64
        return ops.Sum.apply(source, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)

    def mean(self, dim: int | Sequence[int] | None = None, keepdim: bool = False,
             dtype: DType | None = None, axis: int | Sequence[int] | None = None,
             keepdims: bool | None = None) -> Tensor:
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("mean", dim, keepdim, axis, keepdims)
        source = self.to(dtype) if dtype is not None else self
        if not source.dtype.is_floating_point:
            raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be "
                               f"either a floating point or complex dtype. Got: "
                               f"{source.dtype.scalar_name}")
        return ops.Mean.apply(source, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)

    def prod(self, dim: int | None = None, keepdim: bool = False, *,
             axis: int | None = None, keepdims: bool | None = None) -> Tensor:
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("prod", dim, keepdim, axis, keepdims)
        source = self if self.dtype.category == DType.FLOAT else self.long()
        reduced = None if dim is None else _normalize_dim(dim, self.ndim)
        if self.ndim == 0 and reduced is not None:  # dim 0 or -1 of a 0-d tensor, as PyTorch
            return source.reshape(1).prod(0)
        return ops.Prod.apply(source, dim=reduced, keepdim=keepdim)

    def max(self, dim: Any = None, keepdim: bool = False, *, axis: int | None = None,
            keepdims: bool | None = None) -> Any:
        """The largest element; with ``dim``, a ``(values, indices)`` pair; with a tensor,
        the elementwise maximum."""
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("max", dim, keepdim, axis, keepdims)
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        if dim is None:
            return ops.Amax.apply(self)
        return self._max_along(ops.MaxDim, dim, keepdim, largest=True)

    def min(self, dim: Any = None, keepdim: bool = False, *, axis: int | None = None,
            keepdims: bool | None = None) -> Any:
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("min", dim, keepdim, axis, keepdims)
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        if dim is None:
            return ops.Amin.apply(self)
        return self._max_along(ops.MinDim, dim, keepdim, largest=False)

    def _max_along(self, function: type[Function], dim: int, keepdim: bool,
                   largest: bool) -> ValuesIndices:
        axis = _normalize_dim(dim, self.ndim)
        if self.ndim == 0:  # dim 0 or -1 of a 0-d tensor, as PyTorch
            return self.reshape(1)._max_along(function, 0, False, largest)
        if self.shape[axis] == 0:
            raise IndexError(f"{'max' if largest else 'min'}(): Expected reduction dim {axis} "
                             f"to have non-zero size.")
        indices = self._arg_reduce(axis, keepdim=True, largest=largest)
        values = function.apply(self, dim=axis, keepdim=keepdim, index=indices._array)
        if not keepdim and self.ndim:
            indices = Tensor._wrap(indices._array.squeeze(axis))
        return ValuesIndices("max" if largest else "min", values, indices)

    def amax(self, dim: int | Sequence[int] = (), keepdim: bool = False, *,
             axis: int | Sequence[int] | None = None, keepdims: bool | None = None) -> Tensor:
        """The largest value over ``dim``; tied maxima share the gradient equally (PyTorch)."""
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("amax", dim, keepdim, axis, keepdims, no_dim=())
        return self._extreme(dim, keepdim, largest=True)

    def amin(self, dim: int | Sequence[int] = (), keepdim: bool = False, *,
             axis: int | Sequence[int] | None = None, keepdims: bool | None = None) -> Tensor:
        """The smallest value over ``dim``; tied minima share the gradient equally."""
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("amin", dim, keepdim, axis, keepdims, no_dim=())
        return self._extreme(dim, keepdim, largest=False)

    def _extreme(self, dim: int | Sequence[int], keepdim: bool, largest: bool) -> Tensor:
        """``amax``/``amin``: the tied extremes, each weighted by 1/count, summed (computed
        directly for both: ``-(-x).amax()`` would turn a minimum of 0. into -0.)."""
        dims = _normalize_dims(dim, self.ndim) or tuple(range(self.ndim))
        def pick(a: Any, keep: bool) -> Any:
            return (a.max if largest else a.min)(axis=dims, keepdims=keep)

        if not self.dtype.is_floating_point:  # no gradient to share: keep the dtype
            return self._reduce_array(lambda a: pick(a, keepdim))
        hits = self == self._reduce_array(lambda a: pick(a, True))
        share = hits.to(self.dtype) / hits.sum(dim=dims, keepdim=True)
        # `where` first: -inf * 0 would be nan where an element is not an extreme
        return (where(hits, self, 0.0) * share).sum(dim=dims, keepdim=keepdim)

    def _reduce_array(self, function: Callable[[Any], Any]) -> Tensor:
        return _wrap_result(function(self._array))

    def argmax(self, dim: int | None = None, keepdim: bool = False, *,
               axis: int | None = None, keepdims: bool | None = None) -> Tensor:
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("argmax", dim, keepdim, axis, keepdims)
        return self._arg_reduce(dim, keepdim, largest=True)

    def argmin(self, dim: int | None = None, keepdim: bool = False, *,
               axis: int | None = None, keepdims: bool | None = None) -> Tensor:
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("argmin", dim, keepdim, axis, keepdims)
        return self._arg_reduce(dim, keepdim, largest=False)

    def _arg_reduce(self, dim: int | None, keepdim: bool, largest: bool) -> Tensor:
        pick = self._array.argmax if largest else self._array.argmin
        if dim is None:
            index = pick()
            return Tensor._wrap(backend.namespace(self._array).asarray(index).reshape(
                (1,) * self.ndim if keepdim else ()).astype(np.int64))
        axis = _normalize_dim(dim, self.ndim)
        return _wrap_result(pick(axis=axis, keepdims=keepdim).astype(np.int64))  # 1-d: a scalar

    def var(self, dim: int | Sequence[int] | None = None, unbiased: bool | None = None,
            keepdim: bool = False, *, correction: int | None = None,
            axis: int | Sequence[int] | None = None, keepdims: bool | None = None) -> Tensor:
        """Variance, with Bessel's correction (divide by n - 1) unless ``correction=0``."""
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("var", dim, keepdim, axis, keepdims)
        if correction is None:
            correction = 0 if unbiased is False else 1
        dims = _normalize_dims(dim, self.ndim)
        count = self.numel() if dims is None else math.prod(self.shape[d] for d in dims)
        centered = self - self.mean(dims, keepdim=True)
        return (centered * centered).sum(dims, keepdim=keepdim) / builtins.max(
            count - correction, 0)

    def std(self, dim: int | Sequence[int] | None = None, unbiased: bool | None = None,
            keepdim: bool = False, *, correction: int | None = None,
            axis: int | Sequence[int] | None = None, keepdims: bool | None = None) -> Tensor:
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("std", dim, keepdim, axis, keepdims)
        return _root(self.var(dim, unbiased, keepdim, correction=correction), 2)

    def norm(self, p: float | str = 2, dim: int | Sequence[int] | None = None,
             keepdim: bool = False) -> Tensor:
        """The vector p-norm over ``dim`` (all elements by default; ``'fro'`` is p = 2)."""
        if p == "fro":
            p = 2
        if not isinstance(p, int | float):
            raise ValueError(f"norm: unsupported p={p!r}")
        if not self.dtype.is_floating_point:
            raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex "
                               f"tensor as input. Got {self.dtype.scalar_name}")
        magnitude = self.abs()
        if p == math.inf:
            return magnitude.amax(dim if dim is not None else (), keepdim)
        if p == -math.inf:
            return magnitude.amin(dim if dim is not None else (), keepdim)
        if p == 0:  # how many are not zero: a step function, its gradient is zero
            return magnitude.sign().sum(dim, keepdim=keepdim)
        if p == 2:
            return _root((self * self).sum(dim, keepdim=keepdim), 2)
        if p == 1:
            return magnitude.sum(dim, keepdim=keepdim)
        return _root((magnitude**p).sum(dim, keepdim=keepdim), p)

    def logsumexp(self, dim: int | Sequence[int] | None = None, keepdim: bool = False, *,
                  axis: int | Sequence[int] | None = None,
                  keepdims: bool | None = None) -> Tensor:
        if dim is None or axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("logsumexp", dim, keepdim, axis, keepdims,
                                        required=True)
        dims = _normalize_dims(dim, self.ndim)
        peak = self._reduce_array(lambda a: a.max(axis=dims, keepdims=True))
        peak = where(peak.isfinite(), peak, 0.0)
        total = (self - peak).exp().sum(dims, keepdim=True).log() + peak
        return total if keepdim else total.squeeze(dims)

    def all(self, dim: int | Sequence[int] | None = None, keepdim: bool = False, *,
            axis: int | Sequence[int] | None = None, keepdims: bool | None = None) -> Tensor:
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("all", dim, keepdim, axis, keepdims)
        reduced = _normalize_dims(dim, self.ndim)
        return Tensor._wrap(backend.namespace(self._array).asarray(
            self._array.astype(bool).all(axis=reduced, keepdims=keepdim)))

    def any(self, dim: int | Sequence[int] | None = None, keepdim: bool = False, *,
            axis: int | Sequence[int] | None = None, keepdims: bool | None = None) -> Tensor:
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("any", dim, keepdim, axis, keepdims)
        reduced = _normalize_dims(dim, self.ndim)
        return Tensor._wrap(backend.namespace(self._array).asarray(
            self._array.astype(bool).any(axis=reduced, keepdims=keepdim)))

    def count_nonzero(self, dim: int | Sequence[int] | None = None, *,
                      axis: int | Sequence[int] | None = None) -> Tensor:
        if axis is not None:
            dim, _ = _numpy_names("count_nonzero", dim, False, axis, None)
        return (self != 0).sum(dim)

    def sum_to_size(self, *size: Any) -> Tensor:
        """Sum this tensor down to ``size``, which it must broadcast from: the adjoint of
        broadcasting, used by every broadcasting op's backward."""
        shape = _shape_args(size)
        extra = self.ndim - len(shape)
        if extra < 0 or any(n != 1 and n != m for n, m in zip(shape, self.shape[extra:])):
            raise RuntimeError(f"size {list(shape)} is not expandable to size "
                               f"{list(self.shape)}")
        dims = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(shape)
                                           if n == 1 and self.shape[extra + i] != 1)
        if not dims:
            return self
        return ops.Sum.apply(self, dim=dims, keepdim=True).reshape(shape)

    # ---------------------------------------------------------------- shape

    def _view_of(self, out: Tensor) -> Tensor:
        """Mark ``out`` as sharing this tensor's memory (it shares the version counter)."""
        if out._array.base is not None or out._array is self._array:
            out._base = self._base if self._base is not None else self
            out._version_counter = self._counter()
        return out

    def _new_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """Resolve one -1 in ``shape`` and check that the element count matches."""
        size = self.numel()
        if shape.count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        if any(n < -1 for n in shape):
            raise RuntimeError(f"invalid shape dimension {builtins.min(shape)}")
        known = math.prod(n for n in shape if n != -1)
        if -1 in shape:
            if known == 0 or size % known:
                raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
            shape = tuple(size // known if n == -1 else n for n in shape)
        elif known != size:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
        return shape

    def view(self, *shape: Any) -> Tensor:
        """The same memory seen with another shape (the element count must match)."""
        if len(shape) == 1 and isinstance(shape[0], DType):
            raise NotImplementedError("view(dtype) is not supported; use .to(dtype)")
        new_shape = self._new_shape(_shape_args(shape))
        if not self.is_contiguous() and self.ndim > 1 and new_shape != self.shape:
            raise RuntimeError("view size is not compatible with input tensor's size and "
                               "stride (at least one dimension spans across two contiguous "
                               "subspaces). Use .reshape(...) instead.")
        return self._view_of(ops.View.apply(self, shape=new_shape))

    def reshape(self, *shape: Any) -> Tensor:
        new_shape = self._new_shape(_shape_args(shape))
        return self._view_of(ops.View.apply(self, shape=new_shape))

    def view_as(self, other: Tensor) -> Tensor:
        return self.view(other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        if self.ndim == 0:
            return self.reshape(1)
        start = _normalize_dim(start_dim, self.ndim)
        end = _normalize_dim(end_dim, self.ndim)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = self.shape
        return self.reshape(*shape[:start], math.prod(shape[start:end + 1]), *shape[end + 1:])

    def unflatten(self, dim: int, sizes: Sequence[int]) -> Tensor:
        axis = _normalize_dim(dim, self.ndim)
        return self.reshape(*self.shape[:axis], *sizes, *self.shape[axis + 1:])

    def squeeze(self, dim: int | Sequence[int] | None = None, *,
                axis: int | Sequence[int] | None = None) -> Tensor:
        if axis is not None:
            dim, _ = _numpy_names("squeeze", dim, False, axis, None)
        return self._squeeze(dim, in_place=False)

    def _squeeze(self, dim: int | Sequence[int] | None, in_place: bool) -> Tensor:
        dims = _normalize_dims(dim, self.ndim)
        if dims is None:
            dims = tuple(i for i, n in enumerate(self.shape) if n == 1)
        shape = tuple(n for i, n in enumerate(self.shape) if not (i in dims and n == 1))
        # PyTorch's name: SqueezeBackward0 every axis, 1 one dim, 2 a tuple (3-5 in place)
        variant = 0 if dim is None else 1 if isinstance(dim, int | np.integer) else 2
        out = ops.Squeeze.apply(self, shape=shape, variant=variant + 3 * in_place)
        return self._view_of(out)

    def unsqueeze(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        if dim is None or axis is not None:
            dim, _ = _numpy_names("unsqueeze", dim, False, axis, None, required=True)
        axis = _normalize_dim(dim, self.ndim + 1)
        shape = (*self.shape[:axis], 1, *self.shape[axis:])
        return self._view_of(ops.Unsqueeze.apply(self, shape=shape))

    def permute(self, *dims: Any) -> Tensor:
        order = _shape_args(dims)
        if len(order) != self.ndim:
            raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input "
                               f"does not match the length of the desired ordering of "
                               f"dimensions i.e. input.dim() = {self.ndim} is not equal to "
                               f"len(dims) = {len(order)}")
        normalized = tuple(_normalize_dim(d, self.ndim) for d in order)
        if sorted(normalized) != list(range(self.ndim)):
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        return self._view_of(ops.Permute.apply(self, dims=normalized))

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        order = list(range(self.ndim))
        a, b = _normalize_dim(dim0, self.ndim), _normalize_dim(dim1, self.ndim)
        order[a], order[b] = order[b], order[a]
        return self._view_of(ops.Transpose.apply(self, dims=tuple(order)))

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        return self.transpose(axis0, axis1)

    def t(self) -> Tensor:
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                               f"{self.ndim}D")
        if self.ndim < 2:
            return self
        return self._view_of(ops.T.apply(self, dims=(1, 0)))

    @property
    def T(self) -> Tensor:
        if self.ndim == 0:
            warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity "
                          "in these cases.", UserWarning, stacklevel=2)
        elif self.ndim != 2:
            warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse "
                          "their shape is deprecated and it will throw an error in a future "
                          "release. Consider `x.mT` to transpose batches of matrices or "
                          "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the "
                          "dimensions of a tensor.", UserWarning, stacklevel=2)
        return self.permute(*reversed(range(self.ndim))) if self.ndim >= 2 else self

    @property
    def mT(self) -> Tensor:
        return self.transpose(-2, -1)

    def expand(self, *sizes: Any) -> Tensor:
        """This tensor repeated along size-1 dimensions, without copying (-1 keeps a size)."""
        shape = _shape_args(sizes)
        if len(shape) < self.ndim:
            raise RuntimeError(f"expand(tinygrad_edu.{self.dtype.name}{{{list(self.shape)}}}, "
                               f"size={list(shape)}): the number of sizes provided "
                               f"({len(shape)}) must be greater or equal to the number of "
                               f"dimensions in the tensor ({self.ndim})")
        offset = len(shape) - self.ndim
        resolved = tuple(self.shape[i - offset] if n == -1 and i >= offset else n
                         for i, n in enumerate(shape))
        for i, n in enumerate(self.shape):
            if n != 1 and n != resolved[i + offset]:
                raise RuntimeError(f"The expanded size of the tensor ({resolved[i + offset]}) "
                                   f"must match the existing size ({n}) at non-singleton "
                                   f"dimension {i + offset}.  Target sizes: {list(shape)}.  "
                                   f"Tensor sizes: {list(self.shape)}")
        if resolved == self.shape:
            return self
        return self._view_of(ops.Expand.apply(self, shape=resolved))

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(other.shape)

    def broadcast_to(self, shape: Sequence[int]) -> Tensor:
        return self.expand(tuple(shape))

    def repeat(self, *sizes: Any) -> Tensor:
        reps = _shape_args(sizes)
        if len(reps) < self.ndim:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than "
                               "number of dimensions of tensor")
        base = self.reshape((1,) * (len(reps) - self.ndim) + tuple(self.shape))
        # insert a broadcast axis before each axis, expand it, then merge the pairs
        interleaved = base.reshape(*[x for n in base.shape for x in (1, n)])
        expanded = interleaved.expand(*[x for r, n in zip(reps, base.shape) for x in (r, n)])
        return expanded.reshape(*[r * n for r, n in zip(reps, base.shape)])

    def narrow(self, dim: int | None = None, start: int | None = None,
               length: int | None = None, *, axis: int | None = None) -> Tensor:
        if dim is None or axis is not None:
            dim, _ = _numpy_names("narrow", dim, False, axis, None, required=True)
        start = _required("narrow", "start", start)
        length = _required("narrow", "length", length)
        axis = _normalize_dim(dim, self.ndim)
        if start < 0:
            start += self.shape[axis]
        if not 0 <= start <= start + length <= self.shape[axis]:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                               f"({self.shape[axis]}).")
        key = (slice(None),) * axis + (slice(start, start + length),)
        return self[key]

    def select(self, dim: int | None = None, index: int | None = None, *,
               axis: int | None = None) -> Tensor:
        if dim is None or axis is not None:
            dim, _ = _numpy_names("select", dim, False, axis, None, required=True)
        index = _required("select", "index", index)
        axis = _normalize_dim(dim, self.ndim)
        size = self.shape[axis]
        if not -size <= index < size:
            raise IndexError(f"select(): index {index} out of range for tensor of size "
                             f"{list(self.shape)} at dimension {axis}")
        return self[(slice(None),) * axis + (index,)]

    def split(self, split_size_or_sections: int | Sequence[int], dim: int = 0
              ) -> tuple[Tensor, ...]:
        axis = _normalize_dim(dim, self.ndim)
        size = self.shape[axis]
        if isinstance(split_size_or_sections, int):
            step = split_size_or_sections
            if step <= 0:
                raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                                   f"split_size={step}")
            sections = [builtins.min(step, size - start) for start in range(0, size, step)]
        else:
            sections = list(split_size_or_sections)
            if sum(sections) != size:
                raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to "
                                   f"{size} (input tensor's size at dimension {axis}), but got "
                                   f"split_sizes={sections}")
        pieces, start = [], 0
        for length in sections:
            pieces.append(self.narrow(axis, start, length))
            start += length
        return tuple(pieces)

    def chunk(self, chunks: int, dim: int = 0, *, axis: int | None = None
              ) -> tuple[Tensor, ...]:
        if axis is not None:
            dim, _ = _numpy_names("chunk", dim, False, axis, None, no_dim=0)
        if chunks <= 0:
            raise RuntimeError("chunk expects `chunks` to be greater than 0, got: "
                               f"{chunks}")
        size = self.shape[_normalize_dim(dim, self.ndim)]
        return self.split(builtins.max(1, -(-size // chunks)), dim)

    def unbind(self, dim: int = 0, *, axis: int | None = None) -> tuple[Tensor, ...]:
        if axis is not None:
            dim, _ = _numpy_names("unbind", dim, False, axis, None, no_dim=0)
        axis = _normalize_dim(dim, self.ndim)
        return tuple(self.select(axis, i) for i in range(self.shape[axis]))

    def flip(self, dims: int | Sequence[int]) -> Tensor:
        """The elements in reverse order along ``dims``: a copy, as PyTorch (not a view)."""
        return ops.Flip.apply(self, dims=_normalize_dims(dims, self.ndim) or ())

    def gather(self, dim: int | None = None, index: Tensor | None = None, *,
               axis: int | None = None) -> Tensor:
        if dim is None or axis is not None:
            dim, _ = _numpy_names("gather", dim, False, axis, None, required=True)
        index = _required("gather", "index", index)
        axis = _normalize_dim(dim, self.ndim)
        if index.dtype is not backend.int64:
            raise RuntimeError(f"gather(): Expected dtype int64 for index, got "
                               f"{index.dtype!r}")
        if index.ndim != self.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as input "
                               "tensor")
        if type(index._array) is not type(self._array):
            raise _device_error(self, index)
        try:
            return ops.Gather.apply(self, dim=axis, index=index._array)
        except IndexError as exc:  # NumPy's IndexError; PyTorch raises a RuntimeError here
            raise RuntimeError(str(exc).replace("axis", "dimension")) from None

    # ---------------------------------------------------------------- indexing

    def __getitem__(self, key: Any) -> Tensor:
        index = _index_key(key, self)
        basic = _is_basic(index)
        try:
            out = ops.Index.apply(self, key=_view_key(index) if basic else index)
        except IndexError as exc:
            raise _index_error(exc, key, self) from None
        return self._view_of(out) if basic else out

    def __setitem__(self, key: Any, value: Any) -> None:
        mask = key[0] if isinstance(key, tuple) and len(key) == 1 else key
        if isinstance(mask, Tensor) and mask.dtype is backend.uint8 and (
                isinstance(value, _NUMBER_TYPES) or (isinstance(value, Tensor)
                                                     and value.numel() == 1)):
            # PyTorch fills through masked_fill_ here, which takes bool masks only
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with "
                               "dtype unsigned char")
        index = _index_key(key, self)
        if self._requires_grad and self.grad_fn is None and grad_mode.enabled and (
                _writes_through_a_view(key, self._array.shape)):
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in "
                               "an in-place operation.")
        if isinstance(value, Tensor):
            if type(value._array) is not type(self._array):
                raise _device_error(self, value)
            # basic indexing copies (converting, as copy_); index_put needs equal dtypes
            if value.dtype.category > self.dtype.category and not (
                    _is_basic(index) or value.ndim == 0):
                raise RuntimeError(f"Index put requires the source and destination dtypes "
                                   f"match, got {self.dtype.scalar_name} for the "
                                   f"destination and {value.dtype.scalar_name} for the "
                                   f"source.")
            value = value.to(self.dtype)
        elif isinstance(value, Sequence | np.ndarray):
            value = Tensor._wrap(backend.to_device(_to_array(value, self.dtype), self.device))
        try:
            self._inplace(ops.SetItem, value, key=index)
        except IndexError as exc:
            raise _index_error(exc, key, self) from None
        except ValueError:  # NumPy: the value does not broadcast to the selected elements
            raise RuntimeError(f"shape mismatch: value tensor of shape "
                               f"{list(_shape_of(value))} cannot be broadcast to indexing "
                               f"result of shape {list(self._array[index].shape)}") from None

    # ---------------------------------------------------------------- in place

    def _inplace(self, function: type[Function], *others: Any, **params: Any) -> Tensor:
        """Run ``function(self, *others)`` and write the result into this tensor's memory.

        When the operation is recorded, the node sees a snapshot of the old values, so its
        backward stays correct, and this tensor takes the new node as its ``grad_fn``.
        Everything is checked before anything is written.
        """
        recording = grad_mode.enabled and (self.requires_grad or any(
            isinstance(o, Tensor) and o.requires_grad for o in others))
        if recording:
            if self.grad_fn is None and self._requires_grad:
                raise RuntimeError("a leaf Variable that requires grad is being used in an "
                                   "in-place operation.")
            if self._base is not None and (self._base.requires_grad or self.requires_grad):
                if self._base.grad_fn is None and self._base._requires_grad:  # as PyTorch
                    raise RuntimeError("a view of a leaf Variable that requires grad is being "
                                       "used in an in-place operation.")
                raise RuntimeError("tinygrad_edu does not support in-place operations on a "
                                   "view of a tensor that requires grad (PyTorch rewrites the "
                                   "base's graph); use an out-of-place operation instead.")
            source = Tensor._wrap(self._array.copy())
            source.grad_fn = self.grad_fn
        else:
            source = self
        if not self._array.flags.writeable:
            raise RuntimeError("unsupported operation: more than one element of the written-to "
                               "tensor refers to a single memory location. Please clone() the "
                               "tensor before performing the operation.")
        result = function.apply(source, *others, **params)
        if result.shape != self.shape:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the "
                               f"broadcast shape {list(result.shape)}")
        if result.dtype.category > self.dtype.category:
            # PyTorch names the promoted type: a Python float makes an int tensor Float
            promoted = self.dtype
            for o in others:
                promoted = backend.promote_types(
                    promoted, o.dtype if isinstance(o, Tensor) else backend.scalar_dtype(o))
            if not promoted.is_floating_point:  # true division of integers
                promoted = backend.DEFAULT_FLOAT
            raise RuntimeError(f"result type {promoted.scalar_name} can't be cast to "
                               f"the desired output type {self.dtype.scalar_name}")
        self._array[...] = result._array
        self._counter().value += 1
        if recording:
            self.grad_fn = result.grad_fn
        return self

    def _inplace_binary(self, other: Any, function: type[Function],
                        floating: bool = False) -> Tensor:
        a, b = self._operands(other, floating)
        if isinstance(b, Tensor) and a is not self:  # promotion copied self: keep b only
            b = b.to(builtins.max(self.dtype, b.dtype, key=lambda d: d.category))
        if isinstance(b, Tensor) and b.shape != self.shape:
            try:
                np.broadcast_shapes(b.shape, self.shape)
            except ValueError:
                raise _broadcast_error(self.shape, b.shape) from None
        return self._inplace(function, b)

    def add_(self, other: Any, alpha: Scalar = 1) -> Tensor:
        return self._inplace_binary(other * alpha if alpha != 1 else other, ops.Add)

    def sub_(self, other: Any, alpha: Scalar = 1) -> Tensor:
        _refuse_bool_subtraction(self, other)
        return self._inplace_binary(other * alpha if alpha != 1 else other, ops.Sub)

    def mul_(self, other: Any) -> Tensor:
        return self._inplace_binary(other, ops.Mul)

    def div_(self, other: Any) -> Tensor:
        return self._inplace_binary(other, ops.Div, floating=True)

    def pow_(self, exponent: Scalar) -> Tensor:
        return self._inplace(ops.PowScalar, exponent=exponent)

    def neg_(self) -> Tensor:
        return self._inplace(ops.Neg)

    def abs_(self) -> Tensor:
        return self._inplace(ops.Abs)

    def exp_(self) -> Tensor:
        return self._inplace(ops.Exp)

    def sqrt_(self) -> Tensor:
        return self._inplace(ops.Sqrt)

    def relu_(self) -> Tensor:
        return self._inplace(ops.Relu)

    def sigmoid_(self) -> Tensor:
        return self._inplace(ops.Sigmoid)

    def tanh_(self) -> Tensor:
        return self._inplace(ops.Tanh)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        if min is None and max is None:
            raise RuntimeError("At least one of 'min' or 'max' must not be None")
        return self._inplace(ops.Clamp, low=min, high=max)

    def clip_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return self.clamp_(min, max)

    def zero_(self) -> Tensor:
        return self.fill_(0)

    def fill_(self, value: Scalar | Tensor) -> Tensor:
        self[...] = value
        return self

    def copy_(self, source: Tensor) -> Tensor:
        """Copy ``source``'s values (broadcast, converted) into this tensor."""
        if not isinstance(source, Tensor):
            raise TypeError(f"copy_(): argument 'src' must be Tensor, not "
                            f"{type(source).__name__}")
        try:
            np.broadcast_shapes(source.shape, self.shape)
        except ValueError:
            raise _broadcast_error(self.shape, source.shape) from None
        moved = source.to(self.device).to(self.dtype)
        self[...] = moved
        return self

    def masked_fill_(self, mask: Tensor, value: Scalar) -> Tensor:
        self[mask] = value
        return self

    def uniform_(self, a: float = 0.0, b: float = 1.0,
                 generator: Any = None) -> Tensor:
        from . import random

        values = random.resolve(generator).uniform(a, b, self.shape)
        self.data._array[...] = backend.to_device(values, self.device)
        self._counter().value += 1
        return self

    def normal_(self, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Tensor:
        from . import random

        values = random.resolve(generator).normal(mean, std, self.shape)
        self.data._array[...] = backend.to_device(values, self.device)
        self._counter().value += 1
        return self

    # ---------------------------------------------------------------- other names, layout
    # PyTorch's second names for methods above (NumPy's spelling or a longer word): one line
    # each that calls the first name, so both compute and differentiate the same.

    def greater(self, other: Any) -> Tensor:
        return self > other

    def greater_equal(self, other: Any) -> Tensor:
        return self >= other

    def less(self, other: Any) -> Tensor:
        return self < other

    def less_equal(self, other: Any) -> Tensor:
        return self <= other

    def not_equal(self, other: Any) -> Tensor:
        return self != other

    def multiply(self, other: Any) -> Tensor:
        return self * other

    def divide(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        return self.div(other, rounding_mode=rounding_mode)

    def subtract(self, other: Any, *, alpha: Scalar = 1) -> Tensor:
        return self.sub(other, alpha=alpha)

    def negative(self) -> Tensor:
        return -self

    def absolute(self) -> Tensor:
        return self.abs()

    def fix(self) -> Tensor:
        return self.trunc()

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        return self.transpose(dim0, dim1)

    def logical_xor(self, other: Tensor) -> Tensor:
        if not isinstance(other, Tensor):
            raise TypeError(f"logical_xor(): argument 'other' (position 1) must be Tensor, "
                            f"not {type(other).__name__}")
        return self.bool() ^ other.bool()

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor as ``other``'s type: ``self.type(other.type())``."""
        if not isinstance(other, Tensor):
            raise TypeError(f"type_as(): argument 'other' (position 1) must be Tensor, not "
                            f"{type(other).__name__}")
        return self.type(other.type())

    def is_same_size(self, other: Tensor) -> bool:
        if not isinstance(other, Tensor):
            raise TypeError(f"is_same_size(): argument 'other' (position 1) must be Tensor, "
                            f"not {type(other).__name__}")
        return self._array.shape == other._array.shape

    def stride(self, dim: int | None = None, *, axis: int | None = None) -> Any:
        """How many elements memory moves for one step along each dimension (NumPy counts
        bytes, PyTorch elements): ``(4, 1)`` for a contiguous 3x4 tensor, ``(1, 4)`` for its
        transpose, 0 along an expanded dimension."""
        if axis is not None:
            dim, _ = _numpy_names("stride", dim, False, axis, None)
        array = self._array
        if array.size == 0:  # NumPy gives an empty array no layout: PyTorch's contiguous one
            array = np.empty(tuple(builtins.max(n, 1) for n in array.shape), np.int8)
        strides = tuple(step // array.itemsize for step in array.strides)
        if dim is None:
            return strides
        if self._array.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return strides[_normalize_dim(dim, self.ndim)]

    # In-place shape changes: the values stay where they are; the tensor takes the view's
    # shape and, when recorded, its node (as PyTorch, a version bump tells a backward that
    # saved this tensor under its old shape).

    def _become_view(self, view: Callable[[], Tensor]) -> Tensor:
        if grad_mode.enabled and self.grad_fn is None and self._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        result = view()
        self._array = result._array
        if result.grad_fn is not None:  # under no_grad the node stays, as in PyTorch
            self.grad_fn = result.grad_fn
        self._counter().value += 1
        return self

    def unsqueeze_(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        if dim is None or axis is not None:
            dim, _ = _numpy_names("unsqueeze_", dim, False, axis, None, required=True)
        return self._become_view(lambda: self.unsqueeze(dim))

    def squeeze_(self, dim: int | Sequence[int] | None = None, *,
                 axis: int | Sequence[int] | None = None) -> Tensor:
        if axis is not None:
            dim, _ = _numpy_names("squeeze_", dim, False, axis, None)
        return self._become_view(lambda: self._squeeze(dim, in_place=True))

    def t_(self) -> Tensor:
        if self.ndim > 2:
            raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is "
                               f"{self.ndim}D")
        return self._become_view(self.t)

    def transpose_(self, dim0: int, dim1: int) -> Tensor:
        return self._become_view(lambda: self.transpose(dim0, dim1))

    # ---------------------------------------------------------------- new tensors

    # Each takes PyTorch's dtype=, device= and requires_grad= keywords; the dtype and device
    # default to this tensor's. The result is a new leaf (nothing is recorded).

    def new_tensor(self, data: Any, *, dtype: DType | None = None, device: Any = None,
                   requires_grad: bool = False) -> Tensor:
        """A copy of ``data`` (numbers, nested lists, an array or a tensor)."""
        if isinstance(data, Tensor):
            warnings.warn("To copy construct from a tensor, it is recommended to use "
                          "sourceTensor.detach().clone() or "
                          "sourceTensor.detach().clone().requires_grad_(True), rather than "
                          "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
        array = _to_array(data, self.dtype if dtype is None else dtype)
        target = self.device if device is None else backend.canonical_device(device)
        return self._new_leaf(backend.to_device(array, target), requires_grad)

    def new_zeros(self, *args: Any, size: Any = None, dtype: DType | None = None,
                  device: Any = None, requires_grad: bool = False) -> Tensor:
        return self._new_filled("new_zeros", args, size, 0, dtype, device, requires_grad)

    def new_ones(self, *args: Any, size: Any = None, dtype: DType | None = None,
                 device: Any = None, requires_grad: bool = False) -> Tensor:
        return self._new_filled("new_ones", args, size, 1, dtype, device, requires_grad)

    def new_empty(self, *args: Any, size: Any = None, dtype: DType | None = None,
                  device: Any = None, requires_grad: bool = False) -> Tensor:
        """Uninitialised memory: the values are whatever was there (as in PyTorch)."""
        return self._new_filled("new_empty", args, size, None, dtype, device, requires_grad)

    def new_full(self, size: Sequence[int], fill_value: Scalar, *, dtype: DType | None = None,
                 device: Any = None, requires_grad: bool = False) -> Tensor:
        if not isinstance(size, Sequence):
            raise TypeError(f"new_full(): argument 'size' (position 1) must be tuple of ints, "
                            f"not {type(size).__name__}")
        if not isinstance(fill_value, _NUMBER_TYPES):
            raise TypeError(f"new_full(): argument 'fill_value' (position 2) must be Number, "
                            f"not {type(fill_value).__name__}")
        return self._new_filled("new_full", (size,), None, fill_value, dtype, device,
                                requires_grad)

    def _new_filled(self, function: str, args: tuple[Any, ...], size: Any,
                    fill: Scalar | None, dtype: DType | None, device: Any,
                    requires_grad: bool) -> Tensor:
        """``new_zeros`` ... : the shape from ``f(2, 3)``, ``f((2, 3))`` or ``f(size=...)``;
        ``fill`` None leaves the memory uninitialised."""
        shape = _size_args(args, size, function)
        if any(n < 0 for n in shape):
            raise RuntimeError(f"Trying to create tensor with negative dimension "
                               f"{builtins.min(shape)}: {list(shape)}")
        target = self.device if device is None else backend.canonical_device(device)
        xp = backend.array_module(target)
        element = (self.dtype if dtype is None else dtype).numpy
        array = (xp.empty(shape, dtype=element) if fill is None
                 else xp.full(shape, fill, dtype=element))
        return self._new_leaf(array, requires_grad)

    @staticmethod
    def _new_leaf(array: Any, requires_grad: bool) -> Tensor:
        out = Tensor._wrap(array)
        if requires_grad:
            out.requires_grad = True  # checks the dtype
        return out


    # ---------------------------------------------------------------- more operations
    # Scans, sorting and selection, scatter, index_select, masked_select, nonzero, unique,
    # triangles and diagonals, outer, roll, log1p/expm1, atan2/hypot, movedim, tile and
    # repeat_interleave. Their primitives are in ops_more.py; these check the arguments.

    def _scan(self, function: type[Function], name: str, dim: int | None,
              dtype: DType | None, axis: int | None) -> Tensor:
        """cumsum / cumprod: ``dtype`` converts first, else integers and bools run in int64."""
        if dim is None or axis is not None:
            dim, _ = _numpy_names(name, dim, False, axis, None, required=True)
        source = self.to(dtype) if dtype is not None else (
            self if self.dtype.is_floating_point else self.to(backend.int64))
        return function.apply(source, dim=_normalize_dim(dim, self.ndim))

    def cumsum(self, dim: int | None = None, dtype: DType | None = None, *,
               axis: int | None = None) -> Tensor:
        """Running sums along ``dim``: element ``i`` is the sum of elements ``0..i``."""
        return self._scan(ops_more.Cumsum, "cumsum", dim, dtype, axis)

    def cumprod(self, dim: int | None = None, dtype: DType | None = None, *,
                axis: int | None = None) -> Tensor:
        """Running products along ``dim`` (the gradient is exact where there are zeros)."""
        return self._scan(ops_more.Cumprod, "cumprod", dim, dtype, axis)

    def _order(self, dim: int, descending: bool) -> Any:
        """The stable sorting order along ``dim`` (an int64 array; 0 for a 0-d tensor)."""
        if self.ndim == 0:
            return backend.namespace(self._array).zeros((), dtype=np.int64)
        return ops_more.sort_order(self._array, dim, descending)

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False,
             axis: int | None = None) -> ValuesIndices:
        """The values in order along ``dim`` and the indices they came from. The sort is
        always stable (equal values keep their order), so ``stable`` changes nothing."""
        if axis is not None:
            dim, _ = _numpy_names("sort", dim, False, axis, None, no_dim=-1)
        d = _normalize_dim(dim, self.ndim)
        order = self._order(d, descending)
        values = ops_more.Sort.apply(self, dim=d, index=order)
        return ValuesIndices("sort", values, Tensor._wrap(order))

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False,
                axis: int | None = None) -> Tensor:
        """The indices that sort the tensor along ``dim`` (stable, as ``sort``)."""
        if axis is not None:
            dim, _ = _numpy_names("argsort", dim, False, axis, None, no_dim=-1)
        return Tensor._wrap(self._order(_normalize_dim(dim, self.ndim), descending))

    @staticmethod
    def _check_k(name: str, k: Any) -> None:
        if not isinstance(k, int | np.integer) or isinstance(k, bool):
            raise TypeError(f"{name}(): argument 'k' (position 1) must be int, not "
                            f"{type(k).__name__}")

    def topk(self, k: int, dim: int | None = None, largest: bool = True,
             sorted: bool = True, *, axis: int | None = None) -> ValuesIndices:  # noqa: A002
        """The ``k`` largest values along ``dim`` (the last by default), or the smallest with
        ``largest=False``, and their indices. Always in order, also for ``sorted=False``."""
        if axis is not None:
            dim, _ = _numpy_names("topk", dim, False, axis, None)
        self._check_k("topk", k)
        d = _normalize_dim(-1 if dim is None else dim, self.ndim)
        if not 0 <= k <= (self.shape[d] if self.ndim else 1):
            raise RuntimeError("selected index k out of range")
        order = self._order(d, descending=largest)
        if self.ndim:
            order = order[(slice(None),) * d + (slice(0, k),)].copy()
        values = ops_more.Topk.apply(self, dim=d, index=order)
        return ValuesIndices("topk", values, Tensor._wrap(order))

    def _pick_along(self, function: type[Function], name: str, dim: int, keepdim: bool,
                    pick: Callable[[Any, int], Any]) -> ValuesIndices:
        """kthvalue / median along ``dim``; ``pick(array, dim)`` finds the index (a size-1
        axis). A 0-d tensor is one element, and its results are 0-d."""
        source = self if self.ndim else self.reshape(1)
        keepdim = keepdim and self.ndim > 0
        if source.shape[dim] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")
        index = pick(source._array, dim)
        values = function.apply(source, dim=dim, keepdim=keepdim, index=index)
        return ValuesIndices(name, values, Tensor._wrap(index if keepdim else index.squeeze(dim)))

    def kthvalue(self, k: int, dim: int | None = None, keepdim: bool = False, *,
                 axis: int | None = None, keepdims: bool | None = None) -> ValuesIndices:
        """The ``k``-th smallest value along ``dim`` (the last by default), ``k`` from 1, and
        its index."""
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("kthvalue", dim, keepdim, axis, keepdims)
        self._check_k("kthvalue", k)
        d = _normalize_dim(-1 if dim is None else dim, self.ndim)
        size = self.shape[d] if self.ndim else 1
        if size and not 1 <= k <= size:
            raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
        return self._pick_along(ops_more.Kthvalue, "kthvalue", d, keepdim,
                                lambda a, axis: ops_more.kth_order(a, axis, k))

    def median(self, dim: int | None = None, keepdim: bool = False, *,
               axis: int | None = None, keepdims: bool | None = None) -> Any:
        """The lower median of all elements; with ``dim``, the lower median along it and its
        index. NaN when a NaN is among the values."""
        if axis is not None or keepdims is not None:
            dim, keepdim = _numpy_names("median", dim, keepdim, axis, keepdims)
        if dim is None:
            return ops_more.Median.apply(self)
        return self._pick_along(ops_more.MedianDim, "median", _normalize_dim(dim, self.ndim),
                                keepdim, ops_more.median_order)

    def _scatter_args(self, name: str, dim: int | None, index: Tensor | None, src: Any,
                      axis: int | None) -> tuple[int, Any, Any]:
        """The dim, index array and source of scatter / scatter_add, checked as PyTorch."""
        if dim is None or axis is not None:
            dim, _ = _numpy_names(name, dim, False, axis, None, required=True)
        d = _normalize_dim(dim, self.ndim)
        if not isinstance(index, Tensor):
            raise TypeError(f"{name}(): argument 'index' (position 2) must be Tensor, not "
                            f"{type(index).__name__}")
        if index.dtype is not backend.int64 and index.dtype is not backend.int32:
            raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
        for other in (index, src):
            if isinstance(other, Tensor) and type(other._array) is not type(self._array):
                raise _device_error(self, other)
        if isinstance(src, Tensor):
            if src.dtype is not self.dtype:
                raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        elif isinstance(src, _NUMBER_TYPES):
            src = src.item() if isinstance(src, np.generic) else src
        else:
            raise TypeError(f"{name}(): argument 'src' (position 3) must be Tensor or a "
                            f"number, not {type(src).__name__}")
        if index.numel() == 0:  # writes nothing, whatever its shape (as PyTorch)
            return d, backend.namespace(self._array).zeros((0,) * self.ndim, np.int64), src
        if index.ndim != self.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as self "
                               "tensor")
        if isinstance(src, Tensor) and src.ndim != index.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as src "
                               "tensor")
        larger = any(n > self.shape[i] for i, n in enumerate(index.shape) if i != d)
        if larger or (isinstance(src, Tensor) and any(
                n > m for n, m in zip(index.shape, src.shape))):
            message = (f"Expected index {list(index.shape)} to be no larger than self "
                       f"{list(self.shape)} apart from dimension {d}")
            if isinstance(src, Tensor):
                message += f" and to be no larger size than src {list(src.shape)}"
            raise RuntimeError(message)
        size = self.shape[d] if self.ndim else 1
        bad = ops_more.first_out_of_range(index._array, size)
        if bad is not None:
            raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {size}")
        return d, index._array, src

    def _scatter(self, name: str, dim: int | None, index: Tensor | None, src: Any, value: Any,
                 reduce: str | None, axis: int | None, in_place: bool) -> Tensor:
        if src is None and value is None:
            raise TypeError(f'{name}() missing 1 required positional arguments: "src"')
        d, index_array, source = self._scatter_args(name, dim, index,
                                                    value if src is None else src, axis)
        if reduce is None:
            if in_place:
                return self._inplace(ops_more.Scatter, source, dim=d, index=index_array)
            return ops_more.Scatter.apply(self, source, dim=d, index=index_array)
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if isinstance(source, Tensor):
            warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated "
                          "and will be removed in a future PyTorch release. Use "
                          "torch.scatter_reduce instead for more reduction options.",
                          UserWarning, stacklevel=3)

        def compute(a: Any, s: Any) -> Any:
            return ops_more.scatter_reduce_array(a, s, d, index_array, reduce)

        params = {"compute": compute, "node_name": "torch::autograd::NotImplemented",
                  "error": (RuntimeError, "derivative for aten::scatter is not implemented")}
        if in_place:
            return self._inplace(ops_more.NotDifferentiable, source, **params)
        return ops_more.NotDifferentiable.apply(self, source, **params)

    def scatter(self, dim: int | None = None, index: Tensor | None = None, src: Any = None, *,
                value: Any = None, reduce: str | None = None,
                axis: int | None = None) -> Tensor:
        """A copy with ``src`` (a tensor, or a number ``value``) written at ``index`` along
        ``dim``: for dim 0, ``out[index[i][j]][j] = src[i][j]``. ``reduce='add'`` or
        ``'multiply'`` combines instead of overwriting (and, as in PyTorch, has no
        gradient). Where ``index`` repeats a place, which value lands there is not defined."""
        return self._scatter("scatter", dim, index, src, value, reduce, axis, in_place=False)

    def scatter_(self, dim: int | None = None, index: Tensor | None = None, src: Any = None, *,
                 value: Any = None, reduce: str | None = None,
                 axis: int | None = None) -> Tensor:
        return self._scatter("scatter_", dim, index, src, value, reduce, axis, in_place=True)

    def _scatter_add(self, name: str, dim: int | None, index: Tensor | None, src: Any,
                     axis: int | None, in_place: bool) -> Tensor:
        if not isinstance(src, Tensor):
            raise TypeError(f"{name}(): argument 'src' (position 3) must be Tensor, not "
                            f"{type(src).__name__}")
        d, index_array, source = self._scatter_args(name, dim, index, src, axis)
        if in_place:
            return self._inplace(ops_more.ScatterAddInto, source, dim=d, index=index_array)
        return ops_more.ScatterAddInto.apply(self, source, dim=d, index=index_array)

    def scatter_add(self, dim: int | None = None, index: Tensor | None = None,
                    src: Tensor | None = None, *, axis: int | None = None) -> Tensor:
        """A copy with ``src`` added at ``index`` along ``dim`` (repeated places add up)."""
        return self._scatter_add("scatter_add", dim, index, src, axis, in_place=False)

    def scatter_add_(self, dim: int | None = None, index: Tensor | None = None,
                     src: Tensor | None = None, *, axis: int | None = None) -> Tensor:
        return self._scatter_add("scatter_add_", dim, index, src, axis, in_place=True)

    def index_select(self, dim: int | None = None, index: Tensor | None = None, *,
                     axis: int | None = None) -> Tensor:
        """The slices ``index`` (a vector, repeats allowed) along ``dim``, as a new tensor."""
        if dim is None or axis is not None:
            dim, _ = _numpy_names("index_select", dim, False, axis, None, required=True)
        if not isinstance(index, Tensor):
            raise TypeError(f"index_select(): argument 'index' (position 2) must be Tensor, "
                            f"not {type(index).__name__}")
        d = _normalize_dim(dim, self.ndim)
        if index.dtype is not backend.int64 and index.dtype is not backend.int32:
            raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
        if index.ndim > 1:
            raise IndexError("index_select(): Index is supposed to be a vector")
        if type(index._array) is not type(self._array):
            raise _device_error(self, index)
        if self.ndim == 0 and index.numel() != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got "
                               f"{index.numel()} value(s)")
        size = self.shape[d] if self.ndim else 1
        bad = ops_more.first_out_of_range(index._array, size)
        if bad is not None:
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} "
                               f"axis_dim={size}")
        return ops_more.IndexSelect.apply(self, dim=d, index=index._array.reshape(-1))

    def masked_select(self, mask: Tensor) -> Tensor:
        """The elements where ``mask`` (bool, broadcast with this tensor) is true, as a vector."""
        if not isinstance(mask, Tensor):
            raise TypeError(f"masked_select(): argument 'mask' (position 1) must be Tensor, not "
                            f"{type(mask).__name__}")
        if mask.dtype is not backend.bool_:
            raise RuntimeError("masked_select: expected BoolTensor for mask")
        if type(mask._array) is not type(self._array):
            raise _device_error(self, mask)
        try:
            shape = tuple(np.broadcast_shapes(mask.shape, self.shape))
        except ValueError:
            raise _broadcast_error(mask.shape, self.shape) from None
        key = backend.namespace(mask._array).broadcast_to(mask._array, shape)
        return ops_more.MaskedSelect.apply(self.expand(shape), key=key)

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        """The indices of the nonzero elements: one row per element (``as_tuple``: one index
        vector per dimension, ready for ``x[...]``)."""
        xp = backend.namespace(self._array)
        if self.ndim == 0:  # one element: one row with no columns, as PyTorch
            count = int(bool(self._array != 0))
            if as_tuple:
                return (Tensor._wrap(xp.zeros(count, dtype=np.int64)),)
            return Tensor._wrap(xp.zeros((count, 0), dtype=np.int64))
        if as_tuple:
            return tuple(Tensor._wrap(i.astype(np.int64, copy=False))
                         for i in xp.nonzero(self._array))
        return Tensor._wrap(xp.argwhere(self._array).astype(np.int64, copy=False))

    def argwhere(self) -> Tensor:
        return self.nonzero()

    def unique(self, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
               return_counts: bool = False, dim: int | None = None) -> Any:
        """The distinct values in increasing order (also for ``sorted=False``, as PyTorch on
        the CPU); ``return_inverse``: where each element's value is among them;
        ``return_counts``: how often each occurs. NaNs are all distinct, as in PyTorch."""
        if dim is not None:
            raise NotImplementedError("unique(dim=...) is not supported in tinygrad_edu: call "
                                      "unique() without dim (on all elements)")
        xp = backend.namespace(self._array)
        values, inverse, counts = xp.unique(self._array.reshape(-1), return_inverse=True,
                                            return_counts=True, equal_nan=False)
        out = ops_more.NotDifferentiable.apply(
            self, compute=lambda a: values, node_name="Unique2Backward0",
            error=(NotImplementedError, "the derivative for '_unique2' is not implemented."))
        results = [out]
        if return_inverse:
            results.append(Tensor._wrap(inverse.reshape(self.shape).astype(np.int64)))
        if return_counts:
            results.append(Tensor._wrap(counts.astype(np.int64)))
        return results[0] if len(results) == 1 else tuple(results)

    def _check_matrix(self, name: str) -> None:
        if self.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dims: zeros above the ``diagonal``-th diagonal."""
        self._check_matrix("tril")
        return ops_more.Tril.apply(self, diagonal=diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dims: zeros below the ``diagonal``-th diagonal."""
        self._check_matrix("triu")
        return ops_more.Triu.apply(self, diagonal=diagonal)

    def tril_(self, diagonal: int = 0) -> Tensor:
        self._check_matrix("tril")
        return self._inplace(ops_more.Tril, diagonal=diagonal)

    def triu_(self, diagonal: int = 0) -> Tensor:
        self._check_matrix("triu")
        return self._inplace(ops_more.Triu, diagonal=diagonal)

    def diag(self, diagonal: int = 0) -> Tensor:
        """A vector's square matrix with it on the ``diagonal``-th diagonal, or a matrix's
        ``diagonal``-th diagonal as a vector (a copy)."""
        if self.ndim == 1:
            n = self.shape[0] + builtins.abs(diagonal)
            return ops_more.DiagEmbed.apply(self, offset=diagonal, dim1=0, dim2=1, shape=(n, n))
        if self.ndim == 2:
            return ops_more.DiagonalCopy.apply(self, offset=diagonal, dim1=0, dim2=1)
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self.ndim}D")

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The ``offset`` diagonal of dims ``dim1`` and ``dim2``, as a new last dim (a view)."""
        first, second = _normalize_dim(dim1, self.ndim), _normalize_dim(dim2, self.ndim)
        if first == second:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        return self._view_of(ops_more.Diagonal.apply(self, offset=offset, dim1=first,
                                                     dim2=second))

    def trace(self) -> Tensor:
        """The sum of a matrix's diagonal (integers and bools sum as int64)."""
        if self.ndim != 2:
            raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {self.ndim}")
        if self.dtype is backend.bool_:
            raise NotImplementedError("\"trace\" not implemented for 'Bool'")
        source = self if self.dtype.is_floating_point else self.to(backend.int64)
        return ops_more.Trace.apply(source)

    def outer(self, vec2: Tensor) -> Tensor:
        """The outer product of two vectors: ``out[i][j] = self[i] * vec2[j]``."""
        if not isinstance(vec2, Tensor):
            raise TypeError(f"outer(): argument 'vec2' (position 1) must be Tensor, not "
                            f"{type(vec2).__name__}")
        for name, t in (("self", self), ("vec2", vec2)):
            if t.ndim != 1:
                raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
        return self.reshape(-1, 1) * vec2  # MulBackward0, as PyTorch

    def roll(self, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None
             ) -> Tensor:
        """Shift the elements cyclically by ``shifts`` along ``dims`` (with no ``dims``,
        all elements in order, then the shape is restored)."""
        shift_list = (shifts,) if isinstance(shifts, int | np.integer) else tuple(shifts)
        if dims is None:
            if len(shift_list) != 1:
                raise RuntimeError(f"shifts and dimensions must align. shifts: "
                                   f"{len(shift_list)}, dims:0")
            return ops_more.Roll.apply(self, shifts=(int(shift_list[0]),), dims=None)
        dim_list = (dims,) if isinstance(dims, int | np.integer) else tuple(dims)
        if len(shift_list) != len(dim_list):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shift_list)}, "
                               f"dims:{len(dim_list)}")
        if self.ndim == 0:
            raise IndexError(f"Dimension specified as {dim_list[0]} but tensor has no "
                             f"dimensions")
        axes = tuple(_normalize_dim(d, self.ndim) for d in dim_list)
        return ops_more.Roll.apply(self, shifts=tuple(int(s) for s in shift_list), dims=axes)

    def log1p(self) -> Tensor:
        """$\\ln(1 + x)$, accurate for small $x$."""
        return ops_more.Log1p.apply(self._floating())

    def expm1(self) -> Tensor:
        """$e^x - 1$, accurate for small $x$."""
        return ops_more.Expm1.apply(self._floating())

    def _float_inplace(self, function: type[Function]) -> Tensor:
        if not self.dtype.is_floating_point:
            raise RuntimeError(f"result type Float can't be cast to the desired output type "
                               f"{self.dtype.scalar_name}")
        return self._inplace(function)

    def log1p_(self) -> Tensor:
        return self._float_inplace(ops_more.Log1p)

    def expm1_(self) -> Tensor:
        return self._float_inplace(ops_more.Expm1)

    def _float_binary(self, other: Tensor, function: type[Function], name: str) -> Tensor:
        if not isinstance(other, Tensor):
            raise TypeError(f"{name}(): argument 'other' (position 1) must be Tensor, not "
                            f"{type(other).__name__}")
        if name == "hypot" and self._operands(other)[0].dtype.category != DType.FLOAT:
            raise NotImplementedError(f"\"hypot_cpu\" not implemented for "
                                      f"'{self._operands(other)[0].dtype.scalar_name}'")
        return self._binary(other, function, floating=True)

    def atan2(self, other: Tensor) -> Tensor:
        """The angle of the point ``(other, self)``, in $(-\\pi, \\pi]$ (broadcasting)."""
        return self._float_binary(other, ops_more.Atan2, "atan2")

    def arctan2(self, other: Tensor) -> Tensor:
        return self._float_binary(other, ops_more.Atan2, "arctan2")

    def atan2_(self, other: Tensor) -> Tensor:
        self._float_binary(other, ops_more.Atan2, "atan2_")  # checks, no result kept
        return self._inplace_binary(other, ops_more.Atan2, floating=True)

    def hypot(self, other: Tensor) -> Tensor:
        """$\\sqrt{x^2 + y^2}$ elementwise, without overflow (floating point only)."""
        return self._float_binary(other, ops_more.Hypot, "hypot")

    def hypot_(self, other: Tensor) -> Tensor:
        self._float_binary(other, ops_more.Hypot, "hypot")
        return self._inplace_binary(other, ops_more.Hypot, floating=True)

    def movedim(self, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
        """The dims ``source`` moved to the places ``destination``; the others keep their
        order (a view, ``permute``)."""
        sources = (source,) if isinstance(source, int | np.integer) else tuple(source)
        targets = ((destination,) if isinstance(destination, int | np.integer)
                   else tuple(destination))
        if len(sources) != len(targets):
            raise RuntimeError(f"movedim: Invalid source or destination dims: source "
                               f"({list(sources)} dims) should contain the same number of dims "
                               f"as destination ({list(targets)} dims)")
        moved = [_normalize_dim(d, self.ndim) for d in sources]
        places = [_normalize_dim(d, self.ndim) for d in targets]
        for what, given, dims in (("source", sources, moved), ("destination", targets, places)):
            if len(set(dims)) != len(dims):
                raise RuntimeError(f"movedim: repeated dim in `{what}` ({list(given)})")
        order = [d for d in range(self.ndim) if d not in moved]
        for place, d in builtins.sorted(zip(places, moved)):
            order.insert(place, d)
        return self.permute(order if self.ndim else [])

    def moveaxis(self, source: int | Sequence[int], destination: int | Sequence[int]
                 ) -> Tensor:
        return self.movedim(source, destination)

    def tile(self, *dims: Any) -> Tensor:
        """Repeat the tensor ``dims`` times along each dimension; missing leading repeats
        count as 1 (unlike ``repeat``, fewer repeats than dims is allowed)."""
        reps = _shape_args(dims)
        reps = (1,) * (self.ndim - len(reps)) + reps
        shape = (1,) * (len(reps) - self.ndim) + tuple(self.shape)
        sizes = [r * n for r, n in zip(reps, shape)]
        if any(r < 0 for r in reps):
            raise RuntimeError(f"Trying to create tensor with negative dimension "
                               f"{builtins.min(sizes)}: {sizes}")
        return self.repeat(reps)

    def repeat_interleave(self, repeats: int | Tensor, dim: int | None = None, *,
                          output_size: int | None = None, axis: int | None = None) -> Tensor:
        """Each element (each slice along ``dim``; with no ``dim``, of the flattened tensor)
        repeated ``repeats`` times in place: ``[1, 2] -> [1, 1, 2, 2]``."""
        if axis is not None:
            dim, _ = _numpy_names("repeat_interleave", dim, False, axis, None)
        source = self.flatten() if dim is None else self
        d = _normalize_dim(0 if dim is None else dim, source.ndim)
        if isinstance(repeats, Tensor):
            result = source._repeat_each(repeats, d)
        else:
            if repeats < 0:
                raise RuntimeError("Repeats must be non-negative")
            shape = tuple(source.shape)
            spread = source.unsqueeze(d + 1).expand(*shape[:d + 1], repeats, *shape[d + 1:])
            result = spread.flatten(d, d + 1)  # ViewBackward0, as PyTorch
        if output_size is not None and output_size != result.shape[d]:
            raise RuntimeError(f"repeat_interleave: Invalid output_size, expected "
                               f"{result.shape[d]} but got {output_size}")
        return result

    def _repeat_each(self, repeats: Tensor, dim: int) -> Tensor:
        """repeat_interleave with a tensor of repeats: slice ``i`` comes ``repeats[i]`` times."""
        if repeats.dtype.is_floating_point or repeats.dtype is backend.bool_:
            raise NotImplementedError(f"\"repeat_interleave_cpu\" not implemented for "
                                      f"'{repeats.dtype.scalar_name}'")
        if repeats.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if type(repeats._array) is not type(self._array):
            raise _device_error(self, repeats)
        if self.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        size = self.shape[dim]
        counts = repeats._array.reshape(-1)
        xp = backend.namespace(counts)
        if counts.size == 1:
            counts = xp.broadcast_to(counts, (size,))
        if counts.size != size:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {counts.size} and input.size({dim}) = {size}")
        if bool((counts < 0).any()):
            raise RuntimeError("repeats can not be negative")
        # output place p takes slice i where ends[i-1] <= p < ends[i] (CuPy's repeat refuses
        # an array of repeats)
        ends = xp.cumsum(counts)
        index = xp.searchsorted(ends, xp.arange(int(ends[-1]) if size else 0), side="right")
        return ops_more.IndexSelect.apply(self, dim=dim, index=index)

    # ---------------------------------------------------------------- dtype shortcuts
    # Last in the class on purpose: once `def int(self)` is in the class body, `int` in the
    # annotations below it names this method, not the builtin type (for a type checker).

    def type(self, dtype: DType | str | builtins.type | None = None,
             non_blocking: bool = False) -> Any:
        """With no argument, PyTorch's name of the type: ``'torch.FloatTensor'``
        (``'torch.cuda.FloatTensor'`` on a GPU). Unlike printed names, this string says
        ``torch``, because code compares it (``x.type() == 'torch.FloatTensor'``).

        With a dtype, a legacy type (``torch.LongTensor``, ``torch.Tensor`` for the default
        one) or its name (``'torch.DoubleTensor'``; ``tinygrad_edu.`` works too), this tensor
        converted (moved to the type's device); itself when it already is that type."""
        if dtype is None:
            return f"torch{'.cuda' if self.is_cuda else ''}.{self.dtype.scalar_name}Tensor"
        if isinstance(dtype, type):  # a legacy type class means its name, as in PyTorch
            name = dtype.__name__ if dtype.__module__ == "builtins" else (
                f"{dtype.__module__}.{dtype.__qualname__}")
            dtype = "torch.Tensor" if dtype is Tensor else name
        if isinstance(dtype, str):
            target, where = _tensor_type(dtype)
            return self.to(where, target)
        if not isinstance(dtype, DType):
            raise TypeError("dtype must be a type, str, or dtype object")
        return self.to(dtype)

    def float(self) -> Tensor:
        return self.to(backend.float32)

    def double(self) -> Tensor:
        return self.to(backend.float64)

    def half(self) -> Tensor:
        return self.to(backend.float16)

    def long(self) -> Tensor:
        return self.to(backend.int64)

    def int(self) -> Tensor:
        return self.to(backend.int32)

    def short(self) -> Tensor:
        return self.to(backend.int16)

    def bool(self) -> Tensor:
        return self.to(backend.bool_)


# ----------------------------------------------------------------------------- helpers




def _tensor_type(name: str) -> tuple[DType, str]:
    """``'torch.cuda.FloatTensor'`` -> (float32, 'cuda'); ``tinygrad_edu.`` works too;
    ``'torch.Tensor'`` is the default float type on the cpu."""
    parts = name.split(".")
    on_gpu = len(parts) == 3 and parts[1] == "cuda"
    if parts[1:] == ["Tensor"] and parts[0] in ("torch", "tinygrad_edu"):
        return backend.DEFAULT_FLOAT, "cpu"
    if parts[0] in ("torch", "tinygrad_edu") and (len(parts) == 2 or on_gpu):
        for candidate in backend.ALL_DTYPES:
            if parts[-1] == f"{candidate.scalar_name}Tensor":
                return candidate, "cuda" if on_gpu else "cpu"
    raise ValueError(f"invalid type: '{name}'")


def _shape_of(value: Any) -> tuple[int, ...]:
    return tuple(value.shape) if hasattr(value, "shape") else ()


def _root(total: Tensor, p: float) -> Tensor:
    """``total ** (1 / p)`` with gradient 0 where ``total`` is 0 (not inf * 0 = nan): PyTorch's
    convention for the gradient of ``norm`` and ``std`` at 0. The double ``where`` keeps the
    infinite derivative of the root out of the graph."""
    zero = total == 0
    safe = where(zero, 1.0, total)
    return where(zero, 0.0, safe.sqrt() if p == 2 else safe ** (1.0 / p))


def _wrap_result(array: Any) -> Tensor:
    """A tensor around a NumPy result, which is a scalar (not a 0-d array) for 0-d inputs."""
    return Tensor._wrap(np.asarray(array) if isinstance(array, np.generic) else array)


def _refuse_bool_subtraction(a: Tensor, b: Any) -> None:
    """PyTorch has no subtraction with a bool operand (tensor or Python bool)."""
    if a.dtype is backend.bool_ or isinstance(b, bool) or (
            isinstance(b, Tensor) and b.dtype is backend.bool_):
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or "
                           "`logical_not()` operator instead.")


def _floor_divide(a: Any, b: Any) -> Any:
    """``a // b`` on arrays; an integer division by zero raises PyTorch's error (NumPy gives 0
    and a warning)."""
    _refuse_integer_division_by_zero(a, b)
    return np.floor_divide(a, b)


def _remainder(a: Any, b: Any) -> Any:
    """``a % b`` on arrays (the sign of ``b``, as Python's), with ``//``'s zero check."""
    _refuse_integer_division_by_zero(a, b)
    return np.remainder(a, b)


def _refuse_integer_division_by_zero(a: Any, b: Any) -> None:
    def whole(x: Any) -> bool:  # an integer array, or a Python int (`7 % t`)
        return x.dtype.kind in "iub" if hasattr(x, "dtype") else isinstance(x, int)

    if whole(a) and whole(b) and (b == 0 if isinstance(b, int) else bool((b == 0).any())):
        raise RuntimeError("ZeroDivisionError")


def _has_negative_integers(array: Any) -> bool:
    return array.dtype.kind == "i" and bool((array < 0).any())


def _integer_power(base: Any, exponent: Any) -> Tensor:
    """``base ** exponent`` for integers with some negative exponent, as PyTorch: 1 and -1 keep
    their powers, every other base gives 0 (NumPy raises)."""
    xp = backend.namespace(exponent)
    try:
        keep = (exponent >= 0) | (base == 1) | (base == -1)
        return _wrap_result(xp.where(keep, xp.power(base, xp.abs(exponent)), 0))
    except ValueError:
        raise _broadcast_error(_shape_of(base), exponent.shape) from None


# the C++ names that PyTorch's mm error gives the dtypes
_C_TYPE_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char",
                 "int16": "short int", "int32": "int", "int64": "long int",
                 "float16": "c10::Half", "float32": "float", "float64": "double"}


def _matmul_dtype_error(a: Tensor, b: Tensor) -> RuntimeError:
    """PyTorch's error for ``a @ b`` of two dtypes, worded by the kernel it would run."""
    x, y = a.dtype, b.dtype
    if a.ndim == 1 and b.ndim == 1:
        return RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                            f"{x.scalar_name} and {y.scalar_name}")
    if b.ndim == 1:
        return RuntimeError(f"addmv input tensors must have the same dtype, but got "
                            f"{y.scalar_name}, {x.scalar_name}, and {y.scalar_name}")
    if b.ndim == 2:
        return RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                            f"{_C_TYPE_NAMES[x.name]} != {_C_TYPE_NAMES[y.name]}")
    return RuntimeError(f"expected scalar type {x.scalar_name} but found {y.scalar_name}")


def _comparable(value: Any) -> bool:
    """A number or an array: what ``==`` compares with a tensor (else Python answers)."""
    return isinstance(value, _NUMBER_TYPES) or backend.is_array(value)


def _device_error(a: Tensor, b: Tensor) -> RuntimeError:
    return RuntimeError(f"Expected all tensors to be on the same device, but found at least "
                        f"two devices, {a.device} and {b.device}!")


def _as_tensor_like(value: Any, like: Tensor) -> Tensor:
    """``value`` as a tensor on ``like``'s device (numbers keep PyTorch's inferred dtype)."""
    if isinstance(value, Tensor):
        return value
    array = _to_array(value, None)
    if isinstance(value, float) and like.dtype.is_floating_point:
        array = array.astype(like._array.dtype)
    return Tensor._wrap(backend.to_device(array, like.device))


_PYTHON_NUMBERS = frozenset({bool, int, float})


def _sequence_dtype(data: list[Any] | tuple[Any, ...]) -> DType | None:
    """PyTorch's dtype for nested sequences with NumPy scalars, NumPy arrays or tensors among
    the numbers: theirs and the Python numbers' (bool, int64, the default float) promoted
    together, so ``[np.float64(1.5)]`` is float64. None for Python numbers alone (NumPy's
    inference then gives PyTorch's, once float64 is read as the default float). Warns as
    PyTorch does about NumPy arrays inside, which it converts one number at a time."""
    found: list[Any] = []  # the NumPy dtypes and our dtypes of what is not a Python number
    python_types: set[type] = set()
    has_array = False
    pending = [data]
    while pending:
        sequence = pending.pop()
        types = set(map(type, sequence))
        if types <= _PYTHON_NUMBERS:
            python_types |= types
            continue
        for item in sequence:
            if isinstance(item, list | tuple):
                pending.append(item)
            elif isinstance(item, Tensor | np.ndarray | np.number | np.bool_):
                has_array = has_array or isinstance(item, np.ndarray)
                found.append(item.dtype)
            elif type(item) in _PYTHON_NUMBERS:
                python_types.add(type(item))
    if has_array:
        warnings.warn("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please "
                      "consider converting the list to a single numpy.ndarray with numpy.array() "
                      "before converting to a tensor.", UserWarning, stacklevel=4)
    dtypes = [d if isinstance(d, DType) else backend.from_numpy_dtype(d) for d in found
              if isinstance(d, DType) or d.kind not in "OSUV"]  # np.array says what is wrong
    if not dtypes:
        return None
    result = dtypes[0]
    for other in dtypes[1:] + [backend.scalar_dtype(kind()) for kind in python_types]:
        result = backend.promote_types(result, other)
    return result


def _tensors_as_numbers(data: list[Any] | tuple[Any, ...]) -> list[Any]:
    """``data`` with each tensor inside replaced by its one number: PyTorch reads a tensor in
    a list as a scalar, so one of several elements is an error (``torch.stack`` joins them)."""
    out = list(data)
    pending = [out]
    while pending:
        sequence = pending.pop()
        if set(map(type, sequence)) <= _PYTHON_NUMBERS:
            continue
        for i, item in enumerate(sequence):
            if isinstance(item, Tensor):
                if item._array.size != 1:
                    raise ValueError("only one element tensors can be converted to Python "
                                     "scalars")
                item._warn_if_requires_grad(stacklevel=5)  # as float(item) does
                sequence[i] = item._array.item()
            elif isinstance(item, list | tuple):
                sequence[i] = list(item)
                pending.append(sequence[i])
    return out


def _to_array(data: Any, dtype: DType | None) -> np.ndarray:
    """``data`` (numbers, nested lists, NumPy arrays, tensors) as a NumPy array of ``dtype``,
    or of PyTorch's inferred dtype when ``dtype`` is None."""
    if isinstance(data, Tensor):
        data = backend.to_device(data._array, backend.CPU)
    inferred = _sequence_dtype(data) if isinstance(data, list | tuple) else None
    if inferred is not None:  # not Python numbers alone: maybe tensors inside
        data = _tensors_as_numbers(data)
    from_python = not isinstance(data, np.ndarray | np.generic)
    try:
        array = np.array(data, dtype=inferred.numpy if inferred and dtype is None else None)
    except ValueError as exc:
        raise ValueError(f"expected a rectangular nested sequence of numbers: {exc}") from None
    if array.dtype == object or array.dtype.kind in "USV":
        element = {"U": "str", "S": "bytes"}.get(array.dtype.kind, str(array.dtype))
        raise TypeError(f"can't convert {type(data).__name__} of element type "
                        f"{element} to a tensor; tensors hold numbers only")
    if dtype is not None:
        return array.astype(dtype.numpy)
    if from_python and inferred is None and array.dtype == np.float64:
        return array.astype(backend.DEFAULT_FLOAT.numpy)  # Python floats -> float32
    backend.from_numpy_dtype(array.dtype)  # raises for unsupported NumPy dtypes
    return array


def _output_gradient(output: Tensor, gradient: Tensor | None) -> Tensor:
    """The starting gradient of ``output.backward(gradient)``, checked like PyTorch."""
    if gradient is None:
        if output.numel() != 1:
            raise RuntimeError(f"grad can be implicitly created only for scalar outputs (this "
                               f"output has shape {list(output.shape)}; pass a gradient of "
                               f"the same shape, e.g. y.backward(torch.ones_like(y)))")
        xp = backend.namespace(output._array)
        return Tensor._wrap(xp.ones(output._array.shape, dtype=output._array.dtype))
    if not isinstance(gradient, Tensor):
        raise TypeError(f"gradient must be a Tensor, got {type(gradient).__name__}")
    if gradient.shape != output.shape:
        raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {gradient.shape} "
                           f"and output[0] has a shape of {output.shape}.")
    return gradient.to(output.dtype)


class ValuesIndices(tuple):  # type: ignore[type-arg]
    """``(values, indices)`` from ``max(dim)`` / ``min(dim)``, also readable by name."""

    def __new__(cls, name: str, values: Tensor, indices: Tensor) -> ValuesIndices:
        pair = super().__new__(cls, (values, indices))
        pair.name = name
        return pair

    name: str

    @property
    def values(self) -> Tensor:
        return self[0]  # type: ignore[no-any-return]

    @property
    def indices(self) -> Tensor:
        return self[1]  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return (f"tinygrad_edu.return_types.{self.name}(\nvalues={self[0]!r},\n"
                f"indices={self[1]!r})")


def _index_key(key: Any, tensor: Tensor) -> Any:
    """A tensor's index with tensors and lists turned into arrays (for NumPy indexing)."""
    if isinstance(key, list) and len(key) < 32 and any(
            isinstance(k, list | tuple | slice | Tensor) or k is None or k is Ellipsis
            for k in key):
        key = tuple(key)  # PyTorch (and old NumPy) read x[[[0, 1], [1, 1]]] as x[[0, 1], [1, 1]]
    parts = key if isinstance(key, tuple) else (key,)
    converted = []
    for part in parts:
        if isinstance(part, Tensor):
            array = part._array
            if array.dtype not in _INDEX_DTYPES:
                raise IndexError("tensors used as indices must be long, int, byte or bool "
                                 "tensors")
            if array.dtype == np.uint8:  # the old mask type: a mask still, as PyTorch
                warnings.warn(f"indexing with dtype {backend.uint8!r} is now deprecated, please "
                              f"use a dtype {backend.bool_!r} instead.", UserWarning, stacklevel=3)
                array = array.astype(bool)  # (any value but 0 selects)
            elif array.ndim == 0 and array.dtype != np.bool_:
                converted.append(int(array))  # one integer: a view, as PyTorch's select
                continue
            # as PyTorch, a cpu index tensor may index a cuda tensor: it is copied over
            converted.append(array if type(array) is type(tensor._array)
                             else backend.to_device(array, tensor.device))
        elif isinstance(part, list):
            converted.append(backend.to_device(np.asarray(part), tensor.device))
        elif isinstance(part, float):
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or "
                             "byte Variables are valid indices (got float)")
        else:
            if isinstance(part, slice) and part.step is not None and part.step <= 0:
                raise ValueError("slice step cannot be zero" if part.step == 0 else
                                 "step must be greater than zero")  # no x[::-1]: use flip
            converted.append(part)
    return tuple(converted) if isinstance(key, tuple) else converted[0]


_INDEX_DTYPES = frozenset(np.dtype(name) for name in ("int64", "int32", "uint8", "bool"))


def _view_key(key: Any) -> Any:
    """A basic index with a trailing ``...``: NumPy then returns a 0-d view, not a copy, for
    one element (``a[0]`` of a vector), so writes through ``a[0]`` reach ``a``."""
    if key is Ellipsis:
        return key
    if isinstance(key, tuple):
        return key if ... in key else (*key, ...)  # (a basic key holds no arrays to compare)
    return key, ...


def _index_error(exc: IndexError, key: Any, tensor: Tensor) -> IndexError:
    """NumPy's IndexError in PyTorch's words."""
    if tensor.ndim == 0 and isinstance(key, slice):
        return IndexError("slice() cannot be applied to a 0-dim tensor.")
    if tensor.ndim == 0 and isinstance(key, int | np.integer):  # `loss.data[0]` of old code
        return IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                          "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
                          if key == 0 else
                          f"index {key} is out of bounds for dimension 0 with size 0")
    if str(exc).startswith("too many indices"):
        return IndexError(f"too many indices for tensor of dimension {tensor.ndim}")
    return IndexError(str(exc).replace("axis", "dimension").replace("array", "tensor"))


def _writes_through_a_view(key: Any, shape: tuple[int, ...]) -> bool:
    """Does ``t[key] = v`` write through a view of part of ``t`` (an integer, None or a
    partial slice comes first), as PyTorch decides? Then its leaf error says 'a view of'."""
    parts = key if isinstance(key, tuple) else (key,)
    dim = 0
    for i, part in enumerate(parts):
        if part is Ellipsis:  # the parts after it index the last dims
            dim = len(shape) - sum(p is not None and p is not Ellipsis for p in parts[i + 1:])
        elif part is None or isinstance(part, int | np.integer) or (
                isinstance(part, Tensor) and part.ndim == 0
                and part.dtype in (backend.int64, backend.int32)):
            return True
        elif isinstance(part, slice):
            if part.start not in (None, 0) or part.step not in (None, 1) or (
                    part.stop is not None and dim < len(shape) and part.stop < shape[dim]):
                return True
            dim += 1
        else:
            dim += 1
    return False


def _is_basic(key: Any) -> bool:
    """Basic indexing (ints, slices, None, ...) gives a view; arrays give a copy."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(isinstance(p, _BASIC_INDEX_TYPES) for p in parts)


_BASIC_INDEX_TYPES = (int, slice, type(None), type(Ellipsis), np.integer)  # built once


def where(condition: Tensor, input: Any, other: Any) -> Tensor:  # noqa: A002 (PyTorch name)
    """Elementwise ``input if condition else other``, broadcasting all three."""
    if not isinstance(condition, Tensor) or condition.dtype is not backend.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {getattr(condition, 'dtype', type(condition).__name__)}")
    if isinstance(input, Tensor):
        x, y = input._operands(other)
    elif isinstance(other, Tensor):
        y, x = other._operands(input)
    else:  # two numbers: the first sets the dtype, as PyTorch infers it
        first = Tensor._wrap(backend.to_device(_to_array(input, None), condition.device))
        x, y = first._operands(other)
    try:
        return ops.Where.apply(x, y, condition=condition._array)
    except ValueError:
        raise _broadcast_error(condition.shape, _shape_of(input)) from None


# The primitives subclass Function, defined above, so they are imported once this module's
# classes exist; Tensor methods look them up (ops.Mul ...) when called. special (erf, erfc)
# builds on ops.
from . import ops, ops_more, special  # noqa: E402  (ops_more: cumsum, sort, einsum ...)

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
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from . import backend, printing
from .backend import dtype as DType
from .engine import AccumulateGrad, Node, RemovableHandle, grad_mode, run_backward

Scalar = int | float | bool
ShapeLike = int | Sequence[int]
_NUMBER_TYPES = (bool, int, float, np.generic)  # built once: `bool | int ...` inline costs


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
        owner = f"output 0 of {self.name()}" if is_output else (
            f"output 0 of {tensor.grad_fn.name()}" if tensor.grad_fn is not None else "a leaf")
        raise RuntimeError(
            f"one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{tensor.dtype!r} {list(tensor.shape)}], which is {owner}, "
            f"is at version {now}; expected version {expected} instead. Hint: the tensor was "
            f"changed in place (an op ending in '_', +=, or x[...] = ...) after it was used; "
            f"use an out-of-place operation or .clone() it first.")

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


def _shape_args(shape: tuple[Any, ...]) -> tuple[int, ...]:
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` like PyTorch."""
    if len(shape) == 1 and isinstance(shape[0], Sequence):
        shape = tuple(shape[0])
    for n in shape:
        if not isinstance(n, int | np.integer) or isinstance(n, bool):
            raise TypeError(f"size must be a sequence of ints, but got an element of type "
                            f"{type(n).__name__}")
    return tuple(int(n) for n in shape)


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
            array = _to_array(data, backend.float32)
        else:  # Tensor(3, 5): uninitialised memory, as in PyTorch; Tensor() is empty
            array = np.empty(_shape_args(args) if args else (0,), dtype=np.float32)
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

    def size(self, dim: int | None = None) -> Any:
        """The shape (a ``Size``), or the length of dimension ``dim``."""
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
        # As PyTorch: np.asarray(cuda_tensor) refuses, naming the explicit copy (.cpu()).
        array = self.numpy(force=True) if type(self._array) is np.ndarray else self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __bool__(self) -> bool:
        if self._array.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {self._array.size} elements is "
                               f"ambiguous")
        return bool(self._array.item())

    def _python_scalar(self) -> Scalar:
        """The one element, for ``float(t)`` / ``int(t)`` (PyTorch raises ValueError)."""
        if self._array.size != 1:
            raise ValueError(f"only one element tensors can be converted to Python scalars "
                             f"(this one has {self._array.size} elements)")
        return self._array.item()  # type: ignore[no-any-return]

    def __float__(self) -> float:
        return float(self._python_scalar())

    def __int__(self) -> int:
        return int(self._python_scalar())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self._array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._array.item())

    def __format__(self, spec: str) -> str:
        if self._array.ndim == 0:
            return format(self.item(), spec)
        return format(repr(self), spec)

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
        return self._compare(other, np.floor_divide, keep_dtype=True)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return _as_tensor_like(other, self)._compare(self, np.floor_divide, keep_dtype=True)

    def __mod__(self, other: Any) -> Tensor:
        return self._compare(other, np.remainder, keep_dtype=True)

    def __pow__(self, exponent: Any) -> Tensor:
        if isinstance(exponent, int | float) and not isinstance(exponent, bool):
            if self.dtype.is_floating_point or isinstance(exponent, float):
                base = self if self.dtype.is_floating_point else self.float()
                return ops.PowScalar.apply(base, exponent=exponent)
            if exponent < 0:
                raise RuntimeError("Integers to negative integer powers are not allowed.")
            return ops.PowScalar.apply(self, exponent=exponent)
        return self._binary(exponent, ops.Pow)

    def __rpow__(self, base: Any) -> Tensor:
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
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
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
        a, b = self._operands(other)
        try:
            return ops.Matmul.apply(a, b)
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
        return self.clamp(min=min)

    def clamp_max(self, max: Any) -> Tensor:  # noqa: A002
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

    def softmax(self, dim: int) -> Tensor:
        return ops.Softmax.apply(self._floating(), dim=_normalize_dim(dim, self.ndim))

    def log_softmax(self, dim: int) -> Tensor:
        return ops.LogSoftmax.apply(self._floating(), dim=_normalize_dim(dim, self.ndim))

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
        return self._compare(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
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

    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False,
            dtype: DType | None = None) -> Tensor:
        source = self.to(dtype) if dtype is not None else self
        if source.dtype.category != DType.FLOAT and dtype is None:
            source = source.long()  # PyTorch sums bool and integer tensors as int64
        return ops.Sum.apply(source, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)

    def mean(self, dim: int | Sequence[int] | None = None, keepdim: bool = False,
             dtype: DType | None = None) -> Tensor:
        source = self.to(dtype) if dtype is not None else self
        if not source.dtype.is_floating_point:
            raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be "
                               f"either a floating point or complex dtype. Got: "
                               f"{source.dtype.name.capitalize()}")
        return ops.Mean.apply(source, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)

    def prod(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        source = self if self.dtype.category == DType.FLOAT else self.long()
        axis = None if dim is None else _normalize_dim(dim, self.ndim)
        if self.ndim == 0 and axis is not None:  # dim 0 or -1 of a 0-d tensor, as PyTorch
            return source.reshape(1).prod(0)
        return ops.Prod.apply(source, dim=axis, keepdim=keepdim)

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        """The largest element; with ``dim``, a ``(values, indices)`` pair; with a tensor,
        the elementwise maximum."""
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        if dim is None:
            return ops.Amax.apply(self)
        return self._max_along(ops.MaxDim, dim, keepdim, largest=True)

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
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

    def amax(self, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
        """The largest value over ``dim``; tied maxima share the gradient equally (PyTorch)."""
        dims = _normalize_dims(dim, self.ndim) or tuple(range(self.ndim))
        if not self.dtype.is_floating_point:  # no gradient to share: keep the dtype
            return self._reduce_array(lambda a: a.max(axis=dims, keepdims=keepdim))
        hits = self == self._reduce_array(lambda a: a.max(axis=dims, keepdims=True))
        share = hits.to(self.dtype) / hits.sum(dim=dims, keepdim=True)
        # `where` first: -inf * 0 would be nan where an element is not a maximum
        return (where(hits, self, 0.0) * share).sum(dim=dims, keepdim=keepdim)

    def amin(self, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
        return -(-self).amax(dim, keepdim)

    def _reduce_array(self, function: Callable[[Any], Any]) -> Tensor:
        return _wrap_result(function(self._array))

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return self._arg_reduce(dim, keepdim, largest=True)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return self._arg_reduce(dim, keepdim, largest=False)

    def _arg_reduce(self, dim: int | None, keepdim: bool, largest: bool) -> Tensor:
        pick = self._array.argmax if largest else self._array.argmin
        if dim is None:
            index = pick()
            return Tensor._wrap(backend.namespace(self._array).asarray(index).reshape(
                (1,) * self.ndim if keepdim else ()).astype(np.int64))
        axis = _normalize_dim(dim, self.ndim)
        return Tensor._wrap(pick(axis=axis, keepdims=keepdim).astype(np.int64))

    def var(self, dim: int | Sequence[int] | None = None, unbiased: bool | None = None,
            keepdim: bool = False, *, correction: int | None = None) -> Tensor:
        """Variance, with Bessel's correction (divide by n - 1) unless ``correction=0``."""
        if correction is None:
            correction = 0 if unbiased is False else 1
        dims = _normalize_dims(dim, self.ndim)
        count = self.numel() if dims is None else math.prod(self.shape[d] for d in dims)
        centered = self - self.mean(dims, keepdim=True)
        return (centered * centered).sum(dims, keepdim=keepdim) / builtins.max(
            count - correction, 0)

    def std(self, dim: int | Sequence[int] | None = None, unbiased: bool | None = None,
            keepdim: bool = False, *, correction: int | None = None) -> Tensor:
        return _root(self.var(dim, unbiased, keepdim, correction=correction), 2)

    def norm(self, p: float | str = 2, dim: int | Sequence[int] | None = None,
             keepdim: bool = False) -> Tensor:
        """The vector p-norm over ``dim`` (all elements by default; ``'fro'`` is p = 2)."""
        if p == "fro":
            p = 2
        if not isinstance(p, int | float):
            raise ValueError(f"norm: unsupported p={p!r}")
        magnitude = self.abs()
        if p == math.inf:
            return magnitude.amax(dim if dim is not None else (), keepdim)
        if p == 2:
            return _root((self * self).sum(dim, keepdim=keepdim), 2)
        if p == 1:
            return magnitude.sum(dim, keepdim=keepdim)
        return _root((magnitude**p).sum(dim, keepdim=keepdim), p)

    def logsumexp(self, dim: int | Sequence[int], keepdim: bool = False) -> Tensor:
        dims = _normalize_dims(dim, self.ndim)
        peak = self._reduce_array(lambda a: a.max(axis=dims, keepdims=True))
        peak = where(peak.isfinite(), peak, 0.0)
        total = (self - peak).exp().sum(dims, keepdim=True).log() + peak
        return total if keepdim else total.squeeze(dims)

    def all(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        axis = None if dim is None else _normalize_dim(dim, self.ndim)
        return Tensor._wrap(backend.namespace(self._array).asarray(
            self._array.astype(bool).all(axis=axis, keepdims=keepdim)))

    def any(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        axis = None if dim is None else _normalize_dim(dim, self.ndim)
        return Tensor._wrap(backend.namespace(self._array).asarray(
            self._array.astype(bool).any(axis=axis, keepdims=keepdim)))

    def count_nonzero(self, dim: int | None = None) -> Tensor:
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

    def squeeze(self, dim: int | Sequence[int] | None = None) -> Tensor:
        dims = _normalize_dims(dim, self.ndim)
        if dims is None:
            dims = tuple(i for i, n in enumerate(self.shape) if n == 1)
        shape = tuple(n for i, n in enumerate(self.shape) if not (i in dims and n == 1))
        variant = 0 if dim is None else 1 if isinstance(dim, int | np.integer) else 2
        out = ops.Squeeze.apply(self, shape=shape, variant=variant)
        return self._view_of(out)

    def unsqueeze(self, dim: int) -> Tensor:
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

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        axis = _normalize_dim(dim, self.ndim)
        if start < 0:
            start += self.shape[axis]
        if not 0 <= start <= start + length <= self.shape[axis]:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                               f"({self.shape[axis]}).")
        key = (slice(None),) * axis + (slice(start, start + length),)
        return self[key]

    def select(self, dim: int, index: int) -> Tensor:
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

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        if chunks <= 0:
            raise RuntimeError("chunk expects `chunks` to be greater than 0, got: "
                               f"{chunks}")
        size = self.shape[_normalize_dim(dim, self.ndim)]
        return self.split(builtins.max(1, -(-size // chunks)), dim)

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        axis = _normalize_dim(dim, self.ndim)
        return tuple(self.select(axis, i) for i in range(self.shape[axis]))

    def flip(self, dims: int | Sequence[int]) -> Tensor:
        axes = _normalize_dims(dims, self.ndim) or ()
        key = tuple(slice(None, None, -1) if i in axes else slice(None)
                    for i in range(self.ndim))
        return self[key]

    def gather(self, dim: int, index: Tensor) -> Tensor:
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
        try:
            out = ops.Index.apply(self, key=index)
        except IndexError as exc:
            raise IndexError(str(exc).replace("axis", "dimension")
                             .replace("array", "tensor")) from None
        return self._view_of(out) if _is_basic(index) else out

    def __setitem__(self, key: Any, value: Any) -> None:
        index = _index_key(key, self)
        if isinstance(value, Tensor):
            if type(value._array) is not type(self._array):
                raise _device_error(self, value)
            # basic indexing copies (converting, as copy_); index_put needs equal dtypes
            if value.dtype.category > self.dtype.category and not (
                    _is_basic(index) or value.ndim == 0):
                raise RuntimeError(f"Index put requires the source and destination dtypes "
                                   f"match, got {self.dtype.name.capitalize()} for the "
                                   f"destination and {value.dtype.name.capitalize()} for the "
                                   f"source.")
            value = value.to(self.dtype)
        elif isinstance(value, Sequence | np.ndarray):
            value = Tensor._wrap(backend.to_device(_to_array(value, self.dtype), self.device))
        try:
            self._inplace(ops.SetItem, value, key=index)
        except IndexError as exc:
            raise IndexError(str(exc).replace("axis", "dimension")
                             .replace("array", "tensor")) from None
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
            raise RuntimeError(f"result type {result.dtype.name.capitalize()} can't be cast to "
                               f"the desired output type {self.dtype.name.capitalize()}")
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

    # ---------------------------------------------------------------- new tensors

    def new_tensor(self, data: Any) -> Tensor:
        return Tensor._wrap(backend.to_device(_to_array(data, self.dtype), self.device))

    def new_zeros(self, *size: Any) -> Tensor:
        xp = backend.array_module(self.device)
        return Tensor._wrap(xp.zeros(_shape_args(size), dtype=self._array.dtype))

    def new_ones(self, *size: Any) -> Tensor:
        xp = backend.array_module(self.device)
        return Tensor._wrap(xp.ones(_shape_args(size), dtype=self._array.dtype))

    def new_full(self, size: Sequence[int], fill_value: Scalar) -> Tensor:
        xp = backend.array_module(self.device)
        return Tensor._wrap(xp.full(tuple(size), fill_value, dtype=self._array.dtype))

    def new_empty(self, *size: Any) -> Tensor:
        xp = backend.array_module(self.device)
        return Tensor._wrap(xp.empty(_shape_args(size), dtype=self._array.dtype))


    # ---------------------------------------------------------------- dtype shortcuts
    # Last in the class on purpose: once `def int(self)` is in the class body, `int` in the
    # annotations below it names this method, not the builtin type (for a type checker).

    def type(self, dtype: DType | None = None) -> Any:
        if dtype is None:
            return f"tinygrad_edu.{self.dtype.name}"
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


def _to_array(data: Any, dtype: DType | None) -> np.ndarray:
    """``data`` (numbers, nested lists, NumPy arrays, tensors) as a NumPy array of ``dtype``,
    or of PyTorch's inferred dtype when ``dtype`` is None."""
    if isinstance(data, Tensor):
        data = backend.to_device(data._array, backend.CPU)
    if isinstance(data, list | tuple) and any(isinstance(x, Tensor) for x in data):
        data = [x.tolist() if isinstance(x, Tensor) else x for x in data]
    from_python = not isinstance(data, np.ndarray | np.generic)
    try:
        array = np.array(data)
    except ValueError as exc:
        raise ValueError(f"expected a rectangular nested sequence of numbers: {exc}") from None
    if array.dtype == object or array.dtype.kind in "USV":
        element = {"U": "str", "S": "bytes"}.get(array.dtype.kind, str(array.dtype))
        raise TypeError(f"can't convert {type(data).__name__} of element type "
                        f"{element} to a tensor; tensors hold numbers only")
    if dtype is not None:
        return array.astype(dtype.numpy)
    if from_python and array.dtype == np.float64:
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
            if part.dtype.is_floating_point:
                raise IndexError("tensors used as indices must be long, int, byte or bool "
                                 "tensors")
            # as PyTorch, a cpu index tensor may index a cuda tensor: it is copied over
            converted.append(part._array if type(part._array) is type(tensor._array)
                             else backend.to_device(part._array, tensor.device))
        elif isinstance(part, list):
            converted.append(backend.to_device(np.asarray(part), tensor.device))
        elif isinstance(part, float):
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or "
                             "byte Variables are valid indices (got float)")
        else:
            converted.append(part)
    return tuple(converted) if isinstance(key, tuple) else converted[0]


def _is_basic(key: Any) -> bool:
    """Basic indexing (ints, slices, None, ...) gives a view; arrays give a copy."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(isinstance(p, int | slice | type(None) | type(Ellipsis) | np.integer)
               for p in parts)


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
# classes exist; Tensor methods look them up (ops.Mul ...) when called.
from . import ops  # noqa: E402

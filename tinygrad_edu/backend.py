"""The lowest layer: dtypes, devices and the array namespace behind every tensor.

A tensor on ``cpu`` stores a NumPy array, one on ``cuda`` a CuPy array. Every operation asks
``array_module(device)`` for the namespace and calls the same functions on it, so the code
path is one for both devices. Nothing here knows about autograd.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from . import cuda

# ----------------------------------------------------------------------------------- dtypes


_SCALAR_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
                 "int64": "Long", "float16": "Half", "float32": "Float", "float64": "Double"}


class dtype:  # noqa: N801  (PyTorch spells it in lower case: torch.dtype)
    """A tensor element type, as ``torch.dtype``; wraps the NumPy dtype that stores it."""

    __slots__ = ("category", "is_floating_point", "itemsize", "name", "numpy", "scalar_name")

    # Promotion categories, lowest first: PyTorch promotes across categories to the higher one.
    BOOL, INT, FLOAT = 0, 1, 2

    def __init__(self, name: str, numpy_dtype: Any, category: int) -> None:
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.category = category
        self.is_floating_point = category == dtype.FLOAT
        self.itemsize = self.numpy.itemsize
        # the name PyTorch's error messages use ("expected ... Long, but got Float")
        self.scalar_name = _SCALAR_NAMES[name]

    def __repr__(self) -> str:
        # PyTorch prints torch.float64; ours names the package the student imported.
        return f"tinygrad_edu.{self.name}"

    def __reduce__(self) -> str:
        return self.name  # pickles/copies as the module-level singleton of the same name


bool_ = dtype("bool", np.bool_, dtype.BOOL)
uint8 = dtype("uint8", np.uint8, dtype.INT)
int8 = dtype("int8", np.int8, dtype.INT)
int16 = dtype("int16", np.int16, dtype.INT)
int32 = dtype("int32", np.int32, dtype.INT)
int64 = dtype("int64", np.int64, dtype.INT)
float16 = dtype("float16", np.float16, dtype.FLOAT)
float32 = dtype("float32", np.float32, dtype.FLOAT)
float64 = dtype("float64", np.float64, dtype.FLOAT)

ALL_DTYPES = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
_BY_NUMPY = {d.numpy: d for d in ALL_DTYPES}
DEFAULT_FLOAT = float32  # what Python floats and torch.tensor([1.5]) become
DEFAULT_INT = int64  # what Python ints become


# The default float is process-wide state, as PyTorch's: `set_default_dtype(float64)` at the
# top of a script makes every later float tensor float64. A deliberate exception to "no hidden
# state" (DESIGN.md), so that such scripts print PyTorch's numbers. Every reader takes
# `backend.DEFAULT_FLOAT` at call time; none copies it at import.
def get_default_dtype() -> dtype:
    """The dtype Python floats become (``torch.get_default_dtype()``): float32 at start."""
    return DEFAULT_FLOAT


def set_default_dtype(d: dtype, /) -> None:
    """From now on, Python floats, ``tensor([1.5])``, ``zeros``, ``rand`` ... and integer
    true division give ``d`` (a floating dtype: float16, float32 or float64), as
    ``torch.set_default_dtype``; PyTorch's TypeError for any other dtype or object."""
    global DEFAULT_FLOAT
    if not isinstance(d, dtype):
        raise TypeError("invalid dtype object: only floating-point types are supported as "
                        "the default type")
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    DEFAULT_FLOAT = d


def from_numpy_dtype(np_dtype: Any) -> dtype:
    """The dtype that stores NumPy's ``np_dtype``; a clear TypeError for unsupported ones."""
    found = _BY_NUMPY.get(np.dtype(np_dtype))
    if found is None:
        supported = ", ".join(d.name for d in ALL_DTYPES)
        raise TypeError(f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype)}. "
                        f"The only supported types are: {supported}.")
    return found


def scalar_dtype(value: bool | int | float) -> dtype:
    """The dtype PyTorch infers for a Python number: bool, int64 or the default float."""
    if isinstance(value, bool | np.bool_):
        return bool_
    if isinstance(value, int | np.integer):
        return DEFAULT_INT
    if isinstance(value, float | np.floating):
        return DEFAULT_FLOAT
    raise TypeError(f"unsupported scalar type {type(value).__name__}")


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` convert to safely (``torch.promote_types``)."""
    if a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    return _BY_NUMPY[np.promote_types(a.numpy, b.numpy)]


def result_type(*operands: tuple[dtype, int]) -> dtype:
    """PyTorch's promotion for ``(dtype, tier)`` operands.

    Tiers, strongest first: 2 = tensors with dimensions, 1 = zero-dim tensors, 0 = Python
    numbers. A weaker tier changes the result only when its category is higher, so
    ``float32 tensor * 2.5`` stays float32 and ``int64 tensor * 2.5`` becomes float32.
    """
    result: dtype | None = None
    for tier in (2, 1, 0):
        in_tier = [d for d, t in operands if t == tier]
        if not in_tier:
            continue
        top = max(d.category for d in in_tier)
        if result is not None and top <= result.category:
            continue
        if tier == 0:  # Python numbers only carry a category
            result = (bool_, DEFAULT_INT, DEFAULT_FLOAT)[top]
            continue
        chosen = [d for d in in_tier if d.category == top]
        result = chosen[0]
        for d in chosen[1:]:
            result = promote_types(result, d)
    assert result is not None, "result_type needs at least one operand"
    return result


# ---------------------------------------------------------------------------------- devices


class device:  # noqa: N801  (torch.device)
    """Where a tensor's memory lives: ``device('cpu')`` or ``device('cuda', 0)``."""

    __slots__ = ("index", "type")
    type: str
    index: int | None

    def __init__(self, spec: str | device, index: int | None = None) -> None:
        if isinstance(spec, device):
            self.type, self.index = spec.type, spec.index
            return
        if not isinstance(spec, str):
            raise TypeError(f"device must be a string like 'cpu' or 'cuda:0', got {spec!r}")
        kind, _, number = spec.partition(":")
        if kind not in ("cpu", "cuda"):
            raise RuntimeError(f"Expected one of cpu, cuda device type at start of device "
                               f"string: {spec}")
        if number:
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: '{spec}'")
            index = int(number)
        self.type = kind
        self.index = index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        # A device never equals a string, as in PyTorch: `x.device == "cuda"` is False there
        # (compare `x.device.type == "cuda"`, or with `torch.device("cuda")`)
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")


def canonical_device(spec: str | device | None) -> device:
    """A device with its index filled in (``'cuda'`` is ``cuda:0``), checked to be usable."""
    if spec is None:
        return CPU
    dev = spec if isinstance(spec, device) else device(spec)
    if dev.type == "cpu":
        return CPU
    cuda.require()  # raises, saying why and what to install, when no GPU is usable
    index = 0 if dev.index is None else dev.index
    if index >= cuda.device_count():
        raise RuntimeError(f"CUDA error: invalid device ordinal {index} "
                           f"(this machine has {cuda.device_count()} GPU(s))")
    return device("cuda", index)


def array_module(dev: device) -> ModuleType:
    """The array namespace that holds tensors on ``dev``: NumPy for cpu, CuPy for cuda."""
    if dev.type == "cpu":
        return np
    return cuda.cupy_module()


def device_of(array: Any) -> device:
    """The device an array lives on (NumPy arrays are on the cpu)."""
    if isinstance(array, np.ndarray | np.generic):
        return CPU
    return device("cuda", int(array.device.id))


def to_device(array: Any, dev: device) -> Any:
    """Copy ``array`` to ``dev`` (returns it unchanged when already there)."""
    if dev.type == "cpu":
        return array if isinstance(array, np.ndarray) else cuda.cupy_module().asnumpy(array)
    cp = cuda.cupy_module()
    with cp.cuda.Device(dev.index or 0):
        return cp.asarray(array)


def is_array(value: Any) -> bool:
    """True for a NumPy array, and for a CuPy array once a GPU is in use."""
    if isinstance(value, np.ndarray):
        return True
    cp = cuda.loaded_cupy()
    return cp is not None and isinstance(value, cp.ndarray)


_NUMPY_OR_NUMBER = np.ndarray | np.generic | int | float | bool  # built once, not per call


def namespace(array: Any) -> ModuleType:
    """The array module of ``array`` (NumPy for NumPy arrays and Python scalars)."""
    if type(array) is np.ndarray or isinstance(array, _NUMPY_OR_NUMBER):  # fast path first
        return np
    return cuda.cupy_module()

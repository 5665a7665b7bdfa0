"""The legacy tensor types: ``torch.FloatTensor``, ``torch.LongTensor`` ... as old code uses them.

Posts from PyTorch's first years build tensors with ``torch.FloatTensor([1, 2])`` or
``torch.LongTensor(3)`` (uninitialised memory of that size), test a type with
``isinstance(x, torch.FloatTensor)`` and convert with ``x.type(torch.LongTensor)``. Each type
here is a class whose "instances" are the ordinary tensors of its dtype on the cpu: calling
it returns a ``Tensor``, and ``isinstance`` checks the dtype and the device, as PyTorch's
``torch.tensortype`` does. New code should use ``torch.tensor(data, dtype=...)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import backend
from .backend import dtype as DType
from .creation import as_tensor, empty, tensor
from .tensor import Size, Tensor

# C++'s names of the dtypes, which PyTorch's TensorOptions message prints
_CPP_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char",
              "int16": "short int", "int32": "int", "int64": "long int",
              "float16": "c10::Half", "float32": "float", "float64": "double"}

_SIGNATURES = ("\n * (*, torch.device device = None)"
               "\n * (torch.Storage storage)"
               "\n * (Tensor other)"
               "\n * (tuple of ints size, *, torch.device device = None)"
               "\n * (object data, *, torch.device device = None)\n")


class TensorType(type):
    """The class of the legacy types (PyTorch's ``torch.tensortype``)."""

    dtype: DType
    is_cuda = False

    def __instancecheck__(cls, instance: Any) -> bool:
        """``isinstance(x, FloatTensor)``: a float32 tensor on the cpu."""
        return (isinstance(instance, Tensor) and instance.dtype is cls.dtype
                and instance.is_cuda == cls.is_cuda)

    def __call__(cls, *args: Any, **kwargs: Any) -> Tensor:  # type: ignore[override]
        """``FloatTensor()``, ``FloatTensor(2, 3)`` (or a ``Size``): uninitialised memory;
        ``FloatTensor(data)``: a list or array converted (an array of this dtype shares its
        memory, as ``as_tensor``); ``FloatTensor(tensor)`` of this type: the same memory."""
        device = kwargs.pop("device", None)
        if kwargs:
            raise TypeError(_invalid_combination(args, {"device": device, **kwargs}
                                                 if device is not None else kwargs))
        if device is not None and backend.device(device).type != "cpu":
            raise RuntimeError(f"legacy constructor expects device type: cpu but device type: "
                               f"{backend.device(device).type} was passed")
        if not args:
            return empty(0, dtype=cls.dtype)
        first = args[0]
        if isinstance(first, Size) and len(args) == 1:
            return empty(tuple(first), dtype=cls.dtype)
        if _is_size(first) and not isinstance(first, bool):
            return cls._sized(args)
        if len(args) > 1:
            raise TypeError(_invalid_combination(args, {}))
        if isinstance(first, Tensor):
            if first.dtype is not cls.dtype or first.is_cuda:
                raise TypeError(f"expected {_options(cls.dtype, 'cpu')} "
                                f"(got {_options(first.dtype, first.device.type)})")
            return first[...]  # the same memory, as PyTorch's alias
        if isinstance(first, np.ndarray):
            return as_tensor(first, dtype=cls.dtype)
        if isinstance(first, list | tuple):
            return tensor(first, dtype=cls.dtype)
        if isinstance(first, str):
            raise TypeError("new(): invalid data type 'str'")
        raise TypeError(f"new(): data must be a sequence (got {_type_name(first)})")

    def _sized(cls, args: tuple[Any, ...]) -> Tensor:
        for position, size in enumerate(args[1:], start=2):
            if not _is_size(size):
                raise TypeError(f"new(): argument 'size' failed to unpack the object at pos "
                                f"{position} with error \"type must be tuple of ints,but got "
                                f"{_type_name(size)}\"")
        return empty(tuple(int(size) for size in args), dtype=cls.dtype)


def _is_size(value: Any) -> bool:
    return isinstance(value, int | np.integer)


def _type_name(value: Any) -> str:
    """The name PyTorch's argument messages give the type of ``value``."""
    if isinstance(value, Tensor):
        return "Tensor"
    special = {Size: "torch.Size", DType: "torch.dtype", backend.device: "torch.device"}
    kind = type(value)
    if kind in special:
        return special[kind]
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def _invalid_combination(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    got = [_type_name(a) for a in args] + [f"{k}={_type_name(v)}" for k, v in kwargs.items()]
    return (f"new() received an invalid combination of arguments - got ({', '.join(got)}), "
            f"but expected one of:{_SIGNATURES}")


def _options(dtype: DType, device: str) -> str:
    return (f"TensorOptions(dtype={_CPP_NAMES[dtype.name]}, device={device}, layout=Strided, "
            f"requires_grad=false (default), pinned_memory=false (default), "
            f"memory_format=(nullopt))")


# One class per dtype, written out (so "go to definition" finds each). `__module__` makes
# them print as `<class 'tinygrad_edu.FloatTensor'>`, PyTorch's `<class 'torch.FloatTensor'>`.


class FloatTensor(metaclass=TensorType):
    __module__ = "tinygrad_edu"
    dtype = backend.float32


class DoubleTensor(metaclass=TensorType):
    __module__ = "tinygrad_edu"
    dtype = backend.float64


class HalfTensor(metaclass=TensorType):
    __module__ = "tinygrad_edu"
    dtype = backend.float16


class LongTensor(metaclass=TensorType):
    __module__ = "tinygrad_edu"
    dtype = backend.int64


class IntTensor(metaclass=TensorType):
    __module__ = "tinygrad_edu"
    dtype = backend.int32


class ShortTensor(metaclass=TensorType):
    __module__ = "tinygrad_edu"
    dtype = backend.int16


class CharTensor(metaclass=TensorType):
    __module__ = "tinygrad_edu"
    dtype = backend.int8


class ByteTensor(metaclass=TensorType):
    __module__ = "tinygrad_edu"
    dtype = backend.uint8


class BoolTensor(metaclass=TensorType):
    __module__ = "tinygrad_edu"
    dtype = backend.bool_

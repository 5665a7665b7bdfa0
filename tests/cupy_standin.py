"""A NumPy-backed stand-in for CuPy: runs tinygrad_edu's cuda code path on a machine with no GPU.

It is not a GPU and not fast. It exists so that CI, which has no GPU, still catches what would
break on one. It behaves as CuPy does where our code could go wrong:

- A device array is not a NumPy array. ``np.asarray(x)`` raises CuPy's TypeError ("Implicit
  conversion to a NumPy array is not allowed"), so a NumPy call that slipped into the cuda path
  fails. NumPy functions on device arrays dispatch (``__array_function__``) only to functions
  CuPy has, as CuPy's own dispatch does.
- A host (NumPy) array mixed into a device operation raises TypeError, as CuPy refuses it.
- Only the functions, ufunc methods, ``ndarray`` members and keyword arguments that CuPy 14.2
  has are offered (read off a real CuPy into tests/cupy_api.json by tools/cupy_api.py):
  ``indices(..., sparse=True)`` or a ufunc's ``where=`` fail here as they would there.
- Reductions and scalar indexing give 0-d device arrays, not NumPy scalars.
- ``asarray(host_array)`` copies (a host-to-device transfer); ``asnumpy`` / ``.get()`` copy back.

``install()`` points ``tinygrad_edu.cuda`` at it (as the probe would at a real CuPy);
``uninstall()`` forgets it. Nothing else in the package knows it exists.
"""

from __future__ import annotations

import copy
import json
import operator
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

import tinygrad_edu.cuda as tg_cuda

API = json.loads((Path(__file__).with_name("cupy_api.json")).read_text())
UFUNC_KEYWORDS = {"out", "dtype", "casting"}  # CuPy ufuncs take no `where=`, `order=` ...
# Functions CuPy documents as taking host arrays: the explicit host-to-device transfers.
TRANSFERS = {"asarray", "array", "asanyarray"}
CONVERSION_ERROR = ("Implicit conversion to a NumPy array is not allowed. "
                    "Please use `.get()` to construct a NumPy array explicitly.")


class HostArrayError(TypeError):
    """A NumPy array reached a device operation (CuPy: 'Unsupported type numpy.ndarray')."""


# ------------------------------------------------------------------------- unwrap / wrap


def _to_host(value: Any, where: str) -> Any:
    """Device arrays (also inside tuples and lists) as their NumPy storage; host arrays refused."""
    if isinstance(value, StandInArray):
        return value._host
    if isinstance(value, np.ndarray):
        raise HostArrayError(f"Unsupported type {type(value)} in {where}: a NumPy (host) array "
                             f"in an operation on cuda arrays")
    if isinstance(value, tuple | list):
        return type(value)(_to_host(v, where) for v in value)
    return value


def _wrap(result: Any, inputs: tuple[Any, ...] = ()) -> Any:
    """NumPy results as device arrays; an input's own storage returns that very input."""
    if isinstance(result, np.ndarray):
        for candidate in inputs:
            if isinstance(candidate, StandInArray) and candidate._host is result:
                return candidate  # CuPy returns `self` for e.g. astype(same, copy=False)
        return StandInArray(result)
    if isinstance(result, np.generic):
        return StandInArray(np.asarray(result))  # CuPy reductions give 0-d arrays
    if isinstance(result, tuple | list):
        return type(result)(_wrap(r, inputs) for r in result)
    return result


def _check_keywords(where: str, kwargs: dict[str, Any], allowed: Any) -> None:
    if allowed is None or "kwargs" in allowed:
        return
    unknown = set(kwargs) - set(allowed)
    if unknown:
        raise TypeError(f"{where}() got an unexpected keyword argument "
                        f"'{sorted(unknown)[0]}' (CuPy {API['cupy_version']} has no such "
                        f"argument)")


def _call(where: str, function: Callable[..., Any], args: tuple[Any, ...],
          kwargs: dict[str, Any], allowed: Any, owner: Any = None) -> Any:
    """``function`` on the NumPy storage of ``args``, its result back on the device."""
    _check_keywords(where, kwargs, allowed)
    host_args = tuple(_to_host(a, where) for a in args)
    host_kwargs = {k: _to_host(v, where) for k, v in kwargs.items()}
    return _wrap(function(*host_args, **host_kwargs), (owner, *args, *kwargs.values()))


# --------------------------------------------------------------------------------- arrays


class StandInDevice:
    """What ``cupy.ndarray.device`` and ``cupy.cuda.Device`` give: an id and a synchronize."""

    def __init__(self, device_id: int = 0) -> None:
        if device_id != 0:
            raise RuntimeError(f"cudaErrorInvalidDevice: invalid device ordinal {device_id}")
        self.id = device_id

    def synchronize(self) -> None:
        """Nothing queued: NumPy has already finished."""

    def __enter__(self) -> StandInDevice:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __repr__(self) -> str:
        return f"<CUDA Device {self.id} (stand-in)>"


class StandInArray:
    """A device array: NumPy storage that refuses to be taken for a NumPy array."""

    __slots__ = ("_host",)
    __array_priority__ = 100.0  # NumPy defers binary operators to us
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, host: np.ndarray) -> None:
        assert isinstance(host, np.ndarray)
        self._host = host

    # --- what CuPy refuses or dispatches ---------------------------------------------
    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TypeError(CONVERSION_ERROR)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if ufunc.__name__ not in API["ufuncs"] or method not in (*API["ufunc_methods"],
                                                                 "__call__"):
            return NotImplemented
        if method == "__call__":
            _check_keywords(ufunc.__name__, kwargs, UFUNC_KEYWORDS)
        return _call(f"{ufunc.__name__}.{method}", getattr(ufunc, method), inputs, kwargs,
                     None)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        name = func.__name__
        if func.__module__ != "numpy" or name not in API["functions"]:
            return NotImplemented  # NumPy then raises "no implementation found"
        return _call(name, func, args, kwargs, API["functions"][name])

    # --- CuPy's explicit transfers ------------------------------------------------------
    def get(self, stream: Any = None, order: str = "C", out: Any = None,
            blocking: bool = True) -> np.ndarray:
        return self._host.copy()

    def set(self, arr: np.ndarray, stream: Any = None) -> None:
        self._host[...] = arr

    # --- attributes ------------------------------------------------------------------------
    shape = property(lambda self: self._host.shape)
    dtype = property(lambda self: self._host.dtype)
    ndim = property(lambda self: self._host.ndim)
    size = property(lambda self: self._host.size)
    strides = property(lambda self: self._host.strides)
    itemsize = property(lambda self: self._host.itemsize)
    nbytes = property(lambda self: self._host.nbytes)
    flags = property(lambda self: self._host.flags)
    T = property(lambda self: _wrap(self._host.T))
    mT = property(lambda self: _wrap(self._host.mT))  # noqa: N815  (CuPy's name)
    real = property(lambda self: _wrap(self._host.real))
    imag = property(lambda self: _wrap(self._host.imag))
    device = property(lambda self: StandInDevice(0))
    base = property(lambda self: None if self._host.base is None else _wrap(self._host.base))

    def __getattr__(self, name: str) -> Any:
        allowed = API["ndarray"].get(name)
        if allowed is None or allowed == "attribute":
            raise AttributeError(f"'cupy.ndarray' object has no attribute '{name}'")
        method = getattr(self._host, name)
        if name in ("item", "tolist"):  # Python numbers, as CuPy gives
            return method
        return lambda *args, **kwargs: _call(f"ndarray.{name}", method, args, kwargs, allowed,
                                             owner=self)

    # --- Python protocols -------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        return _wrap(self._host[_to_host(key, "__getitem__")], (self,))

    def __setitem__(self, key: Any, value: Any) -> None:
        self._host[_to_host(key, "__setitem__")] = _to_host(value, "__setitem__")

    def __len__(self) -> int:
        return len(self._host)

    def __iter__(self) -> Iterator[Any]:
        return (_wrap(row) for row in self._host)

    def __bool__(self) -> bool:
        return bool(self._host)

    def __int__(self) -> int:
        return int(self._host)

    def __float__(self) -> float:
        return float(self._host)

    def __index__(self) -> int:
        return operator.index(self._host)

    def __format__(self, spec: str) -> str:
        return format(self._host.item() if self.ndim == 0 else self._host, spec)

    def __repr__(self) -> str:
        return repr(self._host)

    def __str__(self) -> str:
        return str(self._host)

    def __copy__(self) -> StandInArray:
        return StandInArray(self._host.copy())

    def __deepcopy__(self, memo: dict[int, Any]) -> StandInArray:
        return StandInArray(copy.deepcopy(self._host, memo))


def _binary(name: str) -> Callable[[StandInArray, Any], Any]:
    function = getattr(operator, name)

    def method(self: StandInArray, other: Any) -> Any:
        if not isinstance(other, StandInArray | np.ndarray | np.generic | bool | int | float):
            return NotImplemented
        host_other = _to_host(other, f"__{name}__")
        return _wrap(function(self._host, host_other))

    return method


def _reflected(name: str) -> Callable[[StandInArray, Any], Any]:
    function = getattr(operator, name)

    def method(self: StandInArray, other: Any) -> Any:
        if not isinstance(other, np.ndarray | np.generic | bool | int | float):
            return NotImplemented
        return _wrap(function(_to_host(other, f"__r{name}__"), self._host))

    return method


def _inplace(name: str) -> Callable[[StandInArray, Any], Any]:
    function = getattr(operator, f"i{name.rstrip('_')}")

    def method(self: StandInArray, other: Any) -> Any:
        function(self._host, _to_host(other, f"__i{name}__"))
        return self

    return method


def _unary(name: str) -> Callable[[StandInArray], Any]:
    function = getattr(operator, name)
    return lambda self: _wrap(function(self._host))


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and_",
              "or_", "xor", "lshift", "rshift"):
    _dunder = _name.rstrip("_")
    setattr(StandInArray, f"__{_dunder}__", _binary(_name))
    setattr(StandInArray, f"__r{_dunder}__", _reflected(_name))
    setattr(StandInArray, f"__i{_dunder}__", _inplace(_name))
for _name in ("lt", "le", "gt", "ge", "eq", "ne"):
    setattr(StandInArray, f"__{_name}__", _binary(_name))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(StandInArray, f"__{_name}__", _unary(_name))


# --------------------------------------------------------------------------------- module


class StandInUfunc:
    """A CuPy ufunc: called on device arrays only, with CuPy's keywords and methods."""

    def __init__(self, ufunc: np.ufunc) -> None:
        self._ufunc = ufunc
        self.__name__ = ufunc.__name__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _call(self.__name__, self._ufunc, args, kwargs, UFUNC_KEYWORDS)

    def __getattr__(self, name: str) -> Any:
        if name not in API["ufunc_methods"]:
            raise AttributeError(f"'cupy.ufunc' object has no attribute '{name}'")
        method = getattr(self._ufunc, name)
        if not callable(method):
            return method
        return lambda *args, **kwargs: _call(f"{self.__name__}.{name}", method, args, kwargs,
                                             None)


class StandInCupy:
    """The ``cupy`` module as far as tinygrad_edu uses it, on NumPy storage."""

    __name__ = "cupy (NumPy stand-in)"
    __version__ = API["cupy_version"]
    ndarray = StandInArray
    inf, nan, pi, e, newaxis = np.inf, np.nan, np.pi, np.e, np.newaxis

    def __init__(self) -> None:
        runtime = SimpleNamespace(getDeviceCount=lambda: 1)
        null_stream = SimpleNamespace(synchronize=lambda: None)
        self.cuda = SimpleNamespace(Device=StandInDevice, runtime=runtime,
                                    Stream=SimpleNamespace(null=null_stream))
        tricks = API["lib.stride_tricks"]
        self.lib = SimpleNamespace(stride_tricks=SimpleNamespace(**{
            name: self._function(f"lib.stride_tricks.{name}",
                                 getattr(np.lib.stride_tricks, name), tricks[name])
            for name in tricks}))

    @staticmethod
    def _function(where: str, function: Callable[..., Any], allowed: Any) -> Callable[..., Any]:
        return lambda *args, **kwargs: _call(where, function, args, kwargs, allowed)

    def asnumpy(self, a: Any, stream: Any = None, order: str = "C", out: Any = None,
                blocking: bool = True) -> np.ndarray:
        return a.get() if isinstance(a, StandInArray) else np.asarray(a)

    def get_array_module(self, *args: Any) -> Any:
        return self if any(isinstance(a, StandInArray) for a in args) else np

    def __getattr__(self, name: str) -> Any:
        if name in API["ufuncs"]:
            return StandInUfunc(getattr(np, name))
        if name in TRANSFERS:
            return self._transfer(name)
        if name in API["functions"] and hasattr(np, name):
            return self._function(name, getattr(np, name), API["functions"][name])
        numpy_value = getattr(np, name, None)
        if isinstance(numpy_value, type) and issubclass(numpy_value, np.generic):
            return numpy_value  # cupy.float32 is numpy.float32
        raise AttributeError(f"module 'cupy' has no attribute '{name}' (or the stand-in "
                             f"does not offer it)")

    def _transfer(self, name: str) -> Callable[..., Any]:
        """``cupy.asarray(x)``: device arrays pass through, host data is copied to the device."""
        allowed = API["functions"][name]

        def transfer(a: Any, *args: Any, **kwargs: Any) -> Any:
            _check_keywords(name, kwargs, allowed)
            if isinstance(a, StandInArray):
                host = getattr(np, name)(a._host, *args, **kwargs)
                return a if host is a._host else StandInArray(host)
            return StandInArray(np.array(a, *args, **kwargs))  # always a copy: a transfer

        return transfer


CUPY = StandInCupy()


def install() -> None:
    """Make ``tinygrad_edu.cuda`` see one usable GPU, served by the stand-in."""
    tg_cuda._probe.result = tg_cuda.Probe(CUPY, 1, "")  # type: ignore[arg-type]


def uninstall() -> None:
    """Forget the stand-in: the next question to ``tinygrad_edu.cuda`` probes for real."""
    tg_cuda.reset_probe()


def is_installed() -> bool:
    result = tg_cuda._probe.result
    return result is not None and result.cupy is CUPY

"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights;
``UninitializedParameter``: one whose shape a lazy layer learns at its first call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import backend, creation
from ..tensor import Size, Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad by default; assigning one to a module attribute
    registers it, so ``module.parameters()`` finds it. Shares memory with ``data``."""

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        if data is None:
            data = Tensor._wrap(np.empty(0, dtype=np.float32))
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter data must be a Tensor, got {type(data).__name__}")
        self._array = data._array
        self._version_counter = data._counter()
        if requires_grad:
            self.requires_grad = True  # checks that the dtype is floating point

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict[int, Any]) -> Parameter:
        copied = Parameter(Tensor._wrap(self._array.copy()), self.requires_grad)
        memo[id(self)] = copied
        return copied


_SHAPE_ERROR = ("Can't access the shape of an uninitialized parameter or buffer. This error "
                "usually happens in `load_state_dict` when trying to load an uninitialized "
                "parameter into an initialized one. Call `forward` to initialize the "
                "parameters before accessing their attributes.")
_USE_ERROR = ("Attempted to use an uninitialized parameter. This error happens when you are "
              "using a `LazyModule` or explicitly manipulating "
              "`tinygrad_edu.nn.parameter.UninitializedParameter` objects. When using "
              "LazyModules Call `forward` with a dummy batch to initialize the parameters "
              "before calling tinygrad_edu functions")


class UninitializedParameter(Parameter):
    """A parameter whose shape is not known yet (a lazy layer's before its first call): it
    has a dtype, a device and ``requires_grad``, but no values. ``materialize(shape)`` gives
    it values and turns it into a plain ``Parameter``: the same object, so an optimizer built
    before the first call updates it."""

    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(creation.empty(0, device=device, dtype=dtype), requires_grad)

    # The values do not exist yet: every use of them raises, as PyTorch's does. The empty
    # placeholder (its dtype and device) lives in the instance dict.
    @property  # type: ignore[override]
    def _array(self) -> Any:
        raise ValueError(_USE_ERROR)

    @_array.setter
    def _array(self, value: Any) -> None:
        self.__dict__["_array"] = value

    @property
    def _placeholder(self) -> Tensor:
        return Tensor._wrap(self.__dict__["_array"])

    @property
    def shape(self) -> Size:
        raise RuntimeError(_SHAPE_ERROR)

    @property
    def dtype(self) -> backend.dtype:
        return self._placeholder.dtype

    @property
    def device(self) -> backend.device:
        return self._placeholder.device

    def size(self, dim: int | None = None, *, axis: int | None = None) -> Any:
        """PyTorch's answer: the size of the empty placeholder, ``Size([0])``."""
        return self._placeholder.size(dim, axis=axis)

    def detach(self) -> Tensor:
        return self  # what state_dict() holds until the values exist (as PyTorch)

    def materialize(self, shape: tuple[int, ...], device: Any = None, dtype: Any = None
                    ) -> None:
        """Give the parameter uninitialised values of ``shape`` (the caller fills them) and
        make it a plain ``Parameter``, in place."""
        values = creation.empty(tuple(shape), device=device or self.device,
                                dtype=dtype or self.dtype)
        self.__dict__.pop("_array")
        self.__class__ = self.cls_to_become  # type: ignore[assignment]
        self._array = values._array

    def _converted(self, convert: Callable[[Tensor], Tensor]) -> None:
        """Take the dtype and device ``convert`` gives (``module.to(...)`` before the first
        call), still without values."""
        self.__dict__["_array"] = convert(self._placeholder)._array

    def __repr__(self) -> str:
        return "<UninitializedParameter>"

    def __deepcopy__(self, memo: dict[int, Any]) -> UninitializedParameter:
        copied = UninitializedParameter(self.requires_grad, self.device, self.dtype)
        memo[id(self)] = copied
        return copied

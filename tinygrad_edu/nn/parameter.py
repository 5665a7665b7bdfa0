"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor


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

"""Lazy layers: their input size comes from the first input they see (``LazyLinear``).

Until then the weights are ``UninitializedParameter``s: the module can be printed, moved
(``to``) and handed to an optimizer. A forward pre-hook runs before the first call: it
reads the input's size, gives the parameters their shapes and values (PyTorch's default
initialisation) and turns the module into the plain layer (``LazyLinear`` becomes
``Linear``), as PyTorch does. The parameter objects stay the same, so an optimizer built
before the first call updates them.
"""

from __future__ import annotations

from typing import Any

from ...engine import no_grad
from ...tensor import Tensor
from ..parameter import UninitializedParameter
from .linear import Linear
from .module import Module


def _infer_parameters(module: Module, args: tuple[Any, ...]) -> None:
    """The forward pre-hook of a lazy module: initialise it from the first input, then make
    it the layer it stands for (and drop this hook)."""
    module.initialize_parameters(*args)
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {module._get_name()} has not been fully initialized")
    module._forward_pre_hooks.remove(_infer_parameters)
    module.__class__ = module.cls_to_become


class LazyLinear(Linear):
    """``Linear`` whose ``in_features`` is the last dimension of its first input."""

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(0, 0, False)  # as PyTorch: an empty Linear, then the placeholders
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)
        self.register_forward_pre_hook(_infer_parameters)

    def has_uninitialized_params(self) -> bool:
        """Is some parameter still without a shape?"""
        return any(isinstance(p, UninitializedParameter) for p in self._parameters.values())

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args: Any) -> None:  # noqa: A002
        """Shapes from ``input``'s last dimension, then ``Linear``'s initialisation."""
        if self.has_uninitialized_params():
            with no_grad():
                self.in_features = input.shape[-1]
                shapes = {"weight": (self.out_features, self.in_features),
                          "bias": (self.out_features,)}
                for name, shape in shapes.items():
                    param = self._parameters.get(name)
                    if isinstance(param, UninitializedParameter):
                        param.materialize(shape)
                self.reset_parameters()
        else:  # materialized by load_state_dict: the input size is the weight's
            self.in_features = self.weight.shape[1]

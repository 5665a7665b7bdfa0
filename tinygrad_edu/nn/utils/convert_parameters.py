"""All parameters as one flat vector, and back (``torch.nn.utils.parameters_to_vector``)."""

from __future__ import annotations

from collections.abc import Iterable

from ...tensor import Tensor
from ...tensor_functions import cat


def _same_device(param: Tensor, device: str | None) -> str:
    """The device every parameter so far is on, with PyTorch's error for a second one."""
    if device is not None and str(param.device) != device:
        raise TypeError("Found two parameters on different devices, this is currently not "
                        "supported.")
    return str(param.device)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Every parameter flattened and concatenated, in order (differentiable: a ``cat``)."""
    device = None
    pieces = []
    for param in parameters:
        device = _same_device(param, device)
        pieces.append(param.view(-1))
    return cat(pieces)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Give each parameter, in order, the next ``numel()`` values of ``vec`` (as ``.data``:
    the parameters then share ``vec``'s memory, as in PyTorch)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected tinygrad_edu.Tensor, but got: {type(vec).__name__}")
    device = None
    pointer = 0
    for param in parameters:
        device = _same_device(param, device)
        count = param.numel()
        param.data = vec[pointer:pointer + count].view_as(param).data
        pointer += count

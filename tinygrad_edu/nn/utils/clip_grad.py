"""Gradient clipping: scale all gradients together so that their norm is at most
``max_norm`` (``clip_grad_norm_``), or clamp each element (``clip_grad_value_``).

Both change ``.grad`` in place, between ``backward()`` and ``optimizer.step()``."""

from __future__ import annotations

import math
from collections.abc import Iterable

from ... import backend
from ...creation import tensor
from ...engine import no_grad
from ...tensor import Tensor
from ...tensor_functions import stack

Parameters = Tensor | Iterable[Tensor]


def _gradients(parameters: Parameters) -> list[Tensor]:
    """The gradients that exist (a single tensor counts as a list of one)."""
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p.grad for p in params if p.grad is not None]


def _vector_norm(t: Tensor, p: float) -> Tensor:
    """$\\|t\\|_p$ of all elements (``torch.linalg.vector_norm``): the largest (inf) or
    smallest (-inf) magnitude, the count of nonzeros (0), or $(\\sum |t|^p)^{1/p}$."""
    if p == math.inf:
        return t.abs().max()
    if p == -math.inf:
        return t.abs().min()
    if p == 0:
        return (t != 0).sum().to(t.dtype)
    return t.norm(p)


def clip_grad_norm_(parameters: Parameters, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Scale every gradient by $\\min(1, \\text{max\\_norm} / (\\|g\\| + 10^{-6}))$, where
    $\\|g\\|$ is the ``norm_type``-norm of all gradients together (the norm of their norms);
    returns $\\|g\\|$. ``foreach`` is accepted for PyTorch's signature and has no effect."""
    grads = _gradients(parameters)
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not grads:
        return tensor(0.0)
    with no_grad():
        kind = grads[0].dtype
        for g in grads[1:]:
            kind = backend.promote_types(kind, g.dtype)
        norms = [_vector_norm(g, norm_type).to(kind) for g in grads]
        total = _vector_norm(stack(norms), norm_type)
        if error_if_nonfinite and not math.isfinite(total.item()):
            raise RuntimeError(f"The total norm of order {norm_type} for gradients from "
                               f"`parameters` is non-finite, so it cannot be clipped. To "
                               f"disable this error and scale the gradients by the non-finite "
                               f"norm anyway, set `error_if_nonfinite=False`")
        scale = (max_norm / (total + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(scale.to(g.dtype))
    return total


def clip_grad_value_(parameters: Parameters, clip_value: float,
                     foreach: bool | None = None) -> None:
    """Clamp every gradient element to $[-c, c]$ for ``clip_value`` $c$ (in place)."""
    clip_value = float(clip_value)
    with no_grad():
        for g in _gradients(parameters):
            g.clamp_(min=-clip_value, max=clip_value)

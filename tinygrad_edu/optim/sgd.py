"""Stochastic gradient descent, with momentum and Nesterov momentum (``torch.optim.SGD``)."""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, _check_flags


class SGD(Optimizer):
    r"""Stochastic gradient descent.

    For each parameter θ with gradient g (−g when ``maximize``), step t:

    - weight decay λ:        g ← g + λθ
    - momentum μ:            b ← g at the first step, else b ← μb + (1 − τ)g  (τ: dampening)
    - Nesterov:              g ← g + μb, else g ← b
    - update:                θ ← θ − lr·g

    ``foreach`` and ``fused`` are accepted and change nothing (one implementation, the same
    numbers up to rounding); ``differentiable=True`` raises NotImplementedError.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        _check_flags(foreach, fused, differentiable)

    def _update(self, p: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        # On the arrays, in place: the same arithmetic as the formulas above, without a
        # Tensor per intermediate; version counters move on as with p.add_(...).
        g = -grad._array if group["maximize"] else grad._array
        weight_decay, momentum = group["weight_decay"], group["momentum"]
        if weight_decay != 0:
            g = g + p._array * weight_decay
        if momentum != 0:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = Tensor._wrap(g.copy())
            else:
                b = buf._array
                b *= momentum
                b += g * (1 - group["dampening"]) if group["dampening"] else g
                buf._counter().value += 1
            g = g + buf._array * momentum if group["nesterov"] else buf._array
        p._array += g * -group["lr"]
        p._counter().value += 1

"""Adadelta: steps sized by running averages of past steps and gradients
(``torch.optim.Adadelta``)."""

from __future__ import annotations

from typing import Any

from ..creation import zeros_like
from ..tensor import Tensor
from .optimizer import (
    CAPTURABLE_DEVICES_NO_XLA,
    Optimizer,
    ParamsT,
    _check_capturable,
    _check_flags,
    _new_step_counter,
)


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler, 2012).

    For each parameter θ with gradient g (−g when ``maximize``):

    - weight decay λ:     g ← g + λθ
    - square average:     v ← ρv + (1 − ρ)g²
    - step:               Δ ← g · √(u + ε) / √(v + ε)
    - step average:       u ← ρu + (1 − ρ)Δ²
    - update:             θ ← θ − lr·Δ

    ``foreach`` is accepted and changes nothing (one implementation, the same numbers up to
    rounding); ``capturable=True`` raises PyTorch's AssertionError for a parameter on the cpu;
    ``differentiable=True`` raises NotImplementedError.
    """

    def __init__(self, params: ParamsT, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *,
                 capturable: bool = False, maximize: bool = False,
                 differentiable: bool = False) -> None:
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not weight_decay >= 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
                    "differentiable": differentiable}
        super().__init__(params, defaults)
        _check_flags(foreach, None, differentiable)

    def _update(self, p: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        rho, eps = group["rho"], group["eps"]
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _new_step_counter(p, group)
            state["square_avg"] = zeros_like(p)
            state["acc_delta"] = zeros_like(p)
        if group["capturable"]:
            _check_capturable(p, CAPTURABLE_DEVICES_NO_XLA)
        state["step"].add_(1)
        grad = -grad if group["maximize"] else grad
        if group["weight_decay"] != 0:
            grad = grad.add(p, alpha=group["weight_decay"])
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        square_avg.mul_(rho).add_(grad * grad, alpha=1 - rho)
        std = (square_avg + eps).sqrt()
        delta = (acc_delta + eps).sqrt().div_(std).mul_(grad)
        acc_delta.mul_(rho).add_(delta * delta, alpha=1 - rho)
        p.add_(delta, alpha=-group["lr"])

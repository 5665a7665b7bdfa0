"""Adam and AdamW: adaptive moment estimation (``torch.optim.Adam`` / ``AdamW``)."""

from __future__ import annotations

from typing import Any

from ..creation import zeros_like
from ..tensor import Tensor
from .optimizer import (
    CAPTURABLE_DEVICES,
    CAPTURABLE_DEVICES_NO_XLA,
    Optimizer,
    ParamsT,
    _check_capturable,
    _check_flags,
    _new_step_counter,
)


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2014).

    For each parameter θ with gradient g (−g when ``maximize``), step t = 1, 2, ...:

    - weight decay λ:   g ← g + λθ   (AdamW instead: θ ← θ(1 − lr·λ), "decoupled")
    - moments:          m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
    - amsgrad:          v̂ ← max(v̂, v) and v̂ is used for v below
    - update:           θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)

    ``foreach`` and ``fused`` are accepted and change nothing (one implementation, the same
    numbers up to rounding); ``capturable=True`` raises PyTorch's AssertionError for a
    parameter on the cpu (unless ``fused``); ``differentiable=True`` raises
    NotImplementedError.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not weight_decay >= 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": (float(betas[0]), float(betas[1])), "eps": eps,
                    "weight_decay": weight_decay, "amsgrad": amsgrad, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        _check_flags(foreach, fused, differentiable)

    def _update(self, p: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        weight_decay, amsgrad = group["weight_decay"], group["amsgrad"]
        grad = -grad if group["maximize"] else grad
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _new_step_counter(p, group)
            state["exp_avg"] = zeros_like(p)
            state["exp_avg_sq"] = zeros_like(p)
            if amsgrad:
                state["max_exp_avg_sq"] = zeros_like(p)
        if group["capturable"] and not group["fused"]:
            _check_capturable(p, CAPTURABLE_DEVICES_NO_XLA if group["foreach"]
                              else CAPTURABLE_DEVICES)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        state["step"].add_(1)
        step = state["step"].item()

        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                p.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(p, alpha=weight_decay)

        exp_avg.add_(grad - exp_avg, alpha=1 - beta1)  # lerp towards g
        exp_avg_sq.mul_(beta2).add_(grad * grad, alpha=1 - beta2)

        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        step_size = lr / bias_correction1
        if amsgrad:
            max_exp_avg_sq = state["max_exp_avg_sq"]
            max_exp_avg_sq.copy_(max_exp_avg_sq.maximum(exp_avg_sq))
            denom = (max_exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        else:
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        p.add_(exp_avg / denom, alpha=-step_size)


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2017): θ ← θ(1 − lr·λ) before
    the Adam update, instead of adding λθ to the gradient. Default λ = 0.01."""

    def __init__(self, params: ParamsT, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None,
                 capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        super().load_state_dict(state_dict)
        for group in self.param_groups:  # as PyTorch: AdamW always decouples
            group["decoupled_weight_decay"] = True

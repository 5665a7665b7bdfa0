"""RMSprop: divide the gradient by a running root mean square (``torch.optim.RMSprop``)."""

from __future__ import annotations

from typing import Any

from ..creation import zeros_like
from ..tensor import Tensor
from .optimizer import (
    CAPTURABLE_DEVICES,
    Optimizer,
    ParamsT,
    _check_capturable,
    _check_flags,
    _new_step_counter,
)


class RMSprop(Optimizer):
    r"""RMSprop (Hinton, lecture 6e).

    For each parameter θ with gradient g (−g when ``maximize``):

    - weight decay λ:  g ← g + λθ
    - square average:  v ← αv + (1 − α)g²
    - centered:        ḡ ← αḡ + (1 − α)g and the denominator is √(v − ḡ²) + ε, else √v + ε
    - momentum μ:      b ← μb + g / denominator,  θ ← θ − lr·b
    - else:            θ ← θ − lr · g / denominator

    ``foreach`` is accepted and changes nothing (one implementation, the same numbers up to
    rounding); ``capturable=True`` raises PyTorch's AssertionError for a parameter on the cpu;
    ``differentiable=True`` raises NotImplementedError.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not momentum >= 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not weight_decay >= 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not alpha >= 0.0:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay,
                    "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)
        _check_flags(foreach, None, differentiable)

    def _update(self, p: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        weight_decay, momentum = group["weight_decay"], group["momentum"]
        grad = -grad if group["maximize"] else grad
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _new_step_counter(p, group)
            state["square_avg"] = zeros_like(p)
            if momentum > 0:
                state["momentum_buffer"] = zeros_like(p)
            if group["centered"]:
                state["grad_avg"] = zeros_like(p)
        if group["capturable"]:
            _check_capturable(p, CAPTURABLE_DEVICES)
        state["step"].add_(1)
        if weight_decay != 0:
            grad = grad.add(p, alpha=weight_decay)

        square_avg = state["square_avg"]
        square_avg.mul_(alpha).add_(grad * grad, alpha=1 - alpha)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg.add_(grad - grad_avg, alpha=1 - alpha)  # lerp towards g
            avg = (square_avg - grad_avg * grad_avg).sqrt()
        else:
            avg = square_avg.sqrt()
        avg = avg.add_(eps)

        if momentum > 0:
            buf = state["momentum_buffer"]
            buf.mul_(momentum).add_(grad / avg)
            p.add_(buf, alpha=-lr)
        else:
            p.add_(grad / avg, alpha=-lr)

"""Adagrad: a learning rate per coordinate, shrinking with the gradients seen so far
(``torch.optim.Adagrad``)."""

from __future__ import annotations

from typing import Any

from ..creation import full_like
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, _check_flags, _new_step_counter


class Adagrad(Optimizer):
    r"""Adagrad (Duchi, Hazan & Singer, 2011).

    For each parameter θ with gradient g (−g when ``maximize``), step t = 1, 2, ...:

    - weight decay λ:  g ← g + λθ
    - decayed rate:    η ← lr / (1 + (t − 1) · lr_decay)
    - sum of squares:  s ← s + g²   (s starts at ``initial_accumulator_value``)
    - update:          θ ← θ − η · g / (√s + ε)

    As in PyTorch, the state (``step``, ``sum``) of every parameter is created by the
    constructor. ``foreach`` and ``fused`` are accepted and change nothing (one
    implementation, the same numbers up to rounding); ``differentiable=True`` raises
    NotImplementedError.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not lr_decay >= 0.0:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not weight_decay >= 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not initial_accumulator_value >= 0.0:
            raise ValueError(f"Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value,
                    "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        _check_flags(foreach, fused, differentiable)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group, initial_accumulator_value)

    def _init_state(self, p: Tensor, group: dict[str, Any], initial: float) -> None:
        state = self.state[p]
        state["step"] = _new_step_counter(p, group)
        state["sum"] = full_like(p, initial)

    def _update(self, p: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        state = self.state[p]
        if len(state) == 0:  # a parameter added later: PyTorch starts it from the defaults
            self._init_state(p, group, self.defaults["initial_accumulator_value"])
        grad = -grad if group["maximize"] else grad
        state["step"].add_(1)
        step = state["step"].item()
        if group["weight_decay"] != 0:
            grad = grad.add(p, alpha=group["weight_decay"])
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        state_sum = state["sum"]
        state_sum.add_(grad * grad)
        std = state_sum.sqrt().add_(group["eps"])
        p.add_(grad / std, alpha=-clr)

"""``Optimizer``: the base class of every optimizer (``torch.optim.Optimizer``).

An optimizer holds ``param_groups``, a list of dicts: each has ``"params"`` (the tensors it
updates) and the hyperparameters for them (``"lr"`` ...), filled in from ``defaults`` where a
group does not set them. ``state`` maps each parameter to what the update rule remembers
between steps (a momentum buffer, Adam's moments ...).

``step()`` handles the closure and the loop over parameters; a subclass implements
``_update(p, grad, group)`` for one parameter: under ``no_grad`` it changes ``p`` in
place, so the parameter keeps its identity and its version counter moves on, as with any
in-place change.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

from .. import backend
from ..creation import zeros
from ..engine import enable_grad, no_grad
from ..tensor import Tensor

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]]


class _RequiredParameter:
    """A hyperparameter every param group must set (``torch.optim.optimizer.required``)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def _typename(obj: Any) -> str:
    """The type's name as ``torch.typename`` writes it (``tinygrad_edu.tensor.Tensor``)."""
    kind = type(obj)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``zero_grad`` and state dicts."""

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + _typename(params))
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)  # type: ignore[arg-type]
        # set by step(): lets an lr scheduler warn when it is stepped before the optimizer
        self._opt_called = False

    def __repr__(self) -> str:
        """PyTorch's text: each group's settings in sorted order, a blank line between
        groups."""
        text = f"{type(self).__name__} ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {key}: {group[key]}\n" for key in sorted(group)
                            if key != "params")
        return text + ")"

    # ------------------------------------------------------------------ groups

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters (with its own hyperparameters) to ``param_groups``."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        else:
            param_group["params"] = list(params)
        # named_parameters() gives (name, tensor) pairs: the names go to "param_names"
        names = [p[0] for p in param_group["params"] if isinstance(p, tuple)]
        if names:
            if len(names) != len(param_group["params"]):
                raise ValueError("all optimizer params should be with/without names. Some "
                                 "param names are missing")
            param_group["params"] = [p[1] for p in param_group["params"]]
            param_group["param_names"] = names

        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + _typename(param))
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)

        group_params = param_group["params"]
        if len({id(p) for p in group_params}) != len(group_params):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        for group in self.param_groups:
            if ("param_names" in group) != ("param_names" in param_group):
                with_names = "with names" if "param_names" in param_group else "without names"
                raise ValueError(f"all optimizer param groups should be with/without names. "
                                 f"cannot add param group {with_names} to the optimizer")
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in seen for p in group_params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ------------------------------------------------------------------ gradients

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: ``p.grad = None`` (default), or fill them with zeros."""
        for group in self.param_groups:
            for p in group["params"]:  # _grad: .grad without its non-leaf warning (an
                if p._grad is None:  # optimizer holds leaves, or tensors that retain grad)
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if p.grad.grad_fn is not None:
                        p.grad.detach_()
                    else:
                        p.grad.requires_grad_(False)
                    p.grad.zero_()

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns ``closure()``'s loss.

        ``closure`` (optional) re-evaluates the model and returns the loss; it runs with
        grad enabled. Then, under ``no_grad``, ``_update`` is called once per parameter with
        a gradient: subclasses implement the rule there (or override ``step`` itself).
        """
        if type(self)._update is Optimizer._update:
            raise NotImplementedError
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        self._opt_called = True
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is not None:
                    self._update(p, p._grad, group)
        return loss

    def _update(self, p: Tensor, grad: Tensor, group: dict[str, Any]) -> None:
        """Change ``p`` in place from its gradient (its state is ``self.state[p]``)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ state dicts

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}``.

        Parameters are numbered in order across the groups (0, 1, 2 ...), as PyTorch does;
        the state tensors are the optimizer's own (not copies), as in PyTorch.
        """
        index_of: dict[int, int] = {}
        start = 0
        groups = []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            for i, p in enumerate(group["params"], start):
                index_of.setdefault(id(p), i)
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            start += len(packed["params"])
            groups.append(packed)
        state = {(index_of[id(key)] if isinstance(key, Tensor) else key): value
                 for key, value in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyperparameters and state saved by ``state_dict()``.

        The saved groups must match this optimizer's groups in number and size; tensors are
        copied (so later steps do not write into ``state_dict``) and, except ``step``,
        converted to their parameter's dtype and device.
        """
        groups = self.param_groups
        saved_groups = [dict(group) for group in state_dict["param_groups"]]
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        param_of = dict(zip(chain.from_iterable(s["params"] for s in saved_groups),
                            chain.from_iterable(g["params"] for g in groups)))
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in param_of:
                param = param_of[key]
                state[param] = _cast_state(param, value)
            else:
                state[key] = value
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            for key in _FLAGS:  # as PyTorch's __setstate__: for a dict saved before a flag
                if key in self.defaults:  # existed
                    saved.setdefault(key, self.defaults[key])
        self.state = state
        self.param_groups = saved_groups


def _check_flags(foreach: bool | None, fused: bool | None, differentiable: bool) -> None:
    """PyTorch's errors for its implementation switches, after the param groups are built.

    ``foreach`` and ``fused`` choose how PyTorch loops over the parameters (one kernel per
    tensor, per list, or one fused kernel); the numbers are the same up to rounding. Here
    every optimizer has one implementation, so both are accepted, kept in the param groups
    and change nothing. ``differentiable=True`` (record the step for autograd) is refused:
    our steps change the parameters in place under ``no_grad``.
    """
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
    if differentiable:
        raise NotImplementedError("differentiable=True is not supported: tinygrad_edu's "
                                  "optimizers update the parameters in place, without "
                                  "recording the step for autograd")


def _check_capturable(p: Tensor, devices: list[str]) -> None:
    """PyTorch's error for ``capturable=True`` (for CUDA graphs) with a parameter off the GPU.

    On ``cuda`` a capturable step keeps its step count on the GPU and runs the same
    arithmetic as a plain one (there are no CUDA graphs to capture here).
    """
    if p.device.type not in devices:
        raise AssertionError(f"If capturable=True, params and state_steps must be on "
                             f"supported devices: {devices}.")


# switches that a state dict saved by an older version may lack (filled in from the defaults)
_FLAGS = ("maximize", "foreach", "capturable", "differentiable", "fused",
          "decoupled_weight_decay")

# the devices PyTorch names in its capturable error (its list with and without "xla")
CAPTURABLE_DEVICES = ["cuda", "xpu", "hpu", "privateuseone", "xla"]
CAPTURABLE_DEVICES_NO_XLA = ["cuda", "xpu", "hpu", "privateuseone"]


def _new_step_counter(p: Tensor, group: dict[str, Any]) -> Tensor:
    """A new step counter, as PyTorch's: a float32 scalar on the cpu, or on the parameter's
    device when ``capturable`` or ``fused``."""
    on_device = group.get("capturable", False) or group.get("fused", False)
    return zeros((), dtype=backend.float32, device=p.device if on_device else "cpu")


def _cast_state(param: Tensor, value: Any, key: Any = None) -> Any:
    """A copy of ``value`` with its tensors on ``param``'s device (and dtype, except ``step``
    and for non-float parameters)."""
    if isinstance(value, Tensor):
        copied = value.detach().clone()
        if key == "step":
            return copied
        if param.is_floating_point():
            return copied.to(param.device, param.dtype)
        return copied.to(param.device)
    if isinstance(value, dict):
        return {k: _cast_state(param, v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_cast_state(param, v) for v in value)
    return value

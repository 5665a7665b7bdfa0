"""``tinygrad_edu.autograd``: ``grad``, ``backward``, custom ``Function``s, ``gradcheck``.

The engine itself is ``engine.py``; this module is the public face PyTorch users know.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import backend
from . import tensor as tensor_module
from .engine import enable_grad, no_grad, run_backward, set_grad_enabled
from .tensor import Tensor, _output_gradient

__all__ = ["Function", "Variable", "backward", "enable_grad", "grad", "gradcheck", "no_grad",
           "set_grad_enabled"]


class Function(tensor_module.Function):
    """Write your own differentiable operation, as ``torch.autograd.Function``::

        class Sin(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x.sin()

            @staticmethod
            def backward(ctx, grad):
                (x,) = ctx.saved_tensors
                return grad * x.cos()

        y = Sin.apply(x)

    ``forward`` gets tensors and runs with recording off; ``backward`` returns one gradient
    per input of ``forward`` (None for non-tensors).
    """

    # backward may return any tensor, one the caller keeps too: a leaf copies it into .grad
    _new_gradients = False
    # set by apply from the arguments (a plain attribute here, not the primitives' property)
    needs_input_grad: tuple[bool, ...] = ()

    def name(self) -> str:
        return f"{type(self).__name__}Backward"

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Tensor:
        ctx = cls.__new__(cls)
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with no_grad():
            out = cls.forward(ctx, *args, **kwargs)
        if not isinstance(out, Tensor):
            raise TypeError(f"{cls.__name__}.forward must return a Tensor, got "
                            f"{type(out).__name__}")
        result = Tensor._wrap(out._array)
        if tensor_module.grad_mode.enabled and any(ctx.needs_input_grad):
            ctx._record(args, result)
        return result


def Variable(data: Tensor, requires_grad: bool = False, volatile: bool = False) -> Tensor:
    """The old (PyTorch < 0.4) wrapper. Today a tensor does everything a Variable did, so
    this returns a tensor that shares ``data``'s memory."""
    if not isinstance(data, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
    return data.detach().requires_grad_(requires_grad)


def _as_tuple(value: Tensor | Sequence[Tensor | None] | None) -> tuple[Any, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, Tensor) else tuple(value)


def backward(tensors: Tensor | Sequence[Tensor],
             grad_tensors: Tensor | Sequence[Tensor | None] | None = None,
             retain_graph: bool | None = None, create_graph: bool = False) -> None:
    """Accumulate into the leaves' ``.grad`` the gradients of ``tensors``."""
    outputs = _as_tuple(tensors)
    given = _as_tuple(grad_tensors) or (None,) * len(outputs)
    if len(given) != len(outputs):
        raise RuntimeError(f"grad_tensors should have the same length as tensors: got "
                           f"{len(given)} and {len(outputs)}")
    for t in outputs:
        if not t.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have "
                               "a grad_fn")
    starts = [_output_gradient(t, g) for t, g in zip(outputs, given)]
    run_backward(outputs, starts, retain_graph=create_graph if retain_graph is None
                 else retain_graph, create_graph=create_graph)


def grad(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor],
         grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
         retain_graph: bool | None = None, create_graph: bool = False,
         allow_unused: bool = False) -> tuple[Tensor | None, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, returned (``.grad`` is not
    touched). ``grad(y, [a, b])`` is ``(dy/da, dy/db)``."""
    outs = _as_tuple(outputs)
    ins = _as_tuple(inputs)
    given = _as_tuple(grad_outputs) or (None,) * len(outs)
    for t in outs:
        if not t.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have "
                               "a grad_fn")
    starts = [_output_gradient(t, g) for t, g in zip(outs, given)]
    results = run_backward(outs, starts, inputs=ins, create_graph=create_graph,
                           retain_graph=create_graph if retain_graph is None else retain_graph)
    unused = [i for i, r in enumerate(results) if r is None]
    if unused and not allow_unused:
        raise RuntimeError(f"The differentiated Tensor at index {unused[0]} appears to not have "
                           f"been used in the graph. Set allow_unused=True if this is the "
                           f"desired behavior.")
    if create_graph:
        return tuple(results)
    return tuple(None if r is None else r.detach() for r in results)


def gradcheck(function: Callable[..., Tensor], inputs: Sequence[Tensor], eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True) -> bool:
    """Compare autograd's gradients of ``function(*inputs)`` with central differences.

    For every input element x_i: (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), taken through
    a fixed random projection of the output, so one backward checks the whole Jacobian
    row. Use float64 inputs: float32 is too coarse for differences of 1e-6.
    """
    inputs = list(inputs)
    differentiable = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    with no_grad():
        probe = function(*inputs)
    projection = Tensor._wrap(backend.to_device(np.random.default_rng(0).normal(
        size=probe.shape).astype(probe._array.dtype), probe.device))

    def scalar_output() -> float:
        with no_grad():
            return float((function(*inputs) * projection).sum().item())

    with enable_grad():
        analytic = grad((function(*inputs) * projection).sum(), differentiable,
                        allow_unused=True)
    for index, (tensor, computed) in enumerate(zip(differentiable, analytic)):
        values = tensor._array.reshape(-1)  # a view: changing it changes the input
        numeric = np.zeros(values.shape, dtype=np.float64)
        for i in range(values.size):
            original = values[i].item()
            values[i] = original + eps
            plus = scalar_output()
            values[i] = original - eps
            minus = scalar_output()
            values[i] = original
            numeric[i] = (plus - minus) / (2 * eps)
        got = (np.zeros_like(numeric) if computed is None
               else backend.to_device(computed._array, backend.CPU).reshape(-1))
        if not np.allclose(got, numeric, atol=atol, rtol=rtol):
            worst = int(np.argmax(np.abs(got - numeric)))
            message = (f"Jacobian mismatch for input {index}: autograd gives {float(got[worst])}, "
                       f"central differences {float(numeric[worst])} at element {worst}")
            if raise_exception:
                raise AssertionError(message)
            return False
    return True

"""The autograd core: grad mode, graph nodes, the topological order and the backward pass.

The graph is made of ``Node`` objects. Each tensor produced by a recorded operation points to
its node (``tensor.grad_fn``); each node points to the nodes of its inputs
(``next_functions``) and never to its own output, so a graph has no reference cycles and is
freed by reference counting alone. Leaves that require grad end in an ``AccumulateGrad`` node,
which adds the arriving gradient to ``leaf.grad``.

This module only reads tensors through a few attributes (``grad_fn``, ``shape``, ``dtype``,
``grad``); the tensor layer above it creates them.
"""

from __future__ import annotations

import functools
import gc
import threading
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .backend import from_numpy_dtype

if TYPE_CHECKING:  # the tensor layer sits above this one: import for type names only
    from .tensor import Tensor

# ------------------------------------------------------------------------------- grad mode


class GradMode(threading.local):
    """Whether operations are recorded for backward. Changed only through the context
    managers below, which restore what they found. Per thread, as PyTorch's: a ``no_grad``
    block or a backward running in one thread does not stop recording in another."""

    enabled = True  # what each thread starts with
    inference = False  # inside `inference_mode()`


grad_mode = GradMode()


def is_grad_enabled() -> bool:
    """True when new operations are recorded in the graph."""
    return grad_mode.enabled


F = TypeVar("F", bound=Callable[..., Any])


class _GradModeContext:
    """Sets grad mode on entry and restores the previous mode on exit; also a decorator."""

    mode: bool

    def __new__(cls, function: Any = None) -> Any:
        """``@no_grad`` without parentheses decorates ``function`` at once (as PyTorch)."""
        context = super().__new__(cls)
        return context(function) if callable(function) else context

    def __enter__(self) -> None:
        self.previous = grad_mode.enabled
        grad_mode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        grad_mode.enabled = self.previous

    def __call__(self, function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with type(self)():
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeContext):  # noqa: N801  (torch.no_grad)
    """Don't record operations: for inference and for updating weights by hand."""

    mode = False


class enable_grad(_GradModeContext):  # noqa: N801  (torch.enable_grad)
    """Record operations, even inside a ``no_grad`` block."""

    mode = True


class set_grad_enabled(_GradModeContext):  # noqa: N801  (torch.set_grad_enabled)
    """``set_grad_enabled(False)`` switches recording off now; as a ``with`` block it
    switches back when the block ends."""

    def __init__(self, mode: bool) -> None:
        self.previous = grad_mode.enabled
        self.mode = bool(mode)
        grad_mode.enabled = self.mode  # PyTorch applies it at once, even without `with`

    def __enter__(self) -> None:
        grad_mode.enabled = self.mode  # `previous` was taken in __init__

    def __call__(self, function: F) -> F:
        grad_mode.enabled = self.previous  # used as a decorator: don't change the mode now
        mode = self.mode

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class inference_mode:  # noqa: N801  (torch.inference_mode)
    """``no_grad`` for evaluation: nothing inside is recorded (``inference_mode(False)``
    records again, as PyTorch's). A ``with`` block or a decorator (``@inference_mode`` or
    ``@inference_mode()``); ``is_inference_mode_enabled()`` tells whether one is active.

    Unlike PyTorch, the tensors made inside are ordinary tensors: PyTorch marks them as
    "inference tensors" that autograd later refuses; here they are what ``no_grad`` gives."""

    mode: bool

    def __new__(cls, mode: Any = True) -> Any:
        context = super().__new__(cls)
        if callable(mode):  # @inference_mode without parentheses decorates at once
            context.mode = True
            return context(mode)
        return context

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)

    def __enter__(self) -> None:
        self.previous = (grad_mode.enabled, grad_mode.inference)
        grad_mode.enabled, grad_mode.inference = not self.mode, self.mode

    def __exit__(self, *exc: object) -> None:
        grad_mode.enabled, grad_mode.inference = self.previous

    def __call__(self, function: F) -> F:
        mode = self.mode

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(mode):
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()`` (``torch.is_inference_mode_enabled``)."""
    return grad_mode.inference


# ------------------------------------------------------------------------------ hooks


class RemovableHandle:
    """Returned by ``register_hook``: ``handle.remove()`` takes the hook off again."""

    def __init__(self, hooks: list[Callable[..., Any]], hook: Callable[..., Any]) -> None:
        self._hooks = hooks
        self._hook = hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def run_hooks(hooks: Sequence[Callable[[Tensor], Tensor | None]], grad: Tensor) -> Tensor:
    """Apply tensor hooks in order; a hook that returns a tensor replaces the gradient."""
    for hook in hooks:
        replaced = hook(grad)
        if replaced is not None:
            grad = replaced
    return grad


# ------------------------------------------------------------------------------ nodes


class Node:
    """One operation in the backward graph. ``next_functions`` holds, for each input,
    ``(node that produced it, 0)`` or ``(None, 0)`` when the input needs no gradient."""

    # Class-level defaults: a node (one per recorded operation) stores only what differs,
    # in flat tuples (every object kept per operation costs the cyclic collector later).
    _next: tuple[Node | None, ...] = ()  # per input: its node, None if it needs no gradient
    _input_meta: tuple[Any, ...] = ()  # per input: shape, NumPy dtype (None, None if no grad)
    _pre_hooks: list[Callable[[Tensor], Tensor | None]] | None = None
    _retained: weakref.ref[Tensor] | None = None  # the output, for retain_grad()
    # True when backward returns only arrays it has just computed, the incoming gradient
    # itself, or views of these: never an array that something else keeps. The engine then
    # lets a leaf adopt such a gradient as its .grad without a copy (see _propagate).
    _new_gradients: bool = False

    def name(self) -> str:
        return type(self).__name__

    @property
    def next_functions(self) -> tuple[tuple[Node | None, int], ...]:
        """PyTorch's view of the inputs: ``(node, 0)`` per input, ``(None, 0)`` for a
        constant."""
        return tuple((node, 0) for node in self._next)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"

    def register_prehook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Run ``hook(grad)`` on the gradient of this node's output before its backward."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(hook)
        return RemovableHandle(self._pre_hooks, hook)

    def receive(self, grad: Tensor, create_graph: bool) -> Tensor:
        """The gradient of this node's output after hooks; stores it for ``retain_grad()``."""
        if self._pre_hooks:
            grad = run_hooks(self._pre_hooks, grad)
        if self._retained is not None:
            output = self._retained()
            if output is not None:
                output._accumulate_grad(grad, create_graph)
        return grad

    def run_backward(self, grad: Tensor) -> Sequence[Tensor | None]:
        """The gradients of this node's inputs, one per ``next_functions`` entry."""
        raise NotImplementedError

    def input_meta(self, index: int) -> tuple[tuple[int, ...], Any] | None:
        """(shape, NumPy dtype) of input ``index`` when it needs a gradient, else None."""
        meta = self._input_meta
        if 2 * index >= len(meta) or meta[2 * index] is None:
            return None
        return meta[2 * index], meta[2 * index + 1]

    def release_saved(self) -> None:
        """Drop the tensors kept for backward (called after backward without retain_graph)."""


class AccumulateGrad(Node):
    """The end of the graph at a leaf that requires grad: adds the gradient to ``leaf.grad``."""

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable  # the leaf holds this node only through a weak reference

    def receive(self, grad: Tensor, create_graph: bool) -> Tensor:
        return run_hooks(self.variable._hooks or (), grad)

    def run_backward(self, grad: Tensor) -> Sequence[Tensor | None]:
        return ()


# ------------------------------------------------------------------------------ graph walk

N = TypeVar("N", bound=Hashable)


def toposort(roots: Iterable[N], parents: Callable[[N], Iterable[N | None]]) -> list[N]:
    """Every node reachable from ``roots``, each after all of its parents (post-order).

    Iterative depth-first search with an explicit stack, so a chain of 100 000 operations
    needs no recursion. ``parents(node)`` lists the nodes a node depends on (None entries,
    inputs that need no gradient, are skipped). Used by the backward pass (in reverse) and
    by the graph pictures.
    """
    order: list[N] = []
    visited: set[N] = set()
    for root in roots:
        if root in visited:
            continue
        visited.add(root)
        stack: list[tuple[N, Iterator[N | None]]] = [(root, iter(parents(root)))]
        while stack:
            node, pending = stack[-1]
            for parent in pending:
                if parent is not None and parent not in visited:
                    visited.add(parent)
                    grandparents = parents(parent)
                    if not grandparents:  # a source (a leaf's AccumulateGrad): done at once,
                        order.append(parent)  # without a trip through the stack
                        continue
                    stack.append((parent, iter(grandparents)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def node_parents(node: Node) -> tuple[Node | None, ...]:
    """The nodes a node's gradient flows to, None for inputs that need no gradient."""
    return node._next


def node_inputs(node: Node) -> Iterator[Node]:
    """The nodes a node's gradient flows to (its inputs' nodes)."""
    for next_node in node._next:
        if next_node is not None:
            yield next_node


def _check_gradient(node: Node, index: int, grad: Tensor) -> Tensor:
    """The engine's guard: a gradient must have its input's shape (and gets its dtype)."""
    shape, dtype = node._input_meta[2 * index], node._input_meta[2 * index + 1]
    if shape is None:
        return grad
    array = grad._array
    if array.shape != shape:
        raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index "
                           f"{index} - got {list(array.shape)} but expected shape compatible "
                           f"with {list(shape)}")
    if array.dtype != dtype:
        grad = grad.to(from_numpy_dtype(dtype))
    return grad


def run_backward(roots: Sequence[Tensor], root_grads: Sequence[Tensor], *,
                 retain_graph: bool, create_graph: bool,
                 inputs: Sequence[Tensor] | None = None,
                 on_step: Callable[[Node, Tensor, Sequence[Tensor | None]], None] | None = None,
                 ) -> list[Tensor | None]:
    """Propagate ``root_grads`` from ``roots`` back through the graph.

    Without ``inputs`` (``tensor.backward()``): gradients are added to the leaves' ``.grad``.
    With ``inputs`` (``autograd.grad``): the gradients reaching those tensors are returned
    and no ``.grad`` is touched. Nodes run in reverse topological order, so each node runs
    once, after every gradient for its output has arrived and been summed.

    ``on_step(node, grad, input_grads)``, when given, is called after each node runs, in this
    order (for pictures of the backward pass, ``viz.backward_steps``); it only looks.
    """
    # Python's cyclic collector is paused: the graph holds no reference cycles, so reference
    # counting frees everything, and the collector would only rescan the whole live graph
    # again and again as backward allocates gradients (measured: backward through 100 000
    # ops takes ~1.5x longer with it running). It and grad mode are set by hand, not with
    # context managers: this runs once per training step, and two `with` blocks cost as
    # much as a node.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    grad_mode_was = grad_mode.enabled
    grad_mode.enabled = create_graph  # backward records its own ops only for create_graph
    try:
        return _propagate(roots, root_grads, retain_graph=retain_graph,
                          create_graph=create_graph, inputs=inputs, on_step=on_step)
    finally:
        grad_mode.enabled = grad_mode_was
        if gc_was_enabled:
            gc.enable()


def _propagate(roots: Sequence[Tensor], root_grads: Sequence[Tensor], *,
               retain_graph: bool, create_graph: bool, inputs: Sequence[Tensor] | None,
               on_step: Callable[[Node, Tensor, Sequence[Tensor | None]], None] | None,
               ) -> list[Tensor | None]:
    """``run_backward``'s work, with the cyclic collector paused and grad mode set."""
    pending: dict[Node, Tensor] = {}
    for root, root_grad in zip(roots, root_grads, strict=True):
        node = root._graph_node()
        if node is None:
            raise RuntimeError("element 0 of tensors does not require grad and does not have "
                               "a grad_fn")
        pending[node] = pending[node] + root_grad if node in pending else root_grad

    order = toposort(list(pending), node_parents)
    captured: dict[Node, int] = {}
    results: list[Tensor | None] = []
    if inputs is not None:
        for position, tensor in enumerate(inputs):
            target = tensor._graph_node()
            if target is None:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            captured[target] = position
            results.append(None)
        order = _prune_to(order, set(captured))

    # A leaf adopts an arriving gradient array as its .grad, without a copy, when nothing but
    # the engine can hold it (PyTorch's AccumulateGrad steals such a gradient too). `shared`
    # has the ids of arrays that something else may hold: the callers' root gradients, what
    # a hook saw or returned, what a custom Function returned, one array sent to two inputs
    # at once (Add's gradient when both addends are leaves) and arrays already adopted.
    # A stale id (its array freed, the id reused) only costs a copy.
    adopt = not create_graph and on_step is None  # on_step may keep the gradients it sees
    shared = {id(grad._array) for grad in pending.values()}
    shared.update(id(grad._array) for grad in root_grads)

    for node in reversed(order):
        grad = pending.pop(node, None)
        if grad is None:  # every path to this node carried no gradient
            continue
        leaf = node if type(node) is AccumulateGrad else None  # the end of the road
        if node._pre_hooks or node._retained is not None or (
                leaf is not None and leaf.variable._hooks):
            shared.add(id(grad._array))  # a hook may keep what it is given ...
            grad = node.receive(grad, create_graph)  # hooks, retain_grad, leaf hooks
            shared.add(id(grad._array))  # ... or return an array of its own
        if captured and node in captured:
            results[captured[node]] = grad
            if leaf is not None:
                continue
        elif leaf is not None:
            key = id(grad._array)
            leaf.variable._accumulate_grad(grad, create_graph, adopt and key not in shared)
            shared.add(key)
            if on_step is not None:
                on_step(node, grad, ())
            continue
        input_grads = node.run_backward(grad)
        if not retain_graph:
            node.release_saved()
        if on_step is not None:
            on_step(node, grad, input_grads)
        new_gradients = node._new_gradients
        meta = node._input_meta
        sent: list[int] = []
        for index, next_node in enumerate(node._next):
            input_grad = input_grads[index]
            if next_node is None or input_grad is None:
                continue
            array = input_grad._array
            if array.shape != meta[2 * index] or array.dtype != meta[2 * index + 1]:
                input_grad = _check_gradient(node, index, input_grad)  # raises or converts
                array = input_grad._array
            key = id(array)
            if not new_gradients or key in sent:
                shared.add(key)
            sent.append(key)
            if array.base is not None:  # a view: its owner is seen by two holders
                shared.add(id(array.base))
            if next_node in pending:
                pending[next_node] = pending[next_node] + input_grad
            else:
                pending[next_node] = input_grad
    return results


def _prune_to(order: list[Node], targets: set[Node]) -> list[Node]:
    """Keep only the nodes (in ``order``) from which some target can be reached."""
    leads: set[Node] = set()
    for node in order:  # parents come first, so their answer is known
        if node in targets or any(parent in leads for parent in node_inputs(node)):
            leads.add(node)
    return [node for node in order if node in leads]

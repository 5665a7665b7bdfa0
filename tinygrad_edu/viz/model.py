"""What a graph picture shows, before any graphviz: boxes (``Item``) and arrows (``Edge``).

``build_scene`` walks the autograd graph once (the engine's ``toposort``, no recursion) and
reads it through a small interface: ``Tensor.grad_fn``, ``Node.next_functions``,
``AccumulateGrad.variable``, a node's ``name()``, the tensors it saved (``_saved``,
``_output``, ``_released``; named by the op's ``saved_names`` when it has them, else
PyTorch's ``self`` / ``other``) and a node's retained output. It keeps only strings, never a
tensor or a node, so a picture does not keep a graph or its saved tensors alive.

Arrows point the way data flows in the forward pass (input -> operation -> output); the
gradient flows back along them.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import backend
from ..engine import AccumulateGrad, Node, node_inputs, toposort
from ..tensor import Tensor

TINY = 6  # tensors with at most this many elements show all their values
LABEL_ATTRIBUTE = "_viz_label"  # where ``viz.label(tensor, name)`` keeps the name
OUTPUT_ATTRIBUTE = "_viz_output"  # ... and, on its grad_fn, a weak reference to the tensor

# role -> (fill colour, legend text); an item's role decides its colour
ROLES: dict[str, tuple[str, str]] = {
    "leaf": ("#9ecae1", "leaf that requires grad"),
    "parameter": ("#a1d99b", "parameter"),
    "output": ("#fdae6b", "output"),
    "saved": ("#dadaeb", "saved for backward"),
    "tensor": ("#ffffff", "tensor"),
    "op": ("#e5e5e5", "operation (grad_fn)"),
    "module": ("#c7e9c0", "collapsed module"),
    "more": ("#f5f5f5", "hidden nodes"),
}
# when one tensor has several roles, the first one in this list colours it
ROLE_PRIORITY = ("output", "parameter", "leaf", "saved", "tensor")
INPUT_NAMES = ("self", "other")  # PyTorch's names for saved inputs (_saved_self, ...)


# ------------------------------------------------------------------------------ summaries


def _number(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    return f"{float(value):.4g}"


def summarize(tensor: Any) -> str:
    """A short text for a tensor's values: the number for one element, all values for a
    tiny tensor, min / mean / max beyond."""
    # a cuda tensor's values are copied to the host only for this text
    # (not through .detach(), which would give the tensor a version counter: drawing changes
    # nothing)
    array = (backend.to_device(tensor._array, backend.CPU) if isinstance(tensor, Tensor)
             else np.asarray(tensor))
    if array.size == 0:
        return "(empty)"
    if array.size == 1:
        return _number(array.reshape(()).item())
    if array.size <= TINY:
        text = np.array2string(array, separator=", ", formatter={"all": _number})
        return re.sub(r"\s+", " ", text)
    values = array.astype(np.float64)
    return (f"min {_number(values.min())}  mean {_number(values.mean())}  "
            f"max {_number(values.max())}")


def describe(tensor: Tensor) -> str:
    """``[2, 3] float32`` (``scalar float32`` for a 0-d tensor)."""
    shape = list(tensor.shape)
    dtype = getattr(tensor.dtype, "name", str(tensor.dtype))
    return f"{shape if shape else 'scalar'} {dtype}"


# ------------------------------------------------------------------------------ the model


@dataclass
class Item:
    """One box. ``saved`` is the op's saved-tensor line (None when it saved nothing)."""

    key: str
    role: str
    lines: list[str]
    cluster: str | None = None
    saved: str | None = None
    numel: int = 0


@dataclass(frozen=True)
class Edge:
    """An arrow from ``src`` to ``dst``; ``saved`` marks a tensor only saved (no gradient)."""

    src: str
    dst: str
    saved: bool = False


@dataclass
class Scene:
    """The boxes and arrows of one picture, plus what the step-through needs to find them.

    Node positions are indices into the engine's topological order (parents first).
    ``runs_at[i]`` is the box that lights up when node ``i`` runs; ``output_at[i]`` the box
    holding its output (the tensor box when the tensor is known); ``input_edge[(i, k)]`` the
    arrow along which node ``i`` sends a gradient to its input ``k``.
    """

    items: dict[str, Item] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # node name() by position
    runs_at: dict[int, str] = field(default_factory=dict)
    output_at: dict[int, str] = field(default_factory=dict)
    input_edge: dict[tuple[int, int], int] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)  # the boxes of the outputs
    note: str | None = None  # e.g. what was collapsed or hidden

    def add_edge(self, edge: Edge) -> int:
        self.edges.append(edge)
        return len(self.edges) - 1


# ------------------------------------------------------------------------------ names


def parameter_names(params: Any) -> dict[str, Tensor]:
    """``params`` as a dict name -> tensor: a dict, or anything with ``named_parameters()``."""
    if params is None:
        return {}
    if hasattr(params, "named_parameters"):
        return dict(params.named_parameters())
    if isinstance(params, Mapping):
        return dict(params)
    raise TypeError(f"params must be a dict name -> Tensor or have named_parameters(), got "
                    f"{type(params).__name__}")


def module_of(parameter_name: str) -> str | None:
    """``conv1.weight`` -> ``conv1``; ``weight`` (a bare parameter) -> None."""
    return parameter_name.rsplit(".", 1)[0] if "." in parameter_name else None


def _saved_entries(node: Node) -> list[tuple[str, Any]]:
    """(name, value) for what an op saved for backward, PyTorch's way (self, other, result)."""
    saved = getattr(node, "_saved", None) or ()
    positions = getattr(type(node), "saves", ())
    labels = getattr(type(node), "saved_names", ())  # an op's own names: ("input", "weight")
    entries = []
    for k, value in enumerate(saved):
        if value is None:
            continue
        if k < len(labels):
            name = labels[k]
        elif k < len(positions):
            index = positions[k]
            name = INPUT_NAMES[index] if index < len(INPUT_NAMES) else f"input{index}"
        else:  # a custom autograd.Function: ctx.save_for_backward(...)
            name = f"saved_tensors[{k}]"
        entries.append((name, value))
    if getattr(node, "_output", None) is not None:
        entries.append(("result", None))
    return entries


def _saved_line(node: Node) -> str | None:
    if getattr(node, "_released", False):  # freed by backward: say so if it saved anything
        kind = type(node)
        return "freed" if getattr(kind, "saves", ()) or getattr(kind, "saves_output", False) \
            else None
    entries = _saved_entries(node)
    if not entries:
        return None
    return ", ".join(name if value is None or isinstance(value, Tensor)
                     else f"{name}={_number(value) if np.ndim(value) == 0 else '…'}"
                     for name, value in entries)


# ------------------------------------------------------------------------------ building


class _Builder:
    """Collects the boxes of one graph; a helper of ``build_scene``."""

    def __init__(self, names: dict[Tensor, str], params: dict[Tensor, str],
                 show_values: bool, show_grads: bool) -> None:
        self.names = names
        self.params = params
        self.show_values = show_values
        self.show_grads = show_grads
        self.scene = Scene()
        self.tensor_key: dict[Tensor, str] = {}
        self.roles: dict[Tensor, set[str]] = {}

    def role(self, tensor: Tensor, role: str) -> None:
        self.roles.setdefault(tensor, set()).add(role)

    def tensor_item(self, tensor: Tensor, cluster: str | None = None) -> str:
        """The box of ``tensor`` (made on first use; one box per tensor object)."""
        key = self.tensor_key.get(tensor)
        if key is not None:
            return key
        key = f"t{len(self.tensor_key)}"
        self.tensor_key[tensor] = key
        roles = self.roles.get(tensor, {"tensor"})
        role = next(r for r in ROLE_PRIORITY if r in roles or r == "tensor")
        name = (self.params.get(tensor) or self.names.get(tensor)
                or getattr(tensor, LABEL_ATTRIBUTE, None)
                or {"leaf": "leaf", "output": "output", "saved": "saved"}.get(role, "tensor"))
        lines = [str(name), describe(tensor)]
        if self.show_values:
            lines.append(f"value {summarize(tensor)}")
        if self.show_grads and (tensor.is_leaf or tensor.retains_grad):
            grad = tensor.grad
            if grad is not None:
                lines.append(f"grad {summarize(grad)}")
        self.scene.items[key] = Item(key, role, lines, cluster, numel=tensor.numel())
        return key


def build_scene(outputs: list[Tensor], params: dict[str, Tensor], names: dict[str, Tensor],
                show_values: bool = True, show_grads: bool = True,
                show_saved: bool = True) -> tuple[Scene, dict[Node, int]]:
    """The picture of the graph behind ``outputs`` and, for the step-through, each node's
    position in ``toposort`` order (the caller drops it: it holds the nodes)."""
    by_param = {tensor: name for name, tensor in params.items()}
    by_name = {tensor: name for name, tensor in names.items()}
    builder = _Builder(by_name, by_param, show_values, show_grads)
    scene = builder.scene
    roots = [out.grad_fn for out in outputs if out.grad_fn is not None]
    order: list[Node] = toposort(roots, node_inputs)
    position = {node: i for i, node in enumerate(order)}
    scene.names = [node.name() for node in order]

    # which tensors we know, and in which roles
    known_output: dict[Node, Tensor] = {}
    for out in outputs:
        builder.role(out, "output")
    for tensor in (*outputs, *by_name):
        if tensor.grad_fn in position:
            known_output.setdefault(tensor.grad_fn, tensor)
    for node in order:
        if isinstance(node, AccumulateGrad):
            builder.role(node.variable, "parameter" if node.variable in by_param else "leaf")
            continue
        for reference in (node._retained, getattr(node, OUTPUT_ATTRIBUTE, None)):
            alive = reference() if reference is not None else None
            if alive is not None:  # retain_grad() or viz.label() keeps a weak reference
                known_output.setdefault(node, alive)
        if show_saved:
            for _, value in _saved_entries(node):
                if isinstance(value, Tensor):
                    builder.role(value, "saved")
                    if value.grad_fn in position:
                        known_output.setdefault(value.grad_fn, value)

    # modules: a parameter's module; an op joins the module of a parameter it uses directly
    # or through ops that only touch that module's parameters (W.t() in x @ W.t() + b)
    param_only: dict[Node, str] = {}
    cluster_of: dict[Node, str | None] = {}
    for node in order:
        if isinstance(node, AccumulateGrad):
            name = by_param.get(node.variable)
            module = module_of(name) if name is not None else None
            if module is not None:
                param_only[node] = module
            cluster_of[node] = module
            continue
        modules = [None if parent is None else param_only.get(parent)
                   for parent, _ in node.next_functions]  # a constant input: not param-only
        found = [m for m in modules if m is not None]
        cluster_of[node] = found[0] if found else None
        if found and len(found) == len(modules) and len(set(found)) == 1:
            param_only[node] = found[0]

    first_use: dict[Node, tuple[Node, int]] = {}  # a consumer knows its inputs' shapes
    for node in order:
        for k, (parent, _) in enumerate(node.next_functions):
            if parent is not None:
                first_use.setdefault(parent, (node, k))

    # boxes and arrows, parents first
    for i, node in enumerate(order):
        cluster = cluster_of[node]
        if isinstance(node, AccumulateGrad):
            key = builder.tensor_item(node.variable, cluster)
            scene.runs_at[i] = scene.output_at[i] = key
            continue
        op_key = f"op{i}"
        scene.items[op_key] = Item(op_key, "op", [node.name()], cluster,
                                   saved=_saved_line(node) if show_saved else None)
        scene.runs_at[i] = scene.output_at[i] = op_key
        if node in known_output:
            out_key = builder.tensor_item(known_output[node], cluster)
            scene.add_edge(Edge(op_key, out_key))
            scene.output_at[i] = out_key
        else:
            shape = _output_shape(node, first_use)
            if shape is not None:
                scene.items[op_key].lines.append(f"-> {shape}")
        for k, (parent, _) in enumerate(node.next_functions):
            if parent is not None:
                scene.input_edge[(i, k)] = scene.add_edge(
                    Edge(scene.output_at[position[parent]], op_key))
        if show_saved:
            inputs = {parent for parent in node_inputs(node)}
            for _, value in _saved_entries(node):
                if not isinstance(value, Tensor):
                    continue
                graph_node = value.grad_fn or (value._accumulator()
                                               if value._accumulator is not None else None)
                if graph_node in inputs:
                    continue  # already drawn as an input of this op
                scene.add_edge(Edge(builder.tensor_item(value), op_key, saved=True))

    scene.outputs = [builder.tensor_item(out) for out in outputs]  # leaves, constants too
    return scene, position


def _output_shape(node: Node, first_use: dict[Node, tuple[Node, int]]) -> str | None:
    """The output shape of ``node``, read from a consumer's input metadata."""
    if node not in first_use:
        return None
    consumer, k = first_use[node]
    meta = consumer.input_meta(k)
    if meta is None:
        return None
    return f"{list(meta[0]) if len(meta[0]) else 'scalar'}"


# ------------------------------------------------------------------------------ reducing


def _count(n: int, noun: str) -> str:
    """``1 operation``, ``3 operations``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def collapse_modules(scene: Scene, collapse: bool | str | Iterable[str] | None) -> dict[str, str]:
    """Which item each item is drawn as once modules are collapsed to one box each.

    ``collapse=True`` collapses every module; a name (or several) collapses that module and
    the modules inside it (``"features"`` takes ``features.0`` and ``features.3``).
    """
    if not collapse:
        return {}
    clusters = {item.cluster for item in scene.items.values() if item.cluster is not None}
    if collapse is True:
        wanted = sorted(clusters)
    else:
        wanted = [collapse] if isinstance(collapse, str) else list(collapse)
    groups: dict[str, list[Item]] = {}
    for item in list(scene.items.values()):
        cluster = item.cluster
        if cluster is None:
            continue
        for prefix in wanted:
            if cluster == prefix or cluster.startswith(prefix + "."):
                groups.setdefault(prefix, []).append(item)
                break
    drawn_as: dict[str, str] = {}
    for prefix, members in groups.items():
        key = f"module:{prefix}"
        parameters = [m for m in members if m.role == "parameter"]
        ops = [m for m in members if m.role == "op"]
        lines = [prefix, f"{_count(len(parameters), 'parameter')} "
                         f"({sum(m.numel for m in parameters)} values)",
                 _count(len(ops), "operation")]
        parent = module_of(prefix)
        scene.items[key] = Item(key, "module", lines, parent if parent in clusters else None)
        for member in members:
            drawn_as[member.key] = key
    return drawn_as


def cap_nodes(scene: Scene, drawn_as: dict[str, str], max_nodes: int | None,
              outputs: list[str]) -> dict[str, str]:
    """Keep the ``max_nodes - 1`` boxes nearest the outputs (breadth-first against the
    arrows) and draw the rest as one "more" box; returns the updated ``drawn_as``."""
    shown = [key for key in scene.items if key not in drawn_as]
    if max_nodes is None or len(shown) <= max_nodes:
        return drawn_as
    inputs_of: dict[str, list[str]] = {}
    for edge in scene.edges:
        src, dst = drawn_as.get(edge.src, edge.src), drawn_as.get(edge.dst, edge.dst)
        inputs_of.setdefault(dst, []).append(src)
    keep: dict[str, None] = {}
    queue = deque(drawn_as.get(key, key) for key in outputs)
    budget = max(max_nodes - 1, 1)
    while queue and len(keep) < budget:
        key = queue.popleft()
        if key in keep:
            continue
        keep[key] = None
        queue.extend(inputs_of.get(key, ()))
    hidden = {key: None for key in shown if key not in keep}  # ordered, fast `in`
    if not hidden:
        return drawn_as
    more = "more"
    scene.items[more] = Item(more, "more", [f"... {len(hidden)} more nodes",
                                            f"(max_nodes={max_nodes})"])
    updated = dict(drawn_as)
    for key in scene.items:
        if drawn_as.get(key, key) in hidden:
            updated[key] = more
    scene.note = f"{len(hidden)} of {len(shown)} nodes hidden (max_nodes={max_nodes})"
    return updated


def prepare_scene(outputs: list[Tensor], params: Any = None,
                  names: Mapping[str, Tensor] | None = None, *, show_values: bool = True,
                  show_grads: bool = True, show_saved: bool = True, clusters: bool = True,
                  collapse: bool | str | Iterable[str] | None = None,
                  max_nodes: int | None = None,
                  ) -> tuple[Scene, dict[str, str], dict[Node, int]]:
    """``build_scene``, then clusters, collapsed modules and the node cap applied."""
    for out in outputs:
        if not isinstance(out, Tensor):
            raise TypeError(f"can only draw Tensors, got {type(out).__name__}")
    scene, position = build_scene(outputs, parameter_names(params), dict(names or {}),
                                  show_values, show_grads, show_saved)
    if not clusters:
        for item in scene.items.values():
            item.cluster = None
    drawn_as = collapse_modules(scene, collapse)
    drawn_as = cap_nodes(scene, drawn_as, max_nodes, scene.outputs)
    return scene, drawn_as, position

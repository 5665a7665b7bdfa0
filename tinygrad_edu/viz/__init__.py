"""Pictures of autograd graphs: ``draw`` a graph, step through ``backward_steps``.

    from tinygrad_edu import viz
    y = a**2 * x + b * x + c
    viz.draw(y, names={"a": a, "b": b, "c": c, "x": x, "y": y})   # a PNG in JupyterLab
    y.backward()
    viz.draw(y, names=...)                                        # now with gradients
    viz.backward_steps(loss)                                      # one picture per step

Operations are drawn with PyTorch's ``grad_fn`` names (``MulBackward0``); tensors with their
name, shape, dtype, values and, after ``backward()``, gradient. viz reads the graph through
the engine's small interface (``grad_fn``, ``next_functions``, ``toposort``) and never imports
the ops. It keeps only text, so a picture never keeps a graph alive, and drawing changes no
gradient, version counter or saved tensor.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..tensor import Tensor
from .model import LABEL_ATTRIBUTE, OUTPUT_ATTRIBUTE, prepare_scene, summarize
from .render import Graph, GraphvizUnavailableError
from .steps import BackwardSteps, backward_steps

__all__ = ["DEFAULT_MAX_NODES", "BackwardSteps", "Graph", "GraphvizUnavailableError",
           "backward_steps", "draw", "label", "summarize"]

DEFAULT_MAX_NODES = 300  # beyond this, the nodes farthest from the outputs become one box


def label(tensor: Tensor, name: str) -> Tensor:
    """Give ``tensor`` a name for pictures; returns the tensor, so
    ``h = viz.label(x @ W, "h")`` works.

    The name is kept on the tensor itself; its ``grad_fn`` gets a weak reference to the
    tensor, so a picture can find it (and the graph still keeps no tensor alive)."""
    setattr(tensor, LABEL_ATTRIBUTE, str(name))
    if tensor.grad_fn is not None and hasattr(tensor.grad_fn, "__dict__"):
        setattr(tensor.grad_fn, OUTPUT_ATTRIBUTE, weakref.ref(tensor))
    return tensor


def draw(outputs: Tensor | Sequence[Tensor] | Mapping[str, Tensor], params: Any = None, *,
         names: Mapping[str, Tensor] | None = None, format: str = "png",  # noqa: A002
         show_values: bool = True, show_grads: bool = True, show_saved: bool = True,
         clusters: bool = True, collapse: bool | str | Iterable[str] | None = None,
         max_nodes: int | None = DEFAULT_MAX_NODES, legend: bool = True,
         rankdir: str = "TB", title: str | None = None) -> Graph:
    """A picture of the graph that computed ``outputs``.

    ``outputs``: a tensor, several, or a dict name -> tensor. ``params``: a dict
    name -> tensor (``dict(model.named_parameters())``) or anything with
    ``named_parameters()``; parameters are grouped by module (``conv1.weight`` in
    ``conv1``). ``names``: a dict name -> tensor for any tensor in the graph (or use
    ``viz.label``). ``collapse``: ``True``, a module name or several, drawn as one box
    each. ``max_nodes``: the most boxes drawn; the ones farthest from the outputs become one
    "more" box (``None``: no cap). ``format``: ``"png"`` (default) or ``"svg"``.
    """
    if isinstance(outputs, Tensor):
        tensors, output_names = [outputs], {}
    elif isinstance(outputs, Mapping):
        tensors, output_names = list(outputs.values()), dict(outputs)
    else:
        tensors, output_names = list(outputs), {}
    scene, drawn_as, _ = prepare_scene(
        tensors, params, {**output_names, **(names or {})}, show_values=show_values,
        show_grads=show_grads, show_saved=show_saved, clusters=clusters, collapse=collapse,
        max_nodes=max_nodes)
    return Graph(scene, drawn_as, format=format, legend=legend, rankdir=rankdir, title=title)

"""From a ``Scene`` to DOT text, a ``graphviz.Digraph`` and a picture that shows itself.

``Graph`` is what ``viz.draw`` returns. In JupyterLab it shows as a PNG (or SVG); without
graphviz's ``dot`` program, or without the Python ``graphviz`` package, it shows a short
install hint and the DOT text instead of a traceback.
"""

from __future__ import annotations

import importlib
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import ROLES, Scene

FORMATS = ("png", "svg")
CURRENT = "#d62728"  # the node being processed, the gradients it sends
DONE = "#2ca02c"  # nodes already processed, gradients already sent
# (what happened, how to install what is missing): shown instead of a traceback
DOT_HINT = (
    "Graphviz's `dot` program was not found, so the graph is shown as DOT text. "
    "Install it, then run the cell again:",
    "conda install -c conda-forge graphviz     # conda\n"
    "sudo apt-get install graphviz             # Debian / Ubuntu\n"
    "brew install graphviz                     # macOS",
)
BINDING_HINT = (
    "The Python package `graphviz` is not installed, so the graph is shown as DOT text. "
    "Install it, restart the kernel and run the cell again:",
    "conda install -c conda-forge python-graphviz   # the binding and `dot`\n"
    "pip install graphviz                           # the binding; `dot` from apt / brew",
)


def hint_text(hint: tuple[str, str]) -> str:
    """A hint as plain text: the message, then the commands indented."""
    message, commands = hint
    return message + "\n" + "".join(f"    {line}\n" for line in commands.splitlines())


class GraphvizUnavailableError(RuntimeError):
    """Raised by ``Graph.pipe`` when the picture cannot be made; ``hint`` says what to do."""

    def __init__(self, hint: tuple[str, str]) -> None:
        super().__init__(hint_text(hint))
        self.hint = hint


def _graphviz() -> Any:
    """The ``graphviz`` module, imported on first use (importing viz starts nothing)."""
    try:
        return importlib.import_module("graphviz")
    except ImportError:
        raise GraphvizUnavailableError(BINDING_HINT) from None


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(lines: list[str]) -> str:
    """A multi-line DOT label (each line escaped, joined by DOT's ``\\n``)."""
    return '"' + "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"')
                            for line in lines) + '"'


def _attributes(attrs: dict[str, str]) -> str:
    return " ".join(f"{name}={value}" for name, value in attrs.items())


@dataclass
class Overlay:
    """What one step of the backward pass adds to the picture."""

    title: list[str] = field(default_factory=list)
    extra: dict[str, list[str]] = field(default_factory=dict)  # item -> more lines
    current: set[str] = field(default_factory=set)  # items being processed
    done: set[str] = field(default_factory=set)  # items processed earlier
    freed: set[str] = field(default_factory=set)  # ops whose saved tensors are freed
    edge_labels: dict[int, list[str]] = field(default_factory=dict)  # scene edge -> grads
    hot_edges: set[int] = field(default_factory=set)  # gradients sent in this step
    warm_edges: set[int] = field(default_factory=set)  # gradients sent earlier


SHAPES = {"op": 'shape=box style="filled"', "module": 'shape=box3d style="filled"',
          "more": 'shape=note style="filled"'}
TENSOR_SHAPE = 'shape=box style="filled,rounded"'
LEGEND_ROLES = ("leaf", "parameter", "output", "saved", "op")


class Graph:
    """A picture of an autograd graph.

    Shows itself in JupyterLab (PNG by default, ``format="svg"`` on request). ``digraph`` is
    the ``graphviz.Digraph``, ``source`` its DOT text; ``nodes`` maps each drawn node's id to
    its label and ``edges`` lists ``(from, to, label)``, the legend left out of both.
    """

    def __init__(self, scene: Scene, drawn_as: dict[str, str] | None = None, *,
                 format: str = "png", legend: bool = True, rankdir: str = "TB",  # noqa: A002
                 title: str | None = None, overlay: Overlay | None = None) -> None:
        if format not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, got {format!r}")
        self.format = format
        self.nodes: dict[str, str] = {}
        self.edges: list[tuple[str, str, str]] = []
        self._body = self._dot_body(scene, drawn_as or {}, legend, rankdir, title,
                                    overlay or Overlay())

    # ---------------------------------------------------------------- DOT

    def _dot_body(self, scene: Scene, drawn_as: dict[str, str], legend: bool, rankdir: str,
                  title: str | None, overlay: Overlay) -> list[str]:
        title_lines = ([title] if title else []) + overlay.title
        if scene.note:
            title_lines.append(scene.note)
        body = [f"graph [{_attributes({'rankdir': rankdir, 'fontname': 'Helvetica'})}"
                + (f" label={_label(title_lines)} labelloc=t" if title_lines else "") + "]",
                'node [fontname=Helvetica fontsize=10]', 'edge [fontname=Helvetica fontsize=9]']
        clusters: dict[str, list[str]] = {}
        for key, item in scene.items.items():
            if key in drawn_as:
                continue
            lines = list(item.lines)
            if item.saved is not None:
                lines.append(f"saved: {'freed' if key in overlay.freed else item.saved}")
            lines += overlay.extra.get(key, [])
            self.nodes[key] = "\n".join(lines)
            attrs = {"label": _label(lines), "fillcolor": _quote(ROLES[item.role][0])}
            if key in overlay.current:
                attrs.update(color=_quote(CURRENT), penwidth="3")
            elif key in overlay.done:
                attrs.update(color=_quote(DONE), penwidth="2")
            body.append(f"{_quote(key)} [{_attributes(attrs)} "
                        f"{SHAPES.get(item.role, TENSOR_SHAPE)}]")
            if item.cluster is not None:
                clusters.setdefault(item.cluster, []).append(key)
        for name, members in clusters.items():
            body.append(f"subgraph {_quote('cluster_' + name)} {{ label={_quote(name)} "
                        f'style="rounded,dashed" color="#4a7a4a" '
                        + " ".join(_quote(m) for m in members) + " }")
        body += self._dot_edges(scene, drawn_as, overlay)
        if legend:
            present = {scene.items[key].role for key in self.nodes}
            roles = [*LEGEND_ROLES, *(r for r in ("module", "more") if r in present)]
            entries = " ".join(
                f"{_quote('legend_' + role)} [label={_quote(ROLES[role][1])} "
                f"fillcolor={_quote(ROLES[role][0])} {SHAPES.get(role, TENSOR_SHAPE)}]"
                for role in roles)
            body.append('subgraph cluster_legend { label="legend" style="rounded" '
                        'color="#bbbbbb" fontsize=10 node [fontsize=9] '
                        f"{entries} }}")
        return body

    def _dot_edges(self, scene: Scene, drawn_as: dict[str, str],
                   overlay: Overlay) -> list[str]:
        merged: dict[tuple[str, str, bool], list[int]] = {}  # only edges whose ends moved
        drawn: list[tuple[str, str, bool, list[int]]] = []
        for index, edge in enumerate(scene.edges):
            src, dst = drawn_as.get(edge.src, edge.src), drawn_as.get(edge.dst, edge.dst)
            if src == dst:
                continue
            if src == edge.src and dst == edge.dst:
                drawn.append((src, dst, edge.saved, [index]))  # a + a: two arrows, both shown
                continue
            if (src, dst, edge.saved) not in merged:
                merged[(src, dst, edge.saved)] = [index]
                drawn.append((src, dst, edge.saved, merged[(src, dst, edge.saved)]))
            else:
                merged[(src, dst, edge.saved)].append(index)
        lines = []
        for src, dst, saved, indices in drawn:
            grads = [g for i in indices for g in overlay.edge_labels.get(i, [])]
            label = "; ".join(grads[:3]) + ("; ..." if len(grads) > 3 else "")
            label = f" {label} " if label else ""
            self.edges.append((src, dst, label))
            attrs: dict[str, str] = {}
            if saved:
                attrs.update(style="dashed", color='"#888888"')
            if label:
                attrs["label"] = _quote(label)
            if any(i in overlay.hot_edges for i in indices):
                attrs.update(color=_quote(CURRENT), fontcolor=_quote(CURRENT), penwidth="2.5")
            elif any(i in overlay.warm_edges for i in indices):
                attrs.update(color=_quote(DONE), fontcolor=_quote(DONE))
            lines.append(f"{_quote(src)} -> {_quote(dst)}"
                         + (f" [{_attributes(attrs)}]" if attrs else ""))
        return lines

    @property
    def source(self) -> str:
        """The DOT text (the same as ``digraph.source``)."""
        return "digraph {\n" + "".join(f"\t{line}\n" for line in self._body) + "}\n"

    @property
    def digraph(self) -> Any:
        """A ``graphviz.Digraph`` of this picture (needs the Python ``graphviz`` package)."""
        return _graphviz().Digraph(body=[f"\t{line}\n" for line in self._body])

    # ---------------------------------------------------------------- pictures

    def pipe(self, format: str | None = None) -> bytes:  # noqa: A002
        """The picture as bytes (``png`` or ``svg``); raises ``GraphvizUnavailableError`` with an
        install hint when graphviz cannot draw it."""
        graphviz = _graphviz()
        try:
            return bytes(self.digraph.pipe(format=format or self.format))
        except graphviz.ExecutableNotFound:
            raise GraphvizUnavailableError(DOT_HINT) from None
        except subprocess.CalledProcessError as error:
            stderr = error.stderr.decode(errors="replace") if error.stderr else ""
            raise GraphvizUnavailableError(("graphviz's `dot` failed to draw the graph; try a "
                                       "smaller max_nodes or collapse modules.",
                                       stderr.strip())) from None

    def png(self) -> bytes:
        return self.pipe("png")

    def svg(self) -> str:
        return self.pipe("svg").decode()

    def save(self, path: str | Path) -> Path:
        """Write the picture: ``.png``, ``.svg`` or ``.dot`` (the DOT text) by suffix."""
        path = Path(path)
        if path.suffix == ".dot":
            path.write_text(self.source, encoding="utf-8")
        else:
            path.write_bytes(self.pipe(path.suffix.lstrip(".") or self.format))
        return path

    def fallback_bundle(self, hint: tuple[str, str]) -> dict[str, str]:
        """What shows when there is no picture: the hint and the DOT text."""
        message, commands = hint
        return {"text/plain": f"{hint_text(hint)}\n{self.source}",
                "text/markdown": f"{message}\n\n```\n{commands}\n```\n\n"
                                 f"```dot\n{self.source}```\n"}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        try:
            data = self.pipe()
        except GraphvizUnavailableError as problem:
            return self.fallback_bundle(problem.hint)
        picture: dict[str, Any] = ({"image/png": data} if self.format == "png"
                                   else {"image/svg+xml": data.decode()})
        return {**picture, "text/plain": repr(self)}

    def __repr__(self) -> str:
        return f"<tinygrad_edu.viz.Graph: {len(self.nodes)} nodes, {len(self.edges)} edges>"

"""The backward pass, one picture per step, in the order the engine really runs.

``backward_steps(loss)`` *is* ``loss.backward()``: it calls the engine with the same
arguments, plus an ``on_step`` callback that only looks (summaries of each gradient, as
text). Gradients, version counters and what is freed or retained come out exactly as after a
normal ``backward()``. The pictures are drawn afterwards, on demand.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine import AccumulateGrad, Node, run_backward
from ..tensor import Tensor, _output_gradient
from .model import Scene, prepare_scene, summarize
from .render import Graph, GraphvizUnavailableError, Overlay, hint_text

COLUMNS = 4  # frames per row in the static grid


@dataclass(frozen=True)
class Step:
    """One node the engine ran (``position`` in ``toposort`` order, parents first).

    ``grad`` is the gradient of its output after summing the ``arrivals`` that reached it;
    ``sent`` lists ``(input index, input's position, gradient)`` for each gradient it sent;
    ``leaf_grad`` is ``.grad`` after an ``AccumulateGrad`` step.
    """

    position: int
    name: str
    grad: str
    arrivals: int
    sent: tuple[tuple[int, int, str], ...]
    leaf_grad: str | None
    frees: bool


def _pillow() -> Any:
    try:
        return importlib.import_module("PIL.Image")
    except ImportError:
        raise ImportError("this needs Pillow: pip install pillow (or conda install pillow)"
                          ) from None


class BackwardSteps(Sequence[Graph]):
    """The pictures of one backward pass: ``steps[i]`` is a ``Graph``; ``len(steps)`` is the
    number of nodes the engine ran. Shows a slider in JupyterLab (ipywidgets), else a grid
    of frames; ``save_gif`` and ``save_pngs`` write them out."""

    def __init__(self, scene: Scene, drawn_as: dict[str, str], steps: list[Step],
                 options: dict[str, Any]) -> None:
        self.scene = scene
        self.drawn_as = drawn_as
        self.steps = steps
        self.options = options
        self._png: dict[int, bytes] = {}

    @property
    def order(self) -> list[str]:
        """The names of the nodes, in the order the engine ran them."""
        return [step.name for step in self.steps]

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.frame(i) for i in range(len(self))[index]]
        if not -len(self) <= index < len(self):
            raise IndexError(f"step {index} out of range ({len(self)} steps)")
        return self.frame(index % len(self))

    def __iter__(self) -> Iterator[Graph]:
        return (self.frame(i) for i in range(len(self)))

    def frame(self, index: int) -> Graph:
        """The picture after step ``index``: the node being processed in red, the
        gradients it sends on red arrows, earlier steps in green."""
        scene, drawn = self.scene, self.drawn_as
        overlay = Overlay()
        total = {step.position: step.arrivals for step in self.steps}
        arrived: dict[int, int] = {}
        ran: set[int] = set()
        for j, step in enumerate(self.steps[:index + 1]):
            now = j == index
            ran.add(step.position)
            runs, out = scene.runs_at[step.position], scene.output_at[step.position]
            (overlay.current if now else overlay.done).add(drawn.get(runs, runs))
            lines = [f"grad {step.grad}" + (f"  (sum of {step.arrivals})"
                                            if step.arrivals > 1 else "")]
            if step.leaf_grad is not None and step.leaf_grad != step.grad:
                lines.append(f".grad {step.leaf_grad}")
            overlay.extra.setdefault(out, []).extend(lines)
            for k, parent, summary in step.sent:
                edge = scene.input_edge[(step.position, k)]
                overlay.edge_labels.setdefault(edge, []).append(summary)
                (overlay.hot_edges if now else overlay.warm_edges).add(edge)
                arrived[parent] = arrived.get(parent, 0) + 1
            if step.frees:
                overlay.freed.add(runs)
        for parent, count in arrived.items():
            if parent not in ran and total.get(parent, count) > 1:
                key = scene.output_at[parent]
                overlay.extra.setdefault(key, []).append(
                    f"grads arrived: {count} of {total.get(parent, count)}")
        step = self.steps[index]
        if step.leaf_grad is not None:
            what = "adds the gradient into the leaf's .grad"
        else:
            what = f"sends a gradient to {len(step.sent)} input(s)"
        overlay.title = [f"backward step {index + 1}/{len(self)}: {step.name} {what}"]
        return Graph(scene, drawn, overlay=overlay, **self.options)

    # ---------------------------------------------------------------- pictures

    def png(self, index: int) -> bytes:
        """Frame ``index`` as PNG bytes (drawn once, then kept)."""
        if index not in self._png:
            self._png[index] = self.frame(index).pipe("png")
        return self._png[index]

    def _images(self) -> list[Any]:
        image = _pillow()
        frames = [image.open(io.BytesIO(self.png(i))).convert("RGB") for i in range(len(self))]
        width = max(f.width for f in frames)
        height = max(f.height for f in frames)
        padded = []
        for frame in frames:  # one size for all, or the GIF jumps
            canvas = image.new("RGB", (width, height), "white")
            canvas.paste(frame, (0, 0))
            padded.append(canvas)
        return padded

    def save_gif(self, path: str | Path, duration_ms: int = 1200) -> Path:
        """An animated GIF of the steps (needs Pillow)."""
        frames = self._images()
        path = Path(path)
        frames[0].save(path, save_all=True, append_images=frames[1:], duration=duration_ms,
                       loop=0)
        return path

    def save_pngs(self, folder: str | Path) -> list[Path]:
        """One PNG per step in ``folder`` (``step_001.png`` ...)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        width = len(str(len(self)))
        paths = []
        for i in range(len(self)):
            path = folder / f"step_{i + 1:0{max(width, 3)}d}.png"
            path.write_bytes(self.png(i))
            paths.append(path)
        return paths

    def grid_png(self, columns: int = COLUMNS) -> bytes:
        """All frames in one PNG, ``columns`` per row (needs Pillow)."""
        image = _pillow()
        frames = self._images()
        width, height = frames[0].width, frames[0].height
        rows = -(-len(frames) // columns)
        sheet = image.new("RGB", (width * min(columns, len(frames)), height * rows), "white")
        for i, frame in enumerate(frames):
            sheet.paste(frame, ((i % columns) * width, (i // columns) * height))
        out = io.BytesIO()
        sheet.save(out, format="PNG")
        return out.getvalue()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The static view: every frame in a grid (one PNG), or a row of images."""
        text = repr(self)
        if not self.steps:
            return {"text/plain": text}
        try:
            if importlib.util.find_spec("PIL") is not None:
                return {"image/png": self.grid_png(), "text/plain": text}
            images = "".join(
                f'<img src="data:image/png;base64,{base64.b64encode(self.png(i)).decode()}" '
                f'style="display:inline-block;vertical-align:top;margin:4px"/>'
                for i in range(len(self)))
            return {"text/html": f'<div style="white-space:nowrap;overflow-x:auto">{images}'
                                 "</div>", "text/plain": text}
        except GraphvizUnavailableError as problem:
            steps = "\n".join(f"{i + 1}. {name}" for i, name in enumerate(self.order))
            return {"text/plain": f"{hint_text(problem.hint)}\nsteps:\n{steps}\n\n"
                                  f"{self.frame(len(self) - 1).source}"}

    def _ipython_display_(self) -> None:
        """In Jupyter: a slider (and play button) over the frames when ipywidgets is
        installed, else the static grid."""
        from IPython.display import display

        bundle = self._repr_mimebundle_
        if not self.steps or importlib.util.find_spec("ipywidgets") is None:
            display(bundle(), raw=True)
            return
        try:
            first = self.png(0)
        except GraphvizUnavailableError:
            display(bundle(), raw=True)
            return
        widgets = importlib.import_module("ipywidgets")
        image = widgets.Image(value=first, format="png")
        slider = widgets.IntSlider(value=1, min=1, max=len(self), description="step")
        play = widgets.Play(value=1, min=1, max=len(self), interval=1200)
        widgets.jslink((play, "value"), (slider, "value"))

        def show(change: Mapping[str, Any]) -> None:
            image.value = self.png(int(change["new"]) - 1)

        slider.observe(show, names="value")
        box = widgets.VBox([widgets.HBox([play, slider]), image])
        data = box._repr_mimebundle_()
        if data:
            data["text/plain"] = repr(self)  # stable text for saved notebooks
            display(data, raw=True)
        else:
            display(box)

    def __repr__(self) -> str:
        return f"<tinygrad_edu.viz.BackwardSteps: {len(self)} steps>"


def backward_steps(loss: Tensor, gradient: Tensor | None = None,
                   retain_graph: bool | None = None, create_graph: bool = False, *,
                   params: Any = None, names: Mapping[str, Tensor] | None = None,
                   format: str = "png", show_values: bool = True,  # noqa: A002
                   show_saved: bool = True, clusters: bool = True, collapse: Any = None,
                   max_nodes: int | None = 300, legend: bool = True,
                   rankdir: str = "TB") -> BackwardSteps:
    """Run ``loss.backward(gradient, retain_graph, create_graph)`` and return one picture
    per step, in the engine's order. ``.grad`` ends up exactly as after ``loss.backward()``.

    The other arguments are ``draw``'s.
    """
    if not loss.requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have "
                           "a grad_fn")
    start = _output_gradient(loss, gradient)
    retain = create_graph if retain_graph is None else retain_graph
    scene, drawn_as, position = prepare_scene(
        [loss], params, names, show_values=show_values, show_saved=show_saved,
        clusters=clusters, collapse=collapse, max_nodes=max_nodes)
    steps: list[Step] = []
    arrivals: dict[int, int] = {}

    def on_step(node: Node, grad: Tensor, input_grads: Sequence[Tensor | None]) -> None:
        here = position.get(node)
        if here is None:  # backward from a leaf: nothing drawn to step through
            return
        sent = []
        for k, ((parent, _), input_grad) in enumerate(zip(node.next_functions, input_grads)):
            if parent is not None and input_grad is not None:
                sent.append((k, position[parent], summarize(input_grad)))
                arrivals[position[parent]] = arrivals.get(position[parent], 0) + 1
        leaf_grad = (summarize(node.variable.grad) if isinstance(node, AccumulateGrad)
                     else None)
        frees = not retain and scene.items[scene.runs_at[here]].saved is not None
        steps.append(Step(here, node.name(), summarize(grad), arrivals.get(here, 1),
                          tuple(sent), leaf_grad, frees))

    run_backward([loss], [start], retain_graph=retain, create_graph=create_graph,
                 on_step=on_step)
    return BackwardSteps(scene, drawn_as, steps,
                         {"format": format, "legend": legend, "rankdir": rankdir})

"""Graph pictures (``tinygrad_edu.viz``): what is drawn, that it renders, that it degrades
to an install hint without graphviz, and that stepping through backward is backward.

Graphs are built with plain tensor ops; ``nn`` is not needed (a Linear layer is
``x @ W.t() + b`` with a params dict, the LeNet is LeNet-300-100, the fully connected one).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from tinygrad_edu import viz
from tinygrad_edu.engine import AccumulateGrad, node_inputs, toposort

PNG = b"\x89PNG\r\n\x1a\n"
HAS_DOT = subprocess.run(["which", "dot"], capture_output=True).returncode == 0
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="graphviz's `dot` is not installed")


# ------------------------------------------------------------------------------ graphs


def seed_y(lib: Any = tg) -> dict[str, Any]:
    """The micrograd seed: y = a**2 * x + b * x + c."""
    a = lib.tensor(2.0, requires_grad=True)
    b = lib.tensor(3.0, requires_grad=True)
    c = lib.tensor(1.0, requires_grad=True)
    x = lib.tensor(0.5)
    y = a**2 * x + b * x + c
    return {"a": a, "b": b, "c": c, "x": x, "y": y}


def seed_out(lib: Any = tg) -> dict[str, Any]:
    """The PyTorch tutorial seed: out = (3 * (x + 2)**2).mean()."""
    x = lib.ones(2, 2, requires_grad=True)
    out = (3 * (x + 2) ** 2).mean()
    return {"x": x, "out": out}


def linear(lib: Any = tg) -> tuple[Any, dict[str, Any], Any]:
    """A Linear(4, 3) layer as plain ops: (output, params, input)."""
    rng = np.random.default_rng(0)
    W = lib.tensor(rng.normal(size=(3, 4)), requires_grad=True)
    b = lib.tensor(rng.normal(size=3), requires_grad=True)
    x = lib.tensor(rng.normal(size=(2, 4)))
    return (x @ W.t() + b).sum(), {"fc.weight": W, "fc.bias": b}, x


def lenet(lib: Any = tg) -> tuple[Any, dict[str, Any]]:
    """LeNet-300-100 on a batch of two 28x28 images, with a log-softmax + NLL loss."""
    rng = np.random.default_rng(0)
    sizes = {"fc1": (300, 784), "fc2": (100, 300), "fc3": (10, 100)}
    params: dict[str, Any] = {}
    for name, (out, inp) in sizes.items():
        params[f"{name}.weight"] = lib.tensor(rng.normal(size=(out, inp)) / np.sqrt(inp),
                                              requires_grad=True)
        params[f"{name}.bias"] = lib.tensor(np.zeros(out), requires_grad=True)
    images = lib.tensor(rng.normal(size=(2, 1, 28, 28)))
    target = lib.tensor([3, 7])
    h = images.reshape(2, 784)
    for i, name in enumerate(sizes):
        h = h @ params[f"{name}.weight"].t() + params[f"{name}.bias"]
        if i < len(sizes) - 1:
            h = h.relu()
    loss = -h.log_softmax(dim=1).gather(1, target.reshape(2, 1)).mean()
    return loss, params


def op_names(graph: viz.Graph) -> Counter[str]:
    """How many boxes of each operation the picture has (first label line)."""
    return Counter(label.split("\n")[0] for key, label in graph.nodes.items()
                   if key.startswith("op"))


def torch_op_names(output: torch.Tensor) -> Counter[str]:
    """The same count for PyTorch's graph (iterative walk of next_functions)."""
    seen: set[Any] = set()
    stack = [output.grad_fn]
    names: Counter[str] = Counter()
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        if type(node).__name__ != "AccumulateGrad":
            names[type(node).__name__] += 1
        stack.extend(parent for parent, _ in node.next_functions)
    return names


def label_of(graph: viz.Graph, first_line: str) -> str:
    matches = [label for label in graph.nodes.values() if label.split("\n")[0] == first_line]
    assert len(matches) == 1, (first_line, graph.nodes)
    return matches[0]


# ------------------------------------------------------------------------------ what is drawn


def test_seed_y_before_and_after_backward() -> None:
    t = seed_y()
    graph = viz.draw(t["y"], names=t)
    assert len(graph.nodes) == 10 and len(graph.edges) == 10
    assert op_names(graph) == Counter({"MulBackward0": 2, "AddBackward0": 2, "PowBackward0": 1})
    assert op_names(graph) == torch_op_names(seed_y(torch)["y"])
    assert label_of(graph, "a").split("\n") == ["a", "scalar float32", "value 2"]
    assert label_of(graph, "y").split("\n") == ["y", "scalar float32", "value 4.5"]
    assert label_of(graph, "PowBackward0").endswith("saved: self")
    assert label_of(graph, "x").split("\n")[0] == "x"  # saved by both Muls, drawn once
    assert sum(1 for src, _, _ in graph.edges if graph.nodes[src].startswith("x\n")) == 2
    assert "grad" not in label_of(graph, "a")

    t["y"].backward()
    after = viz.draw(t["y"], names=t)
    assert label_of(after, "a").endswith("grad 2")  # 2 a x
    assert label_of(after, "b").endswith("grad 0.5")
    assert label_of(after, "c").endswith("grad 1")
    # backward freed the saved tensors: x is gone, the ops say so
    assert len(after.nodes) == 9 and len(after.edges) == 8
    assert sum("saved: freed" in label for label in after.nodes.values()) == 3


def test_seed_out_before_and_after_backward() -> None:
    t = seed_out()
    graph = viz.draw(t["out"], names=t)
    assert op_names(graph) == torch_op_names(seed_out(torch)["out"])
    assert len(graph.nodes) == 7 and len(graph.edges) == 6
    assert label_of(graph, "x").split("\n") == ["x", "[2, 2] float32", "value [[1, 1], [1, 1]]"]
    assert label_of(graph, "out").split("\n") == ["out", "scalar float32", "value 27"]
    saved = label_of(graph, "saved")  # x + 2, kept by PowBackward0
    assert "value [[3, 3], [3, 3]]" in saved
    assert "saved: self=3" in label_of(graph, "MulBackward0")

    t["out"].backward()
    assert label_of(viz.draw(t["out"], names=t), "x").endswith("grad [[4.5, 4.5], [4.5, 4.5]]")


def test_value_summaries() -> None:
    assert viz.summarize(tg.tensor(3.25)) == "3.25"
    assert viz.summarize(tg.tensor([1.0, 2.5])) == "[1, 2.5]"
    assert viz.summarize(tg.tensor([True, False])) == "[True, False]"
    assert viz.summarize(tg.arange(10)) == "min 0  mean 4.5  max 9"
    assert viz.summarize(tg.zeros(0)) == "(empty)"


def test_linear_layer_clusters_and_collapse() -> None:
    loss, params, x = linear()
    graph = viz.draw(loss, params, names={"x": x, "loss": loss})
    assert op_names(graph) == Counter({"TBackward0": 1, "MmBackward0": 1, "AddBackward0": 1,
                                       "SumBackward0": 1})
    assert op_names(graph) == torch_op_names(linear(torch)[0])
    assert len(graph.nodes) == 8 and len(graph.edges) == 7  # W b x loss + 4 ops
    assert label_of(graph, "fc.weight").split("\n")[:2] == ["fc.weight", "[3, 4] float64"]
    cluster = next(line for line in graph.source.splitlines() if "cluster_fc" in line)
    members = {key for key, label in graph.nodes.items() if f'"{key}"' in cluster}
    assert {graph.nodes[k].split("\n")[0] for k in members} == {
        "fc.weight", "fc.bias", "TBackward0", "MmBackward0", "AddBackward0"}
    assert 'fillcolor="#a1d99b"' in graph.source  # parameters have their own colour

    collapsed = viz.draw(loss, params, collapse="fc")
    assert len(collapsed.nodes) == 4  # x, fc, SumBackward0, loss
    assert label_of(collapsed, "fc").split("\n") == ["fc", "2 parameters (15 values)",
                                                     "3 operations"]
    loss.backward()
    assert "grad" in label_of(viz.draw(loss, params), "fc.bias")


def test_params_from_an_object_with_named_parameters() -> None:
    loss, params, _ = linear()

    class Model:
        def named_parameters(self) -> Any:
            return iter(params.items())

    graph = viz.draw(loss, Model())
    assert "fc.weight" in {label.split("\n")[0] for label in graph.nodes.values()}
    with pytest.raises(TypeError, match="named_parameters"):
        viz.draw(loss, [1, 2])


def test_label_names_a_tensor() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    h = viz.label(a * 2, "h")
    graph = viz.draw(h.sum())
    assert label_of(graph, "h").split("\n") == ["h", "[2] float32", "value [2, 4]"]
    assert label_of(viz.draw(viz.label(a, "a") * 3), "a").startswith("a\n")  # a leaf
    del h  # the picture refers to its tensor weakly: drawn only while it lives
    assert "h" not in {label.split("\n")[0] for label in viz.draw(graph_output(a)).nodes.values()}


def graph_output(a: Any) -> Any:
    return (a * 2).sum()


def test_lenet_counts_clusters_collapse_and_cap() -> None:
    loss, params = lenet()
    graph = viz.draw(loss, params, names={"loss": loss})
    assert op_names(graph) == torch_op_names(lenet(torch)[0])
    assert op_names(graph)["MmBackward0"] == 3 and op_names(graph)["ReluBackward0"] == 2
    assert sum(label.split("\n")[0] in params for label in graph.nodes.values()) == 6
    for module in ("fc1", "fc2", "fc3"):
        assert f'subgraph "cluster_{module}"' in graph.source
    before = len(graph.nodes)

    collapsed = viz.draw(loss, params, collapse=True)
    assert {label.split("\n")[0] for key, label in collapsed.nodes.items()
            if key.startswith("module:")} == {"fc1", "fc2", "fc3"}
    # per module W, b, T, Mm, Add (and W.t(), saved by Mm in fc2 and fc3) become one box
    assert before == 27 and len(collapsed.nodes) == before - (3 * 5 + 2) + 3

    capped = viz.draw(loss, params, max_nodes=8)
    assert len(capped.nodes) == 8
    assert capped.nodes["more"].startswith(f"... {before - 7} more nodes")

    loss.backward()
    after = viz.draw(loss, params)
    assert all("grad" in label_of(after, name) for name in params)


# ------------------------------------------------------------------------------ rendering


@needs_dot
def test_png_and_svg_rendering() -> None:
    t = seed_y()
    graph = viz.draw(t["y"], names=t)
    bundle = graph._repr_mimebundle_()
    assert bundle["image/png"].startswith(PNG)
    assert bundle["text/plain"] == repr(graph) == "<tinygrad_edu.viz.Graph: 10 nodes, 10 edges>"
    svg = viz.draw(t["y"], format="svg")._repr_mimebundle_()["image/svg+xml"]
    assert "<svg" in svg and "MulBackward0" in svg
    assert graph.digraph.source == graph.source
    with pytest.raises(ValueError, match="format"):
        viz.draw(t["y"], format="jpg")


def test_without_dot_shows_a_hint_and_the_dot_text(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without `dot`
    graph = viz.draw(seed_y()["y"])
    bundle = graph._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/markdown"}
    text = bundle["text/plain"]
    for command in ("conda install -c conda-forge graphviz", "apt-get install graphviz",
                    "brew install graphviz"):
        assert command in text and command in bundle["text/markdown"]
    assert text.endswith(graph.source) and "Traceback" not in text
    assert "```dot\n" + graph.source in bundle["text/markdown"]
    with pytest.raises(viz.GraphvizUnavailableError, match="brew install graphviz"):
        graph.png()


def test_without_dot_in_a_fresh_process(tmp_path: Path) -> None:
    script = ("from tinygrad_edu import viz; import tinygrad_edu as tg\n"
              "x = tg.tensor(2.0, requires_grad=True)\n"
              "b = viz.draw(x * x)._repr_mimebundle_()\n"
              "print(sorted(b)); print(b['text/plain'])\n")
    env = {**os.environ, "PATH": str(tmp_path), "PYTHONPATH": str(Path(__file__).parents[1])}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "['text/markdown', 'text/plain']" in result.stdout
    assert "apt-get install graphviz" in result.stdout and "digraph {" in result.stdout


def test_without_the_graphviz_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)  # `import graphviz` fails
    graph = viz.draw(seed_y()["y"])
    bundle = graph._repr_mimebundle_()
    assert "pip install graphviz" in bundle["text/plain"]
    assert "conda install -c conda-forge python-graphviz" in bundle["text/plain"]
    assert bundle["text/plain"].endswith(graph.source)
    with pytest.raises(viz.GraphvizUnavailableError):
        _ = graph.digraph


def chain(n: int) -> tuple[Any, Any]:
    x = tg.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.0001
    return x, y


@pytest.mark.slow
@needs_dot
def test_ten_thousand_node_chain() -> None:
    _, y = chain(10_000)
    graph = viz.draw(y)  # capped at the default max_nodes: renders
    assert len(graph.nodes) == viz.DEFAULT_MAX_NODES
    assert graph.nodes["more"].startswith("... 9703 more nodes")
    assert graph._repr_mimebundle_()["image/png"].startswith(PNG)
    whole = viz.draw(y, max_nodes=None)  # no cap: every node, no recursion
    assert len(whole.nodes) == 10_002 and len(whole.edges) == 10_001


def test_drawing_changes_nothing() -> None:
    t = seed_out()
    x, out = t["x"], t["out"]
    pow_node = next(n for n in toposort([out.grad_fn], node_inputs)
                    if n.name() == "PowBackward0")
    saved = pow_node._saved
    viz.draw(out, names=t)
    assert pow_node._saved is saved and not pow_node._released
    assert x._version == 0 and x._version_counter is None and x.grad is None
    out.backward()
    expected = seed_out()
    expected["out"].backward()
    np.testing.assert_array_equal(np.asarray(x.grad), np.asarray(expected["x"].grad))


# ------------------------------------------------------------------------------ step-through


def engine_order(loss: Any) -> list[str]:
    """The names a normal backward runs, seen through pre-hooks (Function nodes) and tensor
    hooks (leaves) registered for this one backward."""
    seen: list[str] = []
    nodes = toposort([loss.grad_fn], node_inputs)
    for node in nodes:
        if isinstance(node, AccumulateGrad):
            node.variable.register_hook(lambda g, n=node: seen.append(n.name()))
        else:
            node.register_prehook(lambda g, n=node: seen.append(n.name()))
    loss.backward()
    return seen


@pytest.mark.parametrize("make", [seed_y, seed_out])
def test_backward_steps_follow_the_engine_and_give_backward_gradients(make: Any) -> None:
    t = make()
    loss = t["y"] if "y" in t else t["out"]
    order = toposort([loss.grad_fn], node_inputs)
    steps = viz.backward_steps(loss, names=t)
    assert steps.order == engine_order(make()["y" if "y" in t else "out"])
    assert [s.position for s in steps.steps] == list(range(len(order)))[::-1]
    assert steps.order == [node.name() for node in reversed(order)]
    fresh = make()
    (fresh["y"] if "y" in fresh else fresh["out"]).backward()
    for name, tensor in t.items():
        if tensor.is_leaf and tensor.requires_grad:
            np.testing.assert_array_equal(np.asarray(tensor.grad), np.asarray(fresh[name].grad))
            assert tensor._version == fresh[name]._version


def test_backward_steps_keep_retain_graph_semantics() -> None:
    t = seed_out()
    viz.backward_steps(t["out"])
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        t["out"].backward()

    t = seed_out()
    viz.backward_steps(t["out"], retain_graph=True)
    t["out"].backward()  # the graph was kept, as with backward(retain_graph=True)
    np.testing.assert_allclose(np.asarray(t["x"].grad), np.full((2, 2), 9.0))


def test_backward_steps_show_the_current_node_and_accumulation() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    loss = (a + a).sum()
    steps = viz.backward_steps(loss, names={"a": a, "loss": loss})
    assert steps.order == ["SumBackward0", "AddBackward0", "AccumulateGrad"]
    assert len(steps) == 3 and repr(steps) == "<tinygrad_edu.viz.BackwardSteps: 3 steps>"
    add = steps[1]
    red = [(src, dst, label) for src, dst, label in add.edges
           if "#d62728" in _edge_line(add, src, dst)]
    assert len(red) == 2 and all(label.strip() == "[1, 1]" for *_, label in red)
    assert "grads arrived: 2 of 2" in label_of(add, "a")
    assert "penwidth=3" in _node_line(add, "op1")
    last = steps[-1]
    assert "grad [2, 2]  (sum of 2)" in label_of(last, "a")
    assert "backward step 3/3: AccumulateGrad" in last.source
    np.testing.assert_array_equal(np.asarray(a.grad), [2.0, 2.0])


def _edge_line(graph: viz.Graph, src: str, dst: str) -> str:
    return next(line for line in graph.source.splitlines() if f'"{src}" -> "{dst}"' in line)


def _node_line(graph: viz.Graph, key: str) -> str:
    return next(line for line in graph.source.splitlines() if line.strip().startswith(f'"{key}" ['))


def test_backward_steps_on_a_lenet_match_backward() -> None:
    loss, params = lenet()
    steps = viz.backward_steps(loss, params=params, collapse=True)
    fresh_loss, fresh_params = lenet()
    fresh_loss.backward()
    for name, tensor in params.items():
        np.testing.assert_allclose(np.asarray(tensor.grad), np.asarray(fresh_params[name].grad))
    assert len(steps) == len(toposort([fresh_loss.grad_fn], node_inputs))
    assert "module:fc1" in steps[-1].nodes


@pytest.mark.slow
def test_backward_steps_on_a_long_chain() -> None:
    x, y = chain(10_000)
    steps = viz.backward_steps(y)
    assert len(steps) == 10_001
    assert steps.order[-1] == "AccumulateGrad"
    assert abs(x.grad.item() - 1.0001**10_000) < 1e-3


@needs_dot
def test_backward_steps_save_gif_and_pngs(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    from PIL import Image

    t = seed_y()
    steps = viz.backward_steps(t["y"], names=t)
    gif = steps.save_gif(tmp_path / "backward.gif")
    with Image.open(gif) as image:
        assert image.format == "GIF" and image.n_frames == len(steps)
    pngs = steps.save_pngs(tmp_path / "frames")
    assert [p.name for p in pngs] == [f"step_{i:03d}.png" for i in range(1, len(steps) + 1)]
    assert all(p.read_bytes().startswith(PNG) for p in pngs)
    assert steps._repr_mimebundle_()["image/png"].startswith(PNG)  # the static grid


@needs_dot
def test_backward_steps_show_a_slider(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ipywidgets")
    import IPython.display

    shown: list[Any] = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, raw=False: shown.append((obj, raw)))
    t = seed_y()
    steps = viz.backward_steps(t["y"])
    steps._ipython_display_()
    (bundle, raw), = shown
    assert raw and "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == repr(steps)

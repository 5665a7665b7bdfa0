"""Graph pictures of a real ``nn.Module``: seed 001's LeNet (two convolutions, max pooling,
three Linear layers, an MSE loss) drawn with ``viz.draw(loss, net)``.

The same net is built with ``torch.nn`` and ``tinygrad_edu.nn`` from the same weights, and
each test compares the picture with PyTorch's ``grad_fn`` graph, walked the same way.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from typing import Any

import numpy as np
import pytest
import torch
from test_seed001_network import define_net  # seed 001's Net, word for word

import tinygrad_edu as tg
from tinygrad_edu import viz
from tinygrad_edu.engine import node_inputs, toposort

PNG = b"\x89PNG\r\n\x1a\n"
HAS_DOT = subprocess.run(["which", "dot"], capture_output=True).returncode == 0
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="graphviz's `dot` is not installed")

MODULES = ("conv1", "conv2", "fc1", "fc2", "fc3")
# The one difference from PyTorch's graph: PyTorch records ``weight.t()`` as its own node
# before ``addmm``; tinygrad_edu's Linear primitive (nn/primitives.py) reads the weight
# directly, one node per layer fewer. Walks of PyTorch's graph look through these nodes.
TORCH_ONLY = frozenset({"TBackward0"})


# ------------------------------------------------------------------------------ the net


def lenet(lib: Any) -> dict[str, Any]:
    """The net, one 32x32 input, the seed's target 1..10 and the MSE loss; the weights are
    PyTorch's ``manual_seed(0)`` ones for both libraries."""
    torch.manual_seed(0)
    reference = define_net(torch)()
    net = define_net(lib)()
    if lib is not torch:
        with tg.no_grad():
            for name, param in net.named_parameters():
                param.copy_(tg.tensor(reference.get_parameter(name).detach().numpy()))
    else:
        net = reference
    image = lib.tensor(np.random.default_rng(1).normal(size=(1, 1, 32, 32)).astype(np.float32))
    target = lib.arange(1.0, 11.0).view(1, 10)
    loss = lib.nn.MSELoss()(net(image), target)
    return {"net": net, "input": image, "loss": loss}


# ------------------------------------------------------------------------------ graph walks


def name_of(node: Any) -> str:
    """PyTorch's node name: its class name (torch) or ``name()`` (tinygrad_edu)."""
    return type(node).__name__ if isinstance(node, torch.autograd.graph.Node) else node.name()


def walk(loss: Any) -> list[Any]:
    """Every node behind ``loss`` once, iteratively, the same walk for both libraries."""
    seen: set[Any] = set()
    stack, found = [loss.grad_fn], []
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        found.append(node)
        stack.extend(parent for parent, _ in node.next_functions)
    return found


def op_counts(loss: Any) -> Counter[str]:
    return Counter(name_of(node) for node in walk(loss) if name_of(node) != "AccumulateGrad")


def wiring(loss: Any) -> Counter[tuple[str, tuple[str, ...]]]:
    """(operation, the sorted names of its inputs) for every operation; ``None`` is an input
    that needs no gradient, and PyTorch's ``TORCH_ONLY`` nodes are looked through."""
    def kind(node: Any) -> str:
        while node is not None and name_of(node) in TORCH_ONLY:
            node = node.next_functions[0][0]
        return "None" if node is None else name_of(node)

    return Counter((name_of(node), tuple(sorted(kind(parent) for parent, _ in
                                                node.next_functions)))
                   for node in walk(loss)
                   if name_of(node) not in TORCH_ONLY | {"AccumulateGrad"})


def op_names(graph: viz.Graph) -> Counter[str]:
    return Counter(label.split("\n")[0] for key, label in graph.nodes.items()
                   if key.startswith("op"))


def first_lines(graph: viz.Graph) -> list[str]:
    return [label.split("\n")[0] for label in graph.nodes.values()]


def cluster_members(graph: viz.Graph, module: str) -> set[str]:
    """First label lines of the boxes in ``module``'s cluster."""
    line = next(line for line in graph.source.splitlines()
                if line.strip().startswith(f'subgraph "cluster_{module}"'))
    return {label.split("\n")[0] for key, label in graph.nodes.items() if f'"{key}"' in line}


# ------------------------------------------------------------------------------ the tests


def test_same_numbers_as_pytorch() -> None:
    ours, theirs = lenet(tg), lenet(torch)
    assert ours["loss"].item() == pytest.approx(theirs["loss"].item(), rel=1e-5)


def test_operation_names_are_pytorchs() -> None:
    ours, theirs = lenet(tg), lenet(torch)
    graph = viz.draw(ours["loss"], ours["net"])
    assert op_names(graph) == op_counts(ours["loss"])  # one box per operation, by name()
    torch_counts = op_counts(theirs["loss"])
    assert torch_counts == Counter({"ConvolutionBackward0": 2,
                                    "MaxPool2DWithIndicesBackward0": 2, "ReluBackward0": 4,
                                    "ViewBackward0": 1, "TBackward0": 3, "AddmmBackward0": 3,
                                    "MseLossBackward0": 1})
    assert op_names(graph) == Counter({name: count for name, count in torch_counts.items()
                                       if name not in TORCH_ONLY})
    # each operation reads inputs of the same kinds (the same next_functions, up to order)
    assert wiring(ours["loss"]) == wiring(theirs["loss"])
    assert Counter(name_of(n) for n in walk(ours["loss"]))["AccumulateGrad"] == 10


def test_clusters_per_module() -> None:
    t = lenet(tg)
    graph = viz.draw(t["loss"], t["net"])
    for module in ("conv1", "conv2"):
        assert cluster_members(graph, module) == {f"{module}.weight", f"{module}.bias",
                                                  "ConvolutionBackward0"}
    for module in ("fc1", "fc2"):
        assert cluster_members(graph, module) == {f"{module}.weight", f"{module}.bias",
                                                  "AddmmBackward0"}
    # fc3's output is drawn too (the loss saved it), in its module
    assert cluster_members(graph, "fc3") == {"fc3.weight", "fc3.bias", "AddmmBackward0",
                                             "saved"}
    params = dict(t["net"].named_parameters())
    assert sum(line in params for line in first_lines(graph)) == len(params) == 10
    assert 'fillcolor="#a1d99b"' in graph.source  # parameters have their own colour
    conv = next(label for label in graph.nodes.values()
                if label.startswith("ConvolutionBackward0"))
    assert conv.endswith("saved: input, weight")  # PyTorch's _saved_input, _saved_weight
    # the same picture from a dict of parameters
    same = viz.draw(t["loss"], dict(t["net"].named_parameters()))
    assert same.source == graph.source


def test_counts_before_and_after_backward() -> None:
    t = lenet(tg)
    names = {"input": t["input"], "loss": t["loss"]}
    graph = viz.draw(t["loss"], t["net"], names=names)
    # 10 parameters, 13 operations, the input, the loss and 6 more tensors saved for
    # backward: pool1's output (read by conv2), the flattened pool2 output (fc1), the
    # outputs of relu3 (fc2), relu4 (fc3) and fc3 (the loss), and the target
    assert sum(op_names(graph).values()) == 13
    assert len(graph.nodes) == 10 + 13 + 2 + 6 == 31 and len(graph.edges) == 30
    assert "input" in first_lines(graph) and "loss" in first_lines(graph)
    assert first_lines(graph).count("saved") == 6
    assert not any("grad " in label for label in graph.nodes.values())
    # conv x2, relu x4, addmm x3 and the loss keep something for backward
    assert sum("\nsaved: " in label for label in graph.nodes.values()) == 10

    t["loss"].backward()
    after = viz.draw(t["loss"], t["net"], names=names)
    # backward freed what was saved: those tensors are gone, and the input too, as the
    # graph reached it only as something conv1 saved (it needs no gradient)
    assert len(after.nodes) == 10 + 13 + 1 == 24 and len(after.edges) == 23
    assert "saved" not in first_lines(after) and "input" not in first_lines(after)
    assert sum("saved: freed" in label for label in after.nodes.values()) == 10
    for name, param in t["net"].named_parameters():
        label = next(label for label in after.nodes.values() if label.startswith(name + "\n"))
        assert f"grad {viz.summarize(param.grad)}" in label


def test_collapse_gives_one_box_per_module() -> None:
    t = lenet(tg)
    graph = viz.draw(t["loss"], t["net"])
    collapsed = viz.draw(t["loss"], t["net"], collapse=True)
    modules = {key: label for key, label in collapsed.nodes.items() if key.startswith("module:")}
    assert sorted(label.split("\n")[0] for label in modules.values()) == sorted(MODULES)
    assert modules["module:conv1"].split("\n") == ["conv1", "2 parameters (156 values)",
                                                   "1 operation"]
    assert modules["module:fc1"].split("\n") == ["fc1", "2 parameters (48120 values)",
                                                 "1 operation"]
    assert not any(line.endswith((".weight", ".bias")) for line in first_lines(collapsed))
    # weight, bias and the operation of each module (and fc3's output) become one box
    assert len(collapsed.nodes) == len(graph.nodes) - (5 * 3 + 1) + 5 == 20
    assert not any("cluster_conv1" in line for line in collapsed.source.splitlines())
    # module boxes are wired in the forward order
    arrows = {(collapsed.nodes[src].split("\n")[0], collapsed.nodes[dst].split("\n")[0])
              for src, dst, _ in collapsed.edges}
    assert {("conv1", "ReluBackward0"), ("fc3", "MseLossBackward0")} <= arrows
    one = viz.draw(t["loss"], t["net"], collapse="conv2")
    assert [k for k in one.nodes if k.startswith("module:")] == ["module:conv2"]
    assert len(one.nodes) == len(graph.nodes) - 3 + 1


def test_max_nodes_caps_the_picture() -> None:
    t = lenet(tg)
    total = len(viz.draw(t["loss"], t["net"], max_nodes=None).nodes)
    for cap in (5, 10, total - 1):
        capped = viz.draw(t["loss"], t["net"], max_nodes=cap)
        assert len(capped.nodes) == cap
        assert capped.nodes["more"].startswith(f"... {total - cap + 1} more nodes")
    assert "more" not in viz.draw(t["loss"], t["net"], max_nodes=total).nodes
    # the boxes kept are the ones nearest the output
    kept = first_lines(viz.draw(t["loss"], t["net"], max_nodes=5))
    assert "MseLossBackward0" in kept and "conv1.weight" not in kept
    collapsed = viz.draw(t["loss"], t["net"], collapse=True, max_nodes=10)
    assert len(collapsed.nodes) == 10


@needs_dot
def test_png_renders() -> None:
    t = lenet(tg)
    for graph in (viz.draw(t["loss"], t["net"]), viz.draw(t["loss"], t["net"], collapse=True),
                  viz.draw(t["loss"], t["net"], max_nodes=12)):
        bundle = graph._repr_mimebundle_()
        assert bundle["image/png"].startswith(PNG)
        assert bundle["text/plain"] == repr(graph)
    assert "ConvolutionBackward0" in viz.draw(t["loss"], t["net"], format="svg").svg()


def test_backward_steps_end_with_backward_gradients() -> None:
    t = lenet(tg)
    steps = viz.backward_steps(t["loss"], params=t["net"])
    fresh = lenet(tg)
    order = toposort([fresh["loss"].grad_fn], node_inputs)
    fresh["loss"].backward()
    assert len(steps) == len(order) == 23  # 13 operations, 10 parameters
    assert steps.order == [node.name() for node in reversed(order)]
    assert steps.order[0] == "MseLossBackward0" and steps.order[-1] == "AccumulateGrad"
    fresh_params = dict(fresh["net"].named_parameters())
    for name, param in t["net"].named_parameters():
        np.testing.assert_array_equal(np.asarray(param.grad),
                                      np.asarray(fresh_params[name].grad))
        assert param._version == fresh_params[name]._version
    theirs = lenet(torch)
    theirs["loss"].backward()
    for name, param in t["net"].named_parameters():
        expected = theirs["net"].get_parameter(name).grad.numpy()
        np.testing.assert_allclose(np.asarray(param.grad), expected, rtol=1e-4, atol=1e-6)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        t["loss"].backward()  # as after loss.backward(): the saved tensors are freed
    conv = steps.order.index("ConvolutionBackward0")
    assert f"backward step {conv + 1}/23: ConvolutionBackward0" in steps[conv].source
    other = lenet(tg)
    collapsed = viz.backward_steps(other["loss"], params=other["net"], collapse=True)
    assert "module:conv2" in collapsed[-1].nodes and len(collapsed) == 23


@needs_dot
def test_backward_steps_frames_render() -> None:
    t = lenet(tg)
    steps = viz.backward_steps(t["loss"], params=t["net"], collapse=True)
    assert steps.png(0).startswith(PNG) and steps.png(len(steps) - 1).startswith(PNG)


def test_nested_modules_cluster_and_collapse_by_prefix() -> None:
    nn = tg.nn
    tg.manual_seed(0)
    net = nn.Sequential()
    net.features = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2))
    net.head = nn.Sequential(nn.Flatten(), nn.Linear(8, 3))
    loss = net(tg.randn(1, 1, 6, 6)).sum()
    graph = viz.draw(loss, net)
    assert cluster_members(graph, "features.0") == {"features.0.weight", "features.0.bias",
                                                    "ConvolutionBackward0"}
    assert "MaxPool2DWithIndicesBackward0" in op_names(graph)
    collapsed = viz.draw(loss, net, collapse=["features", "head"])
    assert sorted(k for k in collapsed.nodes if k.startswith("module:")) == [
        "module:features", "module:head"]

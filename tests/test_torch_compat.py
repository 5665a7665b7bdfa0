"""PyTorch code from the Blitz, d2l.ai and the tutorials, line for line: the calls they make,
the graphs they print, the warnings and errors they show.

Each test runs the same code on both libraries (``lib`` is ``torch`` or ``tinygrad_edu``)
and compares what a student would see.
"""

from __future__ import annotations

import ast
import math
import subprocess
import sys
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import torch

import tinygrad_edu as tg

LIBS = pytest.mark.parametrize("lib", [torch, tg], ids=["torch", "tinygrad_edu"])


def node_name(node: Any) -> str | None:
    """A graph node's name in either library (PyTorch's ``name()`` of AccumulateGrad is
    ``torch::autograd::AccumulateGrad``; its class name is the short one)."""
    if node is None:
        return None
    return type(node).__name__ if isinstance(node, torch.autograd.graph.Node) else node.name()


def inputs_of(node: Any) -> list[str | None]:
    return [node_name(n) for n, _ in node.next_functions]


def outcome(code: Callable[[ModuleType], Any], lib: ModuleType) -> tuple[str, str]:
    """(exception type name, message) of ``code(lib)``, or ("ok", repr of the result)."""
    try:
        return "ok", repr(code(lib))
    except Exception as error:  # the test compares whatever was raised
        return type(error).__name__, str(error).split("\n")[0]


# ----------------------------------------------------------------- the graph of nn.Linear


def small_net_loss(lib: ModuleType, bias: bool = True) -> Any:
    lib.manual_seed(0)
    nn = lib.nn
    net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2, bias=bias))
    return nn.MSELoss()(net(lib.ones(1, 4)), lib.zeros(1, 2))


def test_blitz_grad_fn_chain_is_pytorchs() -> None:
    """The Blitz prints loss.grad_fn, then .next_functions[0][0] twice: PyTorch's third
    line is the bias's AccumulateGrad (addmm's first input), not ReLU."""
    walks = []
    for lib in (torch, tg):
        fn = small_net_loss(lib).grad_fn
        chain = [node_name(fn)]
        for _ in range(2):
            fn = fn.next_functions[0][0]
            chain.append(node_name(fn))
        walks.append(chain)
    assert walks[0] == walks[1] == ["MseLossBackward0", "AddmmBackward0", "AccumulateGrad"]


def test_linear_inputs_in_addmms_order() -> None:
    ours = small_net_loss(tg).grad_fn.next_functions[0][0]
    theirs = small_net_loss(torch).grad_fn.next_functions[0][0]
    assert inputs_of(theirs) == ["AccumulateGrad", "ReluBackward0", "TBackward0"]
    # the one difference: PyTorch records weight.t() as a node; ours reads the weight
    assert inputs_of(ours) == ["AccumulateGrad", "ReluBackward0", "AccumulateGrad"]
    weight = ours.next_functions[2][0]
    assert weight.variable is not None and tuple(weight.variable.shape) == (2, 3)


def test_linear_without_bias_is_mm_of_the_transposed_weight() -> None:
    ours = small_net_loss(tg, bias=False).grad_fn.next_functions[0][0]
    theirs = small_net_loss(torch, bias=False).grad_fn.next_functions[0][0]
    assert node_name(ours) == node_name(theirs) == "MmBackward0"
    assert inputs_of(ours) == inputs_of(theirs) == ["ReluBackward0", "TBackward0"]


def test_linear_gradients_unchanged_by_the_order() -> None:
    grads = []
    for lib in (torch, tg):
        lib.manual_seed(0)
        layer = lib.nn.Linear(3, 2).double()
        with lib.no_grad():
            layer.weight.copy_(lib.tensor([[1.0, -2.0, 0.5], [0.25, 3.0, -1.0]],
                                          dtype=lib.float64))
            layer.bias.copy_(lib.tensor([0.5, -0.5], dtype=lib.float64))
        x = lib.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 4.0]], dtype=lib.float64,
                       requires_grad=True)
        (layer(x) ** 2).sum().backward()
        grads.append([t.detach().numpy() for t in (x.grad, layer.weight.grad,
                                                   layer.bias.grad)])
    for theirs, ours in zip(*grads, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


# ------------------------------------------------------------------- creation keywords

SIZE_CALLS: list[Callable[[ModuleType], Any]] = [
    lambda lib: lib.zeros(size=(2, 3)),
    lambda lib: lib.ones(size=[2]),
    lambda lib: lib.empty(size=(2, 1)).shape,
    lambda lib: lib.rand(size=(4,)).shape,
    lambda lib: lib.randn(size=(), requires_grad=True).shape,  # d2l 2.5
    lambda lib: lib.randn(size=(2, 20)).shape,  # d2l 6.6
    lambda lib: lib.zeros(2, size=(2, 3)),
    lambda lib: lib.zeros(),
    lambda lib: lib.zeros([]),
    lambda lib: lib.randint(60000, size=(1,)).shape,  # the Datasets tutorial
    lambda lib: lib.randint(high=5, size=(2,)).shape,
    lambda lib: lib.randint(1, high=5, size=(2, 2)).shape,
    lambda lib: lib.randint(low=1, high=5, size=(3,)).shape,
    lambda lib: lib.randint(2, 5, (3,)).shape,
    lambda lib: lib.randint(3, [2, 2]).shape,
    lambda lib: lib.randint(3, 1, (2,)),
]


@pytest.mark.parametrize("code", SIZE_CALLS, ids=range(len(SIZE_CALLS)))
def test_creation_with_a_size_keyword(code: Callable[[ModuleType], Any]) -> None:
    kind, theirs = outcome(code, torch)
    ours_kind, ours = outcome(code, tg)
    assert ours_kind == kind
    assert ours.replace("tinygrad_edu", "torch") == theirs


def test_randint_values_in_range() -> None:
    values = tg.randint(low=3, high=7, size=(1000,))
    assert values.dtype == tg.int64 and values.min().item() == 3 and values.max().item() == 6


def test_randint_missing_high() -> None:
    with pytest.raises(TypeError, match='missing 1 required positional argument: "high"'):
        tg.randint(low=2, size=(3,))


# ----------------------------------------------------------------- normal with tensors


@pytest.mark.parametrize(("mean", "std", "shape", "variant"), [
    (np.zeros((2, 3)), 2.0, (2, 3), 1),
    (0.5, np.ones((4,)), (4,), 2),
    (np.zeros((2, 1)), np.ones((3,)), (2, 3), 3),
])
def test_normal_of_tensors(mean: Any, std: Any, shape: tuple[int, ...], variant: int) -> None:
    def arguments(lib: ModuleType) -> tuple[Any, Any]:
        return tuple(lib.tensor(v, requires_grad=True) if isinstance(v, np.ndarray) else v
                     for v in (mean, std))  # type: ignore[return-value]

    outputs = []
    for lib in (torch, tg):
        m, s = arguments(lib)
        y = lib.normal(m, s)
        assert tuple(y.shape) == shape and y.dtype == lib.float64  # the tensors' dtype
        assert node_name(y.grad_fn) == f"NormalBackward{variant}"
        y.sum().backward()
        outputs.append([t.grad.numpy() for t in (m, s) if isinstance(t, lib.Tensor)])
    for theirs, ours in zip(*outputs, strict=True):  # a draw: zero gradient, as PyTorch
        np.testing.assert_array_equal(ours, theirs)
        assert not ours.any()


def test_normal_statistics() -> None:
    tg.manual_seed(0)
    y = tg.normal(tg.full((200_000,), 3.0, dtype=tg.float64), 0.5)
    assert y.dtype == tg.float64
    assert abs(y.mean().item() - 3.0) < 0.01 and abs(y.std().item() - 0.5) < 0.01
    zero_spread = tg.normal(tg.tensor([0.0, 100.0]), 0.0)
    assert zero_spread.tolist() == [0.0, 100.0]


NORMAL_ERRORS: list[Callable[[ModuleType], Any]] = [
    lambda lib: lib.normal(lib.zeros(2), -1.0),
    lambda lib: lib.normal(lib.zeros(2), -lib.ones(2)),
    lambda lib: lib.normal(lib.zeros(2, dtype=lib.int64), 1.0),
    lambda lib: lib.normal(lib.zeros(2), lib.ones(3)),
]


@pytest.mark.parametrize("code", NORMAL_ERRORS, ids=range(len(NORMAL_ERRORS)))
def test_normal_errors(code: Callable[[ModuleType], Any]) -> None:
    kind, theirs = outcome(code, torch)
    ours_kind, ours = outcome(code, tg)
    assert ours_kind == kind
    assert ours.startswith(theirs)  # ours may add the shapes that do not broadcast


def test_normal_of_two_numbers_needs_a_size() -> None:
    with pytest.raises(TypeError, match="invalid combination of arguments"):
        tg.normal(2.0, 3.0)


# ---------------------------------------------------- accelerator, backends and devices


@LIBS
def test_the_tutorials_device_line(lib: ModuleType) -> None:
    accelerator = lib.accelerator
    device = accelerator.current_accelerator().type if accelerator.is_available() else "cpu"
    assert device == ("cuda" if lib.cuda.is_available() else "cpu")
    assert accelerator.device_count() == lib.cuda.device_count()


def test_accelerator_without_a_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tg.cuda, "is_available", lambda: False)
    monkeypatch.setattr(tg.cuda, "device_count", lambda: 0)
    assert tg.accelerator.current_accelerator() is None
    assert tg.accelerator.current_device_index() == -1 and tg.accelerator.device_count() == 0
    tg.accelerator.synchronize()  # nothing to wait for


def test_accelerator_with_a_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tg.cuda, "is_available", lambda: True)
    assert tg.accelerator.current_accelerator() == tg.device("cuda")
    assert tg.accelerator.current_device_index() == 0


def test_backends_answers() -> None:
    assert tg.backends.mps.is_available() is False and tg.backends.mps.is_built() is False
    assert tg.backends.cudnn.is_available() is False and tg.backends.cudnn.version() is None
    # PyTorch's defaults; settable, as in code that asks for deterministic runs
    for name in ("enabled", "benchmark", "deterministic"):
        assert getattr(tg.backends.cudnn, name) == getattr(torch.backends.cudnn, name)


@LIBS
def test_a_device_never_equals_a_string(lib: ModuleType) -> None:
    cpu = lib.ones(2).device
    assert cpu != "cpu" and not (cpu == "cpu")  # noqa: SIM201 (the comparison is the test)
    assert cpu == lib.device("cpu") and cpu.type == "cpu"


# --------------------------------------------------- the names in messages, the warnings

MESSAGES: list[Callable[[ModuleType], Any]] = [
    lambda lib: lib.arange(4).mean(),
    lambda lib: lib.arange(4).add_(0.5),
    lambda lib: lib.arange(4).mul_(lib.tensor([0.5])),
    lambda lib: lib.arange(4).div_(2),
    lambda lib: lib.arange(4).add_(lib.tensor(1.5, dtype=lib.float64)),
    lambda lib: lib.arange(4).add_(lib.tensor([1.5], dtype=lib.float16)),
    lambda lib: lib.arange(4, dtype=lib.int32).sub_(lib.tensor([True]).double()),
    lambda lib: f"{lib.tensor([2.5]):f}",
    lambda lib: f"{lib.tensor([2.5])}",
    lambda lib: f"{lib.tensor(2.5):.2f}",
]


@pytest.mark.parametrize("code", MESSAGES, ids=range(len(MESSAGES)))
def test_messages_are_pytorchs(code: Callable[[ModuleType], Any]) -> None:
    assert outcome(code, tg) == outcome(code, torch)


def caught(code: Callable[[], Any]) -> list[str]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        code()
    return [str(w.message) for w in seen if issubclass(w.category, UserWarning)]


# PyTorch 2.13's texts (checked against a fresh torch process below: PyTorch warns once per
# process, so a torch run inside this test session may stay silent)
COPY = ("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
        "or sourceTensor.detach().clone().requires_grad_(True), rather than "
        "torch.tensor(sourceTensor).")
SCALAR = ("Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
          "behavior.\nConsider using tensor.detach() first.")
T_ND = ("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
        "deprecated and it will throw an error in a future release. Consider `x.mT` to "
        "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to "
        "reverse the dimensions of a tensor.")
T_0D = "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases."

WARNINGS: list[tuple[str, str | None]] = [  # (code on `lib`, the warning or None)
    ("lib.tensor(lib.tensor([1.0, 2.0]))", COPY),
    ("float((lib.ones(2, requires_grad=True) * 2).sum())", SCALAR),
    ("int((lib.ones(2, requires_grad=True) * 2).sum())", SCALAR),
    ("(lib.ones(2, requires_grad=True) * 2).sum().item()", None),
    ("float(lib.ones(2).sum())", None),
    ("lib.ones(2, 3, 4).T", T_ND),
    ("lib.ones(3).T", T_ND),
    ("lib.tensor(1.0).T", T_0D),
    ("lib.ones(2, 3).T", None),
]


@pytest.mark.parametrize(("code", "expected"), WARNINGS)
def test_warnings_are_pytorchs(code: str, expected: str | None) -> None:
    assert caught(lambda: eval(code, {"lib": tg})) == ([] if expected is None else [expected])


def test_the_warning_texts_are_torchs() -> None:
    """Each code in a fresh torch process: the first warning it prints is the text above."""
    script = (
        "import sys, warnings, torch\n"
        "for code in sys.argv[1:]:\n"
        "    with warnings.catch_warnings(record=True) as seen:\n"
        "        warnings.simplefilter('always')\n"
        "        eval(code, {'lib': torch})\n"
        "    texts = [str(w.message).split(' (Triggered internally')[0] for w in seen]\n"
        "    print(repr(texts[0] if texts else None))\n")
    seen_once: dict[str, str] = {}  # torch warns once per process: one process per text
    for code, expected in WARNINGS:
        if expected is not None and expected not in seen_once:
            seen_once[expected] = code
    result = subprocess.run([sys.executable, "-c", script, *seen_once.values()],
                            capture_output=True, text=True, check=True)
    printed = [ast.literal_eval(line) for line in result.stdout.splitlines()]
    assert printed == list(seen_once)


# ------------------------------------------------ the documented differences, pinned here


def test_grad_fn_class_is_the_primitive_its_name_is_pytorchs() -> None:
    y = tg.ones(2, requires_grad=True) + 2
    assert type(y.grad_fn).__name__ == "Add"
    assert y.grad_fn.name() == "AddBackward0" and "AddBackward0" in repr(y)
    assert small_net_loss(tg).grad_fn.next_functions[0][0].name() == "AddmmBackward0"


def test_saving_a_whole_module_is_refused(tmp_path: Any) -> None:
    model = tg.nn.Sequential(tg.nn.Linear(2, 1))
    path = tmp_path / "model.pth"
    with pytest.raises(TypeError, match=r"tinygrad_edu\.save stores tensors"):
        tg.save(model, path)
    with pytest.raises(TypeError, match=r"numpy\.ndarray"):
        tg.save({"array": np.zeros(2)}, path)
    assert not path.exists()  # nothing half-written
    tg.save(model.state_dict(), path)  # what PyTorch recommends works
    restored = tg.nn.Sequential(tg.nn.Linear(2, 1))
    restored.load_state_dict(tg.load(path))
    assert restored[0].weight.tolist() == model[0].weight.tolist()


# ------------------------------------------------------------------ norms and minima


@pytest.mark.parametrize(("p", "dim"), [(0, None), (0, 1), (-math.inf, None), (-math.inf, 0),
                                        (math.inf, 1), (2, None), (1, 0), (3, 1)])
def test_norm_orders_are_pytorchs(p: float, dim: int | None) -> None:
    values = np.array([[0.0, -2.0, 3.0], [1.0, 0.0, -0.5]])
    ours, theirs = tg.tensor(values).norm(p, dim), torch.tensor(values).norm(p, dim)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_norm_of_integers_is_refused_as_in_pytorch() -> None:
    assert outcome(lambda lib: lib.tensor([3, 4]).norm(), tg) == outcome(
        lambda lib: lib.tensor([3, 4]).norm(), torch)


def test_norm_zero_counts_and_has_no_slope() -> None:
    x = tg.tensor([[0.0, -2.0], [1.5, 0.0]], requires_grad=True)
    y = x.norm(0)
    assert y.item() == 2.0 and y.requires_grad
    y.backward()
    assert x.grad is not None and not x.grad.numpy().any()


@LIBS
def test_amin_of_a_zero_minimum_is_plus_zero(lib: ModuleType) -> None:
    for out in (lib.tensor([0.0, 1.0]).amin(), lib.tensor([[0.0, 1.0]]).amin(1),
                lib.tensor([0.0, 2.0]).abs().norm(-math.inf)):
        assert not np.signbit(out.detach().numpy()).any(), out


REMAINDERS: list[Callable[[ModuleType], Any]] = [
    lambda lib: lib.tensor([5, 3]) % 0,
    lambda lib: lib.tensor([5, 3]) % lib.tensor([2, 0]),
    lambda lib: 7 % lib.tensor([3, 0]),
    lambda lib: 7 % lib.tensor([3, -2]),
    lambda lib: lib.tensor([-5, 3]) % 2,
    lambda lib: 7.5 % lib.tensor([3, 0]),
    lambda lib: lib.tensor([5, 3]) // 0,
]


@pytest.mark.parametrize("code", REMAINDERS, ids=range(len(REMAINDERS)))
def test_integer_remainder_by_zero_is_pytorchs_error(code: Callable[[ModuleType], Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's 7.5 % 0
        assert outcome(code, tg) == outcome(code, torch)


@pytest.mark.parametrize("convert", ["long", "int", "bool", "short"])
def test_conversion_to_integers_leaves_the_graph(convert: str) -> None:
    texts = []
    for lib in (torch, tg):
        x = lib.tensor([1.5, 2.5], requires_grad=True)
        y = getattr(x * 2, convert)()
        assert not y.requires_grad and y.grad_fn is None
        texts.append(repr(y).replace("tinygrad_edu", "torch"))
    assert texts[0] == texts[1]
    assert tg.tensor([1.5], requires_grad=True).double().requires_grad  # floats keep it


def test_writing_through_a_diagonal_changes_the_matrix() -> None:
    results = []
    for lib in (torch, tg):
        x = lib.zeros(3, 3)
        x.diagonal().fill_(1.0)
        x.diagonal(1).add_(2.0)
        results.append(x.tolist())
    assert results[0] == results[1]
    frozen = tg.zeros(3, 3).expand(2, 3, 3)  # a broadcast view stays unwritable
    with pytest.raises(RuntimeError, match="more than one element"):
        frozen.diagonal(0, 1, 2).fill_(1.0)


@LIBS
def test_legacy_constructor_follows_the_default_dtype(lib: ModuleType) -> None:
    lib.set_default_dtype(lib.float64)
    try:
        made = [lib.Tensor([1, 2]), lib.Tensor(2, 3), lib.Tensor()]
    finally:
        lib.set_default_dtype(lib.float32)
    assert all(t.dtype == lib.float64 for t in made)
    assert lib.Tensor([1, 2]).dtype == lib.float32


CONV_DTYPES: list[Callable[[ModuleType], Any]] = [
    lambda lib: lib.nn.functional.conv2d(lib.ones(1, 1, 4, 4, dtype=lib.float64),
                                         lib.ones(1, 1, 3, 3)),
    lambda lib: lib.nn.functional.conv2d(lib.ones(1, 1, 4, 4), lib.ones(1, 1, 3, 3),
                                         lib.ones(1, dtype=lib.float64)),
    lambda lib: lib.nn.Linear(2, 2)(lib.ones(1, 2, dtype=lib.long)),
]


@pytest.mark.parametrize("code", CONV_DTYPES, ids=range(len(CONV_DTYPES)))
def test_layer_dtype_errors_name_pytorchs_types(code: Callable[[ModuleType], Any]) -> None:
    kind, theirs = outcome(code, torch)
    ours_kind, ours = outcome(code, tg)
    assert ours_kind == kind and ours.startswith(theirs)

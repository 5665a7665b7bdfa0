"""``tinygrad_edu.nn`` modules against PyTorch: the seed's LeNet, the Module API, every layer.

Layers are compared with the SAME weights: the torch module's ``state_dict`` is converted to
NumPy and loaded into ours, then outputs, input gradients and parameter gradients are
compared in float64. Printing, names and state-dict keys must be PyTorch's exactly.
"""

from __future__ import annotations

import copy
import math
import warnings
from collections import OrderedDict
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn as tnn

import tinygrad_edu as tg
import tinygrad_edu.nn as nn

RNG = np.random.default_rng(2024)


def copy_weights(ours: nn.Module, theirs: tnn.Module) -> None:
    """Load the torch module's parameters and buffers into ours (as NumPy arrays)."""
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})


def check_module(ours: nn.Module, theirs: tnn.Module, *inputs: np.ndarray,
                 grad_inputs: bool = True, rtol: float = 1e-10) -> None:
    """Same weights, same inputs: same outputs, input gradients and parameter gradients."""
    theirs.double()
    ours.double()
    copy_weights(ours, theirs)
    ours_in = [tg.tensor(a, requires_grad=grad_inputs and a.dtype.kind == "f") for a in inputs]
    theirs_in = [torch.tensor(a, requires_grad=grad_inputs and a.dtype.kind == "f")
                 for a in inputs]
    out, expected = ours(*ours_in), theirs(*theirs_in)
    assert tuple(out.shape) == tuple(expected.shape)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=rtol,
                               atol=rtol)
    upstream = RNG.standard_normal(tuple(expected.shape))
    out.backward(tg.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    for a, b in zip(ours_in, theirs_in):
        if b.requires_grad:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=rtol, atol=rtol)
    theirs_grads = {name: p.grad for name, p in theirs.named_parameters()}
    for name, param in ours.named_parameters():
        np.testing.assert_allclose(param.grad.numpy(), theirs_grads[name].numpy(), rtol=rtol,
                                   atol=rtol, err_msg=name)
    theirs_state = theirs.state_dict()
    for name, value in ours.state_dict().items():  # running statistics moved the same way
        np.testing.assert_allclose(value.numpy(), theirs_state[name].numpy(), rtol=rtol,
                                   err_msg=name)


# --------------------------------------------------------------------------- the seed LeNet


def lenet(lib: Any) -> Any:
    """Seed 001's network, written once for both libraries."""
    nn_, f = lib.nn, lib.nn.functional

    class Net(nn_.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn_.Conv2d(1, 6, 5)
            self.conv2 = nn_.Conv2d(6, 16, 5)
            self.fc1 = nn_.Linear(16 * 5 * 5, 120)
            self.fc2 = nn_.Linear(120, 84)
            self.fc3 = nn_.Linear(84, 10)

        def forward(self, x: Any) -> Any:
            x = f.max_pool2d(f.relu(self.conv1(x)), (2, 2))
            x = f.max_pool2d(f.relu(self.conv2(x)), 2)
            x = x.view(-1, self.num_flat_features(x))
            x = f.relu(self.fc1(x))
            x = f.relu(self.fc2(x))
            return self.fc3(x)

        def num_flat_features(self, x: Any) -> int:
            num_features = 1
            for s in x.size()[1:]:
                num_features *= s
            return num_features

    return Net()


def test_lenet_prints_names_and_keys_like_torch() -> None:
    ours, theirs = lenet(tg), lenet(torch)
    assert repr(ours) == repr(theirs)
    assert str(ours).splitlines()[1] == (
        "  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))")
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [tuple(p.shape) for p in ours.parameters()] == [
        tuple(p.shape) for p in theirs.parameters()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]


def test_lenet_forward_backward_matches_torch() -> None:
    check_module(lenet(tg), lenet(torch), RNG.standard_normal((3, 1, 32, 32)), rtol=1e-9)


def test_lenet_seed_training_loop_matches_torch() -> None:
    """The seed's loop: MSELoss against torch.range(1, 10) (it warns about broadcasting),
    zero_grad, backward, a manual SGD update; ten steps agree with PyTorch's."""
    ours, theirs = lenet(tg).double(), lenet(torch).double()
    copy_weights(ours, theirs)
    for step in range(10):
        x = RNG.standard_normal((1, 1, 32, 32))
        losses = []
        for lib, net in ((tg, ours), (torch, theirs)):
            net.zero_grad()
            output = net(lib.tensor(x))
            target = lib.arange(1.0, 11.0, dtype=lib.float64)
            with pytest.warns(UserWarning, match="Using a target size"):
                loss = lib.nn.MSELoss()(output, target)
            loss.backward()
            with lib.no_grad():
                for p in net.parameters():
                    p -= p.grad * 0.01
            losses.append(loss.item())
        assert losses[0] == pytest.approx(losses[1], rel=1e-9), step
    for (name, a), b in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-8,
                                   atol=1e-10, err_msg=name)


# -------------------------------------------------------------------------------- printing


def test_repr_of_every_layer_matches_torch() -> None:
    def build(lib: Any) -> Any:
        n = lib.nn
        return n.Sequential(
            n.Conv2d(1, 6, 5, padding=2), n.Conv2d(2, 3, (3, 1), stride=2, padding=1,
                                                   bias=False),
            n.Conv2d(4, 4, 3, dilation=2, groups=2), n.Conv2d(2, 2, 3, padding="same"),
            n.ReLU(), n.ReLU(inplace=True), n.MaxPool2d(2), n.MaxPool2d((3, 2), 1, 1),
            n.AvgPool2d(2), n.Flatten(), n.Flatten(0, 2), n.Dropout(), n.Dropout(0.2),
            n.BatchNorm1d(3), n.BatchNorm2d(4, momentum=None, affine=False),
            n.Embedding(10, 3), n.Embedding(10, 3, padding_idx=0), n.Identity(),
            n.Softmax(dim=1), n.LogSoftmax(1), n.Sigmoid(), n.Tanh(),
            n.Linear(4, 2), n.Linear(4, 2, bias=False),
            n.ModuleList([n.Linear(2, 2) for _ in range(3)] + [n.ReLU(), n.Sequential()]),
            n.MSELoss(), n.L1Loss(), n.CrossEntropyLoss(), n.NLLLoss(), n.BCELoss(),
            n.BCEWithLogitsLoss())

    assert repr(build(tg)) == repr(build(torch))


def test_parameter_prints_like_torch() -> None:
    data = [[1.0, 2.5], [3.0, -4.0]]
    assert repr(nn.Parameter(tg.tensor(data))) == repr(tnn.Parameter(torch.tensor(data)))
    p = nn.Parameter(tg.ones(2))
    assert isinstance(p, tg.Tensor) and p.is_leaf and p.requires_grad
    assert not nn.Parameter(tg.ones(2), requires_grad=False).requires_grad
    assert repr(nn.Parameter(tg.ones(2, dtype=tg.float64))).endswith(
        "dtype=tinygrad_edu.float64, requires_grad=True)")
    assert type(p * 2) is tg.Tensor  # results of operations are plain tensors


# ------------------------------------------------------------------------------ Module API


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(tg.ones(3))
        self.inner = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 3))
        self.register_buffer("steps", tg.zeros(1))
        self.register_buffer("scratch", tg.zeros(2), persistent=False)
        self.note = "plain attribute"

    def forward(self, x: tg.Tensor) -> tg.Tensor:
        return self.inner(x * self.scale)


def test_registration_and_walks() -> None:
    block = Block()
    assert list(block._parameters) == ["scale"]
    assert list(block._modules) == ["inner"]
    assert [n for n, _ in block.named_parameters()] == [
        "scale", "inner.0.weight", "inner.0.bias", "inner.2.weight", "inner.2.bias"]
    assert [n for n, _ in block.named_modules()] == ["", "inner", "inner.0", "inner.1",
                                                     "inner.2"]
    assert [n for n, _ in block.named_buffers()] == ["steps", "scratch"]
    assert list(block.state_dict()) == ["scale", "steps", "inner.0.weight", "inner.0.bias",
                                        "inner.2.weight", "inner.2.bias"]
    assert list(block.children()) == [block.inner]
    assert len(list(block.modules())) == 5
    assert block.note == "plain attribute" and "note" not in block._parameters
    shared = nn.Linear(2, 2)
    twice = nn.Sequential(shared, shared)
    assert len(list(twice.parameters())) == 2  # a shared layer counts once
    assert list(twice.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_setattr_rules() -> None:
    class Early(nn.Module):
        def __init__(self) -> None:
            self.fc = nn.Linear(2, 2)

    with pytest.raises(AttributeError, match=r"cannot assign module before Module.__init__"):
        Early()
    block = Block()
    with pytest.raises(TypeError, match=r"cannot assign .* as parameter 'scale'"):
        block.scale = tg.ones(3)
    block.scale = None
    assert block.scale is None
    assert next(n for n, _ in block.named_parameters()) == "inner.0.weight"
    block.inner = nn.Identity()
    assert [n for n, _ in block.named_modules()] == ["", "inner"]
    del block.inner
    assert not hasattr(block, "inner")


def test_deepcopy_keeps_parameters_separate() -> None:
    net = nn.Linear(2, 2)
    clone = copy.deepcopy(net)
    assert isinstance(clone.weight, nn.Parameter)
    with tg.no_grad():
        clone.weight.fill_(0.0)
    assert float(net.weight.abs().sum()) > 0


def test_state_dict_round_trip_and_strict_errors() -> None:
    ours = lenet(tg)
    other = lenet(tg)
    result = other.load_state_dict(ours.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    for a, b in zip(ours.parameters(), other.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())

    state = {k: v.numpy() for k, v in lenet(torch).state_dict().items()}
    del state["fc3.bias"]
    state["fc4.weight"] = np.zeros((1, 1), dtype=np.float32)
    before = other.fc1.weight.numpy(force=True).copy()
    ours_error = theirs_error = ""
    try:
        other.load_state_dict(state)
    except RuntimeError as exc:
        ours_error = str(exc)
    try:
        lenet(torch).load_state_dict({k: torch.tensor(v) for k, v in state.items()})
    except RuntimeError as exc:
        theirs_error = str(exc)
    assert ours_error == theirs_error
    assert ours_error.startswith("Error(s) in loading state_dict for Net:\n\tMissing key(s) "
                                 'in state_dict: "fc3.bias". \n\tUnexpected key(s) in '
                                 'state_dict: "fc4.weight". ')
    np.testing.assert_array_equal(other.fc1.weight.numpy(force=True), before)  # nothing loaded
    result = other.load_state_dict(state, strict=False)
    assert result.missing_keys == ["fc3.bias"] and result.unexpected_keys == ["fc4.weight"]


def test_state_dict_shape_mismatch_loads_nothing() -> None:
    ours = nn.Linear(2, 3)
    before = ours.bias.numpy(force=True).copy()
    bad = {"weight": np.zeros((3, 3)), "bias": np.ones(3)}
    with pytest.raises(RuntimeError) as caught:
        ours.load_state_dict(bad)
    with pytest.raises(RuntimeError) as expected:
        tnn.Linear(2, 3).load_state_dict({k: torch.tensor(v) for k, v in bad.items()})
    assert str(caught.value) == str(expected.value).replace("torch.Size", "tinygrad_edu.Size")
    assert "size mismatch for weight" in str(caught.value)
    np.testing.assert_array_equal(ours.bias.numpy(force=True), before)


def test_train_eval_zero_grad_requires_grad() -> None:
    net = nn.Sequential(nn.Linear(3, 3), nn.Dropout(), nn.Sequential(nn.BatchNorm1d(3)))
    assert net.training and all(m.training for m in net.modules())
    assert net.eval() is net and not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    net.train(False)
    assert not net[2][0].training
    net(tg.randn(4, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(float(p.grad.abs().sum()) == 0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_to_dtype_keeps_parameters_and_converts_state() -> None:
    net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    weight = net[0].weight
    net(tg.randn(4, 3)).sum().backward()
    assert net.to(tg.float64) is net
    assert net[0].weight is weight and isinstance(weight, nn.Parameter)
    assert weight.dtype is tg.float64 and weight.grad.dtype is tg.float64
    assert net[1].running_mean.dtype is tg.float64
    assert net[1].num_batches_tracked.dtype is tg.int64  # integer buffers keep their dtype
    assert weight.requires_grad and weight.is_leaf
    assert net.float()[0].bias.dtype is tg.float32
    assert net.double()[0].bias.dtype is tg.float64
    assert net.to("cpu") is net
    with pytest.raises(TypeError, match="only accepts floating point"):
        net.to(tg.int64)


def test_apply_visits_children_first() -> None:
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
    seen: list[str] = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "ReLU", "Sequential", "Sequential"]
    net.apply(lambda m: nn.init.zeros_(m.weight) if isinstance(m, nn.Linear) else None)
    assert float(net[0].weight.abs().sum()) == 0


def test_sequential_and_module_list() -> None:
    layers = [nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)]
    seq = nn.Sequential(*layers)
    assert len(seq) == 3 and seq[0] is layers[0] and seq[-1] is layers[2]
    assert list(seq) == layers
    assert isinstance(seq[1:], nn.Sequential) and len(seq[1:]) == 2
    x = tg.randn(5, 3)
    np.testing.assert_array_equal(seq(x).detach().numpy(),
                                  layers[2](layers[1](layers[0](x))).detach().numpy())
    named = nn.Sequential(OrderedDict([("fc", nn.Linear(3, 3)), ("act", nn.Tanh())]))
    assert [n for n, _ in named.named_parameters()] == ["fc.weight", "fc.bias"]
    blocks = nn.ModuleList([nn.Linear(2, 2) for _ in range(2)])
    blocks.append(nn.Linear(2, 1))
    assert len(blocks) == 3 and [n for n, _ in blocks.named_parameters()][-1] == "2.bias"
    with pytest.raises(IndexError):
        seq[3]


def test_forward_hooks() -> None:
    net = nn.Linear(2, 2)
    seen: list[tuple[int, ...]] = []
    handle = net.register_forward_hook(lambda m, args, out: seen.append(tuple(out.shape)))
    net(tg.randn(3, 2))
    handle.remove()
    net(tg.randn(3, 2))
    assert seen == [(3, 2)]


# ------------------------------------------------------------------------ layers vs torch


def normal(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


LAYERS: list[tuple[str, Any, tuple[int, ...]]] = [
    ("Linear", lambda n: n.Linear(5, 3), (4, 5)),
    ("Linear-nobias-3d", lambda n: n.Linear(5, 3, bias=False), (2, 4, 5)),
    ("Conv2d", lambda n: n.Conv2d(2, 3, 3), (2, 2, 7, 6)),
    ("Conv2d-stride-pad", lambda n: n.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=(1, 2)),
     (2, 2, 7, 6)),
    ("Conv2d-dilation-groups", lambda n: n.Conv2d(4, 2, 3, dilation=2, groups=2, bias=False),
     (1, 4, 7, 7)),
    ("MaxPool2d", lambda n: n.MaxPool2d(2), (2, 3, 6, 6)),
    ("MaxPool2d-stride-pad", lambda n: n.MaxPool2d(3, stride=2, padding=1), (2, 3, 7, 6)),
    ("AvgPool2d", lambda n: n.AvgPool2d(2), (2, 3, 6, 6)),
    ("AvgPool2d-stride-pad", lambda n: n.AvgPool2d(3, stride=2, padding=1), (2, 3, 7, 6)),
    ("ReLU", lambda n: n.ReLU(), (3, 4)),
    ("Sigmoid", lambda n: n.Sigmoid(), (3, 4)),
    ("Tanh", lambda n: n.Tanh(), (3, 4)),
    ("Softmax", lambda n: n.Softmax(dim=1), (3, 4)),
    ("LogSoftmax", lambda n: n.LogSoftmax(dim=-1), (3, 4)),
    ("Flatten", lambda n: n.Flatten(), (2, 3, 4)),
    ("Identity", lambda n: n.Identity(), (2, 3)),
    ("Dropout-eval", lambda n: n.Dropout(0.5).eval(), (3, 4)),
    ("BatchNorm1d", lambda n: n.BatchNorm1d(3), (5, 3)),
    ("BatchNorm1d-3d", lambda n: n.BatchNorm1d(3, momentum=None), (5, 3, 4)),
    ("BatchNorm2d", lambda n: n.BatchNorm2d(3), (4, 3, 2, 2)),
    ("BatchNorm2d-eval", lambda n: n.BatchNorm2d(3).eval(), (4, 3, 2, 2)),
    ("BatchNorm2d-no-affine", lambda n: n.BatchNorm2d(3, affine=False), (4, 3, 2, 2)),
]


@pytest.mark.parametrize(("name", "build", "shape"), LAYERS, ids=[c[0] for c in LAYERS])
def test_layer_matches_torch(name: str, build: Any, shape: tuple[int, ...]) -> None:
    check_module(build(nn), build(tnn), normal(*shape))


def test_batchnorm_running_stats_over_steps_then_eval() -> None:
    ours, theirs = nn.BatchNorm2d(3).double(), tnn.BatchNorm2d(3).double()
    copy_weights(ours, theirs)
    for _ in range(3):
        x = normal(4, 3, 2, 2) * 3 + 1
        ours(tg.tensor(x))
        theirs(torch.tensor(x))
    for (name, a), b in zip(ours.state_dict().items(), theirs.state_dict().values()):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12, err_msg=name)
    assert int(ours.num_batches_tracked.item()) == 3
    ours.eval()
    theirs.eval()
    check_module(ours, theirs, normal(2, 3, 2, 2))
    with pytest.raises(ValueError, match="expected 4D input \\(got 3D input\\)"):
        ours(tg.randn(2, 3, 4))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when "):
        nn.BatchNorm1d(3)(tg.randn(1, 3))


def test_embedding_layer_matches_torch() -> None:
    for padding_idx in (None, 2):
        index = np.array([[0, 2, 4], [2, 2, 1]])
        check_module(nn.Embedding(5, 3, padding_idx=padding_idx),
                     tnn.Embedding(5, 3, padding_idx=padding_idx), index)


@pytest.mark.parametrize(("name", "build"), [
    ("MSELoss", lambda n: n.MSELoss()), ("L1Loss", lambda n: n.L1Loss(reduction="sum")),
    ("BCEWithLogitsLoss", lambda n: n.BCEWithLogitsLoss()),
])
def test_regression_loss_modules(name: str, build: Any) -> None:
    check_module(build(nn), build(tnn), normal(3, 4), RNG.uniform(0, 1, (3, 4)))


def test_classification_loss_modules() -> None:
    target = np.array([2, 0, 1])
    check_module(nn.CrossEntropyLoss(label_smoothing=0.1),
                 tnn.CrossEntropyLoss(label_smoothing=0.1), normal(3, 4), target)
    check_module(nn.NLLLoss(reduction="sum"), tnn.NLLLoss(reduction="sum"), normal(3, 4),
                 target)
    check_module(nn.BCELoss(), tnn.BCELoss(), RNG.uniform(0.1, 0.9, (3, 4)),
                 RNG.uniform(0, 1, (3, 4)))


def test_dropout_layer_train_and_eval() -> None:
    drop = nn.Dropout(0.25)
    x = tg.ones(100, 100)
    out = drop(x).numpy()
    assert abs((out == 0).mean() - 0.25) < 0.02
    np.testing.assert_allclose(out[out != 0], 1 / 0.75, rtol=1e-6)
    drop.eval()
    assert drop(x) is x


# ----------------------------------------------------------------------- initialisation


def test_default_init_follows_torchs_distributions() -> None:
    tg.manual_seed(0)
    fc = nn.Linear(400, 120)
    bound = 1 / math.sqrt(400)
    for param in (fc.weight, fc.bias):
        values = param.detach().numpy()
        assert values.min() >= -bound and values.max() <= bound
    weight = fc.weight.detach().numpy()
    assert weight.max() > 0.99 * bound and weight.min() < -0.99 * bound
    assert weight.std() == pytest.approx(bound / math.sqrt(3), rel=0.02)
    conv = nn.Conv2d(6, 16, 5)
    conv_bound = 1 / math.sqrt(6 * 25)
    assert np.abs(conv.weight.detach().numpy()).max() <= conv_bound
    assert conv.weight.detach().numpy().std() == pytest.approx(conv_bound / math.sqrt(3),
                                                               rel=0.05)
    assert np.abs(conv.bias.detach().numpy()).max() <= conv_bound
    table = nn.Embedding(1000, 50).weight.detach().numpy()
    assert table.mean() == pytest.approx(0, abs=0.02)
    assert table.std() == pytest.approx(1, rel=0.02)
    bn = nn.BatchNorm2d(4)
    assert bn.weight.detach().numpy().tolist() == [1.0] * 4
    assert bn.bias.detach().numpy().tolist() == [0.0] * 4
    assert fc.weight.dtype is tg.float32 and fc.weight.requires_grad and fc.weight.is_leaf


def test_init_is_seeded_by_the_default_generator() -> None:
    tg.manual_seed(7)
    first = lenet(tg).state_dict()
    tg.manual_seed(7)
    second = lenet(tg).state_dict()
    for key in first:
        np.testing.assert_array_equal(first[key].numpy(), second[key].numpy())


@pytest.mark.parametrize(("nonlinearity", "param"), [
    ("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
    ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None)])
def test_calculate_gain(nonlinearity: str, param: float | None) -> None:
    assert nn.init.calculate_gain(nonlinearity, param) == pytest.approx(
        tnn.init.calculate_gain(nonlinearity, param))


def test_init_functions_in_place() -> None:
    tg.manual_seed(1)
    w = nn.Parameter(tg.empty(300, 200))
    fan_in, fan_out = 200, 300
    assert nn.init.xavier_uniform_(w) is w
    assert np.abs(w.detach().numpy()).max() <= math.sqrt(6 / (fan_in + fan_out))
    nn.init.xavier_normal_(w, gain=2.0)
    assert w.detach().numpy().std() == pytest.approx(2 * math.sqrt(2 / 500), rel=0.03)
    nn.init.kaiming_uniform_(w, nonlinearity="relu")
    assert np.abs(w.detach().numpy()).max() <= math.sqrt(6 / fan_in)
    nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
    assert w.detach().numpy().std() == pytest.approx(math.sqrt(2 / fan_out), rel=0.03)
    nn.init.uniform_(w, -0.5, 0.5)
    assert np.abs(w.detach().numpy()).max() <= 0.5
    nn.init.normal_(w, 3.0, 0.1)
    assert w.detach().numpy().mean() == pytest.approx(3.0, abs=0.01)
    nn.init.constant_(w, 0.25)
    assert set(np.unique(w.detach().numpy())) == {0.25}
    nn.init.ones_(w)
    nn.init.zeros_(w)
    assert float(w.abs().sum()) == 0 and w.requires_grad and w.grad_fn is None
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        nn.init.xavier_uniform_(tg.empty(3))


# ----------------------------------------------------------------------------------- errors


def test_layer_input_errors_name_the_shapes() -> None:
    with pytest.raises(RuntimeError, match=r"Given groups=1, weight of size \[6, 1, 5, 5\], "
                                           r"expected input\[1, 3, 32, 32\] to have 1 "
                                           r"channels, but got 3 channels instead"):
        nn.Conv2d(1, 6, 5)(tg.randn(1, 3, 32, 32))
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied "
                                           r"\(1x300 and 400x120\)"):
        nn.Linear(400, 120)(tg.randn(1, 300))
    with pytest.raises(IndexError, match=r"Target 12 is out of bounds\."):
        nn.CrossEntropyLoss()(tg.randn(2, 10), tg.tensor([1, 12]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # same shapes: no warning
        nn.MSELoss()(tg.randn(3), tg.randn(3))

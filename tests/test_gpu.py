"""The cuda device: every op, layer, loss and optimizer gives on cuda what it gives on cpu.

The cpu side is checked against PyTorch elsewhere (test_parity, test_nn_functional ...), so
here cuda is compared with cpu, which needs nothing but NumPy, pytest and tinygrad_edu: the
file runs as it is on a GPU machine lent without PyTorch (``make test-gpu``).

Every test is marked ``gpu`` and skips, with ``tinygrad_edu.cuda.why_unavailable()`` as the
reason, where no GPU is usable. ``make test`` also runs this file on the CuPy stand-in
(tests/cupy_standin.py), which proves that the cuda code path never falls back to NumPy.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu import cuda

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not cuda.is_available(), reason=f"no usable GPU: "
                                                        f"{cuda.why_unavailable()}"),
]

RNG = np.random.default_rng(7)


def normal(*shape: int) -> np.ndarray:
    return RNG.normal(size=shape)


def positive(*shape: int) -> np.ndarray:
    return np.abs(RNG.normal(size=shape)) + 0.5


def on_device(array: Any) -> bool:
    """True when ``array`` is a device array, not NumPy's."""
    return not isinstance(array, np.ndarray | np.generic)


def host(t: tg.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy()


def run_on(device: str, fn: Callable[..., Any], arrays: tuple[np.ndarray, ...],
           grads: tuple[bool, ...]) -> tuple[list[tg.Tensor], list[tg.Tensor]]:
    """``fn`` on float64 leaves on ``device``, then backward with a fixed upstream gradient."""
    leaves = [tg.tensor(a, device=device, requires_grad=g and a.dtype.kind == "f")
              for a, g in zip(arrays, grads)]
    out = fn(*leaves)
    outs = list(out) if isinstance(out, tuple | list) else [out]
    differentiable = [o for o in outs if isinstance(o, tg.Tensor) and o.requires_grad]
    upstream = np.random.default_rng(1)
    if differentiable:
        tg.autograd.backward(differentiable, [
            tg.tensor(upstream.normal(size=tuple(o.shape)), dtype=o.dtype, device=device)
            for o in differentiable])
    return outs, leaves


def check_same_on_cuda(fn: Callable[..., Any], *arrays: np.ndarray,
                       grads: tuple[bool, ...] | None = None, rtol: float = 1e-10) -> None:
    """Outputs and input gradients on cuda equal those on cpu; cuda's live on the device."""
    grads = grads or (True,) * len(arrays)
    cpu_out, cpu_leaves = run_on("cpu", fn, arrays, grads)
    gpu_out, gpu_leaves = run_on("cuda", fn, arrays, grads)
    assert len(cpu_out) == len(gpu_out)
    for i, (c, g) in enumerate(zip(cpu_out, gpu_out)):
        assert g.device == tg.device("cuda", 0) and on_device(g._array), f"output {i} left"
        assert g.dtype is c.dtype and g.shape == c.shape, f"output {i}: {g.dtype} {g.shape}"
        np.testing.assert_allclose(host(g), host(c), rtol=rtol, atol=1e-12,
                                   err_msg=f"output {i}")
    for i, (c, g) in enumerate(zip(cpu_leaves, gpu_leaves)):
        assert (c.grad is None) == (g.grad is None), f"input {i}: gradient on one side only"
        if c.grad is not None:
            assert on_device(g.grad._array), f"gradient {i} is a NumPy array"
            np.testing.assert_allclose(host(g.grad), host(c.grad), rtol=rtol, atol=1e-12,
                                       err_msg=f"gradient of input {i}")


# ------------------------------------------------------------------------------ every op

IDX = np.array([[0, 2], [1, 0], [2, 2]])
OPS: dict[str, tuple[Callable[..., Any], tuple[np.ndarray, ...]]] = {
    "add broadcast": (lambda a, b: a + b, (normal(3, 1, 4), normal(5, 1))),
    "sub alpha": (lambda a, b: tg.sub(a, b, alpha=2), (normal(3, 4), normal(4))),
    "mul": (lambda a, b: a * b, (normal(2, 3), normal(2, 3))),
    "div": (lambda a, b: a / b, (normal(2, 3), positive(3))),
    "scalar ops": (lambda a: (2 - a) * 3 / 4 + 1, (normal(5),)),
    "rsub rdiv": (lambda a: 1 / a - 2, (positive(5),)),
    "pow scalar": (lambda a: a ** 3 + a ** 0.5, (positive(4),)),
    "pow tensor": (lambda a, b: a ** b, (positive(3, 2), normal(2))),
    "number ** tensor": (lambda a: 2.5 ** a, (normal(4),)),
    "neg abs": (lambda a: (-a).abs(), (normal(6),)),
    "exp log sqrt": (lambda a: a.exp() + a.log() + a.sqrt(), (positive(3, 3),)),
    "sin cos tanh": (lambda a: a.sin() * a.cos() + a.tanh(), (normal(7),)),
    "sigmoid relu": (lambda a: a.sigmoid() + a.relu(), (normal(3, 5),)),
    "clamp": (lambda a: a.clamp(-0.5, 0.5), (normal(10),)),
    "maximum minimum": (lambda a, b: a.maximum(b) + a.minimum(b), (normal(4, 3), normal(3))),
    "where": (lambda a, b: tg.where(a > 0, a, b), (normal(3, 4), normal(4))),
    "sum mean": (lambda a: a.sum() + a.mean(1).sum() + a.sum((0, 2), keepdim=True).sum(),
                 (normal(2, 3, 4),)),
    "amax amin": (lambda a: a.amax(1).sum() + a.amin(0).sum(), (normal(3, 4),)),
    "max dim": (lambda a: a.max(1), (normal(3, 4),)),
    "argmax": (lambda a: a.argmax(1), (normal(3, 4),)),
    "var std": (lambda a: a.var(1) + a.std(1, correction=0), (normal(3, 5),)),
    "prod": (lambda a: a.prod(1), (normal(3, 4),)),
    "norm": (lambda a: a.norm(), (normal(3, 4),)),
    "softmax": (lambda a: a.softmax(1) * a.log_softmax(0), (normal(3, 4),)),
    "logsumexp": (lambda a: a.logsumexp(1), (normal(3, 4),)),
    "matmul": (lambda a, b: a @ b, (normal(3, 4), normal(4, 2))),
    "batched matmul": (lambda a, b: a @ b, (normal(2, 1, 3, 4), normal(5, 4, 2))),
    "matrix-vector": (lambda a, b: a @ b, (normal(3, 4), normal(4))),
    "views": (lambda a: a.transpose(0, 1).reshape(4, 6).T.unsqueeze(0).squeeze(0)
              .permute(1, 0).flatten(), (normal(2, 3, 4),)),
    "expand": (lambda a: a.expand(3, 4, 5), (normal(4, 1),)),
    "basic index": (lambda a: a[1:, ::2, None, -1], (normal(4, 5, 3),)),
    "advanced index": (lambda a: a[[0, 2, 2], 1:], (normal(3, 4),)),
    "tensor index": (lambda a: a[tg.tensor([1, 1, 0], device=a.device)], (normal(3, 4),)),
    "mask index": (lambda a: a[a > 0], (normal(3, 4),)),
    "gather": (lambda a: a.gather(1, tg.tensor(IDX, device=a.device)), (normal(3, 4),)),
    "cat stack": (lambda a, b: tg.cat([a, b], 1).sum() + tg.stack([a, a]).sum(),
                  (normal(2, 3), normal(2, 2))),
    "split chunk": (lambda a: tuple(a.split(2, 1)) + tuple(a.chunk(2, 0)), (normal(4, 5),)),
    "repeat": (lambda a: a.repeat(2, 3), (normal(2, 2),)),
    "comparisons": (lambda a, b: ((a < b) & (a >= 0)) | (a == b), (normal(3, 4), normal(4))),
    "floor round": (lambda a: a.floor() + a.round() + a.sign(), (normal(8) * 3,)),
    "linear": (lambda x, w, b: F.linear(x, w, b), (normal(5, 4), normal(3, 4), normal(3))),
    "conv2d": (lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1),
               (normal(2, 3, 7, 7), normal(4, 3, 3, 3), normal(4))),
    "max_pool2d": (lambda x: F.max_pool2d(x, 3, stride=2, padding=1), (normal(2, 2, 7, 7),)),
    "avg_pool2d": (lambda x: F.avg_pool2d(x, 2, padding=1), (normal(2, 2, 5, 5),)),
    "mse l1": (lambda a, b: F.mse_loss(a, b) + F.l1_loss(a, b), (normal(4, 3), normal(4, 3))),
    "cross_entropy": (lambda x: F.cross_entropy(x, tg.tensor([0, 3, 1], device=x.device),
                                                label_smoothing=0.1), (normal(3, 4),)),
    "cross_entropy ignore": (lambda x: F.cross_entropy(
        x, tg.tensor([0, -100, 1], device=x.device), reduction="sum"), (normal(3, 4),)),
    "nll_loss weight": (lambda x, w: F.nll_loss(x.log_softmax(1), tg.tensor(
        [2, 0, 1], device=x.device), weight=w), (normal(3, 4), positive(4))),
    "binary_cross_entropy": (lambda x, y: F.binary_cross_entropy(x.sigmoid(), y),
                             (normal(6), RNG.uniform(0, 1, 6))),
    "bce_with_logits": (lambda x, y: F.binary_cross_entropy_with_logits(x, y),
                        (normal(6) * 20, RNG.uniform(0, 1, 6))),
    "batch_norm": (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                   (normal(4, 3, 2, 2), normal(3), normal(3))),
    "embedding": (lambda w: F.embedding(tg.tensor([[0, 2], [3, 3]], device=w.device), w),
                  (normal(5, 3),)),
}


@pytest.mark.parametrize("name", list(OPS))
def test_op_gives_on_cuda_what_it_gives_on_cpu(name: str) -> None:
    fn, arrays = OPS[name]
    check_same_on_cuda(fn, *arrays)


def test_dropout_draws_the_same_mask_on_both_devices() -> None:
    """Random numbers come from one generator for every device (unlike PyTorch's, whose
    cuda generator is separate), so a seeded dropout is reproducible across devices."""
    def dropped(x: tg.Tensor) -> tg.Tensor:
        tg.manual_seed(3)
        return F.dropout(x, 0.4)

    check_same_on_cuda(dropped, normal(50))


def test_creation_functions_make_tensors_on_the_device() -> None:
    tg.manual_seed(0)
    made = [tg.zeros(2, 3, device="cuda"), tg.ones(4, device="cuda"),
            tg.full((2,), 7.0, device="cuda"), tg.arange(5, device="cuda"),
            tg.eye(3, device="cuda"), tg.linspace(0, 1, 5, device="cuda"),
            tg.rand(3, device="cuda"), tg.randn(3, device="cuda"),
            tg.randint(0, 9, (3,), device="cuda"), tg.tensor([1.5], device="cuda:0"),
            tg.zeros_like(tg.ones(2, device="cuda")), tg.ones(2, device="cuda").new_zeros(3)]
    for t in made:
        assert t.device == tg.device("cuda", 0) and t.is_cuda and on_device(t._array), t


def test_to_cuda_cpu_round_trip_copies_and_keeps_values() -> None:
    x = tg.tensor(normal(3, 4))
    y = x.to("cuda")
    assert y.is_cuda and not x.is_cuda and y.dtype is x.dtype
    assert x.cuda().device == tg.device("cuda:0") and y.to("cuda") is y
    back = y.cpu()
    np.testing.assert_array_equal(back.numpy(), x.numpy())
    y.add_(1)  # a copy: changing the device tensor leaves the host tensor alone
    np.testing.assert_array_equal(back.numpy(), x.numpy())
    z = y.to("cpu", tg.float32)
    assert z.dtype is tg.float32 and not z.is_cuda


def test_gradients_flow_back_across_devices() -> None:
    """``.to()`` is differentiable: the gradient goes back to the device it came from."""
    x = tg.tensor(normal(3), requires_grad=True)
    y = x.to("cuda")
    assert y.grad_fn.name() == "ToCopyBackward0" and not y.is_leaf
    (y * y).sum().backward()
    assert not x.grad.is_cuda
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.detach().numpy(), rtol=1e-12)
    z = tg.tensor(normal(2), device="cuda", requires_grad=True)
    (z.cpu() * 3).sum().backward()
    assert z.grad.is_cuda and on_device(z.grad._array)
    np.testing.assert_array_equal(host(z.grad), [3.0, 3.0])
    w = tg.tensor(normal(2), requires_grad=True)
    (g,) = tg.autograd.grad((w.cuda() ** 2).sum(), w, create_graph=True)
    assert not g.is_cuda
    g.sum().backward()  # second order through the device copy
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 2.0])


def test_repr_names_the_device() -> None:
    assert repr(tg.tensor([1.0, 2.0], device="cuda")) == "tensor([1., 2.], device='cuda:0')"
    x = tg.ones(2, device="cuda", requires_grad=True) * 2
    assert repr(x) == "tensor([2., 2.], device='cuda:0', grad_fn=<MulBackward0>)"


def test_mixing_devices_is_refused_as_pytorch_does() -> None:
    a, b = tg.ones(2, device="cuda"), tg.ones(2)
    for op in (lambda: a + b, lambda: b * a, lambda: a @ b, lambda: tg.cat([a, b]),
               lambda: a.gather(0, tg.tensor([0]))):
        with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
            op()
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        a.numpy()
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        np.asarray(a)
    assert a[tg.tensor([1, 0])].is_cuda  # a cpu index tensor is fine, as in PyTorch


@pytest.mark.parametrize("layer", ["linear", "conv", "embedding", "batchnorm"])
def test_a_model_on_cuda_fed_a_cpu_batch_says_so(layer: str) -> None:
    """The classic mistake: model.to('cuda') but the batch left behind. PyTorch's error, and
    nothing changed (a batch norm's running statistics stay as they were)."""
    module, batch = {
        "linear": (nn.Linear(3, 2), tg.ones(4, 3)),
        "conv": (nn.Conv2d(1, 2, 3), tg.ones(1, 1, 5, 5)),
        "embedding": (nn.Embedding(5, 2), tg.tensor([1, 2])),
        "batchnorm": (nn.BatchNorm1d(3), tg.randn(4, 3)),
    }[layer]
    module.to("cuda")
    before = {k: host(v) for k, v in module.state_dict().items()}
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, "
                                           "but found at least two devices, cuda:0 and cpu"):
        module(batch)
    for k, v in module.state_dict().items():
        np.testing.assert_array_equal(host(v), before[k], err_msg=k)


def test_python_numbers_come_back_from_the_device() -> None:
    x = tg.tensor([1.5, 2.5], device="cuda")
    assert x.sum().item() == 4.0 and x.tolist() == [1.5, 2.5] and float(x[0]) == 1.5
    assert bool(x.sum() > 3) and int(tg.tensor(7, device="cuda")) == 7


def test_synchronize_and_device_count() -> None:
    cuda.synchronize()
    assert cuda.device_count() >= 1 and cuda.why_unavailable() == ""


# ------------------------------------------------------------------------- nn and optim


class LeNet(nn.Module):
    """Seed 001's network, on 16x16 input to keep the test small."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1)
        self.bn = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 16, 3)
        self.fc1 = nn.Linear(16 * 3 * 3, 32)
        self.drop = nn.Dropout(0.2)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x: tg.Tensor) -> tg.Tensor:
        x = F.max_pool2d(F.relu(self.bn(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(self.drop(F.relu(self.fc1(x.flatten(1)))))


def test_module_to_moves_parameters_and_buffers() -> None:
    net = LeNet()
    assert net.to("cuda") is net
    for name, t in [*net.named_parameters(), *net.named_buffers()]:
        assert t.is_cuda and on_device(t._array), name
    assert isinstance(net.conv1.weight, nn.Parameter) and net.conv1.weight.requires_grad
    net.cpu()
    assert not any(p.is_cuda for p in net.parameters())
    assert all(p.is_cuda for p in net.cuda().parameters())


OPTIMIZERS = {
    "SGD momentum nesterov": lambda p: tg.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True,
                                                    weight_decay=1e-3),
    "Adam": lambda p: tg.optim.Adam(p, lr=1e-2),
    "AdamW": lambda p: tg.optim.AdamW(p, lr=1e-2),
    "RMSprop": lambda p: tg.optim.RMSprop(p, lr=1e-3, momentum=0.5),
}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_training_steps_on_cuda_match_cpu(name: str) -> None:
    """Three steps of the LeNet (conv, batch norm, pooling, dropout, cross entropy) with the
    same initial weights and batches: float64 parameters agree to 1e-10."""
    tg.manual_seed(0)
    cpu_net = LeNet().double()
    gpu_net = copy.deepcopy(cpu_net).to("cuda")
    images = normal(8, 1, 16, 16)
    labels = RNG.integers(0, 10, 8)
    for net, device in ((cpu_net, "cpu"), (gpu_net, "cuda")):
        optimizer = OPTIMIZERS[name](net.parameters())
        x = tg.tensor(images, device=device)
        y = tg.tensor(labels, device=device)
        tg.manual_seed(1)  # the same dropout masks on both devices
        for _ in range(3):
            optimizer.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            optimizer.step()
    for (name_c, c), (name_g, g) in zip(cpu_net.state_dict().items(),
                                        gpu_net.state_dict().items()):
        assert name_c == name_g and g.is_cuda and on_device(g._array)
        np.testing.assert_allclose(host(g), host(c), rtol=1e-10, atol=1e-12, err_msg=name_c)
    for p in gpu_net.parameters():
        assert p.grad is not None and on_device(p.grad._array)


def test_mlp_trains_on_cuda() -> None:
    """A float32 MLP learns a separable problem on the device (loss falls by 10x)."""
    tg.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2)).to("cuda")
    optimizer = tg.optim.Adam(net.parameters(), lr=0.05)
    x = tg.randn(128, 2, device="cuda")
    y = (x[:, 0] * x[:, 1] > 0).long()
    losses = []
    for _ in range(150):
        optimizer.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] / 10, losses[::30]


def test_state_dict_from_cuda_saves_and_loads_on_cpu(tmp_path: Any) -> None:
    net = LeNet().to("cuda")
    path = tmp_path / "lenet.tgz"
    tg.save(net.state_dict(), path)
    restored = LeNet()
    restored.load_state_dict(tg.load(path))
    for (name, a), b in zip(net.state_dict().items(), restored.state_dict().values()):
        assert not b.is_cuda
        np.testing.assert_array_equal(host(a), b.numpy(), err_msg=name)
    on_gpu = tg.load(path, map_location="cuda")
    assert all(t.is_cuda for t in on_gpu.values())


def test_gpu_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """benchmarks/bench_gpu.py checks its results before timing; here on tiny sizes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import bench_gpu

    assert bench_gpu.main(["--quick", "--size", "64", "--batch", "16", "--sizes",
                           "20,8,3"]) == 0
    printed = capsys.readouterr().out
    assert "(a) matmul 64x64 float32" in printed and "(b) MLP 20→8→3 step" in printed


def test_dataloader_over_cuda_tensors_gives_cuda_batches() -> None:
    from tinygrad_edu.utils.data import DataLoader, TensorDataset

    x = tg.arange(20.0, device="cuda").reshape(10, 2)
    y = tg.arange(10, device="cuda")
    loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True,
                        generator=tg.Generator().manual_seed(0))
    seen = []
    for xb, yb in loader:
        assert xb.is_cuda and yb.is_cuda and xb.shape[1] == 2
        np.testing.assert_array_equal(host(xb)[:, 0], host(yb) * 2)
        seen.extend(host(yb).tolist())
    assert sorted(seen) == list(range(10))


def test_optimizer_state_from_the_cpu_follows_the_parameters_to_cuda() -> None:
    """As PyTorch: load_state_dict casts the state to each parameter's device, so training
    resumes on the GPU from a checkpoint written on the cpu."""
    tg.manual_seed(0)
    cpu_net = nn.Linear(3, 2)
    cpu_opt = tg.optim.Adam(cpu_net.parameters(), lr=0.1)
    cpu_net(tg.ones(1, 3)).sum().backward()
    cpu_opt.step()
    gpu_net = nn.Linear(3, 2).cuda()
    gpu_net.load_state_dict(cpu_net.state_dict())
    assert gpu_net.weight.is_cuda  # values copied into the cuda parameters
    gpu_opt = tg.optim.Adam(gpu_net.parameters(), lr=0.1)
    gpu_opt.load_state_dict(cpu_opt.state_dict())
    for state in gpu_opt.state_dict()["state"].values():
        assert state["exp_avg"].is_cuda and state["exp_avg_sq"].is_cuda
    for net, opt, device in ((cpu_net, cpu_opt, "cpu"), (gpu_net, gpu_opt, "cuda")):
        opt.zero_grad()
        net(tg.ones(1, 3, device=device)).sum().backward()
        opt.step()
    np.testing.assert_allclose(host(gpu_net.weight), host(cpu_net.weight), rtol=1e-6)

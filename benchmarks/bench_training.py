"""Training steps of small networks, against PyTorch CPU and NumPy written by hand.

    python benchmarks/bench_training.py            # full run (about a minute)
    python benchmarks/bench_training.py --quick    # fewer repeats (about 25 s)

(a) one training step (forward, cross-entropy, backward, SGD) of an MLP 784→512→256→10 at
    batch 128: tinygrad_edu, PyTorch, and the same math by hand in NumPy (no graph);
(b) the same for an MLP 64→128→10 at batch 64;
(c) one step of the seed's LeNet (Conv2d(1, 6, 5), Conv2d(6, 16, 5), 3 Linear) at batch
    32 × 1 × 32 × 32 (tinygrad_edu and PyTorch);
(d) wall time to train the digits CNN (tests/test_training.py's network, SGD with momentum,
    cosine schedule) until its test accuracy reaches 97%, checked after every epoch.

Every peer starts from the same float32 weights and sees the same batch; before timing, one
step is taken in each and the updated weights are compared (a mismatch stops the run).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # run as a script from anywhere

from common import Timing, fmt, measure_many, print_table, ratio  # noqa: E402

import tinygrad_edu  # noqa: E402

try:
    import torch
except ImportError:  # PyTorch is a test extra: without it, its columns show '-'
    torch = None

LR = 0.01

# ------------------------------------------------------------------------------ networks


def mlp(lib: ModuleType, sizes: tuple[int, ...]) -> Any:
    """Linear → ReLU → ... → Linear, the same code for tinygrad_edu and PyTorch."""
    layers: list[Any] = []
    for i in range(len(sizes) - 1):
        layers.append(lib.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(lib.nn.ReLU())
    return lib.nn.Sequential(*layers)


def lenet(lib: ModuleType) -> Any:
    """The seed's LeNet (../shared/seeds/001): two convolutions, three linear layers."""
    nn, F = lib.nn, lib.nn.functional

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x: Any) -> Any:
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.view(x.size(0), -1)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)

    return Net()


def digits_net(lib: ModuleType) -> Any:
    """The digits CNN of tests/test_training.py (8 × 8 inputs)."""
    nn, F = lib.nn, lib.nn.functional

    class DigitsNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
            self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
            self.fc1 = nn.Linear(32 * 2 * 2, 64)
            self.fc2 = nn.Linear(64, 10)

        def forward(self, x: Any) -> Any:
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.view(x.size(0), -1)
            return self.fc2(F.relu(self.fc1(x)))

    return DigitsNet()


def copy_weights(source: Any, target: Any) -> None:
    """Load a PyTorch model's weights into a tinygrad_edu one (or the reverse), via NumPy."""
    to_lib = tinygrad_edu if isinstance(target, tinygrad_edu.nn.Module) else torch
    target.load_state_dict({k: to_lib.tensor(v.detach().numpy().copy())
                            for k, v in source.state_dict().items()})


def weights_of(model: Any) -> list[np.ndarray]:
    return [p.detach().numpy().copy() for p in model.parameters()]


# ------------------------------------------------------------------------------ peers


def library_step(lib: ModuleType, model: Any, x: Any, y: Any) -> Callable[[], None]:
    """One SGD step with the library's own modules, loss and optimizer."""
    optimizer = lib.optim.SGD(model.parameters(), lr=LR)
    cross_entropy = lib.nn.functional.cross_entropy

    def step() -> None:
        optimizer.zero_grad()
        loss = cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()

    return step


class NumpyMLP:
    """The MLP step written by hand: the forward, the gradient of the mean cross-entropy and
    the SGD update on plain arrays (weights as (out, in), as ``nn.Linear``)."""

    def __init__(self, weights: list[np.ndarray]) -> None:
        self.weights = weights[0::2]
        self.biases = weights[1::2]

    def step(self, x: np.ndarray, y: np.ndarray) -> None:
        activations = [x]
        h = x
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = h @ w.T
            h += b
            if i < last:
                np.maximum(h, 0, out=h)
                activations.append(h)
        n = h.shape[0]
        h -= h.max(axis=1, keepdims=True)
        np.exp(h, out=h)
        h /= h.sum(axis=1, keepdims=True)  # softmax: the gradient of the mean loss is
        h[np.arange(n), y] -= 1  # (softmax - onehot) / n
        grad = h
        grad *= 1.0 / n
        for i in range(last, -1, -1):
            a = activations[i]
            grad_w = grad.T @ a
            grad_b = grad.sum(axis=0)
            if i > 0:
                grad_in = grad @ self.weights[i]
                grad_in *= a > 0
            self.weights[i] -= LR * grad_w
            self.biases[i] -= LR * grad_b
            if i > 0:
                grad = grad_in

    def params(self) -> list[np.ndarray]:
        return [a for pair in zip(self.weights, self.biases) for a in pair]


def step_peers(build: Callable[[ModuleType], Any], x: np.ndarray, y: np.ndarray,
               numpy_peer: bool) -> dict[str, tuple[Callable[[], None], Callable[[], Any]]]:
    """peer -> (one training step, its current weights), all from the same weights."""
    tinygrad_edu.manual_seed(0)
    ours = build(tinygrad_edu)
    peers: dict[str, tuple[Callable[[], None], Callable[[], Any]]] = {}
    if torch is not None:
        theirs = build(torch)
        copy_weights(ours, theirs)
        peers["torch"] = (library_step(torch, theirs, torch.from_numpy(x), torch.from_numpy(y)),
                          lambda: weights_of(theirs))
    peers["tinygrad_edu"] = (library_step(tinygrad_edu, ours, tinygrad_edu.from_numpy(x),
                                          tinygrad_edu.from_numpy(y)), lambda: weights_of(ours))
    if numpy_peer:
        by_hand = NumpyMLP(weights_of(ours))
        peers["numpy"] = (lambda: by_hand.step(x, y), by_hand.params)
    return peers


def check_same_step(peers: dict[str, tuple[Callable[[], None], Callable[[], Any]]],
                    label: str) -> None:
    """One step in every peer: the updated weights must agree (float32 tolerance)."""
    after = {}
    for name, (step, weights) in peers.items():
        step()
        after[name] = weights()
    reference = after["tinygrad_edu"]
    for name, weights in after.items():
        for ours, theirs in zip(reference, weights, strict=True):
            if not np.allclose(ours, theirs, rtol=1e-4, atol=1e-5):
                raise SystemExit(f"{label}: {name}'s step differs from tinygrad_edu's "
                                 f"(max diff {np.abs(ours - theirs).max():.3g})")


# ------------------------------------------------------------------------------ (d) digits


def train_digits_to(lib: ModuleType, target: float, max_epochs: int = 30,
                    seed: int = 0) -> tuple[float, int, float]:
    """Train the digits CNN until test accuracy >= ``target``: (seconds, epochs, accuracy).

    The data comes from tinygrad_edu's bundled copy for both libraries (converted via NumPy
    for PyTorch); both use their own DataLoader, SGD(momentum) and cosine schedule."""
    xs, ys = tinygrad_edu.datasets.load_digits("train")
    xt, yt = tinygrad_edu.datasets.load_digits("test")
    if lib is not tinygrad_edu:
        xs, ys, xt, yt = (lib.from_numpy(t.numpy()) for t in (xs, ys, xt, yt))
    lib.manual_seed(seed)
    data = lib.utils.data
    model = digits_net(lib)
    optimizer = lib.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    schedule = lib.optim.lr_scheduler.CosineAnnealingLR(optimizer, 10)
    loader = data.DataLoader(data.TensorDataset(xs, ys), batch_size=32, shuffle=True)
    cross_entropy = lib.nn.functional.cross_entropy
    start = time.perf_counter()
    accuracy, epoch = 0.0, 0
    while epoch < max_epochs:
        epoch += 1
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            cross_entropy(model(x), y).backward()
            optimizer.step()
        schedule.step()
        model.eval()
        with lib.no_grad():
            accuracy = (model(xt).argmax(1) == yt).float().mean().item()
        if accuracy >= target:
            break
    return time.perf_counter() - start, epoch, accuracy


# ------------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (~25 s)")
    parser.add_argument("--skip-digits", action="store_true", help="leave out (d)")
    args = parser.parse_args()
    repeat, warmup = (15, 3) if args.quick else (50, 5)

    print(f"Python {platform.python_version()}, NumPy {np.__version__}, "
          f"PyTorch {torch.__version__ if torch else 'not installed'}"
          f"{f' ({torch.get_num_threads()} threads)' if torch else ''}, "
          f"{os.cpu_count()} CPUs, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '-')}")
    print(f"medians of {repeat} interleaved runs per step, each right after an untimed step of "
          "the same peer; cyclic GC on\n")

    rng = np.random.default_rng(0)
    workloads = {
        "mlp_big": ("(a) MLP 784-512-256-10, batch 128, step [ms]",
                    lambda lib: mlp(lib, (784, 512, 256, 10)), (128, 784), True),
        "mlp_small": ("(b) MLP 64-128-10, batch 64, step [ms]",
                      lambda lib: mlp(lib, (64, 128, 10)), (64, 64), True),
        "lenet": ("(c) LeNet, batch 32x1x32x32, step [ms]", lenet, (32, 1, 32, 32), False),
    }
    results: dict[tuple[str, str], float | None] = {}
    for key, (label, build, shape, numpy_peer) in workloads.items():
        x = rng.standard_normal(shape).astype(np.float32)
        y = rng.integers(0, 10, size=shape[0]).astype(np.int64)
        peers = step_peers(build, x, y, numpy_peer)
        check_same_step(peers, label)
        timings: dict[str, Timing] = measure_many({name: p[0] for name, p in peers.items()},
                                                  repeat=repeat, warmup=warmup, lead_in=1)
        for name, t in timings.items():
            results[key, name] = t.median * 1e3
            print(f"  {label} {name:<13} {t.median * 1e3:9.3f} ms   "
                  f"[{t.min * 1e3:.3f} .. {t.max * 1e3:.3f}]", flush=True)
    if not args.skip_digits:
        for name, lib in (("tinygrad_edu", tinygrad_edu), ("torch", torch)):
            if lib is None:
                continue
            seconds, epochs, accuracy = train_digits_to(lib, 0.97)
            results["digits", name] = seconds
            print(f"  (d) digits CNN to 97% {name:<13} {seconds:7.2f} s   ({epochs} epochs, "
                  f"test accuracy {accuracy:.3f})", flush=True)
    print()

    def row(key: str, label: str, digits: int, target: str,
            met: Callable[[float | None, float | None, float | None], bool | None]) -> list[str]:
        edu, pt, by_hand = (results.get((key, p)) for p in ("tinygrad_edu", "torch", "numpy"))
        verdict = met(edu, pt, by_hand)
        return [label, fmt(edu, digits), fmt(pt, digits), fmt(by_hand, digits),
                ratio(edu, pt), ratio(edu, by_hand), target,
                "-" if verdict is None else ("yes" if verdict else "NO")]

    def within(limit: float, of: int) -> Callable[..., bool | None]:
        def met(*values: float | None) -> bool | None:
            edu, peer = values[0], values[of]
            return None if edu is None or peer is None else edu <= limit * peer
        return met

    rows = [
        row("mlp_big", workloads["mlp_big"][0], 3, "<= 1.15x NumPy", within(1.15, 2)),
        row("mlp_small", workloads["mlp_small"][0], 3, "<= PyTorch", within(1.0, 1)),
        row("lenet", workloads["lenet"][0], 3, "<= 1.5x PyTorch", within(1.5, 1)),
    ]
    if not args.skip_digits:
        rows.append(row("digits", "(d) digits CNN to 97% test accuracy [s]", 2, "< 30 s",
                        lambda e, p, n: None if e is None else e < 30))
    print_table(["workload", "tinygrad_edu", "PyTorch", "NumPy by hand", "edu/PyTorch",
                 "edu/NumPy", "target", "met"], rows,
                title="Training benchmarks (medians; ratios > 1 mean tinygrad_edu is slower)")


if __name__ == "__main__":
    main()

"""The GPU: tinygrad_edu on cuda against CuPy directly, and against itself on the cpu.

    python benchmarks/bench_gpu.py            # on a machine with a GPU and CuPy
    python benchmarks/bench_gpu.py --quick    # fewer repeats

(a) a 4096×4096 @ 4096×4096 float32 matmul: ``a @ b`` on cuda tensors against ``cupy.matmul``
    on the same arrays (the cost tinygrad_edu adds on top of CuPy; target: within 1.2x);
(b) one training step (forward, cross-entropy, backward, SGD) of the MLP 784→512→256→10 at
    batch 1024, on cuda against the cpu (target: at least 10x faster on cuda).

GPU work is asynchronous: a kernel launch returns before the kernel has run. Every timed call
therefore ends with ``synchronize()``, and the first calls (CuPy compiles and caches its
kernels, cuBLAS picks an algorithm) are warm-up, not timed. Without a usable GPU the script
says why and exits 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # run as a script from anywhere

from bench_training import mlp  # noqa: E402  (the same network as the cpu benchmark)
from common import fmt, measure_many, print_table  # noqa: E402

import tinygrad_edu as tg  # noqa: E402
import tinygrad_edu.nn.functional as F  # noqa: E402
from tinygrad_edu import cuda  # noqa: E402


def matmul_row(size: int, repeat: int) -> list[str]:
    """(a): tinygrad_edu's ``a @ b`` on cuda against CuPy's matmul of the same arrays."""
    cp = cuda.cupy_module()
    rng = np.random.default_rng(0)
    a_host = rng.standard_normal((size, size), dtype=np.float32)
    b_host = rng.standard_normal((size, size), dtype=np.float32)
    a, b = tg.tensor(a_host, device="cuda"), tg.tensor(b_host, device="cuda")
    a_raw, b_raw = cp.asarray(a_host), cp.asarray(b_host)

    def ours() -> Any:
        out = a @ b
        cuda.synchronize()
        return out

    def theirs() -> Any:
        out = cp.matmul(a_raw, b_raw)
        cuda.synchronize()
        return out

    np.testing.assert_allclose(ours().cpu().numpy(), cp.asnumpy(theirs()), rtol=1e-4,
                               atol=1e-2 * np.sqrt(size))
    times = measure_many({"ours": ours, "cupy": theirs}, repeat=repeat, warmup=2)
    ratio = times["ours"].median / times["cupy"].median
    return [f"(a) matmul {size}x{size} float32", f"{fmt(times['ours'].median * 1e3)} ms",
            f"{fmt(times['cupy'].median * 1e3)} ms (CuPy)", f"{ratio:.2f}x",
            "yes" if ratio <= 1.2 else "NO"]


def mlp_step(device: str, batch: int, sizes: tuple[int, ...]) -> tuple[Any, Any]:
    """A seeded MLP and a training step closure on ``device`` (the same weights anywhere)."""
    tg.manual_seed(0)
    net = mlp(tg, sizes).to(device)
    optimizer = tg.optim.SGD(net.parameters(), lr=0.01)
    rng = np.random.default_rng(1)
    x = tg.tensor(rng.standard_normal((batch, sizes[0]), dtype=np.float32), device=device)
    y = tg.tensor(rng.integers(0, sizes[-1], batch), device=device)

    def step() -> None:
        optimizer.zero_grad()
        F.cross_entropy(net(x), y).backward()
        optimizer.step()
        if device == "cuda":
            cuda.synchronize()

    return net, step


def training_row(batch: int, repeat: int, sizes: tuple[int, ...]) -> list[str]:
    """(b): one SGD step of the MLP on cuda against the same step on the cpu."""
    cpu_net, cpu_step = mlp_step("cpu", batch, sizes)
    gpu_net, gpu_step = mlp_step("cuda", batch, sizes)
    cpu_step()
    gpu_step()
    for c, g in zip(cpu_net.parameters(), gpu_net.parameters()):  # the same update
        np.testing.assert_allclose(g.detach().cpu().numpy(), c.detach().numpy(), rtol=1e-3,
                                   atol=1e-5)
    times = measure_many({"cpu": cpu_step, "cuda": gpu_step}, repeat=repeat, warmup=2)
    speedup = times["cpu"].median / times["cuda"].median
    arrows = "→".join(str(s) for s in sizes)
    return [f"(b) MLP {arrows} step, batch {batch}", f"{fmt(times['cuda'].median * 1e3)} ms",
            f"{fmt(times['cpu'].median * 1e3)} ms (cpu)", f"{speedup:.1f}x faster",
            "yes" if speedup >= 10 else "NO"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--size", type=int, default=4096, help="matmul side (a)")
    parser.add_argument("--batch", type=int, default=1024, help="MLP batch (b)")
    parser.add_argument("--sizes", default="784,512,256,10", help="MLP layer sizes (b)")
    args = parser.parse_args(argv)
    if not cuda.is_available():
        print(f"no usable GPU, nothing to measure: {cuda.why_unavailable()}")
        return 0
    cp = cuda.cupy_module()
    print(f"{getattr(cp, '__name__', 'cupy')} {cp.__version__}, {cuda.device_count()} GPU(s)")
    repeat = 5 if args.quick else 15
    sizes = tuple(int(s) for s in args.sizes.split(","))
    rows = [matmul_row(args.size, repeat), training_row(args.batch, repeat, sizes)]
    print_table(["workload", "tinygrad_edu cuda", "peer", "ratio", "met"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

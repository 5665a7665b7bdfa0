"""``tinygrad_edu.cuda``: is a GPU usable through CuPy, and if not, why not.

Nothing is probed at import time. The first question (``is_available()``) runs the probe once
and keeps its answer in a small ``Probe`` object; ``why_unavailable()`` returns the reason as
text. The probe is truthful: CuPy imports fine without a driver, so it also counts devices
and runs one tiny kernel (a GPU without the NVRTC compiler fails only there).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from . import random

INSTALL_HINT = ("To use a GPU: an NVIDIA GPU with its driver, then "
                "`pip install -e \".[gpu]\"` (cupy-cuda12x) "
                "or `conda install -c conda-forge cupy`.")


@dataclass
class Probe:
    """The outcome of looking for a usable GPU: the CuPy module, a device count, a reason."""

    cupy: ModuleType | None
    device_count: int
    reason: str  # empty when a GPU is usable


def _run_probe() -> Probe:
    try:
        cp = importlib.import_module("cupy")
    except ImportError as exc:
        return Probe(None, 0, f"CuPy is not installed ({exc}). {INSTALL_HINT}")
    try:
        count = int(cp.cuda.runtime.getDeviceCount())
    except Exception as exc:  # CUDARuntimeError without a driver; keep its text
        return Probe(cp, 0, f"CuPy is installed but found no usable CUDA driver or GPU: "
                            f"{type(exc).__name__}: {exc}. {INSTALL_HINT}")
    if count < 1:
        return Probe(cp, 0, f"CuPy is installed but the CUDA runtime reports 0 GPUs. "
                            f"{INSTALL_HINT}")
    try:
        check = (cp.arange(4, dtype=cp.float32) * 2).sum()
        cp.cuda.Stream.null.synchronize()
        if float(check) != 12.0:
            return Probe(cp, 0, "a test kernel on the GPU returned a wrong result")
    except Exception as exc:
        return Probe(cp, 0, f"a GPU was found but running a kernel failed: "
                            f"{type(exc).__name__}: {exc}")
    return Probe(cp, count, "")


class _ProbeCache:
    """Holds the one probe result; ``reset()`` exists for tests and after installing CuPy."""

    def __init__(self) -> None:
        self.result: Probe | None = None

    def get(self) -> Probe:
        if self.result is None:
            self.result = _run_probe()
        return self.result

    def reset(self) -> None:
        self.result = None


_probe = _ProbeCache()


def is_available() -> bool:
    """True when CuPy is installed and a GPU really runs a kernel."""
    return not _probe.get().reason


def why_unavailable() -> str:
    """Why ``is_available()`` is False, and what to install; empty when a GPU is usable."""
    return _probe.get().reason


def device_count() -> int:
    """The number of usable GPUs (0 without CuPy or a driver)."""
    return _probe.get().device_count


def reset_probe() -> None:
    """Forget the cached probe result, so the next question probes again."""
    _probe.reset()


def require() -> None:
    """Raise a RuntimeError that says why, when no GPU is usable."""
    reason = why_unavailable()
    if reason:
        raise RuntimeError(f"CUDA is not available: {reason}")


def cupy_module() -> ModuleType:
    """The CuPy module, after checking that a GPU is usable."""
    require()
    cp = _probe.get().cupy
    assert cp is not None
    return cp


def loaded_cupy() -> ModuleType | None:
    """The CuPy module if a probe already found a usable GPU, else None (never probes)."""
    result = _probe.result
    return result.cupy if result is not None and not result.reason else None


def synchronize() -> None:
    """Wait for every queued GPU kernel to finish (timing GPU code needs this)."""
    cupy_module().cuda.Device().synchronize()


def current_device() -> int:
    """The index of the GPU in use (``torch.cuda.current_device()``); raises, saying why,
    when no GPU is usable."""
    return int(cupy_module().cuda.Device().id)


def get_device_name(device: Any = None) -> str:
    """The GPU's name, e.g. ``'NVIDIA H200'`` (``torch.cuda.get_device_name``). ``device``:
    an index, ``'cuda:1'``, a ``device``, or None for the current one. Without a usable GPU
    this raises, saying why (PyTorch: RuntimeError without a driver); an index past the
    last GPU is PyTorch's ``AssertionError: Invalid device id``."""
    cp = cupy_module()
    if device is None:
        index = current_device()
    elif isinstance(device, int):
        index = device
    else:
        kind, _, number = str(device).partition(":")  # 'cuda', 'cuda:1', device('cuda', 1)
        if kind != "cuda":
            raise ValueError(f"Expected a cuda device, but got: {device}")
        index = int(number) if number else current_device()
    if not 0 <= index < device_count():
        raise AssertionError("Invalid device id")
    name = cp.cuda.runtime.getDeviceProperties(index)["name"]
    return name.decode() if isinstance(name, bytes) else str(name)


# One generator serves every device here (README: a cuda tensor's random numbers are drawn
# on the host and copied), so seeding "the GPU's generator" seeds that one generator: the
# usual `torch.manual_seed(s); torch.cuda.manual_seed_all(s)` gives the same numbers as
# `manual_seed(s)` alone. Like PyTorch's, these run without a GPU too.


def manual_seed(seed: int) -> None:
    """Seed the generator cuda tensors draw from: the one generator (``manual_seed``)."""
    random.manual_seed(seed)


def manual_seed_all(seed: int) -> None:
    """Seed the generator of every GPU: here the one generator (``manual_seed``)."""
    random.manual_seed(seed)

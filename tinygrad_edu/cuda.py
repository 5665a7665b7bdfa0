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

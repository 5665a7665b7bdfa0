"""``torch.accelerator``: the device-neutral way PyTorch's current tutorials pick a device.

    device = (torch.accelerator.current_accelerator().type
              if torch.accelerator.is_available() else "cpu")

The only accelerator here is an NVIDIA GPU through CuPy (``tinygrad_edu.cuda``), so each
answer is ``cuda``'s; without one, ``current_accelerator()`` is None, as in PyTorch.
"""

from __future__ import annotations

from . import cuda
from .backend import device


def is_available() -> bool:
    """True when a GPU can be used (``cuda.is_available()``)."""
    return cuda.is_available()


def current_accelerator(check_available: bool = False) -> device | None:
    """``device(type='cuda')`` when a GPU is usable, else None (``check_available`` kept for
    PyTorch's signature: here the accelerator is only reported when it is available)."""
    return device("cuda") if cuda.is_available() else None


def device_count() -> int:
    """How many GPUs can be used (0 without one)."""
    return cuda.device_count()


def current_device_index() -> int:
    """The GPU in use: always 0 here (one device), -1 without one, as PyTorch."""
    return 0 if cuda.is_available() else -1


def synchronize(device: device | str | int | None = None) -> None:
    """Wait until the GPU has finished its queued work (nothing to wait for on the cpu)."""
    if cuda.is_available():
        cuda.synchronize()

"""Process-wide switches that PyTorch scripts set once at the top: deterministic algorithms
and the number of cpu threads (``torch.use_deterministic_algorithms``,
``torch.set_num_threads`` and the calls that read them back).

They are module state, as PyTorch's are: a deliberate exception to "no hidden state"
(DESIGN.md), kept so that the usual reproducibility boilerplate runs. Neither changes a result
here, and each says why:

- every operation is already deterministic (NumPy and CuPy kernels with no atomics and no
  algorithm picked by benchmarking), so the switch is checked and recorded, nothing more;
- NumPy's BLAS fixes its thread count when it loads (changing it later needs threadpoolctl,
  which tinygrad_edu does not depend on), so ``set_num_threads`` records the number and
  ``get_num_threads`` returns it, without changing how many threads a matmul uses.
"""

from __future__ import annotations

import os


class _Settings:
    """The recorded switches; ``num_threads`` None means "not set": the cpu count."""

    deterministic = False
    warn_only = False
    num_threads: int | None = None


_settings = _Settings()


def _type_name(value: object) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Ask for deterministic algorithms only (``torch.use_deterministic_algorithms``).

    Every operation here is deterministic already, so this only records ``mode`` and
    ``warn_only`` for ``are_deterministic_algorithms_enabled()``; PyTorch's TypeError for a
    non-bool."""
    if not isinstance(mode, bool):
        raise TypeError(f"_set_deterministic_algorithms(): argument 'mode' (position 1) must "
                        f"be bool, not {_type_name(mode)}")
    if not isinstance(warn_only, bool):
        raise TypeError(f"_set_deterministic_algorithms(): argument 'warn_only' must be bool, "
                        f"not {_type_name(warn_only)}")
    _settings.deterministic = mode
    _settings.warn_only = warn_only


def are_deterministic_algorithms_enabled() -> bool:
    """What the last ``use_deterministic_algorithms`` asked for (False at start)."""
    return _settings.deterministic


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """The ``warn_only`` of the last ``use_deterministic_algorithms`` (False at start)."""
    return _settings.warn_only


def set_num_threads(num: int) -> None:
    """Record ``num`` as the cpu thread count (``torch.set_num_threads``), with PyTorch's
    checks. NumPy's BLAS keeps the thread count it started with (see the module notes)."""
    if isinstance(num, bool) or not isinstance(num, int):
        raise RuntimeError(f"set_num_threads expects an int, but got {_type_name(num)}")
    if num <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _settings.num_threads = num


def get_num_threads() -> int:
    """The number given to ``set_num_threads``; before any, the cpus this process may use."""
    if _settings.num_threads is not None:
        return _settings.num_threads
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)

"""``torch.backends``: which optional backends exist. Here none of PyTorch's does.

- ``backends.mps``: Apple GPUs. tinygrad_edu computes on the cpu (NumPy) or an NVIDIA GPU
  (CuPy), so ``mps.is_available()`` and ``mps.is_built()`` are False, the answer PyTorch gives
  on a machine without one.
- ``backends.cudnn``: NVIDIA's cuDNN library, which tinygrad_edu does not use
  (``is_available()`` is False). Its switches (``enabled``, ``benchmark``, ``deterministic``)
  are here so that code which sets them runs; they change nothing, because every operation is
  already deterministic on the cpu and picks no algorithm by benchmarking.
"""

from . import cudnn, mps

__all__ = ["cudnn", "mps"]

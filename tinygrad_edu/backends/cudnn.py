"""``torch.backends.cudnn``: NVIDIA's cuDNN, which tinygrad_edu does not use.

The switches keep PyTorch's defaults and can be set (``torch.backends.cudnn.benchmark =
True``) so that such code runs; they have no effect here (see the package docstring).
"""

enabled = True
benchmark = False
deterministic = False


def is_available() -> bool:
    """False: convolutions run on NumPy/CuPy products, not cuDNN."""
    return False


def version() -> None:
    """None, PyTorch's answer when cuDNN is not available."""
    return None

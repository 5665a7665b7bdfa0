"""``torch.backends.mps``: Apple's Metal GPUs, which tinygrad_edu does not compute on."""


def is_available() -> bool:
    """False: tinygrad_edu runs on the cpu or on an NVIDIA GPU (CuPy), never on Metal."""
    return False


def is_built() -> bool:
    """False: no Metal support is built in."""
    return False

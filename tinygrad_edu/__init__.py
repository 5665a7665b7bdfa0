"""tinygrad_edu: a small tensor library with PyTorch's API and reverse-mode autograd.

``import tinygrad_edu as torch`` and PyTorch beginner code runs unchanged. Importing prints
nothing, starts nothing and does not look for a GPU (``cuda.is_available()`` does, on demand).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import autograd, cuda
from .backend import (
    bool_ as bool,  # noqa: A004 (torch.bool)
)
from .backend import (
    device,
    dtype,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    promote_types,
    uint8,
)
from .creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .creation import (
    range_ as range,  # noqa: A004 (torch.range, deprecated)
)
from .engine import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .random import Generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .serialization import load, save
from .tensor import Size, Tensor, where
from .tensor_functions import (
    abs,  # noqa: A004
    add,
    all,  # noqa: A004
    allclose,
    amax,
    amin,
    any,  # noqa: A004
    argmax,
    argmin,
    bmm,
    cat,
    chunk,
    clamp,
    clip,
    clone,
    concat,
    cos,
    detach,
    div,
    dot,
    equal,
    exp,
    flatten,
    flip,
    gather,
    is_floating_point,
    is_tensor,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max,  # noqa: A004
    maximum,
    mean,
    min,  # noqa: A004
    minimum,
    mm,
    mul,
    mv,
    neg,
    norm,
    numel,
    permute,
    pow,  # noqa: A004
    prod,
    relu,
    reshape,
    sigmoid,
    sign,
    sin,
    softmax,
    split,
    sqrt,
    square,
    squeeze,
    stack,
    std,
    sub,
    sum,  # noqa: A004
    t,
    tanh,
    transpose,
    true_divide,
    unbind,
    unsqueeze,
    var,
)

__version__ = "0.1.0"


if TYPE_CHECKING:
    from . import datasets, nn, optim, utils, viz
    from .diagnostics import Report

# Subpackages load on first use (`tinygrad_edu.nn`, `from tinygrad_edu import optim`), so that
# `import tinygrad_edu` stays cheap for code that only needs tensors.
_SUBPACKAGES = ("datasets", "nn", "optim", "utils", "viz")


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        return import_module(f".{name}", __name__)  # also binds it on the package
    raise AttributeError(f"module 'tinygrad_edu' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SUBPACKAGES))


def doctor() -> "Report":
    """Is this setup ready for the course? A table of versions, graphviz and the GPU, with
    ✓ / ✗ and what to install (``.ok`` when the core works).

    The checks live in ``tinygrad_edu.diagnostics``, imported on this first call, so
    importing the package stays cheap."""
    from .diagnostics import doctor as run_checks

    return run_checks()


# PyTorch's other names for the same dtypes
float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16


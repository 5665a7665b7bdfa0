"""tinygrad_edu: a small tensor library with PyTorch's API and reverse-mode autograd.

``import tinygrad_edu as torch`` and PyTorch beginner code runs unchanged. Importing prints
nothing, starts nothing and does not look for a GPU (``cuda.is_available()`` does, on demand).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import accelerator, autograd, backends, cuda, special
from .backend import (
    bool_ as bool,  # noqa: A004 (torch.bool)
)
from .backend import (
    device,
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    promote_types,
    set_default_dtype,
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
    logspace,
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
from .engine import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .legacy import (
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
)
from .printing import set_printoptions
from .random import Generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .serialization import load, save
from .settings import (
    are_deterministic_algorithms_enabled,
    get_num_threads,
    is_deterministic_algorithms_warn_only_enabled,
    set_num_threads,
    use_deterministic_algorithms,
)
from .special import erf, erfc, erfinv
from .tensor import Size, Tensor, where
from .tensor_functions import (
    abs,  # noqa: A004
    abs_,
    absolute,
    add,
    all,  # noqa: A004
    allclose,
    amax,
    amin,
    any,  # noqa: A004
    arctan2,
    argmax,
    argmin,
    argsort,
    argwhere,
    atan2,
    bmm,
    broadcast_to,
    cat,
    ceil,
    chunk,
    clamp,
    clamp_,
    clamp_max,
    clamp_min,
    clip,
    clip_,
    clone,
    column_stack,
    concat,
    concatenate,
    cos,
    count_nonzero,
    cumprod,
    cumsum,
    detach,
    detach_,
    diag,
    diagonal,
    div,
    divide,
    dot,
    dstack,
    einsum,
    eq,
    equal,
    exp,
    exp_,
    expm1,
    fill_,
    fix,
    flatten,
    flip,
    floor,
    gather,
    ge,
    greater,
    greater_equal,
    gt,
    hstack,
    hypot,
    index_select,
    is_floating_point,
    is_tensor,
    isfinite,
    isinf,
    isnan,
    kthvalue,
    le,
    lerp,
    less,
    less_equal,
    log,
    log1p,
    log2,
    log10,
    log_softmax,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    logsumexp,
    lt,
    masked_fill,
    masked_select,
    matmul,
    max,  # noqa: A004
    maximum,
    mean,
    median,
    min,  # noqa: A004
    minimum,
    mm,
    moveaxis,
    movedim,
    mul,
    multiply,
    mv,
    narrow,
    ne,
    neg,
    neg_,
    negative,
    nonzero,
    norm,
    not_equal,
    numel,
    outer,
    permute,
    pow,  # noqa: A004
    prod,
    reciprocal,
    relu,
    relu_,
    repeat_interleave,
    reshape,
    roll,
    round,  # noqa: A004
    rsqrt,
    scatter,
    scatter_add,
    select,
    sigmoid,
    sigmoid_,
    sign,
    sin,
    softmax,
    sort,
    split,
    sqrt,
    sqrt_,
    square,
    squeeze,
    stack,
    std,
    sub,
    subtract,
    sum,  # noqa: A004
    swapaxes,
    swapdims,
    t,
    tan,
    tanh,
    tanh_,
    tile,
    topk,
    trace,
    transpose,
    tril,
    triu,
    true_divide,
    trunc,
    unbind,
    unflatten,
    unique,
    unsqueeze,
    var,
    vstack,
    zero_,
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


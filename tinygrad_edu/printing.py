"""``repr(tensor)`` exactly as PyTorch prints it (``torch/_tensor_str.py``'s rules).

All elements share one format, chosen from the nonzero finite values: integers-only float
tensors print as ``1.``, a wide range (max/min > 1000, max > 1e8 or min < 1e-4) switches to
``1.0000e+05``, otherwise four decimals. Tensors over 1000 elements show 3 edge items per
dimension. Lines wrap at 80 characters.

Those numbers are PyTorch's default print options, changed by ``set_printoptions``
(precision, threshold, edgeitems, linewidth, profile, sci_mode). Like PyTorch's, the options
are one process-wide setting that stays until the next call: a deliberate exception to "no
hidden state", because PyTorch code sets them once at the top of a notebook and expects every
later print to follow. ``set_printoptions(profile="default")`` restores the defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import backend


@dataclass
class PrintOptions:
    """The current print options (``torch._tensor_str.PRINT_OPTS``); PyTorch's defaults."""

    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None  # None: chosen from the values (the rules above)


PRINT_OPTS = PrintOptions()

# `profile=` names a set of options, as PyTorch: (precision, threshold, edgeitems, linewidth)
_PROFILES: dict[str, tuple[int, float, int, int]] = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(precision: int | None = None, threshold: float | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     profile: str | None = None, sci_mode: bool | None = None) -> None:
    """Change how tensors print from now on (``torch.set_printoptions``).

    ``profile`` ("default", "short" or "full": no summarising) sets the first four options,
    then each given option overrides it; ``sci_mode`` True/False forces or forbids
    scientific notation, and is reset to None (chosen from the values) when not given, as in
    PyTorch. An unknown profile name changes nothing."""
    if profile in _PROFILES:
        (PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems,
         PRINT_OPTS.linewidth) = _PROFILES[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


@dataclass
class _Formatter:
    floating: bool
    int_mode: bool = True
    sci_mode: bool = False
    width: int = 1

    @classmethod
    def for_values(cls, values: np.ndarray, floating: bool) -> _Formatter:
        fmt = cls(floating)
        flat = values.reshape(-1)
        if not floating:
            fmt.width = max([len(str(v)) for v in flat.tolist()] + [1])
            return fmt
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return fmt
        magnitude = np.abs(finite)
        low, high = float(magnitude.min()), float(magnitude.max())
        fmt.int_mode = bool(np.all(finite == np.ceil(finite)))
        chosen = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4
        fmt.sci_mode = chosen if PRINT_OPTS.sci_mode is None else bool(PRINT_OPTS.sci_mode)
        precision = PRINT_OPTS.precision
        if fmt.sci_mode:
            texts = [f"{v:.{precision}e}" for v in finite.tolist()]
        elif fmt.int_mode:
            texts = [f"{v:.0f}." for v in finite.tolist()]
        else:
            texts = [f"{v:.{precision}f}" for v in finite.tolist()]
        fmt.width = max(fmt.width, *(len(t) for t in texts))
        return fmt

    def format(self, value: Any) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{PRINT_OPTS.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if not (math.isinf(value) or math.isnan(value)):
                text += "."
        else:
            text = f"{value:.{PRINT_OPTS.precision}f}"
        return " " * (self.width - len(text)) + text


def _summarized(values: np.ndarray) -> np.ndarray:
    """The elements that will be shown: the first and last ``edgeitems`` along every axis.

    With ``edgeitems=0`` PyTorch keeps all of a 1-d tensor (``x[-0:]`` is all of it) and
    none of a larger one; those values only choose the format."""
    edge = PRINT_OPTS.edgeitems
    if edge == 0 and values.ndim > 1:
        return values[(slice(0, 0),) * values.ndim]
    for axis in range(values.ndim):
        if edge and values.shape[axis] > 2 * edge:
            keep = list(range(edge)) + list(range(values.shape[axis] - edge,
                                                  values.shape[axis]))
            values = values.take(keep, axis=axis)
    return values


def _vector(values: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    edge = PRINT_OPTS.edgeitems
    per_line = max(1, (PRINT_OPTS.linewidth - indent) // (fmt.width + 2))
    if summarize and not edge:
        items = ["..."]
    elif summarize and values.shape[0] > 2 * edge:
        items = ([fmt.format(v) for v in values[:edge].tolist()] + [" ..."]
                 + [fmt.format(v) for v in values[-edge:].tolist()])
    else:
        items = [fmt.format(v) for v in values.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(values: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if values.ndim == 0:
        return fmt.format(values.item())
    if values.ndim == 1:
        return _vector(values, indent, summarize, fmt)
    edge = PRINT_OPTS.edgeitems
    rows = range(values.shape[0])
    if summarize and values.shape[0] > 2 * edge:
        head = [_nested(values[i], indent + 1, summarize, fmt) for i in rows[:edge]]
        tail = [_nested(values[i], indent + 1, summarize, fmt) for i in rows[len(rows) - edge:]]
        parts = [*head, "...", *tail]
    else:
        parts = [_nested(values[i], indent + 1, summarize, fmt) for i in rows]
    return "[" + ("," + "\n" * (values.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def format_values(values: np.ndarray, floating: bool, indent: int) -> str:
    """The bracketed numbers of a tensor, ``indent`` columns in from the line start."""
    if values.size == 0:
        return "[]"
    summarize = values.size > PRINT_OPTS.threshold
    fmt = _Formatter.for_values(_summarized(values) if summarize else values, floating)
    return _nested(values, indent, summarize, fmt)


def tensor_repr(values: np.ndarray, dtype_name: str, dtype_text: str, device_text: str,
                grad_fn_name: str | None, requires_grad: bool) -> str:
    """``tensor([...], dtype=..., grad_fn=<...>)`` for a NumPy copy of a tensor's values."""
    prefix = "tensor("
    indent = len(prefix)
    floating = values.dtype.kind == "f"
    default_float = backend.DEFAULT_FLOAT.name  # read now: set_default_dtype changes it
    suffixes: list[str] = []
    if device_text != "cpu":
        suffixes.append(f"device='{device_text}'")
    if values.size == 0:
        if values.ndim != 1:
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype_name != default_float:  # nothing to infer an integer dtype from
            suffixes.append(f"dtype={dtype_text}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:  # no numbers are shown: PyTorch adds the size
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype_name not in (default_float, "int64", "bool"):
            suffixes.append(f"dtype={dtype_text}")
        body = format_values(values, floating, indent)
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _with_suffixes(prefix + body, suffixes, indent)


def _with_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    parts = [text]
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line += len(suffix) + 2
    return "".join(parts) + ")"

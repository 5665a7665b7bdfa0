"""``repr(tensor)`` exactly as PyTorch prints it (``torch/_tensor_str.py``'s rules).

All elements share one format, chosen from the nonzero finite values: integers-only float
tensors print as ``1.``, a wide range (max/min > 1000, max > 1e8 or min < 1e-4) switches to
``1.0000e+05``, otherwise four decimals. Tensors over 1000 elements show 3 edge items per
dimension. Lines wrap at 80 characters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

PRECISION = 4
THRESHOLD = 1000
EDGEITEMS = 3
LINEWIDTH = 80


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
        wide = high / low > 1000.0 or high > 1.0e8
        if fmt.int_mode:
            fmt.sci_mode = wide
            texts = ([f"{v:.{PRECISION}e}" for v in finite.tolist()] if wide
                     else [f"{v:.0f}." for v in finite.tolist()])
        else:
            fmt.sci_mode = wide or low < 1.0e-4
            spec = "e" if fmt.sci_mode else "f"
            texts = [f"{v:.{PRECISION}{spec}}" for v in finite.tolist()]
        fmt.width = max(fmt.width, *(len(t) for t in texts))
        return fmt

    def format(self, value: Any) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{PRECISION}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if not (math.isinf(value) or math.isnan(value)):
                text += "."
        else:
            text = f"{value:.{PRECISION}f}"
        return " " * (self.width - len(text)) + text


def _summarized(values: np.ndarray) -> np.ndarray:
    """The elements that will be shown: the first and last EDGEITEMS along every axis."""
    for axis in range(values.ndim):
        if values.shape[axis] > 2 * EDGEITEMS:
            keep = list(range(EDGEITEMS)) + list(range(values.shape[axis] - EDGEITEMS,
                                                       values.shape[axis]))
            values = values.take(keep, axis=axis)
    return values


def _vector(values: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    per_line = max(1, (LINEWIDTH - indent) // (fmt.width + 2))
    if summarize and values.shape[0] > 2 * EDGEITEMS:
        items = ([fmt.format(v) for v in values[:EDGEITEMS].tolist()] + [" ..."]
                 + [fmt.format(v) for v in values[-EDGEITEMS:].tolist()])
    else:
        items = [fmt.format(v) for v in values.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(values: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if values.ndim == 0:
        return fmt.format(values.item())
    if values.ndim == 1:
        return _vector(values, indent, summarize, fmt)
    rows = range(values.shape[0])
    if summarize and values.shape[0] > 2 * EDGEITEMS:
        head = [_nested(values[i], indent + 1, summarize, fmt) for i in rows[:EDGEITEMS]]
        tail = [_nested(values[i], indent + 1, summarize, fmt) for i in rows[-EDGEITEMS:]]
        parts = [*head, "...", *tail]
    else:
        parts = [_nested(values[i], indent + 1, summarize, fmt) for i in rows]
    return "[" + ("," + "\n" * (values.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def format_values(values: np.ndarray, floating: bool, indent: int) -> str:
    """The bracketed numbers of a tensor, ``indent`` columns in from the line start."""
    if values.size == 0:
        return "[]"
    summarize = values.size > THRESHOLD
    fmt = _Formatter.for_values(_summarized(values) if summarize else values, floating)
    return _nested(values, indent, summarize, fmt)


def tensor_repr(values: np.ndarray, dtype_name: str, dtype_text: str, device_text: str,
                grad_fn_name: str | None, requires_grad: bool) -> str:
    """``tensor([...], dtype=..., grad_fn=<...>)`` for a NumPy copy of a tensor's values."""
    prefix = "tensor("
    indent = len(prefix)
    floating = values.dtype.kind == "f"
    suffixes: list[str] = []
    if device_text != "cpu":
        suffixes.append(f"device='{device_text}'")
    if values.size == 0:
        if values.ndim != 1:
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype_name != "float32":  # nothing to infer an integer dtype from
            suffixes.append(f"dtype={dtype_text}")
        body = "[]"
    else:
        if dtype_name not in ("float32", "int64", "bool"):
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
        if last_line + len(suffix) + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + suffix)
            last_line = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line += len(suffix) + 2
    return "".join(parts) + ")"

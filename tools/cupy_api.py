"""Record the part of CuPy's API that the CuPy stand-in may offer (tests/cupy_api.json).

The stand-in (tests/cupy_standin.py) runs the cuda code path on machines without a GPU. It
must not be kinder than CuPy: a NumPy function or keyword CuPy lacks has to fail there too.
So it offers only the names, and accepts only the keyword arguments, that this file lists,
read off a real CuPy (importing CuPy and reading signatures works without a GPU):

    python -m venv /tmp/cp && /tmp/cp/bin/pip install cupy-cuda12x numpy
    /tmp/cp/bin/python tools/cupy_api.py > tests/cupy_api.json

Parameter lists are ``null`` where CuPy does not expose a signature (compiled functions).
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from typing import Any

# `_ndarray_base.sum(self, axis=None, dtype=None, out=None, keepdims=False) -> ...`
_DOC_SIGNATURE = re.compile(r"^[\w.]*?(\w+)\((?P<params>[^)]*)\)")


def _parameters(function: Any) -> list[str] | None:
    """Parameter names of ``function``, from its signature or its docstring's first line."""
    try:
        return [p for p in inspect.signature(function).parameters if p != "self"]
    except (TypeError, ValueError):
        pass
    doc = (getattr(function, "__doc__", None) or "").strip().splitlines()
    match = _DOC_SIGNATURE.match(doc[0]) if doc else None
    if match is None:
        return None
    # Cython writes C types before names: `int axis`, `Py_ssize_t axis1`
    names = [part.split("=")[0].split()[-1].lstrip("*") for part in match["params"].split(",")
             if part.strip()]
    return [n for n in names if n != "self"]


def _public(obj: Any) -> list[str]:
    return sorted(n for n in dir(obj) if not n.startswith("_"))


def describe(cp: Any) -> dict[str, Any]:
    """The manifest: functions with parameters, ufunc names, ndarray members, submodules."""
    functions: dict[str, list[str] | None] = {}
    ufuncs: list[str] = []
    for name in _public(cp):
        obj = getattr(cp, name)
        if type(obj).__name__ == "ufunc":
            ufuncs.append(name)
        elif callable(obj) and not inspect.isclass(obj):
            functions[name] = _parameters(obj)
    return {
        "cupy_version": cp.__version__,
        "functions": functions,
        "ufuncs": ufuncs,
        "ufunc_methods": _public(cp.add),
        "ndarray": {name: _parameters(getattr(cp.ndarray, name))
                    if callable(getattr(cp.ndarray, name)) else "attribute"
                    for name in _public(cp.ndarray)},
        "lib.stride_tricks": {name: _parameters(getattr(cp.lib.stride_tricks, name))
                              for name in ("as_strided", "sliding_window_view")},
    }


if __name__ == "__main__":
    import cupy

    json.dump(describe(cupy), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")

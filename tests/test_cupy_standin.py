"""The CuPy stand-in is as strict as CuPy where tinygrad_edu could slip (tests/cupy_standin.py).

The cuda suites prove that no NumPy call leaks into the cuda path only if the stand-in
refuses what CuPy refuses; these tests pin that down. When a real CuPy is importable, its API
is compared with the recorded manifest (tests/cupy_api.json).
"""

from __future__ import annotations

import importlib.util

import cupy_standin
import numpy as np
import pytest
from cupy_standin import API, CUPY, HostArrayError, StandInArray

cp = CUPY


def test_device_arrays_are_not_numpy_arrays() -> None:
    x = cp.arange(4.0)
    assert isinstance(x, StandInArray) and not isinstance(x, np.ndarray)
    with pytest.raises(TypeError, match="Implicit conversion to a NumPy array is not allowed"):
        np.asarray(x)
    with pytest.raises(TypeError, match="Unsupported type"):
        np.zeros(4) + x  # a host array meets a device array: refused, as by CuPy
    np.testing.assert_array_equal(x.get(), [0, 1, 2, 3])
    np.testing.assert_array_equal(cp.asnumpy(x * 2), [0, 2, 4, 6])


def test_host_arrays_in_device_operations_are_refused() -> None:
    x = cp.ones(3)
    for op in (lambda: x + np.ones(3), lambda: cp.maximum(x, np.ones(3)),
               lambda: x[np.array([0, 1])], lambda: x.__setitem__(0, np.ones(())),
               lambda: cp.where(np.ones(3, bool), x, 0.0), lambda: cp.add.at(x, [0], np.ones(1))):
        with pytest.raises(HostArrayError, match="Unsupported type"):
            op()
    assert float((x + np.float64(2.0)).sum()) == 9.0  # NumPy scalars are fine, as in CuPy


def test_only_cupys_names_and_keywords() -> None:
    with pytest.raises(AttributeError, match="module 'cupy' has no attribute 'errstate'"):
        cp.errstate  # noqa: B018
    with pytest.raises(TypeError, match="unexpected keyword argument 'sparse'"):
        cp.indices((2, 3), sparse=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'where'"):
        cp.add(cp.ones(2), 1, where=cp.ones(2, dtype=bool))
    with pytest.raises(AttributeError, match="no attribute 'itemset'"):
        cp.ones(2).itemset  # noqa: B018
    with pytest.raises(TypeError, match="no implementation found"):
        np.lib.stride_tricks.sliding_window_view(cp.ones(4), 2)  # CuPy's lives in cupy.lib
    assert cp.lib.stride_tricks.sliding_window_view(cp.ones(4), 2).shape == (3, 2)


def test_reductions_give_zero_dim_device_arrays_and_identity_is_kept() -> None:
    x = cp.arange(6.0).reshape(2, 3)
    total = x.sum()
    assert isinstance(total, StandInArray) and total.ndim == 0 and float(total) == 15.0
    assert isinstance(x[0, 1], StandInArray)
    assert x.astype(np.float64, copy=False) is x
    assert cp.asarray(x) is x
    host = np.ones(2)
    moved = cp.asarray(host)
    host[0] = 5.0  # asarray from the host is a transfer: a copy
    assert moved.get()[0] == 1.0


def test_install_makes_tinygrad_edu_see_one_gpu() -> None:
    import tinygrad_edu as tg

    was_installed = cupy_standin.is_installed()
    cupy_standin.install()
    try:
        assert tg.cuda.is_available() and tg.cuda.device_count() == 1
        assert isinstance(tg.ones(2, device="cuda")._array, StandInArray)
    finally:
        if not was_installed:
            cupy_standin.uninstall()


@pytest.mark.skipif(importlib.util.find_spec("cupy") is None,
                    reason="CuPy is not installed: the manifest cannot be compared with it")
def test_manifest_matches_the_installed_cupy() -> None:
    import sys
    from pathlib import Path

    import cupy

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tools.cupy_api import describe

    recorded, found = API, describe(cupy)
    missing = set(recorded["functions"]) - set(found["functions"])
    assert not missing, f"the stand-in offers what CuPy {cupy.__version__} lacks: {missing}"

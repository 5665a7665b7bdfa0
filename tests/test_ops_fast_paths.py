"""Fast paths inside primitives give exactly what the plain NumPy call gives."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_edu import ops, tensor


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("other", [0.0, -0.0, 1.5])
@pytest.mark.parametrize("shape", [(), (7,), (3, 5)])
def test_where_with_zero_matches_numpy_bit_for_bit(dtype: type, other: float,
                                                   shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(size=shape).astype(dtype)
    values.reshape(-1)[:4] = [np.nan, np.inf, -0.0, -np.inf][: values.size]
    condition = rng.random(shape) > 0.5
    got = ops.Where.apply(tensor(values), other, condition=condition).numpy()
    expected = np.where(condition, values, other).astype(dtype)
    assert got.dtype == expected.dtype
    assert got.tobytes() == expected.tobytes()  # NaN payloads and the sign of zero too

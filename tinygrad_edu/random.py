"""Random numbers: one seeded generator, as ``torch.manual_seed`` / ``torch.Generator``.

The bits differ from PyTorch's (this is NumPy's PCG64), so ``rand`` after the same seed gives
other numbers than PyTorch; what matches is the behaviour: the same seed, the same numbers.
Like PyTorch, the default generator starts from a fixed seed, so a fresh process is
reproducible even before ``manual_seed``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

DEFAULT_SEED = 67280421310721  # PyTorch's initial seed for its default CPU generator


class Generator:
    """A random-number source with a seed (``torch.Generator``)."""

    def __init__(self, device: str = "cpu") -> None:
        self.device = device
        self.manual_seed(DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        """Restart from ``seed``: an int from -2**63 to 2**64 - 1, negative ones counted
        modulo 2**64 (``manual_seed(-1)`` is ``2**64 - 1``), as PyTorch's."""
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
            kind = type(seed)
            name = kind.__name__ if kind.__module__ == "builtins" else (
                f"{kind.__module__}.{kind.__name__}")
            raise RuntimeError(f"manual_seed expected a long, but got {name}")
        if not -(2**63) <= seed < 2**64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = int(seed) % 2**64
        self._bits: np.random.Generator | None = None  # made on the first draw
        return self

    @property
    def _rng(self) -> np.random.Generator:
        # Built lazily: numpy.random costs ~15 ms to import, and `import tinygrad_edu`
        # should not pay for it before anything random is drawn.
        if self._bits is None:
            self._bits = np.random.Generator(np.random.PCG64(self._seed))
        return self._bits

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> dict[str, Any]:
        return dict(self._rng.bit_generator.state)

    def set_state(self, state: dict[str, Any]) -> Generator:
        self._rng.bit_generator.state = state
        return self

    # NumPy arrays of float64 / int64; callers convert to the tensor's dtype.
    def uniform(self, low: float, high: float, shape: tuple[int, ...]) -> np.ndarray:
        return self._rng.uniform(low, high, shape)

    def normal(self, mean: float, std: float, shape: tuple[int, ...]) -> np.ndarray:
        return self._rng.normal(mean, std, shape)

    def integers(self, low: int, high: int, shape: tuple[int, ...]) -> np.ndarray:
        return self._rng.integers(low, high, shape, dtype=np.int64)

    def permutation(self, n: int) -> np.ndarray:
        return self._rng.permutation(n).astype(np.int64)

    def multinomial(self, weights: np.ndarray, count: int, replacement: bool) -> np.ndarray:
        """``count`` indices into the 1-d float64 ``weights``, each drawn with probability
        proportional to its weight, as ``torch.multinomial`` (its checks and messages).

        With replacement: uniform draws looked up in the cumulative weights. Without (and
        for one draw): the ``count`` largest of ``weight / Exp(1)``, PyTorch's method, which
        takes each index at most once and zero weights only after every positive one."""
        n = weights.shape[0]
        if not replacement and count > n:
            raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                               "replacement")
        if not replacement or count == 1:
            if n and not (weights.max() < np.inf and weights.min() >= 0):  # NaN fails too
                raise RuntimeError("probability tensor contains either `inf`, `nan` or "
                                   "element < 0")
        else:
            bad = np.flatnonzero(~(weights >= 0) | ~np.isfinite(weights))
            if bad.size:
                first = weights[bad[0]]
                raise RuntimeError("invalid multinomial distribution (encountering probability "
                                   + ("entry < 0)" if not first >= 0 else
                                      "entry = infinity or NaN)"))
        if not n or not weights.sum() > 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        if not replacement or count == 1:
            keys = weights / self._rng.exponential(1.0, n)
            return np.argsort(-keys, kind="stable")[:count].astype(np.int64)
        cumulative = np.cumsum(weights)
        drawn = self._rng.uniform(0.0, 1.0, count) * cumulative[-1]
        last = int(np.flatnonzero(weights)[-1])  # rounding never picks a zero weight past it
        return np.minimum(np.searchsorted(cumulative, drawn, side="right"), last)


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator: the same seed gives the same random tensors. ``seed`` is
    anything ``int()`` takes (``1.5`` and ``"12"`` too), as PyTorch's."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Seed the default generator from the operating system's entropy; returns the seed."""
    entropy = np.random.SeedSequence().entropy  # an int when no entropy was given
    assert isinstance(entropy, int)
    new_seed = entropy % (2**63)
    default_generator.manual_seed(new_seed)
    return new_seed


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> dict[str, Any]:
    return default_generator.get_state()


def set_rng_state(state: dict[str, Any]) -> None:
    default_generator.set_state(state)


def resolve(generator: Generator | None) -> Generator:
    """The generator to draw from: the given one, or the default."""
    return default_generator if generator is None else generator

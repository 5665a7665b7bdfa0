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
        self._seed = int(seed)
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


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator: the same seed gives the same random tensors."""
    return default_generator.manual_seed(seed)


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

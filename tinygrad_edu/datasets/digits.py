"""The handwritten-digits set: 1 797 images of 8 × 8 pixels, digits 0-9 (``README.md``).

It is the copy scikit-learn bundles (``sklearn.datasets.load_digits``), stored in
``digits.npz`` (no pickles): ``images`` uint8 (1797, 8, 8) with values 0..16, ``labels`` int64,
and ``order``, a fixed shuffled order of the samples that defines the train/test split.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from .. import backend
from ..creation import from_numpy
from ..tensor import Tensor

DATA_FILE = "digits.npz"
N_SAMPLES, N_CLASSES, MAX_PIXEL = 1797, 10, 16
DEFAULT_TEST_SIZE = 0.2
# with the default test_size: (train, test) samples; the test set has 35-37 of each digit
DIGITS_SPLIT_COUNTS = {"train": 1438, "test": 359, "all": 1797}


def _read() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from importlib import resources  # here, not at import: it pulls in tempfile & co.

    source = resources.files(__package__).joinpath(DATA_FILE)
    with source.open("rb") as file, np.load(file, allow_pickle=False) as data:
        images, labels, order = data["images"], data["labels"], data["order"]
    if images.shape != (N_SAMPLES, 8, 8) or labels.shape != (N_SAMPLES,) or sorted(
            order.tolist()) != list(range(N_SAMPLES)):
        raise RuntimeError(f"{DATA_FILE} in {__package__} is damaged: reinstall tinygrad_edu")
    return images, labels, order


def held_out_indices(labels: np.ndarray, order: np.ndarray, test_size: float) -> np.ndarray:
    """The test samples, in index order: for each digit with n samples, the first
    ⌊test_size·n + ½⌋ of them in the stored ``order`` (a stratified, fixed split)."""
    chosen = []
    for digit in range(N_CLASSES):
        of_digit = order[labels[order] == digit]
        chosen.append(of_digit[: math.floor(test_size * len(of_digit) + 0.5)])
    return np.sort(np.concatenate(chosen))


def load_digits(split: Literal["train", "test", "all"] = "train",
                test_size: float = DEFAULT_TEST_SIZE) -> tuple[Tensor, Tensor]:
    """``(images, labels)`` of the handwritten-digits set.

    ``images``: float32 of shape (N, 1, 8, 8), pixels scaled from 0..16 to [0, 1];
    ``labels``: int64 of shape (N,), the digit 0-9. The split is the same on every call and
    every machine: stratified by digit, ``test_size`` of each digit goes to ``"test"``
    (default 0.2: 1 438 train and 359 test images); ``"all"`` gives all 1 797 in file order.
    """
    if split not in ("train", "test", "all"):
        raise ValueError(f"split must be 'train', 'test' or 'all', got {split!r}")
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be a fraction between 0 and 1, got {test_size}")
    images, labels, order = _read()
    if split != "all":
        test = held_out_indices(labels, order, test_size)
        if split == "test":
            keep = test
        else:
            mask = np.ones(N_SAMPLES, dtype=bool)
            mask[test] = False
            keep = np.flatnonzero(mask)
        images, labels = images[keep], labels[keep]
    pixels = (images.astype(np.float32) / MAX_PIXEL).reshape(-1, 1, 8, 8)
    return from_numpy(pixels), from_numpy(labels.astype(backend.int64.numpy))

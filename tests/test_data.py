"""tinygrad_edu.utils.data (Dataset, TensorDataset, DataLoader, random_split) and the bundled
handwritten-digits set."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from tinygrad_edu.datasets import DIGITS_SPLIT_COUNTS, load_digits
from tinygrad_edu.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    RandomSampler,
    SequentialSampler,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)


def _dataset(n: int = 10) -> TensorDataset:
    x = tg.arange(n * 2, dtype=tg.float32).reshape(n, 2)
    y = tg.arange(n)
    return TensorDataset(x, y)


def _labels(loader: DataLoader) -> list[list[int]]:
    return [y.tolist() for _, y in loader]


def _flat(batches: list[list[int]]) -> list[int]:
    return [i for batch in batches for i in batch]


# ------------------------------------------------------------------------ TensorDataset


def test_tensor_dataset_indexes_rows() -> None:
    ds = _dataset()
    assert len(ds) == 10
    x, y = ds[3]
    assert x.tolist() == [6.0, 7.0] and y.item() == 3


def test_tensor_dataset_refuses_different_first_dimensions() -> None:
    with pytest.raises(ValueError, match=r"Size mismatch between tensors.*\[5, 4\]"):
        TensorDataset(tg.zeros(5, 2), tg.zeros(4))


def test_tensor_dataset_refuses_non_tensors_and_0d() -> None:
    with pytest.raises(TypeError, match="argument 1 is a list"):
        TensorDataset(tg.zeros(3), [1, 2, 3])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="0-d"):
        TensorDataset(tg.tensor(1.0))


# ------------------------------------------------------------------------ DataLoader


def test_batches_in_order_with_a_short_last_batch() -> None:
    loader = DataLoader(_dataset(), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 == len(batches)
    assert [y.tolist() for _, y in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    x, y = batches[0]
    assert x.shape == (4, 2) and x.dtype is tg.float32 and y.dtype is tg.int64
    assert x.tolist() == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]]


def test_drop_last() -> None:
    loader = DataLoader(_dataset(), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert _labels(loader) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert len(DataLoader(_dataset(8), batch_size=4, drop_last=True)) == 2
    assert len(DataLoader(_dataset(3), batch_size=4, drop_last=True)) == 0


@pytest.mark.parametrize(("n", "batch_size", "drop_last"),
                         [(10, 3, False), (10, 3, True), (9, 3, False), (1, 5, False)])
def test_len_matches_torch(n: int, batch_size: int, drop_last: bool) -> None:
    ours = DataLoader(_dataset(n), batch_size=batch_size, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(list(range(n)), batch_size=batch_size,
                                         drop_last=drop_last)
    assert len(ours) == len(theirs) == len(list(ours))


def test_shuffle_with_a_seeded_generator_is_reproducible() -> None:
    def epochs(seed: int) -> list[list[list[int]]]:
        loader = DataLoader(_dataset(), batch_size=3, shuffle=True,
                            generator=tg.Generator().manual_seed(seed))
        return [_labels(loader), _labels(loader)]

    first, second = epochs(7)
    assert first == epochs(7)[0] and second == epochs(7)[1]  # same seed: same orders
    assert first != second  # a new order each epoch
    assert sorted(_flat(first)) == list(range(10))  # a permutation: every sample once
    assert epochs(8)[0] != first


def test_shuffle_uses_the_default_generator_after_manual_seed() -> None:
    loader = DataLoader(_dataset(20), batch_size=5, shuffle=True)
    tg.manual_seed(3)
    first = _labels(loader)
    tg.manual_seed(3)
    assert _labels(loader) == first
    assert _flat(first) != list(range(20))


def test_shuffle_with_drop_last_keeps_full_batches_only() -> None:
    loader = DataLoader(_dataset(10), batch_size=4, shuffle=True, drop_last=True,
                        generator=tg.Generator().manual_seed(0))
    batches = _labels(loader)
    assert [len(b) for b in batches] == [4, 4]
    assert len(set(_flat(batches))) == 8


def test_default_batch_size_is_one() -> None:
    batches = list(DataLoader(_dataset(3)))
    assert len(batches) == 3 and batches[0][0].shape == (1, 2)


def test_batch_size_none_yields_single_samples() -> None:
    samples = list(DataLoader(_dataset(3), batch_size=None))
    assert samples[1][1].item() == 1 and samples[1][0].shape == (2,)


def test_custom_collate_and_sampler() -> None:
    loader = DataLoader(_dataset(6), batch_size=2, sampler=[5, 4, 3, 2, 1, 0],
                        collate_fn=lambda batch: [int(y) for _, y in batch])
    assert list(loader) == [[5, 4], [3, 2], [1, 0]]


def test_batch_sampler() -> None:
    loader = DataLoader(_dataset(6), batch_sampler=[[0, 5], [1, 2, 3]])
    assert _labels(loader) == [[0, 5], [1, 2, 3]]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"sampler": [0, 1], "shuffle": True}, "mutually exclusive with shuffle"),
    ({"batch_sampler": [[0]], "batch_size": 2}, "mutually exclusive with batch_size"),
    ({"batch_size": None, "drop_last": True}, "mutually exclusive with drop_last"),
    ({"batch_size": 0}, "batch_size should be a positive integer value"),
    ({"num_workers": -1}, "num_workers option should be non-negative"),
])
def test_bad_loader_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DataLoader(_dataset(), **kwargs)


def test_a_custom_dataset() -> None:
    class Squares(Dataset[tuple[float, int]]):
        def __len__(self) -> int:
            return 5

        def __getitem__(self, i: int) -> tuple[float, int]:
            return float(i) ** 2, i

    x, y = next(iter(DataLoader(Squares(), batch_size=5)))
    assert x.dtype is tg.float64 and x.tolist() == [0.0, 1.0, 4.0, 9.0, 16.0]
    assert y.dtype is tg.int64 and y.tolist() == [0, 1, 2, 3, 4]


# ------------------------------------------------------------------------ collate


def test_default_collate_matches_torch() -> None:
    samples_np = [{"x": np.full((2,), i, dtype=np.float32), "n": i, "f": i / 2, "s": str(i),
                   "b": i % 2 == 0, "pair": (np.int64(i), [i, i + 1])} for i in range(3)]
    ours, theirs = default_collate(samples_np), torch.utils.data.default_collate(samples_np)
    assert sorted(ours) == sorted(theirs)
    for key in ["x", "n", "f", "b"]:
        assert ours[key].tolist() == theirs[key].tolist(), key
        assert ours[key].dtype.name == str(theirs[key].dtype).removeprefix("torch."), key
    assert ours["s"] == theirs["s"] == ["0", "1", "2"]
    assert isinstance(ours["pair"], list) and isinstance(theirs["pair"], list)
    assert ours["pair"][0].tolist() == theirs["pair"][0].tolist()
    assert [t.tolist() for t in ours["pair"][1]] == [t.tolist() for t in theirs["pair"][1]]


def test_default_collate_stacks_tensors_and_keeps_namedtuples() -> None:
    Point = namedtuple("Point", ["x", "y"])
    batch = default_collate([Point(tg.tensor([1.0]), 1), Point(tg.tensor([2.0]), 2)])
    assert isinstance(batch, Point)
    assert batch.x.tolist() == [[1.0], [2.0]] and batch.y.tolist() == [1, 2]


def test_default_collate_errors() -> None:
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        default_collate([tg.zeros(2), tg.zeros(3)])
    with pytest.raises(RuntimeError, match="should be of equal size"):
        default_collate([[1, 2], [1]])
    with pytest.raises(TypeError, match="found <class 'object'>"):
        default_collate([object()])


# ------------------------------------------------------------------------ samplers, splits


def test_samplers() -> None:
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    order = list(RandomSampler(range(6), generator=tg.Generator().manual_seed(1)))
    assert sorted(order) == list(range(6))
    assert order == list(RandomSampler(range(6), generator=tg.Generator().manual_seed(1)))
    assert list(BatchSampler(range(5), 2, drop_last=False)) == [[0, 1], [2, 3], [4]]
    assert len(BatchSampler(range(5), 2, drop_last=True)) == 2


def test_random_split_counts_and_fractions() -> None:
    ds = _dataset(10)
    a, b = random_split(ds, [7, 3], generator=tg.Generator().manual_seed(0))
    assert isinstance(a, Subset) and (len(a), len(b)) == (7, 3)
    indices = sorted(list(a.indices) + list(b.indices))
    assert indices == list(range(10))
    again = random_split(ds, [7, 3], generator=tg.Generator().manual_seed(0))
    assert again[0].indices == a.indices
    assert a[0][1].item() == a.indices[0]
    # fractions: floor, then the remainder one by one from the first subset (as torch)
    parts = random_split(_dataset(11), [0.5, 0.3, 0.2])
    theirs = torch.utils.data.random_split(range(11), [0.5, 0.3, 0.2])
    assert [len(p) for p in parts] == [len(p) for p in theirs] == [6, 3, 2]
    with pytest.raises(ValueError, match="Sum of input lengths does not equal"):
        random_split(ds, [5, 4])


# ------------------------------------------------------------------------ digits


def test_digits_shapes_dtypes_and_counts() -> None:
    total = 0
    for split, count in DIGITS_SPLIT_COUNTS.items():
        x, y = load_digits(split)  # type: ignore[arg-type]
        assert x.shape == (count, 1, 8, 8) and y.shape == (count,)
        assert x.dtype is tg.float32 and y.dtype is tg.int64
        assert x.min().item() >= 0.0 and x.max().item() == 1.0
        assert sorted(set(y.tolist())) == list(range(10))
        total += count if split != "all" else 0
    assert DIGITS_SPLIT_COUNTS == {"train": 1438, "test": 359, "all": 1797}
    assert total == 1797


def test_digits_pixels_are_sixteenths() -> None:
    x, y = load_digits("all")
    levels = np.unique(np.asarray(x) * 16)
    assert np.array_equal(levels, np.arange(17))  # the csv's integers 0..16, all present
    counts = np.bincount(y.tolist(), minlength=10)
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # the first image of the csv is a 0 (sklearn's digits.images[0])
    assert y[0].item() == 0
    assert (np.asarray(x[0, 0]) * 16).astype(int)[0].tolist() == [0, 0, 5, 13, 9, 1, 0, 0]


def test_digits_split_is_fixed_stratified_and_disjoint() -> None:
    x_train, y_train = load_digits("train")
    x_test, y_test = load_digits("test")
    again_x, again_y = load_digits("test")
    assert np.array_equal(np.asarray(x_test), np.asarray(again_x))
    assert y_test.tolist() == again_y.tolist()
    assert np.bincount(y_test.tolist()).tolist() == [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]
    # train + test is exactly the full set: every (image, label) of "all" in one split
    x_all, y_all = load_digits("all")

    def rows(x: Any, y: Any) -> list[tuple[int, ...]]:
        pixels = (np.asarray(x).reshape(len(y), 64) * 16).astype(int)
        return sorted((*p, label) for p, label in zip(pixels.tolist(), y.tolist()))

    assert rows(x_all, y_all) == sorted(rows(x_train, y_train) + rows(x_test, y_test))


def test_digits_test_size() -> None:
    x_test, _ = load_digits("test", test_size=0.5)
    x_train, _ = load_digits("train", test_size=0.5)
    assert len(x_test) + len(x_train) == 1797
    assert 895 <= len(x_test) <= 902
    small, _ = load_digits("test", test_size=0.1)
    assert len(small) < len(x_test)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"split": "validation"}, "split must be 'train', 'test' or 'all'"),
    ({"test_size": 1.5}, "test_size must be a fraction between 0 and 1"),
])
def test_digits_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_digits(**kwargs)


def test_digits_through_a_dataloader() -> None:
    x, y = load_digits("train")
    loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True,
                        generator=tg.Generator().manual_seed(0))
    assert len(loader) == 23  # ceil(1438 / 64)
    images, labels = next(iter(loader))
    assert images.shape == (64, 1, 8, 8) and labels.shape == (64,)

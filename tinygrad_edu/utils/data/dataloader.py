"""``DataLoader``: batches of samples from a dataset (``torch.utils.data.DataLoader``).

Each epoch (each ``iter(loader)``) the sampler gives an order of indices, the batch sampler
cuts it into batches, the samples of a batch are fetched with ``dataset[i]`` and ``collate_fn``
joins them: tensors are stacked along a new first dimension, numbers become a tensor, and
tuples, lists and dicts are joined field by field. Everything runs in this process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ... import backend
from ...creation import from_numpy, tensor
from ...random import Generator
from ...tensor import Tensor
from ...tensor_functions import stack
from .dataset import Dataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler


def default_collate(batch: Sequence[Any]) -> Any:
    """Join a list of samples into one batch, as PyTorch's ``default_collate``.

    Tensors → ``stack(batch)``; NumPy arrays → a stacked tensor; Python floats → a float64
    tensor; ints (and bools) → an int64 (bool) tensor; strings stay a list; dicts, tuples and
    lists are collated per key / position (a tuple of fields comes back as a list, as in
    PyTorch, so ``for x, y in loader`` works).
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(list(batch), 0)
    if isinstance(elem, np.ndarray):
        return stack([from_numpy(np.asarray(b, order="C")) for b in batch], 0)
    if isinstance(elem, np.generic):
        return tensor(np.array(batch))
    if isinstance(elem, float):
        return tensor(list(batch), dtype=backend.float64)
    if isinstance(elem, int):  # bool is an int: a bool tensor
        return tensor(list(batch))
    if isinstance(elem, str | bytes):
        return list(batch)
    if isinstance(elem, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple
        return type(elem)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(elem, Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(list(field)) for field in zip(*batch)]
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, "
                    f"dicts or lists; found {type(elem)}")


class DataLoader:
    """Iterate over ``dataset`` in batches.

    ``shuffle=True`` draws a new order every epoch from ``generator`` (default: the global
    generator, so ``tinygrad_edu.manual_seed`` makes runs repeatable); ``drop_last`` leaves
    out a last, incomplete batch; ``batch_size=None`` yields single samples uncollated.
    ``len(loader)`` is the number of batches. ``num_workers`` must be 0: samples are loaded
    in this process.
    """

    def __init__(self, dataset: Dataset[Any], batch_size: int | None = 1,
                 shuffle: bool | None = None, sampler: Sampler | Iterable[int] | None = None,
                 batch_sampler: Iterable[list[int]] | None = None, num_workers: int = 0,
                 collate_fn: Callable[[list[Any]], Any] | None = None,
                 pin_memory: bool = False, drop_last: bool = False, *,
                 generator: Generator | None = None) -> None:
        if num_workers != 0:
            raise ValueError(f"num_workers={num_workers}: tinygrad_edu's DataLoader loads in "
                             f"this process only; use num_workers=0")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None:
            sized: Any = dataset  # a map-style dataset has __len__
            sampler = (RandomSampler(sized, generator=generator) if shuffle
                       else SequentialSampler(sized))
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        self.num_workers = num_workers
        self.pin_memory = pin_memory
        self.collate_fn = collate_fn if collate_fn is not None else (
            default_collate if batch_sampler is not None else _identity)

    def __iter__(self) -> Iterator[Any]:
        if self.batch_sampler is None:  # no automatic batching: one sample at a time
            for index in self.sampler:
                yield self.collate_fn(self.dataset[index])
            return
        for indices in self.batch_sampler:
            yield self.collate_fn([self.dataset[i] for i in indices])

    def __len__(self) -> int:
        if self.batch_sampler is not None:
            return len(self.batch_sampler)  # type: ignore[arg-type]
        return len(self.sampler)  # type: ignore[arg-type]


def _identity(sample: Any) -> Any:
    return sample

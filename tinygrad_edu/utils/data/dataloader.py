"""``DataLoader``: batches of samples from a dataset (``torch.utils.data.DataLoader``).

Each epoch (each ``iter(loader)``) the sampler gives an order of indices, the batch sampler
cuts it into batches, the samples of a batch are fetched with ``dataset[i]`` and ``collate_fn``
joins them: tensors are stacked along a new first dimension, numbers become a tensor, and
tuples, lists and dicts are joined field by field. Everything runs in this process: with
``num_workers > 0`` too (no worker processes are started; see ``DataLoader``).

An ``IterableDataset`` has no indices: its samples are taken in the order it yields them and
cut into batches of ``batch_size``.
"""

from __future__ import annotations

import copy
import itertools
import math
import warnings
from collections.abc import (
    Callable,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    MutableSequence,
    Sequence,
)
from typing import Any

import numpy as np

from ... import backend, cuda
from ...creation import as_tensor, from_numpy, tensor
from ...random import Generator
from ...tensor import Tensor
from ...tensor_functions import stack
from .dataset import Dataset, IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler


def get_worker_info() -> None:
    """Which loader worker is running this code (``torch.utils.data.get_worker_info``):
    always None, PyTorch's answer in the main process, because every sample is loaded in
    this process here. An ``IterableDataset`` that splits its stream between workers by this
    answer therefore yields all of it once, as it does with ``num_workers=0``."""
    return None


class _InfiniteConstantSampler(Sampler):
    """The sampler of an ``IterableDataset``: endless None "indices" (the data decide when to
    stop), as PyTorch's."""

    def __iter__(self) -> Iterator[Any]:
        return itertools.repeat(None)


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


def default_convert(data: Any) -> Any:
    """One sample, uncollated, as PyTorch's ``default_convert`` (used with
    ``batch_size=None``): NumPy arrays and NumPy scalars become tensors, inside dicts, lists
    and namedtuples too; a plain tuple becomes a list; anything else is left as it is."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray | np.generic) and not isinstance(data, np.str_ | np.bytes_):
        if isinstance(data, np.ndarray) and data.dtype.kind in "SaUO":  # strings, objects
            return data
        return as_tensor(data)
    if isinstance(data, Mapping):
        try:
            if isinstance(data, MutableMapping):
                clone = copy.copy(data)
                clone.update({key: default_convert(data[key]) for key in data})
                return clone
            return type(data)({key: default_convert(data[key]) for key in data})  # type: ignore[call-arg]
        except TypeError:  # a mapping type that cannot be built from a dict
            return {key: default_convert(data[key]) for key in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # a namedtuple
        return type(data)(*(default_convert(field) for field in data))
    if isinstance(data, tuple):
        return [default_convert(field) for field in data]  # as PyTorch: a list
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        try:
            if isinstance(data, MutableSequence):
                items = copy.copy(data)
                for i, field in enumerate(data):
                    items[i] = default_convert(field)
                return items
            return type(data)([default_convert(field) for field in data])  # type: ignore[call-arg]
        except TypeError:  # a sequence type that cannot be built from a list
            return [default_convert(field) for field in data]
    return data


class DataLoader:
    """Iterate over ``dataset`` in batches.

    ``shuffle=True`` draws a new order every epoch from ``generator`` (default: the global
    generator, so ``tinygrad_edu.manual_seed`` makes runs repeatable); ``drop_last`` leaves
    out a last, incomplete batch; ``batch_size=None`` yields single samples, through
    ``default_convert``. ``len(loader)`` is the number of batches.

    The multiprocessing options are checked as PyTorch checks them, but every sample is
    loaded in this process, in order: ``num_workers > 0`` gives the same batches in the same
    order as ``num_workers=0``, and starts no worker processes, so ``worker_init_fn`` is never
    called (there is no worker to initialise), and ``prefetch_factor``,
    ``persistent_workers``, ``timeout`` and ``multiprocessing_context`` change nothing.
    ``pin_memory`` is accepted but batches are not page-locked; without a usable GPU it warns
    as PyTorch does without an accelerator.

    An ``IterableDataset`` is read once per epoch and batched in the order it yields;
    ``len(loader)`` then needs the dataset's own ``__len__``. With ``num_workers > 0`` it is
    still read once (``get_worker_info()`` is None), where PyTorch gives each worker a copy.
    """

    def __init__(self, dataset: Dataset[Any], batch_size: int | None = 1,
                 shuffle: bool | None = None, sampler: Sampler | Iterable[int] | None = None,
                 batch_sampler: Iterable[list[int]] | None = None, num_workers: int = 0,
                 collate_fn: Callable[[list[Any]], Any] | None = None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context: Any = None, generator: Generator | None = None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 "
                             "to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in "
                             "multiprocessing.let num_workers > 0 to enable multiprocessing, "
                             "otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = _check_context(multiprocessing_context, num_workers)
        self.in_order = in_order
        self.persistent_workers = persistent_workers
        self._iterable = isinstance(dataset, IterableDataset)
        self._len_called: int | None = None  # len(dataset), once len(loader) asked for it
        if self._iterable:  # the data give the order: PyTorch refuses a shuffle or sampler
            if shuffle not in {False, None}:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified "
                                 f"shuffle option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified "
                                 f"sampler option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        shuffle = bool(shuffle)
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
        if sampler is None and self._iterable:
            sampler = _InfiniteConstantSampler()
        elif sampler is None:
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
        self.pin_memory = pin_memory
        self.collate_fn = collate_fn if collate_fn is not None else (
            default_collate if batch_sampler is not None else default_convert)

    def __iter__(self) -> Iterator[Any]:
        """A new pass over the data (PyTorch's checks and warnings happen here, at
        ``iter(loader)``)."""
        if self.pin_memory and self.pin_memory_device:
            warnings.warn(f"pin_memory_device is deprecated, the current accelerator will be "
                          f"used as the device,ignore pin_memory_device="
                          f"'{self.pin_memory_device}'.", stacklevel=2)
        if self.pin_memory and not cuda.is_available():
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", stacklevel=2)
        if self.num_workers == 0 and self.timeout != 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        return self._batches()

    def _batches(self) -> Iterator[Any]:
        if self._iterable:
            yield from self._stream_batches()
            return
        if self.batch_sampler is None:  # no automatic batching: one sample at a time
            for index in self.sampler:
                yield self.collate_fn(self.dataset[index])
            return
        for indices in self.batch_sampler:
            yield self.collate_fn([self.dataset[i] for i in indices])

    def _stream_batches(self) -> Iterator[Any]:
        """An ``IterableDataset``'s samples, in batches of ``batch_size`` (one at a time for
        None); warns, as PyTorch, once more batches come than ``len(loader)`` promised."""
        samples = iter(self.dataset)  # type: ignore[call-overload]
        count = 0
        while True:
            if self.batch_size is None:
                try:
                    batch = self.collate_fn(next(samples))
                except StopIteration:
                    return
            else:
                chunk = list(itertools.islice(samples, self.batch_size))
                if not chunk or (self.drop_last and len(chunk) < self.batch_size):
                    return
                batch = self.collate_fn(chunk)
            count += 1
            if self._len_called is not None and count > self._len_called:
                warnings.warn(f"Length of IterableDataset {self.dataset} was reported to be "
                              f"{self._len_called}(when accessing len(dataloader)), but "
                              f"{count} samples have been fetched. ", stacklevel=3)
            yield batch

    def __len__(self) -> int:
        if self._iterable:  # only the dataset can tell (a TypeError if it has no __len__)
            length = self._len_called = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is not None:
                length = (length // self.batch_size if self.drop_last
                          else math.ceil(length / self.batch_size))
            return length
        if self.batch_sampler is not None:
            return len(self.batch_sampler)  # type: ignore[arg-type]
        return len(self.sampler)  # type: ignore[arg-type]


def _check_context(context: Any, num_workers: int) -> Any:
    """PyTorch's checks of ``multiprocessing_context``; a start method's name becomes its
    context (nothing is started)."""
    if context is None:
        return None
    import multiprocessing  # only here: importing it costs more than the rest of this module

    if num_workers == 0:
        raise ValueError(f"multiprocessing_context can only be used with multi-process "
                         f"loading (num_workers > 0), but got num_workers={num_workers}")
    if isinstance(context, str):
        methods = multiprocessing.get_all_start_methods()
        if context not in methods:
            raise ValueError(f"multiprocessing_context option should specify a valid start "
                             f"method in {methods!r}, but got "
                             f"multiprocessing_context={context!r}")
        context = multiprocessing.get_context(context)
    if not isinstance(context, multiprocessing.context.BaseContext):
        raise TypeError(f"multiprocessing_context option should be a valid context object or "
                        f"a string specifying the start method, but got "
                        f"multiprocessing_context={context}")
    return context

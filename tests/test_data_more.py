"""More of torch.utils.data, against torch itself: the multiprocessing options of the
DataLoader (accepted and checked as PyTorch checks them; loading stays in this process, with
the same batches in the same order), ``pin_memory``, ``timeout``, and ``batch_size=None``
through ``default_convert``."""

from __future__ import annotations

import inspect
import multiprocessing
import warnings
from collections import namedtuple
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.utils.data as torch_data
from helpers import to_numpy

import tinygrad_edu as tg
from tinygrad_edu.utils import data as our_data

Point = namedtuple("Point", ["x", "y"])


def _data(lib: Any) -> Any:
    return our_data if lib is tg else torch_data


def _dataset(lib: Any, n: int = 10) -> Any:
    x = lib.arange(n * 2, dtype=lib.float32).reshape(n, 2)
    return _data(lib).TensorDataset(x, lib.arange(n))


def _labels(loader: Any) -> list[list[int]]:
    return [y.tolist() for _, y in loader]


def _plain(value: Any) -> Any:
    """A structure of tensors as plain Python (type names kept), for comparing libraries."""
    if isinstance(value, tg.Tensor | torch.Tensor):
        return ("tensor", to_numpy(value).tolist(), str(value.dtype).rsplit(".", 1)[-1])
    if isinstance(value, np.ndarray):
        return ("ndarray", value.tolist())
    if isinstance(value, dict):
        return (type(value).__name__, {key: _plain(v) for key, v in value.items()})
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_plain(v) for v in value])
    return value


# ------------------------------------------------------------------ workers, in this process


@pytest.mark.parametrize("options", [
    {"num_workers": 2},
    {"num_workers": 3, "prefetch_factor": 4, "persistent_workers": True},
    {"num_workers": 1, "timeout": 5.0, "prefetch_factor": 0},
    {"num_workers": 2, "multiprocessing_context": "spawn"},
], ids=str)
@pytest.mark.parametrize("shuffle", [False, True])
def test_workers_give_the_batches_of_num_workers_0(options: dict[str, Any],
                                                   shuffle: bool) -> None:
    """A deliberate difference: no worker processes; the same batches, in the same order."""
    def epochs(**kwargs: Any) -> list[list[list[int]]]:
        loader = our_data.DataLoader(_dataset(tg, 11), batch_size=3, shuffle=shuffle,
                                     generator=tg.Generator().manual_seed(7), **kwargs)
        return [_labels(loader) for _ in range(3)]
    with_workers, without = epochs(**options), epochs()
    assert with_workers == without
    assert sorted(i for batch in with_workers[0] for i in batch) == list(range(11))


def test_worker_options_are_kept_like_torch() -> None:
    def worker_init(worker_id: int) -> None:
        raise AssertionError("there are no workers to initialise")

    def attributes(lib: Any, **options: Any) -> list[Any]:
        loader = _data(lib).DataLoader(_dataset(lib), **options)
        context = loader.multiprocessing_context
        return [loader.num_workers, loader.prefetch_factor, loader.persistent_workers,
                loader.timeout, loader.worker_init_fn, loader.pin_memory_device,
                loader.in_order, None if context is None else context.get_start_method()]
    for options in ({}, {"num_workers": 2}, {"num_workers": 2, "prefetch_factor": 5},
                    {"num_workers": 2, "persistent_workers": True, "timeout": 2.5,
                     "worker_init_fn": worker_init, "multiprocessing_context": "spawn",
                     "in_order": False}):
        assert attributes(tg, **options) == attributes(torch, **options)
    loader = our_data.DataLoader(_dataset(tg), batch_size=4, num_workers=2,
                                 worker_init_fn=worker_init)
    assert _labels(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]  # never called


def test_context_object_is_kept() -> None:
    context = multiprocessing.get_context("spawn")
    loader = our_data.DataLoader(_dataset(tg), num_workers=1, multiprocessing_context=context)
    assert loader.multiprocessing_context is context


@pytest.mark.parametrize("options", [
    {"num_workers": -1},
    {"timeout": -1},
    {"prefetch_factor": 2},
    {"num_workers": 0, "prefetch_factor": 0},
    {"num_workers": 1, "prefetch_factor": -1},
    {"persistent_workers": True},
    {"multiprocessing_context": "spawn"},
    {"num_workers": 1, "multiprocessing_context": "teleport"},
    {"num_workers": 1, "multiprocessing_context": 3},
    {"sampler": [0, 1], "shuffle": True},
    {"batch_sampler": [[0]], "drop_last": True},
    {"batch_size": None, "drop_last": True},
], ids=str)
def test_bad_options_raise_torch_errors(options: dict[str, Any]) -> None:
    with pytest.raises((ValueError, TypeError)) as theirs:
        torch_data.DataLoader(_dataset(torch), **options)
    with pytest.raises((ValueError, TypeError)) as ours:
        our_data.DataLoader(_dataset(tg), **options)
    assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


def test_timeout_without_workers_fails_at_iter_like_torch() -> None:
    messages = []
    for lib in (torch, tg):
        loader = _data(lib).DataLoader(_dataset(lib), timeout=1.0)
        with pytest.raises(AssertionError) as info:
            iter(loader)
        messages.append(str(info.value))
    assert messages[0] == messages[1] == "_SingleProcessDataLoaderIter requires timeout == 0"


def test_pin_memory_warns_like_torch_without_a_gpu() -> None:
    """Batches are never page-locked here; without a usable GPU, PyTorch's warning."""
    def caught(lib: Any, **options: Any) -> tuple[list[str], Any]:
        loader = _data(lib).DataLoader(_dataset(lib), batch_size=4, pin_memory=True, **options)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            batches = _labels(loader)
        return [str(w.message) for w in seen], batches
    ours, ours_batches = caught(tg, pin_memory_device="cuda")
    theirs, theirs_batches = caught(torch, pin_memory_device="cuda")
    assert ours_batches == theirs_batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert ours[0] == theirs[0]  # pin_memory_device is deprecated
    no_gpu = "'pin_memory' argument is set as true but no accelerator is found"
    if tg.cuda.is_available():
        assert not any(no_gpu in text for text in ours)
    else:
        assert any(no_gpu in text for text in theirs) and ours == theirs


def test_signature_is_torch_signature() -> None:
    def shape(function: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
        return [(p.name, p.kind, p.default)
                for p in inspect.signature(function).parameters.values()]
    assert shape(our_data.DataLoader.__init__) == shape(torch_data.DataLoader.__init__)
    assert shape(our_data.default_convert) == shape(torch_data.default_convert)


# ------------------------------------------------------------------ batch_size=None


class _Samples:
    """A map-style dataset of mixed samples (built for either library)."""

    def __init__(self, lib: Any) -> None:
        self.lib = lib

    def __len__(self) -> int:
        return 3

    def __getitem__(self, i: int) -> Any:
        lib = self.lib
        return [
            (np.float64(i), np.arange(2) + i, i, (1, 2)),
            {"image": np.full((2,), i, dtype=np.float32), "label": np.int64(i), "name": str(i),
             "pair": Point(np.int32(i), [np.bool_(i % 2)])},
            (lib.tensor([i, i + 1]), lib.tensor(i / 2)),
        ][i]


def test_batch_size_none_yields_what_torch_yields() -> None:
    ours_dataset: Any = _Samples(tg)  # a plain class, as a map-style dataset may be
    theirs_dataset: Any = _Samples(torch)
    ours = list(our_data.DataLoader(ours_dataset, batch_size=None))
    theirs = list(torch_data.DataLoader(theirs_dataset, batch_size=None))
    assert _plain(ours) == _plain(theirs)
    assert isinstance(ours[0], list) and isinstance(ours[1]["pair"], Point)


@pytest.mark.parametrize("sample", [
    (1, "a", 2.5),
    [np.arange(3), np.array(["a", "b"]), b"x"],
    {"a": (np.float32(1.5),), "b": [np.zeros((2, 2))]},
    Point(np.array([1, 2]), (3, np.int16(4))),
    np.array([[1.0, 2.0]]),
    np.bool_(True),
    "text",
    range(3),
], ids=lambda sample: type(sample).__name__)
def test_default_convert_matches_torch(sample: Any) -> None:
    assert _plain(our_data.default_convert(sample)) == _plain(torch_data.default_convert(sample))


def test_default_convert_keeps_tensors_and_shares_numpy_memory() -> None:
    t = tg.ones(2)
    assert our_data.default_convert(t) is t
    array = np.zeros(3)
    converted = our_data.default_convert(array)
    array[0] = 5.0
    assert converted.tolist() == [5.0, 0.0, 0.0]

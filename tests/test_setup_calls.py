"""The calls at the top of a notebook, and the old idioms of the seed posts, against PyTorch.

Legacy tensor types (``torch.FloatTensor([1, 2])``, ``x.type(torch.LongTensor)``,
``x.type()``), ``set_default_dtype``, ``inference_mode``, the seeding boilerplate
(``torch.cuda.manual_seed_all``, ``use_deterministic_algorithms``, ``set_num_threads``,
``torch.cuda.get_device_name``), ``torch.save`` into a missing folder, ``np.asarray`` of a
tensor that requires grad, and the rest of ``torch.utils.data`` (``ConcatDataset``,
``IterableDataset``, ``SubsetRandomSampler``, ``WeightedRandomSampler``,
``get_worker_info``).
"""

from __future__ import annotations

import pathlib
import re
import types
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import torch
import torch.utils.data as torch_data
from helpers import OURS, OURS_DEVICE, check_parity, dtype_name, to_numpy
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
import tinygrad_edu.utils.data as tg_data
from tinygrad_edu import cuda as tg_cuda
from tinygrad_edu import random as tg_random

SETTINGS = settings(max_examples=20, deadline=None)
LIBS = (tg, torch)
# PyTorch's own __array__ lacks NumPy 2's `copy` keyword, and NumPy says so
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


@pytest.fixture(autouse=True)
def _restore_process_settings() -> Iterator[None]:
    """These calls change process-wide settings in both libraries: put them back."""
    threads = torch.get_num_threads()
    yield
    for lib in LIBS:
        lib.set_default_dtype(lib.float32)
        lib.use_deterministic_algorithms(False)
    torch.set_num_threads(threads)
    tg.set_num_threads(threads)


def both_raise(code: Callable[[Any], Any], error: type[Exception], exact: bool = True,
               first_line: bool = False) -> str:
    """``code(lib)`` raises ``error`` in both libraries with the same message (or the same
    first line); returns ours."""
    messages = []
    for lib in LIBS:
        with pytest.raises(error) as info:
            code(lib)
        messages.append(str(info.value))
    ours, theirs = messages
    if first_line:
        ours, theirs = ours.splitlines()[0], theirs.splitlines()[0]
    if exact:
        assert ours.replace("tinygrad_edu", "torch") == theirs, f"{ours!r} != {theirs!r}"
    return messages[0]


def same_repr(ours: Any, theirs: Any) -> None:
    """The same text, but for our names (README), which may move a suffix to a new line."""
    mine = repr(ours).replace("tinygrad_edu.", "torch.")
    if mine != repr(theirs):
        assert re.sub(r",\n *(?=dtype=)", ", ", mine) == repr(theirs)


# ------------------------------------------------------------------ legacy tensor types

TYPES = {"FloatTensor": "float32", "DoubleTensor": "float64", "HalfTensor": "float16",
         "LongTensor": "int64", "IntTensor": "int32", "ShortTensor": "int16",
         "CharTensor": "int8", "ByteTensor": "uint8", "BoolTensor": "bool"}

DATA: list[Any] = [
    [1, 2],
    [[1.5, 2.7], [3.0, 0.4]],
    [True, False],
    (1, 2, 0),
    [],
    [[1], [0]],
    np.array([1, 2, 3]),
    np.array([[0.5, 1.0]], dtype=np.float64),
    np.array([2.0, 0.0], dtype=np.float32),
    np.array(3.0),
]


@pytest.mark.parametrize("name", TYPES)
def test_legacy_constructor_converts_data_like_torch(name: str) -> None:
    for data in DATA:
        ours = getattr(tg, name)(data)
        theirs = getattr(torch, name)(data)
        assert dtype_name(ours.dtype) == dtype_name(theirs.dtype) == TYPES[name]
        assert tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_array_equal(to_numpy(ours), to_numpy(theirs))
        same_repr(ours, theirs)
        assert not ours.requires_grad and ours.is_leaf


@pytest.mark.parametrize("name", TYPES)
def test_legacy_constructor_with_sizes_gives_uninitialised_memory(name: str) -> None:
    for args in [(2, 3), (4,), (tg.Size([2, 1, 3]),), (np.int64(3),), (0,), (2, True), ()]:
        ours = getattr(tg, name)(*args)
        torch_args = tuple(torch.Size(a) if isinstance(a, tg.Size) else a for a in args)
        theirs = getattr(torch, name)(*torch_args)
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert dtype_name(ours.dtype) == TYPES[name] and ours.device.type == "cpu"
    same_repr(getattr(tg, name)(), getattr(torch, name)())


def test_legacy_constructor_shares_memory_of_its_own_dtype() -> None:
    """An array or tensor already of the type's dtype is not copied, as in PyTorch."""
    array = np.array([1.0, 2.0], dtype=np.float32)
    for lib in LIBS:
        lib.FloatTensor(array)[0] = 5.0
    assert array[0] == 5.0
    ours = tg.tensor([[1.0, 2.0], [3.0, 4.0]]).t()  # not contiguous: still the same memory
    alias = tg.FloatTensor(ours)
    alias[0, 1] = 9.0
    assert ours[0, 1].item() == 9.0 and alias is not ours
    converted = tg.DoubleTensor(array)  # another dtype: a copy
    converted[1] = 7.0
    assert array[1] == 2.0


def test_legacy_constructor_keeps_the_gradient_path() -> None:
    """``FloatTensor(t)`` of a float tensor that requires grad is a view in the graph (its
    grad_fn is our slice's name, PyTorch's is AliasBackward0); a cuda tensor is refused."""
    values = np.array([1.0, -2.0], dtype=np.float32)
    if OURS_DEVICE == "cpu":
        check_parity(lambda t: tg.FloatTensor(t) * t, lambda t: torch.FloatTensor(t) * t,
                     values, rtol=1e-6, atol=1e-6)
    else:
        with pytest.raises(TypeError, match="expected TensorOptions"):
            tg.FloatTensor(OURS.tensor(values))


@pytest.mark.parametrize("name", TYPES)
def test_isinstance_checks_dtype_and_device(name: str) -> None:
    for dtype in TYPES.values():
        ours = tg.zeros(2, dtype=getattr(tg, dtype))
        theirs = torch.zeros(2, dtype=getattr(torch, dtype))
        assert isinstance(ours, getattr(tg, name)) == isinstance(theirs, getattr(torch, name))
        assert isinstance(ours, getattr(tg, name)) == (dtype == TYPES[name])
    assert not isinstance([1.0], getattr(tg, name))
    assert not issubclass(getattr(tg, name), tg.Tensor)
    assert getattr(tg, name).dtype is getattr(tg, TYPES[name])
    assert getattr(tg, name).is_cuda is False
    assert repr(getattr(tg, name)) == f"<class 'tinygrad_edu.{name}'>"  # PyTorch: torch.
    assert getattr(tg, name).__name__ == getattr(torch, name).__name__ == name


def test_isinstance_of_graph_tensors_and_parameters() -> None:
    leaf = tg.ones(2, requires_grad=True)
    assert isinstance(leaf, tg.FloatTensor) and isinstance(leaf * 2, tg.FloatTensor)
    assert isinstance(tg.nn.Parameter(tg.ones(2)), tg.FloatTensor)
    assert isinstance(torch.nn.Parameter(torch.ones(2)), torch.FloatTensor)
    if OURS_DEVICE == "cuda":  # a cuda tensor is no cpu FloatTensor, as in PyTorch
        assert not isinstance(OURS.ones(2), tg.FloatTensor)


def test_legacy_constructor_errors_are_torchs() -> None:
    both_raise(lambda lib: lib.FloatTensor(2.5), TypeError)
    both_raise(lambda lib: lib.FloatTensor(True), TypeError)
    both_raise(lambda lib: lib.FloatTensor(None), TypeError)
    both_raise(lambda lib: lib.FloatTensor("a"), TypeError)
    both_raise(lambda lib: lib.FloatTensor(2, 3.0), TypeError)
    both_raise(lambda lib: lib.FloatTensor(2, [3]), TypeError)
    both_raise(lambda lib: lib.FloatTensor([1], device="cuda"), RuntimeError)
    both_raise(lambda lib: lib.LongTensor(lib.zeros(1)), TypeError)
    both_raise(lambda lib: lib.FloatTensor(lib.zeros(1, dtype=lib.float64)), TypeError)
    both_raise(lambda lib: lib.FloatTensor(lib.zeros(1, dtype=lib.bool)), TypeError)
    both_raise(lambda lib: lib.FloatTensor([1, 2], requires_grad=True), TypeError,
               first_line=True)
    both_raise(lambda lib: lib.FloatTensor(2, 3, dtype=lib.float64), TypeError,
               first_line=True)
    both_raise(lambda lib: lib.FloatTensor(lib.Size([2]), 3), TypeError, first_line=True)
    both_raise(lambda lib: lib.FloatTensor(np.array([1, 2]), 2), TypeError, first_line=True)
    message = both_raise(lambda lib: lib.FloatTensor(-1), RuntimeError, exact=False)
    assert "negative dimension" in message
    assert tg.FloatTensor([1.0], device="cpu").tolist() == [1.0]


# ------------------------------------------------------------------------- Tensor.type


@pytest.mark.parametrize("dtype", TYPES.values())
def test_type_without_argument_is_torchs_string(dtype: str) -> None:
    """``x.type()`` says ``torch.``, so ``x.type() == 'torch.FloatTensor'`` works."""
    theirs = torch.zeros(2, dtype=getattr(torch, dtype)).type()
    ours = OURS.zeros(2, dtype=getattr(tg, dtype)).type()
    assert ours == (theirs if OURS_DEVICE == "cpu" else theirs.replace("torch.", "torch.cuda."))


@pytest.mark.parametrize("target", TYPES)
def test_type_with_a_legacy_class_converts_like_torch(target: str) -> None:
    values = np.array([[0.0, 1.5], [-2.7, 3.0]])
    for source in ("float32", "float64", "int64"):
        ours = tg.tensor(values.astype(source)).type(getattr(tg, target))
        theirs = torch.tensor(values.astype(source)).type(getattr(torch, target))
        assert dtype_name(ours.dtype) == dtype_name(theirs.dtype) == TYPES[target]
        np.testing.assert_array_equal(to_numpy(ours), to_numpy(theirs))
        same = tg.zeros(2, dtype=getattr(tg, TYPES[target]))
        assert same.type(getattr(tg, target)) is same
        by_keyword = tg.tensor(values.astype(source)).type(dtype=getattr(tg, target))
        assert dtype_name(by_keyword.dtype) == TYPES[target]


def test_type_of_the_cpu_class_moves_to_the_cpu() -> None:
    moved = OURS.ones(2).type(tg.DoubleTensor)
    assert moved.device.type == "cpu" and dtype_name(moved.dtype) == "float64"


def test_type_with_tensor_means_the_default_type() -> None:
    for lib in LIBS:
        ints = lib.tensor([1, 2])
        assert dtype_name(ints.type(lib.Tensor).dtype) == "float32"
        assert dtype_name(ints.type("torch.Tensor").dtype) == "float32"
        lib.set_default_dtype(lib.float64)
        assert dtype_name(ints.type(lib.Tensor).dtype) == "float64"
        lib.set_default_dtype(lib.float32)


def test_type_gradient_through_a_legacy_class() -> None:
    grads = []
    for lib in LIBS:
        x = lib.tensor([1.25, -2.5], requires_grad=True)
        y = x.type(lib.DoubleTensor) * x.double()
        assert dtype_name(y.dtype) == "float64" and y.requires_grad
        y.backward(lib.tensor([0.5, -1.5], dtype=lib.float64))
        grads.append(x.grad)
    assert dtype_name(grads[0].dtype) == dtype_name(grads[1].dtype) == "float32"
    np.testing.assert_array_equal(to_numpy(grads[0]), to_numpy(grads[1]))


def test_type_errors_are_torchs() -> None:
    both_raise(lambda lib: lib.zeros(2).type(int), ValueError)
    both_raise(lambda lib: lib.zeros(2).type(float), ValueError)
    both_raise(lambda lib: lib.zeros(2).type(np.float32), ValueError)
    both_raise(lambda lib: lib.zeros(2).type("torch.float64"), ValueError)
    both_raise(lambda lib: lib.zeros(2).type(3.5), TypeError)
    both_raise(lambda lib: lib.zeros(2).type([1]), TypeError)


def test_the_audit_repro_02() -> None:
    for lib in LIBS:
        x = lib.tensor([1, 2])
        assert x.type() == "torch.LongTensor"
        assert x.type("torch.FloatTensor").tolist() == [1.0, 2.0]
        joined = lib.cat((lib.zeros(2), lib.ones(2))).type(lib.LongTensor)
        assert joined.tolist() == [0, 0, 1, 1] and dtype_name(joined.dtype) == "int64"
        assert tuple(lib.LongTensor(3).shape) == (3,)
    same_repr(tg.FloatTensor([1, 2]), torch.FloatTensor([1, 2]))


# ------------------------------------------------------------------------ default dtype


def _made(lib: Any) -> dict[str, Any]:
    """Everything whose dtype the default float decides (or does not)."""
    return {
        "tensor": lib.tensor([1.5]),
        "scalar": lib.tensor(2.5),
        "nested": lib.tensor([[1, 2.5]]),
        "ints": lib.tensor([1, 2]),
        "float32 asked": lib.tensor([1.5], dtype=lib.float32),
        "zeros": lib.zeros(2),
        "ones": lib.ones(2, 2),
        "empty": lib.empty(3),
        "full float": lib.full((2,), 1.5),
        "full int": lib.full((2,), 1),
        "rand": lib.rand(2),
        "randn": lib.randn(2),
        "arange float": lib.arange(3.0),
        "arange int": lib.arange(3),
        "linspace": lib.linspace(0, 1, 3),
        "eye": lib.eye(2),
        "int / int": lib.tensor([1, 2]) / 2,
        "int * float": lib.tensor([1]) * 1.5,
        "bool + float": lib.tensor(True) + 0.5,
        "float()": lib.tensor([1, 2]).float(),
        "Linear": lib.nn.Linear(2, 2).weight,
        "numpy float64": lib.tensor(np.array([1.5])),
    }


@pytest.mark.parametrize("default", ["float32", "float64", "float16"])
def test_default_dtype_decides_what_floats_become(default: str) -> None:
    for lib in LIBS:
        lib.set_default_dtype(getattr(lib, default))
        assert lib.get_default_dtype() is getattr(lib, default)
    ours, theirs = _made(tg), _made(torch)
    for key in ours:
        assert dtype_name(ours[key].dtype) == dtype_name(theirs[key].dtype), key
    assert dtype_name(ours["tensor"].dtype) == default
    same_repr(tg.tensor([1.5, 2.0]), torch.tensor([1.5, 2.0]))


def test_default_dtype_starts_as_float32_and_is_restored() -> None:
    assert tg.get_default_dtype() is tg.float32
    assert dtype_name(torch.get_default_dtype()) == "float32"
    tg.set_default_dtype(tg.float64)
    tg.set_default_dtype(tg.float32)
    assert dtype_name(tg.tensor([1.5]).dtype) == "float32"


def test_the_audit_repro_28() -> None:
    for lib in LIBS:
        assert dtype_name(lib.get_default_dtype()) == "float32"
        lib.set_default_dtype(lib.float64)
        assert dtype_name(lib.tensor([1.5]).dtype) == "float64"
    assert repr(tg.get_default_dtype()) == "tinygrad_edu.float64"


def test_default_dtype_errors_are_torchs() -> None:
    for dtype in ("int64", "int32", "bool", "uint8"):
        both_raise(lambda lib, d=dtype: lib.set_default_dtype(getattr(lib, d)), TypeError)
    both_raise(lambda lib: lib.set_default_dtype("float64"), TypeError)
    both_raise(lambda lib: lib.set_default_dtype(None), TypeError)
    assert tg.get_default_dtype() is tg.float32  # a refused call changes nothing


# ----------------------------------------------------------------------- inference_mode


def test_inference_mode_records_nothing_like_torch() -> None:
    for lib in LIBS:
        x = lib.ones(2, requires_grad=True)
        assert not lib.is_inference_mode_enabled()
        with lib.inference_mode():
            y = x * 2
            assert lib.is_inference_mode_enabled() and not lib.is_grad_enabled()
        assert not y.requires_grad and y.grad_fn is None
        assert lib.is_grad_enabled() and not lib.is_inference_mode_enabled()
        assert (x * 2).requires_grad


def test_inference_mode_false_records_again() -> None:
    """``inference_mode(False)`` switches grad mode on, as PyTorch's, even in ``no_grad``."""
    for lib in LIBS:
        x = lib.ones(2, requires_grad=True)
        with lib.no_grad():
            with lib.inference_mode(False):
                assert lib.is_grad_enabled() and not lib.is_inference_mode_enabled()
                assert (x * 2).requires_grad
            with lib.inference_mode():
                with lib.inference_mode(mode=False):
                    assert lib.is_grad_enabled() and not lib.is_inference_mode_enabled()
                assert lib.is_inference_mode_enabled()
            assert not lib.is_grad_enabled()
        assert lib.inference_mode().mode is True and lib.inference_mode(False).mode is False


def test_inference_mode_restores_after_an_exception() -> None:
    for lib in LIBS:
        with pytest.raises(KeyError), lib.inference_mode():
            raise KeyError("inside")
        assert lib.is_grad_enabled() and not lib.is_inference_mode_enabled()


@pytest.mark.parametrize("lib", LIBS, ids=["tinygrad_edu", "torch"])
def test_inference_mode_as_a_decorator(lib: Any) -> None:
    x = lib.ones(2, requires_grad=True)

    @lib.inference_mode()
    def doubled(a: Any) -> Any:
        """Twice ``a``."""
        return a * 2

    @lib.inference_mode
    def tripled(a: Any) -> Any:
        assert lib.is_inference_mode_enabled()
        return a * 3

    @lib.inference_mode(False)
    def recorded(a: Any) -> Any:
        return a * 4

    assert not doubled(x).requires_grad and not tripled(x).requires_grad
    assert doubled.__name__ == "doubled" and doubled.__doc__ == "Twice ``a``."
    with lib.no_grad():
        assert recorded(x).requires_grad
    assert not lib.is_inference_mode_enabled()


def test_the_audit_repro_14() -> None:
    for lib in LIBS:
        with lib.inference_mode():
            y = lib.ones(2, requires_grad=True) * 2
        assert y.requires_grad is False


# ------------------------------------------------------------------- seeding boilerplate


def test_the_usual_set_seed_helper_runs_in_both() -> None:
    for lib in LIBS:
        lib.manual_seed(0)
        lib.cuda.manual_seed(0)
        lib.cuda.manual_seed_all(0)
        lib.backends.cudnn.deterministic = True
        lib.backends.cudnn.benchmark = False
        lib.use_deterministic_algorithms(True)
        assert lib.are_deterministic_algorithms_enabled()
    tg.backends.cudnn.deterministic = False
    torch.backends.cudnn.deterministic = False


@pytest.mark.parametrize("seeding", ["manual_seed", "manual_seed_all"])
def test_cuda_seeding_seeds_the_one_generator(seeding: str) -> None:
    """One generator serves every device here (README), so seeding the GPU's seeds it."""
    tg.manual_seed(123)
    expected = to_numpy(OURS.rand(4))
    tg.manual_seed(7)
    getattr(tg.cuda, seeding)(123)
    np.testing.assert_array_equal(to_numpy(OURS.rand(4)), expected)
    assert tg.initial_seed() == 123
    tg.manual_seed(0)


def test_manual_seed_accepts_what_torch_accepts() -> None:
    for seed, initial in [(-1, 2**64 - 1), (2**64 - 1, 2**64 - 1), (-(2**63), 2**63), (1.5, 1),
                          (True, 1), ("12", 12), (np.int64(5), 5)]:
        for lib in LIBS:
            assert lib.manual_seed(seed).initial_seed() == initial, (lib.__name__, seed)
            assert lib.initial_seed() == initial
    tg.manual_seed(-1)
    first = to_numpy(OURS.rand(3))
    tg.manual_seed(2**64 - 1)
    np.testing.assert_array_equal(to_numpy(OURS.rand(3)), first)  # the same seed
    for lib in LIBS:
        lib.manual_seed(0)


def test_manual_seed_errors_are_torchs() -> None:
    both_raise(lambda lib: lib.manual_seed(2**64), ValueError)
    both_raise(lambda lib: lib.manual_seed(-(2**63) - 1), ValueError)
    both_raise(lambda lib: lib.manual_seed(None), TypeError)
    both_raise(lambda lib: lib.manual_seed("a"), ValueError)
    both_raise(lambda lib: lib.Generator().manual_seed(1.5), RuntimeError)
    both_raise(lambda lib: lib.Generator().manual_seed(True), RuntimeError)
    both_raise(lambda lib: lib.Generator().manual_seed("3"), RuntimeError)
    both_raise(lambda lib: lib.Generator().manual_seed(np.float64(2.0)), RuntimeError)
    assert tg.Generator().manual_seed(-1).initial_seed() == 2**64 - 1
    for lib in LIBS:
        lib.manual_seed(0)


def test_deterministic_algorithms_are_recorded_like_torch() -> None:
    for lib in LIBS:
        assert not lib.are_deterministic_algorithms_enabled()
        assert not lib.is_deterministic_algorithms_warn_only_enabled()
        lib.use_deterministic_algorithms(True, warn_only=True)
        assert lib.are_deterministic_algorithms_enabled()
        assert lib.is_deterministic_algorithms_warn_only_enabled()
        lib.use_deterministic_algorithms(False)
        assert not lib.are_deterministic_algorithms_enabled()
        assert not lib.is_deterministic_algorithms_warn_only_enabled()
    both_raise(lambda lib: lib.use_deterministic_algorithms(1), TypeError)
    both_raise(lambda lib: lib.use_deterministic_algorithms("yes"), TypeError)
    both_raise(lambda lib: lib.use_deterministic_algorithms(None), TypeError)
    both_raise(lambda lib: lib.use_deterministic_algorithms(True, warn_only=1), TypeError)
    assert not tg.are_deterministic_algorithms_enabled()  # a refused call changes nothing


def test_num_threads_is_recorded_like_torch() -> None:
    assert tg.get_num_threads() >= 1
    for lib in LIBS:
        lib.set_num_threads(3)
        assert lib.get_num_threads() == 3
    for bad in (0, -1):
        both_raise(lambda lib, n=bad: lib.set_num_threads(n), RuntimeError)
    for bad_type in (2.5, "2", True, None):
        both_raise(lambda lib, n=bad_type: lib.set_num_threads(n), RuntimeError)
    assert tg.get_num_threads() == 3


class _FakeCuPy:
    """What ``get_device_name`` reads from CuPy: two GPUs, the current one is 0."""

    def __init__(self) -> None:
        names = [b"NVIDIA Fake 80GB", b"NVIDIA Other"]
        runtime = types.SimpleNamespace(getDeviceCount=lambda: 2,
                                        getDeviceProperties=lambda i: {"name": names[i]})
        self.cuda = types.SimpleNamespace(runtime=runtime,
                                          Device=lambda: types.SimpleNamespace(id=0))


def test_get_device_name_and_current_device_read_cupy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tg_cuda._probe, "result", tg_cuda.Probe(_FakeCuPy(), 2, ""))  # type: ignore[arg-type]
    assert tg.cuda.current_device() == 0
    assert tg.cuda.get_device_name() == "NVIDIA Fake 80GB"
    assert tg.cuda.get_device_name(1) == "NVIDIA Other"
    assert tg.cuda.get_device_name("cuda:1") == "NVIDIA Other"
    assert tg.cuda.get_device_name("cuda") == "NVIDIA Fake 80GB"
    assert tg.cuda.get_device_name(tg.device("cuda", 1)) == "NVIDIA Other"
    # PyTorch's errors (torch/cuda/__init__.py, torch/cuda/_utils.py)
    with pytest.raises(AssertionError, match=r"^Invalid device id$"):
        tg.cuda.get_device_name(2)
    with pytest.raises(AssertionError, match=r"^Invalid device id$"):
        tg.cuda.get_device_name(-1)
    with pytest.raises(ValueError, match=r"^Expected a cuda device, but got: cpu$"):
        tg.cuda.get_device_name("cpu")
    with pytest.raises(ValueError, match=r"^Expected a cuda device, but got: cpu$"):
        tg.cuda.get_device_name(tg.device("cpu"))


def test_get_device_name_without_a_gpu_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    reason = "CuPy is not installed (test). Install it."
    monkeypatch.setattr(tg_cuda._probe, "result", tg_cuda.Probe(None, 0, reason))
    for call in (tg.cuda.get_device_name, tg.cuda.current_device):
        with pytest.raises(RuntimeError, match="CUDA is not available: CuPy is not installed"):
            call()
    # PyTorch (a cpu-only build) raises too; seeding works without a GPU in both
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        torch.cuda.get_device_name()
    tg.cuda.manual_seed_all(0)


# --------------------------------------------------------------------- torch.save folder


def test_save_into_a_missing_folder_is_torchs_error(tmp_path: pathlib.Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    monkeypatch.chdir(tmp_path)
    for target in (tmp_path / "missing" / "x.pt", str(tmp_path / "missing" / "x.pt"),
                   "nodir/sub/x.pt", str(a_file / "x.pt")):
        message = both_raise(lambda lib, f=target: lib.save(lib.tensor([1.0]), f),
                             RuntimeError)
        assert message.startswith("Parent directory ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]  # nothing was written
    for lib in LIBS:  # no folder in the name: the current one
        lib.save(lib.tensor([1.0]), f"here_{lib.__name__}.pt")
    assert tg.load("here_tinygrad_edu.pt").tolist() == [1.0]


# -------------------------------------------------------------------- np.asarray(tensor)


@pytest.mark.parametrize("convert", [np.array, np.asarray, lambda t: np.array([t, t])],
                         ids=["array", "asarray", "list"])
def test_numpy_conversion_refuses_a_tensor_that_requires_grad(convert: Any) -> None:
    for lib in LIBS:
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(RuntimeError, match=r"^Can't call numpy\(\) on Tensor that requires "
                                               r"grad. Use tensor.detach\(\).numpy\(\) "
                                               r"instead.$"):
            convert(w * 2)
        with pytest.raises(RuntimeError, match="requires grad"):
            convert(w)
        with lib.no_grad():  # PyTorch checks grad mode: allowed here
            np.testing.assert_array_equal(np.asarray(convert(w)).reshape(-1)[:2], [1.0, 2.0])
        np.testing.assert_array_equal(convert(w.detach()).reshape(-1)[:2], [1.0, 2.0])


def test_numpy_conversion_values_dtype_and_memory() -> None:
    ours, theirs = tg.tensor([1.5, 2.5]), torch.tensor([1.5, 2.5])
    for convert in (np.array, np.asarray):
        np.testing.assert_array_equal(convert(ours), convert(theirs))
        assert convert(ours).dtype == convert(theirs).dtype == np.float32
        assert convert(ours, dtype=np.int64).tolist() == convert(theirs, dtype=np.int64).tolist()
    np.asarray(ours)[0] = 9.0  # shares memory, as PyTorch's
    assert ours[0].item() == 9.0
    np.array(ours)[1] = 7.0  # np.array copies
    assert ours[1].item() == 2.5
    np.asarray(ours, copy=True)[1] = 7.0
    assert ours[1].item() == 2.5
    assert np.shares_memory(np.asarray(ours, copy=False), ours.numpy())
    assert np.float64(tg.tensor(2.5)) == 2.5 == np.float64(torch.tensor(2.5))


def test_numpy_conversion_of_a_cuda_tensor_names_cpu() -> None:
    """Our cuda tensor (a real GPU or the stand-in): PyTorch's TypeError, also when it
    requires grad (PyTorch checks the device first)."""
    if OURS_DEVICE == "cpu":
        np.testing.assert_array_equal(np.asarray(OURS.ones(2)), [1.0, 1.0])
        return
    for t in (OURS.ones(2), OURS.ones(2, requires_grad=True)):
        with pytest.raises(TypeError, match=r"can't convert cuda:0 device type tensor to "
                                            r"numpy. Use Tensor.cpu\(\)"):
            np.asarray(t)


def test_the_audit_repro_26() -> None:
    for lib in LIBS:
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(RuntimeError, match=r"Use tensor\.detach"):
            np.array(w * 2)


# ------------------------------------------------------------------------ utils.data


def _datasets(lib: Any, lengths: list[int]) -> list[Any]:
    data = lib.utils.data
    start = 0
    made = []
    for n in lengths:
        made.append(data.TensorDataset(lib.arange(start, start + n)))
        start += n
    return made


@SETTINGS
@given(lengths=st.lists(st.integers(0, 5), min_size=1, max_size=4), data=st.data())
def test_concat_dataset_indexes_like_torch(lengths: list[int], data: st.DataObject) -> None:
    ours = tg_data.ConcatDataset(_datasets(tg, lengths))
    theirs = torch_data.ConcatDataset(_datasets(torch, lengths))
    assert len(ours) == len(theirs) == sum(lengths)
    assert ours.cumulative_sizes == theirs.cumulative_sizes
    if sum(lengths):
        index = data.draw(st.integers(-sum(lengths), sum(lengths) - 1), label="index")
        assert ours[index][0].item() == theirs[index][0].item()
        order = [ours[i][0].item() for i in range(len(ours))]
        assert order == list(range(sum(lengths)))
    too_far = data.draw(st.integers(-sum(lengths) - 3, -sum(lengths) - 1), label="too far")
    both_raise(lambda lib: (ours if lib is tg else theirs)[too_far], ValueError)


def test_concat_dataset_errors_and_add() -> None:
    both_raise(lambda lib: lib.utils.data.ConcatDataset([]), AssertionError)
    both_raise(lambda lib: lib.utils.data.ConcatDataset(
        [_datasets(lib, [2])[0], _Stream(lib, 3)]), AssertionError)
    for lib in LIBS:
        a, b = _datasets(lib, [3, 4])
        joined = a + b
        assert type(joined).__name__ == "ConcatDataset" and len(joined) == 7
        assert joined[3][0].item() == 3 and len(joined.datasets) == 2
    both_raise(lambda lib: lib.utils.data.ConcatDataset(_datasets(lib, [2, 1]))[3],
               IndexError)
    loader = tg_data.DataLoader(tg_data.ConcatDataset(_datasets(tg, [3, 2])), batch_size=2)
    assert [b[0].tolist() for b in loader] == [[0, 1], [2, 3], [4]]


class _Stream:
    """An ``IterableDataset`` of ``n`` samples ``(x, i)`` in either library (made on the
    fly), with ``__len__`` when ``sized``."""

    def __new__(cls, lib: Any, n: int, sized: bool = False) -> Any:
        base = lib.utils.data.IterableDataset

        class Stream(base):  # type: ignore[misc, valid-type]
            def __iter__(self) -> Iterator[Any]:
                return iter([(lib.tensor([float(i), -float(i)]), i) for i in range(n)])

        class SizedStream(Stream):
            def __len__(self) -> int:
                return n

        return SizedStream() if sized else Stream()


@pytest.mark.parametrize("batch_size,drop_last", [(2, False), (2, True), (3, False), (1, False),
                                                  (None, False), (10, False), (10, True)])
def test_iterable_dataset_batches_like_torch(batch_size: int | None, drop_last: bool) -> None:
    for n in (0, 1, 5, 6):
        ours = list(tg_data.DataLoader(_Stream(tg, n), batch_size=batch_size,
                                       drop_last=drop_last, num_workers=0))
        theirs = list(torch_data.DataLoader(_Stream(torch, n), batch_size=batch_size,
                                            drop_last=drop_last))
        assert len(ours) == len(theirs)
        for mine, their in zip(ours, theirs):
            assert type(mine) is type(their)
            for a, b in zip(mine, their):
                if isinstance(b, torch.Tensor):
                    same_repr(a, b)
                else:
                    assert a == b


def test_iterable_dataset_with_workers_is_read_once() -> None:
    """In this process, each epoch (PyTorch copies the dataset into each worker)."""
    loader = tg_data.DataLoader(_Stream(tg, 5), batch_size=2, num_workers=2)
    for _ in range(2):
        assert [y.tolist() for _, y in loader] == [[0, 1], [2, 3], [4]]


def test_iterable_dataset_len_of_the_loader() -> None:
    for batch_size, drop_last in [(2, False), (2, True), (None, False), (5, False)]:
        lens = [len(lib.utils.data.DataLoader(_Stream(lib, 5, sized=True),
                                              batch_size=batch_size, drop_last=drop_last))
                for lib in LIBS]
        assert lens[0] == lens[1]
    both_raise(lambda lib: len(lib.utils.data.DataLoader(_Stream(lib, 5))), TypeError)


def test_iterable_dataset_warns_when_longer_than_its_len() -> None:
    class Liar(tg_data.IterableDataset[int]):
        def __iter__(self) -> Iterator[int]:
            return iter(range(4))

        def __len__(self) -> int:
            return 2

    loader = tg_data.DataLoader(Liar(), batch_size=1)
    assert len(loader) == 2
    with pytest.warns(UserWarning, match=r"was reported to be 2\(when accessing "
                                         r"len\(dataloader\)\), but [34] samples have been "
                                         r"fetched"):
        assert len(list(loader)) == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # len() never asked (list() would ask, for its length hint, as with PyTorch's)
        assert len([b for b in tg_data.DataLoader(Liar(), batch_size=1)]) == 4


def test_iterable_dataset_refuses_order_options_like_torch() -> None:
    data = [(lib, lib.utils.data) for lib in LIBS]
    for option in ({"shuffle": True}, {"sampler": [0, 1]}, {"batch_sampler": [[0, 1]]}):
        messages = []
        for lib, module in data:
            with pytest.raises(ValueError) as info:
                module.DataLoader(_Stream(lib, 3), **option)
            messages.append(str(info.value))
        assert messages[0] == messages[1]
    assert len(list(tg_data.DataLoader(_Stream(tg, 3), shuffle=False))) == 3
    both_raise(lambda lib: _Stream(lib, 3)[0], NotImplementedError)


def test_chain_dataset_and_adding_streams() -> None:
    for lib in LIBS:
        data = lib.utils.data
        chained = data.ChainDataset([_Stream(lib, 2), _Stream(lib, 1)])
        assert [i for _, i in chained] == [0, 1, 0]
        assert [i for _, i in _Stream(lib, 2) + _Stream(lib, 3)] == [0, 1, 0, 1, 2]
        assert len(data.ChainDataset([_Stream(lib, 2, True), _Stream(lib, 1, True)])) == 3
    both_raise(lambda lib: list(lib.utils.data.ChainDataset(_datasets(lib, [2]))),
               AssertionError)
    both_raise(lambda lib: len(lib.utils.data.ChainDataset(_datasets(lib, [2]))),
               AssertionError)


def test_get_worker_info_is_none_in_this_process() -> None:
    assert tg_data.get_worker_info() is None and torch_data.get_worker_info() is None

    class Sharded(tg_data.IterableDataset[int]):
        def __iter__(self) -> Iterator[int]:
            info = tg_data.get_worker_info()
            return iter(range(6) if info is None else range(info.id, 6, info.num_workers))

    assert [b.tolist() for b in tg_data.DataLoader(Sharded(), batch_size=4, num_workers=3)] == [
        [0, 1, 2, 3], [4, 5]]


@SETTINGS
@given(indices=st.lists(st.integers(-5, 50), max_size=12), seed=st.integers(0, 2**32))
def test_subset_random_sampler_permutes_its_indices(indices: list[int], seed: int) -> None:
    ours = tg_data.SubsetRandomSampler(indices, generator=tg.Generator().manual_seed(seed))
    theirs = torch_data.SubsetRandomSampler(indices)
    assert len(ours) == len(theirs) == len(indices) and ours.indices is indices
    drawn = list(ours)
    assert sorted(drawn) == sorted(theirs) == sorted(indices)
    again = tg_data.SubsetRandomSampler(indices, generator=tg.Generator().manual_seed(seed))
    assert list(again) == drawn  # the same seed, the same order


def test_subset_random_sampler_draws_a_new_order_each_epoch() -> None:
    tg.manual_seed(0)
    sampler = tg_data.SubsetRandomSampler(list(range(20)))
    assert list(sampler) != list(sampler)
    ds = tg_data.TensorDataset(tg.arange(10.0))
    loader = tg_data.DataLoader(ds, batch_size=4, sampler=tg_data.SubsetRandomSampler([1, 3, 5]))
    assert sorted(v for (b,) in loader for v in b.tolist()) == [1.0, 3.0, 5.0]


@SETTINGS
@given(weights=st.lists(st.just(0.0) | st.floats(1e-3, 10), min_size=1, max_size=6),
       num_samples=st.integers(1, 8), replacement=st.booleans(), seed=st.integers(0, 2**32))
def test_weighted_random_sampler_draws_like_torch(weights: list[float], num_samples: int,
                                                  replacement: bool, seed: int) -> None:
    """The same length, the same refusals; every draw in range, zero weights drawn only
    without replacement once the positive ones are used up, no repeats without."""
    ours = tg_data.WeightedRandomSampler(weights, num_samples, replacement,
                                         generator=tg.Generator().manual_seed(seed))
    theirs = torch_data.WeightedRandomSampler(weights, num_samples, replacement)
    same_repr(ours.weights, theirs.weights)
    assert len(ours) == len(theirs) == num_samples
    try:
        expected = list(theirs)
    except RuntimeError as exc:
        with pytest.raises(RuntimeError) as info:
            list(ours)
        assert str(info.value) == str(exc)
        return
    drawn = list(ours)
    assert len(drawn) == len(expected) and all(isinstance(i, int) for i in drawn)
    positive = [i for i, w in enumerate(weights) if w > 0]
    if replacement:
        assert set(drawn) <= set(positive)
    else:  # no repeats; the positive weights first
        assert len(set(drawn)) == len(drawn)
        assert set(drawn[:len(positive)]) <= set(positive)
    again = tg_data.WeightedRandomSampler(weights, num_samples, replacement,
                                          generator=tg.Generator().manual_seed(seed))
    assert list(again) == drawn


def test_weighted_random_sampler_follows_the_weights() -> None:
    """20000 draws: each index about ``weight / total`` of the time (5 sigma)."""
    weights = [1.0, 0.0, 3.0, 6.0]
    sampler = tg_data.WeightedRandomSampler(weights, 20000,
                                            generator=tg.Generator().manual_seed(3))
    counts = np.bincount(list(sampler), minlength=4) / 20000
    expected = np.array(weights) / sum(weights)
    np.testing.assert_allclose(counts, expected, atol=5 * np.sqrt(0.25 / 20000))
    first_two = [list(tg_data.WeightedRandomSampler([1.0, 1.0, 1.0, 1.0], 4,
                                                    replacement=False))[:2]
                 for _ in range(40)]
    assert len({tuple(p) for p in first_two}) > 1  # a new order each time


def test_weighted_random_sampler_errors_are_torchs() -> None:
    sampler = [lib.utils.data.WeightedRandomSampler for lib in LIBS]

    def make(*args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        return lambda lib: sampler[lib is torch](*args, **kwargs)

    both_raise(make([1.0, 1.0], 0), ValueError)
    both_raise(make([1.0, 1.0], 2.0), ValueError)
    both_raise(make([1.0, 1.0], True), ValueError)
    both_raise(make([1.0, 1.0], 2, replacement=1), ValueError)
    both_raise(make([[1.0, 1.0]], 2), ValueError)
    both_raise(make(1.0, 2), ValueError)
    for weights, n, replacement in [([1.0, -1.0], 2, True), ([1.0, float("nan")], 2, True),
                                    ([float("inf"), -1.0], 2, True), ([1.0, -1.0], 1, True),
                                    ([1.0, -1.0], 2, False), ([0.0, 0.0], 2, False),
                                    ([0.0, 0.0], 1, True), ([0.0, 0.0], 3, True),
                                    ([1.0, 1.0], 3, False), ([float("nan")], 1, False),
                                    ([], 2, True)]:
        both_raise(lambda lib, w=weights, k=n, r=replacement: list(
            sampler[lib is torch](w, k, replacement=r)), RuntimeError)


def test_weighted_random_sampler_in_a_loader() -> None:
    tg.manual_seed(0)
    ds = tg_data.TensorDataset(tg.arange(4.0), tg.tensor([0, 0, 0, 1]))
    sampler = tg_data.WeightedRandomSampler([1.0, 1.0, 1.0, 3.0], 600)
    labels = [int(v) for _, y in tg_data.DataLoader(ds, batch_size=50, sampler=sampler)
              for v in y.tolist()]
    assert len(labels) == 600 and 0.4 < sum(labels) / 600 < 0.6  # the rare class, balanced


def test_random_module_multinomial_is_one_formula() -> None:
    """No repeats without replacement even for tiny weights; zero weights come last."""
    gen = tg_random.Generator().manual_seed(0)
    drawn = gen.multinomial(np.array([1e-300, 0.0, 2e-300, 0.0]), 4, False)
    assert sorted(drawn[:2].tolist()) == [0, 2] and sorted(drawn.tolist()) == [0, 1, 2, 3]

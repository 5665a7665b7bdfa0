"""tinygrad_edu.save / load: round trips, and files that must be refused (pickles, tampered or
truncated archives) without running code or changing anything."""

from __future__ import annotations

import io
import json
import math
import os
import pathlib
import pickle
import zipfile
from collections import OrderedDict
from typing import Any

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from tinygrad_edu import optim
from tinygrad_edu.serialization import LoadError

ALL_DTYPES = [tg.bool, tg.uint8, tg.int8, tg.int16, tg.int32, tg.int64, tg.float16,
              tg.float32, tg.float64]


def _round_trip(obj: Any, tmp_path: pathlib.Path) -> Any:
    path = tmp_path / "obj.pt"
    tg.save(obj, path)
    return tg.load(path)


def _same_tensor(a: tg.Tensor, b: tg.Tensor) -> None:
    assert isinstance(b, tg.Tensor)
    assert a.dtype is b.dtype and a.shape == b.shape
    assert np.array_equal(np.asarray(a.detach()), np.asarray(b.detach()), equal_nan=True)


def _snapshot(folder: pathlib.Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=lambda d: d.name)
def test_tensor_round_trip_every_dtype(dtype: Any, tmp_path: pathlib.Path) -> None:
    values = np.array([[0, 1, 2], [3, 250, 7]]) if dtype is not tg.bool else [[True, False]]
    t = tg.tensor(values).to(dtype)
    _same_tensor(t, _round_trip(t, tmp_path))


@pytest.mark.parametrize("make", [
    lambda: tg.tensor(3.5, dtype=tg.float64),  # 0-d
    lambda: tg.zeros(0, 3),  # empty
    lambda: tg.arange(12).reshape(3, 4).T,  # a non-contiguous view
    lambda: tg.tensor([math.nan, math.inf, -math.inf, -0.0], dtype=tg.float64),
    lambda: tg.tensor([2**62, -(2**63)], dtype=tg.int64),
], ids=["0d", "empty", "transposed", "nan-inf", "int64-extremes"])
def test_tensor_round_trip_shapes_and_values(make: Any, tmp_path: pathlib.Path) -> None:
    t = make()
    loaded = _round_trip(t, tmp_path)
    _same_tensor(t, loaded)
    assert loaded.is_contiguous()


def test_requires_grad_is_kept_and_the_tensor_is_a_leaf(tmp_path: pathlib.Path) -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    loaded = _round_trip({"w": w, "w2": w * 2, "plain": tg.ones(2)}, tmp_path)
    assert loaded["w"].requires_grad and loaded["w"].is_leaf
    assert loaded["w2"].requires_grad and loaded["w2"].is_leaf  # as torch: a new leaf
    assert not loaded["plain"].requires_grad
    loaded["w"].sum().backward()
    assert loaded["w"].grad.tolist() == [1.0, 1.0]


def test_nested_containers_numbers_and_strings(tmp_path: pathlib.Path) -> None:
    obj = {
        "name": "model ünïcode",
        "epoch": 12,
        "big": 2**100,
        "lr": 0.1,
        "tiny": 1e-308,
        "specials": [math.inf, -math.inf],
        "flags": (True, False, None),
        3: {"int keys": "ok", (1, "a"): [tg.tensor([1, 2]), []]},
        "ordered": OrderedDict([("b", 1), ("a", tg.tensor([0.5]))]),
        "empty": {},
    }
    loaded = _round_trip(obj, tmp_path)
    assert list(loaded) == list(obj)  # key order kept
    for key in ["name", "epoch", "big", "lr", "tiny", "specials", "flags", "empty"]:
        assert loaded[key] == obj[key] and type(loaded[key]) is type(obj[key]), key
    assert isinstance(loaded["flags"], tuple) and isinstance(loaded["specials"], list)
    assert isinstance(loaded["ordered"], OrderedDict) and list(loaded["ordered"]) == ["b", "a"]
    assert loaded[3]["int keys"] == "ok"
    _same_tensor(obj[3][(1, "a")][0], loaded[3][(1, "a")][0])
    assert math.isnan(_round_trip(math.nan, tmp_path))


def test_shared_tensor_is_stored_once_and_comes_back_shared(tmp_path: pathlib.Path) -> None:
    t = tg.arange(4.0)
    loaded = _round_trip({"a": t, "b": [t, t]}, tmp_path)
    assert loaded["a"] is loaded["b"][0] is loaded["b"][1]
    with zipfile.ZipFile(tmp_path / "obj.pt") as archive:
        assert [n for n in archive.namelist() if n.endswith(".npy")] == ["tensors/0.npy"]


def test_loaded_tensors_own_writeable_memory(tmp_path: pathlib.Path) -> None:
    loaded = _round_trip(tg.zeros(3), tmp_path)
    loaded[0] = 5.0
    assert loaded.tolist() == [5.0, 0.0, 0.0]


def test_file_objects_and_pathlike(tmp_path: pathlib.Path) -> None:
    buffer = io.BytesIO()
    tg.save({"x": tg.ones(2)}, buffer)
    buffer.seek(0)
    assert tg.load(buffer)["x"].tolist() == [1.0, 1.0]
    tg.save([1, 2], str(tmp_path / "as-str.pt"))
    assert tg.load(str(tmp_path / "as-str.pt"), map_location="cpu", weights_only=True) == [1, 2]


def test_same_object_gives_the_same_bytes(tmp_path: pathlib.Path) -> None:
    obj = {"w": tg.arange(6.0).reshape(2, 3), "step": 3}
    tg.save(obj, tmp_path / "a.pt")
    tg.save(obj, tmp_path / "b.pt")
    assert (tmp_path / "a.pt").read_bytes() == (tmp_path / "b.pt").read_bytes()


def test_the_format_is_a_zip_with_a_json_manifest(tmp_path: pathlib.Path) -> None:
    tg.save({"w": tg.ones(2, 3)}, tmp_path / "m.pt")
    with zipfile.ZipFile(tmp_path / "m.pt") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        array = np.load(io.BytesIO(archive.read("tensors/0.npy")), allow_pickle=False)
    assert manifest["format"] == "tinygrad_edu" and manifest["version"] == 1
    [[key, value]] = manifest["root"]["items"]
    assert key == {"kind": "str", "value": "w"}
    assert value["kind"] == "tensor" and value["dtype"] == "float32" and value["shape"] == [2, 3]
    assert array.shape == (2, 3)


def _params() -> list[tg.Tensor]:
    rng = np.random.default_rng(1)
    return [tg.tensor(rng.normal(size=s), dtype=tg.float64, requires_grad=True)
            for s in [(3, 2), (2,)]]


def _steps(opt: Any, params: list[tg.Tensor], n: int) -> None:
    for _ in range(n):
        opt.zero_grad()
        ((params[0] @ params[1] - 1.0) ** 2).sum().backward()
        opt.step()


@pytest.mark.parametrize("make", [
    lambda p: optim.Adam(p, lr=0.1, amsgrad=True),
    lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    lambda p: optim.RMSprop(p, lr=0.01, centered=True, momentum=0.3),
], ids=["Adam", "SGD", "RMSprop"])
def test_optimizer_checkpoint_resumes_identically(make: Any, tmp_path: pathlib.Path) -> None:
    straight = _params()
    _steps(make(straight), straight, 6)

    params = _params()
    opt = make(params)
    _steps(opt, params, 3)
    tg.save({"params": params, "optimizer": opt.state_dict()}, tmp_path / "ckpt.pt")

    checkpoint = tg.load(tmp_path / "ckpt.pt")
    resumed = checkpoint["params"]
    opt2 = make(resumed)
    opt2.load_state_dict(checkpoint["optimizer"])
    sd = checkpoint["optimizer"]
    assert sorted(sd["state"]) == [0, 1] and sd["param_groups"][0]["params"] == [0, 1]
    _steps(opt2, resumed, 3)
    for a, b in zip(resumed, straight):
        assert a.tolist() == b.tolist()  # bit for bit


# ------------------------------------------------------------------------ save errors


def test_save_refuses_unsupported_objects_and_writes_nothing(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "keep.pt"
    tg.save({"ok": 1}, target)
    before = _snapshot(tmp_path)
    with pytest.raises(TypeError, match=r"cannot save obj\['model'\]\[1\], a builtins.set"):
        tg.save({"model": [tg.ones(1), {1, 2}]}, target)
    with pytest.raises(TypeError, match=r"numpy\.ndarray"):
        tg.save(np.zeros(2), tmp_path / "new.pt")
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="contains itself"):
        tg.save(cycle, tmp_path / "new.pt")
    assert _snapshot(tmp_path) == before  # old file intact, no new or temporary files
    assert tg.load(target) == {"ok": 1}


# ------------------------------------------------------------------------ refused files


class _Evil:
    """A pickle that would create a file when unpickled."""

    def __init__(self, marker: pathlib.Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (pathlib.Path.touch, (self.marker,))


def _write_zip(path: pathlib.Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def _manifest(root: dict[str, Any], **extra: Any) -> bytes:
    return json.dumps({"format": "tinygrad_edu", "version": 1, "root": root, **extra}).encode()


def _tensor_node(**changes: Any) -> dict[str, Any]:
    node = {"kind": "tensor", "file": "tensors/0.npy", "dtype": "float32", "shape": [2],
            "device": "cpu", "requires_grad": False}
    node.update(changes)
    return node


def _refused(path: pathlib.Path, *patterns: str) -> LoadError:
    folder = path.parent
    before = _snapshot(folder)
    with pytest.raises(LoadError) as info:
        tg.load(path)
    message = str(info.value)
    for pattern in patterns:
        assert pattern in message, (pattern, message)
    assert _snapshot(folder) == before  # nothing created or changed
    return info.value


@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
def test_a_pickle_is_refused_and_never_run(protocol: int, tmp_path: pathlib.Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"w": _Evil(marker)}, protocol=protocol))
    error = _refused(path, "Python pickle", "can run any code", "never unpickles")
    assert not marker.exists()
    assert "evil.pkl" in str(error)


def test_a_torch_save_file_is_refused(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "model.pth"
    torch.save({"weight": torch.ones(2)}, path)
    _refused(path, "PyTorch checkpoint", "pickle", "weights_only=True")
    legacy = tmp_path / "legacy.pth"
    torch.save({"weight": torch.ones(2)}, legacy, _use_new_zipfile_serialization=False)
    _refused(legacy, "Python pickle")


def test_a_missing_array_is_refused(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "missing.pt"
    _write_zip(path, {"manifest.json": _manifest(_tensor_node(file="tensors/7.npy"))})
    _refused(path, "names tensors/7.npy, which is not in the archive")


def test_an_object_array_is_refused_without_unpickling(tmp_path: pathlib.Path) -> None:
    marker = tmp_path / "pwned"
    evil = np.array([_Evil(marker), 1], dtype=object)
    path = tmp_path / "object.pt"
    _write_zip(path, {"manifest.json": _manifest(_tensor_node(dtype="float64")),
                      "tensors/0.npy": _npy(evil, allow_pickle=True)})
    _refused(path, "holds Python objects", "refused")
    assert not marker.exists()


@pytest.mark.parametrize(("node", "array", "pattern"), [
    (_tensor_node(dtype="float32"), np.zeros(2, dtype=np.int64), "but the manifest says"),
    (_tensor_node(shape=[3]), np.zeros(2, dtype=np.float32), "but the manifest says"),
    (_tensor_node(dtype="complex64"), np.zeros(2, dtype=np.complex64), "malformed"),
    (_tensor_node(shape=[-1]), np.zeros(2, dtype=np.float32), "malformed"),
    (_tensor_node(shape=[10**6]), np.zeros(2, dtype=np.float32), "but the manifest says"),
    (_tensor_node(shape=[1]), np.zeros(100000, dtype=np.float32), "is larger than"),
    (_tensor_node(dtype="int64", requires_grad=True), np.zeros(2, dtype=np.int64),
     "marked requires_grad"),
    (_tensor_node(device="tpu"), np.zeros(2, dtype=np.float32), "names device 'tpu'"),
    ({"kind": "module", "items": []}, np.zeros(2), "unknown entry kind 'module'"),
    ({"kind": "list", "items": "abc"}, np.zeros(2), "has no list of items"),
    ({"kind": "int", "value": "1"}, np.zeros(2), "an int entry holds '1'"),
    ({"kind": "float", "value": "__import__('os')"}, np.zeros(2), "a float entry holds"),
    ({"kind": "dict", "items": [[{"kind": "list", "items": []}, {"kind": "none"}]]},
     np.zeros(2), "a dict key must be"),
    ({"kind": "dict", "items": [["k"]]}, np.zeros(2), "not a [key, value] pair"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_tampered_manifest_or_array_is_refused(node: dict[str, Any], array: np.ndarray,
                                               pattern: str, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "tampered.pt"
    _write_zip(path, {"manifest.json": _manifest(node), "tensors/0.npy": _npy(array)})
    _refused(path, "is damaged or not a tinygrad_edu file", pattern)


@pytest.mark.parametrize(("manifest", "pattern"), [
    (b"{not json", "not valid JSON"),
    (json.dumps({"format": "other", "version": 1, "root": {"kind": "none"}}).encode(),
     "does not say format 'tinygrad_edu'"),
    (json.dumps({"format": "tinygrad_edu", "version": 2, "root": {"kind": "none"}}).encode(),
     "format version 2 is not supported"),
    (json.dumps({"format": "tinygrad_edu", "version": 1}).encode(), "has no 'root'"),
    (_manifest(json.loads('{"kind": "list", "items": [' * 150 + "]}" * 150)),
     "nests more than 100 levels"),
])
def test_bad_manifest_is_refused(manifest: bytes, pattern: str, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.pt"
    _write_zip(path, {"manifest.json": manifest})
    _refused(path, pattern)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_file_is_refused(keep: float, tmp_path: pathlib.Path) -> None:
    good = tmp_path / "good.pt"
    tg.save({"w": tg.arange(1000.0), "b": tg.ones(10)}, good)
    data = good.read_bytes()
    cut = tmp_path / "cut.pt"
    cut.write_bytes(data[: int(len(data) * keep)])
    _refused(cut, "is damaged or not a tinygrad_edu file")


def test_flipped_bytes_in_an_array_are_caught_by_the_crc(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "flip.pt"
    tg.save(tg.arange(100.0), path)
    data = bytearray(path.read_bytes())
    offset = data.index(b"\x93NUMPY") + 200
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    _refused(path, "broken or truncated")


@pytest.mark.parametrize(("content", "pattern"), [
    (b"", "not a zip archive"),
    (b"hello, I am text", "not a zip archive"),
    (_npy(np.zeros(3)), "single NumPy .npy array"),
])
def test_other_files_are_refused(content: bytes, pattern: str, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "other.bin"
    path.write_bytes(content)
    _refused(path, pattern)


def test_a_zip_without_manifest_is_refused(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "plain.zip"
    _write_zip(path, {"readme.txt": b"hi"})
    _refused(path, "has no manifest.json")


def test_weights_only_false_is_not_supported(tmp_path: pathlib.Path) -> None:
    tg.save(1, tmp_path / "one.pt")
    with pytest.raises(ValueError, match="never unpickles"):
        tg.load(tmp_path / "one.pt", weights_only=False)


def test_a_missing_file_raises_file_not_found(tmp_path: pathlib.Path) -> None:
    with pytest.raises(FileNotFoundError):
        tg.load(tmp_path / "nope.pt")
    assert os.listdir(tmp_path) == []


def test_save_refuses_too_deep_nesting_and_bad_keys(tmp_path: pathlib.Path) -> None:
    deep: list[Any] = []
    for _ in range(150):
        deep = [deep]
    with pytest.raises(ValueError, match="nested more than 100 levels deep"):
        tg.save(deep, tmp_path / "deep.pt")
    with pytest.raises(TypeError, match="dict keys must be strings, numbers, None or tuples"):
        tg.save({tg.ones(1): 1}, tmp_path / "key.pt")
    assert os.listdir(tmp_path) == []


def test_load_checks_map_location(tmp_path: pathlib.Path) -> None:
    tg.save(tg.ones(1), tmp_path / "one.pt")
    with pytest.raises(TypeError, match="map_location must be a device"):
        tg.load(tmp_path / "one.pt", map_location={"cuda:0": "cpu"})  # type: ignore[arg-type]


def test_tensors_saved_on_a_gpu_need_map_location_without_one(tmp_path: pathlib.Path) -> None:
    if tg.cuda.is_available():
        pytest.skip("this machine has a usable GPU")
    path = tmp_path / "gpu.pt"
    _write_zip(path, {"manifest.json": _manifest(_tensor_node(device="cuda:0")),
                      "tensors/0.npy": _npy(np.array([1.0, 2.0], dtype=np.float32))})
    with pytest.raises(RuntimeError, match=r"saved on cuda:0.*map_location='cpu'"):
        tg.load(path)
    loaded = tg.load(path, map_location="cpu")
    assert loaded.device.type == "cpu" and loaded.tolist() == [1.0, 2.0]


@pytest.mark.parametrize(("root", "pattern"), [
    ({"kind": "list", "items": [_tensor_node(), _tensor_node(shape=[1])]},
     "two entries describe tensors/0.npy differently"),
    ({"kind": "dict", "items": [[{"kind": "tuple", "items": [{"kind": "list", "items": []}]},
                                 {"kind": "none"}]]}, "a dict key is not hashable"),
    ({"kind": "list", "items": [5]}, "a manifest entry is not a node: 5"),
])
def test_inconsistent_manifest_is_refused(root: dict[str, Any], pattern: str,
                                          tmp_path: pathlib.Path) -> None:
    path = tmp_path / "odd.pt"
    _write_zip(path, {"manifest.json": _manifest(root),
                      "tensors/0.npy": _npy(np.zeros(2, dtype=np.float32))})
    _refused(path, pattern)

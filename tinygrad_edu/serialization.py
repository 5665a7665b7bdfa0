"""``save(obj, f)`` / ``load(f)``: tensors and state dicts in a file that cannot run code.

``torch.save`` writes a pickle, and unpickling can run any code a file asks for. Here the file
is a zip archive (uncompressed) holding only data:

- ``manifest.json``: ``{"format": "tinygrad_edu", "version": 1, "root": NODE}``, where a
  NODE describes one value:
  ``{"kind": "tensor", "file": "tensors/0.npy", "dtype": "float32", "shape": [2, 3],
  "device": "cpu", "requires_grad": false}``,
  ``{"kind": "dict", "ordered": false, "items": [[KEY_NODE, NODE], ...]}`` (keys may be
  ints, as in an optimizer's state dict), ``{"kind": "list" | "tuple", "items": [NODE, ...]}``,
  ``{"kind": "int" | "bool" | "str", "value": ...}``, ``{"kind": "float", "value": "0.1"}``
  (``repr``: exact, and inf / nan survive) and ``{"kind": "none"}``;
- ``tensors/<n>.npy``: one NumPy ``.npy`` file per tensor, read with ``allow_pickle=False``.

``load`` checks everything (the manifest's structure, each array's dtype, shape and size)
before it returns, refuses pickles (``pickle.dump``, ``torch.save``) with a message that says
why, and writes nothing. A tensor that appears twice in ``obj`` is stored once and comes back
as one tensor; tensor subclasses (``nn.Parameter``) come back as plain tensors that keep
``requires_grad``.
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
import zipfile
from collections import OrderedDict
from typing import IO, Any

import numpy as np

from . import backend
from .tensor import Tensor

FORMAT, VERSION = "tinygrad_edu", 1
MANIFEST = "manifest.json"
MAX_DEPTH = 100  # nesting of dicts / lists / tuples
MAX_MANIFEST_BYTES = 64 * 2**20
NPY_HEADER_LIMIT = 2**16  # .npy headers are a few hundred bytes
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same object gives the same bytes
_DTYPES = {d.name: d for d in backend.ALL_DTYPES}
_KEY_KINDS = frozenset({"str", "int", "float", "bool", "none", "tuple"})
_SUPPORTED = ("tensors, numbers (int, float, bool), strings, None and dicts, lists and tuples "
              "of them")

FileLike = str | os.PathLike[str] | IO[bytes]


class LoadError(ValueError):
    """A file that ``load`` refuses: a pickle, not a tinygrad_edu file, or damaged."""


# ------------------------------------------------------------------------------------ save


class _Writer:
    """Turns an object into manifest nodes and collects the arrays to store."""

    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []
        self.file_of: dict[int, str] = {}  # id(tensor) -> its .npy name
        self.keep: list[Tensor] = []  # keeps ids valid while encoding
        self.open: set[int] = set()  # containers being encoded: catches cycles

    def encode(self, obj: Any, where: str, depth: int = 0) -> dict[str, Any]:
        if depth > MAX_DEPTH:
            raise ValueError(f"cannot save {where}: nested more than {MAX_DEPTH} levels deep")
        if isinstance(obj, Tensor):
            return self.tensor(obj)
        if obj is None:
            return {"kind": "none"}
        if isinstance(obj, bool | np.bool_):
            return {"kind": "bool", "value": bool(obj)}
        if isinstance(obj, int | np.integer):
            return {"kind": "int", "value": int(obj)}
        if isinstance(obj, float | np.floating):
            return {"kind": "float", "value": repr(float(obj))}
        if isinstance(obj, str):
            return {"kind": "str", "value": obj}
        if isinstance(obj, dict | list | tuple):
            if id(obj) in self.open:
                raise ValueError(f"cannot save {where}: it contains itself")
            self.open.add(id(obj))
            try:
                return self.container(obj, where, depth)
            finally:
                self.open.discard(id(obj))
        raise TypeError(f"cannot save {where}, a {type(obj).__module__}.{type(obj).__qualname__}"
                        f": tinygrad_edu.save stores {_SUPPORTED}")

    def container(self, obj: dict[Any, Any] | list[Any] | tuple[Any, ...], where: str,
                  depth: int) -> dict[str, Any]:
        if isinstance(obj, dict):
            items = []
            for key, value in obj.items():
                key_node = self.encode(key, f"{where} (a key)", depth + 1)
                if key_node["kind"] not in _KEY_KINDS:
                    raise TypeError(f"cannot save {where}: dict keys must be strings, numbers, "
                                    f"None or tuples, got {type(key).__name__}")
                items.append([key_node, self.encode(value, f"{where}[{key!r}]", depth + 1)])
            return {"kind": "dict", "ordered": isinstance(obj, OrderedDict), "items": items}
        kind = "tuple" if isinstance(obj, tuple) else "list"
        return {"kind": kind, "items": [self.encode(value, f"{where}[{i}]", depth + 1)
                                        for i, value in enumerate(obj)]}

    def tensor(self, t: Tensor) -> dict[str, Any]:
        name = self.file_of.get(id(t))
        if name is None:
            name = f"tensors/{len(self.arrays)}.npy"
            array = backend.to_device(t._array, backend.CPU)
            self.arrays.append(np.asarray(array, order="C"))  # (keeps 0-d)
            self.file_of[id(t)] = name
            self.keep.append(t)
        return {"kind": "tensor", "file": name, "dtype": t.dtype.name,
                "shape": list(t.shape), "device": str(t.device),
                "requires_grad": bool(t.requires_grad)}


def save(obj: Any, f: FileLike) -> None:
    """Write ``obj`` (a tensor, or nested dicts / lists / tuples of tensors, numbers and
    strings, such as a state dict) to ``f``, a path or a binary file object.

    Everything is checked before anything is written, and a path is replaced in one step
    (through a temporary file), so a failed save leaves an existing file as it was.
    """
    writer = _Writer()
    root = writer.encode(obj, "obj")
    manifest = json.dumps({"format": FORMAT, "version": VERSION, "root": root},
                          indent=1).encode("utf-8")
    if not isinstance(f, str | os.PathLike):
        _write_zip(f, manifest, writer.arrays)
        return
    path = os.fspath(f)
    given_folder = os.path.dirname(path)
    if given_folder and not os.path.isdir(given_folder):  # PyTorch's message, not a temp file's
        raise RuntimeError(f"Parent directory {given_folder} does not exist.")
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".tinygrad_edu-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            _write_zip(file, manifest, writer.arrays)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _write_zip(file: IO[bytes], manifest: bytes, arrays: list[np.ndarray]) -> None:
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo(MANIFEST, _FIXED_TIME), manifest)
        for i, array in enumerate(arrays):
            with archive.open(zipfile.ZipInfo(f"tensors/{i}.npy", _FIXED_TIME), "w",
                              force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


# ------------------------------------------------------------------------------------ load


def load(f: FileLike, map_location: str | backend.device | None = None, *,
         weights_only: bool | None = None) -> Any:
    """Read what ``save`` wrote. Tensors go back to the device they were saved from, or to
    ``map_location`` ("cpu", "cuda:0").

    Never runs code from the file: pickles (from ``pickle.dump`` or ``torch.save``) and
    damaged files raise ``LoadError`` and nothing is created or changed. ``weights_only`` is
    accepted for PyTorch's signature; loading is always weights-only here.
    """
    if weights_only is False:
        raise ValueError("tinygrad_edu.load never unpickles, so weights_only=False is not "
                         "supported: it only reads files written by tinygrad_edu.save")
    if map_location is not None and not isinstance(map_location, str | backend.device):
        raise TypeError(f"map_location must be a device or a string like 'cpu', got "
                        f"{type(map_location).__name__}")
    name = repr(os.fspath(f)) if isinstance(f, str | os.PathLike) else "the file"
    if isinstance(f, str | os.PathLike):
        with open(f, "rb") as file:
            data = file.read()
    else:
        data = f.read()
    return _Reader(data, name, map_location).read()


class _Reader:
    def __init__(self, data: bytes, name: str, map_location: Any) -> None:
        self.data = data
        self.name = name
        self.device = None if map_location is None else backend.canonical_device(map_location)
        self.tensors: dict[str, Tensor] = {}

    def fail(self, problem: str) -> LoadError:
        return LoadError(f"{self.name} is damaged or not a tinygrad_edu file: {problem}")

    def read(self) -> Any:
        self.refuse_foreign_formats()
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                self.archive = archive
                names = set(archive.namelist())
                if MANIFEST not in names:
                    if any(n.endswith(".pkl") for n in names):
                        raise LoadError(_torch_message(self.name))
                    raise self.fail(f"the zip archive has no {MANIFEST}")
                manifest = self.manifest(archive.getinfo(MANIFEST))
                return self.decode(manifest["root"], 0)
        except zipfile.BadZipFile as exc:
            raise self.fail(f"the zip archive is broken or truncated ({exc})") from None

    def refuse_foreign_formats(self) -> None:
        head = self.data[:8]
        protocol_2_to_5 = head[:1] == b"\x80" and len(head) > 1 and 2 <= head[1] <= 5
        protocol_0_or_1 = head[:1] in (b"(", b"]", b"}", b"c") and self.data.endswith(b".")
        if protocol_2_to_5 or protocol_0_or_1:
            raise LoadError(
                f"{self.name} is a Python pickle (written by pickle.dump, or by torch.save in "
                f"its legacy format), and it was not loaded: unpickling can run any code the "
                f"file asks for, so tinygrad_edu.load never unpickles. Save tensors with "
                f"tinygrad_edu.save instead.")
        if head[:6] == b"\x93NUMPY":
            raise self.fail("this is a single NumPy .npy array; read it with "
                            "numpy.load(path, allow_pickle=False) and tinygrad_edu.from_numpy")
        if head[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
            raise self.fail("it is not a zip archive (tinygrad_edu.save writes a zip with a "
                            "manifest.json and .npy arrays)")

    def manifest(self, info: zipfile.ZipInfo) -> dict[str, Any]:
        if info.file_size > MAX_MANIFEST_BYTES:
            raise self.fail(f"{MANIFEST} is implausibly large ({info.file_size} bytes)")
        try:
            manifest = json.loads(self.archive.read(info).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise self.fail(f"{MANIFEST} is not valid JSON ({exc})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise self.fail(f"{MANIFEST} does not say format {FORMAT!r}")
        if manifest.get("version") != VERSION:
            raise self.fail(f"format version {manifest.get('version')!r} is not supported "
                            f"(this tinygrad_edu reads version {VERSION})")
        if "root" not in manifest:
            raise self.fail(f"{MANIFEST} has no 'root'")
        return manifest

    # ---------------------------------------------------------------- nodes

    def decode(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(f"the manifest nests more than {MAX_DEPTH} levels deep")
        if not isinstance(node, dict) or not isinstance(node.get("kind"), str):
            raise self.fail(f"a manifest entry is not a node: {_short(node)}")
        kind = node["kind"]
        if kind == "tensor":
            return self.tensor(node)
        if kind == "none":
            return None
        if kind in ("int", "bool", "str"):
            value = node.get("value")
            expected = {"int": int, "bool": bool, "str": str}[kind]
            if type(value) is not expected:
                raise self.fail(f"{_article(kind)} {kind} entry holds {_short(value)}")
            return value
        if kind == "float":
            return self.float(node.get("value"))
        if kind in ("list", "tuple"):
            items = self.items(node)
            values = [self.decode(item, depth + 1) for item in items]
            return tuple(values) if kind == "tuple" else values
        if kind == "dict":
            result: dict[Any, Any] = OrderedDict() if node.get("ordered") is True else {}
            for pair in self.items(node):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise self.fail(f"a dict item is not a [key, value] pair: {_short(pair)}")
                if not isinstance(pair[0], dict) or pair[0].get("kind") not in _KEY_KINDS:
                    raise self.fail(f"a dict key must be a string, number, None or tuple: "
                                    f"{_short(pair[0])}")
                key = self.decode(pair[0], depth + 1)
                try:
                    hash(key)
                except TypeError:
                    raise self.fail(f"a dict key is not hashable: {_short(pair[0])}") from None
                result[key] = self.decode(pair[1], depth + 1)
            return result
        raise self.fail(f"unknown entry kind {kind!r}")

    def items(self, node: dict[str, Any]) -> list[Any]:
        items = node.get("items")
        if not isinstance(items, list):
            raise self.fail(f"a {node['kind']} entry has no list of items")
        return items

    def float(self, value: Any) -> float:
        if not isinstance(value, str) or len(value) > 40:
            raise self.fail(f"a float entry holds {_short(value)}")
        try:
            return float(value)
        except ValueError:
            raise self.fail(f"a float entry holds {_short(value)}") from None

    def tensor(self, node: dict[str, Any]) -> Tensor:
        file, dtype_name, shape = node.get("file"), node.get("dtype"), node.get("shape")
        if not isinstance(file, str) or dtype_name not in _DTYPES or not (
                isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)):
            raise self.fail(f"a tensor entry is malformed: {_short(node)}")
        requires_grad = node.get("requires_grad", False)
        device_name = node.get("device", "cpu")
        if not isinstance(requires_grad, bool) or not isinstance(device_name, str):
            raise self.fail(f"a tensor entry is malformed: {_short(node)}")
        dtype = _DTYPES[dtype_name]
        if file in self.tensors:
            t = self.tensors[file]
            if t.dtype is not dtype or list(t.shape) != shape:
                raise self.fail(f"two entries describe {file} differently")
            return t
        array = self.array(file, dtype, tuple(shape))
        if self.device is not None:
            device = self.device
        else:
            try:
                device = backend.canonical_device(device_name)
            except RuntimeError as exc:
                if device_name.split(":")[0] == "cuda":
                    raise RuntimeError(f"{self.name} holds tensors saved on {device_name}, "
                                       f"which is not usable here ({exc}); pass "
                                       f"map_location='cpu' to load them onto the cpu") from exc
                raise self.fail(f"a tensor entry names device {device_name!r}") from None
        t = Tensor._wrap(backend.to_device(array, device))
        if requires_grad:
            if not dtype.is_floating_point:
                raise self.fail(f"{file} is {dtype_name} but marked requires_grad")
            t.requires_grad_(True)
        self.tensors[file] = t
        return t

    def array(self, file: str, dtype: backend.dtype, shape: tuple[int, ...]) -> np.ndarray:
        try:
            info = self.archive.getinfo(file)
        except KeyError:
            raise self.fail(f"the manifest names {file}, which is not in the archive") from None
        nbytes = math.prod(shape) * dtype.itemsize
        if info.file_size > nbytes + NPY_HEADER_LIMIT:
            raise self.fail(f"{file} is larger than a {dtype.name} array of shape "
                            f"{list(shape)}")
        raw = self.archive.read(info)  # checks the CRC
        stream = io.BytesIO(raw)
        try:
            version = np.lib.format.read_magic(stream)
            if version == (1, 0):
                header = np.lib.format.read_array_header_1_0(stream)
            elif version == (2, 0):
                header = np.lib.format.read_array_header_2_0(stream)
            else:
                raise ValueError(f".npy format version {version} is not supported")
            stored_shape, _, stored_dtype = header
            if stored_dtype.hasobject:
                raise self.fail(f"{file} holds Python objects (dtype {stored_dtype}), which "
                                f"only pickle can read; refused")
            if stored_dtype.newbyteorder("=") != dtype.numpy or tuple(stored_shape) != shape:
                raise self.fail(f"{file} is {stored_dtype} {list(stored_shape)}, but the "
                                f"manifest says {dtype.name} {list(shape)}")
            stream.seek(0)
            array = np.lib.format.read_array(stream, allow_pickle=False)
        except LoadError:
            raise
        except (ValueError, OSError, EOFError) as exc:
            raise self.fail(f"{file} is not a valid .npy array ({exc})") from None
        # a writeable array that owns its memory, in this machine's byte order
        return np.array(array, dtype=dtype.numpy, copy=True, order="C")


def _torch_message(name: str) -> str:
    return (f"{name} is a PyTorch checkpoint (written by torch.save), and it was not loaded: "
            f"its structure is a pickle (data.pkl), unpickling can run any code the file asks "
            f"for, and tinygrad_edu.load never unpickles. In PyTorch, load it with "
            f"torch.load(path, weights_only=True), turn the tensors into NumPy arrays "
            f"(t.numpy()) and save them with tinygrad_edu.save.")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"

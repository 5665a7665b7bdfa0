"""Imports inside tinygrad_edu point one way: down the layers (DESIGN.md section 3).

Every module of the package is parsed with ``ast`` (nothing is imported). A module may import
from its own layer or a lower one; ``viz`` reads the graph through layers 0-2 but never ``ops``;
``__init__``, ``__main__`` and ``diagnostics`` may import anything. Imports inside functions
count (a lazy import is still an arrow); imports under ``if TYPE_CHECKING:`` do not, as they
never run and only name types for annotations (set COUNT_TYPE_CHECKING_IMPORTS to forbid them).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "tinygrad_edu"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / PACKAGE

# First component of the module path (inside the package) -> layer. A package
# (e.g. nn/) puts all its submodules on its layer.
LAYERS: dict[str, int] = {
    # 0 backend: array namespaces, devices, dtypes
    "backend": 0,
    "cuda": 0,
    "accelerator": 0,  # torch.accelerator: the GPU probe's answers, device-neutral
    "backends": 0,  # torch.backends: mps and cudnn, which tinygrad_edu does not use
    "random": 0,  # the one NumPy generator (knows no tensors); cuda.manual_seed seeds it
    "settings": 0,  # process-wide switches: deterministic algorithms, thread count
    # 1 autograd core
    "engine": 1,
    # 2 tensor + ops
    "tensor": 2,
    "ops": 2,
    "ops_more": 2,  # more primitives: cumsum, sort, scatter, einsum ...
    "creation": 2,
    "tensor_functions": 2,
    "autograd": 2,
    "serialization": 2,
    "datasets": 2,  # bundled data sets, returned as tensors (no DataLoader needed)
    "printing": 2,
    "legacy": 2,  # torch.FloatTensor and the other legacy tensor types
    "special": 2,  # torch.special: erf, erfc (Tensor.erf uses its primitives)
    # 3 nn
    "nn": 3,
    # 4 optim, utils
    "optim": 4,
    "utils": 4,
}
VIZ = "viz"  # may import layers 0-2 except ops; importable from layer 3 up
VIZ_MAX_LAYER = 2
VIZ_FORBIDDEN = frozenset({"ops"})
VIZ_AS_TARGET = 3
FREE = frozenset({"__init__", "__main__", "diagnostics"})  # may import anything
TOP = 10**6  # layer of the package root and of FREE modules when imported
COUNT_TYPE_CHECKING_IMPORTS = False


def _is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, in source order, except those that only run for type checkers."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
            continue
        if (
            isinstance(node, ast.If)
            and not COUNT_TYPE_CHECKING_IMPORTS
            and _is_type_checking(node.test)
        ):
            children: list[ast.AST] = list(node.orelse)
        else:
            children = list(ast.iter_child_nodes(node))
        stack.extend(reversed(children))
    return found


def _layer_of_target(parts: tuple[str, ...]) -> int | None:
    """Layer of an imported tinygrad_edu module (parts inside the package)."""
    if not parts or parts[0] in FREE:
        return TOP
    if parts[0] == VIZ:
        return VIZ_AS_TARGET
    return LAYERS.get(parts[0])


def _is_submodule(package_dir: Path, parts: tuple[str, ...]) -> bool:
    path = package_dir.joinpath(*parts)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(
    module: str, source: str, *, is_package: bool = False, package_dir: Path = PACKAGE_DIR
) -> list[tuple[int, tuple[str, ...]]]:
    """(line, module parts inside tinygrad_edu) for each import of the package in ``source``.

    ``module`` is the dotted name inside the package (``"nn.linear"``); ``is_package`` says it
    is an ``__init__.py``. ``from X import name`` counts as importing ``X.name`` when that is a
    submodule on disk, else as importing ``X``.
    """
    own = tuple(module.split(".")) if module and module != "__init__" else ()
    here = own if is_package else own[:-1]  # the package relative imports start from
    found: list[tuple[int, tuple[str, ...]]] = []
    for node in _import_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                dotted = alias.name.split(".")
                if dotted[0] == PACKAGE:
                    found.append((node.lineno, tuple(dotted[1:])))
        else:
            if node.level:
                if node.level - 1 > len(here):
                    raise ValueError(f"{module}:{node.lineno}: relative import beyond {PACKAGE}")
                base = here[: len(here) - (node.level - 1)]
                base += tuple(node.module.split(".")) if node.module else ()
            else:
                dotted = (node.module or "").split(".")
                if dotted[0] != PACKAGE:
                    continue
                base = tuple(dotted[1:])
            for alias in node.names:
                candidate = (*base, alias.name)
                if alias.name != "*" and _is_submodule(package_dir, candidate):
                    found.append((node.lineno, candidate))
                else:
                    found.append((node.lineno, base))
    return found


def layer_violations(
    module: str, source: str, *, is_package: bool = False, package_dir: Path = PACKAGE_DIR
) -> list[str]:
    """Messages for each import in ``source`` that points against the layer flow."""
    first = module.split(".")[0]
    if first in FREE:
        return []
    if first != VIZ and first not in LAYERS:
        return [
            f"{PACKAGE}.{module} has no layer: add {first!r} to LAYERS in tests/test_layers.py "
            "(see DESIGN.md section 3)"
        ]
    problems = []
    for line, target in imported_modules(
        module, source, is_package=is_package, package_dir=package_dir
    ):
        name = ".".join((PACKAGE, *target))
        if target and target[0] == first:
            continue  # inside its own module or package
        layer = _layer_of_target(target)
        where = f"{PACKAGE}.{module} (line {line}) imports {name}"
        if layer is None:
            problems.append(f"{where}, which has no layer in LAYERS")
        elif first == VIZ:
            if layer > VIZ_MAX_LAYER or target[0] in VIZ_FORBIDDEN:
                problems.append(
                    f"{where}: viz may import layers 0-{VIZ_MAX_LAYER} "
                    f"except {sorted(VIZ_FORBIDDEN)}"
                )
        elif layer > LAYERS[first]:
            if layer == TOP:
                detail = "the package root or a top-level entry point"
            else:
                detail = f"layer {layer}"
            problems.append(
                f"{where}: layer {LAYERS[first]} must not import {detail}"
                + ("; import from the defining module instead" if not target else "")
            )
    return problems


def package_modules(package_dir: Path = PACKAGE_DIR) -> list[tuple[str, Path]]:
    """(dotted name inside the package, path) of every module; ``__init__`` files by their
    package name (the root package as ``"__init__"``)."""
    modules = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        modules.append((".".join(parts), path))
    return modules


MODULES = package_modules() if PACKAGE_DIR.is_dir() else []


def test_package_has_modules() -> None:
    assert MODULES, f"no modules found under {PACKAGE_DIR}: nothing to check"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_imports_follow_layers(module: str, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    problems = layer_violations(module, source, is_package=path.name == "__init__.py")
    assert not problems, "\n".join(problems)


# ---- the checker itself ---------------------------------------------------------------------


@pytest.fixture
def fake_package(tmp_path: Path) -> Path:
    for rel in [
        "engine.py",
        "tensor.py",
        "ops.py",
        "backend.py",
        "nn/__init__.py",
        "nn/functional.py",
        "viz.py",
        "__init__.py",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("engine", "from .tensor import Tensor"),
        ("engine", "import tinygrad_edu.tensor"),
        ("engine", "from tinygrad_edu import tensor"),
        ("engine", "def f():\n    from . import ops\n"),  # lazy imports count too
        ("engine", "if TYPE_CHECKING:\n    pass\nelse:\n    from . import ops\n"),  # runs
        ("backend", "from .engine import Function"),
        ("tensor", "from .nn import Linear"),
        ("tensor", "from . import Tensor"),  # the package root pulls in everything
        ("nn.functional", "from ..optim import SGD"),
        ("viz", "from .ops import Mul"),
        ("viz", "from .nn import Module"),
        ("ops", "from .helpers import thing"),  # a target without a layer
        ("helpers", "import numpy"),  # a module without a layer
    ],
)
def test_checker_catches_violation(fake_package: Path, module: str, source: str) -> None:
    assert layer_violations(module, source, package_dir=fake_package)


@pytest.mark.parametrize(
    ("module", "source", "is_package"),
    [
        (
            "tensor",
            "import numpy as np\nfrom .engine import Function\nfrom . import backend",
            False,
        ),
        ("ops", "from .tensor import Tensor\nfrom tinygrad_edu.backend import xp", False),
        ("engine", "import math\nfrom .backend import get_namespace", False),
        ("nn", "from . import functional\nfrom ..tensor import Tensor", True),
        ("nn.functional", "from ..ops import Relu\nfrom . import init", False),
        ("viz", "from .engine import toposort\nfrom .tensor import Tensor", False),
        ("__init__", "from .nn import Module\nfrom .optim import SGD\nfrom .ops import Mul", True),
        ("diagnostics", "from . import cuda, viz, nn", False),
        # typing-only: never runs
        (
            "engine",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .tensor import T",
            False,
        ),
        ("engine", "import typing\nif typing.TYPE_CHECKING:\n    from . import tensor", False),
    ],
)
def test_checker_allows_downward_imports(
    fake_package: Path, module: str, source: str, is_package: bool
) -> None:
    assert layer_violations(module, source, is_package=is_package, package_dir=fake_package) == []


def test_relative_import_resolution(fake_package: Path) -> None:
    found = imported_modules(
        "nn.functional",
        "from ..tensor import Tensor\nfrom . import functional\nfrom .. import ops",
        package_dir=fake_package,
    )
    assert [parts for _, parts in found] == [("tensor",), ("nn", "functional"), ("ops",)]

"""``tinygrad_edu.doctor()``: is this setup ready for the course? One table, one ``ok`` flag.

    import tinygrad_edu
    tinygrad_edu.doctor()          # in the first cell of a notebook
    python -m tinygrad_edu doctor  # in a terminal (exit code 0 when the core works)

It reports the versions of Python, NumPy, tinygrad_edu and JupyterLab; whether graphviz's
``dot`` program runs and the Python ``graphviz`` package imports (both needed for graph
pictures); whether a GPU is usable through CuPy and, if not, exactly why and what to install;
and the seed posts' check, ``torch.__version__`` and ``torch.cuda.is_available()``, in its
modern form (``import tinygrad_edu as torch``). Only the core (Python, NumPy, a tensor and its
backward) decides ``ok``: pictures and the GPU are optional.

The text is stable apart from version numbers and the GPU's reason; a notebook cell that
calls ``doctor()`` gets the ``nbval-ignore-output`` tag all the same (DESIGN.md section 6),
since the stored output comes from the machine that ran it.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from types import ModuleType

from . import __version__, cuda
from .creation import tensor

OK, MISSING = "✓", "✗"
MIN_PYTHON = (3, 10)
DOT_TIMEOUT_S = 10
DOT_HINT = ("install graphviz (the `dot` program): `conda install -c conda-forge graphviz`, "
            "`sudo apt-get install graphviz` (Debian / Ubuntu) or `brew install graphviz` "
            "(macOS); without it, graph pictures show as DOT text")
BINDING_HINT = ("install the Python package: `pip install graphviz` or "
                "`conda install -c conda-forge python-graphviz`")
JUPYTERLAB_HINT = ("install JupyterLab to open the course: `pip install jupyterlab` or "
                   "`conda install -c conda-forge jupyterlab` (or `conda env create -f "
                   "environment.yml`)")
NUMPY_HINT = "install NumPy: `pip install numpy` or `conda install -c conda-forge numpy`"


@dataclass(frozen=True)
class Check:
    """One row of the report: what was checked, whether it is fine, what was found, and
    what to do about it when it is not (``hint``). ``required`` rows decide ``Report.ok``."""

    name: str
    ok: bool
    found: str
    hint: str = ""
    required: bool = False

    @property
    def mark(self) -> str:
        return OK if self.ok else MISSING


@dataclass(frozen=True)
class Report:
    """What ``doctor()`` found, one ``Check`` per field; ``ok`` is True when the core works
    (pictures and the GPU are optional). Shows as a table with ✓ / ✗ marks."""

    python: Check
    numpy: Check
    tinygrad_edu: Check
    jupyterlab: Check
    dot: Check
    graphviz: Check
    gpu: Check
    seed_check: Check

    @property
    def checks(self) -> list[Check]:
        return [getattr(self, f.name) for f in fields(self)]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks if check.required)

    @property
    def missing(self) -> list[str]:
        """The names of the optional checks that failed."""
        return [check.name for check in self.checks if not check.ok and not check.required]

    def summary(self) -> str:
        if not self.ok:
            failed = ", ".join(c.name for c in self.checks if c.required and not c.ok)
            return f"{MISSING} the core does not work ({failed}): fix the rows marked {MISSING}"
        if self.missing:
            return (f"{OK} the core works; optional parts missing: {', '.join(self.missing)} "
                    "(see the hints above)")
        return f"{OK} everything works"

    def __repr__(self) -> str:
        width = max(len(check.name) for check in self.checks)
        lines = ["tinygrad_edu doctor"]
        for check in self.checks:
            lines.append(f"  {check.mark}  {check.name:<{width}}  {check.found}")
            if check.hint and not check.ok:
                lines.append(f"     {'':<{width}}  -> {check.hint}")
        lines.append(self.summary())
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        rows = ["**tinygrad_edu doctor**", "", "| | check | found |", "|---|---|---|"]
        for check in self.checks:
            found = _cell(check.found)
            if check.hint and not check.ok:
                found += f"<br>→ {_cell(check.hint)}"
            rows.append(f"| {check.mark} | {_cell(check.name)} | {found} |")
        rows += ["", self.summary()]
        return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell: ``_`` and ``*`` outside `code` are
    escaped (``__version__`` is not bold), ``|`` everywhere (GitHub's tables need it)."""
    parts = text.replace("\n", " ").split("`")
    for i in range(0, len(parts), 2):  # the even parts are outside code spans
        parts[i] = parts[i].replace("_", "\\_").replace("*", "\\*")
    return "`".join(parts).replace("|", "\\|")


# ------------------------------------------------------------------------------ the checks


def _version_of(distribution: str) -> str | None:
    """An installed distribution's version, read from its metadata (nothing is imported)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_python() -> Check:
    version = platform.python_version()
    ok = sys.version_info[:2] >= MIN_PYTHON
    need = ".".join(map(str, MIN_PYTHON))
    return Check("Python", ok, version,
                 "" if ok else f"tinygrad_edu needs Python {need} or newer", required=True)


def check_numpy() -> Check:
    try:
        numpy = importlib.import_module("numpy")
    except ImportError as exc:
        return Check("NumPy", False, f"not importable ({exc})", NUMPY_HINT, required=True)
    return Check("NumPy", True, str(numpy.__version__), required=True)


def check_tinygrad_edu() -> Check:
    """The version, and a tensor with its backward: d/dx sum(x * x) = 2 x."""
    try:
        x = tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x * x).sum().backward()
        if x.grad is None or x.grad.tolist() != [2.0, 4.0, 6.0]:
            raise ArithmeticError(f"expected the gradient [2, 4, 6], got {x.grad}")
    except Exception as exc:  # report it, never raise from the doctor
        return Check("tinygrad_edu", False, f"{__version__}: a tensor's backward failed: "
                     f"{type(exc).__name__}: {exc}",
                     "reinstall it: `pip install -e .` in the course folder", required=True)
    return Check("tinygrad_edu", True, f"{__version__} (a tensor and its backward work)",
                 required=True)


def check_jupyterlab() -> Check:
    version = _version_of("jupyterlab")
    if version is None:
        return Check("JupyterLab", False, "not installed", JUPYTERLAB_HINT)
    return Check("JupyterLab", True, version)


def check_dot() -> Check:
    """Run ``dot -V`` (it prints its version to stderr), with a timeout."""
    name = "graphviz `dot`"
    path = shutil.which("dot")
    if path is None:
        return Check(name, False, "not found on PATH", DOT_HINT)
    try:
        done = subprocess.run([path, "-V"], capture_output=True, text=True,
                              timeout=DOT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return Check(name, False, f"`{path} -V` did not finish in {DOT_TIMEOUT_S} s", DOT_HINT)
    except OSError as exc:
        return Check(name, False, f"`{path} -V` could not run: {exc}", DOT_HINT)
    text = (done.stderr or done.stdout).strip().splitlines()
    first = text[0] if text else ""
    if done.returncode != 0:
        return Check(name, False, f"`{path} -V` failed (exit code {done.returncode}): {first}",
                     DOT_HINT)
    return Check(name, True, first or path)


def check_graphviz_binding() -> Check:
    name = "graphviz (Python)"
    try:
        graphviz: ModuleType = importlib.import_module("graphviz")
    except ImportError:
        return Check(name, False, "not installed", BINDING_HINT)
    return Check(name, True, str(getattr(graphviz, "__version__", "installed")))


def _gpu_name() -> str:
    try:
        props = cuda.cupy_module().cuda.runtime.getDeviceProperties(0)
        name = props["name"]
        return name.decode() if isinstance(name, bytes) else str(name)
    except Exception:  # a name is a nicety
        return ""


def check_gpu() -> Check:
    name = "GPU (CuPy)"
    if not cuda.is_available():
        return Check(name, False, "not usable", cuda.why_unavailable())
    count = cuda.device_count()
    gpu = _gpu_name()
    return Check(name, True, f"{count} GPU{'s' if count != 1 else ''}"
                             + (f": {gpu}" if gpu else "") + " (device='cuda' works)")


def check_seed() -> Check:
    """The seed posts' first check, in its modern form, with ``import tinygrad_edu as torch``."""
    return Check("seed check", True, f"torch.__version__ = {__version__!r}, "
                                     f"torch.cuda.is_available() = {cuda.is_available()}")


CHECKS: dict[str, Callable[[], Check]] = {
    "python": check_python,
    "numpy": check_numpy,
    "tinygrad_edu": check_tinygrad_edu,
    "jupyterlab": check_jupyterlab,
    "dot": check_dot,
    "graphviz": check_graphviz_binding,
    "gpu": check_gpu,
    "seed_check": check_seed,
}


def doctor() -> Report:
    """Check this setup for the course; the report shows as a table (✓ / ✗ and hints)."""
    return Report(**{field: check() for field, check in CHECKS.items()})


def main() -> int:
    """``python -m tinygrad_edu doctor``: print the report; 0 when the core works."""
    report = doctor()
    text = repr(report)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except UnicodeEncodeError:  # a console that cannot show ✓ / ✗ (Windows cp1252)
        text = text.replace(OK, "+").replace(MISSING, "x")
        text = text.encode("ascii", errors="replace").decode("ascii")
    print(text)
    return 0 if report.ok else 1


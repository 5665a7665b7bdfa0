"""``tinygrad_edu.doctor()`` and ``python -m tinygrad_edu doctor``: the report students run
first. It always runs, says ✓ / ✗ per check with what to install, and only the core decides
``ok`` (and the exit code); graphviz and the GPU are optional."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import tinygrad_edu
from tinygrad_edu import cuda
from tinygrad_edu.diagnostics import Check, Report, check_dot, check_gpu
from tinygrad_edu.diagnostics import doctor as run_doctor

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ["python", "numpy", "tinygrad_edu", "jupyterlab", "dot", "graphviz", "gpu",
          "seed_check"]
HAS_DOT = subprocess.run(["which", "dot"], capture_output=True).returncode == 0


@pytest.fixture
def fresh_probe() -> Iterator[None]:
    """Forget the cached GPU probe before and after (a test changes what CuPy looks like)."""
    cuda.reset_probe()
    yield
    cuda.reset_probe()


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8",
                   **(env or {})}
    return subprocess.run([sys.executable, "-m", "tinygrad_edu", *args], capture_output=True,
                          text=True, env=environment, timeout=120, cwd=ROOT)


# ------------------------------------------------------------------------------ the report


def test_runs_and_has_every_field() -> None:
    report = tinygrad_edu.doctor()
    assert isinstance(report, Report)
    assert [field.name for field in dataclasses.fields(report)] == FIELDS
    assert all(isinstance(check, Check) for check in report.checks)
    assert report.ok  # the core works here
    assert report.python.found.startswith(f"{sys.version_info[0]}.{sys.version_info[1]}.")
    assert report.numpy.found == np.__version__
    assert report.tinygrad_edu.found.startswith(tinygrad_edu.__version__)
    assert {c.name for c in report.checks if c.required} == {"Python", "NumPy", "tinygrad_edu"}
    assert report.seed_check.found == (f"torch.__version__ = {tinygrad_edu.__version__!r}, "
                                       f"torch.cuda.is_available() = {cuda.is_available()}")
    assert report.gpu.ok == cuda.is_available()
    if HAS_DOT:
        assert report.dot.ok and report.dot.found.startswith("dot - graphviz version")


def test_table_text_and_markdown() -> None:
    report = run_doctor()
    text = repr(report)
    lines = text.splitlines()
    assert lines[0] == "tinygrad_edu doctor"
    for check in report.checks:
        row = next(line for line in lines if f"  {check.name}  " in line)
        assert row.startswith(f"  {'✓' if check.ok else '✗'}  ")
        assert row.rstrip().endswith(check.found)
    assert lines[-1].startswith("✓ the core works")
    markdown = report._repr_markdown_()
    assert "| | check | found |" in markdown
    assert "| ✓ | NumPy | " in markdown and "tinygrad\\_edu" in markdown
    assert "torch.\\_\\_version\\_\\_" in markdown  # not bold in Markdown
    assert markdown.count("\n| ") == 1 + len(report.checks)  # the header, one per check


def test_text_is_stable_apart_from_versions() -> None:
    """Two runs print the same text (what nbval would compare, were the cell not tagged)."""
    assert repr(run_doctor()) == repr(run_doctor())
    assert run_doctor()._repr_markdown_() == run_doctor()._repr_markdown_()


def test_only_the_core_decides_ok() -> None:
    report = run_doctor()
    broken_dot = dataclasses.replace(report, dot=Check("graphviz `dot`", False, "not found"))
    assert broken_dot.ok and broken_dot.missing == ["graphviz `dot`", *report.missing]
    broken_numpy = dataclasses.replace(report, numpy=Check("NumPy", False, "not importable",
                                                           required=True))
    assert not broken_numpy.ok
    assert repr(broken_numpy).splitlines()[-1].startswith("✗ the core does not work (NumPy)")


# ------------------------------------------------------------------------------ what is missing


def test_without_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without `dot`
    check = check_dot()
    assert not check.ok and check.found == "not found on PATH"
    for command in ("conda install -c conda-forge graphviz", "apt-get install graphviz",
                    "brew install graphviz"):
        assert command in check.hint
    report = run_doctor()
    assert report.ok and not report.dot.ok
    text = repr(report)
    assert "  ✗  graphviz `dot`" in text and "brew install graphviz" in text
    assert "optional parts missing: graphviz `dot`" in text


def test_dot_that_fails_or_hangs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'broken install' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    check = check_dot()
    assert not check.ok and "exit code 3" in check.found and "broken install" in check.found
    monkeypatch.setattr("tinygrad_edu.diagnostics.DOT_TIMEOUT_S", 0.2)
    fake.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(5)\n", encoding="utf-8")
    check = check_dot()
    assert not check.ok and "did not finish" in check.found and "apt-get" in check.hint


def test_without_the_graphviz_binding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)  # `import graphviz` fails
    report = run_doctor()
    assert report.ok and not report.graphviz.ok and report.graphviz.found == "not installed"
    assert "pip install graphviz" in report.graphviz.hint


def test_without_jupyterlab(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    real = importlib.metadata.version

    def version(name: str) -> str:
        if name == "jupyterlab":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    report = run_doctor()
    assert report.ok and not report.jupyterlab.ok
    assert report.jupyterlab.found == "not installed" and "jupyterlab" in report.jupyterlab.hint


def test_without_cupy(monkeypatch: pytest.MonkeyPatch, fresh_probe: None) -> None:
    monkeypatch.setitem(sys.modules, "cupy", None)  # `import cupy` fails
    check = check_gpu()
    assert not check.ok and check.found == "not usable"
    assert check.hint == cuda.why_unavailable()
    assert check.hint.startswith("CuPy is not installed")
    assert 'pip install -e ".[gpu]"' in check.hint and "conda-forge cupy" in check.hint
    report = run_doctor()
    assert report.ok and "torch.cuda.is_available() = False" in report.seed_check.found
    assert "CuPy is not installed" in repr(report)


def test_cupy_without_a_driver(monkeypatch: pytest.MonkeyPatch, fresh_probe: None) -> None:
    """CuPy imports, but counting devices fails (cupy_detection.md): the reason says so."""
    import types

    class CUDARuntimeError(RuntimeError):
        pass

    def no_driver() -> int:
        raise CUDARuntimeError("cudaErrorInsufficientDriver: CUDA driver version is "
                               "insufficient for CUDA runtime version")

    fake = types.ModuleType("cupy")
    fake.cuda = types.SimpleNamespace(  # type: ignore[attr-defined]
        runtime=types.SimpleNamespace(getDeviceCount=no_driver))
    monkeypatch.setitem(sys.modules, "cupy", fake)
    check = check_gpu()
    assert not check.ok
    assert "no usable CUDA driver" in check.hint and "cudaErrorInsufficientDriver" in check.hint


# ------------------------------------------------------------------------------ import and CLI


def test_import_stays_cheap() -> None:
    script = ("import sys, tinygrad_edu\n"
              "print('tinygrad_edu.diagnostics' in sys.modules, 'cupy' in sys.modules,\n"
              "      type(tinygrad_edu.doctor).__name__)\n"
              "report = tinygrad_edu.doctor()\n"
              "print(type(report).__name__, report.ok, tinygrad_edu.doctor().ok)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.returncode == 0, result.stderr
    # before the first call nothing of the checks is loaded; calling again gives a report
    assert result.stdout.splitlines() == ["False False function", "Report True True"]


def test_cli_prints_the_report() -> None:
    result = run_cli("doctor")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("tinygrad_edu doctor\n")
    for name in ("Python", "NumPy", "tinygrad_edu", "JupyterLab", "graphviz `dot`",
                 "GPU (CuPy)", "torch.cuda.is_available()"):
        assert name in result.stdout


def test_cli_without_dot_still_succeeds(tmp_path: Path) -> None:
    result = run_cli("doctor", env={"PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "✗  graphviz `dot`" in result.stdout and "apt-get install graphviz" in result.stdout


def test_cli_on_a_console_without_unicode() -> None:
    result = run_cli("doctor", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "+  NumPy" in result.stdout and "✓" not in result.stdout


@pytest.mark.parametrize("args", [("frobnicate",), ()])
def test_cli_unknown_or_missing_command(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage: python -m tinygrad_edu" in result.stderr
    assert "tinygrad_edu doctor" not in result.stdout


def test_cli_help() -> None:
    result = run_cli("--help")
    assert result.returncode == 0 and "doctor" in result.stdout

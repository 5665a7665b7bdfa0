"""environment.yml (students, conda) and pyproject.toml (pip, CI) must not drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools.check_env_sync import check, main, parse_conda_spec

ROOT = Path(__file__).resolve().parents[1]
ENV = ROOT / "environment.yml"
PYPROJECT = ROOT / "pyproject.toml"


def test_course_extra_in_sync() -> None:
    problems = check(ENV, PYPROJECT, ["course"])
    assert problems == [], "environment.yml drifted from pyproject.toml:\n" + "\n".join(problems)


def test_cli_reports_in_sync(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env", str(ENV), "--pyproject", str(PYPROJECT), "--extras", "course"]) == 0
    assert "0 problem(s)" in capsys.readouterr().out


@pytest.fixture
def drifted(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of both files with three kinds of drift planted in environment.yml."""
    text = ENV.read_text(encoding="utf-8")
    assert "  - tqdm\n" in text and "  - numpy" in text and "  - conda-forge\n" in text
    text = text.replace("  - tqdm\n", "")  # a package pyproject needs goes missing
    text = re.sub(r"  - numpy[^\n]*\n", "  - numpy=1.21\n", text)  # below pyproject's numpy>=2
    text = text.replace("  - conda-forge\n", "  - conda-forge\n  - defaults\n")
    text = text.replace("  - pip\n", "  - scipy\n  - pip\n")  # a package pyproject lacks
    env = tmp_path / "environment.yml"
    env.write_text(text, encoding="utf-8")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT.read_text(encoding="utf-8"), encoding="utf-8")
    return env, pyproject


def test_drift_is_reported(drifted: tuple[Path, Path]) -> None:
    report = "\n".join(check(*drifted, ["course"]))
    assert "tqdm" in report and "lacks it" in report
    assert "conda:numpy =1.21" in report and "numpy>=2.0" in report
    assert "'defaults'" in report
    assert "scipy" in report


def test_cli_fails_on_drift(drifted: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    env, pyproject = drifted
    assert main(["--env", str(env), "--pyproject", str(pyproject), "--extras", "course"]) == 1
    assert capsys.readouterr().out.count("DRIFT:") == 4


def test_unknown_extra_and_python_pin(tmp_path: Path) -> None:
    env = tmp_path / "environment.yml"
    env.write_text(
        "channels: [conda-forge]\ndependencies: [python=3.9, numpy, pip]\n", encoding="utf-8"
    )
    problems = check(env, PYPROJECT, ["no-such-extra"])
    assert any("no-such-extra" in p for p in problems)
    assert any("python =3.9" in p for p in problems)


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    env = tmp_path / "environment.yml"
    env.write_text("channels: [conda-forge\n", encoding="utf-8")  # broken YAML
    assert main(["--env", str(env), "--pyproject", str(PYPROJECT)]) == 2


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("numpy", ("numpy", [])),
        ("python=3.11", ("python", [("=", "3.11")])),
        ("numpy>=1.26,<3", ("numpy", [(">=", "1.26"), ("<", "3")])),
        ("conda-forge::numpy 1.26.*", ("numpy", [("=", "1.26.*")])),
        ("Matplotlib-Base >=3.8  # comment", ("matplotlib-base", [(">=", "3.8")])),
    ],
)
def test_parse_conda_spec(spec: str, expected: tuple[str, list[tuple[str, str]]]) -> None:
    assert parse_conda_spec(spec) == expected

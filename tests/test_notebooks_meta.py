"""The course notebooks are committed executed, so strict nbval really compares outputs.

A code cell with a null execution_count is silently NOT compared by nbval, and a kernelspec
other than ``python3`` fails with NoSuchKernel on other machines (DESIGN.md section 6).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

COURSE = Path(__file__).resolve().parents[1] / "course"
NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))


def _load(path: Path) -> dict[str, Any]:
    notebook: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return notebook


def test_course_has_notebooks() -> None:
    assert NOTEBOOKS, f"no notebooks in {COURSE}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_kernelspec_is_python3(path: Path) -> None:
    kernelspec = _load(path).get("metadata", {}).get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"{path.name}: kernelspec {kernelspec!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_code_cells_are_executed(path: Path) -> None:
    unexecuted = [
        i
        for i, cell in enumerate(_load(path)["cells"])
        if cell["cell_type"] == "code" and cell.get("execution_count") is None
    ]
    assert not unexecuted, (
        f"{path.name}: code cells {unexecuted} have no execution_count; re-execute with "
        "`jupyter nbconvert --to notebook --execute --inplace "
        "--ExecutePreprocessor.record_timing=False`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_errors_only_where_tagged(path: Path) -> None:
    untagged = []
    for i, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors and "raises-exception" not in tags:
            untagged.append(f"cell {i}: {errors[0].get('ename')}: {errors[0].get('evalue')}")
    assert not untagged, (
        f"{path.name}: error outputs in cells not tagged raises-exception:\n" + "\n".join(untagged)
    )

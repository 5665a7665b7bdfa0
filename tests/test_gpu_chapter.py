"""Chapter 05's GPU branch runs: the notebook executed with the CuPy stand-in in its kernel.

On a machine without a GPU, nbval only ever runs the chapter's cpu side, and the cells under
``if torch.cuda.is_available():`` would first run on a student's GPU. Here the chapter runs
once more with the NumPy-backed CuPy stand-in (tests/cupy_standin.py) installed by an extra
first cell, so every GPU-only cell executes: no error, and the GPU outputs appear. The
timings it prints are NumPy's, not a GPU's; only that the code runs is checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "course" / "05_gpu.ipynb"
SETUP = f"""import sys
sys.path.insert(0, {str(ROOT / "tests")!r})
import cupy_standin
cupy_standin.install()
import tinygrad_edu
print("stand-in GPU:", tinygrad_edu.cuda.is_available())"""


def _texts(cell: object) -> str:
    parts = []
    for output in cell.outputs:  # type: ignore[attr-defined]
        parts.append(output.get("text", "") or output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


@pytest.mark.slow
def test_chapter_05_gpu_branch_runs_on_the_standin() -> None:
    notebook = nbformat.read(CHAPTER, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(SETUP))
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(CHAPTER.parent)}})
    client.execute()
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "stand-in GPU: True" in _texts(code[0])
    errors = [f"cell {i}: {o.ename}: {o.evalue}" for i, c in enumerate(code)
              for o in c.outputs if o.output_type == "error"
              and "raises-exception" not in c.metadata.get("tags", [])]
    assert not errors, errors
    everything = "\n".join(_texts(c) for c in code)
    assert "(no GPU: skipped)" not in everything  # every GPU branch ran
    assert "cuda" in everything and "test accuracy above 97 %: True" in everything

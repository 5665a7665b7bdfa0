"""The course in a real browser (DESIGN.md section 7): JupyterLab in headless Chromium runs a
chapter through *Run > Run All Cells* and the rendered page is checked: every code cell ran,
the graph pictures and plots are on the page as PNG images, no error shows outside the cells
tagged ``raises-exception`` (and those do show theirs), and known text outputs are there.

Needs Debian's ``chromium``, the PyPI ``playwright`` package (the ``test`` extra) and graphviz's
``dot``. Skipped with the reason where one is missing, except under CI (``CI`` set), where a
missing one fails the test: .ci/run installs them, so a skip there would hide a broken setup.
About 15 s a chapter; each run is bounded at 120 s.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from jlab_driver import expected_png_count, missing_prerequisites, run_notebook, stored_notebook

COURSE = Path(__file__).resolve().parents[1] / "course"
TIMEOUT_S = 120.0
MIN_PNG_SIDE = 50  # pixels; a broken image or an install hint is smaller or not a PNG

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Chapter:
    notebook: str
    texts: tuple[str, ...] = ()  # output text that must be on the page after the run


# One line a chapter.
CHAPTERS = [
    Chapter("02_autograd.ipynb", texts=("tensor(27., grad_fn=<MeanBackward0>)",)),
    Chapter("04_neural_networks.ipynb", texts=("final test accuracy: 98.3 %",)),
    Chapter("05_gpu.ipynb", texts=("test accuracy above 97 %: True",)),
]


@pytest.fixture(scope="module")
def browser_ready() -> None:
    missing = missing_prerequisites()
    if not missing:
        return
    reason = "browser test needs " + ", ".join(missing)
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; under CI they must be installed (.ci/run does it)")
    pytest.skip(reason)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.notebook for c in CHAPTERS])
def test_chapter_runs_in_jupyterlab(
    chapter: Chapter, browser_ready: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = stored_notebook(COURSE / chapter.notebook)
    result = run_notebook(COURSE, chapter.notebook, tmp_path, timeout=TIMEOUT_S)
    with capsys.disabled():  # timings and where the screenshot is, also when it passes
        seconds = ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
        print(f"\n{chapter.notebook}: {seconds}; screenshot {result.screenshot}")

    assert not result.unexpected_errors, "error output in cells not tagged raises-exception:\n" + (
        "\n".join(result.unexpected_errors)
    )
    counts = [cell.execution_count for cell in result.cells]
    assert not result.unexecuted, (
        f"code cells {result.unexecuted} did not run (Run All stopped early?); "
        f"prompts {[c.prompt for c in result.cells]}"
    )
    assert counts == list(range(1, len(counts) + 1)), f"not one fresh Run All: {counts}"

    assert not result.expected_errors_missing, (
        f"cells {result.expected_errors_missing} are tagged raises-exception but show no error"
    )

    sizes = result.png_sizes
    expected = expected_png_count(stored)
    assert len(sizes) >= expected, (
        f"{len(sizes)} PNG images rendered, the stored notebook has {expected}"
    )
    small = [s for s in sizes if min(s) < MIN_PNG_SIDE]
    assert not small, f"PNG images too small to be a graph or plot: {small}"

    text = result.text
    missing_texts = [t for t in chapter.texts if t not in text]
    assert not missing_texts, f"not on the page: {missing_texts}"
    assert result.screenshot.stat().st_size > 10_000

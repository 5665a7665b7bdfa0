"""Run a course notebook in JupyterLab in a real (headless Debian) Chromium, as a student would.

``run_notebook(course_dir, name, workdir)`` copies the whole course folder (the ``checks*.py``
modules and GLOSSARY.md the notebooks use) into ``workdir``, clears the copy's outputs so that
everything on the page is fresh, starts ``jupyter lab`` on 127.0.0.1 with all Jupyter state in
``workdir`` (nothing read from or written to $HOME), opens the notebook, clicks
*Run > Run All Cells* in the menu bar, waits until every code cell has an execution count and
the kernel is idle, and reads back what rendered: PNG images, error and stderr outputs (each
with its cell's index and tags), the output text, and a full-page screenshot.

Playwright (PyPI) drives the system Chromium through ``executable_path``; never run
``playwright install``. Adapted from ../shared/recipes/jlab_smoke.py (DESIGN.md section 7).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

TOKEN = "tinygrad-edu-browser-test"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# JupyterLab user settings: no news toast, start the notebook's kernel without asking, and
# windowingMode "none" so every cell of a long notebook is in the DOM (the default
# virtualisation leaves off-screen cells out, and they could not be checked).
LAB_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
}
STDERR_MIME = "application/vnd.jupyter.stderr"  # Lab renders error tracebacks with it too
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Per code cell (in notebook order, markdown cells have index -1 skipped by the caller):
# its index among all cells, its prompt text, and its outputs.
_READ_CELLS_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')]
  .map((cell, index) => ({
    index,
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
    stderr: [...cell.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(e => e.innerText),
    text: [...cell.querySelectorAll('.jp-OutputArea-output')].map(e => e.innerText).join('\\n'),
    png: [...cell.querySelectorAll('.jp-RenderedImage img[src^="data:image/png"]')]
      .map(img => [img.naturalWidth, img.naturalHeight]),
  }))"""

# Run All has started: some code cell is queued/running ([*]) or already numbered.
_STARTED_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')]
  .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""

# Run All has ended: no cell is queued or running any more. Normally every code cell is then
# numbered; where Lab stopped at an unexpected exception, later cells are left blank, which the
# caller reports instead of waiting for the timeout.
_SETTLED_JS = """() => {
  const ps = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')];
  const idle = document.querySelector(
    '.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]');
  return ps.length > 0 && !ps.some(p => p.textContent.includes('*')) && !!idle;
}"""


class BrowserTestError(RuntimeError):
    """The browser, the server or the page did not do what was expected (not a course bug)."""


@dataclass
class CellOutput:
    """What a code cell shows after the run; ``index`` counts all cells, markdown included."""

    index: int
    prompt: str
    tags: list[str]
    stderr: list[str]
    text: str
    png_sizes: list[tuple[int, int]]

    @property
    def execution_count(self) -> int | None:
        digits = "".join(ch for ch in self.prompt if ch.isdigit())
        return int(digits) if digits and "*" not in self.prompt else None


@dataclass
class RunResult:
    """Everything read back from the page after *Run All Cells*."""

    notebook: str
    cells: list[CellOutput]
    screenshot: Path
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def png_sizes(self) -> list[tuple[int, int]]:
        return [size for cell in self.cells for size in cell.png_sizes]

    @property
    def text(self) -> str:
        return "\n".join(cell.text for cell in self.cells)

    @property
    def unexecuted(self) -> list[int]:
        return [cell.index for cell in self.cells if cell.execution_count is None]

    @property
    def unexpected_errors(self) -> list[str]:
        """Error/stderr outputs in cells NOT tagged ``raises-exception``."""
        return [
            f"cell {cell.index}: {text[-600:]}"
            for cell in self.cells
            if "raises-exception" not in cell.tags
            for text in cell.stderr
        ]

    @property
    def expected_errors_missing(self) -> list[int]:
        """Cells tagged ``raises-exception`` that show no error (so did not really run)."""
        return [
            cell.index for cell in self.cells if "raises-exception" in cell.tags and not cell.stderr
        ]


# ------------------------------------------------------------------------------ prerequisites


def find_chromium() -> str | None:
    """Path of a system Chromium, or None."""
    for candidate in CHROMIUM_CANDIDATES:
        path = shutil.which(candidate)
        if path:
            return path
    return None


def missing_prerequisites() -> list[str]:
    """What a browser run lacks here, as install hints; empty when all is there."""
    missing = []
    if find_chromium() is None:
        missing.append("Chromium (Debian: apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -e '.[test]'; never `playwright install`)")
    if shutil.which("dot") is None:
        missing.append("graphviz's `dot` (apt-get install graphviz)")
    return missing


# ------------------------------------------------------------------------------ the notebook


def stored_notebook(path: Path) -> dict[str, Any]:
    notebook: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return notebook


def expected_png_count(notebook: dict[str, Any]) -> int:
    """image/png outputs stored in the notebook, leaving out widget cells (they may render a
    plot differently, or only once a widget manager has loaded)."""
    count = 0
    for cell in notebook["cells"]:
        outputs = cell.get("outputs", [])
        if any(WIDGET_MIME in o.get("data", {}) for o in outputs):
            continue
        count += sum("image/png" in o.get("data", {}) for o in outputs)
    return count


def copy_course(course_dir: Path, dest: Path, name: str) -> Path:
    """The whole course folder copied to ``dest``, the notebook ``name`` with outputs and
    execution counts cleared (tags and sources kept), so all the page shows is fresh."""
    shutil.copytree(course_dir, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    path = dest / name
    notebook = stored_notebook(path)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ the server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _api(port: int, path: str, method: str = "GET", timeout: float = 5.0) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        headers={"Authorization": f"token {TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read()
    return json.loads(body) if body else None


@dataclass
class LabServer:
    """A ``jupyter lab`` process serving ``root``, its state kept under ``state``."""

    root: Path
    state: Path
    port: int = field(default_factory=_free_port)
    proc: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.state / "server.log"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"

    def start(self, deadline: float) -> None:
        env = dict(os.environ)
        repo = str(Path(__file__).resolve().parents[1])
        env.update(
            JUPYTER_CONFIG_DIR=str(self.state / "config"),
            JUPYTER_DATA_DIR=str(self.state / "data"),
            JUPYTER_RUNTIME_DIR=str(self.state / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(self.state / "lab-settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(self.state / "lab-workspaces"),
            IPYTHONDIR=str(self.state / "ipython"),
            MPLBACKEND="module://matplotlib_inline.backend_inline",
            # the kernel imports this checkout's tinygrad_edu, installed or not
            PYTHONPATH=os.pathsep.join(p for p in (repo, env.get("PYTHONPATH", "")) if p),
        )
        for rel, value in LAB_SETTINGS.items():
            settings = self.state / "lab-settings" / rel
            settings.parent.mkdir(parents=True, exist_ok=True)
            settings.write_text(json.dumps(value), encoding="utf-8")
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--ServerApp.allow_root=True")
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BrowserTestError(
                    f"jupyter lab exited with code {self.proc.returncode}:\n{self.log_tail()}"
                )
            with contextlib.suppress(OSError):
                _api(self.port, "/api/status", timeout=2)
                return
            time.sleep(0.3)
        raise BrowserTestError(f"jupyter lab did not answer in time:\n{self.log_tail()}")

    def wait_kernel_idle(self, deadline: float) -> None:
        """A session with a started, idle kernel exists (else Run All asks for a kernel)."""
        while time.monotonic() < deadline:
            sessions = _api(self.port, "/api/sessions")
            if any(s.get("kernel", {}).get("execution_state") == "idle" for s in sessions):
                return
            time.sleep(0.3)
        raise BrowserTestError("no idle kernel session before the deadline")

    def stop(self) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(Exception):  # graceful: also shuts the kernels down
                _api(self.port, "/api/shutdown", method="POST")
                proc.wait(timeout=10)
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None


# ------------------------------------------------------------------------------ the browser


@contextlib.contextmanager
def hard_timeout(seconds: float) -> Iterator[None]:
    """SIGALRM after ``seconds``: a last resort should a call block past every per-step
    deadline. Does nothing off the main thread or without SIGALRM (Windows)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"browser run exceeded {seconds:.0f} s")

    try:
        previous = signal.signal(signal.SIGALRM, _raise)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _run_all(page: Page, server: LabServer, url: str, deadline: float, t: dict[str, float]) -> None:
    def left_ms() -> float:
        return max(1000.0, (deadline - time.monotonic()) * 1000)

    t0 = time.monotonic()
    page.goto(url, timeout=left_ms())
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=left_ms())
    server.wait_kernel_idle(deadline)
    page.wait_for_selector(
        ".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=left_ms()
    )
    t["open"] = time.monotonic() - t0

    # Solution cells are committed with their source hidden; a hidden input has no prompt on
    # the page to read the execution count from, so show them all (View > Expand All Code).
    if page.locator(".jp-Cell .jp-InputPlaceholder").count():
        page.locator(".lm-MenuBar-itemLabel", has_text="View").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Expand All Code").first.click()
        page.wait_for_selector(".jp-Cell .jp-InputPlaceholder", state="detached")

    t0 = time.monotonic()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    dialog = page.locator(".jp-Dialog .jp-mod-accept")  # "Select Kernel", should it appear
    with contextlib.suppress(Exception):
        dialog.wait_for(state="visible", timeout=1000)
        dialog.click()
    page.wait_for_function(_STARTED_JS, timeout=left_ms())
    page.wait_for_function(_SETTLED_JS, timeout=left_ms(), polling=250)
    t["run_all"] = time.monotonic() - t0


def run_notebook(
    course_dir: Path,
    name: str,
    workdir: Path,
    *,
    timeout: float = 120.0,
    viewport: tuple[int, int] = (1280, 1600),
) -> RunResult:
    """Run ``course_dir/name`` in JupyterLab in Chromium; see the module docstring.

    Raises BrowserTestError (with the server log) when the page or server misbehaves, and
    TimeoutError when the whole run passes ``timeout`` seconds. The screenshot is written
    to ``workdir`` in every case (``*-FAILED.png`` when the run did not finish).
    """
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise BrowserTestError("no Chromium found")
    start = time.monotonic()
    deadline = start + timeout
    timings: dict[str, float] = {}
    root, state = workdir / "course", workdir / "jupyter-state"
    state.mkdir(parents=True)
    notebook = stored_notebook(copy_course(course_dir, root, name))
    tags = [cell.get("metadata", {}).get("tags", []) for cell in notebook["cells"]]
    screenshot = workdir / f"{Path(name).stem}.png"

    server = LabServer(root, state)
    with hard_timeout(timeout + 20):
        try:
            server.start(deadline)
            timings["server"] = time.monotonic() - start
            url = f"http://127.0.0.1:{server.port}/lab/tree/{name}?token={TOKEN}&reset"
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=chromium,
                    headless=True,
                    args=CHROMIUM_ARGS,
                    timeout=max(1000.0, (deadline - time.monotonic()) * 1000),
                )
                try:
                    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
                    page.set_default_timeout(30_000)
                    try:
                        _run_all(page, server, url, deadline, timings)
                        raw = page.evaluate(_READ_CELLS_JS)
                        first_png = page.locator(".jp-RenderedImage img[src^='data:image/png']")
                        if first_png.count():
                            first_png.first.scroll_into_view_if_needed()
                        page.screenshot(path=str(screenshot), full_page=True)
                    except BaseException:
                        with contextlib.suppress(Exception):
                            failed = screenshot.with_name(f"{screenshot.stem}-FAILED.png")
                            page.screenshot(path=str(failed), full_page=True, timeout=10_000)
                        raise
                finally:
                    browser.close()
        except BaseException:
            print(f"---- jupyter lab log (tail) ----\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            server.stop()
    timings["total"] = time.monotonic() - start

    if len(raw) != len(notebook["cells"]):
        raise BrowserTestError(
            f"page shows {len(raw)} cells, {name} has {len(notebook['cells'])}: "
            "were cells left out of the DOM (windowingMode)?"
        )
    cells = [
        CellOutput(
            index=item["index"],
            prompt=item["prompt"].strip(),
            tags=list(tags[item["index"]]),
            stderr=list(item["stderr"]),
            text=item["text"],
            png_sizes=[(int(w), int(h)) for w, h in item["png"]],
        )
        for item in raw
        if item["code"]
    ]
    return RunResult(notebook=name, cells=cells, screenshot=screenshot, seconds=timings)

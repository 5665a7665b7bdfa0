"""What every test module finds set up: course/ on the import path, so the checker tests can
``import checks_04`` (course/ is not a package); and which device the parity suites run our
side on (see ``helpers.OURS_DEVICE``).

``TINYGRAD_EDU_TEST_DEVICE=cuda-standin`` installs the NumPy-backed CuPy stand-in
(tests/cupy_standin.py) before any test module imports, so the cuda code path runs on a
machine without a GPU; ``=cuda`` uses the real GPU that ``tinygrad_edu.cuda`` finds.
"""

import os
import sys
from pathlib import Path

COURSE = Path(__file__).resolve().parents[1] / "course"
if str(COURSE) not in sys.path:
    sys.path.insert(0, str(COURSE))

if os.environ.get("TINYGRAD_EDU_TEST_DEVICE") == "cuda-standin":
    import cupy_standin

    cupy_standin.install()

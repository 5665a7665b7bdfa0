"""What the tests of the course's exercise checkers share (tests/conftest.py puts course/ on
the import path for them)."""

from __future__ import annotations

import pytest


def outcome(capsys: pytest.CaptureFixture[str], ok: bool, one_line: bool = True) -> str:
    """The printed text, after checking the returned bool matches its mark (✅ / ❌)."""
    out = capsys.readouterr().out
    assert out.startswith("✅" if ok else "❌"), out
    if one_line:
        assert out.count("\n") == 1, out
    return out

"""The Python code passes its linters and type checker, so that the README's test command enforces them.

The frontend's own checks (ESLint, Prettier, stylelint, tsc) run in
test_frontend.py; `pre-commit run --all-files` runs the same set before a commit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "src", "tests", "benchmarks"],
        ["ruff", "format", "--check", "src", "tests", "benchmarks"],
        # strict, on src/ (pyproject.toml's [tool.mypy]): 0 errors.
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_python_passes_its_checks(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-8000:]

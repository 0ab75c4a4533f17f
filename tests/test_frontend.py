"""The frontend's own jest suite, run from pytest so that one command runs every test."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

LABEXTENSION = Path(__file__).resolve().parent.parent / "labextension"


def test_jest_suite_passes() -> None:
    jlpm, node = shutil.which("jlpm"), shutil.which("node")
    if not (jlpm and node and (LABEXTENSION / "package.json").exists()):
        reason = "jest needs node, jlpm (from jupyterlab) and the labextension/ sources"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    if not (LABEXTENSION / "node_modules" / ".bin" / "jest").exists():
        install = subprocess.run(
            [jlpm, "install", "--immutable"], cwd=LABEXTENSION, capture_output=True, text=True, timeout=900
        )
        assert install.returncode == 0, install.stdout[-4000:] + install.stderr[-4000:]
    result = subprocess.run(
        [jlpm, "test", "--ci", "--coverage=false"],
        cwd=LABEXTENSION, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]

"""The frontend's own checks (jest, the linters, the type checker), run from pytest so that one command runs every test."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

LABEXTENSION = Path(__file__).resolve().parent.parent / "labextension"


def frontend_tools(*tools: str) -> str:
    """The path of jlpm, once the labextension's node tools are installed; skip without node (fail in CI)."""
    jlpm, node = shutil.which("jlpm"), shutil.which("node")
    if not (jlpm and node and (LABEXTENSION / "package.json").exists()):
        reason = "the frontend checks need node, jlpm (from jupyterlab) and the labextension/ sources"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    if not all((LABEXTENSION / "node_modules" / ".bin" / tool).exists() for tool in tools):
        install = subprocess.run(
            [jlpm, "install", "--immutable"], cwd=LABEXTENSION, capture_output=True, text=True, timeout=900
        )
        assert install.returncode == 0, install.stdout[-4000:] + install.stderr[-4000:]
    return jlpm


def test_jest_suite_passes() -> None:
    jlpm = frontend_tools("jest")
    result = subprocess.run(
        [jlpm, "test", "--ci", "--coverage=false"],
        cwd=LABEXTENSION,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]


@pytest.mark.parametrize(
    "command",
    [
        # ESLint with @jupyter/eslint-plugin (untranslated strings are errors), Prettier, stylelint.
        ["lint:check"],
        # jest compiles only what the specs import: the compiler checks every module.
        ["tsc", "--noEmit"],
    ],
    ids=["lint", "types"],
)
def test_frontend_passes_its_checks(command: list[str]) -> None:
    jlpm = frontend_tools("eslint", "prettier", "stylelint", "tsc")
    result = subprocess.run([jlpm, *command], cwd=LABEXTENSION, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]

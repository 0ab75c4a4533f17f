"""jupyter_server's own contents API tests pass with journal_ext enabled, but for one documented case.

The tests come from the sdist of the installed jupyter_server, downloaded
from PyPI on first use (never copied into this repository), and run with a
conftest that enables journal_ext on a journal file of their own. The one
expected difference: ``test_delete_dirs`` deletes every folder of the root
and expects it empty, while the root always lists ``Journal/``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib.metadata import version
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
EXPECTED_FAILURES = {
    "tests/services/contents/test_api.py::test_delete_dirs[FileContentsManager]",
    "tests/services/contents/test_api.py::test_delete_dirs[AsyncFileContentsManager]",
}


def jupyter_server_tests() -> Path:
    """The unpacked sdist of the installed jupyter_server (downloaded once, kept in the temp dir)."""
    release = version("jupyter_server")
    cache = Path(tempfile.gettempdir()) / f"journal_ext-jupyter_server-{release}"
    source = cache / f"jupyter_server-{release}"
    if not (source / "tests" / "services" / "contents" / "test_api.py").exists():
        cache.mkdir(parents=True, exist_ok=True)
        download = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-binary",
                ":all:",
                "--no-deps",
                f"jupyter_server=={release}",
                "-d",
                str(cache),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        archives = list(cache.glob("jupyter_server-*.tar.gz"))
        if download.returncode != 0 or not archives:
            reason = f"cannot download jupyter_server {release}'s sdist: {download.stderr[-500:]}"
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
        with tarfile.open(archives[0]) as archive:
            archive.extractall(cache, filter="data")
    shutil.copy(
        HERE / "jupyter_server_contents_conftest.py", source / "tests" / "services" / "contents" / "conftest.py"
    )
    return source


def test_jupyter_servers_contents_tests_pass_with_journal_ext() -> None:
    source = jupyter_server_tests()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-o",
            "asyncio_default_fixture_loop_scope=function",
            "-W",
            "ignore::pytest.PytestDeprecationWarning",
            "-W",
            "ignore::pytest.PytestConfigWarning",
            "-rf",
            "tests/services/contents/test_api.py",
            "tests/services/contents/test_manager_no_hash.py",
        ],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=900,
    )
    failed = set(re.findall(r"^FAILED (\S+)", result.stdout, re.M))
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) > 250, result.stdout[-4000:] + result.stderr[-2000:]
    assert "error" not in result.stdout.splitlines()[-1], result.stdout[-4000:]
    assert failed == EXPECTED_FAILURES, result.stdout[-6000:]

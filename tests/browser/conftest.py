"""Browser tests: a real JupyterLab started by a fixture, driven in Debian's Chromium by playwright.

Playwright's sync API runs its own event loop, so pytest-jupyter's autouse
loop fixtures are switched off here. Without Chromium these tests skip,
except in CI (CI=true) where a missing browser fails the run.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..servers import COLLABORATION_SERVER_EXTENSIONS

CHROMIUM = "/usr/bin/chromium"
# axe-core from labextension's devDependencies, for the accessibility scans.
AXE = Path(__file__).resolve().parents[2] / "labextension" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def jp_asyncio_loop() -> Iterator[None]:
    yield None


@pytest.fixture
def jp_server_cleanup() -> Iterator[None]:
    yield


FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def shown_day(iso_day: str) -> str:
    """A day as the French interface writes it (Intl, plain spaces): 5 octobre 2026, 1er octobre 2026."""
    year, month, day = (int(part) for part in iso_day[:10].split("-"))
    return f"{'1er' if day == 1 else day} {FRENCH_MONTHS[month - 1]} {year}"


def shown_title(title: str) -> str:
    """A journal document's title as the sidebar and the tabs show it: its date written out."""
    if len(title) >= 10 and title[4] == "-" and title[7] == "-" and title[:4].isdigit():
        return shown_day(title[:10]) + title[10:]
    return title


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (browser tests must run in CI)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Lab:
    """A running JupyterLab: where to reach it and what it runs on."""

    url: str
    token: str
    root: Path
    db_path: Path
    process: subprocess.Popen[bytes]
    log: Path

    def lab_url(self, path: str = "lab", reset: bool = True) -> str:
        # ?reset starts from an empty workspace, whatever an earlier test left open.
        return f"{self.url}{path}?token={self.token}" + ("&reset" if reset else "")

    def api(self, *parts: str) -> Any:
        request = urllib.request.Request(
            f"{self.url}{'/'.join(urllib.parse.quote(part) for part in parts)}",
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def put_settings(self, plugin: str, raw: str) -> None:
        """Replace the user's settings of one of journal_ext's plugins ("cells", "sidebar"...), as the Settings editor does."""
        request = urllib.request.Request(
            f"{self.url}lab/api/settings/journal_ext:{plugin}",
            data=json.dumps({"raw": raw}).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 204


# jupyter-collaboration (in the test extras) turns itself on when installed. Every
# browser test but the collaborative ones runs without it, as by default: its
# server extensions off (tests/servers.py: jupyter_server_fileid with them, which only they need)
# and its JupyterLab extensions off, which gives JupyterLab its own file browser
# and cell executor back. `jupyter server extension disable` and
# `jupyter labextension disable` write the same two files.
COLLABORATION_LAB_EXTENSIONS = ("@jupyter/collaboration-extension", "@jupyter/docprovider-extension")


def write_config_dir(config_dir: Path, collaboration: bool) -> None:
    """A Jupyter config dir for a test server, with or without real-time collaboration."""
    (config_dir / "labconfig").mkdir(parents=True, exist_ok=True)
    switched = not collaboration
    # Turned off here; when on, as installed (jupyter_collaboration itself is no server extension).
    server_extensions = dict.fromkeys(COLLABORATION_SERVER_EXTENSIONS, False) if switched else {}
    server = {
        "ServerApp": {"jpserver_extensions": server_extensions},
        # window.jupyterapp: tests read the notebook's model (how many cells it holds).
        "LabApp": {"expose_app_in_browser": True},
        # Collaboration's own files (room histories, file ids) stay in the test's folder,
        # not in the working directory or the user's data dir, where a later run would find them.
        "SQLiteYStore": {"db_path": str(config_dir.parent / "ystore.db")},
        "BaseFileIdManager": {"db_path": str(config_dir.parent / "file_ids.db")},
    }
    lab = {"disabledExtensions": dict.fromkeys(COLLABORATION_LAB_EXTENSIONS, switched)}
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(server, indent=2), encoding="utf-8")
    (config_dir / "labconfig" / "page_config.json").write_text(json.dumps(lab, indent=2), encoding="utf-8")


def start_demo_lab(tmp: Path, user: str | None = None, root: Path | None = None, collaboration: bool = False) -> Lab:
    """Run the README's main job, `journal-ext demo`, and wait until it answers.

    Two servers given the same ``root`` share one demo database, as two
    people's servers share the journal on a JupyterHub. ``collaboration``
    turns jupyter-collaboration on (it is off otherwise, see above).
    """
    _require(shutil.which("journal-ext") is not None, "journal-ext is not installed (pip install .)")
    port, token = _free_port(), secrets.token_hex(16)
    root = root or tmp / "demo"
    settings = tmp / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # Keep JupyterLab's "news?" toast from covering what the test clicks.
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    # Render every cell, so that tests can reach sections below the fold.
    notebook_settings = tmp / "user-settings" / "@jupyterlab" / "notebook-extension"
    notebook_settings.mkdir(parents=True)
    (notebook_settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    write_config_dir(tmp / "config", collaboration)
    env = dict(os.environ)
    env.update(
        {
            "JUPYTER_CONFIG_DIR": str(tmp / "config"),
            "JUPYTER_TOKEN": token,
            "JUPYTERLAB_SETTINGS_DIR": str(tmp / "user-settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
        }
    )
    env.pop("JUPYTERHUB_USER", None)
    argv = ["journal-ext", "demo", "--dir", str(root), "--port", str(port), "--no-browser"]
    if user:
        argv += ["--as", user]
    log = tmp / "lab.log"
    process = subprocess.Popen(argv, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}/", token, root, root / "journal-demo.db", process, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"journal-ext demo exited early:\n{log.read_text()}")
        try:
            lab.api("api", "status")
            return lab
        except OSError:
            time.sleep(0.3)
    stop_lab(lab)
    raise RuntimeError(f"JupyterLab did not answer within 90 s:\n{log.read_text()}")


def stop_lab(lab: Lab) -> None:
    """Stop the server and everything it started."""
    if lab.process.poll() is None:
        os.killpg(lab.process.pid, signal.SIGTERM)
        try:
            lab.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(lab.process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by playwright (never a downloaded browser)."""
    _require(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def demo_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """`journal-ext demo` running as the learner Camille."""
    lab = start_demo_lab(tmp_path_factory.mktemp("lab"))
    yield lab
    stop_lab(lab)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        reason = f"{AXE} is missing (cd labextension && jlpm install)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: the accessibility scan must run in CI")
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tutor_lab(tmp_path_factory: pytest.TempPathFactory, demo_lab: Lab) -> Iterator[Lab]:
    """Nadia's server (the tutor) on the same demo journal as `demo_lab`, as on a JupyterHub."""
    lab = start_demo_lab(tmp_path_factory.mktemp("tutor"), "nadia", root=demo_lab.root)
    yield lab
    stop_lab(lab)


def open_lab(browser: Any, lab: Lab, path: str = "lab") -> Any:
    """A fresh browser context on a lab page, once JupyterLab's shell is up."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(lab.lab_url(path))
    page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
    return page


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser tests run last, after the in-process server tests.
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)

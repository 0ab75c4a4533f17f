"""JupyterLab's ready time in headless Chromium, with and without journal_ext.

Two servers run from the same environment; in one, journal_ext's server
extension and frontend are switched off through an isolated Jupyter config
dir (``jpserver_extensions`` and ``page_config.json``). Page loads alternate
between them, each in a fresh browser context (empty cache). Ready means the
main dock panel and a Launcher card are shown and ``app.restored`` resolved.
Uses Debian's Chromium at /usr/bin/chromium through playwright (never a
downloaded browser).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from .corpus import copy_database
from .measure import Figure, percentile

CHROMIUM = "/usr/bin/chromium"
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
READY_TARGET = 1.2


def available() -> str | None:
    """Why the lab benchmark cannot run here, or None when it can."""
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install '.[bench]')"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """One JupyterLab server with its own config, settings and workspace dirs."""

    def __init__(self, folder: Path, *, journal: bool, db_path: Path, user: str) -> None:
        self.folder = folder
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.journal = journal
        config = folder / "config"
        (config / "labconfig").mkdir(parents=True, exist_ok=True)
        settings = folder / "settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True, exist_ok=True)
        # No "news?" toast in either run.
        (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
        if not journal:
            (config / "jupyter_server_config.json").write_text(
                json.dumps({"ServerApp": {"jpserver_extensions": {"journal_ext": False}}})
            )
            (config / "labconfig" / "page_config.json").write_text(
                json.dumps({"disabledExtensions": {"journal_ext": True}})
            )
        root = folder / "root"
        root.mkdir(exist_ok=True)
        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(config),
            JOURNAL_EXT_DB=str(db_path),
            JUPYTERLAB_SETTINGS_DIR=str(folder / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(folder / "workspaces"),
        )
        env.pop("JUPYTERHUB_USER", None)
        argv = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True",
            f"--JournalExtension.user={user}",
            f"--JournalExtension.db_path={db_path}",
        ]
        if os.geteuid() == 0:
            argv.append("--ServerApp.allow_root=True")
        self.log = folder / "server.log"
        began = time.perf_counter()
        self.process = subprocess.Popen(
            argv, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
        )
        self.start_s = self._wait(began)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def get(self, path: str) -> int:
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def _wait(self, began: float) -> float:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self.log.read_text()[-3000:]}")
            try:
                if self.get("api/status") == 200:
                    return time.perf_counter() - began
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within 120 s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def _ready_ms(browser: Any, server: Server) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        began = time.perf_counter()
        page.goto(f"{server.url}lab?token={server.token}&reset")
        page.wait_for_selector("#jp-main-dock-panel", timeout=120_000)
        page.wait_for_selector(".jp-LauncherCard", timeout=120_000)
        page.evaluate("() => window.jupyterapp.restored")
        elapsed = (time.perf_counter() - began) * 1000
        if server.journal:
            # The extension is really there: its sidebar tab is in the shell.
            page.wait_for_function(
                "() => window.jupyterapp.hasPlugin && [...window.jupyterapp.listPlugins()].some(id => id.startsWith('journal_ext'))",
                timeout=60_000,
            )
        return elapsed
    finally:
        context.close()


def run(workdir: Path, db_source: Path, user: str, *, quick: bool) -> list[Figure]:
    """Page-ready and server-start times with and without journal_ext."""
    rounds = 2 if quick else 6
    folder = workdir / "lab"
    db_path = copy_database(db_source, folder / "journal.db")
    servers = {
        "with": Server(folder / "with", journal=True, db_path=db_path, user=user),
        "without": Server(folder / "without", journal=False, db_path=db_path, user=user),
    }
    try:
        assert servers["with"].get("journal/api/me") == 200, "journal_ext is not enabled in the 'with' server"
        assert servers["without"].get("journal/api/me") == 404, "journal_ext is still enabled in the 'without' server"
        from playwright.sync_api import sync_playwright

        times: dict[str, list[float]] = {"with": [], "without": []}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                _ready_ms(browser, servers["without"])  # warm the OS file cache for both
                _ready_ms(browser, servers["with"])
                for n in range(rounds):
                    for side in ("with", "without") if n % 2 else ("without", "with"):
                        times[side].append(_ready_ms(browser, servers[side]))
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.stop()
    ours, base = percentile(times["with"], 50), percentile(times["without"], 50)
    return [
        Figure(
            "lab",
            "JupyterLab ready in headless Chromium (median)",
            ours,
            "ms",
            baseline=base,
            baseline_name="same JupyterLab, journal_ext switched off",
            target=f"<= {READY_TARGET}x",
            met=ours <= READY_TARGET * base,
            details={"with_ms": times["with"], "without_ms": times["without"]},
        ),
        Figure(
            "lab",
            "server start to /api/status",
            servers["with"].start_s * 1000,
            "ms",
            baseline=servers["without"].start_s * 1000,
            baseline_name="same server, journal_ext switched off",
            note="one start each",
        ),
    ]

"""Real Jupyter servers in their own processes, several on one journal file, as on a JupyterHub."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# jupyter-collaboration's server extensions: installed for the collaboration tests, which
# turn them on; every other test server runs without them, as journal_ext does by default.
COLLABORATION_SERVER_EXTENSIONS = ("jupyter_server_ydoc", "jupyter_server_fileid")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def json_request(
    method: str, url: str, token: str, body: Any = None, headers: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, Any, dict[str, str]]:
    """One HTTP request with a token and a JSON body; (status, decoded JSON body or text, headers), whatever the status."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw, answer_headers = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, raw, answer_headers = error.code, error.read(), dict(error.headers)
    try:
        return status, json.loads(raw) if raw else None, answer_headers
    except ValueError:
        return status, raw.decode("utf-8", "replace"), answer_headers


@dataclass
class Server:
    """One user's Jupyter server with journal_ext, reached over HTTP."""

    user: str
    url: str
    token: str
    process: subprocess.Popen[bytes]
    log: Path

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any, dict[str, str]]:
        """Send a request; (status, decoded JSON body or text, headers)."""
        return json_request(method, self.url + path, self.token, body)

    def contents(self, path: str) -> str:
        return "api/contents/" + urllib.parse.quote(path)


def start_server(
    tmp: Path,
    db_path: Path,
    user: str,
    data_dir: Path | None = None,
    extra_args: Sequence[str] = (),
    config: str | None = None,
    extensions: Sequence[str] = ("journal_ext",),
) -> Server:
    """Start `jupyter server` as ``user`` on the journal file (not yet waiting for it).

    ``extra_args`` go on its command line; ``config`` is the text of a
    ``jupyter_server_config.py`` in its own config dir.
    """
    port, token = free_port(), secrets.token_hex(16)
    home = tmp / f"server-{user}"
    (home / "root").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("JUPYTERHUB_USER", None)
    env.update(
        {
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            # One data dir for all by default: the people of a shared account, the worst case for trust.
            "JUPYTER_DATA_DIR": str(data_dir or home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        }
    )
    (home / "config").mkdir(parents=True, exist_ok=True)
    # jupyter-collaboration (in the test extras) stays off unless a test names it.
    switched_on = {**dict.fromkeys(COLLABORATION_SERVER_EXTENSIONS, False), **dict.fromkeys(extensions, True)}
    (home / "config" / "jupyter_server_config.py").write_text(
        f"c.ServerApp.jpserver_extensions = {switched_on!r}\n" + (config or ""),
        encoding="utf-8",
    )
    # A manager defined by a test module (tests/managers.py) must be importable by the server.
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH")])
    )
    argv = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={home / 'root'}",
        "--ServerApp.allow_root=True",
        f"--JournalExtension.db_path={db_path}",
        f"--JournalExtension.user={user}",
        *extra_args,
    ]
    log = home / "server.log"
    process = subprocess.Popen(argv, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    return Server(user, f"http://127.0.0.1:{port}/", token, process, log)


def wait_until_up(server: Server, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.user}'s server exited early:\n{server.log.read_text()}")
        try:
            status, _, _ = server.request("GET", "api/status")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{server.user}'s server did not answer:\n{server.log.read_text()}")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)


@contextmanager
def servers(tmp: Path, db_path: Path, users: list[str], shared_data_dir: bool = True) -> Iterator[dict[str, Server]]:
    """One server per user on the same journal file, started together."""
    data_dir = tmp / "shared-data" if shared_data_dir else None
    started = {user: start_server(tmp, db_path, user, data_dir) for user in users}
    try:
        for server in started.values():
            wait_until_up(server)
        yield started
    finally:
        for server in started.values():
            stop_server(server)

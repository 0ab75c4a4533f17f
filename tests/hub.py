"""A real JupyterHub with real unix users, configured only with ``journal-ext hub-config``'s output.

The hub (jupyterhub from PyPI, configurable-http-proxy from npm) runs as
root with LocalProcessSpawner, so each person's server runs as their own
unix user and the journal service as its own (``journal``). Its Python
environment is made with Debian's ``/usr/bin/python3`` so that those users
can run it (a venv of root's own Python lies under root's 0700 home), and
kept between runs under ``JOURNAL_EXT_HUB_TEST_DIR``: journal_ext is
reinstalled into it only when its sources changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.servers import free_port, json_request

REPOSITORY = Path(__file__).resolve().parent.parent
HUB_ROOT = Path(os.environ.get("JOURNAL_EXT_HUB_TEST_DIR", "/opt/journal-ext-hub-test"))
VENV = HUB_ROOT / "venv"
PROXY = HUB_ROOT / "proxy"
SERVICE_USER = "journal"
SERVICE_HOME = Path("/var/lib/journal-ext-hub-test")
DB = SERVICE_HOME / "journal.db"
PEOPLE = {
    "learner1": ("learner", "Léa Martin"),
    "learner2": ("learner", "Yanis Benali"),
    "tutor1": ("tutor", "Nadia Roux"),
    "coord1": ("coordinator", "Hélène Petit"),
}
# A hub admin who is in no group: a platform administrator, as the hub says.
HUB_ADMIN = "hubadmin"
GROUP = "Groupe Quartiers"
COHORT = "Promotion 2026-2027"
PASSWORD = "journal-hub-test"  # DummyAuthenticator's shared password, for the browser tests


def missing_prerequisite() -> str | None:
    """Why a real hub can't run here (None when it can)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "a real JupyterHub with unix users needs root (CI runs as root)"
    for program in ("useradd", "runuser", "npm"):
        if shutil.which(program) is None:
            return f"a real JupyterHub needs {program}"
    if not Path("/usr/bin/python3").exists():
        return "a real JupyterHub needs Debian's /usr/bin/python3 (a Python the hub's users can run)"
    return None


def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command; its output is in the error when it fails."""
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def _sources_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((REPOSITORY / "src" / "journal_ext").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPOSITORY)).encode())
            digest.update(path.read_bytes())
    digest.update((REPOSITORY / "pyproject.toml").read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    """The hub's venv (jupyterhub, JupyterLab, this journal_ext) and configurable-http-proxy."""
    HUB_ROOT.mkdir(parents=True, exist_ok=True)
    python = VENV / "bin" / "python"
    if not python.exists():
        run(["/usr/bin/python3", "-m", "venv", str(VENV)])
        run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    import jupyterhub
    import jupyterlab

    marker = VENV / ".journal-ext-sources"
    digest = _sources_digest()
    if not marker.exists() or marker.read_text() != digest:
        run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                f"jupyterhub=={jupyterhub.__version__}",
                f"jupyterlab=={jupyterlab.__version__}",
                str(REPOSITORY),
            ]
        )
        # The same journal_ext again, even when its version number did not change.
        run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(REPOSITORY)])
        marker.write_text(digest)
    proxy = PROXY / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists():
        PROXY.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--prefix", str(PROXY), "--no-audit", "--no-fund", "configurable-http-proxy@5"])
    # The users run the hub's Python and JupyterLab: everything readable, nothing writable.
    run(["chmod", "-R", "go+rX,go-w", str(HUB_ROOT)])


def ensure_user(name: str, system: bool = False, home: Path | None = None) -> None:
    try:
        pwd.getpwnam(name)
        return
    except KeyError:
        pass
    argv = ["useradd", "--shell", "/bin/bash" if not system else "/usr/sbin/nologin"]
    if system:
        argv += ["--system", "--home-dir", str(home), "--create-home"]
    else:
        argv += ["--create-home"]
    run([*argv, name])


def as_user(user: str, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command as a unix user (without raising: the test reads the outcome)."""
    prefix = ["runuser", "-u", user, "--"]
    if env is not None:
        prefix += ["env", "-i", *[f"{k}={v}" for k, v in env.items()]]
    return subprocess.run([*prefix, *argv], capture_output=True, text=True, cwd="/")


def journal_cli(*argv: str) -> str:
    """journal-ext as the service user, on the service's own file (the first set-up)."""
    result = as_user(SERVICE_USER, str(VENV / "bin" / "python"), "-m", "journal_ext", *argv, "--db", str(DB))
    if result.returncode != 0:
        raise RuntimeError(f"journal-ext {' '.join(argv)}: {result.stdout}{result.stderr}")
    return result.stdout


LAB_SETTINGS = {
    # The programmes' language, as the demo's interface.
    ("translation-extension", "plugin"): {"locale": "fr_FR"},
    # No "news?" toast over what a browser test clicks.
    ("apputils-extension", "notification"): {"fetchNews": "false"},
    # Every cell rendered, so sections below the fold can be reached.
    ("notebook-extension", "tracker"): {"windowingMode": "none"},
}


def lab_settings_for(user: str) -> None:
    """JupyterLab settings in the user's home, owned by them, as they would have chosen."""
    home = Path(pwd.getpwnam(user).pw_dir)
    for (extension, plugin), values in LAB_SETTINGS.items():
        folder = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / extension
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{plugin}.jupyterlab-settings").write_text(json.dumps(values), encoding="utf-8")
    # No workspace of an earlier run: tabs of documents from an older journal would reopen.
    shutil.rmtree(home / ".jupyter" / "lab" / "workspaces", ignore_errors=True)
    run(["chown", "-R", f"{user}:{user}", str(home / ".jupyter")])


def fresh_journal() -> None:
    """The unix users, and a new journal database holding one group with its people."""
    ensure_user(SERVICE_USER, system=True, home=SERVICE_HOME)
    for name in [*PEOPLE, HUB_ADMIN]:
        ensure_user(name)
        lab_settings_for(name)
    SERVICE_HOME.mkdir(parents=True, exist_ok=True)
    shutil.chown(SERVICE_HOME, SERVICE_USER, SERVICE_USER)
    SERVICE_HOME.chmod(0o700)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    journal_cli("init")
    journal_cli("cohort", "add", COHORT)
    journal_cli("group", "add", COHORT, GROUP)
    for name, (role, display) in PEOPLE.items():
        journal_cli("member", "add", GROUP, name, "--role", role, "--name", display)


@dataclass
class Hub:
    """A running JupyterHub, driven through its REST API with an admin service token."""

    scratch: Path
    port: int = field(default_factory=free_port)
    hub_port: int = field(default_factory=free_port)
    proxy_api_port: int = field(default_factory=free_port)
    service_port: int = field(default_factory=free_port)
    admin_token: str = field(default_factory=lambda: secrets.token_hex(24))
    # The token of the service the API tests run in a thread (tests/service_thread.py).
    api_test_token: str = field(default_factory=lambda: secrets.token_hex(24))
    process: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.scratch / "jupyterhub.log"

    def config(self) -> str:
        snippet = run(
            [
                str(VENV / "bin" / "python"),
                "-m",
                "journal_ext",
                "hub-config",
                "--db",
                str(DB),
                "--user",
                SERVICE_USER,
                "--port",
                str(self.service_port),
            ]
        ).stdout
        people = sorted([*PEOPLE, HUB_ADMIN])
        base = f"""
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {self.hub_port}
c.JupyterHub.db_url = "sqlite:///{self.scratch}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{self.scratch}/cookie_secret"
c.JupyterHub.pid_file = "{self.scratch}/jupyterhub.pid"
c.ConfigurableHTTPProxy.command = ["{PROXY}/node_modules/.bin/configurable-http-proxy"]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{self.proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = "{self.scratch}/proxy.pid"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allowed_users = {set(people)!r}
c.Authenticator.admin_users = {{{HUB_ADMIN!r}}}
c.Spawner.cmd = ["{VENV}/bin/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180
# The hub notices a stopped journal service (and starts it again) within seconds.
c.Spawner.poll_interval = 2
c.JupyterHub.services = [
    {{"name": "test-admin", "api_token": {self.admin_token!r}}},
    {{"name": "journal-api-test", "api_token": {self.api_test_token!r}}},
]
c.JupyterHub.load_groups = {{"journal-api-testers": {{"users": []}}}}
c.JupyterHub.load_roles = [
    {{
        "name": "test-admin",
        "services": ["test-admin"],
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users", "admin:groups"],
    }},
    {{
        "name": "journal-api-testers",
        "groups": ["journal-api-testers"],
        "scopes": ["access:services!service=journal-api-test"],
    }},
]
"""
        return base + "\n# --- journal-ext hub-config ---\n" + snippet

    def start(self) -> None:
        self.scratch.mkdir(parents=True, exist_ok=True)
        (self.scratch / "jupyterhub_config.py").write_text(self.config(), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JOURNAL_EXT"))}
        env["PATH"] = f"{VENV}/bin:{env.get('PATH', '/usr/bin:/bin')}"
        self.process = subprocess.Popen(
            [str(VENV / "bin" / "jupyterhub"), "-f", str(self.scratch / "jupyterhub_config.py")],
            cwd=self.scratch,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until(lambda: self.api("GET", "/hub/api/")[0] == 200, "the hub to answer")
        self.wait_until(self.service_is_up, "the journal service to answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        # Servers and the service run in their own sessions: stop whatever is left.
        for user in [*PEOPLE, HUB_ADMIN, SERVICE_USER]:
            subprocess.run(["pkill", "-u", user], capture_output=True)

    def wait_until(self, condition: Any, what: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the hub exited while waiting for {what}:\n{self.log.read_text()[-6000:]}")
            try:
                if condition():
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"timed out waiting for {what}:\n{self.log.read_text()[-6000:]}")

    def service_is_up(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.service_port}/health", timeout=5) as answer:
                return bool(answer.status == 200)
        except (OSError, urllib.error.HTTPError):
            return False

    def request(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any, dict[str, str]]:
        """A request through the hub's proxy, asking for French answers; (status, JSON or text, headers)."""
        return json_request(method, self.url + path, token, body, headers={"Accept-Language": "fr"}, timeout=60)

    def api(self, method: str, path: str, body: Any = None) -> tuple[int, Any, dict[str, str]]:
        return self.request(method, path, self.admin_token, body)

    def start_server(self, user: str) -> None:
        status, _, _ = self.api("POST", f"/hub/api/users/{user}/server")
        assert status in (201, 202, 400), f"starting {user}'s server answered {status}"

        def ready() -> bool:
            _, model, _ = self.api("GET", f"/hub/api/users/{user}")
            server = (model or {}).get("servers", {}).get("")
            return bool(server and server.get("ready"))

        self.wait_until(ready, f"{user}'s server")

    def token(self, user: str) -> str:
        """A token of ``user`` (what their browser session or a token they make carries)."""
        if user not in self.tokens:
            status, model, _ = self.api("POST", f"/hub/api/users/{user}/tokens", {"note": "journal_ext test"})
            assert status == 201, model
            self.tokens[user] = model["token"]
        return self.tokens[user]

    @property
    def api_url(self) -> str:
        """The hub's own API, as services reach it."""
        return f"http://127.0.0.1:{self.hub_port}/hub/api"

    def api_tester_token(self, user: str) -> str:
        """A token of ``user`` (a hub user made here if needed) that may call the API tests' service."""
        key = f"api-test:{user}"
        if key not in self.tokens:
            status, _, _ = self.api("GET", f"/hub/api/users/{user}")
            if status == 404:
                status, made, _ = self.api("POST", f"/hub/api/users/{user}")
                assert status == 201, made
            status, added, _ = self.api("POST", "/hub/api/groups/journal-api-testers/users", {"users": [user]})
            assert status == 200, added
            status, model, _ = self.api("POST", f"/hub/api/users/{user}/tokens", {"note": "journal_ext API tests"})
            assert status == 201, model
            self.tokens[key] = model["token"]
        return self.tokens[key]

    def as_person(self, user: str, method: str, path: str, body: Any = None) -> tuple[int, Any, dict[str, str]]:
        """A request to ``user``'s own server (``path`` below /user/<name>/), with their token."""
        return self.request(method, f"/user/{user}/{path}", self.token(user), body)

    def to_service(self, user: str, method: str, path: str, body: Any = None) -> tuple[int, Any, dict[str, str]]:
        """A request straight to the journal service (through the hub's proxy), with ``user``'s token."""
        return self.request(method, f"/services/journal/{path}", self.token(user), body)

    def server_pid(self, user: str) -> int:
        """The process id of ``user``'s single-user server."""
        result = run(["pgrep", "-u", user, "-f", "jupyterhub-singleuser"])
        return int(result.stdout.split()[0])

    def service_pid(self) -> int:
        result = run(["pgrep", "-u", SERVICE_USER, "-f", "journal_ext serve"])
        return int(result.stdout.split()[0])


def environment_of(pid: int) -> dict[str, str]:
    """A process's environment, as /proc shows it to root."""
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(entry.split("=", 1) for entry in raw.decode("utf-8", "replace").split("\0") if "=" in entry)


def quote(path: str) -> str:
    return urllib.parse.quote(path)


def running_hub(scratch: Path) -> Iterator[Hub]:
    """A fresh journal and a running hub with learner1's, learner2's and tutor1's servers up.

    The unix users, the service's folder and the hub's venv are the
    machine's: a second test run on the same machine waits for the first.
    """
    import fcntl

    import pytest

    reason = missing_prerequisite()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the JupyterHub tests must run in CI: {reason}")
        pytest.skip(reason)
    HUB_ROOT.parent.mkdir(parents=True, exist_ok=True)
    with open(HUB_ROOT.parent / f"{HUB_ROOT.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("waiting for another test run's JupyterHub to finish…", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        ensure_environment()
        fresh_journal()
        hub = Hub(scratch=scratch)
        try:
            hub.start()
            for user in ("learner1", "learner2", "tutor1"):
                hub.start_server(user)
            yield hub
        finally:
            hub.stop()

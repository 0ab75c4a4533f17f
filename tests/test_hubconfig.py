"""journal-ext hub-config: a snippet a hub admin pastes, which JupyterHub's configuration loader takes as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from traitlets.config import Config


def snippet(*options: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "journal_ext", "hub-config", *options], capture_output=True, text=True, check=True
    )
    return result.stdout


def load(text: str, config: Config) -> Config:
    exec(compile(text, "journal.py", "exec"), {"get_config": lambda: config})
    return config


def test_the_snippet_configures_an_empty_hub_and_keeps_what_is_there(tmp_path: Path) -> None:
    text = snippet("--db", str(tmp_path / "j" / "journal.db"), "--user", "journal-svc", "--port", "9876")
    fresh = load(text, Config())
    # Nothing set before: the hub applies the snippet's additions to its defaults.
    assert [s["name"] for s in fresh.JupyterHub.services.get_value([])] == ["journal"]
    existing = Config()
    existing.JupyterHub.services = [{"name": "grader", "url": "http://127.0.0.1:9999"}]
    load(text, existing)
    assert [s["name"] for s in existing.JupyterHub.services] == ["grader", "journal"]
    service = existing.JupyterHub.services[1]
    assert service["url"] == "http://127.0.0.1:9876"
    assert service["user"] == "journal-svc"
    assert service["command"][:4] == [sys.executable, "-m", "journal_ext", "serve"]
    assert service["command"][service["command"].index("--db") + 1] == str(tmp_path / "j" / "journal.db")
    # The service backs the journal up beside it, once a day, the last week kept.
    backups = service["command"][service["command"].index("--backup-dir") :]
    assert backups == ["--backup-dir", str(tmp_path / "j" / "backups"), "--backup-every", "1d", "--backup-keep", "7"]
    roles = {r["name"]: r["scopes"] for r in existing.JupyterHub.load_roles.get_value([])}
    assert "access:services!service=journal" in roles["server"]
    assert {"users:activity!user", "access:servers!server"} <= set(roles["server"])
    assert "self" in roles["user"]
    environment = Config()
    environment.Spawner.environment = {"LANG": "fr_FR.UTF-8"}
    load(text, environment)
    assert environment.Spawner.environment == {
        "LANG": "fr_FR.UTF-8",
        "JOURNAL_EXT_SERVICE_URL": "http://127.0.0.1:9876/services/journal/",
    }
    # The first set-up's commands are in it, with the chosen user and file.
    assert (
        f"runuser -u journal-svc -- {sys.executable} -m journal_ext init --db {tmp_path / 'j' / 'journal.db'}" in text
    )

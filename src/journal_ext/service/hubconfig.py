"""The JupyterHub configuration of the journal service, as ``journal-ext hub-config`` prints it.

One snippet, pasted into ``jupyterhub_config.py`` or saved as a file of
The Littlest JupyterHub's ``jupyterhub_config.d/``: the managed service
(command, unix user, address), the scopes that let every user's server and
kernels call it with their own token, and the environment that points user
servers at it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from journal_ext import __version__

DEFAULT_DB = Path("/var/lib/journal_ext/journal.db")
DEFAULT_PORT = 8765
DEFAULT_USER = "journal"
SERVICE_NAME = "journal"

# The default scopes of JupyterHub's `server` and `user` roles, which the snippet keeps.
SERVER_SCOPES = ("users:activity!user", "access:servers!server")
USER_SCOPES = ("self",)


@dataclass(frozen=True)
class HubSetup:
    """Where the service runs and as whom."""

    db: Path = DEFAULT_DB
    user: str = DEFAULT_USER
    port: int = DEFAULT_PORT
    ip: str = "127.0.0.1"
    python: str = sys.executable

    @property
    def url(self) -> str:
        """Where the hub and user servers reach the service."""
        return f"http://{self.ip}:{self.port}"

    @property
    def service_url(self) -> str:
        """The service's address with its prefix, as user servers call it."""
        return f"{self.url}/services/{SERVICE_NAME}/"


def _py(value: str | list[str]) -> str:
    """A string or a list of strings as Python source (JSON's quoting is Python's for these)."""
    return json.dumps(value, ensure_ascii=False)


def snippet(setup: HubSetup) -> str:
    """The configuration to add to the hub (Python, for jupyterhub_config.py or jupyterhub_config.d/)."""
    access = f"access:services!service={SERVICE_NAME}"
    command = [setup.python, "-m", "journal_ext", "serve", "--db", str(setup.db), "--ip", setup.ip]
    command += ["--port", str(setup.port)]
    # A checked backup a day beside the database, the last week kept (journal-ext restore puts one back).
    command += ["--backup-dir", str(setup.db.parent / "backups"), "--backup-every", "1d", "--backup-keep", "7"]
    server_scopes = [*SERVER_SCOPES, access]
    user_scopes = [*USER_SCOPES, access]
    return f"""# journal_ext {__version__}: the journal service, printed by `journal-ext hub-config`.
# Paste into jupyterhub_config.py, or save as jupyterhub_config.d/journal.py
# (The Littlest JupyterHub), then restart the hub.
#
# Before the first start, as root: create the service's unix user and its folder,
# which nobody else can read (the database is the service's alone, mode 0600):
#   useradd --system --home-dir {setup.db.parent} --create-home --shell /usr/sbin/nologin {setup.user}
#   chmod 700 {setup.db.parent}
#   runuser -u {setup.user} -- {setup.python} -m journal_ext init --db {setup.db}
c = get_config()  # noqa: F821 (JupyterHub provides get_config in its configuration files)

# The service: the only process that opens the database, as the unix user {setup.user}.
c.JupyterHub.services.append(
    {{
        "name": {_py(SERVICE_NAME)},
        "url": {_py(setup.url)},
        "command": {_py(command)},
        "user": {_py(setup.user)},
        "cwd": {_py(str(setup.db.parent))},
        "display": False,
    }}
)

# Every user's server and kernels (the server's token), and tokens people make
# themselves, may call the service; it answers as the token's owner.
c.JupyterHub.load_roles.append({{"name": "server", "scopes": {_py(server_scopes)}}})
c.JupyterHub.load_roles.append({{"name": "user", "scopes": {_py(user_scopes)}}})

# User servers find the service here; they open no database file.
c.Spawner.environment.update({{"JOURNAL_EXT_SERVICE_URL": {_py(setup.service_url)}}})
"""

"""The journal service on a test's own journal file, in a thread of the test process, with a real hub's identities.

The API tests run "two ways in": against a server that opens the file
(embedded), and against a server in service mode whose journal is this
service (benchmarks.service.ServiceThread, the service's application in a
thread and event loop of its own: the user server's contents manager calls
it synchronously), with identities resolved by the session's real
JupyterHub (tests/hub.py) from real hub tokens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.service import ServiceThread

API_TEST_SERVICE = "journal-api-test"


def api_test_service(db_path: Path, hub_api_url: str, service_token: str) -> ServiceThread:
    """The service the API tests' servers use, started."""

    def hub_auth() -> Any:
        from jupyterhub.services.auth import HubAuth

        return HubAuth(
            api_url=hub_api_url,
            api_token=service_token,
            access_scopes={f"access:services!service={API_TEST_SERVICE}"},
            cache_max_age=60,
        )

    return ServiceThread(db_path, hub_auth, prefix=f"/services/{API_TEST_SERVICE}/").start()

"""The journal service's application on a test's own journal file, answering in a thread of the test process.

The API tests run "two ways in": against a server that opens the file
(embedded), and against a server in service mode whose journal is this
service, with identities resolved by the session's real JupyterHub
(tests/hub.py) from real hub tokens. Its own thread and event loop: the
user server's contents manager calls it synchronously.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from tests.servers import free_port

API_TEST_SERVICE = "journal-api-test"


class ServiceThread:
    """``make_app`` serving ``db_path`` on a free port, until :meth:`stop`."""

    def __init__(self, db_path: Path, hub_api_url: str, service_token: str) -> None:
        self.db_path = db_path
        self.hub_api_url = hub_api_url
        self.service_token = service_token
        self.port = free_port()
        self.prefix = f"/services/{API_TEST_SERVICE}/"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="journal-service", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def start(self) -> ServiceThread:
        self._thread.start()
        if not self._ready.wait(timeout=60):
            raise RuntimeError("the journal service thread did not start")
        if self._failure is not None:
            raise RuntimeError("the journal service thread failed") from self._failure
        return self

    def _run(self) -> None:
        from jupyterhub.services.auth import HubAuth

        from journal_ext.core.documents import ensure_initialised
        from journal_ext.db import JournalStore
        from journal_ext.service.app import make_app

        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        store: Any = None
        try:
            store = JournalStore(self.db_path)
            ensure_initialised(store)
            hub_auth = HubAuth(
                api_url=self.hub_api_url,
                api_token=self.service_token,
                access_scopes={f"access:services!service={API_TEST_SERVICE}"},
                cache_max_age=60,
            )
            app = make_app(lambda: store, hub_auth, prefix=self.prefix, db_path=str(self.db_path))
            server = app.listen(self.port, "127.0.0.1")
        except BaseException as error:
            self._failure = error
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            server.stop()
            store.close()
            loop.close()

    def stop(self) -> None:
        if self._loop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)

"""Open and save through the journal service vs embedded, in the same run: notebooks of 10 / 50 / 200 cells.

Both sides are the contents manager of a user server, reached as the
contents REST handler reaches it (``await manager.get(path)`` /
``await manager.save(model, path)``): embedded, the server's default
``AsyncLargeFileManager`` wrapped by journal_ext on the database file; in
service mode, the same class wrapped with the remote drive, asking the
journal service (``journal_ext.service.app.JournalService``, in a
thread of its own, as a separate process would be) over HTTP.

The caller's hub token is resolved once, as JupyterHub's ``HubAuth`` does:
it keeps the hub's answer for a minute, so all requests but the first of
each minute pay no round trip to the hub. Here its cache holds the answer
from the start (no hub runs); the figure is the steady state.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore
from journal_ext.server.drive import JournalDrive, wrap_contents_manager
from journal_ext.server.remote import RemoteDrive
from journal_ext.service.client import ServiceClient

from .corpus import TextMaker, build_people, entry_cells
from .measure import Figure, percentile

SUITE = "service"
TOKEN = "benchmark-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServiceThread:
    """The journal service's application on ``db_path``, in a thread and event loop of its own, until stopped.

    ``hub_auth`` makes the ``HubAuth`` that resolves callers' tokens (made
    in the service's thread). The tests run their API tests through one too.
    """

    def __init__(self, db_path: Path, hub_auth: Callable[[], Any], prefix: str = "/services/journal/") -> None:
        self.db_path, self.hub_auth, self.prefix = db_path, hub_auth, prefix
        self.port = free_port()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self.service: Any = None
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

    def stop(self) -> None:
        if self._loop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)

    def __enter__(self) -> ServiceThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        from journal_ext.core.documents import ensure_initialised
        from journal_ext.service.app import JournalService

        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            with JournalStore(self.db_path) as store:
                ensure_initialised(store)
            self.service = JournalService(self.db_path, self.hub_auth(), prefix=self.prefix)
            server = self.service.app.listen(self.port, "127.0.0.1")
        except BaseException as error:
            self._failure = error
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            server.stop()
            self.service.close()
            loop.close()


def hub_auth_for(users: dict[str, str]) -> Any:
    """A HubAuth whose cache already holds the hub's answer for each token (token -> user), as after a first request."""
    from jupyterhub.services.auth import HubAuth

    hub_auth = HubAuth(
        api_url="http://127.0.0.1:9/hub/api",
        api_token="unused",
        access_scopes={"access:services!service=journal"},
        cache_max_age=24 * 3600,
    )
    for token, user in users.items():
        hub_auth.cache[f"token::{hashlib.sha256(token.encode()).hexdigest()}"] = {
            "kind": "user",
            "name": user,
            "admin": False,
            "scopes": ["access:services!service=journal"],
        }
    return hub_auth


def cached_hub_auth(user: str) -> Any:
    """A HubAuth whose cache already holds the hub's answer for :data:`TOKEN` (``user``)."""
    return hub_auth_for({TOKEN: user})


SIDES = ("embedded", "service")


def _world(db_path: Path, sizes: tuple[int, ...]) -> tuple[str, dict[tuple[str, int], str]]:
    """A learner with one entry per size and side (each side saves its own: no merge between them)."""
    maker = TextMaker(seed=17)
    with JournalStore(db_path) as store:
        world = build_people(store)
        user = world.learners[0]
        titles = {}
        for side in SIDES:
            for cells in sizes:
                title = f"Entrée de {cells} cellules ({side})"
                store.create_document(
                    kind="learning_journal",
                    title=title,
                    owner=user,
                    group_id=world.group_of[user],
                    visibility="tutors",
                    template_version_id=None,
                    cells=entry_cells(title, [maker.text(800) for _ in range(cells - 1)]),
                )
                titles[side, cells] = title
    return user, titles


async def _run(workdir: Path, sizes: tuple[int, ...], rounds: int) -> list[Figure]:
    workdir.mkdir(parents=True, exist_ok=True)
    root = workdir / "files"
    root.mkdir(exist_ok=True)
    db_path = workdir / "service.db"
    user, titles = _world(db_path, sizes)
    maker = TextMaker(seed=23)
    store = JournalStore(db_path)
    embedded_class = wrap_contents_manager(
        AsyncLargeFileManager, lambda _manager: JournalDrive(lambda: store, lambda: viewer_for(store, user))
    )
    figures: list[Figure] = []
    with ServiceThread(db_path, lambda: cached_hub_auth(user)) as service:
        client = ServiceClient(url=service.url, token=TOKEN)
        remote_class = wrap_contents_manager(AsyncLargeFileManager, lambda _manager: RemoteDrive(client))
        sides = {"embedded": embedded_class(root_dir=str(root)), "service": remote_class(root_dir=str(root))}
        try:
            for cells in sizes:
                paths = {side: f"Journal/Mon journal/{titles[side, cells]}.ipynb" for side in SIDES}
                notebooks = {side: (await manager.get(paths[side]))["content"] for side, manager in sides.items()}
                times: dict[str, list[float]] = {f"{s} {a}": [] for s in sides for a in ("get", "save")}
                for n in range(rounds):
                    order = list(sides.items()) if n % 2 == 0 else list(sides.items())[::-1]
                    for side, manager in order:
                        clock = asyncio.get_running_loop().time
                        start = clock()
                        got = await manager.get(paths[side])
                        times[f"{side} get"].append((clock() - start) * 1000)
                        assert got["type"] == "notebook"
                        notebook = notebooks[side]
                        notebook["cells"][1 + n % (cells - 1)]["source"] = maker.text(800) + f" ({side} {n})"
                        start = clock()
                        model = {"type": "notebook", "format": "json", "content": copy.deepcopy(notebook)}
                        await manager.save(model, paths[side])
                        times[f"{side} save"].append((clock() - start) * 1000)
                for action in ("get", "save"):
                    ours = percentile(times[f"service {action}"], 50)
                    base = percentile(times[f"embedded {action}"], 50)
                    figures.append(
                        Figure(
                            SUITE,
                            f"{'open' if action == 'get' else 'save'} a notebook of {cells} cells"
                            " through the journal service (median)",
                            ours,
                            "ms",
                            baseline=base,
                            baseline_name="embedded (the server opens the file)",
                            note="one HTTP round trip on loopback, JSON both ways; the hub's answer cached",
                            details={
                                "service_p95_ms": percentile(times[f"service {action}"], 95),
                                "embedded_p95_ms": percentile(times[f"embedded {action}"], 95),
                                "rounds": rounds,
                            },
                        )
                    )
        finally:
            store.close()
    return figures


def run(workdir: Path, *, quick: bool) -> list[Figure]:
    """Open and save timings through the journal service against embedded."""
    os.environ.setdefault("JUPYTER_DATA_DIR", str(workdir / "jupyter-data"))
    sizes = (10, 50) if quick else (10, 50, 200)
    return asyncio.run(_run(workdir / "service", sizes, rounds=4 if quick else 30))

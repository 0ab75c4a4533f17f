"""The journal service: the one process that opens the journal database, for everyone on a JupyterHub.

``journal-ext serve`` runs it as a JupyterHub service, under its own unix
user: the database, its ``-wal``/``-shm`` and its backups are that user's
alone (mode 0600). Every request carries the caller's hub token; the hub
says whose it is (:mod:`journal_ext.service.identity`). The API is the
journal's own (the same handlers as a single-user server's ``/journal/api``),
plus the Journal/ folder for user servers' contents managers
(``journal/api/drive/<operation>``) and ``health`` for probes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import inspect
import logging
import os
import stat
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_server.auth.authorizer import AllowAllAuthorizer
from jupyter_server.utils import url_path_join
from tornado import web

from journal_ext.core.documents import ensure_initialised
from journal_ext.core.permissions import Viewer
from journal_ext.db import JournalStore
from journal_ext.server.context import JournalContext
from journal_ext.server.drive import JournalDrive, drive_answer, notebook_from
from journal_ext.server.errors import Refusal
from journal_ext.server.handlers.base import VERBS, JournalHandler, text_field
from journal_ext.server.routes import route_table
from journal_ext.service.backups import BackupSchedule, DatabaseClaim
from journal_ext.service.writer import BatchWriter, Stores

log = logging.getLogger("journal_ext.service")

# The database and what SQLite keeps beside it: the service user's alone.
PRIVATE_MODE = 0o600
DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def make_private(db_path: Path) -> None:
    """Give the database and the files SQLite keeps beside it mode 0600 (a folder made here is 0700)."""
    for suffix in DATABASE_SUFFIXES:
        companion = db_path.with_name(db_path.name + suffix)
        if companion.exists() and stat.S_IMODE(companion.stat().st_mode) != PRIVATE_MODE:
            companion.chmod(PRIVATE_MODE)


def open_private_store(db_path: Path) -> JournalStore:
    """Open (create, migrate) the database so that only this unix user can read or write it."""
    os.umask(0o077)
    db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    make_private(db_path)
    store = JournalStore(str(db_path))
    ensure_initialised(store)
    make_private(db_path)
    return store


# How often the service's threads take turns holding the GIL, in seconds (Python's default: 0.005).
SWITCH_INTERVAL_S = 0.001

# Threads answering requests that only read (each with its connection): reads never wait for the writer.
READER_THREADS = 4
# Threads checking saves before they reach the writer.
CHECKER_THREADS = 2


class Workers:
    """Where the service's requests run: writes in the batching writer, reads in a pool of reader threads."""

    def __init__(self, db_path: Path, *, readers: int = READER_THREADS) -> None:
        self.writer = BatchWriter(db_path).start()
        self.stores = Stores(db_path, self.writer)
        self.readers = concurrent.futures.ThreadPoolExecutor(readers, thread_name_prefix="journal-reader")
        # Checking a save (its notebook, its base, which document) takes a few milliseconds: it
        # never waits behind a long read (a tutor's search over a million cells) for a thread.
        self.checkers = concurrent.futures.ThreadPoolExecutor(CHECKER_THREADS, thread_name_prefix="journal-checker")

    def run(self, work: Callable[[], Any], *, writes: bool, check: bool = False) -> concurrent.futures.Future[Any]:
        """Run ``work`` with the caller's context variables (its reader's language): in a batch, or beside them.

        ``check``: a save's checks, in the checkers' threads rather than the readers'.
        """
        context = contextvars.copy_context()
        if writes:
            return self.writer.submit(work, context)
        return (self.checkers if check else self.readers).submit(context.run, work)

    def close(self) -> None:
        """Finish what runs and what is queued, then close every connection."""
        self.readers.shutdown(wait=True)
        self.checkers.shutdown(wait=True)
        self.writer.close()
        self.stores.close()


class Offloaded(JournalHandler):
    """A journal handler whose requests run off the event loop: writes in the writer's batches, reads in a reader.

    The whole of a verb's body runs in the worker thread; only sending the
    answer is left to the event loop (tornado's output is not thread-safe):
    :meth:`finish` called in a worker notes the answer, and the verb's
    wrapper sends it once the work is done, after its batch is committed.
    """

    workers: Workers
    # The thread of the event loop, set while a verb's work runs in a worker.
    _loop_thread: int | None = None
    _answer: tuple[Any, dict[str, Any]] | None = None

    def writes(self, verb: str, args: tuple[Any, ...]) -> bool:
        """Whether this request may write (it then runs in a batch); reading verbs run beside the writer."""
        return verb != "get"

    def finish(self, chunk: Any = None, **kwargs: Any) -> Any:
        if self._loop_thread is not None and threading.get_ident() != self._loop_thread:
            self._answer = (chunk, kwargs)
            noted: concurrent.futures.Future[None] = concurrent.futures.Future()
            noted.set_result(None)
            return noted
        return super().finish(chunk, **kwargs)

    async def run_in_worker(self, work: Callable[[], Any], *, writes: bool, check: bool = False) -> Any:
        """``work``'s result, run in a batch of the writer or in a reader thread (its answer noted, not sent)."""
        self._loop_thread = threading.get_ident()
        return await asyncio.wrap_future(self.workers.run(work, writes=writes, check=check))

    def send_answer(self) -> None:
        """Send the answer a worker noted, on the event loop."""
        if self._answer is not None and not self._finished:
            chunk, kwargs = self._answer
            self._answer = None
            super().finish(chunk, **kwargs)

    async def offload(self, verb: str, args: tuple[Any, ...], work: Callable[[], Any]) -> None:
        await self.run_in_worker(work, writes=self.writes(verb, args))
        self.send_answer()


def _offloaded_verb(verb: str, body: Callable[..., Any]) -> Callable[..., Any]:
    # Authentication and authorization stay on the event loop: JournalHandler guards this coroutine like any verb.
    async def run(self: Offloaded, *args: Any, **kwargs: Any) -> None:
        await self.offload(verb, args, lambda: body(self, *args, **kwargs))

    run.__name__ = verb
    return run


def offloaded(handler: type, workers: Workers) -> type:
    """``handler`` for the service: its synchronous verbs run in the workers (see :class:`Offloaded`).

    Verbs written as coroutines already hand their slow part to a thread
    and stay as they are; what they read on the event loop, they read with
    a reader connection of its own.
    """
    if not issubclass(handler, JournalHandler):
        return handler
    namespace: dict[str, Any] = {"workers": workers, "__doc__": handler.__doc__}
    for verb in VERBS:
        method = getattr(handler, verb)
        body = inspect.unwrap(method)
        if method is getattr(web.RequestHandler, verb) or inspect.iscoroutinefunction(body):
            continue
        namespace[verb] = _offloaded_verb(verb, body)
    bases = (handler,) if issubclass(handler, Offloaded) else (Offloaded, handler)
    return type(handler.__name__, bases, namespace)


class Drives:
    """The caller's Journal/ folder, answering as them: one drive per request, with the request's viewer.

    The service keeps nothing per person between requests: trust and each
    save's base come with the request (see ``RemoteDrive``), and who the
    caller is (their memberships) is read once per request.
    """

    def __init__(self, store: Callable[[], JournalStore], folder: str) -> None:
        self._store = store
        self._folder = folder

    def drive_for(self, viewer: Viewer, language: str) -> JournalDrive:
        return JournalDrive(
            self._store,
            lambda: viewer,
            root=self._folder,
            language=language,
            # Trust is the user server's (its notary, its reader): the service serves every output untrusted.
            notaries=None,
            # Each save brings its own base: nothing to keep per editor here.
            keep_bases=False,
        )


# The drive's operations that only read: they run beside the writer, not in its batches.
READING_OPERATIONS = frozenset({"get", "exists", "file_exists", "dir_exists", "check_checkpoint", "root_entry"})


class DriveHandler(Offloaded):
    """The caller's Journal/ folder, for their user server's contents manager: one operation per request.

    ``POST journal/api/drive/<operation>`` with the operation's arguments as a
    JSON object; the answer is the operation's result as JSON.
    """

    def initialize(self, context: JournalContext, drives: Drives | None = None) -> None:
        super().initialize(context)
        assert drives is not None
        self.drives = drives

    def writes(self, verb: str, args: tuple[Any, ...]) -> bool:
        return not (args and args[0] in READING_OPERATIONS)

    async def post(self, operation: str) -> None:
        if operation != "save":
            await self.offload("post", (operation,), lambda: self.run_operation(operation))
            return
        # A save's notebook and base are read and checked beside the writer, which then only merges and stores.
        drive, checked = await self.run_in_worker(self.check_save, writes=False, check=True)
        result = await self.run_in_worker(lambda: drive_answer(lambda: drive.save_checked(*checked)), writes=True)
        self.reply({"result": result})

    def drive_of(self, body: dict[str, Any]) -> JournalDrive:
        language = body.get("language", self.context.language)
        if language not in ("fr", "en"):
            raise Refusal(400, "'language' must be fr or en, got {value}", value=repr(language))
        return self.drives.drive_for(self.viewer, language)

    def check_save(self) -> tuple[JournalDrive, tuple[Any, str, Any, int | None]]:
        body = self.json_object()
        drive = self.drive_of(body)
        model = _object(body, "model")
        assert model is not None
        base = _object(body, "base", optional=True)

        def check() -> tuple[Any, str, Any, int | None]:
            notebook = notebook_from(model)
            path = text_field(body, "path")
            # Which document the path names is looked up here, where listings are kept (see catalogue).
            document = drive.document_at(path)
            base_cells = None if base is None else drive.base_cells(base)
            return notebook, path, base_cells, None if document is None else document["id"]

        return drive, drive_answer(check, drive.language)

    def run_operation(self, operation: str) -> None:
        body = self.json_object()
        drive = self.drive_of(body)
        run = OPERATIONS.get(operation)
        if run is None:
            raise Refusal(404, "the journal's folder has no operation {operation}", operation=repr(operation))
        self.reply({"result": drive_answer(lambda: run(drive, body), drive.language)})


def _flag(body: dict[str, Any], key: str, default: bool) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise Refusal(400, "'{name}' must be true or false, got {value}", name=key, value=repr(value))
    return value


def _object(body: dict[str, Any], key: str, optional: bool = False) -> dict[str, Any] | None:
    value = body.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, dict):
        raise Refusal(400, "'{key}' must be a JSON object, got {value}", key=key, value=repr(value))
    return value


def _get(drive: JournalDrive, body: dict[str, Any]) -> Any:
    kind = body.get("type")
    if kind is not None and not isinstance(kind, str):
        raise Refusal(400, "'type' must be text or null, got {value}", value=repr(kind))
    return drive.get(
        text_field(body, "path"),
        content=_flag(body, "content", True),
        type=kind,
        require_hash=_flag(body, "require_hash", False),
    )


def _save(drive: JournalDrive, body: dict[str, Any]) -> Any:
    model = _object(body, "model")
    assert model is not None
    return drive.save(model, text_field(body, "path"), base=_object(body, "base", optional=True))


OPERATIONS: dict[str, Callable[[JournalDrive, dict[str, Any]], Any]] = {
    "get": _get,
    "save": _save,
    "new_untitled": lambda drive, body: drive.new_untitled(text_field(body, "path"), text_field(body, "type", "")),
    "rename": lambda drive, body: drive.rename(text_field(body, "old_path"), text_field(body, "new_path")),
    "delete": lambda drive, body: drive.delete(text_field(body, "path")),
    "exists": lambda drive, body: drive.exists(text_field(body, "path")),
    "file_exists": lambda drive, body: drive.file_exists(text_field(body, "path")),
    "dir_exists": lambda drive, body: drive.dir_exists(text_field(body, "path")),
    "checkpoint": lambda drive, body: drive.checkpoint(text_field(body, "path")),
    "check_checkpoint": lambda drive, body: drive.check_checkpoint(
        text_field(body, "checkpoint_id"), text_field(body, "path")
    ),
    "root_entry": lambda drive, body: drive.root_entry(),
}


class HealthHandler(web.RequestHandler):
    """``GET health``: 200 when the database answers, 503 otherwise (for probes; no token needed)."""

    def initialize(self, context: JournalContext) -> None:
        self.context = context

    def get(self) -> None:
        try:
            self.context.store.schema_version()
        except Exception as error:
            log.error("journal service: health check failed: %s", error)
            self.set_status(503)
            self.finish({"status": "unavailable"})
            return
        self.finish({"status": "ok"})


def _user_of(handler: Any) -> str:
    user = getattr(handler, "current_user", None)
    if user is None:
        raise Refusal(403, "this request carries no hub token the journal service accepts")
    return str(user.username)


def _admin_of(handler: Any) -> bool:
    """A hub admin, as the hub's answer about the caller's token says."""
    return bool((getattr(handler, "hub_user", None) or {}).get("admin", False))


def _log_request(handler: web.RequestHandler) -> None:
    """Who did what: one line per request, with the caller's hub name."""
    status = handler.get_status()
    user = getattr(handler, "current_user", None)
    who = user.username if user is not None else "-"
    request = handler.request
    level = logging.INFO if status < 400 else logging.WARNING
    if request.method == "GET" and status < 400:
        level = logging.DEBUG
    log.log(level, "%s %s %s %s %.1fms", status, who, request.method, request.path, 1000 * request.request_time())


class JournalService:
    """The journal service on one database file: its workers and its tornado application (see :func:`make_app`)."""

    def __init__(
        self,
        db_path: Path,
        hub_auth: Any,
        *,
        prefix: str = "/services/journal/",
        folder: str = "Journal",
        language: str = "fr",
        readers: int = READER_THREADS,
    ) -> None:
        self.db_path = db_path
        # The writer gives up the GIL at each SQLite call: handed back within 5 ms (Python's
        # default), a save of 30 statements waits for it longer than it works. This process
        # is the service alone, so its threads take turns every millisecond instead.
        sys.setswitchinterval(float(os.environ.get("JOURNAL_EXT_SWITCH_INTERVAL", SWITCH_INTERVAL_S)))
        self.workers = Workers(db_path, readers=readers)
        self.app = make_app(self.workers, hub_auth, prefix=prefix, folder=folder, language=language)

    def close(self) -> None:
        """Commit what is queued and close the database (after the server stopped taking requests)."""
        self.workers.close()


def make_app(
    workers: Workers,
    hub_auth: Any,
    *,
    prefix: str = "/services/journal/",
    folder: str = "Journal",
    language: str = "fr",
) -> web.Application:
    """The journal service's tornado application: the journal API under ``prefix``, as the token's owner."""
    from journal_ext.service.identity import HubTokenIdentity

    store = workers.stores.current
    context = JournalContext(
        open_store=store,
        user_of=_user_of,
        db_path=workers.stores.db_path,
        folder=folder,
        language=language,
        admin_of=_admin_of,
    )
    drives = Drives(store, folder)
    handlers: list[Any] = [
        (url_path_join(prefix, pattern), offloaded(handler, workers), kwargs)
        for pattern, handler, kwargs in route_table(context)
    ]
    handlers.append(
        (
            url_path_join(prefix, "journal", "api", "drive", r"(\w+)"),
            offloaded(DriveHandler, workers),
            {"context": context, "drives": drives},
        )
    )
    for health in {url_path_join(prefix, "health"), "/health"}:
        handlers.append((health, HealthHandler, {"context": context}))
    settings: dict[str, Any] = {
        "base_url": prefix,
        "identity_provider": HubTokenIdentity(hub_auth=hub_auth),
        "authorizer": AllowAllAuthorizer(),
        # Reached through the hub's proxy or directly from user servers, by any host name.
        "allow_remote_access": True,
        "log_function": _log_request,
        "journal_context": context,
    }
    return web.Application(handlers, **settings)


def serve(
    db_path: Path,
    *,
    ip: str = "127.0.0.1",
    port: int = 8765,
    prefix: str = "/services/journal/",
    service_name: str = "journal",
    language: str = "fr",
    folder: str = "Journal",
    backups: BackupSchedule | None = None,
) -> None:
    """Run the journal service until it is stopped (SIGTERM or SIGINT), taking ``backups`` on their schedule."""
    import signal

    from jupyterhub.services.auth import HubAuth

    hub_auth = HubAuth(
        # Only tokens allowed to use this service are accepted (the hub grants the scope).
        access_scopes={f"access:services!service={service_name}"},
        cache_max_age=60,
    )
    if not hub_auth.api_token:
        raise RuntimeError(
            "journal-ext serve runs as a JupyterHub service and JUPYTERHUB_API_TOKEN is not set:"
            " add the service to the hub's configuration (journal-ext hub-config) and let the hub start it"
        )
    # Held until the process ends: no restore, and no second service, on this file meanwhile.
    claim = DatabaseClaim(db_path)
    if backups is not None:
        backups.prepare()
    # Created (umask 077), migrated and filled with what every journal needs, then handed to the workers.
    open_private_store(db_path).close()
    service = JournalService(db_path, hub_auth, prefix=prefix, folder=folder, language=language)

    async def run() -> None:
        server = service.app.listen(port, ip)
        log.info(
            "journal service: database %s (mode 0600, owner uid %d), on http://%s:%d%s, hub API %s",
            db_path,
            os.getuid(),
            ip,
            port,
            prefix,
            hub_auth.api_url,
        )
        taking_backups = backups.start(db_path) if backups is not None else None
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopped.set)
        await stopped.wait()
        server.stop()
        await BackupSchedule.stop(taking_backups)
        service.close()
        claim.release()
        log.info("journal service: stopped")

    asyncio.run(run())

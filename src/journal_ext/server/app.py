"""The jupyter_server extension: settings, the journal database, the Journal/ folder and the REST API."""

from __future__ import annotations

import getpass
import os
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from jupyter_server.utils import url_path_join
from traitlets import Unicode, default

from journal_ext.core.documents import ensure_initialised
from journal_ext.core.permissions import Viewer
from journal_ext.core.trust import ReaderNotaries
from journal_ext.db import JournalStore, default_db_path
from journal_ext.server.context import JournalContext
from journal_ext.server.drive import JournalDrive, wrap_contents_manager
from journal_ext.server.errors import retry_after_transform
from journal_ext.server.remote import JournalProxyHandler, RemoteDrive
from journal_ext.server.rooms import RoomWatcher, watch_rooms
from journal_ext.server.routes import route_table
from journal_ext.service.client import SERVICE_URL_ENV, TOKEN_ENV, ServiceClient

# What kernels of a single-user server inherit to open the same journal as the same person.
EMBEDDED_KERNEL_VARIABLES = ("JOURNAL_EXT_DB", "JOURNAL_EXT_USER")


def resolve_user(configured: str) -> str:
    """The current user: JupyterHub's user when set, else the configured name, else the OS user."""
    return os.environ.get("JUPYTERHUB_USER") or configured or getpass.getuser()


class JournalExtension(ExtensionApp):
    """Serves learning journals, field observations and shared diagnostics from one SQLite file."""

    name = "journal_ext"
    load_other_extensions = True

    db_path = Unicode(
        help="Path of the journal database (SQLite). Default: journal_ext/journal.db in the Jupyter data dir.",
    ).tag(config=True)

    user = Unicode(
        "",
        help="User name for a single-user server. JUPYTERHUB_USER wins when set; empty means the OS user.",
    ).tag(config=True)

    folder = Unicode(
        "Journal",
        help="Name of the virtual top-level folder where journal documents appear.",
    ).tag(config=True)

    language = Unicode(
        "fr",
        help="Language of folder names and of the built-in templates offered to users without a group (fr or en).",
    ).tag(config=True)

    service_url = Unicode(
        help=(
            "Address of the journal service (journal-ext serve), such as http://127.0.0.1:8765/services/journal/."
            " When set, this server opens no database and acts as its hub token's owner."
            f" Default: ${SERVICE_URL_ENV}, which journal-ext hub-config sets for every user server."
        ),
    ).tag(config=True)

    @default("service_url")
    def _default_service_url(self) -> str:
        return os.environ.get(SERVICE_URL_ENV, "")

    @property
    def service(self) -> ServiceClient | None:
        """How to reach the journal service; None in embedded mode (this server opens the file)."""
        if not self.service_url:
            return None
        return ServiceClient(url=self.service_url, token=os.environ.get(TOKEN_ENV, ""), language=self.language)

    @default("db_path")
    def _default_db_path(self) -> str:
        return str(default_db_path())

    _store: JournalStore | None = None
    _context: JournalContext | None = None
    _rooms: RoomWatcher | None = None

    @property
    def store(self) -> JournalStore:
        """The journal database, opened (and migrated) on first use."""
        if self.service_url:
            raise RuntimeError("this server's journal is the journal service: it opens no database")
        if self._store is None:
            self._store = JournalStore(self.db_path)
            ensure_initialised(self._store)
        return self._store

    @property
    def current_user(self) -> str:
        """The name under which this server reads and writes the journal (embedded mode).

        With the journal service there is none to give: the service answers as
        the owner of this server's hub token (the remote drive asks it who
        that is), and nothing this server is told about itself counts.
        """
        if self.service_url:
            raise RuntimeError("this server's journal is the journal service: it acts as its hub token's owner")
        return resolve_user(self.user)

    def viewer(self) -> Viewer:
        """The current user with their memberships, read fresh from the store."""
        return self.context.viewer()

    @property
    def context(self) -> JournalContext:
        """What the handlers and the drive need from this server."""
        if self._context is None:
            self._context = JournalContext(
                open_store=lambda: self.store,
                user_of=lambda _request: self.current_user,
                db_path=str(self.db_path),
                folder=self.folder,
                language=self.language,
            )
        return self._context

    def _link_jupyter_server_extension(self, serverapp: Any) -> None:
        super()._link_jupyter_server_extension(serverapp)
        # Compose with whatever contents manager is configured (never replace it):
        # the wrapper only answers for paths under the journal folder. Extensions
        # linked after this one apply the server's configuration again, which
        # puts the configured class back: wrap whatever class is set, whenever.
        self._compose(serverapp, serverapp.contents_manager_class)
        serverapp.observe(lambda change: self._compose(serverapp, change["new"]), names=["contents_manager_class"])

    def _compose(self, serverapp: Any, manager_class: Any) -> None:
        """Make the server's contents manager class the journal's wrapper around ``manager_class``."""
        if isinstance(manager_class, type) and manager_class.__dict__.get("journal_wrapped", False):
            return
        try:
            wrapped = wrap_contents_manager(manager_class, self._drive_for)
        except TypeError as error:
            self.log.error("journal_ext: the Journal/ folder is not available: %s", error)
            return
        serverapp.contents_manager_class = wrapped

    def _drive_for(self, manager: Any) -> JournalDrive | RemoteDrive:
        """The Journal/ folder of one contents manager."""
        service = self.service
        if service is not None:
            return RemoteDrive(
                service, root=self.folder, language=self.language, notaries=ReaderNotaries(manager.notary)
            )
        return JournalDrive(
            lambda: self.store,
            self.viewer,
            root=self.folder,
            language=self.language,
            # Outputs are trusted per reader, by the server's notary (see trust.py).
            notaries=ReaderNotaries(manager.notary),
        )

    def initialize_settings(self) -> None:
        if self.language not in ("fr", "en"):
            self.log.warning("journal_ext: language %r unknown, using 'fr'", self.language)
            self.language = "fr"
        self.settings["journal_ext"] = self
        if self.service_url:
            # Nothing here names a database file, nor a user this server could claim to be:
            # kernels inherit the service's address and this server's hub token instead.
            for name in EMBEDDED_KERNEL_VARIABLES:
                os.environ.pop(name, None)
            os.environ[SERVICE_URL_ENV] = self.service_url
            self.log.info("journal_ext: journal service %s (this server opens no database)", self.service_url)
            return
        self.log.info("journal_ext: journal database %s, user %s", self.db_path, self.current_user)
        # Kernels started by this server inherit these: the notebook widgets
        # (journal_ext.kernel.widgets) then open the same journal as the same person.
        os.environ["JOURNAL_EXT_DB"] = str(self.db_path)
        os.environ["JOURNAL_EXT_USER"] = self.current_user

    def initialize_handlers(self) -> None:
        service = self.service
        if service is not None:
            # The whole API, answered by the service as this server's owner.
            self.handlers.append(
                (r"/journal/api/(.*)", JournalProxyHandler, {"context": self.context, "client": service})
            )
        else:
            self.handlers.extend(route_table(self.context))
        # jupyter_server links the extension to its server before it asks for handlers.
        serverapp = self.serverapp
        assert serverapp is not None
        # A busy journal answers 503 with Retry-After: the REST API's handlers say so
        # themselves; jupyter_server's contents handler gets it from a transform.
        contents = url_path_join(serverapp.base_url, "api", "contents", self.folder)
        serverapp.web_app.transforms.append(retry_after_transform((contents,), self.language))

    async def _start_jupyter_server_extension(self, serverapp: Any) -> None:
        # With jupyter-collaboration, rooms on journal notebooks merge with others' saves.
        self._rooms = watch_rooms(serverapp, self.log)

    async def stop_extension(self) -> None:
        if self._rooms is not None:
            await self._rooms.stop()
            self._rooms = None
        if self._store is not None:
            self._store.close()
            self._store = None

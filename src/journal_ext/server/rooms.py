"""Real-time collaboration (jupyter-collaboration) on journal notebooks: a room's saves merge like any save.

A collaboration room holds one notebook for every tab of this server. It
saves through the contents manager a second after the last keystroke, and it
puts the file's content in place of its own whenever the file's
``last_modified`` moves on ("out-of-band changes"): another person's save
would then replace what was typed meanwhile. So, for a journal notebook open
in a room, the drive reports the time of the revision the room holds
(:meth:`JournalDrive._notebook_model`); the room's saves merge with what
others saved, based on what the room loaded (:meth:`JournalDrive.save`); and
:class:`RoomWatcher` brings others' saves into the room: when the journal
holds a newer revision than the room, it saves the room's text (a merge: what
was typed stays) and puts the merged notebook into the room, changed cells
only, in one step of the event loop, so that no keystroke comes in between.

jupyter-collaboration is optional: nothing here is imported without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
from collections.abc import Iterator
from typing import Any

from journal_ext.server.drive import JournalDrive

# How often open rooms are compared with the journal, as jupyter-collaboration polls files.
DEFAULT_INTERVAL = 1.0


def collaboration_app(serverapp: Any) -> Any | None:
    """jupyter-collaboration's server extension when it runs on this server, else None."""
    apps = serverapp.extension_manager.extension_apps.get("jupyter_server_ydoc") or set()
    for app in apps:
        if hasattr(app, "ywebsocket_server") and hasattr(app, "file_loaders"):
            return app
    return None


class RoomWatcher:
    """Keeps the collaboration rooms of journal notebooks merged with what others save."""

    def __init__(
        self,
        collaboration: Any,
        drive: JournalDrive,
        file_ids: Any,
        interval: float = DEFAULT_INTERVAL,
        log: logging.Logger | None = None,
    ) -> None:
        self._collaboration = collaboration
        self._drive = drive
        self._file_ids = file_ids
        self._interval = interval
        self._log = log or logging.getLogger(__name__)
        self._task: asyncio.Task[None] | None = None
        drive.in_room = self.in_room

    def rooms(self) -> Iterator[tuple[str, str, Any]]:
        """(path, room id, room) of each notebook room open on a journal path."""
        for room_id, room in list(self._collaboration.ywebsocket_server.rooms.items()):
            # Document rooms are named format:type:file id; others (awareness) are not.
            parts = str(room_id).split(":")
            if len(parts) != 3 or parts[1] != "notebook":
                continue
            path = self._file_ids.get_path(parts[2])
            if path and self._drive.owns(path):
                yield path, room_id, room

    def in_room(self, path: str) -> bool:
        """True when a path is open in a collaboration room on this server."""
        wanted = path.strip("/")
        return any(path.strip("/") == wanted for path, _, _ in self.rooms())

    def start(self) -> None:
        """Watch the rooms until :meth:`stop`."""
        if self._task is None:
            self._task = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        """Stop watching."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            await self.update_rooms()

    async def update_rooms(self) -> None:
        """Bring every open journal room up to date with the journal."""
        for path, room_id, room in list(self.rooms()):
            if not getattr(room, "ready", False):
                continue
            try:
                document = await self._collaboration.get_document(room_id=room_id, copy=False)
                if document is not None:
                    self.update_room(path, room_id, document)
            except Exception as error:  # a journal that is busy now is tried again next time
                self._log.warning("journal_ext: could not bring the room of %s up to date: %s", path, error)

    def update_room(self, path: str, room_id: str, document: Any) -> bool:
        """Merge a room's text with the journal's newer revision and show the result in the room.

        Synchronous from reading the room to writing it: no keystroke comes in between.
        Returns True when the room was brought up to date.
        """
        drive = self._drive
        if not drive.behind(path):
            return False
        live = document.get()
        if drive.get(path, content=False)["writable"]:
            # A merge based on what the room last loaded: what was typed since stays.
            drive.save({"type": "notebook", "format": "json", "content": live}, path)
        served = drive.get(path, content=True)
        notebook = copy.deepcopy(dict(served["content"]))
        # The notebook's own metadata stays the room's (the kernel JupyterLab
        # chose); only the journal's part comes from the journal.
        metadata = dict(live.get("metadata", {}))
        if "journal" in notebook["metadata"]:
            metadata["journal"] = notebook["metadata"]["journal"]
        notebook["metadata"] = metadata
        document.set(notebook)
        # The room's own watch now agrees with the drive about the time.
        loaders = self._collaboration.file_loaders
        file_id = room_id.split(":")[2]
        if file_id in loaders:
            loaders[file_id].last_modified = served["last_modified"]
        self._log.info("journal_ext: the room of %s now shows the journal's latest revision, merged", path)
        return True


def watch_rooms(serverapp: Any, log: logging.Logger) -> RoomWatcher | None:
    """Start a :class:`RoomWatcher` when jupyter-collaboration runs beside the journal, else None."""
    collaboration = collaboration_app(serverapp)
    manager = getattr(serverapp, "contents_manager", None)
    drive = getattr(manager, "journal_drive", None)
    file_ids = serverapp.web_app.settings.get("file_id_manager")
    if collaboration is None or drive is None or file_ids is None:
        return None
    if not isinstance(drive, JournalDrive):
        # The journal service's user servers (RemoteDrive) do not follow rooms yet.
        log.warning(
            "journal_ext: with the journal service, collaboration rooms on %s/ are not merged with"
            " others' saves yet: another person's save can replace what a room holds;"
            " disable jupyter-collaboration on these servers (see the README)",
            drive.root,
        )
        return None
    watcher = RoomWatcher(collaboration, drive, file_ids, log=log)
    watcher.start()
    log.info("journal_ext: collaboration rooms on %s/ merge with others' saves", drive.root)
    return watcher

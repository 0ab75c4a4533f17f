"""The contents-manager wrapper that serves journal documents under one virtual folder.

``wrap_contents_manager(Base)`` returns a subclass of whatever contents
manager the server is configured with. Paths under the journal folder
(``Journal/`` by default) are answered from the journal database; every
other path goes to ``Base`` unchanged, so the user's own files are never
touched.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import nbformat
from jupyter_server.services.contents.manager import AsyncContentsManager, ContentsManager
from tornado.web import HTTPError

from journal_ext.core import documents, notebooks
from journal_ext.core.nbtyping import NotebookNode, from_dict, json_text
from journal_ext.core.permissions import Viewer, may_write
from journal_ext.core.trust import ReaderNotaries, has_outputs, mark_for, sign_if_unchanged, strip_trust
from journal_ext.db import CellRow, JournalStore, parse_time
from journal_ext.i18n import ExplainedError, current_language
from journal_ext.server.errors import Refusal, http_error_for

if TYPE_CHECKING:
    from journal_ext.server.remote import RemoteDrive

T = TypeVar("T")

# jupyter_server's own copy, made of get() and save(); it leaves it unannotated.
_generic_async_copy = cast(
    "Callable[[AsyncContentsManager, str, str | None], Awaitable[dict[str, Any]]]", AsyncContentsManager.copy
)

EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def folder_model(path: str) -> dict[str, Any]:
    """A journal folder's contents model, without its content (read-only: documents decide where they go)."""
    return {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "type": "directory",
        "writable": False,
        "created": EPOCH,
        "last_modified": EPOCH,
        "mimetype": None,
        "content": None,
        "format": None,
        "size": None,
        "hash": None,
        "hash_algorithm": None,
    }


def in_folder(root: str, path: str) -> bool:
    """True for the folder ``root`` itself and anything under it."""
    path = path.strip("/")
    return path == root or path.startswith(root + "/")


def notebook_from(model: dict[str, Any]) -> NotebookNode:
    """The notebook a contents model saves into the journal folder; 400 for anything else."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        raise Refusal(
            400,
            "the journal folder only holds notebooks: save with type 'notebook' and JSON content",
        )
    try:
        notebook = from_dict(model["content"])
        nbformat.validate(notebook)
    except (nbformat.ValidationError, KeyError, TypeError, AttributeError) as error:
        raise Refusal(400, "the notebook is not valid nbformat 4: {error}", error=error) from error
    return notebook


class JournalDrive:
    """Answers contents requests for paths under the journal folder, for one user."""

    def __init__(
        self,
        store: Callable[[], JournalStore],
        viewer: Callable[[], Viewer],
        root: str = "Journal",
        language: str = "fr",
        notaries: ReaderNotaries | None = None,
        keep_bases: bool = True,
    ) -> None:
        self._store = store
        self._viewer = viewer
        self.root = root.strip("/")
        self.language = language
        # Who trusts which outputs (see trust.py); None serves every output untrusted.
        self._notaries = notaries
        # Per document, the cells this user's editor last received or sent. The
        # journal service keeps none: each save brings its base (see ``save``).
        self._seen: dict[int, list[CellRow]] = {}
        self._keep_bases = keep_bases
        # Per document, the revision (and its time) whose text this server's editor holds.
        self._held: dict[int, tuple[int, dt.datetime]] = {}
        # Whether a path is open in a real-time collaboration room on this server
        # (set by journal_ext.server.rooms when jupyter-collaboration runs).
        self.in_room: Callable[[str], bool] = lambda path: False

    @property
    def store(self) -> JournalStore:
        """The journal database."""
        return self._store()

    def owns(self, path: str) -> bool:
        """True for the journal folder itself and anything under it."""
        return in_folder(self.root, path)

    def _relative(self, path: str) -> str:
        path = path.strip("/")
        if any(part in ("..", ".") for part in path.split("/")):
            raise Refusal(400, "'{path}' is not a valid journal path ('.' and '..' are not allowed)", path=path)
        return path[len(self.root) + 1 :] if path != self.root else ""

    def _paths(self, fresh: bool = False) -> dict[str, dict[str, Any]]:
        """Map each path under Journal/ to its document's row (see :func:`documents.catalogue`).

        The map is kept until something moves a document; its rows may then be
        older than the last save (revision, modified_at): :meth:`_current`
        re-reads one where that matters, and ``fresh=True`` rebuilds the map
        (folder listings show times).
        """
        return documents.catalogue(self.store, self._viewer(), self.language, fresh=fresh).paths

    def _current(self, document: dict[str, Any]) -> dict[str, Any]:
        """The document's row as stored now (a kept map's row may predate the last save)."""
        return self.store.document(document["id"])

    def _folders(self, paths: dict[str, dict[str, Any]]) -> set[str]:
        folders = {""} | set(documents.standing_folders(self._viewer(), self.language))
        for path in paths:
            parts = path.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                folders.add("/".join(parts[:i]))
        return folders

    # -- models --------------------------------------------------------------

    def _dir_model(self, relative: str, content: bool, paths: dict[str, dict[str, Any]]) -> dict[str, Any]:
        model = folder_model(f"{self.root}/{relative}".rstrip("/"))
        modified = [parse_time(d["modified_at"]) for p, d in paths.items() if p.startswith(relative)]
        if modified:
            model["last_modified"] = max(modified)
        if content:
            children: list[dict[str, Any]] = []
            prefix = f"{relative}/" if relative else ""
            seen: set[str] = set()
            for folder in sorted(self._folders(paths)):
                if folder.startswith(prefix) and folder != relative and "/" not in folder[len(prefix) :]:
                    children.append(self._dir_model(folder, False, paths))
                    seen.add(folder)
            for path, document in sorted(paths.items()):
                if path.startswith(prefix) and "/" not in path[len(prefix) :]:
                    children.append(self._notebook_model(path, document, False))
            model["content"] = children
            model["format"] = "json"
        return model

    def _notebook_model(
        self, relative: str, document: dict[str, Any], content: bool, require_hash: bool = False
    ) -> dict[str, Any]:
        viewer = self._viewer()
        path = f"{self.root}/{relative}"
        modified = parse_time(document["modified_at"])
        if content:
            self._held[document["id"]] = (document["revision"], modified)
        elif document["id"] in self._held and self.in_room(path):
            # A collaboration room overwrites its text with the file's once the
            # file's time moves on: for it, the file is the revision it holds.
            # Others' saves reach it merged (journal_ext.server.rooms).
            modified = self._held[document["id"]][1]
        model: dict[str, Any] = {
            "name": relative.rsplit("/", 1)[-1],
            "path": path,
            "type": "notebook",
            "writable": may_write(viewer, document),
            "created": parse_time(document["created_at"]),
            "last_modified": modified,
            "mimetype": None,
            "content": None,
            "format": None,
            "size": None,
            "hash": None,
            "hash_algorithm": None,
        }
        if content or require_hash:
            notebook = documents.load_notebook(self.store, document)
            # What nbformat.writes gives, without validating again what load_notebook just validated.
            text = json_text(notebook)
            model["size"] = len(text.encode("utf-8"))
            if require_hash:
                model["hash"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
                model["hash_algorithm"] = "sha256"
            if content:
                # What this editor now holds: the base of its next save (trust flags are not content).
                if self._keep_bases:
                    self._remember(document["id"], notebooks.notebook_to_cells(notebook))
                mark_for(self._notaries, viewer.user, notebook)
                model["content"] = notebook
                model["format"] = "json"
        return model

    def _sign_if_unchanged(self, document_id: int, sent: NotebookNode) -> None:
        """Sign the stored notebook for the saver when its code cells are exactly those they trusted."""
        if self._notaries is None or not has_outputs(sent):
            return
        served = documents.load_notebook(self.store, self.store.document(document_id))
        sign_if_unchanged(self._notaries, self._viewer().user, served, sent)

    def trust(self, path: str) -> None:
        """The reader trusts a document's outputs as they are now (JupyterLab's Trust Notebook)."""
        relative = self._relative(path)
        paths = self._paths()
        if relative not in paths:
            raise Refusal(404, "no journal document at '{path}'", path=path)
        if self._notaries is not None:
            served = documents.load_notebook(self.store, self._current(paths[relative]))
            self._notaries.sign_for(self._viewer().user, served)

    # -- contents API ------------------------------------------------------

    def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        require_hash: bool = False,
    ) -> dict[str, Any]:
        """The model of a journal folder or document."""
        relative = self._relative(path)
        paths = self._paths()
        if relative in paths:
            if type == "directory":
                raise Refusal(400, "'{path}' is a notebook, not a directory", path=path)
            return self._notebook_model(relative, self._current(paths[relative]), content, require_hash)
        if relative in self._folders(paths):
            if type not in (None, "directory"):
                raise Refusal(400, "'{path}' is a directory, not a {type}", path=path, type=type)
            return self._dir_model(relative, content, self._paths(fresh=True))
        raise Refusal(404, "no journal document or folder at '{path}'", path=path)

    def _notebook_from(self, model: dict[str, Any]) -> NotebookNode:
        return notebook_from(model)

    def _remember(self, document_id: int, cells: list[CellRow]) -> None:
        if self._keep_bases:
            self._seen[document_id] = cells

    def save(self, model: dict[str, Any], path: str, base: dict[str, Any] | None = None) -> dict[str, Any]:
        """Save a journal notebook as a new revision, merged with others' saves; a new name imports it.

        The merge's base is ``base`` when given (the notebook the editor last
        received, as a remote user server sends it), else what this drive
        last served to or received from the editor.
        """
        notebook = self._notebook_from(model)
        return self.save_checked(notebook, path, None if base is None else self._base_cells(base))

    def document_at(self, path: str) -> dict[str, Any] | None:
        """The document at ``path`` under the journal folder (its row as listed), or None."""
        return self._paths().get(self._relative(path))

    def save_checked(
        self,
        notebook: NotebookNode,
        path: str,
        base_cells: list[CellRow] | None = None,
        document_id: int | None = None,
    ) -> dict[str, Any]:
        """:meth:`save` of a notebook already checked (``notebook_from``), merged against ``base_cells`` when given.

        The journal service checks a notebook and its base, and finds which
        document the path names (``document_id``), beside its writer, which
        then only merges and stores.
        """
        relative = self._relative(path)
        if document_id is not None:
            # Read again where it is written: what the caller saw may have changed since (rights, trash).
            paths = {relative: self.store.document(document_id)}
        else:
            paths = self._paths()
        # The saver's word on trust is never stored; it decides only what is signed for them.
        trusted = self._notaries.saver_trusts(notebook) if self._notaries is not None else False
        strip_trust(notebook)
        viewer = self._viewer()
        if relative not in paths:
            folder, _, name = relative.rpartition("/")
            if not name.endswith(".ipynb") or not name[: -len(".ipynb")].strip():
                raise Refusal(400, "'{path}': a journal document's name must end with .ipynb", path=path)
            document = documents.import_notebook(
                self.store, viewer, folder, name[: -len(".ipynb")], notebook, self.language
            )
            self._remember(document["id"], self.store.cells(document["id"]))
            if trusted:
                self._sign_if_unchanged(document["id"], notebook)
            return self.get(self._path_of(document["id"]), content=False)
        document = paths[relative]
        saved = documents.save_notebook(
            self.store,
            viewer,
            document,
            notebook,
            base_cells=self._seen.get(document["id"]) if base_cells is None else base_cells,
            language=self.language,
        )
        # The editor now holds exactly what it sent; that is the base of its next save.
        if self._keep_bases:
            self._remember(document["id"], notebooks.notebook_to_cells(notebook))
        current = self._current(document)
        if saved.merge.clean:
            # What it sent is now the stored revision; after a merge it holds
            # less than that, until it reloads (or its room is brought up to date).
            self._held[document["id"]] = (current["revision"], parse_time(current["modified_at"]))
        if trusted:
            self._sign_if_unchanged(document["id"], notebook)
        # A save never moves a document, so the map just used still says where it is.
        answer = self._notebook_model(relative, current, False)
        answer["journal"] = {
            "revision": saved.result.revision,
            "merged": saved.merge.merged,
            "conflicts": saved.merge.conflicts,
        }
        return answer

    def base_cells(self, base: dict[str, Any]) -> list[CellRow]:
        """The cells of a save's base notebook (checked as a notebook is)."""
        return self._base_cells(base)

    def _base_cells(self, base: dict[str, Any]) -> list[CellRow]:
        notebook = self._notebook_from({"type": "notebook", "content": base})
        strip_trust(notebook)
        return notebooks.notebook_to_cells(notebook)

    def behind(self, path: str) -> bool:
        """True when the journal has a newer revision of a document than the one this server's editor holds."""
        relative = self._relative(path)
        document = self._paths().get(relative)
        if document is None or document["id"] not in self._held:
            return False
        return int(self._current(document)["revision"]) > self._held[document["id"]][0]

    def _path_of(self, document_id: int) -> str:
        relative = documents.document_path(self.store, self._viewer(), document_id, self.language)
        if relative is None:
            raise Refusal(404, "no journal document with id {document_id}", document_id=document_id)
        return f"{self.root}/{relative}"

    def new_untitled(self, path: str, type: str) -> dict[str, Any]:
        """The file browser's 'New notebook' in Mon journal/ or Terrain/: a document from the right template."""
        if type not in ("", "notebook"):
            raise Refusal(400, "the journal folder only holds notebooks")
        document = documents.create_in_folder(self.store, self._viewer(), self._relative(path), self.language)
        return self.get(self._path_of(document["id"]), content=False)

    def rename(self, old_path: str, new_path: str) -> None:
        """Rename a document in its folder, or move it to the trash and back."""
        old_relative, new_relative = self._relative(old_path), self._relative(new_path)
        paths = self._paths()
        if old_relative not in paths:
            raise Refusal(404, "no journal document at '{old_path}'", old_path=old_path)
        document = paths[old_relative]
        old_folder = old_relative.rpartition("/")[0]
        new_folder, _, name = new_relative.rpartition("/")
        if not name.endswith(".ipynb") or not name[: -len(".ipynb")].strip():
            raise Refusal(400, "'{new_path}': a journal document's name must end with .ipynb", new_path=new_path)
        title = name[: -len(".ipynb")]
        viewer = self._viewer()
        trash = documents.FOLDER_LABELS.get(self.language, documents.FOLDER_LABELS["fr"])["trash"]
        if new_folder == trash and old_folder != trash:
            documents.move_to_trash(self.store, viewer, document)
        elif old_folder == trash and new_folder != trash:
            restored = documents.take_out_of_trash(self.store, viewer, document)
            home = "/".join(documents.folder_for(self.store, viewer, restored, self.language))
            if new_folder != home:
                documents.move_to_trash(self.store, viewer, restored)
                raise Refusal(
                    400,
                    "this document goes back to '{root}/{home}', not '{root}/{new_folder}'",
                    root=self.root,
                    home=home,
                    new_folder=new_folder,
                )
        elif new_folder != old_folder:
            raise Refusal(
                400,
                "journal documents stay in their folder (it decides who can read them);"
                " to keep a copy elsewhere, copy the notebook instead",
            )
        if title != document["title"]:
            documents.rename_document(self.store, viewer, self.store.document(document["id"]), title)

    def delete(self, path: str) -> None:
        """Move a document to its owner's trash; nothing is ever erased."""
        relative = self._relative(path)
        paths = self._paths()
        if relative not in paths:
            if relative in self._folders(paths):
                raise Refusal(400, "journal folders can't be deleted; delete the documents inside instead")
            raise Refusal(404, "no journal document at '{path}'", path=path)
        document = paths[relative]
        if document.get("deleted_at"):
            raise Refusal(
                400,
                "journal documents are never erased: this one stays in the trash, where only you see it",
            )
        documents.move_to_trash(self.store, self._viewer(), document)

    def exists(self, path: str) -> bool:
        """True for a journal folder or document the user may see."""
        try:
            relative = self._relative(path)
        except HTTPError:
            return False
        paths = self._paths()
        return relative in paths or relative in self._folders(paths)

    def file_exists(self, path: str) -> bool:
        """True for a journal document the user may see."""
        try:
            return self._relative(path) in self._paths()
        except HTTPError:
            return False

    def dir_exists(self, path: str) -> bool:
        """True for a journal folder the user may see."""
        try:
            return self._relative(path) in self._folders(self._paths())
        except HTTPError:
            return False

    def checkpoint(self, path: str) -> dict[str, Any]:
        """The latest stored revision, presented as the document's checkpoint."""
        relative = self._relative(path)
        paths = self._paths()
        if relative not in paths:
            raise Refusal(404, "no journal document at '{path}'", path=path)
        document = self._current(paths[relative])
        return {"id": str(document["revision"]), "last_modified": parse_time(document["modified_at"])}

    def check_checkpoint(self, checkpoint_id: str, path: str) -> None:
        """Restoring a checkpoint: only the current revision is one (earlier ones come back through the history)."""
        if self.checkpoint(path)["id"] != str(checkpoint_id):
            raise Refusal(
                400,
                "'{path}' has no checkpoint {checkpoint_id}; earlier revisions are restored from the"
                " document's history",
                path=path,
                checkpoint_id=checkpoint_id,
            )

    def root_entry(self) -> dict[str, Any]:
        """The journal folder as an entry of the server's root listing."""
        return self._dir_model("", False, self._paths(fresh=True))


def wrap_contents_manager(base: type, drive_factory: Callable[[Any], JournalDrive | RemoteDrive]) -> type:
    """Subclass ``base`` so that journal paths are served by a :class:`JournalDrive`.

    ``base`` is whatever contents manager the server is configured with, sync
    (``FileContentsManager``, jupytext's) or async (the default): each method
    answers journal paths itself, in the base's own manner (a value, or an
    awaitable for an async base), and hands every other path to the base
    with only the arguments it accepts. Wrapping twice gives the same class.
    """
    if not (isinstance(base, type) and issubclass(base, ContentsManager)):
        raise TypeError(f"journal_ext can only compose with a jupyter_server contents manager, not {base!r}")
    # Already the journal's wrapper: as it is. A manager built on the wrapper by
    # another extension (jupytext derives its own from the configured class)
    # is wrapped again, so that Journal/ is answered before it.
    if base.__dict__.get("journal_wrapped", False):
        return base
    asynchronous = issubclass(base, AsyncContentsManager)
    generic_copy = _generic_async_copy if asynchronous else ContentsManager.copy
    # Managers written before jupyter_server 2.11 have no require_hash.
    takes_hash = "require_hash" in inspect.signature(base.get).parameters

    def as_base_answers(value: Any) -> Any:
        """A journal answer as the base would give it: awaitable for an async manager."""
        return _resolved(value) if asynchronous else value

    # A class made at run time on whichever manager is configured: mypy cannot
    # follow a base class held in a variable (it is checked above instead).
    class JournalContentsManager(base):  # type: ignore[misc]
        """The server's contents manager, plus the journal folder."""

        journal_wrapped = True

        @property
        def journal_drive(self) -> JournalDrive | RemoteDrive:
            drive = getattr(self, "_journal_drive", None)
            if drive is None:
                drive = drive_factory(self)
                self._journal_drive = drive
            return drive

        def _journal(self, call: Callable[[], T]) -> Any:
            return as_base_answers(drive_answer(call, self.journal_drive.language))

        def _owns(self, path: str) -> bool:
            if path is not None and not isinstance(path, str):
                raise Refusal(
                    400,
                    "a contents path must be text, like 'Journal/Mon journal/Titre.ipynb'; got {path}",
                    path=repr(path),
                )
            return self.journal_drive.owns(path or "")

        def _with_journal_folder(self, path: str, content: bool, model: dict[str, Any]) -> dict[str, Any]:
            """The root listing, with the journal folder in it."""
            if path.strip("/") == "" and content and model.get("type") == "directory":
                names = {entry["name"] for entry in model["content"]}
                if self.journal_drive.root not in names:
                    model["content"].append(drive_answer(self.journal_drive.root_entry, self.journal_drive.language))
            return model

        def save(self, model: dict[str, Any], path: str) -> Any:
            if self._owns(path):
                return self._journal(lambda: self.journal_drive.save(model, path))
            return super().save(model, path)

        def new_untitled(self, path: str = "", type: str = "", ext: str = "") -> Any:
            if self._owns(path):
                if ext not in ("", ".ipynb"):
                    raise Refusal(
                        400, "the journal folder only holds notebooks (.ipynb), not {ext} files", ext=repr(ext)
                    )
                return self._journal(lambda: self.journal_drive.new_untitled(path, type))
            return super().new_untitled(path=path, type=type, ext=ext)

        def copy(self, from_path: str, to_path: str | None = None) -> Any:
            if self._owns(from_path) or self._owns(to_path or ""):
                # The generic copy goes through get() and save(), which know the journal.
                return generic_copy(self, from_path, to_path)
            return super().copy(from_path, to_path)

        def delete(self, path: str) -> Any:
            if self._owns(path):
                return self._journal(lambda: self.journal_drive.delete(path))
            return super().delete(path)

        def update(self, model: dict[str, Any], path: str) -> Any:
            new_path = model.get("path", path)
            if self._owns(path) and not isinstance(new_path, str):
                # The base class would fail on anything but text (null, a number).
                raise Refusal(
                    400,
                    "'path' is the new name, like 'Journal/Mon journal/Titre.ipynb'; got {new_path}",
                    new_path=repr(new_path),
                )
            return super().update(model, path)

        def rename(self, old_path: str, new_path: str) -> Any:
            if self._owns(old_path) != self._owns(new_path):
                raise Refusal(
                    400,
                    "documents move neither into nor out of the journal folder; copy them instead",
                )
            if self._owns(old_path):
                return self._journal(lambda: self.journal_drive.rename(old_path, new_path))
            return super().rename(old_path, new_path)

        def trust_notebook(self, path: str) -> Any:
            if self._owns(path):
                return self._journal(lambda: self.journal_drive.trust(path))
            return super().trust_notebook(path)

        def create_checkpoint(self, path: str) -> Any:
            if self._owns(path):
                return self._journal(lambda: self.journal_drive.checkpoint(path))
            return super().create_checkpoint(path)

        def list_checkpoints(self, path: str) -> Any:
            if self._owns(path):
                return self._journal(lambda: [self.journal_drive.checkpoint(path)])
            return super().list_checkpoints(path)

        def restore_checkpoint(self, checkpoint_id: str, path: str) -> Any:
            if self._owns(path):
                return self._journal(lambda: self.journal_drive.check_checkpoint(checkpoint_id, path))
            return super().restore_checkpoint(checkpoint_id, path)

        def delete_checkpoint(self, checkpoint_id: str, path: str) -> Any:
            if self._owns(path):
                return as_base_answers(None)
            return super().delete_checkpoint(checkpoint_id, path)

    def journal_get(
        self: Any, path: str, content: bool, type: str | None, format: str | None, require_hash: bool
    ) -> Any:
        # This class's own super(), never self's: a manager built on this one and
        # wrapped again (jupytext's) puts another copy of this method above it.
        if self._owns(path):
            return self._journal(lambda: self.journal_drive.get(path, content, type, format, require_hash))
        options: dict[str, Any] = {"content": content, "type": type, "format": format}
        if takes_hash:
            options["require_hash"] = require_hash
        answer = super(JournalContentsManager, self).get(path, **options)
        return _then(answer, lambda model: self._with_journal_folder(path, content, model))

    # jupyter_server asks for a hash only from a get() that takes require_hash:
    # the wrapper's get() takes what the base's takes.
    if takes_hash:

        def get(
            self: Any,
            path: str,
            content: bool = True,
            type: str | None = None,
            format: str | None = None,
            require_hash: bool = False,
        ) -> Any:
            return journal_get(self, path, content, type, format, require_hash)

    else:

        def get(  # type: ignore[misc]  # the other variant of get(), without require_hash
            self: Any, path: str, content: bool = True, type: str | None = None, format: str | None = None
        ) -> Any:
            return journal_get(self, path, content, type, format, False)

    JournalContentsManager.get = get
    if asynchronous:
        # Callers tell an async manager by its methods (inspect.iscoroutinefunction,
        # as jupytext does): an async base gets coroutine methods.
        for name in _CONTENTS_METHODS:
            setattr(JournalContentsManager, name, _coroutine_method(JournalContentsManager.__dict__[name]))

    # Managers mix sync and async predicates (AsyncFileContentsManager.exists is
    # sync, its file_exists is async): each override matches its base method.
    for name in ("exists", "file_exists", "dir_exists", "is_hidden"):
        setattr(JournalContentsManager, name, _predicate(base, name))

    JournalContentsManager.__name__ = f"Journal{base.__name__}"
    JournalContentsManager.__qualname__ = JournalContentsManager.__name__
    return JournalContentsManager


# The contents methods the wrapper overrides (the yes/no predicates aside).
_CONTENTS_METHODS = (
    "get",
    "save",
    "new_untitled",
    "copy",
    "delete",
    "update",
    "rename",
    "trust_notebook",
    "create_checkpoint",
    "list_checkpoints",
    "restore_checkpoint",
    "delete_checkpoint",
)


def _coroutine_method(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` as a coroutine function, awaiting what it returns when that is awaitable."""

    @functools.wraps(method)
    async def coroutine(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = method(self, *args, **kwargs)
        if inspect.isawaitable(result):
            return await result
        return result

    return coroutine


async def _resolved(value: T) -> T:
    return value


def _then(result: Any, follow: Callable[[Any], Any]) -> Any:
    """``follow(result)``, after awaiting ``result`` when it is awaitable (an async base's answer)."""
    if inspect.isawaitable(result):

        async def followed() -> Any:
            return follow(await result)

        return followed()
    return follow(result)


def _predicate(base: type, name: str) -> Callable[..., Any]:
    """An override of a yes/no contents method, sync or async like the base's."""
    inherited = getattr(base, name)

    def journal_answer(self: Any, path: str) -> bool:
        if name == "is_hidden":
            return False
        return bool(drive_answer(lambda: getattr(self.journal_drive, name)(path), self.journal_drive.language))

    if inspect.iscoroutinefunction(inherited):

        async def async_predicate(self: Any, path: str = "") -> bool:
            if self._owns(path):
                return journal_answer(self, path)
            return bool(await inherited(self, path))

        async_predicate.__name__ = name
        return async_predicate

    def sync_predicate(self: Any, path: str = "") -> bool:
        if self._owns(path):
            return journal_answer(self, path)
        return bool(inherited(self, path))

    sync_predicate.__name__ = name
    return sync_predicate


def drive_answer(call: Callable[[], T], language: str = "fr") -> T:
    """Run a drive call, turning library errors into HTTP errors a person can act on, in the reader's language."""
    language = current_language(language)
    try:
        return call()
    except HTTPError:
        raise
    except ExplainedError as error:
        # A store error keeps its status (403, 404, 409…); a malformed template or notebook is a 400.
        raise (
            http_error_for(error, language) or Refusal(400, error.message, code=error.code, shown_in=language)
        ) from error
    except (ValueError, json.JSONDecodeError) as error:
        raise Refusal(400, "this notebook cannot be read: {error}", error=str(error), shown_in=language) from error
    except Exception as error:
        mapped = http_error_for(error, language)
        if mapped is None:
            raise
        raise mapped from error

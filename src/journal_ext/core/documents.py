"""Journal documents as people meet them: templates they can use, documents they can see, where they sit in Journal/.

This is the library the REST handlers, the contents manager and the CLI call;
it checks permissions through :mod:`journal_ext.core.permissions` and reaches the
file only through :mod:`journal_ext.db`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from nbformat import NotebookNode

from journal_ext.core import notebooks
from journal_ext.core.framework import builtin_frameworks
from journal_ext.core.merge import MergeResult, merge_cells
from journal_ext.core.permissions import (
    SHARED_KINDS,
    PermissionDenied,
    Viewer,
    check_writable,
    may_create,
    may_manage,
    may_read,
    narrowing_refusal,
)
from journal_ext.core.templates import Template, builtin_templates, parse_template
from journal_ext.db import (
    VISIBILITIES,
    CellRow,
    JournalStore,
    NotFound,
    SaveResult,
    StoreError,
    catalogue_scopes,
    template_digest,
)
from journal_ext.i18n import plural_message

SYSTEM_USER = "journal-ext"

FOLDER_LABELS = {
    "fr": {"learning_journal": "Mon journal", "field_observation": "Terrain", "trash": "Corbeille"},
    "en": {"learning_journal": "My journal", "field_observation": "Field notes", "trash": "Trash"},
}


def ensure_initialised(store: JournalStore) -> None:
    """Load the built-in frameworks and templates into a journal that lacks them."""
    known = {f["id"] for f in store.list_frameworks()}
    for framework in builtin_frameworks():
        if framework.id not in known:
            store.save_framework(framework)
    for template in builtin_templates():
        builtin_version(store, template)


def builtin_version(store: JournalStore, template: Template) -> dict[str, Any]:
    """The stored version of a built-in template, stored now if missing (no write lock when present)."""
    version = store.template_version_by_digest(template.id, template_digest(template.to_dict()))
    return version if version is not None else store.save_template(template, author=SYSTEM_USER)


def assign_builtin_templates(store: JournalStore, group_id: int, language: str) -> int:
    """Give a group the built-in templates of its language written for its cohort's framework; returns how many.

    A cohort on another framework (e.g. blocs de compétences) gets none: its
    coordinator assigns templates written for that framework.
    """
    framework_id = store.group_by_id(group_id)["framework_id"]
    count = 0
    for template in builtin_templates(language):
        if template.framework not in (None, framework_id):
            continue
        store.assign_template(group_id, builtin_version(store, template)["id"], by=SYSTEM_USER)
        count += 1
    return count


def template_from_version(version: dict[str, Any]) -> Template:
    """The Template object stored in a template version row."""
    body = version["body"]
    # Stored versions were validated against their framework when saved.
    used = {code for section in body.get("sections", []) for code in section.get("domains", [])}
    return parse_template(body, domain_codes=used, source=version["slug"])


def _summary(version: dict[str, Any], group: dict[str, Any] | None) -> dict[str, Any]:
    body = version["body"]
    return {
        "id": version["id"],
        "slug": version["slug"],
        "kind": version["kind"],
        "title": version["title"],
        "description": body.get("description", ""),
        "language": version["language"],
        "version": version["version"],
        "group": group,
    }


def templates_for(store: JournalStore, viewer: Viewer, language: str = "fr") -> list[dict[str, Any]]:
    """The templates a user may create documents from: their groups' (as learner), else personal built-ins."""
    offered: list[dict[str, Any]] = []
    for membership in viewer.memberships:
        if membership.role != "learner":
            continue
        group = {"id": membership.group_id, "name": membership.group_name}
        for version in store.group_templates(membership.group_id):
            offered.append(_summary(version, group))
    if not offered:
        for template in builtin_templates(language):
            stored = store.template_version_by_digest(template.id, template_digest(template.to_dict()))
            if stored is not None:
                offered.append(_summary(stored, None))
    return offered


def create_from_template(
    store: JournalStore,
    viewer: Viewer,
    *,
    template_version_id: int,
    group_id: int | None,
    title: str | None = None,
    visibility: Any = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Create a document for the viewer from a template version and return its row.

    ``visibility`` (one of :data:`VISIBILITIES`) overrides the template's
    default for a group's document; a personal document is always private.
    """
    if visibility is not None:
        _check_visibility(visibility)
    version = store.template_version(template_version_id)
    if group_id is not None:
        store.group_by_id(group_id)
    if not may_create(viewer, group_id):
        raise PermissionDenied("you are not a member of this group, so you cannot write in it")
    allowed = {t["id"] for t in templates_for(store, viewer) if (t["group"] or {}).get("id") == group_id}
    if group_id is not None and template_version_id not in allowed:
        raise PermissionDenied(
            "this template is not the one assigned to your group for this kind of document;"
            " reload the Launcher to get the current one"
        )
    template = template_from_version(version)
    day = today or dt.date.today()
    group = store.group_by_id(group_id) if group_id is not None else None
    if title is None:
        title = template.title if template.kind in SHARED_KINDS else f"{day.isoformat()} {template.title}"
    title = _unique_title(store, viewer, title, template.kind, group_id)
    # A shared document is the group's: its header names every learner who writes it.
    authors = (
        [m["display_name"] or m["user"] for m in store.members(group_id) if m["role"] == "learner"]
        if template.kind in SHARED_KINDS and group_id is not None
        else []
    )
    notebook = notebooks.build_notebook(
        template,
        title=title,
        author=authors or store.display_name(viewer.user),
        group=group["name"] if group else None,
        date=day,
        template_version=version["version"],
    )
    if group_id is None:
        if visibility not in (None, "private"):
            raise StoreError(
                "a document outside any group can only be read by you: its visibility can only be 'private'"
            )
        visibility = "private"
    elif visibility is None:
        visibility = template.default_visibility
    else:
        refusal = narrowing_refusal(template.kind, group_id, visibility)
        if refusal:
            raise PermissionDenied(refusal)
    metadata = dict(notebook.metadata)
    return store.create_document(
        kind=template.kind,
        title=title,
        owner=viewer.user,
        group_id=group_id,
        visibility=visibility,
        template_version_id=version["id"],
        cells=notebooks.notebook_to_cells(notebook),
        metadata=metadata,
    )


def _unique_title(store: JournalStore, viewer: Viewer, title: str, kind: str, group_id: int | None) -> str:
    title = title.replace("/", "-").replace("\\", "-").strip()
    taken = {
        d["title"]
        for d in store.list_documents(owner=viewer.user, group_ids=[group_id] if group_id else [])
        if may_read(viewer, d) and (d["kind"] == kind or (kind in SHARED_KINDS and d["group_id"] == group_id))
    }
    candidate, n = title, 2
    while candidate in taken:
        candidate, n = f"{title} ({n})", n + 1
    return candidate


def visible_documents(store: JournalStore, viewer: Viewer) -> list[dict[str, Any]]:
    """Every document the viewer may read."""
    own_groups = {m.group_id for m in viewer.memberships}
    cohort_ids = {m.cohort_id for m in viewer.memberships}
    coordinated = {m.cohort_id for m in viewer.memberships if m.role == "coordinator"}
    candidates = store.list_documents(owner=viewer.user, group_ids=sorted(own_groups))
    # In the other groups of their cohorts people can only read what is shared
    # with the cohort (coordinators: with a group too): the store leaves the
    # rest out, so a journal of thousands of entries is not read row by row.
    # may_read below stays the rule; the visibilities only narrow the listing.
    other_groups = [
        g
        for g in (store.list_groups() if cohort_ids else [])
        if g["id"] not in own_groups and g["cohort_id"] in cohort_ids
    ]
    for coordinating, shared_with in ((False, ("cohort",)), (True, ("group", "cohort"))):
        elsewhere = sorted(g["id"] for g in other_groups if (g["cohort_id"] in coordinated) == coordinating)
        if elsewhere:
            candidates += store.list_documents(group_ids=elsewhere, visibilities=shared_with)
    seen: set[int] = set()
    readable = []
    for document in sorted(candidates, key=lambda d: (d["created_at"], d["id"])):
        if document["id"] not in seen and may_read(viewer, document):
            seen.add(document["id"])
            readable.append(document)
    return readable


# Viewers whose catalogue a connection keeps (a single-user server has one), unless its memo says otherwise.
CATALOGUES_KEPT = 64


class Memo(OrderedDict[Any, Any]):
    """A memo (see :func:`catalogue`) that keeps up to ``capacity`` catalogues, shared by threads.

    The journal service's reader threads share one. When several of them
    need the same catalogue that is missing or stale (a tutor's 25,000
    documents take a third of a second to list, and ten requests of theirs
    can come in that time), one builds it and the others wait for it
    (:meth:`building`) rather than each listing the same rows again.
    """

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity
        self._guard = threading.Lock()
        # The key being built, its lock and how many threads hold or wait for it.
        self._builders: dict[Any, tuple[threading.Lock, int]] = {}

    @contextlib.contextmanager
    def building(self, key: Any) -> Iterator[None]:
        """Held by one thread at a time per key, while it checks and, if need be, builds what the key names."""
        with self._guard:
            lock, users = self._builders.get(key, (threading.Lock(), 0))
            self._builders[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._builders[key]
                if users == 1:
                    del self._builders[key]
                else:
                    self._builders[key] = (lock, users - 1)


@dataclass(frozen=True)
class Catalogue:
    """What a viewer may read and where each document appears under Journal/, as of its stamps."""

    # The scopes of the documents the viewer may list, and the catalogue stamp
    # followed by theirs (JournalStore.catalogue_stamps) when the listing began.
    scopes: tuple[str, ...]
    stamps: tuple[int, ...]
    readable: list[dict[str, Any]]
    paths: dict[str, dict[str, Any]]

    @functools.cached_property
    def readable_ids(self) -> list[int]:
        """The ids of the readable documents, in order (what a search is restricted to)."""
        return sorted(document["id"] for document in self.readable)

    @functools.cached_property
    def path_of(self) -> dict[int, str]:
        """Where each readable document appears, by id."""
        return {document["id"]: path for path, document in self.paths.items()}


def listing_scopes(store: JournalStore, viewer: Viewer) -> tuple[str, ...]:
    """The scopes of every document that can appear in the viewer's catalogue (see :func:`catalogue`).

    This follows :func:`may_read` and :func:`visible_documents`: their own
    documents; in the groups they tutor, all documents; in their other
    groups, and in every group of the cohorts they coordinate, those shared
    with the group or the cohort; in their cohorts, those shared with the cohort.
    """
    tutored = {m.group_id for m in viewer.memberships if m.role == "tutor"}
    shared = {m.group_id for m in viewer.memberships if m.role != "tutor"}
    coordinated = {m.cohort_id for m in viewer.memberships if m.role == "coordinator"}
    if coordinated:
        shared.update(g["id"] for g in store.list_groups() if g["cohort_id"] in coordinated)
    cohorts = {m.cohort_id for m in viewer.memberships}
    return catalogue_scopes(viewer.user, groups=tutored, shared=shared - tutored, cohorts=cohorts)


def catalogue(store: JournalStore, viewer: Viewer, language: str = "fr", *, fresh: bool = False) -> Catalogue:
    """:func:`visible_documents` and :func:`document_paths`, kept until a change may alter them.

    Listing what a tutor may read means reading thousands of rows in a busy
    cohort; the answer changes only when a document is created, renamed,
    trashed or shared differently, or a group, membership or display name
    changes. Each document change moves the stamps of the scopes the document
    was and is in (its owner; its group, for the tutors; its group's shared
    documents; its cohort's, while shared with it: see migration 0010); the
    rest moves :meth:`JournalStore.catalogue_stamp`. A kept catalogue
    holds while that stamp and those of the viewer's scopes
    (:func:`listing_scopes`) stay put: a learner's new entry in one group
    leaves the tutors of other groups, and the coordinators, their catalogues
    as long as it is read by the group's tutors only.
    Kept rows may predate the latest saves (revision, modified_at, metadata):
    re-read a row where those matter. ``fresh=True`` rebuilds it now.
    """
    key = ("catalogue", viewer, language)
    memo = store.memo
    if not isinstance(memo, Memo):
        return _kept_or_built(store, viewer, language, key, fresh)
    # A thread that finds another building this catalogue waits, then takes it if it still holds.
    with memo.building(key):
        return _kept_or_built(store, viewer, language, key, fresh)


def _kept_or_built(store: JournalStore, viewer: Viewer, language: str, key: Any, fresh: bool) -> Catalogue:
    memo = store.memo
    kept: Catalogue | None = memo.get(key)
    # The viewer's scopes depend only on memberships and groups, which move the
    # catalogue stamp: the kept list holds as long as the kept stamps do.
    if not fresh and kept is not None and store.catalogue_stamps(kept.scopes) == kept.stamps:
        if isinstance(memo, Memo):
            # The most recently used last (the journal service's readers share one memo:
            # another thread may have let it go meanwhile).
            with contextlib.suppress(KeyError):
                memo.move_to_end(key)
        return kept
    # Read the stamps first: a change during the listing only makes the next call rebuild.
    # The catalogue stamp is read before the scopes are worked out, so a group
    # added meanwhile to a cohort the viewer coordinates makes the next call rebuild too.
    before = store.catalogue_stamp()
    scopes = listing_scopes(store, viewer)
    stamps = (before, *store.catalogue_stamps(scopes)[1:])
    readable = visible_documents(store, viewer)
    kept = Catalogue(scopes, stamps, readable, document_paths(store, viewer, language, readable))
    memo[key] = kept
    # Past the memo's capacity the least recently used catalogues go.
    while len(memo) > getattr(memo, "capacity", CATALOGUES_KEPT):
        try:
            memo.pop(next(iter(memo)), None)
        except (StopIteration, RuntimeError):
            break
    return kept


def folder_for(
    store: JournalStore,
    viewer: Viewer,
    document: dict[str, Any],
    language: str,
    names: dict[str, str] | None = None,
) -> list[str]:
    """The folders, under Journal/, in which a document appears to this viewer.

    ``names`` memoises owners' display names across calls (one query per owner, not per document).
    """
    labels = FOLDER_LABELS.get(language, FOLDER_LABELS["fr"])
    own = document["owner"] == viewer.user
    if document["kind"] in SHARED_KINDS and document.get("group_name"):
        return [document["group_name"]]
    if own:
        return [labels.get(document["kind"], labels["learning_journal"])]
    parts = [document["group_name"]] if document.get("group_name") else []
    owner = document["owner"]
    if names is None:
        names = {}
    if owner not in names:
        names[owner] = store.display_name(owner)
    return [*parts, names[owner].replace("/", "-")]


def standing_folders(viewer: Viewer, language: str = "fr") -> list[str]:
    """The folders under Journal/ that exist for a viewer even when empty: their own places and their groups."""
    labels = FOLDER_LABELS.get(language, FOLDER_LABELS["fr"])
    folders = [labels["learning_journal"], labels["field_observation"]]
    folders += sorted({m.group_name for m in viewer.memberships})
    return folders


def document_paths(
    store: JournalStore,
    viewer: Viewer,
    language: str = "fr",
    visible: Sequence[dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Map 'folder/…/title.ipynb' (relative to Journal/) to each document the viewer may read.

    The viewer's own documents in the trash appear in the trash folder.
    ``visible`` is :func:`visible_documents` when the caller already has it.
    """
    paths: dict[str, dict[str, Any]] = {}
    trash = FOLDER_LABELS.get(language, FOLDER_LABELS["fr"])["trash"]
    trashed = store.list_documents(owner=viewer.user, trash=True)
    names: dict[str, str] = {}
    if visible is None:
        visible = visible_documents(store, viewer)
    for document in list(visible) + trashed:
        if document.get("deleted_at"):
            folder = trash
        else:
            folder = "/".join(folder_for(store, viewer, document, language, names))
        name = document["title"].replace("/", "-")
        path, n = f"{folder}/{name}.ipynb", 2
        while path in paths:
            path, n = f"{folder}/{name} ({n}).ipynb", n + 1
        paths[path] = document
    return paths


def document_path(store: JournalStore, viewer: Viewer, document_id: int, language: str = "fr") -> str | None:
    """Where one document appears under Journal/ for this viewer (None when hidden)."""
    for path, document in catalogue(store, viewer, language).paths.items():
        if document["id"] == document_id:
            return path
    return None


def document_summary(document: dict[str, Any], path: str | None, language: str, owner_name: str) -> dict[str, Any]:
    """A document as the API and search present it: what a person needs to find and open it."""
    return {
        "id": document["id"],
        "title": document["title"],
        "kind": document["kind"],
        "kind_label": notebooks.kind_label(document["kind"], language),
        "owner": document["owner"],
        "owner_name": owner_name,
        "group": ({"id": document["group_id"], "name": document.get("group_name")} if document["group_id"] else None),
        "visibility": document["visibility"],
        "revision": document["revision"],
        "created_at": document["created_at"],
        "modified_at": document["modified_at"],
        "path": path,
        "trashed": bool(document.get("deleted_at")),
    }


def readable_document(store: JournalStore, viewer: Viewer, document_id: int) -> dict[str, Any]:
    """A document the viewer may read; NotFound when it doesn't exist or is hidden from them."""
    document = store.document(document_id)
    if not may_read(viewer, document):
        # Hidden documents look exactly like missing ones: not even the title leaks.
        raise NotFound("no document with id {document_id}", document_id=document_id)
    return document


def load_notebook(store: JournalStore, document: dict[str, Any]) -> NotebookNode:
    """The document as a notebook, stamped with its id and revision."""
    metadata = notebooks.served_metadata(dict(document["metadata"]))
    journal = dict(metadata.get(notebooks.JOURNAL_KEY, {}))
    journal.update(
        {
            "schema_version": notebooks.METADATA_SCHEMA_VERSION,
            "document_id": document["id"],
            "revision": document["revision"],
            "kind": document["kind"],
            "visibility": document["visibility"],
        }
    )
    metadata[notebooks.JOURNAL_KEY] = journal
    return notebooks.cells_to_notebook(store.cells(document["id"]), metadata)


@dataclass(frozen=True)
class SavedNotebook:
    """What saving a notebook did: the stored revision, and what merging changed."""

    result: SaveResult
    merge: MergeResult
    base_revision: int


def save_notebook(
    store: JournalStore,
    viewer: Viewer,
    document: dict[str, Any],
    notebook: dict[str, Any],
    *,
    base_cells: Sequence[CellRow] | None = None,
    language: str = "fr",
) -> SavedNotebook:
    """Store a notebook as the viewer's new revision, merged with whatever others saved meanwhile.

    ``base_cells`` are the cells the viewer started from (what their editor
    last received); without them the revision stamped in the notebook's
    metadata when it was opened is the base. Cells someone else changed
    since are merged in; a cell both changed keeps both texts (a conflict).
    """
    check_writable(viewer, document)
    metadata = dict(notebook.get("metadata", {}))
    journal = dict(metadata.get(notebooks.JOURNAL_KEY, {}))
    stamped = journal.get("revision")
    journal = {k: v for k, v in journal.items() if k not in ("document_id", "revision", "visibility")}
    metadata[notebooks.JOURNAL_KEY] = journal
    mine = notebooks.notebook_to_cells(notebook)

    def merged_and_saved(current: dict[str, Any], theirs: list[CellRow]) -> SavedNotebook:
        check_structure(theirs, mine)
        if base_cells is not None:
            base, base_revision = list(base_cells), current["revision"]
        elif isinstance(stamped, int) and 1 <= stamped < current["revision"]:
            base, base_revision = store.state_at(document["id"], stamped), stamped
        else:
            base, base_revision = theirs, current["revision"]
        merge = merge_cells(base, mine, theirs, me=viewer.user, display_name=store.display_name, language=language)
        summary = {"merged": merge.merged, "conflicts": merge.conflicts} if not merge.clean else {}
        # What load_notebook completed when serving it is not a change of the saver's.
        stored = current["metadata"]
        kept = stored if notebooks.served_metadata(dict(stored)) == metadata else metadata
        result = store.save_cells(
            document["id"],
            merge.cells,
            author=viewer.user,
            metadata=kept,
            base_revision=base_revision,
            summary=summary,
            read=(current["revision"], theirs),
        )
        return SavedNotebook(result, merge, base_revision)

    # Read and merge before taking the write lock, so that 64 learners saving
    # at once hold it only for the writes; read and merge again when someone
    # saved in between (see JournalStore.read_then_write).
    return store.read_then_write(document["id"], merged_and_saved)


def check_structure(stored: Sequence[CellRow], saved: Sequence[CellRow]) -> None:
    """Refuse a save that changes or deletes the template's protected cells (headings and consignes)."""
    changes = notebooks.structure_changes(stored, saved)
    if not changes:
        return
    cell, change = changes[0]
    if change == "deleted":
        raise PermissionDenied(
            "'{name}' belongs to this document's template: it can't be deleted. Nothing was saved;"
            " reload the document to get it back, then save again",
            code="template_structure",
            name=notebooks.cell_name(cell),
        )
    raise PermissionDenied(
        "'{name}' belongs to this document's template: its heading and consigne can't be changed (write in"
        " the cell below it). Nothing was saved; reload the document, then save again",
        code="template_structure",
        name=notebooks.cell_name(cell),
    )


def rename_document(store: JournalStore, viewer: Viewer, document: dict[str, Any], title: str) -> dict[str, Any]:
    """Give a document a new title (its owner only)."""
    if not may_manage(viewer, document):
        raise PermissionDenied("only the person who created this document can rename it")
    title = title.replace("/", "-").replace("\\", "-").strip()
    return store.rename_document(document["id"], title)


VISIBILITY_MEANINGS = {
    "private": "only you",
    "tutors": "you and your group's tutors",
    "group": "your group's members, its tutors and the cohort's coordinators",
    "cohort": "everyone in the cohort",
}


def _check_visibility(visibility: Any) -> None:
    """StoreError naming the choices when a visibility isn't one of them."""
    if not isinstance(visibility, str) or visibility not in VISIBILITIES:
        choices = "; ".join(f"'{v}' ({VISIBILITY_MEANINGS[v]})" for v in VISIBILITIES)
        raise StoreError(
            "visibility must be one of {choices}; got {visibility}", choices=choices, visibility=repr(visibility)
        )


def set_visibility(store: JournalStore, viewer: Viewer, document: dict[str, Any], visibility: Any) -> dict[str, Any]:
    """Change who may read a document (its owner only); returns the updated row."""
    if not may_manage(viewer, document):
        raise PermissionDenied("only the person who created this document can change who may read it")
    if document.get("deleted_at"):
        raise PermissionDenied("this document is in the trash: move it back out before changing who may read it")
    _check_visibility(visibility)
    if document.get("group_id") is None and visibility != "private":
        raise StoreError(
            "this document belongs to no group, so only you can read it: its visibility can only be 'private'"
        )
    refusal = narrowing_refusal(document["kind"], document.get("group_id"), visibility)
    if refusal:
        raise PermissionDenied(refusal)
    return store.set_visibility(document["id"], visibility)


def move_to_trash(store: JournalStore, viewer: Viewer, document: dict[str, Any]) -> dict[str, Any]:
    """Put a document in its owner's trash: hidden from everyone, kept with its whole history."""
    if not may_manage(viewer, document):
        raise PermissionDenied("only the person who created this document can delete it")
    return store.set_trashed(document["id"], by=viewer.user)


def take_out_of_trash(store: JournalStore, viewer: Viewer, document: dict[str, Any]) -> dict[str, Any]:
    """Bring a document back from the trash to where it was."""
    if not may_manage(viewer, document):
        raise PermissionDenied("only the person who created this document can restore it")
    return store.set_trashed(document["id"], by=None)


def folder_kind(store: JournalStore, viewer: Viewer, folder: str, language: str) -> tuple[str, int | None]:
    """The kind of document, and the group, that a new notebook in a Journal/ folder becomes."""
    labels = FOLDER_LABELS.get(language, FOLDER_LABELS["fr"])
    for kind in ("learning_journal", "field_observation"):
        if folder == labels[kind]:
            learner_groups = [m.group_id for m in viewer.memberships if m.role == "learner"]
            return kind, (learner_groups[0] if len(learner_groups) == 1 else None)
    raise StoreError(
        "new documents can be created in '{learning_journal}' or '{field_observation}', or from"
        " the Launcher's Journal cards",
        learning_journal=labels["learning_journal"],
        field_observation=labels["field_observation"],
    )


def create_in_folder(store: JournalStore, viewer: Viewer, folder: str, language: str) -> dict[str, Any]:
    """A new document from the viewer's template for the folder's kind (the file browser's 'New notebook')."""
    kind, group_id = folder_kind(store, viewer, folder, language)
    offered = [
        t
        for t in templates_for(store, viewer, language)
        if t["kind"] == kind and (t["group"] or {}).get("id") == group_id
    ]
    if not offered:
        raise StoreError("no template for this kind of document is available to you ({kind})", kind=kind)
    return create_from_template(store, viewer, template_version_id=offered[0]["id"], group_id=group_id)


def import_notebook(
    store: JournalStore, viewer: Viewer, folder: str, title: str, notebook: dict[str, Any], language: str
) -> dict[str, Any]:
    """Store a notebook copied or uploaded into one of the viewer's Journal/ folders as a new document."""
    kind, group_id = folder_kind(store, viewer, folder, language)
    metadata = dict(notebook.get("metadata", {}))
    journal = {
        k: v
        for k, v in dict(metadata.get(notebooks.JOURNAL_KEY, {})).items()
        if k not in ("document_id", "revision", "visibility")
    }
    journal.update({"schema_version": notebooks.METADATA_SCHEMA_VERSION, "kind": kind, "title": title})
    metadata[notebooks.JOURNAL_KEY] = journal
    return store.create_document(
        kind=kind,
        title=_unique_title(store, viewer, title, kind, group_id),
        owner=viewer.user,
        group_id=group_id,
        visibility=("group" if kind in SHARED_KINDS else "tutors") if group_id is not None else "private",
        template_version_id=None,
        cells=[replace(c, author=viewer.user) for c in notebooks.notebook_to_cells(notebook)],
        metadata=metadata,
    )


def write_sections(store: JournalStore, viewer: Viewer, document: dict[str, Any], texts: dict[str, str]) -> SaveResult:
    """Put text into the writing cells of some sections (by section key), as the viewer."""
    check_writable(viewer, document)
    known = {c.section_key for c in store.cells(document["id"]) if c.section_key}
    unknown = set(texts) - known
    if unknown:
        raise StoreError(
            plural_message(
                "this document has no section {names}",
                "this document has no sections {names}",
                "count",
                names=", ".join(sorted(unknown)),
                count=len(unknown),
            )
        )
    cells = [
        replace(cell, source=texts[cell.section_key].strip())
        if cell.section_key in texts and cell.metadata.get(notebooks.JOURNAL_KEY, {}).get("role") == "answer"
        else cell
        for cell in store.cells(document["id"])
    ]
    return store.save_cells(document["id"], cells, author=viewer.user)


def completeness_report(store: JournalStore, document: dict[str, Any]) -> dict[str, Any]:
    """The completeness report of a document against the template it was made from."""
    if document["template_version_id"] is None:
        raise NotFound("this document was not made from a template, so it has no completeness report")
    template = template_from_version(store.template_version(document["template_version_id"]))
    return notebooks.completeness(template, store.cells(document["id"]))


__all__ = [
    "PermissionDenied",
    "completeness_report",
    "create_from_template",
    "document_paths",
    "ensure_initialised",
    "load_notebook",
    "readable_document",
    "save_notebook",
    "set_visibility",
    "templates_for",
    "visible_documents",
]

"""A document's history as people read it: who changed which cells when, what differs between two revisions, and restoring an earlier one.

Every save appends cell revisions (see :meth:`JournalStore.save_cells`);
nothing here ever deletes or rewrites them. Restoring an earlier revision
saves its text as a new revision, so the restored-over text stays in the
history too. Every function checks permissions through
:mod:`journal_ext.core.permissions`: a hidden document is answered exactly like a
missing one.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any

from journal_ext.core.documents import readable_document
from journal_ext.core.permissions import Viewer, check_writable
from journal_ext.db import CellRow, JournalStore, NotFound, SaveResult, StoreError
from journal_ext.i18n import Message, phrase

DIFF_STATUSES = ("added", "removed", "changed", "moved", "unchanged")


def list_revisions(store: JournalStore, viewer: Viewer, document_id: int) -> list[dict[str, Any]]:
    """A document's revisions, newest first: who saved, when, from which base, which cells changed how."""
    readable_document(store, viewer, document_id)
    # Revisions first: a save landing in between then only adds unlisted rows.
    revisions = store.revisions(document_id)
    sections: dict[tuple[int, str], str | None] = {
        (row["revision"], row["cell_id"]): row["section_key"] for row in store.cell_revisions(document_id)
    }
    names: dict[str, str] = {}
    listed = []
    for row in reversed(revisions):
        author = row["author"]
        if author not in names:
            names[author] = store.display_name(author)
        listed.append(
            {
                "revision": row["revision"],
                "author": author,
                "author_name": names[author],
                "created_at": row["created_at"],
                "base_revision": row["base_revision"],
                "summary": row["summary"],
                "cells": [
                    {
                        "cell_id": cell["cell_id"],
                        "change": cell["change"],
                        "section_key": sections.get((row["revision"], cell["cell_id"])),
                    }
                    for cell in row["cells"]
                ],
            }
        )
    return listed


def _check_revision(document: dict[str, Any], revision: Any, what: Message, *, allow_empty: bool) -> int:
    """The revision number if the document has it; NotFound naming the valid range otherwise."""
    latest = document["revision"]
    lowest = 0 if allow_empty else 1
    if isinstance(revision, bool) or not isinstance(revision, int):
        raise StoreError(
            "the {what} revision must be a whole number from {lowest} to {latest}, got {revision}",
            what=what,
            lowest=lowest,
            latest=latest,
            revision=repr(revision),
        )
    if not lowest <= revision <= latest:
        empty = phrase(" (0 is the empty document before the first save)") if allow_empty else ""
        raise NotFound(
            "document {id} has revisions 1 to {latest}{empty}; there is no {what} revision {revision}",
            id=document["id"],
            latest=latest,
            empty=empty,
            what=what,
            revision=revision,
        )
    return revision


def _state(store: JournalStore, document_id: int, revision: int) -> list[CellRow]:
    return [] if revision == 0 else store.state_at(document_id, revision)


def _line_diff(before: str, after: str, from_revision: int, to_revision: int) -> list[str]:
    return list(
        difflib.unified_diff(
            before.splitlines(),
            after.splitlines(),
            fromfile=f"revision {from_revision}",
            tofile=f"revision {to_revision}",
            lineterm="",
        )
    )


def _changed_fields(before: CellRow, after: CellRow) -> list[str]:
    fields = []
    if before.cell_type != after.cell_type:
        fields.append("cell_type")
    if before.source != after.source:
        fields.append("source")
    if before.metadata != after.metadata:
        fields.append("metadata")
    if before.attachments != after.attachments:
        fields.append("attachments")
    return fields


def diff(
    store: JournalStore,
    viewer: Viewer,
    document_id: int,
    from_revision: int,
    to_revision: int,
    *,
    include_unchanged: bool = False,
) -> dict[str, Any]:
    """What differs between two revisions of a document, cell by cell, with a unified line diff of each text.

    Cells come in the order they have at ``to_revision``, then the cells
    that exist only at ``from_revision``. Either revision may be the
    earlier one; revision 0 stands for the empty document before the first
    save. A cell is ``moved`` when its place among the cells both revisions
    share changed, not merely because a cell was added above it.
    """
    document = readable_document(store, viewer, document_id)
    from_revision = _check_revision(document, from_revision, phrase("'from'"), allow_empty=True)
    to_revision = _check_revision(document, to_revision, phrase("'to'"), allow_empty=True)
    before_cells = _state(store, document_id, from_revision)
    after_cells = _state(store, document_id, to_revision)
    before = {cell.cell_id: cell for cell in before_cells}
    after = {cell.cell_id: cell for cell in after_cells}

    # Cells kept in the same relative order are the longest common run of
    # shared ids; the other shared cells were moved.
    shared_before = [c.cell_id for c in before_cells if c.cell_id in after]
    shared_after = [c.cell_id for c in after_cells if c.cell_id in before]
    matcher = difflib.SequenceMatcher(a=shared_before, b=shared_after, autojunk=False)
    in_place = {
        cell_id for block in matcher.get_matching_blocks() for cell_id in shared_after[block.b : block.b + block.size]
    }

    names: dict[str, str] = {}

    def name_of(user: str) -> str:
        if user not in names:
            names[user] = store.display_name(user)
        return names[user]

    entries: list[dict[str, Any]] = []
    counts = dict.fromkeys(DIFF_STATUSES, 0)
    ordered = [(cell.cell_id, before.get(cell.cell_id), cell) for cell in after_cells] + [
        (cell.cell_id, cell, None) for cell in before_cells if cell.cell_id not in after
    ]
    for cell_id, old, new in ordered:
        moved = old is not None and new is not None and cell_id not in in_place
        changed_fields = _changed_fields(old, new) if old is not None and new is not None else []
        if old is None:
            status = "added"
        elif new is None:
            status = "removed"
        elif changed_fields:
            status = "changed"
        elif moved:
            status = "moved"
        else:
            status = "unchanged"
        counts[status] += 1
        if status == "unchanged" and not include_unchanged:
            continue
        shown = new if new is not None else old
        assert shown is not None
        before_text = old.source if old is not None else None
        after_text = new.source if new is not None else None
        entries.append(
            {
                "cell_id": cell_id,
                "section_key": shown.section_key,
                "cell_type": shown.cell_type,
                "status": status,
                "moved": moved,
                "changed_fields": changed_fields,
                "before": before_text,
                "after": after_text,
                "position_before": old.position if old is not None else None,
                "position_after": new.position if new is not None else None,
                "author": shown.author,
                "author_name": name_of(shown.author) if shown.author else "",
                "lines": _line_diff(before_text or "", after_text or "", from_revision, to_revision),
            }
        )
    return {
        "document_id": document_id,
        "from_revision": from_revision,
        "to_revision": to_revision,
        "latest_revision": document["revision"],
        "counts": counts,
        "cells": entries,
    }


def restore(store: JournalStore, viewer: Viewer, document_id: int, revision: int) -> SaveResult:
    """Save an earlier revision's cells as the document's new revision; nothing in the history is removed.

    Code cells that still exist keep their current outputs and execution
    counts (the history keeps text, not outputs). When the document already
    holds that revision's text, nothing is saved and the result's
    ``changes`` is empty (see :func:`restore_message`).
    """
    with store.write():
        document = readable_document(store, viewer, document_id)
        check_writable(viewer, document, phrase("restore an earlier revision"))
        revision = _check_revision(document, revision, phrase("requested"), allow_empty=False)
        current = {cell.cell_id: cell for cell in store.cells(document_id)}
        cells = []
        for cell in store.state_at(document_id, revision):
            now = current.get(cell.cell_id)
            if cell.cell_type == "code" and now is not None and now.cell_type == "code":
                cell = replace(cell, outputs=now.outputs, execution_count=now.execution_count)
            cells.append(cell)
        return store.save_cells(
            document_id,
            cells,
            author=viewer.user,
            base_revision=document["revision"],
            summary={"restored_from": revision},
        )


def restore_message(result: SaveResult, revision: int) -> str:
    """A sentence telling a person what a restore did."""
    if not result.changes:
        return f"the document already holds the text of revision {revision}: nothing to restore"
    return f"revision {revision} restored as revision {result.revision}; the history keeps every earlier revision"


__all__ = ["diff", "list_revisions", "restore", "restore_message"]

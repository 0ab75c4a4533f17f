"""Documents, their cells and the append-only history of cell revisions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from journal_ext.db.errors import (
    NotFound,
    RevisionMoved,
    StoreError,
)
from journal_ext.db.rows import (
    SAVE_READ_TRIES,
    VISIBILITIES,
    CellRow,
    SaveResult,
    T,
    _cell_from_row,
    _clean_name,
    _storable_id,
    utcnow,
)
from journal_ext.db.templates import TemplateQueries
from journal_ext.i18n import phrase


class DocumentQueries(TemplateQueries):
    """Documents, their cells and the append-only history of cell revisions."""

    # -- documents and cells -------------------------------------------------

    def create_document(
        self,
        *,
        kind: str,
        title: str,
        owner: str,
        group_id: int | None,
        visibility: str,
        template_version_id: int | None,
        cells: Sequence[CellRow],
        metadata: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Create a document with its first revision of cells."""
        title = _clean_name(title, phrase("document title"))
        if visibility not in VISIBILITIES:
            raise StoreError(
                "visibility must be one of {visibilities}; got '{visibility}'",
                visibilities=", ".join(VISIBILITIES),
                visibility=visibility,
            )
        self.ensure_user(owner)
        if group_id is not None:
            self.group_by_id(group_id)
        now = utcnow()
        with self.write() as db:
            cursor = db.execute(
                """INSERT INTO documents (kind, title, owner, group_id, visibility,
                       template_version_id, revision, created_at, modified_at, metadata)
                   VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)""",
                [
                    kind,
                    title,
                    owner,
                    group_id,
                    visibility,
                    template_version_id,
                    now,
                    now,
                    json.dumps(metadata or {}, ensure_ascii=False),
                ],
            )
            document_id = cursor.lastrowid
            assert document_id is not None
            db.execute(
                "INSERT INTO revisions (document_id, revision, base_revision, author, created_at)"
                " VALUES (?, 1, NULL, ?, ?)",
                [document_id, owner, now],
            )
            for position, cell in enumerate(cells):
                # Positions follow the order given, as in save_cells.
                placed = replace(cell, position=position)
                self._insert_cell(document_id, placed, cell.author or owner)
                self._append_cell_revision(document_id, 1, placed, "added", cell.author or owner, now)
        return self.document(document_id)

    def document(self, document_id: int) -> dict[str, Any]:
        """A document's row (with group and cohort names); NotFound if unknown."""
        if not _storable_id(document_id):
            raise NotFound("no document with id {document_id}", document_id=document_id)
        row = next(
            self.db.query(
                """SELECT documents.*, groups.name AS group_name, groups.cohort_id,
                          cohorts.name AS cohort
                   FROM documents
                   LEFT JOIN groups ON groups.id = documents.group_id
                   LEFT JOIN cohorts ON cohorts.id = groups.cohort_id
                   WHERE documents.id = ?""",
                [document_id],
            ),
            None,
        )
        if row is None:
            raise NotFound("no document with id {document_id}", document_id=document_id)
        row["metadata"] = json.loads(row["metadata"])
        return row

    def list_documents(
        self,
        *,
        owner: str | None = None,
        group_ids: Iterable[int] | None = None,
        trash: bool = False,
        visibilities: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Documents owned by a user or belonging to some groups (either matches).

        Documents in the trash are left out, or are the only ones listed with ``trash=True``.
        ``visibilities`` keeps only documents with one of those visibilities.
        """
        clauses: list[str] = []
        params: list[Any] = []
        if owner is not None:
            clauses.append("documents.owner = ?")
            params.append(owner)
        ids = list(group_ids or [])
        if ids:
            clauses.append(f"documents.group_id IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
        if not clauses:
            return []
        only = ""
        if visibilities is not None:
            only = " AND documents.visibility IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(visibilities)))
        rows = list(
            self.db.query(
                """SELECT documents.*, groups.name AS group_name, groups.cohort_id
                   FROM documents LEFT JOIN groups ON groups.id = documents.group_id
                   WHERE ("""
                + " OR ".join(clauses)
                + ") AND documents.deleted_at IS "
                + ("NOT NULL" if trash else "NULL")
                + only
                + " ORDER BY documents.created_at, documents.id",
                params,
            )
        )
        for row in rows:
            # Most documents have no metadata: a tutor's listing holds tens of thousands of them.
            row["metadata"] = {} if row["metadata"] == "{}" else json.loads(row["metadata"])
        return rows

    def set_trashed(self, document_id: int, *, by: str | None) -> dict[str, Any]:
        """Move a document to the trash (``by`` a user) or take it back out (``by=None``)."""
        with self.write() as db:
            self.document(document_id)
            db.execute(
                "UPDATE documents SET deleted_at = ?, deleted_by = ? WHERE id = ?",
                [utcnow() if by else None, by, document_id],
            )
        return self.document(document_id)

    def rename_document(self, document_id: int, title: str) -> dict[str, Any]:
        """Change a document's title."""
        title = _clean_name(title, phrase("document title"))
        with self.write() as db:
            self.document(document_id)
            db.execute(
                "UPDATE documents SET title = ?, modified_at = ? WHERE id = ?",
                [title, utcnow(), document_id],
            )
        return self.document(document_id)

    def set_visibility(self, document_id: int, visibility: str) -> dict[str, Any]:
        """Change who may read a document (one of VISIBILITIES)."""
        if visibility not in VISIBILITIES:
            raise StoreError(
                "visibility must be one of {visibilities}; got {visibility}",
                visibilities=", ".join(VISIBILITIES),
                visibility=repr(visibility),
            )
        with self.write() as db:
            self.document(document_id)
            # modified_at stays: the text did not change, and an editor holding the
            # notebook open must not take this for someone else's save.
            db.execute("UPDATE documents SET visibility = ? WHERE id = ?", [visibility, document_id])
        return self.document(document_id)

    def revisions(self, document_id: int) -> list[dict[str, Any]]:
        """A document's revisions, oldest first, each with the cells it changed."""
        rows = list(self.db.query("SELECT * FROM revisions WHERE document_id = ? ORDER BY revision", [document_id]))
        changes: dict[int, list[dict[str, Any]]] = {}
        for row in self.db.query(
            "SELECT revision, cell_id, change FROM cell_revisions WHERE document_id = ? ORDER BY id",
            [document_id],
        ):
            changes.setdefault(row["revision"], []).append({"cell_id": row["cell_id"], "change": row["change"]})
        for row in rows:
            row["summary"] = json.loads(row["summary"])
            row["cells"] = changes.get(row["revision"], [])
        return rows

    def cells(self, document_id: int) -> list[CellRow]:
        """A document's current cells in order."""
        return [
            _cell_from_row(row)
            for row in self.db.query("SELECT * FROM cells WHERE document_id = ? ORDER BY position", [document_id])
        ]

    def read_then_write(self, document_id: int, attempt: Callable[[dict[str, Any], list[CellRow]], T]) -> T:
        """Run ``attempt(document, cells)`` on a snapshot read before taking the write lock.

        The attempt writes with ``save_cells(..., read=(document["revision"], cells))``,
        which raises :class:`RevisionMoved` when someone saved in between: then it
        runs again on a fresh snapshot, at most SAVE_READ_TRIES times, and finally
        under the write lock, where nothing can move. So writers hold the lock
        only to write, yet a document everyone saves at once is still saved.
        """
        if not self.db.conn.in_transaction:
            for _ in range(SAVE_READ_TRIES):
                try:
                    return attempt(*self.document_with_cells(document_id))
                except RevisionMoved:
                    continue
        with self.write():
            return attempt(*self.document_with_cells(document_id))

    def document_with_cells(self, document_id: int) -> tuple[dict[str, Any], list[CellRow]]:
        """A document's row and its cells as of one moment (one read transaction)."""
        conn = self.db.conn
        if conn.in_transaction:
            return self.document(document_id), self.cells(document_id)
        conn.execute("BEGIN")
        try:
            return self.document(document_id), self.cells(document_id)
        finally:
            conn.execute("COMMIT")

    def cell(self, document_id: int, cell_id: str) -> CellRow | None:
        """One current cell of a document (None when it has no such cell)."""
        row = next(
            self.db.query("SELECT * FROM cells WHERE document_id = ? AND cell_id = ?", [document_id, cell_id]),
            None,
        )
        return _cell_from_row(row) if row is not None else None

    def cell_revisions(self, document_id: int) -> list[dict[str, Any]]:
        """The append-only history of a document's cells, oldest first."""
        return list(self.db.query("SELECT * FROM cell_revisions WHERE document_id = ? ORDER BY id", [document_id]))

    def state_at(self, document_id: int, revision: int) -> list[CellRow]:
        """The document's cells as they stood at a revision, rebuilt from the history.

        Outputs of code cells are not kept in the history; the author of each
        cell is whoever last changed it up to that revision.
        """
        document = self.document(document_id)
        if not 1 <= revision <= document["revision"]:
            raise NotFound(
                "document {document_id} has revisions 1 to {revision}, not {revision2}",
                document_id=document_id,
                revision=document["revision"],
                revision2=revision,
            )
        rows = self.db.query(
            """SELECT cell_revisions.* FROM cell_revisions
               JOIN (SELECT cell_id, MAX(id) AS last FROM cell_revisions
                     WHERE document_id = ? AND revision <= ? GROUP BY cell_id) AS latest
                 ON latest.last = cell_revisions.id
               WHERE cell_revisions.change != 'deleted'
               ORDER BY cell_revisions.position, cell_revisions.id""",
            [document_id, revision],
        )
        cells = []
        for row in rows:
            metadata = json.loads(row["metadata"])
            journal = metadata.get("journal", {}) if isinstance(metadata, dict) else {}
            cells.append(
                CellRow(
                    cell_id=row["cell_id"],
                    position=row["position"],
                    cell_type=row["cell_type"],
                    source=row["source"],
                    section_key=row["section_key"],
                    domains=tuple(journal.get("domains") or ()),
                    author=row["author"],
                    metadata=metadata,
                    attachments=json.loads(row["attachments"]),
                )
            )
        return cells

    def save_cells(
        self,
        document_id: int,
        cells: Sequence[CellRow],
        *,
        author: str,
        metadata: dict[str, Any] | None = None,
        base_revision: int | None = None,
        summary: dict[str, Any] | None = None,
        read: tuple[int, Sequence[CellRow]] | None = None,
    ) -> SaveResult:
        """Store a new state of a document's cells as one revision.

        Unchanged cells keep their author; each added, edited, moved or deleted
        cell is appended to the history with the saving author. ``base_revision``
        is the revision the saver started from (default: the current one) and
        ``summary`` what merging or restoring did, both kept with the revision.

        ``read`` is (revision, cells) as the caller read them before taking the
        write lock: they are used instead of reading the cells again under the
        lock, and :class:`RevisionMoved` is raised, nothing written, when the
        document has moved past that revision meanwhile. Without it, the
        store reads them itself through :meth:`read_then_write`.
        """
        ids = [c.cell_id for c in cells]
        if len(set(ids)) != len(ids):
            raise StoreError("two cells of the notebook have the same id; reload and save again")
        if read is None:
            return self.read_then_write(
                document_id,
                lambda stored, stored_cells: self.save_cells(
                    document_id,
                    cells,
                    author=author,
                    metadata=metadata,
                    base_revision=base_revision,
                    summary=summary,
                    read=(stored["revision"], stored_cells),
                ),
            )
        now = utcnow()
        with self.write() as db:
            doc = self.document(document_id)
            if read[0] != doc["revision"]:
                raise RevisionMoved(
                    "document {document_id} is at revision {revision}, not {value} as read",
                    document_id=document_id,
                    revision=doc["revision"],
                    value=read[0],
                )
            current = {c.cell_id: c for c in read[1]}
            changes: dict[str, str] = {}
            for position, cell in enumerate(cells):
                old = current.get(cell.cell_id)
                if old is None:
                    changes[cell.cell_id] = "added"
                elif not old.same_content(cell):
                    changes[cell.cell_id] = "edited"
                elif old.position != position:
                    changes[cell.cell_id] = "moved"
            for cell_id in current.keys() - set(ids):
                changes[cell_id] = "deleted"
            new_metadata = metadata if metadata is not None else doc["metadata"]
            if not changes:
                # Identical cells: no revision (the history lists only what someone changed).
                # The notebook's own metadata (kernel, language) is kept as sent.
                if new_metadata != doc["metadata"]:
                    db.execute(
                        "UPDATE documents SET metadata = ? WHERE id = ?",
                        [json.dumps(new_metadata, ensure_ascii=False), document_id],
                    )
                return SaveResult(document_id, doc["revision"], {})
            revision = doc["revision"] + 1
            db.execute(
                "INSERT INTO revisions (document_id, revision, base_revision, author, created_at,"
                " summary) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    document_id,
                    revision,
                    doc["revision"] if base_revision is None else base_revision,
                    author,
                    now,
                    json.dumps(summary or {}, ensure_ascii=False),
                ],
            )
            for position, cell in enumerate(cells):
                placed = replace(cell, position=position)
                change = changes.get(cell.cell_id)
                if change is None:
                    continue
                keep_author = change == "moved"
                cell_author = current[cell.cell_id].author if keep_author else author
                db.execute(
                    "DELETE FROM cells WHERE document_id = ? AND cell_id = ?",
                    [document_id, cell.cell_id],
                )
                self._insert_cell(document_id, placed, cell_author)
                self._append_cell_revision(document_id, revision, placed, change, author, now)
            for cell_id, change in changes.items():
                if change == "deleted":
                    gone = current[cell_id]
                    db.execute(
                        "DELETE FROM cells WHERE document_id = ? AND cell_id = ?",
                        [document_id, cell_id],
                    )
                    self._append_cell_revision(document_id, revision, gone, "deleted", author, now)
            db.execute(
                "UPDATE documents SET revision = ?, modified_at = ?, metadata = ? WHERE id = ?",
                [revision, now, json.dumps(new_metadata, ensure_ascii=False), document_id],
            )
        return SaveResult(document_id, revision, changes)

    def _insert_cell(self, document_id: int, cell: CellRow, author: str) -> None:
        self.db.execute(
            """INSERT INTO cells (document_id, cell_id, position, cell_type, source, section_key,
                   domains, author, metadata, outputs, execution_count, attachments)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                document_id,
                cell.cell_id,
                cell.position,
                cell.cell_type,
                cell.source,
                cell.section_key,
                json.dumps(list(cell.domains)),
                author,
                json.dumps(cell.metadata, ensure_ascii=False),
                json.dumps(cell.outputs, ensure_ascii=False),
                cell.execution_count,
                json.dumps(cell.attachments, ensure_ascii=False),
            ],
        )

    def _append_cell_revision(
        self, document_id: int, revision: int, cell: CellRow, change: str, author: str, now: str
    ) -> None:
        self.db.execute(
            """INSERT INTO cell_revisions (document_id, revision, cell_id, change, position,
                   cell_type, source, author, created_at, section_key, metadata, attachments)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                document_id,
                revision,
                cell.cell_id,
                change,
                cell.position,
                cell.cell_type,
                cell.source,
                author,
                now,
                cell.section_key,
                json.dumps(cell.metadata, ensure_ascii=False),
                json.dumps(cell.attachments, ensure_ascii=False),
            ],
        )

"""Annotations anchored to passages, and their replies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from journal_ext.db.documents import DocumentQueries
from journal_ext.db.errors import (
    NotFound,
)
from journal_ext.db.rows import (
    ANNOTATION_AUDIENCES,
    ANNOTATION_MOTIVATIONS,
    ANNOTATION_STATUSES,
    _check_choice,
    _storable_id,
    utcnow,
)
from journal_ext.i18n import phrase


class AnnotationQueries(DocumentQueries):
    """Annotations anchored to passages, and their replies."""

    # -- annotations ---------------------------------------------------------

    def add_annotation(
        self,
        *,
        document_id: int,
        cell_id: str,
        author: str,
        motivation: str,
        audience: str,
        body: str,
        exact: str,
        prefix: str,
        suffix: str,
        start: int,
        end: int,
    ) -> dict[str, Any]:
        """Record an annotation on a passage of a cell (the caller checked who may, and the passage)."""
        _check_choice(motivation, ANNOTATION_MOTIVATIONS, phrase("motivation"))
        _check_choice(audience, ANNOTATION_AUDIENCES, phrase("audience"))
        now = utcnow()
        with self.write() as db:
            if db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone() is None:
                raise NotFound("no document with id {document_id}", document_id=document_id)
            self._know_user(author)
            cursor = db.execute(
                """INSERT INTO annotations (document_id, cell_id, author, motivation, audience, body,
                       exact, prefix, suffix, position_start, position_end, created_at, modified_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [document_id, cell_id, author, motivation, audience, body, exact, prefix, suffix, start, end, now, now],
            )
            annotation_id = cursor.lastrowid
        assert annotation_id is not None
        return self.annotation(annotation_id)

    def annotation(self, annotation_id: int) -> dict[str, Any]:
        """An annotation's row, deleted or not; NotFound if unknown."""
        if not _storable_id(annotation_id):
            raise NotFound("no annotation with id {annotation_id}", annotation_id=annotation_id)
        row = next(self.db.query("SELECT * FROM annotations WHERE id = ?", [annotation_id]), None)
        if row is None:
            raise NotFound("no annotation with id {annotation_id}", annotation_id=annotation_id)
        return row

    def annotations(self, document_id: int) -> list[dict[str, Any]]:
        """Every annotation of a document, deleted ones included, oldest first."""
        return list(self.db.query("SELECT * FROM annotations WHERE document_id = ? ORDER BY id", [document_id]))

    def open_annotations(self, document_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The open, not deleted annotations of some documents, oldest first."""
        return list(
            self.db.query(
                """SELECT * FROM annotations
                   WHERE document_id IN (SELECT value FROM json_each(?))
                     AND status = 'open' AND deleted_at IS NULL
                   ORDER BY id""",
                [json.dumps([int(i) for i in document_ids])],
            )
        )

    def documents_with_threads_of(self, user: str) -> list[int]:
        """The documents holding an open annotation the user wrote or replied to."""
        rows = self.db.execute(
            """SELECT document_id FROM annotations
                WHERE author = ? AND status = 'open' AND deleted_at IS NULL
               UNION
               SELECT annotations.document_id FROM annotation_replies
                 JOIN annotations ON annotations.id = annotation_replies.annotation_id
                WHERE annotation_replies.author = ? AND annotation_replies.deleted_at IS NULL
                  AND annotations.status = 'open' AND annotations.deleted_at IS NULL""",
            [user, user],
        ).fetchall()
        return sorted(row[0] for row in rows)

    def update_annotation(
        self,
        annotation_id: int,
        *,
        body: str | None = None,
        motivation: str | None = None,
        audience: str | None = None,
    ) -> dict[str, Any]:
        """Change an annotation's body, motivation or audience (those given)."""
        if motivation is not None:
            _check_choice(motivation, ANNOTATION_MOTIVATIONS, phrase("motivation"))
        if audience is not None:
            _check_choice(audience, ANNOTATION_AUDIENCES, phrase("audience"))
        with self.write() as db:
            current = self.annotation(annotation_id)
            db.execute(
                "UPDATE annotations SET body = ?, motivation = ?, audience = ?, modified_at = ? WHERE id = ?",
                [
                    current["body"] if body is None else body,
                    current["motivation"] if motivation is None else motivation,
                    current["audience"] if audience is None else audience,
                    utcnow(),
                    annotation_id,
                ],
            )
        return self.annotation(annotation_id)

    def set_annotation_status(self, annotation_id: int, status: str, *, by: str) -> dict[str, Any]:
        """Resolve an annotation (recording who and when) or reopen it; nothing changes when already so."""
        _check_choice(status, ANNOTATION_STATUSES, phrase("status"))
        with self.write() as db:
            if self.annotation(annotation_id)["status"] != status:
                resolved = status == "resolved"
                db.execute(
                    "UPDATE annotations SET status = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
                    [status, by if resolved else None, utcnow() if resolved else None, annotation_id],
                )
        return self.annotation(annotation_id)

    def delete_annotation(self, annotation_id: int) -> dict[str, Any]:
        """Mark an annotation deleted (the row and its replies stay)."""
        with self.write() as db:
            self.annotation(annotation_id)
            db.execute(
                "UPDATE annotations SET deleted_at = COALESCE(deleted_at, ?) WHERE id = ?",
                [utcnow(), annotation_id],
            )
        return self.annotation(annotation_id)

    def add_reply(self, annotation_id: int, *, author: str, body: str) -> dict[str, Any]:
        """Add a reply to an annotation's thread."""
        now = utcnow()
        with self.write() as db:
            self.annotation(annotation_id)
            self.ensure_user(author)
            cursor = db.execute(
                "INSERT INTO annotation_replies (annotation_id, author, body, created_at, modified_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [annotation_id, author, body, now, now],
            )
            reply_id = cursor.lastrowid
        assert reply_id is not None
        return self.reply(reply_id)

    def reply(self, reply_id: int) -> dict[str, Any]:
        """A reply's row, deleted or not; NotFound if unknown."""
        if not _storable_id(reply_id):
            raise NotFound("no reply with id {reply_id}", reply_id=reply_id)
        row = next(self.db.query("SELECT * FROM annotation_replies WHERE id = ?", [reply_id]), None)
        if row is None:
            raise NotFound("no reply with id {reply_id}", reply_id=reply_id)
        return row

    def replies(self, annotation_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The replies of some annotations, deleted ones included, oldest first."""
        return list(
            self.db.query(
                """SELECT * FROM annotation_replies
                   WHERE annotation_id IN (SELECT value FROM json_each(?)) ORDER BY id""",
                [json.dumps([int(i) for i in annotation_ids])],
            )
        )

    def update_reply(self, reply_id: int, body: str) -> dict[str, Any]:
        """Change a reply's text."""
        with self.write() as db:
            self.reply(reply_id)
            db.execute(
                "UPDATE annotation_replies SET body = ?, modified_at = ? WHERE id = ?",
                [body, utcnow(), reply_id],
            )
        return self.reply(reply_id)

    def delete_reply(self, reply_id: int) -> dict[str, Any]:
        """Mark a reply deleted (the row stays)."""
        with self.write() as db:
            self.reply(reply_id)
            db.execute(
                "UPDATE annotation_replies SET deleted_at = COALESCE(deleted_at, ?) WHERE id = ?",
                [utcnow(), reply_id],
            )
        return self.reply(reply_id)

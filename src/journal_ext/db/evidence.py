"""The competence evidence log and self-positioning (append-only)."""

from __future__ import annotations

from typing import Any

from journal_ext.db.documents import DocumentQueries
from journal_ext.db.errors import (
    StoreError,
)
from journal_ext.db.rows import EVIDENCE_EVENTS, _check_choice, _storable_id, utcnow
from journal_ext.i18n import phrase, plural_message


class EvidenceQueries(DocumentQueries):
    """The competence evidence log and self-positioning (append-only)."""

    # -- competence evidence and self-positioning (append-only) ---------------

    def append_evidence_event(self, kind: str, actor: str, **fields: Any) -> dict[str, Any]:
        """Append one event to the evidence log and return it; a claim is its own evidence id."""
        _check_choice(kind, EVIDENCE_EVENTS, phrase("the evidence event"))
        allowed = {
            "evidence_id",
            "learner",
            "document_id",
            "cell_id",
            "competence",
            "exact",
            "prefix",
            "suffix",
            "position_start",
            "position_end",
            "role",
            "state",
            "text",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise StoreError(
                plural_message(
                    "unknown evidence field: {names}",
                    "unknown evidence fields: {names}",
                    "count",
                    names=", ".join(sorted(unknown)),
                    count=len(unknown),
                )
            )
        with self.write() as db:
            self.ensure_user(actor)
            row = {"kind": kind, "actor": actor, "at": utcnow(), "text": "", **fields}
            cursor = db.execute(
                f"INSERT INTO evidence_events ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
            event_id = cursor.lastrowid
            if kind == "claim":
                db.execute("UPDATE evidence_events SET evidence_id = ? WHERE id = ?", [event_id, event_id])
            return dict(next(db.query("SELECT * FROM evidence_events WHERE id = ?", [event_id])))

    def evidence_events(self, *, learner: str | None = None, evidence_id: int | None = None) -> list[dict[str, Any]]:
        """The evidence log, oldest first: one learner's, one piece of evidence's, or all of it."""
        where: list[str] = []
        params: list[str | int] = []
        if learner is not None:
            where.append("evidence_id IN (SELECT id FROM evidence_events WHERE kind = 'claim' AND learner = ?)")
            params.append(learner)
        if evidence_id is not None:
            if not _storable_id(evidence_id):
                return []
            where.append("evidence_id = ?")
            params.append(evidence_id)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return list(self.db.query(f"SELECT * FROM evidence_events {clause} ORDER BY id", params))

    def append_self_positioning(
        self, learner: str, cohort_id: int, ratings: dict[str, int], day: str, note: str = ""
    ) -> list[dict[str, Any]]:
        """Record a learner's ratings of themselves (competence code -> level 1-4) on a day, in one write."""
        with self.write() as db:
            recorded = utcnow()
            rows = [
                {
                    "learner": learner,
                    "cohort_id": cohort_id,
                    "competence": code,
                    "level": level,
                    "day": day,
                    "note": note,
                    "recorded_at": recorded,
                }
                for code, level in ratings.items()
            ]
            ids = [
                db.execute(
                    "INSERT INTO self_positionings (learner, cohort_id, competence, level, day, note, recorded_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    list(row.values()),
                ).lastrowid
                for row in rows
            ]
            return [dict(next(db.query("SELECT * FROM self_positionings WHERE id = ?", [i]))) for i in ids]

    def self_positionings(self, learner: str, cohort_id: int | None = None) -> list[dict[str, Any]]:
        """A learner's self-positioning ratings, oldest day first."""
        if cohort_id is None:
            return list(self.db.query("SELECT * FROM self_positionings WHERE learner = ? ORDER BY day, id", [learner]))
        return list(
            self.db.query(
                "SELECT * FROM self_positionings WHERE learner = ? AND cohort_id = ? ORDER BY day, id",
                [learner, cohort_id],
            )
        )

"""The journal database: the only package that speaks SQL.

``JournalStore`` (``store``) is what the rest of journal_ext uses; the rows,
state names and errors it hands out are in ``rows`` and ``errors`` (the
search snippet marks too, for the few callers that split snippets).
"""

from journal_ext.db.connection import BUSY_TIMEOUT_MS, catalogue_scopes
from journal_ext.db.errors import (
    Conflict,
    NotFound,
    RevisionMoved,
    SearchSyntaxError,
    StoreError,
    is_busy,
)
from journal_ext.db.migrations import SCHEMA_VERSION, apply_migrations, migrations
from journal_ext.db.rows import (
    ANNOTATION_AUDIENCES,
    ANNOTATION_MOTIVATIONS,
    ANNOTATION_STATUSES,
    ASSESSMENT_STATES,
    ASSESSOR_ROLES,
    CELL_CHANGES,
    EVIDENCE_EVENTS,
    ROLES,
    SAVE_READ_TRIES,
    VISIBILITIES,
    CellRow,
    SaveResult,
    default_db_path,
    parse_time,
    template_digest,
    utcnow,
)
from journal_ext.db.store import JournalStore

__all__ = [
    "ANNOTATION_AUDIENCES",
    "ANNOTATION_MOTIVATIONS",
    "ANNOTATION_STATUSES",
    "ASSESSMENT_STATES",
    "ASSESSOR_ROLES",
    "BUSY_TIMEOUT_MS",
    "CELL_CHANGES",
    "EVIDENCE_EVENTS",
    "ROLES",
    "SAVE_READ_TRIES",
    "SCHEMA_VERSION",
    "VISIBILITIES",
    "CellRow",
    "Conflict",
    "JournalStore",
    "NotFound",
    "RevisionMoved",
    "SaveResult",
    "SearchSyntaxError",
    "StoreError",
    "apply_migrations",
    "catalogue_scopes",
    "default_db_path",
    "is_busy",
    "migrations",
    "parse_time",
    "template_digest",
    "utcnow",
]

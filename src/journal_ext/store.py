"""The journal database: the only module that speaks SQL.

One SQLite file holds cohorts, groups, memberships, competence frameworks,
versioned templates, documents, their cells, the append-only history of
cell revisions, and the annotations anchored to passages of cells. Every
write runs in a short ``BEGIN IMMEDIATE`` transaction so that concurrent
writers wait for the lock instead of failing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

ROLES = ("learner", "tutor", "coordinator")
VISIBILITIES = ("private", "tutors", "group", "cohort")
CELL_CHANGES = ("added", "edited", "moved", "deleted")
BUSY_TIMEOUT_MS = 5000
# With readers always active (every user's server reads the file), SQLite's
# automatic checkpoints never get to restart the -wal file, which then grows
# by hundreds of megabytes: every WAL_CHECK_EVERY commits a connection looks
# at its size and, past WAL_CHECKPOINT_BYTES, checkpoints it down to nothing.
WAL_CHECK_EVERY = 32
WAL_CHECKPOINT_BYTES = 32 * 1024 * 1024
T = TypeVar("T")
# How many times a save reads (and merges) outside the write lock before doing it under the lock.
SAVE_READ_TRIES = 3
# Past a checkpoint that got to the end, SQLite cuts the -wal file back to this size.
WAL_SIZE_LIMIT_BYTES = 32 * 1024 * 1024


class StoreError(Exception):
    """A request the store cannot honour; the message is meant for a person."""


class NotFound(StoreError):
    """The named cohort, group, user, template or document does not exist."""


class Conflict(StoreError):
    """The request clashes with what is already stored."""


class RevisionMoved(Conflict):
    """Someone saved the document between the caller's read and its write: read again and redo."""


def is_busy(error: BaseException) -> bool:
    """True for SQLite's "database is locked" / "busy": another process held the lock past the busy timeout.

    Nothing was written (the transaction that met it rolled back): the same
    request can simply be sent again.
    """
    if not isinstance(error, sqlite3.OperationalError):
        return False
    message = str(error).lower()
    return "database is locked" in message or "database is busy" in message or "database table is locked" in message


def utcnow() -> str:
    """Current UTC time as an ISO 8601 string with microseconds."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def parse_time(value: str) -> dt.datetime:
    """Parse a timestamp written by :func:`utcnow`."""
    return dt.datetime.fromisoformat(value)


# --------------------------------------------------------------------------
# Schema: numbered migrations. Never edit one that has shipped; add another.
# --------------------------------------------------------------------------

migrations = Migrations("journal_ext")


@migrations(name="0001_initial")
def _m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE frameworks (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            title_fr TEXT NOT NULL,
            title_en TEXT NOT NULL,
            body TEXT NOT NULL,
            loaded_at TEXT NOT NULL
        );
        CREATE TABLE domains (
            framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            title_fr TEXT NOT NULL,
            title_en TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (framework_id, code)
        );
        CREATE TABLE competences (
            framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            domain_code TEXT NOT NULL,
            title_fr TEXT NOT NULL,
            title_en TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (framework_id, code),
            FOREIGN KEY (framework_id, domain_code) REFERENCES domains(framework_id, code)
        );
        CREATE TABLE cohorts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            language TEXT NOT NULL DEFAULT 'fr',
            framework_id TEXT NOT NULL REFERENCES frameworks(id),
            created_at TEXT NOT NULL
        );
        CREATE TABLE groups (
            id INTEGER PRIMARY KEY,
            cohort_id INTEGER NOT NULL REFERENCES cohorts(id),
            name TEXT NOT NULL,
            commission TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (cohort_id, name)
        );
        CREATE TABLE memberships (
            group_id INTEGER NOT NULL REFERENCES groups(id),
            user TEXT NOT NULL REFERENCES users(name),
            role TEXT NOT NULL CHECK (role IN ('learner', 'tutor', 'coordinator')),
            added_at TEXT NOT NULL,
            PRIMARY KEY (group_id, user)
        );
        CREATE TABLE templates (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            language TEXT NOT NULL
        );
        CREATE TABLE template_versions (
            id INTEGER PRIMARY KEY,
            template_id INTEGER NOT NULL REFERENCES templates(id),
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            digest TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (template_id, version)
        );
        CREATE TABLE group_templates (
            group_id INTEGER NOT NULL REFERENCES groups(id),
            kind TEXT NOT NULL,
            template_version_id INTEGER NOT NULL REFERENCES template_versions(id),
            assigned_at TEXT NOT NULL,
            assigned_by TEXT NOT NULL,
            PRIMARY KEY (group_id, kind)
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            owner TEXT NOT NULL REFERENCES users(name),
            group_id INTEGER REFERENCES groups(id),
            visibility TEXT NOT NULL
                CHECK (visibility IN ('private', 'tutors', 'group', 'cohort')),
            template_version_id INTEGER REFERENCES template_versions(id),
            revision INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            modified_at TEXT NOT NULL
        );
        CREATE INDEX documents_owner ON documents(owner);
        CREATE INDEX documents_group ON documents(group_id);
        CREATE TABLE cells (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            cell_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            cell_type TEXT NOT NULL,
            source TEXT NOT NULL,
            section_key TEXT,
            domains TEXT NOT NULL DEFAULT '[]',
            author TEXT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}',
            outputs TEXT NOT NULL DEFAULT '[]',
            execution_count INTEGER,
            PRIMARY KEY (document_id, cell_id)
        );
        CREATE TABLE revisions (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            base_revision INTEGER,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (document_id, revision)
        );
        CREATE TABLE cell_revisions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL,
            revision INTEGER NOT NULL,
            cell_id TEXT NOT NULL,
            change TEXT NOT NULL CHECK (change IN ('added', 'edited', 'moved', 'deleted')),
            position INTEGER NOT NULL,
            cell_type TEXT NOT NULL,
            source TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TRIGGER cell_revisions_no_update BEFORE UPDATE ON cell_revisions
        BEGIN SELECT RAISE(ABORT, 'cell revisions are append-only'); END;
        CREATE TRIGGER cell_revisions_no_delete BEFORE DELETE ON cell_revisions
        BEGIN SELECT RAISE(ABORT, 'cell revisions are append-only'); END;
        PRAGMA user_version = 1;
        """
    )


@migrations(name="0002_notebook_metadata")
def _m0002_notebook_metadata(db: Database) -> None:
    # Notebook-level metadata (kernelspec, language_info) must survive a save,
    # and history reads go by document and cell.
    db.executescript(
        """
        ALTER TABLE documents ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
        CREATE INDEX cell_revisions_document_cell
            ON cell_revisions(document_id, cell_id, revision);
        PRAGMA user_version = 2;
        """
    )


@migrations(name="0003_cell_attachments")
def _m0003_cell_attachments(db: Database) -> None:
    # Images pasted into a markdown cell live in the cell's attachments: keep them.
    db.executescript(
        """
        ALTER TABLE cells ADD COLUMN attachments TEXT NOT NULL DEFAULT '{}';
        PRAGMA user_version = 3;
        """
    )


@migrations(name="0004_history_details_and_trash")
def _m0004_history_details_and_trash(db: Database) -> None:
    # History must be able to rebuild a whole earlier revision (restore), a
    # save records what merging did, and deleting a document only moves it
    # to the trash: nothing typed is ever lost.
    db.executescript(
        """
        ALTER TABLE cell_revisions ADD COLUMN section_key TEXT;
        ALTER TABLE cell_revisions ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE cell_revisions ADD COLUMN attachments TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE revisions ADD COLUMN summary TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE documents ADD COLUMN deleted_at TEXT;
        ALTER TABLE documents ADD COLUMN deleted_by TEXT;
        PRAGMA user_version = 4;
        """
    )


@migrations(name="0005_cell_search")
def _m0005_cell_search(db: Database) -> None:
    # Full-text search over cell text. The same table and trigger names as
    # sqlite-utils' enable_fts(["source"], create_triggers=True) so its tools
    # (detect_fts, rebuild_fts) recognise the index, but written as single
    # statements: executescript would commit the migration's transaction
    # halfway. remove_diacritics 2 makes "realite" find "réalité".
    # save_cells deletes and re-inserts a changed cell, hence the three triggers.
    # The index points at cells by rowid, which VACUUM may renumber in a table
    # without an INTEGER PRIMARY KEY: cells is rebuilt with one first.
    for statement in (
        """CREATE TABLE cells_keyed (
               id INTEGER PRIMARY KEY,
               document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
               cell_id TEXT NOT NULL,
               position INTEGER NOT NULL,
               cell_type TEXT NOT NULL,
               source TEXT NOT NULL,
               section_key TEXT,
               domains TEXT NOT NULL DEFAULT '[]',
               author TEXT NOT NULL,
               metadata TEXT NOT NULL DEFAULT '{}',
               outputs TEXT NOT NULL DEFAULT '[]',
               execution_count INTEGER,
               attachments TEXT NOT NULL DEFAULT '{}',
               UNIQUE (document_id, cell_id)
           )""",
        """INSERT INTO cells_keyed (document_id, cell_id, position, cell_type, source, section_key,
               domains, author, metadata, outputs, execution_count, attachments)
           SELECT document_id, cell_id, position, cell_type, source, section_key,
               domains, author, metadata, outputs, execution_count, attachments
           FROM cells ORDER BY document_id, position""",
        "DROP TABLE cells",
        "ALTER TABLE cells_keyed RENAME TO cells",
        """CREATE VIRTUAL TABLE [cells_fts] USING FTS5 (
               [source],
               tokenize='unicode61 remove_diacritics 2',
               content=[cells],
               content_rowid=[id]
           )""",
        """CREATE TRIGGER [cells_ai] AFTER INSERT ON [cells] BEGIN
             INSERT INTO [cells_fts] (rowid, [source]) VALUES (new.[id], new.[source]);
           END""",
        """CREATE TRIGGER [cells_ad] AFTER DELETE ON [cells] BEGIN
             INSERT INTO [cells_fts] ([cells_fts], rowid, [source])
               VALUES ('delete', old.[id], old.[source]);
           END""",
        """CREATE TRIGGER [cells_au] AFTER UPDATE ON [cells] BEGIN
             INSERT INTO [cells_fts] ([cells_fts], rowid, [source])
               VALUES ('delete', old.[id], old.[source]);
             INSERT INTO [cells_fts] (rowid, [source]) VALUES (new.[id], new.[source]);
           END""",
        # Index the cells already written before this version.
        "INSERT INTO [cells_fts] ([cells_fts]) VALUES ('rebuild')",
        "PRAGMA user_version = 5",
    ):
        db.execute(statement)


@migrations(name="0006_annotations")
def _m0006_annotations(db: Database) -> None:
    # Tutors' annotations, anchored to a passage of a cell (W3C Web Annotation
    # selectors: the quote with its context, and its position in code points),
    # and the replies of each thread. They live outside the notebook, so
    # learners cannot edit a tutor's words; no cell is referenced by a foreign
    # key, because an annotation whose cell was deleted stays, orphaned.
    # Deleting only stamps deleted_at: a thread never loses its replies.
    for statement in (
        """CREATE TABLE annotations (
               id INTEGER PRIMARY KEY,
               document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
               cell_id TEXT NOT NULL,
               author TEXT NOT NULL REFERENCES users(name),
               motivation TEXT NOT NULL
                   CHECK (motivation IN ('commenting', 'questioning', 'assessing')),
               audience TEXT NOT NULL CHECK (audience IN ('learner', 'group', 'tutors')),
               body TEXT NOT NULL,
               status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
               exact TEXT NOT NULL,
               prefix TEXT NOT NULL DEFAULT '',
               suffix TEXT NOT NULL DEFAULT '',
               position_start INTEGER NOT NULL CHECK (position_start >= 0),
               position_end INTEGER NOT NULL CHECK (position_end > position_start),
               created_at TEXT NOT NULL,
               modified_at TEXT NOT NULL,
               resolved_by TEXT,
               resolved_at TEXT,
               deleted_at TEXT
           )""",
        "CREATE INDEX annotations_document ON annotations(document_id, status)",
        """CREATE TABLE annotation_replies (
               id INTEGER PRIMARY KEY,
               annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
               author TEXT NOT NULL REFERENCES users(name),
               body TEXT NOT NULL,
               created_at TEXT NOT NULL,
               modified_at TEXT NOT NULL,
               deleted_at TEXT
           )""",
        "CREATE INDEX annotation_replies_annotation ON annotation_replies(annotation_id, id)",
        "PRAGMA user_version = 6",
    ):
        db.execute(statement)


@migrations(name="0007_competence_evidence")
def _m0007_competence_evidence(db: Database) -> None:
    # The competence passport is an append-only log: a learner claims a
    # passage as evidence of a competence, withdraws it, assessors judge it,
    # people comment. The current state is computed from the log, never
    # stored. Self-positioning ratings are appended the same way, one row per
    # competence and date, so progress over the programme stays visible.
    for statement in (
        """CREATE TABLE evidence_events (
               id INTEGER PRIMARY KEY,
               evidence_id INTEGER REFERENCES evidence_events(id),
               kind TEXT NOT NULL CHECK (kind IN ('claim', 'withdraw', 'assess', 'comment')),
               actor TEXT NOT NULL REFERENCES users(name),
               at TEXT NOT NULL,
               learner TEXT REFERENCES users(name),
               document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
               cell_id TEXT,
               competence TEXT,
               exact TEXT,
               prefix TEXT,
               suffix TEXT,
               position_start INTEGER,
               position_end INTEGER,
               role TEXT CHECK (role IS NULL OR role IN ('self', 'peer', 'tutor')),
               state TEXT CHECK (state IS NULL OR state IN
                   ('ready', 'not_met', 'partially_met', 'met')),
               text TEXT NOT NULL DEFAULT ''
           )""",
        "CREATE INDEX evidence_events_learner ON evidence_events(learner, id)",
        "CREATE INDEX evidence_events_evidence ON evidence_events(evidence_id, id)",
        """CREATE TABLE self_positionings (
               id INTEGER PRIMARY KEY,
               learner TEXT NOT NULL REFERENCES users(name),
               cohort_id INTEGER NOT NULL REFERENCES cohorts(id),
               competence TEXT NOT NULL,
               level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
               day TEXT NOT NULL,
               note TEXT NOT NULL DEFAULT '',
               recorded_at TEXT NOT NULL
           )""",
        "CREATE INDEX self_positionings_learner ON self_positionings(learner, cohort_id, day)",
        "PRAGMA user_version = 7",
    ):
        db.execute(statement)


@migrations(name="0008_catalogue_stamp")
def _m0008_catalogue_stamp(db: Database) -> None:
    # Where each document appears under Journal/ depends on its title, owner,
    # kind, group, visibility and trash state, on group names, memberships and
    # display names. Each change to one of those bumps a single counter, so a
    # server can keep the folder map it built and rebuild it only when the
    # counter moved (a one-row read) rather than listing hundreds of documents
    # on every save. Saving text (revision, modified_at, metadata) does not
    # bump it.
    statements = [
        "CREATE TABLE catalogue (id INTEGER PRIMARY KEY CHECK (id = 1), stamp INTEGER NOT NULL)",
        "INSERT INTO catalogue (id, stamp) VALUES (1, 1)",
    ]
    watched = {
        "documents": "title, owner, kind, group_id, visibility, deleted_at, created_at",
        "groups": "name, cohort_id",
        "memberships": "group_id, user, role",
        "users": "display_name",
    }
    for table, columns in watched.items():
        for event, what in (("insert", "INSERT"), ("delete", "DELETE"), ("update", f"UPDATE OF {columns}")):
            statements.append(
                f"CREATE TRIGGER catalogue_{table}_{event} AFTER {what} ON {table}"
                " BEGIN UPDATE catalogue SET stamp = stamp + 1 WHERE id = 1; END"
            )
    statements.append("PRAGMA user_version = 8")
    for statement in statements:
        db.execute(statement)


@migrations(name="0009_shared_stay_shared")
def _m0009_shared_stay_shared(db: Database) -> None:
    # A group's shared documents are read by the whole group, never less:
    # give them back to the co-writers where an owner had narrowed one.
    # Trust in outputs is decided per reader when a notebook is served, never
    # stored: drop any 'trusted' flag that a save once put in a cell.
    for statement in (
        """UPDATE documents SET visibility = 'group'
           WHERE kind IN ('shared_diagnostic', 'synthesis_note', 'professional_dossier')
             AND group_id IS NOT NULL AND visibility IN ('private', 'tutors')""",
        """UPDATE cells SET metadata = json_remove(metadata, '$.trusted')
           WHERE json_type(metadata, '$.trusted') IS NOT NULL""",
        "PRAGMA user_version = 9",
    ):
        db.execute(statement)


SCHEMA_VERSION = 9
EVIDENCE_EVENTS = ("claim", "withdraw", "assess", "comment")
ASSESSOR_ROLES = ("self", "peer", "tutor")
ASSESSMENT_STATES = ("ready", "not_met", "partially_met", "met")
ANNOTATION_MOTIVATIONS = ("commenting", "questioning", "assessing")
ANNOTATION_AUDIENCES = ("learner", "group", "tutors")
ANNOTATION_STATUSES = ("open", "resolved")

# Around the matched words in search snippets: control characters no one types,
# so the library can split a snippet into plain text and matches unambiguously
# (French text is full of « » and may well contain <mark>).
SNIPPET_START = "\x02"
SNIPPET_END = "\x03"
SNIPPET_ELLIPSIS = "…"
SNIPPET_TOKENS = 16
# Up to this many matches in the whole index, search ranks them all; above it
# (a word in most cells), it ranks the most recently written matches it may show.
SEARCH_RANK_ALL = 2000
SEARCH_RECENT_POOL = 200


class SearchSyntaxError(StoreError):
    """SQLite's full-text engine could not parse a search expression."""


# The OperationalError messages FTS5 gives for a query it cannot parse (as
# opposed to a locked or broken database, which must not pass for bad input).
_FTS_QUERY_ERRORS = ("fts5:", "no such column", "unknown special query", "unterminated string")


# --------------------------------------------------------------------------
# Rows handed to and from callers
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CellRow:
    """One notebook cell as stored: nbformat id, position, text and journal facts."""

    cell_id: str
    position: int
    cell_type: str
    source: str
    section_key: str | None = None
    domains: tuple[str, ...] = ()
    author: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    outputs: list[Any] = field(default_factory=list)
    execution_count: int | None = None
    attachments: dict[str, Any] = field(default_factory=dict)

    def same_content(self, other: "CellRow") -> bool:
        """True when text, type, metadata and outputs are equal (position ignored)."""
        return (
            self.cell_type == other.cell_type
            and self.source == other.source
            and self.metadata == other.metadata
            and self.outputs == other.outputs
            and self.execution_count == other.execution_count
            and self.attachments == other.attachments
        )


@dataclass(frozen=True)
class SaveResult:
    """What a save did: the new revision and which cells changed how."""

    document_id: int
    revision: int
    changes: dict[str, str]


def _cell_from_row(row: dict[str, Any]) -> CellRow:
    return CellRow(
        cell_id=row["cell_id"],
        position=row["position"],
        cell_type=row["cell_type"],
        source=row["source"],
        section_key=row["section_key"],
        domains=tuple(json.loads(row["domains"])),
        author=row["author"],
        metadata=json.loads(row["metadata"]),
        outputs=json.loads(row["outputs"]),
        execution_count=row["execution_count"],
        attachments=json.loads(row["attachments"]),
    )


def default_db_path() -> Path:
    """The journal database used when nothing is configured: one per Jupyter data dir."""
    env = os.environ.get("JOURNAL_EXT_DB")
    if env:
        return Path(env)
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "journal_ext" / "journal.db"


def template_digest(body: dict[str, Any]) -> str:
    """A stable fingerprint of a template body, to tell versions apart."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class JournalStore:
    """The journal database, opened on one SQLite file."""

    def __init__(self, path: str | os.PathLike[str], *, migrate: bool = True) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        self.db = Database(conn)
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        with self.db.ensure_autocommit_on():
            conn.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES}")
        self.db.execute("PRAGMA foreign_keys = ON")
        self._commits = 0
        # What callers derived from the file and keep while catalogue_stamp() says
        # it still holds (see documents.catalogue); one per connection.
        self.memo: dict[Any, Any] = {}
        if migrate:
            try:
                self.migrate()
            except BaseException:
                # A refused file (newer schema, failed migration) must not keep a connection open.
                conn.close()
                raise

    # -- plumbing -----------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> "JournalStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """A write transaction that takes the write lock up front (BEGIN IMMEDIATE).

        A plain BEGIN reads first and may then fail at once with SQLITE_BUSY when
        another process holds the lock; IMMEDIATE waits for it (busy timeout).
        Nested calls become savepoints of the outer transaction.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
            self._commits += 1
            if self._commits % WAL_CHECK_EVERY == 0:
                self.checkpoint_if_large()

    def checkpoint_if_large(self, limit: int = WAL_CHECKPOINT_BYTES) -> bool:
        """Checkpoint the -wal file and truncate it when it is larger than ``limit`` bytes; True when it was.

        TRUNCATE waits (busy timeout) for the readers of older snapshots to
        finish, which takes milliseconds since every read is short; it only
        gives up, harmlessly, when they keep reading longer.
        """
        try:
            if os.path.getsize(f"{self.path}-wal") <= limit:
                return False
            row = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except (OSError, sqlite3.OperationalError):
            return False
        return bool(row) and row[0] == 0

    def migrate(self) -> None:
        """Bring the file's schema up to the current version."""
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer journal_ext (schema {current}, "
                f"this version knows {SCHEMA_VERSION}); upgrade journal_ext"
            )
        if current < SCHEMA_VERSION:
            # Take the write lock first so two servers starting together don't
            # both try to apply the same migration.
            with self.write():
                migrations.apply(self.db)

    def schema_version(self) -> int:
        """The schema version recorded in the file (PRAGMA user_version)."""
        return int(next(self.db.query("PRAGMA user_version"))["user_version"])

    def catalogue_stamp(self) -> int:
        """A number that changes whenever where some document appears may have changed (see migration 0008)."""
        row = self.db.execute("SELECT stamp FROM catalogue WHERE id = 1").fetchone()
        return int(row[0]) if row else 0

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file ('ok' when sound)."""
        return str(next(self.db.query("PRAGMA integrity_check"))["integrity_check"])

    def backup(self, destination: str | os.PathLike[str]) -> None:
        """Copy the database to a new file with SQLite's online backup (safe while others write)."""
        dest = Path(destination)
        if dest.exists():
            raise Conflict(f"{dest} already exists; choose a new file name")
        dest.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(str(dest))
        try:
            self.db.conn.backup(target)
        finally:
            target.close()

    # -- users --------------------------------------------------------------

    def ensure_user(self, name: str, display_name: str | None = None) -> dict[str, Any]:
        """Record a user if new (and update the display name when one is given)."""
        name = _clean_name(name, "user name")
        with self.write() as db:
            existing = self._user(name)
            if existing is None:
                db.execute(
                    "INSERT INTO users (name, display_name, created_at) VALUES (?, ?, ?)",
                    [name, display_name or name, utcnow()],
                )
            elif display_name and display_name != existing["display_name"]:
                db.execute(
                    "UPDATE users SET display_name = ? WHERE name = ?", [display_name, name]
                )
        user = self._user(name)
        assert user is not None
        return user

    def _know_user(self, name: str) -> None:
        """Record a user if new, in the caller's write transaction (one statement, unlike ensure_user)."""
        name = _clean_name(name, "user name")
        self.db.execute(
            "INSERT OR IGNORE INTO users (name, display_name, created_at) VALUES (?, ?, ?)", [name, name, utcnow()]
        )

    def _user(self, name: str) -> dict[str, Any] | None:
        return next(self.db.query("SELECT * FROM users WHERE name = ?", [name]), None)

    def user(self, name: str) -> dict[str, Any]:
        """A user's row; NotFound if unknown."""
        row = self._user(name)
        if row is None:
            raise NotFound(f"no user named '{name}'")
        return row

    def display_name(self, name: str) -> str:
        """The name to show for a user (their login when not recorded)."""
        row = self._user(name)
        return row["display_name"] if row else name

    # -- frameworks ---------------------------------------------------------

    def save_framework(self, framework: Any) -> None:
        """Store a competence framework (a ``journal_ext.framework.Framework``), replacing its domains and competences."""
        body = framework.to_dict()
        with self.write() as db:
            stored = next(
                db.query("SELECT body FROM frameworks WHERE id = ?", [framework.id]), None
            )
            if stored is not None and json.loads(stored["body"]) != body:
                users = [
                    row["name"]
                    for row in db.query(
                        "SELECT name FROM cohorts WHERE framework_id = ? ORDER BY id", [framework.id]
                    )
                ]
                if users:
                    raise Conflict(
                        f"the framework '{framework.id}' is used by cohort(s) {', '.join(users)}"
                        " and differs from this file; give the new framework another id"
                    )
            db.execute(
                """INSERT INTO frameworks (id, version, title_fr, title_en, body, loaded_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET version = excluded.version,
                       title_fr = excluded.title_fr, title_en = excluded.title_en,
                       body = excluded.body, loaded_at = excluded.loaded_at""",
                [
                    framework.id,
                    framework.version,
                    framework.label("fr"),
                    framework.label("en"),
                    json.dumps(body, ensure_ascii=False),
                    utcnow(),
                ],
            )
            db.execute("DELETE FROM competences WHERE framework_id = ?", [framework.id])
            db.execute("DELETE FROM domains WHERE framework_id = ?", [framework.id])
            for d_pos, domain in enumerate(framework.domains):
                db.execute(
                    "INSERT INTO domains (framework_id, code, title_fr, title_en, position)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [framework.id, domain.code, domain.label("fr"), domain.label("en"), d_pos],
                )
                for c_pos, competence in enumerate(domain.competences):
                    db.execute(
                        "INSERT INTO competences (framework_id, code, domain_code, title_fr,"
                        " title_en, position) VALUES (?, ?, ?, ?, ?, ?)",
                        [
                            framework.id,
                            competence.code,
                            domain.code,
                            competence.label("fr"),
                            competence.label("en"),
                            c_pos,
                        ],
                    )

    def framework_body(self, framework_id: str) -> dict[str, Any]:
        """The stored framework as the dict it was loaded from."""
        row = next(
            self.db.query("SELECT body FROM frameworks WHERE id = ?", [framework_id]), None
        )
        if row is None:
            raise NotFound(f"no competence framework '{framework_id}' in this journal")
        return dict(json.loads(row["body"]))

    def list_frameworks(self) -> list[dict[str, Any]]:
        """Every stored framework, without bodies."""
        return list(
            self.db.query("SELECT id, version, title_fr, title_en FROM frameworks ORDER BY id")
        )

    def domains(self, framework_id: str) -> list[dict[str, Any]]:
        """A framework's domains in order."""
        return list(
            self.db.query(
                "SELECT code, title_fr, title_en FROM domains WHERE framework_id = ?"
                " ORDER BY position",
                [framework_id],
            )
        )

    # -- cohorts and groups -------------------------------------------------

    def add_cohort(self, name: str, *, framework_id: str, language: str = "fr") -> dict[str, Any]:
        """Create a cohort (promotion) following a stored framework."""
        name = _clean_name(name, "cohort name")
        if language not in ("fr", "en"):
            raise StoreError(f"language must be 'fr' or 'en', got '{language}'")
        self.framework_body(framework_id)
        with self.write() as db:
            if self._cohort(name) is not None:
                raise Conflict(f"a cohort named '{name}' already exists")
            db.execute(
                "INSERT INTO cohorts (name, language, framework_id, created_at)"
                " VALUES (?, ?, ?, ?)",
                [name, language, framework_id, utcnow()],
            )
        return self.cohort(name)

    def _cohort(self, name: str) -> dict[str, Any] | None:
        return next(self.db.query("SELECT * FROM cohorts WHERE name = ?", [name]), None)

    def cohort(self, name: str) -> dict[str, Any]:
        """A cohort by name; NotFound if unknown."""
        row = self._cohort(name)
        if row is None:
            known = ", ".join(c["name"] for c in self.list_cohorts()) or "none yet"
            raise NotFound(f"no cohort named '{name}' (known: {known})")
        return row

    def cohort_by_id(self, cohort_id: int) -> dict[str, Any]:
        """A cohort by id."""
        if not _storable_id(cohort_id):
            raise NotFound(f"no cohort with id {cohort_id}")
        row = next(self.db.query("SELECT * FROM cohorts WHERE id = ?", [cohort_id]), None)
        if row is None:
            raise NotFound(f"no cohort with id {cohort_id}")
        return row

    def list_cohorts(self) -> list[dict[str, Any]]:
        """Every cohort, oldest first."""
        return list(self.db.query("SELECT * FROM cohorts ORDER BY id"))

    def add_group(self, cohort: str, name: str, *, commission: str = "") -> dict[str, Any]:
        """Create a group in a cohort, answering a negotiated commission (commande)."""
        name = _clean_name(name, "group name")
        if "/" in name:
            raise StoreError(f"a group name cannot contain '/': '{name}'")
        cohort_row = self.cohort(cohort)
        with self.write() as db:
            exists = next(
                db.query(
                    "SELECT id FROM groups WHERE cohort_id = ? AND name = ?",
                    [cohort_row["id"], name],
                ),
                None,
            )
            if exists:
                raise Conflict(f"cohort '{cohort}' already has a group named '{name}'")
            db.execute(
                "INSERT INTO groups (cohort_id, name, commission, created_at) VALUES (?, ?, ?, ?)",
                [cohort_row["id"], name, commission, utcnow()],
            )
        return self.group(f"{cohort}/{name}")

    def group(self, reference: str) -> dict[str, Any]:
        """A group by 'COHORT/GROUP', or by bare name when that is unambiguous."""
        sql = (
            "SELECT groups.*, cohorts.name AS cohort, cohorts.language AS language,"
            " cohorts.framework_id AS framework_id"
            " FROM groups JOIN cohorts ON cohorts.id = groups.cohort_id"
        )
        if "/" in reference:
            cohort_name, group_name = reference.split("/", 1)
            rows = list(
                self.db.query(
                    sql + " WHERE cohorts.name = ? AND groups.name = ?",
                    [cohort_name.strip(), group_name.strip()],
                )
            )
        else:
            rows = list(self.db.query(sql + " WHERE groups.name = ?", [reference.strip()]))
        if not rows:
            known = ", ".join(f"{g['cohort']}/{g['name']}" for g in self.list_groups())
            raise NotFound(f"no group '{reference}' (known: {known or 'none yet'})")
        if len(rows) > 1:
            options = ", ".join(f"{r['cohort']}/{r['name']}" for r in rows)
            raise StoreError(
                f"several cohorts have a group named '{reference}': write COHORT/GROUP ({options})"
            )
        return rows[0]

    def group_by_id(self, group_id: int) -> dict[str, Any]:
        """A group by id, with its cohort's name, language and framework."""
        if not _storable_id(group_id):
            raise NotFound(f"no group with id {group_id}")
        row = next(
            self.db.query(
                "SELECT groups.*, cohorts.name AS cohort, cohorts.language AS language,"
                " cohorts.framework_id AS framework_id"
                " FROM groups JOIN cohorts ON cohorts.id = groups.cohort_id WHERE groups.id = ?",
                [group_id],
            ),
            None,
        )
        if row is None:
            raise NotFound(f"no group with id {group_id}")
        return row

    def list_groups(self, cohort: str | None = None) -> list[dict[str, Any]]:
        """Groups, with their cohort names."""
        sql = (
            "SELECT groups.*, cohorts.name AS cohort FROM groups"
            " JOIN cohorts ON cohorts.id = groups.cohort_id"
        )
        if cohort is None:
            return list(self.db.query(sql + " ORDER BY groups.id"))
        return list(
            self.db.query(
                sql + " WHERE cohorts.id = ? ORDER BY groups.id", [self.cohort(cohort)["id"]]
            )
        )

    def add_member(
        self, group: str, user: str, role: str, *, display_name: str | None = None
    ) -> dict[str, Any]:
        """Put a user in a group as learner, tutor or coordinator (changing the role if already there)."""
        if role not in ROLES:
            raise StoreError(f"role must be one of {', '.join(ROLES)}; got '{role}'")
        group_row = self.group(group)
        user_row = self.ensure_user(user, display_name)
        with self.write() as db:
            db.execute(
                """INSERT INTO memberships (group_id, user, role, added_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT(group_id, user) DO UPDATE SET role = excluded.role""",
                [group_row["id"], user_row["name"], role, utcnow()],
            )
        return {"group": group_row, "user": user_row["name"], "role": role}

    def memberships(self, user: str) -> list[dict[str, Any]]:
        """The groups a user belongs to, with role, cohort, language and framework."""
        return list(
            self.db.query(
                """SELECT memberships.role, groups.id AS group_id, groups.name AS group_name,
                          groups.commission, cohorts.id AS cohort_id, cohorts.name AS cohort,
                          cohorts.language, cohorts.framework_id
                   FROM memberships
                   JOIN groups ON groups.id = memberships.group_id
                   JOIN cohorts ON cohorts.id = groups.cohort_id
                   WHERE memberships.user = ?
                   ORDER BY cohorts.id, groups.id""",
                [user],
            )
        )

    def members(self, group_id: int) -> list[dict[str, Any]]:
        """A group's members with their roles and display names."""
        return list(
            self.db.query(
                """SELECT memberships.user, memberships.role, users.display_name
                   FROM memberships JOIN users ON users.name = memberships.user
                   WHERE memberships.group_id = ? ORDER BY memberships.role, memberships.user""",
                [group_id],
            )
        )

    # -- templates ----------------------------------------------------------

    def save_template(self, template: Any, *, author: str) -> dict[str, Any]:
        """Store a template (``journal_ext.templates.Template``) as a new version of its slug.

        Returns the template version row; when the body is identical to a
        stored version of that slug, that version is returned and nothing is written.
        """
        body = template.to_dict()
        digest = template_digest(body)
        with self.write() as db:
            tmpl = next(db.query("SELECT * FROM templates WHERE slug = ?", [template.id]), None)
            if tmpl is None:
                cursor = db.execute(
                    "INSERT INTO templates (slug, kind, language) VALUES (?, ?, ?)",
                    [template.id, template.kind, template.language],
                )
                template_id = cursor.lastrowid
            else:
                if tmpl["kind"] != template.kind:
                    raise Conflict(
                        f"template '{template.id}' is a '{tmpl['kind']}' template;"
                        f" a new version cannot change its kind to '{template.kind}'"
                    )
                template_id = tmpl["id"]
                same = next(
                    db.query(
                        "SELECT id FROM template_versions WHERE template_id = ? AND digest = ?"
                        " ORDER BY version DESC LIMIT 1",
                        [template_id, digest],
                    ),
                    None,
                )
                if same is not None:
                    return self.template_version(same["id"])
            version = 1 + next(
                db.query(
                    "SELECT COALESCE(MAX(version), 0) AS v FROM template_versions"
                    " WHERE template_id = ?",
                    [template_id],
                )
            )["v"]
            cursor = db.execute(
                "INSERT INTO template_versions (template_id, version, title, body, digest,"
                " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    template_id,
                    version,
                    template.title,
                    json.dumps(body, ensure_ascii=False),
                    digest,
                    utcnow(),
                    author,
                ],
            )
            version_id = cursor.lastrowid
        assert version_id is not None
        return self.template_version(version_id)

    _TEMPLATE_VERSION_SQL = """
        SELECT template_versions.id, template_versions.version, template_versions.title,
               template_versions.body, template_versions.created_at,
               template_versions.created_by, templates.slug, templates.kind,
               templates.language
        FROM template_versions JOIN templates ON templates.id = template_versions.template_id
    """

    def template_version(self, version_id: int) -> dict[str, Any]:
        """A template version by id, body decoded."""
        if not _storable_id(version_id):
            raise NotFound(f"no template version with id {version_id}")
        row = next(
            self.db.query(self._TEMPLATE_VERSION_SQL + " WHERE template_versions.id = ?",
                          [version_id]),
            None,
        )
        if row is None:
            raise NotFound(f"no template version with id {version_id}")
        return _decode_template(row)

    def template_version_by_digest(self, slug: str, digest: str) -> dict[str, Any] | None:
        """The stored version of a template slug with exactly this body, if any."""
        row = next(
            self.db.query(
                self._TEMPLATE_VERSION_SQL
                + " WHERE templates.slug = ? AND template_versions.digest = ?",
                [slug, digest],
            ),
            None,
        )
        return _decode_template(row) if row else None

    def find_template(self, reference: str) -> dict[str, Any]:
        """A template version by 'slug' (latest), 'slug@N' or numeric version id."""
        reference = reference.strip()
        if reference.isdigit():
            return self.template_version(int(reference))
        slug, _, version = reference.partition("@")
        if version:
            if not version.isdigit():
                raise StoreError(f"'{reference}': the version after '@' must be a number")
            row = next(
                self.db.query(
                    self._TEMPLATE_VERSION_SQL
                    + " WHERE templates.slug = ? AND template_versions.version = ?",
                    [slug, int(version)],
                ),
                None,
            )
        else:
            row = next(
                self.db.query(
                    self._TEMPLATE_VERSION_SQL
                    + " WHERE templates.slug = ? ORDER BY template_versions.version DESC LIMIT 1",
                    [slug],
                ),
                None,
            )
        if row is None:
            known = ", ".join(t["slug"] for t in self.list_templates()) or "none yet"
            raise NotFound(f"no template '{reference}' (known: {known})")
        return _decode_template(row)

    def list_templates(self) -> list[dict[str, Any]]:
        """The latest version of every stored template (bodies omitted)."""
        return list(
            self.db.query(
                """SELECT templates.slug, templates.kind, templates.language,
                          template_versions.id, template_versions.version,
                          template_versions.title, template_versions.created_at
                   FROM templates JOIN template_versions
                        ON template_versions.template_id = templates.id
                   WHERE template_versions.version = (
                       SELECT MAX(version) FROM template_versions AS v
                       WHERE v.template_id = templates.id)
                   ORDER BY templates.language, templates.id"""
            )
        )

    def assign_template(self, group_id: int, version_id: int, *, by: str) -> dict[str, Any]:
        """Make a template version the group's template for its kind.

        Documents already created keep the version they were created from.
        """
        version = self.template_version(version_id)
        self.group_by_id(group_id)
        with self.write() as db:
            db.execute(
                """INSERT INTO group_templates (group_id, kind, template_version_id,
                                                assigned_at, assigned_by)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(group_id, kind) DO UPDATE SET
                       template_version_id = excluded.template_version_id,
                       assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by""",
                [group_id, version["kind"], version_id, utcnow(), by],
            )
        return version

    def group_templates(self, group_id: int) -> list[dict[str, Any]]:
        """The template versions currently assigned to a group, one per kind."""
        rows = self.db.query(
            self._TEMPLATE_VERSION_SQL
            + """ JOIN group_templates ON group_templates.template_version_id = template_versions.id
                  WHERE group_templates.group_id = ? ORDER BY template_versions.id""",
            [group_id],
        )
        return [_decode_template(row) for row in rows]

    # -- documents and cells ------------------------------------------------

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
        title = _clean_name(title, "document title")
        if visibility not in VISIBILITIES:
            raise StoreError(
                f"visibility must be one of {', '.join(VISIBILITIES)}; got '{visibility}'"
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
                self._append_cell_revision(
                    document_id, 1, placed, "added", cell.author or owner, now
                )
        return self.document(document_id)

    def document(self, document_id: int) -> dict[str, Any]:
        """A document's row (with group and cohort names); NotFound if unknown."""
        if not _storable_id(document_id):
            raise NotFound(f"no document with id {document_id}")
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
            raise NotFound(f"no document with id {document_id}")
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
            row["metadata"] = json.loads(row["metadata"])
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
        title = _clean_name(title, "document title")
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
                f"visibility must be one of {', '.join(VISIBILITIES)}; got {visibility!r}"
            )
        with self.write() as db:
            self.document(document_id)
            # modified_at stays: the text did not change, and an editor holding the
            # notebook open must not take this for someone else's save.
            db.execute(
                "UPDATE documents SET visibility = ? WHERE id = ?", [visibility, document_id]
            )
        return self.document(document_id)

    def revisions(self, document_id: int) -> list[dict[str, Any]]:
        """A document's revisions, oldest first, each with the cells it changed."""
        rows = list(
            self.db.query(
                "SELECT * FROM revisions WHERE document_id = ? ORDER BY revision", [document_id]
            )
        )
        changes: dict[int, list[dict[str, Any]]] = {}
        for row in self.db.query(
            "SELECT revision, cell_id, change FROM cell_revisions WHERE document_id = ?"
            " ORDER BY id",
            [document_id],
        ):
            changes.setdefault(row["revision"], []).append(
                {"cell_id": row["cell_id"], "change": row["change"]}
            )
        for row in rows:
            row["summary"] = json.loads(row["summary"])
            row["cells"] = changes.get(row["revision"], [])
        return rows

    def cells(self, document_id: int) -> list[CellRow]:
        """A document's current cells in order."""
        return [
            _cell_from_row(row)
            for row in self.db.query(
                "SELECT * FROM cells WHERE document_id = ? ORDER BY position", [document_id]
            )
        ]

    def read_then_write(
        self, document_id: int, attempt: Callable[[dict[str, Any], list[CellRow]], T]
    ) -> T:
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
        return list(
            self.db.query(
                "SELECT * FROM cell_revisions WHERE document_id = ? ORDER BY id", [document_id]
            )
        )

    def state_at(self, document_id: int, revision: int) -> list[CellRow]:
        """The document's cells as they stood at a revision, rebuilt from the history.

        Outputs of code cells are not kept in the history; the author of each
        cell is whoever last changed it up to that revision.
        """
        document = self.document(document_id)
        if not 1 <= revision <= document["revision"]:
            raise NotFound(
                f"document {document_id} has revisions 1 to {document['revision']}, not {revision}"
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
            return self.read_then_write(document_id, lambda stored, stored_cells: self.save_cells(
                document_id, cells, author=author, metadata=metadata, base_revision=base_revision,
                summary=summary, read=(stored["revision"], stored_cells),
            ))
        now = utcnow()
        with self.write() as db:
            doc = self.document(document_id)
            if read[0] != doc["revision"]:
                raise RevisionMoved(
                    f"document {document_id} is at revision {doc['revision']}, not {read[0]} as read"
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

    # -- search -------------------------------------------------------------

    def search_cells(
        self,
        match: str,
        document_ids: Sequence[int],
        limit: int,
        *,
        skip_roles: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Cells of the given documents whose text matches an FTS5 query, best first.

        Each row has document_id, cell_id, section_key, a snippet with the
        matched words between SNIPPET_START and SNIPPET_END, and the rank
        (lower is better). Documents in the trash are left out, and so are
        cells whose ``journal.role`` metadata is one of ``skip_roles``.
        Raises SearchSyntaxError when FTS5 cannot parse ``match``.

        Ranking scores every match, which for a word in most cells of a large
        journal costs hundreds of milliseconds. So when the whole index holds
        more than SEARCH_RANK_ALL matches, only the SEARCH_RECENT_POOL most
        recently written matching cells that pass the filters (the given
        documents, not in the trash, not a skipped role) are ranked: matches
        elsewhere never take a place in that pool.
        """
        if not document_ids or limit < 1:
            # Nothing to search, but a malformed query must still be reported;
            # the rowid bound (cells have none below 1) makes FTS5 parse it and stop.
            self._fts_query("SELECT 1 FROM [cells_fts] WHERE [cells_fts] MATCH ? AND rowid < 1", [match])
            return []
        # The ids travel as one JSON parameter: no limit on how many, nothing spliced into the SQL.
        # The snippet is read through the same rowid as cells.document_id, so
        # text from a document outside the given ids can never come back.
        matches = """
            FROM [cells_fts]
            JOIN cells ON cells.id = [cells_fts].rowid
            JOIN documents ON documents.id = cells.document_id
            WHERE [cells_fts] MATCH :match
              AND cells.document_id IN (SELECT value FROM json_each(:document_ids))
              AND documents.deleted_at IS NULL
              AND COALESCE(json_extract(cells.metadata, '$.journal.role'), '')
                  NOT IN (SELECT value FROM json_each(:skip_roles))
        """
        # Counting (without ranking) up to the bound is cheap: it only walks the index.
        found = self._fts_query(
            "SELECT COUNT(*) AS n FROM (SELECT rowid FROM [cells_fts] WHERE [cells_fts] MATCH ? LIMIT ?)",
            [match, SEARCH_RANK_ALL + 1],
        )[0]["n"]
        if found <= SEARCH_RANK_ALL:
            sql = f"""
                SELECT cells.document_id, cells.cell_id, cells.section_key,
                       snippet([cells_fts], 0, :start, :end, :ellipsis, :tokens) AS snippet,
                       [cells_fts].rank AS rank
                {matches}
                ORDER BY [cells_fts].rank, cells.document_id, cells.position
                LIMIT :limit
            """
        else:
            # A common word: newest cells first (FTS5 walks rowids backwards
            # without scoring, and an edited cell gets a new rowid); bm25 and
            # the snippet only for the rows that pass the filters, up to the pool.
            sql = f"""
                SELECT document_id, cell_id, section_key, snippet, rank FROM (
                    SELECT cells.document_id, cells.cell_id, cells.section_key, cells.position,
                           snippet([cells_fts], 0, :start, :end, :ellipsis, :tokens) AS snippet,
                           bm25([cells_fts]) AS rank
                    {matches}
                    ORDER BY [cells_fts].rowid DESC
                    LIMIT :pool
                )
                ORDER BY rank, document_id, position
                LIMIT :limit
            """
        params = {
            "pool": SEARCH_RECENT_POOL,
            "start": SNIPPET_START,
            "end": SNIPPET_END,
            "ellipsis": SNIPPET_ELLIPSIS,
            "tokens": SNIPPET_TOKENS,
            "match": match,
            "document_ids": json.dumps([int(i) for i in document_ids]),
            "skip_roles": json.dumps(list(skip_roles)),
            "limit": int(limit),
        }
        return self._fts_query(sql, params)

    def _fts_query(self, sql: str, params: Sequence[Any] | dict[str, Any]) -> list[dict[str, Any]]:
        try:
            return list(self.db.query(sql, params))
        except sqlite3.OperationalError as error:
            if str(error).startswith(_FTS_QUERY_ERRORS):
                raise SearchSyntaxError(str(error)) from error
            raise

    # -- annotations --------------------------------------------------------

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
        _check_choice(motivation, ANNOTATION_MOTIVATIONS, "motivation")
        _check_choice(audience, ANNOTATION_AUDIENCES, "audience")
        now = utcnow()
        with self.write() as db:
            if db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone() is None:
                raise NotFound(f"no document with id {document_id}")
            self._know_user(author)
            cursor = db.execute(
                """INSERT INTO annotations (document_id, cell_id, author, motivation, audience, body,
                       exact, prefix, suffix, position_start, position_end, created_at, modified_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [document_id, cell_id, author, motivation, audience, body, exact, prefix, suffix,
                 start, end, now, now],
            )
            annotation_id = cursor.lastrowid
        assert annotation_id is not None
        return self.annotation(annotation_id)

    def annotation(self, annotation_id: int) -> dict[str, Any]:
        """An annotation's row, deleted or not; NotFound if unknown."""
        if not _storable_id(annotation_id):
            raise NotFound(f"no annotation with id {annotation_id}")
        row = next(self.db.query("SELECT * FROM annotations WHERE id = ?", [annotation_id]), None)
        if row is None:
            raise NotFound(f"no annotation with id {annotation_id}")
        return row

    def annotations(self, document_id: int) -> list[dict[str, Any]]:
        """Every annotation of a document, deleted ones included, oldest first."""
        return list(
            self.db.query("SELECT * FROM annotations WHERE document_id = ? ORDER BY id", [document_id])
        )

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
            _check_choice(motivation, ANNOTATION_MOTIVATIONS, "motivation")
        if audience is not None:
            _check_choice(audience, ANNOTATION_AUDIENCES, "audience")
        with self.write() as db:
            current = self.annotation(annotation_id)
            db.execute(
                "UPDATE annotations SET body = ?, motivation = ?, audience = ?, modified_at = ?"
                " WHERE id = ?",
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
        _check_choice(status, ANNOTATION_STATUSES, "status")
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
            raise NotFound(f"no reply with id {reply_id}")
        row = next(self.db.query("SELECT * FROM annotation_replies WHERE id = ?", [reply_id]), None)
        if row is None:
            raise NotFound(f"no reply with id {reply_id}")
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

    # -- competence evidence and self-positioning (append-only) ---------------

    def append_evidence_event(self, kind: str, actor: str, **fields: Any) -> dict[str, Any]:
        """Append one event to the evidence log and return it; a claim is its own evidence id."""
        _check_choice(kind, EVIDENCE_EVENTS, "the evidence event")
        allowed = {
            "evidence_id", "learner", "document_id", "cell_id", "competence", "exact", "prefix",
            "suffix", "position_start", "position_end", "role", "state", "text",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise StoreError(f"unknown evidence field(s): {', '.join(sorted(unknown))}")
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

    def evidence_events(
        self, *, learner: str | None = None, evidence_id: int | None = None
    ) -> list[dict[str, Any]]:
        """The evidence log, oldest first: one learner's, one piece of evidence's, or all of it."""
        where, params = [], []
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
                {"learner": learner, "cohort_id": cohort_id, "competence": code, "level": level,
                 "day": day, "note": note, "recorded_at": recorded}
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
            return list(self.db.query(
                "SELECT * FROM self_positionings WHERE learner = ? ORDER BY day, id", [learner]
            ))
        return list(self.db.query(
            "SELECT * FROM self_positionings WHERE learner = ? AND cohort_id = ? ORDER BY day, id",
            [learner, cohort_id],
        ))

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables (for reports and tests)."""
        tables = (
            "users", "cohorts", "groups", "memberships", "frameworks", "competences",
            "templates", "template_versions", "documents", "cells", "cell_revisions",
            "annotations", "annotation_replies", "evidence_events", "self_positionings",
        )
        return {
            name: int(next(self.db.query(f"SELECT COUNT(*) AS n FROM [{name}]"))["n"])
            for name in tables
        }


def _decode_template(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["body"] = json.loads(row["body"])
    return row


def _storable_id(value: int) -> bool:
    # Ids come from URLs as any number of digits; SQLite integers stop at 2**63 - 1.
    return 0 <= value < 2**63


def _check_choice(value: str, choices: Sequence[str], what: str) -> None:
    if value not in choices:
        raise StoreError(f"{what} must be one of {', '.join(choices)}; got {value!r}")


def _clean_name(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StoreError(f"the {what} cannot be empty")
    value = value.strip()
    if len(value) > 200:
        raise StoreError(f"the {what} is too long ({len(value)} characters, at most 200)")
    if any(ord(ch) < 32 for ch in value):
        raise StoreError(f"the {what} cannot contain control characters")
    return value

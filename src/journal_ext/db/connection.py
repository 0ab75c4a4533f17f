"""The connection to the journal file: WAL, a busy timeout, short write transactions, migrations."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from journal_ext.db.errors import Conflict, StoreError
from journal_ext.db.migrations import SCHEMA_VERSION, apply_migrations

# How long a connection waits for another's write lock before giving up (then: busy).
BUSY_TIMEOUT_MS = 5000
# With readers always active (every user's server reads the file), SQLite's
# automatic checkpoints never get to restart the -wal file, which then grows
# by hundreds of megabytes: every WAL_CHECK_EVERY commits a connection looks
# at its size and, past WAL_CHECKPOINT_BYTES, checkpoints it down to nothing.
WAL_CHECK_EVERY = 32
WAL_CHECKPOINT_BYTES = 32 * 1024 * 1024
# Past a checkpoint that got to the end, SQLite cuts the -wal file back to this size.
WAL_SIZE_LIMIT_BYTES = 32 * 1024 * 1024


C = TypeVar("C", bound="Connection")


def catalogue_scopes(
    owner: str, *, groups: Iterable[int] = (), shared: Iterable[int] = (), cohorts: Iterable[int] = ()
) -> tuple[str, ...]:
    """The names of the catalogue scopes (migration 0010) that hold the documents a viewer may list.

    Every document of ``owner``; all those of ``groups``; those of ``shared``
    shared with the group or the cohort; those shared with ``cohorts``.
    """
    named = {f"owner:{owner}"}
    named.update(f"group:{int(group_id)}" for group_id in groups)
    named.update(f"shared:{int(group_id)}" for group_id in shared)
    named.update(f"cohort:{int(cohort_id)}" for cohort_id in cohorts)
    return tuple(sorted(named))


class Connection:
    """One connection to the journal file; the query groups (see ``store``) build on it."""

    def __init__(self, path: str | os.PathLike[str], *, migrate: bool = True, check_same_thread: bool = True) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: for a connection used by one thread and closed by another once it is done.
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=check_same_thread)
        self.db = Database(conn)
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        with self.db.ensure_autocommit_on():
            conn.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES}")
        self.db.execute("PRAGMA foreign_keys = ON")
        self._commits = 0
        # What callers derived from the file and keep while the catalogue stamps say
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

    def __enter__(self: C) -> C:
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
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn = self.db.conn
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
                "{path} was written by a newer journal_ext (schema {current}, this version knows"
                " {known}); upgrade journal_ext",
                path=self.path,
                current=current,
                known=SCHEMA_VERSION,
            )
        if current < SCHEMA_VERSION:
            # Take the write lock first so two servers starting together don't
            # both try to apply the same migration.
            with self.write():
                apply_migrations(self.db)

    def schema_version(self) -> int:
        """The schema version recorded in the file (PRAGMA user_version)."""
        return int(next(self.db.query("PRAGMA user_version"))["user_version"])

    def catalogue_stamp(self) -> int:
        """A number that changes whenever a group, a membership or a display name changes (migrations 0008, 0010).

        Changes to documents move the stamps of their scopes instead (see :meth:`catalogue_stamps`).
        """
        row = self.db.execute("SELECT stamp FROM catalogue WHERE id = 1").fetchone()
        return int(row[0]) if row else 0

    def catalogue_stamps(self, scopes: Sequence[str]) -> tuple[int, ...]:
        """:meth:`catalogue_stamp` followed by the stamp of each scope (0 for one never moved), read at once.

        Scopes are named by :func:`catalogue_scopes`; a document's change moves
        the stamps of the scopes it was and is in (see migration 0010).
        """
        rows = self.db.execute(
            """SELECT NULL, stamp FROM catalogue WHERE id = 1
               UNION ALL
               SELECT scope, stamp FROM catalogue_scopes WHERE scope IN (SELECT value FROM json_each(?))""",
            [json.dumps(list(scopes), ensure_ascii=False)],
        ).fetchall()
        stamps = {scope: int(stamp) for scope, stamp in rows}
        return (stamps.get(None, 0), *(stamps.get(scope, 0) for scope in scopes))

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file ('ok' when sound)."""
        return str(next(self.db.query("PRAGMA integrity_check"))["integrity_check"])

    def backup(self, destination: str | os.PathLike[str]) -> None:
        """Copy the database to a new file with SQLite's online backup (safe while others write)."""
        dest = Path(destination)
        if dest.exists():
            raise Conflict("{dest} already exists; choose a new file name", dest=dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        # A backup holds everyone's journals: readable by its owner only, from its first byte.
        dest.touch(mode=0o600, exist_ok=False)
        dest.chmod(0o600)
        target = sqlite3.connect(str(dest))
        try:
            self.db.conn.backup(target)
        finally:
            target.close()

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables (for reports and tests)."""
        tables = (
            "users",
            "cohorts",
            "groups",
            "memberships",
            "frameworks",
            "competences",
            "templates",
            "template_versions",
            "documents",
            "cells",
            "cell_revisions",
            "annotations",
            "annotation_replies",
            "evidence_events",
            "self_positionings",
        )
        return {name: int(next(self.db.query(f"SELECT COUNT(*) AS n FROM [{name}]"))["n"]) for name in tables}

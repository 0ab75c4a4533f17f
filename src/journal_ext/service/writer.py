"""One writer for everyone: the journal service's writes, committed in batches (group commit).

With every user server writing the file itself, each save waited its turn
for SQLite's write lock and paid its own commit. The journal service is the
one process that opens the file, so one thread of it does all the writing:
a write request's work (the handler's whole body: checks, merge, cells,
full-text index) runs in the writer thread, and whatever queued while the
previous transaction ran is committed together, as one
``BEGIN IMMEDIATE … COMMIT``.

- Each request's work runs in a savepoint of its own: an error rolls back
  that request's changes only, and only its caller gets the error.
- Works run one after another on the same connection, so a save sees the
  saves of the same document queued before it in the batch (merges and
  the full-text index stay as if they had been committed one by one).
- The writer's connection uses ``synchronous = FULL``: a commit returns once
  the ``-wal`` file is on disk, and no caller hears of its write before
  the commit of its batch returned (nothing acknowledged is lost, even to
  a power cut). One sync per batch instead of one per save is what makes
  batching pay.
- Reads never wait for the writer: in WAL mode, other connections (the
  readers' threads, see :class:`Stores`) read the last committed state
  while a batch is being written.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from journal_ext.core.documents import Memo
from journal_ext.db import JournalStore
from journal_ext.db.connection import BUSY_TIMEOUT_MS, WAL_CHECK_EVERY
from journal_ext.db.errors import StoreError
from journal_ext.i18n import message

log = logging.getLogger("journal_ext.service")

T = TypeVar("T")

# At most this many requests' works in one transaction: a batch is committed
# within a few tens of milliseconds even when hundreds of saves are queued.
MAX_BATCH = 64
# Viewers whose catalogue (what they may read and where it appears) the readers keep, together;
# the writer keeps its own (it sees its batch's changes before they are committed).
SHARED_CATALOGUES = 512
WRITER_CATALOGUES = 128
# How long the writer waits for readers to let it cut the -wal file back.
CHECKPOINT_PATIENCE_MS = 50

LOST = message(
    "The journal could not write this change ({reason}). Nothing was saved and nothing is lost:"
    " your changes are still on the page; try again in a moment, and tell your administrator if it keeps happening."
)


class WriteLost(StoreError):
    """The batch's transaction was lost (the disk refused it, or an error undid it): nothing of it was written."""

    code = "journal_unavailable"


@dataclass
class _Job:
    work: Callable[[], Any]
    context: contextvars.Context
    future: concurrent.futures.Future[Any] = field(default_factory=concurrent.futures.Future)


@dataclass
class WriterStats:
    """What the writer did, for tests, logs and benchmarks."""

    batches: int = 0
    works: int = 0
    failed: int = 0
    largest: int = 0
    sizes: dict[int, int] = field(default_factory=dict)

    def count(self, size: int, failed: int) -> None:
        self.batches += 1
        self.works += size
        self.failed += failed
        self.largest = max(self.largest, size)
        self.sizes[size] = self.sizes.get(size, 0) + 1


class BatchWriter:
    """The thread that runs every write, in batches committed together (see the module's text)."""

    def __init__(self, db_path: Path | str, *, max_batch: int = MAX_BATCH) -> None:
        self.db_path = str(db_path)
        self.max_batch = max_batch
        self.stats = WriterStats()
        self.store: JournalStore | None = None
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._commits = 0
        self.thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)

    def start(self) -> BatchWriter:
        """Open the writer's connection in its thread; raises what opening it raised."""
        self.thread.start()
        self._ready.wait()
        if self._failure is not None:
            raise self._failure
        return self

    def submit(self, work: Callable[[], T], context: contextvars.Context | None = None) -> concurrent.futures.Future[T]:
        """Queue ``work`` (run in the writer thread, inside the batch's transaction); its future holds its result.

        The future is resolved only once the batch holding the work is
        committed (or with the work's own error, its changes undone).
        """
        if not self.thread.is_alive():
            raise WriteLost(LOST, reason=message("the journal service is stopping"))
        job = _Job(work, context if context is not None else contextvars.copy_context())
        self._queue.put(job)
        return job.future

    def queued(self) -> int:
        """How many works wait for the next batch (approximately, as they come and go)."""
        return self._queue.qsize()

    def close(self) -> None:
        """Commit what is queued, then stop the thread and close its connection."""
        if self.thread.is_alive():
            self._queue.put(None)
            self.thread.join()

    # -- the writer thread ------------------------------------------------------------

    def _run(self) -> None:
        try:
            store = JournalStore(self.db_path, migrate=False)
            store.memo = Memo(WRITER_CATALOGUES)
            # A commit returns once the -wal file is on disk (see the module's text).
            store.db.execute("PRAGMA synchronous = FULL")
        except BaseException as error:
            self._failure = error
            self._ready.set()
            return
        self.store = store
        self._ready.set()
        try:
            stopping = False
            while not stopping:
                job = self._queue.get()
                if job is None:
                    break
                batch = [job]
                while len(batch) < self.max_batch:
                    try:
                        following = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if following is None:
                        stopping = True
                        break
                    batch.append(following)
                self._commit(store, batch)
        finally:
            store.close()

    def _commit(self, store: JournalStore, batch: list[_Job]) -> None:
        """Run the batch's works in one transaction, each in its savepoint; resolve their futures once committed."""
        conn = store.db.conn
        jobs = [job for job in batch if job.future.set_running_or_notify_cancel()]
        done: list[tuple[_Job, Any]] = []
        failed = 0
        if not self._begin(conn, jobs):
            return
        for job in jobs:
            conn.execute("SAVEPOINT journal_work")
            try:
                result = job.context.run(job.work)
            except BaseException as error:
                failed += 1
                if conn.in_transaction:
                    conn.execute("ROLLBACK TO journal_work")
                    conn.execute("RELEASE journal_work")
                    # What the connection remembered may come from the undone changes.
                    store.memo.clear()
                    job.future.set_exception(error)
                    continue
                job.future.set_exception(error)
            else:
                if conn.in_transaction:
                    conn.execute("RELEASE journal_work")
                    done.append((job, result))
                    continue
                self._lose([job], sqlite3.OperationalError("the transaction ended before its commit"))
            # The transaction is gone (a full disk, an I/O error undid it): the works
            # before this one are lost with it; the following ones start afresh.
            store.memo.clear()
            self._lose([earlier for earlier, _ in done], sqlite3.OperationalError("the transaction was undone"))
            done = []
            if not self._begin(conn, [later for later in jobs if not later.future.done()]):
                return
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            store.memo.clear()
            self._lose([job for job, _ in done], error)
            return
        for job, result in done:
            job.future.set_result(result)
        self.stats.count(len(jobs), failed)
        self._commits += 1
        if self._commits % WAL_CHECK_EVERY == 0:
            # Everyone's saves wait while the writer does: it gives up at once when a long
            # reader (a backup being copied) holds an old snapshot, and tries again later.
            store.db.execute(f"PRAGMA busy_timeout = {CHECKPOINT_PATIENCE_MS}")
            try:
                store.checkpoint_if_large()
            finally:
                store.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _begin(self, conn: sqlite3.Connection, jobs: list[_Job]) -> bool:
        """Open the batch's transaction; when SQLite refuses, every job is refused."""
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            self._lose(jobs, error)
            return False
        return True

    def _lose(self, jobs: list[_Job], error: BaseException) -> None:
        if not jobs:
            return
        log.error("journal service: a batch of %d writes was not committed: %s", len(jobs), error)
        for job in jobs:
            lost = WriteLost(LOST, reason=str(error))
            lost.__cause__ = error
            job.future.set_exception(lost)


class Stores:
    """The service's connections: the writer's, and one per other thread (readers), opened on first use."""

    def __init__(self, db_path: Path | str, writer: BatchWriter) -> None:
        self.db_path = str(db_path)
        self.writer = writer
        self._local = threading.local()
        self._opened: list[JournalStore] = []
        self._lock = threading.Lock()
        self._shared_memo = Memo(SHARED_CATALOGUES)

    def current(self) -> JournalStore:
        """The store of the calling thread: the writer's in the writer thread, a reader's elsewhere."""
        if threading.current_thread() is self.writer.thread:
            assert self.writer.store is not None
            return self.writer.store
        store: JournalStore | None = getattr(self._local, "store", None)
        if store is None:
            # Closed from the thread that stops the service, once no reader runs.
            store = JournalStore(self.db_path, migrate=False, check_same_thread=False)
            # Readers see only what is committed: they keep their catalogues together.
            store.memo = self._shared_memo
            # A reader rarely writes (a first look may create a day's entry): durable all the same.
            store.db.execute("PRAGMA synchronous = FULL")
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def close(self) -> None:
        """Close the readers' connections (call once no reader runs)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            store.close()

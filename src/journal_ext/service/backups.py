"""Backups of the journal while the service runs, and putting one back while it is stopped.

The service takes a backup every ``--backup-every`` into ``--backup-dir``
(a folder only its unix user can open) with SQLite's online backup, from a
connection of its own in a thread of its own: in WAL mode the copy reads one
snapshot while saves go on. Each copy is written under a temporary name,
checked with ``PRAGMA integrity_check``, and only then named
``<database>-<UTC time>.db``; that time is taken before the copy starts, so
every save acknowledged before it is in the copy. The oldest are removed past
``--backup-keep``; a copy that fails its check is kept aside as ``….failed``
and never replaces a good one.

``journal-ext restore`` puts one back while no service runs on the file: the
service holds a lock on ``<database>.lock`` for as long as it runs (the
kernel drops it if the process dies), and a restore takes the same lock, so
neither can start while the other works. The file it replaces is kept,
renamed ``<database>.before-restore-<time>`` with its ``-wal``.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from journal_ext.db import JournalStore
from journal_ext.db.errors import Conflict, StoreError
from journal_ext.i18n import ExplainedError

log = logging.getLogger("journal_ext.service")

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# What SQLite keeps beside a database file while it is open.
COMPANIONS = ("-wal", "-shm")
# Backups sort by name as they sort in time: UTC, to the millisecond.
STAMP_FORMAT = "%Y-%m-%dT%H-%M-%S"
STAMP = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})\.(\d{3})Z")
PARTIAL_SUFFIX = ".partial"
FAILED_SUFFIX = ".failed"
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DURATION = re.compile(r"(?:\d+[smhd])+")


class BackupError(StoreError):
    """A backup or a restore that could not be made; nothing that was there is lost."""

    code = "backup_failed"


class ServiceRunning(Conflict):
    """A journal service holds the database: a restore waits until it is stopped."""

    code = "service_running"


# -- durations -----------------------------------------------------------------


def parse_duration(text: str) -> float:
    """Seconds in a duration as people write it: ``30m``, ``1h``, ``1d``, ``1h30m``, ``10s``."""
    written = text.strip().lower().replace(" ", "")
    if DURATION.fullmatch(written):
        seconds = sum(int(number) * DURATION_UNITS[unit] for number, unit in re.findall(r"(\d+)([smhd])", written))
        if seconds > 0:
            return float(seconds)
    raise ExplainedError(
        "{value} is not a duration: write a number and a unit, such as 30m, 1h or 1d"
        " (s: seconds, m: minutes, h: hours, d: days)",
        code="invalid_duration",
        value=repr(text),
    )


def describe_duration(seconds: float) -> str:
    """A duration in the units it was written in (``1d``, ``90m``, ``2s``), for logs."""
    whole = int(seconds)
    for unit in ("d", "h", "m"):
        if whole % DURATION_UNITS[unit] == 0:
            return f"{whole // DURATION_UNITS[unit]}{unit}"
    return f"{whole}s"


# -- names ---------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    """One good backup in a backup folder, and the time before which every acknowledged save is in it."""

    path: Path
    taken: datetime


def stamp(when: datetime) -> str:
    """The time in a backup's name (UTC, to the millisecond)."""
    utc = when.astimezone(timezone.utc)
    return f"{utc.strftime(STAMP_FORMAT)}.{utc.microsecond // 1000:03d}Z"


def backup_path(directory: Path, db_path: Path, when: datetime) -> Path:
    """Where the backup of ``db_path`` taken at ``when`` goes: ``<directory>/<stem>-<time>.db``."""
    return directory / f"{db_path.stem}-{stamp(when)}.db"


def backups_in(directory: Path, db_path: Path) -> list[Backup]:
    """The good backups of ``db_path`` in ``directory``, oldest first (temporary and failed copies left out)."""
    name = re.compile(re.escape(db_path.stem) + r"-" + STAMP.pattern + r"\.db")
    found = []
    if directory.is_dir():
        for path in directory.iterdir():
            matched = name.fullmatch(path.name)
            if matched and path.is_file():
                taken = datetime.strptime(matched.group(1), STAMP_FORMAT).replace(
                    microsecond=int(matched.group(2)) * 1000, tzinfo=timezone.utc
                )
                found.append(Backup(path, taken))
    return sorted(found, key=lambda backup: backup.taken)


# -- one checked copy ----------------------------------------------------------


def integrity_of(path: Path) -> str:
    """SQLite's verdict on a database file ('ok' when sound), or what stops SQLite from reading it."""
    try:
        with JournalStore(path, migrate=False) as copy:
            return copy.integrity_check()
    except sqlite3.DatabaseError as error:
        return str(error)


def _drop_companions(path: Path) -> None:
    """Remove the -wal/-shm of a temporary copy a killed process left (a new copy must not pick them up)."""
    for suffix in COMPANIONS:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def take_backup(db_path: Path, destination: Path) -> None:
    """Copy ``db_path`` to ``destination`` (mode 0600) with SQLite's online backup, checked before it is named.

    The copy is written beside ``destination`` under a temporary name; a copy
    that fails ``PRAGMA integrity_check`` is kept aside as ``<destination>.failed``
    and :class:`BackupError` says why. An existing ``destination`` is never replaced.
    """
    if not db_path.exists():
        raise BackupError("no journal at {source}: nothing to back up", source=db_path)
    if destination.exists():
        raise Conflict("{dest} already exists; choose a new file name", dest=destination)
    destination.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    partial = destination.with_name(f".{destination.name}{PARTIAL_SUFFIX}")
    partial.unlink(missing_ok=True)
    _drop_companions(partial)
    try:
        # Its own connection, without migrations or built-ins: a backup changes nothing in what it copies.
        with JournalStore(db_path, migrate=False) as journal:
            journal.backup(partial)
        verdict = integrity_of(partial)
        if verdict != "ok":
            failed = destination.with_name(destination.name + FAILED_SUFFIX)
            os.replace(partial, failed)
            raise BackupError(
                "the backup of {source} failed its integrity check ({verdict}); the copy is kept aside as {failed}",
                source=db_path,
                verdict=verdict,
                failed=failed,
            )
        _fsync(partial)
        # A link fails if the name was taken meanwhile: a good backup is never overwritten.
        os.link(partial, destination)
        partial.unlink()
        _fsync_folder(destination.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        _drop_companions(partial)
        raise


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut, where the system allows it."""
    with contextlib.suppress(OSError):
        _fsync(folder)


# -- on a schedule -------------------------------------------------------------


@dataclass(frozen=True)
class BackupSchedule:
    """Where the service keeps its backups, how often it takes one, and how many it keeps."""

    directory: Path
    every: float
    keep: int

    def prepare(self) -> None:
        """Create the backup folder (mode 0700) or check that it is a folder this user can write to."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        if not os.access(self.directory, os.W_OK | os.X_OK):
            raise BackupError("the backup folder {folder} is not writable by this user", folder=self.directory)
        mode = stat.S_IMODE(self.directory.stat().st_mode)
        if mode & 0o077:
            log.warning(
                "journal service: the backup folder %s has mode %o; backups hold everyone's journals: chmod 700 it",
                self.directory,
                mode,
            )

    def take(self, db_path: Path) -> Backup:
        """Take one checked backup now, then keep only the newest ``keep`` (runs in a thread: it blocks)."""
        started = time.monotonic()
        # One service per database (its claim): a copy under way is this one, so any other was left by a kill.
        left = re.compile(rf"\.{re.escape(db_path.stem)}-{STAMP.pattern}\.db{re.escape(PARTIAL_SUFFIX)}(-wal|-shm)?")
        for stale in self.directory.iterdir():
            if left.fullmatch(stale.name):
                stale.unlink(missing_ok=True)
        now = datetime.now(timezone.utc)
        # As its name says it, to the millisecond (before the copy starts: never later than its snapshot).
        taken = now.replace(microsecond=now.microsecond // 1000 * 1000)
        destination = backup_path(self.directory, db_path, taken)
        take_backup(db_path, destination)
        removed = self.prune(db_path)
        log.info(
            "journal service: backup %s (%.1f MB, integrity ok, %.1f s); %d kept, %d older removed",
            destination,
            destination.stat().st_size / 1e6,
            time.monotonic() - started,
            len(backups_in(self.directory, db_path)),
            len(removed),
        )
        return Backup(destination, taken)

    def prune(self, db_path: Path) -> list[Path]:
        """Remove the oldest good backups past ``keep`` (failed copies stay for someone to look at)."""
        backups = backups_in(self.directory, db_path)
        removed = [backup.path for backup in backups[: max(0, len(backups) - self.keep)]]
        for path in removed:
            path.unlink(missing_ok=True)
        return removed

    def first_delay(self, db_path: Path) -> float:
        """Seconds until the first backup after a start: ``every`` after the newest one, at once when overdue."""
        backups = backups_in(self.directory, db_path)
        if not backups:
            return 0.0
        since = (datetime.now(timezone.utc) - backups[-1].taken).total_seconds()
        return min(self.every, max(0.0, self.every - since))

    async def run(self, db_path: Path) -> None:
        """Take backups until cancelled, each off the event loop; a failure is logged and retried ``every`` later."""
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal-backup") as executor:
            delay = self.first_delay(db_path)
            while True:
                await asyncio.sleep(delay)
                started = loop.time()
                try:
                    await loop.run_in_executor(executor, self.take, db_path)
                except asyncio.CancelledError:
                    raise
                except ExplainedError as error:
                    log.error("journal service: backup failed: %s", error)
                except Exception as error:
                    log.error("journal service: backup failed: %s: %s", type(error).__name__, error)
                delay = max(0.0, self.every - (loop.time() - started))

    def start(self, db_path: Path) -> asyncio.Task[None]:
        """Run the schedule in the service's event loop (cancel the task to stop it); :meth:`prepare` first."""
        log.info(
            "journal service: a backup every %s into %s (mode 0700), the newest %d kept",
            describe_duration(self.every),
            self.directory,
            self.keep,
        )
        return asyncio.get_running_loop().create_task(self.run(db_path), name="journal-backups")

    @staticmethod
    async def stop(task: asyncio.Task[None] | None) -> None:
        """Stop the schedule (a backup under way finishes first, so no half-written copy is left)."""
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


# -- the service's lock, and restoring -----------------------------------------


def lock_path(db_path: Path) -> Path:
    """The file whose lock says a journal service (or a restore) is at work on ``db_path``."""
    return db_path.with_name(db_path.name + ".lock")


class DatabaseClaim:
    """An exclusive ``flock`` on ``<db>.lock``, held by the running service or a restore.

    The kernel releases it when its holder exits, even killed, so a stale
    lock file never blocks anyone.
    """

    def __init__(self, db_path: Path) -> None:
        path = lock_path(db_path)
        path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise ServiceRunning(
                "a journal service is running on {db} (or a restore is under way): stop the service first",
                db=db_path,
            ) from None
        _own_like(path, db_path.parent)

    def release(self) -> None:
        """Let a restore (or another service) at the database."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


@contextlib.contextmanager
def service_lock(db_path: Path) -> Iterator[None]:
    """Hold the claim on ``db_path`` for the duration; :class:`ServiceRunning` when a service or a restore holds it."""
    claim = DatabaseClaim(db_path)
    try:
        yield
    finally:
        claim.release()


def _own_like(path: Path, model: Path) -> None:
    """Give ``path`` the owner of ``model`` when running as root (so the service's user can open it), mode 0600."""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and model.exists():
        owner = model.stat()
        os.chown(path, owner.st_uid, owner.st_gid)
    path.chmod(PRIVATE_FILE)


def restore(backup: Path, db_path: Path) -> Path | None:
    """Put ``backup`` in place of ``db_path``, with no service running on it; the file it replaces is kept.

    Returns where the replaced database now is (``<db>.before-restore-<time>``,
    with its ``-wal``), or None when there was none.
    """
    if not backup.is_file():
        raise BackupError("no backup at {backup}", backup=backup)
    if backup.resolve() == db_path.resolve():
        raise BackupError("{backup} is the journal itself: name a backup to restore", backup=backup)
    with service_lock(db_path):
        incoming = db_path.with_name(f".{db_path.name}.restoring")
        incoming.unlink(missing_ok=True)
        _drop_companions(incoming)
        try:
            # Copied through SQLite (not byte for byte): whatever -wal lies beside the backup comes with it.
            try:
                with JournalStore(backup, migrate=False) as copy:
                    copy.backup(incoming)
            except sqlite3.DatabaseError as error:
                verdict = str(error)
            else:
                # What is checked is what will be put in place.
                verdict = integrity_of(incoming)
            if verdict != "ok":
                raise BackupError(
                    "{backup} failed its integrity check ({verdict}): nothing was restored",
                    backup=backup,
                    verdict=verdict,
                )
            owner_of = db_path if db_path.exists() else db_path.parent
            _own_like(incoming, owner_of)
            _fsync(incoming)
            aside = _set_aside(db_path)
            os.replace(incoming, db_path)
            _fsync_folder(db_path.parent)
        except BaseException:
            incoming.unlink(missing_ok=True)
            _drop_companions(incoming)
            raise
    return aside


def _set_aside(db_path: Path) -> Path | None:
    """Rename the database and its -wal/-shm to ``<db>.before-restore-<time>…`` (the -wal first: never a stray one)."""
    aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp(datetime.now(timezone.utc))}")
    moved = False
    for suffix in (*COMPANIONS, ""):
        current = Path(f"{db_path}{suffix}")
        if current.exists():
            os.replace(current, Path(f"{aside}{suffix}"))
            moved = True
    return aside if moved else None

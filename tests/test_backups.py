"""The journal service's backups: taken while it runs, checked, kept in number; put back with it stopped.

The last test runs ``journal-ext serve`` as its own process (as the hub runs
it) with clients saving through it, kills it with SIGKILL mid-save, and
restores its last backup. The hub's only part there, saying whose token a
request carries, is played by a small HTTP server answering ``GET
/hub/api/user`` as JupyterHub does.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tornado.web import HTTPError

from benchmarks.corpus import build_people, entry_cells
from benchmarks.service import free_port
from journal_ext.cli import cli
from journal_ext.db import JournalStore
from journal_ext.i18n import ExplainedError
from journal_ext.server.remote import RemoteDrive
from journal_ext.service import backups
from journal_ext.service.backups import (
    BackupError,
    BackupSchedule,
    DatabaseClaim,
    ServiceRunning,
    backups_in,
    integrity_of,
    parse_duration,
    restore,
    take_backup,
)
from journal_ext.service.client import ServiceClient

FRENCH = {"LANG": "fr_FR.UTF-8", "LANGUAGE": None, "LC_ALL": None, "JOURNAL_EXT_LANG": None}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    db = tmp_path / "srv" / "journal.db"
    with JournalStore(db) as store:
        store.ensure_user("camille")
    return db


def users(db: Path) -> list[str]:
    with JournalStore(db, migrate=False) as store:
        return [row["name"] for row in store.db.query("SELECT name FROM users ORDER BY name")]


# -- durations -------------------------------------------------------------------------


def test_durations_read_as_people_write_them() -> None:
    assert parse_duration("30m") == 1800
    assert parse_duration("1h") == 3600
    assert parse_duration(" 1d ") == 86400
    assert parse_duration("1h30m") == 5400
    assert parse_duration("2s") == 2
    for wrong in ("", "5", "5x", "h", "0m", "-1h", "1.5h", "1 hour"):
        with pytest.raises(ExplainedError) as caught:
            parse_duration(wrong)
        assert "is not a duration" in str(caught.value)


def test_serve_refuses_a_wrong_duration_or_backup_options_without_a_folder(tmp_path: Path) -> None:
    db = str(tmp_path / "journal.db")
    wrong = CliRunner().invoke(
        cli, ["serve", "--db", db, "--backup-dir", str(tmp_path), "--backup-every", "5x"], env=FRENCH
    )
    assert wrong.exit_code == 2
    assert (
        "--backup-every\u00a0: '5x' n'est pas une durée\u00a0: écrivez un nombre et une unité, comme 30m, 1h ou 1d"
        in wrong.output
    )
    alone = CliRunner().invoke(cli, ["--lang", "en", "serve", "--db", db, "--backup-keep", "3"])
    assert alone.exit_code == 2
    assert "--backup-every and --backup-keep need --backup-dir" in alone.output
    assert not (tmp_path / "journal.db").exists()


# -- one checked copy ---------------------------------------------------------------------


def test_a_scheduled_backup_is_private_checked_named_by_its_time_and_pruned(journal: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    schedule = BackupSchedule(directory=folder, every=3600, keep=2)
    schedule.prepare()
    assert mode(folder) == 0o700
    # A copy a killed service left half-written is not taken for a backup, and goes at the next one.
    (folder / ".journal-2026-01-01T00-00-00.000Z.db.partial").write_bytes(b"half")
    taken = []
    for _ in range(3):
        taken.append(schedule.take(journal))
        time.sleep(0.002)
    kept = backups_in(folder, journal)
    assert [b.path for b in kept] == [b.path for b in taken[1:]]
    assert [b.taken for b in kept] == sorted(b.taken for b in kept)
    assert not taken[0].path.exists()
    for backup in kept:
        assert backup.path.name.startswith("journal-") and backup.path.name.endswith("Z.db")
        assert mode(backup.path) == 0o600
        assert integrity_of(backup.path) == "ok"
        assert users(backup.path) == ["camille"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(b.path.name for b in kept)
    # The next one is due an hour after the newest.
    assert 3590 < schedule.first_delay(journal) <= 3600


def test_a_copy_that_fails_its_check_is_kept_aside_and_replaces_nothing(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "backups"
    schedule = BackupSchedule(directory=folder, every=3600, keep=1)
    schedule.prepare()
    good = schedule.take(journal)
    monkeypatch.setattr(backups, "integrity_of", lambda path: "*** in database main ***\nPage 3: btreeInitPage() error")
    with pytest.raises(BackupError) as caught:
        schedule.take(journal)
    assert "failed its integrity check (*** in database main ***" in str(caught.value)
    assert "the copy is kept aside as" in str(caught.value)
    assert backups_in(folder, journal) == [good]
    failed = [p for p in folder.iterdir() if p.name.endswith(".db.failed")]
    assert len(failed) == 1 and mode(failed[0]) == 0o600
    assert {p.name for p in folder.iterdir()} == {good.path.name, failed[0].name}


def test_the_backup_command_never_replaces_a_file_and_leaves_nothing_half_written(
    journal: Path, tmp_path: Path
) -> None:
    destination = tmp_path / "copy.db"
    destination.write_bytes(b"someone's file")
    with pytest.raises(ExplainedError):
        take_backup(journal, destination)
    assert destination.read_bytes() == b"someone's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db", "srv"]


# -- restore --------------------------------------------------------------------------------


def test_restore_keeps_the_journal_it_replaces_and_places_the_backup_privately(journal: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backups" / "journal-before.db"
    take_backup(journal, backup)
    with JournalStore(journal) as store:
        store.ensure_user("nadia")
        # Still open (its -wal beside it) when the service was killed: the -wal goes aside with it.
        keeper = sqlite3.connect(journal)
        keeper.execute("SELECT count(*) FROM users").fetchone()
    try:
        with JournalStore(journal) as store:
            store.ensure_user("yanis")
        assert Path(f"{journal}-wal").stat().st_size > 0
        result = CliRunner().invoke(cli, ["--lang", "en", "restore", str(backup), "--db", str(journal)])
    finally:
        keeper.close()
    assert result.exit_code == 0, result.output
    asides = sorted(p for p in journal.parent.iterdir() if ".before-restore-" in p.name)
    aside = asides[0]
    assert result.output == (
        f"Restored {backup} as {journal} (integrity check ok); the journal it replaced is kept as {aside}.\n"
    )
    assert users(journal) == ["camille"]
    assert mode(journal) == 0o600
    assert not Path(f"{journal}-wal").exists() or Path(f"{journal}-wal").stat().st_size == 0
    # Nothing is lost: the replaced journal, with its -wal, still holds everyone.
    assert integrity_of(aside) == "ok"
    assert users(aside) == ["camille", "nadia", "yanis"]


def test_restore_refuses_while_a_service_holds_the_journal(journal: Path, tmp_path: Path) -> None:
    backup = tmp_path / "journal-backup.db"
    take_backup(journal, backup)
    with JournalStore(journal) as store:
        store.ensure_user("nadia")
    claim = DatabaseClaim(journal)
    try:
        result = CliRunner().invoke(cli, ["restore", str(backup), "--db", str(journal)], env=FRENCH)
        assert result.exit_code == 1
        assert result.output == (
            f"Erreur\u00a0: un service du journal tourne sur {journal} (ou une restauration est en cours)"
            "\u00a0: arrêtez d'abord le service\n"
        )
        # And a second service on the same file does not start either.
        with pytest.raises(ServiceRunning):
            DatabaseClaim(journal)
    finally:
        claim.release()
    assert users(journal) == ["camille", "nadia"]
    assert not [p for p in journal.parent.iterdir() if ".before-restore-" in p.name]
    restore(backup, journal)
    assert users(journal) == ["camille"]


def test_restore_refuses_a_file_that_is_no_sound_journal(journal: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "journal-2026-12-01.db"
    garbage.write_bytes(b"not a database, whatever its name says" * 200)
    before = journal.read_bytes()
    result = CliRunner().invoke(cli, ["--lang", "en", "restore", str(garbage), "--db", str(journal)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {garbage} failed its integrity check (file is not a database)")
    assert result.output.endswith(": nothing was restored\n")
    assert journal.read_bytes() == before
    assert sorted(p.name for p in journal.parent.iterdir()) == ["journal.db", "journal.db.lock"]
    missing = CliRunner().invoke(cli, ["--lang", "en", "restore", str(tmp_path / "nope.db"), "--db", str(journal)])
    assert missing.exit_code == 1 and missing.output == f"Error: no backup at {tmp_path / 'nope.db'}\n"


def test_backups_lists_them_oldest_first(journal: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    empty = CliRunner().invoke(cli, ["backups", str(folder), "--db", str(journal)], env=FRENCH)
    assert empty.output == f"Aucune sauvegarde de journal.db dans {folder}.\n"
    schedule = BackupSchedule(directory=folder, every=60, keep=5)
    schedule.prepare()
    first, second = schedule.take(journal), schedule.take(journal)
    lines = CliRunner().invoke(cli, ["backups", str(folder), "--db", str(journal)]).output.splitlines()
    assert [line.split()[-1] for line in lines] == [str(first.path), str(second.path)]
    assert lines[0].startswith(first.taken.strftime("%Y-%m-%d %H:%M:%S") + "Z")


# -- the service, killed mid-save, and its last backup restored -----------------------------

SERVICE = "journal"
SERVICE_TOKEN = "service-token"


class Hub(BaseHTTPRequestHandler):
    """JupyterHub's ``GET /hub/api/user``: who a token belongs to (here ``token-<name>``), with the service's scope."""

    def do_GET(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("token ")
        if self.path.rstrip("/") != "/hub/api/user" or not token.startswith("token-"):
            self.send_response(403)
            self.end_headers()
            return
        model = {
            "kind": "user",
            "name": token.removeprefix("token-"),
            "admin": False,
            "scopes": [f"access:services!service={SERVICE}"],
        }
        body = json.dumps(model).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def hub_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hub/api"
    server.shutdown()
    server.server_close()


def wait_for_health(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the service stopped: {log.read_text()}")
        try:
            with urllib.request.urlopen(url + "health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the service did not answer: {log.read_text()}")


class Learner(threading.Thread):
    """Saves its entry through the service as fast as it can; each save's text and when it was acknowledged."""

    def __init__(self, url: str, user: str, path: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.drive = RemoteDrive(ServiceClient(url=url, token=f"token-{user}", timeout=10))
        self.user, self.path, self.stop = user, path, stop
        self.acknowledged: list[tuple[str, float]] = []
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            notebook = self.drive.get(self.path, content=True)["content"]
        except BaseException as error:
            self.failure = error
            return
        n = 0
        while not self.stop.is_set():
            n += 1
            text = f"{self.user}, enregistrement {n}"
            notebook["cells"][1]["source"] = text
            try:
                self.drive.save({"type": "notebook", "format": "json", "content": notebook}, self.path)
            except HTTPError as error:
                if error.reason != "Journal Unavailable":
                    self.failure = error
                return  # the service was killed: this save was never acknowledged
            except BaseException as error:
                self.failure = error
                return
            self.acknowledged.append((text, time.time()))


def saved_texts(db: Path) -> set[str]:
    with JournalStore(db, migrate=False) as store:
        return {row["source"] for row in store.db.query("SELECT source FROM cell_revisions")}


def test_the_service_backs_up_while_people_save_and_its_last_backup_restores_after_a_kill(
    tmp_path: Path, hub_api: str
) -> None:
    db = tmp_path / "srv" / "journal.db"
    folder = tmp_path / "srv" / "backups"
    with JournalStore(db) as store:
        world = build_people(store)
        learners = world.learners[:8]
        for user in learners:
            store.create_document(
                kind="learning_journal",
                title="Entrée du jour",
                owner=user,
                group_id=world.group_of[user],
                visibility="tutors",
                template_version_id=None,
                cells=entry_cells("Entrée du jour", ["Premier jet."]),
            )
    port = free_port()
    env = {
        **os.environ,
        "JUPYTERHUB_API_TOKEN": SERVICE_TOKEN,
        "JUPYTERHUB_API_URL": hub_api,
        "JUPYTERHUB_SERVICE_NAME": SERVICE,
        "JUPYTERHUB_SERVICE_PREFIX": f"/services/{SERVICE}/",
    }
    command = [sys.executable, "-m", "journal_ext", "serve", "--db", str(db), "--port", str(port)]
    command += ["--backup-dir", str(folder), "--backup-every", "2s", "--backup-keep", "3"]
    log = tmp_path / "service.log"
    with log.open("wb") as output:
        service = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/services/{SERVICE}/"
    stop = threading.Event()
    clients = [Learner(url, user, "Journal/Mon journal/Entrée du jour.ipynb", stop) for user in learners]
    try:
        wait_for_health(url, service, log)
        for client in clients:
            client.start()
        # Saves go on through several backups (one at start, then every 2 s).
        deadline = time.monotonic() + 60
        while len(backups_in(folder, db)) < 3 or time.time() < backups_in(folder, db)[-1].taken.timestamp() + 1:
            assert time.monotonic() < deadline, log.read_text()
            assert service.poll() is None, log.read_text()
            time.sleep(0.2)
        # While it runs, a restore is refused and changes nothing.
        refused = CliRunner().invoke(
            cli, ["--lang", "en", "restore", str(backups_in(folder, db)[-1].path), "--db", str(db)]
        )
        assert refused.exit_code == 1 and "a journal service is running on" in refused.output
        # Killed as a crash would, with the learners still saving.
        service.send_signal(signal.SIGKILL)
        service.wait(timeout=30)
    finally:
        stop.set()
        if service.poll() is None:
            service.kill()
            service.wait(timeout=30)
        for client in clients:
            client.join(timeout=30)
    assert [client.failure for client in clients] == [None] * len(clients)
    acknowledged = [save for client in clients for save in client.acknowledged]
    service_log = log.read_text()
    assert "integrity ok" in service_log

    # At most --backup-keep backups, each the service's alone.
    kept = backups_in(folder, db)
    assert 1 <= len(kept) <= 3
    assert mode(folder) == 0o700 and all(mode(backup.path) == 0o600 for backup in kept)
    last = kept[-1]
    before = {text for text, at in acknowledged if at < last.taken.timestamp()}
    after = {text for text, at in acknowledged if at > last.taken.timestamp()}
    assert before and after, "saves were acknowledged both before and after the last backup"

    result = CliRunner().invoke(cli, ["--lang", "en", "restore", str(last.path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    aside = next(p for p in db.parent.iterdir() if re.fullmatch(r"journal\.db\.before-restore-[-\dT.]+Z", p.name))
    assert Path(f"{aside}-wal").exists()  # the killed service's -wal went aside with its file
    # The restored journal: sound, private, with every save acknowledged before its backup's time.
    assert integrity_of(db) == "ok"
    assert mode(db) == 0o600
    assert before <= saved_texts(db)
    # The killed service's own file, kept aside: sound too, and no acknowledged save lost.
    assert integrity_of(aside) == "ok"
    assert {text for text, _ in acknowledged} <= saved_texts(aside)
    assert datetime.now(timezone.utc) - last.taken < timedelta(minutes=5)

"""The journal service's one writer: saves committed in batches, each caller with its own answer, nothing acknowledged lost.

The service runs on the test's own file with identities from the session's
real JupyterHub (tests/hub.py): in a thread of the test process, or, where
it is killed, as ``journal-ext serve`` in a process of its own.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.service import ServiceThread, free_port
from journal_ext.db import JournalStore
from journal_ext.db.errors import Conflict
from journal_ext.server.remote import RemoteDrive
from journal_ext.service.client import ServiceClient
from journal_ext.service.writer import BatchWriter, WriteLost

from .conftest import COHORT, GROUP_B, answer_of, build_cohort, shared_diagnostic
from .service_thread import API_TEST_SERVICE, api_test_service

ROUNDS = 25
EDITORS = (("camille", "territory"), ("yanis", "feasibility"), ("lea", "findings"))


@pytest.fixture
def diagnostic(tmp_path: Path) -> tuple[Path, int, str]:
    """Group A's shared diagnostic in a fresh file: the file, its id and its path in Journal/."""
    db_path = tmp_path / "journal.db"
    return (db_path, *shared_diagnostic(db_path))


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[BatchWriter]:
    """A batching writer alone on a fresh cohort's file."""
    db_path = tmp_path / "journal.db"
    with JournalStore(db_path) as store:
        build_cohort(store)
    started = BatchWriter(db_path).start()
    try:
        yield started
    finally:
        started.close()


def _members_of_group_b(db_path: Path) -> set[str]:
    with JournalStore(db_path) as store:
        return {m["user"] for m in store.members(store.group(f"{COHORT}/{GROUP_B}")["id"])}


@pytest.fixture
def service(diagnostic: tuple[Path, int, str], journal_hub: Any) -> Iterator[ServiceThread]:
    running = api_test_service(diagnostic[0], journal_hub.api_url, journal_hub.api_test_token)
    try:
        yield running
    finally:
        running.stop()


def _sections(store: JournalStore, document_id: int) -> str:
    return "\n".join(cell.source for cell in store.cells(document_id))


def hold_writer(writer: BatchWriter) -> threading.Event:
    """Keep the writer inside a batch until the returned event is set (what queues meanwhile lands together)."""
    holding, release = threading.Event(), threading.Event()

    def held() -> None:
        holding.set()
        release.wait(timeout=60)

    writer.submit(held)
    assert holding.wait(timeout=30)
    return release


def _wait_for_queue(writer: BatchWriter, count: int) -> None:
    deadline = time.monotonic() + 30
    while writer.queued() < count:
        assert time.monotonic() < deadline, f"{writer.queued()} works queued, waiting for {count}"
        time.sleep(0.01)


def test_concurrent_saves_of_one_diagnostic_land_in_batches_and_keep_every_line(
    diagnostic: tuple[Path, int, str], service: ServiceThread, journal_hub: Any
) -> None:
    db_path, document_id, path = diagnostic
    typed: dict[str, list[str]] = {user: [] for user, _ in EDITORS}
    failures: list[BaseException] = []
    start = threading.Barrier(len(EDITORS))

    def editor(user: str, own_section: str) -> None:
        # A user server's drive: it keeps what its editor last received and sends it as each save's base.
        drive = RemoteDrive(ServiceClient(url=service.url, token=journal_hub.api_tester_token(user)))
        try:
            notebook = json.loads(json.dumps(drive.get(path)["content"], default=str))
            start.wait(timeout=60)
            for n in range(ROUNDS):
                lines = (f"{user} commande {n}", f"{user} {own_section} {n}")
                answer_of(notebook, "commission")["source"] += f"\n{lines[0]}"
                answer_of(notebook, own_section)["source"] += f"\n{lines[1]}"
                saved = drive.save({"type": "notebook", "content": notebook}, path)
                typed[user] += lines
                if saved["journal"]["conflicts"] or n % 7 == 6:
                    notebook = json.loads(json.dumps(drive.get(path)["content"], default=str))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=editor, args=pair) for pair in EDITORS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert failures == []

    stats = service.service.workers.writer.stats
    with JournalStore(db_path) as store:
        text = _sections(store, document_id)
        assert store.integrity_check() == "ok"
        authors = {c.author for c in store.cells(document_id) if c.section_key in dict(EDITORS).values()}
        revisions = store.document(document_id)["revision"]
        merged = [
            r for r in store.revisions(document_id) if r["summary"].get("merged") or r["summary"].get("conflicts")
        ]
        # The full-text index agrees with the cells (FTS5's own check), and finds the last line each one typed.
        store.db.execute("INSERT INTO [cells_fts] ([cells_fts], rank) VALUES ('integrity-check', 1)")
        found = {
            user: store.db.execute(
                "SELECT count(*) FROM [cells_fts] WHERE [cells_fts] MATCH ?", (f'"{typed[user][-1]}"',)
            ).fetchone()[0]
            for user in typed
        }
    every_line = [line for lines in typed.values() for line in lines]
    assert len(every_line) == 2 * ROUNDS * len(EDITORS)
    assert [line for line in every_line if line not in text] == []
    assert "La commande du centre social." in text
    assert authors == {user for user, _ in EDITORS}
    assert all(count >= 1 for count in found.values()), found
    assert revisions >= ROUNDS * len(EDITORS)
    # The editors saved over each other, and the writer committed several saves at once.
    assert merged
    assert stats.largest > 1, stats
    assert stats.batches < stats.works, stats


def test_a_save_refused_inside_a_batch_fails_only_its_caller(
    diagnostic: tuple[Path, int, str], service: ServiceThread, journal_hub: Any
) -> None:
    db_path, document_id, path = diagnostic
    writer = service.service.workers.writer
    drives = {
        user: RemoteDrive(ServiceClient(url=service.url, token=journal_hub.api_tester_token(user)))
        for user in ("camille", "yanis", "ines")
    }
    notebooks = {
        user: json.loads(json.dumps(drives[user].get(path)["content"], default=str)) for user in ("camille", "yanis")
    }
    # Ines is in the other group: she can't see group A's diagnostic, let alone save it.
    intruder = json.loads(json.dumps(notebooks["camille"]))
    answer_of(notebooks["camille"], "territory")["source"] = "Camille : le quartier des Tanneries."
    answer_of(notebooks["yanis"], "feasibility")["source"] = "Yanis : un budget de 12 000 euros."
    answer_of(intruder, "findings")["source"] = "Ines n'a rien à écrire ici."

    # Hold the writer while the three saves queue, so that one batch holds them all.
    release = hold_writer(writer)
    before = writer.stats.batches
    answers: dict[str, Any] = {}

    def save(user: str, notebook: dict[str, Any]) -> None:
        try:
            answers[user] = drives[user].save({"type": "notebook", "content": notebook}, path)
        except Exception as error:
            answers[user] = error

    threads = [
        threading.Thread(target=save, args=pair)
        for pair in (("camille", notebooks["camille"]), ("ines", intruder), ("yanis", notebooks["yanis"]))
    ]
    for thread in threads:
        thread.start()
    _wait_for_queue(writer, 3)
    release.set()
    for thread in threads:
        thread.join(timeout=60)

    assert writer.stats.batches == before + 2  # the held work's, then the three saves' together
    assert writer.stats.sizes.get(3, 0) >= 1, writer.stats
    assert answers["camille"]["type"] == "notebook"
    assert answers["yanis"]["type"] == "notebook"
    refused = answers["ines"]
    assert getattr(refused, "status_code", None) in (400, 403, 404), refused
    with JournalStore(db_path) as store:
        text = _sections(store, document_id)
    assert "le quartier des Tanneries" in text
    assert "un budget de 12 000 euros" in text
    assert "Ines" not in text


def test_a_work_that_fails_after_writing_leaves_nothing_and_the_others_commit(writer: BatchWriter) -> None:
    release = hold_writer(writer)

    def add(name: str, fail: bool = False) -> Any:
        def work() -> str:
            assert writer.store is not None
            writer.store.add_member(f"{COHORT}/{GROUP_B}", name, "learner", display_name=name.title())
            if fail:
                raise Conflict("{name} changed their mind", name=name)
            return name

        return writer.submit(work)

    futures = [add("alix"), add("basile", fail=True), add("chloe")]
    release.set()
    assert futures[0].result(timeout=30) == "alix"
    assert futures[2].result(timeout=30) == "chloe"
    with pytest.raises(Conflict, match="basile changed their mind"):
        futures[1].result(timeout=30)
    assert writer.stats.sizes.get(3) == 1, writer.stats
    members = _members_of_group_b(Path(writer.db_path))
    assert {"alix", "chloe"} <= members
    assert "basile" not in members


def test_a_write_lost_with_its_transaction_is_refused_to_every_caller_of_the_batch(writer: BatchWriter) -> None:
    """A commit the disk refuses: no caller of that batch hears their write went through."""
    release = hold_writer(writer)

    def add(name: str) -> Any:
        assert writer.store is not None
        writer.store.add_member(f"{COHORT}/{GROUP_B}", name, "learner", display_name=name)

    first = writer.submit(lambda: add("dora"))
    # A work that ends the transaction under the others' feet (as a full disk's error does).
    lost = writer.submit(lambda: writer.store.db.conn.execute("ROLLBACK"))  # type: ignore[union-attr]
    after = writer.submit(lambda: add("emile"))
    release.set()
    with pytest.raises(WriteLost):
        first.result(timeout=30)
    with pytest.raises(WriteLost):
        lost.result(timeout=30)
    after.result(timeout=30)
    members = _members_of_group_b(Path(writer.db_path))
    assert "dora" not in members
    assert "emile" in members


def test_killing_the_service_mid_batch_loses_no_acknowledged_save(
    diagnostic: tuple[Path, int, str], journal_hub: Any, tmp_path: Path
) -> None:
    db_path, document_id, path = diagnostic
    port = free_port()
    prefix = f"/services/{API_TEST_SERVICE}/"
    environment = {
        **os.environ,
        "JUPYTERHUB_API_URL": journal_hub.api_url,
        "JUPYTERHUB_API_TOKEN": journal_hub.api_test_token,
        "JUPYTERHUB_SERVICE_NAME": API_TEST_SERVICE,
    }
    log = (tmp_path / "service.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "journal_ext", "serve", "--db", str(db_path), "--port", str(port), "--prefix", prefix],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}{prefix}"
    try:
        _wait_until_up(url, process)
        acknowledged: dict[str, list[str]] = {user: [] for user, _ in EDITORS}
        unanswered: list[str] = []
        stop = threading.Event()

        def editor(user: str, section: str) -> None:
            drive = RemoteDrive(ServiceClient(url=url, token=journal_hub.api_tester_token(user)))
            notebook = json.loads(json.dumps(drive.get(path)["content"], default=str))
            n = 0
            while not stop.is_set():
                line = f"{user} {section} {n}"
                answer_of(notebook, section)["source"] += f"\n{line}"
                try:
                    saved = drive.save({"type": "notebook", "content": notebook}, path)
                except Exception:
                    unanswered.append(line)
                    return
                acknowledged[user].append(line)
                if saved["journal"]["conflicts"]:
                    notebook = json.loads(json.dumps(drive.get(path)["content"], default=str))
                n += 1

        threads = [threading.Thread(target=editor, args=pair) for pair in EDITORS]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while sum(map(len, acknowledged.values())) < 60:
            assert time.monotonic() < deadline and all(t.is_alive() for t in threads), acknowledged
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        log.close()

    with JournalStore(db_path) as store:
        assert store.integrity_check() == "ok"
        text = _sections(store, document_id)
    every_line = [line for lines in acknowledged.values() for line in lines]
    assert [line for line in every_line if line not in text] == []
    # The service was killed while saves were under way: some got no answer.
    assert unanswered


def _wait_until_up(url: str, process: subprocess.Popen[Any]) -> None:
    from urllib.request import urlopen

    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, "journal-ext serve exited"
        try:
            with urlopen(url + "health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        assert time.monotonic() < deadline, "journal-ext serve did not answer"
        time.sleep(0.2)


def test_reads_are_answered_while_the_writer_is_busy(
    diagnostic: tuple[Path, int, str], service: ServiceThread, journal_hub: Any
) -> None:
    _, _, path = diagnostic
    writer = service.service.workers.writer
    client = ServiceClient(url=service.url, token=journal_hub.api_tester_token("yanis"))
    drive = RemoteDrive(client)
    release = hold_writer(writer)
    try:
        committed = writer.stats.batches
        # The writer is inside a batch: the folder, a notebook, search and who-am-I are answered all the same.
        assert drive.get(path)["type"] == "notebook"
        assert client.call("GET", "journal/api/me")["user"] == "yanis"
        assert client.call("GET", "journal/api/search", query={"q": "commande"})["total"] >= 1
        assert writer.stats.batches == committed  # the held batch is still open
        assert writer.queued() == 0
        assert not release.is_set()
    finally:
        release.set()

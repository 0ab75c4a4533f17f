"""The journal database: connection settings, locking, CRUD, template versions, saves, backup, crashes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import stat
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from journal_ext.core.documents import ensure_initialised
from journal_ext.core.framework import default_framework
from journal_ext.core.templates import builtin_template
from journal_ext.db import (
    BUSY_TIMEOUT_MS,
    CellRow,
    Conflict,
    JournalStore,
    NotFound,
    StoreError,
)

from .conftest import COHORT, GROUP_A, GROUP_B

SPAWN = multiprocessing.get_context("spawn")


def markdown(cell_id: str, source: str, **journal: object) -> CellRow:
    """A markdown cell row, with journal metadata when given."""
    metadata = {"journal": {"schema_version": 1, **journal}} if journal else {}
    return CellRow(
        cell_id=cell_id,
        position=0,
        cell_type="markdown",
        source=source,
        section_key=journal.get("section"),
        metadata=metadata,
    )  # type: ignore[arg-type]


def new_document(store: JournalStore, owner: str = "camille", cells: list[CellRow] | None = None) -> dict:
    """A bare document with three cells a, b, c."""
    return store.create_document(
        kind="learning_journal",
        title="Entrée du 5 octobre",
        owner=owner,
        group_id=None,
        visibility="private",
        template_version_id=None,
        cells=cells if cells is not None else [markdown("a", "A"), markdown("b", "B"), markdown("c", "C")],
    )


# --- connection settings and locking ----------------------------------------------


def test_open_sets_wal_busy_timeout_and_foreign_keys(store: JournalStore):
    pragma = lambda name: next(iter(next(store.db.query(f"PRAGMA {name}")).values()))  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("busy_timeout") == BUSY_TIMEOUT_MS == 5000
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == 1  # NORMAL


def test_wal_mode_is_recorded_in_the_file(store: JournalStore):
    # A plain connection opened afterwards sees WAL too: it is a property of the file.
    store.ensure_user("camille")
    other = sqlite3.connect(store.path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_write_uses_begin_immediate(store: JournalStore):
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        store.ensure_user("camille", "Camille Martin")
    finally:
        store.db.conn.set_trace_callback(None)
    assert "BEGIN IMMEDIATE" in statements
    assert "BEGIN" not in statements


def test_write_waits_for_another_writer_then_succeeds(store: JournalStore):
    """A writer holding the lock makes write() wait (busy timeout), not fail, and not read stale data.

    write() reads then inserts. With a deferred BEGIN the read would start before
    the other writer commits, and the insert would then fail at once with
    'database is locked' (a stale WAL snapshot cannot be upgraded to a writer).
    """
    store.ensure_user("camille")
    holding = threading.Event()
    released_at: list[float] = []

    def other_writer() -> None:
        conn = sqlite3.connect(store.path, timeout=5, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO users (name, display_name, created_at) VALUES ('yanis', 'Yanis', 'now')")
            holding.set()
            time.sleep(0.4)
            released_at.append(time.monotonic())
            conn.execute("COMMIT")
        finally:
            conn.close()

    thread = threading.Thread(target=other_writer)
    thread.start()
    assert holding.wait(2)
    started = time.monotonic()
    with store.write() as db:
        entered = time.monotonic()
        seen = next(db.query("SELECT COUNT(*) AS n FROM users"))["n"]
        db.execute("INSERT INTO users (name, display_name, created_at) VALUES ('lea', 'Léa', 'now')")
    thread.join()
    assert released_at and entered >= released_at[0]
    assert 0.2 < entered - started < 2
    assert seen == 2  # camille + yanis: the transaction began after the other commit
    assert {u["name"] for u in store.db.query("SELECT name FROM users")} == {"camille", "yanis", "lea"}


def test_write_rolls_back_on_error(store: JournalStore):
    with pytest.raises(RuntimeError), store.write() as db:
        db.execute("INSERT INTO users (name, display_name, created_at) VALUES ('x', 'X', 'now')")
        raise RuntimeError("boom")
    assert not store.db.conn.in_transaction
    assert store.counts()["users"] == 0


def test_nested_write_is_a_savepoint_of_the_outer_transaction(store: JournalStore):
    with pytest.raises(RuntimeError), store.write():
        store.ensure_user("camille")
        raise RuntimeError("boom")
    assert store.counts()["users"] == 0


# --- cohorts, groups, members ----------------------------------------------------


def test_cohort_crud_and_duplicate(cohort_store: JournalStore):
    store = cohort_store
    cohort = store.cohort(COHORT)
    assert cohort["language"] == "fr"
    assert cohort["framework_id"] == default_framework().id
    assert [c["name"] for c in store.list_cohorts()] == [COHORT]
    with pytest.raises(Conflict, match=f"a cohort named '{COHORT}' already exists"):
        store.add_cohort(COHORT, framework_id=default_framework().id)
    assert len(store.list_cohorts()) == 1


def test_unknown_cohort_lists_known_ones(cohort_store: JournalStore):
    with pytest.raises(NotFound, match=f"no cohort named 'Promo X' \\(known: {COHORT}\\)"):
        cohort_store.cohort("Promo X")
    with pytest.raises(NotFound, match="known: "):
        cohort_store.add_group("Promo X", "G")


def test_cohort_needs_a_known_framework_and_language(store: JournalStore):
    ensure_initialised(store)
    with pytest.raises(NotFound, match="no competence framework 'nope'"):
        store.add_cohort("Promo", framework_id="nope")
    with pytest.raises(StoreError, match="language must be 'fr' or 'en'"):
        store.add_cohort("Promo", framework_id=default_framework().id, language="de")
    with pytest.raises(StoreError, match="cohort name cannot be empty"):
        store.add_cohort("  ", framework_id=default_framework().id)
    assert store.list_cohorts() == []


def test_groups_by_full_or_bare_name(cohort_store: JournalStore):
    store = cohort_store
    group = store.group(GROUP_A)
    assert group == store.group(f"{COHORT}/{GROUP_A}")
    assert group["cohort"] == COHORT and group["commission"] == f"Commande du {GROUP_A}"
    assert store.group_by_id(group["id"])["name"] == GROUP_A
    assert [g["name"] for g in store.list_groups(COHORT)] == [GROUP_A, GROUP_B]
    with pytest.raises(Conflict, match=f"already has a group named '{GROUP_A}'"):
        store.add_group(COHORT, GROUP_A)
    with pytest.raises(StoreError, match="cannot contain '/'"):
        store.add_group(COHORT, "A/B")


def test_unknown_group_lists_known_ones(cohort_store: JournalStore):
    with pytest.raises(NotFound) as caught:
        cohort_store.group("Groupe Inconnu")
    message = str(caught.value)
    assert message.startswith("no group 'Groupe Inconnu' (known: ")
    assert f"{COHORT}/{GROUP_A}" in message and f"{COHORT}/{GROUP_B}" in message


def test_ambiguous_bare_group_name_asks_for_cohort(cohort_store: JournalStore):
    store = cohort_store
    store.add_cohort("Promotion 2027", framework_id=default_framework().id)
    store.add_group("Promotion 2027", GROUP_A)
    with pytest.raises(StoreError, match="write COHORT/GROUP") as caught:
        store.group(GROUP_A)
    assert not isinstance(caught.value, NotFound)
    assert f"{COHORT}/{GROUP_A}" in str(caught.value)
    assert f"Promotion 2027/{GROUP_A}" in str(caught.value)
    assert store.group(f"Promotion 2027/{GROUP_A}")["cohort"] == "Promotion 2027"
    with pytest.raises(StoreError, match="write COHORT/GROUP"):
        store.add_member(GROUP_A, "zoe", "learner")


def test_members_roles_and_bad_role(cohort_store: JournalStore):
    store = cohort_store
    group = store.group(GROUP_A)
    members = {m["user"]: m["role"] for m in store.members(group["id"])}
    assert members == {
        "camille": "learner",
        "yanis": "learner",
        "lea": "learner",
        "nadia": "tutor",
        "helene": "coordinator",
    }
    with pytest.raises(StoreError, match="role must be one of learner, tutor, coordinator; got 'admin'"):
        store.add_member(GROUP_A, "zoe", "admin")
    assert "zoe" not in {m["user"] for m in store.members(group["id"])}
    # Adding again changes the role instead of duplicating the membership.
    store.add_member(GROUP_A, "lea", "tutor")
    assert [m["role"] for m in store.memberships("lea")] == ["tutor"]
    assert store.display_name("nadia") == "Nadia Benali"
    assert store.display_name("unknown") == "unknown"
    with pytest.raises(NotFound, match="no user named 'unknown'"):
        store.user("unknown")


def test_memberships_name_group_cohort_and_language(cohort_store: JournalStore):
    rows = cohort_store.memberships("nadia")
    assert [(r["group_name"], r["role"], r["cohort"], r["language"]) for r in rows] == [
        (GROUP_A, "tutor", COHORT, "fr"),
        (GROUP_B, "tutor", COHORT, "fr"),
    ]


def test_membership_needs_existing_group_by_foreign_key(store: JournalStore):
    store.ensure_user("camille")
    with pytest.raises(sqlite3.IntegrityError), store.write() as db:
        db.execute("INSERT INTO memberships (group_id, user, role, added_at) VALUES (999, 'camille', 'learner', 'now')")


# --- templates and versions ------------------------------------------------------


def changed(template_id: str, prompt: str):
    """A built-in template with its first prompt rewritten."""
    template = builtin_template(template_id)
    first = replace(template.sections[0], prompt=prompt)
    return replace(template, sections=(first, *template.sections[1:]))


def test_saving_a_changed_template_makes_a_new_version(cohort_store: JournalStore):
    store = cohort_store
    v1 = store.find_template("shared-diagnostic-fr")
    assert v1["version"] == 1
    v2 = store.save_template(changed("shared-diagnostic-fr", "Nouvelle consigne."), author="helene")
    assert (v2["version"], v2["slug"], v2["created_by"]) == (2, "shared-diagnostic-fr", "helene")
    assert v2["id"] != v1["id"]
    assert v2["body"]["sections"][0]["prompt"] == "Nouvelle consigne."
    assert store.find_template("shared-diagnostic-fr")["id"] == v2["id"]
    assert store.find_template("shared-diagnostic-fr@1")["id"] == v1["id"]
    assert store.find_template(str(v1["id"]))["version"] == 1
    latest = {t["slug"]: t["version"] for t in store.list_templates()}
    assert latest["shared-diagnostic-fr"] == 2 and latest["journal-entry-fr"] == 1


def test_identical_template_body_reuses_the_version(cohort_store: JournalStore):
    store = cohort_store
    before = store.counts()["template_versions"]
    again = store.save_template(builtin_template("journal-entry-fr"), author="helene")
    assert again["version"] == 1 and again["created_by"] == "journal-ext"
    assert store.counts()["template_versions"] == before
    # Going back to an older body reuses that older version rather than making v3.
    store.save_template(changed("journal-entry-fr", "Autre consigne."), author="helene")
    back = store.save_template(builtin_template("journal-entry-fr"), author="helene")
    assert back["version"] == 1
    assert store.counts()["template_versions"] == before + 1


def test_template_kind_cannot_change(cohort_store: JournalStore):
    other = replace(builtin_template("journal-entry-fr"), kind="field_observation")
    with pytest.raises(Conflict, match="cannot change its kind"):
        cohort_store.save_template(other, author="helene")


def test_unknown_template_reference(cohort_store: JournalStore):
    with pytest.raises(NotFound, match=r"no template 'nope' \(known: .*journal-entry-fr"):
        cohort_store.find_template("nope")
    with pytest.raises(NotFound):
        cohort_store.find_template("journal-entry-fr@9")
    with pytest.raises(StoreError, match="must be a number"):
        cohort_store.find_template("journal-entry-fr@latest")
    with pytest.raises(NotFound, match="no template version with id 99999"):
        cohort_store.find_template("99999")


def test_assigning_v2_keeps_documents_made_from_v1(cohort_store: JournalStore):
    store = cohort_store
    group = store.group(GROUP_A)
    v1 = next(v for v in store.group_templates(group["id"]) if v["kind"] == "shared_diagnostic")
    cells = [markdown("t", "# Diagnostic"), markdown("p", "Consigne v1", role="prompt", section="commission")]
    document = store.create_document(
        kind="shared_diagnostic",
        title="Diagnostic",
        owner="camille",
        group_id=group["id"],
        visibility="group",
        template_version_id=v1["id"],
        cells=cells,
    )
    before = store.cells(document["id"])
    v2 = store.save_template(changed("shared-diagnostic-fr", "Consigne v2"), author="helene")
    store.assign_template(group["id"], v2["id"], by="helene")
    assigned = {v["kind"]: v["id"] for v in store.group_templates(group["id"])}
    assert assigned["shared_diagnostic"] == v2["id"]
    assert len(assigned) == 5  # still one template per kind
    assert store.document(document["id"])["template_version_id"] == v1["id"]
    assert store.cells(document["id"]) == before
    # The other group keeps v1.
    other = store.group(GROUP_B)
    assert {v["kind"]: v["id"] for v in store.group_templates(other["id"])}["shared_diagnostic"] == v1["id"]


# --- documents, saves and history ------------------------------------------------


def test_create_document_records_revision_one(store: JournalStore):
    document = new_document(store)
    assert document["revision"] == 1 and document["metadata"] == {}
    cells = store.cells(document["id"])
    assert [(c.cell_id, c.position, c.source, c.author) for c in cells] == [
        ("a", 0, "A", "camille"),
        ("b", 1, "B", "camille"),
        ("c", 2, "C", "camille"),
    ]
    history = store.cell_revisions(document["id"])
    assert [(h["revision"], h["cell_id"], h["change"]) for h in history] == [
        (1, "a", "added"),
        (1, "b", "added"),
        (1, "c", "added"),
    ]
    with pytest.raises(StoreError, match="visibility must be one of"):
        store.create_document(
            kind="learning_journal",
            title="x",
            owner="camille",
            group_id=None,
            visibility="public",
            template_version_id=None,
            cells=[],
        )
    with pytest.raises(NotFound, match="no document with id 999"):
        store.document(999)


def test_save_cells_detects_added_edited_moved_deleted(store: JournalStore):
    document = new_document(store)
    a, _b, c = store.cells(document["id"])
    # c moves first, a is edited, b is deleted, d is new.
    result = store.save_cells(
        document["id"],
        [c, replace(a, source="A edited"), markdown("d", "D")],
        author="yanis",
    )
    assert result.revision == 2
    assert result.changes == {"c": "moved", "a": "edited", "b": "deleted", "d": "added"}
    assert [(x.cell_id, x.position, x.source) for x in store.cells(document["id"])] == [
        ("c", 0, "C"),
        ("a", 1, "A edited"),
        ("d", 2, "D"),
    ]
    history = [
        (h["revision"], h["cell_id"], h["change"], h["source"], h["author"])
        for h in store.cell_revisions(document["id"])
        if h["revision"] == 2
    ]
    assert sorted(history) == sorted(
        [
            (2, "c", "moved", "C", "yanis"),
            (2, "a", "edited", "A edited", "yanis"),
            (2, "d", "added", "D", "yanis"),
            (2, "b", "deleted", "B", "yanis"),
        ]
    )
    revisions = list(
        store.db.query("SELECT * FROM revisions WHERE document_id = ? ORDER BY revision", [document["id"]])
    )
    assert [(r["revision"], r["base_revision"], r["author"]) for r in revisions] == [
        (1, None, "camille"),
        (2, 1, "yanis"),
    ]


def test_metadata_and_output_changes_count_as_edits(store: JournalStore):
    code = CellRow(cell_id="k", position=0, cell_type="code", source="1 + 1")
    document = new_document(store, cells=[code])
    ran = replace(
        code,
        outputs=[{"output_type": "execute_result", "data": {"text/plain": "2"}, "metadata": {}, "execution_count": 1}],
        execution_count=1,
    )
    assert store.save_cells(document["id"], [ran], author="camille").changes == {"k": "edited"}
    tagged = replace(ran, metadata={"tags": ["x"]})
    assert store.save_cells(document["id"], [tagged], author="camille").changes == {"k": "edited"}
    assert store.cells(document["id"])[0] == replace(tagged, author="camille")


def test_unchanged_save_makes_no_revision(store: JournalStore):
    document = new_document(store)
    result = store.save_cells(document["id"], store.cells(document["id"]), author="yanis")
    assert (result.revision, result.changes) == (1, {})
    assert store.document(document["id"])["revision"] == 1
    assert len(store.cell_revisions(document["id"])) == 3
    # Notebook metadata alone is kept (kernelspec must survive) but is no revision:
    # the history lists what people wrote.
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    result = store.save_cells(document["id"], store.cells(document["id"]), author="yanis", metadata=meta)
    assert result.revision == 1 and result.changes == {}
    assert store.document(document["id"])["metadata"] == meta
    assert len(store.revisions(document["id"])) == 1


def test_authorship_is_per_cell(store: JournalStore):
    document = new_document(store)
    a, b, c = store.cells(document["id"])
    store.save_cells(document["id"], [a, replace(b, source="B by yanis"), c], author="yanis")
    a, b, c = store.cells(document["id"])
    store.save_cells(document["id"], [a, b, replace(c, source="C by lea")], author="lea")
    authors = {x.cell_id: x.author for x in store.cells(document["id"])}
    assert authors == {"a": "camille", "b": "yanis", "c": "lea"}
    # Moving a cell does not make the mover its author.
    a, b, c = store.cells(document["id"])
    result = store.save_cells(document["id"], [b, a, c], author="nadia")
    assert result.changes == {"a": "moved", "b": "moved"}
    assert {x.cell_id: x.author for x in store.cells(document["id"])} == authors


def test_duplicate_cell_ids_are_refused(store: JournalStore):
    document = new_document(store)
    with pytest.raises(StoreError, match="same id"):
        store.save_cells(document["id"], [markdown("a", "1"), markdown("a", "2")], author="camille")
    assert store.document(document["id"])["revision"] == 1


def test_revision_numbers_increase(store: JournalStore):
    document = new_document(store)
    seen = []
    for n in range(5):
        cells = store.cells(document["id"])
        seen.append(
            store.save_cells(document["id"], [replace(cells[0], source=f"v{n}"), *cells[1:]], author="camille").revision
        )
    assert seen == [2, 3, 4, 5, 6]
    history = store.cell_revisions(document["id"])
    assert [h["revision"] for h in history] == sorted(h["revision"] for h in history)
    assert [h["source"] for h in history if h["cell_id"] == "a"] == ["A", "v0", "v1", "v2", "v3", "v4"]


def test_cell_revisions_are_append_only(store: JournalStore):
    document = new_document(store)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE cell_revisions SET source = 'rewritten'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM cell_revisions")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"), store.write() as db:
        db.execute("DELETE FROM cell_revisions WHERE cell_id = 'a'")
    assert [h["source"] for h in store.cell_revisions(document["id"])] == ["A", "B", "C"]


def test_list_documents_by_owner_or_group(cohort_store: JournalStore):
    store = cohort_store
    group = store.group(GROUP_A)
    mine = new_document(store, owner="camille")
    shared = store.create_document(
        kind="shared_diagnostic",
        title="Diagnostic",
        owner="yanis",
        group_id=group["id"],
        visibility="group",
        template_version_id=None,
        cells=[],
    )
    assert [d["id"] for d in store.list_documents(owner="camille")] == [mine["id"]]
    assert [d["id"] for d in store.list_documents(group_ids=[group["id"]])] == [shared["id"]]
    assert [d["id"] for d in store.list_documents(owner="camille", group_ids=[group["id"]])] == [
        mine["id"],
        shared["id"],
    ]
    assert store.list_documents() == []
    assert store.document(shared["id"])["cohort"] == COHORT


# --- backup ----------------------------------------------------------------------


def _keep_saving(path: str, document_id: int, started, stop) -> None:
    """Child process: edit cell 'a' again and again until told to stop."""
    with JournalStore(path) as store:
        n = 0
        while not stop.is_set():
            cells = store.cells(document_id)
            store.save_cells(document_id, [replace(cells[0], source=f"edit {n}"), *cells[1:]], author="yanis")
            n += 1
            if n == 5:
                started.set()


def _consistent(store: JournalStore, document_id: int) -> None:
    """Each save of the writer adds one revision and one cell revision: check the copy agrees."""
    revision = store.document(document_id)["revision"]
    revisions = [
        r["revision"]
        for r in store.db.query("SELECT revision FROM revisions WHERE document_id = ? ORDER BY revision", [document_id])
    ]
    assert revisions == list(range(1, revision + 1))
    assert len(store.cell_revisions(document_id)) == 3 + (revision - 1)
    last = store.cells(document_id)[0].source
    assert last == ("A" if revision == 1 else f"edit {revision - 2}")


def test_backup_is_a_sound_copy(cohort_store: JournalStore, tmp_path: Path):
    new_document(cohort_store)
    copy_path = tmp_path / "backups" / "copy.db"
    cohort_store.backup(copy_path)
    with JournalStore(copy_path, migrate=False) as copy:
        assert copy.integrity_check() == "ok"
        assert copy.schema_version() == cohort_store.schema_version()
        assert copy.counts() == cohort_store.counts()
        assert copy.list_groups() == cohort_store.list_groups()
    # Everyone's journals are in it: its owner's alone, whatever the umask.
    assert stat.S_IMODE(copy_path.stat().st_mode) == 0o600


def test_backup_while_another_process_writes(store: JournalStore, tmp_path: Path):
    document = new_document(store)
    before = store.counts()
    started, stop = SPAWN.Event(), SPAWN.Event()
    writer = SPAWN.Process(target=_keep_saving, args=(str(store.path), document["id"], started, stop))
    writer.start()
    try:
        assert started.wait(20), "the writer process did not start saving"
        store.backup(tmp_path / "copy.db")
    finally:
        stop.set()
        writer.join(20)
    assert writer.exitcode == 0
    after = store.counts()
    with JournalStore(tmp_path / "copy.db", migrate=False) as copy:
        assert copy.integrity_check() == "ok"
        counts = copy.counts()
        # The copy is one consistent moment of the writer's stream, taken while it ran.
        assert before["cell_revisions"] + 5 <= counts["cell_revisions"] <= after["cell_revisions"]
        assert {k: v for k, v in counts.items() if k != "cell_revisions"} == {
            k: v for k, v in after.items() if k != "cell_revisions"
        }
        _consistent(copy, document["id"])
    _consistent(store, document["id"])


def test_backup_refuses_to_overwrite(store: JournalStore, tmp_path: Path):
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"precious")
    with pytest.raises(Conflict, match="already exists; choose a new file name"):
        store.backup(existing)
    assert existing.read_bytes() == b"precious"


# --- crash safety ----------------------------------------------------------------


def _save_until_killed(path: str, document_id: int, report) -> None:
    """Child process: save revision after revision, reporting each one after its commit."""
    with JournalStore(path) as store:
        n = 0
        while True:
            cells = store.cells(document_id)
            result = store.save_cells(
                document_id,
                [replace(cells[0], source=f"edit {n} " + "x" * 2000), *cells[1:]],
                author="yanis",
            )
            report.send(result.revision)
            n += 1


def test_kill_9_in_the_middle_of_saves_keeps_the_file_sound(store: JournalStore):
    document = new_document(store)
    store.close()
    receive, send = SPAWN.Pipe(duplex=False)
    writer = SPAWN.Process(target=_save_until_killed, args=(str(store.path), document["id"], send))
    writer.start()
    send.close()
    committed = 0
    try:
        deadline = time.monotonic() + 20
        while committed < 30 and time.monotonic() < deadline:
            if receive.poll(0.5):
                committed = receive.recv()
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(10)
    assert writer.exitcode == -signal.SIGKILL
    while receive.poll(0):  # revisions reported just before the kill
        try:
            committed = receive.recv()
        except EOFError:
            break
    assert committed >= 30
    with JournalStore(store.path) as reopened:
        assert reopened.integrity_check() == "ok"
        revision = reopened.document(document["id"])["revision"]
        # Every reported commit survived; at most the save in flight is lost or kept whole.
        assert revision in (committed, committed + 1)
        _consistent_after_crash(reopened, document["id"], revision)
        reopened.save_cells(document["id"], [markdown("z", "after the crash")], author="camille")
        assert reopened.document(document["id"])["revision"] == revision + 1


def _consistent_after_crash(store: JournalStore, document_id: int, revision: int) -> None:
    revisions = [
        r["revision"]
        for r in store.db.query("SELECT revision FROM revisions WHERE document_id = ? ORDER BY revision", [document_id])
    ]
    assert revisions == list(range(1, revision + 1))
    assert len(store.cell_revisions(document_id)) == 3 + (revision - 1)
    assert store.cells(document_id)[0].source.startswith(f"edit {revision - 2} ")


def test_a_document_in_an_unknown_group_is_refused_clearly(store: JournalStore):
    with pytest.raises(NotFound, match="no group with id 404"):
        store.create_document(
            kind="learning_journal",
            title="Entrée",
            owner="camille",
            group_id=404,
            visibility="tutors",
            template_version_id=None,
            cells=[],
        )
    assert store.counts()["documents"] == 0


def test_a_large_wal_file_is_checkpointed_down_to_nothing(tmp_path: Path) -> None:
    with JournalStore(tmp_path / "journal.db") as store:
        store.ensure_user("camille")
        wal = tmp_path / "journal.db-wal"
        assert wal.stat().st_size > 0
        assert store.checkpoint_if_large(limit=10**9) is False
        assert store.checkpoint_if_large(limit=0) is True
        assert wal.stat().st_size == 0
        assert store.user("camille")["name"] == "camille"

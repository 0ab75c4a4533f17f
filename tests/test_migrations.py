"""Schema migrations: an old journal file upgrades without losing a row."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database

from journal_ext.db import (
    SCHEMA_VERSION,
    JournalStore,
    StoreError,
    apply_migrations,
    migrations,
)

NOW = "2025-09-01T08:00:00.000000+00:00"

TABLES = (
    "users",
    "frameworks",
    "domains",
    "competences",
    "cohorts",
    "groups",
    "memberships",
    "templates",
    "template_versions",
    "group_templates",
    "documents",
    "cells",
    "revisions",
    "cell_revisions",
)

FIRST_SCHEMA_ROWS = f"""
INSERT INTO users VALUES ('camille', 'Camille Martin', '{NOW}');
INSERT INTO users VALUES ('nadia', 'Nadia Benali', '{NOW}');
INSERT INTO frameworks VALUES ('ccb-isdcp', 1, 'Ingénierie sociale', 'Social engineering', '{{"id": "ccb-isdcp"}}', '{NOW}');
INSERT INTO domains VALUES ('ccb-isdcp', 'DC1', 'Concevoir des dispositifs d''observation', 'Design observation', 0);
INSERT INTO competences VALUES ('ccb-isdcp', 'C1.1', 'DC1', 'Observer', 'Observe', 0);
INSERT INTO cohorts VALUES (1, 'Promotion 2025-2026', 'fr', 'ccb-isdcp', '{NOW}');
INSERT INTO groups VALUES (7, 1, 'Groupe Maurepas', 'Commande du centre social', '{NOW}');
INSERT INTO memberships VALUES (7, 'camille', 'learner', '{NOW}');
INSERT INTO memberships VALUES (7, 'nadia', 'tutor', '{NOW}');
INSERT INTO templates VALUES (3, 'journal-entry-fr', 'learning_journal', 'fr');
INSERT INTO template_versions VALUES (5, 3, 1, 'Journal d''apprentissage', '{{"sections": []}}', 'abc', '{NOW}', 'helene');
INSERT INTO group_templates VALUES (7, 'learning_journal', 5, '{NOW}', 'helene');
INSERT INTO documents VALUES (11, 'learning_journal', 'Entrée du 5 octobre', 'camille', 7, 'tutors', 5, 2, '{NOW}', '{NOW}');
INSERT INTO cells VALUES (11, 'title', 0, 'markdown', '# Entrée', NULL, '[]', 'camille', '{{}}', '[]', NULL);
INSERT INTO cells VALUES (11, 'answer', 1, 'markdown', 'Nous avons rencontré la directrice.', 'situation', '["DC1"]', 'camille', '{{"journal": {{"schema_version": 1, "role": "answer", "section": "situation"}}}}', '[]', NULL);
INSERT INTO cells VALUES (11, 'code', 2, 'code', 'print(1)', NULL, '[]', 'camille', '{{}}', '[{{"output_type": "stream", "name": "stdout", "text": "1\\n"}}]', 1);
INSERT INTO revisions VALUES (11, 1, NULL, 'camille', '{NOW}');
INSERT INTO revisions VALUES (11, 2, 1, 'camille', '{NOW}');
INSERT INTO cell_revisions VALUES (1, 11, 1, 'title', 'added', 0, 'markdown', '# Entrée', 'camille', '{NOW}');
INSERT INTO cell_revisions VALUES (2, 11, 1, 'answer', 'added', 1, 'markdown', '', 'camille', '{NOW}');
INSERT INTO cell_revisions VALUES (3, 11, 2, 'answer', 'edited', 1, 'markdown', 'Nous avons rencontré la directrice.', 'camille', '{NOW}');
INSERT INTO cell_revisions VALUES (4, 11, 2, 'code', 'added', 2, 'code', 'print(1)', 'camille', '{NOW}');
"""


def make_first_schema_file(path: Path) -> dict[str, list[tuple]]:
    """A journal file as the first release wrote it (migration 0001 only), with a row in every table."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    db = Database(conn)
    apply_migrations(db, stop_before="0002_notebook_metadata")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "metadata" not in db.table("documents").columns_dict
    with db.atomic():
        for statement in FIRST_SCHEMA_ROWS.strip().splitlines():
            db.execute(statement)
    rows = dump(conn)
    conn.close()
    return rows


def dump(conn: sqlite3.Connection, columns_of: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every journal table, ordered, restricted to the given columns."""
    rows = {}
    for table in TABLES:
        columns = (columns_of or {}).get(table) or [c[1] for c in conn.execute(f"PRAGMA table_info([{table}])")]
        names = ", ".join(f"[{c}]" for c in columns)
        rows[table] = conn.execute(f"SELECT {names} FROM [{table}] ORDER BY 1, 2, 3").fetchall()
    return rows


def columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    return {t: [c[1] for c in conn.execute(f"PRAGMA table_info([{t}])")] for t in TABLES}


def test_first_schema_file_upgrades_without_losing_a_row(tmp_path: Path):
    path = tmp_path / "old.db"
    before = make_first_schema_file(path)
    conn = sqlite3.connect(path)
    old_columns = columns(conn)
    conn.close()
    assert all(before[t] for t in TABLES), "every table holds a row before the upgrade"

    with JournalStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        applied = [m.name for m in migrations.applied(store.db)]
        assert applied == [
            "0001_initial",
            "0002_notebook_metadata",
            "0003_cell_attachments",
            "0004_history_details_and_trash",
            "0005_cell_search",
            "0006_annotations",
            "0007_competence_evidence",
            "0008_catalogue_stamp",
            "0009_shared_stay_shared",
            "0010_catalogue_scopes",
        ]
        assert len(applied) == SCHEMA_VERSION and migrations.pending(store.db) == []
        assert applied == sorted(applied), "migrations run in their numbered order"
        after = dump(store.db.conn, old_columns)
        assert after == before
        document = store.document(11)
        assert document["metadata"] == {}
        assert document["revision"] == 2 and document["group_name"] == "Groupe Maurepas"
        assert "cell_revisions_document_cell" in {i.name for i in store.db.table("cell_revisions").indexes}
        cells = store.cells(11)
        assert [c.cell_id for c in cells] == ["title", "answer", "code"]
        assert cells[1].domains == ("DC1",) and cells[1].section_key == "situation"
        assert cells[2].outputs == [{"output_type": "stream", "name": "stdout", "text": "1\n"}]

        # The upgraded store works on the old document.
        result = store.save_cells(
            11,
            [cells[0], replace(cells[1], source="Texte repris après la mise à jour."), cells[2]],
            author="camille",
            metadata={"kernelspec": {"name": "python3"}},
        )
        assert (result.revision, result.changes) == (3, {"answer": "edited"})
        assert store.document(11)["metadata"] == {"kernelspec": {"name": "python3"}}
        assert {c.cell_id: c.author for c in store.cells(11)} == {
            "title": "camille",
            "answer": "camille",
            "code": "camille",
        }
        assert len(store.cell_revisions(11)) == 5
        assert store.group("Groupe Maurepas")["id"] == 7
        assert [m["role"] for m in store.memberships("nadia")] == ["tutor"]
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store.db.execute("DELETE FROM cell_revisions")


def test_upgrade_keeps_the_journal_mode_and_the_old_rows_readable_by_json(tmp_path: Path):
    path = tmp_path / "old.db"
    make_first_schema_file(path)
    with JournalStore(path) as store:
        body = json.loads(next(store.db.query("SELECT body FROM frameworks"))["body"])
        assert body == {"id": "ccb-isdcp"}
        assert next(store.db.query("PRAGMA journal_mode"))["journal_mode"] == "wal"


def test_opening_twice_is_idempotent(tmp_path: Path):
    path = tmp_path / "journal.db"
    make_first_schema_file(path)
    with JournalStore(path) as store:
        first = (dump(store.db.conn), [m.name for m in migrations.applied(store.db)])
    with JournalStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert migrations.pending(store.db) == []
        assert (dump(store.db.conn), [m.name for m in migrations.applied(store.db)]) == first
        count = next(store.db.query("SELECT COUNT(*) AS n FROM _sqlite_migrations"))["n"]
        assert count == SCHEMA_VERSION


def test_new_file_gets_every_migration(tmp_path: Path):
    with JournalStore(tmp_path / "new.db") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert "metadata" in store.db.table("documents").columns_dict


def test_newer_schema_is_refused_with_a_clear_message(tmp_path: Path):
    path = tmp_path / "future.db"
    with JournalStore(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as caught:
        JournalStore(path)
    message = str(caught.value)
    assert f"schema {SCHEMA_VERSION + 1}" in message
    assert f"this version knows {SCHEMA_VERSION}" in message
    assert "upgrade journal_ext" in message
    assert str(path) in message
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


def test_migrate_false_leaves_an_old_file_alone(tmp_path: Path):
    path = tmp_path / "old.db"
    make_first_schema_file(path)
    with JournalStore(path, migrate=False) as store:
        assert store.schema_version() == 1
    with JournalStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION


def test_a_schema_5_file_gains_empty_annotation_tables_and_keeps_every_row(tmp_path: Path):
    path = tmp_path / "v5.db"
    make_first_schema_file(path)
    conn = sqlite3.connect(path)
    db = Database(conn)
    apply_migrations(db, stop_before="0006_annotations")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    assert not db.table("annotations").exists()
    before = dump(conn)
    conn.close()

    with JournalStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert dump(store.db.conn) == before
        assert store.counts()["annotations"] == store.counts()["annotation_replies"] == 0
        assert "annotations_document" in {i.name for i in store.db.table("annotations").indexes}
        # The old document can be annotated straight away.
        note = store.add_annotation(
            document_id=11,
            cell_id="answer",
            author="nadia",
            motivation="commenting",
            audience="learner",
            body="Qui d'autre était là ?",
            exact="la directrice",
            prefix="Nous avons rencontré ",
            suffix=".",
            start=21,
            end=34,
        )
        assert store.annotations(11) == [note]
        reply = store.add_reply(note["id"], author="camille", body="L'équipe d'animation.")
        assert store.replies([note["id"]]) == [reply]
        # The schema refuses what the library never writes: a backwards passage, an unknown audience.
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            store.db.execute(
                "INSERT INTO annotations (document_id, cell_id, author, motivation, audience, body, exact,"
                " position_start, position_end, created_at, modified_at)"
                " VALUES (11, 'answer', 'nadia', 'commenting', 'learner', 'x', 'x', 5, 2, 'now', 'now')"
            )
        with pytest.raises(StoreError, match="audience must be one of learner, group, tutors; got 'everyone'"):
            store.update_annotation(note["id"], audience="everyone")


def test_a_schema_6_file_gains_an_empty_evidence_log_and_keeps_every_row(tmp_path: Path):
    """The previous schema version, upgraded: every row kept, the passport tables empty and usable."""
    path = tmp_path / "v6.db"
    make_first_schema_file(path)
    conn = sqlite3.connect(path)
    db = Database(conn)
    apply_migrations(db, stop_before="0007_competence_evidence")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    assert not db.table("evidence_events").exists()
    before = dump(conn)
    conn.close()

    with JournalStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert dump(store.db.conn) == before
        assert store.counts()["evidence_events"] == store.counts()["self_positionings"] == 0
        claim = store.append_evidence_event(
            "claim",
            "camille",
            learner="camille",
            document_id=11,
            cell_id="answer",
            competence="DC1.1",
            exact="la directrice",
            prefix="",
            suffix="",
            position_start=21,
            position_end=34,
        )
        assert claim["evidence_id"] == claim["id"]
        assert store.evidence_events(learner="camille") == [claim]
        # The schema refuses a state the rules never write.
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            store.db.execute(
                "INSERT INTO evidence_events (kind, actor, at, evidence_id, role, state)"
                " VALUES ('assess', 'nadia', 'now', ?, 'tutor', 'brilliant')",
                [claim["id"]],
            )


def test_the_catalogue_stamp_moves_when_a_path_may_change_and_not_when_text_is_saved(tmp_path: Path):
    """Migration 0008: one counter bumped by whatever decides where documents appear under Journal/."""
    path = tmp_path / "v7.db"
    make_first_schema_file(path)
    conn = sqlite3.connect(path)
    apply_migrations(Database(conn), stop_before="0008_catalogue_stamp")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    # Up to 0010, which hands documents' changes over to per-scope stamps (next test).
    apply_migrations(Database(conn), stop_before="0010_catalogue_scopes")
    conn.close()

    with JournalStore(path, migrate=False) as store:
        assert store.schema_version() == 9
        stamp = store.catalogue_stamp()

        def moved(action) -> bool:
            nonlocal stamp
            action()
            before, stamp = stamp, store.catalogue_stamp()
            return stamp != before

        cells = store.cells(11)
        edited = [replace(cells[0], source=cells[0].source + " Et après ?"), *cells[1:]]
        assert not moved(lambda: store.save_cells(11, edited, author="camille"))
        assert moved(lambda: store.rename_document(11, "Première visite"))
        assert moved(lambda: store.set_visibility(11, "group"))
        assert moved(lambda: store.set_trashed(11, by="camille"))
        assert moved(lambda: store.set_trashed(11, by=None))
        assert moved(lambda: store.ensure_user("camille", "Camille M."))
        assert not moved(lambda: store.ensure_user("camille", "Camille M."))
        assert moved(lambda: store.add_member("Promotion 2025-2026/Groupe Maurepas", "lea", "learner"))


def test_a_documents_change_moves_the_stamps_of_its_scopes_and_no_one_elses(tmp_path: Path):
    """Migration 0010: a document moves the stamps of its owner, its group and whom it is shared with, no others."""
    path = tmp_path / "v9.db"
    make_first_schema_file(path)
    conn = sqlite3.connect(path)
    apply_migrations(Database(conn), stop_before="0010_catalogue_scopes")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 9
    conn.close()

    scopes = ("owner:camille", "owner:nadia", "group:7", "group:8", "shared:7", "shared:8", "cohort:1")
    with JournalStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        # No scope has moved yet: each reads 0 (the catalogue stamp keeps its value).
        stamps = store.catalogue_stamps(scopes)
        assert stamps[0] == store.catalogue_stamp() and stamps[1:] == (0,) * len(scopes)

        def moved(action) -> set[str]:
            nonlocal stamps
            action()
            before, stamps = stamps, store.catalogue_stamps(scopes)
            return {name for name, old, new in zip(("catalogue", *scopes), before, stamps, strict=True) if new != old}

        cells = store.cells(11)
        edited = [replace(cells[0], source=cells[0].source + " Et après ?"), *cells[1:]]
        assert moved(lambda: store.save_cells(11, edited, author="camille")) == set()
        # Camille's entry in group 7, read by its tutors only: her scope and the group's (its tutors').
        assert moved(lambda: store.rename_document(11, "Première visite")) == {"owner:camille", "group:7"}
        # Shared with the group, then with the cohort: the group's shared scope, then the cohort's, see it come.
        mine = {"owner:camille", "group:7"}
        assert moved(lambda: store.set_visibility(11, "group")) == mine | {"shared:7"}
        assert moved(lambda: store.set_visibility(11, "cohort")) == mine | {"shared:7", "cohort:1"}
        assert moved(lambda: store.set_trashed(11, by="camille")) == mine | {"shared:7", "cohort:1"}
        assert moved(lambda: store.set_trashed(11, by=None)) == mine | {"shared:7", "cohort:1"}
        # Back to fewer readers: the scopes it leaves see it go.
        assert moved(lambda: store.set_visibility(11, "group")) == mine | {"shared:7", "cohort:1"}
        assert moved(lambda: store.set_visibility(11, "tutors")) == mine | {"shared:7"}
        assert moved(lambda: store.rename_document(11, "Première visite (bis)")) == mine
        assert moved(lambda: store.save_cells(11, cells, author="camille")) == set()

        def create(owner: str, group_id: int | None, visibility: str) -> None:
            store.create_document(
                kind="learning_journal",
                title="Notes",
                owner=owner,
                group_id=group_id,
                visibility=visibility,
                template_version_id=None,
                cells=[],
            )

        # A document outside any group is its owner's alone.
        assert moved(lambda: create("nadia", None, "private")) == {"owner:nadia"}
        # Groups, memberships and display names still move the one catalogue stamp.
        assert moved(lambda: store.add_group("Promotion 2025-2026", "Groupe Bastide")) == {"catalogue"}
        assert store.group("Promotion 2025-2026/Groupe Bastide")["id"] == 8
        assert moved(lambda: store.add_member("Promotion 2025-2026/Groupe Bastide", "camille", "learner")) == {
            "catalogue"
        }
        assert moved(lambda: store.ensure_user("nadia", "Nadia B.")) == {"catalogue"}
        assert moved(lambda: create("camille", 8, "cohort")) == {"owner:camille", "group:8", "shared:8", "cohort:1"}
        latest = max(d["id"] for d in store.list_documents(owner="camille"))

        def delete() -> None:
            with store.write() as db:
                db.execute("DELETE FROM documents WHERE id = ?", [latest])

        assert moved(delete) == {"owner:camille", "group:8", "shared:8", "cohort:1"}
        # A scope never moved, and unknown ones, read as 0.
        assert store.catalogue_stamps(["owner:ines", "group:99"])[1:] == (0, 0)

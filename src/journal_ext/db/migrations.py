"""The schema: numbered migrations. Never edit one that has shipped; add another."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

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
        """
    )


@migrations(name="0003_cell_attachments")
def _m0003_cell_attachments(db: Database) -> None:
    # Images pasted into a markdown cell live in the cell's attachments: keep them.
    db.executescript(
        """
        ALTER TABLE cells ADD COLUMN attachments TEXT NOT NULL DEFAULT '{}';
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
    ):
        db.execute(statement)


@migrations(name="0010_catalogue_scopes")
def _m0010_catalogue_scopes(db: Database) -> None:
    # Migration 0008's single counter moved with every new document, so one
    # learner's journal entry made every tutor's kept folder map stale. A
    # document can only appear to its owner, to the tutors of its group, to
    # the group's other members and the cohort's coordinators once it is
    # shared with the group, and to everyone in the cohort once shared with
    # the cohort. So a change to a document now moves only the stamps of
    # those scopes, for the row as it was and as it is:
    #   'owner:<user>'  always;
    #   'group:<id>'    always, when it is in a group (its tutors read it);
    #   'shared:<id>'   when it is shared with the group or the cohort;
    #   'cohort:<id>'   when it is shared with the cohort (through its group).
    # A missing row reads as 0; rows are never deleted, so a stamp never goes
    # back. Groups, memberships and display names (who sees which group,
    # folder names) still move the one counter of 0008, which every kept
    # folder map also checks.
    statements = [
        "CREATE TABLE catalogue_scopes (scope TEXT PRIMARY KEY, stamp INTEGER NOT NULL) WITHOUT ROWID",
    ]

    def scopes_of(row: str) -> str:
        # 'group:' || NULL is NULL: a document outside any group has only its owner's scope.
        return (
            f"SELECT 'owner:' || {row}.owner AS scope"
            f" UNION SELECT 'group:' || {row}.group_id"
            f" UNION SELECT 'shared:' || {row}.group_id WHERE {row}.visibility IN ('group', 'cohort')"
            f" UNION SELECT 'cohort:' || groups.cohort_id FROM groups"
            f" WHERE groups.id = {row}.group_id AND {row}.visibility = 'cohort'"
        )

    columns = "title, owner, kind, group_id, visibility, deleted_at, created_at"
    for event, what, rows in (
        ("insert", "INSERT", ("NEW",)),
        ("delete", "DELETE", ("OLD",)),
        ("update", f"UPDATE OF {columns}", ("OLD", "NEW")),
    ):
        statements += [
            f"DROP TRIGGER catalogue_documents_{event}",
            f"CREATE TRIGGER catalogue_documents_{event} AFTER {what} ON documents BEGIN"
            " INSERT INTO catalogue_scopes (scope, stamp)"
            f" SELECT scope, 1 FROM ({' UNION '.join(scopes_of(row) for row in rows)}) WHERE scope IS NOT NULL"
            " ON CONFLICT(scope) DO UPDATE SET stamp = stamp + 1; END",
        ]
    for statement in statements:
        db.execute(statement)


def apply_migrations(db: Database, *, stop_before: str | None = None) -> int:
    """Apply the pending migrations (up to ``stop_before``) and record the schema version; returns it.

    The version is the number of migrations applied (sqlite-utils keeps their
    names in ``_sqlite_migrations``), written to ``PRAGMA user_version`` so
    that any SQLite tool can read it.
    """
    migrations.apply(db, stop_before=stop_before)
    version = len(migrations.applied(db))
    db.execute(f"PRAGMA user_version = {int(version)}")
    return version


# The schema this code writes: one version per migration.
SCHEMA_VERSION = len(migrations.pending(Database(memory=True)))

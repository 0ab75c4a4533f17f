"""Changing who may read a document: the store, the library rule (owner only) and PATCH documents/<id>."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from journal_ext.core.documents import (
    create_from_template,
    move_to_trash,
    set_visibility,
    write_sections,
)
from journal_ext.core.permissions import PermissionDenied, may_read, viewer_for
from journal_ext.core.templates import builtin_templates
from journal_ext.db import JournalStore, NotFound, StoreError

from .conftest import GROUP_A, GROUP_B, fetch_json

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True

DAY = dt.date(2026, 10, 5)


def create(store: JournalStore, user: str, kind: str, group: str | None = GROUP_A) -> dict[str, Any]:
    """A document of one kind for a user, in a group of theirs or (group=None) personal."""
    if group is None:
        template = next(t for t in builtin_templates("fr") if t.kind == kind)
        version = store.find_template(template.id)
        group_id = None
    else:
        group_id = store.group(group)["id"]
        version = next(v for v in store.group_templates(group_id) if v["kind"] == kind)
    return create_from_template(
        store, viewer_for(store, user), template_version_id=version["id"], group_id=group_id, today=DAY
    )


# --- the store ---------------------------------------------------------------------


def test_store_changes_visibility_and_keeps_modified_at(cohort_store: JournalStore):
    store = cohort_store
    entry = create(store, "camille", "learning_journal")
    updated = store.set_visibility(entry["id"], "group")
    assert updated["visibility"] == "group"
    assert store.document(entry["id"])["visibility"] == "group"
    # Not a change of text: an open editor must not think someone saved meanwhile.
    assert updated["modified_at"] == entry["modified_at"]
    assert updated["revision"] == entry["revision"]


def test_store_refuses_an_unknown_visibility_and_an_unknown_document(cohort_store: JournalStore):
    store = cohort_store
    entry = create(store, "camille", "learning_journal")
    with pytest.raises(StoreError, match="visibility must be one of private, tutors, group, cohort; got 'public'"):
        store.set_visibility(entry["id"], "public")
    with pytest.raises(NotFound, match="no document with id 4242"):
        store.set_visibility(4242, "group")
    assert store.document(entry["id"])["visibility"] == "tutors"


# --- the library: owner only, valid values ---------------------------------------------


def test_owner_widens_a_journal_entry_to_the_group(cohort_store: JournalStore):
    store = cohort_store
    entry = create(store, "camille", "learning_journal")
    yanis = viewer_for(store, "yanis")
    assert not may_read(yanis, store.document(entry["id"]))
    set_visibility(store, viewer_for(store, "camille"), store.document(entry["id"]), "group")
    assert may_read(yanis, store.document(entry["id"]))
    set_visibility(store, viewer_for(store, "camille"), store.document(entry["id"]), "private")
    assert not may_read(viewer_for(store, "nadia"), store.document(entry["id"]))


@pytest.mark.parametrize("user", ["yanis", "nadia", "helene"])
def test_only_the_owner_changes_visibility(cohort_store: JournalStore, user: str):
    store = cohort_store
    diagnostic = create(store, "camille", "shared_diagnostic")
    with pytest.raises(PermissionDenied, match="only the person who created this document"):
        set_visibility(store, viewer_for(store, user), diagnostic, "private")
    assert store.document(diagnostic["id"])["visibility"] == "group"


@pytest.mark.parametrize("value", ["public", "", "Group", None, 3, ["group"]])
def test_a_visibility_outside_the_list_is_refused_with_the_list(cohort_store: JournalStore, value: Any):
    store = cohort_store
    entry = create(store, "camille", "learning_journal")
    with pytest.raises(StoreError) as caught:
        set_visibility(store, viewer_for(store, "camille"), entry, value)
    message = str(caught.value)
    assert not isinstance(caught.value, PermissionDenied)
    for choice in ("'private' (only you)", "'tutors'", "'group'", "'cohort' (everyone in the cohort)"):
        assert choice in message
    assert f"got {value!r}" in message


def test_a_personal_document_outside_any_group_stays_private(cohort_store: JournalStore):
    store = cohort_store
    store.ensure_user("solo")
    entry = create(store, "solo", "learning_journal", group=None)
    with pytest.raises(StoreError, match="belongs to no group"):
        set_visibility(store, viewer_for(store, "solo"), entry, "cohort")
    assert set_visibility(store, viewer_for(store, "solo"), entry, "private")["visibility"] == "private"


def test_a_document_in_the_trash_keeps_its_visibility(cohort_store: JournalStore):
    store = cohort_store
    camille = viewer_for(store, "camille")
    entry = move_to_trash(store, camille, create(store, "camille", "learning_journal"))
    with pytest.raises(PermissionDenied, match="in the trash"):
        set_visibility(store, camille, entry, "group")


# --- PATCH /journal/api/documents/<id> ----------------------------------------------------


def add_document(journal_db: Path, user: str, kind: str, visibility: str | None = None) -> dict[str, Any]:
    """Create a document straight in the server's journal file, as another process would."""
    with JournalStore(journal_db) as store:
        document = create(store, user, kind)
        if visibility:
            document = store.set_visibility(document["id"], visibility)
        return document


async def patch(jp_fetch: Any, document_id: int, body: str) -> Any:
    return await fetch_json(jp_fetch, "journal", "api", "documents", str(document_id), method="PATCH", body=body)


async def expect_error(jp_fetch: Any, status: int, document_id: int | str, body: str) -> str:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("journal", "api", "documents", str(document_id), method="PATCH", body=body)
    assert caught.value.code == status, caught.value.response.body
    return json.loads(caught.value.response.body)["message"]


async def test_patch_changes_the_visibility_of_ones_own_entry(jp_fetch, journal_db):
    entry = add_document(journal_db, "camille", "learning_journal")
    answer = await patch(jp_fetch, entry["id"], json.dumps({"visibility": "cohort"}))
    assert answer["id"] == entry["id"]
    assert answer["visibility"] == "cohort"
    assert answer["owner_name"] == "Camille"
    assert answer["path"].startswith("Journal/Mon journal/")
    listed = await fetch_json(jp_fetch, "journal", "api", "documents")
    assert {d["id"]: d["visibility"] for d in listed["documents"]}[entry["id"]] == "cohort"
    with JournalStore(journal_db) as store:
        assert store.document(entry["id"])["visibility"] == "cohort"


async def test_documents_list_names_owners_and_trash(jp_fetch, journal_db):
    mine = add_document(journal_db, "camille", "learning_journal")
    theirs = add_document(journal_db, "yanis", "shared_diagnostic")
    with JournalStore(journal_db) as store:
        move_to_trash(store, viewer_for(store, "camille"), store.document(mine["id"]))
    listed = {d["id"]: d for d in (await fetch_json(jp_fetch, "journal", "api", "documents"))["documents"]}
    assert listed[theirs["id"]]["owner_name"] == "Yanis"
    assert listed[theirs["id"]]["trashed"] is False
    assert listed[mine["id"]]["trashed"] is True


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("not json", "Invalid JSON"),
        ('"group"', "must be a JSON object"),
        ("{}", "'visibility' is required: one of private, tutors, group, cohort"),
        ('{"visibility": "group", "title": "x"}', "unknown field: title; only 'visibility' can be changed"),
        ('{"visibility": "everyone"}', "visibility must be one of 'private' (only you);"),
        ('{"visibility": "everyone"}', "got 'everyone'"),
        ('{"visibility": 2}', "got 2"),
        ('{"visibility": null}', "got None"),
    ],
)
async def test_patch_rejects_bad_input_with_a_message(jp_fetch, journal_db, body, fragment):
    entry = add_document(journal_db, "camille", "learning_journal")
    message = await expect_error(jp_fetch, 400, entry["id"], body)
    assert fragment in message
    with JournalStore(journal_db) as store:
        assert store.document(entry["id"])["visibility"] == "tutors"


async def test_patch_by_someone_who_can_read_but_does_not_own_is_403(jp_fetch, journal_db):
    diagnostic = add_document(journal_db, "yanis", "shared_diagnostic")
    message = await expect_error(jp_fetch, 403, diagnostic["id"], json.dumps({"visibility": "private"}))
    assert message == "only the person who created this document can change who may read it"
    with JournalStore(journal_db) as store:
        assert store.document(diagnostic["id"])["visibility"] == "group"


async def test_patch_on_a_hidden_or_missing_document_is_404(jp_fetch, journal_db):
    hidden = add_document(journal_db, "yanis", "learning_journal", visibility="private")
    message = await expect_error(jp_fetch, 404, hidden["id"], json.dumps({"visibility": "cohort"}))
    assert message == f"no document with id {hidden['id']}"
    message = await expect_error(jp_fetch, 404, 4242, json.dumps({"visibility": "cohort"}))
    assert message == "no document with id 4242"
    with JournalStore(journal_db) as store:
        assert store.document(hidden["id"])["visibility"] == "private"


async def test_a_reader_loses_a_document_as_soon_as_its_owner_narrows_it_elsewhere(jp_fetch, journal_db):
    """Camille's kept listing must not outlive Inès's change, made by another process (her own server)."""
    with JournalStore(journal_db) as store:
        entry = create(store, "ines", "learning_journal", group=GROUP_B)
        write_sections(store, viewer_for(store, "ines"), entry, {"situation": "Visite de la ressourcerie Tilleul."})
        store.set_visibility(entry["id"], "cohort")

    async def what_camille_sees() -> tuple[set[int], set[int]]:
        listed = (await fetch_json(jp_fetch, "journal", "api", "documents"))["documents"]
        found = (await fetch_json(jp_fetch, "journal", "api", "search", params={"q": "Tilleul"}))["results"]
        return {d["id"] for d in listed}, {r["document"]["id"] for r in found}

    listed, found = await what_camille_sees()
    assert entry["id"] in listed and entry["id"] in found
    path = next(
        d["path"]
        for d in (await fetch_json(jp_fetch, "journal", "api", "documents"))["documents"]
        if d["id"] == entry["id"]
    )
    await fetch_json(jp_fetch, "api", "contents", path)

    with JournalStore(journal_db) as store:
        store.set_visibility(entry["id"], "tutors")
    listed, found = await what_camille_sees()
    assert entry["id"] not in listed and entry["id"] not in found
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("api", "contents", path)
    assert caught.value.code == 404


# --- a group's shared documents stay shared ---------------------------------------------


@pytest.mark.parametrize("kind", ["shared_diagnostic", "synthesis_note", "professional_dossier"])
@pytest.mark.parametrize("narrower", ["private", "tutors"])
def test_no_one_narrows_a_shared_document_below_its_group(cohort_store: JournalStore, kind: str, narrower: str):
    store = cohort_store
    shared = create(store, "camille", kind)
    assert shared["visibility"] == "group"
    with pytest.raises(PermissionDenied, match="stays readable by the whole group, who write it together"):
        set_visibility(store, viewer_for(store, "camille"), shared, narrower)
    assert store.document(shared["id"])["visibility"] == "group"
    assert may_read(viewer_for(store, "yanis"), store.document(shared["id"]))
    # Widening to the cohort is allowed, and back to the group.
    assert set_visibility(store, viewer_for(store, "camille"), shared, "cohort")["visibility"] == "cohort"
    assert (
        set_visibility(store, viewer_for(store, "camille"), store.document(shared["id"]), "group")["visibility"]
        == "group"
    )


def test_a_shared_document_cannot_be_created_hidden_from_the_group(cohort_store: JournalStore):
    store = cohort_store
    group_id = store.group(GROUP_A)["id"]
    version = next(v for v in store.group_templates(group_id) if v["kind"] == "shared_diagnostic")
    with pytest.raises(PermissionDenied, match="stays readable by the whole group"):
        create_from_template(
            store,
            viewer_for(store, "camille"),
            template_version_id=version["id"],
            group_id=group_id,
            visibility="private",
        )
    assert [d for d in store.list_documents(owner="camille") if d["kind"] == "shared_diagnostic"] == []


async def test_patch_narrowing_a_shared_diagnostic_is_403_and_the_group_keeps_it(jp_fetch, journal_db):
    diagnostic = add_document(journal_db, "camille", "shared_diagnostic")
    for narrower in ("private", "tutors"):
        message = await expect_error(jp_fetch, 403, diagnostic["id"], json.dumps({"visibility": narrower}))
        assert message == (
            "a group's shared document stays readable by the whole group, who write it together:"
            " it can be read by the group ('group') or by the whole cohort ('cohort'), not by fewer people"
        )
    with JournalStore(journal_db) as store:
        assert store.document(diagnostic["id"])["visibility"] == "group"
        assert may_read(viewer_for(store, "yanis"), store.document(diagnostic["id"]))
    widened = await patch(jp_fetch, diagnostic["id"], json.dumps({"visibility": "cohort"}))
    assert widened["visibility"] == "cohort"


def test_the_upgrade_gives_narrowed_shared_documents_back_to_their_group(tmp_path: Path):
    """A file where an owner had hidden a shared diagnostic (before the rule) opens with it shared again."""
    from sqlite_utils import Database

    from journal_ext.db import migrations

    from .conftest import build_cohort

    path = tmp_path / "narrowed.db"
    with JournalStore(path) as store:
        build_cohort(store)
        diagnostic = create(store, "camille", "shared_diagnostic")
        entry = create(store, "camille", "learning_journal")
        store.set_visibility(diagnostic["id"], "private")
        store.set_visibility(entry["id"], "private")
        cell = store.cells(entry["id"])[0]
        store.db.execute(
            "UPDATE cells SET metadata = ? WHERE document_id = ? AND cell_id = ?",
            [json.dumps({**cell.metadata, "trusted": True}), entry["id"], cell.cell_id],
        )
        # Back to the schema before the rule, as a file written by the previous version.
        store.db.execute("DELETE FROM _sqlite_migrations WHERE name = '0009_shared_stay_shared'")
        store.db.execute("PRAGMA user_version = 8")
    assert [m.name for m in migrations.pending(Database(path))] == ["0009_shared_stay_shared"]
    with JournalStore(path) as store:
        assert store.document(diagnostic["id"])["visibility"] == "group"
        # A personal entry keeps what its owner chose.
        assert store.document(entry["id"])["visibility"] == "private"
        assert all("trusted" not in c.metadata for c in store.cells(entry["id"]))

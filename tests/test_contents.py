"""The Journal/ folder through the real contents API, beside the user's own files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from journal_ext.core.documents import create_from_template, write_sections
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore

from .conftest import GROUP_A, fetch_json, put_notebook

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True


async def create_entry(jp_fetch: Any, kind_index: int = 0) -> dict[str, Any]:
    template = (await fetch_json(jp_fetch, "journal", "api", "templates"))["templates"][kind_index]
    return await fetch_json(
        jp_fetch,
        "journal",
        "api",
        "documents",
        method="POST",
        body=json.dumps({"template_id": template["id"], "group_id": template["group"]["id"]}),
    )


async def expect_error(jp_fetch: Any, status: int, *parts: str, **kwargs: Any) -> str:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(*parts, **kwargs)
    assert caught.value.code == status, caught.value.response.body
    body = caught.value.response.body.decode("utf-8")
    # jupyter_server answers a GET 404 in plain text; every other error is JSON.
    return json.loads(body)["message"] if body.startswith("{") else body


async def test_root_listing_adds_journal_beside_users_files(jp_fetch, jp_root_dir):
    (jp_root_dir / "mes-notes.txt").write_text("à garder", encoding="utf-8")
    root = await fetch_json(jp_fetch, "api", "contents", "")
    names = {entry["name"]: entry["type"] for entry in root["content"]}
    assert names["Journal"] == "directory"
    assert names["mes-notes.txt"] == "file"
    own = await fetch_json(jp_fetch, "api", "contents", "mes-notes.txt")
    assert own["content"] == "à garder"


async def test_users_files_are_saved_by_the_wrapped_manager(jp_fetch, jp_root_dir):
    await jp_fetch(
        "api",
        "contents",
        "brouillon.txt",
        method="PUT",
        body=json.dumps({"type": "file", "format": "text", "content": "hors journal"}),
    )
    assert (Path(jp_root_dir) / "brouillon.txt").read_text(encoding="utf-8") == "hors journal"


async def test_journal_folder_lists_my_places(jp_fetch):
    await create_entry(jp_fetch, 0)  # learning journal
    await create_entry(jp_fetch, 1)  # field observation
    await create_entry(jp_fetch, 2)  # shared diagnostic
    listing = await fetch_json(jp_fetch, "api", "contents", "Journal")
    folders = sorted(entry["name"] for entry in listing["content"])
    assert folders == sorted(["Mon journal", "Terrain", GROUP_A])
    inside = await fetch_json(jp_fetch, "api", "contents", "Journal", "Mon journal")
    assert [entry["type"] for entry in inside["content"]] == ["notebook"]


async def test_open_edit_save_reopen(jp_fetch, journal_db):
    created = await create_entry(jp_fetch)
    model = await fetch_json(jp_fetch, "api", "contents", created["path"])
    notebook = model["content"]
    answer = next(
        cell
        for cell in notebook["cells"]
        if cell["metadata"]["journal"].get("role") == "answer" and cell["metadata"]["journal"]["section"] == "situation"
    )
    answer["source"] = "La directrice a ouvert la réunion en parlant de participation."
    saved = await put_notebook(jp_fetch, created["path"], notebook)
    assert saved["path"] == created["path"]
    assert saved["writable"] is True

    reopened = await fetch_json(jp_fetch, "api", "contents", created["path"])
    sources = [cell["source"] for cell in reopened["content"]["cells"]]
    assert "La directrice a ouvert la réunion en parlant de participation." in sources
    assert reopened["content"]["metadata"]["journal"]["revision"] == 2

    with JournalStore(journal_db) as store:
        history = store.cell_revisions(created["id"])
    edits = [row for row in history if row["change"] == "edited"]
    assert [(row["cell_id"], row["author"]) for row in edits] == [(answer["id"], "camille")]


PROTECTED_SECTION = "situation"


def prompt_of(notebook: dict[str, Any], section: str = PROTECTED_SECTION) -> dict[str, Any]:
    return next(
        cell
        for cell in notebook["cells"]
        if cell["metadata"]["journal"].get("role") == "prompt" and cell["metadata"]["journal"]["section"] == section
    )


def edit_the_consigne(notebook: dict[str, Any]) -> None:
    prompt_of(notebook)["source"] += "\n\nJ'ai réécrit la consigne."


def delete_the_consigne(notebook: dict[str, Any]) -> None:
    notebook["cells"].remove(prompt_of(notebook))


def unlock_the_consigne(notebook: dict[str, Any]) -> None:
    # Taking the flags off, to edit it in a later save, is an edit too.
    prompt_of(notebook)["metadata"]["editable"] = True


def make_the_consigne_code(notebook: dict[str, Any]) -> None:
    cell = prompt_of(notebook)
    cell.update(cell_type="code", outputs=[], execution_count=None)


@pytest.mark.parametrize(
    ("change", "english", "french"),
    [
        (edit_the_consigne, "can't be changed", "ne se modifient pas"),
        (unlock_the_consigne, "can't be changed", "ne se modifient pas"),
        (make_the_consigne_code, "can't be changed", "ne se modifient pas"),
        (delete_the_consigne, "can't be deleted", "on ne peut pas la supprimer"),
    ],
)
async def test_a_save_that_changes_the_templates_consignes_is_refused(jp_fetch, journal_db, change, english, french):
    created = await create_entry(jp_fetch)
    notebook = (await fetch_json(jp_fetch, "api", "contents", created["path"]))["content"]
    heading = prompt_of(notebook)["source"].split("\n", 1)[0].lstrip("#").strip()
    answer = next(c for c in notebook["cells"] if c["metadata"]["journal"].get("role") == "answer")
    answer["source"] = "Ce que j'ai écrit ne doit pas partir avec."
    change(notebook)
    body = json.dumps({"type": "notebook", "format": "json", "content": notebook})
    message = await expect_error(jp_fetch, 403, "api", "contents", created["path"], method="PUT", body=body)
    assert f"'{heading}' belongs to this document's template: " in message
    assert english in message and "Nothing was saved" in message
    french_message = await expect_error(
        jp_fetch,
        403,
        "api",
        "contents",
        created["path"],
        method="PUT",
        body=body,
        headers={"Accept-Language": "fr-FR,fr"},
    )
    assert f"«\u00a0{heading}\u00a0» fait partie du modèle de ce document\u00a0: " in french_message
    assert french in french_message and "Rien n'a été enregistré\u202f;" in french_message
    with JournalStore(journal_db) as store:
        assert store.document(created["id"])["revision"] == 1
        stored = {c.cell_id: c for c in store.cells(created["id"])}
    original = prompt_of((await fetch_json(jp_fetch, "api", "contents", created["path"]))["content"])
    assert stored[original["id"]].source == original["source"]
    assert stored[original["id"]].metadata["editable"] is False


async def test_a_save_may_add_cells_inside_a_section_and_fold_a_heading(jp_fetch, journal_db):
    created = await create_entry(jp_fetch)
    notebook = (await fetch_json(jp_fetch, "api", "contents", created["path"]))["content"]
    prompt = prompt_of(notebook)
    # How it is shown is the reader's: JupyterLab notes a folded heading in the cell's metadata.
    prompt["metadata"]["jupyter"] = {"source_hidden": False}
    mine = {"id": "ma-cellule", "cell_type": "markdown", "metadata": {}, "source": "- un point\n- un autre"}
    notebook["cells"].insert(notebook["cells"].index(prompt) + 2, mine)
    await put_notebook(jp_fetch, created["path"], notebook)
    with JournalStore(journal_db) as store:
        assert "- un point\n- un autre" in [c.source for c in store.cells(created["id"])]


async def test_checkpoints_follow_revisions(jp_fetch):
    created = await create_entry(jp_fetch)
    checkpoint = await fetch_json(jp_fetch, "api", "contents", created["path"], "checkpoints", method="POST", body="")
    assert checkpoint["id"] == "1"
    listed = await fetch_json(jp_fetch, "api", "contents", created["path"], "checkpoints")
    assert [c["id"] for c in listed] == ["1"]


@pytest.mark.parametrize(
    ("method", "parts", "body", "status", "fragment"),
    [
        ("GET", ("Journal", "Nulle part.ipynb"), None, 404, "does not exist"),
        ("GET", ("Journal", "..", "..", "etc"), None, 400, "not a valid journal path"),
        ("POST", ("Journal",), json.dumps({"type": "notebook"}), 400, "Launcher's Journal cards"),
        ("POST", ("Journal", "Mon journal"), json.dumps({"type": "file"}), 400, "only holds notebooks"),
        (
            "PUT",
            ("Journal", "Mon journal", "Nouveau.ipynb"),
            json.dumps({"type": "notebook", "content": {}}),
            400,
            "not valid nbformat 4",
        ),
        (
            "PUT",
            ("Journal", "Mon journal", "notes.txt"),
            json.dumps({"type": "file", "format": "text", "content": "x"}),
            400,
            "only holds notebooks",
        ),
        (
            "PUT",
            ("Journal", "Groupe Quartiers", "Import.ipynb"),
            json.dumps(
                {"type": "notebook", "content": {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}}
            ),
            400,
            "new documents can be created in 'Mon journal' or 'Terrain'",
        ),
    ],
)
async def test_bad_journal_requests_get_clear_errors(jp_fetch, method, parts, body, status, fragment):
    message = await expect_error(jp_fetch, status, "api", "contents", *parts, method=method, body=body)
    assert fragment in message


async def test_saving_an_invalid_notebook_is_refused_and_keeps_the_text(jp_fetch, journal_db):
    created = await create_entry(jp_fetch)
    message = await expect_error(
        jp_fetch,
        400,
        "api",
        "contents",
        created["path"],
        method="PUT",
        body=json.dumps({"type": "notebook", "format": "json", "content": {"cells": "oops"}}),
    )
    assert "not valid nbformat" in message
    with JournalStore(journal_db) as store:
        assert store.document(created["id"])["revision"] == 1
        assert len(store.cells(created["id"])) > 2


async def test_new_notebook_in_my_journal_comes_from_the_groups_template(jp_fetch):
    response = await jp_fetch(
        "api", "contents", "Journal", "Mon journal", method="POST", body=json.dumps({"type": "notebook"})
    )
    assert response.code == 201
    created = json.loads(response.body)
    assert created["path"].startswith("Journal/Mon journal/")
    model = await fetch_json(jp_fetch, "api", "contents", created["path"])
    roles = [c["metadata"]["journal"]["role"] for c in model["content"]["cells"]]
    assert roles[0] == "title" and roles.count("prompt") == roles.count("answer") > 3


async def test_a_notebook_copied_into_field_notes_becomes_a_document(jp_fetch, jp_root_dir, journal_db):
    notebook = {
        "cells": [{"cell_type": "markdown", "id": "obs-1", "metadata": {}, "source": "Marché du samedi : 40 stands."}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (Path(jp_root_dir) / "relevé.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    copied = await fetch_json(
        jp_fetch,
        "api",
        "contents",
        "Journal",
        "Terrain",
        method="POST",
        body=json.dumps({"copy_from": "relevé.ipynb"}),
    )
    assert copied["path"].startswith("Journal/Terrain/relevé")
    with JournalStore(journal_db) as store:
        imported = [d for d in store.list_documents(owner="camille") if d["kind"] == "field_observation"]
        assert len(imported) == 1 and imported[0]["visibility"] == "tutors"
        assert [c.source for c in store.cells(imported[0]["id"])] == ["Marché du samedi : 40 stands."]


async def test_a_journal_document_can_be_copied_to_my_own_files(jp_fetch, jp_root_dir):
    created = await create_entry(jp_fetch)
    copied = await fetch_json(
        jp_fetch, "api", "contents", "", method="POST", body=json.dumps({"copy_from": created["path"]})
    )
    on_disk = json.loads((Path(jp_root_dir) / copied["path"]).read_text(encoding="utf-8"))
    assert on_disk["metadata"]["journal"]["document_id"] == created["id"]


async def test_rename_in_place_changes_the_title(jp_fetch, journal_db):
    created = await create_entry(jp_fetch)
    renamed = await fetch_json(
        jp_fetch,
        "api",
        "contents",
        created["path"],
        method="PATCH",
        body=json.dumps({"path": "Journal/Mon journal/Première rencontre avec la commande.ipynb"}),
    )
    assert renamed["path"] == "Journal/Mon journal/Première rencontre avec la commande.ipynb"
    with JournalStore(journal_db) as store:
        assert store.document(created["id"])["title"] == "Première rencontre avec la commande"


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("Journal/Terrain/Ailleurs.ipynb", "stay in their folder"),
        ("Ailleurs.ipynb", "neither into nor out of the journal folder"),
        ("Journal/Mon journal/sans extension", "must end with .ipynb"),
    ],
)
async def test_moves_that_would_change_who_reads_are_refused(jp_fetch, journal_db, target, fragment):
    created = await create_entry(jp_fetch)
    message = await expect_error(
        jp_fetch, 400, "api", "contents", created["path"], method="PATCH", body=json.dumps({"path": target})
    )
    assert fragment in message
    with JournalStore(journal_db) as store:
        assert store.document(created["id"])["title"] == created["title"]


async def test_delete_moves_to_the_trash_and_back_nothing_erased(jp_fetch, journal_db):
    created = await create_entry(jp_fetch)
    name = created["path"].rsplit("/", 1)[1]
    await jp_fetch("api", "contents", created["path"], method="DELETE")
    trash = await fetch_json(jp_fetch, "api", "contents", "Journal", "Corbeille")
    assert [entry["name"] for entry in trash["content"]] == [name]
    mine = await fetch_json(jp_fetch, "api", "contents", "Journal", "Mon journal")
    assert mine["content"] == []
    message = await expect_error(jp_fetch, 400, "api", "contents", "Journal", "Corbeille", name, method="DELETE")
    assert "never erased" in message
    with JournalStore(journal_db) as store:
        assert store.document(created["id"])["deleted_by"] == "camille"
        assert len(store.cells(created["id"])) > 2

    await jp_fetch(
        "api",
        "contents",
        "Journal",
        "Corbeille",
        name,
        method="PATCH",
        body=json.dumps({"path": created["path"]}),
    )
    model = await fetch_json(jp_fetch, "api", "contents", created["path"])
    assert model["type"] == "notebook"


async def test_a_kernel_session_starts_on_a_journal_notebook(jp_fetch):
    created = await create_entry(jp_fetch)
    session = await fetch_json(
        jp_fetch,
        "api",
        "sessions",
        method="POST",
        body=json.dumps({"path": created["path"], "type": "notebook", "name": "", "kernel": {"name": "python3"}}),
    )
    assert session["path"] == created["path"]
    assert session["kernel"]["name"] == "python3"
    await jp_fetch("api", "sessions", session["id"], method="DELETE")


class TestAsTutor:
    """The tutor's server: reads the group's learners' journals, may not rewrite them."""

    @pytest.fixture
    def journal_user(self) -> str:
        return "nadia"

    @pytest.fixture
    def learner_entry(self, journal_db) -> dict[str, Any]:
        with JournalStore(journal_db) as store:
            camille = viewer_for(store, "camille")
            template = next(
                v for v in store.group_templates(camille.memberships[0].group_id) if v["kind"] == "learning_journal"
            )
            document = create_from_template(
                store, camille, template_version_id=template["id"], group_id=camille.memberships[0].group_id
            )
            write_sections(store, camille, document, {"situation": "Texte de Camille."})
            return document

    async def test_tutor_sees_the_learners_journal_in_the_group_folder(self, jp_fetch, learner_entry):
        path = f"Journal/{GROUP_A}/Camille/{learner_entry['title']}.ipynb"
        model = await fetch_json(jp_fetch, "api", "contents", path)
        assert model["writable"] is False
        assert "Texte de Camille." in [cell["source"] for cell in model["content"]["cells"]]

    async def test_tutor_cannot_overwrite_the_learners_text(self, jp_fetch, learner_entry, journal_db):
        path = f"Journal/{GROUP_A}/Camille/{learner_entry['title']}.ipynb"
        model = await fetch_json(jp_fetch, "api", "contents", path)
        for cell in model["content"]["cells"]:
            cell["source"] = "Réécrit par la tutrice"
        message = await expect_error(
            jp_fetch,
            403,
            "api",
            "contents",
            path,
            method="PUT",
            body=json.dumps({"type": "notebook", "format": "json", "content": model["content"]}),
        )
        assert "not change its text" in message
        with JournalStore(journal_db) as store:
            assert "Texte de Camille." in [c.source for c in store.cells(learner_entry["id"])]


async def test_an_image_pasted_into_a_cell_survives_save_and_reopen(jp_fetch):
    created = await create_entry(jp_fetch, 1)
    notebook = (await fetch_json(jp_fetch, "api", "contents", created["path"]))["content"]
    answer = next(c for c in notebook["cells"] if c["metadata"]["journal"].get("role") == "answer")
    image = {
        "image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
    }
    answer["attachments"] = {"parvis.png": image}
    answer["source"] = "Le parvis à 17 h :\n\n![parvis](attachment:parvis.png)"
    await put_notebook(jp_fetch, created["path"], notebook)
    reopened = (await fetch_json(jp_fetch, "api", "contents", created["path"]))["content"]
    kept = next(c for c in reopened["cells"] if c["id"] == answer["id"])
    assert kept["attachments"] == {"parvis.png": image}


def test_the_kept_folder_map_follows_what_other_servers_change(cohort_store: JournalStore):
    """Two servers on one file: the drive keeps its folder map between calls, yet never answers stale."""
    from journal_ext.server.drive import JournalDrive

    mine = cohort_store
    group_id = next(g["id"] for g in mine.list_groups() if g["name"] == GROUP_A)
    kinds = {t["kind"]: t["id"] for t in mine.group_templates(group_id)}
    entry = create_from_template(
        mine,
        viewer_for(mine, "camille"),
        template_version_id=kinds["learning_journal"],
        group_id=group_id,
        title="Visite du centre social",
        visibility="group",
    )
    # Yanis's server, on its own connection to the same file, keeps its map.
    with JournalStore(mine.path) as theirs:
        drive = JournalDrive(lambda: theirs, lambda: viewer_for(theirs, "yanis"))
        folder = f"Journal/{GROUP_A}/Camille"
        path = f"{folder}/Visite du centre social.ipynb"
        first = drive.get(path)
        assert first["content"]["metadata"]["journal"]["revision"] == 1
        kept = next(v for k, v in theirs.memo.items() if k[0] == "catalogue")
        # Camille saves text on her server: the map is kept, but what Yanis opens is her latest revision.
        write_sections(mine, viewer_for(mine, "camille"), mine.document(entry["id"]), {"situation": "Un mardi."})
        again = drive.get(path)
        assert next(v for k, v in theirs.memo.items() if k[0] == "catalogue") is kept
        assert again["content"]["metadata"]["journal"]["revision"] == 2
        assert drive.checkpoint(path)["id"] == "2"
        assert again["last_modified"] > first["last_modified"]
        # Folder listings show the latest times too.
        listed = {e["path"]: e for e in drive.get(folder)["content"]}
        assert listed[path]["last_modified"] == again["last_modified"]
        # She renames it, then stops sharing it: each time Yanis's server sees the change at once.
        mine.rename_document(entry["id"], "Visite du 12 mars")
        assert not drive.exists(path)
        assert drive.file_exists(f"{folder}/Visite du 12 mars.ipynb")
        mine.set_visibility(entry["id"], "tutors")
        assert not drive.file_exists(f"{folder}/Visite du 12 mars.ipynb")
        # Outside a request the drive speaks the server's language (French by default).
        with pytest.raises(Exception, match="aucun document ni dossier du journal"):
            drive.get(f"{folder}/Visite du 12 mars.ipynb")


async def test_saves_that_change_nothing_append_no_revision(jp_fetch, journal_db):
    """Opening and saving as is (an editor's autosave, a collaboration room) leaves the history alone."""
    created = await create_entry(jp_fetch)
    model = await fetch_json(jp_fetch, "api", "contents", created["path"])
    notebook = model["content"]
    # JupyterLab sends back what it was served, trust flags included.
    for cell in notebook["cells"]:
        cell["metadata"]["trusted"] = True
    body = json.dumps({"type": "notebook", "format": "json", "content": notebook})
    for _ in range(2):
        saved = await fetch_json(jp_fetch, "api", "contents", created["path"], method="PUT", body=body)
        assert saved["journal"]["revision"] == 1
    with JournalStore(journal_db) as store:
        assert [r["revision"] for r in store.revisions(created["id"])] == [1]
        assert store.document(created["id"])["revision"] == 1
    # A real change, saved twice: one revision.
    notebook["cells"][-1]["source"] = "Une première phrase."
    body = json.dumps({"type": "notebook", "format": "json", "content": notebook})
    answers = [
        await fetch_json(jp_fetch, "api", "contents", created["path"], method="PUT", body=body) for _ in range(2)
    ]
    assert [a["journal"]["revision"] for a in answers] == [2, 2]
    with JournalStore(journal_db) as store:
        assert [r["revision"] for r in store.revisions(created["id"])] == [1, 2]
    reopened = await fetch_json(jp_fetch, "api", "contents", created["path"])
    assert reopened["content"]["metadata"]["journal"]["revision"] == 2

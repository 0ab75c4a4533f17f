"""Document history: revisions listed, compared and restored, never deleted; as a library and through the REST API."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from journal_ext.core import documents, history
from journal_ext.core.documents import (
    create_from_template,
    write_sections,
)
from journal_ext.core.permissions import PermissionDenied, Viewer, viewer_for
from journal_ext.db import SAVE_READ_TRIES, CellRow, JournalStore, NotFound, StoreError

from .conftest import GROUP_A, fetch_json, put_notebook

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True


def new_document(store: JournalStore, user: str, kind: str) -> dict[str, Any]:
    viewer = viewer_for(store, user)
    group_id = viewer.memberships[0].group_id
    template = next(v for v in store.group_templates(group_id) if v["kind"] == kind)
    return create_from_template(store, viewer, template_version_id=template["id"], group_id=group_id)


def answer_cell(store: JournalStore, document_id: int, section: str) -> CellRow:
    return next(
        cell
        for cell in store.cells(document_id)
        if cell.section_key == section and cell.metadata["journal"].get("role") == "answer"
    )


def sources(cells: list[CellRow]) -> list[tuple[str, str]]:
    return [(cell.cell_id, cell.source) for cell in cells]


@pytest.fixture
def diagnostic(cohort_store: JournalStore) -> dict[str, Any]:
    """A shared diagnostic of group A: created by Camille (1), Yanis writes the territory (2), Camille the commission (3)."""
    document = new_document(cohort_store, "camille", "shared_diagnostic")
    yanis, camille = viewer_for(cohort_store, "yanis"), viewer_for(cohort_store, "camille")
    write_sections(cohort_store, yanis, document, {"territory": "Quartier nord, 12 000 habitant·es."})
    write_sections(cohort_store, camille, document, {"commission": "Le centre social nous demande\nun diagnostic."})
    return cohort_store.document(document["id"])


def viewer(store: JournalStore, user: str) -> Viewer:
    return viewer_for(store, user)


# -- listing -----------------------------------------------------------------


def test_revisions_are_listed_newest_first_with_author_and_cells(cohort_store, diagnostic):
    listed = history.list_revisions(cohort_store, viewer(cohort_store, "lea"), diagnostic["id"])
    assert [r["revision"] for r in listed] == [3, 2, 1]
    assert [(r["author"], r["author_name"]) for r in listed] == [
        ("camille", "Camille"),
        ("yanis", "Yanis"),
        ("camille", "Camille"),
    ]
    commission = answer_cell(cohort_store, diagnostic["id"], "commission")
    territory = answer_cell(cohort_store, diagnostic["id"], "territory")
    assert listed[0]["cells"] == [{"cell_id": commission.cell_id, "change": "edited", "section_key": "commission"}]
    assert listed[1]["cells"] == [{"cell_id": territory.cell_id, "change": "edited", "section_key": "territory"}]
    assert listed[1]["base_revision"] == 1 and listed[0]["base_revision"] == 2
    assert listed[2]["base_revision"] is None
    assert {c["change"] for c in listed[2]["cells"]} == {"added"}
    assert len(listed[2]["cells"]) == len(cohort_store.state_at(diagnostic["id"], 1))
    assert all(r["summary"] == {} for r in listed)
    assert listed[0]["created_at"] >= listed[1]["created_at"] >= listed[2]["created_at"]


def test_a_merged_save_lists_what_merging_did(cohort_store, diagnostic):
    camille = viewer(cohort_store, "camille")
    # Camille's editor holds revision 3 while Yanis saves revision 4.
    notebook = documents.load_notebook(cohort_store, cohort_store.document(diagnostic["id"]))
    write_sections(cohort_store, viewer(cohort_store, "yanis"), diagnostic, {"method": "Entretiens."})
    method = answer_cell(cohort_store, diagnostic["id"], "method")
    for cell in notebook.cells:
        if cell.metadata["journal"].get("section") == "findings" and cell.metadata["journal"]["role"] == "answer":
            cell.source = "Trois pistes."
    documents.save_notebook(cohort_store, camille, cohort_store.document(diagnostic["id"]), notebook)
    newest = history.list_revisions(cohort_store, camille, diagnostic["id"])[0]
    assert newest["revision"] == 5 and newest["base_revision"] == 3
    assert newest["summary"] == {"merged": [method.cell_id], "conflicts": []}


# -- diff --------------------------------------------------------------------


def test_diff_shows_changed_cells_with_a_line_diff(cohort_store, diagnostic):
    answer = history.diff(cohort_store, viewer(cohort_store, "camille"), diagnostic["id"], 1, 3)
    assert (answer["from_revision"], answer["to_revision"], answer["latest_revision"]) == (1, 3, 3)
    assert [(c["section_key"], c["status"]) for c in answer["cells"]] == [
        ("commission", "changed"),
        ("territory", "changed"),
    ]
    commission, territory = answer["cells"]
    assert commission["before"] == "" and commission["after"] == "Le centre social nous demande\nun diagnostic."
    assert commission["lines"] == [
        "--- revision 1",
        "+++ revision 3",
        "@@ -0,0 +1,2 @@",
        "+Le centre social nous demande",
        "+un diagnostic.",
    ]
    assert commission["changed_fields"] == ["source"]
    assert (territory["author"], territory["author_name"]) == ("yanis", "Yanis")
    assert answer["counts"]["changed"] == 2
    assert answer["counts"]["unchanged"] == len(cohort_store.cells(diagnostic["id"])) - 2


def test_diff_in_the_other_direction_swaps_before_and_after(cohort_store, diagnostic):
    camille = viewer(cohort_store, "camille")
    forward = history.diff(cohort_store, camille, diagnostic["id"], 2, 3)
    backward = history.diff(cohort_store, camille, diagnostic["id"], 3, 2)
    assert len(forward["cells"]) == len(backward["cells"]) == 1
    there, back = forward["cells"][0], backward["cells"][0]
    assert there["section_key"] == back["section_key"] == "commission"
    assert (there["before"], there["after"]) == (back["after"], back["before"])
    assert "+un diagnostic." in there["lines"] and "-un diagnostic." in back["lines"]
    assert back["lines"][:2] == ["--- revision 3", "+++ revision 2"]


def test_diff_of_a_revision_with_itself_is_empty_unless_unchanged_cells_are_asked_for(cohort_store, diagnostic):
    camille = viewer(cohort_store, "camille")
    assert history.diff(cohort_store, camille, diagnostic["id"], 3, 3)["cells"] == []
    every = history.diff(cohort_store, camille, diagnostic["id"], 3, 3, include_unchanged=True)
    assert [c["cell_id"] for c in every["cells"]] == [c.cell_id for c in cohort_store.cells(diagnostic["id"])]
    assert {c["status"] for c in every["cells"]} == {"unchanged"}
    assert all(c["lines"] == [] for c in every["cells"])


def test_diff_from_revision_zero_shows_every_cell_added(cohort_store, diagnostic):
    answer = history.diff(cohort_store, viewer(cohort_store, "camille"), diagnostic["id"], 0, 1)
    assert {c["status"] for c in answer["cells"]} == {"added"}
    assert len(answer["cells"]) == len(cohort_store.state_at(diagnostic["id"], 1))
    assert all(c["before"] is None for c in answer["cells"])


def test_diff_tells_added_removed_and_moved_cells_apart(cohort_store, diagnostic):
    store, document_id = cohort_store, diagnostic["id"]
    cells = store.cells(document_id)
    findings = answer_cell(store, document_id, "findings")
    appendices = answer_cell(store, document_id, "appendices")
    note = CellRow(cell_id="note-yanis", position=0, cell_type="markdown", source="À relire ensemble.")
    # A note added on top, the findings answer moved up under it, the appendices answer removed.
    reordered = [note, findings] + [c for c in cells if c.cell_id not in (findings.cell_id, appendices.cell_id)]
    store.save_cells(document_id, reordered, author="yanis")

    answer = history.diff(store, viewer(store, "camille"), document_id, 3, 4)
    statuses = [(c["cell_id"], c["status"]) for c in answer["cells"]]
    # Order of revision 4, then the cells only revision 3 had.
    assert statuses == [
        ("note-yanis", "added"),
        (findings.cell_id, "moved"),
        (appendices.cell_id, "removed"),
    ]
    added, moved, removed = answer["cells"]
    assert added["after"] == "À relire ensemble." and added["lines"][-1] == "+À relire ensemble."
    assert (added["position_before"], added["position_after"]) == (None, 0)
    assert moved["lines"] == [] and moved["moved"] is True
    assert (moved["position_before"], moved["position_after"]) == (findings.position, 1)
    assert removed["after"] is None and removed["section_key"] == "appendices"
    # Cells that only slid down because a note was added above are not reported as moved.
    assert answer["counts"] == {
        "added": 1,
        "removed": 1,
        "changed": 0,
        "moved": 1,
        "unchanged": len(cells) - 2,
    }

    back = history.diff(store, viewer(store, "camille"), document_id, 4, 3)
    assert {c["cell_id"]: c["status"] for c in back["cells"]} == {
        "note-yanis": "removed",
        findings.cell_id: "moved",
        appendices.cell_id: "added",
    }
    assert back["cells"][-1]["cell_id"] == "note-yanis"


def test_a_cell_both_moved_and_edited_is_changed_and_flagged_moved(cohort_store, diagnostic):
    store, document_id = cohort_store, diagnostic["id"]
    cells = store.cells(document_id)
    commission = answer_cell(store, document_id, "commission")
    edited = replace(commission, source="Nouvelle commande.")
    store.save_cells(document_id, [c for c in cells if c.cell_id != commission.cell_id] + [edited], author="lea")
    (entry,) = history.diff(store, viewer(store, "lea"), document_id, 3, 4)["cells"]
    assert (entry["status"], entry["moved"]) == ("changed", True)


@pytest.mark.parametrize(("first", "second"), [(0, 4), (-1, 2), (2, 99)])
def test_diff_of_revisions_that_dont_exist_names_the_valid_range(cohort_store, diagnostic, first, second):
    with pytest.raises(NotFound, match=r"has revisions 1 to 3 .*there is no '(from|to)' revision"):
        history.diff(cohort_store, viewer(cohort_store, "camille"), diagnostic["id"], first, second)


def test_diff_refuses_a_revision_that_is_not_a_number(cohort_store, diagnostic):
    with pytest.raises(StoreError, match="must be a whole number from 0 to 3"):
        history.diff(cohort_store, viewer(cohort_store, "camille"), diagnostic["id"], "2", 3)  # type: ignore[arg-type]


# -- restore -----------------------------------------------------------------


def test_restore_makes_a_new_revision_equal_to_the_old_state_and_keeps_history(cohort_store, diagnostic):
    store, document_id = cohort_store, diagnostic["id"]
    before_rows = store.cell_revisions(document_id)
    state_1 = store.state_at(document_id, 1)

    result = history.restore(store, viewer(store, "lea"), document_id, 1)

    assert result.revision == 4
    commission = answer_cell(store, document_id, "commission")
    territory = answer_cell(store, document_id, "territory")
    assert result.changes == {commission.cell_id: "edited", territory.cell_id: "edited"}
    assert sources(store.cells(document_id)) == sources(state_1)
    assert sources(store.state_at(document_id, 4)) == sources(state_1)
    assert history.diff(store, viewer(store, "lea"), document_id, 1, 4)["cells"] == []
    # Append-only: every earlier row is still there, untouched, and the restore added its own.
    after_rows = store.cell_revisions(document_id)
    assert after_rows[: len(before_rows)] == before_rows
    assert len(after_rows) == len(before_rows) + 2
    assert store.state_at(document_id, 3) != state_1
    assert "Quartier nord" in answer_cell_at(store, document_id, 3, "territory").source

    newest = history.list_revisions(store, viewer(store, "lea"), document_id)[0]
    assert newest["revision"] == 4 and newest["author"] == "lea" and newest["base_revision"] == 3
    assert newest["summary"] == {"restored_from": 1}
    assert history.restore_message(result, 1) == (
        "revision 1 restored as revision 4; the history keeps every earlier revision"
    )


def answer_cell_at(store: JournalStore, document_id: int, revision: int, section: str) -> CellRow:
    return next(
        cell
        for cell in store.state_at(document_id, revision)
        if cell.section_key == section and cell.metadata["journal"].get("role") == "answer"
    )


def test_restoring_brings_back_removed_cells_and_drops_added_ones(cohort_store, diagnostic):
    store, document_id = cohort_store, diagnostic["id"]
    cells = store.cells(document_id)
    appendices = answer_cell(store, document_id, "appendices")
    note = CellRow(cell_id="note", position=0, cell_type="markdown", source="Brouillon.")
    store.save_cells(document_id, [note] + [c for c in cells if c.cell_id != appendices.cell_id], author="yanis")
    result = history.restore(store, viewer(store, "camille"), document_id, 3)
    assert result.changes["note"] == "deleted"
    assert result.changes[appendices.cell_id] == "added"
    assert sources(store.cells(document_id)) == sources(cells)


def test_restore_keeps_current_outputs_of_code_cells_that_still_exist(cohort_store, diagnostic):
    store, document_id = cohort_store, diagnostic["id"]
    cells = store.cells(document_id)
    code = CellRow(
        cell_id="tableau",
        position=0,
        cell_type="code",
        source="print(12000)",
        outputs=[{"output_type": "stream", "name": "stdout", "text": "12000\n"}],
        execution_count=1,
    )
    store.save_cells(document_id, [*cells, code], author="camille")  # 4
    rerun = replace(
        code,
        source="print(12500)",
        execution_count=2,
        outputs=[{"output_type": "stream", "name": "stdout", "text": "12500\n"}],
    )
    store.save_cells(document_id, [*cells, rerun], author="camille")  # 5

    result = history.restore(store, viewer(store, "camille"), document_id, 4)
    restored = next(c for c in store.cells(document_id) if c.cell_id == "tableau")
    assert result.revision == 6 and result.changes == {"tableau": "edited"}
    assert restored.source == "print(12000)"
    assert (restored.outputs, restored.execution_count) == (rerun.outputs, 2)


def test_restoring_the_current_revision_changes_nothing_and_says_so(cohort_store, diagnostic):
    store, document_id = cohort_store, diagnostic["id"]
    rows = len(store.cell_revisions(document_id))
    result = history.restore(store, viewer(store, "camille"), document_id, 3)
    assert (result.revision, result.changes) == (3, {})
    assert store.document(document_id)["revision"] == 3
    assert len(store.cell_revisions(document_id)) == rows
    assert history.restore_message(result, 3) == (
        "the document already holds the text of revision 3: nothing to restore"
    )


@pytest.mark.parametrize("revision", [0, 4, -2])
def test_restore_of_a_revision_that_doesnt_exist_names_the_valid_range(cohort_store, diagnostic, revision):
    with pytest.raises(NotFound, match=f"has revisions 1 to 3; there is no requested revision {revision}"):
        history.restore(cohort_store, viewer(cohort_store, "camille"), diagnostic["id"], revision)
    assert cohort_store.document(diagnostic["id"])["revision"] == 3


def test_a_tutor_reads_a_learners_history_but_may_not_restore_it(cohort_store):
    journal = new_document(cohort_store, "camille", "learning_journal")
    write_sections(cohort_store, viewer(cohort_store, "camille"), journal, {"situation": "Texte de Camille."})
    nadia = viewer(cohort_store, "nadia")
    assert [r["revision"] for r in history.list_revisions(cohort_store, nadia, journal["id"])] == [2, 1]
    assert len(history.diff(cohort_store, nadia, journal["id"], 1, 2)["cells"]) == 1
    with pytest.raises(PermissionDenied, match="not restore an earlier revision"):
        history.restore(cohort_store, nadia, journal["id"], 1)
    assert cohort_store.document(journal["id"])["revision"] == 2
    assert "Texte de Camille." in [c.source for c in cohort_store.cells(journal["id"])]


def test_a_coordinator_may_not_restore_a_groups_diagnostic(cohort_store, diagnostic):
    with pytest.raises(PermissionDenied, match="only the people who write it"):
        history.restore(cohort_store, viewer(cohort_store, "helene"), diagnostic["id"], 1)


def test_a_document_in_the_trash_is_not_restored(cohort_store, diagnostic):
    documents.move_to_trash(cohort_store, viewer(cohort_store, "camille"), diagnostic)
    with pytest.raises(PermissionDenied, match="in the trash"):
        history.restore(cohort_store, viewer(cohort_store, "camille"), diagnostic["id"], 1)


@pytest.mark.parametrize(
    "call",
    [
        lambda store, v, doc: history.list_revisions(store, v, doc),
        lambda store, v, doc: history.diff(store, v, doc, 1, 2),
        lambda store, v, doc: history.restore(store, v, doc, 1),
    ],
    ids=["list", "diff", "restore"],
)
def test_hidden_documents_look_exactly_like_missing_ones(cohort_store, call):
    journal = new_document(cohort_store, "camille", "learning_journal")
    write_sections(cohort_store, viewer(cohort_store, "camille"), journal, {"situation": "Privé."})
    for user in ("yanis", "ines", "helene"):  # same group learner, other group, coordinator
        with pytest.raises(NotFound) as hidden:
            call(cohort_store, viewer(cohort_store, user), journal["id"])
        assert str(hidden.value) == f"no document with id {journal['id']}"
    with pytest.raises(NotFound) as missing:
        call(cohort_store, viewer(cohort_store, "yanis"), 4242)
    assert str(missing.value) == "no document with id 4242"
    assert cohort_store.document(journal["id"])["revision"] == 2


# -- through the REST API ------------------------------------------------------


async def expect_error(jp_fetch: Any, status: int, *parts: str, **kwargs: Any) -> str:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(*parts, **kwargs)
    assert caught.value.code == status, caught.value.response.body
    return json.loads(caught.value.response.body)["message"]


async def create_entry(jp_fetch: Any) -> dict[str, Any]:
    template = (await fetch_json(jp_fetch, "journal", "api", "templates"))["templates"][0]
    return await fetch_json(
        jp_fetch,
        "journal",
        "api",
        "documents",
        method="POST",
        body=json.dumps({"template_id": template["id"], "group_id": template["group"]["id"]}),
    )


async def write_situation(jp_fetch: Any, path: str, text: str) -> None:
    """Save the 'situation' answer through the contents API, as the notebook editor does."""
    notebook = (await fetch_json(jp_fetch, "api", "contents", path))["content"]
    for cell in notebook["cells"]:
        journal = cell["metadata"]["journal"]
        if journal.get("role") == "answer" and journal["section"] == "situation":
            cell["source"] = text
    await put_notebook(jp_fetch, path, notebook)


async def contents_sources(jp_fetch: Any, path: str) -> list[str]:
    model = await fetch_json(jp_fetch, "api", "contents", path)
    return [cell["source"] for cell in model["content"]["cells"]]


def api(document_id: int, *parts: str) -> tuple[str, ...]:
    return ("journal", "api", "documents", str(document_id), *parts)


async def test_api_lists_diffs_and_restores_revisions(jp_fetch):
    created = await create_entry(jp_fetch)
    await write_situation(jp_fetch, created["path"], "Première réunion avec la directrice.")
    await write_situation(jp_fetch, created["path"], "Réunion reportée.\nRien à noter.")

    listed = await fetch_json(jp_fetch, *api(created["id"], "revisions"))
    assert listed["document_id"] == created["id"]
    assert listed["writable"] is True
    assert listed["title"] == created["title"]
    assert [r["revision"] for r in listed["revisions"]] == [3, 2, 1]
    assert listed["revisions"][0]["author_name"] == "Camille"
    assert [(c["change"], c["section_key"]) for c in listed["revisions"][0]["cells"]] == [("edited", "situation")]

    latest = await fetch_json(jp_fetch, *api(created["id"], "diff"))
    assert (latest["from_revision"], latest["to_revision"]) == (2, 3)
    (cell,) = latest["cells"]
    assert cell["status"] == "changed" and cell["section_key"] == "situation"
    assert "-Première réunion avec la directrice." in cell["lines"]
    assert "+Rien à noter." in cell["lines"]

    only_to = await fetch_json(jp_fetch, *api(created["id"], "diff"), params={"to": "2"})
    assert (only_to["from_revision"], only_to["to_revision"]) == (1, 2)
    both = await fetch_json(jp_fetch, *api(created["id"], "diff"), params={"from": "3", "to": "1"})
    assert both["cells"][0]["after"] == ""
    every = await fetch_json(
        jp_fetch, *api(created["id"], "diff"), params={"from": "1", "to": "1", "unchanged": "true"}
    )
    assert every["cells"] and {c["status"] for c in every["cells"]} == {"unchanged"}

    response = await jp_fetch(*api(created["id"], "revisions", "2", "restore"), method="POST", body="")
    assert response.code == 200
    restored = json.loads(response.body)
    assert restored["revision"] == 4 and restored["restored_from"] == 2 and restored["restored"] is True
    assert list(restored["changes"].values()) == ["edited"]
    assert restored["message"] == "revision 2 restored as revision 4; the history keeps every earlier revision"
    assert restored["path"] == created["path"]

    # The notebook editor now opens the restored text.
    texts = await contents_sources(jp_fetch, created["path"])
    assert "Première réunion avec la directrice." in texts
    assert "Réunion reportée.\nRien à noter." not in texts
    listed = await fetch_json(jp_fetch, *api(created["id"], "revisions"))
    assert [r["revision"] for r in listed["revisions"]] == [4, 3, 2, 1]
    assert listed["revisions"][0]["summary"] == {"restored_from": 2}

    again = await fetch_json(jp_fetch, *api(created["id"], "revisions", "4", "restore"), method="POST", body="")
    assert (again["revision"], again["restored"], again["changes"]) == (4, False, {})
    assert "nothing to restore" in again["message"]


async def test_an_editor_saving_after_a_restore_does_not_undo_it(jp_fetch):
    created = await create_entry(jp_fetch)
    await write_situation(jp_fetch, created["path"], "Version à garder.")
    await write_situation(jp_fetch, created["path"], "Version ratée.")
    notebook = (await fetch_json(jp_fetch, "api", "contents", created["path"]))["content"]
    await jp_fetch(*api(created["id"], "revisions", "2", "restore"), method="POST", body="")
    # The editor still holds revision 3 and saves an unrelated edit.
    answer = next(
        c
        for c in notebook["cells"]
        if c["metadata"]["journal"].get("section") == "theory" and c["metadata"]["journal"]["role"] == "answer"
    )
    answer["source"] = "Lecture de Freire."
    await put_notebook(jp_fetch, created["path"], notebook)
    texts = await contents_sources(jp_fetch, created["path"])
    assert "Version à garder." in texts and "Lecture de Freire." in texts
    assert "Version ratée." not in texts


@pytest.mark.parametrize(
    ("params", "status", "fragment"),
    [
        ({"from": "abc"}, 400, "'from' must be a revision number (a whole number from 0), got 'abc'"),
        ({"to": "-1"}, 400, "'to' must be a revision number"),
        ({"to": "2.5"}, 400, "'to' must be a revision number"),
        ({"unchanged": "maybe"}, 400, "'unchanged' must be true or false"),
        (
            {"from": "0", "to": "9"},
            404,
            "has revisions 1 to 1 (0 is the empty document before the first save); there is no 'to' revision 9",
        ),
        ({"from": "7"}, 404, "there is no 'from' revision 7"),
    ],
)
async def test_api_diff_rejects_bad_revisions_with_a_message(jp_fetch, params, status, fragment):
    created = await create_entry(jp_fetch)
    message = await expect_error(jp_fetch, status, *api(created["id"], "diff"), params=params)
    assert fragment in message


async def test_api_restore_of_an_unknown_revision_is_404_naming_the_range(jp_fetch):
    created = await create_entry(jp_fetch)
    message = await expect_error(
        jp_fetch, 404, *api(created["id"], "revisions", "9", "restore"), method="POST", body=""
    )
    assert f"document {created['id']} has revisions 1 to 1; there is no requested revision 9" in message


@pytest.mark.parametrize(
    ("parts", "method"),
    [(("revisions",), "GET"), (("diff",), "GET"), (("revisions", "1", "restore"), "POST")],
)
async def test_api_history_of_an_unknown_document_is_404(jp_fetch, parts, method):
    message = await expect_error(
        jp_fetch, 404, *api(4242, *parts), method=method, body="" if method == "POST" else None
    )
    assert message == "no document with id 4242"


@pytest.fixture
def camilles_journal(journal_db) -> dict[str, Any]:
    """Camille's learning journal with a second revision, written straight into the server's database."""
    with JournalStore(journal_db) as store:
        document = new_document(store, "camille", "learning_journal")
        write_sections(store, viewer_for(store, "camille"), document, {"situation": "Texte de Camille."})
        return store.document(document["id"])


class TestAsTutor:
    """The tutor's server: reads the learner's history, may not restore it."""

    @pytest.fixture
    def journal_user(self) -> str:
        return "nadia"

    async def test_tutor_lists_and_diffs_the_learners_journal(self, jp_fetch, camilles_journal):
        listed = await fetch_json(jp_fetch, *api(camilles_journal["id"], "revisions"))
        assert [r["revision"] for r in listed["revisions"]] == [2, 1]
        latest = await fetch_json(jp_fetch, *api(camilles_journal["id"], "diff"))
        assert latest["cells"][0]["after"] == "Texte de Camille."

    async def test_tutor_restore_is_403_and_changes_nothing(self, jp_fetch, camilles_journal, journal_db):
        message = await expect_error(
            jp_fetch, 403, *api(camilles_journal["id"], "revisions", "1", "restore"), method="POST", body=""
        )
        assert "not restore an earlier revision" in message
        with JournalStore(journal_db) as store:
            assert store.document(camilles_journal["id"])["revision"] == 2
        path = f"Journal/{GROUP_A}/Camille/{camilles_journal['title']}.ipynb"
        assert "Texte de Camille." in await contents_sources(jp_fetch, path)


class TestAsLearnerOfAnotherGroup:
    """Inès, in the other group, cannot tell Camille's journal from a missing one."""

    @pytest.fixture
    def journal_user(self) -> str:
        return "ines"

    @pytest.mark.parametrize(
        ("parts", "method"),
        [(("revisions",), "GET"), (("diff",), "GET"), (("revisions", "1", "restore"), "POST")],
    )
    async def test_hidden_history_is_404_like_a_missing_document(
        self, jp_fetch, camilles_journal, journal_db, parts, method
    ):
        message = await expect_error(
            jp_fetch,
            404,
            *api(camilles_journal["id"], *parts),
            method=method,
            body="" if method == "POST" else None,
        )
        assert message == f"no document with id {camilles_journal['id']}"
        with JournalStore(journal_db) as store:
            assert store.document(camilles_journal["id"])["revision"] == 2


# -- merging outside the write lock ---------------------------------------------


def interleaved(store: JournalStore, document_id: int, others: list[tuple[str, str, str]]):
    """A document_with_cells that lets one of ``others`` (user, section, text) save right after each read."""
    read = store.document_with_cells
    saving = []

    def read_then_someone_saves(doc_id: int):
        snapshot = read(doc_id)
        if others and not saving:  # the other person's own save reads as usual
            user, section, text = others.pop(0)
            saving.append(user)
            write_sections(store, viewer(store, user), store.document(document_id), {section: text})
            saving.pop()
        return snapshot

    return read_then_someone_saves


def with_findings(store: JournalStore, diagnostic: dict[str, Any], text: str) -> Any:
    """The diagnostic as Camille's editor holds it, with her text in the findings section."""
    notebook = documents.load_notebook(store, store.document(diagnostic["id"]))
    for cell in notebook.cells:
        if cell.metadata["journal"].get("section") == "findings" and cell.metadata["journal"]["role"] == "answer":
            cell.source = text
    return notebook


def test_a_save_overtaken_between_its_read_and_its_write_reads_and_merges_again(cohort_store, diagnostic, monkeypatch):
    camille = viewer(cohort_store, "camille")
    notebook = with_findings(cohort_store, diagnostic, "Trois pistes.")
    # Yanis saves just after Camille's save has read the document, once.
    monkeypatch.setattr(
        cohort_store,
        "document_with_cells",
        interleaved(cohort_store, diagnostic["id"], [("yanis", "method", "Entretiens.")]),
    )
    saved = documents.save_notebook(cohort_store, camille, cohort_store.document(diagnostic["id"]), notebook)
    # Yanis's save is revision 4; Camille's, merged with it on the second try, is 5. Nothing lost.
    assert saved.result.revision == 5
    assert answer_cell(cohort_store, diagnostic["id"], "method").source == "Entretiens."
    assert answer_cell(cohort_store, diagnostic["id"], "findings").source == "Trois pistes."
    method = answer_cell(cohort_store, diagnostic["id"], "method")
    assert history.list_revisions(cohort_store, camille, diagnostic["id"])[0]["summary"] == {
        "merged": [method.cell_id],
        "conflicts": [],
    }


def test_a_document_saved_by_others_on_every_try_is_merged_under_the_lock(cohort_store, diagnostic, monkeypatch):
    camille = viewer(cohort_store, "camille")
    notebook = with_findings(cohort_store, diagnostic, "Deux pistes.")
    others = [("yanis", "method", f"Entretiens, version {n}.") for n in range(SAVE_READ_TRIES)]
    monkeypatch.setattr(cohort_store, "document_with_cells", interleaved(cohort_store, diagnostic["id"], others))
    saved = documents.save_notebook(cohort_store, camille, cohort_store.document(diagnostic["id"]), notebook)
    assert others == []
    last = SAVE_READ_TRIES - 1
    assert saved.result.revision == 3 + SAVE_READ_TRIES + 1
    assert answer_cell(cohort_store, diagnostic["id"], "method").source == f"Entretiens, version {last}."
    assert answer_cell(cohort_store, diagnostic["id"], "findings").source == "Deux pistes."


def test_a_stale_read_writes_nothing(cohort_store, diagnostic):
    from journal_ext.db import RevisionMoved

    cells = cohort_store.cells(diagnostic["id"])
    edited = [replace(c, source="Autre chose.") if c.section_key == "findings" else c for c in cells]
    with pytest.raises(RevisionMoved, match="revision 3, not 2"):
        cohort_store.save_cells(diagnostic["id"], edited, author="camille", read=(2, cells))
    assert cohort_store.document(diagnostic["id"])["revision"] == 3
    assert cohort_store.cells(diagnostic["id"]) == cells


def test_the_store_reads_before_the_lock_and_again_when_overtaken(cohort_store, diagnostic, monkeypatch):
    """save_cells without `read`: Yanis saves between Camille's read and her write; her save still keeps his cell."""
    cells = cohort_store.cells(diagnostic["id"])
    mine = [
        replace(c, source="Trois pistes.")
        if c.section_key == "findings" and c.metadata["journal"]["role"] == "answer"
        else c
        for c in cells
    ]
    monkeypatch.setattr(
        cohort_store,
        "document_with_cells",
        interleaved(cohort_store, diagnostic["id"], [("yanis", "method", "Entretiens.")]),
    )
    result = cohort_store.save_cells(diagnostic["id"], mine, author="camille")
    # Her cells are the whole notebook as she sent it: Yanis's method cell is set back (a store-level save does
    # not merge), but the history shows both, each under its author, and the revision counts both saves.
    assert result.revision == 5
    method = answer_cell(cohort_store, diagnostic["id"], "method")
    assert result.changes[method.cell_id] == "edited"
    authors = [(r["revision"], r["author"]) for r in cohort_store.revisions(diagnostic["id"])]
    assert authors[-2:] == [(4, "yanis"), (5, "camille")]

"""The annotation routes of the REST API, through a real Jupyter server with authentication on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from journal_ext.core import annotations
from journal_ext.core.documents import create_from_template, write_sections
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore

from .conftest import fetch_json

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True

SITUATION = "Première réunion avec la directrice du centre social 🌱 ; l’équipe d’animation était là."


def api(*parts: Any) -> tuple[str, ...]:
    return ("journal", "api", *(str(p) for p in parts))


async def expect_error(jp_fetch: Any, status: int, *parts: str, **kwargs: Any) -> str:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(*parts, **kwargs)
    assert caught.value.code == status, caught.value.response.body
    return json.loads(caught.value.response.body)["message"]


def situation_cell(store: JournalStore, document_id: int) -> Any:
    return next(
        c
        for c in store.cells(document_id)
        if c.section_key == "situation" and c.metadata["journal"].get("role") == "answer"
    )


@pytest.fixture
def world(journal_db: Path) -> dict[str, Any]:
    """Camille's learning journal (shared with the tutors) with one comment by Nadia, written straight into the server's database."""
    with JournalStore(journal_db) as store:
        camille = viewer_for(store, "camille")
        group_id = camille.memberships[0].group_id
        template = next(v for v in store.group_templates(group_id) if v["kind"] == "learning_journal")
        document = create_from_template(store, camille, template_version_id=template["id"], group_id=group_id)
        write_sections(store, camille, document, {"situation": SITUATION})
        cell = situation_cell(store, document["id"])
        start = SITUATION.index("la directrice")
        passage = {"cell_id": cell.cell_id, "start": start, "end": start + 13, "exact": "la directrice"}
        comment = annotations.create_annotation(
            store, viewer_for(store, "nadia"), document["id"], {**passage, "body": "Qui est-elle ?"}
        )
        tutors_note = annotations.create_annotation(
            store,
            viewer_for(store, "nadia"),
            document["id"],
            {**passage, "body": "Note pour l'équipe pédagogique", "audience": "tutors"},
        )
        return {
            "document": store.document(document["id"]),
            "passage": passage,
            "comment": comment,
            "tutors_note": tutors_note,
        }


def stored(journal_db: Path) -> tuple[Any, ...]:
    """Everything about annotations that a refused request must leave as it was."""
    with JournalStore(journal_db) as store:
        return (
            list(store.db.query("SELECT * FROM annotations ORDER BY id")),
            list(store.db.query("SELECT * FROM annotation_replies ORDER BY id")),
        )


class TestAsTheTutor:
    """Nadia, tutor of the group, comments Camille's journal."""

    @pytest.fixture
    def journal_user(self) -> str:
        return "nadia"

    async def test_annotate_read_edit_reply_resolve_and_delete(self, jp_fetch, world):
        document_id = world["document"]["id"]
        response = await jp_fetch(
            *api("documents", document_id, "annotations"),
            method="POST",
            body=json.dumps({**world["passage"], "body": "Depuis quand est-elle là ?", "motivation": "questioning"}),
        )
        assert response.code == 201
        created = json.loads(response.body)
        assert response.headers["Location"].endswith(f"/journal/api/annotations/{created['id']}")
        assert created["motivation"] == "questioning" and created["audience"] == "learner"
        assert created["anchor"]["how"] == "position" and created["can"]["edit"] is True

        listed = await fetch_json(jp_fetch, *api("documents", document_id, "annotations"))
        assert [a["id"] for a in listed["annotations"]] == [
            world["comment"]["id"],
            world["tutors_note"]["id"],
            created["id"],
        ]
        assert listed["counts"] == {"total": 3, "open": 3, "resolved": 0, "orphaned": 0}
        assert listed["may_annotate"]["audiences"] == ["learner", "group", "tutors"]

        one = await fetch_json(jp_fetch, *api("annotations", created["id"]))
        assert one == created
        edited = await fetch_json(
            jp_fetch,
            *api("annotations", created["id"]),
            method="PATCH",
            body=json.dumps({"body": "Depuis quand ?", "status": "resolved"}),
        )
        assert (edited["body"], edited["status"], edited["resolved_by"]) == ("Depuis quand ?", "resolved", "nadia")

        response = await jp_fetch(
            *api("annotations", created["id"], "replies"), method="POST", body=json.dumps({"body": "Précision : 2024."})
        )
        assert response.code == 201
        reply = json.loads(response.body)
        assert response.headers["Location"].endswith(f"/journal/api/annotations/{created['id']}/replies/{reply['id']}")
        replies = await fetch_json(jp_fetch, *api("annotations", created["id"], "replies"))
        assert replies == {"annotation_id": created["id"], "replies": [reply]}
        changed = await fetch_json(
            jp_fetch,
            *api("annotations", created["id"], "replies", reply["id"]),
            method="PATCH",
            body=json.dumps({"body": "Précision : depuis 2024."}),
        )
        assert changed["body"] == "Précision : depuis 2024." and changed["edited"] is True
        gone = await fetch_json(jp_fetch, *api("annotations", created["id"], "replies", reply["id"]), method="DELETE")
        assert gone == {"id": reply["id"], "annotation_id": created["id"], "deleted": True, "message": "reply deleted"}

        deleted = await fetch_json(jp_fetch, *api("annotations", created["id"]), method="DELETE")
        assert deleted["deleted"] is True and deleted["thread_kept"] is False
        message = await expect_error(jp_fetch, 404, *api("annotations", created["id"]))
        assert message == f"no annotation with id {created['id']}"

    async def test_the_w3c_export_is_json_ld(self, jp_fetch, world):
        document_id = world["document"]["id"]
        response = await jp_fetch(*api("documents", document_id, "annotations"), params={"format": "jsonld"})
        assert response.headers["Content-Type"].startswith("application/ld+json")
        exported = json.loads(response.body)
        assert exported["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert exported["type"] == "AnnotationCollection" and exported["total"] == 2
        first = exported["first"]["items"][0]
        assert first["id"].startswith("http://") and first["id"].endswith(
            f"/journal/api/annotations/{world['comment']['id']}"
        )
        assert first["target"]["source"].endswith(
            f"/journal/api/documents/{document_id}#cell={world['passage']['cell_id']}"
        )
        assert [s["type"] for s in first["target"]["selector"]] == ["TextQuoteSelector", "TextPositionSelector"]

    @pytest.mark.parametrize(
        ("body", "fragment"),
        [
            ("not json", "Invalid JSON"),
            ("[1, 2]", "must be a JSON object"),
            ('{"body": "x", "colour": "red"}', "unknown field: colour; an annotation has cell_id, start"),
            ('{"cell_id": "x", "start": 0, "end": 1, "exact": "x"}', "'body' is required"),
            ('{"body": ""}', "the annotation's text cannot be empty"),
            ('{"body": "ok", "start": 0}', "'cell_id' is required"),
            (
                '{"body": "ok", "motivation": "liking"}',
                "'motivation' must be one of commenting, questioning, assessing",
            ),
            ('{"body": "ok", "audience": 3}', "'audience' must be one of learner, group, tutors; got 3"),
        ],
    )
    async def test_create_rejects_bad_input_and_stores_nothing(self, jp_fetch, world, journal_db, body, fragment):
        before = stored(journal_db)
        message = await expect_error(
            jp_fetch, 400, *api("documents", world["document"]["id"], "annotations"), method="POST", body=body
        )
        assert fragment in message
        assert stored(journal_db) == before

    @pytest.mark.parametrize(
        ("change", "fragment"),
        [
            ({"start": "0"}, "'start' must be a whole number"),
            ({"end": 9999}, "is not within this cell's text"),
            ({"exact": "le directeur"}, "reads 'la directrice', not the passage sent"),
            ({"cell_id": "disparue"}, "has no cell 'disparue'"),
            ({"body": "x" * 20_001}, "at most 20000"),
        ],
    )
    async def test_create_rejects_a_bad_passage_and_stores_nothing(self, jp_fetch, world, journal_db, change, fragment):
        before = stored(journal_db)
        message = await expect_error(
            jp_fetch,
            400,
            *api("documents", world["document"]["id"], "annotations"),
            method="POST",
            body=json.dumps({**world["passage"], "body": "Texte", **change}),
        )
        assert fragment in message
        assert stored(journal_db) == before

    @pytest.mark.parametrize(
        ("parts", "params", "fragment"),
        [
            (("annotations",), {"format": "xml"}, "'format' must be 'json' (the default) or 'jsonld'"),
            (("annotations",), {"status": "all"}, "'status' must be one of open, resolved, got 'all'"),
        ],
    )
    async def test_list_rejects_bad_arguments(self, jp_fetch, world, parts, params, fragment):
        message = await expect_error(jp_fetch, 400, *api("documents", world["document"]["id"], *parts), params=params)
        assert fragment in message

    async def test_patch_rejects_bad_input_and_changes_nothing(self, jp_fetch, world, journal_db):
        before = stored(journal_db)
        target = api("annotations", world["comment"]["id"])
        for body, fragment in (
            ({"exact": "autre"}, "unknown field: exact; you can change body, motivation, audience, status"),
            ({}, "nothing to change"),
            ({"status": "done"}, "'status' must be one of open, resolved; got 'done'"),
            ({"body": 5}, "must be text, got int"),
            ({"motivation": None}, "'motivation' must be one of commenting, questioning, assessing; got None"),
            ({"audience": "everyone"}, "'audience' must be one of learner, group, tutors; got 'everyone'"),
        ):
            message = await expect_error(jp_fetch, 400, *target, method="PATCH", body=json.dumps(body))
            assert fragment in message
        message = await expect_error(
            jp_fetch, 400, *api("annotations", world["comment"]["id"], "replies"), method="POST", body=json.dumps({})
        )
        assert message == "'body' is required: the text of the reply"
        assert stored(journal_db) == before

    @pytest.mark.parametrize(
        ("parts", "method"),
        [
            (("annotations", 4242), "GET"),
            (("annotations", 4242), "PATCH"),
            (("annotations", 4242), "DELETE"),
            (("annotations", 4242, "replies"), "GET"),
            (("annotations", 4242, "replies"), "POST"),
            (("annotations", 4242, "replies", 1), "PATCH"),
            (("annotations", 4242, "replies", 1), "DELETE"),
        ],
    )
    async def test_unknown_annotations_are_404_with_a_message(self, jp_fetch, world, parts, method):
        body = json.dumps({"body": "x"}) if method in ("POST", "PATCH") else None
        message = await expect_error(jp_fetch, 404, *api(*parts), method=method, body=body)
        assert message == "no annotation with id 4242"

    async def test_unknown_documents_and_replies_are_404(self, jp_fetch, world):
        assert await expect_error(jp_fetch, 404, *api("documents", 4242, "annotations")) == "no document with id 4242"
        huge = "9" * 30  # more digits than SQLite integers hold: still a plain 404
        assert (
            await expect_error(jp_fetch, 404, *api("documents", huge, "annotations")) == f"no document with id {huge}"
        )
        assert await expect_error(jp_fetch, 404, *api("annotations", huge)) == f"no annotation with id {huge}"
        message = await expect_error(
            jp_fetch, 404, *api("annotations", world["comment"]["id"], "replies", huge), method="DELETE"
        )
        assert message == f"annotation {world['comment']['id']} has no reply with id {huge}"
        message = await expect_error(
            jp_fetch,
            404,
            *api("documents", 4242, "annotations"),
            method="POST",
            body=json.dumps({**world["passage"], "body": "x"}),
        )
        assert message == "no document with id 4242"
        message = await expect_error(
            jp_fetch,
            404,
            *api("annotations", world["comment"]["id"], "replies", 77),
            method="PATCH",
            body=json.dumps({"body": "x"}),
        )
        assert message == f"annotation {world['comment']['id']} has no reply with id 77"


class TestAsTheLearner:
    """Camille, whose journal it is."""

    async def test_sees_her_annotations_but_not_the_tutors_note(self, jp_fetch, world):
        listed = await fetch_json(jp_fetch, *api("documents", world["document"]["id"], "annotations"))
        assert [a["id"] for a in listed["annotations"]] == [world["comment"]["id"]]
        assert listed["may_annotate"] == {"motivations": ["questioning"], "audiences": ["learner", "group"]}
        message = await expect_error(jp_fetch, 404, *api("annotations", world["tutors_note"]["id"]))
        assert message == f"no annotation with id {world['tutors_note']['id']}"

    async def test_may_question_but_not_comment_and_nothing_is_stored(self, jp_fetch, world, journal_db):
        before = stored(journal_db)
        target = api("documents", world["document"]["id"], "annotations")
        message = await expect_error(
            jp_fetch,
            403,
            *target,
            method="POST",
            body=json.dumps({**world["passage"], "body": "Bien", "motivation": "assessing"}),
        )
        assert message == "only the group's tutors may annotate with 'assessing'; you may use questioning"
        message = await expect_error(
            jp_fetch,
            403,
            *api("annotations", world["comment"]["id"]),
            method="PATCH",
            body=json.dumps({"body": "Effacé"}),
        )
        assert message == "only the author of an annotation can change its text, motivation or audience"
        message = await expect_error(jp_fetch, 403, *api("annotations", world["comment"]["id"]), method="DELETE")
        assert message == "only the author of an annotation can delete it"
        assert stored(journal_db) == before
        question = await fetch_json(
            jp_fetch, *target, method="POST", body=json.dumps({**world["passage"], "body": "Faut-il la nommer ?"})
        )
        assert question["motivation"] == "questioning" and question["author"] == "camille"

    async def test_replies_resolves_and_reads_her_inbox(self, jp_fetch, world):
        inbox = await fetch_json(jp_fetch, *api("inbox"))
        assert inbox["count"] == 1
        [item] = inbox["annotations"]
        assert item["id"] == world["comment"]["id"]
        assert item["document"]["path"].startswith("Journal/Mon journal/") and item["document"]["path"].endswith(
            ".ipynb"
        )
        await fetch_json(
            jp_fetch,
            *api("annotations", world["comment"]["id"], "replies"),
            method="POST",
            body=json.dumps({"body": "Mme Diallo."}),
        )
        assert (await fetch_json(jp_fetch, *api("inbox")))["count"] == 0
        resolved = await fetch_json(
            jp_fetch,
            *api("annotations", world["comment"]["id"]),
            method="PATCH",
            body=json.dumps({"status": "resolved"}),
        )
        assert resolved["resolved_by_name"] == "Camille"


class TestAsALearnerOfAnotherGroup:
    """Inès cannot tell Camille's journal, or its annotations, from missing ones."""

    @pytest.fixture
    def journal_user(self) -> str:
        return "ines"

    @pytest.mark.parametrize(
        ("tail", "method"),
        [
            ((), "GET"),
            ((), "PATCH"),
            ((), "DELETE"),
            (("replies",), "GET"),
            (("replies",), "POST"),
        ],
    )
    async def test_hidden_annotations_answer_like_missing_ones(self, jp_fetch, world, journal_db, tail, method):
        before = stored(journal_db)
        body = json.dumps({"body": "x"}) if method in ("POST", "PATCH") else None
        for key in ("comment", "tutors_note"):
            hidden = world[key]["id"]
            message = await expect_error(jp_fetch, 404, *api("annotations", hidden, *tail), method=method, body=body)
            missing = await expect_error(jp_fetch, 404, *api("annotations", 4242, *tail), method=method, body=body)
            assert message.replace(str(hidden), "<id>") == missing.replace("4242", "<id>")
        assert stored(journal_db) == before

    async def test_a_hidden_documents_annotations_answer_like_a_missing_document(self, jp_fetch, world, journal_db):
        before = stored(journal_db)
        document_id = world["document"]["id"]
        for params in ({}, {"format": "jsonld"}):
            message = await expect_error(jp_fetch, 404, *api("documents", document_id, "annotations"), params=params)
            assert message == f"no document with id {document_id}"
        message = await expect_error(
            jp_fetch,
            404,
            *api("documents", document_id, "annotations"),
            method="POST",
            body=json.dumps({**world["passage"], "body": "x"}),
        )
        assert message == f"no document with id {document_id}"
        assert await fetch_json(jp_fetch, *api("inbox")) == {"count": 0, "annotations": []}
        assert stored(journal_db) == before

"""The REST API under /journal/api, through a real Jupyter server with authentication on."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from journal_ext.server.routes import route_table

from .conftest import GROUP_A, fetch_json

# Every test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True


async def expect_error(jp_fetch: Any, status: int, *parts: str, **kwargs: Any) -> str:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(*parts, **kwargs)
    assert caught.value.code == status, caught.value.response.body
    return json.loads(caught.value.response.body)["message"]


async def test_me_names_user_roles_and_groups(jp_fetch):
    me = await fetch_json(jp_fetch, "journal", "api", "me")
    assert me["user"] == "camille"
    assert me["display_name"] == "Camille"
    assert me["roles"] == ["learner"]
    assert [g["name"] for g in me["groups"]] == [GROUP_A]
    assert me["groups"][0]["role"] == "learner"


async def test_templates_are_the_groups_assigned_ones(jp_fetch):
    answer = await fetch_json(jp_fetch, "journal", "api", "templates")
    kinds = [t["kind"] for t in answer["templates"]]
    assert kinds == [
        "learning_journal",
        "field_observation",
        "shared_diagnostic",
        "synthesis_note",
        "professional_dossier",
    ]
    assert {t["language"] for t in answer["templates"]} == {"fr"}
    assert all(t["group"]["name"] == GROUP_A for t in answer["templates"])
    assert answer["templates"][0]["title"] == "Entrée du journal d'apprentissage"


async def test_create_document_from_template_then_open_it(jp_fetch):
    templates = (await fetch_json(jp_fetch, "journal", "api", "templates"))["templates"]
    journal = templates[0]
    response = await jp_fetch(
        "journal",
        "api",
        "documents",
        method="POST",
        body=json.dumps({"template_id": journal["id"], "group_id": journal["group"]["id"]}),
    )
    assert response.code == 201
    created = json.loads(response.body)
    assert response.headers["Location"].endswith(f"/journal/api/documents/{created['id']}")
    assert created["kind"] == "learning_journal"
    assert created["visibility"] == "tutors"
    assert created["path"].startswith("Journal/Mon journal/")
    assert created["path"].endswith("Entrée du journal d'apprentissage.ipynb")

    model = await fetch_json(jp_fetch, "api", "contents", created["path"])
    assert model["type"] == "notebook"
    cells = model["content"]["cells"]
    headings = [c["source"].splitlines()[0] for c in cells if c["metadata"]["journal"]["role"] == "prompt"]
    assert headings[:3] == ["## Date et contexte", "## Ce qui s'est passé", "## L'aller-retour avec la théorie"]
    assert model["content"]["metadata"]["journal"]["document_id"] == created["id"]

    summary = await fetch_json(jp_fetch, "journal", "api", "documents", str(created["id"]))
    assert summary["path"] == created["path"]


async def test_second_document_from_same_template_gets_its_own_title(jp_fetch):
    journal = (await fetch_json(jp_fetch, "journal", "api", "templates"))["templates"][0]
    body = json.dumps({"template_id": journal["id"], "group_id": journal["group"]["id"]})
    first = await fetch_json(jp_fetch, "journal", "api", "documents", method="POST", body=body)
    second = await fetch_json(jp_fetch, "journal", "api", "documents", method="POST", body=body)
    assert first["path"] != second["path"]
    assert second["title"].endswith("(2)")


async def test_create_document_with_the_visibility_asked_for(jp_fetch):
    journal = (await fetch_json(jp_fetch, "journal", "api", "templates"))["templates"][0]
    created = await fetch_json(
        jp_fetch,
        "journal",
        "api",
        "documents",
        method="POST",
        body=json.dumps({"template_id": journal["id"], "group_id": journal["group"]["id"], "visibility": "private"}),
    )
    assert created["visibility"] == "private"
    summary = await fetch_json(jp_fetch, "journal", "api", "documents", str(created["id"]))
    assert summary["visibility"] == "private"


async def test_a_personal_document_cannot_be_created_shared(jp_fetch):
    journal = (await fetch_json(jp_fetch, "journal", "api", "templates"))["templates"][0]
    before = await fetch_json(jp_fetch, "journal", "api", "documents")
    message = await expect_error(
        jp_fetch,
        400,
        "journal",
        "api",
        "documents",
        method="POST",
        body=json.dumps({"template_id": journal["id"], "group_id": None, "visibility": "group"}),
    )
    assert "visibility can only be 'private'" in message
    assert await fetch_json(jp_fetch, "journal", "api", "documents") == before


async def test_completeness_report_lists_missing_required_sections(jp_fetch):
    journal = (await fetch_json(jp_fetch, "journal", "api", "templates"))["templates"][0]
    created = await fetch_json(
        jp_fetch,
        "journal",
        "api",
        "documents",
        method="POST",
        body=json.dumps({"template_id": journal["id"], "group_id": journal["group"]["id"]}),
    )
    report = await fetch_json(jp_fetch, "journal", "api", "documents", str(created["id"]), "completeness")
    assert report["complete"] is False
    assert "situation" in report["missing_required"]
    assert report["domains_covered"] == []


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ("not json", 400, "Invalid JSON"),
        ("[1, 2]", 400, "must be a JSON object"),
        ("{}", 400, "'template_id' is required"),
        ('{"template_id": "seven"}', 400, "'template_id' must be a positive integer"),
        ('{"template_id": true}', 400, "'template_id' must be a positive integer"),
        ('{"template_id": 1, "group_id": -3}', 400, "'group_id' must be a positive integer"),
        ('{"template_id": 1, "colour": "red"}', 400, "unknown field: colour"),
        ('{"template_id": 99999}', 404, "no template version with id 99999"),
        ('{"template_id": 1, "group_id": 99999}', 404, "no group with id 99999"),
        ('{"template_id": 1, "title": "  "}', 400, "'title' must be a non-empty text"),
        ('{"template_id": 1, "visibility": "everyone"}', 400, "visibility must be one of 'private'"),
        ('{"template_id": 1, "visibility": 3}', 400, "visibility must be one of"),
    ],
)
async def test_create_document_rejects_bad_input(jp_fetch, body, status, fragment):
    message = await expect_error(jp_fetch, status, "journal", "api", "documents", method="POST", body=body)
    assert fragment in message


async def test_cannot_create_in_a_group_one_is_not_in(jp_fetch):
    me = await fetch_json(jp_fetch, "journal", "api", "me")
    templates = (await fetch_json(jp_fetch, "journal", "api", "templates"))["templates"]
    other_group = me["groups"][0]["id"] + 1
    message = await expect_error(
        jp_fetch,
        403,
        "journal",
        "api",
        "documents",
        method="POST",
        body=json.dumps({"template_id": templates[0]["id"], "group_id": other_group}),
    )
    assert "not a member of this group" in message


async def test_unknown_document_is_404_with_message(jp_fetch):
    message = await expect_error(jp_fetch, 404, "journal", "api", "documents", "4242")
    assert "no document with id 4242" in message


async def test_every_route_refuses_unauthenticated_requests(jp_fetch, jp_serverapp):
    routes = route_table(jp_serverapp.web_app.settings["journal_ext"].context)
    checked = 0
    for pattern, handler, _ in routes:
        path = re.sub(r"\((\w+)\|[^)]*\)", r"\1", pattern)  # an alternation: its first choice
        path = path.replace(r"(\d+)", "1").replace("([^/]+)", "camille").strip("/").split("/")
        for verb in ("get", "post", "put", "patch", "delete"):
            if verb not in handler.__dict__:
                continue
            body = "{}" if verb in ("post", "put", "patch") else None
            with pytest.raises(HTTPClientError) as caught:
                await jp_fetch(*path, method=verb.upper(), body=body, headers={"Authorization": ""})
            assert caught.value.code == 403, f"{verb.upper()} {pattern} answered without a token"
            checked += 1
    assert checked >= len(routes)


async def test_a_message_with_a_percent_sign_reads_as_written(jp_fetch):
    """tornado doubles the % of a message given without arguments; people read it once."""
    message = await expect_error(
        jp_fetch, 400, "journal", "api", "documents", method="POST", body=json.dumps({"template_id": "50 %"})
    )
    assert "50 %'" in message and "%%" not in message

"""The passport's REST API: claims, assessments, comments, self-positioning and the passport, with their errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from journal_ext.db import JournalStore

from .conftest import fetch_json
from .test_handlers import expect_error
from .test_passport import SITUATION, journal_entry

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True


@pytest.fixture
def journal_db(tmp_path: Path) -> Path:
    from .conftest import build_cohort

    path = tmp_path / "server-journal.db"
    with JournalStore(path) as store:
        build_cohort(store)
        journal_entry(store)
    return path


async def claim_body(jp_fetch: Any, phrase: str = "les habitantes ont pris la parole") -> tuple[int, dict]:
    documents = (await fetch_json(jp_fetch, "journal", "api", "documents"))["documents"]
    document_id = next(d["id"] for d in documents if d["kind"] == "learning_journal")
    model = await fetch_json(jp_fetch, "journal", "api", "documents", str(document_id))
    contents = await fetch_json(jp_fetch, "api", "contents", model["path"])
    cell = next(c for c in contents["content"]["cells"] if c["source"] == SITUATION)
    start = SITUATION.index(phrase)
    return document_id, {
        "cell_id": cell["id"],
        "start": start,
        "end": start + len(phrase),
        "exact": phrase,
        "competence": "DC1.1",
        "justification": "Une analyse située du conseil de maison.",
    }


async def test_claim_assess_comment_and_read_the_passport(jp_fetch):
    document_id, body = await claim_body(jp_fetch)
    response = await jp_fetch(
        "journal", "api", "documents", str(document_id), "evidence", method="POST", body=json.dumps(body)
    )
    assert response.code == 201
    claimed = json.loads(response.body)
    assert response.headers["Location"].endswith(f"/journal/api/evidence/{claimed['id']}")
    evidence = ("journal", "api", "evidence", str(claimed["id"]))

    ready = await fetch_json(jp_fetch, *evidence, "assessments", method="POST", body=json.dumps({"state": "ready"}))
    assert ready["status"] == "ready"
    commented = await fetch_json(
        jp_fetch, *evidence, "comments", method="POST", body=json.dumps({"text": "Prête pour le jury."})
    )
    assert commented["comments"][0]["text"] == "Prête pour le jury."
    positioned = await fetch_json(
        jp_fetch,
        "journal",
        "api",
        "self-positioning",
        method="POST",
        body=json.dumps({"ratings": {"DC1.1": 3}, "day": "2026-11-23"}),
    )
    assert positioned["ratings"][0]["level"] == 3

    mine = await fetch_json(jp_fetch, "journal", "api", "passports", "camille")
    first = mine["domains"][0]["competences"][0]
    assert first["states"]["ready"] == 1
    assert first["self_positioning"] == [{"day": "2026-11-23", "level": 3}]
    withdrawn = await fetch_json(jp_fetch, *evidence, "withdraw", method="POST", body="")
    assert withdrawn["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("change", "status", "fragment"),
    [
        ({"colour": "bleu"}, 400, "unknown field: colour"),
        ({"competence": None}, 400, "is not a competence of your cohort's framework"),
        ({"exact": "autre chose"}, 400, "no longer matches"),
        ({"start": "trois"}, 400, "'start' must be a whole number"),
        ({"cell_id": "nulle-part"}, 404, "no cell 'nulle-part'"),
    ],
)
async def test_bad_claims_are_refused_with_a_message(jp_fetch, change, status, fragment):
    document_id, body = await claim_body(jp_fetch)
    body.update(change)
    message = await expect_error(
        jp_fetch,
        status,
        "journal",
        "api",
        "documents",
        str(document_id),
        "evidence",
        method="POST",
        body=json.dumps(body),
    )
    assert fragment in message


async def test_missing_fields_and_refused_states(jp_fetch):
    document_id, body = await claim_body(jp_fetch)
    message = await expect_error(
        jp_fetch,
        400,
        "journal",
        "api",
        "documents",
        str(document_id),
        "evidence",
        method="POST",
        body=json.dumps({"cell_id": body["cell_id"]}),
    )
    assert message == "missing fields: start, end, exact, competence"
    claimed = await fetch_json(
        jp_fetch, "journal", "api", "documents", str(document_id), "evidence", method="POST", body=json.dumps(body)
    )
    evidence = ("journal", "api", "evidence", str(claimed["id"]))
    assert "as self, you may set ready; not met" in await expect_error(
        jp_fetch, 403, *evidence, "assessments", method="POST", body=json.dumps({"state": "met"})
    )
    assert "the comment cannot be empty" in await expect_error(
        jp_fetch, 400, *evidence, "comments", method="POST", body=json.dumps({"text": "  "})
    )
    assert "no evidence with id 4242" in await expect_error(jp_fetch, 404, "journal", "api", "evidence", "4242")
    assert "'day' must be a date" in await expect_error(
        jp_fetch,
        400,
        "journal",
        "api",
        "self-positioning",
        method="POST",
        body=json.dumps({"ratings": {"DC1.1": 2}, "day": "demain"}),
    )
    assert "no passport for 'yanis'" in await expect_error(jp_fetch, 404, "journal", "api", "passports", "yanis")


async def test_the_passport_downloads(jp_fetch):
    response = await jp_fetch("journal", "api", "passports", "camille", "export", params={"format": "html"})
    assert response.headers["Content-Type"].startswith("text/html")
    assert "passeport-camille.html" in response.headers["Content-Disposition"]
    assert "Passeport compétences" in response.body.decode()
    assert "no passport for 'yanis'" in await expect_error(
        jp_fetch, 404, "journal", "api", "passports", "yanis", "export"
    )


async def test_the_passports_one_may_see_and_the_figure(jp_fetch):
    listed = await fetch_json(jp_fetch, "journal", "api", "passports")
    assert [p["learner"] for p in listed["passports"]] == ["camille"]
    response = await jp_fetch("journal", "api", "passports", "camille", "chart")
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert response.body.lstrip().startswith(b"<?xml") and b"<svg" in response.body
    assert "'lang' must be fr or en" in await expect_error(
        jp_fetch, 400, "journal", "api", "passports", "camille", "chart", params={"lang": "de"}
    )
    assert "no passport for 'yanis'" in await expect_error(
        jp_fetch, 404, "journal", "api", "passports", "yanis", "chart"
    )

"""Export downloads through the REST API: the file, its name, its options, and what a user may not export."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import docx
import pytest
from tornado.httpclient import HTTPClientError

from journal_ext import export
from journal_ext.core.documents import create_from_template, write_sections
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore

from .conftest import COHORT, GROUP_A, build_cohort, fetch_json

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True

SECRET = "Tamanoir-confidentiel"


@pytest.fixture
def journal_db(tmp_path: Path) -> Path:
    """The test cohort with a shared diagnostic (Camille and Yanis) and Yanis's private entry."""
    path = tmp_path / "server-journal.db"
    with JournalStore(path) as store:
        build_cohort(store)
        group = store.group(f"{COHORT}/{GROUP_A}")
        versions = {v["kind"]: v["id"] for v in store.group_templates(group["id"])}
        camille, yanis = viewer_for(store, "camille"), viewer_for(store, "yanis")
        diagnostic = create_from_template(
            store, camille, template_version_id=versions["shared_diagnostic"], group_id=group["id"]
        )
        write_sections(store, camille, diagnostic, {"commission": "Le centre social de Maurepas nous sollicite."})
        write_sections(store, yanis, store.document(diagnostic["id"]), {"method": "Entretiens avec douze habitantes."})
        private = create_from_template(
            store,
            yanis,
            template_version_id=versions["learning_journal"],
            group_id=group["id"],
            visibility="private",
        )
        write_sections(store, yanis, private, {"situation": f"Une note à moi seul : {SECRET}."})
        entry = create_from_template(
            store, camille, template_version_id=versions["learning_journal"], group_id=group["id"]
        )
        write_sections(store, camille, entry, {"situation": "Réunion du conseil de maison."})
    return path


async def document_ids(jp_fetch: Any) -> dict[str, int]:
    listed = await fetch_json(jp_fetch, "journal", "api", "documents")
    return {d["kind"]: d["id"] for d in listed["documents"]}


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


async def expect_error(jp_fetch: Any, status: int, *parts: str, **kwargs: Any) -> str:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(*parts, **kwargs)
    assert caught.value.code == status, caught.value.response.body
    return json.loads(caught.value.response.body)["message"]


async def test_pdf_is_offered_out_of_the_box_with_its_variants(jp_fetch):
    answer = await fetch_json(jp_fetch, "journal", "api", "exports", "formats")
    formats = {f["id"]: f for f in answer["formats"]}
    assert all(f["available"] for f in formats.values())
    assert formats["pdf"]["converter"] == "weasyprint" and formats["pdf"]["message"] is None
    assert formats["pdf"]["variants"] == ["pdf/a-3b", "pdf"] and formats["pdf"]["default_variant"] == "pdf/a-3b"


async def test_formats_say_which_package_pdf_needs_in_the_readers_language(jp_fetch, monkeypatch):
    monkeypatch.setattr(export, "pdf_converter", lambda: None)
    english = await fetch_json(
        jp_fetch, "journal", "api", "exports", "formats", headers={"Accept-Language": "en-GB,en;q=0.8"}
    )
    formats = {f["id"]: f for f in english["formats"]}
    assert formats["docx"]["available"] and formats["html"]["available"]
    assert formats["pdf"]["available"] is False
    assert formats["pdf"]["message"] == export.pdf_help("en")
    assert "libpango-1.0-0" in formats["pdf"]["message"]
    french = await fetch_json(jp_fetch, "journal", "api", "exports", "formats", headers={"Accept-Language": "fr"})
    assert french["formats"][2]["message"].startswith("L'export PDF a besoin de la bibliothèque Pango")


async def test_a_document_downloads_as_docx_with_its_name(jp_fetch):
    ids = await document_ids(jp_fetch)
    response = await jp_fetch("journal", "api", "documents", str(ids["shared_diagnostic"]), "export")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
    assert name == "groupe-quartiers-diagnostic-partage.docx"
    text = docx_text(response.body)
    assert "Le centre social de Maurepas nous sollicite." in text
    assert "Entretiens avec douze habitantes." in text


async def test_options_reach_the_export(jp_fetch):
    ids = await document_ids(jp_fetch)
    parts = ("journal", "api", "documents", str(ids["shared_diagnostic"]), "export")
    plain = (await jp_fetch(*parts, params={"format": "html", "authors": "false"})).body.decode()
    with_prompts = (await jp_fetch(*parts, params={"format": "html", "prompts": "true"})).body.decode()
    english = (await jp_fetch(*parts, params={"format": "html", "lang": "en"})).body.decode()
    HTMLParser().feed(plain)
    assert '<html lang="fr"' in plain and '<html lang="en"' in english
    assert "Rédigé par" not in plain and "Rédigé par" in with_prompts
    assert len(with_prompts) > len(plain)


async def test_a_group_export_holds_only_what_the_learner_may_read(jp_fetch):
    me = await fetch_json(jp_fetch, "journal", "api", "me")
    group_id = me["groups"][0]["id"]
    response = await jp_fetch("journal", "api", "groups", str(group_id), "export", params={"format": "html"})
    page = response.body.decode()
    assert "Le centre social de Maurepas nous sollicite." in page
    assert SECRET not in page


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"format": "odt"}, "'format' must be one of docx, html, pdf"),
        ({"lang": "de"}, "'lang' must be one of fr, en"),
        ({"prompts": "peut-être"}, "'prompts' must be true or false"),
        ({"format": "pdf", "pdf_variant": "pdf/x-4"}, "'pdf_variant' must be one of pdf/a-3b, pdf, got 'pdf/x-4'"),
    ],
)
async def test_bad_options_are_400_with_a_message(jp_fetch, params, fragment):
    ids = await document_ids(jp_fetch)
    message = await expect_error(
        jp_fetch, 400, "journal", "api", "documents", str(ids["shared_diagnostic"]), "export", params=params
    )
    assert fragment in message


async def test_pdf_without_pango_says_which_package_to_install(jp_fetch, monkeypatch):
    monkeypatch.setattr(export, "pdf_converter", lambda: None)
    ids = await document_ids(jp_fetch)
    parts = ("journal", "api", "documents", str(ids["shared_diagnostic"]), "export")
    message = await expect_error(jp_fetch, 400, *parts, params={"format": "pdf"}, headers={"Accept-Language": "en"})
    assert message == export.pdf_help("en")
    french = await expect_error(jp_fetch, 400, *parts, params={"format": "pdf"}, headers={"Accept-Language": "fr-FR"})
    assert french == export.pdf_help("fr")


@pytest.mark.parametrize("variant", ["pdf/a-3b", "pdf"])
async def test_a_group_downloads_as_pdf(jp_fetch, variant):
    from pypdf import PdfReader

    me = await fetch_json(jp_fetch, "journal", "api", "me")
    response = await jp_fetch(
        "journal",
        "api",
        "groups",
        str(me["groups"][0]["id"]),
        "export",
        params={"format": "pdf", "pdf_variant": variant, "lang": "en"},
    )
    assert response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Le centre social de Maurepas nous sollicite." in text and SECRET not in text
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en" and "/StructTreeRoot" in catalog
    metadata = catalog["/Metadata"].get_object().get_data().decode() if "/Metadata" in catalog else ""
    assert ('pdfaid:part="3"' in metadata) is (variant == "pdf/a-3b")


async def test_what_one_may_not_read_cannot_be_exported(jp_fetch):
    # Yanis's private entry: the same 404 as a document that doesn't exist.
    listed = await fetch_json(jp_fetch, "journal", "api", "documents")
    visible = {d["id"] for d in listed["documents"]}
    hidden = next(i for i in range(1, 50) if i not in visible and i < max(visible) + 2)
    message = await expect_error(jp_fetch, 404, "journal", "api", "documents", str(hidden), "export")
    assert SECRET not in message
    missing = await expect_error(jp_fetch, 404, "journal", "api", "documents", "4242", "export")
    assert "4242" in missing
    # Another group, and a journal one may not read.
    await expect_error(jp_fetch, 404, "journal", "api", "groups", "4242", "export")
    message = await expect_error(
        jp_fetch, 404, "journal", "api", "journals", "yanis", "export", params={"format": "html"}
    )
    assert "no learning-journal entry or field observation that you may read" in message


async def test_a_learners_own_journal_downloads(jp_fetch):
    response = await jp_fetch("journal", "api", "journals", "camille", "export", params={"format": "html"})
    assert response.headers["Content-Type"].startswith("text/html")
    page = response.body.decode()
    HTMLParser().feed(page)
    assert "Réunion du conseil de maison." in page

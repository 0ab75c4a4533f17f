"""Exports from the interface in a real JupyterLab: the toolbar's Export button, the dialog, the downloaded file."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import docx
from pypdf import PdfReader

from .conftest import Lab, open_lab
from .test_sidebar import GROUP, SIDEBAR, open_sidebar, section

DIAGNOSTIC = f"Journal/{GROUP}/Diagnostic partagé.ipynb"


def test_a_learner_downloads_her_groups_diagnostic_as_word(browser: Any, demo_lab: Lab) -> None:
    page = open_lab(browser, demo_lab, "lab/tree/" + quote(DIAGNOSTIC))
    page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput").first.wait_for(timeout=60_000)
    page.locator(".jp-NotebookPanel:visible .jp-JournalExport-toolbarButton").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text="Exporter « Diagnostic partagé »").wait_for(timeout=10_000)
    assert dialog.get_by_role("radio", name="Word (DOCX)").is_checked()
    dialog.get_by_role("checkbox", name="Inclure les consignes").check()
    with page.expect_download(timeout=60_000) as downloading:
        dialog.get_by_role("button", name="Exporter").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".docx")
    content = download.path().read_bytes()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert "Diagnostic partagé" in text
    assert GROUP in text
    # Progress, then where the file went, in French.
    page.locator(".jp-toast-message", has_text="est dans vos téléchargements").wait_for(timeout=30_000)
    page.context.close()


def test_the_sidebar_exports_a_group_as_a_web_page(browser: Any, demo_lab: Lab) -> None:
    page = open_sidebar(browser, demo_lab)
    section(page, GROUP).get_by_role("button", name=f"Exporter les documents de {GROUP}").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_role("radio", name="Page web (HTML)").check()
    with page.expect_download(timeout=60_000) as downloading:
        dialog.get_by_role("button", name="Exporter").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".html")
    html = download.path().read_text(encoding="utf-8")
    assert '<html lang="fr"' in html and "Diagnostic partagé" in html
    assert page.locator(SIDEBAR).count() == 1
    page.context.close()


def test_a_learner_downloads_her_groups_diagnostic_as_an_archivable_pdf(browser: Any, demo_lab: Lab) -> None:
    page = open_lab(browser, demo_lab, "lab/tree/" + quote(DIAGNOSTIC))
    page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput").first.wait_for(timeout=60_000)
    page.locator(".jp-NotebookPanel:visible .jp-JournalExport-toolbarButton").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text="Exporter « Diagnostic partagé »").wait_for(timeout=10_000)
    # PDF is offered out of the box; the kind of PDF appears once it is chosen.
    pdf = dialog.get_by_role("radio", name="PDF", exact=True)
    assert pdf.is_enabled()
    assert dialog.locator(".jp-JournalExport-unavailable").count() == 0
    variant = dialog.get_by_role("combobox", name="Type de PDF")
    assert not variant.is_visible()
    pdf.check()
    variant.wait_for(state="visible", timeout=5_000)
    assert variant.input_value() == "pdf/a-3b"
    assert variant.locator("option").all_inner_texts() == [
        "PDF/A-3b, pour l'archivage (polices incorporées)",
        "PDF balisé",
    ]
    with page.expect_download(timeout=60_000) as downloading:
        dialog.get_by_role("button", name="Exporter").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".pdf")
    reader = PdfReader(download.path())
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Diagnostic partagé" in text and GROUP in text
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fr" and "/StructTreeRoot" in catalog
    assert 'pdfaid:part="3"' in catalog["/Metadata"].get_object().get_data().decode()
    page.locator(".jp-toast-message", has_text="est dans vos téléchargements").wait_for(timeout=30_000)
    page.context.close()

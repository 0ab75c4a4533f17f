"""Exports from the interface in a real JupyterLab: the toolbar's Export button, the dialog, the downloaded file."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import docx
from pypdf import PdfReader

from .conftest import Lab, open_lab
from .test_accessibility import describe, run_axe
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


RADIO_LOOK = """() => [...document.querySelectorAll('.jp-Dialog input[type=radio]')].map(radio => {
    const style = getComputedStyle(radio);
    return { value: radio.value, checked: radio.checked, appearance: style.appearance, width: radio.offsetWidth };
})"""


def test_the_chosen_format_shows_and_the_dialog_passes_axe(browser: Any, demo_lab: Lab, axe_source: str) -> None:
    page = open_lab(browser, demo_lab, "lab/tree/" + quote(DIAGNOSTIC))
    page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput").first.wait_for(timeout=60_000)
    page.locator(".jp-NotebookPanel:visible .jp-JournalExport-toolbarButton").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text="Exporter « Diagnostic partagé »").wait_for(timeout=10_000)
    # Real radio buttons (the dialog's styling had made them blank text boxes).
    looks = page.evaluate(RADIO_LOOK)
    assert [look["value"] for look in looks] == ["docx", "html", "pdf"]
    assert all(look["appearance"] != "none" and look["width"] < 24 for look in looks), looks
    # The chosen one looks chosen: the checked button's pixels differ from an unchecked one's.
    word, web = dialog.get_by_role("radio", name="Word (DOCX)"), dialog.get_by_role("radio", name="Page web (HTML)")
    assert word.is_checked()
    assert word.screenshot() != web.screenshot()
    web.check()
    assert word.screenshot() != web.screenshot()
    violations = run_axe(page, axe_source, ".jp-Dialog-content")
    assert not violations, f"axe: serious/critical violations in the export dialog:\n{describe(violations)}"
    page.context.close()


def test_pdf_unavailable_is_said_in_plain_french(browser: Any, demo_lab: Lab) -> None:
    page = open_lab(browser, demo_lab, "lab/tree/" + quote(DIAGNOSTIC))
    # A server without what PDF needs, as `exports/formats` describes it there.
    unavailable = {
        "formats": [
            {"id": "docx", "available": True},
            {"id": "html", "available": True},
            {"id": "pdf", "available": False, "message": "apt-get install libpango-1.0-0 libpangoft2-1.0-0"},
        ]
    }
    page.route("**/journal/api/exports/formats*", lambda route: route.fulfill(json=unavailable))
    page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput").first.wait_for(timeout=60_000)
    page.locator(".jp-NotebookPanel:visible .jp-JournalExport-toolbarButton").click()
    dialog = page.locator(".jp-Dialog")
    assert dialog.get_by_role("radio", name="PDF", exact=True).is_disabled()
    notice = dialog.locator(".jp-JournalExport-unavailable").inner_text()
    assert "Demandez à votre administrateur·rice" in notice and "Word et la page web fonctionnent" in notice
    for jargon in ("Pango", "apt-get", "soffice", "WeasyPrint", "libpango"):
        assert jargon not in notice and jargon not in (dialog.inner_html())
    page.context.close()


def test_a_passport_export_is_titled_as_one_with_no_meaningless_option(browser: Any, demo_lab: Lab) -> None:
    page = open_lab(browser, demo_lab)
    page.locator(".jp-SideBar [role=tab][data-id=journal-ext-passport]").click()
    page.locator("#journal-ext-passport .jp-JournalPassport-summary").wait_for(timeout=30_000)
    page.get_by_role("button", name="Exporter ce passeport").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text="Exporter le passeport de compétences de Camille Martin").wait_for(
        timeout=10_000
    )
    # No prompts, authors or comments in a passport: nothing to tick.
    assert dialog.get_by_role("checkbox").count() == 0
    assert dialog.get_by_role("radio", name="Word (DOCX)").is_checked()
    with page.expect_download(timeout=60_000) as downloading:
        dialog.get_by_role("button", name="Exporter").click()
    assert downloading.value.suggested_filename.endswith(".docx")
    page.context.close()

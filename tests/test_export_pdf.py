"""PDF exports read back with pypdf: their text, tags, language, metadata, bookmarks and PDF/A identification."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from journal_ext import export
from journal_ext.cli import cli
from journal_ext.core import demo
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore
from journal_ext.export import ExportOptions

from .conftest import GROUP_A
from .test_export import SECRET, annotations_for, answer_cell, journal_entry, make_diagnostic

NOTE = "Qui a formulé cette commande ?"


def pdf_text(content: bytes) -> str:
    """Every page's text, whitespace made single spaces (lines wrap where the page says)."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def bookmarks(reader: PdfReader) -> list[str]:
    """The titles of the PDF's outline, depth first."""
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(reader.outline)
    return titles


def structure(reader: PdfReader) -> list[DictionaryObject]:
    """Every element of the PDF's structure tree."""
    found: list[DictionaryObject] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return
        found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def xmp(reader: PdfReader) -> str:
    catalog = reader.trailer["/Root"]
    return catalog["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in catalog else ""


def fonts(reader: PdfReader) -> dict[str, list[str]]:
    """Each font the pages use, with the FontFile entries of its descriptor."""
    found: dict[str, list[str]] = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            found[str(font["/BaseFont"])] = [k for k in descriptor.get_object() if k.startswith("/FontFile")]
    return found


@pytest.fixture
def group_store(cohort_store: JournalStore) -> JournalStore:
    """The test cohort with a shared diagnostic, Camille's private entry (the secret) and an entry of Yanis."""
    make_diagnostic(cohort_store)
    journal_entry(cohort_store, "camille", f"Mon mot secret : {SECRET}.", "private")
    journal_entry(cohort_store, "yanis", "Une entrée de Yanis, pour Nadia.")
    return cohort_store


def test_a_group_exports_to_pdf_with_authors_notes_contents_and_lengths(group_store: JournalStore):
    store = group_store
    diagnostic = store.document(1)
    cell = answer_cell(store, diagnostic["id"], "commission")
    source = annotations_for(cell.cell_id, "espace de vie sociale")
    options = ExportOptions(include_annotations=True, annotations=source, include_prompts=True)
    [exported] = export.export_group(store, viewer_for(store, "yanis"), GROUP_A, "pdf", options, combined=True)
    assert exported.filename == "groupe-quartiers.pdf"
    text = pdf_text(exported.content)
    for heading in ("Diagnostic partagé", "La commande et son contexte", "Démarche et méthodes", "Sommaire"):
        assert heading in text
    assert "Rédigé par Camille" in text and "Rédigé par Yanis" in text
    assert "Consigne" in text
    assert NOTE in text and "Nadia Benali" in text
    assert "Longueur des sections" in text
    assert "Une entrée de Yanis, pour Nadia." in text
    # Another learner's private entry never reaches the file.
    assert SECRET not in text
    # Page numbers in the margin, from the second page: "2 / N".
    reader = PdfReader(io.BytesIO(exported.content))
    pages = len(reader.pages)
    assert re.search(rf"\b2 / {pages}\b", reader.pages[1].extract_text())

    plain = ExportOptions(annotations=source, show_authors=False, include_length_report=False)
    [without] = export.export_group(store, viewer_for(store, "yanis"), GROUP_A, "pdf", plain, combined=True)
    text = pdf_text(without.content)
    assert NOTE not in text and "Rédigé par" not in text and "Longueur des sections" not in text
    assert "Consigne" not in text and "Le centre social" in text


def test_a_journal_exports_to_pdf_without_what_the_reader_may_not_read(group_store: JournalStore):
    journal_entry(group_store, "camille", "Une deuxième entrée, visible de Nadia.")
    exported = export.export_journal(group_store, viewer_for(group_store, "nadia"), "camille", "pdf")
    assert exported.filename == "journal-camille.pdf"
    text = pdf_text(exported.content)
    assert "Une deuxième entrée, visible de Nadia." in text and "Ce qui s'est passé" in text
    assert "Sommaire" in text
    assert SECRET not in text
    # Camille's own export holds her private entry.
    assert SECRET in pdf_text(
        export.export_journal(group_store, viewer_for(group_store, "camille"), "camille", "pdf").content
    )


def test_a_passport_exports_to_pdf_with_its_figure_described(store: JournalStore):
    demo.populate(store)
    exported = export.export_passport(store, viewer_for(store, "nadia"), "camille", "pdf")
    assert exported.filename == "passeport-camille-martin.pdf"
    text = pdf_text(exported.content)
    assert "Passeport compétences" in text and "Vue d'ensemble" in text
    assert "garde d'enfants" in text and "atteinte (formateur·rice, Nadia Benali)" in text
    reader = PdfReader(io.BytesIO(exported.content))
    figures = [e for e in structure(reader) if e.get("/S") == "/Figure"]
    assert [str(f.get("/Alt")) for f in figures] == ["Preuves par compétence et auto-positionnement"]
    # The coordinator gets the judgements, not the passages of journals shared with tutors only.
    coordinator = pdf_text(export.export_passport(store, viewer_for(store, "helene"), "camille", "pdf").content)
    assert "garde d'enfants" not in coordinator and "Vue d'ensemble" in coordinator


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pdf_metadata_tags_and_bookmarks(group_store: JournalStore, language: str):
    options = ExportOptions(language=language, pdf_variant="pdf")
    [exported] = export.export_group(
        group_store, viewer_for(group_store, "yanis"), GROUP_A, "pdf", options, combined=True
    )
    reader = PdfReader(io.BytesIO(exported.content))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == language
    subtitle = "Documents du groupe" if language == "fr" else "Documents of the group"
    assert reader.metadata is not None
    assert reader.metadata.title == f"{GROUP_A} — {subtitle}"
    assert reader.metadata.author is not None and "Camille" in reader.metadata.author
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])
    kinds = {str(e.get("/S")) for e in structure(reader)}
    assert {"/H1", "/H2", "/H3", "/P", "/Table"} <= kinds
    outline = bookmarks(reader)
    assert outline[0] == GROUP_A and "Diagnostic partagé" in outline
    assert "La commande et son contexte" in outline
    # A plain tagged PDF claims no PDF/A conformance.
    assert "pdfaid" not in xmp(reader)


def test_the_default_pdf_is_pdf_a_3b_with_every_font_embedded(store: JournalStore):
    demo.populate(store)
    exported = export.export_passport(store, viewer_for(store, "nadia"), "camille", "pdf")
    reader = PdfReader(io.BytesIO(exported.content))
    metadata = xmp(reader)
    assert re.search(r'pdfaid:part="3"', metadata) and re.search(r'pdfaid:conformance="B"', metadata)
    used = fonts(reader)
    assert used and all(files for files in used.values()), used
    catalog = reader.trailer["/Root"]
    assert "/OutputIntents" in catalog and "/StructTreeRoot" in catalog and catalog["/Lang"] == "fr"


def test_cli_pdf_variant(group_store: JournalStore, tmp_path: Any):
    path = tmp_path / "copy.db"
    group_store.backup(path)
    runner = CliRunner()
    for variant, claims in (("pdf/a-3b", True), ("pdf", False)):
        out = tmp_path / f"{variant.replace('/', '-')}.pdf"
        result = runner.invoke(
            cli,
            [
                *("export", "document", "1", "--format", "pdf", "--pdf-variant", variant),
                *("--as", "camille", "--out", str(out), "--db", str(path)),
            ],
        )
        assert result.exit_code == 0, result.output
        assert ("pdfaid" in xmp(PdfReader(out))) is claims
    result = runner.invoke(cli, ["export", "passport", "camille", "--format", "pdf", "--pdf-variant", "pdf/x-4"])
    assert result.exit_code == 2 and "'pdf/x-4' is not one of 'pdf/a-3b', 'pdf'" in result.output

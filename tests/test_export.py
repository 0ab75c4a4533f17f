"""Exports: DOCX opened again with python-docx, HTML parsed, lengths, permissions, PDF and the CLI."""

from __future__ import annotations

import base64
import importlib.abc
import io
import json
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner, Result
from docx.oxml.ns import qn

from journal_ext import export
from journal_ext.cli import cli
from journal_ext.core.documents import (
    create_from_template,
    set_visibility,
    write_sections,
)
from journal_ext.core.permissions import viewer_for
from journal_ext.db import CellRow, JournalStore, NotFound
from journal_ext.export import ConverterMissing, ExportError, ExportOptions, exports

from .conftest import COHORT, GROUP_A, build_cohort

COMMISSION = """Le centre social « Les Landes » nous a **sollicité·es** pour préfigurer un *espace de vie sociale*.

## Les attentes

- les habitant·es du bâtiment C
- les jeunes de 16-20 ans
  - surtout en soirée

1. Rencontrer la directrice
2. Négocier la commande

| Acteur | Rôle |
|---|--:|
| Directrice | commanditaire |
| Référente famille | relais |

Voir [le projet social](https://example.org/projet) du centre."""

METHOD = "Nous croisons observations, entretiens courts et un atelier de restitution."
TERRITORY = "Le quartier compte environ 3 000 habitant·es ; la ligne de bus s'arrête à 20 h."
# Words of the template's consigne for the commission section (never a learner's).
PROMPT_WORDS = "Présentez la structure commanditaire"


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A valid PNG made by hand (no imaging library needed)."""
    raw = b"".join(b"\x00" + b"\xd0\x40\x20" * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PNG_B64 = base64.b64encode(tiny_png()).decode("ascii")


def group_template(store: JournalStore, kind: str) -> tuple[dict[str, Any], int]:
    group = store.group(f"{COHORT}/{GROUP_A}")
    version = next(v for v in store.group_templates(group["id"]) if v["kind"] == kind)
    return group, version["id"]


def make_diagnostic(store: JournalStore) -> dict[str, Any]:
    """A shared diagnostic written by Camille, Yanis and Léa, with an image, a code cell's outputs and a table."""
    group, version = group_template(store, "shared_diagnostic")
    camille = viewer_for(store, "camille")
    document = create_from_template(store, camille, template_version_id=version, group_id=group["id"])
    write_sections(store, camille, document, {"commission": COMMISSION})
    write_sections(store, viewer_for(store, "yanis"), store.document(document["id"]), {"method": METHOD})
    write_sections(store, viewer_for(store, "lea"), store.document(document["id"]), {"territory": TERRITORY})
    cells = store.cells(document["id"])
    after = next(i for i, c in enumerate(cells) if c.section_key == "territory" and c.source == TERRITORY)
    added = [
        CellRow(
            cell_id="carte",
            position=0,
            cell_type="markdown",
            source="![Carte du quartier](attachment:carte.png)",
            attachments={"carte.png": {"image/png": PNG_B64}},
        ),
        CellRow(
            cell_id="calcul",
            position=0,
            cell_type="code",
            source="print(total)",
            outputs=[
                {"output_type": "stream", "name": "stdout", "text": "Total : 42 familles\n"},
                {
                    "output_type": "display_data",
                    "data": {"image/png": PNG_B64, "text/plain": "<Figure>"},
                    "metadata": {},
                },
            ],
        ),
    ]
    store.save_cells(document["id"], cells[: after + 1] + added + cells[after + 1 :], author="lea")
    return store.document(document["id"])


@pytest.fixture
def diagnostic(cohort_store: JournalStore) -> dict[str, Any]:
    return make_diagnostic(cohort_store)


def open_docx(content: bytes) -> Any:
    return docx.Document(io.BytesIO(content))


def texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


def styled(document: Any, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def export_docx(store: JournalStore, user: str, document_id: int, **options: Any) -> Any:
    exported = export.export_document(store, viewer_for(store, user), document_id, "docx", ExportOptions(**options))
    assert exported.filename.endswith(".docx")
    return open_docx(exported.content)


def export_html(store: JournalStore, user: str, document_id: int, **options: Any) -> str:
    exported = export.export_document(store, viewer_for(store, user), document_id, "html", ExportOptions(**options))
    return exported.content.decode("utf-8")


def annotations_for(
    cell_id: str, exact: str, start: int = 0, **extra: Any
) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    def source(_document: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "cell_id": cell_id,
                "exact": exact,
                "start": start,
                "end": start + len(exact),
                "author_name": "Nadia Benali",
                "body": "Qui a formulé cette commande ?",
                "status": "open",
                "replies": [{"author_name": "Camille", "body": "La directrice, puis nous."}],
                **extra,
            }
        ]

    return source


def answer_cell(store: JournalStore, document_id: int, section: str) -> CellRow:
    return next(
        c
        for c in store.cells(document_id)
        if c.section_key == section and c.metadata.get("journal", {}).get("role") == "answer"
    )


# --- DOCX ---------------------------------------------------------------------------


def test_docx_title_page(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    document = export_docx(cohort_store, "camille", diagnostic["id"])
    first = document.paragraphs[0]
    assert first.style.name == "Title" and first.text == "Diagnostic partagé"
    page = "\n".join(texts(document)[:8])
    assert f"Promotion\u00a0: {COHORT}" in page
    assert f"Groupe\u00a0: {GROUP_A}" in page
    assert "Commande\u00a0: Commande du Groupe Quartiers" in page
    assert "Auteur·rices\u00a0: Camille, Yanis, Lea" in page
    assert "Date\u00a0: " in page
    assert document.core_properties.title == "Diagnostic partagé"
    assert document.core_properties.language == "fr-FR"


def test_docx_title_page_in_english(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    document = export_docx(cohort_store, "camille", diagnostic["id"], language="en")
    page = "\n".join(texts(document)[:8])
    assert f"Cohort: {COHORT}" in page and "Authors: Camille, Yanis, Lea" in page
    assert "Section lengths" in styled(document, "Heading 1")


def test_docx_headings_follow_the_template(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    document = export_docx(cohort_store, "camille", diagnostic["id"])
    assert styled(document, "Heading 1") == [
        "La commande et son contexte",
        "Démarche et méthodes",
        "Le territoire",
        "La dimension partagée",
        "La faisabilité du projet",
        "Enjeux et pistes d'action",
        "Sources et annexes",
        "Longueur des sections",
    ]
    # A heading written inside a section sits one level below the section's heading.
    assert styled(document, "Heading 2") == ["Les attentes"]
    assert "Section non rédigée." in texts(document)


def test_docx_lists_tables_and_inline_formatting(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    document = export_docx(cohort_store, "camille", diagnostic["id"])
    assert styled(document, "List Bullet") == ["les habitant·es du bâtiment C", "les jeunes de 16-20 ans"]
    assert styled(document, "List Bullet 2") == ["surtout en soirée"]
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["Rencontrer la directrice", "Négocier la commande"]
    # Each numbered list has a numbering of its own, so it starts again at 1.
    assert all(p._p.pPr.numPr is not None for p in numbered)
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Acteur", "Rôle"],
        ["Directrice", "commanditaire"],
        ["Référente famille", "relais"],
    ]
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)
    first = next(p for p in document.paragraphs if p.text.startswith("Le centre social"))
    assert [r.text for r in first.runs if r.bold] == ["sollicité·es"]
    assert [r.text for r in first.runs if r.italic] == ["espace de vie sociale"]
    assert "Voir le projet social (https://example.org/projet) du centre." in texts(document)


def test_docx_images_from_attachments_and_outputs(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    document = export_docx(cohort_store, "camille", diagnostic["id"])
    assert len(document.inline_shapes) == 2
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert descriptions[0] == "Carte du quartier"
    # The code cell prints its outputs, not its source.
    assert "Total : 42 familles" in texts(document)
    assert "print(total)" not in "\n".join(texts(document))
    with_code = export_docx(cohort_store, "camille", diagnostic["id"], include_code=True)
    assert "print(total)" in texts(with_code)


def test_docx_authors_line_when_asked(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    document = export_docx(cohort_store, "camille", diagnostic["id"])
    paragraphs = texts(document)
    assert paragraphs[paragraphs.index("La commande et son contexte") + 1] == "Rédigé par Camille"
    assert paragraphs[paragraphs.index("Démarche et méthodes") + 1] == "Rédigé par Yanis"
    assert paragraphs[paragraphs.index("Le territoire") + 1] == "Rédigé par Lea"
    without = export_docx(cohort_store, "camille", diagnostic["id"], show_authors=False)
    assert not any(p.startswith("Rédigé par") for p in texts(without))
    # The title page still names the authors.
    assert any("Camille, Yanis, Lea" in p for p in texts(without))


def test_docx_prompts_left_out_unless_asked(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    document = export_docx(cohort_store, "camille", diagnostic["id"])
    assert PROMPT_WORDS not in "\n".join(texts(document))
    assert "Consigne" not in texts(document)
    with_prompts = export_docx(cohort_store, "camille", diagnostic["id"], include_prompts=True)
    paragraphs = texts(with_prompts)
    assert "Consigne" in paragraphs
    prompt = next(p for p in with_prompts.paragraphs if PROMPT_WORDS in p.text)
    assert prompt.style.name == "Quote"
    # The consigne comes under its heading, before the learners' text.
    assert (
        paragraphs.index("La commande et son contexte")
        < paragraphs.index(prompt.text)
        < next(i for i, p in enumerate(paragraphs) if p.startswith("Le centre social"))
    )


def comment_ranges(document: Any) -> dict[str, str]:
    """The text each Word comment is anchored on, by comment id."""
    body = document.element.body
    open_ranges: dict[str, list[str]] = {}
    anchored: dict[str, str] = {}
    for element in body.iter():
        if element.tag == qn("w:commentRangeStart"):
            open_ranges[element.get(qn("w:id"))] = []
        elif element.tag == qn("w:commentRangeEnd"):
            anchored[element.get(qn("w:id"))] = "".join(open_ranges.pop(element.get(qn("w:id"))))
        elif element.tag == qn("w:t"):
            for parts in open_ranges.values():
                parts.append(element.text or "")
    return anchored


def test_docx_annotations_as_word_comments(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    cell = answer_cell(cohort_store, diagnostic["id"], "commission")
    source = annotations_for(cell.cell_id, "espace de vie sociale", start=COMMISSION.index("espace"))
    document = export_docx(cohort_store, "camille", diagnostic["id"], include_annotations=True, annotations=source)
    comments = list(document.comments)
    assert len(comments) == 1
    assert comments[0].author == "Nadia Benali"
    assert "Qui a formulé cette commande ?" in comments[0].text
    assert "Camille\u00a0: La directrice, puis nous." in comments[0].text
    assert list(comment_ranges(document).values()) == ["espace de vie sociale"]


def test_docx_annotations_as_numbered_notes(
    cohort_store: JournalStore, diagnostic: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    # python-docx before 1.2 has no comments: numbered notes at the end of the section.
    monkeypatch.setattr(exports, "word_comments_supported", lambda: False)
    cell = answer_cell(cohort_store, diagnostic["id"], "commission")
    source = annotations_for(cell.cell_id, "**sollicité·es** pour préfigurer")
    document = export_docx(cohort_store, "camille", diagnostic["id"], include_annotations=True, annotations=source)
    paragraphs = texts(document)
    assert "Annotations" in paragraphs
    note = next(p for p in paragraphs if p.startswith("1. "))
    assert "Nadia Benali" in note and "Qui a formulé cette commande ?" in note
    assert "Camille\u00a0: La directrice, puis nous." in paragraphs
    # The quote was Markdown: the note's number follows the rendered passage.
    first = next(p for p in document.paragraphs if p.text.startswith("Le centre social"))
    marker = next(r for r in first.runs if r.font.superscript)
    runs = [r.text for r in first.runs]
    assert marker.text == "1" and runs[runs.index("1") - 1] == " pour préfigurer"
    # Notes come after the section's text and before the next section.
    assert paragraphs.index("Annotations") < paragraphs.index("Démarche et méthodes")


def test_docx_annotations_absent_unless_asked(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    cell = answer_cell(cohort_store, diagnostic["id"], "commission")
    source = annotations_for(cell.cell_id, "espace de vie sociale")
    document = export_docx(cohort_store, "camille", diagnostic["id"], annotations=source)
    assert len(document.comments) == 0
    assert "Qui a formulé" not in "\n".join(texts(document))


def test_annotation_whose_passage_is_gone_is_still_printed(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    cell = answer_cell(cohort_store, diagnostic["id"], "method")

    def source(_document: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "cell_id": cell.cell_id,
                "exact": "un texte effacé depuis",
                "author_name": "Nadia Benali",
                "body": "Précisez.",
                "status": "open",
            },
            {
                "cell_id": "cellule-supprimee",
                "exact": "ailleurs",
                "author_name": "Nadia Benali",
                "body": "Et ceci ?",
                "status": "resolved",
            },
        ]

    html = export_html(cohort_store, "camille", diagnostic["id"], include_annotations=True, annotations=source)
    assert (
        "Sur «\u00a0un texte effacé depuis\u00a0»</span> — <strong>Nadia Benali</strong> (passage introuvable)" in html
    )
    assert "Autres annotations" in html and "(résolue)" in html
    document = export_docx(cohort_store, "camille", diagnostic["id"], include_annotations=True, annotations=source)
    assert len(document.comments) == 2


def test_annotations_ending_together_and_on_a_link(
    cohort_store: JournalStore, diagnostic: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    cell = answer_cell(cohort_store, diagnostic["id"], "commission")

    def source(_document: dict[str, Any]) -> list[dict[str, Any]]:
        note = {"cell_id": cell.cell_id, "author_name": "Nadia Benali", "status": "open"}
        return [
            {**note, "exact": "vie sociale", "start": 90, "body": "Premier."},
            {**note, "exact": "espace de vie sociale", "start": 80, "body": "Second."},
            {**note, "exact": "projet social", "start": 400, "body": "Le lien."},
        ]

    html = export_html(cohort_store, "camille", diagnostic["id"], include_annotations=True, annotations=source)
    outline(html)  # a note's number is never a link inside a link
    # Numbered in reading order; both numbers after the passage they end.
    assert '<a href="#note-1" id="note-ref-1" role="doc-noteref">1</a>,<a href="#note-2"' in html
    assert '</a><sup class="note-ref"><a href="#note-3"' in html
    monkeypatch.setattr(exports, "word_comments_supported", lambda: False)
    document = export_docx(cohort_store, "camille", diagnostic["id"], include_annotations=True, annotations=source)
    first = next(p for p in document.paragraphs if p.text.startswith("Le centre social"))
    assert [r.text for r in first.runs if r.font.superscript] == ["1,2"]
    assert [p for p in texts(document) if p[:3] in ("1. ", "2. ", "3. ")] == [
        "1. Sur «\u00a0espace de vie sociale\u00a0» — Nadia Benali\u00a0: Second.",
        "2. Sur «\u00a0vie sociale\u00a0» — Nadia Benali\u00a0: Premier.",
        "3. Sur «\u00a0projet social\u00a0» — Nadia Benali\u00a0: Le lien.",
    ]


def test_annotations_in_the_shape_the_annotations_api_lists_them(
    cohort_store: JournalStore, diagnostic: dict[str, Any]
):
    cell = answer_cell(cohort_store, diagnostic["id"], "commission")
    start = COMMISSION.index("espace")

    def source(_document: dict[str, Any]) -> list[dict[str, Any]]:
        listed = {
            "cell_id": cell.cell_id,
            "author": "nadia",
            "author_name": "Nadia Benali",
            "status": "resolved",
            "deleted": False,
            "quote": {"exact": "espace de vie sociale", "prefix": "un *", "suffix": "*."},
            "position": {"start": start, "end": start + 21},
            "anchor": {"start": start, "end": start + 21},
            "orphaned": False,
            "replies": [{"author_name": "Camille", "body": "Vu."}],
        }
        return [
            {**listed, "body": "Bien vu."},
            {**listed, "body": None, "deleted": True, "anchor": None, "orphaned": True},
        ]

    html = export_html(cohort_store, "camille", diagnostic["id"], include_annotations=True, annotations=source)
    outline(html)
    assert '<mark class="annotated"><em>espace de vie sociale</em></mark>' in html
    assert "<strong>Nadia Benali</strong> (résolue)\u00a0: Bien vu." in html
    assert "<strong>Nadia Benali</strong> (passage introuvable)\u00a0: (annotation supprimée)" in html


def test_annotations_come_from_the_store_as_each_reader_may_see_them(
    cohort_store: JournalStore, diagnostic: dict[str, Any]
):
    from journal_ext.core import annotations

    store = cohort_store
    cell = next(c for c in store.cells(diagnostic["id"]) if c.source == METHOD)
    start = METHOD.index("entretiens courts")
    nadia = viewer_for(store, "nadia")

    def annotate(body: str, audience: str) -> None:
        annotations.create_annotation(
            store,
            nadia,
            diagnostic["id"],
            {
                "cell_id": cell.cell_id,
                "start": start,
                "end": start + len("entretiens courts"),
                "exact": "entretiens courts",
                "body": body,
                "audience": audience,
            },
        )

    annotate("Combien d'entretiens ?", "group")
    annotate("À voir en équipe pédagogique.", "tutors")
    learner = export_html(store, "camille", diagnostic["id"], include_annotations=True)
    tutor = export_html(store, "nadia", diagnostic["id"], include_annotations=True)
    assert "Combien d'entretiens ?" in learner and "Combien d'entretiens ?" in tutor
    # A note for the tutors never reaches a learner's export.
    assert "À voir en équipe pédagogique." not in learner
    assert "À voir en équipe pédagogique." in tutor
    assert "Combien d'entretiens ?" not in export_html(store, "camille", diagnostic["id"])


# --- HTML ---------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Outline(HTMLParser):
    """Tags, headings and text of an HTML page, checking that every element is closed where it opened."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.start_tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.doctype = ""
        self._heading: list[str] | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.start_tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()
        if tag.startswith("h") and tag[1:].isdigit() and self._heading is not None:
            self.headings.append((tag, "".join(self._heading).strip()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.start_tags if tag == name]


def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    parser.close()
    assert parser.errors == [] and parser.stack == [], (parser.errors, parser.stack)
    assert parser.doctype.lower() == "doctype html"
    return parser


def test_html_structure(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    page = outline(export_html(cohort_store, "camille", diagnostic["id"]))
    assert page.tags("html") == [{"lang": "fr"}]
    assert page.tags("meta")[0] == {"charset": "utf-8"}
    headings = page.headings
    assert headings[0] == ("h1", "Diagnostic partagé")
    assert [h for h in headings if h[0] == "h1"] == [("h1", "Diagnostic partagé")]
    assert ("h2", "La commande et son contexte") in headings and ("h3", "Les attentes") in headings
    assert headings[-1] == ("h2", "Longueur des sections")
    text = "".join(page.text)
    assert PROMPT_WORDS not in text and "Consigne" not in text
    assert "Rédigé par Camille" in text
    # Self-contained: images are data URIs with alternative text, nothing is fetched.
    images = page.tags("img")
    assert len(images) == 2 and all(str(i["src"]).startswith("data:image/png;base64,") for i in images)
    assert images[0]["alt"] == "Carte du quartier"
    assert not page.tags("script") and not page.tags("link")
    assert any(a.get("href") == "https://example.org/projet" for a in page.tags("a"))
    assert [t for t in page.tags("th") if t.get("scope") == "col"]
    assert "@media print" in text


def test_html_in_english_with_prompts(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    page = outline(export_html(cohort_store, "camille", diagnostic["id"], language="en", include_prompts=True))
    assert page.tags("html") == [{"lang": "en"}]
    text = "".join(page.text)
    assert PROMPT_WORDS in text and "Prompt" in text and "Written by Camille" in text


def test_html_annotations_as_notes(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    cell = answer_cell(cohort_store, diagnostic["id"], "commission")
    source = annotations_for(cell.cell_id, "espace de vie sociale")
    html = export_html(cohort_store, "camille", diagnostic["id"], include_annotations=True, annotations=source)
    page = outline(html)
    assert '<mark class="annotated"><em>espace de vie sociale</em></mark>' in html
    assert page.tags("sup") and any(
        a.get("href") == "#note-1" and a.get("role") == "doc-noteref" for a in page.tags("a")
    )
    assert any(a.get("href") == "#note-ref-1" and a.get("role") == "doc-backlink" for a in page.tags("a"))
    assert page.tags("aside") == [{"class": "notes", "role": "note", "aria-label": "Annotations"}]
    assert any(li.get("id") == "note-1" for li in page.tags("li"))
    text = "".join(page.text)
    assert "Qui a formulé cette commande ?" in text and "La directrice, puis nous." in text
    without = export_html(cohort_store, "camille", diagnostic["id"], annotations=source)
    assert "Qui a formulé" not in without and "<aside" not in without


def test_html_escapes_what_learners_type(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    write_sections(
        cohort_store,
        viewer_for(cohort_store, "yanis"),
        cohort_store.document(diagnostic["id"]),
        {"method": 'Des <script>alert("x")</script> et <b>gras</b><br>puis [un lien](javascript:alert(1)) & co.'},
    )
    html = export_html(cohort_store, "camille", diagnostic["id"])
    page = outline(html)
    assert not page.tags("script") and 'href="javascript' not in html
    assert "gras" in "".join(page.text) and "&amp; co." in html


def test_outputs_and_attachments_never_carry_a_script_into_an_export(
    cohort_store: JournalStore, diagnostic: dict[str, Any]
):
    """Whatever a writer's outputs hold, an export reader's browser or word processor runs none of it."""
    store = cohort_store
    script = "<script>alert('export')</script>"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect/></svg>'
    cells = store.cells(diagnostic["id"])
    hostile = [
        CellRow(
            cell_id="code-out",
            position=len(cells),
            cell_type="code",
            source="x",
            metadata={"trusted": True},
            execution_count=1,
            outputs=[
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"application/javascript": "alert('js')", "text/plain": "rien"},
                },
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"text/html": f"<b>Gras</b>{script}", "text/plain": "Gras"},
                },
                {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": svg}},
            ],
        ),
        CellRow(
            cell_id="with-attachment",
            position=len(cells) + 1,
            cell_type="markdown",
            source="![carte](attachment:carte.svg) et <img src=x onerror=alert(3)>",
            attachments={"carte.svg": {"image/svg+xml": base64.b64encode(svg.encode()).decode()}},
        ),
    ]
    store.save_cells(diagnostic["id"], [*cells, *hostile], author="camille")
    html = export_html(store, "camille", diagnostic["id"])
    page = outline(html)
    assert not page.tags("script") and "alert(" not in html and "onerror" not in html and "onload" not in html
    # SVGs, from an output or an attachment, only ever as images (where no script runs).
    svgs = [i for i in page.tags("img") if str(i["src"]).startswith("data:image/svg+xml")]
    assert len(svgs) == 2 and not page.tags("svg") and not page.tags("iframe") and not page.tags("object")
    document = docx.Document(
        io.BytesIO(
            export.export_document(
                store, viewer_for(store, "camille"), diagnostic["id"], "docx", ExportOptions()
            ).content
        )
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "<script" not in text and "alert('js')" not in text


# --- lengths ------------------------------------------------------------------------


def synthesis_note(store: JournalStore, note: str) -> dict[str, Any]:
    group, version = group_template(store, "synthesis_note")
    camille = viewer_for(store, "camille")
    document = create_from_template(store, camille, template_version_id=version, group_id=group["id"])
    write_sections(store, camille, document, {"landmarks": "Projet : espace de vie sociale", "note": note})
    return store.document(document["id"])


@pytest.mark.parametrize(("length", "status"), [(5200, "over"), (5000, "ok"), (3000, "ok"), (2999, "under")])
def test_length_report_of_the_5000_sign_synthesis_note(cohort_store: JournalStore, length: int, status: str):
    # Signes are characters, spaces included (accents count once).
    text = ("Éé ça va. " * 600)[:length].strip()
    text = text + "x" * (length - len(text))
    document = synthesis_note(cohort_store, text)
    report = {
        row.key: row for row in export.length_report(cohort_store, viewer_for(cohort_store, "yanis"), document["id"])
    }
    assert set(report) == {"outline", "landmarks", "note"}
    assert report["note"].count == length
    assert (report["note"].min_length, report["note"].max_length) == (3000, 5000)
    assert report["note"].status == status
    assert report["landmarks"].status == "ok"
    assert report["outline"].status == "empty"


def test_length_report_at_the_end_of_the_export(cohort_store: JournalStore):
    document = synthesis_note(cohort_store, "x" * 5321)
    exported = export_docx(cohort_store, "camille", document["id"])
    table = exported.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Section", "Signes", "Bornes", "État"]
    assert ["Note synthétique", "5\u202f321", "de 3\u202f000 à 5\u202f000", "trop long"] in rows
    html = export_html(cohort_store, "camille", document["id"], language="en")
    assert '<td class="status-over">too long</td>' in html and "3,000 to 5,000" in html
    without = export_docx(cohort_store, "camille", document["id"], include_length_report=False)
    assert "Longueur des sections" not in texts(without)


def test_length_report_of_a_document_without_template(cohort_store: JournalStore):
    document = cohort_store.create_document(
        kind="learning_journal",
        title="Importé",
        owner="camille",
        group_id=None,
        visibility="private",
        template_version_id=None,
        cells=[CellRow("a", 0, "markdown", "# Mon texte\n\nDu texte.")],
    )
    with pytest.raises(NotFound, match="not made from a template"):
        export.length_report(cohort_store, viewer_for(cohort_store, "camille"), document["id"])
    # It still exports: its own headings, no length report.
    exported = export_docx(cohort_store, "camille", document["id"])
    assert styled(exported, "Heading 1") == ["Mon texte"]
    assert "Du texte." in texts(exported)


# --- permissions --------------------------------------------------------------------

SECRET = "cormoran"
TUTORS_ONLY = "albatros"


def journal_entry(store: JournalStore, owner: str, text: str, visibility: str | None = None) -> dict[str, Any]:
    group, version = group_template(store, "learning_journal")
    viewer = viewer_for(store, owner)
    document = create_from_template(store, viewer, template_version_id=version, group_id=group["id"])
    write_sections(store, viewer, document, {"situation": text})
    if visibility:
        set_visibility(store, viewer, store.document(document["id"]), visibility)
    return store.document(document["id"])


def everything(files: list[export.ExportFile]) -> str:
    """All the text in exported files, DOCX unzipped."""
    parts = []
    for exported in files:
        if exported.filename.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
                parts.extend(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        else:
            parts.append(exported.content.decode("utf-8"))
    return "\n".join(parts)


@pytest.fixture
def secrets(cohort_store: JournalStore, diagnostic: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "private": journal_entry(cohort_store, "camille", f"Mon mot secret : {SECRET}.", "private"),
        "tutors": journal_entry(cohort_store, "yanis", f"Pour Nadia seulement : {TUTORS_ONLY}."),
    }


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("combined", [False, True])
def test_a_learners_group_export_never_holds_another_learners_private_document(
    cohort_store: JournalStore, secrets: dict[str, Any], fmt: str, combined: bool
):
    for learner in ("yanis", "lea"):
        files = export.export_group(cohort_store, viewer_for(cohort_store, learner), GROUP_A, fmt, combined=combined)
        text = everything(files)
        assert "Le centre social" in text  # the group's diagnostic is there
        assert SECRET not in text
        if learner == "lea":
            assert TUTORS_ONLY not in text
    # Camille's own export has her private entry; the tutor's has the tutors' entry but not the private one.
    assert SECRET in everything(export.export_group(cohort_store, viewer_for(cohort_store, "camille"), GROUP_A, fmt))
    tutor = everything(export.export_group(cohort_store, viewer_for(cohort_store, "nadia"), GROUP_A, fmt))
    assert TUTORS_ONLY in tutor and SECRET not in tutor
    coordinator = everything(export.export_group(cohort_store, viewer_for(cohort_store, "helene"), GROUP_A, fmt))
    assert "Le centre social" in coordinator and TUTORS_ONLY not in coordinator and SECRET not in coordinator


def test_hidden_documents_are_missing_documents(cohort_store: JournalStore, secrets: dict[str, Any]):
    with pytest.raises(NotFound, match=f"no document with id {secrets['private']['id']}"):
        export.export_document(cohort_store, viewer_for(cohort_store, "nadia"), secrets["private"]["id"], "html")
    with pytest.raises(NotFound, match="no learning-journal entry or field observation that you may read"):
        export.export_journal(cohort_store, viewer_for(cohort_store, "lea"), "yanis", "html")
    with pytest.raises(NotFound, match="no document that you may read"):
        export.export_group(cohort_store, viewer_for(cohort_store, "ines"), GROUP_A, "html")


def test_journal_export(cohort_store: JournalStore, secrets: dict[str, Any]):
    journal_entry(cohort_store, "camille", "Une deuxième entrée, visible de Nadia.")
    ticks: list[int] = []
    exported = export.export_journal(
        cohort_store, viewer_for(cohort_store, "nadia"), "camille", "docx", progress=ticks.append
    )
    assert exported.filename == "journal-camille.docx"
    assert ticks == [1]
    document = open_docx(exported.content)
    assert document.paragraphs[0].text == "Camille"
    assert document.paragraphs[1].text == "Journal d'apprentissage et observations de terrain"
    text = "\n".join(texts(document))
    assert "Une deuxième entrée" in text and SECRET not in text
    # Every entry is a heading of its own, its sections one level below.
    assert len(styled(document, "Heading 1")) == 1 + 1  # the entry, then the length report
    assert "Ce qui s'est passé" in styled(document, "Heading 2")
    # One person's journal: no "written by" under every heading.
    assert "Rédigé par" not in text
    mine = export.export_journal(cohort_store, viewer_for(cohort_store, "camille"), "camille", "html")
    assert SECRET in mine.content.decode("utf-8")


def test_unknown_format_and_language(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    viewer = viewer_for(cohort_store, "camille")
    with pytest.raises(ExportError, match="one of docx, html, pdf; got 'odt'"):
        export.export_document(cohort_store, viewer, diagnostic["id"], "odt")
    with pytest.raises(ExportError, match="'fr' or 'en'"):
        export.export_document(cohort_store, viewer, diagnostic["id"], "html", ExportOptions(language="de"))


# --- PDF ----------------------------------------------------------------------------


class _PangoMissing(importlib.abc.MetaPathFinder):
    """Importing WeasyPrint fails as it does where Pango is missing: cffi's OSError."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': cannot open shared object file")


def no_pango(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint installed, the Pango system library it needs missing."""
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_PangoMissing(), *sys.meta_path])


def test_pdf_without_pango_says_which_package_to_install(
    cohort_store: JournalStore, diagnostic: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    no_pango(monkeypatch)
    assert export.pdf_converter() is None
    with pytest.raises(ConverterMissing) as caught:
        export.export_document(cohort_store, viewer_for(cohort_store, "camille"), diagnostic["id"], "pdf")
    assert str(caught.value) == export.pdf_help("en") and caught.value.code == "converter_missing"
    assert "libpango-1.0-0" in caught.value.in_language("en") and "Debian/Ubuntu" in caught.value.in_language("en")
    assert caught.value.in_language("fr").startswith("L'export PDF a besoin de la bibliothèque Pango")
    assert caught.value.in_language("en").startswith("PDF export needs the Pango library on this machine")
    # DOCX and HTML need nothing more.
    assert export.export_document(cohort_store, viewer_for(cohort_store, "camille"), diagnostic["id"], "html")


def test_pdf_works_out_of_the_box(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    assert export.pdf_converter() == "weasyprint"
    exported = export.export_document(cohort_store, viewer_for(cohort_store, "camille"), diagnostic["id"], "pdf")
    assert exported.filename.endswith(".pdf") and exported.media_type == "application/pdf"
    assert exported.content.startswith(b"%PDF")


def test_unknown_pdf_variant(cohort_store: JournalStore, diagnostic: dict[str, Any]):
    with pytest.raises(ExportError, match="one of pdf/a-3b, pdf; got 'pdf/x-4'"):
        export.export_document(
            cohort_store,
            viewer_for(cohort_store, "camille"),
            diagnostic["id"],
            "pdf",
            ExportOptions(pdf_variant="pdf/x-4"),
        )


# --- CLI ----------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    with JournalStore(path) as store:
        build_cohort(store)
        make_diagnostic(store)
        journal_entry(store, "camille", f"Mon mot secret : {SECRET}.", "private")
        journal_entry(store, "yanis", "Une entrée de Yanis.")
    return path


def run(db: Path, *args: str) -> Result:
    """Run a command from a French shell (LANG): French exports and messages unless --lang says otherwise."""
    shell = {"LANG": "fr_FR.UTF-8", "LANGUAGE": None, "JOURNAL_EXT_LANG": None}
    return CliRunner().invoke(cli, [*args, "--db", str(db)], catch_exceptions=False, env=shell)


def ok(db: Path, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    return result.output


def error(db: Path, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    # Whatever the language: one line, "Erreur : …" in French, "Error: …" in English.
    assert len(lines) == 1 and lines[0].startswith(("Erreur\u00a0: ", "Error: ")), result.output
    return lines[0].removeprefix("Erreur\u00a0: ").removeprefix("Error: ")


def test_cli_export_document(db: Path, tmp_path: Path):
    out = tmp_path / "out" / "diagnostic.docx"
    output = ok(db, "export", "document", "1", "--format", "docx", "--out", str(out), "--as", "yanis")
    assert output.startswith(f"{out} écrit (")
    document = open_docx(out.read_bytes())
    assert document.paragraphs[0].text == "Diagnostic partagé"
    assert any(p.startswith("Rédigé par") for p in texts(document))
    ok(
        db,
        "export",
        "document",
        "1",
        "--format",
        "docx",
        "--out",
        str(out),
        "--as",
        "yanis",
        "--no-authors",
        "--prompts",
    )
    again = texts(open_docx(out.read_bytes()))
    assert not any(p.startswith("Rédigé par") for p in again) and "Consigne" in again
    # A folder as --out: the suggested file name inside it.
    ok(db, "export", "document", "1", "--format", "html", "--out", str(tmp_path), "--as", "yanis", "--lang", "en")
    page = (tmp_path / "groupe-quartiers-diagnostic-partage.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page


def test_cli_export_group_one_file_per_document(db: Path, tmp_path: Path):
    folder = tmp_path / "groupe"
    result = run(db, "export", "group", GROUP_A, "--format", "html", "--out", str(folder), "--as", "yanis")
    assert result.exit_code == 0, result.output
    assert "Exporting 2 documents of Groupe Quartiers" in result.output
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and names[0] == "groupe-quartiers-diagnostic-partage.html"
    assert names[1].startswith("yanis-") and names[1].endswith("-entree-du-journal-d-apprentissage.html")
    assert all(SECRET not in p.read_text(encoding="utf-8") for p in folder.iterdir())
    diagnostic = outline((folder / names[0]).read_text(encoding="utf-8"))
    assert f"Promotion{COHORT}" in "".join(diagnostic.text)


def test_cli_export_group_combined(db: Path, tmp_path: Path):
    out = tmp_path / "groupe.docx"
    ok(db, "export", "group", f"{COHORT}/{GROUP_A}", "--combined", "--out", str(out), "--as", "camille")
    document = open_docx(out.read_bytes())
    assert document.paragraphs[0].text == GROUP_A
    assert document.paragraphs[1].text == "Documents du groupe"
    titles = styled(document, "Heading 1")
    assert titles[0] == "Diagnostic partagé" and titles[-1] == "Longueur des sections"
    # Camille's own private entry is hers to export; Yanis' entry (for tutors) is not.
    assert SECRET in "\n".join(texts(document)) and "Une entrée de Yanis." not in "\n".join(texts(document))


def test_cli_export_journal(db: Path, tmp_path: Path):
    out = tmp_path / "journal.html"
    ok(db, "export", "journal", "yanis", "--format", "html", "--out", str(out), "--as", "nadia")
    page = outline(out.read_text(encoding="utf-8"))
    assert page.headings[0] == ("h1", "Yanis")
    assert "Une entrée de Yanis." in "".join(page.text)


def test_cli_export_lengths(db: Path):
    output = ok(db, "export", "lengths", "1", "--as", "camille")
    lines = output.splitlines()
    assert lines[0].split() == ["Section", "Signes", "Bornes", "État"]
    assert any(line.startswith("La commande et son contexte") and line.endswith("trop court") for line in lines)
    rows = json.loads(ok(db, "export", "lengths", "1", "--as", "camille", "--json"))
    assert rows[0]["key"] == "commission" and rows[0]["min_length"] == 1500 and rows[0]["status"] == "under"
    english = ok(db, "export", "lengths", "1", "--as", "camille", "--lang", "en")
    assert "at least 1,500" in english and "too short" in english


def test_cli_export_errors(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    assert error(db, "export", "document", "99", "--as", "camille") == "aucun document n'a l'identifiant 99"
    # The private entry is document 2: to anyone but Camille it does not exist.
    assert error(db, "export", "document", "2", "--as", "nadia") == "aucun document n'a l'identifiant 2"
    assert error(db, "--lang", "en", "export", "document", "2", "--as", "nadia") == "no document with id 2"
    assert "aucun groupe «\u00a0Nulle part\u00a0»" in error(db, "export", "group", "Nulle part", "--as", "camille")
    assert "que vous puissiez lire" in error(db, "export", "journal", "camille", "--as", "lea")
    assert "ajoutez --combined" in error(
        db, "export", "group", GROUP_A, "--as", "camille", "--out", str(tmp_path / "groupe.docx")
    )
    no_pango(monkeypatch)
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    english = error(db, "export", "document", "1", "--format", "pdf", "--as", "camille", "--out", str(tmp_path))
    assert english == export.pdf_help("en")
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    message = error(db, "export", "document", "1", "--format", "pdf", "--as", "camille", "--out", str(tmp_path))
    assert message.startswith("L'export PDF a besoin de la bibliothèque Pango")
    assert "libpango-1.0-0 libpangoft2-1.0-0" in message
    # Refused before any document is exported: one line, no progress bar.
    assert error(db, "export", "group", GROUP_A, "--format", "pdf", "--as", "camille") == message
    assert error(db, "export", "journal", "camille", "--format", "pdf", "--as", "camille") == message
    assert not list(tmp_path.glob("*.pdf"))

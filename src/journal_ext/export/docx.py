"""The DOCX writer of exports (python-docx): title page, Word's heading and list styles, tables, images, annotations.

Headings use Word's own "Heading 1", "Heading 2"… styles, so Word's
navigation pane and table of contents work on an export. Annotations become
real Word comments anchored on the passage (python-docx 1.2 and later), or,
when comments can't be written or wouldn't print (PDF), numbered notes at the
end of each section with the number in superscript after the passage.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.image import Image as DocxImage
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from journal_ext.core.notebooks import format_count
from journal_ext.core.permissions import SHARED_KINDS
from journal_ext.export.model import (
    Block,
    Figure,
    Heading,
    ItemList,
    Note,
    Paragraph,
    Picture,
    Preformatted,
    PrintedBundle,
    PrintedDocument,
    PrintedSection,
    Quote,
    Rule,
    Span,
    Table,
    bounds_label,
    heading_level,
    note_status_label,
    span_lists,
)

MONOSPACE = "Courier New"
NOTE_SIZE = Pt(9)
MAX_IMAGE_HEIGHT_EMU = 8_000_000  # about 22 cm: an image never overflows a page
WORD_LANGUAGES = {"fr": "fr-FR", "en": "en-GB"}


def _page_break(document: DocxDocument) -> None:
    """A paragraph holding only a page break, as python-docx's unannotated ``add_page_break`` adds it."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write_docx(bundle: PrintedBundle, *, notes_as_comments: bool) -> bytes:
    """The bundle as a Word document."""
    return _DocxWriter(bundle, notes_as_comments).build()


def colon(language: str) -> str:
    """A colon as the language writes it after a label (French puts a space before it)."""
    return "\u00a0: " if language == "fr" else ": "


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split() if part)[:3].upper()


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _DocxWriter:
    def __init__(self, bundle: PrintedBundle, notes_as_comments: bool) -> None:
        self.bundle = bundle
        self.words = bundle.words
        self.colon = colon(bundle.language)
        self.comments = notes_as_comments
        self.document = docx.Document()
        section = self.document.sections[0]
        # A4, as in France (python-docx's own template is US Letter).
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)
        self.text_width = section.page_width - section.left_margin - section.right_margin
        # Runs covering each annotation's passage, and how many covered spans are still to print.
        self.note_runs: dict[int, list[Run]] = {}
        self.remaining: dict[int, int] = {}

    # -- the whole file -----------------------------------------------------

    def build(self) -> bytes:
        self._properties()
        self._title_page()
        base = 2 if self.bundle.combined else 1
        for index, printed in enumerate(self.bundle.documents):
            if self.bundle.combined:
                self._document_heading(printed, first=index == 0)
            for section in printed.sections:
                self._section(section, base)
        if self.bundle.show_length_report and any(d.lengths for d in self.bundle.documents):
            self._length_report()
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def _properties(self) -> None:
        properties = self.document.core_properties
        properties.title = self.bundle.title
        properties.subject = self.bundle.subtitle or self.bundle.title
        properties.author = ", ".join(self.bundle.authors)
        properties.language = WORD_LANGUAGES[self.bundle.language]
        # The text's language for spelling and hyphenation, on every style.
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
        rpr = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
        if rpr is not None:
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), WORD_LANGUAGES[self.bundle.language])

    def _title_page(self) -> None:
        bundle = self.bundle
        self.document.add_paragraph(bundle.title, style="Title")
        if bundle.subtitle:
            self.document.add_paragraph(bundle.subtitle, style="Subtitle")
        for label, value in bundle.title_facts():
            paragraph = self.document.add_paragraph()
            paragraph.add_run(label + self.colon).bold = True
            paragraph.add_run(value)
        _page_break(self.document)

    def _document_heading(self, printed: PrintedDocument, *, first: bool) -> None:
        if not first and printed.kind in SHARED_KINDS:
            _page_break(self.document)
        self.document.add_heading(printed.title, level=1)
        facts = [printed.kind_label, ", ".join(printed.authors), self.words["changed"].format(date=printed.date)]
        paragraph = self.document.add_paragraph()
        paragraph.add_run(" — ".join(f for f in facts if f)).italic = True

    # -- sections -----------------------------------------------------------

    def _section(self, section: PrintedSection, base: int) -> None:
        heading = None
        if section.heading:
            heading = self.document.add_heading(section.heading, level=base)
        in_section = section.heading is not None
        self.remaining = {}
        for spans in list(span_lists(section.prompt)) + list(span_lists(section.blocks)):
            for span in spans:
                for number in span.notes:
                    self.remaining[number] = self.remaining.get(number, 0) + 1
        if section.authors:
            paragraph = self.document.add_paragraph()
            paragraph.add_run(self.words["written_by"].format(names=", ".join(section.authors))).italic = True
        if section.prompt:
            label = self.document.add_paragraph(style="Quote")
            label.add_run(self.words["prompt"]).bold = True
            self._blocks(section.prompt, base, in_section, style="Quote")
        if section.heading and not section.written and section.key is not None:
            self.document.add_paragraph().add_run(self.words["not_written"]).italic = True
        self._blocks(section.blocks, base, in_section)
        if section.notes:
            if self.comments:
                self._comments(section.notes, heading)
            else:
                self._note_list(section.notes)

    def _comments(self, notes: Sequence[Note], heading: DocxParagraph | None) -> None:
        for note in notes:
            runs = self.note_runs.get(note.number) if note.anchored else None
            text = note.body
            if not runs:
                # Not anchored: on the section heading, saying which passage it was about.
                if heading is None or not heading.runs:
                    heading = self.document.add_paragraph()
                    heading.add_run(self.words["notes"]).bold = True
                runs = [heading.runs[0], heading.runs[-1]]
                if note.exact:
                    text = f"{self.words['on'].format(exact=_short(note.exact))} ({self.words['not_found']}){self.colon}{text}"
            status = note_status_label(note.status, self.words)
            if status and note.status != "orphaned":
                text = f"[{status}] {text}"
            comment = self.document.add_comment(
                runs, text=text, author=note.author_name or "?", initials=_initials(note.author_name)
            )
            for reply in note.replies:
                comment.add_paragraph(f"{reply.author_name}{self.colon}{reply.body}")

    def _note_list(self, notes: Sequence[Note]) -> None:
        title = self.document.add_paragraph()
        run = title.add_run(self.words["notes"])
        run.bold = True
        run.font.size = NOTE_SIZE
        for note in notes:
            paragraph = self.document.add_paragraph()
            paragraph.add_run(f"{note.number}. ").bold = True
            if note.exact:
                paragraph.add_run(self.words["on"].format(exact=_short(note.exact)) + " — ").italic = True
            paragraph.add_run(note.author_name).bold = True
            status = note_status_label(note.status, self.words) or ("" if note.anchored else self.words["not_found"])
            if status:
                paragraph.add_run(f" ({status})")
            paragraph.add_run(self.colon + note.body)
            self._small(paragraph)
            for reply in note.replies:
                answer = self.document.add_paragraph()
                answer.paragraph_format.left_indent = Pt(18)
                answer.add_run(reply.author_name).bold = True
                answer.add_run(self.colon + reply.body)
                self._small(answer)

    @staticmethod
    def _small(paragraph: DocxParagraph) -> None:
        for run in paragraph.runs:
            run.font.size = NOTE_SIZE

    # -- blocks -------------------------------------------------------------

    def _blocks(
        self, blocks: Sequence[Block], base: int, in_section: bool, *, depth: int = 0, style: str | None = None
    ) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                level = heading_level(block.level, base, in_section=in_section)
                paragraph = self.document.add_heading("", level=min(9, level))
                self._spans(paragraph, block.spans)
            elif isinstance(block, Paragraph):
                self._spans(self.document.add_paragraph(style=style), block.spans)
            elif isinstance(block, ItemList):
                self._list(block, base, in_section, depth)
            elif isinstance(block, Quote):
                self._blocks(block.blocks, base, in_section, depth=depth, style="Quote")
            elif isinstance(block, Preformatted):
                run = self.document.add_paragraph(style=style).add_run(block.text)
                run.font.name = MONOSPACE
                run.font.size = Pt(9)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, Figure):
                paragraph = self.document.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self._picture(paragraph.add_run(), block.picture)
            elif isinstance(block, Rule):
                paragraph = self.document.add_paragraph("*\u2003*\u2003*")
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _list(self, block: ItemList, base: int, in_section: bool, depth: int) -> None:
        name = "List Number" if block.ordered else "List Bullet"
        level = min(depth + 1, 3)
        style = name if level == 1 else f"{name} {level}"
        follow = "List Continue" if level == 1 else f"List Continue {level}"
        numbering = self._restart_numbering(style, block.start) if block.ordered else None
        for item in block.items:
            started = False
            for inner in item:
                if isinstance(inner, ItemList):
                    self._list(inner, base, in_section, depth + 1)
                elif isinstance(inner, Paragraph):
                    paragraph = self.document.add_paragraph(style=follow if started else style)
                    if not started and numbering is not None:
                        self._number(paragraph, numbering)
                    self._spans(paragraph, inner.spans)
                else:
                    self._blocks([inner], base, in_section, depth=depth)
                started = True
            if not started:
                paragraph = self.document.add_paragraph(style=style)
                if numbering is not None:
                    self._number(paragraph, numbering)

    def _restart_numbering(self, style_name: str, start: int) -> int:
        """A numbering of its own for one numbered list, so that each list starts again at its first number."""
        style = self.document.styles[style_name]
        num_id = style.element.pPr.numPr.numId.val
        numbering = self.document.part.numbering_part.element
        abstract_id = next(n for n in numbering.num_lst if n.numId == num_id).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)

    @staticmethod
    def _number(paragraph: DocxParagraph, num_id: int) -> None:
        numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbering.get_or_add_ilvl().val = 0
        numbering.get_or_add_numId().val = num_id

    def _table(self, block: Table) -> None:
        columns = max([len(block.header)] + [len(row) for row in block.rows])
        if columns == 0:
            return
        table = self.document.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        alignments = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
        rows = ([block.header] if block.header else []) + block.rows
        for number, cells in enumerate(rows):
            row = table.add_row()
            header = number == 0 and bool(block.header)
            if header:
                self._repeat_as_header(row)
            for index, spans in enumerate(cells[:columns]):
                paragraph = row.cells[index].paragraphs[0]
                align = block.aligns[index] if index < len(block.aligns) else None
                if align in alignments:
                    paragraph.alignment = alignments[align]
                self._spans(paragraph, spans, bold=header)

    @staticmethod
    def _repeat_as_header(row: Any) -> None:
        # Marks the row as the table's header: repeated on each page, announced by screen readers.
        properties = row._tr.get_or_add_trPr()
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        properties.append(marker)

    # -- inline -------------------------------------------------------------

    def _spans(self, paragraph: DocxParagraph, spans: Sequence[Span], *, bold: bool = False) -> None:
        for index, span in enumerate(spans):
            if span.line_break:
                run = paragraph.add_run()
                run.add_break()
            elif span.picture is not None:
                run = paragraph.add_run()
                self._picture(run, span.picture)
            else:
                run = paragraph.add_run(span.text)
                run.bold = span.bold or bold or None
                run.italic = span.italic or None
                if span.strike:
                    run.font.strike = True
                if span.code:
                    run.font.name = MONOSPACE
            self._track(paragraph, run, span)
            following = spans[index + 1] if index + 1 < len(spans) else None
            if span.href and (following is None or following.href != span.href):
                # Links print as text: the address follows the words that carried it.
                shown = "".join(s.text for s in spans if s.href == span.href)
                if span.href != shown and not span.href.startswith("#"):
                    paragraph.add_run(f" ({span.href})")

    def _track(self, paragraph: DocxParagraph, run: Run, span: Span) -> None:
        ended = []
        for number in span.notes:
            self.note_runs.setdefault(number, []).append(run)
            self.remaining[number] = self.remaining.get(number, 1) - 1
            if self.remaining[number] == 0:
                ended.append(str(number))
        if ended and not self.comments:
            # The notes' numbers after the passage's last run ("1,2" when two end together).
            marker = paragraph.add_run(",".join(ended))
            marker.font.superscript = True

    def _picture(self, run: Run, picture: Picture) -> None:
        missing = self.words["missing_image"].format(picture.alt or picture.media_type)
        if picture.media_type == "image/svg+xml":
            # Word needs a bitmap beside an SVG: say what was there instead.
            run.text = missing
            run.italic = True
            return
        try:
            image = DocxImage.from_blob(picture.data)
        except Exception:  # python-docx raises several kinds on a blob it can't read
            run.text = missing
            run.italic = True
            return
        width, height = int(image.width), int(image.height)
        scale = min(1.0, self.text_width / width if width else 1.0, MAX_IMAGE_HEIGHT_EMU / height if height else 1.0)
        shape = run.add_picture(io.BytesIO(picture.data), width=int(width * scale), height=int(height * scale))
        # The alternative text screen readers announce.
        shape._inline.docPr.set("descr", picture.alt)

    # -- length report --------------------------------------------------------

    def _length_report(self) -> None:
        words = self.words
        self.document.add_heading(words["lengths"], level=1)
        self.document.add_paragraph(words["lengths_caption"]).runs[0].italic = True
        for printed in self.bundle.documents:
            if not printed.lengths:
                continue
            if self.bundle.combined:
                self.document.add_heading(printed.title, level=2)
            table = self.document.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            table.autofit = False
            self._repeat_as_header(table.rows[0])
            for cell, label in zip(table.rows[0].cells, ("section", "count", "bounds", "status"), strict=True):
                cell.paragraphs[0].add_run(words[label]).bold = True
            for row in printed.lengths:
                cells = table.add_row().cells
                cells[0].text = row.heading
                cells[1].text = format_count(row.count, self.bundle.language)
                cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                cells[2].text = bounds_label(row, words, lambda n: format_count(n, self.bundle.language))
                status = cells[3].paragraphs[0].add_run(words[row.status])
                status.bold = row.status in ("over", "under")
            for column, share in zip(table.columns, (0.44, 0.14, 0.24, 0.18), strict=True):
                for cell in column.cells:
                    cell.width = int(self.text_width * share)

"""Notebook cells as printable content: Markdown parsed into blocks, images, and annotation anchors.

The DOCX and HTML writers of :mod:`journal_ext.export` both print this one
model, so a heading, a list, a table or an annotated passage comes out the
same in both. Markdown is parsed with markdown-it-py (CommonMark plus GFM
tables and strikethrough). Raw HTML in a cell is not copied into an export:
its text is kept, its tags are dropped (``<br>`` becomes a line break).
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypedDict

from markdown_it import MarkdownIt
from markdown_it.token import Token

from journal_ext import i18n
from journal_ext.db import CellRow, StoreError


class ExportError(StoreError):
    """An export cannot be made as asked; the message says why."""


IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
# What stands for an image the export cannot embed (one on the web, a missing attachment).
MISSING_IMAGE = "[Image: {}]"

_markdown = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TAG = re.compile(r"<[^>]*>")
_BREAK_TAG = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_DATA_URI = re.compile(r"^data:(image/(?:png|jpeg|svg\+xml));base64,(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Picture:
    """An image to embed: its bytes, media type and alternative text."""

    data: bytes
    media_type: str
    alt: str


@dataclass(frozen=True)
class Span:
    """A run of inline text with one formatting (or an inline picture, or a line break)."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    href: str | None = None
    picture: Picture | None = None
    line_break: bool = False
    # Numbers of the annotations whose passage covers this span.
    notes: tuple[int, ...] = ()

    @property
    def anchor_length(self) -> int:
        """How many characters this span takes in the text an annotation's quote is looked for in."""
        if self.line_break:
            return 1
        return 0 if self.picture is not None else len(self.text)


@dataclass
class Heading:
    """A heading written inside a cell (level 1 for '#')."""

    level: int
    spans: list[Span]


@dataclass
class Paragraph:
    """A paragraph of inline spans."""

    spans: list[Span]


@dataclass
class ItemList:
    """A bulleted or numbered list; each item is a list of blocks."""

    ordered: bool
    start: int
    items: list[list[Block]]


@dataclass
class Quote:
    """A block quotation."""

    blocks: list[Block]


@dataclass
class Preformatted:
    """Text printed as typed, in a monospaced font (code, text outputs)."""

    text: str


@dataclass
class Table:
    """A table: header cells, body rows, and each column's alignment (left, center, right or None)."""

    header: list[list[Span]]
    rows: list[list[list[Span]]]
    aligns: list[str | None] = field(default_factory=list)


@dataclass
class Figure:
    """An image standing on its own (an image output of a code cell)."""

    picture: Picture


@dataclass
class Rule:
    """A thematic break."""


Block = Heading | Paragraph | ItemList | Quote | Preformatted | Table | Figure | Rule


# --------------------------------------------------------------------------
# Markdown to blocks
# --------------------------------------------------------------------------


def markdown_blocks(
    text: str, attachments: Mapping[str, Any] | None = None, *, missing_image: str = MISSING_IMAGE
) -> list[Block]:
    """Parse a cell's Markdown into blocks; ``attachment:`` images come from the cell's attachments."""
    tokens = _markdown.parse(text)
    blocks, _ = _parse_blocks(tokens, 0, None, attachments or {}, missing_image)
    return blocks


def _parse_blocks(
    tokens: Sequence[Token], i: int, closing: str | None, attachments: Mapping[str, Any], missing_image: str
) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while i < len(tokens):
        token = tokens[i]
        if closing is not None and token.type == closing:
            return blocks, i + 1
        if token.type == "heading_open":
            spans = _spans(tokens[i + 1], attachments, missing_image)
            blocks.append(Heading(int(token.tag[1:]), spans))
            i += 3
        elif token.type == "paragraph_open":
            spans = _spans(tokens[i + 1], attachments, missing_image)
            if spans:
                blocks.append(Paragraph(spans))
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            ordered = token.type == "ordered_list_open"
            start = int(token.attrGet("start") or 1) if ordered else 1
            items: list[list[Block]] = []
            i += 1
            while tokens[i].type == "list_item_open":
                item, i = _parse_blocks(tokens, i + 1, "list_item_close", attachments, missing_image)
                items.append(item)
            blocks.append(ItemList(ordered, start, items))
            i += 1  # the list's closing token
        elif token.type == "blockquote_open":
            inner, i = _parse_blocks(tokens, i + 1, "blockquote_close", attachments, missing_image)
            blocks.append(Quote(inner))
        elif token.type in ("fence", "code_block"):
            blocks.append(Preformatted(token.content.rstrip("\n")))
            i += 1
        elif token.type == "hr":
            blocks.append(Rule())
            i += 1
        elif token.type == "table_open":
            table, i = _parse_table(tokens, i + 1, attachments, missing_image)
            blocks.append(table)
        elif token.type == "html_block":
            plain = html.unescape(_TAG.sub("", token.content)).strip()
            if plain:
                blocks.append(Paragraph([Span(" ".join(plain.split()))]))
            i += 1
        else:
            i += 1
    return blocks, i


def _parse_table(
    tokens: Sequence[Token], i: int, attachments: Mapping[str, Any], missing_image: str
) -> tuple[Table, int]:
    header: list[list[Span]] = []
    rows: list[list[list[Span]]] = []
    aligns: list[str | None] = []
    in_head = False
    row: list[list[Span]] = []
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(row)
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrGet("style") or "")
            if in_head:
                aligns.append(style.removeprefix("text-align:") or None)
            row.append(_spans(tokens[i + 1], attachments, missing_image))
            i += 2
        i += 1
    return Table(header, rows, aligns), i + 1


class _Style(TypedDict):
    """The formatting a text span takes from the markup around it."""

    bold: bool
    italic: bool
    strike: bool
    href: str | None


def _spans(inline: Token, attachments: Mapping[str, Any], missing_image: str) -> list[Span]:
    spans: list[Span] = []
    bold = italic = strike = False
    links: list[str | None] = []
    for child in inline.children or []:
        kind = child.type
        href = links[-1] if links else None
        style: _Style = {"bold": bold, "italic": italic, "strike": strike, "href": href}
        if kind == "text":
            if child.content:
                spans.append(Span(child.content, **style))
        elif kind == "code_inline":
            spans.append(Span(child.content, code=True, **style))
        elif kind == "softbreak":
            spans.append(Span(" ", **style))
        elif kind == "hardbreak":
            spans.append(Span(line_break=True))
        elif kind in ("strong_open", "strong_close"):
            bold = kind == "strong_open"
        elif kind in ("em_open", "em_close"):
            italic = kind == "em_open"
        elif kind in ("s_open", "s_close"):
            strike = kind == "s_open"
        elif kind == "link_open":
            links.append(_safe_href(str(child.attrGet("href") or "")))
        elif kind == "link_close":
            if links:
                links.pop()
        elif kind == "image":
            alt = child.content or ""
            picture = _image_source(str(child.attrGet("src") or ""), alt, attachments)
            if picture is not None:
                spans.append(Span(picture=picture, href=href))
            else:
                # An image the export cannot embed (on the web, missing): say what it was.
                source = str(child.attrGet("src") or "")
                spans.append(Span(missing_image.format(alt or source), italic=True))
        elif kind == "html_inline" and _BREAK_TAG.match(child.content.strip()):
            spans.append(Span(line_break=True))
    return spans


def _safe_href(href: str) -> str | None:
    """Links kept in an export: web and mail addresses and in-page anchors (never javascript: and the like)."""
    lowered = href.strip().lower()
    if lowered.startswith(("http://", "https://", "mailto:", "#")):
        return href.strip()
    return None


def _image_source(src: str, alt: str, attachments: Mapping[str, Any]) -> Picture | None:
    if src.startswith("attachment:"):
        bundle = attachments.get(src.removeprefix("attachment:"))
        if isinstance(bundle, Mapping):
            for media_type in IMAGE_TYPES:
                if media_type in bundle:
                    return _decode_picture(bundle[media_type], media_type, alt)
        return None
    match = _DATA_URI.match(src)
    if match:
        return _decode_picture(match.group(2), match.group(1), alt)
    return None


def _decode_picture(value: Any, media_type: str, alt: str) -> Picture | None:
    if isinstance(value, list):
        value = "".join(value)
    if not isinstance(value, str):
        return None
    if media_type == "image/svg+xml" and value.lstrip().startswith("<"):
        return Picture(value.encode("utf-8"), media_type, alt)
    try:
        data = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    return Picture(data, media_type, alt) if data else None


# --------------------------------------------------------------------------
# Cells to blocks
# --------------------------------------------------------------------------


def cell_blocks(
    cell: CellRow, *, include_code: bool = False, missing_image: str = MISSING_IMAGE, figure_label: str = "Figure"
) -> list[Block]:
    """What a cell prints as: Markdown for text cells, outputs (and code when asked) for code cells."""
    if cell.cell_type == "markdown":
        return markdown_blocks(cell.source, cell.attachments, missing_image=missing_image)
    if cell.cell_type == "raw":
        return [Preformatted(cell.source)] if cell.source.strip() else []
    blocks: list[Block] = []
    if include_code and cell.source.strip():
        blocks.append(Preformatted(cell.source))
    for output in cell.outputs:
        blocks.extend(_output_blocks(output, missing_image, figure_label))
    return blocks


def _output_blocks(output: Mapping[str, Any], missing_image: str, figure_label: str) -> list[Block]:
    kind = output.get("output_type")
    if kind == "stream":
        text = _ANSI.sub("", _joined(output.get("text", ""))).rstrip("\n")
        return [Preformatted(text)] if text.strip() else []
    if kind not in ("display_data", "execute_result"):
        # Errors (tracebacks) are a programmer's concern, not the reader's.
        return []
    data = output.get("data") or {}
    for media_type in ("image/png", "image/jpeg", "image/svg+xml"):
        if media_type in data:
            picture = _decode_picture(data[media_type], media_type, figure_label)
            if picture is not None:
                return [Figure(picture)]
    if "text/markdown" in data:
        return markdown_blocks(_joined(data["text/markdown"]), missing_image=missing_image)
    if "text/plain" in data:
        text = _ANSI.sub("", _joined(data["text/plain"])).rstrip("\n")
        return [Preformatted(text)] if text.strip() else []
    return []


def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def without_first_heading(blocks: list[Block]) -> list[Block]:
    """The blocks of a prompt cell without the section heading it starts with (printed separately)."""
    if blocks and isinstance(blocks[0], Heading):
        return blocks[1:]
    return blocks


def heading_level(written: int, section_level: int, *, in_section: bool) -> int:
    """The level a heading written in a cell prints at, below the section heading it sits under.

    In a journal notebook the title is '#' and section headings are '##', so
    a learner's '###' is one level below its section; a heading in a
    document without sections ('#' first) keeps its own outline.
    """
    if in_section:
        return max(section_level + 1, section_level + written - 2)
    return section_level + written - 1


def first_heading_text(text: str) -> str | None:
    """The text of the first Markdown heading of a cell, if it has one."""
    for block in markdown_blocks(text):
        if isinstance(block, Heading):
            return plain_text(block.spans)
    return None


def plain_text(spans: Sequence[Span]) -> str:
    """The spans' text without formatting."""
    return "".join("\n" if s.line_break else s.text for s in spans)


# --------------------------------------------------------------------------
# Annotation anchors
# --------------------------------------------------------------------------


def span_lists(blocks: Sequence[Block]) -> Iterator[list[Span]]:
    """Every list of inline spans in the blocks, in reading order (mutable, for splitting)."""
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            yield block.spans
        elif isinstance(block, ItemList):
            for item in block.items:
                yield from span_lists(item)
        elif isinstance(block, Quote):
            yield from span_lists(block.blocks)
        elif isinstance(block, Table):
            yield from block.header
            for row in block.rows:
                yield from row


def _quote_pattern(exact: str) -> re.Pattern[str] | None:
    # Any run of white space in the quote matches any run in the printed text:
    # a line break in the source is a space once the Markdown is rendered.
    words = exact.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def _find_quote(text: str, exact: str, hint: int | None) -> tuple[int, int] | None:
    candidates = [exact]
    # The quote was taken from the Markdown source: try it again without its markup.
    rendered = " ".join(plain_text(s) for s in span_lists(markdown_blocks(exact)))
    if rendered and rendered != exact:
        candidates.append(rendered)
    for candidate in candidates:
        pattern = _quote_pattern(candidate)
        if pattern is None:
            continue
        matches = list(pattern.finditer(text))
        if matches:
            best = min(matches, key=lambda m: abs(m.start() - hint)) if hint is not None else matches[0]
            return best.start(), best.end()
    return None


def mark_passage(blocks: Sequence[Block], exact: str, number: int, hint: int | None = None) -> bool:
    """Mark the spans printing an annotation's quoted passage with its number; False when the passage isn't there.

    Spans are split at the passage's ends so that it is covered by whole
    spans (Word anchors a comment on whole runs). When the quote occurs more
    than once, the occurrence nearest ``hint`` (its offset in the cell) wins.
    """
    lists = list(span_lists(blocks))
    text = "".join("\n" if s.line_break else ("" if s.picture else s.text) for spans in lists for s in spans)
    found = _find_quote(text, exact, hint)
    if found is None:
        return False
    begin, end = found
    offset = 0
    for spans in lists:
        marked: list[Span] = []
        for span in spans:
            length = span.anchor_length
            first, last = offset, offset + length
            offset = last
            if length == 0 or last <= begin or first >= end:
                marked.append(span)
                continue
            if span.line_break:
                marked.append(replace(span, notes=(*span.notes, number)))
                continue
            cut_start, cut_end = max(begin, first) - first, min(end, last) - first
            if cut_start > 0:
                marked.append(replace(span, text=span.text[:cut_start]))
            marked.append(replace(span, text=span.text[cut_start:cut_end], notes=(*span.notes, number)))
            if cut_end < length:
                marked.append(replace(span, text=span.text[cut_end:]))
        spans[:] = marked
    return True


# --------------------------------------------------------------------------
# The printed model: what the DOCX and HTML writers print
# --------------------------------------------------------------------------

LENGTH_STATUSES = ("ok", "over", "under", "empty")


@dataclass(frozen=True)
class SectionLength:
    """One section's length against its template bounds, in signes (characters, spaces included)."""

    key: str
    heading: str
    count: int
    min_length: int | None
    max_length: int | None
    # ok, over (above max_length), under (below min_length), empty (optional and not written)
    status: str

    def to_dict(self) -> dict[str, Any]:
        """The row as plain JSON-able data."""
        return {
            "key": self.key,
            "heading": self.heading,
            "count": self.count,
            "min_length": self.min_length,
            "max_length": self.max_length,
            "status": self.status,
        }


@dataclass(frozen=True)
class Reply:
    """A reply in an annotation's thread."""

    author_name: str
    body: str


@dataclass
class Note:
    """An annotation as printed: its number, the passage it is about, who wrote it and the thread."""

    number: int
    exact: str
    author_name: str
    body: str
    status: str
    replies: list[Reply]
    # False when the passage could not be found in the printed text (changed since, or not printed).
    anchored: bool = False


@dataclass
class PrintedSection:
    """A section of a document as printed: heading, who wrote it, its consigne when asked, the text, the notes."""

    key: str | None
    heading: str | None
    authors: list[str]
    prompt: list[Block]
    blocks: list[Block]
    notes: list[Note]
    written: bool


@dataclass
class PrintedDocument:
    """One journal document ready to print."""

    document_id: int
    title: str
    kind: str
    kind_label: str
    cohort: str | None
    group: str | None
    authors: list[str]
    date: str
    revision: int
    sections: list[PrintedSection]
    lengths: list[SectionLength]


@dataclass
class PrintedBundle:
    """What one export file holds: a title page and one or more documents."""

    title: str
    subtitle: str
    cohort: str | None
    group: str | None
    # The group's negotiated commission (commande), for the documents a group writes together.
    commission: str | None
    authors: list[str]
    date: str
    language: str
    documents: list[PrintedDocument]
    # Several documents: each gets its own heading under the title page.
    combined: bool
    show_length_report: bool
    words: Mapping[str, str]

    def title_facts(self) -> list[tuple[str, str]]:
        """What the title page states, label and value, leaving out what this export doesn't have."""
        words = self.words
        facts = (
            (words["cohort"], self.cohort),
            (words["group"], self.group),
            (words["commission"], self.commission),
            (words["authors"] if len(self.authors) > 1 else words["author"], ", ".join(self.authors)),
            (words["date"], self.date),
        )
        return [(label, value) for label, value in facts if value]


WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "cohort": "Promotion",
        "group": "Groupe",
        "commission": "Commande",
        "changed": "modifié le {date}",
        "authors": "Auteur·rices",
        "author": "Auteur·rice",
        "date": "Date",
        "revision": "révision {n}",
        "written_by": "Rédigé par {names}",
        "prompt": "Consigne",
        "not_written": "Section non rédigée.",
        "notes": "Annotations",
        "other_notes": "Autres annotations",
        "not_found": "passage introuvable",
        "resolved": "résolue",
        "deleted_note": "(annotation supprimée)",
        "on": "Sur «\u00a0{exact}\u00a0»",
        "lengths": "Longueur des sections",
        "lengths_caption": "Longueur de chaque section bornée, en signes (espaces compris), au regard des bornes du modèle.",
        "section": "Section",
        "count": "Signes",
        "bounds": "Bornes",
        "status": "État",
        "ok": "conforme",
        "over": "trop long",
        "under": "trop court",
        "empty": "non rédigée (facultative)",
        "at_least": "au moins {n}",
        "at_most": "{n} au plus",
        "between": "de {low} à {high}",
        "group_documents": "Documents du groupe",
        "journal": "Journal d'apprentissage et observations de terrain",
        "exported": "Exporté le {date}",
        "missing_image": "[Image\u00a0: {}]",
        "figure": "Figure produite par une cellule de calcul",
        "contents": "Sommaire",
    },
    "en": {
        "cohort": "Cohort",
        "group": "Group",
        "commission": "Commission",
        "changed": "last changed {date}",
        "authors": "Authors",
        "author": "Author",
        "date": "Date",
        "revision": "revision {n}",
        "written_by": "Written by {names}",
        "prompt": "Prompt",
        "not_written": "Section not written yet.",
        "notes": "Annotations",
        "other_notes": "Other annotations",
        "not_found": "passage not found",
        "resolved": "resolved",
        "deleted_note": "(annotation deleted)",
        "on": "On “{exact}”",
        "lengths": "Section lengths",
        "lengths_caption": "Length of each bounded section, in characters (spaces included), against the template's bounds.",
        "section": "Section",
        "count": "Characters",
        "bounds": "Bounds",
        "status": "Status",
        "ok": "ok",
        "over": "too long",
        "under": "too short",
        "empty": "not written (optional)",
        "at_least": "at least {n}",
        "at_most": "at most {n}",
        "between": "{low} to {high}",
        "group_documents": "Documents of the group",
        "journal": "Learning journal and field observations",
        "exported": "Exported on {date}",
        "missing_image": "[Image: {}]",
        "figure": "Figure produced by a code cell",
        "contents": "Contents",
    },
}


def format_date(day: Any, language: str) -> str:
    """A date as people write it: '1er octobre 2026', 'October 1, 2026' (one way for the whole package)."""
    return i18n.format_date(day, language)


def note_status_label(status: str, words: Mapping[str, str]) -> str:
    """How an annotation's status is printed next to it ('' for an open one)."""
    if status in ("", "open"):
        return ""
    if status == "resolved":
        return words["resolved"]
    if status == "orphaned":
        return words["not_found"]
    return status


def bounds_label(row: SectionLength, words: Mapping[str, str], count: Any) -> str:
    """A section's length bounds in words ('de 3 000 à 5 000')."""
    if row.min_length and row.max_length:
        return words["between"].format(low=count(row.min_length), high=count(row.max_length))
    if row.min_length:
        return words["at_least"].format(n=count(row.min_length))
    return words["at_most"].format(n=count(row.max_length or 0))

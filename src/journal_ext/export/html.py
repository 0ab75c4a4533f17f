"""The HTML writer of exports: one self-contained, accessible HTML5 file with print styles.

Images are embedded as data URIs, the styles sit in the file, nothing is
fetched from elsewhere: the file can be mailed, archived or printed as it
is. Headings keep one outline (the title is the only h1), tables have
captions and header cells, images their alternative text, and annotations
are numbered notes (role doc-noteref / doc-backlink) in an aside at the end
of their section.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape as _escape

from journal_ext.core.notebooks import format_count
from journal_ext.export import model
from journal_ext.export.model import (
    bounds_label,
    heading_level,
    note_status_label,
    span_lists,
)

STYLE = """
:root { color-scheme: light; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; line-height: 1.55;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; background: #fff; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.6em 0 .5em; }
.title-page { border-bottom: 1px solid #8a8a8a; padding-bottom: 1.5rem; margin-bottom: 2rem; }
.title-page h1 { font-size: 2rem; margin-top: 0; }
.subtitle { font-size: 1.25rem; color: #3a3a3a; margin-top: 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
.facts dt { font-weight: bold; }
.facts dd { margin: 0; }
.document-facts, .authors, .not-written { font-style: italic; color: #3a3a3a; }
.prompt { border-left: 4px solid #4a4a9a; padding: .1rem 1rem; margin: 1rem 0; background: #f4f4fb; }
.prompt-label { font-weight: bold; }
mark { background: #fff0a8; color: inherit; }
.note-ref { font-size: .75em; }
.notes { font-size: .9rem; border-top: 1px solid #b0b0b0; margin-top: 1.5rem; padding-top: .5rem; }
.notes-title { font-weight: bold; }
.replies { list-style: none; padding-left: 1rem; }
table { border-collapse: collapse; margin: 1rem 0; }
caption { text-align: left; font-style: italic; padding-bottom: .25rem; }
th, td { border: 1px solid #8a8a8a; padding: .25rem .5rem; vertical-align: top; }
th { background: #f0f0f0; text-align: left; }
.align-center { text-align: center; } .align-right { text-align: right; }
.status-over, .status-under { font-weight: bold; color: #a33a00; }
img { max-width: 100%; height: auto; }
figure { margin: 1rem 0; text-align: center; }
li > p { margin: .2em 0; }
pre { white-space: pre-wrap; background: #f5f5f5; padding: .5rem .75rem; font-size: .9em; }
@page { size: A4; margin: 2cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  .title-page { break-after: page; border: none; }
  article + article.shared { break-before: page; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; }
  img, figure, table, pre, .prompt { break-inside: avoid; }
  a { color: inherit; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .9em; }
  .prompt { background: none; }
  mark { background: none; text-decoration: underline dotted; }
}
""".strip()


def write_html(bundle: model.PrintedBundle, *, table_of_contents: bool = False) -> str:
    """The bundle as one HTML5 page; ``table_of_contents`` lists its documents after the title page (PDF)."""
    return _HtmlWriter(bundle, table_of_contents=table_of_contents).build()


def escape(text: str) -> str:
    """Text made safe for an element's content or a double-quoted attribute (apostrophes stay as typed)."""
    return _escape(text, quote=False).replace('"', "&quot;")


def _data_uri(picture: model.Picture) -> str:
    return f"data:{picture.media_type};base64,{base64.b64encode(picture.data).decode('ascii')}"


class _HtmlWriter:
    def __init__(self, bundle: model.PrintedBundle, *, table_of_contents: bool = False) -> None:
        self.bundle = bundle
        self.table_of_contents = table_of_contents
        self.words = bundle.words
        self.colon = "\u00a0: " if bundle.language == "fr" else ": "
        self.out: list[str] = []
        self.section_count = 0
        # Spans of each annotation's passage still to print in the current section.
        self.remaining: dict[int, int] = {}

    def build(self) -> str:
        bundle = self.bundle
        self.out.append("<!DOCTYPE html>")
        self.out.append(f'<html lang="{bundle.language}">')
        self.out.append("<head>")
        self.out.append('<meta charset="utf-8">')
        self.out.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
        self.out.append('<meta name="generator" content="journal_ext">')
        if bundle.authors:
            self.out.append(f'<meta name="author" content="{escape(", ".join(bundle.authors))}">')
        title = f"{bundle.title} — {bundle.subtitle}" if bundle.subtitle else bundle.title
        self.out.append(f"<title>{escape(title)}</title>")
        self.out.append(f"<style>\n{STYLE}\n</style>")
        self.out.append("</head>")
        self.out.append("<body>")
        self._title_page()
        if self.table_of_contents:
            self._contents()
        self.out.append("<main>")
        base = 3 if bundle.combined else 2
        for index, printed in enumerate(bundle.documents, start=1):
            if bundle.combined:
                self._document(printed, index, base)
            else:
                for section in printed.sections:
                    self._section(section, base)
        if self._has_length_report():
            self._length_report()
        self.out.append("</main>")
        self.out.append("</body>")
        self.out.append("</html>")
        return "\n".join(self.out) + "\n"

    def _title_page(self) -> None:
        bundle = self.bundle
        self.out.append('<header class="title-page">')
        self.out.append(f"<h1>{escape(bundle.title)}</h1>")
        if bundle.subtitle:
            self.out.append(f'<p class="subtitle">{escape(bundle.subtitle)}</p>')
        self.out.append('<dl class="facts">')
        for label, value in bundle.title_facts():
            self.out.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
        self.out.append("</dl>")
        self.out.append("</header>")

    def _contents(self) -> None:
        """The documents and the length report, each linked (WeasyPrint adds their page numbers)."""
        bundle, words = self.bundle, self.words
        entries = [(f"document-{index}", printed.title) for index, printed in enumerate(bundle.documents, start=1)]
        if self._has_length_report():
            entries.append(("length-report", words["lengths"]))
        self.out.append('<nav class="contents" aria-labelledby="contents">')
        self.out.append(f'<h2 id="contents">{escape(words["contents"])}</h2>')
        self.out.append("<ol>")
        for anchor, title in entries:
            self.out.append(f'<li><a href="#{anchor}">{escape(title)}</a></li>')
        self.out.append("</ol>")
        self.out.append("</nav>")

    def _has_length_report(self) -> bool:
        return self.bundle.show_length_report and any(d.lengths for d in self.bundle.documents)

    def _document(self, printed: model.PrintedDocument, index: int, base: int) -> None:
        shared = ' class="shared"' if printed.kind not in ("learning_journal", "field_observation") else ""
        self.out.append(f'<article{shared} aria-labelledby="document-{index}">')
        self.out.append(f'<h2 id="document-{index}">{escape(printed.title)}</h2>')
        facts = " — ".join(
            f
            for f in (printed.kind_label, ", ".join(printed.authors), self.words["changed"].format(date=printed.date))
            if f
        )
        self.out.append(f'<p class="document-facts">{escape(facts)}</p>')
        for section in printed.sections:
            self._section(section, base)
        self.out.append("</article>")

    def _section(self, section: model.PrintedSection, level: int) -> None:
        self.section_count += 1
        anchor = f"section-{self.section_count}"
        self.remaining = self._covered(section)
        anchored = set(self.remaining)
        if section.heading:
            self.out.append(f'<section aria-labelledby="{anchor}">')
            self.out.append(f'<h{level} id="{anchor}">{escape(section.heading)}</h{level}>')
        else:
            self.out.append('<section class="preamble">')
        in_section = section.heading is not None
        if section.authors:
            names = ", ".join(section.authors)
            self.out.append(f'<p class="authors">{escape(self.words["written_by"].format(names=names))}</p>')
        if section.prompt:
            self.out.append('<div class="prompt" role="note">')
            self.out.append(f'<p class="prompt-label">{escape(self.words["prompt"])}</p>')
            self._blocks(section.prompt, level, in_section)
            self.out.append("</div>")
        if section.heading and not section.written and section.key is not None:
            self.out.append(f'<p class="not-written">{escape(self.words["not_written"])}</p>')
        self._blocks(section.blocks, level, in_section)
        if section.notes:
            self._notes(section.notes, anchored=anchored)
        self.out.append("</section>")

    @staticmethod
    def _covered(section: model.PrintedSection) -> dict[int, int]:
        """How many printed spans each annotation's passage covers in a section."""
        covered: dict[int, int] = {}
        for spans in list(span_lists(section.prompt)) + list(span_lists(section.blocks)):
            for span in spans:
                for number in span.notes:
                    covered[number] = covered.get(number, 0) + 1
        return covered

    def _notes(self, notes: Sequence[model.Note], *, anchored: set[int]) -> None:
        words = self.words
        self.out.append(f'<aside class="notes" role="note" aria-label="{escape(words["notes"])}">')
        self.out.append(f'<p class="notes-title">{escape(words["notes"])}</p>')
        self.out.append("<ol>")
        for note in notes:
            parts = []
            if note.exact:
                parts.append(f'<span class="note-quote">{escape(words["on"].format(exact=note.exact))}</span> — ')
            parts.append(f"<strong>{escape(note.author_name)}</strong>")
            status = note_status_label(note.status, words) or ("" if note.number in anchored else words["not_found"])
            if status:
                parts.append(f" ({escape(status)})")
            parts.append(escape(self.colon) + escape(note.body))
            if note.number in anchored:
                back = "Retour au texte" if self.bundle.language == "fr" else "Back to the text"
                parts.append(f' <a href="#note-ref-{note.number}" role="doc-backlink" aria-label="{back}">↩</a>')
            self.out.append(f'<li id="note-{note.number}" value="{note.number}"><p>{"".join(parts)}</p>')
            if note.replies:
                self.out.append('<ul class="replies">')
                for reply in note.replies:
                    self.out.append(
                        f"<li>↳ <strong>{escape(reply.author_name)}</strong>{escape(self.colon)}{escape(reply.body)}</li>"
                    )
                self.out.append("</ul>")
            self.out.append("</li>")
        self.out.append("</ol>")
        self.out.append("</aside>")

    # -- blocks -------------------------------------------------------------

    def _blocks(self, blocks: Sequence[model.Block], section_level: int, in_section: bool) -> None:
        for block in blocks:
            if isinstance(block, model.Heading):
                level = min(6, heading_level(block.level, section_level, in_section=in_section))
                self.out.append(f"<h{level}>{self._spans(block.spans)}</h{level}>")
            elif isinstance(block, model.Paragraph):
                self.out.append(f"<p>{self._spans(block.spans)}</p>")
            elif isinstance(block, model.ItemList):
                if block.ordered:
                    start = f' start="{block.start}"' if block.start != 1 else ""
                    self.out.append(f"<ol{start}>")
                else:
                    self.out.append("<ul>")
                for item in block.items:
                    self.out.append("<li>")
                    self._blocks(item, section_level, in_section)
                    self.out.append("</li>")
                self.out.append("</ol>" if block.ordered else "</ul>")
            elif isinstance(block, model.Quote):
                self.out.append("<blockquote>")
                self._blocks(block.blocks, section_level, in_section)
                self.out.append("</blockquote>")
            elif isinstance(block, model.Preformatted):
                self.out.append(f"<pre><code>{escape(block.text)}</code></pre>")
            elif isinstance(block, model.Table):
                self._table(block)
            elif isinstance(block, model.Figure):
                self.out.append(
                    f'<figure><img src="{_data_uri(block.picture)}" alt="{escape(block.picture.alt)}"></figure>'
                )
            elif isinstance(block, model.Rule):
                self.out.append("<hr>")

    def _table(self, block: model.Table) -> None:
        self.out.append("<table>")
        if block.header:
            self.out.append("<thead><tr>")
            for index, spans in enumerate(block.header):
                self.out.append(f'<th scope="col"{self._align(block, index)}>{self._spans(spans)}</th>')
            self.out.append("</tr></thead>")
        self.out.append("<tbody>")
        for row in block.rows:
            cells = "".join(
                f"<td{self._align(block, index)}>{self._spans(spans)}</td>" for index, spans in enumerate(row)
            )
            self.out.append(f"<tr>{cells}</tr>")
        self.out.append("</tbody></table>")

    @staticmethod
    def _align(block: model.Table, index: int) -> str:
        align = block.aligns[index] if index < len(block.aligns) else None
        return f' class="align-{align}"' if align in ("center", "right") else ""

    def _spans(self, spans: Sequence[model.Span]) -> str:
        html: list[str] = []
        open_href: str | None = None
        for span in spans:
            if span.href != open_href:
                if open_href is not None:
                    html.append("</a>")
                if span.href is not None:
                    html.append(f'<a href="{escape(span.href)}">')
                open_href = span.href
            if span.line_break:
                piece = "<br>"
            elif span.picture is not None:
                piece = f'<img src="{_data_uri(span.picture)}" alt="{escape(span.picture.alt)}">'
            else:
                piece = escape(span.text)
                if span.code:
                    piece = f"<code>{piece}</code>"
                if span.strike:
                    piece = f"<s>{piece}</s>"
                if span.italic:
                    piece = f"<em>{piece}</em>"
                if span.bold:
                    piece = f"<strong>{piece}</strong>"
            if span.notes:
                piece = f'<mark class="annotated">{piece}</mark>'
            html.append(piece)
            ended = []
            for number in span.notes:
                # A passage running over several spans or paragraphs gets its number once, at its end.
                self.remaining[number] -= 1
                if self.remaining[number] == 0:
                    ended.append(f'<a href="#note-{number}" id="note-ref-{number}" role="doc-noteref">{number}</a>')
            if ended:
                if open_href is not None:
                    # A link never holds another link: close it before the note's number.
                    html.append("</a>")
                    open_href = None
                html.append(f'<sup class="note-ref">{",".join(ended)}</sup>')
        if open_href is not None:
            html.append("</a>")
        return "".join(html)

    # -- length report --------------------------------------------------------

    def _length_report(self) -> None:
        words = self.words
        self.out.append('<section class="length-report" aria-labelledby="length-report">')
        self.out.append(f'<h2 id="length-report">{escape(words["lengths"])}</h2>')
        self.out.append(f"<p>{escape(words['lengths_caption'])}</p>")

        def count(n: int) -> str:
            return format_count(n, self.bundle.language)

        for printed in self.bundle.documents:
            if not printed.lengths:
                continue
            if self.bundle.combined:
                self.out.append(f"<h3>{escape(printed.title)}</h3>")
            self.out.append("<table>")
            self.out.append(f"<caption>{escape(printed.title)}</caption>")
            self.out.append(
                "<thead><tr>"
                + "".join(f'<th scope="col">{escape(words[k])}</th>' for k in ("section", "count", "bounds", "status"))
                + "</tr></thead>"
            )
            self.out.append("<tbody>")
            for row in printed.lengths:
                self.out.append(
                    f'<tr><th scope="row">{escape(row.heading)}</th>'
                    f'<td class="align-right">{escape(count(row.count))}</td>'
                    f"<td>{escape(bounds_label(row, words, count))}</td>"
                    f'<td class="status-{row.status}">{escape(words[row.status])}</td></tr>'
                )
            self.out.append("</tbody></table>")
        self.out.append("</section>")

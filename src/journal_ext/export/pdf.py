"""PDF exports: WeasyPrint prints the HTML export as a tagged PDF, by default PDF/A-3b for archives.

WeasyPrint is a dependency, so PDF works after a plain install; it needs the
Pango system library, and where that is missing :class:`ConverterMissing`
says which package to install. The PDF is tagged (headings, lists, tables,
figures with their alternative text), carries the document's language,
title and authors, has bookmarks from the headings, page numbers, and a
table of contents when it holds several documents.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from journal_ext.export.html import write_html
from journal_ext.export.model import ExportError, PrintedBundle
from journal_ext.i18n import message

# What the export dialog, the API (pdf_variant=) and the CLI (--pdf-variant) offer:
# PDF/A-3b for archiving (fonts embedded, XMP identification), or a plain tagged PDF.
PDF_VARIANTS = ("pdf/a-3b", "pdf")
DEFAULT_PDF_VARIANT = "pdf/a-3b"

# Where PDF export can't be made: what to install (French in the server catalogue).
PDF_HELP = message(
    "PDF export needs the Pango library on this machine: install it"
    " (Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0);"
    " DOCX and HTML exports don't need it"
)

# Page numbers in the margin, and the table of contents' page numbers: only WeasyPrint reads these.
PDF_STYLE = """
@page {
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #3a3a3a; }
}
@page :first { @bottom-center { content: none; } }
nav.contents { break-after: page; }
nav.contents ol { list-style: none; padding-left: 0; }
nav.contents a { text-decoration: none; }
nav.contents a::after { content: leader(". ") target-counter(attr(href url), page); }
"""


class ConverterMissing(ExportError):
    """PDF was asked for and this machine lacks what WeasyPrint needs to make it."""

    code = "converter_missing"

    def __init__(self) -> None:
        super().__init__(PDF_HELP)


def pdf_help(language: str) -> str:
    """The message saying which system package PDF export needs, in French or English (French by default)."""
    return PDF_HELP.render(language)


def _weasyprint() -> ModuleType | None:
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError):
        # OSError: WeasyPrint is installed but the Pango library it needs is not.
        return None


def pdf_converter() -> str | None:
    """The PDF converter this machine has: 'weasyprint', or None when its system library is missing."""
    return "weasyprint" if _weasyprint() is not None else None


def to_pdf(bundle: PrintedBundle, variant: str = DEFAULT_PDF_VARIANT) -> bytes:
    """A tagged PDF of the bundle (PDF/A-3b unless ``variant`` is 'pdf')."""
    if variant not in PDF_VARIANTS:
        raise ExportError(
            "the PDF variant must be one of {variants}; got {variant}",
            variants=", ".join(PDF_VARIANTS),
            variant=repr(variant),
        )
    weasyprint = _weasyprint()
    if weasyprint is None:
        raise ConverterMissing()
    html = weasyprint.HTML(string=write_html(bundle, table_of_contents=bundle.combined))
    pdf = html.write_pdf(
        stylesheets=[weasyprint.CSS(string=PDF_STYLE)],
        pdf_tags=True,
        pdf_variant=None if variant == "pdf" else variant,
    )
    return bytes(pdf)

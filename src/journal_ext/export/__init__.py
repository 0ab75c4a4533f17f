"""Exports for juries and archives: documents, a group's work, a journal, a passport, as DOCX, HTML or PDF.

``model`` is the printed model (blocks, sections, documents) that ``docx``,
``html`` and ``pdf`` write; ``exports`` gathers what a viewer may read into it.
"""

from journal_ext.export.exports import (
    FORMATS,
    LANGUAGES,
    MEDIA_TYPES,
    ExportFile,
    ExportOptions,
    checked_options,
    document_filename,
    export_document,
    export_group,
    export_journal,
    export_passport,
    group_documents,
    journal_documents,
    length_report,
    slug,
)
from journal_ext.export.model import ExportError
from journal_ext.export.pdf import (
    DEFAULT_PDF_VARIANT,
    PDF_HELP,
    PDF_VARIANTS,
    ConverterMissing,
    pdf_converter,
    pdf_help,
)

__all__ = [
    "DEFAULT_PDF_VARIANT",
    "FORMATS",
    "LANGUAGES",
    "MEDIA_TYPES",
    "PDF_HELP",
    "PDF_VARIANTS",
    "ConverterMissing",
    "ExportError",
    "ExportFile",
    "ExportOptions",
    "checked_options",
    "document_filename",
    "export_document",
    "export_group",
    "export_journal",
    "export_passport",
    "group_documents",
    "journal_documents",
    "length_report",
    "pdf_converter",
    "pdf_help",
    "slug",
]

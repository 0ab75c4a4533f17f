"""Exports as files: a document, a group, a journal, a passport; which formats this server makes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from journal_ext import export
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore
from journal_ext.server.errors import Refusal
from journal_ext.server.handlers.base import (
    JournalHandler,
    flag_argument,
)


def _attachment(filename: str) -> str:
    """A Content-Disposition offering the file for download under its (possibly accented) name."""
    fallback = "".join(c if c.isascii() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class ExportFormatsHandler(JournalHandler):
    """The export formats, whether this machine can make each (PDF needs Pango), and the PDF variants."""

    def get(self) -> None:
        converter = export.pdf_converter()
        self.reply(
            {
                "formats": [
                    {"id": "docx", "available": True},
                    {"id": "html", "available": True},
                    {
                        "id": "pdf",
                        "available": converter is not None,
                        "converter": converter,
                        "message": None if converter else export.pdf_help(self.language),
                        "variants": list(export.PDF_VARIANTS),
                        "default_variant": export.DEFAULT_PDF_VARIANT,
                    },
                ]
            }
        )


class ExportHandler(JournalHandler):
    """Base of the export downloads: read the options, export in a worker thread, send the file."""

    def export_options(self) -> tuple[str, export.ExportOptions]:
        fmt = self.get_query_argument("format", "docx")
        if fmt not in export.FORMATS:
            raise Refusal(
                400, "'format' must be one of {formats}, got {fmt}", formats=", ".join(export.FORMATS), fmt=repr(fmt)
            )
        language = self.get_query_argument("lang", "") or self.context.language
        if language not in export.LANGUAGES:
            raise Refusal(
                400,
                "'lang' must be one of {languages}, got {language}",
                languages=", ".join(export.LANGUAGES),
                language=repr(language),
            )
        pdf_variant = self.get_query_argument("pdf_variant", "") or export.DEFAULT_PDF_VARIANT
        if pdf_variant not in export.PDF_VARIANTS:
            raise Refusal(
                400,
                "'pdf_variant' must be one of {variants}, got {pdf_variant}",
                variants=", ".join(export.PDF_VARIANTS),
                pdf_variant=repr(pdf_variant),
            )
        if fmt == "pdf" and export.pdf_converter() is None:
            # Refused before any work, in the language of the person asking.
            raise Refusal(400, export.PDF_HELP, code="converter_missing")
        options = export.ExportOptions(
            language=language,
            include_prompts=flag_argument(self, "prompts", False),
            show_authors=flag_argument(self, "authors", True),
            include_annotations=flag_argument(self, "annotations", False),
            include_length_report=flag_argument(self, "lengths", True),
            pdf_variant=pdf_variant,
        )
        return fmt, options

    async def send_export(self, make: Callable[[JournalStore, Any], export.ExportFile]) -> None:
        """Export with a store of the worker thread's own (SQLite connections stay in their thread)."""
        db_path, user = self.context.db_path, self.viewer.user

        def work() -> export.ExportFile:
            with JournalStore(db_path) as store:
                return make(store, viewer_for(store, user))

        exported = await asyncio.to_thread(work)
        self.set_header("Content-Disposition", _attachment(exported.filename))
        self.set_header("Cache-Control", "no-store")
        self.finish(exported.content, set_content_type=exported.media_type)


class DocumentExportHandler(ExportHandler):
    """One document as a DOCX, HTML or PDF file (?format=&prompts=&authors=&annotations=&lengths=&lang=&pdf_variant=)."""

    async def get(self, document_id: str) -> None:
        fmt, options = self.export_options()
        await self.send_export(
            lambda store, viewer: export.export_document(store, viewer, int(document_id), fmt, options)
        )


class GroupExportHandler(ExportHandler):
    """The documents of a group the user may read, as one file (same options as a document's export)."""

    async def get(self, group_id: str) -> None:
        fmt, options = self.export_options()
        await self.send_export(
            lambda store, viewer: export.export_group(store, viewer, int(group_id), fmt, options, combined=True)[0]
        )


class JournalExportHandler(ExportHandler):
    """A learner's journal entries and field observations the user may read, as one file."""

    async def get(self, user: str) -> None:
        fmt, options = self.export_options()
        await self.send_export(lambda store, viewer: export.export_journal(store, viewer, user, fmt, options))


class PassportExportHandler(ExportHandler):
    """A learner's passport as a DOCX, HTML or PDF file (?format=&lang=&pdf_variant=)."""

    async def get(self, learner: str) -> None:
        fmt, options = self.export_options()
        await self.send_export(lambda store, viewer: export.export_passport(store, viewer, learner, fmt, options))

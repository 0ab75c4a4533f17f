"""PDF exports: LibreOffice converts the DOCX, else WeasyPrint prints the HTML."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from journal_ext.export.docx import write_docx
from journal_ext.export.html import write_html
from journal_ext.export.model import ExportError, PrintedBundle

PDF_TIMEOUT_SECONDS = 180


class ConverterMissing(ExportError):
    """PDF was asked for and this machine has no converter to make it."""


PDF_HELP = (
    "PDF export needs a converter on this machine: install LibreOffice"
    " (Debian/Ubuntu: apt-get install libreoffice-writer-nogui, which provides soffice)"
    " or WeasyPrint (pip install weasyprint); DOCX and HTML exports need neither"
)


def pdf_converter() -> str | None:
    """The PDF converter this machine has: 'libreoffice', 'weasyprint', or None."""
    if _soffice() is not None:
        return "libreoffice"
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        # OSError: WeasyPrint is installed but the Pango library it needs is not.
        return None
    return "weasyprint"


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(bundle: PrintedBundle) -> bytes:
    """A PDF of the bundle: LibreOffice converts the DOCX, else WeasyPrint prints the HTML."""
    soffice = _soffice()
    if soffice is not None:
        # Word comments don't print: on paper, annotations are numbered notes.
        return _libreoffice_pdf(soffice, write_docx(bundle, notes_as_comments=False))
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise ConverterMissing(PDF_HELP) from error
    return bytes(weasyprint.HTML(string=write_html(bundle)).write_pdf())


def _libreoffice_pdf(soffice: str, docx_bytes: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="journal-export-") as folder:
        work = Path(folder)
        source = work / "export.docx"
        source.write_bytes(docx_bytes)
        # A profile of its own: a LibreOffice already open for the same user would otherwise take the job.
        profile = (work / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            completed = subprocess.run(
                command, capture_output=True, text=True, timeout=PDF_TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise ExportError(
                f"LibreOffice did not finish converting to PDF within {PDF_TIMEOUT_SECONDS} seconds"
            ) from error
        result = work / "export.pdf"
        if completed.returncode != 0 or not result.exists():
            detail = (completed.stderr or completed.stdout or "").strip().splitlines()[-1:] or ["no message"]
            raise ExportError(f"LibreOffice could not convert the export to PDF: {detail[0]}")
        return result.read_bytes()

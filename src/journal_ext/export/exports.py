"""Exports: a document, a group's documents or a learner's journal as DOCX, HTML or PDF.

What a jury receives: the shared diagnostic (about 20 pages), the
professional dossier (about 60 pages) or the 5000-sign synthesis note, with a
title page (cohort, group, authors, date), each section's heading and, on
request, who wrote it, the consignes and the tutors' annotations; at the end,
the length of every section with bounds, counted in signes as the programmes
count them.

An export holds only what the viewer may read: every document goes through
:func:`journal_ext.core.documents.readable_document` or
:func:`journal_ext.core.documents.visible_documents`. PDF is printed by
WeasyPrint (a dependency), tagged, PDF/A-3b unless asked otherwise; where the
Pango library it needs is missing, :class:`ConverterMissing` says what to install.

Annotations reach an export through :attr:`ExportOptions.annotations`, a
callable given a document row and returning the annotations the viewer may
read, as mappings with ``cell_id``, ``exact`` (the quoted passage),
``start`` (its offset in the cell, a hint), ``author_name``, ``body``,
``status`` (open, resolved, orphaned) and ``replies`` (mappings with
``author_name`` and ``body``). The items of
``annotations.list_annotations(...)["annotations"]`` (``quote.exact``,
``anchor.start``, ``orphaned``) are read as they are.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, TypedDict

from journal_ext.core import notebooks
from journal_ext.core.documents import (
    readable_document,
    template_from_version,
    visible_documents,
)
from journal_ext.core.permissions import SHARED_KINDS, Viewer
from journal_ext.core.templates import Template
from journal_ext.db import CellRow, JournalStore, NotFound, parse_time
from journal_ext.export import model
from journal_ext.export.docx import write_docx
from journal_ext.export.html import write_html
from journal_ext.export.model import (
    WORDS,
    Block,
    ExportError,
    Note,
    Paragraph,
    PrintedBundle,
    PrintedDocument,
    PrintedSection,
    SectionLength,
    Span,
    cell_blocks,
    first_heading_text,
    format_date,
    mark_passage,
    markdown_blocks,
    without_first_heading,
)
from journal_ext.export.pdf import (
    DEFAULT_PDF_VARIANT,
    PDF_VARIANTS,
    ConverterMissing,
    pdf_converter,
    to_pdf,
)
from journal_ext.i18n import quoted

FORMATS = ("docx", "html", "pdf")
LANGUAGES = ("fr", "en")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
JOURNAL_KINDS = ("learning_journal", "field_observation")
# Group exports list the documents written together first, in this order.
KIND_ORDER = ("shared_diagnostic", "synthesis_note", "professional_dossier")

AnnotationSource = Callable[[dict[str, Any]], Iterable[Mapping[str, Any]]]
Progress = Callable[[int], Any]


@dataclass(frozen=True)
class ExportOptions:
    """What an export includes, and in which language its own words are written."""

    language: str = "fr"
    # The consignes (prompt cells) of each section.
    include_prompts: bool = False
    # "Rédigé par …" under each section heading, from the cells' revision history.
    show_authors: bool = True
    include_annotations: bool = False
    # The length of every bounded section, at the end.
    include_length_report: bool = True
    # The source of code cells (their outputs are always printed).
    include_code: bool = False
    # PDF only: "pdf/a-3b" (archivable, fonts embedded) or "pdf" (a plain tagged PDF).
    pdf_variant: str = DEFAULT_PDF_VARIANT
    annotations: AnnotationSource | None = field(default=None, compare=False)


class ExportFile(NamedTuple):
    """One exported file: a suggested file name and its bytes."""

    filename: str
    content: bytes

    @property
    def media_type(self) -> str:
        """The file's media type, from its extension."""
        return MEDIA_TYPES[self.filename.rsplit(".", 1)[-1]]


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def export_document(
    store: JournalStore,
    viewer: Viewer,
    document_id: int,
    fmt: str,
    options: ExportOptions | None = None,
) -> ExportFile:
    """One document the viewer may read, as a DOCX, HTML or PDF file."""
    options = checked_options(store, viewer, fmt, options)
    document = readable_document(store, viewer, document_id)
    bundle = _single_bundle(store, document, options)
    return ExportFile(document_filename(store, document, fmt), render(bundle, fmt, options.pdf_variant))


def group_documents(
    store: JournalStore, viewer: Viewer, group: int | str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A group (by id, name or 'COHORT/GROUP') and its documents the viewer may read, shared ones first."""
    row = store.group_by_id(group) if isinstance(group, int) else store.group(group)
    found = [d for d in visible_documents(store, viewer) if d["group_id"] == row["id"]]
    if not found:
        raise NotFound("the group '{name}' has no document that you may read", name=row["name"])
    # Shared documents first (diagnostic, note, dossier), then each learner's documents by date.
    found.sort(
        key=lambda d: (
            (0, _kind_rank(d["kind"]), "") if d["kind"] in SHARED_KINDS else (1, 0, d["owner"]),
            _document_day(d),
            d["id"],
        )
    )
    return row, found


def export_group(
    store: JournalStore,
    viewer: Viewer,
    group: int | str,
    fmt: str,
    options: ExportOptions | None = None,
    *,
    combined: bool = False,
    progress: Progress | None = None,
) -> list[ExportFile]:
    """The group's documents the viewer may read: one file each, or one file holding them all (``combined``).

    ``progress`` is called with 1 after each document.
    """
    options = checked_options(store, viewer, fmt, options)
    group_row, found = group_documents(store, viewer, group)
    counter = _Counter()
    if not combined:
        files: list[ExportFile] = []
        taken: set[str] = set()
        for document in found:
            bundle = _single_bundle(store, document, options)
            files.append(
                ExportFile(
                    _unique(document_filename(store, document, fmt), taken), render(bundle, fmt, options.pdf_variant)
                )
            )
            if progress:
                progress(1)
        return files
    printed_documents = []
    for document in found:
        printed_documents.append(_printed_document(store, document, options, counter))
        if progress:
            progress(1)
    words = WORDS[options.language]
    bundle = PrintedBundle(
        title=group_row["name"],
        subtitle=words["group_documents"],
        cohort=group_row["cohort"],
        group=None,
        commission=group_row["commission"] or None,
        authors=_union(p.authors for p in printed_documents),
        date=format_date(dt.date.today(), options.language),
        language=options.language,
        documents=printed_documents,
        combined=True,
        show_length_report=options.include_length_report,
        words=words,
    )
    return [ExportFile(f"{slug(group_row['name'])}.{fmt}", render(bundle, fmt, options.pdf_variant))]


def journal_documents(store: JournalStore, viewer: Viewer, user: str) -> list[dict[str, Any]]:
    """A learner's journal entries and field observations that the viewer may read, in date order."""
    found = [d for d in visible_documents(store, viewer) if d["owner"] == user and d["kind"] in JOURNAL_KINDS]
    if not found:
        raise NotFound("'{user}' has no learning-journal entry or field observation that you may read", user=user)
    return sorted(found, key=lambda d: (_document_day(d), d["created_at"], d["id"]))


def export_journal(
    store: JournalStore,
    viewer: Viewer,
    user: str,
    fmt: str,
    options: ExportOptions | None = None,
    *,
    progress: Progress | None = None,
) -> ExportFile:
    """A learner's journal (entries and field observations the viewer may read) as one file, in date order."""
    options = checked_options(store, viewer, fmt, options)
    found = journal_documents(store, viewer, user)
    counter = _Counter()
    printed_documents = []
    for document in found:
        printed_documents.append(_printed_document(store, document, options, counter))
        if progress:
            progress(1)
    words = WORDS[options.language]
    name = store.display_name(user)
    learner_of = [m for m in store.memberships(user) if m["role"] == "learner"]
    bundle = PrintedBundle(
        title=name,
        subtitle=words["journal"],
        cohort=", ".join(dict.fromkeys(m["cohort"] for m in learner_of)) or None,
        group=", ".join(m["group_name"] for m in learner_of) or None,
        commission=None,
        authors=[name],
        date=format_date(dt.date.today(), options.language),
        language=options.language,
        documents=printed_documents,
        combined=True,
        show_length_report=options.include_length_report,
        words=words,
    )
    return ExportFile(f"journal-{slug(name)}.{fmt}", render(bundle, fmt, options.pdf_variant))


# The words of a passport export in one language ("from" is a keyword, hence this form).
PassportWords = TypedDict(
    "PassportWords",
    {
        "passport": str,
        "overview": str,
        "domain": str,
        "met": str,
        "evidence": str,
        "chart": str,
        "justification": str,
        "judgement": str,
        "self": str,
        "no_evidence": str,
        "hidden": str,
        "withheld": dict[str, str],
        "from": str,
        # The assessor roles, as a judgement names them.
        "roles": dict[str, str],
    },
)


PASSPORT_WORDS: dict[str, PassportWords] = {
    "fr": {
        "passport": "Passeport compétences",
        "overview": "Vue d'ensemble",
        "domain": "Domaine",
        "met": "Compétences atteintes",
        "evidence": "Preuves",
        "chart": "Preuves par compétence et auto-positionnement",
        "justification": "Justification",
        "judgement": "Évaluation",
        "self": "Auto-positionnement",
        "no_evidence": "Aucune preuve déclarée pour ce domaine.",
        "hidden": "Passage non reproduit dans ce passeport.",
        "withheld": {
            "private": "Passage non reproduit\u00a0: il se trouve dans un document privé de l'apprenant·e ({kind}),"
            " que seul·e son auteur·rice peut lire. La preuve et ses évaluations restent comptées ci-dessus.",
            "tutors": "Passage non reproduit\u00a0: il se trouve dans un écrit personnel de l'apprenant·e ({kind}),"
            " que seul·es l'apprenant·e et les formateur·rices de son groupe peuvent lire."
            " La preuve et ses évaluations restent comptées ci-dessus.",
            "group": "Passage non reproduit\u00a0: il se trouve dans un document ({kind}) que seuls les membres"
            " de son groupe peuvent lire. La preuve et ses évaluations restent comptées ci-dessus.",
        },
        "from": "Extrait de «\u00a0{title}\u00a0»",
        "roles": {"self": "auto-évaluation", "peer": "pair", "tutor": "formateur·rice"},
    },
    "en": {
        "passport": "Competence passport",
        "overview": "Overview",
        "domain": "Domain",
        "met": "Competences met",
        "evidence": "Evidence",
        "chart": "Evidence per competence and self-positioning",
        "justification": "Justification",
        "judgement": "Assessment",
        "self": "Self-positioning",
        "no_evidence": "No evidence claimed for this domain.",
        "hidden": "Passage not reproduced in this passport.",
        "withheld": {
            "private": "Passage not reproduced: it is in a private document of the learner ({kind}),"
            " which only its author may read. The evidence and its assessments are still counted above.",
            "tutors": "Passage not reproduced: it is in the learner's personal writing ({kind}),"
            " which only the learner and their group's tutors may read."
            " The evidence and its assessments are still counted above.",
            "group": "Passage not reproduced: it is in a document ({kind}) which only the members of its group"
            " may read. The evidence and its assessments are still counted above.",
        },
        "from": "From “{title}”",
        "roles": {"self": "self", "peer": "peer", "tutor": "tutor"},
    },
}


def withheld_reason(item: dict[str, Any], labels: PassportWords, language: str) -> str:
    """Why a passport does not quote a passage: where it is, and who may read it (a jury reads this)."""
    withheld = item.get("withheld") or {}
    reason = labels["withheld"].get(withheld.get("visibility", ""))
    if reason is None:
        return labels["hidden"]
    kind = notebooks.kind_label(withheld.get("kind", ""), language)
    return reason.format(kind=quoted(kind, language))


def export_passport(
    store: JournalStore, viewer: Viewer, learner: str, fmt: str, options: ExportOptions | None = None
) -> ExportFile:
    """A learner's competence passport: the figure, a table per domain, and the evidence quoted with its judgements."""
    from journal_ext.core.passport import passport as read_passport
    from journal_ext.kernel import charts

    options = checked_options(store, viewer, fmt, replace(options or ExportOptions(), include_annotations=False))
    language = options.language
    data = read_passport(store, viewer, learner, language)
    words, labels = WORDS[language], PASSPORT_WORDS[language]
    # The states in the figure's words, so the figure and the text below it say the same.
    states = charts.WORDS[language]
    names: dict[str, str] = {}

    def name_of(user: str) -> str:
        names.setdefault(user, store.display_name(user))
        return names[user]

    overview: list[Block] = [
        model.Figure(model.Picture(charts.passport_png(data, language), "image/png", labels["chart"])),
        model.Table(
            header=[[Span(labels["domain"])], [Span(labels["met"])], [Span(labels["evidence"])]],
            rows=[
                [
                    [Span(f"{d['code']} — {d['title']}")],
                    [Span(f"{d['competences_met']} / {d['competences_total']}")],
                    [Span(str(d["evidence_count"]))],
                ]
                for d in data["domains"]
            ],
            aligns=[None, "right", "right"],
        ),
    ]
    sections = [PrintedSection(None, labels["overview"], [], [], overview, [], written=True)]
    for domain in data["domains"]:
        blocks: list[Block] = []
        for competence in domain["competences"]:
            ratings = competence["self_positioning"]
            if not competence["evidence"] and not ratings:
                continue
            blocks.append(model.Heading(3, [Span(f"{competence['code']} — {competence['title']}")]))
            if ratings:
                levels = " → ".join(f"{r['level']}/4 ({format_date(r['day'], language)})" for r in ratings)
                blocks.append(
                    Paragraph(
                        [
                            Span(f"{labels['self']}\u00a0: " if language == "fr" else f"{labels['self']}: ", bold=True),
                            Span(levels),
                        ]
                    )
                )
            for item in competence["evidence"]:
                quoted = item["quote"]["exact"] if item["quote"] else withheld_reason(item, labels, language)
                blocks.append(model.Quote([Paragraph([Span(quoted, italic=item["quote"] is None)])]))
                if item.get("document_title"):
                    blocks.append(Paragraph([Span(labels["from"].format(title=item["document_title"]), italic=True)]))
                if item["justification"]:
                    blocks.append(
                        Paragraph(
                            [
                                Span(
                                    f"{labels['justification']}\u00a0: "
                                    if language == "fr"
                                    else f"{labels['justification']}: ",
                                    bold=True,
                                ),
                                Span(item["justification"]),
                            ]
                        )
                    )
                judged = [
                    f"{states[j['state']]} ({labels['roles'][j['role']]}, {name_of(j['assessor'])})"
                    + (f" — {j['comment']}" if j["comment"] else "")
                    for j in item["judgements"]
                ]
                status = states.get(item["status"], item["status"])
                blocks.append(
                    Paragraph(
                        [
                            Span(
                                f"{labels['judgement']}\u00a0: " if language == "fr" else f"{labels['judgement']}: ",
                                bold=True,
                            ),
                            Span(status),
                        ]
                    )
                )
                if judged:
                    blocks.append(model.ItemList(False, 1, [[Paragraph([Span(line)])] for line in judged]))
        if not blocks:
            blocks.append(Paragraph([Span(labels["no_evidence"], italic=True)]))
        sections.append(PrintedSection(None, f"{domain['code']} — {domain['title']}", [], [], blocks, [], True))
    printed = PrintedDocument(
        document_id=0,
        title=labels["passport"],
        kind="passport",
        kind_label=labels["passport"],
        cohort=data["cohort"],
        group=None,
        authors=[data["learner_name"]],
        date=format_date(dt.date.today(), language),
        revision=0,
        sections=sections,
        lengths=[],
    )
    bundle = PrintedBundle(
        title=data["learner_name"],
        subtitle=labels["passport"],
        cohort=data["cohort"],
        group=None,
        commission=None,
        authors=[data["learner_name"]],
        date=printed.date,
        language=language,
        documents=[printed],
        combined=False,
        show_length_report=False,
        words=words,
    )
    return ExportFile(f"passeport-{slug(data['learner_name'])}.{fmt}", render(bundle, fmt, options.pdf_variant))


def length_report(store: JournalStore, viewer: Viewer, document_id: int) -> list[SectionLength]:
    """Each section of a document with length bounds: its length in signes, its bounds and whether it fits."""
    document = readable_document(store, viewer, document_id)
    template = _template(store, document)
    if template is None:
        raise NotFound("this document was not made from a template, so its sections have no length bounds")
    return _lengths(template, store.cells(document_id))


def checked_options(
    store: JournalStore, viewer: Viewer, fmt: str, options: ExportOptions | None = None
) -> ExportOptions:
    """The options an export will use, refused before any work when the format, language or annotations can't be had.

    Raises ExportError for an unknown format or language, or annotations
    asked for with no source; ConverterMissing for PDF without a converter.
    """
    if fmt not in FORMATS:
        raise ExportError(
            "the export format must be one of {formats}; got {fmt}", formats=", ".join(FORMATS), fmt=repr(fmt)
        )
    options = options or ExportOptions()
    if options.language not in LANGUAGES:
        raise ExportError("the export language must be 'fr' or 'en'; got {language}", language=repr(options.language))
    if options.pdf_variant not in PDF_VARIANTS:
        raise ExportError(
            "the PDF variant must be one of {variants}; got {pdf_variant}",
            variants=", ".join(PDF_VARIANTS),
            pdf_variant=repr(options.pdf_variant),
        )
    if fmt == "pdf" and pdf_converter() is None:
        raise ConverterMissing()
    if options.include_annotations and options.annotations is None:
        source = annotation_source(store, viewer)
        if source is None:
            raise ExportError("annotations cannot be exported yet: no annotation source is available")
        options = replace(options, annotations=source)
    return options


def document_filename(store: JournalStore, document: dict[str, Any], fmt: str) -> str:
    """A file name for an exported document: group and title for shared documents, owner and title otherwise."""
    if document["kind"] in SHARED_KINDS and document.get("group_name"):
        stem = f"{slug(document['group_name'])}-{slug(document['title'])}"
    else:
        stem = f"{slug(store.display_name(document['owner']))}-{slug(document['title'])}"
    return f"{stem}.{fmt}"


def slug(text: str) -> str:
    """Plain ASCII for file names: 'Diagnostic partagé' -> 'diagnostic-partage'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "document"


def annotation_source(store: JournalStore, viewer: Viewer) -> AnnotationSource | None:
    """Where exports find the annotations a viewer may read when the caller gives none.

    The annotations library filters them by the same rules as every other
    read path: an export never holds a note its reader couldn't open.
    """
    from journal_ext.core import annotations

    def read(document: dict[str, Any]) -> list[Mapping[str, Any]]:
        readable: list[Mapping[str, Any]] = annotations.list_annotations(store, viewer, document["id"])["annotations"]
        return readable

    return read


def render(bundle: PrintedBundle, fmt: str, pdf_variant: str = DEFAULT_PDF_VARIANT) -> bytes:
    """The bytes of a printed bundle in one of FORMATS (PDF in ``pdf_variant``, one of PDF_VARIANTS)."""
    if fmt == "docx":
        return write_docx(bundle, notes_as_comments=word_comments_supported())
    if fmt == "html":
        return write_html(bundle).encode("utf-8")
    return to_pdf(bundle, pdf_variant)


def word_comments_supported() -> bool:
    """Whether python-docx can write real Word comments (python-docx 1.2 and later)."""
    from docx.document import Document

    return hasattr(Document, "add_comment")


# --------------------------------------------------------------------------
# Gathering a document
# --------------------------------------------------------------------------


def _single_bundle(store: JournalStore, document: dict[str, Any], options: ExportOptions) -> PrintedBundle:
    """One document with its own title page."""
    printed = _printed_document(store, document, options, _Counter())
    commission = None
    if document["kind"] in SHARED_KINDS and document["group_id"] is not None:
        commission = store.group_by_id(document["group_id"])["commission"] or None
    return PrintedBundle(
        title=printed.title,
        # "Diagnostic partagé" titled "Diagnostic partagé" needs no subtitle saying so.
        subtitle="" if printed.kind_label == printed.title else printed.kind_label,
        cohort=printed.cohort,
        group=printed.group,
        commission=commission,
        authors=printed.authors,
        date=printed.date,
        language=options.language,
        documents=[printed],
        combined=False,
        show_length_report=options.include_length_report,
        words=WORDS[options.language],
    )


class _Counter:
    """Numbers annotations through one export file."""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


@dataclass
class _RawSection:
    key: str | None
    heading: str | None
    prompt: CellRow | None
    cells: list[CellRow]
    placeholder: str = ""


def _template(store: JournalStore, document: dict[str, Any]) -> Template | None:
    if document["template_version_id"] is None:
        return None
    return template_from_version(store.template_version(document["template_version_id"]))


def _role(cell: CellRow) -> str | None:
    journal = cell.metadata.get(notebooks.JOURNAL_KEY) or {}
    return journal.get("role") if isinstance(journal, dict) else None


def _sections(cells: Sequence[CellRow], template: Template | None) -> tuple[list[_RawSection], list[CellRow]]:
    """The document cut into sections at each prompt cell; cells before the first prompt form a preamble."""
    known = {s.key: s for s in template.sections} if template else {}
    sections = [_RawSection(None, None, None, [])]
    title_cells: list[CellRow] = []
    for cell in cells:
        role = _role(cell)
        if role == "title":
            title_cells.append(cell)
        elif role == "prompt":
            section = known.get(cell.section_key or "")
            heading = section.heading if section else first_heading_text(cell.source) or cell.section_key
            sections.append(_RawSection(cell.section_key, heading, cell, [], section.placeholder if section else ""))
        else:
            sections[-1].cells.append(cell)
    return sections, title_cells


def _written(cell: CellRow, placeholder: str, include_code: bool) -> bool:
    if cell.cell_type == "code":
        return bool(cell.outputs) or (include_code and bool(cell.source.strip()))
    text = cell.source.strip()
    return bool(text) and text != placeholder.strip()


def _printed_document(
    store: JournalStore, document: dict[str, Any], options: ExportOptions, counter: _Counter
) -> PrintedDocument:
    words = WORDS[options.language]
    cells = store.cells(document["id"])
    template = _template(store, document)
    raw_sections, title_cells = _sections(cells, template)
    history = store.cell_revisions(document["id"])
    names: dict[str, str] = {}

    def name_of(user: str) -> str:
        if user not in names:
            names[user] = store.display_name(user)
        return names[user]

    printed: list[PrintedSection] = []
    blocks_of_cell: dict[str, list[Block]] = {}
    section_of_cell: dict[str, int] = {c.cell_id: 0 for c in title_cells}
    contributors: list[str] = []
    for index, raw in enumerate(raw_sections):
        written = [c for c in raw.cells if _written(c, raw.placeholder, options.include_code)]
        cell_ids = {c.cell_id for c in raw.cells}
        authors = _authors(history, cell_ids, raw.placeholder)
        contributors.extend(authors)
        blocks: list[Block] = []
        for cell in written:
            cell_blocks_ = cell_blocks(
                cell,
                include_code=options.include_code,
                missing_image=words["missing_image"],
                figure_label=words["figure"],
            )
            blocks_of_cell[cell.cell_id] = cell_blocks_
            blocks.extend(cell_blocks_)
        for cell in raw.cells:
            section_of_cell[cell.cell_id] = index
        prompt: list[Block] = []
        if raw.prompt is not None:
            section_of_cell[raw.prompt.cell_id] = index
            if options.include_prompts:
                prompt = without_first_heading(
                    markdown_blocks(raw.prompt.source, raw.prompt.attachments, missing_image=words["missing_image"])
                )
                blocks_of_cell[raw.prompt.cell_id] = prompt
        printed.append(
            PrintedSection(
                key=raw.key,
                heading=raw.heading,
                authors=[name_of(a) for a in authors] if raw.heading else [],
                prompt=prompt,
                blocks=blocks,
                notes=[],
                written=bool(written),
            )
        )
    if options.include_annotations and options.annotations is not None:
        leftover = _place_notes(
            options.annotations(document),
            cells,
            printed,
            section_of_cell,
            blocks_of_cell,
            counter,
            words["deleted_note"],
        )
        if leftover:
            printed.append(PrintedSection(None, words["other_notes"], [], [], [], leftover, written=False))
    # The preamble prints only when someone wrote something before the first section.
    if not printed[0].blocks and not printed[0].notes:
        printed = printed[1:]
    # The owner first, then everyone who wrote, in the order they first did.
    authors = _union([[document["owner"]], _first_seen(contributors, history)])
    if not options.show_authors or (len(authors) == 1 and document["kind"] not in SHARED_KINDS):
        # One person's journal entry needs no "written by" under every heading.
        for section in printed:
            section.authors = []
    return PrintedDocument(
        document_id=document["id"],
        title=document["title"],
        kind=document["kind"],
        kind_label=notebooks.kind_label(document["kind"], options.language),
        # Rows from a listing carry the cohort's id only.
        cohort=document.get("cohort")
        or (store.cohort_by_id(document["cohort_id"])["name"] if document.get("cohort_id") else None),
        group=document.get("group_name"),
        authors=[name_of(a) for a in authors],
        date=format_date(parse_time(document["modified_at"]).date(), options.language),
        revision=document["revision"],
        sections=printed,
        lengths=_lengths(template, cells) if template is not None else [],
    )


def _authors(history: Sequence[dict[str, Any]], cell_ids: set[str], placeholder: str) -> list[str]:
    """Who wrote a section: the authors of revisions that put text (not the template's placeholder) in its cells."""
    authors: list[str] = []
    for row in history:
        if row["cell_id"] not in cell_ids or row["change"] not in ("added", "edited"):
            continue
        text = row["source"].strip()
        if text and text != placeholder.strip() and row["author"] not in authors:
            authors.append(row["author"])
    return authors


def _first_seen(users: Sequence[str], history: Sequence[dict[str, Any]]) -> list[str]:
    first: dict[str, int] = {}
    for row in history:
        first.setdefault(row["author"], row["id"])
    return sorted(dict.fromkeys(users), key=lambda u: first.get(u, 0))


def _union(lists: Iterable[Sequence[str]]) -> list[str]:
    return list(dict.fromkeys(name for names in lists for name in names))


def _place_notes(
    annotations: Iterable[Mapping[str, Any]],
    cells: Sequence[CellRow],
    sections: list[PrintedSection],
    section_of_cell: dict[str, int],
    blocks_of_cell: dict[str, list[Block]],
    counter: _Counter,
    deleted_label: str,
) -> list[Note]:
    """Number the annotations in reading order, mark their passages, and list each under its section.

    Returns the notes on cells the document no longer has: never dropped, they print at its end.
    """
    position = {c.cell_id: c.position for c in cells}
    valid = [a for a in annotations if isinstance(a, Mapping) and isinstance(a.get("cell_id"), str)]
    valid.sort(
        key=lambda a: (
            section_of_cell.get(a["cell_id"], len(sections)),
            position.get(a["cell_id"], len(position)),
            _quote(a)[1] or 0,
        )
    )
    leftover: list[Note] = []
    for annotation in valid:
        exact, start = _quote(annotation)
        deleted = annotation.get("body") is None and bool(annotation.get("deleted"))
        note = Note(
            number=counter.next(),
            exact=exact,
            author_name=str(annotation.get("author_name") or annotation.get("author") or ""),
            body=deleted_label if deleted else str(annotation.get("body") or ""),
            status="orphaned" if annotation.get("orphaned") is True else str(annotation.get("status") or "open"),
            replies=[
                model.Reply(str(r.get("author_name") or r.get("author") or ""), str(r.get("body") or ""))
                for r in annotation.get("replies") or []
                if isinstance(r, Mapping)
            ],
        )
        blocks = blocks_of_cell.get(annotation["cell_id"])
        if blocks is not None and exact.strip() and note.status != "orphaned":
            note.anchored = mark_passage(blocks, exact, note.number, start)
        index = section_of_cell.get(annotation["cell_id"])
        if index is None:
            leftover.append(note)
        else:
            sections[index].notes.append(note)
    return leftover


def _quote(annotation: Mapping[str, Any]) -> tuple[str, int | None]:
    """An annotation's quoted passage and its offset in the cell.

    Takes the flat shape (``exact``, ``start``) or the annotations API's
    (``quote.exact``, ``anchor.start`` where it re-anchored, else ``position.start``).
    """
    quote = annotation.get("quote")
    exact = annotation.get("exact") or (quote.get("exact") if isinstance(quote, Mapping) else "") or ""
    start = annotation.get("start")
    for key in ("anchor", "position"):
        place = annotation.get(key)
        if not isinstance(start, int) and isinstance(place, Mapping):
            start = place.get("start")
    return str(exact), start if isinstance(start, int) and not isinstance(start, bool) else None


def _lengths(template: Template, cells: Sequence[CellRow]) -> list[SectionLength]:
    # The same count as the completeness report and the live counter in the notebook.
    report = notebooks.completeness(template, cells)
    rows = []
    for section in report["sections"]:
        low, high = section["min_length"], section["max_length"]
        if not low and not high:
            continue
        count = section["length"]
        if high and count > high:
            status = "over"
        elif count == 0 and not section["required"]:
            status = "empty"
        elif low and count < low:
            status = "under"
        else:
            status = "ok"
        rows.append(SectionLength(section["key"], section["heading"], count, low, high, status))
    return rows


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


_TITLE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})\b")


def _document_day(document: dict[str, Any]) -> str:
    """The day a document is about: the date its title starts with (journal entries), else its creation day."""
    match = _TITLE_DATE.match(document["title"])
    return match.group(1) if match else document["created_at"][:10]


def _unique(filename: str, taken: set[str]) -> str:
    stem, _, extension = filename.rpartition(".")
    candidate, n = filename, 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}.{extension}", n + 1
    taken.add(candidate)
    return candidate


__all__ = [
    "FORMATS",
    "PDF_VARIANTS",
    "ConverterMissing",
    "ExportError",
    "ExportFile",
    "ExportOptions",
    "SectionLength",
    "checked_options",
    "document_filename",
    "export_document",
    "export_group",
    "export_journal",
    "group_documents",
    "journal_documents",
    "length_report",
    "pdf_converter",
]

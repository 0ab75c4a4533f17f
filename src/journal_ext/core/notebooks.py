"""Journal documents as nbformat notebooks: build from a template, read back, check completeness.

Everything journal_ext writes into a notebook lives under one metadata key,
``journal``, carrying a ``schema_version``. A section of a template becomes
two markdown cells: the prompt (consigne, locked against editing) and the
writing cell the learner fills in.
"""

from __future__ import annotations

import datetime as dt
import platform
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import nbformat

from journal_ext.core.nbtyping import (
    NotebookNode,
    from_dict,
    new_markdown_cell,
    new_node,
    new_notebook,
    random_cell_id,
)
from journal_ext.core.templates import Section, Template
from journal_ext.db import CellRow
from journal_ext.i18n import format_date

JOURNAL_KEY = "journal"
METADATA_SCHEMA_VERSION = 1

KIND_LABELS: dict[str, dict[str, str]] = {
    "learning_journal": {"fr": "Journal d'apprentissage", "en": "Learning journal"},
    "field_observation": {"fr": "Observation de terrain", "en": "Field observation"},
    "shared_diagnostic": {"fr": "Diagnostic partagé", "en": "Shared diagnostic"},
    "synthesis_note": {"fr": "Note synthétique", "en": "Synthesis note"},
    "professional_dossier": {"fr": "Dossier professionnel", "en": "Professional dossier"},
}

_WORDS = {
    "fr": {
        "domains": "Domaines",
        "required": "obligatoire",
        "optional": "facultatif",
        "min": "au moins {n} signes",
        "max": "{n} signes au plus",
        "group": "Groupe",
        "author": "Auteur·rice",
        "authors": "Auteur·rices",
        "date": "Date",
    },
    "en": {
        "domains": "Domains",
        "required": "required",
        "optional": "optional",
        "min": "at least {n} characters",
        "max": "at most {n} characters",
        "group": "Group",
        "author": "Author",
        "authors": "Authors",
        "date": "Date",
    },
}

DEFAULT_NOTEBOOK_METADATA: dict[str, Any] = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def python_language_info() -> dict[str, Any]:
    """What ipykernel running this Python reports as the notebook's ``language_info``.

    A notebook served with less gets the kernel's full answer written into
    its metadata as soon as the kernel starts, which marks it as modified
    although nobody typed anything.
    """
    return {
        "name": "python",
        "version": platform.python_version(),
        "mimetype": "text/x-python",
        "codemirror_mode": {"name": "ipython", "version": 3},
        "pygments_lexer": "ipython3",
        "nbconvert_exporter": "python",
        "file_extension": ".py",
    }


def served_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """A stored notebook's metadata as served: a bare Python ``language_info`` completed (see above)."""
    if metadata.get("language_info") == {"name": "python"}:
        return {**metadata, "language_info": python_language_info()}
    return metadata


def kind_label(kind: str, language: str = "fr") -> str:
    """The readable name of a document kind."""
    labels = KIND_LABELS.get(kind, {})
    return labels.get(language) or labels.get("fr") or kind


def format_count(n: int, language: str = "fr") -> str:
    """A character count written as people of that language write it (5 000 / 5,000)."""
    text = f"{n:,}"
    return text.replace(",", "\u202f") if language == "fr" else text


def _journal_meta(**facts: Any) -> dict[str, Any]:
    return {JOURNAL_KEY: {"schema_version": METADATA_SCHEMA_VERSION, **facts}}


def _section_guidance(section: Section, language: str) -> str:
    words = _WORDS.get(language, _WORDS["fr"])
    parts = []
    if section.domains:
        parts.append(
            f"{words['domains']}\u00a0: {' · '.join(section.domains)}"
            if language == "fr"
            else f"{words['domains']}: {' · '.join(section.domains)}"
        )
    parts.append(words["required"] if section.required else words["optional"])
    if section.min_length:
        parts.append(words["min"].format(n=format_count(section.min_length, language)))
    if section.max_length:
        parts.append(words["max"].format(n=format_count(section.max_length, language)))
    return " — ".join(parts)


def build_notebook(
    template: Template,
    *,
    title: str,
    author: str | Sequence[str],
    group: str | None = None,
    date: dt.date | None = None,
    template_version: int | None = None,
) -> NotebookNode:
    """A new notebook for a document made from a template: title cell, then prompt + writing cell per section.

    ``author`` is the writer, or the co-writers of a shared document (all named in the header).
    """
    language = template.language
    words = _WORDS.get(language, _WORDS["fr"])
    day = format_date(date or dt.date.today(), language)
    authors = [author] if isinstance(author, str) else list(author)
    # French puts a no-break space before the colon.
    colon = "\u00a0: " if language == "fr" else ": "
    facts = [f"**{kind_label(template.kind, language)}**"]
    if group:
        facts.append(f"{words['group']}{colon}{group}")
    who = words["author"] if len(authors) == 1 else words["authors"]
    facts.append(f"{who}{colon}{', '.join(authors)}")
    facts.append(f"{words['date']}{colon}{day}")
    cells = [
        new_markdown_cell(
            f"# {title}\n\n" + " — ".join(facts),
            metadata=_journal_meta(role="title"),
        )
    ]
    for section in template.sections:
        prompt = f"## {section.heading}\n\n{section.prompt.strip()}\n\n*{_section_guidance(section, language)}*"
        cells.append(
            new_markdown_cell(
                prompt,
                metadata={
                    "editable": False,
                    "deletable": False,
                    **_journal_meta(role="prompt", section=section.key, domains=list(section.domains)),
                },
            )
        )
        cells.append(
            new_markdown_cell(
                section.placeholder,
                metadata=_journal_meta(
                    role="answer",
                    section=section.key,
                    domains=list(section.domains),
                    required=section.required,
                    min_length=section.min_length,
                    max_length=section.max_length,
                    # The counter counts nothing while the starter text is untouched.
                    **({"placeholder": section.placeholder} if section.placeholder.strip() else {}),
                ),
            )
        )
    metadata = dict(DEFAULT_NOTEBOOK_METADATA)
    metadata[JOURNAL_KEY] = {
        "schema_version": METADATA_SCHEMA_VERSION,
        "kind": template.kind,
        "template": template.id,
        "template_version": template_version,
        "language": language,
        "title": title,
    }
    notebook = new_notebook(cells=cells, metadata=metadata)
    nbformat.validate(notebook)
    return notebook


def source_text(source: str | Sequence[str]) -> str:
    """A cell's source as one text (nbformat allows a list of lines)."""
    return source if isinstance(source, str) else "".join(source)


def notebook_to_cells(notebook: NotebookNode | dict[str, Any]) -> list[CellRow]:
    """The rows the store keeps for a notebook's cells (nbformat cell ids are the keys)."""
    node = from_dict(notebook)
    rows: list[CellRow] = []
    for position, cell in enumerate(node.cells):
        journal = cell.get("metadata", {}).get(JOURNAL_KEY, {}) or {}
        rows.append(
            CellRow(
                # Notebooks older than nbformat 4.5 have no cell ids: give them one.
                cell_id=str(cell.get("id") or random_cell_id()),
                position=position,
                cell_type=cell["cell_type"],
                source=source_text(cell.get("source", "")),
                section_key=journal.get("section"),
                domains=tuple(journal.get("domains") or ()),
                metadata=dict(cell.get("metadata", {})),
                outputs=list(cell.get("outputs", [])) if cell["cell_type"] == "code" else [],
                execution_count=cell.get("execution_count") if cell["cell_type"] == "code" else None,
                attachments=dict(cell.get("attachments") or {}),
            )
        )
    return rows


def cells_to_notebook(cells: Iterable[CellRow], metadata: dict[str, Any]) -> NotebookNode:
    """A notebook assembled from stored cell rows and notebook metadata."""
    built: list[NotebookNode] = []
    for cell in cells:
        # The cells as new_code_cell / new_markdown_cell / new_raw_cell make
        # them, without their one-cell-at-a-time schema checks: new_notebook
        # validates the whole notebook in one pass, many times faster.
        node = new_node(
            id=cell.cell_id,
            cell_type=cell.cell_type if cell.cell_type in ("code", "raw") else "markdown",
            metadata=from_dict(cell.metadata),
            source=cell.source,
        )
        if cell.cell_type == "code":
            node["outputs"] = [from_dict(o) for o in cell.outputs]
            node["execution_count"] = cell.execution_count
        elif cell.attachments:
            node["attachments"] = from_dict(cell.attachments)
        built.append(node)
    return new_notebook(cells=built, metadata=metadata)


def _protection(metadata: dict[str, Any]) -> tuple[Any, Any, Any]:
    """What keeps a cell in place: nbformat's ``editable`` and ``deletable`` flags, and its journal metadata."""
    return metadata.get("editable"), metadata.get("deletable"), metadata.get(JOURNAL_KEY)


def cell_name(cell: CellRow) -> str:
    """How a person recognises a cell: its first line without Markdown heading marks."""
    return cell.source.strip().split("\n", 1)[0].lstrip("#").strip()


def structure_changes(stored: Sequence[CellRow], saved: Sequence[CellRow]) -> list[tuple[CellRow, str]]:
    """The protected cells of the template that a save would change or delete, each with ``"edited"`` or ``"deleted"``.

    A cell is protected when its stored metadata says so with nbformat's flags
    (``editable: false``, ``deletable: false``), as the template's prompt cells
    (heading and consigne) do. An uneditable cell must come back with the same
    type, text, flags and journal metadata; an undeletable one must come back.
    Other metadata (a collapsed heading, say) may change: that is how it is shown.
    """
    by_id = {cell.cell_id: cell for cell in saved}
    changes: list[tuple[CellRow, str]] = []
    for cell in stored:
        editable, deletable, _ = _protection(cell.metadata)
        if editable is not False and deletable is not False:
            continue
        kept = by_id.get(cell.cell_id)
        if kept is None:
            if deletable is False:
                changes.append((cell, "deleted"))
        elif editable is False and (
            kept.cell_type != cell.cell_type
            or kept.source != cell.source
            or _protection(kept.metadata) != _protection(cell.metadata)
        ):
            changes.append((cell, "edited"))
    return changes


def completeness(template: Template, cells: Sequence[CellRow]) -> dict[str, Any]:
    """How far a document is from its template: missing required sections, length bounds, domains covered.

    Lengths are counted as the programmes count signes: characters including
    spaces, in Unicode code points of the NFC-normalised text of the writing
    cells (trimmed).
    """
    texts: dict[str, list[str]] = {}
    current: str | None = None
    for cell in cells:
        journal = cell.metadata.get(JOURNAL_KEY, {}) or {}
        role = journal.get("role")
        if role == "title":
            current = None
            continue
        if role == "prompt":
            current = cell.section_key
            continue
        # Cells a learner adds under a section (no journal metadata) count for it.
        section_key = cell.section_key or current
        if section_key and cell.cell_type != "code":
            texts.setdefault(section_key, []).append(cell.source)
    sections: list[dict[str, Any]] = []
    covered: set[str] = set()
    for section in template.sections:
        written = "\n\n".join(t.strip() for t in texts.get(section.key, []) if t.strip())
        if written.strip() == section.placeholder.strip():
            written = ""
        # NFC first: an accent typed as a combining mark is still one signe.
        length = len(unicodedata.normalize("NFC", written))
        if length == 0:
            status = "missing" if section.required else "empty"
        elif section.min_length and length < section.min_length:
            status = "too_short"
        elif section.max_length and length > section.max_length:
            status = "too_long"
        else:
            status = "ok"
        if length:
            covered.update(section.domains)
        sections.append(
            {
                "key": section.key,
                "heading": section.heading,
                "required": section.required,
                "length": length,
                "min_length": section.min_length,
                "max_length": section.max_length,
                "domains": list(section.domains),
                "status": status,
            }
        )
    expected = sorted({d for s in template.sections for d in s.domains})
    return {
        "template": template.id,
        "complete": all(s["status"] in ("ok", "empty") for s in sections),
        "missing_required": [s["key"] for s in sections if s["status"] == "missing"],
        "too_short": [s["key"] for s in sections if s["status"] == "too_short"],
        "too_long": [s["key"] for s in sections if s["status"] == "too_long"],
        "domains_expected": expected,
        "domains_covered": sorted(covered),
        "sections": sections,
    }

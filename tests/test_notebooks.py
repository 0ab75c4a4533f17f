"""Notebooks built from templates, read back as cell rows, and checked for completeness."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace

import nbformat
import pytest
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
    new_raw_cell,
)

from journal_ext.core import notebooks
from journal_ext.core.notebooks import (
    JOURNAL_KEY,
    METADATA_SCHEMA_VERSION,
    build_notebook,
    cells_to_notebook,
    completeness,
    notebook_to_cells,
)
from journal_ext.core.templates import builtin_template, builtin_templates
from journal_ext.db import CellRow

TEMPLATES = builtin_templates()


def journal(cell: dict) -> dict:
    return cell["metadata"][JOURNAL_KEY]


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_build_notebook_for_every_builtin_template(template):
    notebook = build_notebook(
        template,
        title="Mon document",
        author="Camille Martin",
        group="Groupe Maurepas",
        date=dt.date(2026, 10, 5),
        template_version=3,
    )
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    meta = notebook.metadata[JOURNAL_KEY]
    assert meta == {
        "schema_version": METADATA_SCHEMA_VERSION,
        "kind": template.kind,
        "template": template.id,
        "template_version": 3,
        "language": template.language,
        "title": "Mon document",
    }
    assert notebook.metadata["kernelspec"]["name"] == "python3"

    title, *rest = notebook.cells
    assert title.cell_type == "markdown" and title.source.startswith("# Mon document\n")
    day = "5 octobre 2026" if template.language == "fr" else "October 5, 2026"
    assert "Camille Martin" in title.source and day in title.source
    assert "Groupe Maurepas" in title.source
    assert journal(title) == {"schema_version": METADATA_SCHEMA_VERSION, "role": "title"}

    assert len(rest) == 2 * len(template.sections)
    for section, prompt, answer in zip(template.sections, rest[::2], rest[1::2], strict=True):
        for cell in (prompt, answer):
            assert cell.cell_type == "markdown"
            assert journal(cell)["schema_version"] == METADATA_SCHEMA_VERSION
            assert journal(cell)["section"] == section.key
            assert journal(cell)["domains"] == list(section.domains)
        assert journal(prompt)["role"] == "prompt"
        assert prompt.metadata["editable"] is False and prompt.metadata["deletable"] is False
        assert prompt.source.startswith(f"## {section.heading}\n")
        assert section.prompt.strip() in prompt.source
        assert journal(answer)["role"] == "answer"
        assert "editable" not in answer.metadata
        assert answer.source == section.placeholder
        assert journal(answer)["required"] is section.required
        assert journal(answer)["min_length"] == section.min_length
        assert journal(answer)["max_length"] == section.max_length
        # The counter needs the starter text to count it as nothing written.
        assert journal(answer).get("placeholder", "") == (section.placeholder if section.placeholder.strip() else "")
    ids = [cell.id for cell in notebook.cells]
    assert len(set(ids)) == len(ids)


def test_prompt_guidance_in_the_template_language():
    fr = build_notebook(builtin_template("synthesis-note-fr"), title="N", author="A")
    en = build_notebook(builtin_template("synthesis-note-en"), title="N", author="A")
    note_fr = next(c for c in fr.cells if journal(c).get("section") == "note" and journal(c)["role"] == "prompt")
    note_en = next(c for c in en.cells if journal(c).get("section") == "note" and journal(c)["role"] == "prompt")
    assert "obligatoire" in note_fr.source and "5\u202f000 signes au plus" in note_fr.source
    assert "required" in note_en.source and "at most 5,000 characters" in note_en.source


def sample_notebook() -> nbformat.NotebookNode:
    """A notebook with every cell type, outputs, tags and journal metadata."""
    cells = [
        new_markdown_cell("# Titre", id="title-cell", metadata={JOURNAL_KEY: {"schema_version": 1, "role": "title"}}),
        new_markdown_cell(
            "Ce que j'ai vu : « é » 😀",
            id="answer-1",
            metadata={
                JOURNAL_KEY: {"schema_version": 1, "role": "answer", "section": "observation", "domains": ["DC1"]}
            },
        ),
        new_code_cell(
            "print('bonjour')\n1 + 1",
            id="code-1",
            execution_count=4,
            metadata={"tags": ["analyse"], "collapsed": False},
            outputs=[
                new_output("stream", name="stdout", text="bonjour\n"),
                new_output("execute_result", data={"text/plain": "2"}, execution_count=4),
            ],
        ),
        new_raw_cell("raw text", id="raw-1", metadata={"format": "text/plain"}),
    ]
    return new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )


def test_round_trip_keeps_ids_sources_metadata_and_outputs():
    original = sample_notebook()
    rows = notebook_to_cells(original)
    assert [r.cell_id for r in rows] == ["title-cell", "answer-1", "code-1", "raw-1"]
    assert [r.position for r in rows] == [0, 1, 2, 3]
    assert rows[1].section_key == "observation" and rows[1].domains == ("DC1",)
    assert rows[2].execution_count == 4 and len(rows[2].outputs) == 2
    rebuilt = cells_to_notebook(rows, dict(original.metadata))
    nbformat.validate(rebuilt)
    assert rebuilt == original


def test_round_trip_through_json_text():
    # What the store keeps goes through JSON; the notebook must come back the same.
    original = sample_notebook()
    text = nbformat.writes(cells_to_notebook(notebook_to_cells(original), dict(original.metadata)))
    assert nbformat.reads(text, as_version=4) == original


def test_source_as_a_list_of_lines_is_joined():
    notebook = sample_notebook()
    raw = nbformat.from_dict(copy.deepcopy(notebook))
    raw.cells[1]["source"] = ["Ligne 1\n", "Ligne 2"]
    assert notebook_to_cells(raw)[1].source == "Ligne 1\nLigne 2"


def test_notebooks_without_cell_ids_get_ids():
    old = {
        "nbformat": 4,
        "nbformat_minor": 4,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Ancien carnet"},
            {"cell_type": "code", "metadata": {}, "source": "x = 1", "execution_count": None, "outputs": []},
            {"cell_type": "markdown", "metadata": {}, "source": "fin"},
        ],
    }
    nbformat.validate(old)
    rows = notebook_to_cells(old)
    ids = [r.cell_id for r in rows]
    assert all(ids) and len(set(ids)) == 3
    assert [r.source for r in rows] == ["# Ancien carnet", "x = 1", "fin"]
    rebuilt = cells_to_notebook(rows, {})
    nbformat.validate(rebuilt)
    assert [c.id for c in rebuilt.cells] == ids


# --- completeness ----------------------------------------------------------------


def synthesis_rows(**texts: str) -> tuple:
    template = builtin_template("synthesis-note-fr")
    rows = notebook_to_cells(build_notebook(template, title="Note", author="Camille"))
    return template, [
        replace(row, source=texts[row.section_key])
        if row.section_key in texts and row.metadata[JOURNAL_KEY]["role"] == "answer"
        else row
        for row in rows
    ]


def section(report: dict, key: str) -> dict:
    return next(s for s in report["sections"] if s["key"] == key)


def test_completeness_of_an_untouched_notebook():
    template, rows = synthesis_rows()
    report = completeness(template, rows)
    assert report["template"] == "synthesis-note-fr"
    assert report["complete"] is False
    # 'landmarks' still holds only its placeholder: that counts as missing.
    assert report["missing_required"] == ["landmarks", "note"]
    assert section(report, "landmarks")["length"] == 0
    assert section(report, "outline")["status"] == "empty"
    assert report["domains_expected"] == ["DC2", "DC3", "DC4"]
    assert report["domains_covered"] == []


def test_completeness_too_short_too_long_and_ok():
    landmarks = "Projet : espace de vie sociale\nStructure et commande : centre social"
    template, rows = synthesis_rows(landmarks=landmarks, note="a" * 5001, outline="x" * 1501)
    report = completeness(template, rows)
    assert report["too_long"] == ["outline", "note"]
    assert section(report, "note")["length"] == 5001
    assert section(report, "note")["status"] == "too_long"
    assert section(report, "landmarks")["status"] == "ok"
    assert report["missing_required"] == [] and report["complete"] is False

    template, rows = synthesis_rows(landmarks=landmarks, note="a" * 2999)
    report = completeness(template, rows)
    assert report["too_short"] == ["note"] and report["too_long"] == []

    template, rows = synthesis_rows(landmarks=landmarks, note="a" * 5000)
    report = completeness(template, rows)
    assert report["complete"] is True
    assert section(report, "note")["status"] == "ok"
    assert report["domains_covered"] == ["DC2", "DC3", "DC4"]


def test_prompt_and_title_cells_do_not_count():
    template, rows = synthesis_rows()
    # Even a very long prompt (the consigne) is not the learner's writing.
    rows = [replace(r, source="p" * 6000) if r.metadata[JOURNAL_KEY]["role"] != "answer" else r for r in rows]
    report = completeness(template, rows)
    assert report["missing_required"] == ["landmarks", "note"]


def test_text_beside_the_placeholder_counts():
    template, rows = synthesis_rows(landmarks=template_placeholder() + "\nProjet : épicerie solidaire")
    report = completeness(template, rows)
    assert "landmarks" not in report["missing_required"]
    assert section(report, "landmarks")["length"] > 0


def template_placeholder() -> str:
    return builtin_template("synthesis-note-fr").section("landmarks").placeholder


def test_only_written_sections_cover_their_domains():
    template, rows = synthesis_rows(landmarks="Projet : tiers-lieu")
    report = completeness(template, rows)
    assert report["domains_covered"] == ["DC2"]


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("é" * 5000, 5000),
        ("e\u0301" * 5000, 5000),  # é typed as e + combining accent is still one signe
        ("😀" * 5000, 5000),
        ("é" * 5001, 5001),
        ("  " + "à" * 10 + " \n", 10),  # trimmed
    ],
)
def test_lengths_count_characters_not_bytes(text: str, length: int):
    template, rows = synthesis_rows(landmarks="Projet", note=text)
    note = section(completeness(template, rows), "note")
    assert note["length"] == length
    assert note["status"] == ("too_long" if length > 5000 else "too_short" if length < 3000 else "ok")


def test_several_writing_cells_of_one_section_add_up():
    template, rows = synthesis_rows(landmarks="Projet", note="a" * 2000)
    extra = CellRow(
        cell_id="extra",
        position=99,
        cell_type="markdown",
        source="b" * 2000,
        section_key="note",
        metadata={JOURNAL_KEY: {"schema_version": 1, "role": "answer", "section": "note"}},
    )
    report = completeness(template, [*rows, extra])
    # Two cells joined by a blank line.
    assert section(report, "note")["length"] == 4002
    assert section(report, "note")["status"] == "ok"


def test_kind_label_and_count_format():
    assert notebooks.kind_label("shared_diagnostic", "fr") == "Diagnostic partagé"
    assert notebooks.kind_label("shared_diagnostic", "en") == "Shared diagnostic"
    assert notebooks.kind_label("unknown_kind") == "unknown_kind"
    assert notebooks.format_count(5000, "fr") == "5\u202f000"
    assert notebooks.format_count(5000, "en") == "5,000"


def test_a_cell_the_learner_adds_under_a_section_counts_for_it():
    template, rows = synthesis_rows(landmarks="Projet")
    note_answer = next(
        i for i, r in enumerate(rows) if r.section_key == "note" and r.metadata[JOURNAL_KEY]["role"] == "answer"
    )
    added = CellRow(cell_id="added", position=0, cell_type="markdown", source="c" * 5001)
    report = completeness(template, [*rows[: note_answer + 1], added, *rows[note_answer + 1 :]])
    assert section(report, "note")["length"] == 5001
    assert section(report, "note")["status"] == "too_long"

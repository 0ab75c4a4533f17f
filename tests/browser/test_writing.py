"""Writing mode: a learner writes a field observation as in a word processor, and the template stays whole.

As Camille, from the Launcher: one click into a section, two paragraphs and
a bulleted list typed with the keyboard only, the cell rendered once she
leaves it, saved; no kernel started; the consignes can't be edited or
deleted, and no stray keystroke adds or deletes a cell.
"""

from __future__ import annotations

import json
from typing import Any

from journal_ext.db import JournalStore

from .conftest import Lab, open_lab
from .test_accessibility import NOTEBOOK_CORE_EXCEPTIONS, describe, run_axe

OBSERVATION = "Ce que j'ai observé"
FIRST = "La réunion commence à 18 h dans la salle du centre social."
SECOND = "Mme A. prend la parole la première ; la directrice écoute."
POINTS = ["les chaises sont en cercle", "deux bénévoles arrivent en retard", "personne ne prend de notes"]
WRITTEN = f"{FIRST}\n\n{SECOND}\n\n" + "\n".join(f"- {point}" for point in POINTS)


def cell_count(page: Any) -> int:
    return int(page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.length"))


def open_new_observation(page: Any) -> Any:
    page.wait_for_selector(".jp-LauncherCard", timeout=60_000)
    section = page.locator(".jp-Launcher-section", has=page.locator(".jp-Launcher-sectionTitle", has_text="Journal"))
    section.locator(".jp-LauncherCard", has_text="Note d'observation de terrain").click()
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.locator(".jp-JournalCell-prompt h2", has_text=OBSERVATION).wait_for(timeout=30_000)
    return panel


def writing_cell(panel: Any, heading: str) -> Any:
    prompt = panel.locator(".jp-JournalCell-prompt", has=panel.page.locator("h2", has_text=heading))
    return prompt.locator("xpath=following-sibling::div[contains(@class, 'jp-Cell')][1]")


def test_a_learner_writes_an_observation_like_in_a_word_processor(browser: Any, demo_lab: Lab, axe_source: str) -> None:
    page = open_lab(browser, demo_lab)
    panel = open_new_observation(page)
    document_id = int(
        page.evaluate("() => window.jupyterapp.shell.currentWidget.model.getMetadata('journal').document_id")
    )
    cells_before = cell_count(page)

    # No kernel or cell-type controls, no "Python 3", no command/edit mode in the status bar.
    toolbar = panel.locator(".jp-Toolbar").first
    for item in ("cellType", "kernelName", "run", "restart", "interrupt"):
        assert not toolbar.locator(f"[data-jp-item-name='{item}']").is_visible()
    assert toolbar.get_by_role("button", name="Gras").is_visible()
    status = page.locator("#jp-main-statusbar")
    assert "Python" not in status.inner_text() and "Commande" not in status.inner_text()

    # One click into the section's rendered text opens it for writing.
    cell = writing_cell(panel, OBSERVATION)
    cell.locator(".jp-MarkdownOutput").click()
    editor = cell.locator(".cm-content")
    editor.wait_for(timeout=10_000)
    assert page.evaluate("() => document.activeElement.classList.contains('cm-content')")
    # Screen readers name the section being written.
    assert editor.get_attribute("aria-label") == f"Texte de la section «\u00a0{OBSERVATION}\u00a0»"
    font = editor.evaluate("e => getComputedStyle(e).fontFamily")
    assert "mono" not in font.lower(), font
    keyboard = page.keyboard
    keyboard.type(FIRST)
    keyboard.press("Enter")
    keyboard.press("Enter")
    keyboard.type(SECOND)
    keyboard.press("Enter")
    keyboard.press("Enter")
    keyboard.type(f"- {POINTS[0]}")
    # Enter continues the list; the marker typed by habit is not doubled.
    keyboard.press("Enter")
    keyboard.type(POINTS[1])
    keyboard.press("Enter")
    keyboard.type(f"- {POINTS[2]}")
    # Enter on an empty item ends the list, as in a word processor.
    keyboard.press("Enter")
    keyboard.press("Enter")
    # Leaving the cell shows it as it reads.
    keyboard.press("Escape")
    output = cell.locator(".jp-MarkdownOutput")
    output.locator("li").nth(2).wait_for(timeout=10_000)
    assert [t.strip() for t in output.locator("li").all_inner_texts()] == POINTS
    assert [t.strip() for t in output.locator("p").all_inner_texts()] == [FIRST, SECOND]
    assert cell.locator(".cm-content").count() == 0 or not cell.locator(".cm-content").is_visible()

    keyboard.press("Control+s")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=15_000)
    with JournalStore(demo_lab.db_path) as store:
        sources = [c.source for c in store.cells(document_id)]
    assert WRITTEN in [source.rstrip("\n") for source in sources], sources

    # No kernel was started for a document without code.
    assert demo_lab.api("api", "kernels") == []
    sessions = [s for s in demo_lab.api("api", "sessions") if s.get("kernel")]
    assert sessions == []

    # The consigne opens no editor; deleting it, from the keyboard or the menu's command, does nothing.
    prompt = panel.locator(".jp-JournalCell-prompt", has=page.locator("h2", has_text=OBSERVATION))
    prompt.locator(".jp-MarkdownOutput").click()
    prompt.dblclick()
    assert prompt.locator(".jp-MarkdownOutput").is_visible()
    assert prompt.locator(".cm-content").count() == 0 or not prompt.locator(".cm-content").is_visible()
    keyboard.press("Escape")
    for key in ("d", "d", "x", "a", "b", "m", "y", "1", "Shift+M", "v", "z"):
        keyboard.press(key)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:delete-cell')")
    assert cell_count(page) == cells_before
    assert prompt.locator("h2", has_text=OBSERVATION).is_visible()
    # Shift+Enter on the last cell goes nowhere and adds nothing.
    last = panel.locator(".jp-Notebook .jp-Cell").last
    last.locator(".jp-MarkdownOutput").click()
    keyboard.press("Shift+Enter")
    assert cell_count(page) == cells_before

    # With a writing cell open: its editor is named, so JupyterLab's unnamed-editor exception is not needed.
    cell.locator(".jp-MarkdownOutput").click()
    editor.wait_for(timeout=10_000)
    exceptions = {rule: e for rule, e in NOTEBOOK_CORE_EXCEPTIONS.items() if rule != "aria-input-field-name"}
    violations = run_axe(page, axe_source, ".jp-NotebookPanel", exceptions)
    page.context.close()
    assert not violations, f"axe: serious/critical violations in writing mode:\n{describe(violations)}"


def test_the_formatting_bar_and_its_shortcuts(browser: Any, demo_lab: Lab) -> None:
    page = open_lab(browser, demo_lab)
    panel = open_new_observation(page)
    cell = writing_cell(panel, "Premières interprétations")
    cell.locator(".jp-MarkdownOutput").click()
    cell.locator(".cm-content").wait_for(timeout=10_000)
    keyboard = page.keyboard
    keyboard.type("Une hypothèse ")
    keyboard.press("Control+b")
    keyboard.type("forte")
    keyboard.press("ArrowRight")
    keyboard.press("ArrowRight")
    keyboard.type(" et ")
    panel.locator(".jp-Toolbar").get_by_role("button", name="Italique").click()
    keyboard.type("prudente")
    source = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.activeCell.model.sharedModel.getSource()"
    )
    assert source == "Une hypothèse **forte** et *prudente*"
    keyboard.press("Escape")
    cell.locator(".jp-MarkdownOutput strong", has_text="forte").wait_for(timeout=10_000)
    assert cell.locator(".jp-MarkdownOutput em", has_text="prudente").is_visible()
    # A cell the learner adds inside the section is a writing cell, not code.
    before = cell_count(page)
    panel.locator(
        ".jp-Toolbar [data-jp-item-name='insert'] jp-button, .jp-Toolbar [data-jp-item-name='insert'] button"
    ).first.click()
    page.wait_for_function(f"() => window.jupyterapp.shell.currentWidget.content.model.cells.length === {before + 1}")
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.content.activeCell.model.type") == "markdown"
    page.context.close()


def test_writing_mode_can_be_turned_off_in_the_settings(browser: Any, demo_lab: Lab) -> None:
    demo_lab.put_settings("writing", json.dumps({"writingMode": False}))
    try:
        page = open_lab(browser, demo_lab)
        panel = open_new_observation(page)
        toolbar = panel.locator(".jp-Toolbar").first
        toolbar.locator("[data-jp-item-name='cellType']").wait_for(timeout=30_000)
        assert toolbar.get_by_role("button", name="Gras").count() == 0
        assert panel.locator(".jp-JournalNotebook-writing").count() == 0
        page.context.close()
    finally:
        demo_lab.put_settings("writing", "{}")

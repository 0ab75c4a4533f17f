"""Journal notebooks in a real JupyterLab: domain badges, a live character count, the completeness dialog.

The demo's interface is French, so the cells speak French here.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import quote

import pytest

from .conftest import Lab, open_lab

NNBSP = "\u202f"


def create_synthesis_note(lab: Lab) -> dict[str, Any]:
    """A new synthesis note for Camille, made through the API like the Launcher card does."""
    templates = lab.api("journal", "api", "templates")["templates"]
    template = next(t for t in templates if t["kind"] == "synthesis_note")
    request = urllib.request.Request(
        f"{lab.url}journal/api/documents",
        data=json.dumps({"template_id": template["id"], "group_id": template["group"]["id"]}).encode(),
        headers={"Authorization": f"token {lab.token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.loads(response.read())


@pytest.fixture
def note_page(browser: Any, demo_lab: Lab) -> Any:
    """A lab page with a new synthesis note open."""
    note = create_synthesis_note(demo_lab)
    page = open_lab(browser, demo_lab, "lab/tree/" + quote(note["path"]))
    page.locator(".jp-NotebookPanel:visible .jp-JournalCell-count").first.wait_for(timeout=60_000)
    yield page
    page.context.close()


def test_cells_show_domain_badges_named_for_hover_and_screen_readers(note_page: Any) -> None:
    panel = note_page.locator(".jp-NotebookPanel:visible")
    badge = panel.get_by_role("listitem", name="DC2 — Concevoir, conduire et évaluer des projets sociaux").first
    badge.wait_for(timeout=30_000)
    assert badge.inner_text() == "DC2"
    assert badge.get_attribute("title") == "DC2 — Concevoir, conduire et évaluer des projets sociaux"
    assert panel.get_by_role("list", name="Domaines de compétences").count() > 0


def test_the_count_follows_the_typing_and_warns_past_the_limit(note_page: Any) -> None:
    panel = note_page.locator(".jp-NotebookPanel:visible")
    counter = panel.locator(".jp-JournalCell-count", has_text=f"/ 5{NNBSP}000 signes")
    counter.wait_for(timeout=30_000)
    assert counter.inner_text().startswith(f"0 / 5{NNBSP}000 signes")
    cell = panel.locator(".jp-Cell", has=note_page.locator(".jp-JournalCell-count", has_text=f"/ 5{NNBSP}000 signes"))
    cell.click()
    note_page.keyboard.press("Enter")
    editor = cell.locator(".cm-content")
    editor.wait_for(timeout=10_000)
    note_page.keyboard.type("Le groupe a coopéré.")
    note_page.wait_for_function("el => el.textContent.includes('20 / 5')", arg=counter.element_handle(), timeout=10_000)
    # Below the minimum of 3 000 signes: said in words.
    assert f"— en deçà du minimum de 3{NNBSP}000 signes" in counter.inner_text()
    # Past the maximum: a paste of 5 100 characters.
    note_page.keyboard.insert_text("x" * 5100)
    note_page.wait_for_function(
        "el => el.textContent.includes('au-delà de la limite')", arg=counter.element_handle(), timeout=10_000
    )
    assert counter.inner_text().startswith(f"5{NNBSP}120 / 5{NNBSP}000 signes")


def test_completeness_button_shows_what_is_missing(note_page: Any) -> None:
    panel = note_page.locator(".jp-NotebookPanel:visible")
    button = panel.locator(".jp-Toolbar").get_by_role("button", name="Complétude")
    assert panel.locator(".jp-JournalCompleteness-button").inner_text() == "Complétude"
    button.click()
    dialog = note_page.locator(".jp-Dialog")
    dialog.wait_for(timeout=30_000)
    text = dialog.inner_text()
    assert "Sections obligatoires manquantes" in text
    assert "Note synthétique" in text
    assert "Domaines couverts\u00a0: " in text
    assert "pas encore couvert" in text
    dialog.get_by_role("button", name="Fermer").click()
    dialog.wait_for(state="detached", timeout=10_000)


def test_prompts_and_counts_can_be_hidden_in_the_settings(browser: Any, demo_lab: Lab) -> None:
    note = create_synthesis_note(demo_lab)
    demo_lab.put_settings("cells", json.dumps({"showPrompts": False, "showCharacterCount": False}))
    try:
        page = open_lab(browser, demo_lab, "lab/tree/" + quote(note["path"]))
        panel = page.locator(".jp-NotebookPanel:visible")
        prompts = panel.locator(".jp-JournalCell-prompt")
        prompts.first.wait_for(state="attached", timeout=60_000)
        page.wait_for_selector(".jp-NotebookPanel:visible .jp-JournalNotebook-hidePrompts", timeout=30_000)
        assert prompts.count() > 0
        assert all(not prompts.nth(i).is_visible() for i in range(prompts.count()))
        assert not panel.locator(".jp-JournalCell-count").first.is_visible()
        page.context.close()
    finally:
        demo_lab.put_settings("cells", "{}")

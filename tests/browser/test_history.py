"""The History panel in a real JupyterLab: revisions with authors, a diff, and restoring one."""

from __future__ import annotations

from typing import Any

from journal_ext.db import JournalStore

from .conftest import Lab
from .test_accessibility import describe, run_axe
from .test_drive import open_notebook, save, type_into_section

ENTRY_PREFIX = "2026-10-05"
PANEL = "#journal-ext-history"


def entry_path(lab: Lab) -> str:
    entries = lab.api("api", "contents", "Journal", "Mon journal")["content"]
    return next(e["path"] for e in entries if e["name"].startswith(ENTRY_PREFIX))


def latest_revision(lab: Lab, title: str) -> int:
    with JournalStore(lab.db_path) as store:
        document = next(d for d in store.list_documents(owner="camille") if d["title"] == title)
        return document["revision"]


def test_history_lists_diffs_and_restores(browser: Any, demo_lab: Lab, axe_source: str) -> None:
    path = entry_path(demo_lab)
    title = path.rsplit("/", 1)[1][: -len(".ipynb")]
    page = open_notebook(browser, demo_lab, path)
    # Once its session has settled (no kernel in writing mode), the untouched notebook is still unmodified.
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.isReady", timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-dirty").count() == 0
    type_into_section(page, "Questions ouvertes et pistes", " Première piste : un atelier avec les locataires.")
    save(page)
    first = latest_revision(demo_lab, title)
    type_into_section(page, "Questions ouvertes et pistes", " Seconde piste : relire Freire.")
    save(page)
    second = latest_revision(demo_lab, title)
    assert second == first + 1

    # The toolbar button opens the History panel, in French.
    page.locator(".jp-NotebookPanel:visible .jp-JournalHistory-toolbarButton").click()
    panel = page.locator(PANEL)
    panel.locator("h2", has_text="Historique").wait_for(timeout=15_000)
    newest = panel.locator(".jp-JournalHistory-revision").first
    newest.wait_for(timeout=15_000)
    assert f"Révision {second} (actuelle)" in newest.inner_text()
    assert "Camille" in newest.inner_text()

    # Choosing the earlier revision shows what it changed, in its section.
    panel.locator(f".jp-JournalHistory-revision[data-revision='{first}']").click()
    diff = panel.locator(".jp-JournalHistory-diff")
    diff.locator("h3", has_text=f"Modifications de la révision {first}").wait_for(timeout=15_000)
    diff.locator("ins", has_text="Première piste : un atelier avec les locataires.").wait_for(timeout=15_000)
    assert diff.locator(".jp-JournalHistory-cellTitle", has_text="Questions ouvertes et pistes").count() >= 1

    violations = run_axe(page, axe_source, PANEL)
    assert not violations, f"axe: serious/critical violations in the History panel:\n{describe(violations)}"

    # Restoring it brings back its text as a new revision and reloads the notebook.
    diff.get_by_role("button", name="Restaurer cette version").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text=f"Restaurer la révision {first} ?").wait_for(timeout=10_000)
    dialog.get_by_role("button", name="Restaurer").click()
    notebook = page.locator(".jp-NotebookPanel:visible")
    notebook.locator(".jp-MarkdownOutput", has_text="Seconde piste").wait_for(state="detached", timeout=15_000)
    assert notebook.locator(".jp-MarkdownOutput", has_text="Première piste").count() == 1
    page.locator(".jp-toast-message", has_text=f"Révision {first} restaurée").wait_for(timeout=10_000)
    newest = panel.locator(".jp-JournalHistory-revision").first
    newest.filter(has_text=f"Révision {second + 1} (actuelle)").wait_for(timeout=15_000)
    assert f"restaure la révision {first}" in newest.inner_text()
    assert latest_revision(demo_lab, title) == second + 1
    # Nothing is lost: the restored-over text is still in the history.
    with JournalStore(demo_lab.db_path) as store:
        document = next(d for d in store.list_documents(owner="camille") if d["title"] == title)
        assert any("Seconde piste" in c.source for c in store.state_at(document["id"], second))
    page.context.close()

"""The README's screenshots, taken from the demo as Camille.

With JOURNAL_EXT_SCREENSHOTS=<folder> these tests save sidebar.png,
notebook.png and passport.png there (the README's are in docs/screenshots/):

    JOURNAL_EXT_SCREENSHOTS=docs/screenshots python -m pytest tests/browser/test_screenshots.py

Without it they still open the same views and check what the pictures show.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .conftest import Lab, open_lab

GROUP = "Groupe Maurepas"
TAB = ".jp-SideBar [role=tab][data-id=journal-ext-sidebar]"
SIDEBAR = "#journal-ext-sidebar"


def save(page: Any, name: str) -> None:
    folder = os.environ.get("JOURNAL_EXT_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    # Let fonts and icons settle, and keep the blinking caret out of the picture.
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(500)
    page.screenshot(path=str(Path(folder) / name), caret="hide", animations="disabled")
    assert (Path(folder) / name).stat().st_size > 10_000


def test_sidebar_next_to_the_launcher(browser: Any, demo_lab: Lab) -> None:
    page = open_lab(browser, demo_lab)
    journal = page.locator(".jp-Launcher-section", has=page.locator(".jp-Launcher-sectionTitle", has_text="Journal"))
    journal.wait_for(timeout=60_000)
    assert journal.locator(".jp-LauncherCard", has_text=GROUP).count() == 5
    page.locator(TAB).click()
    sidebar = page.locator(SIDEBAR)
    sidebar.locator(".jp-JournalSidebar-itemTitle").first.wait_for(timeout=30_000)
    headings = [h.strip() for h in sidebar.locator(".jp-JournalSidebar-sections h3").all_text_contents()]
    assert "Mon journal d'apprentissage" in headings and GROUP in headings, headings
    journal.scroll_into_view_if_needed()
    assert journal.is_visible() and sidebar.is_visible()
    save(page, "sidebar.png")
    page.context.close()


def test_the_groups_shared_diagnostic(browser: Any, demo_lab: Lab) -> None:
    listing = demo_lab.api("api", "contents", "Journal", GROUP)
    diagnostic = next(e for e in listing["content"] if e["name"].startswith("Diagnostic partagé"))
    page = open_lab(browser, demo_lab, "lab/tree/" + quote(diagnostic["path"]))
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.wait_for(timeout=60_000)
    panel.locator(".jp-MarkdownOutput h2").nth(1).wait_for(timeout=30_000)
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    assert "Diagnostic partagé" in tab.inner_text()
    # The file browser shows where it lives: Journal/<group>/.
    page.locator(".jp-BreadCrumbs", has_text=GROUP).wait_for(timeout=30_000)
    # In writing mode: no kernel, no kernel controls, nothing "connecting" in the picture.
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.isReady", timeout=60_000)
    assert demo_lab.api("api", "kernels") == []
    save(page, "notebook.png")
    page.context.close()


def test_the_passport_panel_beside_the_journal(browser: Any, demo_lab: Lab) -> None:
    page = open_lab(browser, demo_lab)
    page.locator(TAB).click()
    page.locator(f"{SIDEBAR} .jp-JournalSidebar-itemTitle").first.wait_for(timeout=30_000)
    page.locator(".jp-SideBar [role=tab][data-id=journal-ext-passport]").click()
    panel = page.locator("#journal-ext-passport")
    panel.locator(".jp-JournalPassport-summary").wait_for(timeout=30_000)
    page.wait_for_function(
        "() => { const img = document.querySelector('#journal-ext-passport img'); return img && img.naturalWidth > 0; }",
        timeout=30_000,
    )
    assert "Camille Martin" in panel.locator("h2").inner_text()
    save(page, "passport.png")
    page.context.close()

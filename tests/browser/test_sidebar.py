"""The Journal sidebar in a real JupyterLab: Camille's writing, search, creating an entry; Nadia's view as tutor.

The demo's interface is French, so the sidebar speaks French here (journal_ext's own catalogue).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from journal_ext.db import JournalStore

from .conftest import Lab, open_lab, shown_day, shown_title

GROUP = "Groupe Maurepas"
ENTRY = "2026-10-05 Entrée du journal d'apprentissage"
TAB = ".jp-SideBar [role=tab][data-id=journal-ext-sidebar]"
SIDEBAR = "#journal-ext-sidebar"


def open_sidebar(browser: Any, lab: Lab) -> Any:
    """A lab page with the Journal sidebar opened by its tab, once its lists are loaded."""
    page = open_lab(browser, lab)
    tab = page.locator(TAB)
    tab.wait_for(timeout=60_000)
    assert "Journal" in (tab.get_attribute("title") or "")
    tab.click()
    page.locator(f"{SIDEBAR} .jp-JournalSidebar-sections h3").first.wait_for(timeout=30_000)
    return page


def section(page: Any, title: str) -> Any:
    """The sidebar section whose heading is `title`."""
    return page.locator(f"{SIDEBAR} section", has=page.locator("h3", has_text=title))


def item_titles(scope: Any) -> list[str]:
    return [t.strip() for t in scope.locator(".jp-JournalSidebar-itemTitle").all_inner_texts()]


def test_learner_sees_her_entries_and_her_groups_diagnostic(browser: Any, demo_lab: Lab) -> None:
    page = open_sidebar(browser, demo_lab)
    # Titles read with their date written out, the French way.
    assert item_titles(section(page, "Mon journal d'apprentissage")) == [
        "5 octobre 2026 Entrée du journal d'apprentissage"
    ]
    assert item_titles(section(page, "Mes observations de terrain")) == [
        "14 octobre 2026 Note d'observation de terrain"
    ]
    group = section(page, GROUP)
    assert "Diagnostic partagé" in item_titles(group)
    # Her own entry: a choice of who reads it, named for screen readers.
    choice = section(page, "Mon journal d'apprentissage").get_by_role(
        "combobox", name=f"Qui peut lire « {shown_title(ENTRY)} »"
    )
    assert choice.input_value() == "tutors"
    page.context.close()


def test_search_finds_a_passage_and_opens_its_document(browser: Any, demo_lab: Lab) -> None:
    page = open_sidebar(browser, demo_lab)
    page.get_by_role("searchbox", name="Chercher dans les documents du journal que vous pouvez lire").fill("directrice")
    results = page.locator(f"{SIDEBAR} ul[aria-label='Résultats de la recherche']")
    hit = results.locator(".jp-JournalSidebar-item", has=page.locator("mark", has_text="directrice")).first
    hit.wait_for(timeout=15_000)
    assert shown_title(ENTRY) in hit.inner_text()
    hit.locator("button").click()
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.wait_for(timeout=30_000)
    page.locator(".jp-MarkdownOutput", has_text="La directrice a ouvert la réunion").first.wait_for(timeout=30_000)
    page.context.close()


def test_an_entry_created_from_the_sidebar_is_listed(browser: Any, demo_lab: Lab) -> None:
    page = open_sidebar(browser, demo_lab)
    page.locator(f"{SIDEBAR} .jp-JournalSidebar-new").click()
    menu = page.locator(".jp-JournalSidebar-newMenu")
    menu.get_by_role("menuitem", name=f"Entrée du journal d'apprentissage — {GROUP}").click()
    page.locator(".jp-NotebookPanel:visible").wait_for(timeout=30_000)
    today = shown_day(dt.date.today().isoformat())
    journal = section(page, "Mon journal d'apprentissage")
    journal.locator(".jp-JournalSidebar-itemTitle", has_text=today).wait_for(timeout=15_000)
    titles = item_titles(journal)
    assert titles[0].startswith(today) and titles[1] == shown_title(ENTRY), titles
    page.context.close()


def test_the_owner_changes_who_reads_an_entry(browser: Any, demo_lab: Lab) -> None:
    page = open_sidebar(browser, demo_lab)
    choice = section(page, "Mon journal d'apprentissage").get_by_role(
        "combobox", name=f"Qui peut lire « {shown_title(ENTRY)} »"
    )
    choice.select_option("group")
    page.locator(f"{SIDEBAR} [role=status]", has_text="est maintenant lisible par : Groupe").wait_for(timeout=15_000)
    with JournalStore(demo_lab.db_path) as store:
        entry = next(d for d in store.list_documents(owner="camille") if d["title"] == ENTRY)
        assert entry["visibility"] == "group"
        store.set_visibility(entry["id"], "tutors")
    page.context.close()


def test_the_shortcut_opens_the_sidebar_with_the_focus_in_search(browser: Any, demo_lab: Lab) -> None:
    page = open_lab(browser, demo_lab)
    page.locator(".jp-LauncherCard").first.wait_for(timeout=60_000)
    assert not page.locator(SIDEBAR).is_visible()
    page.locator("#jp-main-dock-panel").click()
    page.keyboard.press("Control+Shift+J")
    page.locator(SIDEBAR).wait_for(state="visible", timeout=15_000)
    page.wait_for_function(
        "document.activeElement && document.activeElement.matches('.jp-JournalSidebar-searchInput')",
        timeout=10_000,
    )
    page.context.close()


def test_tutor_sees_camilles_entry_under_her_group(browser: Any, tutor_lab: Lab) -> None:
    page = open_sidebar(browser, tutor_lab)
    group = section(page, GROUP)
    group.locator("h4", has_text="Camille Martin").wait_for(timeout=15_000)
    camille = group.locator("ul[aria-label='Documents de Camille Martin']")
    assert shown_title(ENTRY) in item_titles(camille)
    assert "Diagnostic partagé" in item_titles(group.locator("ul").first)
    # A tutor reads; only the author chooses who may read.
    assert group.locator("select").count() == 0
    page.context.close()

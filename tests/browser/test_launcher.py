"""The main job in a real browser: `journal-ext demo`, the Journal Launcher cards, the Journal/ folder."""

from __future__ import annotations

import urllib.parse
import urllib.request
from typing import Any
from urllib.parse import quote

import pytest

from journal_ext.db import JournalStore

from .conftest import Lab

GROUP = "Groupe Maurepas"


@pytest.fixture
def page(browser: Any, demo_lab: Lab) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(demo_lab.lab_url())
    page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
    page.wait_for_selector(".jp-LauncherCard", timeout=60_000)
    page.console_messages = messages  # type: ignore[attr-defined]
    yield page
    context.close()


def test_launcher_shows_one_journal_card_per_template(page: Any, demo_lab: Lab) -> None:
    section = page.locator(".jp-Launcher-section", has=page.locator(".jp-Launcher-sectionTitle", has_text="Journal"))
    section.wait_for(timeout=30_000)
    labels = section.locator(".jp-LauncherCard-label").all_inner_texts()
    templates = demo_lab.api("journal", "api", "templates")["templates"]
    assert len(templates) == 5
    for template in templates:
        assert any(template["title"] in label and GROUP in label for label in labels), labels
    assert "journal_ext: launcher activated" in page.console_messages
    # The Journal section comes first, above Notebook, Console and Other.
    page.locator(".jp-Launcher-sectionTitle", has_text="Notebook").first.wait_for(timeout=30_000)
    titles = [t.strip() for t in page.locator(".jp-Launcher-sectionTitle").all_inner_texts()]
    assert titles[0] == "Journal", titles
    # The demo starts in French: JupyterLab's own menus come from the French language pack.
    assert page.locator("#jp-menu-panel .lm-MenuBar-itemLabel", has_text="Fichier").count() == 1


def test_clicking_a_card_opens_a_new_notebook_with_the_templates_sections(page: Any, demo_lab: Lab) -> None:
    with JournalStore(demo_lab.db_path) as store:
        before = {d["id"] for d in store.list_documents(owner="camille")}
    section = page.locator(".jp-Launcher-section", has=page.locator(".jp-Launcher-sectionTitle", has_text="Journal"))
    section.locator(".jp-LauncherCard", has_text="Note d'observation de terrain").click()
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.wait_for(timeout=30_000)
    headings = panel.locator(".jp-MarkdownOutput h2")
    headings.nth(3).wait_for(timeout=30_000)
    texts = [t.strip().rstrip("¶").strip() for t in headings.all_inner_texts()]
    assert texts[:4] == [
        "Date, lieu et cadre",
        "Acteur·rices présent·es (pseudonymisé·es)",
        "Ce que j'ai observé",
        "Premières interprétations",
    ]
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    assert "Note d'observation de terrain" in tab.inner_text()
    with JournalStore(demo_lab.db_path) as store:
        created = [d for d in store.list_documents(owner="camille") if d["id"] not in before]
    assert [d["kind"] for d in created] == ["field_observation"]


def test_journal_folder_holds_the_demo_writing(page: Any, demo_lab: Lab) -> None:
    listing = demo_lab.api("api", "contents", "Journal", "Mon journal")
    entry = next(e for e in listing["content"] if e["name"].startswith("2026-10-05"))
    page.goto(demo_lab.lab_url("lab/tree/" + quote(entry["path"])))
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.wait_for(timeout=60_000)
    page.locator(".jp-MarkdownOutput", has_text="La directrice a ouvert la réunion").first.wait_for(timeout=30_000)


def test_the_demo_serves_no_database_file_and_a_workspace_of_ones_own(demo_lab: Lab) -> None:
    # The file browser's root: the Journal folder, never the database or its -wal/-shm files.
    names = [entry["name"] for entry in demo_lab.api("api", "contents")["content"]]
    assert "Journal" in names
    assert not [name for name in names if name.startswith("journal-demo")], names
    assert demo_lab.db_path.exists()
    # `/` leads to Camille's own workspace (Nadia's server to hers).
    request = urllib.request.Request(demo_lab.url, headers={"Authorization": f"token {demo_lab.token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert urllib.parse.urlparse(response.geturl()).path == "/lab/workspaces/camille"

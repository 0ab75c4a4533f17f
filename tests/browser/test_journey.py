"""The interface's acceptance path in one go, in French: a learner writes a new journal entry, her tutor reads it.

Camille creates an entry from the Journal sidebar, writes in it, sees the
section's competence badge and its character count, saves, reopens it and
finds it by search; Nadia, her tutor, in a second browser context on her own
server over the same journal, finds it under the group.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .conftest import Lab, shown_title
from .test_drive import save, type_into_section
from .test_sidebar import GROUP, SIDEBAR, item_titles, open_sidebar, section

TITLE = f"{dt.date.today().isoformat()} Entrée du journal d'apprentissage"
# As the tab and the sidebar show it: the date written out, no .ipynb.
SHOWN = shown_title(TITLE)
WORD = "ornithorynque"
NNBSP = "\u202f"


def answer_cell(page: Any, heading: str) -> Any:
    """The writing cell right after a section's prompt."""
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.locator("h2", has_text=heading).first.wait_for(timeout=30_000)
    cells = panel.locator(".jp-Cell")
    index = next(i for i in range(cells.count()) if cells.nth(i).locator("h2", has_text=heading).count())
    return cells.nth(index + 1)


def test_learner_writes_a_new_entry_and_her_tutor_reads_it(browser: Any, demo_lab: Lab, tutor_lab: Lab) -> None:
    page = open_sidebar(browser, demo_lab)
    page.locator(f"{SIDEBAR} .jp-JournalSidebar-new").click()
    page.locator(".jp-JournalSidebar-newMenu").get_by_role(
        "menuitem", name=f"Entrée du journal d'apprentissage — {GROUP}"
    ).click()
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current", has_text=SHOWN).wait_for(timeout=30_000)

    # The dated section counts nothing while its starter text is untouched.
    context_cell = answer_cell(page, "Date et contexte")
    counter = context_cell.locator(".jp-JournalCell-count")
    counter.wait_for(timeout=30_000)
    assert counter.inner_text().startswith("0 / 800 signes"), counter.inner_text()
    type_into_section(page, "Date et contexte", f" Séance de jeudi, le mot {WORD}.")
    page.wait_for_function("el => !el.textContent.startsWith('0 /')", arg=counter.element_handle(), timeout=10_000)
    assert re.match(r"^\d+ / 800 signes", counter.inner_text().replace(NNBSP, " ")), counter.inner_text()

    # The next section's competence badge, named for hover and screen readers.
    badge = answer_cell(page, "Ce qui s'est passé").get_by_role("listitem", name=re.compile(r"^DC1 — "))
    badge.first.wait_for(timeout=15_000)
    assert badge.first.inner_text() == "DC1"
    save(page)
    page.context.close()

    # Reopened from the sidebar, the text is there; the search finds it.
    page = open_sidebar(browser, demo_lab)
    journal = section(page, "Mon journal d'apprentissage")
    journal.locator(".jp-JournalSidebar-itemTitle", has_text=SHOWN).wait_for(timeout=15_000)
    journal.locator(".jp-JournalSidebar-item", has_text=SHOWN).locator("button").first.click()
    page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput", has_text=WORD).wait_for(timeout=30_000)
    page.get_by_role("searchbox", name="Chercher dans les documents du journal que vous pouvez lire").fill(WORD)
    hit = page.locator(f"{SIDEBAR} ul[aria-label='Résultats de la recherche'] .jp-JournalSidebar-item").first
    hit.locator("mark", has_text=WORD).wait_for(timeout=15_000)
    assert SHOWN in hit.inner_text()
    page.context.close()

    # Her tutor, in another browser context, finds it under the group, by learner.
    tutor = open_sidebar(browser, tutor_lab)
    camille = section(tutor, GROUP).locator("ul[aria-label='Documents de Camille Martin']")
    camille.locator(".jp-JournalSidebar-itemTitle", has_text=SHOWN).wait_for(timeout=15_000)
    assert SHOWN in item_titles(camille)
    tutor.get_by_role("searchbox", name="Chercher dans les documents du journal que vous pouvez lire").fill(WORD)
    tutor.locator(f"{SIDEBAR} mark", has_text=WORD).first.wait_for(timeout=15_000)
    tutor.context.close()

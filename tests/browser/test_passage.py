"""Going to the passage in a real JupyterLab, and things that update by themselves.

A search result and a comment waiting in the inbox open their document
scrolled to the passage, marked; commenting keeps the reader where they were;
the learner's "Comments to read" count rises after the tutor's comment
without anyone pressing ↻.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from ..servers import json_request
from .conftest import Lab, open_lab
from .test_annotations import SELECT_IN_RENDERED_TEXT, diagnostic_path
from .test_drive import open_notebook

SIDEBAR = "#journal-ext-sidebar"
TAB = ".jp-SideBar [role=tab][data-id=journal-ext-sidebar]"
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
FOUND = f"{NOTEBOOK} mark.jp-JournalPassage-found"
# Below the fold of the diagnostic opened at its top (1400 x 900).
SEARCHED = "boulangerie qui sert de lieu de rencontre"
COMMENTED = "la ligne de bus s'arrête à 20 h"
KEPT = "commerces de proximité ont fermé"

IN_VIEW = """(selector) => {
    const mark = document.querySelector(selector);
    const view = mark.closest('.jp-WindowedPanel-outer').getBoundingClientRect();
    const box = mark.getBoundingClientRect();
    return box.height > 0 && box.top >= view.top && box.bottom <= view.bottom
        && box.top >= 0 && box.bottom <= window.innerHeight;
}"""
SCROLL_TOP = f"() => document.querySelector('{NOTEBOOK} .jp-WindowedPanel-outer').scrollTop"


def assert_passage_in_view(page: Any, words: str) -> None:
    page.locator(FOUND).first.wait_for(timeout=30_000)
    assert words in "".join(page.locator(FOUND).all_inner_texts())
    assert page.evaluate(IN_VIEW, FOUND), "the marked passage is outside the notebook's view"


def test_a_search_result_opens_at_the_passage(browser: Any, demo_lab: Lab) -> None:
    page = open_lab(browser, demo_lab)
    page.locator(TAB).click()
    page.locator(f"{SIDEBAR} .jp-JournalSidebar-searchInput").fill("boulangerie rencontre")
    hit = page.locator(f"{SIDEBAR} .jp-JournalSidebar-hit", has_text="Diagnostic partagé")
    hit.locator("button").click()
    assert_passage_in_view(page, SEARCHED)
    # Its cell is the active one: the keyboard goes on from the passage.
    active = page.locator(f"{NOTEBOOK} .jp-Cell.jp-mod-active")
    assert SEARCHED in active.inner_text()
    # The mark goes once the reader clicks in the notebook.
    active.click()
    page.locator(FOUND).first.wait_for(state="detached", timeout=10_000)
    page.context.close()


def post_comment(lab: Lab, path: str, document_id: int, phrase: str, body: str) -> int:
    """A tutor's comment on a phrase of a notebook, through the REST API (as another tab would)."""
    status, notebook, _ = json_request("GET", f"{lab.url}api/contents/{quote(path)}", lab.token)
    assert status == 200
    cell = next(c for c in notebook["content"]["cells"] if phrase in "".join(c["source"]))
    source = "".join(cell["source"])
    start = len(source[: source.index(phrase)])
    status, created, _ = json_request(
        "POST",
        f"{lab.url}journal/api/documents/{document_id}/annotations",
        lab.token,
        {
            "cell_id": cell["id"],
            "start": start,
            "end": start + len(phrase),
            "exact": phrase,
            "body": body,
            "audience": "learner",
        },
    )
    assert status == 201, created
    return int(created["id"])


def test_the_inbox_count_rises_by_itself_and_opens_at_the_passage(browser: Any, demo_lab: Lab, tutor_lab: Lab) -> None:
    # A short interval for the test, through JupyterLab's settings API; 20 s by default.
    demo_lab.put_settings("sidebar", json.dumps({"refreshSeconds": 2}))
    try:
        learner = open_lab(browser, demo_lab)
        learner.locator(TAB).click()
        count = learner.locator(f"{SIDEBAR} .jp-JournalInbox-count")
        count.wait_for(timeout=30_000)
        before = int(count.inner_text())

        path = diagnostic_path(tutor_lab)
        document_id = next(
            d["id"] for d in tutor_lab.api("journal", "api", "documents")["documents"] if d["path"] == path
        )
        annotation = post_comment(tutor_lab, path, document_id, COMMENTED, "Quelle source pour cet horaire ?")

        # Nobody clicks: the count rises on its own.
        learner.wait_for_function(
            f"() => Number(document.querySelector('{SIDEBAR} .jp-JournalInbox-count').textContent) > {before}",
            timeout=30_000,
        )
        item = learner.locator(f"{SIDEBAR} .jp-JournalInbox-item[data-annotation-id='{annotation}']")
        item.locator("button").click()
        assert_passage_in_view(learner, COMMENTED)
        learner.locator(
            f"#journal-ext-annotations .jp-JournalAnnotations-thread[data-annotation-id='{annotation}']"
        ).wait_for(timeout=15_000)
        learner.context.close()
    finally:
        demo_lab.put_settings("sidebar", "{}")


def test_commenting_keeps_the_reader_where_she_was(browser: Any, tutor_lab: Lab) -> None:
    page = open_notebook(browser, tutor_lab, diagnostic_path(tutor_lab))
    passage = page.locator(f"{NOTEBOOK} .jp-MarkdownOutput", has_text=KEPT)
    passage.wait_for(timeout=30_000)
    page.evaluate(f"() => {{ document.querySelector('{NOTEBOOK} .jp-WindowedPanel-outer').scrollTop = 100000; }}")
    page.wait_for_timeout(300)
    scrolled = page.evaluate(SCROLL_TOP)
    assert scrolled > 200
    assert page.evaluate(SELECT_IN_RENDERED_TEXT, KEPT)
    page.locator(f"{NOTEBOOK} .jp-JournalAnnotations-toolbarButton").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_label("Votre commentaire").fill("Depuis quand exactement ?")
    dialog.get_by_role("button", name="Commenter").click()
    page.locator("#journal-ext-annotations .jp-JournalAnnotations-thread", has_text="Depuis quand").wait_for(
        timeout=15_000
    )
    page.wait_for_timeout(500)
    # Still where she was (it went back to the top before), on the commented cell.
    assert abs(page.evaluate(SCROLL_TOP) - scrolled) < 5
    assert KEPT in page.locator(f"{NOTEBOOK} .jp-Cell.jp-mod-active").inner_text()
    page.context.close()

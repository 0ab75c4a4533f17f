"""On a real JupyterHub with the journal service: log in through the hub's page, write, save, comment.

learner1 and tutor1 are unix users; their servers reach the journal only
through the journal service (tests/hub.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.hub import PASSWORD, Hub

from .test_annotations import SELECT_IN_RENDERED_TEXT
from .test_drive import save, type_into_section

SENTENCE = "Le mardi, la permanence accueille surtout des familles du quartier nord."
PASSAGE = "surtout des familles du quartier nord"
COMMENT = "D'où vient ce constat : un comptage, ou une impression de l'équipe ?"


@pytest.fixture(scope="module")
def hub(journal_hub: Hub) -> Hub:
    return journal_hub


def log_in(browser: Any, hub: Hub, user: str) -> Any:
    """A new browser session, logged in through the hub's own login page, on the user's JupyterLab."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/lab**", timeout=120_000)
    page.wait_for_selector("#jp-main-dock-panel", timeout=90_000)
    return page


def open_document(page: Any, hub: Hub, user: str, path: str) -> None:
    # ?reset: an empty workspace, whatever an earlier session left open.
    page.goto(f"{hub.url}/user/{user}/lab/tree/{quote(path)}?reset")
    page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput").first.wait_for(timeout=60_000)


def test_a_learner_writes_through_the_hub_and_her_tutor_comments(browser: Any, hub: Hub) -> None:
    status, made, _ = hub.as_person(
        "learner1", "POST", "api/contents/" + quote("Journal/Mon journal"), {"type": "notebook"}
    )
    assert status == 201, made

    learner = log_in(browser, hub, "learner1")
    learner.locator(".jp-DirListing-item", has_text="Journal").first.wait_for(timeout=30_000)
    open_document(learner, hub, "learner1", made["path"])
    type_into_section(learner, "Questions ouvertes et pistes", SENTENCE)
    save(learner)
    learner.context.close()

    _, listing, _ = hub.as_person("tutor1", "GET", "journal/api/documents")
    document = next(d for d in listing["documents"] if d["id"] == made_id(hub, made["path"]))
    status, model, _ = hub.as_person("tutor1", "GET", "api/contents/" + quote(document["path"]))
    assert status == 200
    assert any(SENTENCE in cell["source"] for cell in model["content"]["cells"])

    tutor = log_in(browser, hub, "tutor1")
    open_document(tutor, hub, "tutor1", document["path"])
    tutor.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput", has_text=PASSAGE).wait_for(timeout=30_000)
    assert tutor.evaluate(SELECT_IN_RENDERED_TEXT, PASSAGE)
    tutor.locator(".jp-NotebookPanel:visible .jp-JournalAnnotations-toolbarButton").click()
    dialog = tutor.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text="Commenter le passage").wait_for(timeout=15_000)
    dialog.get_by_label("Votre commentaire").fill(COMMENT)
    dialog.get_by_label("Qui le lit").select_option(label="Pour l’apprenant·e")
    dialog.get_by_role("button", name="Commenter").click()
    tutor.locator("#journal-ext-annotations .jp-JournalAnnotations-thread", has_text=COMMENT).wait_for(timeout=15_000)
    tutor.context.close()

    status, threads, _ = hub.as_person("learner1", "GET", f"journal/api/documents/{document['id']}/annotations")
    assert status == 200, threads
    comment = next(a for a in threads["annotations"] if a["body"] == COMMENT)
    assert comment["author"] == "tutor1"


def made_id(hub: Hub, path: str) -> int:
    _, listing, _ = hub.as_person("learner1", "GET", "journal/api/documents")
    return int(next(d["id"] for d in listing["documents"] if d["path"] == path))

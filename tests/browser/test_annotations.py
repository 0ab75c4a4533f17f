"""Comments in a real JupyterLab: a tutor comments, the learner finds it in her inbox and replies, the tutor resolves.

The tests share the module's two servers and run in order: the last one finds
the first one's comment highlighted.
"""

from __future__ import annotations

from typing import Any

from .conftest import Lab, open_lab
from .test_accessibility import describe, run_axe
from .test_drive import GROUP, open_notebook, save

PANEL = "#journal-ext-annotations"
SIDEBAR = "#journal-ext-sidebar"
PASSAGE = "seul équipement ouvert le soir"
COMMENT = "Qui ferme le centre à 20 h ? Précisez la source de ce constat."
REPLY = "Les horaires viennent de l'affichage du centre social."
EARLIER = "D’après nos premières observations, "

SELECT_IN_RENDERED_TEXT = """(phrase) => {
    const outputs = [...document.querySelectorAll('.jp-NotebookPanel .jp-MarkdownOutput')]
        .filter(e => e.offsetParent !== null);
    for (const output of outputs) {
        const walker = document.createTreeWalker(output, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(phrase);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + phrase.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                return true;
            }
        }
    }
    return false;
}"""


def diagnostic_path(lab: Lab) -> str:
    documents = lab.api("journal", "api", "documents")["documents"]
    return next(
        d["path"] for d in documents if d["kind"] == "shared_diagnostic" and (d["group"] or {}).get("name") == GROUP
    )


def thread(page: Any, body: str) -> Any:
    return page.locator(f"{PANEL} .jp-JournalAnnotations-thread", has_text=body)


def test_tutor_comments_learner_replies_tutor_resolves(
    browser: Any, demo_lab: Lab, tutor_lab: Lab, axe_source: str
) -> None:
    # Nadia, the tutor, selects a passage of the rendered diagnostic and comments on it.
    tutor = open_notebook(browser, tutor_lab, diagnostic_path(tutor_lab))
    tutor.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput", has_text=PASSAGE).wait_for(timeout=30_000)
    assert tutor.evaluate(SELECT_IN_RENDERED_TEXT, PASSAGE)
    tutor.locator(".jp-NotebookPanel:visible .jp-JournalAnnotations-toolbarButton").click()
    dialog = tutor.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text="Commenter le passage").wait_for(timeout=15_000)
    assert PASSAGE in dialog.locator("blockquote").inner_text()
    dialog.get_by_label("Votre commentaire").fill(COMMENT)
    dialog.get_by_label("Qui le lit").select_option(label="Pour l’apprenant·e")
    dialog.get_by_role("button", name="Commenter").click()
    # The Comments panel opens on the new thread; the passage is highlighted in the notebook.
    thread(tutor, COMMENT).wait_for(timeout=15_000)
    tutor.locator(".jp-NotebookPanel:visible mark.jp-JournalAnnotation-highlight", has_text=PASSAGE).wait_for(
        timeout=15_000
    )
    tutor.locator(f"{PANEL} h2", has_text="Commentaires").wait_for()
    assert thread(tutor, COMMENT).locator("blockquote").inner_text() == PASSAGE
    assert "Nadia Benali" in thread(tutor, COMMENT).inner_text()

    # Camille, the learner, sees it waiting in her Journal sidebar.
    learner = open_lab(browser, demo_lab)
    learner.locator(".jp-SideBar [role=tab][data-id=journal-ext-sidebar]").click()
    inbox = learner.locator(f"{SIDEBAR} section", has=learner.locator("h3", has_text="Commentaires à lire"))
    inbox.wait_for(timeout=30_000)
    assert inbox.locator(".jp-JournalInbox-count").inner_text() == "1"
    item = inbox.locator(".jp-JournalInbox-item", has_text="Diagnostic partagé")
    assert PASSAGE in item.inner_text()
    violations = run_axe(learner, axe_source, SIDEBAR)
    assert not violations, f"axe: serious/critical violations in the Journal sidebar:\n{describe(violations)}"
    item.locator("button").click()

    # It opens the document and the thread in the Comments panel; she replies.
    learner.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput", has_text=PASSAGE).wait_for(timeout=30_000)
    mine = thread(learner, COMMENT)
    mine.wait_for(timeout=15_000)
    learner.locator(".jp-NotebookPanel:visible mark.jp-JournalAnnotation-highlight", has_text=PASSAGE).wait_for(
        timeout=15_000
    )
    assert "Commentaire" in mine.locator("h3").inner_text()
    assert "Ouvert" in mine.locator("h3").inner_text()
    mine.get_by_label("Votre réponse").fill(REPLY)
    mine.get_by_role("button", name="Répondre").click()
    mine.locator(".jp-JournalAnnotations-reply", has_text=REPLY).wait_for(timeout=15_000)
    # A learner may resolve a thread on a document she writes, but not delete the tutor's words.
    assert mine.get_by_role("button", name="Supprimer").count() == 0

    # She writes before the passage and saves: the highlight stays on the same words.
    cells = learner.locator(".jp-NotebookPanel:visible .jp-Cell")
    index = next(i for i in range(cells.count()) if PASSAGE in cells.nth(i).inner_text())
    cell = cells.nth(index)
    cell.locator(".jp-MarkdownOutput").first.dblclick()
    editor = cell.locator(".cm-content")
    editor.wait_for(timeout=10_000)
    editor.click()
    learner.keyboard.press("Control+Home")
    learner.keyboard.type(EARLIER)
    learner.keyboard.press("Shift+Enter")
    save(learner)
    cell.locator(".jp-MarkdownOutput", has_text=EARLIER).wait_for(timeout=15_000)
    highlight = cell.locator("mark.jp-JournalAnnotation-highlight")
    highlight.first.wait_for(timeout=15_000)
    learner.wait_for_function(
        """([cell, passage]) => [...cell.querySelectorAll('mark.jp-JournalAnnotation-highlight')]
            .map(m => m.textContent).join('') === passage""",
        arg=[cell.element_handle(), PASSAGE],
        timeout=15_000,
    )
    assert highlight.all_inner_texts() == [PASSAGE]
    document_id = next(
        d["id"]
        for d in demo_lab.api("journal", "api", "documents")["documents"]
        if d["kind"] == "shared_diagnostic" and (d["group"] or {}).get("name") == GROUP
    )
    anchored = next(
        a
        for a in demo_lab.api("journal", "api", "documents", str(document_id), "annotations")["annotations"]
        if a["body"] == COMMENT
    )
    assert anchored["anchor"]["how"] == "quote"
    assert anchored["anchor"]["start"] == anchored["position"]["start"] + len(EARLIER)

    violations = run_axe(learner, axe_source, PANEL)
    assert not violations, f"axe: serious/critical violations in the Comments panel:\n{describe(violations)}"
    learner.context.close()

    # Nadia reads the reply and resolves the thread.
    tutor.locator(f"{PANEL} .jp-JournalAnnotations-refresh").click()
    theirs = thread(tutor, COMMENT)
    theirs.locator(".jp-JournalAnnotations-reply", has_text=REPLY).wait_for(timeout=15_000)
    theirs.get_by_role("button", name="Résoudre").click()
    theirs.locator("h3", has_text="Résolu").wait_for(timeout=15_000)
    theirs.get_by_role("button", name="Rouvrir").wait_for()
    tutor.context.close()

    # Resolved, it no longer waits in Camille's inbox.
    assert demo_lab.api("journal", "api", "inbox")["count"] == 0


def test_learner_asks_a_question_on_a_passage_selected_in_the_editor(browser: Any, demo_lab: Lab) -> None:
    path = diagnostic_path(demo_lab)
    page = open_notebook(browser, demo_lab, path)
    heading = "La commande et son contexte"
    page.locator(".jp-NotebookPanel:visible h2", has_text=heading).first.wait_for(timeout=30_000)
    cells = page.locator(".jp-NotebookPanel:visible .jp-Cell")
    prompt = next(i for i in range(cells.count()) if cells.nth(i).locator("h2", has_text=heading).count())
    answer = cells.nth(prompt + 1)
    answer.locator(".jp-MarkdownOutput").first.dblclick()
    editor = answer.locator(".cm-content")
    editor.wait_for(timeout=10_000)
    editor.click()
    # Unsaved typing before the passage, with a character UTF-16 counts twice.
    page.keyboard.press("Control+Home")
    page.keyboard.type("🌱 Note : ")
    page.keyboard.press("Shift+End")
    page.locator(".jp-NotebookPanel:visible .jp-JournalAnnotations-toolbarButton").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text="Commenter le passage").wait_for(timeout=15_000)
    quoted = dialog.locator("blockquote").inner_text()
    assert quoted.startswith("Le centre social")
    # A learner asks questions: no choice of kind, a choice of readers.
    assert dialog.get_by_label("Nature").count() == 0
    dialog.get_by_label("Qui le lit").select_option(label="Pour le groupe")
    dialog.get_by_label("Votre commentaire").fill("Qui a reformulé la commande avec la directrice ?")
    dialog.get_by_role("button", name="Commenter").click()

    question = page.locator(f"{PANEL} .jp-JournalAnnotations-thread", has_text="Qui a reformulé la commande")
    question.wait_for(timeout=15_000)
    assert "Question" in question.locator("h3").inner_text()
    assert question.locator("blockquote").inner_text() == quoted
    # The notebook was saved first, and the passage counted in code points.
    assert page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current.jp-mod-dirty").count() == 0
    document_id = next(d["id"] for d in demo_lab.api("journal", "api", "documents")["documents"] if d["path"] == path)
    listed = demo_lab.api("journal", "api", "documents", str(document_id), "annotations")["annotations"]
    asked = next(a for a in listed if a["motivation"] == "questioning")
    assert asked["position"]["start"] == len("🌱 Note : ")
    assert asked["audience"] == "group"
    page.context.close()


def test_context_menu_comments_a_selection_and_a_highlight_opens_its_thread(browser: Any, tutor_lab: Lab) -> None:
    page = open_notebook(browser, tutor_lab, diagnostic_path(tutor_lab))
    phrase = "une boulangerie"
    paragraph = page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput p", has_text=phrase)
    paragraph.wait_for(timeout=30_000)
    assert page.evaluate(SELECT_IN_RENDERED_TEXT, phrase)
    paragraph.click(button="right")
    page.locator(".lm-Menu-item", has_text="Commenter").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text="Commenter le passage").wait_for(timeout=15_000)
    assert dialog.locator("blockquote").inner_text() == phrase
    # A tutor chooses the kind and the readers.
    assert dialog.get_by_label("Nature").count() == 1
    dialog.get_by_role("button", name="Annuler").click()
    dialog.wait_for(state="detached")

    # The passage commented earlier is highlighted; clicking it shows its thread.
    mark = page.locator(".jp-NotebookPanel:visible mark.jp-JournalAnnotation-highlight", has_text=PASSAGE)
    mark.wait_for(timeout=15_000)
    mark.click()
    page.locator(f"{PANEL} .jp-JournalAnnotations-thread:focus", has_text=COMMENT).wait_for(timeout=15_000)
    page.context.close()

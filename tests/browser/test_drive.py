"""The journal drive in a real JupyterLab: edit, save and reopen an entry; a second person sees a group edit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from journal_ext.db import JournalStore

from .conftest import Lab, open_lab, start_demo_lab, stop_lab

GROUP = "Groupe Maurepas"


@pytest.fixture(scope="module")
def two_labs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, Lab]]:
    """Camille's and Yanis's servers on one demo journal."""
    tmp = tmp_path_factory.mktemp("drive")
    camille = start_demo_lab(tmp / "camille", "camille", root=tmp / "demo")
    yanis = start_demo_lab(tmp / "yanis", "yanis", root=tmp / "demo")
    yield camille, yanis
    stop_lab(camille)
    stop_lab(yanis)


def open_notebook(browser: Any, lab: Lab, path: str) -> Any:
    page = open_lab(browser, lab, "lab/tree/" + quote(path))
    page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput").first.wait_for(timeout=60_000)
    return page


def type_into_section(page: Any, heading: str, text: str) -> None:
    """Edit the writing cell that follows a section's prompt, then render it."""
    page.locator(".jp-NotebookPanel:visible h2", has_text=heading).first.wait_for(timeout=30_000)
    cells = page.locator(".jp-NotebookPanel:visible .jp-Cell")
    prompt_index = next(i for i in range(cells.count()) if cells.nth(i).locator("h2", has_text=heading).count())
    answer = cells.nth(prompt_index + 1)
    answer.locator(".jp-MarkdownOutput, .jp-InputArea").first.dblclick()
    editor = answer.locator(".cm-content")
    editor.wait_for(timeout=10_000)
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)
    page.keyboard.press("Shift+Enter")


def save(page: Any) -> None:
    dirty = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current.jp-mod-dirty")
    dirty.wait_for(timeout=10_000)
    page.keyboard.press("Control+s")
    dirty.wait_for(state="detached", timeout=15_000)


def test_edit_save_reopen_a_journal_entry(browser: Any, two_labs: tuple[Lab, Lab]) -> None:
    camille, _ = two_labs
    entry = next(
        e
        for e in camille.api("api", "contents", "Journal", "Mon journal")["content"]
        if e["name"].startswith("2026-10-05")
    )
    page = open_notebook(browser, camille, entry["path"])
    type_into_section(page, "Questions ouvertes et pistes", " Relire Lewin sur la recherche-action.")
    save(page)
    with JournalStore(camille.db_path) as store:
        document = next(d for d in store.list_documents(owner="camille") if d["title"] == entry["name"][:-6])
        assert any("Relire Lewin sur la recherche-action." in c.source for c in store.cells(document["id"]))
    page.context.close()

    reopened = open_notebook(browser, camille, entry["path"])
    reopened.locator(".jp-MarkdownOutput", has_text="Relire Lewin sur la recherche-action.").wait_for(timeout=30_000)
    reopened.context.close()


def test_the_other_learner_sees_the_group_diagnostic_edit(browser: Any, two_labs: tuple[Lab, Lab]) -> None:
    camille, yanis = two_labs
    diagnostic = next(e for e in camille.api("api", "contents", "Journal", GROUP)["content"] if e["type"] == "notebook")
    page = open_notebook(browser, camille, diagnostic["path"])
    type_into_section(page, "Faisabilité", "Le local du centre social est libre le mardi soir.")
    save(page)
    page.context.close()

    seen = yanis.api("api", "contents", "Journal", GROUP)["content"]
    assert diagnostic["path"] in [e["path"] for e in seen]
    other = open_notebook(browser, yanis, diagnostic["path"])
    other.locator(".jp-MarkdownOutput", has_text="Le local du centre social est libre le mardi soir.").wait_for(
        timeout=30_000
    )
    other.context.close()


def test_saving_over_someone_elses_edit_keeps_both_and_says_so(browser: Any, two_labs: tuple[Lab, Lab]) -> None:
    camille, yanis = two_labs
    diagnostic = next(e for e in camille.api("api", "contents", "Journal", GROUP)["content"] if e["type"] == "notebook")
    first = open_notebook(browser, camille, diagnostic["path"])
    second = open_notebook(browser, yanis, diagnostic["path"])

    type_into_section(second, "La dimension partagée", "Yanis : un comité d'habitant·es dès mars.")
    save(second)
    type_into_section(first, "La dimension partagée", "Camille : associer le conseil de maison.")
    # The document changed since Camille opened it: her save merges, without
    # JupyterLab's "File Changed" question (whose Revert would drop her sentence).
    save(first)
    assert first.locator(".jp-Dialog").count() == 0
    # The demo's interface is French: JupyterLab's language pack and journal_ext's catalogue.
    first.locator(".Toastify__toast", has_text="conflit dans 1 cellule").wait_for(timeout=15_000)
    # The notebook shows the merge by itself: both versions, with both names.
    cell = first.locator(".jp-MarkdownOutput", has_text="Yanis : un comité d'habitant·es dès mars.")
    cell.wait_for(timeout=15_000)
    assert "Camille : associer le conseil de maison." in cell.inner_text()
    assert "Yanis Haddad" in cell.inner_text() and "Camille Martin" in cell.inner_text()
    assert first.locator(".jp-Dialog").count() == 0
    first.context.close()
    second.context.close()


# The open notebook's active cell and how far it is scrolled.
READING_PLACE = """() => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  return { cell: notebook.activeCell.model.id, scroll: notebook.outerNode.scrollTop };
}"""


def cells_on_screen(page: Any) -> tuple[int, int]:
    """The open notebook's cells: as the notebook widget holds them, and as shown."""
    held = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets.length")
    return held, page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell").count()


def test_saves_one_after_the_other_merge_without_asking_and_reloads_never_duplicate(
    browser: Any, two_labs: tuple[Lab, Lab]
) -> None:
    camille, yanis = two_labs
    path = next(e for e in camille.api("api", "contents", "Journal", GROUP)["content"] if e["type"] == "notebook")[
        "path"
    ]
    first = open_notebook(browser, camille, path)
    second = open_notebook(browser, yanis, path)

    type_into_section(second, "Le territoire", " Yanis : la ligne de bus s'arrête tôt.")
    save(second)
    type_into_section(first, "Démarche et méthodes", " Camille : trois entretiens de plus en avril.")
    place = first.evaluate(READING_PLACE)
    save(first)
    first.locator(".Toastify__toast", has_text="fusionné").wait_for(timeout=15_000)
    assert first.locator(".jp-Dialog").count() == 0
    # Reloaded in place: the same active cell, scrolled as before.
    first.wait_for_timeout(500)
    after = first.evaluate(READING_PLACE)
    assert after["cell"] == place["cell"]
    assert abs(after["scroll"] - place["scroll"]) < 5
    # Both texts are kept, in the journal and on Camille's screen, where she was.
    served = camille.api("api", "contents", *path.split("/"))["content"]["cells"]
    texts = ["".join(cell["source"]) for cell in served]
    assert any("Yanis : la ligne de bus" in text for text in texts)
    assert any("Camille : trois entretiens" in text for text in texts)
    first.locator(".jp-MarkdownOutput", has_text="Yanis : la ligne de bus").wait_for(timeout=15_000)
    first.locator(".jp-MarkdownOutput", has_text="Camille : trois entretiens").wait_for(timeout=15_000)
    assert cells_on_screen(first) == (len(served), len(served))

    # Reloading from the journal, reverting to the checkpoint and restoring a
    # revision from the History panel each show the server's cells, once.
    first.evaluate("() => window.jupyterapp.commands.execute('docmanager:reload')")
    first.wait_for_timeout(1500)
    assert cells_on_screen(first) == (len(served), len(served))
    first.evaluate(
        "async () => { const context = window.jupyterapp.shell.currentWidget.context;"
        " await context.restoreCheckpoint(); await context.revert(); }"
    )
    first.wait_for_timeout(1500)
    assert cells_on_screen(first) == (len(served), len(served))
    first.locator(".jp-NotebookPanel:visible .jp-JournalHistory-toolbarButton").click()
    history = first.locator("#journal-ext-history")
    earlier = history.locator(".jp-JournalHistory-revision").nth(1)
    earlier.click()
    history.get_by_role("button", name="Restaurer cette version").click()
    first.locator(".jp-Dialog").get_by_role("button", name="Restaurer").click()
    first.locator(".jp-toast-message", has_text="restaurée").wait_for(timeout=15_000)
    first.wait_for_timeout(1500)
    restored = camille.api("api", "contents", *path.split("/"))["content"]["cells"]
    assert cells_on_screen(first) == (len(restored), len(restored))
    first.context.close()
    second.context.close()


def test_opening_a_document_titles_its_tab_without_renaming_it(browser: Any, two_labs: tuple[Lab, Lab]) -> None:
    """The tab shows the document's title; JupyterLab must not take the new label for a rename (a PATCH)."""
    camille, _ = two_labs
    patches: list[str] = []
    page = open_lab(browser, camille, "lab")
    page.on("request", lambda request: patches.append(request.url) if request.method == "PATCH" else None)
    page.goto(camille.lab_url("lab/tree/" + quote(f"Journal/{GROUP}/Diagnostic partagé.ipynb")))
    page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput").first.wait_for(timeout=60_000)
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current .lm-TabBar-tabLabel")
    tab.wait_for(timeout=10_000)
    page.wait_for_timeout(2_000)
    assert tab.inner_text() == "Diagnostic partagé"
    assert [url for url in patches if "/api/contents/" in url] == []
    page.close()

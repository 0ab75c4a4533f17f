"""Real-time collaboration (jupyter-collaboration) on a shared diagnostic: a room's saves merge with others'.

Camille's server runs jupyter-collaboration, so her notebook lives in a
collaboration room; Yanis saves the same diagnostic from his own server (the
contents API, as his JupyterLab does). What Camille typed a moment before
his save stays, in the journal and on her screen, beside his text.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from journal_ext.db import JournalStore

from .conftest import Lab, start_demo_lab, stop_lab
from .test_drive import GROUP, open_notebook, type_into_section


@pytest.fixture(scope="module")
def room_and_rest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, Lab]]:
    """Camille's server with collaboration and Yanis's without, on one demo journal."""
    tmp = tmp_path_factory.mktemp("collaboration")
    camille = start_demo_lab(tmp / "camille", "camille", root=tmp / "demo", collaboration=True)
    yanis = start_demo_lab(tmp / "yanis", "yanis", root=tmp / "demo")
    yield camille, yanis
    stop_lab(camille)
    stop_lab(yanis)


def stored(lab: Lab, path: str) -> tuple[int, list[str]]:
    """A document's revision and cell texts, as in the database."""
    document_id = lab.api("api", "contents", *path.split("/"))["content"]["metadata"]["journal"]["document_id"]
    with JournalStore(lab.db_path) as store:
        return store.document(document_id)["revision"], [cell.source for cell in store.cells(document_id)]


def save_through_contents_api(lab: Lab, path: str, heading: str, text: str) -> None:
    """Append a sentence to a section's writing cell and save, as JupyterLab does without collaboration."""
    model = lab.api("api", "contents", *path.split("/"))
    cells = model["content"]["cells"]
    prompt = next(i for i, cell in enumerate(cells) if heading in "".join(cell["source"]))
    answer = cells[prompt + 1]
    answer["source"] = "".join(answer["source"]) + text
    body = json.dumps({"type": "notebook", "format": "json", "content": model["content"]}).encode()
    request = urllib.request.Request(
        f"{lab.url}api/contents/{quote(path)}",
        data=body,
        method="PUT",
        headers={"Authorization": f"token {lab.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


def rendered(page: Any, text: str) -> Any:
    """The cells showing a text, rendered or in their editor (an empty cell stays in its editor)."""
    return page.locator(".jp-NotebookPanel:visible .jp-Cell", has_text=text)


def test_a_room_keeps_what_was_typed_when_someone_else_saves(browser: Any, room_and_rest: tuple[Lab, Lab]) -> None:
    camille, yanis = room_and_rest
    path = next(e for e in camille.api("api", "contents", "Journal", GROUP)["content"] if e["type"] == "notebook")[
        "path"
    ]
    before, _ = stored(yanis, path)
    page = open_notebook(browser, camille, path)
    # The notebook came from a collaboration room (jupyter-collaboration's own drive).
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.collaborative"), (
        "the notebook should be open in a collaboration room"
    )
    # Opening a room, starting its kernel and letting it autosave adds no revision.
    page.wait_for_timeout(4000)
    assert stored(yanis, path)[0] == before

    mine = " Camille : associer le conseil de maison au comité de suivi."
    theirs = " Yanis : croiser avec les chiffres de la CAF."
    type_into_section(page, "La dimension partagée", mine)
    # Within a second of her typing, before her room saves it, Yanis saves.
    save_through_contents_api(yanis, path, "Le territoire", theirs)

    # Both texts end up in the journal, and both are on Camille's screen.
    rendered(page, theirs.strip()).wait_for(timeout=20_000)
    rendered(page, mine.strip()).wait_for(timeout=20_000)
    page.wait_for_timeout(3000)
    _, texts = stored(yanis, path)
    assert any(mine.strip() in text for text in texts), "Camille's sentence was lost from the journal"
    assert any(theirs.strip() in text for text in texts), "Yanis's sentence was lost from the journal"
    # Still both on her screen once everything settled: nothing overwrote the room.
    assert rendered(page, theirs.strip()).count() == 1
    assert rendered(page, mine.strip()).count() == 1

    # Yanis saves again; Camille types and saves at once (Ctrl+S): no "File Changed" question.
    again = " Yanis : la maison de quartier ferme l'été."
    save_through_contents_api(yanis, path, "La faisabilité du projet", again)
    more = " Camille : demander les horaires d'été."
    type_into_section(page, "Enjeux et pistes d'action", more)
    page.keyboard.press("Control+s")
    rendered(page, again.strip()).wait_for(timeout=20_000)
    page.wait_for_timeout(3000)
    assert page.locator(".jp-Dialog").count() == 0
    _, texts = stored(yanis, path)
    for sentence in (mine, theirs, again, more):
        assert any(sentence.strip() in text for text in texts), f"lost from the journal: {sentence}"
        assert rendered(page, sentence.strip()).count() == 1, f"not shown once: {sentence}"
    page.context.close()

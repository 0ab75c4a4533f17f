"""A collaboration room on a journal notebook (jupyter-collaboration's YNotebook) merges with others' saves.

The room here is jupyter_ydoc's real shared notebook, fed and saved through
the drive as jupyter-collaboration does; the browser test
(tests/browser/test_collaboration.py) runs the same with a real room in a real JupyterLab.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from journal_ext.core.documents import create_from_template
from journal_ext.core.notebooks import JOURNAL_KEY
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore
from journal_ext.server.drive import JournalDrive
from journal_ext.server.rooms import RoomWatcher

from .conftest import COHORT, GROUP_A

jupyter_ydoc = pytest.importorskip("jupyter_ydoc")

ROOM = "json:notebook:file-1"


def answer_index(notebook: dict[str, Any], section: str) -> int:
    return next(
        i
        for i, cell in enumerate(notebook["cells"])
        if cell["metadata"].get(JOURNAL_KEY, {}).get("role") == "answer"
        and cell["metadata"][JOURNAL_KEY]["section"] == section
    )


@pytest.fixture
def diagnostic(cohort_store: JournalStore) -> SimpleNamespace:
    """Camille's group's shared diagnostic, with Camille's and Yanis's Journal/ drives on it."""
    store = cohort_store
    group_id = store.group(f"{COHORT}/{GROUP_A}")["id"]
    version = next(v for v in store.group_templates(group_id) if v["kind"] == "shared_diagnostic")
    document = create_from_template(
        store, viewer_for(store, "camille"), template_version_id=version["id"], group_id=group_id
    )
    hers = JournalDrive(lambda: store, lambda: viewer_for(store, "camille"))
    his = JournalDrive(lambda: store, lambda: viewer_for(store, "yanis"))
    return SimpleNamespace(store=store, document=document, hers=hers, his=his, path=hers._path_of(document["id"]))


def test_a_room_gets_another_persons_save_merged_and_keeps_what_was_typed(diagnostic: SimpleNamespace) -> None:
    store, document, hers, his, path = (
        diagnostic.store,
        diagnostic.document,
        diagnostic.hers,
        diagnostic.his,
        diagnostic.path,
    )

    # Camille's room loads the notebook, as jupyter-collaboration does.
    room = jupyter_ydoc.YNotebook()
    room.set(hers.get(path)["content"])
    collaboration = SimpleNamespace(ywebsocket_server=SimpleNamespace(rooms={ROOM: room}), file_loaders={})
    watcher = RoomWatcher(collaboration, hers, SimpleNamespace(get_path=lambda file_id: path))
    assert hers.in_room(path)
    held = hers.get(path, content=False)["last_modified"]
    # Nothing newer in the journal: nothing to do.
    assert not watcher.update_room(path, ROOM, room)

    # She types in the territory section; her room has not saved it yet.
    her_text = room.ycells[answer_index(room.get(), "territory")]["source"]
    her_text += " Camille : le marché du jeudi."
    # Meanwhile Yanis saves the feasibility section from his own server.
    notebook = his.get(path)["content"]
    notebook["cells"][answer_index(notebook, "feasibility")]["source"] += " Yanis : un local prêté par la mairie."
    his.save({"type": "notebook", "content": notebook}, path)

    # Her room's watch sees no change of time, so it never puts his version in place of hers.
    assert hers.get(path, content=False)["last_modified"] == held
    # The watcher merges: both sentences, in the journal and in her room.
    assert watcher.update_room(path, ROOM, room)
    shown = room.get()
    assert "Camille : le marché du jeudi." in shown["cells"][answer_index(shown, "territory")]["source"]
    assert "Yanis : un local prêté par la mairie." in shown["cells"][answer_index(shown, "feasibility")]["source"]
    stored = "\n".join(cell.source for cell in store.cells(document["id"]))
    assert "Camille : le marché du jeudi." in stored and "Yanis : un local prêté par la mairie." in stored
    # The room now holds the latest revision: its time is the journal's again.
    assert hers.get(path, content=False)["last_modified"] > held
    assert not hers.behind(path)

    # The room's own save of what it shows adds no revision.
    revision = store.document(document["id"])["revision"]
    hers.save({"type": "notebook", "content": room.get()}, path)
    assert store.document(document["id"])["revision"] == revision


def test_without_a_room_the_drive_reports_the_journals_time(diagnostic: SimpleNamespace) -> None:
    hers, his, path = diagnostic.hers, diagnostic.his, diagnostic.path
    held = hers.get(path, content=True)["last_modified"]
    notebook = his.get(path)["content"]
    notebook["cells"][answer_index(notebook, "feasibility")]["source"] += " Yanis."
    his.save({"type": "notebook", "content": notebook}, path)
    assert hers.get(path, content=False)["last_modified"] > held

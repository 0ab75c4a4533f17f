"""Journal/ composes with however the server's contents manager is configured, in real servers.

The class set on the command line or in a config file, a synchronous manager,
a manager older than ``require_hash``, and extensions linked after journal_ext
(which apply the server's configuration again): in each case Journal/ lists,
creates a document from the group's template, saves and reopens it, and the
user's own notebooks are still saved and opened by the configured manager.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from journal_ext.db import JournalStore

from .conftest import build_cohort
from .servers import Server, start_server, stop_server, wait_until_up

SYNC = "jupyter_server.services.contents.filemanager.FileContentsManager"
ASYNC_LARGE = "jupyter_server.services.contents.largefilemanager.AsyncLargeFileManager"
NO_HASH = "tests.managers.NoHashContentsManager"
# Extensions linked after journal_ext apply the server's configuration again.
EXTENSIONS = ("journal_ext", "jupyter_server_terminals", "jupyterlab")

SETUPS: dict[str, dict[str, Any]] = {
    "command line, sync manager": {"extra_args": [f"--ServerApp.contents_manager_class={SYNC}"]},
    "config file, async manager": {
        "config": f'c.ServerApp.contents_manager_class = "{ASYNC_LARGE}"\n',
    },
    "config file, sync manager": {
        "config": f'c.ServerApp.contents_manager_class = "{SYNC}"\n',
    },
    "manager without require_hash": {"extra_args": [f"--ServerApp.contents_manager_class={NO_HASH}"]},
    # jupytext derives its manager from the configured one when its extension loads (after journal_ext's)...
    "jupytext's extension": {"extensions": (*EXTENSIONS, "jupyterlab_jupytext")},
    # ...or is the configured class, as its documentation sets it up.
    "jupytext configured": {
        "extensions": (*EXTENSIONS, "jupyterlab_jupytext"),
        "config": 'c.ServerApp.contents_manager_class = "jupytext.TextFileContentsManager"\n',
    },
    "jupytext pairing every notebook with a script": {
        "extensions": (*EXTENSIONS, "jupyterlab_jupytext"),
        "root_files": {"jupytext.toml": 'formats = "ipynb,py:percent"\n'},
    },
}


@pytest.fixture
def journal_file(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    with JournalStore(path) as store:
        build_cohort(store)
    return path


@pytest.mark.parametrize("setup", list(SETUPS), ids=list(SETUPS))
def test_journal_folder_with_a_configured_contents_manager(tmp_path: Path, journal_file: Path, setup: str) -> None:
    options = {"extensions": EXTENSIONS, **SETUPS[setup]}
    root_files = options.pop("root_files", {})
    server = start_server(tmp_path, journal_file, "camille", **options)
    for name, text in root_files.items():
        (tmp_path / "server-camille" / "root" / name).write_text(text, encoding="utf-8")
    try:
        wait_until_up(server)
        check_journal_and_own_files(server)
        if root_files:
            # The user's notebook got its paired script; the journal's documents none.
            status, script, _ = server.request("GET", "api/contents/mes-notes.py")
            assert status == 200, script
            assert "Mes notes à moi" in script["content"]["cells"][0]["source"]
            status, listing, _ = server.request("GET", "api/contents/Journal/Mon%20journal")
            assert [e["name"] for e in listing["content"] if not e["name"].endswith(".ipynb")] == []
    finally:
        stop_server(server)
    log = server.log.read_text(encoding="utf-8")
    assert "Traceback" not in log, log[-3000:]


def check_journal_and_own_files(server: Server) -> None:
    # The root lists Journal/ beside the user's files; Journal/ lists its standing folders.
    status, root, _ = server.request("GET", "api/contents/")
    assert status == 200, root
    assert "Journal" in [entry["name"] for entry in root["content"]]
    status, folder, _ = server.request("GET", "api/contents/Journal")
    assert status == 200, folder
    assert {"Mon journal", "Terrain"} <= {entry["name"] for entry in folder["content"]}

    # New notebook in Mon journal/: a document from the group's template, saved and reopened.
    status, created, _ = server.request("POST", "api/contents/Journal/Mon%20journal", {"type": "notebook"})
    assert status == 201, created
    path = created["path"]
    status, model, _ = server.request("GET", server.contents(path))
    assert status == 200, model
    notebook = model["content"]
    assert notebook["metadata"]["journal"]["kind"] == "learning_journal"
    answer = next(c for c in notebook["cells"] if (c["metadata"].get("journal") or {}).get("role") == "answer")
    answer["source"] = "Première visite au centre social."
    status, saved, _ = server.request(
        "PUT", server.contents(path), {"type": "notebook", "format": "json", "content": notebook}
    )
    assert status == 200, saved
    status, reopened, _ = server.request("GET", server.contents(path))
    assert "Première visite au centre social." in [c["source"] for c in reopened["content"]["cells"]]
    assert reopened["content"]["metadata"]["journal"]["revision"] == 2

    # The user's own notebook goes through the configured manager, as before.
    # As JupyterLab sends it: each source one text (nbformat's file format splits it into lines).
    own = json.loads(json.dumps(new_notebook(cells=[new_markdown_cell("Mes notes à moi")])))
    status, saved, _ = server.request(
        "PUT", "api/contents/mes-notes.ipynb", {"type": "notebook", "format": "json", "content": own}
    )
    assert status in (200, 201), saved
    status, mine, _ = server.request("GET", "api/contents/mes-notes.ipynb")
    assert status == 200, mine
    assert mine["content"]["cells"][0]["source"] == "Mes notes à moi"


def test_the_wrapper_keeps_the_manner_of_the_manager_it_wraps() -> None:
    """Other extensions tell sync from async managers by their methods (jupytext does): the wrapper keeps both."""
    import inspect

    from jupyter_server.services.contents.filemanager import AsyncFileContentsManager, FileContentsManager

    from journal_ext.server.drive import _CONTENTS_METHODS, wrap_contents_manager

    from .managers import NoHashContentsManager

    def no_drive(_manager: Any) -> Any:
        raise AssertionError("not called")

    asynchronous = wrap_contents_manager(AsyncFileContentsManager, no_drive)
    synchronous = wrap_contents_manager(FileContentsManager, no_drive)
    assert all(inspect.iscoroutinefunction(getattr(asynchronous, name)) for name in _CONTENTS_METHODS)
    assert not any(inspect.iscoroutinefunction(getattr(synchronous, name)) for name in _CONTENTS_METHODS)
    assert "require_hash" in inspect.signature(asynchronous.get).parameters
    assert (
        "require_hash" not in inspect.signature(wrap_contents_manager(NoHashContentsManager, no_drive).get).parameters
    )
    assert wrap_contents_manager(asynchronous, no_drive) is asynchronous


def test_a_manager_that_cannot_be_wrapped_is_said_loudly_at_start_up(tmp_path: Path, journal_file: Path) -> None:
    server = start_server(
        tmp_path,
        journal_file,
        "camille",
        extensions=EXTENSIONS,
        extra_args=["--ServerApp.contents_manager_class=tests.managers.UnwrappableContentsManager"],
    )
    try:
        wait_until_up(server)
        # The server runs on, with the user's files, and without Journal/.
        status, root, _ = server.request("GET", "api/contents/")
        assert status == 200, root
        assert "Journal" not in [entry["name"] for entry in root["content"]]
    finally:
        stop_server(server)
    log = server.log.read_text(encoding="utf-8")
    error_lines = [line for line in log.splitlines() if "journal_ext: the Journal/ folder is not available" in line]
    assert error_lines, log[-3000:]
    assert error_lines[0].startswith("[E ")
    assert "can't be subclassed" in error_lines[0]

"""Whose outputs run in whose browser: trust is decided per reader, never by what a notebook says.

Through real servers, one per person, on one journal file: a learner saves a
shared diagnostic whose code cell claims ``"trusted": true`` and carries
JavaScript and a ``<script>``; the tutor and the co-writer get it untrusted
(JupyterLab then shows the output as text and runs nothing), the learner,
who vouched for it, gets it trusted. The servers share one Jupyter data dir
(one notary secret), the worst case: the people of a shared account.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import nbformat
import pytest

from journal_ext.core.documents import create_from_template
from journal_ext.core.permissions import viewer_for
from journal_ext.core.trust import ReaderNotaries
from journal_ext.db import JournalStore

from .conftest import GROUP_A, build_cohort
from .servers import Server, servers

SCRIPT = "document.title = 'pwned'; fetch('/journal-ext-pwned'); alert('pwned');"


def hostile_cell(source: str = "print('bonjour')", script: str = SCRIPT) -> dict[str, Any]:
    """A code cell that says it is trusted, with JavaScript and an HTML script among its outputs."""
    return {
        "cell_type": "code",
        "id": "hostile",
        "metadata": {"trusted": True},
        "execution_count": 1,
        "source": source,
        "outputs": [
            {"output_type": "display_data", "metadata": {}, "data": {"application/javascript": script}},
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {"text/html": f"<b>Bonjour</b><script>{script}</script>", "text/plain": "Bonjour"},
            },
        ],
    }


def trusted_flags(server: Server, path: str) -> dict[str, Any]:
    """Each code cell's ``trusted`` as the server serves the notebook to its user."""
    status, model, _ = server.request("GET", server.contents(path))
    assert status == 200, model
    return {c["id"]: c["metadata"].get("trusted") for c in model["content"]["cells"] if c["cell_type"] == "code"}


def save(server: Server, path: str, notebook: dict[str, Any]) -> tuple[int, Any]:
    status, answer, _ = server.request(
        "PUT", server.contents(path), {"type": "notebook", "format": "json", "content": notebook}
    )
    return status, answer


@pytest.fixture
def diagnostic_db(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "journal.db"
    with JournalStore(path) as store:
        build_cohort(store)
        group_id = store.group(GROUP_A)["id"]
        version = next(v for v in store.group_templates(group_id) if v["kind"] == "shared_diagnostic")
        document = create_from_template(
            store, viewer_for(store, "camille"), template_version_id=version["id"], group_id=group_id
        )
    return path, document["id"]


def test_a_self_declared_trusted_output_runs_for_no_one_but_its_writer(tmp_path: Path, diagnostic_db):
    db_path, document_id = diagnostic_db
    with servers(tmp_path, db_path, ["camille", "yanis", "nadia"]) as by_user:
        camille, yanis, nadia = by_user["camille"], by_user["yanis"], by_user["nadia"]
        paths = {}
        for user, server in by_user.items():
            status, summary, _ = server.request("GET", f"journal/api/documents/{document_id}")
            assert status == 200, summary
            paths[user] = summary["path"]
        status, model, _ = camille.request("GET", camille.contents(paths["camille"]))
        notebook = model["content"]
        notebook["cells"].append(hostile_cell())
        status, answer = save(camille, paths["camille"], notebook)
        assert status == 200, answer

        # The writer vouched for it: trusted for her. Nobody else: never.
        assert trusted_flags(camille, paths["camille"]) == {"hostile": True}
        assert trusted_flags(yanis, paths["yanis"]) == {"hostile": False}
        assert trusted_flags(nadia, paths["nadia"]) == {"hostile": False}
        # What a saver says about trust is never stored.
        with JournalStore(db_path) as store:
            assert all("trusted" not in c.metadata for c in store.cells(document_id))

        # Yanis, a co-writer, puts his own script in the cell and vouches for it:
        # trusted for him, and now for neither Camille nor Nadia.
        _, model, _ = yanis.request("GET", yanis.contents(paths["yanis"]))
        notebook = model["content"]
        cell = next(c for c in notebook["cells"] if c["id"] == "hostile")
        cell.update(hostile_cell(script="alert('yanis');"))
        status, answer = save(yanis, paths["yanis"], notebook)
        assert status == 200, answer
        assert trusted_flags(yanis, paths["yanis"]) == {"hostile": True}
        assert trusted_flags(camille, paths["camille"]) == {"hostile": False}
        assert trusted_flags(nadia, paths["nadia"]) == {"hostile": False}

        # Camille runs the cell again (JupyterLab marks a cell it ran as trusted) and saves:
        # her own re-run output is trusted for her again, still for no one else.
        _, model, _ = camille.request("GET", camille.contents(paths["camille"]))
        notebook = model["content"]
        cell = next(c for c in notebook["cells"] if c["id"] == "hostile")
        cell["outputs"] = [
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {"text/html": "<i>relancé</i>", "text/plain": "relancé"},
            }
        ]
        cell["metadata"]["trusted"] = True
        status, answer = save(camille, paths["camille"], notebook)
        assert status == 200, answer
        assert trusted_flags(camille, paths["camille"]) == {"hostile": True}
        assert trusted_flags(yanis, paths["yanis"]) == {"hostile": False}
        assert trusted_flags(nadia, paths["nadia"]) == {"hostile": False}

        # The tutor can't save into it, trusted or not.
        _, model, _ = nadia.request("GET", nadia.contents(paths["nadia"]))
        for cell in model["content"]["cells"]:
            cell["metadata"]["trusted"] = True
        status, answer = save(nadia, paths["nadia"], model["content"])
        assert status == 403, answer
        assert trusted_flags(nadia, paths["nadia"]) == {"hostile": False}


def test_a_save_that_merges_someone_elses_code_signs_nothing_for_the_saver(tmp_path: Path, diagnostic_db):
    """Camille saves from an old copy after Yanis changed the code cell: the merged notebook isn't hers to trust."""
    db_path, document_id = diagnostic_db
    with servers(tmp_path, db_path, ["camille", "yanis"]) as by_user:
        camille, yanis = by_user["camille"], by_user["yanis"]
        path = camille.request("GET", f"journal/api/documents/{document_id}")[1]["path"]
        yanis_path = yanis.request("GET", f"journal/api/documents/{document_id}")[1]["path"]
        notebook = camille.request("GET", camille.contents(path))[1]["content"]
        notebook["cells"].append({**hostile_cell(), "outputs": [], "metadata": {}})
        assert save(camille, path, notebook)[0] == 200
        mine = camille.request("GET", camille.contents(path))[1]["content"]
        # Yanis rewrites the code cell and adds its output...
        theirs = yanis.request("GET", yanis.contents(yanis_path))[1]["content"]
        next(c for c in theirs["cells"] if c["id"] == "hostile").update(
            hostile_cell(source="print('yanis')", script="alert('yanis');")
        )
        assert save(yanis, yanis_path, theirs)[0] == 200
        # ...while Camille edits a text cell of her older copy and saves, everything marked trusted.
        answer_cell = next(c for c in mine["cells"] if c["cell_type"] == "markdown" and c["source"] != "")
        answer_cell["source"] += "\n\nUne phrase de plus."
        for cell in mine["cells"]:
            cell["metadata"]["trusted"] = True
        status, answer = save(camille, path, mine)
        assert status == 200, answer
        with JournalStore(db_path) as store:
            cell = next(c for c in store.cells(document_id) if c.cell_id == "hostile")
            assert "yanis" in str(cell.outputs)  # the merge took Yanis's cell, output included
        assert trusted_flags(camille, path) == {"hostile": False}


def test_each_reader_has_a_notary_of_their_own(tmp_path: Path):
    from nbformat.sign import NotebookNotary

    base = NotebookNotary(data_dir=str(tmp_path), db_file=":memory:", secret=b"server secret")
    notaries = ReaderNotaries(base)
    notebook = nbformat.from_dict(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [hostile_cell()],
        }
    )
    assert notaries.saver_trusts(copy.deepcopy(notebook))
    untrusted = copy.deepcopy(notebook)
    untrusted.cells[0].metadata = {}
    assert not notaries.saver_trusts(untrusted), "a script the saver did not vouch for"
    signed = copy.deepcopy(notebook)
    notaries.sign_for("camille", signed)
    for user, expected in (("camille", True), ("nadia", False), ("yanis", False)):
        served = copy.deepcopy(notebook)
        served.cells[0].metadata = {"trusted": True}  # a stored flag (older versions) counts for nothing
        notaries.mark_for_reader(user, served)
        assert served.cells[0].metadata == {"trusted": expected}, user

"""Two people saving the same shared diagnostic from two processes: every line either typed survives."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Any

from journal_ext.core.merge import CONFLICT_MARK
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore
from journal_ext.server.drive import JournalDrive

from .conftest import answer_of, shared_diagnostic

ROUNDS = 40


def editor(db_path: str, user: str, own_section: str, path: str, typed_file: str, start: Any) -> None:
    """One person's editor: types a line, saves, and now and then reloads, like JupyterLab does."""
    store = JournalStore(db_path)
    drive = JournalDrive(lambda: store, lambda: viewer_for(store, user))
    notebook = json.loads(json.dumps(drive.get(path)["content"]))
    start.wait(timeout=60)
    typed = []
    for n in range(ROUNDS):
        shared_line = f"{user} commande {n}"
        own_line = f"{user} {own_section} {n}"
        answer_of(notebook, "commission")["source"] += f"\n{shared_line}"
        answer_of(notebook, own_section)["source"] += f"\n{own_line}"
        saved = drive.save({"type": "notebook", "content": notebook}, path)
        typed += [shared_line, own_line]
        Path(typed_file).write_text("\n".join(typed), encoding="utf-8")
        if saved["journal"]["conflicts"] or n % 7 == 6:
            notebook = json.loads(json.dumps(drive.get(path)["content"]))
    store.close()


def test_two_processes_saving_one_diagnostic_lose_no_line(tmp_path: Path) -> None:
    db_path = tmp_path / "journal.db"
    document_id, path = shared_diagnostic(db_path)

    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [
        context.Process(target=editor, args=(str(db_path), user, section, path, str(tmp_path / f"{user}.txt"), start))
        for user, section in (("camille", "territory"), ("yanis", "feasibility"))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0

    with JournalStore(db_path) as store:
        text = "\n".join(cell.source for cell in store.cells(document_id))
        assert store.integrity_check() == "ok"
        authors = {c.author for c in store.cells(document_id) if c.section_key in ("territory", "feasibility")}
        revisions = store.document(document_id)["revision"]
        merged_saves = [
            r for r in store.revisions(document_id) if r["summary"].get("merged") or r["summary"].get("conflicts")
        ]
        print(f"{revisions} revisions, {len(merged_saves)} merged saves, {text.count(CONFLICT_MARK)} conflict blocks")
    typed = [line for user in ("camille", "yanis") for line in (tmp_path / f"{user}.txt").read_text().splitlines()]
    assert len(typed) == 4 * ROUNDS
    missing = [line for line in typed if line not in text]
    assert missing == []
    assert "La commande du centre social." in text
    assert authors == {"camille", "yanis"}
    assert revisions >= 2 * ROUNDS
    # The two editors really did save over each other's changes.
    assert merged_saves

"""Journal drive vs jupyter_server's plain file contents manager: get and save of notebooks of 10 / 50 / 200 cells.

Both are reached the way the contents REST handler reaches them (``await
manager.get(path)`` / ``await manager.save(model, path)``): the journal side is
the server's default ``AsyncLargeFileManager`` wrapped by journal_ext, the
plain side that same class alone, writing ``.ipynb`` files to disk. Each save
changes one cell's text, as a person typing then saving does.
"""

from __future__ import annotations

import asyncio
import copy
import os
from pathlib import Path
from typing import Any

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore
from journal_ext.server.drive import JournalDrive, wrap_contents_manager

from .corpus import TextMaker, build_people, entry_cells
from .measure import Figure, percentile

SUITE = "contents"
SAVE_TARGET = 1.5


def _managers(root: Path, db_path: Path, user: str) -> tuple[Any, Any, JournalStore]:
    store = JournalStore(db_path)
    journal_class = wrap_contents_manager(
        AsyncLargeFileManager, lambda _manager: JournalDrive(lambda: store, lambda: viewer_for(store, user))
    )
    plain = AsyncLargeFileManager(root_dir=str(root))
    journal = journal_class(root_dir=str(root))
    return plain, journal, store


async def _run(workdir: Path, sizes: tuple[int, ...], rounds: int) -> list[Figure]:
    workdir.mkdir(parents=True, exist_ok=True)
    root = workdir / "files"
    root.mkdir(exist_ok=True)
    db_path = workdir / "contents.db"
    maker = TextMaker(seed=11)
    with JournalStore(db_path) as store:
        world = build_people(store)
        user = world.learners[0]
        group_id = world.group_of[user]
        # A learner with a realistic handful of other entries beside the ones measured.
        for n in range(30):
            store.create_document(
                kind="learning_journal",
                title=f"Autre entrée {n}",
                owner=user,
                group_id=group_id,
                visibility="tutors",
                template_version_id=None,
                cells=entry_cells(f"Autre entrée {n}", [maker.text(600) for _ in range(5)]),
            )
        titles = {}
        for cells in sizes:
            title = f"Entrée de {cells} cellules"
            store.create_document(
                kind="learning_journal",
                title=title,
                owner=user,
                group_id=group_id,
                visibility="tutors",
                template_version_id=None,
                cells=entry_cells(title, [maker.text(800) for _ in range(cells - 1)]),
            )
            titles[cells] = title
    plain, journal, store = _managers(root, db_path, user)
    figures: list[Figure] = []
    try:
        folder = (await journal.get("Journal", content=True))["content"]
        mine = next(entry for entry in folder if entry["type"] == "directory" and entry["name"] == "Mon journal")
        for cells in sizes:
            journal_path = f"{mine['path']}/{titles[cells]}.ipynb"
            model = await journal.get(journal_path)
            plain_path = f"entry-{cells}.ipynb"
            await plain.save(
                {"type": "notebook", "format": "json", "content": copy.deepcopy(model["content"])}, plain_path
            )
            times: dict[str, list[float]] = {"journal get": [], "plain get": [], "journal save": [], "plain save": []}
            journal_nb = model["content"]
            plain_nb = (await plain.get(plain_path))["content"]
            for n in range(rounds):
                # Alternate which side goes first, so neither gets a warmer cache.
                order = (("journal", journal, journal_path), ("plain", plain, plain_path))
                for side, manager, path in order if n % 2 == 0 else order[::-1]:
                    start = asyncio.get_running_loop().time()
                    got = await manager.get(path)
                    times[f"{side} get"].append((asyncio.get_running_loop().time() - start) * 1000)
                    notebook = journal_nb if side == "journal" else plain_nb
                    cell = notebook["cells"][1 + n % (cells - 1)]
                    cell["source"] = maker.text(800) + f" (enregistrement {n})"
                    start = asyncio.get_running_loop().time()
                    await manager.save({"type": "notebook", "format": "json", "content": notebook}, path)
                    times[f"{side} save"].append((asyncio.get_running_loop().time() - start) * 1000)
                    assert got["type"] == "notebook"
            for action in ("get", "save"):
                ours = percentile(times[f"journal {action}"], 50)
                base = percentile(times[f"plain {action}"], 50)
                is_save = action == "save"
                figures.append(
                    Figure(
                        SUITE,
                        f"{action} a notebook of {cells} cells (median)",
                        ours,
                        "ms",
                        baseline=base,
                        baseline_name="AsyncLargeFileManager (.ipynb on disk)",
                        target=f"<= {SAVE_TARGET}x" if is_save else "",
                        met=(ours / base <= SAVE_TARGET) if is_save else None,
                        details={
                            "journal_p95_ms": percentile(times[f"journal {action}"], 95),
                            "plain_p95_ms": percentile(times[f"plain {action}"], 95),
                            "rounds": rounds,
                        },
                    )
                )
        revisions = store.document(
            next(d["id"] for d in store.list_documents(owner=user) if d["title"] == titles[sizes[-1]])
        )["revision"]
        assert revisions == rounds + 1, f"expected {rounds + 1} revisions, found {revisions}"
    finally:
        store.close()
    return figures


def run(workdir: Path, *, quick: bool) -> list[Figure]:
    """Get and save timings, journal drive against the plain file manager."""
    # The notary database that signs notebooks lives in the data dir: keep it in the workdir.
    os.environ.setdefault("JUPYTER_DATA_DIR", str(workdir / "jupyter-data"))
    sizes = (10, 50) if quick else (10, 50, 200)
    return asyncio.run(_run(workdir / "contents", sizes, rounds=4 if quick else 30))

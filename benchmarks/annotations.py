"""Recording 1,000 tutor annotations vs nbgrader's Gradebook recording 1,000 comments.

Ours: ``journal_ext.core.annotations.create_annotation`` as a tutor (what the REST
handler calls: permission checks, the passage checked against the saved cell,
quote selectors, one write transaction), on learners' entries. nbgrader's:
the formgrader's path for a comment, ``Gradebook.find_comment_by_id`` then
``manual_comment = …`` and a commit, on a gradebook with as many submitted
cells. nbgrader runs in its own virtual environment, ``benchmarks/.venv-nbgrader``,
made on first use (``pip install nbgrader``), so that it never becomes a
dependency of journal_ext or of its tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from journal_ext.core.annotations import create_annotation
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore

from .corpus import build_database, world_of
from .measure import Figure

HERE = Path(__file__).resolve().parent
NBGRADER_VENV = HERE / ".venv-nbgrader"
NBGRADER_VERSION = "0.9.6"
SPEEDUP_TARGET = 10.0


def record_annotations(workdir: Path, count: int) -> dict[str, float]:
    """Seconds to record ``count`` annotations as a tutor, and the store-only write for comparison."""
    db_path = workdir / "annotations.db"
    for old in workdir.glob("annotations.db*"):
        old.unlink()
    build_database(db_path, cells=max(100, count // 5) * 10)
    with JournalStore(db_path) as store:
        world = world_of(store)
        tutor = viewer_for(store, world.tutors[0])
        followed = {m.group_id for m in tutor.memberships}
        targets = []
        for document in store.list_documents(group_ids=sorted(followed)):
            for cell in store.cells(document["id"])[1:]:
                targets.append((document["id"], cell))
        began = time.perf_counter()
        for n in range(count):
            document_id, cell = targets[n % len(targets)]
            start = (n * 7) % max(1, len(cell.source) - 40)
            create_annotation(
                store,
                tutor,
                document_id,
                {
                    "cell_id": cell.cell_id,
                    "start": start,
                    "end": start + 30,
                    "exact": cell.source[start : start + 30],
                    "body": f"Commentaire {n} : à développer avec un exemple du terrain.",
                },
            )
        seconds = time.perf_counter() - began
        assert store.counts()["annotations"] == count
    return {"seconds": seconds, "per_annotation_ms": seconds * 1000 / count}


def nbgrader_python() -> Path:
    """The benchmark's own environment with nbgrader, made on first use."""
    python = NBGRADER_VENV / "bin" / "python"
    if not python.exists() or subprocess.run([str(python), "-c", "import nbgrader"], capture_output=True).returncode:
        subprocess.run([sys.executable, "-m", "venv", str(NBGRADER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"nbgrader=={NBGRADER_VERSION}"], check=True)
    return python


def record_nbgrader_comments(workdir: Path, count: int) -> dict[str, float]:
    """Seconds nbgrader's Gradebook takes to record ``count`` comments (run in its own environment)."""
    python = nbgrader_python()
    # The Gradebook runs its environment's `alembic` command when it opens a file.
    env = dict(os.environ, PATH=f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    answer = subprocess.run(
        [str(python), str(HERE / "nbgrader_comments.py"), str(workdir / "gradebook.db"), str(count)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return dict(json.loads(answer.stdout.strip().splitlines()[-1]))


def run(workdir: Path, *, quick: bool, with_nbgrader: bool = True) -> list[Figure]:
    """Annotations per second against nbgrader's comments."""
    count = 100 if quick else 1000
    folder = workdir / "annotations"
    folder.mkdir(parents=True, exist_ok=True)
    ours = record_annotations(folder, count)
    theirs = record_nbgrader_comments(folder, count) if with_nbgrader else None
    if theirs is None:
        return [
            Figure(
                "annotations",
                f"record {count} tutor annotations",
                ours["seconds"] * 1000,
                "ms",
                note="nbgrader not run",
            )
        ]
    speedup = theirs["seconds"] / ours["seconds"]
    return [
        Figure(
            "annotations",
            f"record {count:,} tutor annotations",
            ours["seconds"] * 1000,
            "ms",
            baseline=theirs["seconds"] * 1000,
            baseline_name=f"nbgrader {theirs.get('version', NBGRADER_VERSION)} Gradebook, {count:,} comments",
            target=f">= {SPEEDUP_TARGET:.0f}x faster (ratio <= {1 / SPEEDUP_TARGET:.2f})",
            met=speedup >= SPEEDUP_TARGET,
            note=f"{ours['per_annotation_ms']:.2f} ms an annotation vs {theirs['per_comment_ms']:.2f} ms a comment: {speedup:.1f}x faster",
            details={"ours": ours, "nbgrader": theirs},
        )
    ]

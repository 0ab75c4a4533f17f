"""Time nbgrader's Gradebook recording comments; run inside benchmarks/.venv-nbgrader, prints one JSON line.

Usage: python nbgrader_comments.py GRADEBOOK.db COUNT

The gradebook gets one assignment with a notebook of 10 solution cells and
COUNT / 10 students who submitted it; then each comment is recorded as
nbgrader's formgrader records one (find the comment by id, set its text,
commit). Only the recording is timed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbgrader
from nbgrader.api import Gradebook

CELLS = 10


def main(path: str, count: int) -> None:
    Path(path).unlink(missing_ok=True)
    with Gradebook(f"sqlite:///{path}") as gradebook:
        gradebook.add_assignment("journal")
        gradebook.update_or_create_notebook("entry", "journal")
        for n in range(CELLS):
            gradebook.add_solution_cell(f"section{n}", "entry", "journal")
        students = max(1, count // CELLS)
        for n in range(students):
            gradebook.add_student(f"learner{n:03d}")
            gradebook.add_submission("journal", f"learner{n:03d}")
        comment_ids = [
            gradebook.find_comment(
                f"section{n % CELLS}", "entry", "journal", f"learner{(n // CELLS) % students:03d}"
            ).id
            for n in range(count)
        ]
        began = time.perf_counter()
        for n, comment_id in enumerate(comment_ids):
            comment = gradebook.find_comment_by_id(comment_id)
            comment.manual_comment = f"Commentaire {n} : à développer avec un exemple du terrain."
            gradebook.db.commit()
        seconds = time.perf_counter() - began
    print(json.dumps({"seconds": seconds, "per_comment_ms": seconds * 1000 / count, "version": nbgrader.__version__}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

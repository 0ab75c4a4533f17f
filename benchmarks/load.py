"""Search while writers run, and the product-shaped run (learners saving about once a second, tutors searching).

Search is measured through ``journal_ext.core.search.search`` (what the REST
handler calls: the permission filter, the full-text query, the paths) as a
tutor following four groups of four learners, for a rare word and for a word
in most cells. Its baseline, measured alternately in the same run, is the
query search used before: FTS5 ordered by rank over every match.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from journal_ext.core import search
from journal_ext.core.documents import visible_documents
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore
from journal_ext.db.rows import SNIPPET_END, SNIPPET_START
from journal_ext.server.drive import JournalDrive

from .corpus import COMMON_TERM, RARE_TERM, TextMaker, copy_database, world_of
from .measure import Figure, percentile

SEARCH_TARGET_MS = 50.0
SAVE_P95_TARGET_MS = 50.0
SAVE_P99_TARGET_MS = 100.0
WAL_TARGET_MB = 64.0

# The query search_cells ran before it bounded ranking: rank scored for every match.
RANK_EVERY_MATCH = """
    SELECT cells.document_id, cells.cell_id, cells.section_key,
           snippet([cells_fts], 0, :start, :end, '…', 16) AS snippet, [cells_fts].rank AS rank
    FROM [cells_fts]
    JOIN cells ON cells.id = [cells_fts].rowid
    JOIN documents ON documents.id = cells.document_id
    WHERE [cells_fts] MATCH :match
      AND cells.document_id IN (SELECT value FROM json_each(:document_ids))
      AND documents.deleted_at IS NULL
      AND COALESCE(json_extract(cells.metadata, '$.journal.role'), '') NOT IN ('prompt')
    ORDER BY [cells_fts].rank, cells.document_id, cells.position
    LIMIT 51
"""


def _rank_every_match(store: JournalStore, viewer: Any, word: str) -> list[Any]:
    ids = json.dumps(sorted(d["id"] for d in visible_documents(store, viewer)))
    return list(
        store.db.query(
            RANK_EVERY_MATCH, {"start": SNIPPET_START, "end": SNIPPET_END, "match": f'"{word}"', "document_ids": ids}
        )
    )


# -- writers in the background --------------------------------------------------


def _steady_writer(
    db_path: str, user: str, writer: int, interval: float, sizes: tuple[int, int], ready: Any, stop: Any, out: str
) -> None:
    """Save one's latest entry through the store every ``interval`` seconds (with jitter) until told to stop."""
    rng = random.Random(writer)
    maker = TextMaker(seed=500 + writer)
    store = JournalStore(db_path, migrate=False)
    document = store.list_documents(owner=user)[-1]
    cells = store.cells(document["id"])
    ready.release()
    latencies, locked, saves = [], 0, 0
    next_at = time.monotonic() + rng.uniform(0, interval)
    while not stop.is_set():
        time.sleep(max(0.0, next_at - time.monotonic()))
        next_at += interval * rng.uniform(0.8, 1.2)
        slot = 1 + saves % (len(cells) - 1)
        cells[slot] = replace(cells[slot], source=f"{saves}|" + maker.text(rng.randint(*sizes)))
        begun = time.perf_counter()
        try:
            store.save_cells(document["id"], cells, author=user)
            saves += 1
            latencies.append((time.perf_counter() - begun) * 1000)
        except Exception as error:
            locked += "locked" in str(error)
    store.close()
    Path(out).write_text(json.dumps({"latencies": latencies, "saves": saves, "locked": locked}))


def _learner(
    db_path: str, user: str, writer: int, interval: float, sizes: tuple[int, int], ready: Any, stop: Any, out: str
) -> None:
    """A learner's server: their editor saves their latest entry through the Journal/ drive about once a second."""
    rng = random.Random(writer)
    maker = TextMaker(seed=900 + writer)
    store = JournalStore(db_path, migrate=False)
    viewer = viewer_for(store, user)
    drive = JournalDrive(lambda: store, lambda: viewer)
    document = store.list_documents(owner=user)[-1]
    path = f"Journal/{drive._path_of(document['id']).split('/', 1)[1]}"
    notebook = json.loads(json.dumps(drive.get(path)["content"], default=str))
    ready.release()
    latencies, errors, saves = [], [], 0
    next_at = time.monotonic() + rng.uniform(0, interval)
    while not stop.is_set():
        time.sleep(max(0.0, next_at - time.monotonic()))
        next_at += interval * rng.uniform(0.8, 1.2)
        cell = notebook["cells"][1 + saves % (len(notebook["cells"]) - 1)]
        cell["source"] = f"{saves}|" + maker.text(rng.randint(*sizes))
        begun = time.perf_counter()
        try:
            drive.save({"type": "notebook", "content": notebook}, path)
            saves += 1
            latencies.append((time.perf_counter() - begun) * 1000)
        except Exception as error:
            errors.append(str(error)[:200])
    store.close()
    Path(out).write_text(
        json.dumps(
            {"latencies": latencies, "saves": saves, "errors": errors[:5], "locked": sum("locked" in e for e in errors)}
        )
    )


def _searcher(
    db_path: str, user: str, n: int, interval: float, sizes: tuple[int, int], ready: Any, stop: Any, out: str
) -> None:
    """A tutor's server: searches for a rare or a common word about every ``interval`` seconds."""
    rng = random.Random(n)
    store = JournalStore(db_path, migrate=False)
    viewer = viewer_for(store, user)
    ready.release()
    latencies = []
    while not stop.is_set():
        word = rng.choice([COMMON_TERM, RARE_TERM, "habitants", "réun"])
        begun = time.perf_counter()
        search.search(store, viewer, word)
        latencies.append((time.perf_counter() - begun) * 1000)
        time.sleep(interval * rng.uniform(0.5, 1.5))
    store.close()
    Path(out).write_text(json.dumps({"latencies": latencies}))


class Crowd:
    """Background processes started together and stopped together."""

    def __init__(self, outdir: Path) -> None:
        self.context = multiprocessing.get_context("fork")
        self.ready = self.context.Semaphore(0)
        self.stop = self.context.Event()
        self.outdir = outdir
        self.processes: list[tuple[Any, Path]] = []
        outdir.mkdir(parents=True, exist_ok=True)

    def add(
        self, target: Any, db_path: Path, user: str, n: int, interval: float, sizes: tuple[int, int] = (2000, 2000)
    ) -> None:
        out = self.outdir / f"{target.__name__}-{n}.json"
        out.unlink(missing_ok=True)
        process = self.context.Process(
            target=target, args=(str(db_path), user, n, interval, sizes, self.ready, self.stop, str(out))
        )
        self.processes.append((process, out))

    def start(self) -> None:
        for process, _ in self.processes:
            process.start()
        waiting, deadline = len(self.processes), time.monotonic() + 300
        while waiting:
            if self.ready.acquire(timeout=0.5):
                waiting -= 1
                continue
            if any(process.exitcode not in (None, 0) for process, _ in self.processes) or time.monotonic() > deadline:
                self.stop.set()
                raise RuntimeError("a background process failed before it was ready")

    def finish(self) -> list[dict[str, Any]]:
        self.stop.set()
        reports = []
        for process, out in self.processes:
            process.join(timeout=120)
            if process.exitcode != 0:
                raise RuntimeError(f"a background process failed (exit code {process.exitcode})")
            reports.append(json.loads(out.read_text()))
        return reports


# -- search while 16 writers run ---------------------------------------------------


def run_search(workdir: Path, built: dict[int, Path], *, quick: bool) -> list[Figure]:
    """Search p95 for a rare and a common word at each size, while 16 writers save."""
    figures = []
    rounds = 6 if quick else 40
    writers = 4 if quick else 16
    for cells, source in sorted(built.items()):
        db_path = copy_database(source, workdir / "search" / f"{cells}.db")
        with JournalStore(db_path) as store:
            world = world_of(store)
            viewer = viewer_for(store, world.tutors[0])
            crowd = Crowd(workdir / "search" / f"{cells}-out")
            for n in range(writers):
                crowd.add(_steady_writer, db_path, world.learners[n * len(world.learners) // writers], n, 0.1)
            crowd.start()
            times: dict[str, list[float]] = {}
            found: dict[str, int] = {}
            try:
                for _ in range(rounds):
                    for word in (RARE_TERM, COMMON_TERM):
                        begun = time.perf_counter()
                        answer = search.search(store, viewer, word)
                        times.setdefault(f"search {word}", []).append((time.perf_counter() - begun) * 1000)
                        found[word] = answer["total"]
                        begun = time.perf_counter()
                        _rank_every_match(store, viewer, word)
                        times.setdefault(f"rank-all {word}", []).append((time.perf_counter() - begun) * 1000)
            finally:
                reports = crowd.finish()
            saves = sum(r["saves"] for r in reports)
        for word, kind in ((RARE_TERM, "rare"), (COMMON_TERM, "common")):
            ours = percentile(times[f"search {word}"], 95)
            base = percentile(times[f"rank-all {word}"], 95)
            figures.append(
                Figure(
                    "search",
                    f"search p95, {cells:,} cells, {kind} word ('{word}'), {writers} writers running",
                    ours,
                    "ms",
                    baseline=base,
                    baseline_name="FTS5 ORDER BY rank over every match (the query before)",
                    target=f"<= {SEARCH_TARGET_MS:.0f} ms",
                    met=ours <= SEARCH_TARGET_MS,
                    details={
                        "p50_ms": percentile(times[f"search {word}"], 50),
                        "baseline_p50_ms": percentile(times[f"rank-all {word}"], 50),
                        "results": found[word],
                        "rounds": rounds,
                        "writer_saves": saves,
                        "writer_locked": sum(r["locked"] for r in reports),
                    },
                )
            )
    return figures


# -- the product-shaped run ----------------------------------------------------------


def run_product(workdir: Path, source: Path, *, quick: bool) -> list[Figure]:
    """64 learners saving 0.5-20 KB entries about once a second through the drive, tutors searching, the -wal watched."""
    db_path = copy_database(source, workdir / "product" / "journal.db")
    learners = 4 if quick else 64
    seconds = 4.0 if quick else 60.0
    with JournalStore(db_path) as store:
        world = world_of(store)
    crowd = Crowd(workdir / "product" / "out")
    for n in range(learners):
        crowd.add(_learner, db_path, world.learners[n % len(world.learners)], n, 1.0, (500, 20_000))
    for n, tutor in enumerate(world.tutors[: 2 if quick else 4]):
        crowd.add(_searcher, db_path, tutor, 1000 + n, 1.0)
    crowd.start()
    wal = Path(str(db_path) + "-wal")
    sizes: list[tuple[float, float]] = []
    began = time.monotonic()
    watching = threading.Event()

    def watch() -> None:
        while not watching.is_set():
            sizes.append((time.monotonic() - began, wal.stat().st_size / 1e6 if wal.exists() else 0.0))
            time.sleep(0.25)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        time.sleep(seconds)
    finally:
        reports = crowd.finish()
        watching.set()
        watcher.join()
    learner_reports = reports[:learners]
    searcher_reports = reports[learners:]
    saves = [ms for r in learner_reports for ms in r["latencies"]]
    searches = [ms for r in searcher_reports for ms in r["latencies"]]
    errors = [e for r in learner_reports for e in r["errors"]]
    steady = [mb for t, mb in sizes if t >= seconds / 2] or [0.0]
    p95, p99 = percentile(saves, 95), percentile(saves, 99)
    common = {
        "learners": learners,
        "seconds": seconds,
        "saves": len(saves),
        "saves_per_s": len(saves) / seconds,
        "searches": len(searches),
        "errors": errors[:5],
        "locked": sum(r["locked"] for r in learner_reports),
        "save_p50_ms": percentile(saves, 50),
        "search_p50_ms": percentile(searches, 50),
    }
    label = (
        f"product run ({learners} learners, 100k cells, search on)"
        if not quick
        else f"product run ({learners} learners, quick)"
    )
    with JournalStore(db_path, migrate=False) as store:
        integrity = store.integrity_check()
    return [
        Figure(
            "product",
            f"{label}: save p95",
            p95,
            "ms",
            target=f"<= {SAVE_P95_TARGET_MS:.0f} ms",
            met=p95 <= SAVE_P95_TARGET_MS and not errors,
            details=common,
            note=f"{len(saves)} saves, {len(errors)} failed" + (f": {errors[0]}" if errors else ""),
        ),
        Figure(
            "product",
            f"{label}: save p99",
            p99,
            "ms",
            target=f"<= {SAVE_P99_TARGET_MS:.0f} ms",
            met=p99 <= SAVE_P99_TARGET_MS,
        ),
        Figure(
            "product",
            f"{label}: search p95",
            percentile(searches, 95),
            "ms",
            target=f"<= {SEARCH_TARGET_MS:.0f} ms",
            met=percentile(searches, 95) <= SEARCH_TARGET_MS,
            note=f"{len(searches)} searches by tutors",
        ),
        Figure(
            "product",
            f"{label}: -wal file, steady state (max over the second half)",
            max(steady),
            "MB",
            target=f"<= {WAL_TARGET_MB:.0f} MB",
            met=max(steady) <= WAL_TARGET_MB,
            note=f"largest seen {max(mb for _, mb in sizes) if sizes else 0:.1f} MB; integrity {integrity}",
            details={"samples": sizes[:: max(1, len(sizes) // 60)]},
        ),
    ]

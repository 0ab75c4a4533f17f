"""N writer processes saving journal entries through the store vs raw ``sqlite3`` inserts of the same bytes.

Both sides use the store's settings (WAL, ``synchronous=NORMAL``,
``busy_timeout=5000``, one ``BEGIN IMMEDIATE … COMMIT`` per save). A store
writer saves its own learning-journal entry (ten cells, one rewritten per
save) with ``JournalStore.save_cells``: a revision, the cell, its history row
and its full-text index entry. A raw writer inserts the same text into a
one-table database. Every writer saves as fast as it can for the same time;
afterwards each side is counted from the file: a save that returned but is not
in the file is a lost write, and an exception saying "database is locked" is a
lock error surfaced to the caller.
"""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from journal_ext.db import BUSY_TIMEOUT_MS, JournalStore

from .corpus import TextMaker, build_people, entry_cells
from .measure import Figure, percentile

SUITE = "writers"
ENTRY_BYTES = 2000
THROUGHPUT_TARGET = 0.5
SETTLE_S = 0.5


def _entry(maker: TextMaker, writer: int, n: int) -> str:
    head = f"writer {writer} save {n}: "
    return head + maker.text(ENTRY_BYTES - len(head))[: ENTRY_BYTES - len(head)]


def _wait_for_start(ready: Any, start: Any, seconds: float) -> float:
    """Say this writer is ready, wait for the common start; returns when to stop."""
    ready.release()
    while start.value == 0:
        time.sleep(0.002)
    time.sleep(max(0.0, start.value - time.monotonic()))
    return float(start.value) + seconds


def store_writer(
    db_path: str, user: str, document_id: int, writer: int, ready: Any, start: Any, seconds: float, out: str
) -> None:
    """Save one's own entry through JournalStore.save_cells until the time is up."""
    maker = TextMaker(seed=100 + writer)
    store = JournalStore(db_path, migrate=False)
    cells = store.cells(document_id)
    texts = [_entry(maker, writer, n) for n in range(32)]
    latencies, locked, other, last = [], 0, [], 0
    stop_at = _wait_for_start(ready, start, seconds)
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        cells[1] = replace(cells[1], source=f"{n}|" + texts[n % len(texts)])
        begun = time.perf_counter()
        try:
            store.save_cells(document_id, cells, author=user)
        except sqlite3.OperationalError as error:
            if "locked" in str(error):
                locked += 1
            else:
                other.append(str(error))
            continue
        latencies.append((time.perf_counter() - begun) * 1000)
        last = n
    store.close()
    Path(out).write_text(
        json.dumps({"latencies": latencies, "saves": len(latencies), "last": last, "locked": locked, "errors": other})
    )


def raw_writer(
    db_path: str, user: str, document_id: int, writer: int, ready: Any, start: Any, seconds: float, out: str
) -> None:
    """Insert the same text with plain sqlite3, one BEGIN IMMEDIATE transaction per insert."""
    maker = TextMaker(seed=100 + writer)
    conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    texts = [_entry(maker, writer, n) for n in range(32)]
    latencies, locked, other = [], 0, []
    stop_at = _wait_for_start(ready, start, seconds)
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        begun = time.perf_counter()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO entries (writer, seq, body) VALUES (?, ?, ?)", [writer, n, f"{n}|" + texts[n % len(texts)]]
            )
            conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if "locked" in str(error):
                locked += 1
            else:
                other.append(str(error))
            continue
        latencies.append((time.perf_counter() - begun) * 1000)
    conn.close()
    Path(out).write_text(
        json.dumps({"latencies": latencies, "saves": len(latencies), "locked": locked, "errors": other})
    )


def launch(
    target: Any, db_path: Path, jobs: list[tuple[str, int]], seconds: float, outdir: Path
) -> list[dict[str, Any]]:
    """Run one writer process per job for ``seconds`` from a common start; their reports."""
    context = multiprocessing.get_context("fork")
    ready = context.Semaphore(0)
    start = context.Value("d", 0.0)
    outdir.mkdir(parents=True, exist_ok=True)
    processes, outs = [], []
    for writer, (user, document_id) in enumerate(jobs):
        out = outdir / f"{target.__name__}-{writer}.json"
        out.unlink(missing_ok=True)
        outs.append(out)
        processes.append(
            context.Process(
                target=target, args=(str(db_path), user, document_id, writer, ready, start, seconds, str(out))
            )
        )
    for process in processes:
        process.start()
    waiting, deadline = len(processes), time.monotonic() + 180
    while waiting:
        if ready.acquire(timeout=0.5):
            waiting -= 1
            continue
        if any(process.exitcode not in (None, 0) for process in processes) or time.monotonic() > deadline:
            start.value = time.monotonic()
            raise RuntimeError("a writer process failed before it was ready")
    start.value = time.monotonic() + SETTLE_S
    for process in processes:
        process.join(timeout=seconds + 180)
        if process.exitcode != 0:
            raise RuntimeError(f"a writer process failed (exit code {process.exitcode})")
    return [json.loads(out.read_text()) for out in outs]


def _summary(reports: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    latencies = [ms for report in reports for ms in report["latencies"]]
    return {
        "commits": len(latencies),
        "commits_per_s": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "locked": sum(r["locked"] for r in reports),
        "errors": [e for r in reports for e in r["errors"]][:5],
    }


def prepare_store(db_path: Path, writers: int) -> list[tuple[str, int]]:
    """A journal with one learning-journal entry per writer; (learner, document id) per writer."""
    maker = TextMaker(seed=3)
    jobs = []
    with JournalStore(db_path) as store:
        world = build_people(store)
        for writer in range(writers):
            user = world.learners[writer % len(world.learners)]
            document = store.create_document(
                kind="learning_journal",
                title=f"Entrée {writer}",
                owner=user,
                group_id=world.group_of[user],
                visibility="tutors",
                template_version_id=None,
                cells=entry_cells(f"Entrée {writer}", [maker.text(600) for _ in range(9)]),
            )
            jobs.append((user, document["id"]))
    return jobs


def prepare_raw(db_path: Path) -> None:
    """The raw side's database: one table, same settings."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "CREATE TABLE entries (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL)"
    )
    conn.close()


def lost_store_writes(db_path: Path, jobs: list[tuple[str, int]], reports: list[dict[str, Any]]) -> int:
    """Saves that returned but are missing from the file (revisions and the entry's last text)."""
    lost = 0
    with JournalStore(db_path, migrate=False) as store:
        for (_user, document_id), report in zip(jobs, reports, strict=True):
            revisions = store.document(document_id)["revision"]
            lost += max(0, 1 + report["saves"] - revisions)
            if report["saves"]:
                text = store.cells(document_id)[1].source
                if not text.startswith(f"{report['last']}|"):
                    lost += 1
    return lost


def lost_raw_writes(db_path: Path, reports: list[dict[str, Any]]) -> int:
    """Inserts that returned but are missing from the file."""
    conn = sqlite3.connect(db_path)
    counts = dict(conn.execute("SELECT writer, COUNT(*) FROM entries GROUP BY writer").fetchall())
    conn.close()
    return sum(max(0, report["saves"] - counts.get(writer, 0)) for writer, report in enumerate(reports))


def run(
    workdir: Path, *, quick: bool, counts: tuple[int, ...] | None = None, seconds: float | None = None
) -> list[Figure]:
    """Commits/s, latency percentiles, lost writes and lock errors at each number of writers."""
    counts = counts or ((1, 4) if quick else (1, 4, 16, 64))
    seconds = seconds or (1.5 if quick else 8.0)
    figures: list[Figure] = []
    for writers in counts:
        folder = workdir / "writers" / f"n{writers}"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.db*"):
            old.unlink()
        store_db, raw_db = folder / "journal.db", folder / "raw.db"
        jobs = prepare_store(store_db, writers)
        prepare_raw(raw_db)
        # Raw first, then the store: each side has the machine to itself.
        raw = _summary(launch(raw_writer, raw_db, jobs, seconds, folder), seconds)
        store_reports = launch(store_writer, store_db, jobs, seconds, folder)
        ours = _summary(store_reports, seconds)
        ours["lost"] = lost_store_writes(store_db, jobs, store_reports)
        raw["lost"] = lost_raw_writes(
            raw_db, [json.loads((folder / f"raw_writer-{w}.json").read_text()) for w in range(writers)]
        )
        details = {"store": ours, "raw": raw, "seconds": seconds, "entry_bytes": ENTRY_BYTES}
        name = f"{writers} writer{'s' if writers > 1 else ''}"
        is_target = writers == max(counts)
        figures += [
            Figure(
                SUITE,
                f"{name}: commits/s",
                ours["commits_per_s"],
                "commits/s",
                baseline=raw["commits_per_s"],
                baseline_name="raw sqlite3 INSERT, same bytes and settings",
                target=f">= {THROUGHPUT_TARGET:.0%} of raw" if is_target and writers >= 64 else "",
                met=(ours["commits_per_s"] >= THROUGHPUT_TARGET * raw["commits_per_s"])
                if is_target and writers >= 64
                else None,
                details=details,
            ),
            Figure(
                SUITE,
                f"{name}: save latency p50 / p95 / p99",
                ours["p95_ms"],
                "ms (p95)",
                baseline=raw["p95_ms"],
                baseline_name="raw sqlite3 INSERT p95",
                note=f"store p50 {ours['p50_ms']:.1f} / p95 {ours['p95_ms']:.1f} / p99 {ours['p99_ms']:.1f} ms;"
                f" raw {raw['p50_ms']:.2f} / {raw['p95_ms']:.2f} / {raw['p99_ms']:.2f} ms",
            ),
            Figure(
                SUITE,
                f"{name}: lost writes",
                ours["lost"],
                "writes",
                baseline=raw["lost"],
                baseline_name="raw sqlite3",
                target="0",
                met=ours["lost"] == 0,
            ),
            Figure(
                SUITE,
                f"{name}: 'database is locked' surfaced",
                ours["locked"],
                "errors",
                baseline=raw["locked"],
                baseline_name="raw sqlite3",
                target="0",
                met=ours["locked"] == 0 and not ours["errors"],
                note="; ".join(ours["errors"]),
            ),
        ]
    return figures

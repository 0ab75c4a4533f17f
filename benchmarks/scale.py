"""The journal service under load: flat-out saves, the product-shaped run and a 10x run, through HTTP.

The service runs as it does on a hub: a process of its own
(``JournalService``: the batching writer and its reader threads), here
with its hub-token cache already holding the callers (no hub runs; see
``service.cached_hub_auth``). The load comes from lightweight asynchronous
clients in this process, standing for user servers: each sends what a
user server's remote drive sends (``journal/api/drive/save`` with the
notebook and the base it last received) and what a tutor's search sends
(``journal/api/search``). The figures therefore measure the service, not
hundreds of Python processes on two cores; the clients still share the
machine with it.

Baselines, in the same run: the flat-out saves are set beside the embedded
store (one process per writer, each calling ``JournalStore.save_cells`` on
the file: today's figure) and raw ``sqlite3`` inserts of the same bytes,
from ``benchmarks.writers``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore
from journal_ext.server.drive import JournalDrive

from . import writers
from .corpus import COMMON_TERM, RARE_TERM, TextMaker, build_database, copy_database, world_of
from .measure import Figure, percentile
from .service import free_port

SUITE = "scale"
PREFIX = "/services/journal/"
ROOT = Path(__file__).resolve().parent.parent

SAVE_P95_MS, SAVE_P99_MS, SEARCH_P95_MS = 50.0, 100.0, 50.0
SCALED_SAVE_P95_MS, SCALED_SEARCH_P95_MS = 100.0, 100.0
RSS_LIMIT_MB, WAL_LIMIT_MB = 1024.0, 64.0
SEARCH_WORDS = (COMMON_TERM, RARE_TERM, "habitants", "réun")
# The figures are also given without the first seconds of a run (see "steady" in each figure's note).
WARM_UP_S = 20.0


def token_of(user: str) -> str:
    return f"bench-{user}"


# -- the service, in a process of its own -----------------------------------------------


def serve(db_path: str, port: int, users: list[str]) -> None:
    """``python -m benchmarks.scale DB PORT USERS_JSON``: the journal service, every user's token known."""
    from journal_ext.service.app import JournalService

    from .service import hub_auth_for

    service = JournalService(Path(db_path), hub_auth_for({token_of(user): user for user in users}), prefix=PREFIX)
    # How long each request took inside the service (from its headers read to its answer sent), and when
    # it ended: set beside what the clients measured, it tells the service's time from the rest.
    handled: dict[str, list[tuple[float, float]]] = {}

    def log_request(handler: Any) -> None:
        kind = handler.request.path.rsplit("/", 1)[-1]
        handled.setdefault(kind, []).append((time.monotonic(), handler.request.request_time() * 1000))

    service.app.settings["log_function"] = log_request

    async def run() -> None:
        server = service.app.listen(port, "127.0.0.1")
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stopped.set)
        await stopped.wait()
        server.stop()
        stats = service.workers.writer.stats
        service.close()
        print(
            json.dumps({"batches": stats.batches, "works": stats.works, "largest": stats.largest, "handled": handled}),
            flush=True,
        )

    asyncio.run(run())


class ServiceProcess:
    """``serve`` started in a subprocess on ``db_path``; its memory read from /proc while it runs."""

    def __init__(self, db_path: Path, users: list[str]) -> None:
        self.db_path, self.users = db_path, users
        self.port = free_port()
        self.process: subprocess.Popen[str] | None = None
        self.writer_stats: dict[str, Any] = {}
        # Per request kind ("save", "search", ...): (monotonic time it ended, ms it took in the service).
        self.handled: dict[str, list[tuple[float, float]]] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    def __enter__(self) -> ServiceProcess:
        environment = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.scale", str(self.db_path), str(self.port), json.dumps(self.users)],
            env=environment,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._wait_until_up()
        return self

    def _wait_until_up(self) -> None:
        from urllib.request import urlopen

        deadline = time.monotonic() + 120
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError("the journal service did not start")
            try:
                with urlopen(f"{self.url}health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the journal service did not answer")
            time.sleep(0.2)

    def memory_mb(self, field: str = "VmRSS") -> float:
        """The service's resident memory now (VmRSS) or at its peak so far (VmHWM), in MB."""
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=120)
        lines = [line for line in out.splitlines() if line.startswith("{")]
        self.writer_stats = json.loads(lines[-1]) if lines else {}
        self.handled = self.writer_stats.pop("handled", {})


# -- the clients --------------------------------------------------------------------------


class Client:
    """A user server's calls to the service, with its owner's token."""

    def __init__(self, http: Any, url: str, user: str) -> None:
        self.http, self.url, self.user = http, url, user

    async def call(self, method: str, path: str, body: str | None = None) -> tuple[int, Any]:
        from tornado.httpclient import HTTPClientError

        try:
            answer = await self.http.fetch(
                self.url + path,
                method=method,
                body=body,
                headers={"Authorization": f"token {token_of(self.user)}", "Content-Type": "application/json"},
                request_timeout=120,
            )
        except HTTPClientError as error:
            text = error.response.body.decode("utf-8", "replace") if error.response is not None else str(error)
            return error.code, text[:300]
        return answer.code, json.loads(answer.body)


class Editor:
    """One notebook open in a user's editor: each save sends the notebook and the base, as the remote drive does."""

    def __init__(self, client: Client, path: str) -> None:
        self.client, self.path = client, path
        self.notebook: dict[str, Any] = {}
        self.base = "null"

    async def open(self) -> None:
        body = json.dumps({"language": "fr", "path": self.path, "content": True})
        status, answer = await self.client.call("POST", "journal/api/drive/get", body)
        if status != 200:
            raise RuntimeError(f"{self.client.user} could not open {self.path}: {status} {answer}")
        self.notebook = answer["result"]["content"]
        self.base = json.dumps(self.notebook, ensure_ascii=False)

    async def save(self, slot: int, text: str) -> tuple[int, Any]:
        self.notebook["cells"][slot]["source"] = text
        content = json.dumps(self.notebook, ensure_ascii=False)
        body = (
            f'{{"language": "fr", "path": {json.dumps(self.path, ensure_ascii=False)},'
            f' "model": {{"type": "notebook", "format": "json", "content": {content}}}, "base": {self.base}}}'
        )
        answer = await self.client.call("POST", "journal/api/drive/save", body)
        if answer[0] == 200:
            self.base = content
        return answer


def http_client() -> Any:
    from tornado.simple_httpclient import SimpleAsyncHTTPClient

    return SimpleAsyncHTTPClient(force_instance=True, max_clients=2000)


def journal_paths(db_path: Path, documents: list[tuple[str, int]]) -> list[str]:
    """Where each (owner, document) appears in its owner's Journal/ folder."""
    paths = []
    with JournalStore(db_path, migrate=False) as store:
        drives: dict[str, JournalDrive] = {}
        for user, document_id in documents:
            if user not in drives:
                viewer = viewer_for(store, user)
                drives[user] = JournalDrive(lambda: store, lambda viewer=viewer: viewer)
            paths.append(f"Journal/{drives[user]._path_of(document_id).split('/', 1)[1]}")
    return paths


# -- flat-out saves --------------------------------------------------------------------------


async def _flat_out(url: str, jobs: list[tuple[str, int]], paths: list[str], seconds: float) -> list[dict[str, Any]]:
    http = http_client()
    maker = TextMaker(seed=41)
    texts = [writers._entry(maker, 0, n) for n in range(32)]
    editors = [Editor(Client(http, url, user), path) for (user, _), path in zip(jobs, paths, strict=True)]
    await asyncio.gather(*(editor.open() for editor in editors))
    stop_at = time.monotonic() + seconds

    async def run(editor: Editor) -> dict[str, Any]:
        latencies: list[float] = []
        errors: list[str] = []
        last = n = 0
        while time.monotonic() < stop_at:
            n += 1
            begun = time.perf_counter()
            status, answer = await editor.save(1, f"{n}|" + texts[n % len(texts)])
            if status != 200:
                errors.append(f"{status} {answer}")
                continue
            latencies.append((time.perf_counter() - begun) * 1000)
            last = n
        return {"latencies": latencies, "saves": len(latencies), "last": last, "locked": 0, "errors": errors}

    reports = await asyncio.gather(*(run(editor) for editor in editors))
    http.close()
    return list(reports)


def run_flat_out(workdir: Path, *, quick: bool) -> list[Figure]:
    """Saves/s at 1, 16, 64 clients: through the service, the embedded store, raw sqlite3 (same bytes)."""
    counts = (1, 16) if quick else (1, 16, 64)
    seconds = 2.0 if quick else 8.0
    figures = []
    for clients in counts:
        folder = workdir / "scale" / f"flat{clients}"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.db*"):
            old.unlink()
        service_db, store_db, raw_db = folder / "service.db", folder / "journal.db", folder / "raw.db"
        jobs = writers.prepare_store(service_db, clients)
        writers.prepare_store(store_db, clients)
        writers.prepare_raw(raw_db)
        paths = journal_paths(service_db, jobs)
        # Each side has the machine to itself: raw, then the embedded store, then the service.
        raw_reports = writers.launch(writers.raw_writer, raw_db, jobs, seconds, folder)
        raw = writers._summary(raw_reports, seconds)
        store_reports = writers.launch(writers.store_writer, store_db, jobs, seconds, folder)
        embedded = writers._summary(store_reports, seconds)
        embedded["lost"] = writers.lost_store_writes(store_db, jobs, store_reports)
        users = sorted({user for user, _ in jobs})
        with ServiceProcess(service_db, users) as service:
            service_reports = asyncio.run(_flat_out(service.url, jobs, paths, seconds))
            rss = service.memory_mb("VmHWM")
        ours = writers._summary(service_reports, seconds)
        ours["lost"] = writers.lost_store_writes(service_db, jobs, service_reports)
        errors = [e for r in service_reports for e in r["errors"]]
        details = {
            "service": ours,
            "embedded": embedded,
            "raw": raw,
            "seconds": seconds,
            "writer": service.writer_stats,
            "service_peak_rss_mb": rss,
        }
        name = f"{clients} client{'s' if clients > 1 else ''}"
        batches = service.writer_stats.get("batches") or 1
        figures += [
            Figure(
                SUITE,
                f"{name} saving flat out through the service: saves/s",
                ours["commits_per_s"],
                "saves/s",
                baseline=embedded["commits_per_s"],
                baseline_name=f"embedded store, {clients} process{'es' if clients > 1 else ''}",
                note=f"raw sqlite3 {raw['commits_per_s']:,.0f}/s; service p50 {ours['p50_ms']:.1f} /"
                f" p95 {ours['p95_ms']:.1f} / p99 {ours['p99_ms']:.1f} ms, embedded p95 {embedded['p95_ms']:.1f} ms;"
                f" {service.writer_stats.get('works', 0) / batches:.1f} saves a batch",
                details=details,
            ),
            Figure(
                SUITE,
                f"{name} through the service: lost writes / errors surfaced",
                ours["lost"] + len(errors),
                "writes",
                baseline=embedded["lost"] + embedded["locked"],
                baseline_name="embedded store",
                target="0",
                met=ours["lost"] == 0 and not errors,
                note="; ".join(errors[:2]),
            ),
        ]
    return figures


# -- learners and tutors at their own pace ------------------------------------------------------


async def _crowd(
    url: str,
    learners: list[tuple[str, str]],
    tutors: list[str],
    *,
    save_every: float,
    search_every: float,
    sizes: tuple[int, int],
    seconds: float,
    sample: Any,
) -> dict[str, Any]:
    http = http_client()
    editors = [Editor(Client(http, url, user), path) for user, path in learners]
    for start in range(0, len(editors), 64):
        await asyncio.gather(*(editor.open() for editor in editors[start : start + 64]))
    # Made before the clock starts: a TextMaker takes 10 ms to make, and 640 of them made as the
    # learners start held this process's event loop for 7 s, which showed as seconds-long saves.
    makers = [TextMaker(seed=700 + n) for n in range(len(editors))]
    saves: list[float] = []
    searches: list[float] = []
    # When each answer came (seconds from the start), for the run's timeline.
    save_times: list[float] = []
    search_times: list[float] = []
    errors: list[str] = []
    began = time.monotonic()
    stop_at = began + seconds

    async def learner(n: int, editor: Editor) -> None:
        rng = random.Random(n)
        maker = makers[n]
        next_at = time.monotonic() + rng.uniform(0, save_every)
        count = 0
        while True:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            if time.monotonic() >= stop_at:
                return
            next_at += save_every * rng.uniform(0.5, 1.5)
            slot = 1 + count % (len(editor.notebook["cells"]) - 1)
            count += 1
            begun = time.perf_counter()
            status, answer = await editor.save(slot, f"{count}|" + maker.text(rng.randint(*sizes)))
            if status == 200:
                saves.append((time.perf_counter() - begun) * 1000)
                save_times.append(time.monotonic() - began)
            else:
                errors.append(f"{status} {answer}")

    async def tutor(n: int, user: str) -> None:
        rng = random.Random(5000 + n)
        client = Client(http, url, user)
        await asyncio.sleep(rng.uniform(0, search_every))
        while time.monotonic() < stop_at:
            begun = time.perf_counter()
            status, answer = await client.call("GET", f"journal/api/search?q={quote(rng.choice(SEARCH_WORDS))}")
            if status == 200:
                searches.append((time.perf_counter() - begun) * 1000)
                search_times.append(time.monotonic() - began)
            else:
                errors.append(f"search {status} {answer}")
            await asyncio.sleep(search_every * rng.uniform(0.5, 1.5))

    async def watch() -> None:
        while time.monotonic() < stop_at:
            sample(time.monotonic() - began)
            await asyncio.sleep(0.25)

    await asyncio.gather(
        *(learner(n, editor) for n, editor in enumerate(editors)),
        *(tutor(n, user) for n, user in enumerate(tutors)),
        watch(),
    )
    http.close()
    return {
        "began": began,
        "saves": saves,
        "searches": searches,
        "errors": errors,
        "timeline": timeline(seconds, saves, save_times, searches, search_times),
        # After the first WARM_UP_S seconds, when every catalogue and SQLite's caches are filled.
        "steady_saves": [ms for ms, at in zip(saves, save_times, strict=True) if at >= WARM_UP_S],
        "steady_searches": [ms for ms, at in zip(searches, search_times, strict=True) if at >= WARM_UP_S],
    }


def per_10_s(values: list[float], times: list[float], seconds: float) -> list[list[float]]:
    """The values (ms) answered in each 10 s of the run, by when they were answered (s from the start)."""
    return [
        [value for value, at in zip(values, times, strict=True) if start <= at < start + 10]
        for start in range(0, int(seconds), 10)
    ]


def timeline(
    seconds: float, saves: list[float], save_times: list[float], searches: list[float], search_times: list[float]
) -> list[dict[str, Any]]:
    """Per 10 seconds of the run: how many saves and searches were answered, and their p50 / p95 (ms)."""
    windows = []
    for start, in_window, searched in zip(
        range(0, int(seconds), 10),
        per_10_s(saves, save_times, seconds),
        per_10_s(searches, search_times, seconds),
        strict=True,
    ):
        windows.append(
            {
                "from_s": start,
                "saves": len(in_window),
                "save_p50_ms": percentile(in_window, 50) if in_window else None,
                "save_p95_ms": percentile(in_window, 95) if in_window else None,
                "searches": len(searched),
                "search_p95_ms": percentile(searched, 95) if searched else None,
            }
        )
    return windows


def _p(values: list[float], q: float) -> str:
    return f"{percentile(values, q):.0f}" if values else "–"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def in_service(
    outcome: dict[str, Any], handled: dict[str, list[tuple[float, float]]], seconds: float
) -> dict[str, Any]:
    """What the service itself took for the run's saves and searches: p95 over the run, after the warm-up, per 10 s."""
    figures: dict[str, Any] = {}
    for kind in ("save", "search"):
        timed = [
            (at - outcome["began"], ms) for at, ms in handled.get(kind, []) if 0 <= at - outcome["began"] <= seconds
        ]
        every, times = [ms for _, ms in timed], [at for at, _ in timed]
        steady = [ms for at, ms in timed if at >= WARM_UP_S]
        figures[kind] = {
            "p95_ms": percentile(every, 95) if every else None,
            "steady_p95_ms": percentile(steady, 95) if steady else None,
            "per_10_s_p95_ms": [
                percentile(window, 95) if window else None for window in per_10_s(every, times, seconds)
            ],
        }
    return figures


def _crowd_figures(
    label: str,
    outcome: dict[str, Any],
    samples: list[tuple[float, float, float]],
    service: ServiceProcess,
    *,
    seconds: float,
    save_p95: float,
    save_p99: float | None,
    search_p95: float,
    integrity: str,
) -> list[Figure]:
    saves, searches, errors = outcome["saves"], outcome["searches"], outcome["errors"]
    steady_saves, steady_searches = outcome["steady_saves"], outcome["steady_searches"]
    steady = [wal for t, wal, _ in samples if t >= seconds / 2] or [0.0]
    peak_rss = max([rss for _, _, rss in samples] + [0.0])
    stats = service.writer_stats
    inside = in_service(outcome, service.handled, seconds)
    details = {
        "saves": len(saves),
        "saves_per_s": len(saves) / seconds,
        "searches": len(searches),
        "errors": errors[:5],
        "save_p50_ms": percentile(saves, 50),
        "search_p50_ms": percentile(searches, 50),
        "timeline": outcome["timeline"],
        "writer": stats,
        "in_service": inside,
        "samples": samples[:: max(1, len(samples) // 60)],
    }
    figures = [
        Figure(
            SUITE,
            f"{label}: save p95",
            percentile(saves, 95),
            "ms",
            target=f"<= {save_p95:.0f} ms",
            met=percentile(saves, 95) <= save_p95 and not errors,
            note=f"{len(saves)} saves, {len(errors)} failed"
            + (f": {errors[0]}" if errors else "")
            + f"; {stats.get('works', 0) / (stats.get('batches') or 1):.1f} saves a batch"
            + f"; after the first {WARM_UP_S:.0f} s: p95 {_p(steady_saves, 95)} ms"
            + f"; inside the service: p95 {_ms(inside['save']['p95_ms'])} ms"
            + f" ({_ms(inside['save']['steady_p95_ms'])} after {WARM_UP_S:.0f} s)",
            details=details,
        )
    ]
    if save_p99 is not None:
        figures.append(
            Figure(
                SUITE,
                f"{label}: save p99",
                percentile(saves, 99),
                "ms",
                target=f"<= {save_p99:.0f} ms",
                met=percentile(saves, 99) <= save_p99,
            )
        )
    figures += [
        Figure(
            SUITE,
            f"{label}: search p95",
            percentile(searches, 95),
            "ms",
            target=f"<= {search_p95:.0f} ms",
            met=percentile(searches, 95) <= search_p95,
            note=f"{len(searches)} searches by tutors; after the first {WARM_UP_S:.0f} s: p95"
            f" {_p(steady_searches, 95)} ms; inside the service: p95 {_ms(inside['search']['p95_ms'])} ms"
            f" ({_ms(inside['search']['steady_p95_ms'])} after {WARM_UP_S:.0f} s)",
        ),
        Figure(
            SUITE,
            f"{label}: -wal file, steady state (max over the second half)",
            max(steady),
            "MB",
            target=f"<= {WAL_LIMIT_MB:.0f} MB",
            met=max(steady) <= WAL_LIMIT_MB,
            note=f"largest seen {max(wal for _, wal, _ in samples) if samples else 0:.1f} MB; integrity {integrity}",
        ),
        Figure(
            SUITE,
            f"{label}: the service's resident memory (peak)",
            peak_rss,
            "MB",
            target=f"<= {RSS_LIMIT_MB:.0f} MB",
            met=peak_rss <= RSS_LIMIT_MB,
        ),
    ]
    return figures


def run_crowd(
    workdir: Path,
    source: Path,
    *,
    name: str,
    learners: int,
    tutors: int,
    save_every: float,
    search_every: float,
    seconds: float,
    save_p95: float,
    save_p99: float | None,
    search_p95: float,
    label: str,
) -> list[Figure]:
    """``learners`` saving 0.5-20 KB about every ``save_every`` s and ``tutors`` searching, through the service."""
    db_path = copy_database(source, workdir / "scale" / name / "journal.db")
    with JournalStore(db_path, migrate=False) as store:
        world = world_of(store)
        owned = {user: [d["id"] for d in store.list_documents(owner=user)] for user in world.learners}
    people = len(world.learners)
    documents = [(world.learners[n % people], owned[world.learners[n % people]][n // people]) for n in range(learners)]
    paths = journal_paths(db_path, documents)
    wal = Path(f"{db_path}-wal")
    samples: list[tuple[float, float, float]] = []
    with ServiceProcess(db_path, list(world.learners) + list(world.tutors)) as service:

        def sample(at: float) -> None:
            samples.append((at, wal.stat().st_size / 1e6 if wal.exists() else 0.0, service.memory_mb()))

        outcome = asyncio.run(
            _crowd(
                service.url,
                [(user, path) for (user, _), path in zip(documents, paths, strict=True)],
                [world.tutors[n % len(world.tutors)] for n in range(tutors)],
                save_every=save_every,
                search_every=search_every,
                sizes=(500, 20_000),
                seconds=seconds,
                sample=sample,
            )
        )
    with JournalStore(db_path, migrate=False) as store:
        integrity = store.integrity_check()
    return _crowd_figures(
        label,
        outcome,
        samples,
        service,
        seconds=seconds,
        save_p95=save_p95,
        save_p99=save_p99,
        search_p95=search_p95,
        integrity=integrity,
    )


def run(workdir: Path, database: Any, *, quick: bool) -> list[Figure]:
    """Flat-out saves, the product-shaped run and the 10x run, through the journal service."""
    figures = run_flat_out(workdir, quick=quick)
    product_cells = 2_000 if quick else 100_000
    figures += run_crowd(
        workdir,
        database(product_cells),
        name="product",
        learners=4 if quick else 64,
        tutors=2 if quick else 4,
        save_every=1.0,
        search_every=1.0,
        seconds=4.0 if quick else 60.0,
        save_p95=SAVE_P95_MS,
        save_p99=SAVE_P99_MS,
        search_p95=SEARCH_P95_MS,
        label="product run through the service (64 learners, 4 tutors, 100k cells)"
        if not quick
        else "product run through the service (quick)",
    )
    scaled_cells = 20_000 if quick else 1_000_000
    scaled_path = workdir / "built" / f"journal-{scaled_cells}.db"
    if not scaled_path.exists():
        scaled_path.parent.mkdir(parents=True, exist_ok=True)
        build_database(scaled_path, scaled_cells)
    figures += run_crowd(
        workdir,
        scaled_path,
        name="tenfold",
        learners=40 if quick else 640,
        tutors=4 if quick else 40,
        save_every=10.0,
        search_every=10.0,
        seconds=10.0 if quick else 90.0,
        save_p95=SCALED_SAVE_P95_MS,
        save_p99=None,
        search_p95=SCALED_SEARCH_P95_MS,
        label="10x run through the service (640 learners, 40 tutors, 1M cells)"
        if not quick
        else "10x run through the service (quick)",
    )
    return figures


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]))

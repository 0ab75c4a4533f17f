"""Run the benchmarks and write benchmarks/RESULTS.md (a table) and benchmarks/results.json (raw figures).

    python -m benchmarks            # the full run (about 15 minutes on 2 cores)
    python -m benchmarks --quick    # small sizes, a minute or two
    python -m benchmarks --only search,writers

Suites: contents, service, writers, search, product, scale, annotations, lab.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .corpus import build_database, learner_name
from .measure import Figure

HERE = Path(__file__).resolve().parent
SUITES = ("contents", "service", "writers", "search", "product", "scale", "annotations", "lab")


def machine() -> dict[str, Any]:
    """The facts a reader needs to compare these figures with theirs."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(next(line.split()[1] for line in meminfo.read_text().splitlines() if line.startswith("MemTotal")))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlite_utils": version("sqlite-utils"),
        "jupyter_server": version("jupyter_server"),
        "jupyterlab": version("jupyterlab"),
        "journal_ext": version("journal_ext"),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value != value:
        return "n/a"
    if abs(value) >= 100 or float(value).is_integer():
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def table(figures: list[Figure]) -> str:
    """The results as one Markdown table."""
    lines = [
        "| suite | figure | journal_ext | baseline (same run) | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        base = f"{_number(f.baseline, f.unit)} ({f.baseline_name})" if f.baseline is not None else "–"
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "–"
        met = {True: "met", False: "**not met**", None: ""}[f.met]
        name = f.name + (f"<br><small>{f.note}</small>" if f.note else "")
        lines.append(f"| {f.suite} | {name} | {_number(f.value, f.unit)} | {base} | {ratio} | {f.target} | {met} |")
    return "\n".join(lines)


def write_results(
    out_dir: Path,
    figures: list[Figure],
    facts: dict[str, Any],
    skipped: dict[str, str],
    *,
    quick: bool,
    seconds: float,
    notes: str = "",
) -> Path:
    """Write RESULTS.md and results.json; returns the Markdown file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(
        json.dumps(
            {
                "machine": facts,
                "mode": "quick" if quick else "full",
                "seconds": seconds,
                "skipped": skipped,
                "figures": [f.as_dict() for f in figures],
            },
            indent=1,
            ensure_ascii=False,
            default=str,
        )
        + "\n",
        encoding="utf-8",
    )
    facts_lines = "\n".join(f"| {key.replace('_', ' ')} | {value} |" for key, value in facts.items())
    skipped_lines = "".join(f"- {suite}: skipped ({reason})\n" for suite, reason in skipped.items())
    text = f"""# Benchmark results

Made by `python -m benchmarks{" --quick" if quick else ""}` in {seconds / 60:.1f} minutes
({"quick mode: small sizes, not the figures to quote" if quick else "full mode"}).
Every baseline was measured in the same run, side by side. Raw figures: `results.json`.

| machine | |
|---|---|
{facts_lines}

{table(figures)}

{skipped_lines}{notes}"""
    path = out_dir / "RESULTS.md"
    path.write_text(text, encoding="utf-8")
    return path


def run(
    suites: tuple[str, ...],
    *,
    quick: bool,
    workdir: Path,
    out_dir: Path,
    log: Callable[[str], None] = print,
    notes: str = "",
) -> tuple[list[Figure], dict[str, str]]:
    """Run the chosen suites; figures and the suites skipped (with why)."""
    began = time.perf_counter()
    figures: list[Figure] = []
    skipped: dict[str, str] = {}
    os.environ["JUPYTER_DATA_DIR"] = str(workdir / "jupyter-data")
    sizes = (2_000,) if quick else (10_000, 100_000)
    built: dict[int, Path] = {}

    def database(cells: int) -> Path:
        if cells not in built:
            log(f"building a journal of {cells:,} cells…")
            path = workdir / "built" / f"journal-{cells}.db"
            path.parent.mkdir(parents=True, exist_ok=True)
            build_database(path, cells)
            built[cells] = path
        return built[cells]

    for suite in suites:
        log(f"[{suite}] running…")
        started = time.perf_counter()
        if suite == "contents":
            from benchmarks import drive

            figures += drive.run(workdir, quick=quick)
        elif suite == "service":
            from benchmarks import service

            figures += service.run(workdir, quick=quick)
        elif suite == "writers":
            from benchmarks import writers

            figures += writers.run(workdir, quick=quick)
        elif suite == "search":
            from benchmarks import load

            figures += load.run_search(workdir, {cells: database(cells) for cells in sizes}, quick=quick)
        elif suite == "product":
            from benchmarks import load

            figures += load.run_product(workdir, database(sizes[-1]), quick=quick)
        elif suite == "scale":
            from benchmarks import scale

            figures += scale.run(workdir, database, quick=quick)
        elif suite == "annotations":
            from benchmarks import annotations

            figures += annotations.run(workdir, quick=quick)
        elif suite == "lab":
            from benchmarks import lab

            reason = lab.available()
            if reason:
                skipped[suite] = reason
                continue
            figures += lab.run(workdir, database(sizes[0]), learner_name(0), quick=quick)
        else:
            raise SystemExit(f"unknown suite {suite!r}; choose from {', '.join(SUITES)}")
        log(f"[{suite}] done in {time.perf_counter() - started:.0f} s")
    path = write_results(
        out_dir, figures, machine(), skipped, quick=quick, seconds=time.perf_counter() - began, notes=notes
    )
    log(f"results written to {path}")
    return figures, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="small sizes: checks the benchmarks work, in a minute or two"
    )
    parser.add_argument(
        "--only", default=",".join(SUITES), help=f"comma-separated suites (default: all of {', '.join(SUITES)})"
    )
    parser.add_argument(
        "--out", type=Path, default=HERE, help="where RESULTS.md and results.json go (default: benchmarks/)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="scratch folder for databases, emptied first and kept after (default: a temporary one)",
    )
    parser.add_argument(
        "--notes",
        type=Path,
        default=HERE / "NOTES.md",
        help="a Markdown file appended to RESULTS.md (default: benchmarks/NOTES.md, the analysis)",
    )
    args = parser.parse_args(argv)
    suites = tuple(s.strip() for s in args.only.split(",") if s.strip())
    notes = args.notes.read_text(encoding="utf-8") if args.notes and args.notes.exists() else ""
    if args.workdir:
        # Every suite builds its databases from scratch: last run's files would clash.
        shutil.rmtree(args.workdir, ignore_errors=True)
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(suites, quick=args.quick, workdir=args.workdir, out_dir=args.out, notes=notes)
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="journal-bench-"))
    try:
        run(suites, quick=args.quick, workdir=scratch, out_dir=args.out, notes=notes)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

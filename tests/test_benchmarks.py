"""The benchmarks' code works (tiny sizes, no timing asserted): python -m benchmarks gives the real figures."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import annotations, drive, load, service, writers
from benchmarks.corpus import build_database
from benchmarks.run import machine, run, write_results


def by_name(figures, fragment):
    return [f for f in figures if fragment in f.name]


def test_the_benchmark_pieces_run_and_write_the_table(tmp_path: Path) -> None:
    figures = drive.run(tmp_path, quick=True)
    assert {f.name.split(" a notebook")[0] for f in figures} == {"get", "save"}
    assert all(f.baseline and f.baseline > 0 for f in figures)

    written = writers.run(tmp_path, quick=True, counts=(1, 3), seconds=0.4)
    for figure in by_name(written, "lost writes") + by_name(written, "database is locked"):
        assert figure.value == 0 and figure.baseline == 0, figure
    assert all(f.value > 0 and f.baseline > 0 for f in by_name(written, "commits/s"))

    small = tmp_path / "small.db"
    build_database(small, 700)
    searched = load.run_search(tmp_path, {700: small}, quick=True)
    assert len(searched) == 2 and all(f.details["writer_locked"] == 0 for f in searched)
    assert searched[1].details["results"] > 0, "the common word is found"

    product = load.run_product(tmp_path, small, quick=True)
    assert product[0].details["saves"] > 0 and product[0].details["errors"] == []
    assert "integrity ok" in product[-1].note

    annotated = annotations.run(tmp_path, quick=True, with_nbgrader=False)
    assert annotated[0].value > 0

    all_figures = figures + written + searched + product + annotated
    path = write_results(
        tmp_path / "out", all_figures, machine(), {"lab": "not in the smoke test"}, quick=True, seconds=1.0
    )
    text = path.read_text(encoding="utf-8")
    assert "| suite | figure | journal_ext | baseline (same run) | ratio | target | met |" in text
    assert "sqlite" in text and "lab: skipped" in text
    raw = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert len(raw["figures"]) == len(all_figures)


def test_the_service_path_is_measured_against_embedded(tmp_path: Path) -> None:
    figures = service.run(tmp_path, quick=True)
    assert [f.name.split(" a notebook")[0] for f in figures] == ["open", "save"] * 2
    assert all(f.value > 0 and f.baseline and f.baseline > 0 for f in figures)


def test_python_m_benchmarks_runs_a_suite_and_writes_its_results(tmp_path: Path) -> None:
    figures, skipped = run(("contents",), quick=True, workdir=tmp_path / "work", out_dir=tmp_path, log=lambda _: None)
    assert figures and skipped == {}
    assert (tmp_path / "RESULTS.md").exists()

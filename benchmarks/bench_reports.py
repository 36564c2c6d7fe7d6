"""Report rendering speed, each figure against a baseline measured in the same run.

1. One authority profile (papermill + HTML) against the floor: an empty notebook through
   the same runner (kernel start-up, papermill, nbconvert). Target: at most 1.5x.
2. A batch of 40 profiles with 1 and with 2 workers. Target: 2 workers at least 1.6x faster.
3. The whole default batch, then an unchanged re-run of it. Target: under 10% of the first run.

Run with ``make bench`` (or ``python benchmarks/bench_reports.py``); takes about 6 minutes
on 2 cores. Uses the default sample corpus (40 councils, 2014 to 2025).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from lgsco_analysis import load, paths
from lgsco_analysis.dataset import parse_folder
from lgsco_analysis.reports import plan_reports, render_report, run_reports
from lgsco_analysis.sample import write_sample_corpus

REPEATS = 5


def _render_once(notebook: Path, parameters: dict, processed: Path, out: Path) -> float:
    entry = {"path": "bench.html", "notebook": "bench.ipynb", "title": "bench", "parameters": parameters}
    job = {
        "entry": entry,
        "out_dir": str(out),
        "notebook_in": str(notebook),
        "processed_dir": str(processed),
        "cwd": str(notebook.parent),
    }
    started = time.perf_counter()
    result = render_report(job)
    elapsed = time.perf_counter() - started
    if result["status"] != "ok":
        sys.exit(f"benchmark render failed: {result['error']}")
    return elapsed


def _timed_run(processed: Path, out: Path, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    run = run_reports(processed, out, **kwargs)
    elapsed = time.perf_counter() - started
    if run.failed:
        sys.exit(f"benchmark batch had failures: {run.failed}")
    return elapsed, run


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="lgsco-bench-reports-"))
    try:
        write_sample_corpus(work / "raw")
        parse_folder(work / "raw", work / "processed", workers=2)
        processed = work / "processed"
        data = load(processed)
        profiles = [r for r in plan_reports(data) if r.kind == "authority_profile"]
        authorities = [r.authority for r in profiles]
        print(f"sample corpus: {len(data.letters)} letters, {len(authorities)} authorities")

        empty = work / "empty" / "empty.ipynb"
        empty.parent.mkdir()
        notebook = nbformat.v4.new_notebook()
        parameters_cell = nbformat.v4.new_code_cell('processed_dir = ""')
        parameters_cell.metadata["tags"] = ["parameters"]
        notebook.cells = [parameters_cell]
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, empty)

        profile_notebook = paths.NOTEBOOKS_DIR / "authority_profile.ipynb"
        profile_parameters = profiles[0].parameters
        floor, profile = [], []
        for _ in range(REPEATS):  # interleaved, so drift in the machine touches both alike
            floor.append(_render_once(empty, {}, processed, work / "floor"))
            profile.append(_render_once(profile_notebook, profile_parameters, processed, work / "profile"))
        floor_s, profile_s = statistics.median(floor), statistics.median(profile)
        print(f"empty notebook (floor), median of {REPEATS}: {floor_s:.2f} s")
        print(f"authority profile, median of {REPEATS}:      {profile_s:.2f} s")
        print(f"profile / floor = {profile_s / floor_s:.2f}x (target <= 1.5x)")

        one, _ = _timed_run(processed, work / "one", authorities=authorities, workers=1)
        two, _ = _timed_run(processed, work / "two", authorities=authorities, workers=2)
        print(f"{len(authorities)} profiles, 1 worker:  {one:.1f} s")
        print(f"{len(authorities)} profiles, 2 workers: {two:.1f} s")
        print(f"speed-up = {one / two:.2f}x (target >= 1.6x)")

        first, run = _timed_run(processed, work / "all", workers=2)
        again, rerun = _timed_run(processed, work / "all", workers=2)
        print(f"whole batch ({len(run.rendered)} reports), first run: {first:.1f} s")
        print(f"unchanged re-run ({len(rerun.skipped)} skipped, {len(rerun.rendered)} rendered): {again:.2f} s")
        print(f"re-run / first run = {100 * again / first:.2f}% (target < 10%)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

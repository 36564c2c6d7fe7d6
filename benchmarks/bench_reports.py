"""Report rendering speed, each figure against a baseline measured in the same run.

1. One authority profile through ``run_reports`` against the floor: the same run with an
   empty notebook in place of the profile (kernel start-up, papermill, nbconvert, the
   runner's own loading and planning). Target: at most 1.5x.
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

from floor import write_empty_notebooks

from lgsco_analysis import load
from lgsco_analysis.dataset.tables import parse_folder
from lgsco_analysis.reports import plan_reports, run_reports
from lgsco_analysis.sample.corpus import write_sample_corpus

REPEATS = 5


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

        empty_notebooks = write_empty_notebooks(work / "empty")  # the runner's notebooks, each doing nothing

        one_profile = {"authorities": authorities[:1], "workers": 1, "force": True}
        floor, profile = [], []
        for _ in range(REPEATS):  # interleaved, so drift in the machine touches both alike
            floor.append(_timed_run(processed, work / "floor", notebooks_dir=empty_notebooks, **one_profile)[0])
            profile.append(_timed_run(processed, work / "profile", **one_profile)[0])
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

"""The real size: every English council, every year. Each figure against a baseline measured in the same run.

On the real-size preset (``lgsco sample --councils 330``, 2014 to 2025: 3,960 letters) and on the
default sample (40 councils: 480 letters):

1. A cold ``lgsco run`` (parse, export, every report; 2 workers) at each size. Target: real size
   under 10 minutes.
2. One profile against the floor: a batch of the same 20 profiles, then of an empty notebook in
   their place (kernel kept, papermill, nbconvert, the runner's own work), per report; and one
   profile alone, kernel start included, against one empty notebook alone. Target: at most 2.5x.
3. The same 20 profiles at the real size against the 480-letter corpus, per report. Target: at
   most 1.2x.
4. Bytes per report at the real size, by kind. Target: at most 300 KB.

Run with ``python benchmarks/bench_real_size.py``; takes about 12 minutes on 2 cores.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from floor import write_empty_notebooks

from lgsco_analysis.cli import main as lgsco
from lgsco_analysis.reports import run_reports
from lgsco_analysis.sample.corpus import write_sample_corpus

REAL_SIZE = 330
DEFAULT_SIZE = 40
BATCH = 20
REPEATS = 3


def _cold_run(raw: Path, root: Path) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        status = lgsco(["run", str(raw), "--processed", str(root / "processed"), "--out", str(root / "reports")])
    elapsed = time.perf_counter() - started
    if status != 0:
        sys.exit(f"lgsco run exited {status} in {root}")
    return elapsed


def _batch(processed: Path, out: Path, authorities: list[str], notebooks: Path | None = None) -> float:
    """Seconds per report for these profiles, one worker, every one rendered."""
    started = time.perf_counter()
    run = run_reports(processed, out, authorities=authorities, workers=1, force=True, notebooks_dir=notebooks)
    elapsed = time.perf_counter() - started
    if run.failed or len(run.rendered) != len(authorities):
        sys.exit(f"benchmark batch failed: {run.failed}")
    return elapsed / len(authorities)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="lgsco-bench-real-"))
    try:
        for size in (DEFAULT_SIZE, REAL_SIZE):
            write_sample_corpus(work / f"raw-{size}", councils=size)
        cold = {size: _cold_run(work / f"raw-{size}", work / f"run-{size}") for size in (DEFAULT_SIZE, REAL_SIZE)}
        manifests = {
            size: json.loads((work / f"run-{size}" / "reports" / "manifest.json").read_text()) for size in cold
        }
        for size, seconds in cold.items():
            reports = len(manifests[size]["reports"])
            print(
                f"cold lgsco run, {manifests[size]['letters']:,} letters, {reports} reports: {seconds:.0f} s "
                f"({seconds / 60:.1f} min)"
            )
        print(
            f"real size / default size: {cold[REAL_SIZE] / cold[DEFAULT_SIZE]:.1f}x the time for "
            f"{manifests[REAL_SIZE]['letters'] / manifests[DEFAULT_SIZE]['letters']:.1f}x the letters "
            f"(target: real size under 10 min)"
        )

        profiles = [e["authority"] for e in manifests[DEFAULT_SIZE]["reports"] if e["kind"] == "authority_profile"]
        authorities = profiles[:BATCH]  # named alike in both corpora: the first councils are the same
        real_profiles = {e["authority"] for e in manifests[REAL_SIZE]["reports"] if e["kind"] == "authority_profile"}
        assert set(authorities) <= real_profiles, "the default sample's councils are not in the real-size one"
        empty = write_empty_notebooks(work / "empty")
        processed = {size: work / f"run-{size}" / "processed" for size in cold}
        floor, real, small, single_floor, single_profile = [], [], [], [], []
        for repeat in range(REPEATS):  # interleaved, so drift in the machine touches each alike
            floor.append(_batch(processed[REAL_SIZE], work / f"floor-{repeat}", authorities, empty))
            real.append(_batch(processed[REAL_SIZE], work / f"real-{repeat}", authorities))
            small.append(_batch(processed[DEFAULT_SIZE], work / f"small-{repeat}", authorities))
            single_floor.append(_batch(processed[REAL_SIZE], work / f"one-floor-{repeat}", authorities[:1], empty))
            single_profile.append(_batch(processed[REAL_SIZE], work / f"one-real-{repeat}", authorities[:1]))
        floor_s, real_s, small_s = (statistics.median(x) for x in (floor, real, small))
        one_floor_s, one_profile_s = statistics.median(single_floor), statistics.median(single_profile)
        print(
            f"per report in a batch of {BATCH}, median of {REPEATS}: empty notebook (floor) {floor_s:.2f} s, "
            f"profile at real size {real_s:.2f} s, profile at {DEFAULT_SIZE} councils {small_s:.2f} s"
        )
        print(f"profile / floor, in a batch = {real_s / floor_s:.2f}x (target <= 2.5x)")
        print(
            f"one report alone, kernel start included: floor {one_floor_s:.2f} s, profile {one_profile_s:.2f} s "
            f"= {one_profile_s / one_floor_s:.2f}x"
        )
        print(f"profile at real size / at 480 letters = {real_s / small_s:.2f}x (target <= 1.2x)")

        reports = work / f"run-{REAL_SIZE}" / "reports"
        by_kind: dict[str, list[int]] = {}
        for entry in manifests[REAL_SIZE]["reports"]:
            by_kind.setdefault(entry["kind"], []).append((reports / entry["path"]).stat().st_size)
        for kind, sizes in sorted(by_kind.items()):
            print(
                f"{kind}: {len(sizes)} reports, median {statistics.median(sizes) / 1024:.0f} KB, "
                f"largest {max(sizes) / 1024:.0f} KB (target <= 300 KB)"
            )
        print(f"index.html: {(reports / 'index.html').stat().st_size / 1024:.0f} KB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The real size: every English council, every year. Each figure against a baseline measured in the same run.

On the real-size preset (``lgsco sample --councils 330``, 2014 to 2025: 3,960 letters) and on the
default sample (40 councils: 480 letters):

1. A cold ``lgsco run`` (parse, export, every report; 2 workers) at each size, by this code and by the
   code before issue 20 (``BASELINE_COMMIT``, taken from this repository's history into a temporary
   folder and run from there), with the machine's use over the run: CPU time / (wall time x cores).
   Targets: the real size at most 40% of the baseline's time, and under 5 minutes.
2. Nothing lost: every report of the baseline's real-size run has its new one, and every report of
   ``WORDS_BASELINE_COMMIT``'s real-size run reads the same in this code's
   (:mod:`lgsco_analysis.reports.figures`: alt texts, what the charts draw, the figures behind them,
   tables and words). Issue 22 changed what the reports say after the baseline, so the baseline's read
   differently by design.
3. One profile against the floor: a batch of the same 20 profiles, then of an empty notebook in
   their place (kernel kept, papermill, nbconvert, the runner's own work), per report; and one
   profile alone, kernel start included, against one empty notebook alone. Target: at most 2.0x.
   Beside them, a notebook that draws a profile's eight charts with nothing in them (one line each, no
   layout, as SVG): what matplotlib itself costs, under any profile drawn with it.
4. The same 20 profiles at the real size against the 480-letter corpus, per report. Target: at
   most 1.2x.
5. A warm re-run: the default sample's councils with 2014 to 2024 run cold, then 2025's letters
   added and ``lgsco run`` again: how many letters were parsed and reports rendered, in what time.
6. Bytes per report at the real size, by kind. Target: at most 300 KB.

Run with ``python benchmarks/bench_real_size.py``; took 22 minutes on 2 cores on 2026-12-04, 36 minutes on a
slower 2-core machine on 2026-12-06.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from floor import PROFILE_CHARTS, write_bare_chart_notebooks, write_empty_notebooks

from lgsco_analysis.reports import run_reports
from lgsco_analysis.reports.figures import reports_figures
from lgsco_analysis.sample.corpus import write_sample_corpus

REPOSITORY = Path(__file__).resolve().parent.parent
BASELINE_COMMIT = "807c40d"
"""The code before issue 20 (report speed): what this code's times are measured against."""
WORDS_BASELINE_COMMIT = "8b7ad48"
"""The code just before the charts were laid out and drawn once (issue 20, 2026-12-04), after issue 22 changed
what the reports say: this code's reports must read the same as its."""
REAL_SIZE = 330
DEFAULT_SIZE = 40
BATCH = 20
REPEATS = 2
WORKERS = 2


def _baseline_code(folder: Path, commit: str = BASELINE_COMMIT) -> Path:
    """A commit's files, from this repository's history, in ``folder``."""
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(REPOSITORY), "archive", commit], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def _lgsco_run(code: Path, raw: Path, root: Path) -> dict:
    """``lgsco run`` by the package in ``code`` (its notebooks too), in a process of its own: its seconds,
    the machine's use, manifest and output."""
    arguments = ["run", str(raw), "--processed", str(root / "processed"), "--out", str(root / "reports")]
    command = [sys.executable, "-c", f"import sys; from lgsco_analysis.cli import main; sys.exit(main({arguments!r}))"]
    environment = {**os.environ, "PYTHONPATH": str(code)}
    busy, started = _busy_seconds(), time.perf_counter()
    done = subprocess.run(command, env=environment, capture_output=True, text=True, cwd=root.parent)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"lgsco run by {code} exited {done.returncode}: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    use = (_busy_seconds() - busy) / (seconds * (psutil.cpu_count() or 1))
    manifest = json.loads((root / "reports" / "manifest.json").read_text())
    return {"seconds": seconds, "use": use, "manifest": manifest, "stdout": done.stdout}


def _batch(processed: Path, out: Path, authorities: list[str], notebooks: Path | None = None) -> tuple[float, float]:
    """Seconds per report for these profiles, one worker, every one rendered (the run's own work included), and
    the median report's own seconds (its manifest's duration)."""
    started = time.perf_counter()
    run = run_reports(processed, out, authorities=authorities, workers=1, force=True, notebooks_dir=notebooks)
    elapsed = time.perf_counter() - started
    if run.failed or len(run.rendered) != len(authorities):
        sys.exit(f"benchmark batch failed: {run.failed}")
    return elapsed / len(authorities), statistics.median(entry["duration_s"] for entry in run.entries)


def _worker_seconds_by_kind(manifest: dict) -> str:
    by_kind: dict[str, list[float]] = {}
    for entry in manifest["reports"]:
        by_kind.setdefault(entry["kind"], []).append(entry["duration_s"])
    return ", ".join(
        f"{kind} {len(times)} x median {statistics.median(times):.2f} s" for kind, times in sorted(by_kind.items())
    )


def _cold_runs(work: Path, old_code: Path, words_code: Path) -> dict:
    runs = {}
    for size in (DEFAULT_SIZE, REAL_SIZE):
        for version, code in (("baseline", old_code), ("this code", REPOSITORY)):
            runs[size, version] = _lgsco_run(code, work / f"raw-{size}", work / f"{version.replace(' ', '-')}-{size}")
    runs[REAL_SIZE, "words"] = _lgsco_run(words_code, work / f"raw-{REAL_SIZE}", work / f"words-{REAL_SIZE}")
    for size in (DEFAULT_SIZE, REAL_SIZE):
        old, new = runs[size, "baseline"], runs[size, "this code"]
        print(
            f"cold lgsco run, {new['manifest']['letters']:,} letters, {len(new['manifest']['reports'])} reports: "
            f"{new['seconds']:.0f} s ({new['seconds'] / 60:.1f} min, machine use {new['use']:.0%}) against the "
            f"baseline's {old['seconds']:.0f} s (use {old['use']:.0%}) = {new['seconds'] / old['seconds']:.0%}"
        )
        print(f"  worker time by report: this code {_worker_seconds_by_kind(new['manifest'])}")
        print(f"  baseline {_worker_seconds_by_kind(old['manifest'])}")
    words, new = runs[REAL_SIZE, "words"], runs[REAL_SIZE, "this code"]
    print(
        f"  against {WORDS_BASELINE_COMMIT}, the code just before this stop: {new['seconds']:.0f} s against "
        f"{words['seconds']:.0f} s = {new['seconds'] / words['seconds']:.0%}"
    )
    print("targets: the real size at most 40% of the baseline's time, and under 5 min")
    return runs


def _nothing_lost(work: Path, runs: dict) -> None:
    new = runs[REAL_SIZE, "this code"]["manifest"]
    new_paths = {entry["path"] for entry in new["reports"]}
    old_paths = sorted(entry["path"] for entry in runs[REAL_SIZE, "baseline"]["manifest"]["reports"])
    missing = sorted(set(old_paths) - new_paths)
    print(
        f"nothing lost: {len(old_paths) - len(missing)} of the baseline's {len(old_paths)} reports rendered again; "
        f"missing: {missing[:5] or 'none'}"
    )
    paths = sorted(entry["path"] for entry in runs[REAL_SIZE, "words"]["manifest"]["reports"])
    missing = sorted(set(paths) - new_paths)
    said_then = reports_figures(work / f"words-{REAL_SIZE}" / "reports", paths)
    said_now = reports_figures(work / f"this-code-{REAL_SIZE}" / "reports", [p for p in paths if p not in missing])
    differ = [path for path in said_now if said_now[path] != said_then[path]]
    charts = sum("chart" in item for items in said_now.values() for item in items)
    print(
        f"  against {WORDS_BASELINE_COMMIT}: {len(paths) - len(missing) - len(differ)} of its {len(paths)} reports "
        f"read the same ({charts:,} charts); differing: {differ[:5] or 'none'}; missing: {missing[:5] or 'none'}"
    )


def _batches(work: Path, runs: dict) -> None:
    manifests = {size: runs[size, "this code"]["manifest"] for size in (DEFAULT_SIZE, REAL_SIZE)}
    profiles = [e["authority"] for e in manifests[DEFAULT_SIZE]["reports"] if e["kind"] == "authority_profile"]
    authorities = profiles[:BATCH]  # named alike in both corpora: the first councils are the same
    real_profiles = {e["authority"] for e in manifests[REAL_SIZE]["reports"] if e["kind"] == "authority_profile"}
    assert set(authorities) <= real_profiles, "the default sample's councils are not in the real-size one"
    empty = write_empty_notebooks(work / "empty")
    bare = write_bare_chart_notebooks(work / "bare")
    processed = {size: work / f"this-code-{size}" / "processed" for size in manifests}
    floor, real, small, single_floor, single_profile, own_floor, own_real = [], [], [], [], [], [], []
    bare_charts, own_bare = [], []
    for repeat in range(REPEATS):  # interleaved, so drift in the machine touches each alike
        per_report, own = _batch(processed[REAL_SIZE], work / f"floor-{repeat}", authorities, empty)
        floor.append(per_report)
        own_floor.append(own)
        per_report, own = _batch(processed[REAL_SIZE], work / f"bare-{repeat}", authorities, bare)
        bare_charts.append(per_report)
        own_bare.append(own)
        per_report, own = _batch(processed[REAL_SIZE], work / f"real-{repeat}", authorities)
        real.append(per_report)
        own_real.append(own)
        small.append(_batch(processed[DEFAULT_SIZE], work / f"small-{repeat}", authorities)[0])
        single_floor.append(_batch(processed[REAL_SIZE], work / f"one-floor-{repeat}", authorities[:1], empty)[0])
        single_profile.append(_batch(processed[REAL_SIZE], work / f"one-real-{repeat}", authorities[:1])[0])
    floor_s, real_s, small_s = (statistics.median(x) for x in (floor, real, small))
    one_floor_s, one_profile_s = statistics.median(single_floor), statistics.median(single_profile)
    print(
        f"per report in a batch of {BATCH}, median of {REPEATS}: empty notebook (floor) {floor_s:.2f} s, "
        f"profile at real size {real_s:.2f} s, profile at {DEFAULT_SIZE} councils {small_s:.2f} s"
    )
    print(f"profile / floor, in a batch = {real_s / floor_s:.2f}x (target <= 2.0x)")
    bare_s = statistics.median(bare_charts)
    print(
        f"  under any profile drawn with matplotlib: {PROFILE_CHARTS} bare charts (a line each, no layout, no text "
        f"of ours) {bare_s:.2f} s per report = {bare_s / floor_s:.2f}x the floor; the profile = {real_s / bare_s:.2f}x "
        f"the bare charts (own time: bare {statistics.median(own_bare):.2f} s)"
    )
    own_floor_s, own_real_s = statistics.median(own_floor), statistics.median(own_real)
    print(
        f"  each report's own time (the manifest's median, without the run's work around the batch): "
        f"floor {own_floor_s:.2f} s, profile {own_real_s:.2f} s = {own_real_s / own_floor_s:.2f}x"
    )
    print(
        f"one report alone, kernel start included: floor {one_floor_s:.2f} s, profile {one_profile_s:.2f} s "
        f"= {one_profile_s / one_floor_s:.2f}x"
    )
    print(f"profile at real size / at 480 letters = {real_s / small_s:.2f}x (target <= 1.2x)")


def _warm_rerun(work: Path) -> None:
    raw = work / "raw-warm"
    write_sample_corpus(raw / "to-2024", councils=DEFAULT_SIZE, years=range(2014, 2025))
    cold = _lgsco_run(REPOSITORY, raw, work / "warm")
    write_sample_corpus(raw / "2025", councils=DEFAULT_SIZE, years=range(2025, 2026))
    warm = _lgsco_run(REPOSITORY, raw, work / "warm")
    started = {entry["path"]: entry["started"] for entry in cold["manifest"]["reports"]}
    rendered = [e for e in warm["manifest"]["reports"] if started.get(e["path"]) != e["started"]]
    parsed = [line for line in warm["stdout"].splitlines() if line.startswith("parsed")]
    print(
        f"warm re-run, {DEFAULT_SIZE} councils, 2025's letters added to 2014-2024's: {warm['seconds']:.0f} s against "
        f"the cold run's {cold['seconds']:.0f} s; {len(rendered)} of {len(warm['manifest']['reports'])} reports "
        f"rendered ({parsed[0] if parsed else 'no parse line'})"
    )


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="lgsco-bench-real-"))
    try:
        old_code = _baseline_code(work / "baseline-code")
        words_code = _baseline_code(work / "words-code", WORDS_BASELINE_COMMIT)
        for size in (DEFAULT_SIZE, REAL_SIZE):
            write_sample_corpus(work / f"raw-{size}", councils=size)
        runs = _cold_runs(work, old_code, words_code)
        _nothing_lost(work, runs)
        _batches(work, runs)
        _warm_rerun(work)
        reports = work / f"this-code-{REAL_SIZE}" / "reports"
        by_kind: dict[str, list[int]] = {}
        for entry in runs[REAL_SIZE, "this code"]["manifest"]["reports"]:
            by_kind.setdefault(entry["kind"], []).append((reports / entry["path"]).stat().st_size)
        for kind, sizes in sorted(by_kind.items()):
            print(
                f"{kind}: {len(sizes)} reports, median {statistics.median(sizes) / 1024:.0f} KB, "
                f"largest {max(sizes) / 1024:.0f} KB (target <= 300 KB)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

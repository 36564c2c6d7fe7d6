"""What writing every output as one set costs, against the code before it, measured in the same run.

The same steps are timed with this checkout and with an earlier commit (checked out into a
temporary folder with ``git worktree``), on the same sample letters:

1. a cold ``parse`` (each letter now copied once, hashing the bytes copied, and parsed from the copy);
2. ``export`` (now written as one set and switched in);
3. a cold ``report`` of every profile, then an unchanged re-run (the reports now carried into
   the new set by hard link, with the manifest and index, and switched in).

Run with ``python benchmarks/bench_consistency.py [BASELINE_COMMIT]`` (default ``HEAD``: the last
commit, so run it before committing the change). Takes about 4 minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
COUNCILS = 10
ROUNDS = 3
"""Each version runs this many times, alternately; the fastest of each is shown."""
STEPS = """
import sys, time, json
from pathlib import Path
import lgsco_analysis
from lgsco_analysis.dataset.tables import parse_folder
from lgsco_analysis.exports.tables import export_data
from lgsco_analysis.reports import run_reports

if __name__ == "__main__":
    raw, root = Path(sys.argv[1]), Path(sys.argv[2])
    assert lgsco_analysis.__file__.startswith(sys.argv[3]), lgsco_analysis.__file__
    times = {}
    started = time.perf_counter()
    parse_folder(raw, root / "processed", workers=2)
    times["parse (cold)"] = time.perf_counter() - started
    started = time.perf_counter()
    export_data(root / "processed", root / "reports" / "data")
    times["export"] = time.perf_counter() - started
    started = time.perf_counter()
    cold = run_reports(root / "processed", root / "reports", workers=2)
    times["report (cold)"] = time.perf_counter() - started
    started = time.perf_counter()
    again = run_reports(root / "processed", root / "reports", workers=2)
    times["report (unchanged re-run)"] = time.perf_counter() - started
    assert again.rendered == [] and len(again.skipped) == len(cold.entries), "the re-run rendered again"
    times["reports"] = len(cold.entries)
    print(json.dumps(times))
"""


def _timed(code_root: Path, raw: Path, work: Path) -> dict:
    script = work / "steps.py"
    script.write_text(STEPS)
    environment = {**os.environ, "PYTHONPATH": str(code_root)}
    done = subprocess.run(
        [sys.executable, str(script), str(raw), str(work), str(code_root)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=code_root,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    from lgsco_analysis.sample.corpus import write_sample_corpus

    baseline = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
    with tempfile.TemporaryDirectory(prefix="lgsco-bench-sets-") as folder:
        root = Path(folder)
        raw = root / "letters"
        write_sample_corpus(raw, seed=2014, councils=COUNCILS, years=range(2014, 2026))
        old_code = root / "baseline-code"
        subprocess.run(["git", "worktree", "add", "--detach", str(old_code), baseline], cwd=PROJECT_ROOT, check=True)
        try:
            rounds: dict[str, list[dict]] = {"baseline": [], "this checkout": []}
            for round_number in range(ROUNDS):  # alternating, so that neither gains from going second
                for name, code in (("baseline", old_code), ("this checkout", PROJECT_ROOT)):
                    work = root / f"{name}-{round_number}"
                    work.mkdir()
                    rounds[name].append(_timed(code, raw, work))
            results = {name: {step: min(r[step] for r in runs) for step in runs[0]} for name, runs in rounds.items()}
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_code)], cwd=PROJECT_ROOT, check=True)
    letters = COUNCILS * 12
    print(f"{letters} letters, {results['baseline']['reports']:.0f} reports, 2 workers; baseline {baseline}")
    print(f"fastest of {ROUNDS} runs of each, run alternately")
    print(f"{'step':28} {'baseline s':>11} {'this s':>9} {'ratio':>7}")
    for step in ("parse (cold)", "export", "report (cold)", "report (unchanged re-run)"):
        old, new = results["baseline"][step], results["this checkout"][step]
        print(f"{step:28} {old:11.2f} {new:9.2f} {new / old:7.2f}")


if __name__ == "__main__":
    main()

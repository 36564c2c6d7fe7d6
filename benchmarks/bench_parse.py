"""Parsing benchmark: every figure is a ratio against a baseline measured in the same run.

1. parse_letter per letter against the naive way, camelot.read_pdf(path, pages="all") with
   default settings; both timed after imports, in this one process, on the same letters.
2. A cold folder parse against a warm re-run (the cache) on the sample corpus.
3. Peak memory (RSS) parsing 40 and 4,000 letters (copies of the sample corpus), each in a
   fresh single process (workers=1), so that one number holds parsing and every result kept.

Run: .venv/bin/python benchmarks/bench_parse.py [--councils 40] [--memory 40,4000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import camelot

from lgsco_analysis import parse_letter
from lgsco_analysis.dataset import parse_folder
from lgsco_analysis.sample import write_sample_corpus

MEMORY_PROBE = """
import resource, sys
from lgsco_analysis.dataset import parse_folder
parse_folder(sys.argv[1], sys.argv[2], workers=1, use_cache=False)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def per_letter_seconds(function, paths: list[Path]) -> float:
    timings = []
    for path in paths:
        started = time.perf_counter()
        function(path)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def naive(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        camelot.read_pdf(str(path), pages="all")


def bench_per_letter(letters: list[Path]) -> None:
    parse_letter(letters[0])  # warm imports and caches for both
    naive(letters[0])
    ours = per_letter_seconds(parse_letter, letters)
    baseline = per_letter_seconds(naive, letters)
    print(
        f"per letter ({len(letters)} letters, median): parse_letter {ours * 1000:.1f} ms, "
        f"naive camelot {baseline * 1000:.1f} ms -> {baseline / ours:.1f}x faster (target >= 8x)"
    )


def bench_cold_warm(corpus: Path, work: Path) -> None:
    out = work / "processed"
    started = time.perf_counter()
    parse_folder(corpus, out, workers=2)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    parse_folder(corpus, out, workers=2)
    warm = time.perf_counter() - started
    count = len(list(corpus.glob("*.pdf")))
    print(
        f"folder of {count} letters, 2 workers: cold {cold:.2f} s, warm re-run {warm:.3f} s "
        f"-> warm is {100 * warm / cold:.1f}% of cold (target <= 5%)"
    )


def bench_memory(corpus: Path, work: Path, counts: list[int]) -> None:
    letters = sorted(corpus.glob("*.pdf"))
    peaks = {}
    for count in counts:
        folder = work / f"copies-{count}"
        folder.mkdir()
        for index in range(count):
            source = letters[index % len(letters)]
            (folder / f"{index // len(letters):03d}").mkdir(exist_ok=True)
            target = folder / f"{index // len(letters):03d}" / source.name
            target.hardlink_to(source)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", MEMORY_PROBE, str(folder), str(work / f"out-{count}")],
            capture_output=True,
            text=True,
            check=True,
        )
        peaks[count] = int(result.stdout.split()[-1])
        print(f"{count} letters: {time.perf_counter() - started:.1f} s; peak RSS {peaks[count] / 1024:.0f} MiB")
    if len(counts) == 2:
        small, large = counts
        print(f"peak memory {large} vs {small} letters: {peaks[large] / peaks[small]:.2f}x (target <= 1.5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=40, help="sample councils (x12 years of letters)")
    parser.add_argument("--memory", default="40,4000", help="letter counts for the memory runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        corpus = work / "sample"
        write_sample_corpus(corpus, councils=args.councils)
        letters = sorted(corpus.glob("*.pdf"))
        shared = Path(__file__).resolve().parents[2] / "shared" / "letters"
        chosen = letters[:: max(1, len(letters) // 40)][:40] + sorted(shared.glob("*.pdf"))
        bench_per_letter(chosen)
        bench_cold_warm(corpus, work)
        bench_memory(corpus, work, [int(x) for x in args.memory.split(",")])
        shutil.rmtree(work / "processed", ignore_errors=True)


if __name__ == "__main__":
    main()

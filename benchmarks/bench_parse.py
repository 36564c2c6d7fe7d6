"""Parsing benchmark: every figure is a ratio against a baseline measured in the same run.

1. parse_letter per letter against the naive way, camelot.read_pdf(path, pages="all") with
   default settings; both timed after imports, in this one process, on the same letters, for
   each set of letters as one PDF producer makes them: the sample (tables drawn every way),
   ../shared/letters (a word processor), ../shared/letters-chromium (Chromium's print to
   PDF) and the sample drawn each single way (ruled, filled, shaded, plain). Targets: 8x
   faster than naive on every set; each text-only format C letter under 20 ms.
   Then the same per print path (tests/print_paths.py): the letters re-printed by Ghostscript,
   cairo, qpdf, MuPDF and pikepdf transforms, each path's parse_letter against naive camelot
   on its own re-printed letters. Target: 20x on every path.
   Then the scans (tests/scans.py: image-only at 200 dpi, the same under a wrong OCR layer, text
   drawn as outlines), read by OCR: seconds per scanned page against parse_letter on the same
   letters' text layers (the baseline), fields exact against truth.json, and how many letters
   came out ok with a figure missing or wrong (target: none). And the text-layer letters with
   OCR on against --no-ocr (target: 1.0x: OCR runs only where a page needs it).
2. A cold folder parse against a warm re-run (the cache) on the sample corpus.
3. Peak memory (RSS) parsing 40 and 4,000 letters (copies of the sample corpus), each in a
   fresh process with one worker: the larger of the parent's peak (every result kept) and
   the worker's (the parsing).

Run: .venv/bin/python benchmarks/bench_parse.py [--councils 40] [--memory 40,4000] [--only print-paths|scans]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import camelot

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' print paths

from lgsco_analysis import parse_letter
from lgsco_analysis.dataset.tables import parse_folder
from lgsco_analysis.sample.corpus import write_sample_corpus
from lgsco_analysis.sample.typesetting import TABLE_DRAWINGS

MEMORY_PROBE = """
import resource, sys
from lgsco_analysis.dataset.tables import parse_folder
parse_folder(sys.argv[1], sys.argv[2], workers=1, use_cache=False)
print(max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
"""
"""Peak RSS of the parent (which keeps every result) or of its worker (which parses), whichever is larger."""


SCAN_YEARS = (2016, 2018, 2021, 2025)
"""Format A in both layouts, C and D: the letters of each drawing that are scanned."""


def timed(function, paths: list[Path]) -> list[float]:
    timings = []
    for path in paths:
        started = time.perf_counter()
        function(path)
        timings.append(time.perf_counter() - started)
    return timings


def naive(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        camelot.read_pdf(str(path), pages="all")


def text_only_c(folder: Path) -> list[Path]:
    """The set's format C letters that print no table: statistics as sentences alone."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return [folder / e["file"] for e in truth if e["layout"] == "C" and e["received"] is None]


def bench_per_letter(sets: dict[str, list[Path]], text_only: list[Path]) -> None:
    first = next(iter(sets.values()))[0]
    parse_letter(first)  # warm imports and caches for both
    naive(first)
    print(f"{'set':<26}{'letters':>8}{'parse_letter':>14}{'naive camelot':>15}{'faster':>9}  (medians; target >= 8x)")
    for name, letters in sets.items():
        ours, baseline = statistics.median(timed(parse_letter, letters)), statistics.median(timed(naive, letters))
        print(f"{name:<26}{len(letters):>8}{ours * 1000:>11.1f} ms{baseline * 1000:>12.1f} ms{baseline / ours:>8.1f}x")
    ours, baseline = timed(parse_letter, text_only), timed(naive, text_only)
    print(
        f"text-only format C ({len(text_only)} letters, every producer): parse_letter median "
        f"{statistics.median(ours) * 1000:.1f} ms, slowest {max(ours) * 1000:.1f} ms (target < 20 ms each); "
        f"naive camelot median {statistics.median(baseline) * 1000:.1f} ms"
    )


def bench_print_paths(letters: list[Path], work: Path) -> None:
    from tests.print_paths import DAMAGING_PATHS, PRINT_PATHS, missing_tool, reprint

    heading = f"{'print path':<28}{'letters':>8}{'parse_letter':>14}{'naive camelot':>15}{'faster':>9}"
    print(f"{heading}  (medians; target >= 20x)")
    for name, (_, tool) in {"original": (None, None), **PRINT_PATHS, **DAMAGING_PATHS}.items():
        if tool and missing_tool(tool):
            print(f"{name:<28} skipped: {missing_tool(tool)}")
            continue
        folder = work / "print-paths" / name
        folder.mkdir(parents=True)
        printed = letters if tool is None else [reprint(name, letter, folder) for letter in letters]
        ours, baseline = statistics.median(timed(parse_letter, printed)), statistics.median(timed(naive, printed))
        print(f"{name:<28}{len(printed):>8}{ours * 1000:>11.1f} ms{baseline * 1000:>12.1f} ms{baseline / ours:>8.1f}x")


def bench_scans(letters: list[tuple[Path, dict]], work: Path) -> None:
    import pypdfium2 as pdfium

    from tests.conftest import as_truth
    from tests.scans import SCANS, scan
    from tests.test_ocr import fields, wrong_and_missing

    originals = [path for path, _ in letters]
    pages = sum(len(pdfium.PdfDocument(path)) for path in originals)

    def no_ocr(path: Path) -> None:
        parse_letter(path, ocr=False)

    timed(parse_letter, originals[:3])  # warmed up first, then each way twice in turn: no order favoured
    with_ocr = without = 0.0
    for _ in range(2):
        with_ocr, without = with_ocr + sum(timed(parse_letter, originals)), without + sum(timed(no_ocr, originals))
    with_ocr, without = with_ocr / 2, without / 2
    print(
        f"text-layer letters ({len(originals)}, {pages} pages): OCR on {with_ocr / pages * 1000:.1f} ms a page, "
        f"--no-ocr {without / pages * 1000:.1f} ms a page: {with_ocr / without:.2f}x"
    )
    heading = f"{'scan':<26}{'letters':>8}{'s a page':>10}{'vs text layer':>15}{'fields exact':>16}{'ok, wrong':>11}"
    print(heading)
    for kind in SCANS:
        folder = work / "scans" / kind
        folder.mkdir(parents=True)
        total = exact = ok_with_less = 0
        seconds = 0.0
        for source, expected in letters:
            scanned = scan(kind, source, folder)
            started = time.perf_counter()
            letter = parse_letter(scanned)
            seconds += time.perf_counter() - started
            wrong, missing = wrong_and_missing(letter, expected)
            count = len(fields({key: expected[key] for key in as_truth(letter)}))
            total, exact = total + count, exact + count - len(wrong) - len(missing)
            ok_with_less += letter.status == "ok" and bool(wrong or missing)
        per_page, text_per_page = seconds / pages, without / pages
        print(
            f"{kind:<26}{len(letters):>8}{per_page:>9.2f}s{per_page / text_per_page:>14.0f}x"
            f"{exact:>8}/{total} {exact / total:>5.1%}{ok_with_less:>7}"
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
    parser.add_argument("--only", choices=["print-paths", "scans"], help="run that part alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        corpus = work / "sample"
        write_sample_corpus(corpus, councils=args.councils)
        letters = sorted(corpus.glob("*.pdf"))
        folders = {"sample (every drawing)": corpus}
        shared = Path(__file__).resolve().parents[2] / "shared"
        for name in ("letters", "letters-chromium"):
            if (shared / name / "truth.json").exists():
                folders[f"shared/{name}"] = shared / name
            else:
                print(f"(../shared/{name} is absent: that set is left out)")
        for drawing in TABLE_DRAWINGS:
            folders[f"sample drawn {drawing}"] = work / drawing
            write_sample_corpus(work / drawing, seed=11, councils=2, tables=drawing)
        sets = {name: sorted(folder.glob("*.pdf")) for name, folder in folders.items()}
        sets["sample (every drawing)"] = letters[:: max(1, len(letters) // 40)][:40]
        reprinted = [path for name, paths in sets.items() if name.startswith("shared/") for path in paths]
        reprinted += [paths[index] for name, paths in sets.items() if "drawn" in name for index in (3, 6, 11)]
        if args.only in (None, "print-paths"):
            bench_print_paths(reprinted, work)
        if args.only in (None, "scans"):
            scanned = []
            for drawing in TABLE_DRAWINGS:
                truth = {e["file"]: e for e in json.loads((work / drawing / "truth.json").read_text())}
                first = next(iter(truth.values()))["authority"]  # one council's letters a drawing
                scanned += [
                    (work / drawing / name, e)
                    for name, e in truth.items()
                    if e["year_ending"] in SCAN_YEARS and e["authority"] == first
                ]
            bench_scans(scanned, work)
        if args.only:
            return
        bench_per_letter(sets, [path for folder in folders.values() for path in text_only_c(folder)])
        bench_cold_warm(corpus, work)
        bench_memory(corpus, work, [int(x) for x in args.memory.split(",")])
        shutil.rmtree(work / "processed", ignore_errors=True)


if __name__ == "__main__":
    main()

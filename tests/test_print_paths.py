"""Re-printing as a property: every letter of the corpus, through every print path, reads as the original.

The corpus is the project's own (a sample letter of every format in every drawing style
``lgsco sample`` has) and, where ``../shared`` is beside the checkout, its word-processor and
browser letters. A path of :data:`PRINT_PATHS` must give exactly the original's tables and
statistics, ``ok``; a path of :data:`DAMAGING_PATHS` may leave nothing readable, but then the
letter is a ``warning`` or ``error`` saying why: never ``ok`` with less. ``make check`` runs one
small letter per path; ``make test`` the whole corpus.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from itertools import cycle
from pathlib import Path

import pytest

from lgsco_analysis import parse_letter
from lgsco_analysis.sample.typesetting import TABLE_DRAWINGS

from .conftest import SHARED, sample_letters, truth_differences
from .print_paths import DAMAGING_PATHS, PRINT_PATHS, missing_tool, reprint

YEARS = (2015, 2018, 2019, 2021, 2024, 2025)
"""Format A with and without remedies, both A layouts, format C early and late, format D."""
FEWER_YEARS = (2018, 2021, 2025)
"""A letter of each format, for the paths whose every letter costs seconds to read again (measured in one run of
the suite: without unicode maps 179 s and through MuPDF 102 s over ``YEARS``, each other path 5 to 16 s)."""
SLOW_PATHS = ("no-unicode-maps", "mutool")


def _shared_letters() -> list[tuple[Path, dict]]:
    letters = []
    for folder in ("letters", "letters-chromium"):
        truth = SHARED / folder / "truth.json"
        if truth.exists():
            letters += [(SHARED / folder / entry["file"], entry) for entry in json.loads(truth.read_text())]
    return letters


def outcome(path_name: str, source: Path, expected: dict, out_dir: Path) -> str | None:
    """What is wrong with the re-printed letter, or None when it reads as it must."""
    letter = parse_letter(reprint(path_name, source, out_dir))
    differences = truth_differences(letter, expected)
    where = f"{path_name} {source.parent.name}/{source.name}"
    if path_name in PRINT_PATHS:
        if differences or letter.status != "ok":
            return f"{where}: {letter.status} {differences or letter.problems}"
        return None
    if differences and letter.status == "ok":
        return f"{where}: ok with less: {differences}"
    if letter.status != "ok" and not letter.problems:
        return f"{where}: {letter.status} without a reason"
    if any(problem.startswith("not an LGSCO") for problem in letter.problems):
        return f"{where}: the wrong reason: {letter.problems}"
    return None


def _skip_without(path_name: str) -> None:
    _, tool = {**PRINT_PATHS, **DAMAGING_PATHS}[path_name]
    reason = missing_tool(tool)
    if reason:
        pytest.skip(f"print path {path_name}: {reason}")


ALL_PATHS = [*PRINT_PATHS, *DAMAGING_PATHS]


@pytest.fixture(scope="module")
def one_letter_each(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """One small sample letter per path, the formats and drawings taken in turn."""
    root = tmp_path_factory.mktemp("one-each")
    letters = sample_letters(root, list(TABLE_DRAWINGS), (2018, 2024, 2025))
    by_kind = {(entry["layout"], entry["tables_drawn"]): (path, entry) for path, entry in letters}
    kinds = cycle(sorted(by_kind))
    return {path_name: by_kind[next(kinds)] for path_name in ALL_PATHS}


@pytest.mark.parametrize("path_name", ALL_PATHS)
def test_one_letter_reads_the_same_through_each_print_path(path_name, one_letter_each, tmp_path):
    _skip_without(path_name)
    source, expected = one_letter_each[path_name]
    assert outcome(path_name, source, expected, tmp_path) is None


def _outcome(job: tuple[str, Path, dict, Path]) -> str | None:
    return outcome(*job)


@pytest.mark.slow
@pytest.mark.parametrize("path_name", ALL_PATHS)
def test_every_letter_reads_the_same_through_each_print_path(path_name, tmp_path):
    _skip_without(path_name)
    years = FEWER_YEARS if path_name in SLOW_PATHS else YEARS
    letters = sample_letters(tmp_path / "sample", list(TABLE_DRAWINGS), years) + _shared_letters()
    jobs = [(path_name, source, expected, tmp_path) for source, expected in letters]
    with ProcessPoolExecutor(2) as pool:
        failures = [failure for failure in pool.map(_outcome, jobs) if failure]
    assert failures == []
    assert len(jobs) >= len(TABLE_DRAWINGS) * len(years)

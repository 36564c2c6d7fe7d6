"""Councils' statistics pages (saved by ``lgsco fetch``) as a second source of the letters' figures.

Each page is read (``read/statistics_page.py``) and held against its council's letter for the
same year: every figure both print must agree, and a disagreement is a problem on the letter
naming both. A page for a council and year that no letter gives is kept, its figures used and
labelled ``source_kind = statistics_page``; a page a letter covers adds no figure of its own.
"""

from __future__ import annotations

from pathlib import Path

from ..read.record import Letter, unreadable
from ..read.statistics_page import read_statistics_page
from ..rules.vocabulary import STATISTICS_PAGE, Status
from .groups import name_key

STATISTICS_FOLDER = "statistics"
"""Pages are read from ``*.html`` files in folders of this name (where ``lgsco fetch`` saves them)."""


def find_statistics_pages(raw_dir: Path) -> list[Path]:
    """Every ``statistics/*.html`` below raw_dir, in a stable order."""
    return sorted(p for p in raw_dir.rglob("*.html") if p.parent.name == STATISTICS_FOLDER and p.is_file())


def read_pages(raw_dir: Path, pages: list[Path]) -> list[Letter]:
    """Each page as a record; one that cannot be read is an ``error`` row saying why."""
    read = []
    for path in pages:
        source = path.relative_to(raw_dir).as_posix()
        try:
            read.append(read_statistics_page(path, source))
        except OSError as error:
            failed = unreadable(source, "", f"could not be read: {error.strerror or error}")
            failed.source_kind = STATISTICS_PAGE
            read.append(failed)
    return read


def compare_with_pages(letters: list[Letter], pages: list[Letter]) -> list[Letter]:
    """Hold each page against its council's letters for its year (problems go on the letters); return the
    pages to keep: those no letter covers, and those that could not be read."""
    by_council_year: dict[tuple[str, int], list[Letter]] = {}
    for letter in letters:
        if letter.status != Status.ERROR and letter.authority and letter.year_ending is not None:
            by_council_year.setdefault((name_key(letter.authority), letter.year_ending), []).append(letter)
    kept = []
    for page in pages:
        covered = None
        if page.status != Status.ERROR and page.authority and page.year_ending is not None:
            covered = by_council_year.get((name_key(page.authority), page.year_ending))
        if not covered:
            kept.append(page)
            continue
        for letter in covered:
            problems = disagreements(letter, page)
            letter.problems += problems
            if problems:
                letter.status = Status.WARNING
    return kept


def disagreements(letter: Letter, page: Letter) -> list[str]:
    """One line for each figure the letter and the page both print, differently."""
    pairs: list[tuple[str, object, object]] = [("complaints dealt with", letter.decisions_total, page.decisions_total)]
    pairs += [
        (f"{name.replace('_', ' ')} decisions", letter.decisions.get(name), count)
        for name, count in page.decisions.items()
    ]
    for measure, statistic in page.statistics.items():
        printed = letter.statistics.get(measure, {})
        for part, value in statistic.items():
            what = measure.replace("_", " ") + ("" if part == "value" else f" ({part.replace('_', ' ')})")
            pairs.append((what, printed.get(part), value))
    return [
        f"the council's statistics page ({page.source}) prints the {what} as {_shown(on_page)}, the letter as "
        f"{_shown(in_letter)}"
        for what, in_letter, on_page in pairs
        if in_letter is not None and on_page is not None and in_letter != on_page
    ]


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)

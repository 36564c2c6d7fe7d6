"""Sample letter PDFs for fictional councils, in each year's format, with their right answers.

The figures come from :mod:`sample_figures`, the typesetting from :mod:`sample_typesetting`;
this module writes a corpus: one letter per council per year, ``truth.json`` and the councils'
comparison groups.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from ..dataset.groups import GROUP_TABLE_NAME
from ..errors import InvalidInput
from ..paths import slugify
from .figures import NATIONAL_UPHOLD_RATE, Council, YearFigures, make_councils, make_figures
from .typesetting import TABLE_DRAWINGS, render_letter

TRUTH_FILE = "truth.json"
AUTHORITIES_FILE = GROUP_TABLE_NAME
"""The sample councils' comparison groups, in the form of the reference table, found by ``lgsco parse``."""

MIXED = "mixed"
"""Each letter drawn one of the :data:`TABLE_DRAWINGS` ways, at random (the default)."""


def _span(years: range) -> str:
    return f"{years.start} to {years.stop - 1}" if len(years) != 1 else str(years.start)


def parse_years(text: str) -> range:
    """``2018`` or ``2014-2025`` as a range of years; raises ValueError for anything else."""
    first, dash, last = text.strip().partition("-")
    if not first.isdigit() or (dash and not last.isdigit()):
        raise InvalidInput(f"--years takes a year or a range such as 2014-2025, not {text!r}")
    years = range(int(first), int(last or first) + 1)
    if not years:
        raise InvalidInput(f"--years {text}: the first year comes after the last")
    return years


def letter_drawing(figures: YearFigures, seed: int, tables: str = MIXED) -> str:
    """How one letter's tables are drawn: ``tables`` itself, or for ``mixed`` a draw of its own."""
    if tables != MIXED:
        return tables
    rng = np.random.default_rng([seed, figures.council.index, figures.year, 2])  # apart from the layout's draws
    return str(rng.choice(list(TABLE_DRAWINGS)))


def truth_entry(figures: YearFigures, file_name: str, drawing: str) -> dict:
    """The right answers for one letter, in the form of the shared ``truth.json``, and how it was drawn."""
    return {
        "file": file_name,
        "tables_drawn": drawing,
        "authority": figures.council.name,
        "year_ending": figures.year,
        "layout": figures.format,
        "received": figures.received,
        "received_total": figures.received_total,
        "decisions": dict(sorted(figures.decisions.items())),
        "decisions_total": figures.decisions_total,
        "remedies": figures.remedies,
        "statistics": figures.statistics,
    }


def write_sample_corpus(
    out_dir: str | Path,
    *,
    seed: int = 2014,
    councils: int = 40,
    years: range = range(2014, 2026),
    tables: str = MIXED,
) -> list[Path]:
    """Write one letter per council per year and ``truth.json``; return the PDFs' paths.

    ``tables`` is one of :data:`TABLE_DRAWINGS`, or ``mixed`` to draw each letter one of those ways.
    """
    if tables != MIXED and tables not in TABLE_DRAWINGS:
        raise InvalidInput(f"unknown table drawing {tables!r}: use {MIXED} or one of {', '.join(TABLE_DRAWINGS)}")
    known = sorted(NATIONAL_UPHOLD_RATE)
    if not years or years[0] < known[0] or years[-1] > known[-1]:
        raise InvalidInput(f"sample letters can be written for the years {known[0]} to {known[-1]}, not {_span(years)}")
    if councils < 1:
        raise InvalidInput("--councils must be 1 or more")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    council_list: list[Council] = make_councils(seed, councils)
    all_figures = make_figures(seed, council_list, years)
    written, truth = [], []
    for figures in all_figures:
        file_name = f"{slugify(figures.council.name)}-{figures.year}.pdf"
        drawing = letter_drawing(figures, seed, tables)
        render_letter(figures, out_dir / file_name, seed, drawing)
        written.append(out_dir / file_name)
        truth.append(truth_entry(figures, file_name, drawing))
    (out_dir / TRUTH_FILE).write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    with (out_dir / AUTHORITIES_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "ons_code", "group"])
        writer.writerows([council.name, "", council.group] for council in council_list)
    (out_dir / "README.md").write_text(
        "# Sample letters\n\nFictional councils with made-up figures, written by `lgsco sample` "
        f"(seed {seed}). Not LGSCO documents. `{TRUTH_FILE}` holds what each letter should parse to; "
        f"`{AUTHORITIES_FILE}` their groups.\n",
        encoding="utf-8",
    )
    return written

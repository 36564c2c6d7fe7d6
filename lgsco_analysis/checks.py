"""Checks that hold in every well-read letter; each failure is one plain-English line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .formats import FORMAT_YEARS
from .vocabulary import DECISIONS_BY_FORMAT, PERCENT_MEASURES, RECEIVED_CATEGORIES

if TYPE_CHECKING:
    from .letter import Letter

ROUNDING_TOLERANCE = 0.5 + 1e-9
"""A printed whole percentage may differ from the exact one by half a point."""


def check_found(letter: Letter) -> list[str]:
    """The authority's name and the year are found, and the format is one used that year."""
    problems = []
    if not letter.authority:
        problems.append("the authority's name was not found")
    if letter.year_ending is None:
        problems.append("the year the letter covers was not found")
    elif letter.format and letter.year_ending not in FORMAT_YEARS[letter.format]:
        problems.append(f"a letter for {letter.year_ending} in format {letter.format} is unexpected")
    return problems


def check_expected_tables(letter: Letter) -> list[str]:
    """What each format always prints is there: complete tables, and the statistics of format C and D."""
    problems = []
    if letter.format == "A" or letter.received or letter.received_total is not None:
        missing = [c for c in RECEIVED_CATEGORIES if c not in letter.received]
        if missing or letter.received_total is None:
            problems.append(
                "the complaints received table is missing or incomplete"
                + (f" (no {', '.join(missing)})" if missing and len(missing) < 9 else "")
            )
    if letter.format == "A":
        missing = [d for d in DECISIONS_BY_FORMAT["A"] if d not in letter.decisions]
        if missing or letter.decisions_total is None:
            problems.append(
                "the decisions table is missing or incomplete"
                + (f" (no {', '.join(missing)})" if missing and len(missing) < 6 else "")
            )
        if (letter.year_ending or 0) >= 2016 and len(letter.remedies) < 2:
            problems.append("the complaints remedied table (printed from 2016) is missing or incomplete")
    if letter.format == "D":
        missing = [d for d in DECISIONS_BY_FORMAT["D"] if d not in letter.decisions]
        if missing or letter.decisions_total is None:
            problems.append("the complaint overview is missing or incomplete")
    if letter.format == "C" and not letter.statistics:
        problems.append("none of the three headline statistics was found")
    return problems


def check_received_adds_up(letter: Letter) -> list[str]:
    """The nine categories of complaints received add up to the printed total."""
    if letter.received_total is None or len(letter.received) < len(RECEIVED_CATEGORIES):
        return []
    added = sum(letter.received.values())
    if added != letter.received_total:
        return [f"the categories received add up to {added}, not the printed total {letter.received_total}"]
    return []


def check_decisions_add_up(letter: Letter) -> list[str]:
    """The decisions (format A) or the three kinds of outcome (format D) add up to the printed total."""
    parts = DECISIONS_BY_FORMAT["A"] if letter.format == "A" else ("not_for_us", "assessed_and_closed", "investigated")
    if letter.format not in ("A", "D") or letter.decisions_total is None:
        return []
    if any(part not in letter.decisions for part in parts):
        return []
    added = sum(letter.decisions[part] for part in parts)
    if added != letter.decisions_total:
        what = "the decisions" if letter.format == "A" else "not for us + assessed and closed + investigated"
        return [f"{what} add up to {added}, not the printed total {letter.decisions_total}"]
    return []


def investigated_count(letter: Letter) -> int | None:
    """Detailed investigations: upheld + not upheld in format A, as printed in C and D."""
    if letter.format == "A":
        if "upheld" in letter.decisions and "not_upheld" in letter.decisions:
            return letter.decisions["upheld"] + letter.decisions["not_upheld"]
        return None
    return letter.decisions.get("investigated")


def check_uphold_rate(letter: Letter) -> list[str]:
    """No more upheld than investigated, and a printed uphold rate matches its counts to within rounding."""
    problems = []
    investigated, upheld = investigated_count(letter), letter.decisions.get("upheld")
    if investigated is not None and upheld is not None and upheld > investigated:
        problems.append(f"{upheld} upheld is more than the {investigated} investigated")
    printed = letter.statistics.get("uphold_rate", {}).get("value")
    if printed is None or not investigated or upheld is None or upheld > investigated:
        return problems
    exact = 100 * upheld / investigated
    if abs(exact - printed) > ROUNDING_TOLERANCE:
        problems.append(
            f"the printed uphold rate {printed:g}% does not match {upheld} upheld of "
            f"{investigated} investigated ({exact:.1f}%)"
        )
    return problems


def check_rates_in_range(letter: Letter) -> list[str]:
    """Every printed percentage and average lies between 0 and 100."""
    problems = []
    for measure in PERCENT_MEASURES:
        statistic = letter.statistics.get(measure, {})
        for part in ("value", "similar_average"):
            value = statistic.get(part)
            if value is not None and not 0 <= value <= 100:
                problems.append(
                    f"the {measure.replace('_', ' ')} {part.replace('_', ' ')} {value:g}% is outside 0 to 100"
                )
    return problems


CHECKS = (
    check_found,
    check_expected_tables,
    check_received_adds_up,
    check_decisions_add_up,
    check_uphold_rate,
    check_rates_in_range,
)
"""Every check run on every letter, in order; each returns its problems."""


def check_letter(letter: Letter) -> list[str]:
    """Every problem the checks find in one letter."""
    return [problem for check in CHECKS for problem in check(letter)]

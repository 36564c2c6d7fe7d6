"""Checks that hold in every well-read letter; each failure is one plain-English line."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from ..rules.formats import FORMAT_YEARS, NAME_ENDS, PRINTED_FIGURES, TABLE_YEARS
from ..rules.rates import uphold_rate
from ..rules.vocabulary import (
    DECISION_PARTS,
    DECISIONS_BY_FORMAT,
    PERCENT_MEASURES,
    RECEIVED_CATEGORIES,
    REMEDIES,
    TABLES_BY_HEADING,
)
from .readings import Target
from .record import Letter

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


AUTHORITY_NAME_MAX = 90
"""Longer than any English council's name as letters print it (the longest are under 60 characters)."""


def scripts_of(name: str) -> list[str]:
    """The scripts of the name's letters, in order of first use: ["LATIN"], or ["LATIN", "CYRILLIC"]."""
    found = (unicodedata.name(char, "UNKNOWN").split()[0] for char in name if char.isalpha())
    return list(dict.fromkeys(found))


def check_authority_name(letter: Letter) -> list[str]:
    """The authority's name is in one script, of a council's length, and ends as a council's name does."""
    name = letter.authority or ""
    problems = []
    scripts = scripts_of(name)
    if len(scripts) > 1:
        problems.append(
            f"the authority's name {name!r} mixes letters of scripts {' and '.join(s.title() for s in scripts)}: "
            "a look-alike of another name, kept apart from it"
        )
    if len(name) > AUTHORITY_NAME_MAX:
        problems.append(
            f"the authority's name is {len(name)} characters long ({name[:60]!r}...): not a name as printed"
        )
    elif name and not NAME_ENDS.search(name):
        problems.append(
            f"the authority's name {name!r} does not end as a council's does (Council, Corporation, Authority, "
            "or London Borough of ...): a heading cut short?"
        )
    return problems


def _table_problem(table: str, missing: list[str], whole: int, total_missing: bool, headed: bool) -> list[str]:
    """One line for an expected table that is absent or incomplete, naming what is missing."""
    name = TABLES_BY_HEADING[table]
    if len(missing) == whole:
        read = " (its heading is printed, but no values were read under it)" if headed else ""
        return [f"the {name} table is missing{read}"]
    if missing or total_missing:
        return [f"the {name} table is incomplete (no {', '.join([*missing, 'total'] if total_missing else missing)})"]
    return []


def check_expected_tables(letter: Letter) -> list[str]:
    """Each table the format always prints, or whose heading the letter prints, is read whole."""
    headed = set(letter.printed_tables)
    expected = {
        "received": letter.format == "A" or bool(letter.received) or letter.received_total is not None,
        "decisions": letter.format == "A",
        "remedies": letter.format == "A" and letter.year_ending in TABLE_YEARS["remedies"],
        "overview": letter.format == "D",
    }
    parts = {
        "received": (RECEIVED_CATEGORIES, letter.received, letter.received_total),
        "decisions": (DECISIONS_BY_FORMAT["A"], letter.decisions, letter.decisions_total),
        "remedies": (REMEDIES, letter.remedies, 0),
        "overview": (DECISIONS_BY_FORMAT["D"], letter.decisions, letter.decisions_total),
    }
    problems = []
    for table, (names, read, total) in parts.items():
        if expected[table] or table in headed:
            missing = [name for name in names if name not in read]
            problems += _table_problem(table, missing, len(names), total is None, table in headed)
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
    if letter.format not in DECISION_PARTS or letter.decisions_total is None:
        return []
    parts = DECISION_PARTS[letter.format]
    if any(part not in letter.decisions for part in parts):
        return []
    added = sum(letter.decisions[part] for part in parts)
    if added != letter.decisions_total:
        what = "the decisions" if letter.format == "A" else "not for us + assessed and closed + investigated"
        return [f"{what} add up to {added}, not the printed total {letter.decisions_total}"]
    return []


def check_uphold_rate(letter: Letter) -> list[str]:
    """No more upheld than investigated, and a printed uphold rate matches its counts to within rounding."""
    problems = []
    investigated, upheld = letter.investigated(), letter.decisions.get("upheld")
    if investigated is not None and upheld is not None and upheld > investigated:
        problems.append(f"{upheld} upheld is more than the {investigated} investigated")
    printed = letter.statistics.get("uphold_rate", {}).get("value")
    if printed is None or not investigated or upheld is None or upheld > investigated:
        return problems
    exact = uphold_rate(upheld, investigated)
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


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _figure_words(figure: str) -> str:
    return Target(*figure.split(".")).describe().replace("similar average", "average for similar authorities")


def check_printed_figures(letter: Letter) -> list[str]:
    """Where the letter prints the words that introduce a figure, that figure was read (every format)."""
    problems = []
    for rule in PRINTED_FIGURES:
        printed = letter.printed_figures.get(rule.words, [])
        if not printed:
            continue
        read = sum(letter.has_figure(figure) for figure in rule.figures)
        if rule.printed_as == "each" and read < len(printed):
            problems.append(
                f"the letter prints {printed[0]!r} {_times(len(printed))}, but only {read} of the figures "
                f"it introduces ({', '.join(map(_figure_words, rule.figures))}) were read"
            )
        elif rule.printed_as != "each" and not read:
            problems.append(f"the letter prints {printed[0]!r}, but its {_figure_words(rule.figures[0])} was not read")
    return problems


CHECKS = (
    check_found,
    check_authority_name,
    check_expected_tables,
    check_received_adds_up,
    check_decisions_add_up,
    check_uphold_rate,
    check_rates_in_range,
    check_printed_figures,
)
"""Every check run on every letter, in order; each returns its problems."""


ARITHMETIC: tuple[tuple[Callable[[Letter], list[str]], tuple[str, ...]], ...] = (
    (check_received_adds_up, ("received",)),
    (check_decisions_add_up, ("decisions",)),
    (check_uphold_rate, ("decisions.upheld", "decisions.investigated", "statistics.uphold_rate")),
    (check_rates_in_range, tuple(f"statistics.{measure}" for measure in PERCENT_MEASURES)),
)
"""The checks of a letter's arithmetic, each with the figures it holds to account (named as for
``Letter.leave_out``): on a letter read by OCR, figures that fail one are left out (one of them is
misread, and which cannot be told)."""


def leave_out_what_does_not_add_up(letter: Letter) -> list[str]:
    """For a letter read by OCR: leave out the figures of each arithmetic check that fails, saying so."""
    problems = []
    for check, figures in ARITHMETIC:
        for problem in check(letter):
            problems.append(f"{problem}: read by OCR, so these figures are left out")
            for figure in figures:
                letter.leave_out(figure)
    return problems


def check_statistics_have_bases(letter: Letter) -> list[str]:
    """For a letter read by OCR: a rate read without its base (every rate is a share of one, printed with
    it). OCR can misread the very words that say a base is printed, so the letter's own wording cannot
    vouch that nothing is missing."""
    problems = []
    for measure in PERCENT_MEASURES:
        statistic = letter.statistics.get(measure) or {}
        if statistic.get("value") is not None and statistic.get("base") is None:
            problems.append(f"the {measure.replace('_', ' ')} is read but not its base (letters print one with each)")
    return problems


def check_letter(letter: Letter) -> list[str]:
    """Every problem the checks find in one letter."""
    return [problem for check in CHECKS for problem in check(letter)]

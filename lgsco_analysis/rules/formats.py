"""The letter formats as data: where each fact is printed, as patterns over the text layer.

Table labels are in ``data/label_aliases.csv``; this module holds the sentences.
Patterns run over :func:`flatten_text` output (one line, single spaces, words re-joined).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .files import rule_rows

FORMAT_YEARS: dict[str, range] = {"A": range(2014, 2020), "C": range(2020, 2025), "D": range(2025, 2100)}
"""Years ending in which each format was published: A to 2019, C from 2020, D from 2025."""
TABLE_YEARS: dict[str, range] = {"remedies": range(2016, 2020)}
"""Tables a format prints only in some of its years: format A's complaints remedied from 2016."""


def _count(name: str) -> str:
    return rf"(?<![\d.,])(?P<{name}>\d{{1,3}}(?:,\d{{3}})+|\d+)(?![\d.,]\d)"


def _rate(name: str) -> str:
    return rf"(?<![\d.,])(?P<{name}>\d+(?:\.\d+)?)"


AUTHORITY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("report heading", re.compile(r"^Local Authority Report:\s*(?P<name>.+?)\s*$", re.M)),
    ("page heading", re.compile(r"^Your council.s performance:\s*(?P<name>.+?)\s*$", re.M)),
    ("overview heading", re.compile(r"^(?P<name>.+?):\s*complaint statistics \d{4}", re.M)),
    ("population sentence", re.compile(r"Adjusted for (?P<name>[^.]+?).s population", re.S)),
    ("address", re.compile(r"Chief Executive\s*\n?\s*(?P<name>[^\n]+?)\s*\n[\s\S]{0,80}?Dear")),
)
NAME_CONTINUES = re.compile(r"(?:\b(?:of|and|upon|on|the|&|Metropolitan|Borough|District|County|City)|-)$", re.I)
"""A heading line ending like this was wrapped: the name goes on on the next line."""
NAME_ENDS = re.compile(r"(?:Council|Corporation|Authority)$|^(?:London|Royal) Borough of \S", re.I)
"""Where a letter names its authority, most reliable first; patterns run over page text."""

YEAR_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("period ending", re.compile(r"For the Period Ending:?\s*31/03/(?P<year>\d{4})", re.I)),
    ("statistics year", re.compile(r"Statistics for the year ending 31 March (?P<year>\d{4})", re.I)),
    ("overview period", re.compile(r"Between 1 April \d{4} (?:to|and) 31 March (?P<year>\d{4})", re.I)),
    (
        "statistics period",
        re.compile(r"period between 1 April \d{4} (?:to|and) 31 March (?P<year>\d{4})", re.I),
    ),
    ("letter body", re.compile(r"year ended 31 March (?P<year>\d{4})", re.I)),
)
"""Where a letter says which year ending 31 March it covers, most reliable first."""

STATISTIC_OPENINGS: dict[str, re.Pattern[str]] = {
    "uphold_rate": re.compile(_rate("value") + r"\s?% of complaints we investigated were upheld", re.I),
    "compliance_rate": re.compile(
        _rate("value") + r"\s?% of cases we were satisfied the (?:Council|authority|organisation)", re.I
    ),
    "satisfactory_remedy_rate": re.compile(r"In " + _rate("value") + r"\s?% of upheld cases we found the", re.I),
}
"""The sentence that opens each headline statistic (formats C and D)."""

SIMILAR_AVERAGE = re.compile(r"compares to an average of " + _rate("value") + r"\s?%", re.I)

SEGMENT_FACTS: dict[str, tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]] = {
    "uphold_rate": (
        (
            ("decisions", "upheld"),
            re.compile(r"(?<!total of )" + _count("value") + r" upheld decisions(?! per)", re.I),
        ),
        (
            ("statistics", "uphold_rate", "base"),
            re.compile(r"based on a total of " + _count("value") + r" (?:detailed )?investigations", re.I),
        ),
        (
            ("decisions", "investigated"),
            re.compile(r"based on a total of " + _count("value") + r" (?:detailed )?investigations", re.I),
        ),
    ),
    "compliance_rate": (
        (
            ("statistics", "compliance_rate", "base"),
            re.compile(r"based on a total of " + _count("value") + r" compliance outcomes", re.I),
        ),
    ),
    "satisfactory_remedy_rate": (
        (
            ("remedies", "remedied_by_authority_before_ombudsman"),
            re.compile(_count("value") + r" satisfactory remedy decisions", re.I),
        ),
        (
            ("statistics", "satisfactory_remedy_rate", "base"),
            re.compile(
                r"based on a total of "
                + _count("value")
                + r" (?:upheld decisions|detailed investigations|investigations)",
                re.I,
            ),
        ),
    ),
}
"""Facts printed inside one statistic's text, from its opening to the next statistic's."""

LETTER_FACTS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (
        ("decisions", "decisions_total"),
        re.compile(r"we dealt with " + _count("value") + r" complaints", re.I),
    ),
    (
        ("decisions", "investigated"),
        re.compile(r"We investigated " + _count("value") + r" complaints and upheld", re.I),
    ),
    (
        ("statistics", "uphold_rate", "base"),
        re.compile(r"We investigated " + _count("value") + r" complaints and upheld", re.I),
    ),
    (
        ("decisions", "upheld"),
        re.compile(r"We investigated [\d,]+ complaints and upheld " + _count("value"), re.I),
    ),
    (
        ("statistics", "upheld_per_100k", "similar_average"),
        re.compile(
            r"average for (?:authorities|organisations|councils) of this type is "
            + _rate("value")
            + r"\s?%? upheld decisions per 100,000",
            re.I,
        ),
    ),
    (
        ("statistics", "upheld_per_100k", "value"),
        re.compile(r"(?<!type is )" + _rate("value") + r"\s?%? upheld decisions per 100,000 residents", re.I),
    ),
)
"""Facts printed once anywhere in the letter (mostly format D)."""


class PrintedFigure(NamedTuple):
    """Words a letter prints only with a figure: where they are printed, the figure must be read."""

    figures: tuple[str, ...]
    """``table.name[.part]`` of the figure; with several, each printing gives one of them."""
    words: str
    pattern: re.Pattern[str]
    printed_as: str
    """``heading`` (a line of its own), ``words`` (anywhere) or ``each`` (every printing counts)."""


def _printed_figures() -> tuple[PrintedFigure, ...]:
    figures = []
    for row in rule_rows("printed_figures.csv"):
        if row["printed_as"] not in ("heading", "words", "each"):
            raise ValueError(f"printed_figures.csv: unknown printed_as {row['printed_as']!r}")
        words = row["words"]
        pattern = rf"^\s*{words}\s*$" if row["printed_as"] == "heading" else rf"\b{words}\b"
        figures.append(
            PrintedFigure(tuple(row["figure"].split("|")), words, re.compile(pattern, re.I | re.M), row["printed_as"])
        )
    return tuple(figures)


PRINTED_FIGURES: tuple[PrintedFigure, ...] = _printed_figures()
"""What the letter's own words say must be read (``data/printed_figures.csv``)."""

FORMAT_D_MARKERS = re.compile(r"Complaint overview|we dealt with [\d,]+ complaints", re.I)
SAMPLE_MARKER = "SAMPLE LETTER:"
"""Printed on every page of the fictional letters `lgsco sample` writes."""

LGSCO_MARKERS = re.compile(r"Ombudsman|\bLGO\b|\bLGSCO\b", re.I)

_HYPHEN_BREAK = re.compile(r"(\w)-\s*\r?\n\s*([a-z])")
_WHITESPACE = re.compile(r"\s+")


def flatten_text(text: str) -> str:
    """One line: words hyphen-split across lines re-joined, single spaces (the text arrives normalised, as read)."""
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    return _WHITESPACE.sub(" ", text).strip()

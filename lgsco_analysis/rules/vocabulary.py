"""The letters' vocabulary as data: output categories, and the printed labels that mean them.

Printed table labels live in ``data/label_aliases.csv`` (table, field, alias), and the
headings printed over whole tables in ``data/table_headings.csv`` (table, heading); add a
variant there, not in code. Matching ignores case, punctuation, ``&`` versus ``and``,
and words wrapped or hyphen-split across lines.
"""

from __future__ import annotations

import difflib
import re
from enum import StrEnum
from functools import cache

from .files import rule_rows
from .typography import normalise

RECEIVED_CATEGORIES: tuple[str, ...] = (
    "adult_care_services",
    "benefits_and_tax",
    "corporate_and_other_services",
    "education_and_childrens_services",
    "environment_services",
    "highways_and_transport",
    "housing",
    "planning_and_development",
    "other",
)

DECISIONS_BY_FORMAT: dict[str, tuple[str, ...]] = {
    "A": (
        "incomplete_or_invalid",
        "advice_given",
        "referred_back_for_local_resolution",
        "closed_after_initial_enquiries",
        "not_upheld",
        "upheld",
    ),
    "C": ("upheld", "investigated"),
    "D": ("not_for_us", "assessed_and_closed", "investigated", "upheld"),
}
FORMAT_A_SUMS: dict[str, tuple[str, ...]] = {
    "investigated": ("upheld", "not_upheld"),
    "not_for_us": ("incomplete_or_invalid", "advice_given", "referred_back_for_local_resolution"),
    "assessed_and_closed": ("closed_after_initial_enquiries",),
}
"""Format A prints none of these counts: each is the sum of the format A decisions listed."""
DECISION_PARTS: dict[str, tuple[str, ...]] = {
    "A": DECISIONS_BY_FORMAT["A"],
    "D": ("not_for_us", "assessed_and_closed", "investigated"),
}
"""The decisions that add up to the printed total (``decisions_total``), in the formats that print one."""

DECISIONS: tuple[str, ...] = tuple(dict.fromkeys(d for decisions in DECISIONS_BY_FORMAT.values() for d in decisions))

REMEDIES: tuple[str, ...] = ("remedied_by_ombudsman", "remedied_by_authority_before_ombudsman")

MEASURES: tuple[str, ...] = (
    "uphold_rate",
    "compliance_rate",
    "satisfactory_remedy_rate",
    "upheld_per_100k",
)
PERCENT_MEASURES: tuple[str, ...] = MEASURES[:3]

FORMATS: tuple[str, ...] = ("A", "C", "D")

_HYPHEN_SPLIT = re.compile(r"(\w)-\s*\n\s*(\w)")
_AMPERSAND = re.compile(r"\s*&\s*")
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Fold a printed label to a comparable key: lower case, words only, single spaces."""
    text = _HYPHEN_SPLIT.sub(r"\1\2", text)
    text = normalise(text).replace("'", "")
    text = _AMPERSAND.sub(" and ", text.lower())
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


@cache
def label_aliases() -> dict[str, tuple[str, str]]:
    """Map each normalised alias to its (table, field); ``total`` is resolved by context."""
    aliases: dict[str, tuple[str, str]] = {}
    for row in rule_rows("label_aliases.csv"):
        key = normalise_label(row["alias"])
        target = (row["table"], row["field"])
        if aliases.get(key, target) != target and key != "total":
            raise ValueError(f"alias {row['alias']!r} is listed for two fields")
        aliases.setdefault(key, target)
    return aliases


def match_label(text: str) -> tuple[str, str] | None:
    """Return (table, field) for a printed label, or None when it is not a known label."""
    key = normalise_label(text)
    if not key:
        return None
    return label_aliases().get(key)


CLOSE_LABEL = 0.88
"""How alike (difflib's ratio) a label read by OCR must be to a known one to be taken as it."""
CLOSE_LABEL_LEAD = 0.1
"""...and how much closer than to any other field's label: a misread never decides between two."""
CLOSE_LABEL_MIN_LENGTH = 8
"""Labels shorter than this (Total, Other, Upheld) must be read exactly."""


def match_label_closely(text: str) -> tuple[str, str] | None:
    """The (table, field) of a label OCR misread by a letter or two ("Closed After Iniual Enquiries"):
    the one known label it is very like, and much more like than any other field's; else None."""
    found = match_label(text)
    key = normalise_label(text)
    if found or len(key) < CLOSE_LABEL_MIN_LENGTH:
        return found
    scores: dict[tuple[str, str], float] = {}
    for alias, target in label_aliases().items():
        if len(alias) >= CLOSE_LABEL_MIN_LENGTH:
            scores[target] = max(scores.get(target, 0.0), difflib.SequenceMatcher(None, key, alias).ratio())
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < CLOSE_LABEL:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < CLOSE_LABEL_LEAD:
        return None
    return ranked[0][0]


TABLES_BY_HEADING: dict[str, str] = {
    "received": "complaints received",
    "decisions": "decisions",
    "remedies": "complaints remedied",
    "overview": "complaint overview",
}
"""The tables of ``data/table_headings.csv``, as problems name them."""


@cache
def table_headings() -> dict[str, str]:
    """Map each normalised table heading to its table (a key of ``TABLES_BY_HEADING``)."""
    headings = {normalise_label(row["heading"]): row["table"] for row in rule_rows("table_headings.csv")}
    unknown = set(headings.values()) - set(TABLES_BY_HEADING)
    if unknown:
        raise ValueError(f"table_headings.csv names unknown tables: {sorted(unknown)}")
    return headings


def match_heading(line: str) -> str | None:
    """The table a line of text heads, when the whole line is a known table heading."""
    return table_headings().get(normalise_label(line))


NOT_KNOWN = "–"
"""What a report's tables print for a figure not read or not printed: an en dash, never 0 or a blank."""

READ_BY_OCR = "ocr"
"""``tables_read_by`` of a letter with pages read by OCR (``rules/data/fields.csv`` says what that means)."""

LETTER = "letter"
STATISTICS_PAGE = "statistics_page"
SOURCE_KINDS = (LETTER, STATISTICS_PAGE)
"""``letters.source_kind``: a letter PDF, or a council's statistics page saved by ``lgsco fetch`` (read where
no letter gives that year's figures)."""

UNMATCHED_GROUP = "Unmatched"
"""The comparison group of an authority the reference tables do not name."""


class Status(StrEnum):
    """What became of a letter (``letters.status``): each is its own word, equal to the string."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


STATUSES: tuple[Status, ...] = (Status.OK, Status.WARNING, Status.ERROR)
"""The statuses, best first."""

"""Numbers as the letters print them."""

from __future__ import annotations

import re

from ..errors import UnreadableNumber

ABSENT_MARKS = frozenset({"", "-", "\u2013", "\u2014", "n/a", "na", "n.a.", "none"})
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def is_number_like(text: str) -> bool:
    """True for a count, a rate or an absent mark (``-``, ``N/A``, blank)."""
    try:
        parse_number(text)
    except UnreadableNumber:
        return False
    return True


def parse_number(text: str) -> float | None:
    """``1,052`` -> 1052.0, ``63%`` -> 63.0, ``-``/``N/A``/blank -> None; else raise."""
    cleaned = " ".join(text.split())
    if cleaned.lower() in ABSENT_MARKS:
        return None
    cleaned = cleaned.removesuffix("%").strip()
    if not _NUMBER.match(cleaned):
        raise UnreadableNumber(f"{text.strip()!r} is not a number")
    return float(cleaned.replace(",", ""))


def parse_count(text: str) -> int | None:
    """A whole count as printed; a fraction or a percentage is not a count."""
    value = parse_number(text)
    if value is None:
        return None
    if "%" in text or value != int(value):
        raise UnreadableNumber(f"{text.strip()!r} is not a whole count")
    return int(value)

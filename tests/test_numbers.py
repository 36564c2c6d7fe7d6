from __future__ import annotations

import pytest

from lgsco_analysis.read.numbers import UnreadableNumber, parse_count, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [("14", 14), ("1,052", 1052), (" 12,345 ", 12345), ("63%", 63), ("5.8%", 5.8), ("0%", 0), ("9.2", 9.2)],
)
def test_numbers_as_printed(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "  ", "-", "\u2013", "N/A", "n/a"])
def test_absent_marks_are_none_not_zero(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["l4", "1,05", "12 3", "63 %x", "five"])
def test_unreadable_numbers_raise(text):
    with pytest.raises(UnreadableNumber):
        parse_number(text)


def test_a_count_is_whole():
    assert parse_count("1,052") == 1052
    with pytest.raises(UnreadableNumber):
        parse_count("5.5")
    with pytest.raises(UnreadableNumber):
        parse_count("63%")

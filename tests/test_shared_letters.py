"""Every word-processor letter in ../shared/letters parses to exactly its truth.json."""

from __future__ import annotations

import json

import pytest

from lgsco_analysis import parse_letter

from .conftest import SHARED, truth_differences

_TRUTH = SHARED / "letters" / "truth.json"
_ENTRIES = json.loads(_TRUTH.read_text()) if _TRUTH.exists() else []


@pytest.mark.skipif(not _ENTRIES, reason="../shared/letters is absent (a user's clone has no ../shared)")
@pytest.mark.parametrize("expected", _ENTRIES, ids=[e["file"] for e in _ENTRIES])
def test_shared_letter_parses_exactly(expected):
    letter = parse_letter(SHARED / "letters" / expected["file"])
    assert truth_differences(letter, expected) == []
    assert letter.status == "ok", letter.problems
    assert not letter.sample  # no sample footer on a real-format letter

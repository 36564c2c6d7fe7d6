"""The twelve shared letters parse to exactly their truth.json, whichever program made the PDF.

``../shared/letters`` was made by a word processor (stroked rules); ``../shared/letters-chromium``
holds the same letters printed by Chromium, whose table borders are filled paths camelot cannot
read. Both must give every field exactly and every letter ``ok``.
"""

from __future__ import annotations

import json

import pytest

from lgsco_analysis import parse_letter

from .conftest import SHARED, truth_differences

PRODUCERS = {
    "letters": "text+camelot",  # ruling lines: the text layer's reading is confirmed by camelot's
    "letters-chromium": "text",  # filled-path borders: the text layer alone
}
CASES = [
    (folder, entry)
    for folder in PRODUCERS
    if (SHARED / folder / "truth.json").exists()
    for entry in json.loads((SHARED / folder / "truth.json").read_text())
]


@pytest.mark.skipif(not CASES, reason="../shared is absent (a user's clone has no ../shared)")
@pytest.mark.parametrize(("folder", "expected"), CASES, ids=[f"{f}/{e['file']}" for f, e in CASES])
def test_shared_letter_parses_exactly(folder, expected):
    letter = parse_letter(SHARED / folder / expected["file"])
    assert truth_differences(letter, expected) == []
    assert letter.status == "ok", letter.problems
    assert not letter.sample  # no sample footer on a real-format letter
    prints_tables = expected["received"] is not None or expected["layout"] in ("A", "D")
    assert letter.tables_read_by == (PRODUCERS[folder] if prints_tables else "")

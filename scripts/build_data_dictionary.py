"""Rewrite the generated blocks of docs/data_dictionary.md from lgsco_analysis/rules/data/fields.csv and caveats.csv.

Run: .venv/bin/python scripts/build_data_dictionary.py   (tests/test_dictionary.py checks it was run)
"""

from pathlib import Path

from lgsco_analysis.rules.dictionary import refresh_document

DICTIONARY = Path(__file__).resolve().parents[1] / "docs" / "data_dictionary.md"

if __name__ == "__main__":
    DICTIONARY.write_text(refresh_document(DICTIONARY.read_text(encoding="utf-8")), encoding="utf-8")

"""One source for what every column means: the dictionary, the workbook and the data package agree."""

from __future__ import annotations

from pathlib import Path

import pytest

import lgsco_analysis as lgsco
from lgsco_analysis.dataset.tables import table_schemas
from lgsco_analysis.rules.dictionary import caveats, fields, refresh_document, table_fields

DICTIONARY = Path(__file__).resolve().parents[1] / "docs" / "data_dictionary.md"
FRICTIONLESS_FOR = {"string": "string", "Int64": "integer", "Float64": "number", "boolean": "boolean"}


def test_the_data_dictionary_is_made_from_the_field_tables():
    text = DICTIONARY.read_text(encoding="utf-8")
    assert refresh_document(text) == text, "run: .venv/bin/python scripts/build_data_dictionary.py"
    assert text.count("<!-- generated: columns") == len({field.table for field in fields()})
    assert all(caveat.name in text and caveat.text in text for caveat in caveats())


def test_every_parsed_column_is_described_with_its_type():
    for table, schema in table_schemas().items():
        described = {field.column: field.type for field in table_fields(table)}
        assert described == {column: FRICTIONLESS_FOR[kind] for column, kind in schema.items()}, table


@pytest.mark.slow
def test_the_described_columns_are_the_ones_the_tables_have(sample_processed):
    data = lgsco.load(sample_processed)
    assert [field.column for field in table_fields("authority_groups")] == list(data.groups.columns)
    for table in ("letters", "received", "decisions", "remedies", "statistics"):
        assert [field.column for field in table_fields(table)] == list(getattr(data, table).columns)


def test_codes_are_the_vocabulary():
    from lgsco_analysis.rules.vocabulary import DECISIONS, MEASURES, RECEIVED_CATEGORIES, REMEDIES

    codes = {(field.table, field.column): set(field.values) for field in fields() if field.values}
    assert codes[("received", "category")] == set(RECEIVED_CATEGORIES)
    assert codes[("decisions", "decision")] == set(DECISIONS)
    assert codes[("remedies", "remedy")] == set(REMEDIES)
    assert codes[("statistics", "measure")] == set(MEASURES)


def test_the_format_change_years_are_the_formats_own(monkeypatch):
    from lgsco_analysis.rules import dictionary

    assert [c.year_ending for c in dictionary.caveats() if c.kind == dictionary.FORMAT_CHANGE] == [2020, 2025]
    monkeypatch.setattr(dictionary, "FORMAT_CHANGE_YEARS", [2020, 2024])  # a second copy that drifted
    dictionary.caveats.cache_clear()
    try:
        with pytest.raises(
            ValueError, match=r"format changes in \[2020, 2025\]; formats.FORMAT_YEARS in \[2020, 2024\]"
        ):
            dictionary.caveats()
    finally:
        dictionary.caveats.cache_clear()


def test_codes_people_read_are_said_in_words():
    from lgsco_analysis.rules.dictionary import chart_labels, code_labels, in_words

    all_codes = {value for field in fields() for value in field.values}
    assert set(code_labels()) <= all_codes, "a label for a code no column holds"
    said = {(field.table, field.column) for field in fields() if in_words(field)}
    assert said == {
        ("letters", "source_kind"),
        ("received", "category"),
        ("decisions", "decision"),
        ("remedies", "remedy"),
        ("statistics", "measure"),
        ("measures", "measure"),
    }
    assert code_labels()["adult_care_services"] == "Adult care services"
    assert chart_labels()["adult_care_services"] == "Adult care" and chart_labels()["housing"] == "Housing"

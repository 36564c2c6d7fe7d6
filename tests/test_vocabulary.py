from __future__ import annotations

import csv
from importlib import resources

import pytest

from lgsco_analysis.rules import files, vocabulary
from lgsco_analysis.rules.vocabulary import label_aliases, match_label, normalise_label


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Adult Care Services", ("received", "adult_care_services")),
        ("ADULT CARE\nSERVICES", ("received", "adult_care_services")),
        ("Adult Social Care", ("received", "adult_care_services")),
        ("Benefits & tax", ("received", "benefits_and_tax")),
        ("Benefits&Tax", ("received", "benefits_and_tax")),
        ("Education and\nChildren\u2019s\nServices", ("received", "education_and_childrens_services")),
        ("Environ-\nment Services", ("received", "environment_services")),
        ("Environmental services & public protection & regulation", ("received", "environment_services")),
        ("Environmental Services, Public\nProtection and\nRegulation", ("received", "environment_services")),
        ("Environmental services and regulation", ("received", "environment_services")),
        ("Planning and Devel-\nopment", ("received", "planning_and_development")),
        ("Referred back for\nLocal Resolution", ("decisions", "referred_back_for_local_resolution")),
        ("Not\nUpheld", ("decisions", "not_upheld")),
        ("Uphold\nRate", ("decisions", "uphold_rate")),
        ("by LGSCO", ("remedies", "remedied_by_ombudsman")),
        (
            "Satisfactorily by Authority before\nLGO Involvement",
            ("remedies", "remedied_by_authority_before_ombudsman"),
        ),
        ("Complaints dealt with", ("decisions", "decisions_total")),
        ("Not for us", ("decisions", "not_for_us")),
    ],
)
def test_printed_labels_match_their_field(printed, expected):
    assert match_label(printed) == expected


@pytest.mark.parametrize("text", ["", "Notes", "Detailed Investigations", "Adult", "Upheld decisions per 100,000"])
def test_other_text_is_not_a_label(text):
    assert match_label(text) is None


def test_normalise_folds_case_ampersand_and_wrapping():
    assert normalise_label("Highways &\nTransport") == "highways and transport"
    assert normalise_label("Children's") == normalise_label("Childrens")


def test_every_alias_in_the_table_reads_as_its_own_field():
    rows = list(
        csv.DictReader((resources.files("lgsco_analysis.rules") / "data" / "label_aliases.csv").open(encoding="utf-8"))
    )
    for row in rows:
        if row["field"] != "total":  # "Total" means each table's total, resolved by the table it is in
            assert match_label(row["alias"]) == (row["table"], row["field"]), row
    assert label_aliases()["total"][1] == "total"


def test_an_alias_listed_for_two_fields_is_refused(monkeypatch, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "label_aliases.csv").write_text(
        "table,field,alias\nreceived,housing,Housing\nreceived,other,HOUSING\n", encoding="utf-8"
    )
    monkeypatch.setattr(files.resources, "files", lambda package: tmp_path)
    vocabulary.label_aliases.cache_clear()
    try:
        with pytest.raises(ValueError, match="listed for two fields"):
            vocabulary.label_aliases()
    finally:
        vocabulary.label_aliases.cache_clear()

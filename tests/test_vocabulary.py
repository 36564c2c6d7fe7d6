from __future__ import annotations

import pytest

from lgsco_analysis.vocabulary import label_aliases, match_label, normalise_label


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


def test_every_alias_is_unique_to_one_field():
    aliases = label_aliases()
    assert aliases["total"][1] == "total"
    assert len(aliases) > 30

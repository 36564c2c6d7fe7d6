"""The tables the reports show, checked against the tidy tables they come from."""

from __future__ import annotations

import pandas as pd
import pytest

import lgsco_analysis as lgsco
from lgsco_analysis.analysis import views


@pytest.fixture(scope="module")
def analysis(sample_processed):
    return views.analyse(lgsco.load(sample_processed))


def _decision_count(data, authority, year, decision):
    rows = data.decisions
    rows = rows[(rows["authority"] == authority) & (rows["year_ending"] == year) & (rows["decision"] == decision)]
    return int(rows["count"].sum())


def test_the_analysis_knows_its_years_authorities_and_groups(analysis):
    assert analysis.years == list(range(2014, 2026))
    assert len(analysis.authorities) == 5
    assert analysis.group_of("Examplefordshire County Council") == "County Councils"
    assert analysis.group_of("Nowhere") == "Unmatched"
    assert views.sample_letter_count(analysis.data.letters) == 60


def test_national_change_sums_only_authorities_with_letters_in_both_years(analysis):
    data = analysis.data
    table = views.national_change(analysis, 2018).set_index("Figure")
    upheld = sum(_decision_count(data, a, 2018, "upheld") for a in analysis.authorities)
    before = sum(_decision_count(data, a, 2017, "upheld") for a in analysis.authorities)
    assert table.loc["Complaints upheld", "2018"] == f"{upheld:,}"
    assert table.loc["Complaints upheld", "2017"] == f"{before:,}"
    assert table.loc["Complaints upheld", "Authorities in both years"] == 5
    assert table.loc["Complaints upheld", "Caveat"] == ""  # no break between 2017 and 2018
    across_format_change = views.national_change(analysis, 2020)
    assert across_format_change["Caveat"].str.contains("format changed").all()
    assert "stopped taking complaints" in views.national_change(analysis, 2021)["Caveat"].iloc[0]
    assert views.national_change(analysis, 2014).empty  # no year before


def test_authority_figures_list_every_letter_with_derived_format_a_investigations(analysis):
    authority = "Examplefordshire County Council"
    table = views.authority_figures(analysis, authority)
    assert list(table["Year ending March"]) == list(range(2014, 2026))
    assert table["Letter"].str.endswith(".pdf").all()
    first = table.iloc[0]
    data = analysis.data
    upheld, not_upheld = (_decision_count(data, authority, 2014, d) for d in ("upheld", "not_upheld"))
    assert first["Upheld"] == upheld and first["Investigated"] == upheld + not_upheld
    with pytest.raises(ValueError, match="no letters for 'Nowhere'"):
        views.authority_figures(analysis, "Nowhere")


def test_uphold_by_group_pools_the_funnel_rows(analysis):
    table = views.uphold_by_group(analysis, 2019).set_index("group")
    rows = analysis.funnel[analysis.funnel["year_ending"] == 2019]
    assert table["upheld"].sum() == rows["upheld"].sum()
    county = table.loc["County Councils"]
    assert county["uphold_rate"] == round(100 * county["upheld"] / county["investigated"], 1)


def test_received_totals_come_from_format_a_letters_only(analysis):
    totals = views.received_totals(analysis.data.letters)
    assert set(totals["year_ending"]) == set(range(2014, 2020))
    assert len(totals) == 30


def test_remedies_by_year_sum_the_printed_counts(analysis):
    table = views.remedies_by_year(analysis.data).set_index("Year ending March")
    remedies = analysis.data.remedies
    printed = remedies[(remedies["year_ending"] == 2017) & (remedies["remedy"] == "remedied_by_ombudsman")]
    assert table.loc[2017, "Remedied by the Ombudsman"] == printed["count"].sum()
    assert pd.isna(table.loc[2017, "Authorities with a satisfactory remedy rate"])  # format A prints no rate
    rates = analysis.data.statistics
    rates = rates[(rates["year_ending"] == 2021) & (rates["measure"] == "satisfactory_remedy_rate")]
    assert table.loc[2021, "Authorities with a satisfactory remedy rate"] == len(rates)
    assert table.loc[2021, "Median satisfactory remedy rate (%)"] == round(rates["value"].median(), 1)


def test_coverage_and_problems_show_every_letter(analysis):
    letters = analysis.data.letters.copy()
    letters.loc[0, ["status", "problems"]] = ["warning", "first problem\nsecond problem"]
    coverage = views.coverage(letters)
    assert list(coverage.columns) == ["Authority", *[str(y) for y in range(2014, 2026)]]
    assert len(coverage) == 5
    assert (coverage.drop(columns="Authority").isin(["ok", "warning"])).all().all()
    problems = views.letters_with_problems(letters)
    assert problems.loc[0, "Problems"] == "first problem; second problem"
    assert set(views.checks_performed()["check"]) >= {"received adds up", "uphold rate"}

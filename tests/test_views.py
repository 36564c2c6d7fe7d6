"""The tables the reports show, on the hand-built dataset (``tests/hand_built.py``), every figure worked out
by hand from its letters: no PDF is parsed here."""

from __future__ import annotations

import pandas as pd
import pytest

from lgsco_analysis.analysis import views

from . import hand_built
from .hand_built import ASHBY, COUNTIES, DISTRICTS, DUNMORE


@pytest.fixture
def analysis():
    return views.analyse(hand_built.dataset())


def test_the_analysis_knows_its_years_authorities_and_groups(analysis):
    assert analysis.years == [2018, 2019, 2024, 2025]
    assert len(analysis.authorities) == 4  # the unreadable file names no authority
    assert analysis.group_of(DUNMORE) == COUNTIES and analysis.group_of(ASHBY) == DISTRICTS
    assert analysis.group_of("Nowhere") == "Unmatched"
    assert views.sample_letter_count(analysis.data.letters) == 0


def test_printing_the_dataset_says_what_it_holds_in_a_line(analysis):
    said = repr(analysis.data)  # nine letters: Ashby, Bexton, Cray 2018-19, Dunmore 2024 and 2025 (warning), broken.pdf
    assert said == (
        "<Dataset: 9 letters (7 ok, 1 warning, 1 error) about 4 authorities, 2018 to 2025; "
        "tables letters, received, decisions, remedies, statistics, authority_groups>"
    )
    assert repr(analysis).startswith(f"<Analysis of {said}: ") and repr(analysis).endswith(" 2 groups>")


def test_national_change_sums_only_authorities_with_letters_in_both_years(analysis):
    table = views.national_change(analysis, 2019).set_index("Figure")
    # upheld, the last of each format A letter's decisions: 2019 Ashby 5 + Bexton 8 + Cray 2; 2018 4 + 5 + 1
    assert table.loc["Complaints upheld", "2019"] == "15"
    assert table.loc["Complaints upheld", "2018"] == "10"
    assert table.loc["Complaints upheld", "Authorities in both years"] == 3
    assert table.loc["Complaints upheld", "Caveat"] == ""  # no break between 2018 and 2019
    across_format_change = views.national_change(analysis, 2025)  # Dunmore: format C in 2024, D in 2025
    assert across_format_change["Caveat"].str.contains("format changed").all()
    assert views.national_change(analysis, 2018).empty  # no year before


def test_authority_figures_list_every_letter_with_derived_format_a_investigations(analysis):
    table = views.authority_figures(analysis, ASHBY)
    assert list(table["Year ending March"]) == [2018, 2019]
    assert list(table["Letter"]) == ["ashby-2018.pdf", "ashby-2019.pdf"]
    first = table.iloc[0]
    assert first["Upheld"] == 4 and first["Investigated"] == 4 + 6  # upheld + not upheld, derived
    with pytest.raises(ValueError, match="no letters for 'Nowhere'"):
        views.authority_figures(analysis, "Nowhere")


def test_uphold_by_group_pools_the_funnel_rows(analysis):
    table = views.uphold_by_group(analysis, 2019).set_index("group")
    districts = table.loc[DISTRICTS]
    # 2019: upheld 5 + 8 + 2 = 15 of investigated (5 + 5) + (12 + 8) + (0 + 2) = 32: 46.875%
    assert (districts["upheld"], districts["investigated"], districts["uphold_rate"]) == (15, 32, 46.9)


def test_received_totals_come_from_format_a_letters_only(analysis):
    totals = views.received_totals(analysis.data.letters)
    assert set(totals["year_ending"]) == {2018, 2019}
    assert len(totals) == 6


def test_remedies_by_year_sum_the_printed_counts(analysis):
    table = views.remedies_by_year(analysis.data).set_index("Year ending March")
    assert table.loc[2018, "Remedied by the Ombudsman"] == 3 + 5 + 1
    assert pd.isna(table.loc[2018, "Authorities with a satisfactory remedy rate"])  # format A prints no rate
    assert table.loc[2024, "Authorities with a satisfactory remedy rate"] == 1
    assert table.loc[2024, "Median satisfactory remedy rate (%)"] == 7


def test_coverage_and_problems_show_every_letter(analysis):
    letters = analysis.data.letters.copy()
    first = letters.index[letters["source"] == "ashby-2018.pdf"][0]
    letters.loc[first, ["status", "problems"]] = ["warning", "first problem\nsecond problem"]
    coverage = views.coverage(letters)
    assert list(coverage.columns) == ["Authority", "2018", "2019", "2024", "2025"]
    assert len(coverage) == 4
    problems = views.letters_with_problems(letters).set_index("Letter")
    assert problems.loc["ashby-2018.pdf", "Problems"] == "first problem; second problem"
    assert set(views.checks_performed()["check"]) >= {"received adds up", "uphold rate", "printed figures"}

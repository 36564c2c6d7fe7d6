"""The edges of the statistics, checks, numbers and chart words: each case here was worked out by hand,
and each is one that a small change to the code (found by mutation testing) got wrong unnoticed."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from lgsco_analysis.analysis.measures import caveats_between
from lgsco_analysis.analysis.stats import classify_funnel, funnel_limits, uphold_funnel_classes, wilson_interval
from lgsco_analysis.charts import words as chart_text
from lgsco_analysis.read.checks import (
    check_decisions_add_up,
    check_expected_tables,
    check_rates_in_range,
    check_received_adds_up,
    check_uphold_rate,
)
from lgsco_analysis.read.numbers import UnreadableNumber, parse_count, parse_number
from lgsco_analysis.rules.dictionary import caveats
from lgsco_analysis.rules.vocabulary import RECEIVED_CATEGORIES

from .test_checks import letter_a, letter_d

# --- statistics ---------------------------------------------------------------------------------


def test_wilson_bounds_are_exactly_0_and_1_at_the_ends_and_quiet_without_trials():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division warning escapes, even for no trials
        low, high = wilson_interval([0, 5, 0], [5, 5, 0])
    assert abs(low[0]) < 1e-12 and abs(high[1] - 1) < 1e-12 and np.isnan(low[2]) and np.isnan(high[2])
    assert 0 < high[0] < 1 and 0 < low[1] < 1
    trials = np.arange(1, 400)
    none_upheld, all_upheld = wilson_interval(np.zeros_like(trials), trials)[0], wilson_interval(trials, trials)[1]
    assert (none_upheld >= 0).all() and (all_upheld <= 1).all()  # rounding never takes a bound past 0 or 1


def test_wilson_takes_pandas_nullable_integers():
    low, high = wilson_interval(pd.Series([81], dtype="Int64"), pd.Series([263], dtype="Int64"))
    assert round(float(low[0]), 4) == 0.2553 and round(float(high[0]), 4) == 0.3662


def test_funnel_limits_at_the_ends_of_the_scale():
    low = funnel_limits(0.02, [1, 2])
    assert (low["lower_998"] == 0.0).all() and (low["lower_95"] == 0.0).all()  # clipped, never negative
    high = funnel_limits(0.98, [1, 2])
    assert (high["upper_998"] == 1.0).all() and (high["upper_95"] == 1.0).all()
    assert list(funnel_limits(0.0, [10]).columns) == [
        "denominator",
        "lower_95",
        "upper_95",
        "lower_998",
        "upper_998",
    ]
    assert funnel_limits(1.0, pd.Series([10], dtype="Int64"))["lower_998"].iloc[0] < 1.0
    with pytest.raises(ValueError, match=r"^baseline must be a proportion from 0 to 1, not 1.5$"):
        funnel_limits(1.5, [10])
    with pytest.raises(ValueError, match=r"^denominators must be positive$"):
        funnel_limits(0.5, [3, -1])


def test_a_rate_on_one_case_is_classified():
    assert list(classify_funnel([1, 0], [1, 0], 0.5)) == ["within", ""]
    assert list(classify_funnel(pd.Series([1], dtype="Int64"), pd.Series([1], dtype="Int64"), 0.5)) == ["within"]


def _long(rows):
    return pd.DataFrame(
        [
            {"authority": a, "year_ending": 2024, "group": g, "measure": m, "value": v}
            for a, g, up, inv in rows
            for m, v in (("upheld", up), ("investigated", inv))
        ]
    )


def test_uphold_classes_leave_out_unmatched_and_groups_with_no_rate():
    classes = uphold_funnel_classes(
        _long(
            [
                ("Empty one", "A group", 0, 0),  # pooled over A: nothing investigated, no rate
                ("Empty two", "A group", 0, 0),
                ("Single", "B group", 1, 1),  # pooled over B: one case
                ("Lost", "Unmatched", 50, 100),
                ("Low", "C group", 5, 100),
                ("Mid", "C group", 50, 100),
                ("High", "C group", 95, 100),
            ]
        )
    ).set_index("authority")
    assert "Lost" not in classes.index
    assert classes.loc["Empty one", "funnel_class"] == "" and math.isnan(classes.loc["Empty one", "group_rate"])
    assert classes.loc["Single", "group_rate"] == 1.0 and classes.loc["Single", "funnel_class"] == "within"
    assert classes.loc[["Low", "Mid", "High"], "funnel_class"].tolist() == ["below 99.8%", "within", "above 99.8%"]
    assert list(classes.columns) == ["year_ending", "group", "upheld", "investigated", "group_rate", "funnel_class"]


def test_uphold_classes_of_letters_that_print_no_investigations():
    only_upheld = _long([("A", "A group", 3, 4)])
    only_upheld = only_upheld[only_upheld["measure"] == "upheld"]
    assert uphold_funnel_classes(only_upheld).empty


# --- measures -----------------------------------------------------------------------------------


def test_caveats_between_name_every_break_and_change_between_two_years():
    by_year = {c.year_ending: c.sentence for c in caveats() if c.year_ending}
    assert caveats_between(2019, 2021) == f"{by_year[2020]} {by_year[2021]}"
    assert caveats_between(2021, 2022) == ""


# --- checks -------------------------------------------------------------------------------------


def test_which_tables_a_letter_must_print_whole():
    c_with_categories = letter_a(format="C", year_ending=2021, received_total=None, decisions_total=None)
    c_with_categories.statistics = {"uphold_rate": {"value": 63.0, "similar_average": None, "base": 8}}
    assert check_expected_tables(c_with_categories) == ["the complaints received table is incomplete (no total)"]
    c_with_total = letter_a(format="C", year_ending=2021, received={}, received_total=40)
    assert check_expected_tables(c_with_total) == ["the complaints received table is missing"]
    one_missing = letter_a(received={k: 2 for k in RECEIVED_CATEGORIES if k != "housing"}, received_total=16)
    assert check_expected_tables(one_missing) == ["the complaints received table is incomplete (no housing)"]
    both = letter_a(received={k: 2 for k in RECEIVED_CATEGORIES if k != "housing"}, received_total=None)
    assert check_expected_tables(both) == ["the complaints received table is incomplete (no housing, total)"]
    assert check_expected_tables(letter_a(received={}, received_total=None)) == [
        "the complaints received table is missing"  # format A always prints it
    ]
    assert check_expected_tables(letter_a(year_ending=2015, remedies={})) == []  # remedies printed from 2016
    assert check_expected_tables(letter_a(year_ending=2016, remedies={})) == [
        "the complaints remedied table is missing"
    ]
    no_statistics = letter_d(format="C", year_ending=2022, statistics={}, decisions={}, decisions_total=None)
    assert check_expected_tables(no_statistics) == ["none of the three headline statistics was found"]


def test_totals_are_checked_only_when_printed():
    assert check_received_adds_up(letter_a(received_total=None)) == []
    assert check_decisions_add_up(letter_a(decisions_total=None)) == []
    assert check_decisions_add_up(letter_a(decisions_total=16)) == [
        "the decisions add up to 15, not the printed total 16"
    ]
    c_letter = letter_d(format="C", decisions_total=1)  # format C prints no total to add up to
    assert check_decisions_add_up(c_letter) == []


def test_uphold_rate_checks_at_their_boundaries():
    within_rounding = letter_a(statistics={"uphold_rate": {"value": 62.0, "similar_average": None, "base": 8}})
    assert check_uphold_rate(within_rounding) == []  # 5 of 8 is 62.5%: half a point from 62
    assert check_uphold_rate(letter_a(statistics={})) == []  # no printed rate: nothing to compare
    off = letter_a(statistics={"uphold_rate": {"value": 61.0, "similar_average": None, "base": 8}})
    assert check_uphold_rate(off) == ["the printed uphold rate 61% does not match 5 upheld of 8 investigated (62.5%)"]
    everything = letter_d(
        decisions={"not_for_us": 1, "assessed_and_closed": 1, "investigated": 5, "upheld": 5},
        decisions_total=7,
        statistics={"uphold_rate": {"value": 99.0, "similar_average": None, "base": 5}},
    )
    assert check_uphold_rate(everything) == [
        "the printed uphold rate 99% does not match 5 upheld of 5 investigated (100.0%)"
    ]
    too_many = letter_d(decisions={"investigated": 4, "upheld": 5}, statistics={})
    assert check_uphold_rate(too_many) == ["5 upheld is more than the 4 investigated"]
    no_count = letter_d(
        decisions={"investigated": 4}, statistics={"uphold_rate": {"value": 20.0, "similar_average": None, "base": 4}}
    )
    assert check_uphold_rate(no_count) == []


def test_rates_outside_0_to_100_are_named():
    letter = letter_d(
        statistics={
            "uphold_rate": {"value": 100.5, "similar_average": 101.0, "base": 76},
            "satisfactory_remedy_rate": {"value": 100.0, "similar_average": 0.0, "base": 3},
        }
    )
    assert check_rates_in_range(letter) == [
        "the uphold rate value 100.5% is outside 0 to 100",
        "the uphold rate similar average 101% is outside 0 to 100",
    ]


# --- numbers ------------------------------------------------------------------------------------


def test_numbers_with_space_before_the_percent_sign_and_counts_that_are_not():
    assert parse_number("63 %") == 63.0 and parse_number(" 1,052\n") == 1052.0
    with pytest.raises(UnreadableNumber, match=r"^'63%' is not a whole count$"):
        parse_count("63%")


# --- chart words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "printed"),
    [(3, 0, "no cases"), (0, 5, "0%"), (1, 300, "<1%"), (1, 200, "<1%"), (1, 100, "1%"), (1, 3, "33%")],
)
def test_percentages_never_print_a_share_as_0(part, whole, printed):
    assert chart_text.percent(part, whole) == printed


def test_break_sentences_for_one_and_for_two():
    breaks = [c for c in caveats() if c.kind == "break"]
    assert chart_text.breaks_sentence([]) == ""
    assert (
        chart_text.breaks_sentence(breaks[:1]) == " Dashed line marks a break in the series: before 2021, covid pause."
    )
    assert chart_text.breaks_sentence(breaks).startswith(" Dashed lines mark breaks in the series: before 2021")


def test_chart_words_for_unknown_categories_and_no_upheld():
    finding, _ = chart_text.received_by_category(pd.Series({"housing": 1, "other": 2, "unlisted_thing": 4}), "S")
    assert finding == "unlisted_thing drew the most complaints: 4 of 7"
    totals = pd.Series({"unlisted_thing": 2, "housing": 3})
    finding, alt = chart_text.received_by_category(totals, "S")
    assert finding == "Housing drew the most complaints: 3 of 5"
    assert "Housing 3 (60%); unlisted_thing 2 (40%)." in alt
    finding, _ = chart_text.received_by_category(pd.Series({"housing": 1, "unlisted_thing": 4}), "S")
    assert finding == "unlisted_thing drew the most complaints: 4 of 5"
    finding, _ = chart_text.decisions_by_type(pd.Series({"investigated": 4}), 4, "investigations", "S")
    assert finding == "Share of investigations upheld: 0% (0 of 4)"


def test_trend_words_take_the_last_of_several_years_and_float_years():
    council = pd.DataFrame({"year_ending": [2019.0, 2020.0, 2021.0], "upheld": [1, 2, 3], "investigated": [4, 4, 4]})
    finding, alt = chart_text.uphold_rate_trend(council, pd.Series({2021: 0.5}), "X", "G")
    assert finding == "X: uphold rate 75% in 2021 (3 of 4 investigations; G 50%)"
    assert alt.endswith(": 2019 25% (1 of 4); 2020 50% (2 of 4); 2021 75% (3 of 4).")
    finding, _ = chart_text.uphold_rate_trend(council, pd.Series({2019: 0.5}), "X", "G", year=2020)
    assert finding == "X: uphold rate 50% in 2020 (2 of 4 investigations)"


def test_funnel_words_above_below_and_none():
    rows = pd.DataFrame({"authority": ["Hi", "Lo", "Mid"], "funnel_class": ["above 99.8%", "below 99.8%", "within"]})
    finding, alt = chart_text.uphold_funnel(rows, 0.75, "G", 2024, None)
    assert "against a pooled rate of 75%, with" in alt
    assert finding == "G 2024: of 3 authorities, 1 above and 1 below the 99.8% limits"
    assert alt.endswith("1 authorities lie above and 1 below the 99.8% limits: Hi, Lo.")
    finding, alt = chart_text.uphold_funnel(rows.iloc[:1], 0.5, "G", 2024, None)
    assert finding == "G 2024: of 1 authority, 1 above and 0 below the 99.8% limits"
    finding, alt = chart_text.uphold_funnel(rows.iloc[2:], 0.5, "G", 2024, "Mid")
    assert finding == "G 2024: all 1 authority within the 99.8% limits"
    assert alt.endswith("below the 99.8% limits. Mid is highlighted.")


def test_remedy_and_compliance_words_without_an_average_or_a_base():
    rates = pd.DataFrame(
        {"year_ending": [2022, 2023, 2024], "value": [5.0, 6.0, 7.0], "similar_average": [1.0, 2.0, np.nan]}
    )
    finding, alt = chart_text.remedy_outcomes(rates, pd.DataFrame(), "X")
    assert finding == "X: 7% of upheld cases already remedied in 2024"
    assert alt.endswith(
        "2023: 6% satisfactory remedy rate against an average of 2%. 2024: 7% satisfactory remedy rate."
    )
    compliance = pd.DataFrame({"year_ending": [2023, 2024], "value": [100.0, 95.0], "base": [4, np.nan]})
    _, alt = chart_text.authority_compliance(compliance, "X")
    assert alt == "Line chart of X's compliance with recommendations by year: 2023 100% of 4 outcomes; 2024 95%."


def test_a_remedy_count_not_read_is_drawn_as_missing_not_as_0():
    from lgsco_analysis.charts import plots

    remedies = pd.DataFrame(
        {
            "authority": ["X"] * 4,
            "year_ending": [2017, 2017, 2018, 2018],
            "remedy": ["remedied_by_ombudsman", "remedied_by_authority_before_ombudsman"] * 2,
            "count": [3, 1, 2, None],  # 2018's second count not read
        }
    )
    statistics = pd.DataFrame(columns=["authority", "year_ending", "measure", "value", "similar_average", "base"])
    figure, alt, table = plots.remedy_outcomes(statistics, remedies, "X")
    assert "2018: 2 remedied by the Ombudsman, a count not read by the council." in alt
    assert [t.get_text() for t in figure.axes[0].texts if t.get_text().isdigit()] == ["4"]  # 2017's total only
    assert table["Remedied by the council first"].tolist()[0] == 1 and pd.isna(
        table["Remedied by the council first"][1]
    )

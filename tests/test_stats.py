"""Intervals and funnels against published values and PHEindicatormethods' own test vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lgsco_analysis.analysis.stats import classify_funnel, funnel_limits, uphold_funnel_classes, wilson_interval

PHE_VECTORS = Path(__file__).parent / "data" / "pheindicatormethods"
"""PHEindicatormethods' own test vectors, copied with their licence (see the README there)."""
TOLERANCE_PERCENTAGE_POINTS = 1e-6


def test_wilson_interval_matches_published_values():
    low, high = wilson_interval(81, 263)
    assert round(float(low), 4) == 0.2553 and round(float(high), 4) == 0.3662


def test_wilson_interval_agrees_with_statsmodels():
    proportion_confint = pytest.importorskip("statsmodels.stats.proportion").proportion_confint
    trials = np.repeat(np.arange(1, 60), 60)
    successes = np.concatenate([np.arange(60) % (n + 1) for n in range(1, 60)])
    for level in (0.95, 0.998):
        low, high = wilson_interval(successes, trials, level)
        expected_low, expected_high = proportion_confint(successes, trials, alpha=1 - level, method="wilson")
        assert np.abs(low - expected_low).max() < 1e-12 and np.abs(high - expected_high).max() < 1e-12


def test_wilson_interval_is_vectorised_and_nan_without_trials():
    low, high = wilson_interval([5, 0, 3], [8, 0, 3])
    assert low.shape == (3,)
    assert 0.30 < low[0] < 0.32 and 0.85 < high[0] < 0.87  # 5 of 8: about 31% to 86%
    assert np.isnan(low[1]) and np.isnan(high[1])
    assert high[2] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("outputs", "max_denominator"),
    [("testdata_funnel_prop_outputs.csv", None), ("testdata_funnel_prop_outputs_with_axis_variation.csv", 31000)],
)
def test_funnel_limits_reproduce_phe_vectors(outputs, max_denominator):
    folder = PHE_VECTORS
    inputs = pd.read_csv(folder / "testdata_funnel_prop_inputs.csv", encoding="utf-8-sig")
    if max_denominator:
        inputs = inputs[inputs["denominator"] < max_denominator]
    expected = pd.read_csv(folder / outputs, encoding="utf-8-sig")
    baseline = inputs["numerator"].sum() / inputs["denominator"].sum()
    assert 100 * baseline == pytest.approx(expected["Baseline"].iloc[0], abs=1e-5)
    limits = funnel_limits(baseline, expected["Population"])
    for ours, theirs in [
        ("lower_95", "Lower2s0025limit"),
        ("upper_95", "Upper2s0025limit"),
        ("lower_998", "Lower3s0001limit"),
        ("upper_998", "Upper3s0001limit"),
    ]:
        difference = np.abs(100 * limits[ours] - expected[theirs]).max()
        assert difference < TOLERANCE_PERCENTAGE_POINTS, (ours, difference)


def test_funnel_classification_matches_phe_significance():
    inputs = pd.read_csv(PHE_VECTORS / "testdata_funnel_prop_inputs.csv", encoding="utf-8-sig")
    baseline = inputs["numerator"].sum() / inputs["denominator"].sum()
    classes = classify_funnel(inputs["numerator"], inputs["denominator"], baseline)
    phe_names = {
        "High (0.001)": "above 99.8%",
        "High (0.025)": "above 95%",
        "Not significant": "within",
        "Low (0.025)": "below 95%",
        "Low (0.001)": "below 99.8%",
    }
    expected = inputs["significance"].map(phe_names)
    assert expected.notna().all()
    assert list(classes) == list(expected)


def test_funnel_limits_refuse_bad_input():
    with pytest.raises(ValueError, match="proportion"):
        funnel_limits(63, [10])
    with pytest.raises(ValueError, match="positive"):
        funnel_limits(0.6, [0, 10])


def test_uphold_classes_against_group_pooled_rate():
    rows = []
    for name, upheld, investigated in [("A", 5, 100), ("B", 50, 100), ("C", 95, 100), ("D", 0, 0)]:
        rows += [
            {
                "authority": name,
                "year_ending": 2024,
                "group": "District Councils",
                "measure": "upheld",
                "value": upheld,
            },
            {
                "authority": name,
                "year_ending": 2024,
                "group": "District Councils",
                "measure": "investigated",
                "value": investigated,
            },
        ]
    classes = uphold_funnel_classes(pd.DataFrame(rows)).set_index("authority")
    assert classes.loc["A", "group_rate"] == pytest.approx(150 / 300)
    assert classes.loc["A", "funnel_class"] == "below 99.8%"
    assert classes.loc["B", "funnel_class"] == "within"
    assert classes.loc["C", "funnel_class"] == "above 99.8%"
    assert classes.loc["D", "funnel_class"] == ""

"""Intervals, funnel limits and outlier classes for proportions such as uphold rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

FUNNEL_LEVELS: dict[str, float] = {"95": 0.975, "998": 0.999}
"""Two-sided levels as PHEindicatormethods names them, with their one-sided probabilities."""

FUNNEL_CLASSES: tuple[str, ...] = (
    "above 99.8%",
    "above 95%",
    "within",
    "below 95%",
    "below 99.8%",
)


def wilson_interval(successes, trials, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval as proportions (statsmodels); NaN where trials is 0."""
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    safe = np.where(trials > 0, trials, 1.0)
    low, high = proportion_confint(successes, safe, alpha=1 - level, method="wilson")
    low = np.where(trials > 0, low, np.nan)
    high = np.where(trials > 0, high, np.nan)
    return low, high


def _wilson_funnel(baseline: float, n: np.ndarray, probability: float) -> tuple[np.ndarray, np.ndarray]:
    """Observed proportions whose Wilson interval at this level just reaches the baseline.

    Solving the Wilson bound for the observed proportion gives both limits as the two roots
    of one quadratic; PHEindicatormethods' ``sigma_adjustment`` computes the same values.
    """
    z2 = norm.ppf(probability) ** 2
    k = z2 / n
    shifted = baseline * (1 + k) - k / 2
    b = 2 * shifted + k
    c = shifted**2 - k**2 / 4
    root = np.sqrt(np.maximum(b**2 - 4 * (1 + k) * c, 0.0))
    lower = (b - root) / (2 * (1 + k))
    upper = (b + root) / (2 * (1 + k))
    return np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)


def funnel_limits(baseline: float, denominators) -> pd.DataFrame:
    """95% and 99.8% funnel limits (proportions) around a baseline proportion.

    The method of PHEindicatormethods' ``calculate_funnel_limits(statistic = "proportion")``.
    """
    if not 0 <= baseline <= 1:
        raise ValueError(f"baseline must be a proportion from 0 to 1, not {baseline}")
    n = np.asarray(denominators, dtype=float)
    if (n <= 0).any():
        raise ValueError("denominators must be positive")
    frame = pd.DataFrame({"denominator": n})
    for name, probability in FUNNEL_LEVELS.items():
        lower, upper = _wilson_funnel(baseline, n, probability)
        frame[f"lower_{name}"] = lower
        frame[f"upper_{name}"] = upper
    return frame


def classify_funnel(successes, trials, baseline: float) -> np.ndarray:
    """Each observed proportion's place against the funnel: one of FUNNEL_CLASSES, or '' for no trials."""
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    result = np.full(successes.shape, "", dtype=object)
    valid = trials > 0
    if not valid.any():
        return result
    limits = funnel_limits(baseline, trials[valid])
    observed = successes[valid] / trials[valid]
    labels = np.select(
        [
            observed > limits["upper_998"].to_numpy(),
            observed > limits["upper_95"].to_numpy(),
            observed < limits["lower_998"].to_numpy(),
            observed < limits["lower_95"].to_numpy(),
        ],
        ["above 99.8%", "above 95%", "below 99.8%", "below 95%"],
        default="within",
    )
    result[valid] = labels
    return result


def uphold_funnel_classes(harmonised: pd.DataFrame) -> pd.DataFrame:
    """Each authority-year's uphold rate against its group's pooled rate that year.

    Takes ``measures.harmonise`` output with a ``group`` column; returns ``authority,
    year_ending, group, upheld, investigated, group_rate, funnel_class`` (rates as
    proportions). Unmatched authorities are not classified.
    """
    counts = harmonised[harmonised["measure"].isin(["upheld", "investigated"])].pivot_table(
        index=["authority", "year_ending", "group"], columns="measure", values="value", aggfunc="first"
    )
    counts = counts.dropna(subset=["upheld", "investigated"]).reset_index()
    counts = counts[counts["group"] != "Unmatched"]
    pooled = counts.groupby(["group", "year_ending"])[["upheld", "investigated"]].sum()
    counts["group_rate"] = [
        pooled.loc[(g, y), "upheld"] / pooled.loc[(g, y), "investigated"]
        if pooled.loc[(g, y), "investigated"]
        else np.nan
        for g, y in zip(counts["group"], counts["year_ending"], strict=True)
    ]
    counts["funnel_class"] = ""
    for (_, _), index in counts.groupby(["group", "year_ending"]).groups.items():
        part = counts.loc[index]
        baseline = float(part["group_rate"].iloc[0])
        if np.isnan(baseline):
            continue
        counts.loc[index, "funnel_class"] = classify_funnel(
            part["upheld"].to_numpy(float), part["investigated"].to_numpy(float), baseline
        )
    return counts[["authority", "year_ending", "group", "upheld", "investigated", "group_rate", "funnel_class"]]

"""Intervals, funnel limits and outlier classes for proportions such as uphold rates."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from ..rules.rates import upheld_share
from ..rules.vocabulary import UNMATCHED_GROUP

FUNNEL_LEVELS: dict[str, float] = {"95": 0.975, "998": 0.999}
"""Two-sided levels as PHEindicatormethods names them, with their one-sided probabilities."""

FUNNEL_CLASSES: tuple[str, ...] = (
    "above 99.8%",
    "above 95%",
    "within",
    "below 95%",
    "below 99.8%",
)
ABOVE_998, BELOW_998 = FUNNEL_CLASSES[0], FUNNEL_CLASSES[-1]
OUTSIDE_998: tuple[str, str] = (ABOVE_998, BELOW_998)
"""The two classes outside the 99.8% limits: the ones the reports name."""


def wilson_interval(successes, trials, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval as proportions; NaN where trials is 0.

    The closed form (Wilson 1927; Newcombe 1998, method 3). The tests check it against
    statsmodels' ``proportion_confint(method="wilson")``, which is not imported here:
    importing it (with scipy.stats) cost 0.5 s in every report's kernel.
    """
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = successes / trials
        spread = z * np.sqrt(share * (1 - share) / trials + z**2 / (4 * trials**2))
        centre = share + z**2 / (2 * trials)
        low = (centre - spread) / (1 + z**2 / trials)
        high = (centre + spread) / (1 + z**2 / trials)
    valid = trials > 0
    return np.where(valid, np.clip(low, 0.0, 1.0), np.nan), np.where(valid, np.clip(high, 0.0, 1.0), np.nan)


def _wilson_funnel(baseline: float, n: np.ndarray, probability: float) -> tuple[np.ndarray, np.ndarray]:
    """Observed proportions whose Wilson interval at this level just reaches the baseline.

    Solving the Wilson bound for the observed proportion gives both limits as the two roots
    of one quadratic; PHEindicatormethods' ``sigma_adjustment`` computes the same values.
    """
    z2 = NormalDist().inv_cdf(probability) ** 2
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
    counts = (
        harmonised[harmonised["measure"].isin(["upheld", "investigated"])]
        .pivot_table(index=["authority", "year_ending", "group"], columns="measure", values="value", aggfunc="first")
        .reindex(columns=["upheld", "investigated"])
    )  # both columns, even with no letter that prints them
    counts = counts.dropna(subset=["upheld", "investigated"]).reset_index()
    counts = counts[counts["group"] != UNMATCHED_GROUP].copy()
    pooled = counts.groupby(["group", "year_ending"])[["upheld", "investigated"]].transform("sum")
    pooled_investigated = pooled["investigated"].astype(float)
    counts["group_rate"] = upheld_share(
        pooled["upheld"].astype(float), pooled_investigated.where(pooled_investigated > 0)
    )
    counts["funnel_class"] = ""
    for index in counts.groupby(["group", "year_ending"]).groups.values():
        part = counts.loc[index]
        baseline = float(part["group_rate"].iloc[0])
        if np.isnan(baseline):
            continue
        counts.loc[index, "funnel_class"] = classify_funnel(
            part["upheld"].to_numpy(float), part["investigated"].to_numpy(float), baseline
        )
    columns = ["authority", "year_ending", "group", "upheld", "investigated", "group_rate", "funnel_class"]
    return counts[columns].rename_axis(columns=None)

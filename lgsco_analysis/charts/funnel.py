"""The uphold-rate funnel: each authority's rate against its group's pooled rate, within 95% and
99.8% limits, the authorities outside the 99.8% limits named, no two labels overlapping."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.transforms import Affine2D

from ..analysis.stats import OUTSIDE_998, funnel_limits, wilson_interval
from ..errors import NothingToDraw
from ..rules.rates import upheld_share, uphold_rate
from . import words
from .style import (
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    ORANGE,
    Chart,
    count_axis,
    lay_out,
    literal_text,
    new_figure,
    title,
)

MIN_FUNNEL_AUTHORITIES = 3
"""Fewer authorities than this make no funnel worth drawing: the group rate is theirs alone."""

FUNNEL_DOT_AREA = 28
"""A dot's area in points squared for one authority; several with the same figures share a larger dot."""
MAX_FUNNEL_LABELS = 12
LABEL_SPACING_POINTS = 10


def _spread(wanted: list[float], spacing: float, lowest: float) -> list[float]:
    """Heights (highest first) moved apart to at least ``spacing``, none below ``lowest``, each as near
    its wanted height as that allows."""
    placed: list[float] = []
    for height in wanted:  # downwards: each at most one spacing below the one above
        placed.append(height if not placed else min(height, placed[-1] - spacing))
    for index in range(len(placed) - 1, -1, -1):  # then up from the floor, if the stack ran below it
        floor = lowest if index == len(placed) - 1 else placed[index + 1] + spacing
        placed[index] = max(placed[index], floor)
    return placed


def _furthest_out(outliers: pd.DataFrame, baseline: float) -> pd.DataFrame:
    """The authorities outside the 99.8% limits that the funnel names: the :data:`MAX_FUNNEL_LABELS` furthest
    from the pooled rate in standard errors, each with its ``rate`` as a percentage."""
    rate = upheld_share(outliers["upheld"], outliers["investigated"])
    distance = (rate - baseline).abs() * np.sqrt(outliers["investigated"])
    return outliers.assign(rate=100 * rate, distance=distance).nlargest(MAX_FUNNEL_LABELS, "distance")


def _outlier_labels(axes: Axes, chosen: pd.DataFrame) -> None:
    """Name the ``chosen`` authorities (:func:`_furthest_out`) on the plot area as laid out: in a column beside
    the dots they name (right of them, or left of those far right), spaced so that no two overlap and none
    covers a named dot, each with a thin line to its dot."""
    if chosen.empty:
        return
    to_points = axes.transData + axes.figure.dpi_scale_trans.inverted() + Affine2D().scale(72)  # data -> points
    bottom = to_points.transform((0, 0))[1] + LABEL_SPACING_POINTS / 2
    right_side = chosen["investigated"] < axes.get_xlim()[1] * 0.6
    for right, side in ((True, chosen[right_side]), (False, chosen[~right_side])):
        if side.empty:
            continue
        # top to bottom; among equal rates the dot nearest the column last, so that no line crosses its dot
        side = side.sort_values(["rate", "investigated"], ascending=[False, right])
        dots = [to_points.transform((row["investigated"], row["rate"])) for row in side.to_dict("records")]
        column = (max if right else min)(x for x, _ in dots) + (8 if right else -8)
        heights = _spread([y for _, y in dots], LABEL_SPACING_POINTS, bottom)
        for row, (x, y), label_height in zip(side.to_dict("records"), dots, heights, strict=True):
            axes.annotate(
                row["authority"],
                (row["investigated"], row["rate"]),
                xytext=(column - x, label_height - y),
                textcoords="offset points",
                ha="left" if right else "right",
                va="center",
                fontsize=7.5,
                arrowprops={"arrowstyle": "-", "color": DARK_GREY, "linewidth": 0.5, "shrinkB": 3},
            )


@literal_text
def uphold_funnel(classes: pd.DataFrame, group_name: str, year: int, highlight: str | None = None) -> Chart:
    """Funnel plot of uphold rates in a group for a year (``stats.uphold_funnel_classes`` rows).

    Authorities with the same counts share one dot whose area grows with their number, so
    that every authority is drawn; those outside the 99.8% limits are named.
    """
    in_group = classes[(classes["group"] == group_name) & (classes["year_ending"] == year)]
    rows = in_group[in_group["investigated"] > 0]
    if len(rows) < MIN_FUNNEL_AUTHORITIES:
        raise NothingToDraw(
            f"a funnel plot needs at least {MIN_FUNNEL_AUTHORITIES} authorities with investigations; "
            f"{group_name} has {len(rows)} in {year}"
        )
    baseline = float(rows["group_rate"].iloc[0])
    span = np.linspace(1, max(rows["investigated"].max() * 1.1, 10), 120)
    limits = funnel_limits(baseline, span)
    figure, axes = new_figure(8, 5.5)
    axes.plot(span, 100 * limits["upper_998"], color=DARK_GREY, linestyle=":", label="99.8% limits")
    axes.plot(span, 100 * limits["lower_998"], color=DARK_GREY, linestyle=":")
    axes.plot(span, 100 * limits["upper_95"], color=DARK_GREY, linestyle="--", label="95% limits")
    axes.plot(span, 100 * limits["lower_95"], color=DARK_GREY, linestyle="--")
    axes.axhline(100 * baseline, color=ORANGE, label=f"{group_name} pooled rate {100 * baseline:.0f}%")
    dots = rows.groupby(["investigated", "upheld"]).size().rename("authorities").reset_index()
    axes.scatter(
        dots["investigated"],
        uphold_rate(dots["upheld"], dots["investigated"]),
        s=FUNNEL_DOT_AREA * dots["authorities"],
        color=DARK_BLUE,
        alpha=0.75,
        edgecolor="white",
        linewidth=0.5,
        zorder=3,
        label="authorities (area: how many share the figures)",
    )
    axes.set_ylim(-4, 105)  # a dot at 0% drawn whole, above the axis
    axes.set_xlim(0, span[-1])
    outliers = rows[rows["funnel_class"].isin(OUTSIDE_998)]
    named = _furthest_out(outliers, baseline)
    if highlight is not None and highlight in set(rows["authority"]):
        chosen = rows[rows["authority"] == highlight].iloc[0]
        axes.scatter(
            [chosen["investigated"]],
            [uphold_rate(chosen["upheld"], chosen["investigated"])],
            s=90,
            facecolor=DARK_PINK,
            edgecolor="black",
            zorder=4,
            label=highlight,
        )
    axes.set_xlabel("Investigations (count)")
    count_axis(axes.xaxis)
    axes.set_ylabel("Uphold rate (% of investigations)")
    legend = figure.legend(fontsize=7.5, frameon=False, loc="outside lower center", ncols=3)  # never over a dot
    for handle in legend.legend_handles:  # one authority's dot, whatever the size of the first one drawn
        if isinstance(handle, PathCollection) and handle.get_label() != highlight:
            handle.set_sizes([FUNNEL_DOT_AREA])
    finding, alt = words.uphold_funnel(rows, baseline, group_name, year, highlight)
    shared = int((dots["authorities"] > 1).sum())
    subtitle = "Each dot an authority; outside the dotted lines is unlikely to be chance alone"
    if shared:
        subtitle += f"; {shared} larger dots are authorities with the same figures (area by how many)"
    if len(named) < len(outliers):
        subtitle += f"; the {len(named)} furthest out of {len(outliers)} outside the 99.8% limits are named"
    if len(in_group) > len(rows):
        subtitle += f"; {len(in_group) - len(rows)} with no investigations have no rate to draw"
    title(figure, finding, subtitle)
    lay_out(figure)  # the plot area's final size first: labels are spaced in points on it
    _outlier_labels(axes, named)
    return Chart(figure, alt, group_table(rows))


def group_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Every authority drawn, highest uphold rate first (the most investigations first among equal rates), with
    its 95% interval and its base: the figures behind the funnel. Not a league table: where two intervals
    overlap, the two rates may differ by chance alone."""
    low, high = wilson_interval(rows["upheld"], rows["investigated"])
    table = rows.assign(
        rate=uphold_rate(rows["upheld"], rows["investigated"]).round(1), low=100 * low, high=100 * high
    ).sort_values(["rate", "investigated", "authority"], ascending=[False, False, True])
    return pd.DataFrame(
        {
            "Authority": table["authority"].to_numpy(),
            "Upheld": table["upheld"].to_numpy().astype(int),
            "Investigated": table["investigated"].to_numpy().astype(int),
            "Uphold rate (%)": table["rate"].to_numpy(),
            "95% interval (%)": [f"{lo:.1f} to {hi:.1f}" for lo, hi in zip(table["low"], table["high"], strict=True)],
            "Against the funnel": table["funnel_class"].to_numpy(),
        }
    )

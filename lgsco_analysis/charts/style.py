"""What every chart shares: the palette, the figure, the title that states the finding, the break
lines in the series, and the :class:`Chart` each chart function returns.

The Analysis Function's colour-blind-safe palette (afcharts); text from letters drawn as printed.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import matplotlib
import pandas as pd
from afcharts.af_colours import get_af_colours
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from ..analysis.measures import series_breaks
from . import words
from .canvas import on_chart_canvas

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

PALETTE = get_af_colours("categorical")
DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, PLUM = PALETTE
LIGHT_GREY = get_af_colours("focus")[1]


class Chart(NamedTuple):
    """A chart, the text that says what it shows to those who cannot see it, and the figures it drew."""

    figure: Figure
    alt: str
    table: pd.DataFrame
    """The numbers behind the chart, with column names a reader understands."""


LITERAL_TEXT: dict[RcKeyType, Any] = {"text.parse_math": False}
"""Text from letters is drawn as printed: a "$" in a council's name is a dollar sign, not mathematics."""


def literal_text(make: Callable[..., Chart]) -> Callable[..., Chart]:
    """Build a chart with every text drawn literally (see :data:`LITERAL_TEXT`)."""

    @functools.wraps(make)
    def build(*args, **kwargs) -> Chart:
        with matplotlib.rc_context(LITERAL_TEXT):
            return make(*args, **kwargs)

    return build


def lay_out(figure: Figure) -> None:
    """Place the plot areas, titles, axis labels and legends once, with text measured as the reports draw it, as
    SVG text (:mod:`.canvas`), so that drawing the figure lays nothing out again; a figure laid out already is left
    as it is. A figure not laid out here lays itself out when it is drawn, with the text of the format drawn (PNG).

    The labels written on a plot area (a point's value, a break's name) are left out of the layout's
    measuring: each stays inside its frame (``tests/test_chart_layout.py`` checks it), so it moves nothing,
    and measuring them took an eighth of the layout's time.
    """
    engine = figure.get_layout_engine()
    if engine is None:  # laid out already (see the last line), or placed by hand
        return
    for axes in figure.axes:
        for text in axes.texts:
            text.set_in_layout(False)
    dpi = figure.dpi
    engine.execute(figure)  # measured as SVG draws text, at 72 dots an inch, which it leaves the figure at
    figure.dpi = dpi
    figure.set_layout_engine(None)  # none: nothing to lay out again, and saving draws the figure once, not twice


THOUSANDS = StrMethodFormatter("{x:,.0f}")
"""Counts on an axis as the labels print them: 12,500, not 12500."""


def count_axis(axis: Axis) -> None:
    """An axis of counts: ticks at whole numbers only, each labelled as it stands (thousands separated),
    so that no line at 17.5 is labelled 18 and a count of 2 has no tick at 0.25."""
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(THOUSANDS)
    high = max(axis.get_view_interval())
    if high < 1:  # every count 0: a scale from 0 to 1, not ticks at -0.03 labelled "-0"
        set_limits = axis.axes.set_ylim if axis is axis.axes.yaxis else axis.axes.set_xlim
        set_limits(0, 1)


def year_axis(axes: Axes, years) -> None:
    """Years along the x axis, evenly spaced, every one from the first drawn to the last ticked: a year with
    no figures is a gap, not a jump."""
    first, last = int(min(years)), int(max(years))
    axes.set_xticks(range(first, last + 1))
    axes.set_xlim(first - 0.6, last + 0.6)
    axes.set_xlabel("Year ending 31 March")


def new_figure(width: float = 8.0, height: float = 4.5) -> tuple[Figure, Axes]:
    figure, (axes,) = new_panels(1, width, height)
    return figure, axes


def new_panels(count: int, width: float = 8.0, height: float = 4.5) -> tuple[Figure, list[Axes]]:
    """A figure of ``count`` plot areas one above the other, sharing the x axis: one y axis each."""
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")  # not in pyplot: nothing left open
    on_chart_canvas(figure)  # laid out with text measured as the reports draw it, as SVG text
    panels = list(figure.subplots(count, 1, sharex=True, squeeze=False)[:, 0])
    for axes in panels:
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", color="#d9d9d9", linewidth=0.8)
        axes.set_axisbelow(True)
    return figure, panels


def percent_axis(axes: Axes) -> None:
    """A y axis of percentages from 0 to 100, with room above 100% for a point's label."""
    axes.set_ylim(0, 100 + PERCENT_HEADROOM)
    axes.set_yticks(range(0, 101, 20))


PERCENT_HEADROOM = 14
"""Percentage points above 100 left clear, so that the label over a point at 100% stays inside the frame."""


TITLE_SIZE = 13
SUBTITLE_SIZE = 9.5
CHARACTER_WIDTH = 0.65
"""The widest a character of the title's font is, on average, as a share of its size: what wrapping allows for."""


def wrap(text: str, figure: Figure, size: float) -> str:
    """The text wrapped to fit the figure's width at this font size."""
    width_points = figure.get_figwidth() * 72 * 0.96
    return textwrap.fill(text, max(20, int(width_points / (size * CHARACTER_WIDTH))))


def title(figure: Figure, finding: str, subtitle: str) -> None:
    figure.suptitle(wrap(finding, figure, TITLE_SIZE), x=0.01, ha="left", fontsize=TITLE_SIZE, fontweight="bold")
    figure.axes[0].set_title(  # y given: matplotlib then skips looking for ticks on top (there are none)
        wrap(subtitle, figure, SUBTITLE_SIZE), loc="left", fontsize=SUBTITLE_SIZE, color=DARK_GREY, y=1.0
    )


def draw_breaks(axes: Axes, years) -> str:
    """Dashed lines at the breaks the Ombudsman warns about, labelled; returns the alt text's
    sentence naming the lines drawn ("" when the years cross none)."""
    low, high = min(years), max(years)
    drawn = [
        (caveat.year_ending, caveat)
        for caveat in series_breaks()
        if caveat.year_ending is not None and low < caveat.year_ending <= high
    ]
    for year, caveat in drawn:
        axes.axvline(year - 0.5, color=DARK_GREY, linestyle="--", linewidth=1)
        axes.annotate(  # along the line, so it does not cover points near the top
            caveat.chart_label,
            (year - 0.45, 0.98),
            xycoords=("data", "axes fraction"),
            fontsize=7,
            color=DARK_GREY,
            va="top",
            rotation=90,
        )
    return words.breaks_sentence([caveat for _, caveat in drawn])


def rate_against_average(
    axes: Axes, rows: pd.DataFrame, label: str, colour: str, ylabel: str, percentage: bool = True
) -> None:
    """A printed rate by year (``year_ending, value, similar_average, base``) against its average,
    each point labelled with its value (a whole percentage, or a rate to a tenth) and base."""
    axes.plot(
        rows["year_ending"],
        rows["similar_average"],
        color=ORANGE,
        marker="s",
        markersize=5,
        linestyle="--",
        label="similar authorities' average",
    )
    axes.plot(rows["year_ending"], rows["value"], color=colour, marker="o", label=label, zorder=3)
    for row in rows.to_dict("records"):
        base = "" if pd.isna(row["base"]) else f" of {int(row['base'])}"
        axes.annotate(
            (f"{row['value']:.0f}%" if percentage else f"{row['value']:.1f}") + base,
            (row["year_ending"], row["value"]),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=7.5,
        )
    if percentage:
        percent_axis(axes)
    else:  # from 0, with room above the highest point for its label
        axes.set_ylim(0, 1.3 * max(1.0, rows[["value", "similar_average"]].max().max()))
    axes.set_ylabel(ylabel)

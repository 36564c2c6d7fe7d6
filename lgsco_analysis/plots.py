"""One function per chart. Each takes tidy frames and returns (Figure, alt text).

One style for all: the Analysis Function's colour-blind-safe palette (afcharts), titles that
state the finding, axes with units, counts beside percentages, breaks in the series drawn
on every trend, and small denominators flagged rather than ranked.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable

import matplotlib
import numpy as np
import pandas as pd
from afcharts.af_colours import get_af_colours
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .measures import SERIES_BREAKS
from .stats import funnel_limits, wilson_interval

PALETTE = get_af_colours("categorical")
DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, PLUM = PALETTE
LIGHT_GREY = get_af_colours("focus")[1]
SMALL_BASE = 10
MIN_FUNNEL_AUTHORITIES = 3
"""Fewer authorities than this make no funnel worth drawing: the group rate is theirs alone."""
"""Fewer investigations than this: a rate is shown but flagged, not ranked."""

CATEGORY_LABELS = {
    "adult_care_services": "Adult care",
    "benefits_and_tax": "Benefits and tax",
    "corporate_and_other_services": "Corporate and other",
    "education_and_childrens_services": "Education and children's",
    "environment_services": "Environment",
    "highways_and_transport": "Highways and transport",
    "housing": "Housing",
    "planning_and_development": "Planning and development",
    "other": "Other",
}
DECISION_LABELS = {
    "incomplete_or_invalid": "Incomplete or invalid",
    "advice_given": "Advice given",
    "referred_back_for_local_resolution": "Referred back for local resolution",
    "closed_after_initial_enquiries": "Closed after initial enquiries",
    "not_upheld": "Not upheld",
    "upheld": "Upheld",
    "not_for_us": "Not for us",
    "assessed_and_closed": "Assessed and closed",
    "investigated": "Investigated",
}


LITERAL_TEXT = {"text.parse_math": False}
"""Text from letters is drawn as printed: a "$" in a council's name is a dollar sign, not mathematics."""


def literal_text(make: Callable[..., tuple[Figure, str]]) -> Callable[..., tuple[Figure, str]]:
    """Build a chart with every text drawn literally (see :data:`LITERAL_TEXT`)."""

    @functools.wraps(make)
    def build(*args, **kwargs) -> tuple[Figure, str]:
        with matplotlib.rc_context(LITERAL_TEXT):
            return make(*args, **kwargs)

    return build


def _figure(width: float = 8.0, height: float = 4.5) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")  # not in pyplot: nothing left open
    axes = figure.subplots()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#d9d9d9", linewidth=0.8)
    axes.set_axisbelow(True)
    return figure, axes


def _title(figure: Figure, finding: str, subtitle: str) -> None:
    figure.suptitle(textwrap.fill(finding, 72), x=0.01, ha="left", fontsize=13, fontweight="bold")
    figure.axes[0].set_title(textwrap.fill(subtitle, 80), loc="left", fontsize=9.5, color=DARK_GREY)


def _draw_breaks(axes: Axes, years) -> str:
    """Dashed lines at the breaks the Ombudsman warns about, labelled; returns a sentence for the
    alt text naming the lines drawn ("" when the years cross none)."""
    low, high = min(years), max(years)
    drawn = []
    for row in SERIES_BREAKS.itertuples():
        if low < row.year_ending <= high:
            axes.axvline(row.year_ending - 0.5, color=DARK_GREY, linestyle="--", linewidth=1)
            axes.annotate(  # along the line, so it does not cover points near the top
                row.label,
                (row.year_ending - 0.45, 0.98),
                xycoords=("data", "axes fraction"),
                fontsize=7,
                color=DARK_GREY,
                va="top",
                rotation=90,
            )
            drawn.append(f"before {row.year_ending}, {row.label.lower()}")
    if not drawn:
        return ""
    lines = "lines mark breaks" if len(drawn) > 1 else "line marks a break"
    return f" Dashed {lines} in the series: {'; '.join(drawn)}."


def _rate_against_average(axes: Axes, rows: pd.DataFrame, label: str, colour: str, ylabel: str) -> None:
    """A printed rate by year (``year_ending, value, similar_average, base``) against its average,
    each point labelled with its percentage and base."""
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
    for row in rows.itertuples():
        base = "" if pd.isna(row.base) else f" of {int(row.base)}"
        axes.annotate(
            f"{row.value:.0f}%{base}",
            (row.year_ending, row.value),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=7.5,
        )
    axes.set_ylim(0, 105)
    axes.set_ylabel(ylabel)


def _percent(part: float, whole: float) -> str:
    if not whole:
        return "no cases"
    share = 100 * part / whole
    return "<1%" if 0 < share < 0.5 else f"{share:.0f}%"


@literal_text
def received_by_category(received: pd.DataFrame, title_scope: str = "All letters") -> tuple[Figure, str]:
    """Complaints and enquiries received by category (a year, or any selection), largest first."""
    totals = received.groupby("category")["count"].sum().sort_values()
    if totals.empty:
        raise ValueError("these letters print no complaints received by category")
    grand = int(totals.sum())
    figure, axes = _figure(8, 4.8)
    labels = [CATEGORY_LABELS.get(c, c) for c in totals.index]
    axes.barh(labels, totals.to_numpy(), color=DARK_BLUE)
    axes.grid(axis="y", visible=False)
    axes.grid(axis="x", color="#d9d9d9", linewidth=0.8)
    for y, value in enumerate(totals.to_numpy()):
        axes.annotate(f" {int(value):,} ({_percent(value, grand)})", (value, y), va="center", fontsize=8.5)
    axes.set_xlabel("Complaints and enquiries received (count)")
    axes.set_xlim(0, totals.max() * 1.25)
    top = CATEGORY_LABELS.get(totals.index[-1], totals.index[-1])
    _title(
        figure,
        f"{top} drew the most complaints: {int(totals.iloc[-1]):,} of {grand:,}",
        f"{title_scope}: complaints and enquiries received by category",
    )
    alt = (
        f"Horizontal bar chart of {grand:,} complaints and enquiries received ({title_scope}) by category. "
        + "; ".join(f"{CATEGORY_LABELS.get(c, c)} {int(v):,} ({_percent(v, grand)})" for c, v in totals[::-1].items())
        + "."
    )
    return figure, alt


@literal_text
def received_over_time(received_totals: pd.DataFrame, authority: str | None = None) -> tuple[Figure, str]:
    """Complaints received per year (``year_ending, count``), with the breaks in the series."""
    yearly = received_totals.groupby("year_ending")["count"].sum().sort_index()
    if yearly.empty:
        raise ValueError("no yearly received totals (only format A letters, to 2019, print one for every authority)")
    figure, axes = _figure()
    years = yearly.index.to_numpy(int)
    axes.bar(years, yearly.to_numpy(), color=DARK_BLUE, width=0.7)
    for year, value in yearly.items():
        axes.annotate(f"{int(value):,}", (year, value), ha="center", va="bottom", fontsize=8)
    breaks = _draw_breaks(axes, years)
    axes.set_xticks(years)
    axes.set_xlabel("Year ending 31 March")
    axes.set_ylabel("Complaints received (count)")
    who = authority or "All authorities"
    peak = int(yearly.idxmax())
    _title(
        figure,
        f"{who}: complaints peaked in {peak} at {int(yearly.max()):,}",
        "Complaints and enquiries received per year, from the letters that print a total",
    )
    alt = (
        f"Bar chart of complaints received per year for {who}: "
        + ", ".join(f"{y} {int(v):,}" for y, v in yearly.items())
        + "."
        + breaks
    )
    return figure, alt


@literal_text
def decisions_by_type(decisions: pd.DataFrame, title_scope: str = "All letters") -> tuple[Figure, str]:
    """Decisions by type, as counts with shares, for one format's vocabulary."""
    totals = decisions.groupby("decision")["count"].sum()
    order = [d for d in DECISION_LABELS if d in totals.index]
    nested = {"upheld", "investigated"} <= set(order)  # formats C and D: upheld is a part of investigated
    if nested:
        order = [d for d in order if d != "upheld"] + ["upheld"]
    totals = totals.reindex(order)
    if totals.empty:
        raise ValueError("these letters print no decisions")
    # upheld is a part of investigated where both are printed (formats C and D), so it is not added again
    parts = totals.drop(labels=["upheld"]) if nested else totals
    whole = int(parts.sum())
    figure, axes = _figure(8, 4.8)
    labels = [("of which upheld" if nested and d == "upheld" else DECISION_LABELS[d]) for d in totals.index]
    colours = [DARK_PINK if d == "upheld" else DARK_BLUE for d in totals.index]
    axes.barh(labels[::-1], totals.to_numpy()[::-1], color=colours[::-1])
    axes.grid(axis="y", visible=False)
    axes.grid(axis="x", color="#d9d9d9", linewidth=0.8)
    for y, value in enumerate(totals.to_numpy()[::-1]):
        axes.annotate(f" {int(value):,} ({_percent(value, whole)})", (value, y), va="center", fontsize=8.5)
    axes.set_xlim(0, totals.max() * 1.3)
    upheld = int(totals.get("upheld", 0))
    noun = "investigations" if set(totals.index) <= {"upheld", "investigated"} else "decisions"  # format C
    axes.set_xlabel(f"{noun.capitalize()} (count)")
    _title(
        figure,
        f"{upheld:,} of {whole:,} {noun} ({_percent(upheld, whole)}) upheld a complaint",
        f"{title_scope}: {noun} by outcome",
    )
    alt = (
        f"Horizontal bar chart of {noun} by outcome ({title_scope}), {whole:,} in all: "
        + "; ".join(f"{DECISION_LABELS[d]} {int(v):,}" for d, v in totals.items())
        + "."
    )
    return figure, alt


@literal_text
def uphold_rate_trend(
    council: pd.DataFrame, group: pd.DataFrame, authority: str, group_name: str
) -> tuple[Figure, str]:
    """One council's uphold rate over time with its 95% Wilson band, against its group's rate.

    ``council`` and ``group``: ``year_ending, upheld, investigated`` (group rows are pooled).
    """
    council = council.sort_values("year_ending")
    council = council[council["investigated"] > 0]
    if council.empty:
        raise ValueError(f"{authority} has no investigations to plot")
    pooled = group.groupby("year_ending")[["upheld", "investigated"]].sum()
    pooled = pooled[pooled["investigated"] > 0]
    years = council["year_ending"].to_numpy(int)
    rate = council["upheld"].to_numpy(float) / council["investigated"].to_numpy(float)
    low, high = wilson_interval(council["upheld"], council["investigated"])
    figure, axes = _figure()
    axes.fill_between(years, 100 * low, 100 * high, color=DARK_BLUE, alpha=0.18, label="95% interval")
    if not pooled.empty:
        axes.plot(
            pooled.index,
            100 * pooled["upheld"] / pooled["investigated"],
            color=ORANGE,
            marker="s",
            markersize=5,
            linestyle="--",
            label=f"{group_name} (pooled)",
        )
    axes.plot(years, 100 * rate, color=DARK_BLUE, marker="o", label=authority, zorder=3)
    for year, r, up, inv in zip(years, rate, council["upheld"], council["investigated"], strict=True):
        flag = "*" if inv < SMALL_BASE else ""
        axes.annotate(
            f"{int(up)}/{int(inv)}{flag}",
            (year, 100 * r),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=7.5,
        )
    breaks = _draw_breaks(axes, years)
    axes.set_ylim(0, 105)
    axes.set_xticks(years)
    axes.set_xlabel("Year ending 31 March")
    axes.set_ylabel("Uphold rate (% of investigations)")
    axes.legend(loc="lower right", fontsize=8, frameon=False)
    last = council.iloc[-1]
    last_rate = 100 * last["upheld"] / last["investigated"]
    group_last = pooled["upheld"].get(int(last["year_ending"]), np.nan) / pooled["investigated"].get(
        int(last["year_ending"]), np.nan
    )
    comparison = "" if np.isnan(group_last) else f" ({group_name}: {100 * group_last:.0f}%)"
    _title(
        figure,
        f"{authority}: {last_rate:.0f}% upheld in {int(last['year_ending'])}{comparison}",
        f"Labels: upheld/investigated; * fewer than {SMALL_BASE} investigations, read with care",
    )
    alt = (
        f"Line chart of {authority}'s uphold rate by year with a 95% Wilson interval band, against the pooled rate "
        f"of {group_name}: "
        + "; ".join(
            f"{y} {100 * r:.0f}% ({int(u)} of {int(i)})"
            for y, r, u, i in zip(years, rate, council["upheld"], council["investigated"], strict=True)
        )
        + "."
    )
    return figure, alt + breaks


@literal_text
def uphold_funnel(
    classes: pd.DataFrame, group_name: str, year: int, highlight: str | None = None
) -> tuple[Figure, str]:
    """Funnel plot of uphold rates in a group for a year (``stats.uphold_funnel_classes`` rows)."""
    rows = classes[(classes["group"] == group_name) & (classes["year_ending"] == year) & (classes["investigated"] > 0)]
    if len(rows) < MIN_FUNNEL_AUTHORITIES:
        raise ValueError(
            f"a funnel plot needs at least {MIN_FUNNEL_AUTHORITIES} authorities with investigations; "
            f"{group_name} has {len(rows)} in {year}"
        )
    baseline = float(rows["group_rate"].iloc[0])
    span = np.linspace(1, max(rows["investigated"].max() * 1.1, 10), 200)
    limits = funnel_limits(baseline, span)
    figure, axes = _figure(8, 5)
    axes.plot(span, 100 * limits["upper_998"], color=DARK_GREY, linestyle=":", label="99.8% limits")
    axes.plot(span, 100 * limits["lower_998"], color=DARK_GREY, linestyle=":")
    axes.plot(span, 100 * limits["upper_95"], color=DARK_GREY, linestyle="--", label="95% limits")
    axes.plot(span, 100 * limits["lower_95"], color=DARK_GREY, linestyle="--")
    axes.axhline(100 * baseline, color=ORANGE, label=f"{group_name} pooled rate {100 * baseline:.0f}%")
    rate = 100 * rows["upheld"] / rows["investigated"]
    axes.scatter(rows["investigated"], rate, color=DARK_BLUE, s=28, zorder=3, label="authorities")
    outliers = rows[rows["funnel_class"].isin(["above 99.8%", "below 99.8%"])]
    for row in outliers.itertuples():
        axes.annotate(
            row.authority,
            (row.investigated, 100 * row.upheld / row.investigated),
            fontsize=7.5,
            xytext=(4, 4),
            textcoords="offset points",
        )
    if highlight is not None and highlight in set(rows["authority"]):
        chosen = rows[rows["authority"] == highlight].iloc[0]
        axes.scatter(
            [chosen["investigated"]],
            [100 * chosen["upheld"] / chosen["investigated"]],
            s=90,
            facecolor=DARK_PINK,
            edgecolor="black",
            zorder=4,
            label=highlight,
        )
    axes.set_ylim(0, 105)
    axes.set_xlabel("Investigations (count)")
    axes.set_ylabel("Uphold rate (% of investigations)")
    axes.legend(fontsize=7.5, frameon=False, loc="lower right")
    above = int((rows["funnel_class"] == "above 99.8%").sum())
    below = int((rows["funnel_class"] == "below 99.8%").sum())
    count = f"{len(rows)} authorit{'y' if len(rows) == 1 else 'ies'}"
    finding = (
        f"{group_name} {year}: all {count} within the 99.8% limits"
        if above + below == 0
        else f"{group_name} {year}: of {count}, {above} above and {below} below the 99.8% limits"
    )
    _title(
        figure,
        finding,
        "Each dot an authority; outside the dotted lines is unlikely to be chance alone",
    )
    alt = (
        f"Funnel plot of uphold rates for {len(rows)} {group_name} in {year} against a pooled rate of "
        f"{100 * baseline:.0f}%, with 95% and 99.8% limits. {above} authorities lie above and {below} below the "
        "99.8% limits"
        + (f": {', '.join(outliers['authority'])}." if len(outliers) else ".")
        + (f" {highlight} is highlighted." if highlight else "")
    )
    return figure, alt


@literal_text
def remedy_outcomes(statistics: pd.DataFrame, remedies: pd.DataFrame, authority: str) -> tuple[Figure, str]:
    """One council's satisfactory remedy rate by year against its group's average (as printed)."""
    rows = statistics[(statistics["authority"] == authority) & (statistics["measure"] == "satisfactory_remedy_rate")]
    rows = rows.sort_values("year_ending")
    a_rows = remedies[(remedies["authority"] == authority)].pivot_table(
        index="year_ending", columns="remedy", values="count", aggfunc="first"
    )
    if rows.empty and a_rows.empty:
        raise ValueError(f"{authority} has no remedy figures")
    figure, axes = _figure()
    if "remedied_by_ombudsman" in a_rows:
        a_rows = a_rows.dropna(subset=["remedied_by_ombudsman"])
        width = 0.38
        axes.bar(
            a_rows.index - width / 2,
            a_rows["remedied_by_ombudsman"],
            width,
            color=DARK_BLUE,
            label="remedied by the Ombudsman",
        )
        axes.bar(
            a_rows.index + width / 2,
            a_rows["remedied_by_authority_before_ombudsman"],
            width,
            color=TURQUOISE,
            label="remedied by the council before the Ombudsman",
        )
        axes.set_ylabel("Upheld complaints remedied (count)")
    if not rows.empty:
        twin = axes.twinx() if "remedied_by_ombudsman" in a_rows else axes
        _rate_against_average(
            twin, rows, "satisfactory remedy rate", DARK_PINK, "Satisfactory remedy rate (% of upheld cases)"
        )
    handles, labels = [], []
    for each in {axes, *figure.axes}:
        more_handles, more_labels = each.get_legend_handles_labels()
        handles += more_handles
        labels += more_labels
    figure.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=7.5, frameon=False)
    years = sorted(set(rows["year_ending"]) | set(a_rows.index))
    breaks = _draw_breaks(axes, years)
    axes.set_xticks(years)
    axes.set_xlabel("Year ending 31 March")
    if rows.empty:
        total_a = int(a_rows["remedied_by_authority_before_ombudsman"].sum())
        finding = f"{authority} put {total_a} upheld complaints right before the Ombudsman stepped in"
    else:
        last = rows.iloc[-1]
        finding = (
            f"{authority}: {last['value']:.0f}% of upheld cases already remedied in {int(last['year_ending'])}"
            + ("" if pd.isna(last["similar_average"]) else f" (average {last['similar_average']:.0f}%)")
        )
    _title(figure, finding, "Remedies: by the Ombudsman or by the council before the Ombudsman's involvement")
    alt = (
        f"Chart of remedy outcomes for {authority} by year. "
        + " ".join(
            f"{int(r.year_ending)}: {r.value:.0f}% satisfactory remedy rate"
            + ("" if pd.isna(r.similar_average) else f" against an average of {r.similar_average:.0f}%")
            + "."
            for r in rows.itertuples()
        )
        + " ".join(
            f" {int(y)}: {int(r['remedied_by_ombudsman'])} remedied by the Ombudsman, "
            f"{int(r['remedied_by_authority_before_ombudsman'])} by the council."
            for y, r in a_rows.iterrows()
            if "remedied_by_ombudsman" in a_rows
        )
    )
    return figure, alt.strip() + breaks


@literal_text
def compliance(statistics: pd.DataFrame, authority: str | None = None) -> tuple[Figure, str]:
    """Compliance with the Ombudsman's recommendations by year: a council against its average,
    or, without an authority, how many authorities fell short of 100% each year."""
    rows = statistics[statistics["measure"] == "compliance_rate"]
    if authority is not None:
        rows = rows[rows["authority"] == authority]
    if rows.empty:
        raise ValueError("no compliance figures to plot")
    figure, axes = _figure()
    if authority is not None:
        rows = rows.sort_values("year_ending")
        _rate_against_average(axes, rows, authority, DARK_BLUE, "Compliance (% of compliance outcomes)")
        axes.legend(loc="lower right", fontsize=8, frameon=False)
        low = rows.loc[rows["value"].idxmin()]
        finding = f"{authority}: lowest compliance {low['value']:.0f}% in {int(low['year_ending'])}"
        alt = (
            f"Line chart of {authority}'s compliance with recommendations by year: "
            + "; ".join(
                f"{int(r.year_ending)} {r.value:.0f}%" + ("" if pd.isna(r.base) else f" of {int(r.base)} outcomes")
                for r in rows.itertuples()
            )
            + "."
        )
    else:
        yearly = rows.groupby("year_ending").agg(
            authorities=("value", "size"), short=("value", lambda v: (v < 100).sum())
        )
        axes.bar(yearly.index, yearly["authorities"], color=LIGHT_GREY, label="authorities with a compliance rate")
        axes.bar(yearly.index, yearly["short"], color=DARK_PINK, label="below 100%")
        for year, row in yearly.iterrows():
            axes.annotate(
                f"{int(row['short'])} of {int(row['authorities'])} ({_percent(row['short'], row['authorities'])})",
                (year, row["authorities"]),
                ha="center",
                va="bottom",
                fontsize=7.5,
            )
        axes.set_ylabel("Authorities (count)")
        figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
        last = yearly.index.max()
        short, counted = int(yearly.loc[last, "short"]), int(yearly.loc[last, "authorities"])
        finding = f"{short} of {counted} authorities fell short of full compliance in {last}"
        alt = (
            "Bar chart of authorities with a compliance rate, and how many were below 100%, by year: "
            + "; ".join(f"{y} {int(r['short'])} of {int(r['authorities'])}" for y, r in yearly.iterrows())
            + "."
        )
    years = sorted(rows["year_ending"].unique())
    axes.set_xticks(years)
    axes.set_xlabel("Year ending 31 March")
    breaks = _draw_breaks(axes, years)
    _title(figure, finding, "Compliance with Ombudsman recommendations (published from 2019 on)")
    return figure, alt + breaks

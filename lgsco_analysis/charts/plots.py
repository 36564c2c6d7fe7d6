"""One function per chart. Each takes tidy frames and returns a :class:`Chart`: the figure, its alt
text, and the figures it drew.

One style for all (:mod:`lgsco_analysis.charts.style`): titles that state the finding, axes with
units, counts beside percentages, breaks in the series drawn on every trend, and small
denominators flagged rather than ranked. The funnel lives in :mod:`funnel` and is named here too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis.stats import wilson_interval
from ..errors import NothingToDraw
from ..rules.rates import upheld_share, uphold_rate
from . import words
from .funnel import uphold_funnel
from .style import (
    DARK_BLUE,
    DARK_PINK,
    LIGHT_GREY,
    ORANGE,
    TURQUOISE,
    Chart,
    count_axis,
    draw_breaks,
    literal_text,
    new_figure,
    new_panels,
    percent_axis,
    rate_against_average,
    title,
    year_axis,
)
from .words import CATEGORY_LABELS, DECISION_LABELS, SMALL_BASE, percent

__all__ = [
    "compliance",
    "decisions_by_type",
    "received_by_category",
    "received_over_time",
    "remedy_outcomes",
    "upheld_per_100k",
    "uphold_funnel",
    "uphold_rate_trend",
]


@literal_text
def received_by_category(received: pd.DataFrame, title_scope: str = "All letters") -> Chart:
    """Complaints and enquiries received by category (a year, or any selection), largest first."""
    totals = received.groupby("category")["count"].sum().sort_values()
    if totals.empty:
        raise NothingToDraw("these letters print no complaints received by category")
    grand = int(totals.sum())
    figure, axes = new_figure(8, 4.8)
    labels = [CATEGORY_LABELS.get(c, c) for c in totals.index]
    axes.barh(labels, totals.to_numpy(), color=DARK_BLUE)
    axes.grid(axis="y", visible=False)
    axes.grid(axis="x", color="#d9d9d9", linewidth=0.8)
    for y, value in enumerate(totals.to_numpy()):
        axes.annotate(f" {int(value):,} ({percent(value, grand)})", (value, y), va="center", fontsize=8.5)
    axes.set_xlabel("Complaints and enquiries received (count)")
    count_axis(axes.xaxis)
    axes.set_xlim(0, totals.max() * 1.25)
    finding, alt = words.received_by_category(totals, title_scope)
    title(figure, finding, f"{title_scope}: complaints and enquiries received by category")
    table = pd.DataFrame(
        {
            "Category": [CATEGORY_LABELS.get(c, c) for c in totals.index[::-1]],
            "Complaints received": totals.to_numpy()[::-1].astype(int),
            "Share (%)": (100 * totals.to_numpy()[::-1] / grand).round(1),
        }
    )
    return Chart(figure, alt, table)


@literal_text
def received_over_time(received_totals: pd.DataFrame, authority: str | None = None) -> Chart:
    """Complaints received per year (``year_ending, count``), with the breaks in the series."""
    yearly = received_totals.groupby("year_ending")["count"].sum().sort_index()
    if yearly.empty:
        raise NothingToDraw("no yearly received totals (only format A letters, to 2019, print one for every authority)")
    figure, axes = new_figure()
    years = yearly.index.to_numpy(int)
    axes.bar(years, yearly.to_numpy(), color=DARK_BLUE, width=0.7)
    for year, value in yearly.items():
        axes.annotate(f"{int(value):,}", (year, value), ha="center", va="bottom", fontsize=8)
    breaks = draw_breaks(axes, years)
    year_axis(axes, years)
    axes.set_ylabel("Complaints received (count)")
    count_axis(axes.yaxis)
    finding, alt = words.received_over_time(yearly, authority or "All authorities")
    title(figure, finding, "Complaints and enquiries received per year, from the letters that print a total")
    table = pd.DataFrame({"Year ending March": years, "Complaints received": yearly.to_numpy().astype(int)})
    return Chart(figure, alt + breaks, table)


@literal_text
def decisions_by_type(decisions: pd.DataFrame, title_scope: str = "All letters") -> Chart:
    """Decisions by type, as counts with shares, for one format's vocabulary."""
    totals = decisions.groupby("decision")["count"].sum()
    order = [d for d in DECISION_LABELS if d in totals.index]
    nested = {"upheld", "investigated"} <= set(order)  # formats C and D: upheld is a part of investigated
    if nested:
        order = [d for d in order if d != "upheld"] + ["upheld"]
    totals = totals.reindex(order)
    if totals.empty:
        raise NothingToDraw("these letters print no decisions")
    # upheld is a part of investigated where both are printed (formats C and D), so it is not added again
    parts = totals.drop(labels=["upheld"]) if nested else totals
    whole = int(parts.sum())
    figure, axes = new_figure(8, 4.8)
    labels = [("of which upheld" if nested and d == "upheld" else DECISION_LABELS[d]) for d in totals.index]
    colours = [DARK_PINK if d == "upheld" else DARK_BLUE for d in totals.index]
    axes.barh(labels[::-1], totals.to_numpy()[::-1], color=colours[::-1])
    axes.grid(axis="y", visible=False)
    axes.grid(axis="x", color="#d9d9d9", linewidth=0.8)
    for y, value in enumerate(totals.to_numpy()[::-1]):
        axes.annotate(f" {int(value):,} ({percent(value, whole)})", (value, y), va="center", fontsize=8.5)
    axes.set_xlim(0, totals.max() * 1.3)
    noun = "investigations" if set(totals.index) <= {"upheld", "investigated"} else "decisions"  # format C
    axes.set_xlabel(f"{noun.capitalize()} (count)")
    count_axis(axes.xaxis)
    finding, alt = words.decisions_by_type(totals, whole, noun, title_scope)
    title(figure, finding, f"{title_scope}: {noun} by outcome")
    table = pd.DataFrame(
        {
            "Outcome": labels,
            "Count": totals.to_numpy().astype(int),
            f"Share of {whole:,} {noun} (%)": (100 * totals.to_numpy() / whole).round(1) if whole else np.nan,
        }
    )
    return Chart(figure, alt, table)


@literal_text
def uphold_rate_trend(
    council: pd.DataFrame, group: pd.DataFrame, authority: str, group_name: str, year: int | None = None
) -> Chart:
    """One council's uphold rate over time with its 95% Wilson band, against its group's rate; the
    headline is about ``year`` (the focus year), or the last year drawn.

    ``council`` and ``group``: ``year_ending, upheld, investigated`` (group rows are pooled).
    """
    council = council.sort_values("year_ending")
    council = council[council["investigated"] > 0]
    if council.empty:
        raise NothingToDraw(f"{authority} has no investigations to plot")
    pooled = group.groupby("year_ending")[["upheld", "investigated"]].sum()
    pooled = pooled[pooled["investigated"] > 0]
    years = council["year_ending"].to_numpy(int)
    rate = upheld_share(council["upheld"].to_numpy(float), council["investigated"].to_numpy(float))
    low, high = wilson_interval(council["upheld"], council["investigated"])
    every_year = np.arange(years.min(), years.max() + 1)  # a year with no figures breaks the line and the band

    def over_every_year(values) -> np.ndarray:
        return pd.Series(np.asarray(values, dtype=float), index=years).reindex(every_year).to_numpy()

    figure, axes = new_figure()
    band = 100 * over_every_year(low), 100 * over_every_year(high)
    axes.fill_between(every_year, *band, color=DARK_BLUE, alpha=0.18, linewidth=0, label="95% interval")
    drawn = ~np.isnan(band[0])
    alone = drawn & ~np.r_[False, drawn[:-1]] & ~np.r_[drawn[1:], False]  # no year beside it: a band of no width
    axes.bar(every_year[alone], (band[1] - band[0])[alone], 0.3, bottom=band[0][alone], color=DARK_BLUE, alpha=0.18)
    if not pooled.empty:
        pooled_years = np.arange(pooled.index.min(), pooled.index.max() + 1)
        axes.plot(
            pooled_years,
            uphold_rate(pooled["upheld"], pooled["investigated"]).reindex(pooled_years),
            color=ORANGE,
            marker="s",
            markersize=5,
            linestyle="--",
            label=f"{group_name} (pooled)",
        )
    axes.plot(every_year, 100 * over_every_year(rate), color=DARK_BLUE, marker="o", label=authority, zorder=3)
    for drawn_year, r, up, inv in zip(years, rate, council["upheld"], council["investigated"], strict=True):
        flag = "*" if inv < SMALL_BASE else ""
        axes.annotate(
            f"{int(up)}/{int(inv)}{flag}",
            (drawn_year, 100 * r),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=7.5,
        )
    breaks = draw_breaks(axes, years)
    percent_axis(axes)
    year_axis(axes, years)
    axes.set_ylabel("Uphold rate (% of investigations)")
    figure.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)  # never over a point or label
    group_rates = upheld_share(pooled["upheld"], pooled["investigated"])
    finding, alt = words.uphold_rate_trend(council, group_rates, authority, group_name, year)
    alt += words.gaps_sentence(years)
    title(figure, finding, f"Labels: upheld/investigated; * fewer than {SMALL_BASE} investigations, read with care")
    table = pd.DataFrame(
        {
            "Year ending March": years,
            "Upheld": council["upheld"].to_numpy().astype(int),
            "Investigated": council["investigated"].to_numpy().astype(int),
            "Uphold rate (%)": (100 * rate).round(1),
            "95% interval (%)": [f"{100 * lo:.1f} to {100 * hi:.1f}" for lo, hi in zip(low, high, strict=True)],
            f"{group_name} pooled rate (%)": (100 * group_rates.reindex(years)).round(1).to_numpy(),
        }
    )
    return Chart(figure, alt + breaks, table)


@literal_text
def remedy_outcomes(statistics: pd.DataFrame, remedies: pd.DataFrame, authority: str, year: int | None = None) -> Chart:
    """One council's remedies by year: the counts format A letters print (stacked: by the Ombudsman, by the
    council first), and the satisfactory remedy rate later letters print against their average, each in a
    panel of its own when both are drawn. With a focus ``year`` later than any drawn, the headline says so."""
    rows = statistics[(statistics["authority"] == authority) & (statistics["measure"] == "satisfactory_remedy_rate")]
    rows = rows.sort_values("year_ending")
    counts = remedies[(remedies["authority"] == authority)].pivot_table(
        index="year_ending", columns="remedy", values="count", aggfunc="first"
    )
    counts = counts.dropna(subset=["remedied_by_ombudsman"]) if "remedied_by_ombudsman" in counts else counts.iloc[0:0]
    if rows.empty and counts.empty:
        raise NothingToDraw(f"{authority} has no remedy figures")
    kinds = [kind for kind, drawn in (("counts", not counts.empty), ("rates", not rows.empty)) if drawn]
    figure, panels = new_panels(len(kinds), height=4.5 if len(kinds) == 1 else 6.5)
    panel = dict(zip(kinds, panels, strict=True))
    if "counts" in panel:
        by_ombudsman = counts["remedied_by_ombudsman"]
        by_council = counts["remedied_by_authority_before_ombudsman"]  # a count not read stays missing, not 0
        bars = panel["counts"]
        bars.bar(counts.index, by_ombudsman, 0.6, color=DARK_BLUE, label="remedied by the Ombudsman")
        bars.bar(
            counts.index,
            by_council,
            0.6,
            bottom=by_ombudsman,
            color=TURQUOISE,
            label="remedied by the council before the Ombudsman",
        )
        for drawn_year, total in (by_ombudsman + by_council).dropna().items():  # a 0 said, not an empty year
            bars.annotate(
                f"{int(total)}",
                (drawn_year, total),
                textcoords="offset points",
                xytext=(0, 2),
                ha="center",
                va="bottom",
                fontsize=7.5,
            )
        bars.set_ylabel("Remedied (count)")
        bars.set_ylim(0, max(1, by_ombudsman.add(by_council, fill_value=0).max()) * 1.2)  # room for the totals
        count_axis(bars.yaxis)
    if "rates" in panel:
        rate_against_average(
            panel["rates"], rows, "satisfactory remedy rate", DARK_PINK, "Remedied first (% of upheld)"
        )
    handles, labels = [], []
    for each in panels:  # top to bottom, so the legend's order is the same in every run
        more_handles, more_labels = each.get_legend_handles_labels()
        handles += more_handles
        labels += more_labels
    figure.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=7.5, frameon=False)
    years = sorted(set(rows["year_ending"]) | set(counts.index))
    breaks = ""
    for each in panels:
        breaks = draw_breaks(each, years)
    year_axis(panels[-1], years)
    finding, alt = words.remedy_outcomes(rows, counts, authority)
    finding += words.not_printed(year, years, "remedy figures")
    title(figure, finding, "Remedies: by the Ombudsman or by the council before the Ombudsman's involvement")
    table = pd.DataFrame({"Year ending March": years})
    rates = rows.set_index("year_ending")
    table["Satisfactory remedy rate (%)"] = rates["value"].reindex(years).to_numpy()
    table["Similar authorities' average (%)"] = rates["similar_average"].reindex(years).to_numpy()
    table["Remedied by the Ombudsman"] = (
        counts["remedied_by_ombudsman"].reindex(years).to_numpy() if len(counts) else np.nan
    )
    table["Remedied by the council first"] = (
        counts["remedied_by_authority_before_ombudsman"].reindex(years).to_numpy() if len(counts) else np.nan
    )
    return Chart(figure, alt + breaks, table.dropna(axis="columns", how="all"))


@literal_text
def compliance(statistics: pd.DataFrame, authority: str | None = None, year: int | None = None) -> Chart:
    """Compliance with the Ombudsman's recommendations by year: a council against its average,
    or, without an authority, how many authorities fell short of 100% each year. With a focus
    ``year`` later than any drawn, the headline says so."""
    rows = statistics[statistics["measure"] == "compliance_rate"]
    if authority is not None:
        rows = rows[rows["authority"] == authority]
    if rows.empty:
        raise NothingToDraw("no compliance figures to plot")
    figure, axes = new_figure()
    if authority is not None:
        rows = rows.sort_values("year_ending")
        rate_against_average(axes, rows, authority, DARK_BLUE, "Compliance (% of compliance outcomes)")
        figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)  # never over a point
        finding, alt = words.authority_compliance(rows, authority)
        table = pd.DataFrame(
            {
                "Year ending March": rows["year_ending"].to_numpy(int),
                "Compliance (%)": rows["value"].to_numpy(float),
                "Similar authorities' average (%)": rows["similar_average"].to_numpy(float),
                "Compliance outcomes": rows["base"].to_numpy(),
            }
        )
    else:
        yearly = rows.groupby("year_ending").agg(
            authorities=("value", "size"), short=("value", lambda v: (v < 100).sum())
        )
        axes.bar(yearly.index, yearly["authorities"], color=LIGHT_GREY, label="authorities with a compliance rate")
        axes.bar(yearly.index, yearly["short"], color=DARK_PINK, label="below 100%")
        for drawn_year, row in yearly.iterrows():
            axes.annotate(
                f"{int(row['short'])} of {int(row['authorities'])} ({percent(row['short'], row['authorities'])})",
                (drawn_year, row["authorities"]),
                ha="center",
                va="bottom",
                fontsize=7.5,
            )
        axes.set_ylabel("Authorities (count)")
        count_axis(axes.yaxis)
        figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
        finding, alt = words.national_compliance(yearly)
        table = pd.DataFrame(
            {
                "Year ending March": yearly.index.to_numpy(int),
                "Authorities with a compliance rate": yearly["authorities"].to_numpy(int),
                "Below 100%": yearly["short"].to_numpy(int),
            }
        )
    years = sorted(rows["year_ending"].unique())
    year_axis(axes, years)
    breaks = draw_breaks(axes, years)
    finding += words.not_printed(year, years, "compliance")
    title(figure, finding, "Compliance with Ombudsman recommendations (published from 2019 on)")
    return Chart(figure, alt + breaks, table)


@literal_text
def upheld_per_100k(statistics: pd.DataFrame, authority: str, year: int | None = None) -> Chart:
    """Upheld decisions per 100,000 residents by year (printed from the 2023 letters on), against the average
    for authorities of the same type. With a focus ``year`` later than any drawn, the headline says so."""
    rows = statistics[(statistics["authority"] == authority) & (statistics["measure"] == "upheld_per_100k")]
    rows = rows.dropna(subset=["value"]).sort_values("year_ending")
    if rows.empty:
        raise NothingToDraw(f"{authority}'s letters print no upheld decisions per 100,000 residents")
    figure, axes = new_figure()
    rate_against_average(axes, rows, authority, DARK_BLUE, "Upheld decisions per 100,000 residents", percentage=False)
    figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    years = rows["year_ending"].to_numpy(int)
    year_axis(axes, years)
    breaks = draw_breaks(axes, years)
    finding, alt = words.upheld_per_100k(rows, authority)
    finding += words.not_printed(year, years, "upheld decisions per 100,000 residents")
    title(figure, finding, "Adjusted for population, as the letters print it (from 2023 on)")
    table = pd.DataFrame(
        {
            "Year ending March": years,
            "Upheld per 100,000 residents": rows["value"].to_numpy(float),
            "Similar authorities' average": rows["similar_average"].to_numpy(float),
        }
    )
    return Chart(figure, alt + breaks, table)

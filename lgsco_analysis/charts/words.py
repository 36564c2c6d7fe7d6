"""The words of every chart: its finding (the title) and its alt text, built from what it drew.

Each function takes the very numbers a chart in :mod:`lgsco_analysis.plots` put on the page,
so the text cannot describe a bar or a line the chart did not draw. No drawing here.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.stats import ABOVE_998, BELOW_998
from ..rules.dictionary import Caveat, chart_labels
from ..rules.rates import uphold_rate
from ..rules.vocabulary import DECISIONS_BY_FORMAT, RECEIVED_CATEGORIES

SMALL_BASE = 10
"""Fewer investigations than this: a rate is shown but flagged, not ranked."""

CATEGORY_LABELS = {code: chart_labels()[code] for code in RECEIVED_CATEGORIES}
DECISION_LABELS = {
    code: chart_labels()[code]
    for code in (*DECISIONS_BY_FORMAT["A"], "not_for_us", "assessed_and_closed", "investigated")
}
"""The decisions as the chart draws them, in its order: format A's, then format D's."""


def percent(part: float, whole: float) -> str:
    """A share as a whole percentage; "<1%" for a share that is not zero but would print as 0%,
    "no cases" of nothing."""
    if not whole:
        return "no cases"
    share = 100 * part / whole
    text = f"{share:.0f}%"
    return "<1%" if share > 0 and text == "0%" else text


def breaks_sentence(drawn: list[Caveat]) -> str:
    """The alt text's sentence for the break lines drawn ("" when none was)."""
    if not drawn:
        return ""
    named = "; ".join(f"before {caveat.year_ending}, {caveat.chart_label.lower()}" for caveat in drawn)
    lines = "lines mark breaks" if len(drawn) > 1 else "line marks a break"
    return f" Dashed {lines} in the series: {named}."


def gaps_sentence(years) -> str:
    """The alt text's sentence for the years missing between the first drawn and the last ("" when none is)."""
    drawn = {int(year) for year in years}
    missing = [year for year in range(min(drawn), max(drawn) + 1) if year not in drawn]
    if not missing:
        return ""
    named = ", ".join(str(year) for year in missing)
    return f" No rate for {named} (no figures, or no investigations): the line breaks there."


def received_by_category(totals: pd.Series, scope: str) -> tuple[str, str]:
    """``totals``: count by category, as drawn (smallest first)."""
    grand = int(totals.sum())
    categories, counts = totals.index.tolist(), totals.tolist()
    top = CATEGORY_LABELS.get(categories[-1], categories[-1])
    finding = f"{top} drew the most complaints: {int(counts[-1]):,} of {grand:,}"
    parts = "; ".join(
        f"{CATEGORY_LABELS.get(c, c)} {int(v):,} ({percent(v, grand)})"
        for c, v in zip(categories[::-1], counts[::-1], strict=True)
    )
    alt = f"Horizontal bar chart of {grand:,} complaints and enquiries received ({scope}) by category. {parts}."
    return finding, alt


def received_over_time(yearly: pd.Series, who: str) -> tuple[str, str]:
    """``yearly``: received count by year, as drawn."""
    years, counts = yearly.index.tolist(), yearly.tolist()
    finding = f"{who}: complaints peaked in {int(years[counts.index(max(counts))])} at {int(max(counts)):,}"
    alt = f"Bar chart of complaints received per year for {who}: " + ", ".join(
        f"{y} {int(v):,}" for y, v in zip(years, counts, strict=True)
    )
    return finding, alt + "."


def decisions_by_type(totals: pd.Series, whole: int, noun: str, scope: str) -> tuple[str, str]:
    """``totals``: count by decision, as drawn (top to bottom); ``whole``: the decisions they are shares of."""
    upheld = int(totals.get("upheld", 0))
    finding = f"Share of {noun} upheld: {percent(upheld, whole)} ({upheld:,} of {whole:,})"  # not the uphold rate
    parts = "; ".join(
        f"{DECISION_LABELS[d]} {int(v):,}" for d, v in zip(totals.index.tolist(), totals.tolist(), strict=True)
    )
    return finding, f"Horizontal bar chart of {noun} by outcome ({scope}), {whole:,} in all: {parts}."


def uphold_rate_trend(
    council: pd.DataFrame, group_rates: pd.Series, authority: str, group: str, year: int | None = None
) -> tuple[str, str]:
    """``council``: ``year_ending, upheld, investigated`` as drawn; ``group_rates``: the group's pooled
    rate (a proportion) by year, as drawn. The finding is about ``year`` when given, else the last year."""
    drawn = council.set_index(council["year_ending"].astype(int))
    focus = int(council["year_ending"].iloc[-1]) if year is None else year
    if focus in drawn.index:
        row = drawn.loc[focus].to_dict()
        comparison = f"; {group} {100 * group_rates[focus]:.0f}%" if focus in group_rates.index else ""
        finding = (
            f"{authority}: uphold rate {uphold_rate(row['upheld'], row['investigated']):.0f}% in {focus} "
            f"({int(row['upheld'])} of {int(row['investigated'])} investigations{comparison})"
        )
    else:
        finding = f"{authority}: no investigations recorded for {focus}"
    points = "; ".join(
        f"{int(r['year_ending'])} {uphold_rate(r['upheld'], r['investigated']):.0f}% "
        f"({int(r['upheld'])} of {int(r['investigated'])})"
        for r in council.to_dict("records")
    )
    alt = (
        f"Line chart of {authority}'s uphold rate by year with a 95% Wilson interval band, against the pooled rate "
        f"of {group}: {points}."
    )
    return finding, alt


def not_printed(year: int | None, years_drawn, what: str) -> str:
    """The headline's rider when the focus year is later than every year drawn: its letter does not print it."""
    if year is None or not len(years_drawn) or year <= max(years_drawn):
        return ""
    return f"; the {year} letter prints no {what}"


def uphold_funnel(rows: pd.DataFrame, baseline: float, group: str, year: int, highlight: str | None) -> tuple[str, str]:
    """``rows``: the authorities drawn (``authority, funnel_class``); ``baseline``: the pooled rate drawn."""
    above = rows.loc[rows["funnel_class"] == ABOVE_998, "authority"]
    below = rows.loc[rows["funnel_class"] == BELOW_998, "authority"]
    count = f"{len(rows)} authorit{'y' if len(rows) == 1 else 'ies'}"
    if above.empty and below.empty:
        finding = f"{group} {year}: all {count} within the 99.8% limits"
    else:
        finding = f"{group} {year}: of {count}, {len(above)} above and {len(below)} below the 99.8% limits"
    outside = [*above, *below]
    alt = (
        f"Funnel plot of uphold rates for {len(rows)} {group} in {year} against a pooled rate of "
        f"{100 * baseline:.0f}%, with 95% and 99.8% limits. {len(above)} authorities lie above and {len(below)} "
        "below the 99.8% limits" + (f": {', '.join(outside)}." if outside else ".")
    )
    return finding, alt + (f" {highlight} is highlighted." if highlight else "")


def remedy_outcomes(rates: pd.DataFrame, counts: pd.DataFrame, authority: str) -> tuple[str, str]:
    """``rates``: ``year_ending, value, similar_average`` drawn; ``counts``: the format A remedies drawn,
    by year (``remedied_by_ombudsman``, ``remedied_by_authority_before_ombudsman``), possibly empty."""
    if rates.empty:
        total = int(counts["remedied_by_authority_before_ombudsman"].sum())
        finding = f"{authority} put {total} upheld complaints right before the Ombudsman stepped in"
    else:
        last = rates.iloc[-1]
        average = "" if pd.isna(last["similar_average"]) else f" (average {last['similar_average']:.0f}%)"
        finding = (
            f"{authority}: {last['value']:.0f}% of upheld cases already remedied in {int(last['year_ending'])}"
            + average
        )
    sentences = [f"Chart of remedy outcomes for {authority} by year."]
    sentences += [
        f"{int(r['year_ending'])}: {r['value']:.0f}% satisfactory remedy rate"
        + ("" if pd.isna(r["similar_average"]) else f" against an average of {r['similar_average']:.0f}%")
        + "."
        for r in rates.to_dict("records")
    ]
    sentences += [
        f"{int(year)}: {_count_or_not_read(r['remedied_by_ombudsman'])} remedied by the Ombudsman, "
        f"{_count_or_not_read(r['remedied_by_authority_before_ombudsman'])} by the council."
        for year, r in zip(counts.index.tolist(), counts.to_dict("records"), strict=True)
    ]
    return finding, " ".join(sentences)


def upheld_per_100k(rows: pd.DataFrame, authority: str) -> tuple[str, str]:
    """``rows``: ``year_ending, value, similar_average`` as drawn, by year."""
    last = rows.iloc[-1]
    average = "" if pd.isna(last["similar_average"]) else f" (average {last['similar_average']:.1f})"
    finding = f"{authority}: {last['value']:.1f} upheld decisions per 100,000 residents in {int(last['year_ending'])}"
    points = "; ".join(
        f"{int(r['year_ending'])} {r['value']:.1f}"
        + ("" if pd.isna(r["similar_average"]) else f" against an average of {r['similar_average']:.1f}")
        for r in rows.to_dict("records")
    )
    return finding + average, f"Line chart of {authority}'s upheld decisions per 100,000 residents by year: {points}."


def _count_or_not_read(value: object) -> str:
    return "a count not read" if pd.isna(value) else f"{int(value):,}"  # type: ignore[call-overload]


def authority_compliance(rows: pd.DataFrame, authority: str) -> tuple[str, str]:
    """``rows``: ``year_ending, value, base`` as drawn."""
    records = rows.to_dict("records")
    low = records[rows["value"].to_numpy().argmin()]
    if len(records) == 1:
        finding = f"{authority}: compliance {low['value']:.0f}% in {int(low['year_ending'])}"
    elif rows["value"].nunique() == 1:
        finding = f"{authority}: compliance {low['value']:.0f}% in every year drawn"
    else:
        finding = f"{authority}: lowest compliance {low['value']:.0f}% in {int(low['year_ending'])}"
    points = "; ".join(
        f"{int(r['year_ending'])} {r['value']:.0f}%" + ("" if pd.isna(r["base"]) else f" of {int(r['base'])} outcomes")
        for r in records
    )
    return finding, f"Line chart of {authority}'s compliance with recommendations by year: {points}."


def national_compliance(yearly: pd.DataFrame) -> tuple[str, str]:
    """``yearly``: by year, ``authorities`` with a compliance rate and how many fell ``short`` of 100%, as drawn."""
    last = yearly.index.max()
    short, counted = int(yearly.loc[last, "short"]), int(yearly.loc[last, "authorities"])
    finding = f"{short} of {counted} authorities fell short of full compliance in {last}"
    points = "; ".join(f"{y} {int(r['short'])} of {int(r['authorities'])}" for y, r in yearly.iterrows())
    return finding, f"Bar chart of authorities with a compliance rate, and how many were below 100%, by year: {points}."

"""Measures harmonised across the three formats, and the breaks in the series, as data.

Every value says whether it was printed or derived; the mapping is in the data dictionary.
"""

from __future__ import annotations

import pandas as pd

from .dataset import Dataset

SERIES_BREAKS: pd.DataFrame = pd.DataFrame(
    [
        {
            "year_ending": 2021,
            "label": "Covid pause",
            "caveat": "The Ombudsman stopped taking complaints for three months: volumes are low.",
        },
        {
            "year_ending": 2023,
            "label": "Fewer borderline cases investigated",
            "caveat": "The Ombudsman stopped investigating borderline cases: uphold rates are higher from here.",
        },
    ]
)
"""Breaks the Ombudsman itself warns about (letter-formats.md); drawn on every trend chart."""

FORMAT_CHANGES: pd.DataFrame = pd.DataFrame(
    [
        {
            "year_ending": 2020,
            "label": "format C: headline statistics only",
            "caveat": "The letter format changed (A to C): some figures are derived differently.",
        },
        {
            "year_ending": 2025,
            "label": "format D: complaints dealt with",
            "caveat": "The letter format changed (C to D): some figures are derived differently.",
        },
    ]
)
"""The years the letters changed format (letter-formats.md)."""


def caveats_between(first: int, last: int) -> str:
    """What a comparison of year ``first`` with year ``last`` must be read with: the breaks between them."""
    breaks = pd.concat([SERIES_BREAKS, FORMAT_CHANGES], ignore_index=True)
    return " ".join(breaks.loc[(breaks["year_ending"] > first) & (breaks["year_ending"] <= last), "caveat"])


HARMONISED_MEASURES: dict[str, str] = {
    "received_total": "complaints and enquiries received (A; C where printed)",
    "decided_total": "decisions made (A) or complaints dealt with (D)",
    "investigated": "detailed investigations: A upheld + not upheld (derived); C and D as printed",
    "upheld": "upheld decisions, as printed",
    "uphold_rate": "percent upheld of investigated: as printed, or upheld / investigated (derived)",
    "not_for_us": "D as printed; A incomplete or invalid + advice given + referred back (derived)",
    "assessed_and_closed": "D as printed; A closed after initial enquiries (derived)",
}

_A_NOT_FOR_US = ("incomplete_or_invalid", "advice_given", "referred_back_for_local_resolution")
_KEY = ["source", "authority", "year_ending", "format"]


def harmonise(data: Dataset) -> pd.DataFrame:
    """One row per letter and measure: ``source, authority, year_ending, format, measure, value, derived``.

    Letters with status ``error`` are left out; duplicates stay, flagged in ``letters``.
    """
    letters = data.letters[data.letters["status"] != "error"][[*_KEY, "received_total", "decisions_total"]]
    decisions = data.decisions.pivot_table(index="source", columns="decision", values="count", aggfunc="first")
    wide = letters.set_index("source").join(decisions, how="left")
    rate = data.statistics[data.statistics["measure"] == "uphold_rate"].set_index("source")["value"]
    rows: list[pd.DataFrame] = []

    def add(measure: str, values: pd.Series, derived) -> None:
        frame = wide[["authority", "year_ending", "format"]].copy()
        frame["measure"] = measure
        frame["value"] = pd.to_numeric(values, errors="coerce").astype("Float64")
        frame["derived"] = derived if not isinstance(derived, pd.Series) else derived.astype(bool)
        rows.append(frame.reset_index())

    def column(name: str) -> pd.Series:
        return wide[name] if name in wide else pd.Series(pd.NA, index=wide.index, dtype="Float64")

    is_a = wide["format"] == "A"
    add("received_total", wide["received_total"], False)
    add("decided_total", wide["decisions_total"], False)
    investigated = column("investigated").astype("Float64")
    investigated = investigated.mask(is_a, column("upheld").astype("Float64") + column("not_upheld").astype("Float64"))
    add("investigated", investigated, is_a)
    add("upheld", column("upheld"), False)
    printed_rate = rate.reindex(wide.index).astype("Float64")
    computed_rate = 100 * column("upheld").astype("Float64") / investigated.where(investigated > 0)
    add("uphold_rate", printed_rate.fillna(computed_rate), printed_rate.isna() & computed_rate.notna())
    not_for_us = column("not_for_us").astype("Float64")
    a_not_for_us = sum(column(name).astype("Float64") for name in _A_NOT_FOR_US)
    add("not_for_us", not_for_us.mask(is_a, a_not_for_us), is_a)
    assessed = column("assessed_and_closed").astype("Float64")
    add("assessed_and_closed", assessed.mask(is_a, column("closed_after_initial_enquiries").astype("Float64")), is_a)
    out = pd.concat(rows, ignore_index=True)
    out = out[out["value"].notna()].sort_values(["authority", "year_ending", "measure"], kind="stable")
    out = out.astype({"source": "string", "authority": "string", "format": "string", "measure": "string"})
    return out.reset_index(drop=True)[["source", "authority", "year_ending", "format", "measure", "value", "derived"]]


def with_groups(frame: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Add each row's comparison ``group`` (from groups.match_authorities) by authority name."""
    return frame.merge(groups[["authority", "group"]], on="authority", how="left")

"""Measures harmonised across the three formats, and the breaks in the series, as data.

Every value says whether it was printed or derived; the mapping is in the data dictionary.
"""

from __future__ import annotations

import pandas as pd

from ..dataset.tables import Dataset
from ..rules.dictionary import FORMAT_CHANGE, Caveat, caveats
from ..rules.rates import uphold_rate
from ..rules.vocabulary import FORMAT_A_SUMS, Status


def series_breaks(kinds: tuple[str, ...] = ("break",)) -> list[Caveat]:
    """The caveats that fall in one year (``data/caveats.csv``): by default the breaks every trend chart draws."""
    return [caveat for caveat in caveats() if caveat.kind in kinds and caveat.year_ending is not None]


def caveats_between(first: int, last: int) -> str:
    """What a comparison of year ``first`` with year ``last`` must be read with: the breaks and format changes
    after ``first`` up to ``last``."""
    between = series_breaks(("break", FORMAT_CHANGE))
    return " ".join(
        caveat.sentence for caveat in between if caveat.year_ending is not None and first < caveat.year_ending <= last
    )


_KEY = ["source", "authority", "year_ending", "format"]


def harmonise(data: Dataset) -> pd.DataFrame:
    """One row per letter and measure: ``source, authority, year_ending, format, measure, value, derived``.

    Letters with status ``error`` are left out; duplicates stay, flagged in ``letters``.
    """
    letters = data.letters[data.letters["status"] != Status.ERROR][[*_KEY, "received_total", "decisions_total"]]
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

    def printed_or_format_a_sum(measure: str) -> pd.Series:
        format_a = sum(column(part).astype("Float64") for part in FORMAT_A_SUMS[measure])
        return column(measure).astype("Float64").mask(is_a, format_a)

    add("received_total", wide["received_total"], False)
    add("decided_total", wide["decisions_total"], False)
    investigated = printed_or_format_a_sum("investigated")
    add("investigated", investigated, is_a)
    add("upheld", column("upheld"), False)
    printed_rate = rate.reindex(wide.index).astype("Float64")
    computed_rate = uphold_rate(column("upheld").astype("Float64"), investigated.where(investigated > 0))
    add("uphold_rate", printed_rate.fillna(computed_rate), printed_rate.isna() & computed_rate.notna())
    add("not_for_us", printed_or_format_a_sum("not_for_us"), is_a)
    add("assessed_and_closed", printed_or_format_a_sum("assessed_and_closed"), is_a)
    out = pd.concat(rows, ignore_index=True)
    out = out[out["value"].notna()].sort_values(["authority", "year_ending", "measure"], kind="stable")
    out = out.astype({"source": "string", "authority": "string", "format": "string", "measure": "string"})
    return out.reset_index(drop=True)[["source", "authority", "year_ending", "format", "measure", "value", "derived"]]


def with_groups(frame: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Add each row's comparison ``group`` (from groups.match_authorities) by authority name."""
    return frame.merge(groups[["authority", "group"]], on="authority", how="left")

"""A row per council and year: each letter's headline figures side by side, with what to read them with.

The table a person reads first (the workbook's first sheet, ``council_years.csv``) and the rows a
profile's table of figures per year prints (:func:`.views.authority_figures`): one rule for both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..rules.dictionary import FORMAT_CHANGE
from ..rules.rates import NO_INVESTIGATIONS, no_investigations, uphold_rate
from ..rules.vocabulary import READ_BY_OCR, REMEDIES
from .measures import series_breaks

if TYPE_CHECKING:
    from .views import Analysis

COUNCIL_YEAR_MEASURES = ("received_total", "decided_total", "investigated", "upheld", "uphold_rate")
"""The harmonised measures (:mod:`.measures`) a council's year is summed up by."""
COUNCIL_YEAR_STATISTICS = ("compliance_rate", "satisfactory_remedy_rate", "upheld_per_100k")
"""The printed statistics beside them (formats C and D)."""
FICTIONAL_SAMPLE = "fictional sample"


def council_years(analysis: Analysis, authority: str | None = None) -> pd.DataFrame:
    """A row per letter of a council and year (of every council, or of ``authority``): its headline figures
    (the harmonised counts and uphold rate, the printed statistics, the remedies), its status, and what to
    read it with (``read_with``: the breaks in the series that year, no investigations, a fictional sample,
    read by OCR). Columns as ``fields.csv`` describes the ``council_years`` table; counts and rates as
    numbers; the uphold rate upheld / investigated where both are known (as every chart draws it), else as
    printed, and missing where there were no investigations, whatever the letter printed."""
    letters = analysis.data.letters.dropna(subset=["authority", "year_ending"])
    if authority is not None:
        letters = letters[letters["authority"] == authority]
    letters = letters.sort_values(["authority", "year_ending", "source"])
    sources = letters["source"]

    def wide(frame: pd.DataFrame, key: str, values: str, wanted: tuple[str, ...]) -> pd.DataFrame:
        rows = frame[frame["source"].isin(sources) & frame[key].isin(wanted)]
        table = rows.pivot_table(index="source", columns=key, values=values, aggfunc="first")
        return table.reindex(index=sources, columns=list(wanted)).astype("Float64")

    measures = wide(analysis.measures, "measure", "value", COUNCIL_YEAR_MEASURES)
    statistics = wide(analysis.data.statistics, "measure", "value", COUNCIL_YEAR_STATISTICS)
    remedies = wide(analysis.data.remedies, "remedy", "count", REMEDIES)
    none_investigated = no_investigations(measures["investigated"])
    computed = uphold_rate(measures["upheld"], measures["investigated"].where(~none_investigated))
    measures["uphold_rate"] = computed.fillna(measures["uphold_rate"]).mask(none_investigated)  # as the charts draw it
    counts = [column for column in COUNCIL_YEAR_MEASURES if column != "uphold_rate"]
    measures[counts] = measures[counts].round(0).astype("Int64")
    remedies = remedies.round(0).astype("Int64")

    breaks = {caveat.year_ending: caveat for caveat in series_breaks(("break", FORMAT_CHANGE))}
    read_with = []
    for year, sample, read_by, no_base in zip(
        letters["year_ending"], letters["sample"], letters["tables_read_by"], none_investigated, strict=True
    ):
        caveat = breaks.get(int(year))
        reasons = [caveat.chart_label or caveat.kind if caveat else "", NO_INVESTIGATIONS if no_base else ""]
        reasons += [
            FICTIONAL_SAMPLE if pd.notna(sample) and sample else "",
            "read by OCR" if read_by == READ_BY_OCR else "",
        ]
        read_with.append("; ".join(reason for reason in reasons if reason))

    table = pd.concat(
        [letters.set_index("source")[["authority", "year_ending", "format"]], measures, statistics, remedies], axis=1
    )
    table.insert(1, "group", [analysis.group_of(name) for name in table["authority"]])
    table["status"] = letters["status"].to_numpy()
    table["problems"] = letters["problems"].to_numpy()
    table["read_with"] = read_with
    return table.reset_index()

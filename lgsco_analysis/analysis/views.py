"""The tables the report notebooks show, computed from the tidy dataset (no display code here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from pandas.api.extensions import ExtensionArray

from ..dataset.groups import UNMATCHED_GROUP, find_authority
from ..dataset.tables import Dataset
from ..errors import InvalidInput
from ..read import checks
from ..rules.rates import NO_INVESTIGATIONS, no_investigations, uphold_rate
from ..rules.vocabulary import NOT_KNOWN, READ_BY_OCR, STATUSES, Status
from .councils import council_years
from .measures import caveats_between, harmonise, with_groups
from .stats import OUTSIDE_998, uphold_funnel_classes


def readable_letters(letters: pd.DataFrame) -> pd.DataFrame:
    """The letters that gave figures: not an ``error``, with the authority and the year found."""
    return letters[letters["status"] != Status.ERROR].dropna(subset=["authority", "year_ending"])


@dataclass
class Analysis:
    """A dataset with its harmonised measures, comparison groups and funnel classes."""

    data: Dataset
    measures: pd.DataFrame
    groups: pd.DataFrame
    funnel: pd.DataFrame

    def __repr__(self) -> str:
        return f"<Analysis of {self.data!r}: {len(self.measures):,} measures, {self.groups['group'].nunique()} groups>"

    @property
    def usable_letters(self) -> pd.DataFrame:
        return readable_letters(self.data.letters)

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.usable_letters["year_ending"].unique())

    @property
    def authorities(self) -> list[str]:
        return sorted(self.usable_letters["authority"].unique())

    def authority_named(self, name: str) -> str:
        """The authority ``name`` means ("kent" is Kent County Council); InvalidInput suggesting the closest."""
        return find_authority(name, self.authorities)

    def authority(self, name: str) -> pd.DataFrame:
        """The council's figures year by year, each with its letter and status (:func:`authority_figures`);
        ``name`` in any case, a miss naming the closest council."""
        return authority_figures(self, self.authority_named(name))

    def group_of(self, authority: str) -> str:
        found = self.groups.loc[self.groups["authority"] == authority, "group"]
        return str(found.iloc[0]) if len(found) else UNMATCHED_GROUP


def analyse(data: Dataset) -> Analysis:
    """Harmonise the measures, attach groups and classify every authority-year on its funnel."""
    groups = data.comparison_groups()
    measures = with_groups(harmonise(data), groups)
    return Analysis(data=data, measures=measures, groups=groups, funnel=uphold_funnel_classes(measures))


def sample_letter_count(letters: pd.DataFrame) -> int:
    """How many letters carry the fictional-sample footer."""
    return int(letters["sample"].fillna(False).sum()) if "sample" in letters else 0


def read_by_ocr(letters: pd.DataFrame) -> pd.DataFrame:
    """The letters with pages read by OCR (scanned, or with no usable text layer), with their status."""
    rows = letters[letters["tables_read_by"] == READ_BY_OCR] if "tables_read_by" in letters else letters.iloc[:0]
    return (
        rows[["source", "authority", "year_ending", "status"]]
        .sort_values(["authority", "year_ending"])
        .rename(
            columns={
                "source": "Letter",
                "authority": "Authority",
                "year_ending": "Year ending March",
                "status": "Status",
            }
        )
    )


def uphold_counts(measures: pd.DataFrame, authorities: list[str] | None = None) -> pd.DataFrame:
    """``authority, year_ending, upheld, investigated`` wherever both are known."""
    rows = measures if authorities is None else measures[measures["authority"].isin(authorities)]
    wide = rows[rows["measure"].isin(["upheld", "investigated"])].pivot_table(
        index=["authority", "year_ending"], columns="measure", values="value", aggfunc="first"
    )
    if wide.empty or not {"upheld", "investigated"} <= set(wide.columns):
        return pd.DataFrame(columns=["authority", "year_ending", "upheld", "investigated"])
    return wide[["upheld", "investigated"]].dropna().reset_index()


def received_totals(letters: pd.DataFrame, formats: tuple[str, ...] = ("A",)) -> pd.DataFrame:
    """``authority, year_ending, count``: printed received totals from letters of the given formats.

    Format A letters print every council's total; C prints it only sometimes and D never,
    so a series across formats would fall for reasons that are not the councils'.
    """
    rows = letters[(letters["status"] != Status.ERROR) & letters["format"].isin(formats)]
    rows = rows.dropna(subset=["received_total"])
    return rows[["authority", "year_ending", "received_total"]].rename(columns={"received_total": "count"})


NATIONAL_COUNTS: tuple[tuple[str, str], ...] = (
    ("received_total", "Complaints and enquiries received"),
    ("decided_total", "Decisions made / complaints dealt with"),
    ("investigated", "Detailed investigations"),
    ("upheld", "Complaints upheld"),
)
"""The harmonised counts the national overview compares year on year, with their labels."""


def national_change(analysis: Analysis, year: int) -> pd.DataFrame:
    """The headline national figures for ``year`` beside the year before, with the caveat that applies.

    Columns: ``Figure``, the year before, ``year``, ``Change``, ``Authorities in both years``,
    ``Caveat``. Each figure is summed over the authorities that have it in both years, so a
    change is not just more letters.
    """
    measures = analysis.measures
    now = measures[measures["year_ending"] == year]
    before = measures[measures["year_ending"] == year - 1]
    caveat = caveats_between(year - 1, year)
    rows = []
    for measure, label in NATIONAL_COUNTS:
        a = now[now["measure"] == measure]
        b = before[before["measure"] == measure]
        paired = set(a["authority"]) & set(b["authority"])
        if not paired:
            continue
        this_year = float(a[a["authority"].isin(paired)]["value"].sum())
        previous = float(b[b["authority"].isin(paired)]["value"].sum())
        rows.append([label, f"{previous:,.0f}", f"{this_year:,.0f}", _change(previous, this_year), len(paired), caveat])
    counts_now, counts_before = uphold_counts(now), uphold_counts(before)
    paired = set(counts_now["authority"]) & set(counts_before["authority"])
    pooled_now = counts_now[counts_now["authority"].isin(paired)][["upheld", "investigated"]].sum()
    pooled_before = counts_before[counts_before["authority"].isin(paired)][["upheld", "investigated"]].sum()
    if paired and pooled_now["investigated"] and pooled_before["investigated"]:
        rate_now = uphold_rate(pooled_now["upheld"], pooled_now["investigated"])
        rate_before = uphold_rate(pooled_before["upheld"], pooled_before["investigated"])
        rows.append(
            [
                "Uphold rate (pooled)",
                f"{rate_before:.0f}% ({pooled_before['upheld']:,.0f} of {pooled_before['investigated']:,.0f})",
                f"{rate_now:.0f}% ({pooled_now['upheld']:,.0f} of {pooled_now['investigated']:,.0f})",
                f"{rate_now - rate_before:+.0f} points",
                len(paired),
                caveat,
            ]
        )
    columns = ["Figure", str(year - 1), str(year), "Change", "Authorities in both years", "Caveat"]
    return pd.DataFrame(rows, columns=columns)


def _change(previous: float, now: float) -> str:
    if not previous:
        return "n/a"
    return f"{now - previous:+,.0f} ({100 * (now - previous) / previous:+.0f}%)"


def funnel_outliers(analysis: Analysis, year: int) -> pd.DataFrame:
    """The authorities outside their group's 99.8% funnel limits in ``year``, highest rate first in each group."""
    rows = analysis.funnel[(analysis.funnel["year_ending"] == year) & analysis.funnel["funnel_class"].isin(OUTSIDE_998)]
    rows = rows.assign(rate=uphold_rate(rows["upheld"], rows["investigated"]))
    rows = rows.sort_values(["group", "rate", "authority"], ascending=[True, False, True])
    return pd.DataFrame(
        {
            "Authority": rows["authority"].to_numpy(),
            "Comparison group": rows["group"].to_numpy(),
            "Upheld": _whole(list(rows["upheld"])),
            "Investigated": _whole(list(rows["investigated"])),
            "Uphold rate (%)": _tenths(list(rows["rate"])),
            "Group's pooled rate (%)": _tenths(list(100 * rows["group_rate"])),
            "Against the funnel": rows["funnel_class"].to_numpy(),
        }
    )


def largest_changes(analysis: Analysis, year: int, count: int = 10, min_investigated: int = 10) -> pd.DataFrame:
    """The ``count`` largest changes in uphold rate since the year before, rises and falls together, among
    authorities with at least ``min_investigated`` investigations in both years (smaller bases swing by chance)."""
    counts = uphold_counts(analysis.measures)
    now = counts[counts["year_ending"] == year].set_index("authority")
    before = counts[counts["year_ending"] == year - 1].set_index("authority")
    both = now.merge(before, left_index=True, right_index=True, suffixes=("_now", "_before"))
    both = both[(both["investigated_now"] >= min_investigated) & (both["investigated_before"] >= min_investigated)]
    if both.empty:
        return pd.DataFrame()
    rate_now = uphold_rate(both["upheld_now"], both["investigated_now"])
    rate_before = uphold_rate(both["upheld_before"], both["investigated_before"])
    change = (rate_now - rate_before).rename("change")
    chosen = change.abs().sort_values(ascending=False, kind="stable").index[:count]
    return pd.DataFrame(
        {
            "Authority": list(chosen),
            "Comparison group": [analysis.group_of(name) for name in chosen],
            f"{year - 1}: upheld of investigated": _upheld_of(both.loc[chosen], "before"),
            f"{year}: upheld of investigated": _upheld_of(both.loc[chosen], "now"),
            f"Rate {year - 1} (%)": _tenths(list(rate_before[chosen])),
            f"Rate {year} (%)": _tenths(list(rate_now[chosen])),
            "Change (points)": [f"{change[n]:+.1f}" for n in chosen],
        }
    )


def uphold_by_group(analysis: Analysis, year: int) -> pd.DataFrame:
    """Pooled uphold rate per comparison group in ``year``, with counts and funnel outliers."""
    rows = analysis.funnel[analysis.funnel["year_ending"] == year]
    if rows.empty:
        return pd.DataFrame(columns=["group", "authorities", "upheld", "investigated", "uphold_rate", "outside_998"])
    table = rows.groupby("group").agg(
        authorities=("authority", "size"),
        upheld=("upheld", "sum"),
        investigated=("investigated", "sum"),
        outside_998=("funnel_class", lambda c: int(c.isin(OUTSIDE_998).sum())),
    )
    table["uphold_rate"] = uphold_rate(table["upheld"], table["investigated"]).round(1)
    table[["upheld", "investigated"]] = table[["upheld", "investigated"]].round(0).astype("Int64")
    table = table.reset_index()
    return table[["group", "authorities", "upheld", "investigated", "uphold_rate", "outside_998"]]


def authority_figures(analysis: Analysis, authority: str) -> pd.DataFrame:
    """One council's figures per year, each with the letter it came from and that letter's status
    (:func:`.councils.council_years`, as a report's table prints them: rates to a tenth, and
    :data:`NO_INVESTIGATIONS` for the uphold rate of a year with none)."""
    years = council_years(analysis, authority)
    if years.empty:
        raise InvalidInput(f"no letters for {authority!r}")
    rates = years["uphold_rate"].round(1).astype(object).where(years["uphold_rate"].notna(), pd.NA)
    return pd.DataFrame(
        {
            "Year ending March": years["year_ending"],
            "Format": years["format"],
            "Received": years["received_total"],
            "Investigated": years["investigated"],
            "Upheld": years["upheld"],
            "Uphold rate (%)": rates.mask(no_investigations(years["investigated"]), NO_INVESTIGATIONS),
            "Compliance (%)": years["compliance_rate"].round(1),
            "Satisfactory remedy rate (%)": years["satisfactory_remedy_rate"].round(1),
            REMEDIED_COLUMN: _remedied(years),
            "Letter": years["source"],
            "Status": years["status"],
        }
    )


REMEDIED_COLUMN = "Remedied: by the Ombudsman / by the council first"
"""A profile's two remedy counts in one narrow column: "2 / 0"."""


def _remedied(years: pd.DataFrame) -> list[object]:
    """ "2 / 0" for a letter that prints its remedies, missing for one that does not."""
    pairs = zip(years["remedied_by_ombudsman"], years["remedied_by_authority_before_ombudsman"], strict=True)
    return [
        pd.NA if pd.isna(by_ombudsman) and pd.isna(by_council) else f"{_count(by_ombudsman)} / {_count(by_council)}"
        for by_ombudsman, by_council in pairs
    ]


def _count(value: object) -> str:
    return NOT_KNOWN if pd.isna(value) else f"{int(value):,}"  # type: ignore[call-overload]


def _upheld_of(rows: pd.DataFrame, when: str) -> list[str]:
    """ "5 of 8" for each row's ``upheld_<when>`` and ``investigated_<when>``."""
    pairs = zip(rows[f"upheld_{when}"].tolist(), rows[f"investigated_{when}"].tolist(), strict=True)
    return [f"{int(upheld)} of {int(investigated)}" for upheld, investigated in pairs]


def _whole(values: Iterable[object]) -> ExtensionArray:
    """Counts as whole numbers, missing where they are missing (an array: no index to align)."""
    return pd.Series(list(values), dtype="Float64").round(0).astype("Int64").array


def _tenths(values: Iterable[object]) -> ExtensionArray:
    """Rates to a tenth, missing where they are missing (an array: no index to align)."""
    return pd.Series(list(values), dtype="Float64").round(1).array


def coverage(letters: pd.DataFrame) -> pd.DataFrame:
    """Authority by year: the status of each letter found, blank where there is none."""
    rows = letters.dropna(subset=["authority", "year_ending"])
    if rows.empty:
        return pd.DataFrame()
    best_first = {status: rank for rank, status in enumerate(STATUSES)}
    worst = rows.assign(rank=rows["status"].map(best_first)).sort_values("rank")
    worst = worst.drop_duplicates(["authority", "year_ending"], keep="last")
    table = worst.pivot(index="authority", columns="year_ending", values="status").fillna("")
    table.columns = [str(int(c)) for c in table.columns]
    return table.sort_index().rename_axis(None).reset_index(names="Authority")


def coverage_by_year(letters: pd.DataFrame) -> pd.DataFrame:
    """Per year: how many letters are ok, have a warning or an error, and how many authorities with a
    letter in some other year have none for this one."""
    rows = letters.dropna(subset=["authority", "year_ending"])
    if rows.empty:
        return pd.DataFrame()
    statuses = rows.pivot_table(index="year_ending", columns="status", values="source", aggfunc="count")
    statuses = statuses.reindex(columns=list(STATUSES)).fillna(0).astype(int)
    authorities = rows["authority"].nunique()
    present = rows.groupby("year_ending")["authority"].nunique()
    table = pd.DataFrame(
        {
            "Year ending March": statuses.index.astype(int),
            "Letters ok": statuses[Status.OK].to_numpy(),
            "With a warning": statuses[Status.WARNING].to_numpy(),
            "Unreadable": statuses[Status.ERROR].to_numpy(),
            "Authorities without a letter": (authorities - present.reindex(statuses.index)).to_numpy(int),
        }
    )
    return table


def letters_with_problems(letters: pd.DataFrame) -> pd.DataFrame:
    """Every letter whose status is not ``ok``, errors first, with its problems as printed."""
    rows = letters[letters["status"] != Status.OK]
    rows = rows.assign(order=rows["status"].map({Status.ERROR: 0, Status.WARNING: 1})).sort_values(["order", "source"])
    rows = rows.assign(problems=rows["problems"].str.replace("\n", "; ", regex=False))
    columns = {
        "source": "Letter",
        "authority": "Authority",
        "year_ending": "Year ending March",
        "status": "Status",
        "problems": "Problems",
    }
    return rows[list(columns)].rename(columns=columns).reset_index(drop=True)


def checks_performed() -> pd.DataFrame:
    """Each check run on every letter, as its docstring describes it."""
    rows = [
        {"check": check.__name__.removeprefix("check_").replace("_", " "), "what": check.__doc__}
        for check in checks.CHECKS
    ]
    return pd.DataFrame(rows)


def remedies_by_year(data: Dataset) -> pd.DataFrame:
    """Per year: remedies counted (format A) and the median satisfactory remedy rate (C and D), with bases."""
    remedies = data.remedies.pivot_table(index="year_ending", columns="remedy", values="count", aggfunc="sum")
    stats = data.statistics[data.statistics["measure"] == "satisfactory_remedy_rate"]
    rates = stats.groupby("year_ending")["value"].agg(authorities="size", median_rate="median")
    table = remedies.join(rates, how="outer").sort_index()
    columns = {
        "remedied_by_ombudsman": "Remedied by the Ombudsman",
        "remedied_by_authority_before_ombudsman": "Remedied by the council first",
        "authorities": "Authorities with a satisfactory remedy rate",
        "median_rate": "Median satisfactory remedy rate (%)",
    }
    table = table.reindex(columns=list(columns)).rename(columns=columns)
    for name in list(columns.values())[:3]:
        table[name] = table[name].astype("Float64").round(0).astype("Int64")
    table[columns["median_rate"]] = table[columns["median_rate"]].astype("Float64").round(1)
    table.index = table.index.astype(int)
    return table.reset_index().rename(columns={"year_ending": "Year ending March"})

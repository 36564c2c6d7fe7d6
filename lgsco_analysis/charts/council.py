"""One council's charts in one call, as its profile draws them: from the dataset (or its analysis) and a name.

    >>> data = lgsco_analysis.load("data/processed")
    >>> chart = council.uphold_trend(data, "kent")      # any case; a miss names the closest council
    >>> chart.figure.savefig("kent.svg"); chart.table    # the figures behind it

Each returns a :class:`~lgsco_analysis.charts.style.Chart` (figure, alt text, the figures it drew) and
raises NothingToDraw when the council's letters have nothing for it, InvalidInput for a name that
is no council or a year it has no letter for.
"""

from __future__ import annotations

from ..analysis.views import Analysis, analyse, received_totals, uphold_counts
from ..dataset.tables import Dataset
from ..errors import InvalidInput
from . import plots
from .funnel import uphold_funnel
from .style import Chart


def _analysis(data: Dataset | Analysis) -> Analysis:
    if isinstance(data, Analysis):
        return data
    if isinstance(data, Dataset):
        return analyse(data)
    raise InvalidInput(f"charts are drawn from lgsco_analysis.load(...) or its analysis, not {type(data).__name__}")


def _focus_year(analysis: Analysis, authority: str, year: int | None) -> int:
    """``year``, or the council's latest; InvalidInput for a year it has no readable letter for."""
    letters = analysis.usable_letters
    years = sorted(int(y) for y in letters.loc[letters["authority"] == authority, "year_ending"])
    if year is None:
        return years[-1]
    if year not in years:
        raise InvalidInput(f"{authority} has no readable letter for {year}: its years are {', '.join(map(str, years))}")
    return year


def uphold_trend(data: Dataset | Analysis, name: str, year: int | None = None) -> Chart:
    """The council's uphold rate each year with its 95% interval, against its comparison group's rate."""
    analysis = _analysis(data)
    authority = analysis.authority_named(name)
    focus = _focus_year(analysis, authority, year)
    group = analysis.group_of(authority)
    members = analysis.groups.loc[analysis.groups["group"] == group, "authority"].tolist()
    own, pooled = uphold_counts(analysis.measures, [authority]), uphold_counts(analysis.measures, members)
    return plots.uphold_rate_trend(own, pooled, authority, group, year=focus)


def funnel(data: Dataset | Analysis, name: str, year: int | None = None) -> Chart:
    """The council's comparison group on a funnel plot in ``year`` (its latest by default), the council highlighted."""
    analysis = _analysis(data)
    authority = analysis.authority_named(name)
    return uphold_funnel(
        analysis.funnel, analysis.group_of(authority), _focus_year(analysis, authority, year), authority
    )


def received(data: Dataset | Analysis, name: str) -> Chart:
    """The council's complaints received each year, from the letters that print a total (format A)."""
    analysis = _analysis(data)
    authority = analysis.authority_named(name)
    own = analysis.usable_letters[analysis.usable_letters["authority"] == authority]
    return plots.received_over_time(received_totals(own), authority)


def remedies(data: Dataset | Analysis, name: str, year: int | None = None) -> Chart:
    """The council's remedies by year, and its satisfactory remedy rate against the letters' average."""
    analysis = _analysis(data)
    authority = analysis.authority_named(name)
    focus = _focus_year(analysis, authority, year)
    return plots.remedy_outcomes(analysis.data.statistics, analysis.data.remedies, authority, year=focus)


def compliance(data: Dataset | Analysis, name: str, year: int | None = None) -> Chart:
    """The council's compliance with the Ombudsman's recommendations, by year."""
    analysis = _analysis(data)
    authority = analysis.authority_named(name)
    return plots.compliance(analysis.data.statistics, authority, year=_focus_year(analysis, authority, year))


def upheld_per_100k(data: Dataset | Analysis, name: str, year: int | None = None) -> Chart:
    """The council's upheld decisions per 100,000 residents (letters from 2023 on), against its type's average."""
    analysis = _analysis(data)
    authority = analysis.authority_named(name)
    return plots.upheld_per_100k(analysis.data.statistics, authority, year=_focus_year(analysis, authority, year))

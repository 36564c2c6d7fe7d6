"""Which reports a run renders: an overview per year, a data-quality report, a profile per authority."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import paths
from ..analysis.views import readable_letters
from ..dataset.groups import UNMATCHED_GROUP, find_authority
from ..dataset.tables import Dataset
from ..errors import InvalidInput

REPORT_KINDS: dict[str, dict[str, str]] = {
    "national_overview": {"notebook": "national_overview.ipynb", "heading": "National overviews"},
    "authority_profile": {"notebook": "authority_profile.ipynb", "heading": "Authority profiles"},
    "data_quality": {"notebook": "data_quality.ipynb", "heading": "Data quality"},
}
"""Each kind of report: its notebook and its heading in the index."""


@dataclass(frozen=True)
class Report:
    """One report to render: which notebook, with which parameters, to which file."""

    kind: str
    title: str
    html_path: str  # relative to the output folder, ``/``-separated
    parameters: dict = field(hash=False)
    year: int | None = None
    authority: str | None = None
    group: str | None = None

    @property
    def notebook_path(self) -> str:
        return self.html_path.removesuffix(".html") + ".ipynb"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A slug per distinct name; names whose slugs would collide each get a short hash of the name."""
    names = sorted(set(names))
    slugs = {name: paths.slugify(name) for name in names}
    counts: dict[str, int] = {}
    for slug in slugs.values():
        counts[slug] = counts.get(slug, 0) + 1
    return {
        name: slug if counts[slug] == 1 else f"{slug}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        for name, slug in slugs.items()
    }


def profile_path(slug: str, year: int) -> str:
    """Where an authority's profile for a year is written, relative to the output folder."""
    return f"authorities/{slug}-{year}.html"


def overview_path(year: int) -> str:
    return f"national/overview-{year}.html"


def plan_reports(
    data: Dataset, years: Iterable[int] | None = None, authorities: Iterable[str] | None = None
) -> list[Report]:
    """The reports to render: an overview per year, a data-quality report, a profile per authority.

    ``years`` limits the overviews to those years and the profiles to authorities with a
    letter for them; ``authorities`` asks for those profiles only. Raises ValueError for a
    year or an authority with no readable letter.
    """
    usable = readable_letters(data.letters)
    present_years = sorted(int(y) for y in usable["year_ending"].unique())
    years = sorted(set(int(y) for y in years)) if years else None
    for year in years or []:
        if year not in present_years:
            raise InvalidInput(f"no readable letters for the year ending {year} (the data has {_span(present_years)})")
    known = set(usable["authority"])
    wanted = list(dict.fromkeys(find_authority(name, known) for name in authorities)) if authorities else None
    reports: list[Report] = []
    if wanted is None:
        for year in years or present_years:
            reports.append(
                Report(
                    kind="national_overview",
                    title=f"National overview, year ending March {year}",
                    html_path=overview_path(year),
                    parameters={"year": year},
                    year=year,
                )
            )
        reports.append(Report(kind="data_quality", title="Data quality", html_path="data-quality.html", parameters={}))
    slugs = unique_slugs(known)
    groups = {} if data.groups is None else dict(zip(data.groups["authority"], data.groups["group"], strict=True))
    letter_years = usable.groupby("authority")["year_ending"].apply(lambda y: sorted(int(v) for v in y))
    for name in wanted or sorted(known):
        for year in years or [letter_years[name][-1]]:
            if year not in letter_years[name]:
                continue
            reports.append(
                Report(
                    kind="authority_profile",
                    title=f"{name}: profile, year ending March {year}",
                    html_path=profile_path(slugs[name], year),
                    parameters={"authority": name, "year": year},
                    year=year,
                    authority=name,
                    group=groups.get(name, UNMATCHED_GROUP),
                )
            )
    return reports


def _span(years: list[int]) -> str:
    return f"{years[0]} to {years[-1]}" if years else "no readable letters"

"""Made-up but realistic figures for fictional councils, consistent as real letters are.

Each council has a size and a character that persist across years; each year follows
the national picture the Ombudsman's annual reviews give (``NATIONAL_UPHOLD_RATE``).
Everything is drawn from ``numpy`` generators seeded by (seed, council, year), so a council's
figures do not depend on which others or which years are generated alongside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import InvalidInput
from ..rules.formats import FORMAT_YEARS, TABLE_YEARS
from ..rules.vocabulary import FORMAT_A_SUMS, RECEIVED_CATEGORIES
from .names import NAME_ENDINGS, NAME_STEMS, NAME_TEMPLATES

GROUPS: tuple[str, ...] = (
    "County Councils",
    "District Councils",
    "Metropolitan Boroughs",
    "Unitary Councils",
    "London Boroughs",
)

GROUP_SHARES: dict[str, int] = {
    "County Councils": 21,
    "District Councils": 164,
    "Metropolitan Boroughs": 36,
    "Unitary Councils": 63,
    "London Boroughs": 33,
}
"""English councils per comparison group in 2025 (``data/reference``): the sample's mix beyond its first
:data:`EVEN_START` councils."""
EVEN_START = 15
"""The first councils go round the groups in turn, so that even a small sample has three per group."""

POPULATION_RANGE: dict[str, tuple[int, int]] = {
    "County Councils": (480_000, 1_600_000),
    "District Councils": (60_000, 190_000),
    "Metropolitan Boroughs": (160_000, 1_100_000),
    "Unitary Councils": (120_000, 560_000),
    "London Boroughs": (150_000, 390_000),
}

RECEIVED_PER_100K: dict[str, float] = {
    "County Councils": 24.0,
    "District Councils": 17.0,
    "Metropolitan Boroughs": 33.0,
    "Unitary Councils": 31.0,
    "London Boroughs": 40.0,
}

CATEGORY_MIX: dict[str, tuple[float, ...]] = {
    # adult care, benefits, corporate, education, environment, highways, housing, planning, other
    "County Councils": (0.32, 0.01, 0.05, 0.29, 0.05, 0.22, 0.01, 0.03, 0.02),
    "District Councils": (0.01, 0.13, 0.12, 0.01, 0.19, 0.05, 0.22, 0.25, 0.02),
    "Metropolitan Boroughs": (0.18, 0.10, 0.07, 0.17, 0.10, 0.09, 0.15, 0.10, 0.04),
    "Unitary Councils": (0.19, 0.08, 0.07, 0.17, 0.10, 0.10, 0.13, 0.12, 0.04),
    "London Boroughs": (0.14, 0.11, 0.07, 0.14, 0.09, 0.08, 0.26, 0.08, 0.03),
}

NATIONAL_UPHOLD_RATE: dict[int, float] = {
    2014: 0.44,
    2015: 0.46,
    2016: 0.51,
    2017: 0.54,
    2018: 0.57,
    2019: 0.58,
    2020: 0.61,
    2021: 0.67,
    2022: 0.70,
    2023: 0.74,
    2024: 0.80,
    2025: 0.83,
}
VOLUME_INDEX: dict[int, float] = {
    2014: 1.10,
    2015: 1.12,
    2016: 1.16,
    2017: 0.99,
    2018: 1.03,
    2019: 0.99,
    2020: 1.00,
    2021: 0.70,
    2022: 0.90,
    2023: 0.91,
    2024: 1.05,
    2025: 1.17,
}
"""Complaints received relative to 2020 (17,019 nationally): the 2021 Covid pause is visible."""

DECISION_SHARES_A: tuple[float, ...] = (0.08, 0.09, 0.45, 0.24, 0.14)
"""Incomplete or invalid, advice, referred back, closed after initial enquiries, investigated."""
INVESTIGATED_SHARE: dict[int, float] = {
    2020: 0.15,
    2021: 0.16,
    2022: 0.15,
    2023: 0.12,
    2024: 0.13,
    2025: 0.14,
}
"""From 2023 the Ombudsman investigated fewer, clearer cases."""
SATISFACTORY_REMEDY_SHARE = 0.10
COMPLIANCE_RATE = 0.994


def letter_format(year: int) -> str:
    for name, years in FORMAT_YEARS.items():
        if year in years:
            return name
    raise InvalidInput(f"no letter format is known for {year}")


def round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


@dataclass(frozen=True)
class Council:
    index: int
    name: str
    group: str
    population: int
    propensity: float
    """Complaints relative to its group, per head."""
    uphold_shift: float
    """Its uphold rate's distance from the national rate, on the log-odds scale."""
    remedy_tendency: float
    category_mix: tuple[float, ...]
    font: str


@dataclass
class YearFigures:
    """What one letter reports; None where the letter does not print it."""

    council: Council
    year: int
    received: dict[str, int] | None = None
    received_total: int | None = None
    decisions: dict[str, int] = field(default_factory=dict)
    decisions_total: int | None = None
    remedies: dict[str, int] | None = None
    compliance: tuple[int, int] | None = None
    """(complied, compliance outcomes)."""
    statistics: dict[str, dict] = field(default_factory=dict)
    blank_rate_mark: str = "0%"
    """What a format A letter prints as the uphold rate when nothing was investigated."""

    @property
    def format(self) -> str:
        return letter_format(self.year)

    @property
    def investigated(self) -> int:
        if self.format == "A":
            return sum(self.decisions[part] for part in FORMAT_A_SUMS["investigated"])
        return self.decisions.get("investigated", 0)


FONTS: tuple[str, ...] = ("Helvetica", "Times-Roman", "Helvetica", "Helvetica")


def council_groups(count: int) -> list[str]:
    """Each council's group: round the groups for the first :data:`EVEN_START`, then in the real mix
    (:data:`GROUP_SHARES`), each next council going to the group furthest below its share."""
    groups: list[str] = []
    total = sum(GROUP_SHARES.values())
    for index in range(count):
        if index < EVEN_START:
            groups.append(GROUPS[index % len(GROUPS)])
            continue
        shortfall = {group: GROUP_SHARES[group] * (index + 1) / total - groups.count(group) for group in GROUPS}
        groups.append(max(GROUPS, key=lambda group: shortfall[group]))  # the first of equals, in GROUPS order
    return groups


def make_councils(seed: int, count: int) -> list[Council]:
    """``count`` fictional councils: three per group first, then the groups in the real mix."""
    if count < 1:
        raise InvalidInput("at least one council is needed")
    if count > len(NAME_STEMS) * len(NAME_ENDINGS):
        raise InvalidInput(f"at most {len(NAME_STEMS) * len(NAME_ENDINGS)} sample councils can be named")
    groups = council_groups(count)
    councils = []
    for index in range(count):
        rng = np.random.default_rng([seed, index, 0])
        group = groups[index]
        stem = (
            NAME_STEMS[index % len(NAME_STEMS)] + NAME_ENDINGS[(index // len(NAME_STEMS) + index) % len(NAME_ENDINGS)]
        )
        templates = NAME_TEMPLATES[group]
        name = templates[(index // len(GROUPS)) % len(templates)].format(stem=stem)
        low, high = POPULATION_RANGE[group]
        population = int(round(math.exp(rng.uniform(math.log(low), math.log(high))), -3))
        propensity = float(rng.lognormal(0.0, 0.35))
        if index == 0:  # the largest county, with four-figure volumes as the biggest councils have
            population, propensity = 1_590_000, 2.4
        mix = rng.dirichlet(np.array(CATEGORY_MIX[group]) * 60 + 0.05)
        councils.append(
            Council(
                index=index,
                name=name,
                group=group,
                population=population,
                propensity=propensity,
                uphold_shift=float(rng.normal(0.0, 0.45)),
                remedy_tendency=float(rng.lognormal(0.0, 0.5)),
                category_mix=tuple(float(x) for x in mix),
                font=FONTS[int(rng.integers(len(FONTS)))],
            )
        )
    return councils


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _uphold_probability(council: Council, year: int) -> float:
    national = NATIONAL_UPHOLD_RATE[year]
    return _logistic(math.log(national / (1 - national)) + council.uphold_shift)


def draw_counts(council: Council, year: int, seed: int) -> YearFigures:
    """The counts of one council's year; rates and averages come later, from all councils."""
    rng = np.random.default_rng([seed, council.index, year])
    expected = council.population / 100_000 * RECEIVED_PER_100K[council.group] * council.propensity
    received_total = int(rng.poisson(expected * VOLUME_INDEX[year]))
    figures = YearFigures(council=council, year=year)
    figures.blank_rate_mark = str(rng.choice(["0%", "0%", "", "-", "N/A"]))
    p_uphold = _uphold_probability(council, year)
    remedy_share = min(0.5, SATISFACTORY_REMEDY_SHARE * council.remedy_tendency)
    if figures.format == "A":
        received = rng.multinomial(received_total, council.category_mix)
        figures.received = dict(zip(RECEIVED_CATEGORIES, (int(x) for x in received), strict=True))
        figures.received_total = received_total
        decided = int(rng.poisson(max(received_total * rng.uniform(0.93, 1.05), 0.5)))
        parts = rng.multinomial(decided, DECISION_SHARES_A)
        upheld = int(rng.binomial(parts[4], p_uphold))
        figures.decisions = {
            "incomplete_or_invalid": int(parts[0]),
            "advice_given": int(parts[1]),
            "referred_back_for_local_resolution": int(parts[2]),
            "closed_after_initial_enquiries": int(parts[3]),
            "not_upheld": int(parts[4]) - upheld,
            "upheld": upheld,
        }
        figures.decisions_total = decided
        if year in TABLE_YEARS["remedies"]:
            by_authority = int(rng.binomial(upheld, remedy_share))
            by_ombudsman = int(rng.binomial(upheld - by_authority, 0.8))
            figures.remedies = {
                "remedied_by_ombudsman": by_ombudsman,
                "remedied_by_authority_before_ombudsman": by_authority,
            }
        return figures
    investigated = int(rng.binomial(received_total, INVESTIGATED_SHARE[year]))
    upheld = int(rng.binomial(investigated, p_uphold))
    figures.decisions = {"investigated": investigated, "upheld": upheld}
    if figures.format == "D":
        rest = received_total - investigated
        not_for_us = int(rng.binomial(rest, 0.62))
        figures.decisions.update(not_for_us=not_for_us, assessed_and_closed=rest - not_for_us)
        figures.decisions_total = received_total
    satisfactory = int(rng.binomial(upheld, remedy_share))
    figures.remedies = {"remedied_by_authority_before_ombudsman": satisfactory}
    outcomes = int(rng.binomial(upheld, 0.85))
    figures.compliance = (int(rng.binomial(outcomes, COMPLIANCE_RATE)), outcomes)
    if figures.format == "C" and rng.random() < 0.25:  # some letters of the period print the category table
        received = rng.multinomial(received_total, council.category_mix)
        figures.received = dict(zip(RECEIVED_CATEGORIES, (int(x) for x in received), strict=True))
        figures.received_total = received_total
    return figures


def _percent(part: int, whole: int) -> int:
    return round_half_up(100 * part / whole)


def _group_average(rows: list[YearFigures], part, whole) -> int | None:
    total = sum(whole(f) for f in rows)
    return _percent(sum(part(f) for f in rows), total) if total else None


def add_statistics(all_figures: list[YearFigures]) -> None:
    """Rates as printed, each with the average over the council's group that year."""
    by_group_year: dict[tuple[str, int], list[YearFigures]] = {}
    for figures in all_figures:
        by_group_year.setdefault((figures.council.group, figures.year), []).append(figures)
    for figures in all_figures:
        peers = by_group_year[(figures.council.group, figures.year)]
        upheld = figures.decisions["upheld"]
        investigated = figures.investigated
        fmt = figures.format
        if investigated:
            average = (
                None if fmt == "A" else _group_average(peers, lambda f: f.decisions["upheld"], lambda f: f.investigated)
            )
            figures.statistics["uphold_rate"] = {
                "value": _percent(upheld, investigated),
                "similar_average": average,
                "base": investigated,
            }
        elif fmt == "A" and figures.blank_rate_mark == "0%":
            figures.statistics["uphold_rate"] = {"value": 0, "similar_average": None, "base": 0}
        if fmt == "A":
            continue
        if figures.year >= 2023 and (investigated or fmt == "D"):
            people = sum(f.council.population for f in peers)
            figures.statistics["upheld_per_100k"] = {
                "value": round(upheld / figures.council.population * 100_000, 1),
                "similar_average": round(sum(f.decisions["upheld"] for f in peers) / people * 100_000, 1),
                "base": None,
            }
        complied, outcomes = figures.compliance or (0, 0)
        if outcomes and fmt == "C":
            figures.statistics["compliance_rate"] = {
                "value": _percent(complied, outcomes),
                "similar_average": _group_average(peers, lambda f: f.compliance[0], lambda f: f.compliance[1]),
                "base": outcomes,
            }
        if upheld and fmt == "C":
            figures.statistics["satisfactory_remedy_rate"] = {
                "value": _percent((figures.remedies or {})["remedied_by_authority_before_ombudsman"], upheld),
                "similar_average": _group_average(
                    peers,
                    lambda f: f.remedies["remedied_by_authority_before_ombudsman"],
                    lambda f: f.decisions["upheld"],
                ),
                "base": upheld,
            }
    for figures in all_figures:  # what the letter does not print, once every average is known
        if figures.format == "D" or (figures.format == "C" and not figures.decisions["upheld"]):
            figures.remedies = None  # no satisfactory remedy statement to print
        if figures.format == "C" and not figures.investigated:
            figures.decisions = {}  # no uphold statement: the letter prints neither count


def make_figures(seed: int, councils: list[Council], years: range) -> list[YearFigures]:
    figures = [draw_counts(council, year, seed) for council in councils for year in years]
    add_statistics(figures)
    return figures

"""A small dataset written by hand, with every figure the tests expect worked out by hand.

It needs no PDF, no worker and no ``../shared``: the fast tier pins the statistics, measures,
views and chart texts on it. Three district councils have format A letters for 2018 and
2019; a county council has a format C letter for 2024 and a format D letter for 2025; one
file could not be read at all.
"""

from __future__ import annotations

import pandas as pd

from lgsco_analysis.dataset.tables import Dataset, letters_to_dataset
from lgsco_analysis.read.record import Letter, unreadable
from lgsco_analysis.rules.vocabulary import DECISIONS_BY_FORMAT

ASHBY = "Ashby Test District Council"
BEXTON = "Bexton Test District Council"
CRAY = "Cray Test District Council"
DUNMORE = "Dunmore Test County Council"
DISTRICTS = "District Councils"
COUNTIES = "County Councils"

FORMAT_A_ORDER = DECISIONS_BY_FORMAT["A"]

# authority, year: (received total, the six format A decisions in FORMAT_A_ORDER, remedies by Ombudsman, by council)
FORMAT_A_LETTERS = {
    (ASHBY, 2018): (38, (1, 2, 4, 8, 6, 4), (3, 1)),
    (ASHBY, 2019): (27, (1, 3, 5, 9, 5, 5), (4, 1)),
    (BEXTON, 2018): (40, (0, 1, 2, 3, 15, 5), (5, 0)),
    (BEXTON, 2019): (36, (0, 2, 2, 4, 12, 8), (6, 2)),
    (CRAY, 2018): (10, (2, 2, 2, 2, 1, 1), (1, 0)),
    (CRAY, 2019): (12, (1, 1, 1, 1, 0, 2), (1, 1)),
}
ASHBY_2018_RECEIVED = {
    "adult_care_services": 1,
    "benefits_and_tax": 5,
    "corporate_and_other_services": 2,
    "education_and_childrens_services": 0,
    "environment_services": 6,
    "highways_and_transport": 3,
    "housing": 10,
    "planning_and_development": 4,
    "other": 7,
}  # adds up to the printed 38


def _statistic(value: float, similar_average: float, base: int) -> dict:
    return {"value": value, "similar_average": similar_average, "base": base}


def letters() -> list[Letter]:
    made = []
    for (authority, year), (received_total, decisions, remedies) in FORMAT_A_LETTERS.items():
        made.append(
            Letter(
                source=f"{authority.split()[0].lower()}-{year}.pdf",
                sha256=f"{len(made):064x}",
                authority=authority,
                year_ending=year,
                format="A",
                received=ASHBY_2018_RECEIVED if (authority, year) == (ASHBY, 2018) else {},
                received_total=received_total,
                decisions=dict(zip(FORMAT_A_ORDER, decisions, strict=True)),
                decisions_total=sum(decisions),
                remedies={"remedied_by_ombudsman": remedies[0], "remedied_by_authority_before_ombudsman": remedies[1]},
            )
        )
    made.append(
        Letter(
            source="dunmore-2024.pdf",
            sha256="c" * 64,
            authority=DUNMORE,
            year_ending=2024,
            format="C",
            decisions={"upheld": 14, "investigated": 20},
            statistics={
                "uphold_rate": _statistic(70, 75, 20),
                "compliance_rate": _statistic(100, 99, 5),
                "satisfactory_remedy_rate": _statistic(7, 12, 14),
            },
        )
    )
    made.append(
        Letter(
            source="dunmore-2025.pdf",
            sha256="d" * 64,
            authority=DUNMORE,
            year_ending=2025,
            format="D",
            status="warning",
            problems=["the printed total is smudged", "a second problem"],
            decisions={"not_for_us": 42, "assessed_and_closed": 20, "investigated": 33, "upheld": 26},
            decisions_total=95,
            statistics={
                "uphold_rate": _statistic(79, 80, 33),
                "compliance_rate": _statistic(90, 99, 10),
                "satisfactory_remedy_rate": _statistic(8, 13, 26),
            },
        )
    )
    made.append(unreadable("broken.pdf", "e" * 64, "the file is not a PDF"))
    return made


def dataset() -> Dataset:
    """The letters as the tidy tables, with their comparison groups given by hand."""
    data = letters_to_dataset(letters())
    data.groups = pd.DataFrame(
        {
            "authority": [ASHBY, BEXTON, CRAY, DUNMORE],
            "ons_code": ["E07000001", "E07000002", "E07000003", "E10000001"],
            "group": [DISTRICTS, DISTRICTS, DISTRICTS, COUNTIES],
        }
    ).astype("string")
    return data


def kent_2025(**changes) -> Letter:
    """letter-formats.md's real format D example, Kent County Council 2025, with ``changes`` made to it."""
    letter = Letter(
        source="d.pdf",
        sha256="0",
        authority="Kent County Council",
        year_ending=2025,
        format="D",
        decisions={"not_for_us": 87, "assessed_and_closed": 128, "investigated": 76, "upheld": 63},
        decisions_total=291,
        statistics={"uphold_rate": {"value": 83.0, "similar_average": 89.0, "base": 76}},
    )
    for name, value in changes.items():
        setattr(letter, name, value)
    return letter

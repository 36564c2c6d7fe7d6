"""The analyst's path: one council's figures and charts in one call each, from the dataset and a name in
any case, on the hand-built dataset (``tests/hand_built.py``: every figure worked out by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

import lgsco_analysis as lgsco
from lgsco_analysis.analysis import views
from lgsco_analysis.errors import InvalidInput, NothingToDraw

from . import hand_built
from .hand_built import ASHBY, DISTRICTS, DUNMORE


def _title(figure) -> str:
    return figure._suptitle.get_text().replace("\n", " ")


def test_a_councils_figures_by_a_name_in_any_case():
    analysis = views.analyse(hand_built.dataset())
    figures = analysis.authority("dunmore test county council")
    assert figures[["Year ending March", "Investigated", "Upheld"]].astype(object).values.tolist() == [
        [2024, 20, 14],
        [2025, 33, 26],
    ]
    with pytest.raises(InvalidInput, match="Dunmore Test County Council"):  # the closest, named
        analysis.authority("Dunmore County Council")


def test_one_call_charts_from_the_dataset_or_its_analysis():
    data = hand_built.dataset()
    chart = lgsco.charts.uphold_trend(data, "ashby test district council")  # the latest year, 2019: 5 of 10
    assert (
        _title(chart.figure) == f"{ASHBY}: uphold rate 50% in 2019 (5 of 10 investigations; {DISTRICTS} 47%)"
    )  # 15 of 32 pooled
    assert chart.table["Year ending March"].tolist() == [2018, 2019]
    earlier = lgsco.charts.uphold_trend(views.analyse(data), ASHBY, year=2018)  # 4 of 10; 10 of 32 pooled
    assert _title(earlier.figure) == f"{ASHBY}: uphold rate 40% in 2018 (4 of 10 investigations; {DISTRICTS} 31%)"
    assert _title(lgsco.charts.remedies(data, "dunmore test county council").figure).startswith(f"{DUNMORE}: 8%")


def test_one_call_charts_say_what_is_wrong_with_their_input():
    data = hand_built.dataset()
    with pytest.raises(InvalidInput, match="not DataFrame"):
        lgsco.charts.uphold_trend(pd.DataFrame(), ASHBY)
    with pytest.raises(InvalidInput, match="Ashby Test District Council"):
        lgsco.charts.uphold_trend(data, "Ashbee Test District Council")
    with pytest.raises(InvalidInput, match=r"has no readable letter for 2021: its years are 2018, 2019$"):
        lgsco.charts.uphold_trend(data, ASHBY, year=2021)
    with pytest.raises(NothingToDraw):  # two counties are too few for a funnel plot
        lgsco.charts.funnel(data, DUNMORE)

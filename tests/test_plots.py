"""Every chart renders on the hand-built data, returns real alt text, and closes cleanly (no PDF is parsed)."""

from __future__ import annotations

import re

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from lgsco_analysis.analysis.measures import harmonise, with_groups
from lgsco_analysis.analysis.stats import uphold_funnel_classes
from lgsco_analysis.analysis.views import uphold_counts
from lgsco_analysis.charts import plots
from lgsco_analysis.errors import NothingToDraw

from . import hand_built
from .hand_built import ASHBY, DISTRICTS, DUNMORE


@pytest.fixture
def analysed():
    """The hand-built dataset (tests/hand_built.py): three district councils, enough for a funnel plot,
    and a county council in formats C and D."""
    data = hand_built.dataset()
    return data, with_groups(harmonise(data), data.groups), data.groups


def charts(analysed):
    data, measures, _ = analysed
    group_rows = measures[measures["group"] == DISTRICTS]
    classes = uphold_funnel_classes(measures)
    totals = data.letters.dropna(subset=["received_total"]).rename(columns={"received_total": "count"})
    return {
        "received_by_category": lambda: plots.received_by_category(data.received, "Hand-built letters"),
        "received_over_time": lambda: plots.received_over_time(totals),
        "decisions_by_type": lambda: plots.decisions_by_type(data.decisions[data.decisions["year_ending"] == 2018]),
        "uphold_rate_trend": lambda: plots.uphold_rate_trend(
            uphold_counts(measures, [ASHBY]), uphold_counts(group_rows), ASHBY, DISTRICTS
        ),
        "uphold_funnel": lambda: plots.uphold_funnel(classes, DISTRICTS, 2019, highlight=ASHBY),
        "remedy_outcomes": lambda: plots.remedy_outcomes(data.statistics, data.remedies, DUNMORE),
        "compliance": lambda: plots.compliance(data.statistics, DUNMORE),
        "compliance_all": lambda: plots.compliance(data.statistics),
    }


@pytest.mark.parametrize(
    "name",
    [
        "received_by_category",
        "received_over_time",
        "decisions_by_type",
        "uphold_rate_trend",
        "uphold_funnel",
        "remedy_outcomes",
        "compliance",
        "compliance_all",
    ],
)
def test_chart_renders_with_alt_text_and_closes(analysed, name, tmp_path):
    before = len(plt.get_fignums())
    figure, alt, _ = charts(analysed)[name]()
    assert len(plt.get_fignums()) == before  # nothing left open in pyplot
    figure.savefig(tmp_path / f"{name}.png")
    assert (tmp_path / f"{name}.png").stat().st_size > 5000
    assert len(alt) > 60 and any(ch.isdigit() for ch in alt) and alt.endswith(".")
    assert figure.axes[0].get_xlabel() or figure.axes[0].get_ylabel()
    assert figure.get_suptitle()


def test_funnel_needs_three_authorities(analysed):
    classes = uphold_funnel_classes(analysed[1])
    two = classes[classes["authority"] != ASHBY]
    with pytest.raises(NothingToDraw, match="at least 3 authorities"):
        plots.uphold_funnel(two, DISTRICTS, 2019)


def test_decision_shares_do_not_count_upheld_twice():
    import pandas as pd

    format_d = pd.DataFrame(
        {
            "decision": ["not_for_us", "assessed_and_closed", "investigated", "upheld"],
            "count": [602, 329, 150, 124],
        }
    )
    figure, alt, _ = plots.decisions_by_type(format_d, "One council")
    assert "1,081 in all" in alt  # not for us + assessed and closed + investigated
    assert figure.get_suptitle() == "Share of decisions upheld: 11% (124 of 1,081)"


@pytest.mark.parametrize("name", ["Tom $5 and Jerry $6 Council", "$x^$ Borough Council"])
def test_names_with_dollar_signs_are_drawn_as_printed(analysed, name):
    from lgsco_analysis.charts.display import chart_png

    measures = analysed[1]
    renamed = measures.assign(authority=measures["authority"].replace({ASHBY: name}))
    group_rows = renamed[renamed["group"] == DISTRICTS]
    figure, alt, _ = plots.uphold_rate_trend(uphold_counts(renamed, [name]), uphold_counts(group_rows), name, DISTRICTS)
    assert chart_png(figure).startswith(b"\x89PNG")  # "$x^$" as mathematics cannot be drawn at all
    title = figure.get_suptitle()
    assert title.startswith(name) and name in alt
    drawn = [text for text in figure.findobj(matplotlib.text.Text) if name in text.get_text()]
    assert drawn and all(not text._preprocess_math(text.get_text())[1] for text in drawn)  # laid out as text


def _break_lines(figure) -> int:
    """Dashed vertical lines drawn on the figure's axes: the breaks in the series."""
    return sum(
        1
        for axes in figure.axes
        for line in axes.get_lines()
        if line.get_linestyle() == "--" and len(set(line.get_xdata())) == 1
    )


@pytest.mark.parametrize("name", ["received_over_time", "uphold_rate_trend", "remedy_outcomes", "compliance"])
def test_alt_text_names_exactly_the_breaks_drawn(analysed, name):
    figure, alt, _ = charts(analysed)[name]()
    assert _break_lines(figure) == len(re.findall(r"before 20\d\d", alt)), alt


def test_a_chart_that_draws_no_break_says_none():
    early = pd.DataFrame({"year_ending": [2017, 2018, 2019], "count": [120, 130, 125]})
    figure, alt, _ = plots.received_over_time(early)
    assert _break_lines(figure) == 0 and "Dashed" not in alt
    later = pd.DataFrame({"year_ending": [2019, 2020, 2021, 2022, 2023], "count": [120, 130, 60, 110, 140]})
    figure, alt, _ = plots.received_over_time(later)
    assert _break_lines(figure) == 2
    assert alt.endswith(
        "Dashed lines mark breaks in the series: before 2021, covid pause; "
        "before 2023, fewer borderline cases investigated."
    )


def test_upheld_per_100k_is_drawn_as_printed_against_its_average():
    statistics = pd.DataFrame(
        {
            "authority": ["Kent County Council"] * 3,
            "year_ending": [2023, 2025, 2025],
            "measure": ["upheld_per_100k", "upheld_per_100k", "uphold_rate"],
            "value": [3.4, 3.9, 83.0],  # Kent's 2023 and 2025 letters (letter-formats.md)
            "similar_average": [3.4, 4.1, 89.0],
            "base": [pd.NA, pd.NA, 76],
        }
    )
    figure, alt, table = plots.upheld_per_100k(statistics, "Kent County Council")
    assert (
        figure.get_suptitle().replace("\n", " ")
        == "Kent County Council: 3.9 upheld decisions per 100,000 residents in 2025 (average 4.1)"
    )
    assert alt.startswith(
        "Line chart of Kent County Council's upheld decisions per 100,000 residents by year: "
        "2023 3.4 against an average of 3.4; 2025 3.9 against an average of 4.1."
    )
    assert table.values.tolist() == [[2023, 3.4, 3.4], [2025, 3.9, 4.1]]
    assert [t.get_text() for t in figure.axes[0].texts if t.get_text()[0].isdigit()] == ["3.4", "3.9"]
    with pytest.raises(NothingToDraw):
        plots.upheld_per_100k(statistics, "Medway Council")


def test_a_year_with_no_neighbour_draws_its_interval_as_a_bar():
    council = pd.DataFrame({"year_ending": [2014, 2016, 2017], "upheld": [1, 2, 3], "investigated": [6, 5, 5]})
    figure, _, _ = plots.uphold_rate_trend(council, council, "X", "G")
    bars = [p for p in figure.axes[0].patches if p.get_alpha() == 0.18]
    assert len(bars) == 1  # 2014 alone; 2016 and 2017 are a band
    # Wilson 95% for 1 of 6, by hand: centre (1/6 + 1.96²/12) / (1 + 1.96²/6) = 0.2968, half-width 0.2667
    assert bars[0].get_x() + bars[0].get_width() / 2 == pytest.approx(2014)
    assert (bars[0].get_y(), bars[0].get_height()) == pytest.approx((3.01, 53.33), abs=0.05)
    plt.close(figure)


@pytest.mark.parametrize(
    "name", ["received_by_category", "uphold_rate_trend", "uphold_funnel", "remedy_outcomes", "compliance_all"]
)
def test_a_chart_is_drawn_the_same_as_by_matplotlib_s_own_svg_canvas(analysed, name):
    """charts.canvas keeps what each text measures and re-implements matplotlib's print_svg to use it: what it draws
    must be what matplotlib's SVG canvas draws, byte for byte, the first time a text is measured and the next."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    from lgsco_analysis.charts.canvas import ChartCanvas
    from lgsco_analysis.charts.display import chart_svg

    make = charts(analysed)[name]
    theirs = make()
    FigureCanvasSVG(theirs.figure)
    expected = chart_svg(theirs.figure, theirs.alt)
    for _ in range(2):  # measured afresh, then from what was kept
        ours = make()
        assert isinstance(ours.figure.canvas, ChartCanvas)
        assert chart_svg(ours.figure, ours.alt) == expected
    assert ours.figure.get_layout_engine() is None  # laid out once: saving it again draws it as it is

"""Measures, views and chart texts pinned on the hand-built dataset (tests/hand_built.py).

Every expected value here was worked out by hand from the figures in hand_built.py, not
taken from the code's output; none needs ``../shared``, a PDF or a worker.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from lgsco_analysis.analysis import councils, views
from lgsco_analysis.analysis.measures import harmonise
from lgsco_analysis.analysis.stats import uphold_funnel_classes
from lgsco_analysis.charts import display, plots
from lgsco_analysis.dataset.tables import letters_to_dataset
from lgsco_analysis.read.record import Letter
from lgsco_analysis.rules.dictionary import table_fields

from . import hand_built
from .hand_built import ASHBY, BEXTON, COUNTIES, CRAY, DISTRICTS, DUNMORE

NO_CAVEAT = ""
FORMAT_D_CAVEAT = (
    "2025 (year ending March 2025): the letter format changed from C to D (complaints dealt with): "
    "some figures are derived differently."
)


@pytest.fixture
def analysis():  # made afresh for each test (50 ms), so that mutation testing sees which test used what
    return views.analyse(hand_built.dataset())


def _measure(measures: pd.DataFrame, source: str, measure: str) -> tuple[float, bool]:
    row = measures[(measures["source"] == source) & (measures["measure"] == measure)]
    assert len(row) == 1, (source, measure)
    return float(row["value"].iloc[0]), bool(row["derived"].iloc[0])


@pytest.mark.parametrize(
    ("source", "measure", "value", "derived"),
    [
        ("ashby-2018.pdf", "received_total", 38, False),
        ("ashby-2018.pdf", "decided_total", 25, False),
        ("ashby-2018.pdf", "investigated", 6 + 4, True),
        ("ashby-2018.pdf", "upheld", 4, False),
        ("ashby-2018.pdf", "uphold_rate", 40, True),
        ("ashby-2018.pdf", "not_for_us", 1 + 2 + 4, True),
        ("ashby-2018.pdf", "assessed_and_closed", 8, True),
        ("cray-2019.pdf", "uphold_rate", 100, True),
        ("dunmore-2024.pdf", "investigated", 20, False),
        ("dunmore-2024.pdf", "uphold_rate", 70, False),
        ("dunmore-2025.pdf", "not_for_us", 42, False),
        ("dunmore-2025.pdf", "assessed_and_closed", 20, False),
        ("dunmore-2025.pdf", "investigated", 33, False),
        ("dunmore-2025.pdf", "decided_total", 95, False),
        ("dunmore-2025.pdf", "uphold_rate", 79, False),
    ],
)
def test_harmonised_measures(source, measure, value, derived):
    assert _measure(harmonise(hand_built.dataset()), source, measure) == (value, derived)


def test_harmonise_leaves_out_unreadable_letters_and_unprinted_measures():
    measures = harmonise(hand_built.dataset())
    assert "broken.pdf" not in set(measures["source"])
    dunmore_2024 = set(measures.loc[measures["source"] == "dunmore-2024.pdf", "measure"])
    assert dunmore_2024 == {"investigated", "upheld", "uphold_rate"}  # format C prints no totals
    assert len(measures) == 6 * 7 + 3 + 6


def test_national_change_by_hand(analysis):
    table = views.national_change(analysis, 2019)
    assert table.values.tolist() == [
        ["Complaints and enquiries received", "88", "75", "-13 (-15%)", 3, NO_CAVEAT],
        ["Decisions made / complaints dealt with", "61", "62", "+1 (+2%)", 3, NO_CAVEAT],
        ["Detailed investigations", "32", "32", "+0 (+0%)", 3, NO_CAVEAT],
        ["Complaints upheld", "10", "15", "+5 (+50%)", 3, NO_CAVEAT],
        ["Uphold rate (pooled)", "31% (10 of 32)", "47% (15 of 32)", "+16 points", 3, NO_CAVEAT],
    ]
    assert list(table.columns) == ["Figure", "2018", "2019", "Change", "Authorities in both years", "Caveat"]


def test_national_change_across_a_format_change(analysis):
    table = views.national_change(analysis, 2025)
    assert table.values.tolist() == [
        ["Detailed investigations", "20", "33", "+13 (+65%)", 1, FORMAT_D_CAVEAT],
        ["Complaints upheld", "14", "26", "+12 (+86%)", 1, FORMAT_D_CAVEAT],
        ["Uphold rate (pooled)", "70% (14 of 20)", "79% (26 of 33)", "+9 points", 1, FORMAT_D_CAVEAT],
    ]
    assert views.national_change(analysis, 2018).empty  # no letters for 2017


def test_uphold_counts_and_group_rates(analysis):
    counts = views.uphold_counts(analysis.measures, [ASHBY, CRAY])
    assert counts.values.tolist() == [
        [ASHBY, 2018, 4, 10],
        [ASHBY, 2019, 5, 10],
        [CRAY, 2018, 1, 2],
        [CRAY, 2019, 2, 2],
    ]
    funnel = analysis.funnel.set_index(["authority", "year_ending"])
    assert funnel.loc[(BEXTON, 2019), "group_rate"] == pytest.approx(15 / 32)
    assert funnel.loc[(DUNMORE, 2025), "group_rate"] == pytest.approx(26 / 33)
    by_group = views.uphold_by_group(analysis, 2019)
    assert by_group.values.tolist() == [[DISTRICTS, 3, 15, 32, 46.9, 0]]


def test_authority_figures(analysis):
    table = views.authority_figures(analysis, DUNMORE).astype(object).where(lambda f: f.notna(), None)
    assert table.values.tolist() == [
        [2024, "C", None, 20, 14, 70.0, 100.0, 7.0, None, "dunmore-2024.pdf", "ok"],
        [2025, "D", None, 33, 26, 78.8, 90.0, 8.0, None, "dunmore-2025.pdf", "warning"],  # 26/33, not 79
    ]
    remedied = views.authority_figures(analysis, ASHBY)[views.REMEDIED_COLUMN]
    assert remedied.tolist() == ["3 / 1", "4 / 1"]  # as the letters print them (hand_built)
    with pytest.raises(ValueError, match="no letters"):
        views.authority_figures(analysis, "Nowhere Council")


def test_remedies_by_year(analysis):
    table = views.remedies_by_year(analysis.data).astype(object).where(lambda f: f.notna(), None)
    assert table.values.tolist() == [
        [2018, 3 + 5 + 1, 1 + 0 + 0, None, None],
        [2019, 4 + 6 + 1, 1 + 2 + 1, None, None],
        [2024, None, None, 1, 7.0],
        [2025, None, None, 1, 8.0],
    ]


def test_coverage_and_problems(analysis):
    letters = analysis.data.letters
    coverage = views.coverage(letters)
    assert coverage.values.tolist() == [
        [ASHBY, "ok", "ok", "", ""],
        [BEXTON, "ok", "ok", "", ""],
        [CRAY, "ok", "ok", "", ""],
        [DUNMORE, "", "", "ok", "warning"],
    ]
    problems = views.letters_with_problems(letters)
    assert problems[["Letter", "Status"]].values.tolist() == [["broken.pdf", "error"], ["dunmore-2025.pdf", "warning"]]
    assert problems["Problems"].iloc[1] == "the printed total is smudged; a second problem"


def test_received_totals_only_from_format_a(analysis):
    totals = views.received_totals(analysis.data.letters)
    assert sorted(totals["count"].astype(int)) == sorted([38, 27, 40, 36, 10, 12])


def _title(figure) -> str:
    return figure._suptitle.get_text().replace("\n", " ")


def test_uphold_rate_trend_texts(analysis):
    council = views.uphold_counts(analysis.measures, [ASHBY])
    group = views.uphold_counts(analysis.measures, [ASHBY, BEXTON, CRAY])
    figure, alt, _ = plots.uphold_rate_trend(council, group, ASHBY, DISTRICTS)
    assert _title(figure) == f"{ASHBY}: uphold rate 50% in 2019 (5 of 10 investigations; {DISTRICTS} 47%)"
    assert alt == (
        f"Line chart of {ASHBY}'s uphold rate by year with a 95% Wilson interval band, against the pooled rate "
        f"of {DISTRICTS}: 2018 40% (4 of 10); 2019 50% (5 of 10)."
    )


def test_received_by_category_texts(analysis):
    received = analysis.data.received
    figure, alt, _ = plots.received_by_category(received, "Ashby 2018")
    assert _title(figure) == "Housing drew the most complaints: 10 of 38"
    assert alt == (
        "Horizontal bar chart of 38 complaints and enquiries received (Ashby 2018) by category. Housing 10 (26%); "
        "Other 7 (18%); Environment 6 (16%); Benefits and tax 5 (13%); Planning and development 4 (11%); "
        "Highways and transport 3 (8%); Corporate and other 2 (5%); Adult care 1 (3%); Education and children's 0 (0%)."
    )


def test_received_over_time_texts(analysis):
    figure, alt, _ = plots.received_over_time(views.received_totals(analysis.data.letters), ASHBY.split()[0])
    assert _title(figure) == "Ashby: complaints peaked in 2018 at 88"
    assert alt == "Bar chart of complaints received per year for Ashby: 2018 88, 2019 75."


def test_decisions_by_type_texts(analysis):
    decisions = analysis.data.decisions
    figure, alt, _ = plots.decisions_by_type(decisions[decisions["source"] == "ashby-2018.pdf"], "Ashby 2018")
    assert _title(figure) == "Share of decisions upheld: 16% (4 of 25)"
    assert alt == (
        "Horizontal bar chart of decisions by outcome (Ashby 2018), 25 in all: Incomplete or invalid 1; "
        "Advice given 2; Referred back for local resolution 4; Closed after initial enquiries 8; Not upheld 6; "
        "Upheld 4."
    )
    figure, alt, _ = plots.decisions_by_type(decisions[decisions["source"] == "dunmore-2025.pdf"], "Dunmore 2025")
    assert _title(figure) == "Share of decisions upheld: 27% (26 of 95)"  # upheld is a part of investigated
    assert alt.endswith("95 in all: Not for us 42; Assessed and closed 20; Investigated 33; Upheld 26.")


def test_uphold_funnel_texts(analysis):
    figure, alt, _ = plots.uphold_funnel(analysis.funnel, DISTRICTS, 2019, highlight=CRAY)
    assert _title(figure) == f"{DISTRICTS} 2019: all 3 authorities within the 99.8% limits"
    assert alt == (
        f"Funnel plot of uphold rates for 3 {DISTRICTS} in 2019 against a pooled rate of 47%, with 95% and 99.8% "
        f"limits. 0 authorities lie above and 0 below the 99.8% limits. {CRAY} is highlighted."
    )
    with pytest.raises(ValueError, match="at least 3"):
        plots.uphold_funnel(analysis.funnel, COUNTIES, 2025)


def test_remedy_outcomes_texts(analysis):
    data = analysis.data
    figure, alt, _ = plots.remedy_outcomes(data.statistics, data.remedies, DUNMORE)
    assert _title(figure) == f"{DUNMORE}: 8% of upheld cases already remedied in 2025 (average 13%)"
    assert alt == (
        f"Chart of remedy outcomes for {DUNMORE} by year. 2024: 7% satisfactory remedy rate against an average of "
        "12%. 2025: 8% satisfactory remedy rate against an average of 13%."
    )
    figure, alt, _ = plots.remedy_outcomes(data.statistics, data.remedies, ASHBY)
    assert _title(figure) == f"{ASHBY} put 2 upheld complaints right before the Ombudsman stepped in"
    assert alt == (
        f"Chart of remedy outcomes for {ASHBY} by year. 2018: 3 remedied by the Ombudsman, 1 by the council. "
        "2019: 4 remedied by the Ombudsman, 1 by the council."
    )


def test_remedy_counts_and_rates_in_one_chart_list_the_bars_then_the_rates_in_the_legend(analysis):
    data = analysis.data
    rates = data.statistics[data.statistics["authority"] == DUNMORE].assign(authority=ASHBY)
    figure, _, _ = plots.remedy_outcomes(rates, data.remedies, ASHBY)
    assert len(figure.axes) == 2  # counts on the left, rates on the right
    assert [text.get_text() for text in figure.legends[0].get_texts()] == [
        "remedied by the Ombudsman",
        "remedied by the council before the Ombudsman",
        "similar authorities' average",
        "satisfactory remedy rate",
    ]


def test_compliance_texts(analysis):
    statistics = analysis.data.statistics
    figure, alt, _ = plots.compliance(statistics, DUNMORE)
    assert _title(figure) == f"{DUNMORE}: lowest compliance 90% in 2025"
    assert alt == (
        f"Line chart of {DUNMORE}'s compliance with recommendations by year: 2024 100% of 5 outcomes; "
        "2025 90% of 10 outcomes."
    )
    figure, alt, _ = plots.compliance(statistics)
    assert _title(figure) == "1 of 1 authorities fell short of full compliance in 2025"
    assert alt == (
        "Bar chart of authorities with a compliance rate, and how many were below 100%, by year: "
        "2024 0 of 1; 2025 1 of 1."
    )


def _bars(figure, horizontal: bool) -> list[float]:
    """The length of every bar drawn: its width when horizontal, its height when upright."""
    return [
        round(patch.get_width() if horizontal else patch.get_height(), 6)
        for axes in figure.axes
        for patch in axes.patches
    ]


def _marked_points(figure) -> list[float]:
    """The y value of every point drawn with a marker, on any axes."""
    return [
        round(float(y), 6)
        for axes in figure.axes
        for line in axes.get_lines()
        if line.get_marker() not in (None, "None", "")
        for y in line.get_ydata()
    ]


def _numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", text)]


def test_bar_charts_say_the_bars_they_drew(analysis):
    data = analysis.data
    drawn = {
        "by category": (plots.received_by_category(data.received, "Ashby 2018"), True),
        "over time": (plots.received_over_time(views.received_totals(data.letters)), False),
        "decisions": (plots.decisions_by_type(data.decisions[data.decisions["source"] == "ashby-2018.pdf"], "A"), True),
    }
    for name, ((figure, alt, _), horizontal) in drawn.items():
        bars = _bars(figure, horizontal)
        assert bars and all(bar in _numbers(alt) for bar in bars), (name, bars, alt)
    figure, alt, _ = plots.compliance(data.statistics)
    assert sorted(_bars(figure, horizontal=False)) == [
        0,
        1,
        1,
        1,
    ]  # behind: authorities per year; in front: those short of 100%
    assert "2024 0 of 1; 2025 1 of 1" in alt


def test_line_charts_say_the_points_they_drew(analysis):
    data = analysis.data
    council = views.uphold_counts(analysis.measures, [ASHBY])
    group = views.uphold_counts(analysis.measures, [ASHBY, BEXTON, CRAY])
    figure, alt, _ = plots.uphold_rate_trend(council, group, ASHBY, DISTRICTS)
    own = [round(100 * u / i, 6) for u, i in zip(council["upheld"], council["investigated"], strict=True)]
    assert set(own) <= set(_marked_points(figure)) and own == [40, 50]
    assert all(f"{rate:.0f}%" in alt for rate in own)
    figure, alt, _ = plots.compliance(data.statistics, DUNMORE)
    own = [p for p in _marked_points(figure) if p not in (99,)]  # 99: the similar authorities' average
    assert own == [100, 90] and all(f"{p:.0f}%" in alt for p in own)
    figure, alt, _ = plots.remedy_outcomes(data.statistics, data.remedies, DUNMORE)
    assert sorted(_marked_points(figure)) == [7, 8, 12, 13]
    assert all(f"{p}%" in alt for p in (7, 8, 12, 13))


def test_the_funnel_says_how_many_dots_it_drew(analysis):
    figure, alt, _ = plots.uphold_funnel(analysis.funnel, DISTRICTS, 2019)
    dots = sum(len(collection.get_offsets()) for collection in figure.axes[0].collections)
    assert dots == 3 and alt.startswith(f"Funnel plot of uphold rates for {dots} ")


def test_the_trend_headline_is_about_the_focus_year(analysis):
    council = views.uphold_counts(analysis.measures, [ASHBY])
    group = views.uphold_counts(analysis.measures, [ASHBY, BEXTON, CRAY])
    figure, _, _ = plots.uphold_rate_trend(council, group, ASHBY, DISTRICTS, year=2018)
    assert (
        _title(figure) == f"{ASHBY}: uphold rate 40% in 2018 (4 of 10 investigations; {DISTRICTS} 31%)"
    )  # 4 of 10; 10 of 32 pooled
    figure, _, _ = plots.uphold_rate_trend(council, group, ASHBY, DISTRICTS, year=2025)
    assert _title(figure) == f"{ASHBY}: no investigations recorded for 2025"


def test_a_focus_year_whose_letter_prints_no_such_figure_is_said(analysis):
    data = analysis.data
    figure, _, _ = plots.remedy_outcomes(data.statistics, data.remedies, ASHBY, year=2025)
    assert _title(figure).endswith("; the 2025 letter prints no remedy figures")
    figure, _, _ = plots.compliance(data.statistics, DUNMORE, year=2025)  # drawn: no rider
    assert _title(figure) == f"{DUNMORE}: lowest compliance 90% in 2025"
    figure, _, _ = plots.compliance(data.statistics, year=2026)
    assert _title(figure).endswith("; the 2026 letter prints no compliance")


def test_no_title_runs_off_its_chart(analysis):
    data = analysis.data
    long_name = "The Royal Borough of Somewhere-upon-a-Very-Long-River and the Adjoining Marshes"
    renamed = data.statistics.assign(authority=data.statistics["authority"].replace({DUNMORE: long_name}))
    for figure, _, _ in [
        plots.remedy_outcomes(renamed, data.remedies, long_name, year=2030),
        plots.compliance(renamed, long_name, year=2030),
        plots.received_by_category(data.received, long_name),
    ]:
        renderer = _drawn(figure)
        for text in (figure._suptitle, figure.axes[0].title):
            box = text.get_window_extent(renderer)
            assert box.x0 >= 0 and box.x1 <= figure.bbox.x1, text.get_text()


def _drawn(figure):
    """The renderer the figure was just drawn with (as a PNG), each text where it was drawn."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas.get_renderer()


def test_the_figures_behind_each_chart_are_its_numbers(analysis):
    data = analysis.data
    _, _, table = plots.received_by_category(data.received, "Ashby 2018")
    assert table.values.tolist()[:2] == [["Housing", 10, 26.3], ["Other", 7, 18.4]]  # 10 and 7 of 38
    council = views.uphold_counts(analysis.measures, [ASHBY])
    group = views.uphold_counts(analysis.measures, [ASHBY, BEXTON, CRAY])
    _, _, table = plots.uphold_rate_trend(council, group, ASHBY, DISTRICTS)
    assert table[["Year ending March", "Upheld", "Investigated", "Uphold rate (%)"]].values.tolist() == [
        [2018, 4, 10, 40.0],
        [2019, 5, 10, 50.0],
    ]
    assert table[f"{DISTRICTS} pooled rate (%)"].tolist() == [31.2, 46.9]  # 10 of 32, 15 of 32
    _, _, table = plots.uphold_funnel(analysis.funnel, DISTRICTS, 2019)
    assert table[["Authority", "Upheld", "Investigated", "Uphold rate (%)"]].values.tolist() == [
        [CRAY, 2, 2, 100.0],
        [ASHBY, 5, 10, 50.0],
        [BEXTON, 8, 20, 40.0],
    ]


def test_funnel_outliers_and_largest_changes(analysis):
    assert views.funnel_outliers(analysis, 2019).empty  # all three districts within the limits
    changes = views.largest_changes(analysis, 2019, min_investigated=10)
    assert changes.values.tolist() == [
        [BEXTON, DISTRICTS, "5 of 20", "8 of 20", 25.0, 40.0, "+15.0"],
        [ASHBY, DISTRICTS, "4 of 10", "5 of 10", 40.0, 50.0, "+10.0"],
    ]
    assert views.largest_changes(analysis, 2019, count=1)["Authority"].tolist() == [BEXTON]
    assert views.largest_changes(analysis, 2019, min_investigated=11)["Authority"].tolist() == [BEXTON]


def test_coverage_by_year(analysis):
    table = views.coverage_by_year(analysis.data.letters)
    assert table.values.tolist() == [
        [2018, 3, 0, 0, 1],
        [2019, 3, 0, 0, 1],
        [2024, 1, 0, 0, 3],
        [2025, 0, 1, 0, 3],
    ]


def _district_classes(rows, group_rate: float, funnel_class) -> pd.DataFrame:
    """``stats.uphold_funnel_classes`` rows for districts in 2024: (authority, upheld, investigated) each."""
    authority, upheld, investigated = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "authority": authority,
            "year_ending": 2024,
            "group": DISTRICTS,
            "upheld": upheld,
            "investigated": investigated,
            "group_rate": group_rate,
            "funnel_class": funnel_class,
        }
    )


def test_a_funnel_draws_every_authority_even_with_the_same_figures():
    rows = [(f"Same {n}", 1, 2) for n in range(5)] + [("Big", 60, 100), ("Small", 1, 3), ("Other", 2, 3)]
    classes = _district_classes(rows, 66 / 115, "within")
    figure, alt, table = plots.uphold_funnel(classes, DISTRICTS, 2024)
    dots = figure.axes[0].collections[0]
    sizes = sorted(dots.get_sizes())
    assert len(dots.get_offsets()) == 4 and sizes == [28, 28, 28, 5 * 28]  # five share one dot, five times the area
    assert "1 larger dots are authorities with the same figures" in _subtitle(figure)
    assert len(table) == 8 and alt.startswith(f"Funnel plot of uphold rates for 8 {DISTRICTS}")


def test_funnel_outlier_names_do_not_overlap():
    rows = [(f"Council number {n:02d} with a long name", 95 - n % 3, 100) for n in range(8)]
    rows += [(f"Low council {n}", n % 2, 100) for n in range(6)] + [("Middle", 50, 100)]  # at the foot of the axes
    classes = _district_classes(rows, 0.5, ["above 99.8%"] * 8 + ["below 99.8%"] * 6 + ["within"])
    figure, _, _ = plots.uphold_funnel(classes, DISTRICTS, 2024)
    renderer = _drawn(figure)
    labels = [text for text in figure.axes[0].texts if text.get_text().startswith(("Council", "Low"))]
    assert len(labels) == 12  # the twelve furthest out are named, and the subtitle says so
    assert "the 12 furthest out of 14 outside the 99.8% limits are named" in _subtitle(figure)
    boxes = [Text.get_window_extent(label, renderer) for label in labels]  # the words, not their leader lines
    for i, one in enumerate(boxes):
        for other in boxes[i + 1 :]:
            assert not one.overlaps(other)
    plot_area = figure.axes[0].get_window_extent(renderer)
    assert all(box.y0 >= plot_area.y0 and box.y1 <= plot_area.y1 for box in boxes)  # none over the axis labels


def _subtitle(figure) -> str:
    return figure.axes[0].get_title(loc="left").replace("\n", " ")


def test_every_view_names_its_columns_as_the_reports_print_them(analysis):
    data = analysis.data
    expected = {
        "uphold_by_group": (
            views.uphold_by_group(analysis, 2019),
            ["group", "authorities", "upheld", "investigated", "uphold_rate", "outside_998"],
        ),
        "authority_figures": (
            views.authority_figures(analysis, ASHBY),
            [
                "Year ending March",
                "Format",
                "Received",
                "Investigated",
                "Upheld",
                "Uphold rate (%)",
                "Compliance (%)",
                "Satisfactory remedy rate (%)",
                "Remedied: by the Ombudsman / by the council first",
                "Letter",
                "Status",
            ],
        ),
        "remedies_by_year": (
            views.remedies_by_year(data),
            [
                "Year ending March",
                "Remedied by the Ombudsman",
                "Remedied by the council first",
                "Authorities with a satisfactory remedy rate",
                "Median satisfactory remedy rate (%)",
            ],
        ),
        "coverage": (views.coverage(data.letters), ["Authority", "2018", "2019", "2024", "2025"]),
        "coverage_by_year": (
            views.coverage_by_year(data.letters),
            ["Year ending March", "Letters ok", "With a warning", "Unreadable", "Authorities without a letter"],
        ),
        "letters_with_problems": (
            views.letters_with_problems(data.letters),
            ["Letter", "Authority", "Year ending March", "Status", "Problems"],
        ),
        "largest_changes": (
            views.largest_changes(analysis, 2019),
            [
                "Authority",
                "Comparison group",
                "2018: upheld of investigated",
                "2019: upheld of investigated",
                "Rate 2018 (%)",
                "Rate 2019 (%)",
                "Change (points)",
            ],
        ),
        "funnel_outliers": (
            views.funnel_outliers(analysis, 2019),
            [
                "Authority",
                "Comparison group",
                "Upheld",
                "Investigated",
                "Uphold rate (%)",
                "Group's pooled rate (%)",
                "Against the funnel",
            ],
        ),
        "received_totals": (views.received_totals(data.letters), ["authority", "year_ending", "count"]),
        "checks_performed": (views.checks_performed(), ["check", "what"]),
    }
    for name, (table, columns) in expected.items():
        assert list(table.columns) == columns, name


def test_the_worst_status_of_an_authority_year_shows_and_problems_come_errors_first():
    letters = [
        Letter("b-ok.pdf", "1" * 64, authority="B", year_ending=2020, status="ok"),
        Letter("b-error.pdf", "2" * 64, authority="B", year_ending=2020, status="error", problems=["x"]),
        Letter("a-warning.pdf", "3" * 64, authority="A", year_ending=2020, status="warning", problems=["y"]),
        Letter("a-ok.pdf", "4" * 64, authority="A", year_ending=2020, status="ok"),
        Letter("c-warning.pdf", "5" * 64, authority="C", year_ending=2021, status="warning", problems=["z"]),
        Letter("a-error.pdf", "6" * 64, authority="A", year_ending=2021, status="error", problems=["w"]),
    ]
    table = letters_to_dataset(letters).letters
    assert views.coverage(table).values.tolist() == [
        ["A", "warning", "error"],
        ["B", "error", ""],
        ["C", "", "warning"],
    ]
    problems = views.letters_with_problems(table)
    assert problems["Letter"].tolist() == ["a-error.pdf", "b-error.pdf", "a-warning.pdf", "c-warning.pdf"]
    assert views.coverage_by_year(table).values.tolist() == [[2020, 2, 1, 1, 1], [2021, 0, 1, 1, 1]]
    assert views.sample_letter_count(table) == 0
    assert views.sample_letter_count(table.assign(sample=[True, False, True, False, False, True])) == 3
    assert views.readable_letters(table)["source"].tolist() == [
        "b-ok.pdf",
        "a-warning.pdf",
        "a-ok.pdf",
        "c-warning.pdf",
    ]


def test_the_analysis_knows_groups_years_and_authorities(analysis):
    assert analysis.group_of(ASHBY) == DISTRICTS and analysis.group_of(DUNMORE) == COUNTIES
    assert analysis.group_of("Nowhere Council") == "Unmatched"
    assert analysis.years == [2018, 2019, 2024, 2025]
    assert analysis.authorities == [ASHBY, BEXTON, CRAY, DUNMORE]
    checks = views.checks_performed()
    assert checks["check"].tolist()[0] == "found" and len(checks) == 8 and checks["what"].str.endswith(".").all()


def test_funnel_outliers_lists_those_outside_the_998_limits_highest_first_in_each_group(analysis):
    funnel = pd.DataFrame(
        [
            ("Low one", 2019, "B group", 1, 20, 0.5, "below 99.8%"),
            ("High one", 2019, "B group", 19, 20, 0.5, "above 99.8%"),
            ("Within", 2019, "B group", 10, 20, 0.5, "within"),
            ("Nearly", 2019, "B group", 16, 20, 0.5, "above 95%"),
            ("Other group", 2019, "A group", 30, 40, 0.25, "above 99.8%"),
            ("Other year", 2018, "A group", 39, 40, 0.25, "above 99.8%"),
        ],
        columns=["authority", "year_ending", "group", "upheld", "investigated", "group_rate", "funnel_class"],
    )
    shaped = views.Analysis(analysis.data, analysis.measures, analysis.groups, funnel)
    table = views.funnel_outliers(shaped, 2019).astype(object)
    assert table.values.tolist() == [
        ["Other group", "A group", 30, 40, 75.0, 25.0, "above 99.8%"],
        ["High one", "B group", 19, 20, 95.0, 50.0, "above 99.8%"],
        ["Low one", "B group", 1, 20, 5.0, 50.0, "below 99.8%"],
    ]
    by_group = views.uphold_by_group(shaped, 2019)
    assert by_group.values.tolist() == [["A group", 1, 30, 40, 75.0, 1], ["B group", 4, 46, 80, 57.5, 2]]
    empty = views.uphold_by_group(shaped, 2030)
    assert empty.empty and list(empty.columns) == list(by_group.columns)


def test_a_councils_figures_stay_with_their_own_letter_whatever_the_files_are_called():
    letters = [  # the later letter's file name sorts first
        Letter(
            "zeta.pdf",
            "1" * 64,
            authority="A",
            year_ending=2024,
            format="C",
            decisions={"upheld": 5, "investigated": 10},
            statistics={"compliance_rate": {"value": 90.0, "similar_average": None, "base": 10}},
        ),
        Letter(
            "alpha.pdf",
            "2" * 64,
            authority="A",
            year_ending=2025,
            format="D",
            decisions={"upheld": 1, "investigated": 4},
            statistics={"compliance_rate": {"value": 100.0, "similar_average": None, "base": 3}},
        ),
    ]
    table = views.authority_figures(_analysis_of(letters), "A")
    assert table[["Year ending March", "Investigated", "Upheld", "Uphold rate (%)", "Compliance (%)", "Letter"]].astype(
        object
    ).values.tolist() == [[2024, 10, 5, 50.0, 90.0, "zeta.pdf"], [2025, 4, 1, 25.0, 100.0, "alpha.pdf"]]


def test_a_year_with_no_investigations_has_no_uphold_rate_whatever_its_letter_printed():
    letters = [
        Letter(
            "none.pdf",
            "3" * 64,
            authority="A",
            year_ending=2024,
            format="C",
            decisions={"upheld": 0, "investigated": 0, "assessed_and_closed": 3},
            statistics={"uphold_rate": {"value": 0.0, "similar_average": 60.0, "base": 0}},
        ),
        Letter(
            "some.pdf",
            "4" * 64,
            authority="A",
            year_ending=2025,
            format="C",
            decisions={"upheld": 1, "investigated": 4},
        ),
        Letter("unknown.pdf", "5" * 64, authority="A", year_ending=2023, format="C", received_total=10),
    ]
    table = views.authority_figures(_analysis_of(letters), "A")
    assert table[["Investigated", "Uphold rate (%)"]].astype(object).values.tolist() == [
        [pd.NA, pd.NA],  # investigations not known: no rate, and not "no investigations"
        [0, "no investigations"],
        [4, 25.0],
    ]
    shown = display.table_html(table)
    assert "<td>no investigations</td>" in shown and "<td>25</td>" in shown
    years = councils.council_years(_analysis_of(letters))
    assert years[["investigated", "uphold_rate", "read_with"]].astype(object).values.tolist() == [
        [pd.NA, pd.NA, "Fewer borderline cases investigated"],  # 2023: a break in the series
        [0, pd.NA, "no investigations"],
        [4, 25.0, "format change"],  # 2025: the series breaks for format D
    ]


def test_council_years(analysis):
    """A row per letter naming its council and year, worked out by hand from FORMAT_A_LETTERS and Dunmore's letters:
    Ashby 2018 decided 1+2+4+8+6+4 = 25, investigated 6+4 = 10, upheld 4, 40%; the unreadable file has no row."""
    years = councils.council_years(analysis).astype(object).where(lambda f: f.notna(), None)
    assert years["source"].tolist() == [
        "ashby-2018.pdf", "ashby-2019.pdf", "bexton-2018.pdf", "bexton-2019.pdf", "cray-2018.pdf", "cray-2019.pdf",
        "dunmore-2024.pdf", "dunmore-2025.pdf",
    ]  # fmt: skip
    rows = years.set_index("source")
    assert rows.loc["ashby-2018.pdf"].tolist() == [
        ASHBY, DISTRICTS, 2018, "A", 38, 25, 10, 4, 40.0, None, None, None, 3, 1, "ok", "", "",
    ]  # fmt: skip
    assert rows.loc["cray-2019.pdf", ["decided_total", "investigated", "upheld", "uphold_rate"]].tolist() == [
        6, 2, 2, 100.0,
    ]  # fmt: skip
    assert rows.loc["dunmore-2025.pdf"].tolist() == [
        DUNMORE, COUNTIES, 2025, "D", None, 95, 33, 26, 100 * 26 / 33, 90.0, 8.0, None, None, None, "warning",
        "the printed total is smudged\na second problem", "format change",
    ]  # fmt: skip
    assert [field.column for field in table_fields("council_years")] == ["source", *rows.columns]


def test_measures_have_the_types_the_data_dictionary_gives(analysis):
    measures = harmonise(analysis.data)
    assert str(measures["value"].dtype) == "Float64" and measures["derived"].dtype == bool
    assert list(measures.index) == list(range(len(measures)))
    assert measures[["authority", "year_ending", "measure"]].equals(
        measures[["authority", "year_ending", "measure"]].sort_values(["authority", "year_ending", "measure"])
    )
    counts = views.remedies_by_year(analysis.data)
    assert [str(t) for t in counts.dtypes] == ["int64", "Int64", "Int64", "Int64", "Float64"]


def _analysis_of(letters: list[Letter], unmatched=()) -> views.Analysis:
    """The letters analysed, each authority a district except those ``unmatched``."""
    data = letters_to_dataset(letters)
    names = sorted({letter.authority for letter in letters if letter.authority} - set(unmatched))
    data.groups = pd.DataFrame({"authority": names, "ons_code": "", "group": DISTRICTS})
    return views.analyse(data)


def _small(rows, unmatched=()):
    """An analysis of format C letters: (authority, year, upheld, investigated[, status])."""
    letters = [
        Letter(
            f"{a}-{y}.pdf",
            f"{n:064x}",
            authority=a,
            year_ending=y,
            format="C",
            status=(r[0] if r else "ok"),
            decisions={"upheld": up, "investigated": inv},
            received_total=5,
        )
        for n, (a, y, up, inv, *r) in enumerate(rows)
    ]
    return _analysis_of(letters, unmatched)


def test_largest_changes_with_its_defaults():
    rows = [(f"C{n:02d}", 2022, 10, 20) for n in range(12)] + [(f"C{n:02d}", 2023, 10 + n, 20) for n in range(12)]
    rows += [("Ten", 2022, 0, 10), ("Ten", 2023, 10, 10), ("Half", 2022, 0, 5), ("Half", 2023, 9, 10)]
    analysis = _small(rows, unmatched=["Ten"])  # "Ten" has no comparison group
    table = views.largest_changes(analysis, 2023)
    assert len(table) == 10 and table["Authority"].tolist()[:3] == ["Ten", "C11", "C10"]
    assert table["Comparison group"].tolist()[0] == "Unmatched" and "Half" not in table["Authority"].tolist()
    assert table["Change (points)"].tolist()[:2] == ["+100.0", "+55.0"]


def test_national_figures_pair_authorities_and_name_the_caveat_of_those_two_years():
    analysis = _small([("A", 2021, 1, 2), ("A", 2022, 2, 4), ("Only then", 2021, 5, 5), ("Now only", 2022, 0, 9)])
    table = views.national_change(analysis, 2022).set_index("Figure")
    assert table.loc["Uphold rate (pooled)", "2021"] == "50% (1 of 2)"  # A alone: the others are in one year each
    assert table.loc["Uphold rate (pooled)", "Authorities in both years"] == 1
    assert table["Caveat"].eq("").all()  # nothing falls between 2021 and 2022 (Covid is 2021 itself)
    none_before = _small([("A", 2021, 0, 0), ("A", 2022, 2, 4)])
    assert "Uphold rate (pooled)" not in set(views.national_change(none_before, 2022)["Figure"])
    nothing = views.national_change(_small([("A", 2021, 0, 0), ("A", 2022, 0, 0)]), 2022)
    assert nothing["Change"].tolist() == ["+0 (+0%)", "n/a", "n/a"]  # received 5 and 5; nothing investigated


def test_views_of_letters_that_cannot_be_read_or_print_no_investigations():
    analysis = _small([("A", 2022, 1, 2), ("B", 2022, 1, 2, "error")])
    letters = analysis.data.letters.assign(format="A")
    assert views.received_totals(letters)["authority"].tolist() == ["A"]  # an unreadable letter gives no figures
    upheld_only = analysis.measures[analysis.measures["measure"] == "upheld"]
    empty = views.uphold_counts(upheld_only)
    assert empty.empty and list(empty.columns) == ["authority", "year_ending", "upheld", "investigated"]
    assert views.sample_letter_count(letters.drop(columns="sample")) == 0
    assert views.sample_letter_count(letters.assign(sample=pd.array([pd.NA, True], dtype="boolean"))) == 1


def test_analyse_needs_comparison_groups():
    data = hand_built.dataset()
    data.groups = None
    with pytest.raises(ValueError, match=r"^the dataset has no comparison groups: load it with lgsco_analysis.load$"):
        views.analyse(data)


def test_more_figures_by_hand(analysis):
    figures = views.authority_figures(analysis, ASHBY)
    assert figures["Received"].tolist() == [38, 27]
    checks = views.checks_performed()["check"].tolist()
    assert checks == [
        "found",
        "authority name",
        "expected tables",
        "received adds up",
        "decisions add up",
        "uphold rate",
        "rates in range",
        "printed figures",
    ]
    one_case = _small([("A", 2022, 1, 1), ("B", 2022, 0, 1)])
    rates = one_case.measures[one_case.measures["measure"] == "uphold_rate"]
    assert rates["value"].tolist() == [100.0, 0.0] and rates["derived"].all()


def test_the_worst_of_two_letters_for_one_year_shows_in_either_order():
    def one(order):
        letters = [
            Letter(f"{s}.pdf", f"{n:064x}", authority="A", year_ending=2020, status=s) for n, s in enumerate(order)
        ]
        return views.coverage(letters_to_dataset(letters).letters)["2020"].tolist()

    assert one(["warning", "error"]) == one(["error", "warning"]) == ["error"]
    assert one(["ok", "warning"]) == one(["warning", "ok"]) == ["warning"]


def test_a_median_remedy_rate_keeps_its_tenth():
    rates = pd.DataFrame(
        {
            "source": ["a.pdf", "b.pdf"],
            "authority": ["A", "B"],
            "year_ending": [2022, 2022],
            "measure": "satisfactory_remedy_rate",
            "value": [7.0, 7.5],
            "similar_average": None,
            "base": 10,
        }
    )
    data = hand_built.dataset()
    data.statistics = rates
    table = views.remedies_by_year(data)
    median = table.set_index("Year ending March")["Median satisfactory remedy rate (%)"]
    assert median[2022] == 7.2  # 7.25 to a tenth (half to even); the other years have remedy counts only


def test_a_letter_printed_twice_counts_once_as_first_read():
    measures = pd.DataFrame(
        [
            ("a1.pdf", "A", 2022, "upheld", 1.0),
            ("a1.pdf", "A", 2022, "investigated", 2.0),
            ("a2.pdf", "A", 2022, "upheld", 3.0),
            ("a2.pdf", "A", 2022, "investigated", 4.0),
        ],
        columns=["source", "authority", "year_ending", "measure", "value"],
    ).assign(group=DISTRICTS)
    assert views.uphold_counts(measures).values.tolist() == [["A", 2022, 1.0, 2.0]]
    assert uphold_funnel_classes(measures)[["upheld", "investigated"]].values.tolist() == [[1.0, 2.0]]


def test_the_compliance_title_is_true_when_every_year_is_the_same_or_there_is_one():
    from lgsco_analysis.charts import words

    def rows(*values):
        years = [2021, 2022, 2023][: len(values)]
        return pd.DataFrame({"year_ending": years, "value": values, "base": [4] * len(values)})

    assert words.authority_compliance(rows(100.0, 100.0, 100.0), "X")[0] == "X: compliance 100% in every year drawn"
    assert words.authority_compliance(rows(90.0), "X")[0] == "X: compliance 90% in 2021"
    assert words.authority_compliance(rows(100.0, 80.0, 90.0), "X")[0] == "X: lowest compliance 80% in 2022"


def test_a_year_with_no_rate_breaks_the_trend_and_the_alt_text_says_so():
    council = pd.DataFrame({"year_ending": [2018, 2019, 2022], "upheld": [4, 5, 3], "investigated": [10, 10, 6]})
    group = pd.DataFrame(columns=["year_ending", "upheld", "investigated"])
    figure, alt, _ = plots.uphold_rate_trend(council, group, ASHBY, DISTRICTS)
    line = next(line for line in figure.axes[0].get_lines() if line.get_label() == ASHBY)
    assert line.get_xdata().tolist() == [2018, 2019, 2020, 2021, 2022]
    assert pd.isna(line.get_ydata()[2:4]).all() and line.get_ydata()[0] == pytest.approx(40)  # 4 of 10
    assert "No rate for 2020, 2021 (no figures, or no investigations): the line breaks there." in alt
    assert [tick for tick in figure.axes[0].get_xticks()] == [2018, 2019, 2020, 2021, 2022]

"""Charts checked as a reader sees them, from the drawn artists' boxes: count axes ticked at whole numbers
labelled as they stand, every year from the first to the last ticked, no legend over the plot area, no
text outside the figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

import lgsco_analysis as lgsco
from lgsco_analysis.analysis import views
from lgsco_analysis.charts import plots
from lgsco_analysis.errors import NothingToDraw

from . import hand_built

YEARS_LABEL = "Year ending 31 March"


def layout_problems(figure: Figure) -> list[str]:
    """What a reader would see wrong in the drawn figure (an empty list when nothing)."""
    canvas = FigureCanvasAgg(figure)  # the boxes as drawn: layout done, every tick and label in place
    canvas.draw()
    renderer = canvas.get_renderer()
    problems = []
    for axes in figure.axes:
        for axis, label in ((axes.xaxis, axes.get_xlabel()), (axes.yaxis, axes.get_ylabel())):
            low, high = sorted(axis.get_view_interval())
            ticks = [t for t in axis.get_major_ticks() if low - 1e-9 <= t.get_loc() <= high + 1e-9]
            if "(count)" in label:
                for tick in ticks:
                    text, where = tick.label1.get_text() or tick.label2.get_text(), tick.get_loc()
                    if where != int(where) or text.replace(",", "").replace("\u2212", "-") != f"{int(where)}":
                        problems.append(f"{label}: a tick at {where} labelled {text!r}")
            if label == YEARS_LABEL:
                places = [float(tick.get_loc()) for tick in ticks]
                if places != list(range(int(places[0]), int(places[0]) + len(places))):
                    problems.append(f"years ticked unevenly: {places}")
    plot_areas = [axes.get_window_extent(renderer) for axes in figure.axes]
    legends = [*figure.legends, *(axes.get_legend() for axes in figure.axes if axes.get_legend())]
    for legend in legends:
        box = legend.get_window_extent(renderer)
        if any(box.overlaps(area) for area in plot_areas):
            problems.append("a legend over the plot area")
    undrawn = set()  # tick labels beyond the axis's view: matplotlib keeps them but does not draw them
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    undrawn |= {id(tick.label1), id(tick.label2)}
    problems += _annotation_problems(figure, renderer)
    page = figure.bbox
    for text in figure.findobj(Text):
        if id(text) in undrawn or not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < page.x0 - 1 or box.x1 > page.x1 + 1 or box.y0 < page.y0 - 1 or box.y1 > page.y1 + 1:
            problems.append(f"text outside the figure: {text.get_text()[:40]!r}")
    return problems


def _annotation_problems(figure: Figure, renderer) -> list[str]:
    """One y axis per plot area; each label written on a plot inside its frame, over no other label, and
    its leader line (if any) through no other label."""
    problems = []
    areas = [tuple(axes.get_position().bounds) for axes in figure.axes]
    if len(set(areas)) < len(areas):
        problems.append("two y axes on one plot area")
    for axes in figure.axes:
        frame = axes.get_window_extent(renderer)
        labels = [text for text in axes.texts if text.get_visible() and text.get_text().strip()]
        boxes = [Text.get_window_extent(text, renderer) for text in labels]  # the words' box, not their line's
        for text, box in zip(labels, boxes, strict=True):
            if box.x0 < frame.x0 - 1 or box.x1 > frame.x1 + 1 or box.y0 < frame.y0 - 1 or box.y1 > frame.y1 + 1:
                problems.append(f"a label across the plot's frame: {text.get_text()[:40]!r}")
        for first in range(len(labels)):
            for second in range(first + 1, len(labels)):
                if _overlap(boxes[first], boxes[second]):
                    problems.append(
                        f"labels over each other: {labels[first].get_text()[:30]!r}, {labels[second].get_text()[:30]!r}"
                    )
        for text in labels:
            arrow = getattr(text, "arrow_patch", None)
            if arrow is None:
                continue
            line = arrow.get_transform().transform_path(arrow.get_path())
            for other, box in zip(labels, boxes, strict=True):
                if other is not text and line.intersects_bbox(_inset(box), filled=False):
                    problems.append(
                        f"a leader line through a label: {text.get_text()[:30]!r} through {other.get_text()[:30]!r}"
                    )
    return problems


def _inset(box, by: float = 1.0):
    from matplotlib.transforms import Bbox

    return Bbox.from_extents(box.x0 + by, box.y0 + by, box.x1 - by, box.y1 - by)


def _overlap(first, second) -> bool:
    return _inset(first).overlaps(_inset(second))


def hand_built_charts():
    data = hand_built.dataset()
    analysis = views.analyse(data)
    for name in analysis.authorities:
        for make in (
            lgsco.charts.uphold_trend,
            lgsco.charts.received,
            lgsco.charts.remedies,
            lgsco.charts.compliance,
            lgsco.charts.upheld_per_100k,
        ):
            try:
                yield f"{make.__name__} {name}", make(data, name)
            except NothingToDraw:
                continue
    yield "funnel", plots.uphold_funnel(analysis.funnel, hand_built.DISTRICTS, 2019, highlight=hand_built.CRAY)
    yield "national received", plots.received_over_time(views.received_totals(data.letters))
    yield "national compliance", plots.compliance(data.statistics)
    yield "decisions", plots.decisions_by_type(data.decisions[data.decisions["source"] == "ashby-2018.pdf"], "A")
    yield "national decisions", plots.decisions_by_type(data.decisions, "All letters")
    yield "received by category", plots.received_by_category(data.received)
    yield (
        "per 100,000",
        plots.upheld_per_100k(
            pd.DataFrame(
                {
                    "authority": ["X", "X"],
                    "year_ending": [2023, 2024],
                    "measure": ["upheld_per_100k"] * 2,
                    "value": [3.4, 12.5],
                    "similar_average": [3.4, 4.0],
                    "base": [pd.NA, pd.NA],
                }
            ),
            "X",
        ),
    )


def test_every_chart_of_the_hand_built_data_reads_right():
    found = {}
    for name, chart in hand_built_charts():
        found[name] = layout_problems(chart.figure)
        plt.close(chart.figure)
    assert len(found) >= 8
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_check_finds_what_a_reader_would():
    figure, axes = plt.subplots()
    axes.bar([2014, 2016], [17.5, 18])
    axes.set_xticks([2014, 2016])
    axes.set_xlabel(YEARS_LABEL)
    axes.set_ylabel("Complaints (count)")
    axes.yaxis.set_major_formatter("{x:,.0f}")  # 17.5 labelled 18, as before count_axis
    axes.set_yticks([0, 2.5, 17.5])
    axes.legend(["x"], loc="lower right")
    axes.annotate("far away", (2014, 18), xytext=(900, 0), textcoords="offset points")
    problems = layout_problems(figure)
    plt.close(figure)
    assert "Complaints (count): a tick at 2.5 labelled '2'" in problems
    assert "years ticked unevenly: [2014.0, 2016.0]" in problems
    assert "a legend over the plot area" in problems
    assert "text outside the figure: 'far away'" in problems


@pytest.mark.slow
def test_every_chart_of_every_council_in_the_sample_reads_right(sample_processed):
    data = lgsco.load(sample_processed)
    analysis = views.analyse(data)
    found = {}
    for name in analysis.authorities:
        for make in (
            lgsco.charts.uphold_trend,
            lgsco.charts.received,
            lgsco.charts.remedies,
            lgsco.charts.compliance,
            lgsco.charts.funnel,
            lgsco.charts.upheld_per_100k,
        ):
            try:
                chart = make(data, name)
            except NothingToDraw:
                continue
            found[f"{make.__name__} {name}"] = layout_problems(chart.figure)
            plt.close(chart.figure)
    for year in analysis.years:  # the national overview's charts of each year
        for name, make, arguments in (
            ("compliance", plots.compliance, (data.statistics, None, year)),
            ("received", plots.received_by_category, (data.received[data.received["year_ending"] == year],)),
            ("decisions", plots.decisions_by_type, (data.decisions[data.decisions["year_ending"] == year],)),
        ):
            try:
                chart = make(*arguments)
            except NothingToDraw:
                continue
            found[f"national {name} {year}"] = layout_problems(chart.figure)
            plt.close(chart.figure)
    chart = plots.received_over_time(views.received_totals(data.letters))
    found["national received over time"] = layout_problems(chart.figure)
    assert len(found) >= 4 * len(analysis.authorities)  # a council with a letter has 4 or 5 charts
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_a_count_axis_of_zeros_is_ticked_at_whole_numbers():
    from lgsco_analysis.charts.style import count_axis, new_figure

    figure, axes = new_figure()
    axes.bar([2017, 2018], [0, 0])  # a council that remedied nothing, as at the real size
    axes.set_ylabel("Upheld complaints remedied (count)")
    count_axis(axes.yaxis)
    assert layout_problems(figure) == []
    assert axes.get_ylim() == (0, 1)


REAL_SIZE = 330
"""Councils at the real size (``lgsco sample --councils 330``): what decides how crowded a funnel is."""


def real_size_funnel_classes() -> pd.DataFrame:
    """Every authority-year's uphold counts at the real size, as the sample's letters print them (their figures
    drawn, not read from PDFs: reading them is exact, and tested elsewhere), classed against its group."""
    from lgsco_analysis.analysis.stats import uphold_funnel_classes
    from lgsco_analysis.sample.figures import make_councils, make_figures

    seed = 2014  # write_sample_corpus's, as lgsco sample uses it
    rows = [
        {
            "authority": f.council.name,
            "year_ending": f.year,
            "group": f.council.group,
            "measure": measure,
            "value": value,
        }
        for f in make_figures(seed, make_councils(seed, REAL_SIZE), range(2014, 2026))
        for measure, value in (("upheld", f.decisions.get("upheld", 0)), ("investigated", f.investigated))
    ]
    return uphold_funnel_classes(pd.DataFrame(rows))


@pytest.mark.slow
def test_every_funnel_at_the_real_size_reads_right():
    """The chart whose crowding grows with the number of councils: each group's funnel each year, drawn as a
    profile draws it (one council highlighted: the first named outlier's neighbour, or any)."""
    classes = real_size_funnel_classes()
    assert classes["authority"].nunique() == REAL_SIZE
    found = {}
    for (group, year), rows in classes.groupby(["group", "year_ending"]):
        highlight = rows.sort_values("investigated")["authority"].iloc[len(rows) // 2]
        try:
            chart = plots.uphold_funnel(classes, group, int(year), highlight=highlight)
        except NothingToDraw:
            continue
        found[f"{group} {year}"] = layout_problems(chart.figure)
        plt.close(chart.figure)
    assert len(found) >= 5 * 12  # five groups, twelve years
    assert {name: problems for name, problems in found.items() if problems} == {}

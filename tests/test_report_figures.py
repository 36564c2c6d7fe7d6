"""The reports say what they said when recorded (the runner made faster for issue 20 read the same as the
code before it, 807c40d; issue 22's chart fixes and headlines changed what they meant to, recorded again), and the
runner renders the longest reports first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lgsco_analysis.reports import MANIFEST_FILE, run_reports
from lgsco_analysis.reports.figures import report_figures, reports_figures

RECORDED = Path(__file__).parent / "data" / "report_figures.json"
"""Every report's figures from ``lgsco run`` on the report corpus (its "made_by" says how and when): the
same corpus rendered now must read the same. Record it again only for a change meant to alter what a
report says, and say so in that commit."""

PAGE = """<main><h1>Kent County Council: complaints</h1>
<p>12 readable letters.</p>
<div><svg role="img" aria-label="A bar chart: 18 complaints in 2025."><title>x</title><text>18</text></svg></div>
<details class="lgsco-figures"><summary>The figures behind this chart</summary>
<table class="lgsco-table"><thead><tr><th>Year</th><th>Complaints</th></tr></thead>
<tbody><tr><td>2025</td><td>18</td></tr></tbody></table></details>
<table class="lgsco-table"><caption>Figures per year</caption><tr><th>Year</th><th>Uphold rate</th></tr>
<tr><td>2025</td><td>63.5</td></tr></table>
<ul><li>Rates rose from 2023.</li></ul>
<p class="lgsco-provenance">Rendered 2026-12-03 09:00:00 from processed data 0123456789ab.</p></main>"""


def test_a_page_reads_back_as_its_charts_tables_and_words_in_order_without_its_time_of_rendering():
    assert report_figures(PAGE) == [
        {"text": "Kent County Council: complaints"},
        {"text": "12 readable letters."},
        {
            "chart": "A bar chart: 18 complaints in 2025.",
            "drawn": ["18"],
            "figures": [["Year", "Complaints"], ["2025", "18"]],
        },
        {"table": "Figures per year", "rows": [["Year", "Uphold rate"], ["2025", "63.5"]]},
        {"text": "Rates rose from 2023."},
    ]
    assert report_figures(PAGE.replace("<td>18</td>", "<td>17</td>")) != report_figures(PAGE)
    assert report_figures(PAGE.replace("18 complaints", "17 complaints")) != report_figures(PAGE)
    assert report_figures(PAGE.replace("<text>18", "<text>17")) != report_figures(PAGE)
    assert report_figures(PAGE.replace("09:00:00", "10:00:00")) == report_figures(PAGE)


@pytest.mark.slow
def test_every_report_reads_as_recorded(rendered_reports):
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))["reports"]
    manifest = json.loads((rendered_reports["reports"] / MANIFEST_FILE).read_text())
    paths = sorted(entry["path"] for entry in manifest["reports"])
    assert paths == sorted(recorded)
    now = reports_figures(rendered_reports["reports"], paths)
    for path in paths:
        changed = [(then, new) for then, new in zip(recorded[path], now[path], strict=False) if then != new]
        assert not changed and len(now[path]) == len(recorded[path]), (path, changed[:1])
    charts = sum("chart" in item for items in now.values() for item in items)
    assert charts == 19  # every chart drawn then is drawn now (count from the recording)


@pytest.mark.slow
def test_the_longest_reports_are_rendered_first(rendered_reports, tmp_path):
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    shutil.copytree(rendered_reports["processed"], processed, symlinks=True)
    shutil.copytree(rendered_reports["reports"], reports)
    manifest = json.loads((reports / MANIFEST_FILE).read_text())
    first = run_reports(processed, reports, force=True, workers=1)  # no earlier time: overviews, profiles, quality
    kinds = [path.split("/")[0] for path in first.rendered]
    assert kinds == ["national"] * 2 + ["authorities"] * 3 + ["data-quality.html"], first.rendered
    manifest = json.loads((reports / MANIFEST_FILE).read_text())
    for entry in manifest["reports"]:  # as if the data-quality report had taken longest, and the overviews least
        entry["duration_s"] = {"data-quality.html": 60}.get(entry["path"], 0.5 if "national" in entry["path"] else 2)
    (reports / MANIFEST_FILE).write_text(json.dumps(manifest))
    second = run_reports(processed, reports, force=True, workers=1)
    assert [path.split("/")[0] for path in second.rendered] == ["data-quality.html"] + ["authorities"] * 3 + [
        "national"
    ] * 2


def _rows(item: dict) -> list[dict[str, str]]:
    rows = item["rows"] if "rows" in item else item["figures"]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.slow
def test_a_councils_figures_are_one_value_in_its_table_its_chart_and_the_dataset(rendered_reports):
    """Each profile's table of figures per year and its uphold trend's figures give the same upheld,
    investigated and uphold rate for a year, and both are the dataset's counts (the rate worked out here)."""
    import lgsco_analysis as lgsco

    measures = lgsco.load_analysis(rendered_reports["processed"], "").measures
    counts = measures.pivot_table(index=["authority", "year_ending"], columns="measure", values="value")
    manifest = json.loads((rendered_reports["reports"] / MANIFEST_FILE).read_text())
    profiles = [entry for entry in manifest["reports"] if entry["kind"] == "authority_profile"]
    compared = 0
    for entry in profiles:
        items = reports_figures(rendered_reports["reports"], [entry["path"]])[entry["path"]]
        table = next(_rows(item) for item in items if item.get("table", "").endswith("figures per year"))
        trend = next(_rows(item) for item in items if "chart" in item and "uphold rate by year" in item["chart"])
        by_year = {row["Year ending March"]: row for row in table}
        for point in trend:
            row = by_year[point["Year ending March"]]
            assert (row["Upheld"], row["Investigated"], row["Uphold rate (%)"]) == (
                point["Upheld"],
                point["Investigated"],
                point["Uphold rate (%)"],
            ), (entry["path"], point)
            year = int(point["Year ending March"])
            upheld, investigated = counts.loc[(entry["authority"], year), ["upheld", "investigated"]]
            assert (int(point["Upheld"]), int(point["Investigated"])) == (upheld, investigated)
            assert float(point["Uphold rate (%)"]) == round(100 * upheld / investigated, 1)
            compared += 1
    assert compared >= len(profiles)  # every profile has a point to compare


def _number(text: str) -> float | None:
    return None if text in ("–", "") else float(text.replace(",", ""))


@pytest.mark.slow
def test_a_fact_shared_by_profiles_and_overviews_is_the_same_in_each(rendered_reports):
    """A group's pooled uphold rate in a year is one figure in every profile's trend and in that year's overview;
    the remedy counts of every council's profile add up to the overviews' remedies by year."""
    manifest = json.loads((rendered_reports["reports"] / MANIFEST_FILE).read_text())
    paths = [entry["path"] for entry in manifest["reports"]]
    pages = reports_figures(rendered_reports["reports"], paths)
    group_rates, remedies = {}, {}
    for entry in manifest["reports"]:
        if entry["kind"] != "national_overview":
            continue
        items = pages[entry["path"]]
        by_group = next(_rows(item) for item in items if item.get("table", "").startswith("Uphold rate by comparison"))
        group_rates[entry["year"]] = {row["Comparison group"]: row["Uphold rate (%)"] for row in by_group}
        remedies = {
            row["Year ending March"]: (
                _number(row["Remedied by the Ombudsman"]),
                _number(row["Remedied by the council first"]),
            )
            for item in items
            if item.get("table", "").startswith("Remedies by year")
            for row in _rows(item)
        }
    profiles = [entry for entry in manifest["reports"] if entry["kind"] == "authority_profile"]
    compared, summed = 0, {}
    for entry in profiles:
        items = pages[entry["path"]]
        trend = next(_rows(item) for item in items if "chart" in item and "uphold rate by year" in item["chart"])
        column = f"{entry['group']} pooled rate (%)"
        for point in trend:
            year = int(point["Year ending March"])
            if year in group_rates and point[column] != "–":
                assert point[column] == group_rates[year][entry["group"]], (entry["path"], year)
                compared += 1
        table = next(_rows(item) for item in items if item.get("table", "").endswith("figures per year"))
        for row in table:
            pair = row["Remedied: by the Ombudsman / by the council first"]
            if pair != "–":
                by_ombudsman, by_council = (_number(part.strip()) for part in pair.split("/"))
                total = summed.setdefault(row["Year ending March"], [0.0, 0.0])
                total[0] += by_ombudsman or 0
                total[1] += by_council or 0
    assert compared >= len(profiles) and summed
    for year, (by_ombudsman, by_council) in summed.items():
        printed = remedies[year]
        assert by_council == (printed[1] or 0), year
        assert by_ombudsman == (printed[0] or 0), year

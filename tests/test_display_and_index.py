"""How reports print numbers, and how the index and the pages' links are laid out (no report rendered)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lgsco_analysis.charts.display import (
    STATUS_MEANINGS,
    STATUS_SYMBOLS,
    cell_text,
    chart_svg,
    status_grid_html,
    table_html,
)
from lgsco_analysis.reports.index import render_index, sort_name
from lgsco_analysis.reports.plan import Report
from lgsco_analysis.reports.run import _links


@pytest.mark.parametrize(
    ("value", "column", "printed"),
    [
        (1035, "Received", "1,035"),
        (100.0, "Uphold rate (%)", "100"),
        (63.5, "Uphold rate (%)", "63.5"),
        (1234567.25, "Count", "1,234,567.2"),
        (2025, "Year ending March", "2025"),
        (None, "Received", "–"),
        (float("nan"), "Received", "–"),
        (pd.NA, "Received", "–"),
        ("ok", "Status", "ok"),
        (True, "Derived", "True"),
    ],
)
def test_numbers_print_as_the_charts_print_them(value, column, printed):
    assert cell_text(value, column) == printed


def test_tables_escape_every_cell():
    frame = pd.DataFrame({"Authority <b>": ["<script>x</script>"], "Received": [1035]})
    html_text = table_html(frame, "A & B")
    assert "<script>" not in html_text and "&lt;script&gt;" in html_text and "<td>1,035</td>" in html_text
    assert "<caption>A &amp; B</caption>" in html_text and "Authority &lt;b&gt;" in html_text


def test_a_chart_is_inline_svg_announced_with_its_alt_text():
    from matplotlib.figure import Figure

    figure = Figure()
    figure.subplots().plot([1, 2], [3, 4])
    svg = chart_svg(figure, 'Line chart of "x" & <y>.')
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert 'role="img" aria-label="Line chart of &quot;x&quot; &amp; &lt;y&gt;."' in svg
    assert "<title>Line chart of &quot;x&quot; &amp; &lt;y&gt;.</title>" in svg


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Royal Borough of Greenwich", "greenwich"),
        ("London Borough of Pretendmere", "pretendmere"),
        ("City of York Council", "york council"),
        ("The London Borough of Ealing", "ealing"),
        ("Sampleton District Council", "sampleton district council"),
    ],
)
def test_councils_sort_by_their_own_name(name, key):
    assert sort_name(name) == key


def _manifest(entries):
    return {
        "reports": entries,
        "data_sha256": "d",
        "generated": "2026-01-01T00:00:00+00:00",
        "package_version": "1",
        "letters": 9,
        "sample_letters": 0,
    }


def _profile(name, group, status="ok", year=2025):
    path = f"authorities/{name.lower().replace(' ', '-')}-{year}.html"
    return {
        "kind": "authority_profile",
        "path": path,
        "notebook": path.replace(".html", ".ipynb"),
        "title": f"{name}: profile",
        "authority": name,
        "year": year,
        "group": group,
        "status": status,
        "error": "" if status == "ok" else "NameError: boom",
        "data_sha256": "d",
    }


def test_the_index_groups_profiles_and_jumps_a_to_z():
    page = render_index(
        _manifest(
            [
                _profile("Royal Borough of Greenwich", "London Boroughs"),
                _profile("Barnet <Council>", "London Boroughs"),
                _profile("Ashford District Council", "District Councils", status="failed"),
                _profile("Zedshire County Council", "County Councils"),
            ]
        )
    )
    sections = re.findall(r'<h3 id="([^"]+)">([^<]+)</h3>', page)
    assert sections == [
        ("county-councils", "County Councils (1)"),
        ("district-councils", "District Councils (1)"),
        ("london-boroughs", "London Boroughs (2)"),
    ]
    london = page[page.index('id="london-boroughs"') :]
    assert re.findall(r'<p class="letter" id="([^"]+)">', london) == ["london-boroughs-b", "london-boroughs-g"]
    assert london.index("Barnet &lt;Council&gt;") < london.index("Royal Borough of Greenwich")  # B before G
    assert "<Council>" not in page
    assert 'href="#london-boroughs-g"' in page and 'href="#london-boroughs"' in page
    assert 'Ashford District Council: 2025 <span class="failed">(failed)</span>' in page
    assert "NameError: boom" in page[page.index('id="failed"') :]  # the reason, in the failed reports' table


def test_the_index_links_every_year_a_council_has_a_profile_for_on_one_line():
    page = render_index(
        _manifest(
            [
                _profile("Zedshire County Council", "County Councils", year=2019),
                _profile("Zedshire County Council", "County Councils"),
                _profile("Zedshire County Council", "County Councils", status="failed", year=2024),
            ]
        )
    )
    assert (
        '<li>Zedshire County Council: <a href="authorities/zedshire-county-council-2025.html">2025</a>, '
        '2024 <span class="failed">(failed)</span>, '
        '<a href="authorities/zedshire-county-council-2019.html">2019</a></li>'
    ) in page
    assert '<h3 id="county-councils">County Councils (1)</h3>' in page  # one council, three years


def test_a_profile_links_to_its_years_overview_and_its_other_years():
    profile = Report("authority_profile", "t", "authorities/x-2024.html", {}, year=2024, authority="X")
    reports = {
        "national/overview-2024.html": {"kind": "national_overview", "authority": None, "year": 2024},
        "authorities/x-2025.html": {"kind": "authority_profile", "authority": "X", "year": 2025},
        "authorities/x-2023.html": {"kind": "authority_profile", "authority": "X", "year": 2023},
        "authorities/y-2024.html": {"kind": "authority_profile", "authority": "Y", "year": 2024},
        "authorities/x-2024.html": {"kind": "authority_profile", "authority": "X", "year": 2024},
    }
    assert _links(profile, reports) == [
        ("All reports", "../index.html"),
        ("National overview 2024", "../national/overview-2024.html"),
        ("X 2023", "../authorities/x-2023.html"),
        ("X 2025", "../authorities/x-2025.html"),
    ]
    overview = Report("national_overview", "t", "national/overview-2024.html", {}, year=2024)
    assert _links(overview, reports) == [("All reports", "../index.html")]


def test_the_coverage_grid_says_each_status_in_symbol_and_colour():
    coverage = pd.DataFrame({"Authority": ["A <x>", "B"], "2024": ["ok", "warning"], "2025": ["error", ""]})
    grid = status_grid_html(coverage, "Letters found")
    assert '<th scope="row">A &lt;x&gt;</th><td class="s-ok">✓</td><td class="s-error">✗</td>' in grid
    assert '<th scope="row">B</th><td class="s-warning">!</td><td class="s-none">·</td>' in grid
    for status, meaning in STATUS_MEANINGS.items():
        assert f'<span class="lgsco-status s-{status or "none"}">{STATUS_SYMBOLS[status]}</span> {meaning}' in grid


def test_a_lean_svg_keeps_the_words_a_letter_printed():
    from matplotlib.figure import Figure

    figure = Figure()
    axes = figure.subplots()
    axes.plot([0.123456, 2], [3, 4.987654])
    axes.set_title("Council 12.345678 <&>")
    svg = chart_svg(figure, "A chart.")
    assert "Council 12.345678 &lt;&amp;&gt;" in svg  # text as printed, escaped once
    assert "<metadata>" not in svg and "font-family: 'DejaVu" not in svg.split(">", 1)[1]
    assert not re.search(r"\d\.\d{3}", re.sub(r">[^<]*<", "><", svg))  # coordinates to two places
    referenced = set(re.findall(r"#([\w-]+)", svg))
    assert set(re.findall(r' id="([^"]+)"', svg)) <= referenced


def test_only_nothing_to_draw_becomes_no_chart_and_a_fault_fails_the_cell(monkeypatch):
    from lgsco_analysis.charts import display as display_module
    from lgsco_analysis.errors import NothingToDraw

    shown = []
    monkeypatch.setattr(display_module, "display", lambda *args, **kwargs: shown.append(args[0]))

    def nothing():
        raise NothingToDraw("these letters print no decisions")

    display_module.chart(nothing)
    assert "No chart: these letters print no decisions." in shown[0].data

    def faulty():
        return {"no": "chart"}["investigated"]

    with pytest.raises(KeyError):
        display_module.chart(faulty)

    def bad_value():
        raise ValueError("a bug in a chart, not missing data")

    with pytest.raises(ValueError, match="a bug in a chart"):
        display_module.chart(bad_value)

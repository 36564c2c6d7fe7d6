"""Councils' statistics pages as a second source: read with the letters' sentences, compared, used where alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lgsco_analysis.dataset.pages import compare_with_pages, find_statistics_pages
from lgsco_analysis.dataset.tables import parse_folder
from lgsco_analysis.read.statistics_page import read_statistics_page
from lgsco_analysis.sample.corpus import write_sample_corpus

from .hand_built import kent_2025

KENT_2025 = """<html><head><title>Kent County Council statistics</title>
<script>var x = "we dealt with 9 complaints";</script></head>
<body><nav>Home | Your council's performance</nav>
<h1>Kent County Council</h1>
<p>Between 1 April 2024 to 31 March 2025, we dealt with <strong>291</strong> complaints.</p>
<h2>Complaints upheld</h2>
<p>We investigated 76 complaints and upheld 63.</p>
<p>83% of complaints we investigated were upheld.</p><p>This compares to an average of 89% in similar organisations.</p>
<p>3.9 upheld decisions per 100,000 residents</p>
<p>Statistics are based on a total of 76 detailed investigations.</p>
<h2>Annual letters</h2><a href="/assets/attach/1/kent-annual-letter-2025.pdf">View annual letters</a>
</body></html>"""
"""The figures of letter-formats.md's real example (Kent County Council 2025), worked by hand."""


def _page(tmp_path: Path, html: str, name: str = "kent-county-council.html") -> Path:
    folder = tmp_path / "statistics"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(html, encoding="utf-8")
    return folder / name


def test_a_statistics_page_is_read_with_the_letters_sentences(tmp_path):
    page = read_statistics_page(_page(tmp_path, KENT_2025), "statistics/kent-county-council.html")
    assert (page.source_kind, page.status, page.problems) == ("statistics_page", "ok", [])
    assert (page.authority, page.year_ending) == ("Kent County Council", 2025)
    assert page.decisions_total == 291  # the script's "9 complaints" is not text a reader sees
    assert page.decisions == {"investigated": 76, "upheld": 63}
    assert page.statistics["uphold_rate"] == {"value": 83.0, "similar_average": 89.0, "base": 76}
    assert page.statistics["upheld_per_100k"]["value"] == 3.9


def test_a_page_with_no_figures_or_no_year_is_an_error_row_saying_so(tmp_path):
    no_year = KENT_2025.replace("Between 1 April 2024 to 31 March 2025, ", "")
    page = read_statistics_page(_page(tmp_path, no_year), "s.html")
    assert page.status == "error" and page.problems == ["a statistics page, but no year found on it"]
    page = read_statistics_page(_page(tmp_path, "<html><h1>Kent County Council 2024-25</h1></html>"), "s.html")
    assert page.status == "error" and "none of the letters' figures" in page.problems[0]


def test_a_page_that_agrees_with_its_letter_adds_nothing(tmp_path):
    page = read_statistics_page(_page(tmp_path, KENT_2025), "statistics/kent.html")
    letter = kent_2025()
    assert compare_with_pages([letter], [page]) == []
    assert letter.status == "ok" and letter.problems == []


def test_a_disagreement_is_a_problem_on_the_letter_naming_both(tmp_path):
    page = read_statistics_page(_page(tmp_path, KENT_2025.replace("upheld 63", "upheld 64")), "statistics/kent.html")
    letter = kent_2025(authority="Kent County Council")
    assert compare_with_pages([letter], [page]) == []
    assert letter.status == "warning"
    assert letter.problems == [
        "the council's statistics page (statistics/kent.html) prints the upheld decisions as 64, the letter as 63"
    ]


def test_a_page_for_a_year_no_letter_gives_is_kept(tmp_path):
    page = read_statistics_page(_page(tmp_path, KENT_2025), "statistics/kent.html")
    letter = kent_2025(year_ending=2024)
    assert compare_with_pages([letter], [page]) == [page]
    assert letter.problems == []


@pytest.mark.slow
def test_parse_reads_the_pages_beside_the_letters(tmp_path):
    raw = tmp_path / "raw"
    write_sample_corpus(raw, seed=9, councils=1, years=range(2025, 2026))
    truth = json.loads((raw / "truth.json").read_text())[0]
    name = truth["authority"]
    agreeing = KENT_2025.replace("Kent County Council", name)
    for figure in ("291", "76", "63", "83", "89", "3.9"):
        assert figure in agreeing
    _page(raw, agreeing.replace("Between 1 April 2024 to 31 March 2025", "Between 1 April 2023 to 31 March 2024"))
    _page(raw, agreeing, "same-year.html")  # the letter's year, with Kent's figures: they disagree with it
    data = parse_folder(raw)
    letters = data.letters.set_index("source")
    page_source = "statistics/kent-county-council.html"
    assert find_statistics_pages(raw) == [raw / page_source, raw / "statistics" / "same-year.html"]
    assert letters.loc[page_source, "source_kind"] == "statistics_page"
    assert letters.loc[page_source, "year_ending"] == 2024 and letters.loc[page_source, "authority"] == name
    page_decisions = data.decisions[data.decisions["source"] == page_source]
    assert dict(zip(page_decisions["decision"], page_decisions["count"], strict=True)) == {
        "investigated": 76,
        "upheld": 63,
    }
    assert set(letters["source_kind"]) == {"letter", "statistics_page"}


def test_the_page_s_other_layout_with_its_sentences_broken_across_blocks(tmp_path):
    """The figures in boxes of their own (as ``?displaypref=3`` shows them): the sentences run across blocks."""
    boxes = """<html><body><div class="header"><h1>Kent County Council: complaint statistics 2024-25</h1></div>
<div class="stat"><p>Between 1 April 2024 to 31 March 2025, we dealt with</p><p class="n">291</p><p>complaints</p></div>
<div class="stat"><p>We investigated</p><p class="n">76</p><p>complaints and upheld</p><p class="n">63</p></div>
<div class="stat"><p class="n">83%</p><p>of complaints we investigated were upheld.</p>
<p>This compares to an average of</p><p class="n">89%</p><p>in similar organisations.</p></div>
</body></html>"""
    page = read_statistics_page(_page(tmp_path, boxes), "s.html")
    assert (page.status, page.authority, page.year_ending) == ("ok", "Kent County Council", 2025)
    assert (page.decisions_total, page.decisions) == (291, {"investigated": 76, "upheld": 63})
    assert page.statistics["uphold_rate"] == {"value": 83.0, "similar_average": 89.0, "base": 76}

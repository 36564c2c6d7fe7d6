"""The sample corpus: round trip, determinism, the footer, fictional names, realism."""

from __future__ import annotations

import csv
import ctypes
import json

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from lgsco_analysis import parse_letter
from lgsco_analysis.sample import SAMPLE_FOOTER, TABLE_DRAWINGS, write_sample_corpus
from lgsco_analysis.sample_figures import GROUPS, make_councils

from .conftest import SHARED, load_truth, truth_differences


def assert_round_trip(folder) -> dict[str, set[str]]:
    """Every letter parses to its truth and is ok; returns the readers seen for each drawing."""
    failures, readers = [], {}
    for expected in load_truth(folder):
        letter = parse_letter(folder / expected["file"])
        readers.setdefault(expected["tables_drawn"], set()).add(letter.tables_read_by)
        for difference in truth_differences(letter, expected):
            failures.append(f"{expected['file']}: {difference}")
        prints_nothing = not expected["statistics"] and not expected["decisions"] and expected["layout"] == "C"
        if letter.status != "ok" and not (
            prints_nothing and letter.problems == ["none of the three headline statistics was found"]
        ):
            failures.append(f"{expected['file']}: status {letter.status}: {letter.problems}")
    assert failures == []
    return readers


def test_sample_letters_parse_back_to_their_truth(sample_corpus):
    assert_round_trip(sample_corpus)


@pytest.mark.parametrize("seed", [1, 99])
def test_other_seeds_round_trip(seed, tmp_path):
    write_sample_corpus(tmp_path, seed=seed, councils=5, years=range(2014, 2026, 2))
    assert_round_trip(tmp_path)


EXPECTED_READERS = {
    "ruled": {"text+camelot", ""},  # camelot reads stroked rules and thin filled rectangles alike
    "filled": {"text+camelot", ""},
    "shaded": {"text", ""},  # no rules: the text layer alone
    "plain": {"text", ""},
}
"""Readers of each drawing's tables; "" for format C letters that print no table."""


@pytest.mark.parametrize("drawing", list(TABLE_DRAWINGS))
def test_every_drawing_round_trips_in_every_format(drawing, tmp_path):
    write_sample_corpus(tmp_path, seed=5, councils=3, years=range(2014, 2026), tables=drawing)
    assert assert_round_trip(tmp_path) == {drawing: EXPECTED_READERS[drawing]}


def _path_kinds(path) -> set[str]:
    """How the table page's shapes are painted: "stroked", "filled", both or neither."""
    document = pdfium.PdfDocument(path)
    kinds = set()
    for shape in document[1].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(shape.raw, fill, stroke)
        kinds |= {"stroked"} if stroke.value else set()
        kinds |= {"filled"} if fill.value else set()
    document.close()
    return kinds


def test_each_drawing_paints_its_tables_as_it_says(tmp_path):
    for drawing in TABLE_DRAWINGS:
        write_sample_corpus(tmp_path / drawing, seed=5, councils=1, years=range(2017, 2018), tables=drawing)
    kinds = {drawing: _path_kinds(next((tmp_path / drawing).glob("*.pdf"))) for drawing in TABLE_DRAWINGS}
    assert kinds == {"ruled": {"stroked"}, "filled": {"filled"}, "shaded": {"filled"}, "plain": set()}


def test_the_default_sample_mixes_every_drawing(sample_corpus):
    assert {entry["tables_drawn"] for entry in load_truth(sample_corpus)} == set(TABLE_DRAWINGS)


def test_same_seed_gives_identical_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        write_sample_corpus(folder, seed=3, councils=2, years=range(2018, 2026, 3))
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_different_seed_gives_different_figures(tmp_path):
    write_sample_corpus(tmp_path / "a", seed=1, councils=2, years=range(2018, 2019))
    write_sample_corpus(tmp_path / "b", seed=2, councils=2, years=range(2018, 2019))
    assert load_truth(tmp_path / "a") != load_truth(tmp_path / "b")


def test_every_page_carries_the_sample_footer(sample_corpus):
    for path in sorted(sample_corpus.glob("*.pdf"))[::7]:
        document = pdfium.PdfDocument(path)
        for page in document:
            text = " ".join(page.get_textpage().get_text_range().split())
            assert SAMPLE_FOOTER in text, path.name
        document.close()


def test_councils_cover_the_five_groups_evenly():
    councils = make_councils(2014, 40)
    assert {group: sum(c.group == group for c in councils) for group in GROUPS} == dict.fromkeys(GROUPS, 8)
    assert len({c.name for c in councils}) == 40


def test_sample_names_are_no_real_council():
    path = SHARED / "reference" / "uk_local_authorities.csv"
    if not path.exists():
        pytest.skip("../shared/reference is absent: cannot compare with real council names")
    real = set()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for value in row.values():
                if value:
                    real.add(value.casefold())
    assert not {c.name.casefold() for c in make_councils(2014, 160)} & real


def test_figures_are_realistic(sample_corpus):
    truth = load_truth(sample_corpus)
    assert any(e["statistics"].get("upheld_per_100k") for e in truth)
    national = {}
    for e in truth:
        rate = e["statistics"].get("uphold_rate")
        if rate and rate["base"]:
            upheld, investigated = national.get(e["year_ending"], (0, 0))
            national[e["year_ending"]] = (
                upheld + round(rate["value"] * rate["base"] / 100),
                investigated + rate["base"],
            )
    early = sum(national[y][0] for y in (2014, 2015, 2016)) / sum(national[y][1] for y in (2014, 2015, 2016))
    late = sum(national[y][0] for y in (2023, 2024, 2025)) / sum(national[y][1] for y in (2023, 2024, 2025))
    assert early < late
    json.dumps(truth)  # plain JSON types only

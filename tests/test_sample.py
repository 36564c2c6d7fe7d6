"""The sample corpus: round trip, determinism, the footer, fictional names, realism."""

from __future__ import annotations

import csv
import ctypes
import json

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from lgsco_analysis import parse_letter
from lgsco_analysis.sample.corpus import write_sample_corpus
from lgsco_analysis.sample.figures import GROUPS, make_councils
from lgsco_analysis.sample.typesetting import SAMPLE_FOOTER, TABLE_DRAWINGS

from .conftest import PROJECT_ROOT, SHARED, load_truth, truth_differences


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
    "text": {"text", ""},  # labels and values as lines of text: cut where the vocabulary's labels fit
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
    assert kinds == {"ruled": {"stroked"}, "filled": {"filled"}, "shaded": {"filled"}, "plain": set(), "text": set()}


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


def test_a_small_sample_has_three_councils_per_group():
    councils = make_councils(2014, 15)
    assert {group: sum(c.group == group for c in councils) for group in GROUPS} == dict.fromkeys(GROUPS, 3)


def test_the_real_size_preset_has_the_real_mix_of_groups():
    councils = make_councils(2014, 330)
    counts = {group: sum(c.group == group for c in councils) for group in GROUPS}
    # 2025: 21 counties, 164 districts, 36 metropolitan, 63 unitary, 33 London of 317; scaled to 330
    expected = {
        "County Councils": 21.9,
        "District Councils": 170.7,
        "Metropolitan Boroughs": 37.5,
        "Unitary Councils": 65.6,
        "London Boroughs": 34.4,
    }
    assert all(abs(counts[group] - expected[group]) < 1 for group in GROUPS), counts
    assert sum(counts.values()) == 330


def test_sample_names_are_unique_and_no_real_council():
    councils = make_councils(2014, 448)  # the most that can be named
    names = {c.name.casefold() for c in councils}
    assert len(names) == 448
    with pytest.raises(ValueError, match="at most 448"):
        make_councils(2014, 449)
    real = set()
    tables = [PROJECT_ROOT / "data" / "reference" / "english_councils.csv"]
    tables += [SHARED / "reference" / "uk_local_authorities.csv"] if SHARED.exists() else []
    for path in tables:
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                real.update(part.casefold() for value in row.values() if value for part in value.split("|"))
    assert len(real) > 1000
    assert not names & real


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

"""Text as it leaves the PDF: normalised once, judged readable or not, labels cut where they fit."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from lgsco_analysis.read.pdf_content import UNREADABLE_TEXT_LAYER
from lgsco_analysis.read.text import normalise, unreadable_text_layer
from lgsco_analysis.read.text_tables import cut_into_labels
from lgsco_analysis.rules.typography import text_artefacts


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("we were satis\u6600\u6900ed", "we were satisfied"),  # Ghostscript's byte-swapped fi
        ("satis\ufb01ed", "satisfied"),  # a real ligature character
        ("\uff11\uff12\uff13 complaints", "123 complaints"),  # full-width digits
        ("1,052\u00a0complaints", "1,052 complaints"),  # no-break space
        ("per 100\u202f000 residents", "per 100 000 residents"),  # narrow no-break space
        ("2020\u20132021", "2020-2021"),  # en dash
        ("\u2014", "-"),  # an em dash marking an empty cell stays an absent mark
        ("Council\u2019s", "Council's"),
        ("\u201cupheld\u201d", '"upheld"'),
        ("soft\u200bjoin", "softjoin"),
        ("Children\u00a9s Services", "Children's Services"),  # MuPDF's map for a right quote
        ("\u00a9 LGSCO 2024", "\u00a9 LGSCO 2024"),  # a real copyright sign stands alone
        ("12\u00b9", "12\u00b9"),  # a footnote mark is not a digit: the figure stays as printed
        ("\u00bd", "\u00bd"),
    ],
)
def test_text_is_normalised_once_and_figures_stay_as_printed(printed, read):
    assert normalise(printed) == read


def test_every_artefact_says_where_it_was_seen_and_means_plain_text():
    source = resources.files("lgsco_analysis.rules") / "data" / "text_artefacts.csv"
    rows = list(csv.DictReader(source.open(encoding="utf-8")))
    assert rows and all(row["seen_in"].strip() and row["means"].isascii() for row in rows)
    assert {row["within_a_word"] for row in rows} <= {"yes", "no"}
    assert [a.printed for a in text_artefacts()] == sorted((r["printed"] for r in rows), key=len, reverse=True)


LETTER = (
    "I write to you with our annual summary of statistics on the complaints made to the Local Government "
    "and Social Care Ombudsman about your authority for the year ended 31 March 2021. "
) * 3


def test_a_text_layer_of_english_is_readable():
    assert not unreadable_text_layer(LETTER)
    assert not unreadable_text_layer("12 34")  # too little to judge


def test_glyph_numbers_and_control_characters_are_an_unreadable_text_layer():
    shifted = "".join(chr(ord(c) - 29) if c.isalpha() else c for c in LETTER)  # what Chromium's fonts give
    assert unreadable_text_layer(shifted)
    controls = "".join(chr(1 + ord(c) % 30) if not c.isspace() else c for c in LETTER)  # LibreOffice's
    assert unreadable_text_layer(controls)
    private_use = "".join("\ue000" if i % 2 else c for i, c in enumerate(LETTER))
    assert unreadable_text_layer(private_use)
    assert UNREADABLE_TEXT_LAYER == "its text layer cannot be read: the fonts carry no usable character map"


def test_labels_printed_as_text_are_cut_where_the_vocabulary_fits_and_only_one_way():
    words = "Complaints dealt with Not for us Assessed and closed Investigated".split()
    assert cut_into_labels(words, 4) == ["Complaints dealt with", "Not for us", "Assessed and closed", "Investigated"]
    assert cut_into_labels(words, 3) is None  # a value would be left without its label
    assert cut_into_labels(words, 5) is None
    assert cut_into_labels("Complaints dealt with Not for us and more".split(), 2) is None  # words left over
    # "Housing" and "Other" are labels, and so is "Planning and development": one cut only.
    assert cut_into_labels("Housing Planning and Development Other".split(), 3) == [
        "Housing",
        "Planning and Development",
        "Other",
    ]


def test_labels_that_cut_two_ways_are_not_read(monkeypatch):
    from lgsco_analysis.read import text_tables

    labels = {"a b", "c", "a", "b c"}
    monkeypatch.setattr(text_tables, "match_label", lambda text: ("t", text) if text in labels else None)
    assert cut_into_labels(["a", "b", "c"], 2) is None  # "a b" + "c", or "a" + "b c": which is which is not known
    assert cut_into_labels(["a", "b", "c", "c"], 3) is None
    assert cut_into_labels(["b", "c", "a"], 2) == ["b c", "a"]


def test_a_letter_whose_text_layer_spells_nothing_is_an_error_with_its_own_reason(tmp_path):
    from reportlab.pdfgen import canvas

    from lgsco_analysis import parse_letter

    path = tmp_path / "glyph-numbers.pdf"
    page = canvas.Canvas(str(path), invariant=1)
    shifted = "".join(chr(ord(c) - 29) if c.isalpha() else c for c in LETTER)
    for line in range(12):
        page.drawString(50, 780 - 14 * line, shifted[line * 80 : (line + 1) * 80])
    page.save()
    letter = parse_letter(path)
    assert letter.status == "error" and len(letter.problems) == 1
    assert letter.problems[0].startswith(UNREADABLE_TEXT_LAYER)  # with OCR: "... and what OCR reads ... either"


def test_the_readability_thresholds_at_their_edges():
    controls = "\x01" * 50
    assert unreadable_text_layer(controls)  # 50 glyphs are enough to judge
    assert not unreadable_text_layer(controls[:49])
    assert unreadable_text_layer("\ufffd" * 60)  # replacement characters are no text
    one_odd = LETTER[:99].replace(" ", "x") + "\x01"
    assert not unreadable_text_layer(one_odd)  # one control character in a hundred is not a lost map
    quarter = "a" * 75 + "\x01" * 25
    assert not unreadable_text_layer(quarter)  # a quarter exactly: not more than a quarter
    assert unreadable_text_layer("a" * 74 + "\x01" * 26)
    cipher = ["qzx"] * 38
    assert unreadable_text_layer(" ".join(["the", *cipher, "qzx"]))  # 1 common word in 40: under 5%
    assert not unreadable_text_layer(" ".join(["the", "of", *cipher]))  # 2 in 40: 5% exactly is enough
    assert unreadable_text_layer(" ".join(["qzxw"] * 30))  # 30 words are enough to judge
    assert not unreadable_text_layer(" ".join(["qzxwvutsr"] * 29))


def test_labels_ocr_misread_by_a_letter_are_cut_only_on_pages_it_read():
    words = "Incomplete or Invatid Advice Given".split()  # "Invalid" as OCR read it
    assert cut_into_labels(words, 2) is None
    assert cut_into_labels(words, 2, closely=True) == ["Incomplete or Invatid", "Advice Given"]
    exact = (
        "Incomplete or Invalid Advice Given Referred back for Local Resolution Closed After Initial Enquiries".split()
    )
    # close matches take in a neighbour ("Given Referred back for Local Resolution"): the exact cut still wins
    assert cut_into_labels(exact, 4, closely=True) == cut_into_labels(exact, 4) is not None

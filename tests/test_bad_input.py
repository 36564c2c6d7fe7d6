"""Bad input never stops the run and never becomes a number: each is an error row, quickly."""

from __future__ import annotations

import io
import shutil
import time

import pandas as pd
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from lgsco_analysis.dataset.tables import parse_folder

SECONDS_TO_REJECT = 5.0


def _pdf(path, pages=1, text="Minutes of the parish meeting", encrypt=None, image=False):
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt)
    for number in range(pages):
        if image:
            from PIL import Image

            buffer = io.BytesIO()
            Image.new("RGB", (200, 100), "white").save(buffer, format="PNG")
            pdf.drawImage(ImageReader(buffer), 50, 500, width=400, height=200)
        else:
            pdf.drawString(72, 720, f"{text} (page {number + 1})")
        pdf.showPage()
    pdf.save()


def make_bad_inputs(folder, good_letter):
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "not-a-pdf.pdf").write_text("Dear Chief Executive, this is a plain text file.\n")
    data = good_letter.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    _pdf(folder / "password.pdf", encrypt="secret")
    _pdf(folder / "image-only.pdf", image=True)
    _pdf(folder / "not-a-letter.pdf")
    _pdf(folder / "long-document.pdf", pages=300)


EXPECTED_REASONS = {
    "empty.pdf": "empty file",
    "not-a-pdf.pdf": "not a PDF",
    "truncated.pdf": "truncated",
    "corrupt.pdf": "corrupt",
    "password.pdf": "password-protected",
    "image-only.pdf": "no text layer",
    "not-a-letter.pdf": "not an LGSCO annual review letter",
    "long-document.pdf": "300 pages",
}


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory, sample_corpus):
    folder = tmp_path_factory.mktemp("mixed")
    good = sorted(sample_corpus.glob("*.pdf"))[:3]
    for letter in good:
        shutil.copy(letter, folder / letter.name)
    shutil.copy(sample_corpus / "authorities.csv", folder)  # the fictional councils' groups
    make_bad_inputs(folder, good[0])
    return folder, [letter.name for letter in good]


@pytest.mark.slow
def test_every_bad_input_is_an_error_row_and_good_letters_parse(mixed_folder, tmp_path):
    folder, good = mixed_folder
    dataset = parse_folder(folder, tmp_path / "out", workers=1)
    letters = dataset.letters.set_index("source")
    assert set(letters.index) == set(good) | set(EXPECTED_REASONS)
    for name, reason in EXPECTED_REASONS.items():
        row = letters.loc[name]
        assert row["status"] == "error", (name, row["problems"])
        assert reason in row["problems"], (name, row["problems"])
        assert "\n" not in row["problems"]
        assert pd.isna(row["authority"]) and pd.isna(row["received_total"])
    for name in good:
        assert letters.loc[name, "status"] == "ok", letters.loc[name, "problems"]
    bad_sources = set(EXPECTED_REASONS)
    for table in ("received", "decisions", "remedies", "statistics"):
        assert not set(getattr(dataset, table)["source"]) & bad_sources, table


@pytest.mark.parametrize("name", sorted(EXPECTED_REASONS))
def test_each_bad_input_is_rejected_quickly(mixed_folder, name):
    from lgsco_analysis import parse_letter

    folder, _ = mixed_folder
    started = time.perf_counter()
    letter = parse_letter(folder / name)
    assert time.perf_counter() - started < SECONDS_TO_REJECT
    assert letter.status == "error"
    assert letter.problems and letter.problems[0]


def test_truncated_letter_never_becomes_a_number(mixed_folder):
    from lgsco_analysis import parse_letter

    folder, _ = mixed_folder
    letter = parse_letter(folder / "truncated.pdf")
    assert letter.received == {} and letter.decisions == {} and letter.statistics == {}


@pytest.mark.slow
def test_two_letters_for_one_authority_and_year_are_both_flagged(tmp_path, sample_corpus):
    letter = sorted(sample_corpus.glob("*.pdf"))[0]
    (tmp_path / "raw" / "again").mkdir(parents=True)
    shutil.copy(letter, tmp_path / "raw" / letter.name)
    shutil.copy(letter, tmp_path / "raw" / "again" / letter.name)
    dataset = parse_folder(tmp_path / "raw", workers=1)
    assert list(dataset.letters["status"]) == ["warning", "warning"]
    assert all("duplicate: 2 letters" in p and "identical copies" in p for p in dataset.letters["problems"])
    assert len(dataset.received) == 2 * 9

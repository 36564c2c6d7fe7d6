"""Hostile PDFs beside good letters: every file gets a row, the good letters are ok, and the
run stays within its time and memory, whatever the PDFs do to the libraries that read them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from lgsco_analysis import parse_letter
from lgsco_analysis.read.pdf_content import absurd_drawing
from lgsco_analysis.workers import LETTER_BUDGET

from .hostile_pdfs import HOSTILE, huge_grid, self_drawing_form

pytestmark = pytest.mark.slow  # starts worker processes or renders reports: make test, not make check

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PARSE_AND_MEASURE = textwrap.dedent("""
    import json, resource, sys
    from lgsco_analysis.dataset.tables import parse_folder
    parse_folder(sys.argv[1], sys.argv[2], workers=2)
    peak_kb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(json.dumps({"peak_mb": peak_kb / 1024}))
""")


def test_hostile_pdfs_beside_good_letters(sample_corpus, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    good = sorted(sample_corpus.glob("*-2018.pdf"))[:3]
    for letter in good:
        shutil.copy(letter, raw)
    shutil.copy(sample_corpus / "authorities.csv", raw)  # the fictional councils' groups
    for name, make in HOSTILE.items():
        make(raw / name)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", PARSE_AND_MEASURE, str(raw), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    seconds = time.monotonic() - started
    letters = pd.read_parquet(tmp_path / "out" / "letters.parquet").set_index("source")
    assert sorted(letters.index) == sorted([*HOSTILE, *(p.name for p in good)])  # every file has a row
    assert (letters.loc[[p.name for p in good], "status"] == "ok").all()
    assert (letters.loc[list(HOSTILE), "status"] == "error").all()
    bomb = letters.loc["flate-bomb.pdf", "problems"]
    assert bomb == f"could not be parsed: needed more than {LETTER_BUDGET.memory_mb} MB"
    assert "points: no letter's page" in letters.loc["enormous-page.pdf", "problems"]
    assert seconds < 120
    assert json.loads(result.stdout)["peak_mb"] < 2048


def test_a_drawing_beyond_any_letter_is_not_given_to_the_second_reader(tmp_path):
    import pypdfium2 as pdfium

    for make, reason in ((self_drawing_form, "forms drawn within forms"), (huge_grid, "line segments")):
        document = pdfium.PdfDocument(make(tmp_path / f"{make.__name__}.pdf"))
        assert reason in absurd_drawing(document[0])
        document.close()


def test_real_letters_drawings_are_not_absurd(sample_corpus):
    import pypdfium2 as pdfium

    for path in sorted(sample_corpus.glob("*.pdf"))[::5]:
        document = pdfium.PdfDocument(path)
        assert all(absurd_drawing(page) is None for page in document), path.name
        document.close()
    assert parse_letter(sorted(sample_corpus.glob("*-2017.pdf"))[0]).status == "ok"

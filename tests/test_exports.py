"""CSV, Excel and the data package: the same values and types back, text never a formula."""

from __future__ import annotations

import json
import re
import shutil
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

import lgsco_analysis as lgsco
from lgsco_analysis.cli import main
from lgsco_analysis.dataset.tables import letters_to_dataset, write_dataset
from lgsco_analysis.exports.tables import (
    DATA_PACKAGE,
    EXPORT_TABLES,
    TABLE_TITLES,
    WORKBOOK,
    export_data,
    export_tables,
)
from lgsco_analysis.exports.workbook import ABOUT_SHEET, CODES_TITLE, COLUMNS_SHEET, sheet_columns, write_workbook
from lgsco_analysis.read.record import Letter
from lgsco_analysis.rules.dictionary import code_labels, table_fields
from lgsco_analysis.rules.fetching import LETTERS_ADDRESS

from . import hand_built
from .conftest import fail_on_call

PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The frame in the types fields.csv gives, an empty text counted as blank (as CSV and Excel hold it)."""
    types = {field.column: PANDAS_TYPES[field.type] for field in table_fields(table)}
    for column, kind in types.items():
        if kind == "boolean" and not pd.api.types.is_bool_dtype(frame[column]):  # read back as "True" / "False"
            frame[column] = frame[column].map({"True": True, "False": False, True: True, False: False})
    frame = frame.astype(types)
    frame.columns = list(frame.columns)
    for column, kind in types.items():
        if kind == "string":
            frame[column] = frame[column].mask(frame[column] == "")
    return frame.reset_index(drop=True)


@pytest.fixture(scope="module")
def exported(sample_processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    export_data(sample_processed, out)
    return sample_processed, out


@pytest.mark.slow
def test_csv_round_trip_gives_the_same_values_and_types(exported):
    processed, out = exported
    tables = export_tables(lgsco.load(processed))
    assert set(tables) == set(EXPORT_TABLES)
    for name, frame in tables.items():
        back = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""])
        pd.testing.assert_frame_equal(typed(back, name), typed(frame, name), check_dtype=True)
        numbers = [f.column for f in table_fields(name) if f.type in ("number", "integer")]
        written = back[numbers].stack().dropna().astype(str)
        assert not written.str.fullmatch(r"-?\d+\.0").any(), f"{name}: a whole number written with a point"


@pytest.mark.slow
def test_excel_round_trip_gives_the_same_values_and_types(exported):
    processed, out = exported
    tables = export_tables(lgsco.load(processed))
    book = load_workbook(out / WORKBOOK, read_only=True)
    assert book.sheetnames == [ABOUT_SHEET, *EXPORT_TABLES, COLUMNS_SHEET]  # what the data are comes first
    for name, frame in tables.items():
        rows = list(book[name].iter_rows(values_only=True))
        columns = sheet_columns(name)
        assert list(rows[0]) == [column.title for column in columns]  # headers a person reads
        values = [value for row in rows[1:] for value in row]
        assert not any(isinstance(value, str) and value in ("nan", "<NA>", "None", "NaN") for value in values)
        width = len(columns)  # a row's trailing blank cells are not stored: pad them back
        padded = [list(row) + [None] * (width - len(row)) for row in rows[1:]]
        sheet = pd.DataFrame(padded, columns=[column.title for column in columns], dtype=object)
        as_stored = [column for column in columns if not column.in_words]
        back = pd.DataFrame({column.field.column: sheet[column.title] for column in as_stored})
        back = back[[field.column for field in table_fields(name)]]
        stored = {"integer": int, "number": int | float, "boolean": bool, "string": str}
        for column in as_stored:  # numbers stored as numbers, never as text
            kind = stored[column.field.type]
            assert all(value is None or isinstance(value, kind) for value in back[column.field.column]), (name, column)
        pd.testing.assert_frame_equal(typed(back, name), typed(frame, name), check_dtype=True)
        for column in columns:
            if column.in_words:  # each code said in words beside it
                codes = sheet[CODES_TITLE.format(title=column.title)]
                said = codes.map(lambda code: code_labels()[code] if code else None)
                assert sheet[column.title].tolist() == said.tolist(), (name, column.title)
    book.close()
    editable = load_workbook(out / WORKBOOK)
    assert all(editable[name].freeze_panes == "A2" for name in EXPORT_TABLES)
    about = [row[1] for row in editable[ABOUT_SHEET].iter_rows(values_only=True) if row and len(row) > 1]
    assert any(isinstance(text, str) and "lgsco-analysis" in text for text in about)
    assert any(isinstance(text, str) and "fictional samples" in text for text in about)


@pytest.mark.slow
def test_numbers_are_numbers_and_blanks_are_blank_in_the_workbook(exported):
    _, out = exported
    sheet = load_workbook(out / WORKBOOK, read_only=True)["statistics"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert all(isinstance(row[4], int | float) for row in rows)  # value
    assert any(row[5] is None for row in rows)  # similar_average: blank where the letter gives none


@pytest.mark.slow
def test_the_data_package_validates_and_notices_a_changed_file(exported, tmp_path):
    frictionless = pytest.importorskip(
        "frictionless", reason="frictionless is a test dependency: pip install -e '.[test]'"
    )
    _, out = exported
    report = frictionless.validate(out / DATA_PACKAGE)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads((out / DATA_PACKAGE).read_text())
    assert [resource["name"] for resource in package["resources"]] == list(EXPORT_TABLES)
    status = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "status")
    assert status["constraints"]["enum"] == ["ok", "warning", "error"]
    changed = tmp_path / "changed"
    shutil.copytree(out, changed)
    text = (changed / "letters.csv").read_text()
    (changed / "letters.csv").write_text(text.replace(",ok,", ",warning,", 1))
    assert not frictionless.validate(changed / DATA_PACKAGE).valid


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://example.invalid","click")', "+44 20 7946 0000", "-1+1", "@SUM(A1)"]
)
def test_a_hostile_name_cannot_become_a_formula(name, tmp_path):
    letter = Letter(
        source="x.pdf", sha256="0", authority=name, year_ending=2018, format="A", status="warning", problems=[name]
    )
    dataset = letters_to_dataset([letter])
    dataset.groups = pd.DataFrame({"authority": [name], "ons_code": [""], "group": ["Unmatched"]}, dtype="string")
    write_dataset(dataset, tmp_path / "processed")
    export_data(tmp_path / "processed", tmp_path / "out", ["xlsx"])
    with zipfile.ZipFile(tmp_path / "out" / WORKBOOK) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(re.search(r"<f[ >]", sheet) for sheet in sheets)  # no formula anywhere
    cell = load_workbook(tmp_path / "out" / WORKBOOK)["letters"]["A2"]  # authority: the first column
    assert cell.value == name and cell.data_type == "s"


@pytest.mark.slow
def test_a_failed_export_leaves_the_previous_files_whole(exported, tmp_path, monkeypatch):
    processed, out = exported
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    before = {path.name: path.read_bytes() for path in copy.iterdir() if path.is_file()}
    fail_on_call(monkeypatch, pd.DataFrame, "to_csv", 3, OSError("disk full"))
    with pytest.raises(OSError, match="disk full"):
        export_data(processed, copy, ["csv"])
    after = {path.name: path.read_bytes() for path in copy.iterdir() if path.is_file()}
    assert set(after) == set(before)
    assert after[DATA_PACKAGE] == before[DATA_PACKAGE]  # the description still matches what it describes
    assert not list(copy.glob(".*.tmp"))


@pytest.mark.slow
def test_the_cli_exports_csv_only_and_rejects_nothing_to_export(sample_processed, tmp_path, capsys):
    out = tmp_path / "csv"
    assert main(["export", "--processed", str(sample_processed), "--out", str(out), "--format", "csv"]) == 0
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == sorted(
        [*(f"{name}.csv" for name in EXPORT_TABLES), DATA_PACKAGE]
    )
    assert main(["export", "--processed", str(tmp_path / "nothing"), "--out", str(tmp_path / "x")]) == 2
    assert "run `lgsco parse` first" in capsys.readouterr().err


@pytest.mark.slow
def test_the_index_links_the_downloads_and_they_resolve(rendered_reports):
    reports = rendered_reports["reports"]
    index = (reports / "index.html").read_text()
    links = re.findall(r'href="(data/[^"]+)"', index)
    assert f"data/{WORKBOOK}" in links and f"data/{DATA_PACKAGE}" in links and "data/letters.csv" in links
    assert all((reports / link).is_file() for link in links)
    assert "Download the data:" in index


def test_csv_numbers_are_written_as_read():
    from lgsco_analysis.exports.tables import _whole_numbers_without_a_point

    frame = pd.DataFrame({"value": pd.array([2.0, 1.4, None, 100 / 3], dtype="Float64"), "name": ["a", "b", "c", "d"]})
    written = _whole_numbers_without_a_point(frame).to_csv(index=False)
    assert written == "value,name\n2,a\n1.4,b\n,c\n33.333333333333336,d\n"


def _hand_built_workbook(path):
    """The hand-built dataset's workbook, each sheet as its rows of values."""
    write_workbook(export_tables(hand_built.dataset()), ABOUT, path, TABLE_TITLES)
    book = load_workbook(path)
    return book, {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


ABOUT = {"exported": "2026-12-03T10:00:00+00:00", "package_version": "0", "letters": 9, "sample_letters": 0}


def test_the_workbook_reads_in_words_with_a_row_per_council_and_year(tmp_path):
    book, sheets = _hand_built_workbook(tmp_path / "book.xlsx")
    assert book.sheetnames[:3] == [ABOUT_SHEET, "council_years", "letters"]  # the wide sheet first after About

    letters = sheets["letters"]
    assert letters[0][:3] == ("Authority", "Year ending 31 March", "Letter format")
    assert letters[0][-2:] == ("Source file", "SHA-256 of the file")  # where a row comes from, last
    assert "Source kind" in letters[0] and "Source kind (code)" in letters[0]

    received = sheets["received"]
    assert received[0] == ("Authority", "Year ending 31 March", "Category", "Category (code)",
                           "Complaints and enquiries received", "Source file")  # fmt: skip
    assert received[1] == (hand_built.ASHBY, 2018, "Adult care services", "adult_care_services", 1, "ashby-2018.pdf")

    years = {row[-1]: row for row in sheets["council_years"][1:]}
    assert len(years) == 8  # every letter naming its council and year; the unreadable file has none
    # Ashby 2018 by hand: decided 1+2+4+8+6+4 = 25, investigated 6+4 = 10, upheld 4, 40%; remedies 3 and 1
    assert years["ashby-2018.pdf"] == (
        hand_built.ASHBY, hand_built.DISTRICTS, 2018, "A", 38, 25, 10, 4, 40, None, None, None, 3, 1, "ok", None,
        None, "ashby-2018.pdf",
    )  # fmt: skip
    assert years["dunmore-2025.pdf"][2:9] == (2025, "D", None, 95, 33, 26, 100 * 26 / 33)  # not the printed 79
    assert years["dunmore-2025.pdf"][-2] == "format change"
    assert all(isinstance(value, int) for value in years["ashby-2018.pdf"][4:9])  # counts are whole numbers

    measures = sheets["measures"]
    value = measures[0].index("Value")
    assert all(type(row[value]) is int for row in measures[1:] if row[value] is not None and row[value] % 1 == 0)

    for name in ("council_years", "letters", "received"):
        sheet = book[name]
        assert sheet.print_title_rows == "$1:$1" and sheet.print_options.gridLines
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.orientation == "landscape"
    hash_column = book["letters"].column_dimensions[get_column_letter(len(letters[0]))]
    assert hash_column.width >= 64 + 2  # a hash printed whole
    about = " ".join(str(row[1]) for row in sheets[ABOUT_SHEET] if len(row) > 1)
    assert LETTERS_ADDRESS in about

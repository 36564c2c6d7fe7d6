"""CSV, Excel and the data package: the same values and types back, text never a formula."""

from __future__ import annotations

import json
import re
import shutil
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

import lgsco_analysis as lgsco
from lgsco_analysis.cli import main
from lgsco_analysis.dataset.tables import letters_to_dataset, write_dataset
from lgsco_analysis.exports.tables import DATA_PACKAGE, EXPORT_TABLES, WORKBOOK, export_data, export_tables
from lgsco_analysis.exports.workbook import ABOUT_SHEET, COLUMNS_SHEET
from lgsco_analysis.read.record import Letter
from lgsco_analysis.rules.dictionary import table_fields

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
        written = back[numbers].stack()
        assert not written.str.fullmatch(r"-?\d+\.0").any(), f"{name}: a whole number written with a point"
    assert back["value"].str.fullmatch(r"\d+").any() and back["value"].str.fullmatch(r"\d+\.\d+").any()  # measures


@pytest.mark.slow
def test_excel_round_trip_gives_the_same_values_and_types(exported):
    processed, out = exported
    tables = export_tables(lgsco.load(processed))
    book = load_workbook(out / WORKBOOK, read_only=True)
    assert book.sheetnames == [ABOUT_SHEET, *EXPORT_TABLES, COLUMNS_SHEET]  # what the data are comes first
    for name, frame in tables.items():
        rows = list(book[name].iter_rows(values_only=True))
        fields = table_fields(name)
        assert list(rows[0]) == [field.title for field in fields]  # headers a person reads
        values = [value for row in rows[1:] for value in row]
        assert not any(isinstance(value, str) and value in ("nan", "<NA>", "None", "NaN") for value in values)
        width = len(fields)  # a row's trailing blank cells are not stored: pad them back
        padded = [list(row) + [None] * (width - len(row)) for row in rows[1:]]
        back = pd.DataFrame(padded, columns=[field.column for field in fields], dtype=object)
        stored = {"integer": int, "number": int | float, "boolean": bool, "string": str}
        for field in fields:  # numbers stored as numbers, never as text
            kind = stored[field.type]
            assert all(value is None or isinstance(value, kind) for value in back[field.column]), (name, field.column)
        pd.testing.assert_frame_equal(typed(back, name), typed(frame, name), check_dtype=True)
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
    cell = load_workbook(tmp_path / "out" / WORKBOOK)["letters"]["C2"]
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

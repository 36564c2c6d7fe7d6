"""One Excel workbook of the tables: a sheet that says what they are first, then a sheet per table.

Headers are the titles a person reads (from ``data/fields.csv``), frozen above the rows; a
column of codes is said in words first, its codes beside it (``data/code_labels.csv``); where a
row comes from (file and hash) is last. Numbers are stored as numbers (a count as a whole
number) and blanks as blanks; text from letters stays text. Printed, a sheet fits the page's
width, repeats its headings on every page and rules its cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..rules.dictionary import Field, caveats, code_labels, in_words, table_fields
from ..rules.fetching import LETTERS_ADDRESS

ABOUT_SHEET = "About these data"
COLUMNS_SHEET = "Columns"
BOLD = Font(bold=True)
HEADING = Font(bold=True, size=14)
WRAPPED = Alignment(wrap_text=True, vertical="top")
CENTRED = Alignment(horizontal="center")
ABOUT_TEXT_WIDTH = 90
"""Characters to a line of the about sheet's texts."""
FORMULA_STARTS = ("=", "+", "-", "@")
"""A cell beginning with one of these could be taken for a formula by a spreadsheet."""
PROVENANCE_COLUMNS = ("source", "sha256")
"""Where a row comes from: a sheet's last columns, after what a person reads."""
CENTRED_COLUMNS = ("year_ending", "format", "status")
"""Short values centred, so that printed side by side they stay apart ("2018" and "A", not "2018A")."""
CODES_TITLE = "{title} (code)"


@dataclass(frozen=True)
class SheetColumn:
    """One column of a table's sheet: a column of the table, as its values or its codes in words."""

    field: Field
    title: str
    in_words: bool


def sheet_columns(table: str) -> list[SheetColumn]:
    """The columns of a table's sheet, in order: a column of codes in words with its codes after it,
    :data:`PROVENANCE_COLUMNS` last."""
    ordered = sorted(table_fields(table), key=lambda field: field.column in PROVENANCE_COLUMNS)  # stable
    columns = []
    for field in ordered:
        if in_words(field):
            columns.append(SheetColumn(field, field.title, in_words=True))
            columns.append(SheetColumn(field, CODES_TITLE.format(title=field.title), in_words=False))
        else:
            columns.append(SheetColumn(field, field.title, in_words=False))
    return columns


def _sheet_values(frame: pd.DataFrame, column: SheetColumn) -> pd.Series:
    values = frame[column.field.column]
    if column.in_words:
        return values.map(lambda code: code_labels().get(code, code), na_action="ignore")
    return values


def _value(value: object) -> object:
    """A value as a spreadsheet should hold it: numbers as numbers, missing as blank."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy and pandas scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a count of 2 is 2, not 2.0 (measures holds counts and rates in one column)
    return value


def _readable_time(iso: str | None) -> str:
    """``2026-11-29T08:41:40+00:00`` as "29 November 2026 at 08:41 UTC"."""
    if not iso:
        return "not recorded"
    moment = datetime.fromisoformat(iso).astimezone(UTC)
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"


def _fit_to_page_width(sheet) -> None:
    """Printed (or turned into a PDF), the sheet is as wide as a landscape page, its cells ruled."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True


def _cell(sheet, value: object, font: Font | None = None, alignment: Alignment | None = None):
    cell = WriteOnlyCell(sheet, value=_value(value))
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # text, not a formula
        cell.quotePrefix = True  # and so it stays when someone edits the cell
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _about_sheet(book: Workbook, tables: dict[str, pd.DataFrame], about: dict, titles: dict[str, str]) -> None:
    sheet = book.create_sheet(ABOUT_SHEET)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = ABOUT_TEXT_WIDTH + 5
    _fit_to_page_width(sheet)

    rows = 1

    def row(label: str = "", text: object = "", font: Font | None = None) -> None:
        nonlocal rows
        rows += 1
        lines = max(1, -(-len(str(text)) // ABOUT_TEXT_WIDTH))  # a wrapped text's lines, rounded up
        sheet.row_dimensions[rows].height = 15 * lines  # rows are written once: set their height first
        sheet.append([_cell(sheet, label, font or BOLD, WRAPPED), _cell(sheet, text, alignment=WRAPPED)])

    sheet.append([_cell(sheet, "LGSCO annual review letters, as tidy tables", HEADING), _cell(sheet, None)])
    row()
    row(
        "What these are",
        "What the Local Government and Social Care Ombudsman's annual review letters to English councils "
        "print: complaints and enquiries received, decisions made, complaints remedied and headline "
        "statistics, one letter per council per year. Every count is as printed in the letter.",
    )
    row(
        "Where they come from",
        "The letters (PDFs) the Ombudsman publishes on each council's page of \"Your council's performance\", "
        f"{LETTERS_ADDRESS} (lgsco fetch collects them), read by lgsco-analysis; the letters sheet names each file.",
    )
    row("Exported", _readable_time(about["exported"]))
    row(
        "By",
        f"lgsco-analysis {about['package_version']} (reading code {(about.get('reading_code_sha256') or '?')[:12]})",
    )
    row("Tables written", _readable_time(about.get("tables_written")))
    row("Data hash", f"{about.get('data_sha256') or '?'} (the reports made from these tables print its first 12)")
    row("Letters", f"{about['letters']:,}")
    if about["sample_letters"]:
        row("SAMPLE DATA", f"{about['sample_letters']:,} letters are fictional samples with made-up figures.")
    row()
    row("Sheets", "", HEADING)
    for name in tables:
        row(name, titles[name])
    row(COLUMNS_SHEET, "What every column means, and the codes it may hold")
    row()
    row("Caveats", "Read these before comparing councils or years", HEADING)
    for caveat in caveats():
        row(caveat.name, caveat.text)


def _columns_sheet(book: Workbook, tables: dict[str, pd.DataFrame]) -> None:
    sheet = book.create_sheet(COLUMNS_SHEET)
    for letter, width in zip("ABCDE", (18, 20, 34, 80, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    _fit_to_page_width(sheet)
    sheet.append([_cell(sheet, title, BOLD) for title in ("Sheet", "Column", "Heading", "Meaning", "Codes")])
    for name in tables:
        for column in sheet_columns(name):
            field = column.field
            if column.in_words:
                meaning, codes = f"{field.description} (in words; the codes are in the next column)".lstrip(), ""
            else:
                meaning, codes = field.description, ", ".join(value for value in field.values if value)
            texts = (name, field.column, column.title, meaning, codes)
            sheet.append([_cell(sheet, text, alignment=WRAPPED) for text in texts])


def _table_sheet(book: Workbook, name: str, frame: pd.DataFrame) -> None:
    sheet = book.create_sheet(name)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _fit_to_page_width(sheet)
    columns = sheet_columns(name)
    values = [_sheet_values(frame, column) for column in columns]
    for index, (column, column_values) in enumerate(zip(columns, values, strict=True), start=1):
        longest = column_values.head(200).astype("string").str.len().max()
        for_values = int(0 if pd.isna(longest) else longest) + 2
        title = column.title
        for_title = max(max(len(word) for word in title.split()), len(title) // 3) + 3  # bold, over 3 lines
        widest = 66 if column.field.column in PROVENANCE_COLUMNS else 45  # a hash, whole
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(widest, max(for_values, for_title)))
    sheet.row_dimensions[1].height = 60  # headings wrap over up to four lines
    sheet.append([_cell(sheet, column.title, BOLD, WRAPPED) for column in columns])
    alignments = [CENTRED if column.field.column in CENTRED_COLUMNS else None for column in columns]
    for row in zip(*(column_values.tolist() for column_values in values), strict=True):
        sheet.append(
            [_cell(sheet, value, alignment=alignment) for value, alignment in zip(row, alignments, strict=True)]
        )


def write_workbook(tables: dict[str, pd.DataFrame], about: dict, path: Path, titles: dict[str, str]) -> None:
    """Write the workbook: the about sheet first (naming each table by ``titles``), a sheet per table,
    then the columns explained."""
    book = Workbook(write_only=True)
    _about_sheet(book, tables, about, titles)
    for name, frame in tables.items():
        _table_sheet(book, name, frame)
    _columns_sheet(book, tables)
    book.save(path)

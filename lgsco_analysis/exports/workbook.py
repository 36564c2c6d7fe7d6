"""One Excel workbook of the tables: a sheet that says what they are first, then a sheet per table.

Headers are the titles a person reads (from ``data/fields.csv``), frozen above the rows;
numbers are stored as numbers and blanks as blanks; text from letters stays text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from ..rules.dictionary import caveats, table_fields

ABOUT_SHEET = "About these data"
COLUMNS_SHEET = "Columns"
BOLD = Font(bold=True)
HEADING = Font(bold=True, size=14)
WRAPPED = Alignment(wrap_text=True, vertical="top")
ABOUT_TEXT_WIDTH = 90
"""Characters to a line of the about sheet's texts."""
FORMULA_STARTS = ("=", "+", "-", "@")
"""A cell beginning with one of these could be taken for a formula by a spreadsheet."""


def _value(value: object) -> object:
    """A value as a spreadsheet should hold it: numbers as numbers, missing as blank."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy and pandas scalars
        return value.item()
    return value


def _readable_time(iso: str | None) -> str:
    """``2026-11-29T08:41:40+00:00`` as "29 November 2026 at 08:41 UTC"."""
    if not iso:
        return "not recorded"
    moment = datetime.fromisoformat(iso).astimezone(UTC)
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"


def _fit_to_page_width(sheet) -> None:
    """Printed (or turned into a PDF), the sheet is as wide as a landscape page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


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
    row("Where they come from", "The letters (PDFs), read by lgsco-analysis; the Letters sheet names each file.")
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
        for field in table_fields(name):
            codes = ", ".join(value for value in field.values if value)
            texts = (name, field.column, field.title, field.description, codes)
            sheet.append([_cell(sheet, text, alignment=WRAPPED) for text in texts])


def write_workbook(tables: dict[str, pd.DataFrame], about: dict, path: Path, titles: dict[str, str]) -> None:
    """Write the workbook: the about sheet first (naming each table by ``titles``), a sheet per table,
    then the columns explained."""
    book = Workbook(write_only=True)
    _about_sheet(book, tables, about, titles)
    for name, frame in tables.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        _fit_to_page_width(sheet)
        fields = table_fields(name)
        for index, field in enumerate(fields):
            longest = frame[field.column].head(200).astype("string").str.len().max()
            for_values = int(0 if pd.isna(longest) else longest) + 2
            for_title = max(max(len(word) for word in field.title.split()), len(field.title) // 3) + 2  # 3 lines
            sheet.column_dimensions[chr(ord("A") + index)].width = max(10, min(45, max(for_values, for_title)))
        sheet.row_dimensions[1].height = 60  # headings wrap over up to four lines
        sheet.append([_cell(sheet, field.title, BOLD, WRAPPED) for field in fields])
        for values in frame.itertuples(index=False, name=None):
            sheet.append([_cell(sheet, value) for value in values])
    _columns_sheet(book, tables)
    book.save(path)

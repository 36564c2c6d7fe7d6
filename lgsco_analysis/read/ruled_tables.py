"""The second reader: tables from their ruling lines, by camelot's vector lattice.

It reads only the pages where the text layer found a table, and only from drawn lines
(``engine="vector"``): the image-rendering lattice costs seconds a page and adds nothing
the text layer lacks. A producer that draws no stroked rules gives it nothing to read.
"""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import RuledTablesUnreadable
from ..rules.typography import normalise
from ..rules.vocabulary import match_label
from .numbers import is_number_like
from .readings import Column, ValueRow


@dataclass
class Table:
    """One table as camelot found it: a grid of cell texts, rows top to bottom."""

    page: int
    cells: list[list[str]]


def read_ruled_tables(path: Path, pages: list[int], upright_rotations: dict[int, int] | None = None) -> list[Table]:
    """Ruled tables on the given 1-based pages, in page order. Raises RuledTablesUnreadable.

    Pages a viewer shows turned are given to camelot upright (``upright_rotations``, from the
    text layer), in a copy: camelot would otherwise lay each such page out twice to turn it.
    """
    if not pages:
        return []
    turned = {page: rotation for page, rotation in (upright_rotations or {}).items() if page in pages}
    if turned:
        with tempfile.TemporaryDirectory(prefix="lgsco-upright-") as folder:
            found = _camelot_tables(_upright_copy(path, turned, Path(folder)), pages)
    else:
        found = _camelot_tables(path, pages)
    tables = [
        Table(page=int(table.page), cells=[[normalise(cell) for cell in row] for row in table.df.values.tolist()])
        for table in found
    ]
    tables.sort(key=lambda table: table.page)  # camelot keeps page order within a page
    return tables


def _camelot_tables(path: Path, pages: list[int]) -> Any:
    """camelot's vector lattice on the pages; raises RuledTablesUnreadable."""
    import camelot  # imported here: it is slow to import and only parsing needs it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return camelot.read_pdf(str(path), pages=",".join(map(str, pages)), flavor="lattice", engine="vector")
        except Exception as error:  # camelot raises many kinds on malformed pages
            raise RuledTablesUnreadable(f"{type(error).__name__}: {error}") from None


def _upright_copy(path: Path, rotations: dict[int, int], folder: Path) -> Path:
    """A copy of the PDF whose given pages carry the ``/Rotate`` that shows them upright."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        for page, rotation in rotations.items():
            document[page - 1].set_rotation(rotation)
        copy = folder / "upright.pdf"
        document.save(copy)
    finally:
        document.close()
    return copy


def _is_value_row(row: list[str]) -> bool:
    """Mostly numbers (or absent marks) and no labels: the values under a header."""
    filled = [cell for cell in row if cell.strip()]
    numbers = [cell for cell in filled if is_number_like(cell)]
    return bool(numbers) and 2 * len(numbers) >= len(filled) and not any(match_label(c) for c in filled)


def join_broken_tables(tables: list[Table]) -> list[Table]:
    """Join a table whose labels end a page to the value rows that start the next page."""
    joined: list[Table] = []
    for table in tables:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and table.page == previous.page + 1
            and table.cells
            and previous.cells
            and len(table.cells[0]) == len(previous.cells[0])
            and not _is_value_row(previous.cells[-1])
            and _is_value_row(table.cells[0])
        ):
            joined[-1] = Table(page=previous.page, cells=previous.cells + table.cells)
        else:
            joined.append(table)
    return joined


def grid_rows(table: Table) -> list[ValueRow]:
    """Each row of values in a cell grid, every cell under the non-empty cells above it."""
    rows, header_start = [], 0
    for row_index, row in enumerate(table.cells):
        if not _is_value_row(row):
            continue
        columns = [
            Column(
                header=tuple(
                    table.cells[r][column]
                    for r in range(header_start, row_index)
                    if column < len(table.cells[r]) and table.cells[r][column].strip()
                ),
                value=cell,
            )
            for column, cell in enumerate(row)
        ]
        rows.append(ValueRow(page=table.page, columns=tuple(columns)))
        header_start = row_index + 1
    return rows

"""What every column means, and the caveats of the series, held once as data.

``data/fields.csv`` describes each table's columns (type, a title a person reads, meaning,
allowed codes); ``data/code_labels.csv`` says each code in words (and shorter, where a chart's
axis needs it); ``data/caveats.csv`` the caveats an analyst must know, with the year of each
break in the series that charts draw. The data dictionary (``docs/data_dictionary.md``), the
reports' caveats, the charts' break lines, the Excel workbook and the Frictionless data
package are all made from them: :func:`refresh_document` rewrites the dictionary's generated blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from .files import rule_rows
from .formats import FORMAT_YEARS


@dataclass(frozen=True)
class Field:
    """One column of one table."""

    table: str
    column: str
    type: str  # a Frictionless type: string, integer, number or boolean
    title: str
    description: str
    values: tuple[str, ...]  # the allowed codes, when the column holds codes


@cache
def fields() -> tuple[Field, ...]:
    """Every column of every table, in table order."""
    return tuple(
        Field(
            table=row["table"],
            column=row["column"],
            type=row["type"],
            title=row["title"],
            description=row["description"],
            values=tuple(row["values"].split("|")) if row["values"] else (),
        )
        for row in rule_rows("fields.csv")
    )


def table_fields(table: str) -> tuple[Field, ...]:
    found = tuple(field for field in fields() if field.table == table)
    if not found:
        raise KeyError(f"fields.csv describes no table {table!r}")
    return found


@cache
def code_labels() -> dict[str, str]:
    """Each code in words: ``adult_care_services`` is "Adult care services"."""
    return {row["code"]: row["label"] for row in rule_rows("code_labels.csv")}


@cache
def chart_labels() -> dict[str, str]:
    """Each code as a chart's axis or legend says it: the label, or a shorter one where ``code_labels.csv``
    gives one ("Adult care")."""
    return {row["code"]: row["chart_label"] or row["label"] for row in rule_rows("code_labels.csv")}


def in_words(field: Field) -> bool:
    """Whether every code the column may hold has words (a column of codes a person reads as words)."""
    codes = [value for value in field.values if value]
    return bool(codes) and all(code in code_labels() for code in codes)


FORMAT_CHANGE = "format change"
FORMAT_CHANGE_YEARS: list[int] = sorted(years.start for years in FORMAT_YEARS.values())[1:]
"""The first year of each format after the first: where the series breaks for a change of format."""


class Caveat(NamedTuple):
    """One caveat: a name in bold, its text, and for a break in the series its year and kind."""

    name: str
    text: str
    year_ending: int | None
    kind: str  # "break" (drawn on trend charts), "format change", or "" for a general caveat
    chart_label: str

    @property
    def sentence(self) -> str:
        return f"{self.name} {self.text}"


@cache
def caveats() -> tuple[Caveat, ...]:
    """Every caveat, in the order they should be read.

    The years of the format changes are :data:`formats.FORMAT_YEARS`' own: ``caveats.csv``
    may not give others (a ValueError says so), so the two cannot drift apart.
    """
    found = tuple(
        Caveat(
            name=row["caveat"],
            text=row["text"],
            year_ending=int(row["year_ending"]) if row["year_ending"] else None,
            kind=row["kind"],
            chart_label=row["chart_label"],
        )
        for row in rule_rows("caveats.csv")
    )
    changes = sorted(c.year_ending for c in found if c.kind == FORMAT_CHANGE and c.year_ending is not None)
    if changes != FORMAT_CHANGE_YEARS:
        raise ValueError(f"caveats.csv has format changes in {changes}; formats.FORMAT_YEARS in {FORMAT_CHANGE_YEARS}")
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def columns_markdown(table: str) -> str:
    lines = ["| column | type | meaning | codes |", "|---|---|---|---|"]
    for field in table_fields(table):
        meaning = f"**{field.title}**" + (f": {field.description}" if field.description else "")
        codes = ", ".join(f"`{value}`" if value else "(empty)" for value in field.values)
        lines.append(f"| {field.column} | {field.type} | {_cell(meaning)} | {_cell(codes)} |")
    return "\n".join(lines)


def caveats_markdown() -> str:
    return "\n".join(f"- **{caveat.name}** {caveat.text}" for caveat in caveats())


_BLOCK = re.compile(r"<!-- generated: (?P<what>[a-z_ ]+) -->.*?<!-- end generated -->", re.S)


def refresh_document(text: str) -> str:
    """The document with every generated block made again from the data."""

    def made(match: re.Match) -> str:
        what = match["what"].split()
        body = caveats_markdown() if what == ["caveats"] else columns_markdown(what[1])
        return f"<!-- generated: {match['what']} -->\n{body}\n<!-- end generated -->"

    return _BLOCK.sub(made, text)

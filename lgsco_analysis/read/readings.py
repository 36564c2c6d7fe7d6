"""Values read from a letter, where each was read, and the rule that a value read twice must agree.

Both table readers (the text layer's words, camelot's ruling lines) hand over the same thing:
rows of columns, each a value under its header lines. One labeller turns those into values by
the printed labels of ``data/label_aliases.csv``, so the readers differ only in how they find
the columns.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..rules.vocabulary import match_label, match_label_closely
from .numbers import UnreadableNumber, parse_count, parse_number


class Target(NamedTuple):
    """Where a value goes: ``Target("received", "housing")``, ``Target("statistics", "uphold_rate", "base")``.

    ``table`` is received, decisions, remedies or statistics; ``name`` a category, decision,
    remedy, total (``received_total``, ``decisions_total``) or measure; ``part`` is used by
    statistics only: value, similar_average or base.
    """

    table: str
    name: str
    part: str | None = None

    def describe(self) -> str:
        words = self.name if self.part in (None, "value") else f"{self.name} {self.part}"
        return words.replace("_", " ")


def _show(value: float | int | None) -> str:
    return "blank" if value is None else f"{value:g}"


class Facts:
    """Values found so far. A value found twice must agree; if not, it is left out with a problem."""

    def __init__(self) -> None:
        self._values: dict[Target, float | int | None] = {}
        self._where: dict[Target, str] = {}
        self._left_out: set[Target] = set()
        self.problems: list[str] = []

    def add(self, target: Target, value: float | int | None, where: str) -> None:
        if target in self._left_out:
            return
        if target in self._values and self._values[target] != value:
            self.leave_out(
                target,
                f"{target.describe()} is printed as {_show(self._values[target])} ({self._where[target]}) "
                f"and as {_show(value)} ({where}): left out",
            )
            return
        self._values[target] = value
        self._where[target] = where

    def leave_out(self, target: Target, problem: str) -> None:
        """Record why a value cannot be trusted; it is dropped and later readings of it are ignored."""
        self.problems.append(problem)
        self._left_out.add(target)
        self._values.pop(target, None)

    def note(self, problem: str) -> None:
        self.problems.append(problem)

    def merge(self, other: Facts) -> None:
        """Add another reading's values (each with where it was read) and its problems."""
        self.problems.extend(other.problems)
        self._left_out |= other._left_out
        for target in other._left_out:
            self._values.pop(target, None)
        for target, value in other.items():
            self.add(target, value, other.where(target))

    def get(self, target: Target) -> float | int | None:
        return self._values.get(target)

    def has(self, target: Target) -> bool:
        return target in self._values

    def where(self, target: Target) -> str:
        return self._where[target]

    def left_out(self, target: Target) -> bool:
        return target in self._left_out

    def items(self) -> Iterator[tuple[Target, float | int | None]]:
        return iter(list(self._values.items()))

    def __len__(self) -> int:
        return len(self._values)


@dataclass(frozen=True)
class Column:
    """One value and the header lines (or cells) printed above it, top to bottom."""

    header: tuple[str, ...]
    value: str


@dataclass(frozen=True)
class ValueRow:
    """A row of values in a table, each under its own header, as one reader found it."""

    page: int
    columns: tuple[Column, ...]


def header_label(header: Sequence[str], closely: bool = False) -> tuple[str, str] | None:
    """The label of a column's header lines: the longest trailing run that is a known label.

    Group headings above ("Detailed Investigations") and table headings fall away, and a
    label wrapped or hyphen-split over lines is joined. With ``closely`` (headers read by OCR),
    a run that is no label exactly may be one misread by a letter or two.
    """
    for matcher in (match_label, match_label_closely) if closely else (match_label,):
        for start in range(len(header)):
            match = matcher("\n".join(header[start:]))
            if match:
                return match
    return None


def _target(table: str, name: str, tables_in_row: set[str]) -> Target | None:
    if name == "total":
        if "received" in tables_in_row:
            return Target("received", "received_total")
        if "decisions" in tables_in_row:
            return Target("decisions", "decisions_total")
        return None
    if name == "uphold_rate":
        return Target("statistics", "uphold_rate", "value")
    return Target(table, name)


def read_rows(rows: Iterable[ValueRow], where: str, read_by_ocr: Collection[int] = ()) -> Facts:
    """The labelled values of a reader's rows; ``where`` names the reader in problems.

    Headers on the pages ``read_by_ocr`` may match a label closely (:func:`header_label`).

    A row with no known label is not a table of the letter and is passed over. In a row
    with one, a value under no known label, a cell that is not a number and a Total that
    belongs to no table are problems, never guesses.
    """
    facts = Facts()
    for row in rows:
        labels = [header_label(column.header, closely=row.page in read_by_ocr) for column in row.columns]
        if not any(labels):
            continue
        tables_in_row = {label[0] for label in labels if label and label[1] != "total"}
        place = f"{where} on page {row.page}"
        for column, label in zip(row.columns, labels, strict=True):
            if label is None:
                if not column.value.strip():
                    continue  # an empty cell under no label: no value printed
                heading = " ".join(" ".join(column.header).split()) or "nothing"
                facts.note(f"{column.value!r} on page {row.page} sits under no known label (under {heading!r})")
                continue
            target = _target(*label, tables_in_row)
            if target is None:
                facts.note(f"a 'Total' on page {row.page} belongs to no known table")
                continue
            try:
                value = parse_number(column.value) if target.table == "statistics" else parse_count(column.value)
            except UnreadableNumber as error:
                facts.leave_out(target, f"{target.describe()} on page {row.page}: {error}")
                continue
            if value is None and target.table != "statistics":
                continue  # a blank count is not printed, so it is absent
            facts.add(target, value, place)
    return facts


TEXT_LAYER, RULING_LINES = "from the text layer", "from the ruling lines"
OCR_FIRST, OCR_SECOND = "by OCR", "on OCR's second look (the number alone, digits only, at another resolution)"


def confirm_with(facts: Facts, other: Facts, mine: str = TEXT_LAYER, theirs: str = RULING_LINES) -> int:
    """Check one reading's values against another's of the same letter; return how many agree.

    A value the two read differently, or one that only ``other`` read, is left out of
    ``facts`` with a problem naming both readings (``mine`` and ``theirs`` say how each read).
    """
    agreed = 0
    for target, value in other.items():
        if facts.left_out(target):
            continue
        if not facts.has(target):
            if value is None:
                continue  # a blank cell: neither reader read a value
            facts.leave_out(
                target,
                f"{target.describe()} is read as {_show(value)} {theirs} ({other.where(target)}) "
                f"but not {mine}: left out",
            )
        elif facts.get(target) != value:
            facts.leave_out(
                target,
                f"{target.describe()} is read as {_show(facts.get(target))} {mine} ({facts.where(target)}) "
                f"and as {_show(value)} {theirs} ({other.where(target)}): left out",
            )
        else:
            agreed += 1
    return agreed


def corroborate(first: Facts, second: Facts) -> int:
    """Keep only the OCR values its second look read the same; return how many agree.

    Unlike camelot's reading, the second look sees every number the first saw: a value it
    did not read at all is left out too.
    """
    for target, value in first.items():
        if value is not None and not second.has(target):
            first.leave_out(
                target,
                f"{target.describe()} is read as {_show(value)} {OCR_FIRST} ({first.where(target)}) "
                f"but not {OCR_SECOND}: left out",
            )
    return confirm_with(first, second, OCR_FIRST, OCR_SECOND)

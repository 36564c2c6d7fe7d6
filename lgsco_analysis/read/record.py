"""The parsed letter as a plain record: the fields of a ``letters.parquet`` row and its counts.

The parser fills it, the checks read it, the dataset tables it; none of them needs the others.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..rules.vocabulary import FORMAT_A_SUMS, LETTER, READ_BY_OCR, Status

TABLE_READERS = ("text", "text+camelot", READ_BY_OCR)
"""What ``Letter.tables_read_by`` may hold besides "" (the data dictionary's codes): the text layer's tables,
alone or checked value by value against camelot's reading of the ruling lines; or ``ocr``, a letter with
pages read by OCR from their image, every number on them read twice."""


@dataclass
class Letter:
    """One letter as parsed: the fields of a ``letters.parquet`` row and its counts."""

    source: str
    sha256: str
    authority: str | None = None
    year_ending: int | None = None
    format: str | None = None
    status: str = Status.OK
    problems: list[str] = field(default_factory=list)
    sample: bool = False
    source_kind: str = LETTER
    """A letter PDF, or a council's statistics page (``vocabulary.SOURCE_KINDS``)."""
    tables_read_by: str = ""
    printed_tables: list[str] = field(default_factory=list)
    """Tables whose heading the letter prints ("received", "decisions", ...): each must be read."""
    printed_figures: dict[str, list[str]] = field(default_factory=dict)
    """For each rule of ``rules/data/printed_figures.csv`` whose words the letter prints (by its
    ``words``), the text printed each time: the figure those words introduce must be read."""
    received: dict[str, int] = field(default_factory=dict)
    received_total: int | None = None
    decisions: dict[str, int] = field(default_factory=dict)
    decisions_total: int | None = None
    remedies: dict[str, int] = field(default_factory=dict)
    statistics: dict[str, dict[str, float | int | None]] = field(default_factory=dict)

    def investigated(self) -> int | None:
        """Detailed investigations: the sum :data:`FORMAT_A_SUMS` names in format A, as printed in C and D."""
        if self.format == "A":
            parts = FORMAT_A_SUMS["investigated"]
            return sum(self.decisions[part] for part in parts) if set(parts) <= self.decisions.keys() else None
        return self.decisions.get("investigated")

    def has_figure(self, figure: str) -> bool:
        """Whether a figure named ``table.name[.part]`` (as in ``printed_figures.csv``) was read."""
        table, name, *part = figure.split(".")
        if name in ("received_total", "decisions_total"):
            return getattr(self, name) is not None
        if table == "statistics":
            return self.statistics.get(name, {}).get(part[0] if part else "value") is not None
        return name in getattr(self, table)

    def leave_out(self, figure: str) -> None:
        """Drop a figure named as for :meth:`has_figure`; a table's name alone drops the table and its total."""
        table, *names = figure.split(".")
        if not names:
            getattr(self, table).clear()
            if hasattr(self, f"{table}_total"):
                setattr(self, f"{table}_total", None)
        elif names[0] in ("received_total", "decisions_total"):
            setattr(self, names[0], None)
        else:
            getattr(self, table).pop(names[0], None)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Letter:
        return cls(**data)


def unreadable(source: str, sha256: str, reason: str) -> Letter:
    """The record of a file that gave nothing usable: status ``error`` and one reason."""
    return Letter(source=source, sha256=sha256, status=Status.ERROR, problems=[reason])


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

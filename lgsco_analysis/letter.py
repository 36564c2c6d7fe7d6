"""One letter PDF -> one :class:`Letter`: tables by label, statistics from the text layer.

Every value is read from what the letter prints. Anything that cannot be read, or is read
two different ways, becomes a line in ``Letter.problems`` and is left out, never guessed.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import formats
from .checks import check_letter
from .numbers import UnreadableNumber, is_number_like, parse_count, parse_number
from .pdf_content import PdfContent, Table, UnreadableLetter, read_pdf_content
from .vocabulary import DECISIONS_BY_FORMAT, match_label

PARSER_VERSION = "2"
"""Bump when parsing changes what it returns: it keys the parse cache."""

Target = tuple[str, ...]
"""Where a value goes: ("received", category), ("decisions", decision), ("remedies", remedy),
("statistics", measure, "value" | "similar_average" | "base")."""


@dataclass
class Letter:
    """One letter as parsed: the fields of a ``letters.parquet`` row and its counts."""

    source: str
    sha256: str
    authority: str | None = None
    year_ending: int | None = None
    format: str | None = None
    status: str = "ok"
    problems: list[str] = field(default_factory=list)
    sample: bool = False
    received: dict[str, int] = field(default_factory=dict)
    received_total: int | None = None
    decisions: dict[str, int] = field(default_factory=dict)
    decisions_total: int | None = None
    remedies: dict[str, int] = field(default_factory=dict)
    statistics: dict[str, dict[str, float | int | None]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Letter:
        return cls(**data)


class _Facts:
    """Values found so far; a value found twice must agree, or it is dropped with a problem."""

    def __init__(self) -> None:
        self.values: dict[Target, float | int | None] = {}
        self.where: dict[Target, str] = {}
        self.conflicts: set[Target] = set()
        self.problems: list[str] = []

    def add(self, target: Target, value: float | int | None, where: str) -> None:
        if target in self.conflicts:
            return
        if target in self.values and self.values[target] != value:
            self.problems.append(
                f"{' '.join(target[1:]).replace('_', ' ')} is printed as "
                f"{_show(self.values[target])} ({self.where[target]}) and as {_show(value)} "
                f"({where}): left out"
            )
            self.conflicts.add(target)
            del self.values[target]
            return
        self.values[target] = value
        self.where[target] = where

    def get(self, *target: str) -> float | int | None:
        return self.values.get(target)

    def has(self, *target: str) -> bool:
        return target in self.values


def _show(value: float | int | None) -> str:
    return "blank" if value is None else f"{value:g}"


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


def _header_label(cells: list[str]) -> tuple[str, str] | None:
    """The label of a column's header cells: the longest trailing run that is a known label."""
    for start in range(len(cells)):
        match = match_label(" ".join(cells[start:]))
        if match:
            return match
    return None


def read_grid(table: Table, facts: _Facts) -> None:
    """Add every labelled value of one table: each value row under the labels above it."""
    rows = table.cells
    header_start = 0
    for row_index, row in enumerate(rows):
        if not _is_value_row(row):
            continue
        labelled: list[tuple[int, tuple[str, str]]] = []
        for column in range(len(row)):
            header = [
                rows[r][column]
                for r in range(header_start, row_index)
                if column < len(rows[r]) and rows[r][column].strip()
            ]
            label = _header_label(header) if header else None
            if label:
                labelled.append((column, label))
        header_start = row_index + 1
        tables_in_block = {table_name for _, (table_name, name) in labelled if name != "total"}
        for column, (table_name, name) in labelled:
            where = f"table on page {table.page}"
            if name == "total":
                if "received" in tables_in_block:
                    target: Target = ("received", "received_total")
                elif "decisions" in tables_in_block:
                    target = ("decisions", "decisions_total")
                else:
                    facts.problems.append(f"a 'Total' on page {table.page} belongs to no known table")
                    continue
            elif name == "uphold_rate":
                target = ("statistics", "uphold_rate", "value")
            else:
                target = (table_name, name)
            text = row[column]
            try:
                value = parse_number(text) if target[0] == "statistics" else parse_count(text)
            except UnreadableNumber as error:
                facts.problems.append(f"{name.replace('_', ' ')} on page {table.page}: {error}")
                facts.conflicts.add(target)
                continue
            if value is None and target[0] != "statistics":
                continue  # a blank count is not printed, so it is absent
            facts.add(target, value, where)


def read_text(flat_text: str, facts: _Facts) -> None:
    """Add the headline statistics and overview sentences of formats C and D."""
    openings = sorted(
        (match.start(), measure, match)
        for measure, pattern in formats.STATISTIC_OPENINGS.items()
        for match in pattern.finditer(flat_text)
    )
    seen: set[str] = set()
    for index, (start, measure, match) in enumerate(openings):
        if measure in seen:
            facts.problems.append(f"the {measure.replace('_', ' ')} is printed more than once")
            facts.conflicts.add(("statistics", measure, "value"))
            continue
        seen.add(measure)
        end = openings[index + 1][0] if index + 1 < len(openings) else len(flat_text)
        segment = flat_text[start:end]
        facts.add(("statistics", measure, "value"), float(match["value"]), "text")
        average = formats.SIMILAR_AVERAGE.search(segment)
        if average:
            facts.add(("statistics", measure, "similar_average"), float(average["value"]), "text")
        for target, pattern in formats.SEGMENT_FACTS.get(measure, ()):
            found = pattern.search(segment)
            if found:
                facts.add(target, int(found["value"].replace(",", "")), "text")
    for target, pattern in formats.LETTER_FACTS:
        found = [m["value"] for m in pattern.finditer(flat_text)]
        for value in dict.fromkeys(found):
            number = float(value.replace(",", ""))
            facts.add(target, number if target[-1] in ("value", "similar_average") else int(number), "text")


def _unwrap_name(name: str, text: str, end: int) -> str:
    """Join a heading's name to its next line when the heading was wrapped mid-name."""
    if formats.NAME_ENDS.search(name) and not formats.NAME_CONTINUES.search(name):
        return name
    following = text[end:].lstrip("\n").split("\n", 1)[0].strip()
    joined = f"{name} {following}"
    if following and len(following) <= 40 and formats.NAME_ENDS.search(joined):
        return joined
    return name


def _found_names(texts: list[str]) -> list[tuple[str, str]]:
    """(where, name) for each place the letter names its authority, most reliable first."""
    found = []
    for description, pattern in formats.AUTHORITY_PATTERNS:
        for text in texts:
            match = pattern.search(text)
            if match:
                name = _unwrap_name(match["name"].strip(), text, match.end())
                found.append((description, formats.flatten_text(name)))
                break
    return found


def _found_years(texts: list[str]) -> list[tuple[str, int]]:
    found = []
    for description, pattern in formats.YEAR_PATTERNS:
        for text in texts:
            match = pattern.search(text)
            if match:
                found.append((description, int(match["year"])))
                break
    return found


def find_authority_and_year(page_texts: list[str]) -> tuple[str | None, int | None, list[str]]:
    """The authority's name and the year ending, with a problem where the letter disagrees."""
    problems: list[str] = []
    texts = [text.replace("\r\n", "\n").replace("\u2019", "'") for text in page_texts]
    names = _found_names(texts)
    authority = names[0][1] if names else None
    for description, name in names[1:]:
        if name.casefold() != authority.casefold():
            problems.append(f"the authority is named {authority!r} and, in the {description}, {name!r}")
            break
    years = _found_years([formats.flatten_text(text) for text in texts])
    year = years[0][1] if years else None
    for description, value in years[1:]:
        if value != year:
            problems.append(f"the letter is for the year ending {year} but its {description} says {value}")
            break
    return authority, year, problems


def _detect_format(facts: _Facts, flat_text: str, year: int | None) -> str | None:
    """D by its overview, A by its decision table, C by its headline statistics; else by year."""
    decisions = {target[1] for target in facts.values if target[0] == "decisions"}
    if decisions & {"not_for_us", "assessed_and_closed"} or formats.FORMAT_D_MARKERS.search(flat_text):
        return "D"
    if decisions & (set(DECISIONS_BY_FORMAT["A"]) - {"upheld"}):
        return "A"
    if any(target[0] == "statistics" and where == "text" for target, where in facts.where.items()):
        return "C"
    if year is not None and formats.LGSCO_MARKERS.search(flat_text):
        return next((name for name, years in formats.FORMAT_YEARS.items() if year in years), None)
    return None


def _assemble(letter: Letter, facts: _Facts) -> None:
    for target, value in facts.values.items():
        kind = target[0]
        if kind == "received":
            if target[1] == "received_total":
                letter.received_total = int(value)
            else:
                letter.received[target[1]] = int(value)
        elif kind == "decisions":
            if target[1] == "decisions_total":
                letter.decisions_total = int(value)
            else:
                letter.decisions[target[1]] = int(value)
        elif kind == "remedies":
            letter.remedies[target[1]] = int(value)
    for measure in ("uphold_rate", "compliance_rate", "satisfactory_remedy_rate", "upheld_per_100k"):
        if not facts.has("statistics", measure, "value"):
            continue
        value = facts.get("statistics", measure, "value")
        if value is None:
            continue  # printed blank, '-' or N/A: absent, not zero
        base = facts.get("statistics", measure, "base")
        if measure == "uphold_rate" and letter.format == "A":
            not_upheld, upheld = letter.decisions.get("not_upheld"), letter.decisions.get("upheld")
            base = None if not_upheld is None or upheld is None else not_upheld + upheld
        letter.statistics[measure] = {
            "value": float(value),
            "similar_average": facts.get("statistics", measure, "similar_average"),
            "base": None if base is None else int(base),
        }
    letter.decisions = {k: letter.decisions[k] for k in sorted(letter.decisions)}


def parse_content(content: PdfContent, source: str, sha256: str) -> Letter:
    """Build a Letter from a PDF's text and tables (no file access)."""
    letter = Letter(source=source, sha256=sha256)
    facts = _Facts()
    for table in join_broken_tables(content.tables):
        read_grid(table, facts)
    flat_text = formats.flatten_text(content.text)
    read_text(flat_text, facts)
    letter.authority, letter.year_ending, naming_problems = find_authority_and_year(content.page_texts)
    letter.format = _detect_format(facts, flat_text, letter.year_ending)
    _assemble(letter, facts)
    letter.problems = naming_problems + facts.problems
    letter.sample = formats.SAMPLE_MARKER in content.text
    if letter.format is None or not (facts.values or letter.authority):
        if formats.LGSCO_MARKERS.search(flat_text):
            reason = "no complaint tables or headline statistics found in this letter"
        else:
            reason = "not an LGSCO annual review letter (no complaint tables or statistics found)"
        return Letter(source=source, sha256=sha256, status="error", problems=[reason])
    letter.problems += check_letter(letter)
    letter.status = "warning" if letter.problems else "ok"
    return letter


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_letter(path: str | Path, source: str | None = None, sha256: str | None = None) -> Letter:
    """Parse one letter PDF. Unreadable files give a Letter with status ``error``, not an exception.

    Raises FileNotFoundError (or another OSError) only when the file itself cannot be opened.
    """
    path = Path(path)
    sha256 = sha256 or file_sha256(path)
    source = source or path.name
    try:
        content = read_pdf_content(path)
    except UnreadableLetter as error:
        return Letter(source=source, sha256=sha256, status="error", problems=[str(error)])
    return parse_content(content, source, sha256)

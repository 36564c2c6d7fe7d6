"""One letter PDF -> one :class:`Letter`: tables by label, statistics from the text layer.

Tables are read from the text layer (:mod:`text_tables`), whoever drew their borders, and,
on pages with ruling lines, read again by camelot (:mod:`ruled_tables`); the two must agree.
Every value is what the letter prints. Anything that cannot be read, or is read two
different ways, becomes a line in ``Letter.problems`` and is left out, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ..rules import formats
from ..rules.vocabulary import (
    DECISIONS,
    DECISIONS_BY_FORMAT,
    FORMATS,
    MEASURES,
    READ_BY_OCR,
    RECEIVED_CATEGORIES,
    REMEDIES,
    SOURCE_KINDS,
    STATUSES,
    TABLES_BY_HEADING,
    Status,
    match_heading,
)
from .checks import check_letter, check_statistics_have_bases, leave_out_what_does_not_add_up
from .pdf_content import PdfContent, UnreadableLetter, read_pdf_content
from .readings import Facts, Target, confirm_with, corroborate, read_rows
from .record import TABLE_READERS, Letter, file_sha256, unreadable
from .ruled_tables import RuledTablesUnreadable, Table, grid_rows, join_broken_tables, read_ruled_tables
from .text_tables import read_text_tables

__all__ = ["Letter", "checked_record", "file_sha256", "parse_content", "parse_letter"]


def read_text(flat_text: str, facts: Facts) -> None:
    """Add the headline statistics and overview sentences of formats C and D."""
    openings = sorted(
        (match.start(), measure, match)
        for measure, pattern in formats.STATISTIC_OPENINGS.items()
        for match in pattern.finditer(flat_text)
    )
    seen: set[str] = set()
    for index, (start, measure, match) in enumerate(openings):
        target = Target("statistics", measure, "value")
        if measure in seen:
            facts.leave_out(target, f"the {target.describe()} is printed more than once")
            continue
        seen.add(measure)
        end = openings[index + 1][0] if index + 1 < len(openings) else len(flat_text)
        segment = flat_text[start:end]
        facts.add(target, float(match["value"]), "text")
        average = formats.SIMILAR_AVERAGE.search(segment)
        if average:
            facts.add(Target("statistics", measure, "similar_average"), float(average["value"]), "text")
        for parts, pattern in formats.SEGMENT_FACTS.get(measure, ()):
            found = pattern.search(segment)
            if found:
                facts.add(Target(*parts), int(found["value"].replace(",", "")), "text")
    for parts, pattern in formats.LETTER_FACTS:
        target = Target(*parts)
        for value in dict.fromkeys(m["value"] for m in pattern.finditer(flat_text)):
            number = float(value.replace(",", ""))
            facts.add(target, number if target.part in ("value", "similar_average") else int(number), "text")


def _unwrap_name(name: str, text: str, end: int) -> str:
    """Join a heading's name to its next line when the heading was wrapped mid-name."""
    if formats.NAME_ENDS.search(name) and not formats.NAME_CONTINUES.search(name):
        return name
    following = text[end:].lstrip("\n").split("\n", 1)[0].strip()
    joined = f"{name} {following}"
    if following and len(following) <= 40 and formats.NAME_ENDS.search(joined):
        return joined
    return name


def _first_matches(
    patterns: tuple[tuple[str, re.Pattern[str]], ...], texts: list[str]
) -> Iterator[tuple[str, re.Match[str], str]]:
    """For each (where, pattern), most reliable first, its first match in the texts and the text it is in."""
    for description, pattern in patterns:
        found = next(((match, text) for text in texts if (match := pattern.search(text))), None)
        if found:
            yield description, *found


def _found_names(texts: list[str]) -> list[tuple[str, str]]:
    """(where, name) for each place the letter names its authority, most reliable first."""
    return [
        (
            description,
            unicodedata.normalize("NFC", formats.flatten_text(_unwrap_name(match["name"].strip(), text, match.end()))),
        )
        for description, match, text in _first_matches(formats.AUTHORITY_PATTERNS, texts)
    ]


def _found_years(texts: list[str]) -> list[tuple[str, int]]:
    return [(description, int(match["year"])) for description, match, _ in _first_matches(formats.YEAR_PATTERNS, texts)]


def find_authority_and_year(page_texts: list[str]) -> tuple[str | None, int | None, list[str]]:
    """The authority's name and the year ending, with a problem where the letter disagrees."""
    problems: list[str] = []
    texts = [text.replace("\r\n", "\n") for text in page_texts]  # normalised when read
    names = _found_names(texts)
    authority = names[0][1] if names else None
    for description, name in names[1:]:
        if name.casefold() != names[0][1].casefold():
            problems.append(f"the authority is named {authority!r} and, in the {description}, {name!r}")
            break
    years = _found_years([formats.flatten_text(text) for text in texts])
    year = years[0][1] if years else None
    for description, value in years[1:]:
        if value != year:
            problems.append(f"the letter is for the year ending {year} but its {description} says {value}")
            break
    return authority, year, problems


def printed_tables(page_texts: list[str]) -> list[str]:
    """The tables whose headings the letter prints on a line of their own, in letter order."""
    found = (match_heading(line) for text in page_texts for line in text.splitlines())
    return list(dict.fromkeys(table for table in found if table))


def printed_figures(page_texts: list[str], flat_text: str) -> dict[str, list[str]]:
    """For each rule of :data:`formats.PRINTED_FIGURES` whose words the letter prints, the text printed."""
    found = {}
    for rule in formats.PRINTED_FIGURES:
        if rule.printed_as == "heading":
            printed = [m.group().strip() for text in page_texts for m in rule.pattern.finditer(text)][:1]
        else:
            printed = [m.group() for m in rule.pattern.finditer(flat_text)]
            printed = printed if rule.printed_as == "each" else printed[:1]
        if printed:
            found[rule.words] = printed
    return found


def _detect_format(facts: Facts, flat_text: str, year: int | None) -> str | None:
    """D by its overview, A by its decision table, C by its headline statistics; else by year."""
    decisions = {target.name for target, _ in facts.items() if target.table == "decisions"}
    if decisions & {"not_for_us", "assessed_and_closed"} or formats.FORMAT_D_MARKERS.search(flat_text):
        return "D"
    if decisions & (set(DECISIONS_BY_FORMAT["A"]) - {"upheld"}):
        return "A"
    if any(target.table == "statistics" and facts.where(target) == "text" for target, _ in facts.items()):
        return "C"
    if year is not None and formats.LGSCO_MARKERS.search(flat_text):
        return next((name for name, years in formats.FORMAT_YEARS.items() if year in years), None)
    return None


_TOTALS = {"received_total": "received_total", "decisions_total": "decisions_total"}


def assemble_facts(letter: Letter, facts: Facts) -> None:
    """Copy the agreed values onto the letter; a statistic printed blank is absent, not zero."""
    for target, value in facts.items():
        if target.table == "statistics" or value is None:
            continue
        if target.name in _TOTALS:
            setattr(letter, _TOTALS[target.name], int(value))
        else:
            getattr(letter, target.table)[target.name] = int(value)
    letter.decisions = dict(sorted(letter.decisions.items()))
    for measure in MEASURES:
        value = facts.get(Target("statistics", measure, "value"))
        if value is None:
            continue  # not printed, or printed blank, '-' or N/A
        base = facts.get(Target("statistics", measure, "base"))
        if measure == "uphold_rate" and letter.format == "A":
            base = letter.investigated()
        letter.statistics[measure] = {
            "value": float(value),
            "similar_average": facts.get(Target("statistics", measure, "similar_average")),
            "base": None if base is None else int(base),
        }


def read_tables(content: PdfContent, ruled_tables: list[Table] | None) -> tuple[Facts, str]:
    """The letter's table values from the text layer, checked against camelot's where it read any.

    Returns the values and which readers produced them (``Letter.tables_read_by``).
    """
    text_tables = read_text_tables(content.page_words, content.ocr_pages.keys())
    facts = read_rows(text_tables.rows, "table", content.ocr_pages.keys())
    for problem in text_tables.problems:
        facts.note(problem)
    for page in text_tables.pages:
        if page in content.absurd_drawings:
            facts.note(
                f"page {page}'s drawing is beyond any letter's ({content.absurd_drawings[page]}): its tables "
                "were read from the text layer alone, unchecked"
            )
    if not len(facts):
        return facts, ""
    ruled = read_rows((row for table in join_broken_tables(ruled_tables or []) for row in grid_rows(table)), "ruled")
    agreed = confirm_with(facts, ruled)
    return facts, "text+camelot" if agreed else "text"


def read_values(content: PdfContent, ruled_tables: list[Table] | None) -> tuple[Facts, str]:
    """Every value of the letter, tables and text, and which readers read its tables.

    On pages read by OCR, a value is kept only where OCR's second look reads it the same.
    """
    facts, read_by = read_tables(content, ruled_tables)
    read_text(formats.flatten_text(content.text), facts)
    if content.ocr_pages:
        second_look = content.second_look()
        second, _ = read_tables(second_look, None)
        read_text(formats.flatten_text(second_look.text), second)
        corroborate(facts, second)
        read_by = READ_BY_OCR
    return facts, read_by


def parse_content(content: PdfContent, source: str, sha256: str, ruled_tables: list[Table] | None = None) -> Letter:
    """Build a Letter from a PDF's text layer and camelot's ruled tables (no file access)."""
    letter = Letter(source=source, sha256=sha256)
    facts, letter.tables_read_by = read_values(content, ruled_tables)
    flat_text = formats.flatten_text(content.text)
    letter.authority, letter.year_ending, naming_problems = find_authority_and_year(content.page_texts)
    letter.format = _detect_format(facts, flat_text, letter.year_ending)
    assemble_facts(letter, facts)
    letter.printed_tables = printed_tables(content.page_texts)
    letter.printed_figures = printed_figures(content.page_texts, flat_text)
    letter.problems = naming_problems + facts.problems
    letter.sample = formats.SAMPLE_MARKER in content.text
    if letter.format is None or not (len(facts) or letter.authority):
        if content.ocr_pages:
            reason = "read by OCR, but no complaint tables or headline statistics were found (a poor scan?)"
        elif formats.LGSCO_MARKERS.search(flat_text):
            reason = "no complaint tables or headline statistics found in this letter"
        else:
            reason = "not an LGSCO annual review letter (no complaint tables or statistics found)"
        return unreadable(source, sha256, reason)
    if content.ocr_pages:
        letter.problems += leave_out_what_does_not_add_up(letter)
        letter.problems += check_statistics_have_bases(letter)
    letter.problems += check_letter(letter)
    letter.status = Status.WARNING if letter.problems else Status.OK
    return letter


def parse_letter(path: str | Path, source: str | None = None, sha256: str | None = None, ocr: bool = True) -> Letter:
    """Parse one letter PDF. Unreadable files give a Letter with status ``error``, not an exception.

    With ``ocr`` (the default), pages whose text layer cannot be used are read by OCR.

    Raises FileNotFoundError (or another OSError) only when the file itself cannot be opened.
    """
    path = Path(path)
    sha256 = sha256 or file_sha256(path)
    source = source or path.name
    try:
        content = read_pdf_content(path, ocr=ocr)
    except UnreadableLetter as error:
        return unreadable(source, sha256, str(error))
    unruled = content.absurd_drawings.keys() | content.ocr_pages.keys()
    pages = [page for page in read_text_tables(content.page_words).pages if page not in unruled]
    try:
        ruled_tables = read_ruled_tables(path, pages, content.upright_rotations)
    except RuledTablesUnreadable:
        ruled_tables = None  # the text layer's reading stands, unconfirmed: tables_read_by says "text"
    return parse_content(content, source, sha256, ruled_tables)


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(what)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def checked_record(data: dict) -> Letter:
    """Rebuild a Letter from stored fields (a cache entry) and hold it to what a fresh parse gives.

    Raises ValueError or TypeError when a field has the wrong type or an unknown name, or when
    the checks find a problem the record does not list: such an entry is parsed again.
    """
    letter = Letter.from_dict(data)
    _require(all(isinstance(v, str) for v in (letter.source, letter.sha256, letter.tables_read_by)), "text fields")
    _require(letter.authority is None or isinstance(letter.authority, str), "authority")
    _require(letter.year_ending is None or _is_count(letter.year_ending), "year_ending")
    _require(letter.format is None or letter.format in FORMATS, "format")
    _require(letter.status in STATUSES, "status")
    _require(isinstance(letter.problems, list) and all(isinstance(p, str) for p in letter.problems), "problems")
    _require(isinstance(letter.sample, bool), "sample")
    _require(letter.source_kind in SOURCE_KINDS, "source_kind")
    _require(letter.tables_read_by in ("", *TABLE_READERS), "tables_read_by")
    _require(set(letter.printed_tables) <= set(TABLES_BY_HEADING), "printed_tables")
    _require(isinstance(letter.printed_figures, dict), "printed_figures")
    _require(set(letter.printed_figures) <= {rule.words for rule in formats.PRINTED_FIGURES}, "printed_figures")
    _require(all(isinstance(texts, list) and texts for texts in letter.printed_figures.values()), "printed_figures")
    for counts, names in (
        (letter.received, RECEIVED_CATEGORIES),
        (letter.decisions, DECISIONS),
        (letter.remedies, REMEDIES),
    ):
        _require(isinstance(counts, dict) and set(counts) <= set(names), "count names")
        _require(all(_is_count(count) for count in counts.values()), "counts")
    for total in (letter.received_total, letter.decisions_total):
        _require(total is None or _is_count(total), "totals")
    _require(set(letter.statistics) <= set(MEASURES), "measures")
    for statistic in letter.statistics.values():
        _require(set(statistic) == {"value", "similar_average", "base"}, "statistic parts")
        _require(_is_number(statistic["value"]), "statistic value")
        _require(statistic["similar_average"] is None or _is_number(statistic["similar_average"]), "average")
        _require(statistic["base"] is None or _is_count(statistic["base"]), "base")
    if letter.status == Status.ERROR:
        _require(bool(letter.problems), "an error gives its reason")
    else:
        _require(set(check_letter(letter)) <= set(letter.problems), "problems the checks find")
        _require(letter.status == (Status.WARNING if letter.problems else Status.OK), "status follows problems")
    return letter

"""Tables from the text layer: every word and where it sits, whatever draws the borders.

A table is found from its values: a line holding two or more numbers that each stand alone
(set apart from other words by more than a word space). The lines above it, up to the
previous such line, hold its headers. A column is where header phrases and a value stack
over one another (their horizontal extents overlap). A phrase over several columns is a
group or table heading and is set aside; a phrase over several values with nothing under
it is two labels printed together, cut where the pieces are known labels. A table broken
over a page takes its headers from the foot of the page before, less the lines every page
repeats; a row of values straight under another shares its headers.

Rules, shading and cell borders play no part, so the same letter gives the same rows
whoever made its PDF. The rows go to :func:`readings.read_rows`, like camelot's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from itertools import combinations, pairwise
from statistics import median

from ..rules.vocabulary import match_label, match_label_closely
from .numbers import is_number_like
from .pdf_content import Word
from .readings import Column, ValueRow, header_label

LINE_TOLERANCE = 0.3
"""Words whose baselines differ by less than this (in font sizes) are on one line."""
PHRASE_GAP = 0.5
"""A gap wider than this (in font sizes) between two words on a line ends a phrase."""
HEADER_DEPTH = 14
"""How far above its values (in font sizes) a table's headers may reach."""
STACKED_ROWS = 2.5
"""A row of values within this (in font sizes) under another, headers between them none, shares its headers."""
MAX_SPLIT_WORDS = 16
"""Labels printed together in a longer phrase are cut at the widest gaps alone."""
MAX_LABEL_LINES = 3
"""Labels printed as plain text over a line of values may wrap over this many lines."""
MAX_LABEL_WORDS = 8
"""No label of the vocabulary is longer than this many words."""


@dataclass(frozen=True)
class Phrase:
    """Words on one line, each within a word space of the next."""

    words: tuple[Word, ...]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass(frozen=True)
class Line:
    """Phrases sharing a baseline, left to right."""

    baseline: float
    size: float
    phrases: tuple[Phrase, ...]


def _phrases(words: list[Word]) -> tuple[Phrase, ...]:
    words = sorted(words, key=lambda word: word.x0)
    phrases, current = [], [words[0]]
    for word in words[1:]:
        previous = current[-1]
        if word.x0 - previous.x1 > PHRASE_GAP * max(word.size, previous.size):
            phrases.append(Phrase(tuple(current)))
            current = []
        current.append(word)
    phrases.append(Phrase(tuple(current)))
    return tuple(phrases)


def page_lines(words: list[Word]) -> list[Line]:
    """The page's lines, top to bottom."""
    lines: list[Line] = []
    group: list[Word] = []
    for word in sorted(words, key=lambda word: -word.baseline):
        if group and group[0].baseline - word.baseline > LINE_TOLERANCE * max(group[0].size, word.size):
            lines.append(Line(group[0].baseline, median(w.size for w in group), _phrases(group)))
            group = []
        group.append(word)
    if group:
        lines.append(Line(group[0].baseline, median(w.size for w in group), _phrases(group)))
    return lines


def value_runs(line: Line) -> list[tuple[Phrase, ...]]:
    """Runs of lone words on a line that are mostly numbers: a table's row of values.

    A run starts and ends with a number, holds at least two, and at most one word that is
    not a number for every two that are (a misprinted cell becomes a problem, not a gap).
    """
    runs, current = [], []
    for phrase in (*line.phrases, None):
        if phrase is not None and len(phrase.words) == 1:
            current.append(phrase)
            continue
        while current and not is_number_like(current[0].text):
            current.pop(0)
        while current and not is_number_like(current[-1].text):
            current.pop()
        numbers = sum(is_number_like(p.text) for p in current)
        if (
            numbers >= 2
            and numbers >= 2 * (len(current) - numbers)
            and any(c.isdigit() for p in current for c in p.text)
        ):
            runs.append(tuple(current))
        current = []
    return runs


def _overlaps(a: Phrase, b: Phrase) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1


def _nearest(x: float, centres: list[float]) -> int:
    return min(range(len(centres)), key=lambda index: abs(centres[index] - x))


def _split(phrase: Phrase, pieces: int) -> list[Phrase]:
    """Cut labels printed together into ``pieces``: the cut that makes the most known labels wins,
    then the one at the widest gaps between words."""
    words = phrase.words
    if len(words) < pieces:
        return []
    gaps = [words[i].x0 - words[i - 1].x1 for i in range(1, len(words))]
    cut_sets = combinations(range(1, len(words)), pieces - 1) if len(words) <= MAX_SPLIT_WORDS else []

    def score(cuts: tuple[int, ...]) -> tuple[int, float]:
        bounds = [0, *cuts, len(words)]
        labels = sum(bool(match_label(Phrase(words[a:b]).text)) for a, b in pairwise(bounds))
        return labels, sum(gaps[cut - 1] for cut in cuts)

    widest = tuple(sorted(sorted(range(1, len(words)), key=lambda i: gaps[i - 1], reverse=True)[: pieces - 1]))
    best = max(cut_sets, key=score, default=widest)
    bounds = [0, *best, len(words)]
    return [Phrase(words[start:end]) for start, end in pairwise(bounds)]


def _header_phrases(header: list[Line], values: tuple[Phrase, ...]) -> list[tuple[int, Phrase]]:
    """The header phrases of one row of values, each with its line's index (0 at the top)."""
    centres = [value.centre for value in values]
    pitch = median(b - a for a, b in pairwise(centres))
    left, right = values[0].x0 - pitch / 2, values[-1].x1 + pitch / 2
    candidates = [
        (index, phrase)
        for index, line in enumerate(header)
        for phrase in line.phrases
        if left <= phrase.centre <= right
    ]
    kept = []
    for index, phrase in candidates:
        under = [other for below, other in candidates if below > index and _overlaps(phrase, other)]
        if len({_nearest(other.centre, centres) for other in under}) >= 2:
            continue  # a heading over several columns
        inside = sum(phrase.x0 <= centre <= phrase.x1 for centre in centres)
        if inside >= 2:
            kept += [(index, piece) for piece in _split(phrase, inside)]  # labels printed together
        else:
            kept.append((index, phrase))
    return kept


def row_columns(header: list[Line], values: tuple[Phrase, ...]) -> tuple[list[Column], list[str]]:
    """Each value with the header lines stacked over it, and the values no column holds alone."""
    phrases = _header_phrases(header, values)
    items = sorted(
        [(phrase.x0, phrase.x1, index, phrase) for index, phrase in phrases]
        + [(value.x0, value.x1, None, value) for value in values],
        key=lambda item: item[0],
    )
    stacks: list[list[tuple]] = []
    reach = float("-inf")
    for item in items:
        if item[0] >= reach:
            stacks.append([])
        stacks[-1].append(item)
        reach = max(reach, item[1])
    columns, shared = [], []
    for stack in stacks:
        stacked_values = [phrase.text for _, _, index, phrase in stack if index is None]
        if len(stacked_values) > 1:
            shared.append(" and ".join(repr(value) for value in stacked_values))
        if len(stacked_values) != 1:
            continue
        by_line: dict[int, list[Phrase]] = {}
        for _, _, index, phrase in stack:
            if index is not None:
                by_line.setdefault(index, []).append(phrase)
        lines = tuple(" ".join(p.text for p in sorted(by_line[i], key=lambda p: p.x0)) for i in sorted(by_line))
        columns.append(Column(header=lines, value=stacked_values[0]))
    return columns, shared


def _repeated_lines(pages: dict[int, list[Line]]) -> set[tuple[int, int]]:
    """(page, line index) of the lines every page repeats: running heads, footers, page numbers."""

    def key(line: Line) -> tuple[int, str]:
        text = " ".join(phrase.text for phrase in line.phrases)
        return round(line.baseline / 2), re.sub(r"\d+", "#", text)

    counts = Counter(key(line) for lines in pages.values() for line in lines)
    return {
        (page, index) for page, lines in pages.items() for index, line in enumerate(lines) if counts[key(line)] >= 2
    }


def plain_values(line: Line) -> tuple[Word, ...]:
    """A line of nothing but two or more numbers with only word spaces between: values printed as text."""
    words = tuple(word for phrase in line.phrases for word in phrase.words)
    if (
        len(words) >= 2
        and all(is_number_like(w.text) for w in words)
        and any(c.isdigit() for w in words for c in w.text)
    ):
        return words
    return ()


def cut_into_labels(words: list[str], pieces: int, closely: bool = False) -> list[str] | None:
    """The one way to cut ``words``, left to right, into ``pieces`` known labels; None when there is
    no such way or more than one. With ``closely``, labels OCR misread by a letter or two count too,
    and of the ways the one with fewest such labels is taken (a close match can take in the next word)."""
    ways: dict[tuple[int, int], list[tuple[list[str], int]]] = {(0, 0): [([], 0)]}  # (words, labels) -> cuts
    for start in range(len(words)):
        for made in range(pieces):
            for cut, close in ways.get((start, made), []):
                for end in range(start + 1, min(len(words), start + MAX_LABEL_WORDS) + 1):
                    label = " ".join(words[start:end])
                    if match_label(label):
                        ways.setdefault((end, made + 1), []).append(([*cut, label], close))
                    elif closely and match_label_closely(label):
                        ways.setdefault((end, made + 1), []).append(([*cut, label], close + 1))
    found = ways.get((len(words), pieces), [])
    fewest = min((close for _, close in found), default=0)
    best = [cut for cut, close in found if close == fewest]
    return best[0] if len(best) == 1 else None


def _joined_words(lines: list[Line]) -> list[str]:
    """The words of consecutive lines in reading order, a word hyphen-split at a line's end joined again."""
    words: list[str] = []
    for number, line in enumerate(lines):
        texts = [word.text for phrase in line.phrases for word in phrase.words]
        if number and words and texts and re.search(r"[^\W\d]-$", words[-1]) and texts[0][:1].isalpha():
            words[-1] = words[-1][:-1] + texts.pop(0)
        words += texts
    return words


def plain_text_row(
    lines: list[Line], index: int, floor: int, values: tuple[Word, ...], closely: bool = False
) -> list[Column] | None:
    """Values printed as text under labels printed as text: the nearest one to three lines above,
    cut where the vocabulary's labels fit (``closely``: as read by OCR), when every value gets exactly one label."""
    line = lines[index]
    for count in range(1, MAX_LABEL_LINES + 1):
        first = index - count
        if first < floor or lines[first].baseline - line.baseline > HEADER_DEPTH * line.size:
            break
        words = _joined_words(lines[first:index])
        labels = cut_into_labels(words, len(values), closely)
        if labels:
            return [Column(header=(label,), value=value.text) for label, value in zip(labels, values, strict=True)]
    return None


@dataclass
class TextTables:
    """What the text layer's tables gave: rows of values, and problems met finding them."""

    rows: list[ValueRow]
    problems: list[str]

    @property
    def pages(self) -> list[int]:
        return sorted({row.page for row in self.rows})


def read_text_tables(page_words: dict[int, list[Word]], read_by_ocr: Collection[int] = ()) -> TextTables:
    """Every row of values on the given pages (1-based numbers), each value under its headers; labels
    on the pages ``read_by_ocr`` may be misread by a letter or two.

    A row straight under another, with no header lines between, is read under the same
    headers: values stacked in a column are that label printed twice, and must agree.
    """
    pages = {number: page_lines(words) for number, words in sorted(page_words.items()) if words}
    repeated = _repeated_lines(pages)
    rows, problems = [], []
    for number, lines in pages.items():
        floor = 0  # index of the first line below the previous row of values on this page
        previous: tuple[Line, list[Line]] | None = None  # that row's line and headers
        for index, line in enumerate(lines):
            runs = value_runs(line)
            run_rows, run_problems = [], []
            for values in runs:
                depth = HEADER_DEPTH * line.size
                header = [
                    lines[above]
                    for above in range(floor, index)
                    if lines[above].baseline - line.baseline <= depth and (number, above) not in repeated
                ]
                if not header and previous and previous[0].baseline - line.baseline <= STACKED_ROWS * line.size:
                    header = previous[1]
                columns, shared = row_columns(header, values)
                if floor == 0 and not any(header_label(c.header) for c in columns) and number - 1 in pages:
                    header = _foot(pages[number - 1], number - 1, repeated)
                    columns, shared = row_columns(header, values)
                run_rows.append(ValueRow(page=number, columns=tuple(columns)))
                run_problems += [f"{values} on page {number} sit under one heading: left out" for values in shared]
                previous = (line, header)
            plain = plain_values(line)
            columns_read = sum(len(row.columns) for row in run_rows)
            plain_columns = None
            if plain and (not runs or run_problems or columns_read < len(plain)):
                # values printed as text with uneven spaces (as OCR boxes them) can look like lone cells
                plain_columns = plain_text_row(lines, index, floor, plain, number in read_by_ocr)
            if plain_columns:
                rows.append(ValueRow(page=number, columns=tuple(plain_columns)))
            else:
                rows += run_rows
                problems += run_problems
            if runs or plain_columns:
                floor = index + 1
    return TextTables(rows=rows, problems=problems)


def _foot(lines: list[Line], number: int, repeated: set[tuple[int, int]]) -> list[Line]:
    """The lines at the foot of a page after its last row of values: a broken table's headers."""
    last_row = max((index for index, line in enumerate(lines) if value_runs(line)), default=-1)
    foot = [line for index, line in enumerate(lines) if index > last_row and (number, index) not in repeated]
    if not foot:
        return []
    depth = HEADER_DEPTH * foot[-1].size
    return [line for line in foot if line.baseline - foot[-1].baseline <= depth]

"""OCR: a page's words read from its image by Tesseract, and every number on it looked at twice.

A page with no usable text layer (none, one whose fonts lost their character map, or another
program's invisible OCR layer over a page image) is rendered by pdfium and read by Tesseract
(through tesserocr, which keeps one engine loaded per process). Ruling lines are taken out of
the image first: left in, they turn ``0`` into ``0)`` or ``|``. The words leave here as
:class:`~.pdf_content.Word` in PDF points, like a text layer's, for the same readers.

What the page's reading gives is held against the word's ink (its glyphs, the runs of inked
columns): a word boxed over the next word's ink is ended at its own; a word with more or fewer
characters than its glyphs, or a short word that is neither a number nor letters, is read again
alone with its glyphs set apart; numbers run together across a word space ("10 975" as one word)
are cut there, by the distance between their figures.

Each word holding a digit is read a second time, alone, from a render at another resolution,
with only the characters of numbers allowed: ``second`` holds that reading. Nothing here
chooses between the two; the letter's reader keeps a value only where both readings agree.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np
import pypdfium2 as pdfium

from ..errors import UnreadableLetter
from ..rules.typography import normalise
from .glyphs import FIGURE_WIDTH, ink_runs, numbers_in, short_of, spread
from .numbers import is_number_like

OCR_DPI = 500
"""The resolution pages are read at, the first reading (measured: 300 dpi reads a lone ``1`` as ``4``)."""
SECOND_LOOK_DPI = 400
"""The resolution each number is read at again, alone: the second look."""
OCR_SECONDS_PER_PAGE = 3
"""What OCR costs a page, as measured by ``benchmarks/bench_parse.py --only scans`` on a 2-core machine."""
SECOND_LOOK_CHARACTERS = "0123456789,.%/-"
"""All the second look may read: the characters printed in the letters' numbers."""
SECOND_LOOK_MARGIN = 0.01
"""How much of the page round a word's box is cut out with it for the second look, in inches."""
WORD_SPACE = 0.15
"""A blank run this wide (in heights of the word's box) ends a word: the glyphs of one number are closer."""
SHORT_WORD = 4
"""A table's word of at most this many characters, neither a number nor letters, is read again."""
SECOND_LOOK_PAD = 0.05
"""The white set round it (in inches): Tesseract reads a word best with a margin of its own."""
RULE_LENGTH = 0.25
"""A straight dark run at least this long (in inches) is a ruling line, not a letter's stroke."""
SPECK_SIZE = 0.01
"""Ink smaller than this square (in inches; a full stop is three times as wide) is dust, not print."""
STRAY_MARKS = frozenset("|_~'‘’\"“”`.,:;")
"""Words of nothing but these are specks and remnants of lines, not printed words."""
TESSDATA_FOLDERS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
"""Where Tesseract's language data is found (after ``TESSDATA_PREFIX``): Debian's, then others'."""
NO_TESSERACT = (
    "OCR needs Tesseract's English data, which is not installed (Debian: apt-get install tesseract-ocr; "
    "or set TESSDATA_PREFIX)"
)


@dataclass(frozen=True)
class OcrWord:
    """A word as OCR read it, in PDF points (baseline up from the page's foot), with its second look."""

    text: str
    second: str | None
    """The word read again alone, digits only; None for a word with no digit (never a number)."""
    x0: float
    x1: float
    baseline: float
    size: float
    """Its line's font size, in points."""


Lines = tuple[tuple[OcrWord, ...], ...]
"""Words in lines, top to bottom, each line left to right as read."""


@dataclass(frozen=True)
class OcrPage:
    """One page read by OCR: its lines of words, top to bottom, and why it needed OCR."""

    why: str
    lines: Lines
    """The page's text, line by line, in the order of its blocks."""
    table_lines: Lines
    """Every word where it sits, read cell by cell; empty when the page holds no table."""

    def text(self, second_look: bool = False) -> str:
        """The page's text, a line a line; with ``second_look``, each number as the second look read it."""
        return "\n".join(" ".join(word_text(word, second_look) for word in line) for line in self.lines)


def word_text(word: OcrWord, second_look: bool) -> str:
    """The word as the first reading gave it or, with ``second_look``, as looked at again."""
    return word.second if second_look and word.second is not None else word.text


def tessdata_folder() -> Path | None:
    """The folder holding Tesseract's ``eng.traineddata``, or None when there is none."""
    folders = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    for folder in (*folders, *TESSDATA_FOLDERS):
        if (Path(folder) / "eng.traineddata").is_file():
            return Path(folder)
    return None


@functools.cache
def ocr_engine() -> str:
    """What reads pages by OCR here ("tesseract 5.5.4, eng.traineddata 1a2b..."), or why nothing does:
    part of a cached letter's key, so that another engine or its data reads the letter again."""
    if not ocr_available():
        return "unavailable"
    import hashlib

    import tesserocr

    folder = tessdata_folder()
    assert folder is not None
    data = hashlib.sha256((folder / "eng.traineddata").read_bytes()).hexdigest()[:16]
    return f"{tesserocr.tesseract_version().split()[1]}, eng.traineddata {data}"


def ocr_available() -> bool:
    """Whether pages can be read by OCR here: tesserocr imports and English data is installed."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return tessdata_folder() is not None


@functools.cache
def _engine(kind: str) -> Any:
    """One of this process's Tesseract engines, loaded once: ``text`` reads a page's prose in its blocks'
    order; ``table`` reads every word where it sits (sparse text: a table's cells are not run together
    into lines across columns); ``word`` reads one word again, alone, any character; ``second`` reads one
    number alone, digits only, as a line, and ``second-glyph`` as one character (a lone ``0`` read as a
    line can come back empty)."""
    from tesserocr import PSM, PyTessBaseAPI

    folder = tessdata_folder()
    if folder is None:
        raise UnreadableLetter(NO_TESSERACT)
    modes = {
        "text": PSM.AUTO,
        "table": PSM.SPARSE_TEXT,
        "word": PSM.SINGLE_LINE,
        "second": PSM.SINGLE_LINE,
        "second-glyph": PSM.SINGLE_CHAR,
    }
    engine = PyTessBaseAPI(path=str(folder), lang="eng", psm=modes[kind])
    if kind.startswith("second"):
        engine.SetVariable("tessedit_char_whitelist", SECOND_LOOK_CHARACTERS)
    return engine


def _render(page: pdfium.PdfPage, dpi: int) -> np.ndarray:
    """The page as it is drawn now, grey, at ``dpi``."""
    return np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))


def without_rules(image: np.ndarray, dpi: int) -> np.ndarray:
    """The page in black and white (Otsu's threshold) with its ruling lines and specks taken out."""
    import cv2

    _, ink = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    length = max(int(dpi * RULE_LENGTH), 10)
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    rules = cv2.dilate(cv2.bitwise_or(across, down), np.ones((3, 3), np.uint8))
    ink[rules > 0] = 0
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    specks = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] < (SPECK_SIZE * dpi) ** 2)
    ink[np.isin(labels, specks[specks > 0])] = 0
    return 255 - ink


def _pil(image: np.ndarray) -> Any:
    from PIL import Image

    return Image.fromarray(image)


def _skew(baselines: list[tuple[tuple[int, int], tuple[int, int]]]) -> float:
    """The page's turn (radians, clockwise on the image) from its words' baselines: the median slope."""
    slopes = [math.atan2(y1 - y0, x1 - x0) for (x0, y0), (x1, y1) in baselines if x1 - x0 > 40]
    return median(slopes) if slopes else 0.0


class PageImages:
    """A page's two renders, cleaned of rules: the first reading's, and the second look's (made when first needed)."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        self.page = page
        self.first = without_rules(_render(page, OCR_DPI), OCR_DPI)
        self._second: np.ndarray | None = None
        self._looked: dict[tuple[int, int, int, int], str] = {}

    def second_look(self, box: tuple[int, int, int, int]) -> str:
        """The word in ``box`` (first-reading pixels) read again: cut out of the second render as far
        as its ink runs (the first reading may have boxed only part of it), set on white, alone.
        A box the page's text and table readings both found is looked at once."""
        if box not in self._looked:
            self._looked[box] = self._look(box)
        return self._looked[box]

    def _look(self, box: tuple[int, int, int, int]) -> str:
        if self._second is None:
            self._second = without_rules(_render(self.page, SECOND_LOOK_DPI), SECOND_LOOK_DPI)
        image, dpi = self._second, SECOND_LOOK_DPI
        scale, margin = dpi / OCR_DPI, SECOND_LOOK_MARGIN * dpi
        top, bottom = max(0, int(box[1] * scale - margin)), min(image.shape[0], int(box[3] * scale + margin))
        inked: np.ndarray = np.asarray((image[top:bottom] < 128).any(axis=0))
        gap = max(2, int(WORD_SPACE * (bottom - top)))
        left = _ink_edge(inked, int(box[0] * scale), -1, gap)
        right = _ink_edge(inked, int(box[2] * scale), 1, gap)
        left, right = max(0, left - int(margin)), min(image.shape[1], right + int(margin))
        word = image[top:bottom, left:right]
        looked = _read_alone(word, dpi)
        glyphs = ink_runs(word)
        if len(looked) != len(glyphs):  # "77" read as "7", "79%" as "719%": read with its glyphs set apart
            looked = _read_alone(spread(word, glyphs), dpi)
        return looked


def _read_alone(image: np.ndarray, dpi: int, engines: tuple[str, ...] = ("second", "second-glyph")) -> str:
    """What the first of ``engines`` to read anything reads in ``image``, set on white: the second look
    reads it as a line of figures or, where that reads nothing (a lone ``0`` can come back empty), as one."""
    pad = int(SECOND_LOOK_PAD * dpi)
    alone = np.full((image.shape[0] + 2 * pad, image.shape[1] + 2 * pad), 255, np.uint8)
    alone[pad : pad + image.shape[0], pad : pad + image.shape[1]] = image
    looked = ""
    for kind in engines:
        engine = _engine(kind)
        engine.SetImage(_pil(alone))
        engine.SetSourceResolution(dpi)
        looked = normalise("".join(_text_of(engine).split()))
        if looked:
            break
    return looked


def _read_again_if_unlike_a_number(text: str, box: tuple[int, int, int, int], image: np.ndarray, in_table: bool) -> str:
    """The word as read or, where the page's reading is unlike what its ink shows, read again alone with
    its glyphs set apart: a word with a digit and more or fewer characters than it has glyphs, each a
    figure wide (a ``/`` put in "57" where there is no ink, "77" run into one ``7``), or a short word in a
    table that is neither a number nor letters alone ("2/" for "27", "o/" for "57", "0)" for "0")."""
    short_in_table = in_table and len(text) <= SHORT_WORD and not text.isalpha()
    if not (_has_digit(text) or short_in_table):
        return text
    x0, y0, x1, y1 = box
    word = image[y0:y1, x0:x1]
    glyphs = ink_runs(word)
    if not glyphs or any(end - start > FIGURE_WIDTH * (y1 - y0) for start, end in glyphs):
        return text  # figures touching, or not figures: as read
    unlike_its_glyphs = len(glyphs) != len(text) and (_has_digit(text) or len(glyphs) == 1)
    not_a_number = len(text) <= SHORT_WORD and not text.isalpha() and not is_number_like(text)
    if not (unlike_its_glyphs or not_a_number):
        return text
    return _read_alone(spread(word, glyphs), OCR_DPI, ("word",)) or text


def _text_of(source: Any, *level: Any) -> str:
    """What Tesseract read, or "" where it read nothing (tesserocr raises then)."""
    try:
        return source.GetUTF8Text(*level) or ""
    except RuntimeError:
        return ""


def _ink_edge(inked: np.ndarray, start: int, step: int, gap: int) -> int:
    """From column ``start``, stepping by ``step``, the last inked column before ``gap`` blank ones."""
    edge, blank, column = start, 0, start
    while 0 <= column < len(inked) and blank < gap:
        if inked[column]:
            edge, blank = column, 0
        else:
            blank += 1
        column += step
    return edge


def _read(images: PageImages, kind: str) -> Lines:
    """The page's lines of words as the ``kind`` engine reads them, each word holding a digit looked at twice."""
    from tesserocr import RIL, iterate_level

    engine = _engine(kind)
    engine.SetImage(_pil(images.first))
    engine.SetSourceResolution(OCR_DPI)
    engine.Recognize()
    read: list[tuple[str, tuple[int, int, int, int], Any, float, bool]] = []
    iterator = engine.GetIterator()
    for word in iterate_level(iterator, RIL.WORD) if iterator is not None else ():
        text = normalise(_text_of(word, RIL.WORD).strip())
        box = word.BoundingBox(RIL.WORD)
        if not text or box is None or set(text) <= STRAY_MARKS:
            continue
        size = (word.WordFontAttributes() or {}).get("pointsize") or (box[3] - box[1]) * 72 / OCR_DPI
        read.append((text, box, word.Baseline(RIL.WORD), float(size), word.IsAtBeginningOf(RIL.TEXTLINE)))
    found = []
    for index, (text, box, baseline, size, starts_line) in enumerate(read):
        following = read[index + 1] if index + 1 < len(read) else None
        if following and not following[4]:
            box = short_of(box, following[1], images.first)
        text = _read_again_if_unlike_a_number(text, box, images.first, in_table=kind == "table")
        for part, part_box in numbers_in(text, box, images.first):
            found.append((part, part_box, baseline, size, starts_line))
            starts_line = False
    turn = _skew([baseline for _, _, baseline, _, _ in found if baseline])
    cos, sin, points = math.cos(turn), math.sin(turn), 72 / OCR_DPI
    foot = images.first.shape[0] * points
    lines: list[list[OcrWord]] = []
    for text, box, baseline, size, starts_line in found:
        (_, y0), (_, y1) = baseline or ((box[0], box[3]), (box[2], box[3]))
        y = (y0 + y1) / 2
        looked = images.second_look(box) if _has_digit(text) else None
        # turned back about the image's top left corner: x' = x cos + y sin, y' = y cos - x sin
        left, right = box[0] * cos + y * sin, box[2] * cos + y * sin
        upright = y * cos - (box[0] + box[2]) / 2 * sin
        word = OcrWord(text, looked, left * points, right * points, foot - upright * points, size)
        if starts_line or not lines:
            lines.append([])
        lines[-1].append(word)
    return tuple(tuple(line) for line in lines)


def read_page(page: pdfium.PdfPage, why: str, holds_table: Callable[[str], bool]) -> OcrPage:
    """The page's text by OCR and, where ``holds_table`` says its text holds a table, every word where it
    sits; each word holding a digit looked at twice. Raises UnreadableLetter without Tesseract."""
    images = PageImages(page)
    lines = _read(images, "text")
    if not holds_table(OcrPage(why, lines, ()).text()):
        return OcrPage(why, lines, ())
    cells = _read(images, "table")
    return OcrPage(why, lines, (*cells, *_missed(lines, cells)))


def _missed(lines: Lines, cells: Lines) -> Lines:
    """The words of the text reading where the cell-by-cell reading found none: it passes over a lone
    character, such as a ``0`` alone in its cell, as a speck."""
    found = [word for line in cells for word in line]

    def overlaps(word: OcrWord) -> bool:
        return any(
            word.x0 < other.x1
            and other.x0 < word.x1
            and abs(word.baseline - other.baseline) < max(word.size, other.size)
            for other in found
        )

    missed = tuple(word for line in lines for word in line if not overlaps(word))
    return (missed,) if missed else ()


def _has_digit(text: str) -> bool:
    return any(char.isdigit() for char in text)

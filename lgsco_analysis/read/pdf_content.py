"""PDF -> each page's text and, on the pages that hold tables, every word with its position.

Both come from pdfium's text layer, which every producer writes the same way whatever it
draws around the words. Everything that makes a file unreadable raises
:class:`UnreadableLetter` with a one-line reason, quickly: the checks run from cheapest
(size, magic bytes) to dearest.
"""

from __future__ import annotations

import ctypes
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import UnreadableLetter
from ..rules.typography import normalise
from ..rules.vocabulary import match_heading
from .numbers import is_number_like
from .ocr import NO_TESSERACT, OcrPage, ocr_available, read_page, word_text
from .text import unreadable_text_layer

MAX_PAGES = 30
"""More pages than any annual review letter has: such a file is refused unread."""
MAX_PAGE_POINTS = 2000
"""A page wider or taller than this (about 70 cm) is no letter's: the file is refused."""
MAX_PATH_SEGMENTS = 5000
"""More line segments than this on a table page (real letters draw 200 to about 1,000) is no table's drawing."""
MAX_FORM_DEPTH = 8
"""Forms drawn inside forms deeper than this (real letters: none or one) are a trap, such as a form drawing itself."""
WORD_GAP = 0.2
"""Glyphs further apart than this (in font sizes) are two words, even with no space between."""
SAME_BASELINE = 0.3
"""Glyphs whose baselines differ by more than this (in font sizes) are on two lines."""
UNREADABLE_TEXT_LAYER = "its text layer cannot be read: the fonts carry no usable character map"
"""The reason given for a text layer that is there but reads as symbols or glyph numbers."""
NO_CHARACTER_MAP = "a text layer whose fonts carry no usable character map"
OCR_NOT_ENGLISH = "and what OCR reads on its pages is not English text either"
IMAGE_PAGE_SHARE = 0.5
"""An image covering at least this share of a page, under invisible text, is a scanned page."""
DIRECTION_SAMPLES = 64
"""How many glyphs, spread over a page, say which way its text runs."""


@dataclass(frozen=True)
class Word:
    """A word as printed: its text, left and right edges and baseline in PDF points (y upwards)."""

    text: str
    x0: float
    x1: float
    baseline: float
    size: float


@dataclass
class PdfContent:
    """Each page's text; words only on the pages that look like they hold a table (1-based)."""

    page_texts: list[str]
    page_words: dict[int, list[Word]] = field(default_factory=dict)
    absurd_drawings: dict[int, str] = field(default_factory=dict)
    """Table pages whose drawing no second reader should be given, with the reason."""
    upright_rotations: dict[int, int] = field(default_factory=dict)
    """Table pages a viewer shows turned, with the ``/Rotate`` that would show them upright."""
    ocr_pages: dict[int, OcrPage] = field(default_factory=dict)
    """Pages read by OCR from their image, because their text layer could not be used."""

    @property
    def text(self) -> str:
        return "\n".join(self.page_texts)

    def second_look(self) -> PdfContent:
        """The same content with each number on an OCR page as OCR's second look read it."""
        texts = list(self.page_texts)
        words = dict(self.page_words)
        for number, page in self.ocr_pages.items():
            texts[number - 1] = page.text(second_look=True)
            if number in words:
                words[number] = ocr_words(page, second_look=True)
        return PdfContent(page_texts=texts, page_words=words, ocr_pages=self.ocr_pages)


def ocr_words(page: OcrPage, second_look: bool = False) -> list[Word]:
    """An OCR page's words as a text layer's: as first read or, with ``second_look``, as looked at again."""
    return [
        Word(word_text(word, second_look), word.x0, word.x1, word.baseline, word.size)
        for line in page.table_lines
        for word in line
    ]


_LINE_BREAK = re.compile(r"\r?\n")
_PDFIUM_HYPHENS = str.maketrans({"\ufffe": "-", "\u00ad": "-"})
"""pdfium reports a hyphen that ends a line as U+FFFE (and producers print soft hyphens): both are hyphens."""


def _page_text(textpage: pdfium.PdfTextPage) -> str:
    return textpage.get_text_range().translate(_PDFIUM_HYPHENS)


def looks_like_table_page(text: str) -> bool:
    """A line of two or more numbers, two lines of one number each, or a table's heading.

    Cheap, and the same for every producer: pdfium writes a row of table values as such lines.
    """
    lone_numbers = 0
    for line in _LINE_BREAK.split(text):
        tokens = line.split()
        if len(tokens) >= 2 and all(is_number_like(token) for token in tokens):
            return True
        lone_numbers = lone_numbers + 1 if len(tokens) == 1 and is_number_like(tokens[0]) else 0
        if lone_numbers >= 2 or match_heading(line):
            return True
    return False


def effective_size(textpage: pdfium.PdfTextPage, index: int, matrix: pdfium_c.FS_MATRIX) -> float:
    """The glyph's size as drawn: the font size times the scale of its text and page matrices.

    Producers differ in where they put the scale (cairo and Quartz write every glyph at size 1
    and scale the matrix; Ghostscript printing fit-to-page scales the font size): the product
    is the size a reader sees.
    """
    pdfium_c.FPDFText_GetMatrix(textpage, index, matrix)
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    return pdfium_c.FPDFText_GetFontSize(textpage, index) * (scale or 1.0)


def reading_turn(textpage: pdfium.PdfTextPage, samples: int = DIRECTION_SAMPLES) -> int:
    """The quarter turn (0, 90, 180 or 270 degrees, anticlockwise) that the page's text runs at.

    Taken from the direction of each sampled glyph's baseline in its matrix; the most common wins.
    """
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return 0
    matrix = pdfium_c.FS_MATRIX()
    turns: Counter[int] = Counter()
    for index in range(0, count, max(1, count // samples)):
        if pdfium_c.FPDFText_IsGenerated(textpage, index) == 1:
            continue
        if not pdfium_c.FPDFText_GetMatrix(textpage, index, matrix) or (matrix.a == 0 and matrix.b == 0):
            continue
        turns[round(math.degrees(math.atan2(matrix.b, matrix.a)) / 90) % 4 * 90] += 1
    return turns.most_common(1)[0][0] if turns else 0


def _turn_objects(page: pdfium.PdfPage, degrees: int) -> None:
    """Turn everything drawn on the page by ``degrees`` anticlockwise, in memory only."""
    radians = math.radians(degrees)
    cos, sin = round(math.cos(radians)), round(math.sin(radians))
    for index in range(pdfium_c.FPDFPage_CountObjects(page)):
        pdfium_c.FPDFPageObj_Transform(pdfium_c.FPDFPage_GetObject(page, index), cos, sin, -sin, cos, 0, 0)


def upright_textpage(page: pdfium.PdfPage) -> tuple[pdfium.PdfTextPage, int]:
    """The page's text layer in its reading direction, whatever turned it, and the ``/Rotate``
    that would show the page upright (the turn its text is drawn at).

    A page turned by ``/Rotate`` is read as drawn (the turn is only how a viewer shows it); a
    page whose text is drawn turned (a rotated text or page matrix, as printing a turned page
    writes it) has its objects turned back first. Both change only the copy in memory.
    """
    if page.get_rotation():
        page.set_rotation(0)
    textpage = page.get_textpage()
    turn = reading_turn(textpage)
    if turn:
        textpage.close()
        _turn_objects(page, -turn)
        textpage = page.get_textpage()
    return textpage, turn


def _page_words(textpage: pdfium.PdfTextPage) -> list[Word]:
    count = pdfium_c.FPDFText_CountChars(textpage)
    text = _page_text(textpage)
    if len(text) != count:  # pdfium left some out: ask for each character instead
        codes = (pdfium_c.FPDFText_GetUnicode(textpage, index) for index in range(count))
        text = "".join(map(chr, codes)).translate(_PDFIUM_HYPHENS)
    box, matrix, x, y = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX(), ctypes.c_double(), ctypes.c_double()
    words: list[Word] = []
    glyphs: list[str] = []
    left = right = baseline = size = 0.0
    for index, char in enumerate(text):
        if char.isspace():
            if glyphs:
                words.append(Word(normalise("".join(glyphs)), left, right, baseline, size))
                glyphs = []
            continue
        pdfium_c.FPDFText_GetLooseCharBox(textpage, index, box)
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
        if glyphs and (
            abs(y.value - baseline) > SAME_BASELINE * size
            or box.left - right > WORD_GAP * size
            or box.left < left - WORD_GAP * size
        ):
            words.append(Word(normalise("".join(glyphs)), left, right, baseline, size))
            glyphs = []
        if not glyphs:
            left, right, baseline = box.left, box.right, y.value
            size = effective_size(textpage, index, matrix)
            if size <= 0:  # no usable matrix: take the glyph box's height
                size = max(box.top - box.bottom, 1.0)
        glyphs.append(char)
        right = max(right, box.right)
    if glyphs:
        words.append(Word(normalise("".join(glyphs)), left, right, baseline, size))
    return words


def drawn_objects(page: pdfium.PdfPage) -> Iterator[tuple[Any, int, int]]:
    """Every object drawn on the page, depth first, with its kind and how deep in forms it sits (0 on
    the page itself); a form at :data:`MAX_FORM_DEPTH` is given but not entered."""

    def walk(count: int, get_object: Callable[[int], Any], depth: int) -> Iterator[tuple[Any, int, int]]:
        for index in range(count):
            shape = get_object(index)
            kind = pdfium_c.FPDFPageObj_GetType(shape)
            yield shape, kind, depth
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                inside = pdfium_c.FPDFFormObj_CountObjects(shape)
                yield from walk(inside, functools.partial(pdfium_c.FPDFFormObj_GetObject, shape), depth + 1)

    yield from walk(pdfium_c.FPDFPage_CountObjects(page), functools.partial(pdfium_c.FPDFPage_GetObject, page), 0)


def absurd_drawing(page: pdfium.PdfPage) -> str | None:
    """Why the page's drawing is beyond any letter's (too many line segments, forms nested too
    deep), or None; counted cheaply, stopping at the limit."""
    segments = 0
    for shape, kind, depth in drawn_objects(page):
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            segments += pdfium_c.FPDFPath_CountSegments(shape)
            if segments > MAX_PATH_SEGMENTS:
                return f"more than {MAX_PATH_SEGMENTS:,} line segments"
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth >= MAX_FORM_DEPTH:
            return f"forms drawn within forms more than {MAX_FORM_DEPTH} deep"
    return None


def _open(path: Path) -> pdfium.PdfDocument:
    size = path.stat().st_size
    if size == 0:
        raise UnreadableLetter("empty file (0 bytes)")
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise UnreadableLetter("not a PDF file (it does not start with %PDF-)")
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise UnreadableLetter("password-protected PDF: remove the password first") from None
        raise UnreadableLetter(f"corrupt or truncated PDF ({error})") from None


def invisible_text_over_image(page: pdfium.PdfPage) -> bool:
    """True when every text object on the page (in forms too) is invisible and an image covers
    most of it: another program's OCR layer over a scanned page, which is not taken at its word."""
    width, height = page.get_size()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    invisible, image_area = 0, 0.0
    for shape, kind, _ in drawn_objects(page):
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            if pdfium_c.FPDFTextObj_GetTextRenderMode(shape) != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
                return False
            invisible += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(shape, left, bottom, right, top):
            image_area = max(image_area, (right.value - left.value) * (top.value - bottom.value))
    return bool(invisible) and image_area >= IMAGE_PAGE_SHARE * width * height


def text_looks_invisible(textpage: pdfium.PdfTextPage, samples: int = DIRECTION_SAMPLES) -> bool:
    """True when every sampled character is drawn invisible: cheap, and false at once for a text layer
    anyone can see, so that only such pages are searched for the image under them."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    for index in range(0, count, max(1, count // samples)):
        shape = pdfium_c.FPDFText_GetTextObject(textpage, index)
        if shape and pdfium_c.FPDFTextObj_GetTextRenderMode(shape) != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
            return False
    return count > 0


def why_ocr(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, text: str) -> str | None:
    """Why the page's text layer cannot be read as what the page prints, or None when it can."""
    if not text.strip():
        return "no text layer"
    if unreadable_text_layer(text):
        return NO_CHARACTER_MAP
    if text_looks_invisible(textpage) and invisible_text_over_image(page):
        return "another program's invisible OCR layer over a page image"
    return None


def read_pdf_content(path: Path, ocr: bool = True) -> PdfContent:
    """Every page's text, and the words of each page that looks like it holds a table.

    With ``ocr``, a page whose text layer cannot be used (:func:`why_ocr`) is read from its
    image by OCR instead. Raises UnreadableLetter saying why there is nothing to read.
    """
    document = _open(path)
    try:
        page_count = len(document)
        if page_count == 0:
            raise UnreadableLetter("PDF has no pages")
        if page_count > MAX_PAGES:
            raise UnreadableLetter(
                f"PDF has {page_count} pages, more than any annual review letter "
                f"(at most {MAX_PAGES}): not an LGSCO letter"
            )
        content = PdfContent(page_texts=[])
        for index in range(page_count):
            page = document[index]
            width, height = page.get_size()
            if max(width, height) > MAX_PAGE_POINTS:
                raise UnreadableLetter(
                    f"page {index + 1} is {width:,.0f} x {height:,.0f} points: no letter's page "
                    f"(at most {MAX_PAGE_POINTS:,}): not an LGSCO letter"
                )
            shown_turned = page.get_rotation()
            textpage, upright = upright_textpage(page)
            text = normalise(_page_text(textpage))
            why = why_ocr(page, textpage, text) if ocr else None
            if why:
                if not text.strip():
                    page.set_rotation(shown_turned)  # nothing to turn it by but how a viewer shows it
                read = content.ocr_pages[index + 1] = _read_by_ocr(page, why)
                content.page_texts.append(read.text())
                if read.table_lines:
                    content.page_words[index + 1] = ocr_words(read)
            else:
                content.page_texts.append(text)
                if looks_like_table_page(text):
                    content.page_words[index + 1] = _page_words(textpage)
                    if shown_turned != upright:
                        content.upright_rotations[index + 1] = upright
                    reason = absurd_drawing(page)
                    if reason:
                        content.absurd_drawings[index + 1] = reason
            textpage.close()
            page.close()
    except pdfium.PdfiumError as error:
        raise UnreadableLetter(f"corrupt or truncated PDF ({error})") from None
    finally:
        document.close()
    if not any(text.strip() for text in content.page_texts):
        if content.ocr_pages:
            raise UnreadableLetter("PDF has no text layer, and OCR found no words on its pages")
        raise UnreadableLetter("PDF has no text layer (image-only or scanned) and OCR is turned off (--no-ocr)")
    if unreadable_text_layer(content.text):
        if not content.ocr_pages:
            raise UnreadableLetter(UNREADABLE_TEXT_LAYER)
        whys = sorted({page.why for page in content.ocr_pages.values()})
        unusable = UNREADABLE_TEXT_LAYER if whys == [NO_CHARACTER_MAP] else f"no usable text layer ({', '.join(whys)})"
        raise UnreadableLetter(f"{unusable}, {OCR_NOT_ENGLISH}")
    return content


def _read_by_ocr(page: pdfium.PdfPage, why: str) -> OcrPage:
    if not ocr_available():
        raise UnreadableLetter(f"a page has {why}, and {NO_TESSERACT}")
    return read_page(page, why, looks_like_table_page)

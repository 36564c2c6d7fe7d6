"""PDF -> page texts (pdfium's text layer) and ruled tables (camelot), with clear refusals.

Everything that makes a file unreadable raises :class:`UnreadableLetter` with a one-line
reason, quickly: the checks run from cheapest (size, magic bytes) to dearest (tables).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

MAX_PAGES = 30
"""More pages than any annual review letter has: such a file is refused unread."""

TABLE_PAGE_MARKERS = re.compile(
    r"complaints and enquiries received|decisions made|complaints remedied|complaint overview"
    r"|not for us|incomplete or invalid|adult care|uphold rate",
    re.IGNORECASE,
)


class UnreadableLetter(Exception):
    """A file that cannot be read as a letter; the message is one plain-English line."""


@dataclass
class Table:
    """One table as camelot found it: a grid of cell texts, rows top to bottom."""

    page: int
    cells: list[list[str]]


@dataclass
class PdfContent:
    page_texts: list[str]
    tables: list[Table] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.page_texts)


def read_page_texts(path: Path) -> list[str]:
    """Return each page's text, or raise UnreadableLetter saying why there is none."""
    size = path.stat().st_size
    if size == 0:
        raise UnreadableLetter("empty file (0 bytes)")
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise UnreadableLetter("not a PDF file (it does not start with %PDF-)")
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        message = str(error).lower()
        if "password" in message:
            raise UnreadableLetter("password-protected PDF: remove the password first") from None
        raise UnreadableLetter(f"corrupt or truncated PDF ({error})") from None
    try:
        page_count = len(document)
        if page_count == 0:
            raise UnreadableLetter("PDF has no pages")
        if page_count > MAX_PAGES:
            raise UnreadableLetter(
                f"PDF has {page_count} pages, more than any annual review letter "
                f"(at most {MAX_PAGES}): not an LGSCO letter"
            )
        texts = []
        for index in range(page_count):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except pdfium.PdfiumError as error:
        raise UnreadableLetter(f"corrupt or truncated PDF ({error})") from None
    finally:
        document.close()
    if not any(text.strip() for text in texts):
        raise UnreadableLetter("PDF has no text layer (image-only or scanned); OCR is not supported")
    return texts


def read_tables(path: Path, pages: list[int]) -> list[Table]:
    """Ruled tables on the given 1-based pages: vector lines first, rendering as a fallback."""
    if not pages:
        return []
    import camelot  # imported here: it is slow to import and only parsing needs it

    page_list = ",".join(str(page) for page in pages)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = camelot.read_pdf(str(path), pages=page_list, flavor="lattice", engine="vector")
            if found.n == 0:
                found = camelot.read_pdf(str(path), pages=page_list, flavor="lattice")
        except Exception as error:  # camelot raises many kinds on malformed pages
            raise UnreadableLetter(f"tables could not be read ({type(error).__name__}: {error})") from None
    tables = [Table(page=int(table.page), cells=table.df.values.tolist()) for table in found]
    tables.sort(key=lambda table: table.page)  # camelot keeps page order within a page
    return tables


def read_pdf_content(path: Path) -> PdfContent:
    """Page texts of every page, and tables from the pages that hold statistics."""
    page_texts = read_page_texts(path)
    table_pages = [number for number, text in enumerate(page_texts, start=1) if TABLE_PAGE_MARKERS.search(text)]
    return PdfContent(page_texts=page_texts, tables=read_tables(path, table_pages))

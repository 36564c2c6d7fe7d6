"""A council's statistics page (saved by ``lgsco fetch``), read as a second source of a letter's figures.

The page's text, taken out of its HTML by Beautiful Soup, is read with the letters' own
sentence patterns (``rules/formats.py``): "we dealt with N complaints", "We investigated N
complaints and upheld N", "This compares to an average of", "upheld decisions per 100,000
residents", "Statistics are based on a total of". The council and the year are found as in a
letter, or else from the page's main heading ("Kent County Council ... 2022-23").
Nothing else is assumed of the page's layout.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..rules import formats
from ..rules.fetching import year_ending
from ..rules.typography import normalise
from ..rules.vocabulary import STATISTICS_PAGE, Status
from .checks import check_rates_in_range, check_uphold_rate
from .letter import assemble_facts, find_authority_and_year, read_text
from .readings import Facts
from .record import Letter, unreadable

PAGE_MAX_BYTES = 5 * 2**20
"""A statistics page is tens of kilobytes; a larger file is not one."""
_HEADING_TAIL = (" statistics", " complaint statistics", " - statistics")


def page_text(html: bytes) -> tuple[str, str]:
    """The page's visible text, a line per block, and its main heading (``<h1>``, else ``<title>``)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "noscript", "template"]):
        hidden.decompose()
    heading = soup.find("h1") or soup.find("title")
    lines = (" ".join(normalise(line).split()) for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line), " ".join(heading.get_text(" ").split()) if heading else ""


def read_statistics_page(path: str | Path, source: str | None = None) -> Letter:
    """The page's figures as a Letter record with ``source_kind`` ``statistics_page``; status ``error`` when
    it gives no council, no year or no figure."""
    path = Path(path)
    source = source or path.name
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    if len(data) > PAGE_MAX_BYTES:
        return _unreadable(source, sha256, f"{len(data):,} bytes: larger than any statistics page")
    text, heading = page_text(data)
    letter = Letter(source=source, sha256=sha256, source_kind=STATISTICS_PAGE)
    letter.authority, letter.year_ending, letter.problems = find_authority_and_year([text])
    if letter.authority is None and heading:
        name = heading
        for tail in _HEADING_TAIL:
            name = name.removesuffix(tail)
        letter.authority = " ".join(name.split(":")[0].split()) or None
    if letter.year_ending is None:
        letter.year_ending = year_ending(heading)
    facts = Facts()
    read_text(formats.flatten_text(text), facts)
    letter.format = next((f for f, years in formats.FORMAT_YEARS.items() if letter.year_ending in years), None)
    assemble_facts(letter, facts)
    if not (letter.authority and letter.year_ending and (letter.statistics or letter.decisions)):
        missing = [what for what, found in (("council", letter.authority), ("year", letter.year_ending)) if not found]
        why = f"no {' or '.join(missing)} found" if missing else "none of the letters' figures found"
        return _unreadable(source, sha256, f"a statistics page, but {why} on it")
    letter.problems += facts.problems + check_uphold_rate(letter) + check_rates_in_range(letter)
    letter.status = Status.WARNING if letter.problems else Status.OK
    return letter


def _unreadable(source: str, sha256: str, reason: str) -> Letter:
    letter = unreadable(source, sha256, reason)
    letter.source_kind = STATISTICS_PAGE
    return letter

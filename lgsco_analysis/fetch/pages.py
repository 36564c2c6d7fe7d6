"""The links on a page, read with Beautiful Soup: each with its address, its text and the heading it sits under."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Link:
    url: str
    """Absolute, without its #fragment."""
    text: str
    section: str
    """The text of the nearest heading before the link ("Annual letters"), or ''."""
    page: str
    """The address of the page the link is on."""


def links_on(html: bytes | str, page_url: str) -> list[Link]:
    """Every ``<a href>`` of the page, in order; a ``<base href>`` is honoured."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    base = soup.find("base", href=True)
    base_url = urljoin(page_url, str(base["href"])) if base else page_url
    found = []
    for anchor in soup.find_all("a", href=True):
        heading = anchor.find_previous(HEADINGS)
        url, _ = urldefrag(urljoin(base_url, str(anchor["href"]).strip()))
        text = " ".join(anchor.get_text(" ").split())
        found.append(Link(url, text, " ".join(heading.get_text(" ").split()) if heading else "", page_url))
    return found

"""What a rendered report says, read back from its HTML: each chart's alt text, the words and numbers
drawn in it and the figures behind it, every table, and the words around them, in page order.

Two renderings of a report read the same when these are equal, whatever the drawing's coordinates
or the time it was rendered: the benchmark compares the reports of two versions of the code with
it, and the tests compare a run with the figures recorded before a change.
"""

from __future__ import annotations

from pathlib import Path

PROVENANCE_CLASS = "lgsco-provenance"
"""The report's foot, saying when it was rendered: not part of what it says."""


def _rows(table) -> list[list[str]]:
    return [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")
    ]


def report_figures(html: str) -> list[dict]:
    """The report's charts, tables and words in the order the page shows them.

    A chart is ``{"chart": alt, "drawn": its texts, "figures": rows}`` (the texts sorted: the order they
    are drawn in is not the order they are read in), a table ``{"table": caption, "rows": rows}``, and
    words ``{"text": ...}`` (headings, paragraphs, list items); rows are lists of cell texts, header first."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(html, "html.parser")
    for foot in page.select(f".{PROVENANCE_CLASS}"):
        foot.decompose()
    said: list[dict] = []
    for element in page.select("svg[aria-label], table, h1, h2, h3, p, li"):
        if element.name == "svg":
            drawn = sorted(" ".join(text.get_text(" ").split()) for text in element.find_all("text"))
            said.append({"chart": element["aria-label"], "drawn": drawn, "figures": []})
        elif element.name == "table":
            if element.find_parent("details", class_="lgsco-figures") and said and "chart" in said[-1]:
                said[-1]["figures"] = _rows(element)
            else:
                caption = element.find("caption")
                said.append({"table": caption.get_text(" ", strip=True) if caption else "", "rows": _rows(element)})
        elif not element.find_parent(["table", "svg"]):
            text = " ".join(element.get_text(" ").split())
            if text:
                said.append({"text": text})
    return said


def reports_figures(reports_dir: Path, paths: list[str]) -> dict[str, list[dict]]:
    """:func:`report_figures` of each report (paths relative to the reports folder, as in its manifest)."""
    return {path: report_figures((reports_dir / path).read_text(encoding="utf-8")) for path in paths}

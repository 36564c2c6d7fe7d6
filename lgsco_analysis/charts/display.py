"""Notebook output for reports: charts as SVG with their alt text and figures, escaped text and tables.

Everything a report shows that comes from a letter (an authority's name, a problem) goes
through ``html.escape`` here, because a letter may print anything. Charts are SVG with their
text as text: sharp on any screen, small, findable, and drawn inline so that a saved or
emailed report needs nothing else.
"""

from __future__ import annotations

import hashlib
import html
import io
import numbers
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import matplotlib
import pandas as pd
from IPython.display import HTML, display
from matplotlib.figure import Figure

from ..analysis.views import read_by_ocr, sample_letter_count
from ..errors import NothingToDraw
from ..rules import dictionary
from ..rules.vocabulary import NOT_KNOWN, Status
from .style import LITERAL_TEXT, Chart, lay_out

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

CHART_DPI = 110
SVG_STYLE: dict[RcKeyType, Any] = {
    **LITERAL_TEXT,
    "svg.fonttype": "none",  # text as text: small, sharp, selectable
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
}
STATUS_SYMBOLS = {Status.OK: "✓", Status.WARNING: "!", Status.ERROR: "✗", "": "·"}
STATUS_MEANINGS = {
    Status.OK: "read, every check passed",
    Status.WARNING: "read, with a problem (see below)",
    Status.ERROR: "could not be read: no figures",
    "": "no letter found",
}


def chart_png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(LITERAL_TEXT):  # labels made as it draws are text from letters too
        figure.savefig(buffer, format="png", dpi=CHART_DPI)
    return buffer.getvalue()


_DECIMALS = re.compile(r"(-?\d+\.\d\d)\d+")
_FONT_FAMILY = re.compile(r"font-family: [^;\"]*;? ?")
_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r' id="([^"]+)"')
FONT_FAMILY = "'DejaVu Sans', Arial, Helvetica, sans-serif"


def _lean_svg(svg: str) -> str:
    """matplotlib's SVG, smaller and drawn the same: no metadata, coordinates to a hundredth of a point,
    the font named once on the root, no ids nothing refers to, no whitespace between tags. Text between
    tags (what a letter printed) is left exactly as it was."""
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = _TAG.sub(lambda tag: _FONT_FAMILY.sub("", _DECIMALS.sub(r"\1", tag.group())), svg)
    referenced = set(re.findall(r"#([\w-]+)", svg))
    svg = _ID.sub(lambda found: found.group() if found.group(1) in referenced else "", svg)
    return re.sub(r">\s+<", "><", svg)


def chart_svg(figure: Figure, alt: str) -> str:
    """The figure as an inline ``<svg>`` element that a screen reader announces as an image with ``alt``."""
    buffer = io.StringIO()
    salt = hashlib.sha256(alt.encode()).hexdigest()[:8]  # ids that differ between the charts of one page
    with matplotlib.rc_context({**SVG_STYLE, "svg.hashsalt": salt}):
        lay_out(figure)  # once, for SVG: saving then draws it once
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _lean_svg(buffer.getvalue()[buffer.getvalue().index("<svg") :])
    opening_end = svg.index(">")
    label = html.escape(alt)
    return (
        f'{svg[:opening_end]} role="img" aria-label="{label}" style="font-family: {FONT_FAMILY}">'
        f"<title>{label}</title>{svg[opening_end + 1 :]}"
    )


_CHARTS_FROM: dict[str, str] = {}


def charts_from(letters: pd.DataFrame) -> None:
    """Name the letters this report's charts are drawn from: where OCR read any, each chart says so under it."""
    count = len(read_by_ocr(letters))
    _CHARTS_FROM.clear()
    if count:
        _CHARTS_FROM["note"] = (
            f"{count:,} of the {len(letters):,} letters behind this report's charts were read by OCR from images "
            "of their pages (a scan, or no usable text layer): each of their numbers was read twice and kept only "
            "where both readings agreed; the data-quality report lists them."
        )


def chart(make: Callable[..., Chart], *args, **kwargs) -> None:
    """Draw one ``lgsco_analysis.charts.plots`` chart with its alt text, and the figures behind it in a
    table folded under it; say why when the data have nothing to draw (:class:`NothingToDraw`).

    Any other exception is a fault, not missing data: it fails the cell, and so the report.
    """
    try:
        drawn = make(*args, **kwargs)
    except NothingToDraw as reason:
        note(f"No chart: {reason}.")
        return
    display(
        {"image/svg+xml": chart_svg(drawn.figure, drawn.alt), "text/plain": drawn.alt},
        raw=True,
        metadata={"image/svg+xml": {"alt": drawn.alt}},
    )
    if "note" in _CHARTS_FROM:
        note(_CHARTS_FROM["note"])
    if not drawn.table.empty:
        display(
            HTML(
                '<details class="lgsco-figures"><summary>The figures behind this chart</summary>'
                f"{table_html(drawn.table)}</details>"
            )
        )


def note(text: str) -> None:
    """A paragraph of plain text (escaped)."""
    display(HTML(f"<p>{html.escape(text)}</p>"))


def heading(text: str, level: int = 2) -> None:
    """A heading of plain text (escaped)."""
    display(HTML(f"<h{level}>{html.escape(text)}</h{level}>"))


def cell_text(value: object, column: str = "") -> str:
    """A value as the charts print it: ``1,035`` and ``63.5``, never ``1035`` or ``100.0``; a dash for
    nothing; years (in a column whose name starts with "Year") without a thousands comma."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return NOT_KNOWN
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    if str(column).startswith("Year"):
        return f"{value:.0f}" if float(value).is_integer() else str(value)
    if float(value).is_integer():
        return f"{int(float(value)):,}"
    return f"{value:,.1f}".removesuffix(".0")


def table_html(frame: pd.DataFrame, caption: str = "") -> str:
    """A table of escaped cells with numbers formatted by :func:`cell_text`."""
    head = "".join(f'<th scope="col">{html.escape(str(column))}</th>' for column in frame.columns)
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(cell_text(v, c))}</td>" for c, v in zip(frame.columns, row, strict=True))
        + "</tr>"
        for row in frame.astype(object).itertuples(index=False)
    )
    titled = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'{_scrolling_region(caption or "Figures")}<table class="lgsco-table">{titled}'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _scrolling_region(name: str) -> str:
    """The opening of a table's frame, which scrolls sideways when the table is wider than the page: a tab stop,
    so that the keyboard can scroll it too, named for a screen reader."""
    return f'<div class="lgsco-table-wrap" role="region" tabindex="0" aria-label="{html.escape(name)}">'


def table(frame: pd.DataFrame, caption: str, index: bool = False) -> None:
    """A table with a caption; every cell escaped, numbers as the charts print them, missing as a dash."""
    if frame.empty:
        note(f"{caption}: nothing to show.")
        return
    display(HTML(table_html(frame.reset_index() if index else frame, caption)))


def status_grid(coverage: pd.DataFrame, caption: str) -> None:
    """Authority by year letter statuses (``views.coverage``) at a glance (see :func:`status_grid_html`)."""
    if coverage.empty:
        note(f"{caption}: nothing to show.")
        return
    display(HTML(status_grid_html(coverage, caption)))


def status_grid_html(coverage: pd.DataFrame, caption: str) -> str:
    """A symbol and a colour per letter, explained in a legend, so that neither colour nor symbol
    alone carries the meaning; one compact row per authority."""
    years = [c for c in coverage.columns if c != "Authority"]
    legend = "".join(
        f'<li><span class="lgsco-status s-{status or "none"}">{symbol}</span> '
        f"{html.escape(STATUS_MEANINGS[status])}</li>"
        for status, symbol in STATUS_SYMBOLS.items()
    )
    head = '<th scope="col">Authority</th>' + "".join(f'<th scope="col">{html.escape(y)}</th>' for y in years)
    body = "".join(
        f'<tr><th scope="row">{html.escape(str(row[0]))}</th>'
        + "".join(f'<td class="s-{s or "none"}">{STATUS_SYMBOLS.get(s, "?")}</td>' for s in row[1:])
        + "</tr>"
        for row in coverage[["Authority", *years]].itertuples(index=False)
    )
    return (
        f'<ul class="lgsco-legend">{legend}</ul>{_scrolling_region(caption)}<table class="lgsco-grid">'
        f"<caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def caveats() -> None:
    """The caveats of the series as a list (``data/caveats.csv``, the same as the data dictionary's)."""
    items = "".join(
        f"<li><strong>{html.escape(caveat.name)}</strong> {html.escape(caveat.text)}</li>"
        for caveat in dictionary.caveats()
    )
    display(HTML(f'<ul class="lgsco-caveats">{items}</ul>'))


def sample_banner(letters: pd.DataFrame) -> None:
    """A notice at the top of a report when any of its letters are fictional samples."""
    count = sample_letter_count(letters)
    if not count:
        return
    share = "all" if count == len(letters) else f"{count:,} of the {len(letters):,}"
    display(
        HTML(
            '<div class="lgsco-sample-banner" role="note"><strong>Sample data.</strong> '
            f"This report is made from {share} letters written by <code>lgsco sample</code>: "
            "fictional councils with made-up figures. It shows what the reports look like; "
            "it says nothing about any real council.</div>"
        )
    )

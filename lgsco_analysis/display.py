"""Notebook output for reports: charts with their alt text, escaped text and tables, the sample banner.

Everything a report shows that comes from a letter (an authority's name, a problem) goes
through ``html.escape`` here, because a letter may print anything.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable

import matplotlib
import pandas as pd
from IPython.display import HTML, Image, display
from matplotlib.figure import Figure

from . import dictionary
from .plots import LITERAL_TEXT
from .views import sample_letter_count

CHART_DPI = 110


def chart_png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(LITERAL_TEXT):  # labels made as it draws are text from letters too
        figure.savefig(buffer, format="png", dpi=CHART_DPI)
    return buffer.getvalue()


def chart(make: Callable[..., tuple[Figure, str]], *args, **kwargs) -> None:
    """Draw one ``lgsco_analysis.plots`` chart with its alt text; say why when there is nothing to draw.

    The alt text travels in the output's ``image/png`` metadata, where the report template
    (``lgsco_analysis/templates``) writes it into the ``<img>`` tag.
    """
    try:
        figure, alt = make(*args, **kwargs)
    except ValueError as reason:
        note(f"No chart: {reason}.")
        return
    display(Image(data=chart_png(figure), format="png", metadata={"alt": alt}))


def note(text: str) -> None:
    """A paragraph of plain text (escaped)."""
    display(HTML(f"<p>{html.escape(text)}</p>"))


def heading(text: str, level: int = 2) -> None:
    """A heading of plain text (escaped)."""
    display(HTML(f"<h{level}>{html.escape(text)}</h{level}>"))


def table(frame: pd.DataFrame, caption: str, index: bool = False) -> None:
    """A table with a caption; every cell escaped, missing values shown as a dash."""
    if frame.empty:
        note(f"{caption}: nothing to show.")
        return
    shown = frame.astype(object).where(frame.notna(), "–")
    body = shown.to_html(index=index, escape=True, border=0, classes="lgsco-table")
    body = body.replace('<table border="0" class="dataframe lgsco-table">', '<table class="lgsco-table">', 1)
    body = body.replace(">", f"><caption>{html.escape(caption)}</caption>", 1)
    display(HTML(f'<div class="lgsco-table-wrap">{body}</div>'))


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

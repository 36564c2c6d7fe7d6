"""How a sample letter's tables are drawn: the ways different PDF producers draw them (:data:`TABLE_DRAWINGS`),
and the paragraph styles of one letter (:class:`Typesetter`)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

TABLE_DRAWINGS: dict[str, str] = {
    "ruled": "rules drawn as stroked lines (word processors, reportlab)",
    "filled": "rules drawn as thin filled rectangles (Microsoft Word and others)",
    "shaded": "shaded header cells and no rules at all",
    "plain": "no rules and no shading: the words alone",
    "text": "no table at all: each row's labels, then its values, as lines of text with word spaces (HTML typesetters)",
}
"""How a letter's tables are drawn. A parser must read every one alike."""
RULE_WIDTH = 0.6
HEADER_SHADE = colors.HexColor("#dde4ee")


class Typesetter:
    """Paragraph styles for one letter's font."""

    def __init__(self, font: str, drawing: str) -> None:
        self.drawing = drawing
        bold = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold"}[font]
        self.body = ParagraphStyle("body", fontName=font, fontSize=10, leading=13, spaceAfter=6)
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9, alignment=1, splitLongWords=0)
        self.box = ParagraphStyle("box", fontName=font, fontSize=9, leading=11.5)
        self.heading = ParagraphStyle("heading", fontName=bold, fontSize=12, leading=15, spaceBefore=6, spaceAfter=6)
        self.title = ParagraphStyle("title", fontName=bold, fontSize=14, leading=18, spaceAfter=6)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(text, style or self.body)


class FilledRulesTable(Table):
    """A table whose rules are thin filled rectangles rather than stroked lines."""

    def _drawLines(self) -> None:
        canvas = self.canv

        def filled_rule(x0: float, y0: float, x1: float, y1: float) -> None:
            half = RULE_WIDTH / 2
            left, bottom = min(x0, x1) - half, min(y0, y1) - half
            canvas.rect(left, bottom, abs(x1 - x0) + RULE_WIDTH, abs(y1 - y0) + RULE_WIDTH, stroke=0, fill=1)

        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.line = filled_rule  # reportlab draws every rule through canvas.line
        try:
            super()._drawLines()
        finally:
            del canvas.line
            canvas.restoreState()


def table_rules(ts: Typesetter, cells: tuple = ((0, 0), (-1, -1)), header_rows: int = 1) -> list[tuple]:
    """Table style commands for the letter's drawing: a grid, shaded header rows, or nothing."""
    if ts.drawing in ("ruled", "filled"):
        return [("GRID", *cells, RULE_WIDTH, colors.black)]
    if ts.drawing == "shaded":
        return [("BACKGROUND", cells[0], (-1, header_rows - 1), HEADER_SHADE)]
    return []


def drawn_table(rows: list[list], widths: list[float], ts: Typesetter) -> Table:
    return (FilledRulesTable if ts.drawing == "filled" else Table)(rows, colWidths=widths)


def _cell_text(cell: object) -> str:
    text = cell.text if isinstance(cell, Paragraph) else str(cell)
    return text.replace("-<br/>", "").replace("<br/>", " ")


def table_as_text(rows: list[list], ts: Typesetter) -> KeepTogether:
    """A table printed as lines of text: each row's cells with a word space between, no columns."""
    lines = [" ".join(text for text in map(_cell_text, row) if text.strip()) for row in rows]
    return KeepTogether([Paragraph(line, ts.box) for line in lines if line])


def ruled_table(
    rows: list[list], widths: list[float], ts: Typesetter, header_rows: int = 1, spans: tuple = ()
) -> Table | KeepTogether:
    if ts.drawing == "text":
        return table_as_text(rows, ts)
    table = drawn_table(rows, widths, ts)
    style = [
        *table_rules(ts, header_rows=header_rows),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    style += [("SPAN", start, end) for start, end in spans]
    table.setStyle(TableStyle(style))
    return table

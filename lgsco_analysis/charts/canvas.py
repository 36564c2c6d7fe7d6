"""The canvas every chart is drawn on: matplotlib's SVG canvas, with text measured once per process.

Before a text is drawn, matplotlib measures it (its width, height and descent) with the renderer at
hand, and keeps the answer only as long as that renderer lives: a new one for each layout and each
drawing. A profile draws eight charts whose ticks, axis labels and legends are mostly the same
words, and measuring them again took a quarter of the time its charts took. What a text measures is
fixed by the text, its font properties and the fonts they resolve to, so it is kept here for the
life of the process (a report worker's kernel): the charts are drawn exactly as before. So is a font's
line height (ascent, descent, line gap), which matplotlib otherwise reads from the font's tables again
each time a text is laid out.
"""

from __future__ import annotations

import codecs
import functools
from typing import TYPE_CHECKING, Any, Literal

import matplotlib
from matplotlib import cbook
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.textpath import TextToPath

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

FONT_LISTS: tuple[RcKeyType, ...] = (
    "font.family",
    "font.serif",
    "font.sans-serif",
    "font.cursive",
    "font.fantasy",
    "font.monospace",
)
"""The settings that decide which font a text's properties resolve to."""


_TEXT_TO_PATH = TextToPath()
"""What matplotlib's SVG renderer measures text with."""


@functools.lru_cache(maxsize=20_000)
def _measured(text: str, font: FontProperties, ismath: bool | Literal["TeX"], font_lists: tuple) -> tuple:
    return _TEXT_TO_PATH.get_text_width_height_descent(text, font, ismath)


@functools.lru_cache(maxsize=1_000)
def _line_metrics(
    font: FontProperties, dpi: float, font_lists: tuple
) -> tuple[float, float, float] | tuple[None, None, None]:
    """A font's ascent, descent and line gap at ``dpi``, from its own tables, as ``Text`` reads them (3.11)."""
    file = get_font(fontManager._find_fonts_by_props(font))
    head = file.get_sfnt_table("head")
    if head is None:
        return None, None, None  # Text then measures "lp" instead
    scale = font.get_size_in_points() / head["unitsPerEm"] * dpi / 72
    if (os2 := file.get_sfnt_table("OS/2")) is not None:
        return os2["sTypoAscender"] * scale, -os2["sTypoDescender"] * scale, os2["sTypoLineGap"] * scale
    if (hhea := file.get_sfnt_table("hhea")) is not None:
        return hhea["ascent"] * scale, -hhea["descent"] * scale, hhea["lineGap"] * scale
    return None, None, None


class _RendererMeasuringOnce(RendererSVG):
    def __init__(self, figure: Figure, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._figure = figure

    def get_text_width_height_descent(self, s, prop, ismath):
        return _measured(s, prop.copy(), ismath, _font_lists())  # a copy: font properties can change after

    def _get_font_height_metrics(self, prop):
        # what Text (matplotlib 3.11) asks a renderer for first, and otherwise reads from the font's tables
        # for every text each time it is laid out, at the figure's dpi
        return _line_metrics(prop.copy(), self._figure.dpi, _font_lists())


def _font_lists() -> tuple:
    return tuple(tuple(matplotlib.rcParams[key]) for key in FONT_LISTS)


class ChartCanvas(FigureCanvasSVG):
    """matplotlib's SVG canvas whose renderer keeps what each text measures (see the module's text)."""

    def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None, **_for_other_formats):
        # matplotlib's own print_svg (3.11), drawing with the renderer above; savefig's other settings
        # (orientation, face and edge colours) are for other formats, or are the figure's already
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as opened:
            file: Any = opened if cbook.file_requires_unicode(opened) else codecs.getwriter("utf-8")(opened)
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            svg = _RendererMeasuringOnce(self.figure, width * 72, height * 72, file, image_dpi=dpi, metadata=metadata)
            renderer = MixedModeRenderer(self.figure, width, height, dpi, svg, bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(renderer)  # type: ignore[arg-type]  # a renderer, by delegation to the SVG one
            renderer.finalize()


def on_chart_canvas(figure: Figure) -> Figure:
    """The figure, drawn (and laid out) on a :class:`ChartCanvas`."""
    ChartCanvas(figure)
    return figure

"""lgsco_analysis: LGSCO annual review letters -> validated tidy data, charts and reports.

The package is the pipeline, a folder per stage, each importing only the ones before it:
``rules`` (vocabulary, formats, fields and caveats as data) -> ``read`` (a PDF to one
:class:`Letter`) -> ``dataset`` (a folder of letters to the tidy tables) -> ``analysis``
(measures, statistics, the reports' tables) -> ``charts`` -> ``exports`` and ``reports``;
``sample`` writes the fictional corpus. ``cli`` is the ``lgsco`` command.
"""

import importlib
import logging

from .analysis.store import load_analysis
from .dataset.tables import Dataset, load
from .errors import LgscoError
from .provenance import package_version
from .read.letter import parse_letter
from .read.record import Letter

__version__ = package_version()
logging.getLogger(__name__).addHandler(logging.NullHandler())  # quiet unless the caller asks (lgsco --verbose)
__all__ = ["Dataset", "Letter", "LgscoError", "__version__", "load", "load_analysis", "parse_letter"]

_NOTEBOOK_MODULES = {
    "views": ".analysis.views",
    "plots": ".charts.plots",
    "display": ".charts.display",
    "charts": ".charts",
}
"""``lgsco.charts.uphold_trend(...)`` after ``import lgsco_analysis as lgsco``, and ``from lgsco_analysis import
display, plots, views`` as notebooks wrote it before the stages: imported when asked (matplotlib is slow to load)."""


def __getattr__(name: str):
    if name in _NOTEBOOK_MODULES:
        return importlib.import_module(_NOTEBOOK_MODULES[name], __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Analysis: measures harmonised across the formats, intervals and funnel limits, the tables the
reports show, and the analysis a report run computes once (``store``).

Imports ``dataset``, ``read`` and ``rules``; draws nothing.
"""

from .measures import caveats_between, harmonise, series_breaks, with_groups
from .store import load_analysis
from .views import Analysis, analyse

__all__ = ["Analysis", "analyse", "caveats_between", "harmonise", "load_analysis", "series_breaks", "with_groups"]

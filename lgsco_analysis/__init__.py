"""lgsco_analysis: LGSCO annual review letters -> validated tidy data, charts and reports."""

from .dataset import Dataset, load
from .letter import parse_letter
from .record import Letter

__version__ = "0.1.0"
__all__ = ["Dataset", "Letter", "__version__", "load", "parse_letter"]

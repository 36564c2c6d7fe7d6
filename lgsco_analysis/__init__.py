"""lgsco_analysis: LGSCO annual review letters -> validated tidy data, charts and reports."""

from .dataset import Dataset, load
from .letter import Letter, parse_letter

__version__ = "0.1.0"
__all__ = ["Dataset", "Letter", "__version__", "load", "parse_letter"]

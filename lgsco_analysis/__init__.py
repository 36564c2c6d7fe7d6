"""lgsco_analysis: LGSCO annual review letters -> validated tidy data, charts and reports."""

from .dataset import Dataset, load
from .letter import parse_letter
from .provenance import package_version
from .record import Letter

__version__ = package_version()
__all__ = ["Dataset", "Letter", "__version__", "load", "parse_letter"]

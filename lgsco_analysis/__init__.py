"""lgsco_analysis: LGSCO annual review letters -> validated tidy data, charts and reports."""

import logging

from .analysis_store import load_analysis
from .dataset import Dataset, load
from .letter import parse_letter
from .provenance import package_version
from .record import Letter

__version__ = package_version()
logging.getLogger(__name__).addHandler(logging.NullHandler())  # quiet unless the caller asks (lgsco --verbose)
__all__ = ["Dataset", "Letter", "__version__", "load", "load_analysis", "parse_letter"]

"""Fetching the letters: a polite crawl of the Ombudsman's site for the annual letters and each
council's statistics page, saved below ``data/raw/`` with a record of what every address gave.

Imports ``rules``.
"""

from ..errors import FetchStopped
from .client import Limits
from .run import DEFAULT_OUT, DEFAULT_START, MAX_PAGES, FetchRun, fetch_letters, read_address_list

__all__ = [
    "DEFAULT_OUT",
    "DEFAULT_START",
    "MAX_PAGES",
    "FetchRun",
    "FetchStopped",
    "Limits",
    "fetch_letters",
    "read_address_list",
]

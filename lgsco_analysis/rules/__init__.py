"""The rules as data: the letters' vocabulary and label aliases, the formats year by year, every
column's meaning and the caveats of the series (``rules/data/*.csv``) and their loaders.

The lowest stage: it imports no other part of the package.
"""

from .dictionary import Caveat, caveats, fields, table_fields
from .formats import FORMAT_YEARS
from .vocabulary import DECISIONS, DECISIONS_BY_FORMAT, FORMAT_A_SUMS, MEASURES, RECEIVED_CATEGORIES, REMEDIES

__all__ = [
    "DECISIONS",
    "DECISIONS_BY_FORMAT",
    "FORMAT_A_SUMS",
    "FORMAT_YEARS",
    "MEASURES",
    "RECEIVED_CATEGORIES",
    "REMEDIES",
    "Caveat",
    "caveats",
    "fields",
    "table_fields",
]

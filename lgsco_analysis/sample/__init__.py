"""The fictional sample corpus: made-up councils' figures (``figures``), typeset as each year's
letter (``typesetting``), written with their right answers (``corpus``).

Imports ``dataset`` (the group table's name) and ``rules``.
"""

from .corpus import parse_years, write_sample_corpus

__all__ = ["parse_years", "write_sample_corpus"]

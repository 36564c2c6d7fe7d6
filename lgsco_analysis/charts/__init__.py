"""Charts: one function per chart (``plots``), what they share (``style``), their titles and alt
text from what they drew (``words``), and their output in a notebook (``display``).

Imports ``analysis`` and below.
"""

from .style import Chart

__all__ = ["Chart"]

"""Charts: one function per chart (``plots``), what they share (``style``), their titles and alt
text from what they drew (``words``), and their output in a notebook (``display``); one council's
charts in one call from the dataset and a name (``council``: ``charts.uphold_trend(data, "kent")``).

Imports ``analysis`` and below.
"""

from .council import compliance, funnel, received, remedies, upheld_per_100k, uphold_trend
from .style import Chart

__all__ = ["Chart", "compliance", "funnel", "received", "remedies", "upheld_per_100k", "uphold_trend"]

"""The uphold rate, defined once: every reader, check, view, chart and chart caption computes it here.

Investigated is as the letter prints it (formats C and D) or format A's sum
(``vocabulary.FORMAT_A_SUMS``). Both functions take numbers, NumPy arrays or pandas Series,
and divide as they do: a caller that may meet no investigations says what that means first.
"""

from __future__ import annotations

from typing import Any


def upheld_share(upheld: Any, investigated: Any) -> Any:
    """The share of investigated complaints upheld, from 0 to 1: ``upheld / investigated``."""
    return upheld / investigated


def uphold_rate(upheld: Any, investigated: Any) -> Any:
    """The uphold rate in percent: ``100 * upheld / investigated``."""
    return 100 * upheld_share(upheld, investigated)


def no_investigations(investigated: Any) -> Any:
    """Where there were no investigations (``investigated`` is 0), as a boolean Series: an unknown count
    (missing) is not none."""
    return (investigated == 0).fillna(False)


NO_INVESTIGATIONS = "no investigations"
"""What a table prints for the uphold rate of a year with no investigations: a rate with no base is
not 0 (a letter may print "0%"), and a chart leaves it out."""

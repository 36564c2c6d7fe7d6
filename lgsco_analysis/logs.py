"""The package's logs: quiet unless asked, and never a control character from a file name obeyed.

The library logs to ``logging.getLogger("lgsco_analysis")`` and prints nothing; the ``lgsco``
command turns on what ``--verbose`` and ``--log-file`` ask for (:func:`start_logging`).
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """Text for the terminal: control characters (in a file name, say) shown as escapes, never obeyed."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", str(text))


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PrintableFormatter(logging.Formatter):
    """Log lines with control characters (from a file name, say) shown as escapes."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def start_logging(verbose: bool, log_file: Path | None) -> None:
    """Quiet unless asked: --verbose says what happens on stderr, --log-file keeps a timestamped record."""
    logger = logging.getLogger("lgsco_analysis")
    for handler in [h for h in logger.handlers if isinstance(h.formatter, PrintableFormatter)]:  # this module's
        logger.removeHandler(handler)  # main() may run more than once in one process (tests)
        handler.close()
    handlers: list[logging.Handler] = []
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(PrintableFormatter(LOG_FORMAT, datefmt="%Y-%m-%dT%H:%M:%S%z"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if handlers else logging.WARNING)

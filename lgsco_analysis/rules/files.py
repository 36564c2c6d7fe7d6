"""The rules' data tables (``rules/data/*.csv``), read in one place."""

from __future__ import annotations

import csv
import io
from importlib import resources


def rule_rows(name: str) -> list[dict[str, str]]:
    """The rows of one of the rules' tables (``rules/data/NAME``), each a dict of its columns' text."""
    source = resources.files("lgsco_analysis.rules") / "data" / name
    return list(csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"), newline="")))

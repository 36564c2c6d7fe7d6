"""What every report needs from the whole dataset (harmonised measures, group rates, funnel classes),
computed once per report run and read by each notebook.

A notebook opened on its own, with no ``analysis_dir`` or with one made from other data,
computes the same tables itself: the stored ones are used only when they were made from
these very tables by this very code.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pandas as pd

from ..dataset.tables import load
from ..paths import write_atomically
from ..provenance import ANALYSIS_CODE, code_sha256
from .views import Analysis, analyse

ANALYSIS_DIR = ".analysis"
"""The folder, inside the reports folder, where a run keeps the analysis its reports share."""
KEY_FILE = "analysis.json"
TABLES = ("measures", "funnel")


def _key(data_hash: str) -> dict:
    return {"data_sha256": data_hash, "code_sha256": code_sha256(ANALYSIS_CODE)}


def save_analysis(analysis: Analysis, folder: Path, data_hash: str) -> None:
    """Write the analysis's shared tables, then the key saying what they were made from."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / KEY_FILE).unlink(missing_ok=True)  # no key while the tables change: never a stale match
    for name in TABLES:
        frame: pd.DataFrame = getattr(analysis, name)
        write_atomically(folder / f"{name}.parquet", partial(frame.to_parquet, index=False))
    write_atomically(folder / KEY_FILE, lambda temporary: temporary.write_text(json.dumps(_key(data_hash))))


def load_analysis(processed_dir: str | Path, analysis_dir: str | Path = "") -> Analysis:
    """The dataset with its analysis: read from ``analysis_dir`` when that was made from these tables
    by this code, computed here otherwise."""
    data = load(processed_dir)
    if analysis_dir:
        folder = Path(analysis_dir)
        try:
            key = json.loads((folder / KEY_FILE).read_text())
        except (OSError, ValueError):
            key = None
        if key == _key(data.tables_sha256):
            tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
            return Analysis(data=data, groups=data.comparison_groups(), **tables)
    return analyse(data)

"""What every report needs from the whole dataset (harmonised measures, group rates, funnel classes),
computed once per report run and read by each notebook.

A notebook opened on its own, with no ``analysis_dir`` or with one made from other data,
computes the same tables itself: the stored ones are used only when they were made from
these very tables by this very code.
"""

from __future__ import annotations

import dataclasses
import json
from functools import partial
from pathlib import Path

import pandas as pd

from ..dataset.store import pin_set
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
    by this code, computed here otherwise.

    A process reads a run's files once (a report worker's kernel renders many reports from them): while
    none of the files has changed, a later call gets a copy of what was read, so that what one report does
    to its tables is not seen by the next.
    """
    if analysis_dir:
        files = (code_sha256(ANALYSIS_CODE), _files_as_they_stand(pin_set(Path(processed_dir)), Path(analysis_dir)))
        if _read_once.get("files") == files:
            return _copy(_read_once["analysis"])
    data = load(processed_dir)
    if analysis_dir:
        folder = Path(analysis_dir)
        try:
            key = json.loads((folder / KEY_FILE).read_text())
        except (OSError, ValueError):
            key = None
        if key == _key(data.tables_sha256):
            tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
            analysis = Analysis(data=data, groups=data.comparison_groups(), **tables)
            _read_once.update(files=files, analysis=_copy(analysis))
            return analysis
    return analyse(data)


_read_once: dict = {}
"""The analysis this process last read from a run's folder, with the code and the files it was read by and from."""


def _files_as_they_stand(*folders: Path) -> tuple:
    """Each file's path, size, inode and time of last change: what writing or replacing a file changes."""
    standing = []
    for folder in folders:
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            status = path.stat()
            standing.append((str(path.resolve()), status.st_size, status.st_ino, status.st_mtime_ns))
    return tuple(standing)


def _copy(analysis: Analysis) -> Analysis:
    """The analysis with a copy of each of its tables, and of its dataset's: changing one changes no other."""

    def copied(record):
        tables = {
            field.name: getattr(record, field.name).copy()
            for field in dataclasses.fields(record)
            if isinstance(getattr(record, field.name), pd.DataFrame)
        }
        return dataclasses.replace(record, **tables)

    return dataclasses.replace(copied(analysis), data=copied(analysis.data))

"""The tables on disk: each run's tables written whole as one set (:mod:`lgsco_analysis.sets`), read from one.

``DIR/.sets/<run>/`` holds one run's Parquet files and ``dataset.json`` (when, by which
parser, and each file's SHA-256). ``DIR/current`` is a link to the set in force, and
``DIR/letters.parquet`` and the others are links through it. A reader pins the set once
(:func:`pin_set`) and checks every file the set lists (:func:`checked_files`) before it reads
one, so tables that do not belong together, or a set missing a file, are refused.

:func:`exclusive_run` (from :mod:`lgsco_analysis.sets`) keeps two runs from writing one folder at once.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .. import sets
from ..errors import FolderBusy as FolderBusy  # where it was, for those who import it from here
from ..errors import MissingInput, MixedTables
from ..read.record import file_sha256

log = logging.getLogger(__name__)
SETS_DIR = sets.SETS_DIR
CURRENT = sets.CURRENT
SET_MANIFEST = "dataset.json"
LOCK_FILE = sets.LOCK_FILE
exclusive_run = sets.exclusive_run


def write_tables(frames: dict[str, pd.DataFrame], out_dir: Path, about: dict) -> Path:
    """Write the frames as a new set, then switch it in; return the set's folder.

    ``about`` (who wrote it and how) goes into the set's ``dataset.json``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with sets.building(out_dir) as staging:
        files = {}
        for name, frame in frames.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
            files[f"{name}.parquet"] = file_sha256(staging / f"{name}.parquet")
        manifest = {"written": datetime.now(UTC).isoformat(timespec="seconds"), **about, "files": files}
        (staging / SET_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    final = sets.switch_in(out_dir, staging)
    log.info("tables written to %s as set %s", out_dir, final.name)
    return final


def pin_set(processed_dir: Path) -> Path:
    """The one folder a run reads its tables from: the set in force, resolved once.

    ``current`` may be a link or, in a copy, a real folder; either way the set's files are checked.
    A set folder named directly is used as it is; so is a folder of plain Parquet files (a copy by hand).
    """
    return sets.in_force(processed_dir) or processed_dir


def checked_files(set_folder: Path) -> dict[str, str] | None:
    """The set's files and their SHA-256, every one of them present and matching; None for plain files.

    Raises MixedTables naming the first file missing or changed since the set was written.
    """
    manifest_path = set_folder / SET_MANIFEST
    if not manifest_path.exists():
        if set_folder.name == sets.CURRENT or set_folder.parent.name == sets.SETS_DIR:
            raise MixedTables(
                f"{set_folder} has no {SET_MANIFEST}: its tables cannot be checked; run `lgsco parse` again"
            )
        return None
    try:
        files: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise MixedTables(f"{manifest_path} is damaged ({error}); run `lgsco parse` again") from None
    for name, sha256 in files.items():
        path = set_folder / name
        if not path.is_file():
            raise MissingInput(f"{path} is missing from its set: run `lgsco parse` again")
        if file_sha256(path) != sha256:
            raise MixedTables(
                f"{path} is not the file its set was written with: the tables in {set_folder} do not "
                "belong together; run `lgsco parse` again"
            )
    return files


def read_frames(folder: Path, names: tuple[str, ...], named_as: Path) -> dict[str, pd.DataFrame]:
    """The named tables from one (pinned and checked) folder; MissingInput naming any that is not there."""
    missing = [name for name in names if not (folder / f"{name}.parquet").exists()]
    if missing:
        where = f"{named_as.resolve()}" + ("" if named_as.is_absolute() else f" ({named_as} from {Path.cwd()})")
        raise MissingInput(f"{where} has no {', '.join(m + '.parquet' for m in missing)}: run `lgsco parse` first")
    return {name: pd.read_parquet(folder / f"{name}.parquet", dtype_backend="numpy_nullable") for name in names}

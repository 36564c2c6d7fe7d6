"""The tables on disk: each run's tables written whole as one set, switched in by one rename.

``DIR/.sets/<run>/`` holds one run's Parquet files and ``dataset.json`` (when, by which
parser, and each file's SHA-256). ``DIR/current`` is a link to the set in force, switched by
a single ``os.replace``, and ``DIR/letters.parquet`` and the others are links through it, so
any program that opens them reads the set in force. A run killed at any moment leaves the
previous set whole and in force. :func:`read_tables` refuses files that do not belong together.

:func:`exclusive_run` keeps two runs from writing one folder at once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ..errors import FolderBusy, MissingInput, MixedTables
from ..read.record import file_sha256

log = logging.getLogger(__name__)
SETS_DIR = ".sets"
CURRENT = "current"
SET_MANIFEST = "dataset.json"
LOCK_FILE = ".lgsco.lock"


def _link(target: str, link: Path) -> None:
    """Make ``link`` point at ``target`` with one rename: readers see the old link or the new."""
    temporary = link.parent / f".{link.name}.{secrets.token_hex(6)}.tmp"
    os.symlink(target, temporary)
    try:
        os.replace(temporary, link)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_tables(frames: dict[str, pd.DataFrame], out_dir: Path, about: dict) -> Path:
    """Write the frames as a new set, then switch it in; return the set's folder.

    ``about`` (who wrote it and how) goes into the set's ``dataset.json``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    run = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f") + "-" + secrets.token_hex(3)  # sorts as written
    staging = out_dir / SETS_DIR / f".{run}.partial"
    staging.mkdir(parents=True)
    try:
        files = {}
        for name, frame in frames.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
            files[f"{name}.parquet"] = file_sha256(staging / f"{name}.parquet")
        manifest = {"written": datetime.now(UTC).isoformat(timespec="seconds"), **about, "files": files}
        (staging / SET_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        final = out_dir / SETS_DIR / run
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _link(f"{SETS_DIR}/{run}", out_dir / CURRENT)  # the switch: one rename
    log.info("tables written to %s as set %s", out_dir, run)
    for name in files:  # links through current, made once (or made again over files of an older layout)
        link = out_dir / name
        if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
            _link(f"{CURRENT}/{name}", link)
    remove_stale(out_dir)
    return final


def remove_stale(out_dir: Path) -> None:
    """Delete what a killed run left half-written, and sets older than the one before the set in force.

    The set before stays, for a reader that opened it just before the switch.
    """
    current = os.readlink(out_dir / CURRENT) if (out_dir / CURRENT).is_symlink() else ""
    sets = out_dir / SETS_DIR
    entries = sorted(sets.iterdir()) if sets.is_dir() else []
    finished = [entry for entry in entries if not entry.name.startswith(".")]
    keep = {f"{SETS_DIR}/{entry.name}" for entry in finished if entry.name <= Path(current).name}
    keep = set(sorted(keep)[-2:]) | {current}
    for entry in entries:
        if f"{SETS_DIR}/{entry.name}" not in keep:
            shutil.rmtree(entry, ignore_errors=True)
    for leftover in out_dir.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)


def read_tables(processed_dir: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Read the named tables of the set in force; raise MixedTables if they do not belong together.

    A folder of plain Parquet files (an older layout, or a copy) is read as it is.
    Raises FileNotFoundError naming what is missing.
    """
    folder = processed_dir
    if (processed_dir / CURRENT).is_symlink():
        folder = (processed_dir / CURRENT).resolve()  # resolved once: every table from the same set
        manifest_path = folder / SET_MANIFEST
        if not manifest_path.exists():
            raise MixedTables(f"{folder} has no {SET_MANIFEST}: its tables cannot be checked; run `lgsco parse` again")
        files = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
        for name in names:
            path = folder / f"{name}.parquet"
            if path.exists() and files.get(path.name) != file_sha256(path):
                raise MixedTables(
                    f"{path} is not the file its set was written with: the tables in {processed_dir} do not "
                    "belong together; run `lgsco parse` again"
                )
    missing = [name for name in names if not (folder / f"{name}.parquet").exists()]
    if missing:
        raise MissingInput(
            f"{processed_dir} has no {', '.join(m + '.parquet' for m in missing)}: run `lgsco parse` first"
        )
    return {name: pd.read_parquet(folder / f"{name}.parquet", dtype_backend="numpy_nullable") for name in names}


@contextlib.contextmanager
def exclusive_run(folder: Path, what: str) -> Iterator[None]:
    """Hold ``folder`` for one run; while another holds it, raise FolderBusy naming that run.

    The lock is the operating system's (``flock``): it goes with its holder, however that ends.
    """
    import fcntl  # POSIX; the project runs on Linux and macOS

    folder.mkdir(parents=True, exist_ok=True)
    handle = (folder / LOCK_FILE).open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another lgsco run"
            raise FolderBusy(f"{folder} is in use by {holder}: wait for it to finish") from None
        handle.seek(0)
        handle.truncate()
        started = datetime.now(UTC).isoformat(timespec="seconds")
        handle.write(f"lgsco {what} (process {os.getpid()}, started {started})\n")
        handle.flush()
        yield
    finally:
        handle.close()

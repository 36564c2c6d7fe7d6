"""A folder whose files are replaced whole: each run writes one set, switched in by one rename.

``FOLDER/.sets/<run>/`` holds one run's files. ``FOLDER/current`` links to the set in force and
is switched by a single ``os.replace``. Each name at the top of a set is reached through it,
``FOLDER/<name> -> current/<name>``, so whoever opens ``FOLDER/<name>`` reads the set in force and
every file of it from that one set. A run killed at any moment, or stopped by a full disk,
leaves the previous set whole and in force; the next run removes what it left.

The processed tables, the reports and the exported files are each such a folder.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from .errors import DiskFull, FolderBusy

log = logging.getLogger(__name__)
SETS_DIR = ".sets"
CURRENT = "current"
LOCK_FILE = ".lgsco.lock"
"""Held by the one run writing a folder (:func:`exclusive_run`)."""
READERS_LOCK = ".readers.lock"
"""In a set: held (shared) by each run reading the set, so that no writer prunes it meanwhile."""
_SET_NAME = re.compile(r"\d{8}T\d{12}-[0-9a-f]{6}")
_LEFTOVER = re.compile(r"\..+\.partial|\.old-.+")


def _link(target: str, link: Path) -> None:
    """Make ``link`` point at ``target`` with one rename: readers see the old link or the new."""
    temporary = link.parent / f".{link.name}.{secrets.token_hex(6)}.tmp"
    os.symlink(target, temporary)
    try:
        os.replace(temporary, link)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def in_force(folder: Path) -> Path | None:
    """The set folder ``current`` points to (or ``current`` itself, when a copy made it a real folder)."""
    current = folder / CURRENT
    return current.resolve() if current.is_dir() else None


def published(folder: Path) -> Path:
    """Where the files a reader of ``folder`` sees are: the set in force when its names are links through
    ``current``, else ``folder`` itself (an older layout, or a copy that followed the links)."""
    current = in_force(folder)
    return current if current is not None and (folder / CURRENT).is_symlink() else folder


@contextlib.contextmanager
def building(folder: Path) -> Iterator[Path]:
    """A new, empty staging set in ``folder``; removed if the block fails, however it fails.

    A full disk becomes :class:`DiskFull` naming the folder.
    """
    run = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f") + "-" + secrets.token_hex(3)  # sorts as written
    staging = folder / SETS_DIR / f".{run}.partial"
    staging.mkdir(parents=True)
    try:
        yield staging
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            where = error.filename or staging
            raise DiskFull(
                f"no space left to write {where}: {folder} is unchanged; free some space and run again"
            ) from error
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def switch_in(folder: Path, staging: Path) -> Path:
    """Make the staging set the one in force, with one rename; link its names; prune old sets. Returns the set."""
    final = staging.parent / staging.name.removeprefix(".").removesuffix(".partial")
    os.rename(staging, final)
    _replace_with_link(folder, CURRENT, f"{SETS_DIR}/{final.name}")  # the switch
    names = {entry.name for entry in final.iterdir() if not entry.name.startswith(".")}
    for name in sorted(names):
        _replace_with_link(folder, name, f"{CURRENT}/{name}")
    for entry in folder.iterdir():  # names only an older set had: their links now lead nowhere
        if entry.is_symlink() and entry.name not in names and os.readlink(entry).startswith(f"{CURRENT}/"):
            entry.unlink()
    remove_stale(folder)
    log.info("%s: set %s in force", folder, final.name)
    return final


def _replace_with_link(folder: Path, name: str, target: str) -> None:
    """``folder/name`` made a link to ``target``; a real folder there (an older layout, or a copy that
    followed the links) is moved aside first, then removed."""
    link = folder / name
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.is_dir() and not link.is_symlink():
        aside = folder / SETS_DIR / f".old-{name}-{secrets.token_hex(3)}"
        os.rename(link, aside)
        _link(target, link)
        shutil.rmtree(aside, ignore_errors=True)
        return
    _link(target, link)


def _held_by_a_reader(set_folder: Path) -> bool:
    import fcntl

    lock = set_folder / READERS_LOCK
    if not lock.exists():
        return False
    try:
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def remove_stale(folder: Path) -> None:
    """Delete what a killed run left, and sets older than the one before the set in force (unless a run reads them).

    The set before stays, for a reader that opened it just before the switch.
    """
    sets = folder / SETS_DIR
    if not sets.is_dir():
        return
    current = in_force(folder)
    finished = sorted(entry for entry in sets.iterdir() if _SET_NAME.fullmatch(entry.name))
    older = [entry for entry in finished if current is None or entry.name <= current.name]
    keep = set(older[-2:]) | ({current} if current else set())
    for entry in finished:
        if entry not in keep and not _held_by_a_reader(entry):
            shutil.rmtree(entry, ignore_errors=True)
    for entry in sets.iterdir():
        if _LEFTOVER.fullmatch(entry.name):
            shutil.rmtree(entry, ignore_errors=True)
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def reading(set_folder: Path) -> Iterator[None]:
    """Hold ``set_folder`` as read by this run: no writer removes it until the block ends."""
    import fcntl

    if set_folder.parent.name != SETS_DIR:  # a folder that is not one of a writer's sets: nobody prunes it
        yield
        return
    try:
        handle = (set_folder / READERS_LOCK).open("a")
    except OSError:  # a read-only folder: nobody prunes it either
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        yield


def carry_over(source: Path, staging: Path, relative: str) -> bool:
    """Put ``source/relative`` into the staging set by a hard link (a copy where links cannot be made).

    Files are never changed in place (each is written beside and renamed), so sharing one is safe.
    Returns False when there is no such file.
    """
    origin, target = source / relative, staging / relative
    if not origin.is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(origin, target)
    except OSError:
        shutil.copy2(origin, target)
    return True


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

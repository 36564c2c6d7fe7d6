"""Every error the package raises on purpose, under one root, :class:`LgscoError`.

Each message is one plain-English line a user can act on; the CLI prints it as such. The
kinds keep the built-in class they always had (``OSError``, ``ValueError``) as a second base,
so that code catching those still catches them.
"""

from __future__ import annotations


class LgscoError(Exception):
    """The root: a foreseen failure, with a one-line message."""


class UnreadableLetter(LgscoError):
    """A file that cannot be read as a letter; the message is one plain-English line."""


class UnreadableNumber(LgscoError, ValueError):
    """A cell that should hold a number holds something else."""


class RuledTablesUnreadable(LgscoError):
    """camelot failed on the page; the message says how."""


class MixedTables(LgscoError, ValueError):
    """Tables in a folder that were not written together."""


class FolderBusy(LgscoError, OSError):
    """Another run is writing to the folder; the message names it."""


class WorkersCannotStart(LgscoError, OSError):
    """A worker process died before it could take a job: the run cannot go on."""


class NothingToDraw(LgscoError, ValueError):
    """A chart's data have nothing to show (no letters, no investigations): the report says so instead."""


class InvalidInput(LgscoError, ValueError):
    """An argument or an input the package cannot use (a year, a name, a format, a column); the message says which."""


class MissingInput(LgscoError, FileNotFoundError):
    """An input that is not there (no folder of letters, no PDFs, no tables)."""


class DiskFull(LgscoError, OSError):
    """A set of files could not be written for want of space; the message names where, and the previous set stays."""


class FetchStopped(LgscoError):
    """The Ombudsman's site kept failing, or its robots.txt could not be read: the fetch stopped, saying after what."""

"""Where things live, relative to the folder the commands run in (the project's root)."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from collections.abc import Callable
from pathlib import Path

RAW_DIR = Path("data/raw")
SAMPLE_DIR = RAW_DIR / "sample"
PROCESSED_DIR = Path("data/processed")
REPORTS_DIR = Path("reports")
EXPORT_DIR = REPORTS_DIR / "data"
"""Where ``lgsco export`` (and ``lgsco run``) put the CSV files, the workbook and the data package."""
PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(inside_package: str, in_checkout: Path) -> Path:
    """A folder an installed package carries inside it; in a checkout, where the repository keeps it."""
    packaged = PACKAGE_DIR / inside_package
    return packaged if packaged.is_dir() else in_checkout


NOTEBOOKS_DIR = _shipped("notebooks", PACKAGE_DIR.parent / "notebooks")
REFERENCE_DIR = _shipped("reference", PACKAGE_DIR.parent / "data" / "reference")

SLUG_MAX_LENGTH = 80


def slugify(text: str) -> str:
    """A lower-case ASCII file name part: letters, digits and single hyphens, never empty.

    It cannot hold ``/``, ``\\`` or ``..``, so a name printed in a letter cannot lead a
    file out of its folder.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:SLUG_MAX_LENGTH].strip("-") or "unnamed"


def staging_file(final: Path) -> Path:
    """A new empty hidden file beside final, to be renamed over it once written.

    Created as any new file is (0666 less the umask), not privately as ``tempfile.mkstemp``
    would, so the renamed file can be read by whoever reads the folder.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.parent / f".{final.name}.{secrets.token_hex(6)}.tmp"
    os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    return temporary


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write`` on a staging file beside path, then rename it over path.

    Readers see the old file or the new one, never half of one; on failure the old stays.
    """
    temporary = staging_file(path)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise

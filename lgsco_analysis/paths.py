"""Where things live, relative to the folder the commands run in (the project's root)."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

RAW_DIR = Path("data/raw")
SAMPLE_DIR = RAW_DIR / "sample"
PROCESSED_DIR = Path("data/processed")
REPORTS_DIR = Path("reports")
NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"

SLUG_MAX_LENGTH = 80


def slugify(text: str) -> str:
    """A lower-case ASCII file name part: letters, digits and single hyphens, never empty.

    It cannot hold ``/``, ``\\`` or ``..``, so a name printed in a letter cannot lead a
    file out of its folder.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:SLUG_MAX_LENGTH].strip("-") or "unnamed"


def give_usual_permissions(path: str | Path) -> None:
    """Make a file from ``tempfile.mkstemp`` (private, 0600) readable as any new file would be (0666 less the umask)."""
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a hidden file beside path, then rename it over path.

    Readers see the old file or the new one, never half of one; on failure the old stays.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temporary))
        give_usual_permissions(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

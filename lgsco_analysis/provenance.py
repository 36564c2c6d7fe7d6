"""What produced an output: the package's version, from its installed metadata, and hashes of its code.

Each output is keyed by the code it depends on, and only that: a parsed letter by the reading
code and the rules (:data:`READING_CODE`), the analysis a run shares by what computes it
(:data:`ANALYSIS_CODE`), a report by what draws and lays it out (:data:`REPORT_CODE`, with its
notebook hashed apart). A chart's colour changed re-renders the reports and re-parses nothing;
a reader changed re-parses every letter.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "lgsco-analysis"
PACKAGE_DIR = Path(__file__).resolve().parent
CODE_SUFFIXES = (".py", ".csv", ".md", ".j2", ".json", ".ipynb", ".css")

READING_CODE = ("read", "rules", "errors.py")
"""What a letter's parse depends on: it keys the parse cache."""
ANALYSIS_CODE = ("rules", "dataset", "analysis")
"""What the analysis a report run shares depends on: it keys ``reports/.analysis``."""
REPORT_CODE = ("rules", "dataset", "analysis", "charts", "reports/templates", "errors.py")
"""What a report depends on besides its notebook and data: part of its fingerprint."""


@cache
def package_version() -> str:
    """The installed distribution's version; raises PackageNotFoundError when it is not installed."""
    return metadata.version(DISTRIBUTION)


def code_digest(package_dir: Path, parts: tuple[str, ...] | None = None) -> str:
    """SHA-256 over the named parts of a package folder (folders or files; every file when None):
    each file's path and bytes, in a stable order."""
    files: set[Path] = set()
    for part in parts or ("",):
        path = package_dir / part
        found = [path] if path.is_file() else path.rglob("*")
        files |= {f for f in found if f.suffix in CODE_SUFFIXES and f.is_file() and "__pycache__" not in f.parts}
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def code_sha256(parts: tuple[str, ...] | None = None) -> str:
    """:func:`code_digest` of this package, once per process."""
    return code_digest(PACKAGE_DIR, parts)

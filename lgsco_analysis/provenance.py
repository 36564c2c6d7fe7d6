"""What produced an output: the package's version, from its installed metadata, and a hash of its code.

The hash covers every file the package ships (modules, label and heading tables, report
template), so any change to them re-parses the letters (it keys the parse cache) and
renders the reports again (it is part of their fingerprint).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "lgsco-analysis"
PACKAGE_DIR = Path(__file__).resolve().parent
CODE_SUFFIXES = (".py", ".csv", ".md", ".j2", ".json", ".ipynb", ".css")


@cache
def package_version() -> str:
    """The installed distribution's version; raises PackageNotFoundError when it is not installed."""
    return metadata.version(DISTRIBUTION)


@cache
def code_sha256() -> str:
    """SHA-256 over the package's own files (path and bytes), in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in CODE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()

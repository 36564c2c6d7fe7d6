"""What each report was made from, so that an unchanged report is not rendered again."""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from pathlib import Path
from typing import Any, TypedDict

from .. import paths
from ..read.record import file_sha256

MANIFEST_FILE = "manifest.json"


class ReportStatus(StrEnum):
    """What became of a report in the manifest: rendered, or failed with why."""

    OK = "ok"
    FAILED = "failed"


class ReportInputs(TypedDict):
    """Everything a report is made from: the same inputs give the same report (its ``fingerprint``)."""

    data_sha256: str
    notebook_sha256: str
    code_sha256: str
    parameters: dict[str, Any]
    links: list[tuple[str, str]]
    package_version: str


class ManifestEntry(ReportInputs, total=False):
    """One report in ``manifest.json``: what it is, what it was made from, and what became of it.

    A plan's entry has the first fields; a render adds ``status`` to ``started``. An entry read back
    from an earlier run's manifest may lack any of them.
    """

    path: str
    notebook: str
    kind: str
    title: str
    year: int | None
    authority: str | None
    group: str | None
    fingerprint: str
    status: str
    error: str
    files_sha256: dict[str, str]
    duration_s: float | None
    started: str | None


class RenderJob(TypedDict):
    """What a worker needs to render one report."""

    entry: ManifestEntry
    out_dir: str
    notebook_in: str
    parameters: dict[str, Any]
    links: list[tuple[str, str]]
    cwd: str
    kernels_dir: str


def fingerprint(inputs: ReportInputs) -> str:
    """One hash over everything a report is made from."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def files_whole(out_dir: Path, entry: ManifestEntry) -> bool:
    """The report's HTML and notebook are there, byte for byte as its render wrote them."""
    recorded = entry.get("files_sha256") or {}
    try:
        return all(file_sha256(out_dir / entry[name]) == recorded.get(name) for name in ("path", "notebook"))
    except (OSError, KeyError):
        return False


def read_manifest(out_dir: Path) -> dict:
    """The manifest an earlier run wrote, or an empty one."""
    path = out_dir / MANIFEST_FILE
    if not path.exists():
        return {"reports": []}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"reports": []}


def write_text_atomic(path: Path, text: str) -> None:
    paths.write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def write_manifest(out_dir: Path, manifest: dict) -> None:
    write_text_atomic(out_dir / MANIFEST_FILE, json.dumps(manifest, indent=2, default=str) + "\n")

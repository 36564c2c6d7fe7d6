"""What each report was made from, so that an unchanged report is not rendered again."""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from pathlib import Path

from .. import paths
from ..read.record import file_sha256

MANIFEST_FILE = "manifest.json"


class ReportStatus(StrEnum):
    """What became of a report in the manifest: rendered, or failed with why."""

    OK = "ok"
    FAILED = "failed"


def fingerprint(inputs: dict) -> str:
    """One hash over everything a report is made from."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def files_whole(out_dir: Path, entry: dict) -> bool:
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

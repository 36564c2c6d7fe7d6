"""``fetched.csv``: what each address gave, kept beside the files so that a re-run asks only what changed."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..paths import write_atomically

RECORD_FILE = "fetched.csv"


@dataclass
class Fetched:
    """One address and what became of it."""

    url: str
    file: str = ""
    """Where it was saved, relative to the fetch's folder; '' when it was not."""
    sha256: str = ""
    bytes: int = 0
    http_status: int = 0
    etag: str = ""
    last_modified: str = ""
    fetched_at: str = ""
    kind: str = ""
    """``letter``, ``statistics_page`` or ``refused``."""
    why: str = ""
    """For ``refused``: why (robots.txt, not a PDF, too large, out of the site, ...)."""


COLUMNS = tuple(field.name for field in fields(Fetched))


def read_record(folder: Path) -> dict[str, Fetched]:
    """The record a previous fetch left, by address (empty when there is none)."""
    path = folder / RECORD_FILE
    if not path.exists():
        return {}
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    record = {}
    for row in rows:
        text = {name: row.get(name) or "" for name in COLUMNS}
        entry = Fetched(url=text["url"])
        for name in COLUMNS:
            setattr(entry, name, int(text[name] or 0) if name in ("bytes", "http_status") else text[name])
        record[entry.url] = entry
    return record


def write_record(folder: Path, record: dict[str, Fetched]) -> None:
    """The whole record, written beside and renamed in: a kill leaves the previous one."""
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in sorted(record.values(), key=lambda e: (e.kind, e.file, e.url)):
        writer.writerow(asdict(entry))
    write_atomically(folder / RECORD_FILE, lambda path: path.write_text(text.getvalue(), encoding="utf-8"))
